"""Full-text search without a server: a Pagefind index written after each build.

Why our own: pelican-search drives Stork, which is no longer maintained. Pagefind ships
as a PyPI wheel (``pagefind[bin]``, the binary inside), stems French, keeps its index in
small fragments the browser fetches on demand, and reads filters and metadata from
``data-pagefind-*`` attributes our templates already print. This plugin only runs it.

Why one call at the end: Pagefind indexes a folder in one request, on every core; it is
only given the files ``ARTICLE_SAVE_AS`` and ``PAGE_SAVE_AS`` write (``*/index.html``),
never the thousands of list pages. Feeding it page by page as Pelican writes them was
tried: each page then pays a round trip through a Python thread that fights Pelican for
the GIL, three times slower on the 1000-article corpus.

| hook | job |
| --- | --- |
| ``initialized`` | defaults of the ``SEARCH_*`` settings |
| ``finalized`` | index the written articles and pages (only what ``data-pagefind-body`` marks) into ``OUTPUT_PATH/<SEARCH_OUTPUT_SUBDIR>/`` with the Pagefind CLI, or reuse the bundle cached for the same inputs (``SEARCH_CACHE_PATH``) |

Why a cache keyed by the indexed pages: Pagefind's filter files come out of unordered
maps, so two runs over identical pages differ byte-wise. Reusing the bundle of identical
inputs makes production output reproducible and skips indexing on an unchanged rebuild.

A failure is logged at ERROR, which makes ``tools/run_pelican.py`` exit non-zero:
a site whose search silently broke is not published.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import _memoire as memoire
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": [".headerlink"],  # the « # » after each heading
    "SEARCH_FORCE_LANGUAGE": None,  # None: follow each page's <html lang>
    "SEARCH_GLOB": None,  # None: the files ARTICLE_SAVE_AS and PAGE_SAVE_AS write
}


def bundle_path(output_path: str, subdir: str) -> Path:
    """The bundle folder, refused if it is not strictly inside the output folder."""
    output = Path(output_path).resolve()
    bundle = (output / subdir).resolve()
    if output not in bundle.parents:
        raise ValueError(f"SEARCH_OUTPUT_SUBDIR « {subdir} » sort de OUTPUT_PATH")
    return bundle


def pagefind_command(site: Path, bundle: Path, settings) -> list[str]:
    """The Pagefind CLI shipped in the pagefind_bin wheel, one process per build.

    The CLI rather than the Python API: the API drives a long-lived service over asyncio,
    which cannot start inside the preview server's event loop and answers before its
    last files reach the disk."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site),
               "--output-path", str(bundle), "--silent",
               "--glob", settings.get("SEARCH_GLOB") or save_as_glob(settings)]
    for selector in settings.get("SEARCH_EXCLUDE_SELECTORS") or []:
        command += ["--exclude-selectors", selector]
    if settings.get("SEARCH_FORCE_LANGUAGE"):
        command += ["--force-language", settings["SEARCH_FORCE_LANGUAGE"]]
    return command


def indexed_files(site: Path, settings) -> list[Path]:
    """The HTML files Pagefind will read, in a stable order."""
    glob = settings.get("SEARCH_GLOB") or save_as_glob(settings)
    patterns = glob.strip("{}").split(",") if glob.startswith("{") else [glob]
    files = set()
    for pattern in patterns:
        files.update(path for path in site.glob(pattern) if path.is_file())
    return sorted(files)


def index_key(site: Path, settings) -> str:
    """Hash of everything the index depends on: the indexed pages, Pagefind's version,
    our options. Pagefind writes its filter files from unordered maps, so two runs over
    the same pages differ byte-wise; reusing the bundle of identical inputs makes the
    output reproducible, and a warm build does no indexing at all."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(version("pagefind_bin").encode())
    digest.update(repr(pagefind_command(Path("."), Path("."), settings)[2:]).encode())
    digest.update(repr(UNUSED_BUNDLE_FILES).encode())  # what the bundle leaves out
    digest.update(repr(FOR_INDEXING).encode())  # what Pagefind reads
    # A page's hash is remembered by (path, size, modification time): the writer leaves
    # unchanged pages untouched, so a warm build reads none of them again.
    memo = memoire.Memo(Path(settings["SEARCH_CACHE_PATH"]) / "empreintes.pickle", b"sha256")
    for path in indexed_files(site, settings):
        relative = str(path.relative_to(site))
        stat = path.stat()
        digest.update(relative.encode() + b"\0")
        digest.update(memo.get((relative, stat.st_size, stat.st_mtime_ns), file_digest, path))
    memo.save()
    return digest.hexdigest()[:32]


def file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


# Pagefind's ready-made interfaces (≈ 420 KB, more with their .gz and .br copies): the
# theme has its own (theme/static/js/search.js), which loads pagefind.js only.
UNUSED_BUNDLE_FILES = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*",
                       "pagefind-highlight.js")


#: What Pagefind must read differently from a reader. It cuts words at ASCII punctuation
#: only, so « l’électricité » with the typographic apostrophe would be one word, found
#: by neither « électricité » nor « l’électricité » (a French page elides every few
#: words); the word joiner the displayed titles carry after « est- » would stick to
#: the next word. The search page puts the apostrophe back in what it shows. Applied to
#: the whole file (bytes, in C: ten times faster than text only): the only attribute
#: values Pagefind reads from our pages are dates.
FOR_INDEXING = (("\u2019".encode(), b"'"), ("\u2060".encode(), b""))


def indexing_copy(site: Path, settings, folder: Path) -> None:
    """The pages Pagefind reads, at the same relative paths (so the same URLs), with
    ``FOR_INDEXING`` applied."""
    for path in indexed_files(site, settings):
        target = folder / path.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        for old, new in FOR_INDEXING:
            data = data.replace(old, new)
        target.write_bytes(data)


def _memory_folder() -> str | None:
    """/dev/shm where there is one (Linux): the copy lives a few seconds, and writing a
    thousand small files there takes 0.06 s against 0.7 s on this machine's disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def write_index(site: Path, bundle: Path, settings) -> None:
    """Index `site` into `bundle` with the Pagefind CLI; raise with its message."""
    with tempfile.TemporaryDirectory(prefix="pagefind-", dir=_memory_folder()) as copy:
        indexing_copy(site, settings, Path(copy))
        result = subprocess.run(pagefind_command(Path(copy), bundle, settings),
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip()[-500:])
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
    check_bundle(bundle)


