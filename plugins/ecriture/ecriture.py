"""Pages and feeds rendered on every core.

Why our own: Pelican renders and writes its pages one after another in one process, and
rendering the templates is most of a warm build (the content comes from the cache). No
Pelican plugin spreads that work: the ones that looked (« parallel », « multiprocess »)
parallelise reading, which the content cache already makes cheap. Here the writer only
*queues* each page and feed while the generators run; a last generator renders the queue
in ``ECRITURE_PROCESSUS`` processes forked from the build, so every worker already has
the finished context (articles, taxonomies, templates) without pickling anything.

| hook | job |
| --- | --- |
| ``initialized`` | default of ``ECRITURE_PROCESSUS`` |
| ``get_writer`` | ``QueueingWriter``: Pelican's checks (overwrites, skipped outputs), rendering deferred |
| ``get_generators`` | ``FlushGenerator``: after the other generators wrote, renders the queue |

What stays in the build's own process: everything Pelican and the plugins decide (which
pages exist, ``content_written`` for the sitemap, overwrite errors). What moves to the
workers: ``template.render`` and the file write of each page, and each feed whole (its
``feed_generated`` receivers included). Warnings and errors logged by a worker are
logged again by the build, so ``tools/run_pelican.py`` counts them; an exception in a
worker fails the build with the worker's traceback.

A page or feed whose text is already in ``output/`` is not written again (a warm build
rewrites almost nothing, and unchanged files keep their dates for rsync).

Sequential, as stock Pelican, when ``ECRITURE_PROCESSUS`` is 1, when ``RELATIVE_URLS``
is on (Pelican then changes the shared context page by page), or where ``os.fork`` does
not exist. The preview server keeps its own writer and never forks.
"""

from __future__ import annotations

import inspect
import io
import logging
import os
from dataclasses import dataclass, field

import _memoire as memoire
import _processus as processus
import jinja2
from jinja2 import meta
from pelican import signals
from pelican.contents import Content
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ECRITURE_PROCESSUS": 0,  # 0: one process per available core
    "ECRITURE_CONTEXTE_REDUIT": True,  # a queued page keeps only the names templates read
}
ALWAYS_KEPT = frozenset({"localsiteurl", "output_file"})  # read by Pelican's writer
TEMPLATE_NAMES_MEMO = "ecriture-gabarits"  # CACHE_PATH/ecriture-gabarits.pickle
MIN_JOBS_PER_PROCESS = 40  # below this, a fork costs more than it saves
FEED_SIGNATURE = inspect.signature(Writer.write_feed)


def process_count(settings, jobs: int) -> int:
    """Processes for `jobs` queued pages: the setting, the cores, the queue's size."""
    return processus.process_count(int(settings.get("ECRITURE_PROCESSUS") or 0), jobs,
                                   MIN_JOBS_PER_PROCESS)


@dataclass
class PageJob:
    template: object
    context: dict
    path: str | None = None

    def run(self, writer: Writer) -> None:
        write_if_changed(self.path, self.template.render(self.context).encode("utf-8"))


@dataclass
class FeedJob:
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def run(self, writer: Writer) -> None:
        Writer.write_feed(writer, *self.args, **self.kwargs)


def write_if_changed(path: str, data: bytes) -> None:
    """Write `data` to `path` unless the file already holds exactly those bytes.

    Why: in a warm build almost every page comes out as it was. Reading and comparing
    costs a quarter of truncating and rewriting the file, and an unchanged page keeps its
    modification time, so a deploy by date (rsync, the preview's reload) skips it.
    """
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return
    except OSError:  # missing (first build) or unreadable: write it
        pass
    with open(path, "wb") as handle:
        handle.write(data)


class _KeptIfUnchanged(io.StringIO):
    """What Pelican's writer gets for a file to write: text gathered in memory, handed to
    ``write_if_changed`` when closed (pages written at once, and every feed)."""

    def __init__(self, name: str, encoding: str):
        super().__init__()
        self.name, self.encoding_ = name, encoding

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self.name, self.getvalue().encode(self.encoding_))
        super().close()


class _QueuedTemplate:
    """Stands for a template inside Pelican's ``write_file``: ``render`` queues the
    page and returns nothing; the real render happens when the queue is flushed."""

    def __init__(self, template, writer: QueueingWriter):
        self._template = template
        self._writer = writer

    def render(self, context):
        self._writer.jobs.append(PageJob(self._template, context))
        self._writer.awaiting_path = True
        return ""

    def __getattr__(self, name):
        return getattr(self._template, name)


