"""The images of one build: those to draw, and where each file goes in ``output/``.

Why apart from ``covers.py``, and free of Pelican: a ``CoverBatch`` is plain data, so it
can cross to another process. With ``COVERS_DEFERRED`` (``tools/run_pelican.py`` sets
it), the build leaves ``complete(batch)`` for after Pelican's process has ended
(``_processus.leave_for_after``): the drawing processes are then forked from the
runner's small process, not from the build that holds every article. At 5000 articles
each of them had copied ≈ 35 MB of the build's memory on top of its own ≈ 70 MB
(fonts, backgrounds, text widths), and the build (≈ 170 MB) waited beside them: the
peak of a cold build. Without the setting (``pelican`` alone, the preview server,
Windows), the generator starts the drawing at once and publishes the files in its
``generate_output``, as before.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field

import _memoire as memoire

# Imported where they are used: a warm build draws nothing, and the runner would import
# Pillow and the drawing code for nothing (≈ 0.15 s of every build): ``drawing``,
# ``concurrent.futures``, ``multiprocessing``.

logger = logging.getLogger(__name__)
LOG = "[covers] "


class CoverError(Exception):
    """A bug or a setting, not the writer's content: the build stops with a
    traceback. Content mistakes are reported (frontmatter's ``report_after_reading``) instead."""


def directory_inodes(directory: str) -> dict[str, int]:
    """File name → inode number for one folder, from a single listing (on
    Linux and macOS the inode comes with the directory entry: no stat call)."""
    try:
        with os.scandir(directory) as entries:
            return {entry.name: entry.inode() for entry in entries}
    except FileNotFoundError:
        return {}


def palette_order(miss) -> tuple:
    """Sort key grouping the jobs of one palette together. A worker keeps the last few
    full-size backgrounds and motif colours it painted (``drawing._background_cached``,
    ``drawing._solid``: 3 MB each); jobs dealt in date order made each worker keep one
    per palette and direction, ≈ 140 MB per worker at 1000 articles, the peak of a cold
    build. Grouped, a handful suffice and the images are the same."""
    what = miss[2]  # a CoverSpec, or a supplied image's (source, focus)
    return (0, ()) if isinstance(what, tuple) else (1, what.palette.as_tuple())


def _run_chunk(jobs) -> list:
    """Worker entry point: a few jobs per task keeps inter-process traffic low."""
    from . import drawing

    return [drawing.run_job(job) for job in jobs]


@dataclass
class CoverBatch:
    """What one build must have in ``output/``, as plain data.

    ``misses`` are the drawing jobs (``drawing.run_job``'s tuples) of the images absent
    from the cache, in palette order; ``outputs`` every (cache file, output path
    relative to ``output_path``) pair to publish; ``cache_inodes`` the cache folder as
    listed before drawing (what was already there, with its inodes)."""

    cache_dir: str
    output_path: str
    misses: list
    outputs: list
    cache_inodes: dict
    workers: int = 1
    link: bool = True
    keep_days: float | None = 30
    stats: dict = field(default_factory=lambda: {"rendered": 0, "cached": 0, "written": 0,
                                                 "skipped": 0})
    own_time: float = 0.0  # seconds spent in the build's process (keys, listings)

    def start(self) -> DrawingRun:
        """Draw the misses: in a process pool when there are several workers and
        several misses, else in this process when waited for."""
        workers = max(1, min(self.workers, len(self.misses)))
        if self.misses:
            logger.info(LOG + "%d image(s) à produire (%d en cache), %d processus",
                        len(self.misses), self.stats["cached"], workers)
        return DrawingRun.start(self.misses, workers)

    def linked_outputs(self) -> set[str]:
        """Output files (relative paths) that already are hard links to their
        cache file: what a warm build finds. One directory listing per output
        folder replaces a link attempt and two stat calls per file (4000 files
        for 1000 articles). Inode numbers are compared only between folders of
        the same file system, where they identify a file."""
        cache_device = os.stat(self.cache_dir).st_dev
        listings: dict[str, dict[str, int] | None] = {}
        linked = set()
        for cache_path, rel in self.outputs:
            folder, _, filename = rel.rpartition("/")
            if folder not in listings:
                path = os.path.join(self.output_path, folder)
                try:
                    same_device = os.stat(path).st_dev == cache_device
                except FileNotFoundError:
                    same_device = False
                listings[folder] = directory_inodes(path) if same_device else None
            listing = listings[folder]
            inode = listing.get(filename) if listing else None
            if inode is not None and inode == self.cache_inodes.get(os.path.basename(cache_path)):
                linked.add(rel)
        return linked

    def publish(self) -> None:
        """Link (or copy) every cached file to its place in ``output/``."""
        linked = self.linked_outputs() if self.link else set()
        for cache_path, rel in self.outputs:
            if rel in linked:
                self.stats["skipped"] += 1
            elif memoire.publish(cache_path, os.path.join(self.output_path, rel), self.link):
                self.stats["written"] += 1
            else:
                self.stats["skipped"] += 1

    def prune(self) -> int:
        """Delete cached images this build did not use and that are older than
        ``COVERS_CACHE_KEEP_DAYS``: each change of title, design, Pillow or encoder
        settings leaves a whole set of stale files (≈ 150 MB per 1000 articles)
        that no key will ever name again. The age spares a second configuration
        sharing the cache (``publishconf.py`` draws other cards): at worst its
        older cards are drawn again once. Output files are hard links, so they
        stay whole. Also removes temporary files a killed build left behind."""
        if self.keep_days is None:
            return 0
        used = {os.path.basename(cache_path) for cache_path, _ in self.outputs}
        now = time.time()
        oldest_kept = now - float(self.keep_days) * 86400
        removed = 0
        for name in self.cache_inodes.keys() - used:  # what this build rendered is used
            temporary = name.startswith(".tmp-")
            if not (temporary or name.endswith((".jpg", ".webp"))):
                continue  # sources.json, dates.pickle
            path = os.path.join(self.cache_dir, name)
            try:
                if os.stat(path).st_mtime < (now - 86400 if temporary else oldest_kept):
                    os.unlink(path)
                    removed += 1
            except FileNotFoundError:  # another build removed it first
                pass
        return removed

    def finish(self, run: DrawingRun, started: float) -> None:
        """Wait for the drawing, publish, prune, and say what was done."""
        run.wait()
        self.publish()
        removed = self.prune()
        if removed:
            logger.info(LOG + "%d image(s) périmée(s) retirée(s) du cache", removed)
        logger.info(
            LOG + "%d image(s) dessinée(s), %d reprise(s) du cache ; %d fichier(s) publié(s), %d déjà à jour (%.2f s)",
            self.stats["rendered"], self.stats["cached"], self.stats["written"],
            self.stats["skipped"], self.own_time + time.perf_counter() - started)


def complete(batch: CoverBatch) -> None:
    """The whole batch, once Pelican is done (``COVERS_DEFERRED``): draw, publish, prune."""
    started = time.perf_counter()
    batch.finish(batch.start(), started)


class DrawingRun:
    """Jobs being drawn: a process pool's futures, or jobs left for ``wait``."""

    def __init__(self, pool=None, futures=(), pending=()):
        self.pool, self.futures, self.pending = pool, list(futures), list(pending)

    @classmethod
    def start(cls, misses: list, workers: int) -> DrawingRun:
        """Submit `misses` to `workers` processes now, so they draw while the caller
        goes on; one worker (``CoverBatch.start`` gives one for a single miss) draws in
        this process, in ``wait`` (a pool would cost more than the image)."""
        if workers <= 1:
            return cls(pending=misses)
        import concurrent.futures
        import multiprocessing

        from . import drawing  # noqa: F401  (imported once here, not in each worker)

        methods = multiprocessing.get_all_start_methods()
        # fork: the workers inherit this already-imported plugin (Pelican loads
        # plugins from PLUGIN_PATHS without putting them on sys.path, so a
        # spawned interpreter could not import it).
        mp_context = multiprocessing.get_context("fork") if "fork" in methods else None
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=mp_context)
        chunk = max(1, min(8, len(misses) // (workers * 4)))
        futures = [pool.submit(_run_chunk, misses[start : start + chunk])
                   for start in range(0, len(misses), chunk)]
        return cls(pool, futures)

    def wait(self) -> None:
        try:
            if self.pending:
                _run_chunk(self.pending)
            if self.futures:
                import concurrent.futures

                for future in concurrent.futures.as_completed(self.futures):
                    future.result()
        except Exception as exc:
            raise CoverError(f"échec du rendu d’une couverture : {exc}") from exc
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = None
            self.pending, self.futures = [], []
