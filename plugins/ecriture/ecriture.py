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
| ``initialized`` | default of ``ECRITURE_PROCESSUS``; Jinja's compiled templates kept in ``CACHE_PATH`` for the next build |
| ``get_writer`` | ``QueueingWriter``: Pelican's checks (overwrites, skipped outputs), rendering deferred |
| ``get_generators`` | ``FlushGenerator``: after the other generators wrote, renders the queue, then deletes the pages the previous build wrote and this one did not |
| ``deploy`` (pelican-granular-signals: after ``compress``), or left for after Pelican | with ``ECRITURE_SORTIE_EXACTE`` (production), every file of ``OUTPUT_PATH`` this build neither wrote nor kept is deleted |

What stays in the build's own process: everything Pelican and the plugins decide (which
pages exist, ``content_written`` for the sitemap, overwrite errors). What moves to the
workers: ``template.render`` and the file write of each page, and each feed whole (its
``feed_generated`` receivers included). Warnings and errors logged by a worker are
logged again by the build, so ``tools/run_pelican.py`` counts them; an exception in a
worker fails the build with the worker's traceback.

A page or feed whose text is already in ``output/`` is not written again (a warm build
rewrites almost nothing, and unchanged files keep their dates for rsync). A feed is not
even turned into XML when the file was written from the same feed: its fields and items,
once every ``feed_generated`` receiver has run, are hashed, and the hash is kept with the
file's size and date in ``CACHE_PATH`` (a third of the feeds' time in a warm build).

Left to itself (``ECRITURE_PROCESSUS = 0``), it forks no more render processes than the
memory left can hold (``render_processes``): each one copies about half of the build's
memory, and a build killed for lack of memory is worse than a slower one.

Sequential, as stock Pelican, when ``ECRITURE_PROCESSUS`` is 1, when ``RELATIVE_URLS``
is on (Pelican then changes the shared context page by page), or where ``os.fork`` does
not exist. The preview server keeps its own writer and never forks.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
import io
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field

import _memoire as memoire
import _processus as processus
import blinker
import jinja2
from jinja2 import meta
from pelican import signals
from pelican.contents import Content
from pelican.plugins import granular_signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ECRITURE_PROCESSUS": 0,  # 0: one process per available core
    "ECRITURE_CONTEXTE_REDUIT": True,  # a queued page keeps only the names templates read
    "ECRITURE_SORTIE_EXACTE": False,  # True: OUTPUT_PATH ends with this build's files only
}
ALWAYS_KEPT = frozenset({"localsiteurl", "output_file"})  # read by Pelican's writer
TEMPLATE_NAMES_MEMO = "ecriture-gabarits"  # CACHE_PATH/ecriture-gabarits.pickle
FEED_MEMO = "ecriture-flux"  # CACHE_PATH/ecriture-flux.pickle: feed hash → its file's stamp
MIN_JOBS_PER_PROCESS = 40  # below this, a fork costs more than it saves
#: What a render process ends up copying of the build's memory, as a share of it: CPython
#: writes the reference count of every object it reads, and a worker reads nearly every
#: article (lists, tags, feeds). Measured 0.44 to 0.5 at 5000 articles (115 MB against
#: 231 to 266 MB at the fork); rounded up.
RENDER_COPY_SHARE = 0.6
FEED_SIGNATURE = inspect.signature(Writer.write_feed)


def process_count(settings, jobs: int) -> int:
    """Processes for `jobs` queued pages: the setting, the cores, the queue's size."""
    return processus.process_count(int(settings.get("ECRITURE_PROCESSUS") or 0), jobs,
                                   MIN_JOBS_PER_PROCESS)


