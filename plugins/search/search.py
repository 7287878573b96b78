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
| ``finalized`` | (unless ``SEARCH_DEFERRED``) index the written articles and pages (only what ``data-pagefind-body`` marks) into ``OUTPUT_PATH/<SEARCH_OUTPUT_SUBDIR>/`` with the Pagefind CLI, part by part, or reuse the bundle cached for the same inputs (``SEARCH_CACHE_PATH``) |

Why several indexes past ``SEARCH_PAGES_PER_INDEX`` pages (1000): Pagefind keeps a whole
index in memory while it writes it, ≈ 240 MB per 1000 articles of 700 words, so a
5000-article blog needed 1.2 GB in one process, more than a small host or CI runner
gives. Past that size the oldest articles go into archive indexes of that many pages
each (``pagefind/archives-1/`` the oldest, …), the newest stay in ``pagefind/``, and
``pagefind/parties.json`` lists the archives, newest first, for theme/static/js/search.js.
It merges them with Pagefind's ``mergeIndex`` (a query's results ranked together) but
asks the date-sorted listing of each index in turn: merged, its scores are positions
within each index and would interleave the years. Measured in Chromium on 5000 articles,
a query or a listing answers as fast from five parts as from one index.
Indexes are cut by date, from the oldest: a new article only changes the newest index,
so an edit re-indexes one part, not the whole blog.

Why a cache keyed by the indexed pages: Pagefind's filter files come out of unordered
maps, so two runs over identical pages differ byte-wise. Reusing the bundle of identical
inputs makes production output reproducible and skips indexing on an unchanged rebuild.

Why ``SEARCH_DEFERRED``: Pagefind runs beside the process that built the site, which
still holds every article (≈ 250 MB at 5000 articles) while Pagefind holds its own index;
the two peaks add up. ``tools/run_pelican.py`` runs Pelican in a forked process with
this setting on; ``finalized`` then leaves ``index_site`` to it
(``_processus.leave_for_after``), run once that process has ended: the build's peak
memory is then the larger of the two, not their sum. Nothing else changes (same pages,
same cache, same bundle, precompressed as before when the build precompresses).

A failure is logged at ERROR, which makes ``tools/run_pelican.py`` exit non-zero:
a site whose search silently broke is not published.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _memoire as memoire
import _processus as processus

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_ENABLED": True,
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    "SEARCH_EXCLUDE_SELECTORS": [".headerlink"],  # the « # » after each heading
    "SEARCH_FORCE_LANGUAGE": None,  # None: follow each page's <html lang>
    "SEARCH_GLOB": None,  # None: the files ARTICLE_SAVE_AS and PAGE_SAVE_AS write
    "SEARCH_PAGES_PER_INDEX": 1000,  # past this, the oldest go into archive indexes; 0: one index
    "SEARCH_DEFERRED": False,  # True: ``finalized`` does not index; the caller runs ``index_site``
}

#: Archive indexes sit inside the main bundle: ``pagefind/archives-1/`` holds the oldest.
ARCHIVE_PREFIX = "archives-"
#: The archives' folders, newest first, read by search.js (an empty list: one index).
PARTS_FILE = "parties.json"
#: What an archive is published without: search.js loads pagefind.js from the main
#: bundle only, and Pagefind merges an archive with ``load_wasm: false`` (its worker and
#: WebAssembly are the main bundle's), so these ≈ 230 kB per archive are never fetched.
#: Left out when published, not from the cache: a cached part may become the main index.
ARCHIVE_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


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


@dataclass(frozen=True)
class Part:
    """One Pagefind index: where it is published inside the bundle ("" for the bundle
    itself) and the pages it holds, with their hashes (``indexed_view`` for a page that
    marks its body)."""

    folder: str
    pages: tuple  # ((relative path, sha256 digest), …)

    def key(self, inputs: bytes) -> str:
        """Hash of everything this index depends on: its pages and ``index_inputs``.
        Pagefind writes its filter files from unordered maps, so two runs over the same
        pages differ byte-wise; reusing the index of identical inputs makes the output
        reproducible, and a warm build does no indexing at all. The folder is left out:
        an archive cut once keeps its index when a newer part is added."""
        digest = hashlib.sha256(inputs)
        for relative, page_digest in self.pages:
            digest.update(relative.encode() + b"\0" + page_digest)
        return digest.hexdigest()[:32]


