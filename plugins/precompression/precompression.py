"""Pre-compressed copies (``.br``, ``.gz``) of a production build, kept from one build
to the next.

Why our own: pelican-precompress makes these copies, and its settings and compressors
are used here unchanged (same bytes), but it compresses every text file on every build,
and a production build started from an empty folder (``DELETE_OUTPUT_DIRECTORY``). Brotli
at quality 11 goes at ≈ 0.6 MB/s: at 1000 articles (73 MB of HTML and XML) that was 78 s
of a 99 s production build, for pages most of which had not changed since the last
publication. Here each compressed copy is kept in ``CACHE_PATH`` under the SHA-256 of the
text it compresses; a file whose text is unchanged gets its copies back at once, and
only new or changed files are compressed, on every core. No maintained plugin keeps them:
pelican-precompress only spares a copy already lying beside its file, whatever text it
was made from. Each copy is a hard link to the cache entry: one left from the last
publication that already is the entry stays, its date renewed with the entry's.

| hook | job |
| --- | --- |
| ``initialized`` | defaults (``PRECOMPRESSION_*``) |
| ``compress`` (pelican-granular-signals: after every ``finalized`` receiver, so after the search index and the sitemap) | the copies of every text file of ``OUTPUT_PATH``, then the cache pruned |

The compressors' versions (pelican-precompress, Brotli, zlib…) name the cache folder:
another version compresses again, since its bytes may differ.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import _memoire as memoire
import _processus as processus

logger = logging.getLogger(__name__)
LOG = "[precompression] "

DEFAULTS = {
    "PRECOMPRESSION_CACHE_PATH": None,  # <CACHE_PATH>/precompression
    "PRECOMPRESSION_KEEP_DAYS": 30,  # copies no build used for this long are deleted; None: never
    "PRECOMPRESSION_PROCESSUS": 0,  # 0: one process per available core
    "PRECOMPRESSION_BROTLI_QUALITY": 10,  # 0–11; pelican-precompress always uses 11
}
MIN_FILES_PER_PROCESS = 20  # fewer: a fork costs more than it saves
# name → (pelican-precompress's switch, suffix, its compressor); zopfli replaces gzip
# when both are on (pelican-precompress's own rule, applied by its get_settings).
FORMATS = {
    "brotli": ("PRECOMPRESS_BROTLI", ".br", "compress_with_brotli"),
    "gzip": ("PRECOMPRESS_GZIP", ".gz", "compress_with_gzip"),
    "zopfli": ("PRECOMPRESS_ZOPFLI", ".gz", "compress_with_zopfli"),
    "zstandard": ("PRECOMPRESS_ZSTANDARD", ".zst", "compress_with_zstandard"),
}
LIBRARIES = ("pelican-precompress", "brotli", "zopfli", "backports.zstd")
LARGER = ".plus-grand"  # marks a text its compressed copy would not make smaller


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    compress: Callable[[bytes], bytes]


@dataclass(frozen=True)
class Job:
    """What a process needs to give files their copies (plain enough to cross a fork)."""

    formats: tuple[Format, ...]
    memo: Path  # the cache folder of these compressors' versions
    overwrite: bool  # PRECOMPRESS_OVERWRITE: replace a copy already beside its file


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def setting(settings, key: str):
    """``settings[key]``, or its default for settings that did not go through
    ``initialized`` (the search bundle's call, from ``tools/run_pelican.py``)."""
    return settings.get(key, DEFAULTS[key])


def compressors_version() -> str:
    """Versions of everything that decides the compressed bytes: a short folder name."""
    versions = [f"zlib {zlib.ZLIB_RUNTIME_VERSION}"]
    for library in LIBRARIES:
        try:
            versions.append(f"{library} {importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{library} -")
    return hashlib.blake2b("\n".join(versions).encode(), digest_size=8).hexdigest()


def cache_root(settings) -> Path:
    folder = setting(settings, "PRECOMPRESSION_CACHE_PATH")
    return Path(folder or Path(settings.get("CACHE_PATH") or "cache") / "precompression")


def compression_format(name: str, precompress, settings) -> Format:
    """pelican-precompress's compressor for `name`; Brotli at our quality (its name in
    the cache says which). Why not 11, as pelican-precompress: on this blog's pages,
    quality 11 compresses 3× slower than 10 for 2 % fewer bytes (≈ 100 bytes a page), and
    a new article changes every page (the tag cloud's counts), so a publication of 1000
    articles compressed for 61 s instead of ≈ 20."""
    _, suffix, compressor = FORMATS[name]
    if name != "brotli":
        return Format(name, suffix, getattr(precompress, compressor))
    quality = int(setting(settings, "PRECOMPRESSION_BROTLI_QUALITY"))
    if quality == 11:
        return Format("brotli-11", suffix, precompress.compress_with_brotli)
    compress = functools.partial(precompress.brotli.compress, mode=precompress.brotli.MODE_TEXT,
                                 quality=quality)
    return Format(f"brotli-{quality}", suffix, precompress.validate_file_sizes(compress))


def compress_site(pelican) -> None:
    """Receiver of ``compress``: the whole output folder."""
    compress_folder(pelican.settings, pelican.settings["OUTPUT_PATH"])


def compress_folder(settings, folder) -> Counter:
    """Give every text file under `folder` the copies pelican-precompress's settings ask
    for; returns how many copies were taken from the cache, compressed, left as they
    were, or not made (a copy that would be larger than its file)."""
    from pelican.plugins import precompress  # imports Pelican: only when compressing

    started = time.perf_counter()
    checked = precompress.get_settings(SimpleNamespace(settings={**settings, "OUTPUT_PATH": str(folder)}))
    formats = tuple(compression_format(name, precompress, settings)
                    for name, (switch, _, _) in FORMATS.items() if checked[switch])
    if not formats:
        return Counter()
    smallest = checked["PRECOMPRESS_MIN_SIZE"] or 0
    paths = sorted(path for path in precompress.get_paths_to_compress(checked)
                   if path.is_file() and path.stat().st_size >= smallest)
    root = cache_root(settings)
    job = Job(formats, root / compressors_version(), bool(checked["PRECOMPRESS_OVERWRITE"]))
    processes = processus.process_count(setting(settings, "PRECOMPRESSION_PROCESSUS"), len(paths),
                                        MIN_FILES_PER_PROCESS)
    counts = sum(processus.map_shares(functools.partial(compress_share, job), paths, processes),
                 Counter())
    removed = prune(root, setting(settings, "PRECOMPRESSION_KEEP_DAYS"))
    logger.info(LOG + "%d fichier(s) : %d copie(s) reprise(s) du cache, %d compressée(s), "
                "%d déjà là ; %d retirée(s) du cache (%.1f s)", len(paths), counts["reprises"],
                counts["compressées"], counts["présentes"], removed, time.perf_counter() - started)
    return counts


def compress_share(job: Job, paths: list[Path]) -> Counter:
    """The copies of `paths`, in one process."""
    counts = Counter()
    for path in paths:
        data = path.read_bytes()
        key = hashlib.sha256(data).hexdigest()
        for fmt in job.formats:
            destination = path.with_name(path.name + fmt.suffix)
            if destination.exists() and not job.overwrite:
                counts["présentes"] += 1  # pelican-precompress leaves it too
                continue
            counts[place_copy(job, fmt, data, key, destination)] += 1
    return counts


def place_copy(job: Job, fmt: Format, data: bytes, key: str, destination: Path) -> str:
    """Put the `fmt` copy of `data` at `destination`: from the cache, else compressed
    and remembered. Returns what was done."""
    from pelican.plugins.precompress import FileSizeIncrease

    entry = job.memo / key[:2] / f"{key}.{fmt.name}"
    larger = entry.with_name(entry.name + LARGER)
    if entry.is_file():
        os.utime(entry)  # used: kept by prune()
        outcome = "reprises"
    elif larger.is_file():
        os.utime(larger)
        outcome = "inutiles"
    else:
        try:
            memoire.write_atomically(entry, fmt.compress(data))
            outcome = "compressées"
        except FileSizeIncrease:
            memoire.write_atomically(larger, b"")
            outcome = "inutiles"
    if outcome == "inutiles":
        destination.unlink(missing_ok=True)  # a previous copy of another text (overwrite)
    else:
        # Linked, or left when already the cached file: renewing the entry's date above
        # touched it too, so the sweep of an exact output (ecriture) counts it as this
        # build's. A copy where links are impossible.
        memoire.publish(str(entry), str(destination))
    return outcome


def prune(root: Path, keep_days) -> int:
    """Delete the copies no build used for ``keep_days`` (each use renews a copy's date),
    those of older compressor versions included, then the folders left empty. The delay
    spares what an older commit, a branch or the preview's configuration would ask for
    again."""
    if keep_days is None or not root.is_dir():
        return 0
    oldest_kept = time.time() - float(keep_days) * 86400
    removed = 0
    for folder, subfolders, files in os.walk(root, topdown=False):
        for name in files:
            path = os.path.join(folder, name)
            try:
                if os.stat(path).st_mtime < oldest_kept:
                    os.unlink(path)
                    removed += 1
            except FileNotFoundError:  # another build removed it first
                pass
        if folder != str(root):
            try:
                os.rmdir(folder)  # only if empty
            except OSError:
                pass
    return removed


def register() -> None:
    import blinker
    from pelican import signals
    from pelican.plugins import granular_signals

    signals.initialized.connect(set_defaults)
    granular_signals.register()  # the ``compress`` signal, sent after ``finalized``
    blinker.signal("compress").connect(compress_site)