def render_processes(settings, jobs: int) -> int:
    """``process_count``, then, unless ``ECRITURE_PROCESSUS`` says how many, no more
    render processes than the memory left can hold: a 10 000-article blog built in a
    container of 1 GB renders in one process rather than being killed for lack of memory
    (a render process copies ``RENDER_COPY_SHARE`` of the build's memory)."""
    count = process_count(settings, jobs)
    if count <= 1 or int(settings.get("ECRITURE_PROCESSUS") or 0):
        return count
    resident, available = processus.resident_memory(), processus.available_memory()
    each = int(resident * RENDER_COPY_SHARE) if resident else None
    bound = processus.memory_bound(count, each, available)
    if bound < count:
        logger.info("[ecriture] rendu en %d processus au lieu de %d : %d Mo de mémoire "
                    "disponible, ≈ %d Mo par processus de rendu de plus "
                    "(ECRITURE_PROCESSUS fixe leur nombre)", bound, count,
                    available // 2**20, each // 2**20)
    return bound


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

    def run(self, writer: QueueingWriter) -> None:
        writer.write_feed_now(*self.args, **self.kwargs)


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

    def __init__(self, name: str, encoding: str, then=None):
        super().__init__()
        self.name, self.encoding_, self.then = name, encoding, then

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self.name, self.getvalue().encode(self.encoding_))
            if self.then is not None:
                self.then()
        super().close()


class _FeedUnchanged(Exception):
    """Raised by the first write of a feed whose file already holds it."""


class _AlreadyWritten(io.TextIOBase):
    """What Pelican's ``write_feed`` gets for a feed its file was written from: the
    feed's first write raises ``_FeedUnchanged``, which leaving Pelican's ``with`` block
    swallows, so the XML is never generated (and the file is not touched)."""

    def write(self, text):
        raise _FeedUnchanged

    def __exit__(self, kind, value, traceback):
        self.close()
        return kind is _FeedUnchanged


def file_stamp(path: str) -> tuple | None:
    """What tells that the file at `path` is still the one written: size, date, inode."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


@functools.cache
def code_of(cls: type) -> bytes:
    """A hash of the source files of `cls` and of its bases: a feed's XML is written by
    their methods (feedgenerator's classes, ``flux``'s RSS subclass)."""
    digest = hashlib.blake2b(digest_size=16)
    for klass in cls.__mro__:
        path = getattr(sys.modules.get(klass.__module__), "__file__", None)
        if path and klass is not object:
            digest.update(memoire.file_version(path))
    return digest.digest()


def feed_key(path: str, feed) -> bytes | None:
    """Everything the XML file of `feed` is made of: where it goes, the code of its class,
    its fields and its items. None when it cannot be hashed, or has no item (its date is
    then the time of writing): such a feed is always written."""
    if not getattr(feed, "items", None):
        return None
    try:
        state = pickle.dumps((feed.feed, feed.items), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an unpicklable field: no shortcut, nothing else
        return None
    digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(code_of(type(feed)))
    digest.update(state)
    return digest.digest()


def feed_memo_version() -> bytes:
    """The feeds' memo is emptied by a new version of this file, of Python (its XML
    writer) or of feedgenerator (its helpers, beside the classes ``code_of`` hashes)."""
    return hashlib.blake2b(
        b"\0".join([memoire.file_version(__file__), sys.version.encode(),
                    importlib.metadata.version("feedgenerator").encode()]),
        digest_size=16).digest()


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
        self.feed_to_write = None  # between ``feed_generated`` and the feed's ``_open_w``
        self.feeds_checked: dict[bytes, tuple] = {}  # this process's feeds: key → stamp

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
            return self.write_feed_now(*args, **kwargs)
        self.jobs.append(FeedJob(args, kwargs))
        path = FEED_SIGNATURE.bind(self, *args, **kwargs).arguments.get("path")
        if path:  # the worker that writes it claims it there: list it here
            self.note_produced(sanitised_join(self.output_path, path))
        return None

    def write_feed_now(self, *args, **kwargs):
        """Pelican's ``write_feed``, with the feed it generated kept for ``_open_w``,
        which decides whether its file must be written."""
        def keep(context, feed):
            self.feed_to_write = feed

        with signals.feed_generated.connected_to(keep):
            try:
                return super().write_feed(*args, **kwargs)
            finally:
                self.feed_to_write = None

    @functools.cached_property
    def feed_memo(self) -> memoire.Memo | None:
        """The feeds' memo, read at the first feed written (None without a cache)."""
        return memoire.memo_in_cache(self.settings, FEED_MEMO, feed_memo_version())

    def open_feed(self, target: str, feed, encoding: str):
        """The file object for `feed`'s XML: a sink that stops the writing when `target`
        is still the file written from this very feed, else one that writes if changed
        and notes the file's stamp."""
        memo = self.feed_memo
        key = None if memo is None else feed_key(target, feed)
        if key is None:
            return _KeptIfUnchanged(target, encoding)
        stamp = memo.remembered(key)
        if stamp is not None and stamp == file_stamp(target):
            self.feeds_checked[key] = stamp
            return _AlreadyWritten()

        def note_stamp():
            self.feeds_checked[key] = file_stamp(target)
        return _KeptIfUnchanged(target, encoding, then=note_stamp)

    def remember_feeds(self, checked_by_process) -> None:
        """Keep the stamps of the feeds every process wrote or found unchanged."""
        memo = self.__dict__.get("feed_memo")  # opened by the first feed written, if any
        if memo is None:
            return
        for checked in checked_by_process:
            for key, stamp in checked.items():
                if stamp is not None:
                    memo.put(key, stamp)
        memo.save()

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
        feed, self.feed_to_write = self.feed_to_write, None
        if target == os.devnull:
            return open(os.devnull, "w", encoding=encoding)
        if feed is not None:
            return self.open_feed(target, feed, encoding)
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

    def run_jobs(self, jobs) -> dict:
        """Render `jobs`; the stamps of the feeds written or found unchanged."""
        for job in jobs:
            job.run(self)
            forget_resolved_content()
        return self.feeds_checked

    def flush(self) -> None:
        jobs, self.jobs = self.jobs, []
        self.queueing = False  # from now on (and in the workers) write at once
        processes = render_processes(self.settings, len(jobs))
        if any(isinstance(job, FeedJob) for job in jobs):
            self.feed_memo  # noqa: B018 - read once, before the workers inherit it
        try:  # a page must not be written twice: a failed share is not done again
            checked = processus.map_shares(self.run_jobs, jobs, processes, redo_failed=False)
        except processus.WorkerFailure as failure:
            raise RuntimeError("[ecriture] un processus de rendu a échoué :\n"
                               + "\n".join(failure.failures)) from None
        self.remember_feeds(checked)  # the build's own share is the first


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
    if settings.get("DELETE_OUTPUT_DIRECTORY") or settings.get("ECRITURE_SORTIE_EXACTE"):
        return []  # nothing stale can stay: no manifest (it would be deployed)
    root = os.path.realpath(output_path)
    current = sorted(paths_inside(output_path, written))
    manifest = os.path.join(root, MANIFEST)
    removed = [relative for relative in sorted(set(read_manifest(manifest)) - set(current))
               if remove_inside(root, relative)]
    write_manifest(manifest, current)
    if removed:
        logger.info("[ecriture] %d page(s) disparue(s) supprimée(s) de %s", len(removed),
                    output_path)
    return removed