def index_inputs(settings) -> bytes:
    """What every part's index depends on besides its pages: Pagefind's version, our
    options, what the bundle leaves out and what Pagefind reads. Computed once a build."""
    from importlib.metadata import version

    return b"\0".join(repr(value).encode() for value in (
        version("pagefind_bin"), pagefind_command(Path("."), Path("."), settings)[2:],
        UNUSED_BUNDLE_FILES, FOR_INDEXING))


_SORT_DATE = re.compile(rb'data-pagefind-sort="date:([^"]+)"')


def page_facts(path: Path) -> tuple[bytes, float | None, bool]:
    """A page's hash; the date Pagefind sorts it by (seconds; None for a page without
    one, such as « À propos »); whether it marks a body to index (``data-pagefind-body``)."""
    data = path.read_bytes()
    found = _SORT_DATE.search(data)
    when = None
    if found:
        try:
            when = datetime.datetime.fromisoformat(found.group(1).decode()).timestamp()
        except ValueError:
            when = None
    return hashlib.sha256(data).digest(), when, b"data-pagefind-body" in data


#: Elements whose attributes tell Pagefind what to index, wherever they are in the page.
_PAGEFIND_ELEMENTS = ", ".join(f"[data-pagefind-{name}]" for name in (
    "body", "meta", "filter", "sort", "default-meta", "index-attrs", "weight", "ignore"))


