"""Sources read on every core before Pelican reads them one by one.

Why our own: reading (Markdown, our front-matter checks, pull quotes) is the longest
serial part of a cold build: about 5 s of a 14 s build of 1000 articles, on one core
while the others wait. Pelican reads its files in one loop and no maintained Pelican
plugin spreads that work (the package registry has none). Pelican already keeps what
its readers return in a cache (``Readers.get_cached_data``) that its loop asks first;
this plugin fills that cache from forked processes just before the loop starts, so the
loop finds every file already read and only builds the articles.

| hook | job |
| --- | --- |
| ``initialized`` | default of ``LECTURE_PROCESSUS`` |
| ``article_generator_preread``, ``page_generator_preread`` | before the generator's first file: the files the cache cannot answer are read by ``LECTURE_PROCESSUS`` processes (the build itself takes one share) |

What comes back is exactly what Pelican would have cached: the reader's ``(content,
metadata)``, under the file's stamp. A file whose reading logs a warning or an error,
or raises, is left out: Pelican reads it again in its own loop, so its messages (bad
front-matter, a pull quote without text…) are printed once, by the build, as without
this plugin. Nothing changes in what is built: the sample blog is byte-identical with
and without it (``tests/test_lecture_parallele.py``).

Sequential (nothing done here) with ``LECTURE_PROCESSUS = 1``, with fewer than
``LECTURE_MIN_PAR_PROCESSUS`` files per process to read, or where ``os.fork`` does not exist.
"""

from __future__ import annotations

import functools
import logging
import os

import _processus as processus
from pelican import signals
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

DEFAULTS = {
    "LECTURE_PROCESSUS": 0,  # 0: one process per available core
    "LECTURE_MIN_PAR_PROCESSUS": 20,  # fewer files per process: a fork costs more
}
SOURCES = {  # generator class name → its settings of folders and exclusions
    "ArticlesGenerator": ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
    "PagesGenerator": ("PAGE_PATHS", "PAGE_EXCLUDES"),
}


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def files_to_read(generator) -> list[str]:
    """Absolute paths of the generator's sources that the reader cache cannot answer,
    in the keys Pelican's ``read_file`` uses."""
    folders, excludes = SOURCES[type(generator).__name__]
    readers = generator.readers
    wanted = []
    for relative in sorted(generator.get_files(generator.settings[folders],
                                               exclude=generator.settings[excludes])):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if file_suffix(path) not in readers.readers:
            continue
        content, _ = readers.get_cached_data(path, (None, None))
        if content is None:
            wanted.append(path)
    return wanted


def read_quietly(readers, paths: list[str]) -> list[tuple[str, str, dict]]:
    """``(path, content, metadata)`` of each file read without a warning, an error or an
    exception; the others are left for Pelican's own loop (their messages are dropped
    here, Pelican's reading prints them)."""
    root = logging.getLogger()
    saved, collector = root.handlers[:], processus.Collector()
    results = []
    try:
        root.handlers[:] = [collector]
        for path in paths:
            seen = len(collector.records)
            try:
                content, metadata = readers.readers[file_suffix(path)].read(path)
            except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
                continue
            if len(collector.records) == seen:
                results.append((path, content, _filter_discardable_metadata(metadata)))
    finally:
        root.handlers[:] = saved
    return results


def remember(readers, results) -> None:
    """Put results where Pelican's ``read_file`` looks first, under the file's stamp.
    With ``CACHE_CONTENT`` they also go to the cache file, as a read by Pelican would."""
    for path, content, metadata in results:
        if readers._cache_data_policy:
            readers.cache_data(path, (content, metadata))
        else:  # no cache file: Pelican's cache of this build only
            readers._cache[path] = (readers._get_file_stamp(path), (content, metadata))


def read_ahead(generator) -> None:
    """At the generator's first preread signal: every missing file read in parallel."""
    if generator.__dict__.get("_lecture_parallele_faite"):
        return
    generator._lecture_parallele_faite = True
    if type(generator).__name__ not in SOURCES:
        return
    paths = files_to_read(generator)
    settings = generator.settings
    processes = processus.process_count(int(settings.get("LECTURE_PROCESSUS") or 0), len(paths),
                                        int(settings.get("LECTURE_MIN_PAR_PROCESSUS") or 1))
    if processes == 1:
        return
    readers = generator.readers
    # Shares by size, largest first, dealt in turn: processes end at about the same time.
    paths.sort(key=lambda path: os.path.getsize(path), reverse=True)
    # A share whose worker failed is read again here, quietly as well.
    for results in processus.map_shares(functools.partial(read_quietly, readers), paths,
                                        processes):
        remember(readers, results)


def register():
    signals.initialized.connect(set_defaults)
    # preread: sent by Pelican's read_file before it asks the cache, for each file; the
    # first one comes after every generator was created and every plugin initialised.
    signals.article_generator_preread.connect(read_ahead)
    signals.page_generator_preread.connect(read_ahead)