def paths_inside(output_path: str, written) -> set[str]:
    """The paths of `written` (absolute, as the writer joined them to `output_path`)
    relative to the output folder; those outside it are left out."""
    prefix = os.path.abspath(output_path) + os.sep
    return {path[len(prefix):] for path in map(os.path.abspath, written)
            if path.startswith(prefix)}


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
            written = writer._written_files | writer.produced | self.static_copies(writer)
            remove_vanished_pages(writer.output_path, written, writer.settings)
            THIS_BUILD["written"] = written
            if writer.settings.get("ECRITURE_SORTIE_EXACTE") and "started" in THIS_BUILD:
                # before the search index and the compressed copies are made from the folder
                sweep_output(sweep_job(writer.settings), spare_copies=True)

    def static_copies(self, writer) -> set[str]:
        """Where Pelican copies content/images/… (its static generator runs after us, on
        the list it already has): an image deleted from content/ leaves output/ too."""
        return {sanitised_join(writer.output_path, static.save_as)
                for static in self.context.get("staticfiles") or []
                if getattr(static, "save_as", None)}


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


TEMPLATE_CODE_FOLDER = "gabarits-compiles"  # in CACHE_PATH: Jinja's compiled templates


def compiling_options_key(environment: dict) -> str:
    """A name for Jinja's version and the environment's options: a template compiled
    with others is not the same code. An option whose ``repr`` changes from one build to
    the next (a function) only costs the compilations."""
    options = repr(sorted((name, repr(value)) for name, value in environment.items()))
    return hashlib.blake2b(f"{jinja2.__version__}\0{options}".encode(),
                           digest_size=8).hexdigest()