def indexed_view(path: Path) -> bytes:
    """Hash of what Pagefind can read of a page that marks its body: the body, every
    element carrying a ``data-pagefind-*`` attribute, the language, ``<title>``, the
    headings ``h1`` and the first images (Pagefind's default title and image).

    Why not the whole page: around the body, an article shows its neighbours and related
    articles and the footer, which change when a new article is published. Keyed by the
    whole page, each new article changed some page in every archive (a related list, a
    « next » link), and every archive was indexed again (3 s at 1000 articles); keyed by
    this view, an archive is indexed again only when what its search results hold
    changes. Deliberately wider than what Pagefind reads (an image or a title more only
    costs an index made again for nothing); never narrower."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(path.read_bytes())
    digest = hashlib.sha256()
    html = tree.css_first("html")
    digest.update(repr(html.attributes if html is not None else None).encode())
    first_image = image_after_heading = None
    seen_heading = False
    for node in tree.root.traverse():  # document order (a CSS selector list is not)
        seen_heading = seen_heading or node.tag == "h1"
        if node.tag == "img":
            first_image = first_image or node
            if seen_heading:
                image_after_heading = node
                break
    images = [node for node in (first_image, image_after_heading) if node is not None]
    for node in [*tree.css("title, h1"), *images, *tree.css(_PAGEFIND_ELEMENTS)]:
        digest.update(b"\0" + node.html.encode())
    return digest.digest()


def index_parts(site: Path, settings) -> list[Part]:
    """The indexes to publish, newest first: the bundle itself, then the archives.

    Pages are ordered by date (undated pages count as newest); from the oldest, each
    full run of ``SEARCH_PAGES_PER_INDEX`` pages that leaves at least one page for the
    newest index becomes an archive. As Pagefind does, once a page marks its body
    (``data-pagefind-body``) the pages that mark none are left out: were a part made of
    them only, Pagefind would index them whole (the tag cloud, the search page). Facts
    are remembered by (path, size, modification time): the writer leaves unchanged pages
    untouched, so a warm build reads none of them again. A page that marks its body is
    known by ``indexed_view``, not by all its bytes."""
    cache = Path(settings["SEARCH_CACHE_PATH"])
    memo = memoire.Memo(cache / "empreintes.pickle", b"sha256+date+body")
    views = memoire.Memo(cache / "vues.pickle", b"indexed_view 2")
    pages = []
    for path in indexed_files(site, settings):
        relative = str(path.relative_to(site))
        stat = path.stat()
        digest, when, body = memo.get((relative, stat.st_size, stat.st_mtime_ns), page_facts, path)
        if body:  # by the page's bytes: a page rewritten unchanged is not parsed again
            digest = views.get(digest, indexed_view, path)
        pages.append((when is None, when or 0.0, relative, digest, body))
    memo.save()
    views.save()
    if any(body for *_, body in pages):
        pages = [page for page in pages if page[-1]]
    pages.sort()
    size = int(settings.get("SEARCH_PAGES_PER_INDEX") or 0)
    archives = (len(pages) - 1) // size if size > 0 and pages else 0

    def part(folder, chosen):
        return Part(folder, tuple(sorted((relative, digest) for _, _, relative, digest, _ in chosen)))

    parts = [part("", pages[archives * size:])]
    for number in range(archives, 0, -1):
        parts.append(part(f"{ARCHIVE_PREFIX}{number}", pages[(number - 1) * size:number * size]))
    return parts


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


def indexing_copy(site: Path, pages, folder: Path) -> None:
    """The pages Pagefind reads (paths relative to `site`), at the same relative paths
    (so the same URLs), with ``FOR_INDEXING`` applied."""
    for relative in pages:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (site / relative).read_bytes()
        for old, new in FOR_INDEXING:
            data = data.replace(old, new)
        target.write_bytes(data)


def _memory_folder() -> str | None:
    """/dev/shm where there is one (Linux): the copy lives a few seconds, and writing a
    thousand small files there takes 0.06 s against 0.7 s on this machine's disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def write_index(site: Path, bundle: Path, settings, pages) -> None:
    """Index `pages` of `site` (paths relative to it) into `bundle` with the Pagefind
    CLI; raise with its message."""
    with tempfile.TemporaryDirectory(prefix="pagefind-", dir=_memory_folder()) as copy:
        indexing_copy(site, pages, Path(copy))
        result = subprocess.run(pagefind_command(Path(copy), bundle, settings),
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError((result.stderr or result.stdout).strip()[-500:])
    for pattern in UNUSED_BUNDLE_FILES:
        for path in bundle.glob(pattern):
            path.unlink()
    check_bundle(bundle)


def _inodes(folder: Path, prefix: str = "", skip=()) -> dict:
    found = {}
    for directory, _, names in os.walk(folder):
        for name in set(names) - set(shutil.ignore_patterns(*skip)(directory, names)):
            path = os.path.join(directory, name)
            stat = os.stat(path)
            found[os.path.join(prefix, os.path.relpath(path, folder))] = (stat.st_dev, stat.st_ino)
    return found


def parts_listing(parts: list[Part]) -> bytes:
    """``parties.json``: the archives' folders, newest first, for search.js."""
    return json.dumps([f"{part.folder}/" for part in parts if part.folder]).encode()


def already_published(cached: dict[str, Path], bundle: Path, listing: bytes) -> bool:
    """True when `bundle` holds exactly the cached indexes (folder → cache entry), as hard
    links to them, and the same parts listing: what the previous build published."""
    expected = {}
    for folder, entry in cached.items():
        expected.update(_inodes(entry, folder, _left_out(folder)))
    found = _inodes(bundle) if bundle.is_dir() else {}
    listed = found.pop(PARTS_FILE, None)
    try:
        same_listing = listed is not None and (bundle / PARTS_FILE).read_bytes() == listing
    except OSError:
        same_listing = False
    return same_listing and found == expected


def publish_bundle(site: Path, bundle: Path, settings) -> str:
    """Index the parts whose pages changed into the cache, then publish every part into
    `bundle` from there. Returns what was done: "indexed" (at least one part),
    "reused from cache" or "already in place"."""
    cache = Path(settings.get("SEARCH_CACHE_PATH")
                 or os.path.join(settings["CACHE_PATH"], "search"))
    cache.mkdir(parents=True, exist_ok=True)
    settings = {**settings, "SEARCH_CACHE_PATH": str(cache)}  # the preview passes raw settings
    parts = index_parts(site, settings)
    inputs = index_inputs(settings)
    cached, indexed = {}, 0
    for part in parts:
        entry = cache / part.key(inputs)
        if not (entry.is_dir() and bundle_complete(entry)):
            fresh = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=cache))
            try:
                write_index(site, fresh, settings, [relative for relative, _ in part.pages])
                shutil.rmtree(entry, ignore_errors=True)
                try:
                    fresh.rename(entry)
                except OSError:  # the preview's background refresh wrote it meanwhile
                    if not bundle_complete(entry):
                        raise
            finally:
                shutil.rmtree(fresh, ignore_errors=True)
            indexed += 1
        os.utime(entry)  # the most recently used entries are the ones kept
        cached[part.folder] = entry
    listing = parts_listing(parts)
    if already_published(cached, bundle, listing):
        how = "already in place"
        touch_files(bundle)  # left as they were, yet this build's: an exact output keeps them
    else:
        # Fragments are content-hashed: the old ones would pile up. The bundle first, then
        # the archives inside it.
        for folder, entry in cached.items():
            copy_bundle(entry, bundle / folder if folder else bundle, _left_out(folder))
        (bundle / PARTS_FILE).write_bytes(listing)
        how = "indexed" if indexed else "reused from cache"
    prune_cache(cache, keep=len(parts) + 2)
    return how