def same_files(cached: Path, bundle: Path) -> bool:
    """True when `bundle` holds exactly the files of `cached`, as hard links to them (what
    the previous build published): nothing to unlink and link again."""
    def inodes(folder: Path) -> dict:
        found = {}
        for directory, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(directory, name)
                stat = os.stat(path)
                found[os.path.relpath(path, folder)] = (stat.st_dev, stat.st_ino)
        return found
    return bundle.is_dir() and inodes(cached) == inodes(bundle)


def copy_bundle(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source`: hard links where the file system allows
    (a warm build republishes about one file per page; linking is a system call where
    copying moves the data), real copies elsewhere. Pagefind never edits its files in
    place, so sharing them with the cache is safe."""
    if target.exists():
        shutil.rmtree(target)
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except (OSError, shutil.Error):  # another file system, or no hard links at all
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def save_as_glob(settings) -> str:
    """« {slug}/index.html » → « */index.html »: the files articles and pages are written
    to; every ``{…}`` placeholder stands for one path segment or part of one."""
    patterns = []
    for key in ("ARTICLE_SAVE_AS", "PAGE_SAVE_AS"):
        pattern = re.sub(r"\{[^}]*\}", "*", settings.get(key) or "")
        if pattern and pattern not in patterns:
            patterns.append(pattern)
    if not patterns:
        return "**/*.html"
    return patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"


def bundle_snapshot(bundle: Path) -> tuple:
    return tuple(sorted((str(path), path.stat().st_size)
                        for path in bundle.rglob("*") if path.is_file()))


def bundle_complete(bundle: Path) -> bool:
    """The entry file parses, its language metadata exists, no file is empty."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for language in entry.get("languages", {}).values():
        meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        if not meta.is_file() or meta.stat().st_size == 0:
            return False
    return all(size > 0 for _, size in bundle_snapshot(bundle))


def check_bundle(bundle: Path) -> None:
    if not bundle_complete(bundle):
        raise RuntimeError(f"Pagefind bundle incomplete in {bundle} (empty or missing files)")


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault(
        "SEARCH_CACHE_PATH", os.path.join(pelican.settings["CACHE_PATH"], "search"))


def build_index(pelican) -> str | None:
    """Index the built site, or reuse the cached bundle; what was done (None: nothing)."""
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True):
        logger.info("[search] SEARCH_ENABLED is off: no index")
        return
    started = time.perf_counter()
    site = Path(settings["OUTPUT_PATH"])
    try:
        bundle = bundle_path(settings["OUTPUT_PATH"], settings["SEARCH_OUTPUT_SUBDIR"])
        key = index_key(site, settings)
        cached = Path(settings["SEARCH_CACHE_PATH"]) / key
        if cached.is_dir() and bundle_complete(cached):
            if same_files(cached, bundle):
                how = "already in place"
            else:
                copy_bundle(cached, bundle)
                how = "reused from cache"
        else:
            if bundle.exists():
                shutil.rmtree(bundle)  # fragments are content-hashed: old ones would pile up
            write_index(site, bundle, settings)
            store_in_cache(bundle, cached)
            how = "indexed"
    except Exception as error:  # noqa: BLE001 — any failure must fail the build, readably
        logger.error("[search] %s: search index not written: %s (check that "
                     "pagefind[bin] is installed: pip install -r requirements.txt)",
                     settings["OUTPUT_PATH"], error)
        return None
    logger.info("[search] %s into %s in %.2f s", how,
                os.path.relpath(bundle, settings["OUTPUT_PATH"]),
                time.perf_counter() - started)
    return how


def store_in_cache(bundle: Path, cached: Path, keep: int = 3) -> None:
    """Keep the bundle of these inputs, and only the few most recent ones."""
    copy_bundle(bundle, cached)
    entries = sorted((p for p in cached.parent.iterdir() if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def register():
    # initialized: defaults before anything reads them.
    signals.initialized.connect(set_defaults)
    # finalized: every page is written; the index reads them from disk.
    signals.finalized.connect(build_index)