def names_templates_read(environment, memo: memoire.Memo | None = None) -> frozenset[str] | None:
    """Every variable some template of `environment` reads from its context, or None
    when a template cannot be parsed (the page then keeps its whole context).

    Why: Pelican gives each page a copy of its whole context (every setting, about 230
    names) and a queued page keeps that copy until the flush: 13 MB per 1000 articles,
    inherited by every worker. The names come from the templates' source
    (``jinja2.meta``), so a name any template mentions is kept. Parsing the theme's 70
    templates costs half a second, so the names of each source are remembered in `memo`
    (``plugins/_memoire``, by a hash of the source) for the next build.
    """
    def names_in(source: str) -> list[str]:
        return sorted(meta.find_undeclared_variables(environment.parse(source)))

    names = set(ALWAYS_KEPT)
    try:
        for name in environment.list_templates():
            source, _, _ = environment.loader.get_source(environment, name)
            names.update(memo.get(memoire.text_key(source), names_in, source) if memo is not None
                         else names_in(source))
    except Exception as error:  # noqa: BLE001 - a broken template is reported by Jinja later
        logger.debug("[ecriture] contexte complet gardé : %s", error)
        return None
    if memo is not None:
        memo.save()
    return frozenset(names)


class QueueingWriter(Writer):
    """Pelican's Writer whose pages and feeds are rendered later, by ``flush``."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.jobs: list[PageJob | FeedJob] = []
        self.template_names: dict[int, tuple] = {}  # id(env) → (env, names or None)
        self.awaiting_path = False
        self.queueing = (process_count(self.settings, 10**9) > 1
                         and not self.settings.get("RELATIVE_URLS"))
        self.produced: set[str] = set()  # files other plugins generated (covers)

    def note_produced(self, path: str) -> None:
        """A generated file written without the writer (a cover image): listed with the
        pages, so it is deleted like them once a build no longer produces it."""
        self.produced.add(path)

    def write_file(self, name, template, context, *args, **kwargs):
        if self.queueing:
            context = self.reduced(context, template)
            template = _QueuedTemplate(template, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def reduced(self, context: dict, template) -> dict:
        """`context` without the names no template reads (page variables such as
        ``article`` come as keyword arguments and are always kept)."""
        environment = getattr(template, "environment", None)
        if not self.settings.get("ECRITURE_CONTEXTE_REDUIT", True) or environment is None \
                or environment.loader is None:
            return context
        if id(environment) not in self.template_names:  # one environment per generator
            memo = memoire.memo_in_cache(self.settings, TEMPLATE_NAMES_MEMO,
                                         jinja2.__version__.encode())
            self.template_names[id(environment)] = (
                environment, names_templates_read(environment, memo))
        names = self.template_names[id(environment)][1]
        if names is None:
            return context
        return {name: value for name, value in context.items() if name in names}

    def write_feed(self, *args, **kwargs):
        if not self.queueing:
            return super().write_feed(*args, **kwargs)
        self.jobs.append(FeedJob(args, kwargs))
        path = FEED_SIGNATURE.bind(self, *args, **kwargs).arguments.get("path")
        if path:  # the worker that writes it claims it there: list it here
            self.note_produced(sanitised_join(self.output_path, path))
        return None

    def _open_w(self, filename, encoding, override=False):
        """Pelican's rule decides whether `filename` may be written; the file itself is
        only touched when its text is known: a queued page learns where it goes (or is
        dropped when an earlier page with ``override`` won), anything else is written
        if it changed."""
        target = self.claim(filename, override)
        if self.awaiting_path:
            self.awaiting_path = False
            if target == os.devnull:
                self.jobs.pop()
            else:
                self.jobs[-1].path = target
            return open(os.devnull, "w", encoding=encoding)
        if target == os.devnull:
            return open(os.devnull, "w", encoding=encoding)
        return _KeptIfUnchanged(target, encoding)

    def claim(self, filename: str, override: bool) -> str:
        """Where a write to `filename` goes, by the rule of Pelican's ``Writer._open_w``
        (which opens, and so truncates, the file as it decides): a path is written once,
        except that one write with ``override`` replaces the others and wins over the
        writes after it (they go to ``os.devnull``); a second ``override`` is an error."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f"Failed to overwrite \"{filename}\" a second time "
                    "(was previously overwritten)")
            logger.info('Skipping "%s", not overwriting', filename)
            return os.devnull
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f"Failed to overwrite \"{filename}\" as Pelican has already written "
                    "to it previously (set `override=True` if intended)")
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return filename

    def run_jobs(self, jobs) -> None:
        for job in jobs:
            job.run(self)
            forget_resolved_content()

    def flush(self) -> None:
        jobs, self.jobs = self.jobs, []
        self.queueing = False  # from now on (and in the workers) write at once
        processes = process_count(self.settings, len(jobs))
        try:  # a page must not be written twice: a failed share is not done again
            processus.map_shares(self.run_jobs, jobs, processes, redo_failed=False)
        except processus.WorkerFailure as failure:
            raise RuntimeError("[ecriture] un processus de rendu a échoué :\n"
                               + "\n".join(failure.failures)) from None