def touch_files(folder: Path) -> None:
    """Renew the dates of every file under `folder`. The production build's output
    keeps only what the build wrote or touched, or listed (``ECRITURE_SORTIE_EXACTE``,
    plugin ``ecriture``): a bundle left in place is still this build's index."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path)


def _left_out(folder: str) -> tuple[str, ...]:
    """The files a part is published without: none for the main bundle."""
    return ARCHIVE_UNUSED if folder else ()


def copy_bundle(source: Path, target: Path, skip=()) -> None:
    """`target` becomes a copy of `source` but for the `skip` patterns: hard links where
    the file system allows (a warm build republishes about one file per page; linking is
    a system call where copying moves the data), real copies elsewhere. Pagefind never
    edits its files in place, so sharing them with the cache is safe."""
    if target.exists():
        shutil.rmtree(target)
    ignore = shutil.ignore_patterns(*skip)
    try:
        shutil.copytree(source, target, copy_function=os.link, ignore=ignore)
    except (OSError, shutil.Error):  # another file system, or no hard links at all
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=ignore)


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
    """``finalized``: index the built site, unless ``SEARCH_DEFERRED`` leaves it to
    whoever ran Pelican (``index_site``, once Pelican is done)."""
    settings = pelican.settings
    if settings.get("SEARCH_DEFERRED") and settings.get("SEARCH_ENABLED", True):
        logger.info("[search] SEARCH_DEFERRED: the index is written after Pelican")
        processus.leave_for_after(index_site, processus.plain_data(settings),
                                  "search.build_index")
        return "deferred"
    return index_site(settings)


def index_site(settings) -> str | None:
    """Index the site built with `settings`, or reuse the cached bundle; what was done
    (None: nothing). Needs only the settings (a plain, picklable dict will do): the pages
    are read from ``OUTPUT_PATH``."""
    if not settings.get("SEARCH_ENABLED", True):
        logger.info("[search] SEARCH_ENABLED is off: no index")
        return None
    started = time.perf_counter()
    site = Path(settings["OUTPUT_PATH"])
    try:
        bundle = bundle_path(settings["OUTPUT_PATH"], settings["SEARCH_OUTPUT_SUBDIR"])
        how = publish_bundle(site, bundle, settings)
        if settings.get("SEARCH_DEFERRED"):
            precompress_bundle(bundle, settings)
    except Exception as error:  # noqa: BLE001 — any failure must fail the build, readably
        logger.error("[search] %s: search index not written: %s (check that "
                     "pagefind[bin] is installed: pip install -r requirements.txt)",
                     settings["OUTPUT_PATH"], error)
        return None
    logger.info("[search] %s into %s in %.2f s", how,
                os.path.relpath(bundle, settings["OUTPUT_PATH"]),
                time.perf_counter() - started)
    return how


PRECOMPRESSION = "precompression"


def precompress_bundle(bundle: Path, settings) -> None:
    """The bundle's ``.gz`` and ``.br`` copies, when the build precompresses its files.

    Why here: the ``precompression`` plugin runs once the ``finalized`` receivers are
    done, and compressed the bundle with the rest of the site when the index was written
    from ``finalized``. A deferred index comes after it, so it is compressed here by the
    same function, limited to the bundle (the rest of the site is done)."""
    if PRECOMPRESSION not in (settings.get("PLUGINS") or ()):
        return
    from precompression.precompression import compress_folder

    compress_folder(settings, bundle)


def prune_cache(cache: Path, keep: int) -> None:
    """Keep only the `keep` most recently used indexes (those of this build first)."""
    entries = sorted((p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def register():
    # Imported here: tools/run_pelican.py writes the index from a process that does not
    # import Pelican (0.3 to 0.7 s saved on every build; only ``index_site`` is used),
    # except in a production build, where the precompression plugin brings it
    # (``precompress_bundle``).
    from pelican import signals

    # initialized: defaults before anything reads them.
    signals.initialized.connect(set_defaults)
    # finalized: every page is written; the index reads them from disk.
    signals.finalized.connect(build_index)