def keep_compiled_templates(pelican) -> None:
    """``initialized``: Jinja keeps each template it compiles in
    ``CACHE_PATH/gabarits-compiles/`` and the next build loads it from there.

    Why: Pelican makes new Jinja environments at every build, and Jinja compiles each
    template it loads (parse, generate Python, ``compile``): 0.14 s for the theme's 27
    templates in the build process of a warm 1000-article build, before and while it
    renders, plus the partials each render process compiles for itself. Jinja's own
    ``FileSystemBytecodeCache`` keys each file by the template's name and the hash of its
    source, and its code by Python's version: an edited template is compiled again. It
    does not know the options the code was compiled with (``trim_blocks``, extensions…)
    nor Jinja's own version: each set of them gets its own folder.
    Following Pelican's cache switches (both on), and leaving alone an environment that
    already has a bytecode cache (the preview keeps its own, in memory)."""
    settings = pelican.settings
    folder = settings.get("CACHE_PATH")
    environment = settings.get("JINJA_ENVIRONMENT") or {}
    if not folder or not settings.get("LOAD_CONTENT_CACHE") or not settings.get(
            "CACHE_CONTENT") or environment.get("bytecode_cache") is not None:
        return
    directory = os.path.join(folder, TEMPLATE_CODE_FOLDER, compiling_options_key(environment))
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:  # the templates are compiled as before
        logger.warning("[ecriture] gabarits compilés non gardés (%s) : %s", directory, error)
        return
    settings["JINJA_ENVIRONMENT"] = {**environment,
                                     "bytecode_cache": CompiledTemplates(directory)}


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, whose failure to write a template (full
    disk, folder made read-only) costs the next build its compilation, never this build:
    Jinja's own raises from ``get_template``. Said once per build, like the memos."""

    said = False

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            if not self.said:
                self.said = True
                logger.warning("[ecriture] gabarits compilés non gardés (%s) : %s",
                               self.directory, error)


# --- Exact output (production) -------------------------------------------------------

THIS_BUILD: dict = {}  # "started": the output folder's clock at the start; "written"


def note_the_start(pelican) -> None:
    """``initialized``: the time, on the output folder's own clock, from which a file
    written, copied or touched counts as this build's. A file's ``ctime`` changes with
    any write, copy, link or ``utime``, so what the build merely left alone keeps an
    older one."""
    THIS_BUILD.clear()
    settings = pelican.settings
    if not settings.get("ECRITURE_SORTIE_EXACTE"):
        return
    output = settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)
    marker = os.path.join(output, ".debut-de-construction")
    with open(marker, "wb"):
        pass
    THIS_BUILD["started"] = os.stat(marker).st_ctime_ns
    os.remove(marker)


def sweep_job(settings) -> SweepJob:
    return SweepJob(settings["OUTPUT_PATH"], THIS_BUILD["started"],
                    frozenset(THIS_BUILD["written"]),
                    tuple(settings.get("OUTPUT_RETENTION") or ()),
                    tuple(guarded_folders(settings)))


def sweep_when_all_is_written(pelican) -> None:
    """``deploy``, the last of pelican-granular-signals (after the precompression): the
    second sweep, or, when covers or the search index are still to be written once
    Pelican's process has ended (``_processus.leave_for_after``), the sweep after them."""
    settings = pelican.settings
    if not settings.get("ECRITURE_SORTIE_EXACTE") or "written" not in THIS_BUILD:
        return
    job = sweep_job(settings)
    if processus.LEFT_FOR_AFTER:
        processus.leave_for_after(sweep_output, job, "ecriture.sweep_output")
    else:
        sweep_output(job)


@dataclass(frozen=True)
class SweepJob:
    output: str
    started_ns: int
    written: frozenset  # absolute paths the writer wrote or was told of, unchanged or not
    retained: tuple  # OUTPUT_RETENTION: names at the top of the folder left alone
    guarded: tuple  # folders that must not be inside the output (content, cache, theme…)


COMPRESSED_SUFFIXES = (".gz", ".br", ".zst")  # the precompression plugin's copies