def forget_resolved_content() -> None:
    """Empty Pelican's memo of ``Content.get_content`` (each text with its links
    resolved, kept for every article and page it was asked for).

    Why: the page of an article reads its text once and no other page reads it; the
    feeds that carry it ask once more (``flux`` keeps its own copy). Kept, a render
    process held the text of every article it rendered until it ended (≈ 11 MB per
    process at 5000 articles); forgotten after each page, a second read resolves the
    links again (a fraction of a millisecond)."""
    Content.get_content.cache.clear()


MANIFEST = ".pages-ecrites.txt"  # in OUTPUT_PATH: the pages and feeds of the last build


def remove_vanished_pages(output_path: str, written, settings) -> list[str]:
    """Delete the pages and feeds the previous build wrote and this one did not.

    Why: outside production (``DELETE_OUTPUT_DIRECTORY`` off, so unchanged files stay
    and are not rewritten), a page that no longer exists stayed in ``output/`` forever: a
    draft shown once with ``--drafts``, the old address of a renamed slug, the page of a
    tag nobody uses any more, an image deleted from content/. ``invoke serve`` served it and
    the search index found it. Only files listed in the previous manifest are candidates,
    so nothing a build did not write itself (or was told of, ``note_produced``, or copied
    from content/) is ever touched (the theme's files, the search index, a file put there
    by hand), and nothing outside ``output_path``. The
    preview (``tools/preview.py``) writes the same manifest for the pages it publishes."""
    if settings.get("DELETE_OUTPUT_DIRECTORY"):  # nothing can be stale: no manifest
        return []
    root = os.path.realpath(output_path)
    prefix = os.path.abspath(output_path) + os.sep  # the writer joined every path to it
    current = sorted({path[len(prefix):] for path in map(os.path.abspath, written)
                      if path.startswith(prefix)})
    manifest = os.path.join(root, MANIFEST)
    removed = [relative for relative in sorted(set(read_manifest(manifest)) - set(current))
               if remove_inside(root, relative)]
    write_manifest(manifest, current)
    if removed:
        logger.info("[ecriture] %d page(s) disparue(s) supprimée(s) de %s", len(removed),
                    output_path)
    return removed


def read_manifest(manifest: str) -> list[str]:
    try:
        with open(manifest, encoding="utf-8") as handle:
            return [line for line in handle.read().splitlines() if line]
    except OSError:  # first build in this folder
        return []


def write_manifest(manifest: str, relatives) -> None:
    temporary = manifest + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("".join(f"{relative}\n" for relative in relatives))
    os.replace(temporary, manifest)


def remove_inside(root: str, relative: str) -> bool:
    """Delete `root/relative` if it is a file inside `root`, then its folders left empty."""
    target = os.path.realpath(os.path.join(root, relative))
    if not target.startswith(root + os.sep) or not os.path.isfile(target):
        return False
    os.remove(target)
    remove_empty_folders(os.path.dirname(target), root)
    return True


def remove_empty_folders(folder, root) -> None:
    """`folder` and its parents up to `root` (excluded) while they are empty: a vanished
    page must leave no folder behind (a server would list it instead of a 404). Also used
    by the preview (``tools/preview.py``)."""
    folder, root = os.path.realpath(folder), os.path.realpath(root)
    while folder.startswith(root + os.sep) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


class FlushGenerator:
    """Last of the plugin generators: the queue is rendered once everything is queued,
    then pages the previous build wrote and this one did not are deleted."""

    def __init__(self, context=None, *args, **kwargs):
        self.context = context or {}

    def generate_output(self, writer) -> None:
        flush = getattr(writer, "flush", None)  # the preview server has its own writer
        if flush is not None:
            flush()
            remove_vanished_pages(writer.output_path,
                                  writer._written_files | writer.produced | self.static_copies(writer),
                                  writer.settings)

    def static_copies(self, writer) -> set[str]:
        """Where Pelican copies content/images/… (its static generator runs after us, on
        the list it already has): an image deleted from content/ leaves output/ too."""
        return {sanitised_join(writer.output_path, static.save_as)
                for static in self.context.get("staticfiles") or []
                if getattr(static, "save_as", None)}


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_writer(pelican):
    return QueueingWriter


def get_generators(pelican):
    return FlushGenerator


def register():
    # initialized: the default before the writer reads it.
    signals.initialized.connect(set_defaults)
    signals.get_writer.connect(get_writer)
    # get_generators: keep this plugin after every plugin that writes through the writer
    # (covers) in PLUGINS, so the flush runs after them.
    signals.get_generators.connect(get_generators)