def is_copy_of_kept_file(root: str, relative: str, kept: set, started_ns: int) -> bool:
    base, suffix = os.path.splitext(relative)
    if suffix not in COMPRESSED_SUFFIXES:
        return False
    try:
        return base in kept or os.lstat(os.path.join(root, base)).st_ctime_ns >= started_ns
    except FileNotFoundError:
        return False


def orphan_copies(root: str, removed: list[str]) -> list[str]:
    """The compressed copies of deleted files. The precompression plugin compresses every
    text file it finds in the output, before the sweep: a page that is no longer built
    got fresh copies, which the date alone would keep."""
    return [relative + suffix for relative in removed for suffix in COMPRESSED_SUFFIXES
            if os.path.isfile(os.path.join(root, relative + suffix))]


def guarded_folders(settings) -> list[str]:
    return [folder for folder in (settings.get("PATH"), settings.get("CACHE_PATH"),
                                  settings.get("THEME"), *(settings.get("PLUGIN_PATHS") or []))
            if folder]


def sweep_output(job: SweepJob, spare_copies: bool = False) -> list[str]:
    """Delete every file of the output folder that this build did not produce, then the
    folders left empty; the relative paths deleted.

    Why: production used to empty its folder first (``DELETE_OUTPUT_DIRECTORY``), so that
    what ``rsync --delete`` mirrors is exactly what the build made: no page of a deleted
    article, no compressed copy of a page that changed, no file put there by hand. The
    price was every file deleted and written again at each publication (half of the time
    of a publication with nothing new). Here the folder is kept, unchanged files stay as
    they are, and the same guarantee comes from two sweeps: a file stays if the writer
    wrote it or found it already right (its list), or if it was written, copied or
    touched since the build started (theme, search index, sitemap, compressed copies).
    The first sweep comes once the pages are written, before the search index and the
    compressed copies are made from what is in the folder (a deleted article must not be
    indexed); it spares the compressed copies of the files that stay (``spare_copies``),
    which the precompression plugin confirms or replaces. The second, at the very end,
    takes what was not confirmed. Nothing is deleted when the output folder is ``/`` or
    holds the home folder, the content, the cache, the theme or a plugin folder."""
    root = os.path.realpath(job.output)
    for folder in (*job.guarded, os.path.expanduser("~"), os.sep):
        inside = os.path.realpath(folder)
        if inside == root or inside.startswith(root.rstrip(os.sep) + os.sep):
            logger.error("[ecriture] %s est dans le dossier de sortie %s : rien n’y est "
                         "supprimé (donnez à OUTPUT_PATH un dossier à lui)", folder, job.output)
            return []
    kept = paths_inside(job.output, job.written)
    removed = []
    for folder, subfolders, files in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        if relative_folder == ".":
            subfolders[:] = [name for name in subfolders if name not in job.retained]
            files = [name for name in files if name not in job.retained]
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.normpath(os.path.join(relative_folder, name))
            if relative in kept or os.lstat(path).st_ctime_ns >= job.started_ns:
                continue
            if spare_copies and is_copy_of_kept_file(root, relative, kept, job.started_ns):
                continue
            os.remove(path)
            removed.append(relative)
    for relative in orphan_copies(root, removed):
        os.remove(os.path.join(root, relative))
        removed.append(relative)
    for folder in sorted({os.path.dirname(os.path.join(root, relative)) for relative in removed},
                         reverse=True):
        if os.path.isdir(folder):
            remove_empty_folders(folder, root)
    if removed:
        logger.info("[ecriture] %d fichier(s) d’une construction précédente supprimé(s) "
                    "de %s", len(removed), job.output)
    return removed


def get_writer(pelican):
    return QueueingWriter


def get_generators(pelican):
    return FlushGenerator


def register():
    # initialized: the default before the writer reads it.
    signals.initialized.connect(set_defaults)
    signals.initialized.connect(keep_compiled_templates)
    signals.get_writer.connect(get_writer)
    # get_generators: keep this plugin after every plugin that writes through the writer
    # (covers) in PLUGINS, so the flush runs after them.
    signals.get_generators.connect(get_generators)
    signals.initialized.connect(note_the_start)
    granular_signals.register()  # ``deploy``: sent after ``compress``, the last of all
    blinker.signal("deploy").connect(sweep_when_all_is_written)
