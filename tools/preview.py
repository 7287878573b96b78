"""Preview builds: one full Pelican build, then after each edit only what the edit changes.

Why our own: Pelican 4.12 re-reads, re-renders and re-writes every page on every change
(``WRITE_SELECTED`` was removed, and its content cache still re-renders every template).
On a 1000-article blog that is ten seconds or more between saving a file and seeing it.
``PreviewBuilder`` keeps Pelican in this process and remembers three things between builds:

| memory | what it saves |
| --- | --- |
| the content objects (per source file, keyed by mtime and size) | Markdown, front-matter validation and every ``content_object_init`` plugin run again only for edited files |
| a *signature* per output file: the sources its page shows, in order | a page is rendered again only when its signature changed or names an edited source (the article itself, the home, category and tag pages and feeds that list it, its neighbours) |
| the list of output files of the last good build | a page that no longer exists (slug or tag renamed, pagination shorter) is deleted |
| the *site signature*: tags and categories with their counts, static pages | when an edit changes the tag cloud or the category menu every page shows, every page is rendered (content still read from memory) |
| the compiled templates | Pelican makes a Jinja environment per generator and build; compiling the theme again would cost more than the pages |

Pages whose signature is unknown (archives, tag cloud, search, 404, robots, sitemap…) are
cheap and always written. The search index (pagefind over every page) is written by full
builds, and after a one-article build in the background (``refresh_search``). A change outside ``content/`` (theme, plugins, configuration) gives a
full build, with the plugin modules reloaded so an edited plugin really runs.

Pelican writes into a *staging* folder (under the cache folder); only a build without
errors copies what changed into the served folder, file by file with an atomic rename, so
a content error leaves the last good build in the browser. Every build also writes
``_preview-status.json`` into the served folder: ``theme/preview/js/preview.js`` (only in
preview pages) shows its errors in a banner.

    builder = PreviewBuilder(Path("content"), Path("output"), Path("pelicanconf.py"))
    builder.build()                                   # full build
    result = builder.rebuild([Path("content/x.md")])  # after an edit
    result.ok, result.seconds, result.written, result.errors
"""

from __future__ import annotations

import copy
import filecmp
import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import time
import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from tools.francais import seconds

STATUS_FILE = "_preview-status.json"
PREVIEW_DEFAULTS = {
    "SHOW_DRAFTS": True,
    # Pages load theme/preview/js/preview.js (reload, error banner) only when served by
    # tools/preview_server.py: elsewhere its requests would only give 404s.
    "PREVIEW_LIVE_RELOAD": True,
    "DELETE_OUTPUT_DIRECTORY": False,
    "LOAD_CONTENT_CACHE": False,  # our memory replaces Pelican's pickled cache
    "CACHE_CONTENT": False,
    "LECTURE_PROCESSUS": 1,  # never fork a server that runs threads (see lecture_parallele)
}
# Folder of the theme copied beside its static files in preview builds only: the
# script that reloads the page and shows build errors has no use on a published site.
PREVIEW_ASSETS = "preview"
# Incremental builds only: whole-site post-processing that a one-article edit does not
# need at once. The search index (pagefind over every page) is refreshed after the build,
# in the background (``refresh_search``), and by full builds.
INCREMENTAL_OVERRIDES = {"SEARCH_ENABLED": False}
# Content attributes holding other content objects a page shows (titles, links).
NEIGHBOUR_ATTRIBUTES = (
    "prev_article", "next_article", "prev_article_in_category", "next_article_in_category",
    "related_articles", "related_posts", "translations",
)

@dataclass
class BuildResult:
    """What one build did; ``written`` and ``deleted`` are paths in the served folder."""

    ok: bool
    seconds: float
    full: bool
    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0  # pages and feeds rendered through the templates
    planned: int = 0   # pages and feeds the site has in all

    def summary(self) -> str:
        kind = "complète" if self.full else "partielle"
        took = seconds(self.seconds, digits=2)
        if not self.ok:
            return (f"Construction {kind} en échec en {took} s : "
                    f"{len(self.errors)} erreur(s) ; la dernière version valide reste servie.")
        return (f"Construction {kind} en {took} s : {self.rendered}/{self.planned} "
                f"pages rendues, {len(self.written)} fichier(s) mis à jour.")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept between builds (Jinja checks the source checksum, so an
    edited template is compiled again): Pelican makes a new Environment per generator
    and per build, and compiling the theme costs more than rendering a few pages."""

    def __init__(self):
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket):
        self.stored[bucket.key] = bucket.bytecode_to_string()


class _RecordingHandler(logging.Handler):
    """Collects warnings and errors of one build, formatted as the runner prints them."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


# --- Content memory -------------------------------------------------------------------

class ContentMemory:
    """Content objects of the previous build, reused while their source file is unchanged.

    The snapshot is taken right after reading (``cache_data``), before any finalizer
    attaches categories, neighbours or related articles, and each build gets a fresh
    copy: no state leaks from one build to the next.
    """

    def __init__(self):
        self._objects: dict[str, tuple[tuple, object, dict]] = {}
        self.misses: set[str] = set()

    def clear(self):
        self._objects.clear()

    def start_build(self):
        self.misses = set()

    @staticmethod
    def stamp(path: str) -> tuple:
        try:
            info = os.stat(path)
        except OSError:
            return ()
        return (info.st_mtime_ns, info.st_size)

    def get(self, path: str, context: dict, default=None):
        entry = self._objects.get(path)
        if entry is None or entry[0] != self.stamp(path):
            self.misses.add(path)
            return default
        _, original, state = entry
        fresh = copy.copy(original)
        fresh.__dict__ = _copy_state(state)
        if "_context" in fresh.__dict__:
            fresh._context = context
        return fresh

    def put(self, path: str, content) -> None:
        self._objects[path] = (self.stamp(path), content, _copy_state(content.__dict__))


def _copy_state(state: dict) -> dict:
    """One level deeper than a shallow copy: lists and dicts of a content are its own."""
    return {key: copy.copy(value) if isinstance(value, (list, dict, set)) else value
            for key, value in state.items()}


def _absolute(base: str, filename: str) -> str:
    """The form of ``content.source_path`` (get_files yields ``./name.md``)."""
    return os.path.normpath(os.path.join(base, filename))


def _remembering(generator_class, memory: ContentMemory):
    """A subclass of a caching generator that reads unchanged files from ``memory``."""

    class Remembering(generator_class):
        def get_cached_data(self, filename, default=None):
            return memory.get(_absolute(self.path, filename), self.context, default)

        def cache_data(self, filename, data):
            memory.put(_absolute(self.path, filename), data)

        def save_cache(self):
            """Nothing to pickle: the memory lives as long as the builder."""

    Remembering.__name__ = generator_class.__name__
    Remembering.__qualname__ = generator_class.__qualname__
    return Remembering


# --- Selective writing ----------------------------------------------------------------

def _source(content) -> str | None:
    return getattr(content, "source_path", None)


def _sources(items) -> tuple:
    return tuple(s for s in (_source(item) for item in items or ()) if s)


def page_signature(localcontext: dict):
    """The sources a rendered page shows, in order; None when unknown (always render)."""
    article = localcontext.get("article") or localcontext.get("page")
    if article is not None:
        shown = []
        for attribute in NEIGHBOUR_ATTRIBUTES:
            value = getattr(article, attribute, None)
            if isinstance(value, (list, tuple)):
                shown.extend(_sources(value))
            elif _source(value):
                shown.append(_source(value))
        return ("content", _source(article), tuple(shown))
    page = localcontext.get("articles_page")
    if page is not None:
        paginator = localcontext.get("articles_paginator")
        return ("list", _sources(page.object_list), getattr(paginator, "num_pages", 1),
                str(localcontext.get("category") or localcontext.get("tag") or ""))
    return None


def site_signature(context: dict) -> tuple:
    """What every page shows in its header and footer: the tag cloud and the category
    tree (with counts), the static pages. When it changes, every page is rendered."""
    parts = []
    for key in ("tags", "categories"):
        value = context.get(key) or ()
        pairs = value.items() if isinstance(value, dict) else value
        try:
            parts.append(tuple(sorted((str(getattr(item, "slug", item)), len(listed))
                                      for item, listed in pairs)))
        except (TypeError, ValueError):
            parts.append(repr(value))
    parts.append(tuple((_source(page), str(getattr(page, "title", "")))
                       for page in context.get("pages") or ()))
    return tuple(parts)


class BuildPlan:
    """Decides, page by page, whether to render; remembers what each page showed."""

    def __init__(self, full: bool, dirty: set[str], previous: dict, forced: set[str],
                 previous_site=None):
        self.full = full
        self.dirty = dirty
        self.previous = previous
        self.forced = forced
        self.previous_site = previous_site
        self.site = None
        self.site_wide = False
        self.signatures: dict[str, object] = {}
        self.rendered: set[str] = set()
        self.skipped: set[str] = set()
        self.produced: set[str] = set()  # other files plugins said they made (covers, CSS bundle)

    def observe_site(self, context: dict) -> None:
        """Once per build, from the first page's context."""
        if self.site is None:
            self.site = site_signature(context)
            self.site_wide = self.site != self.previous_site

    def wants(self, path: str, signature) -> bool:
        self.signatures[path] = signature
        render = (
            self.full or self.site_wide or signature is None or path in self.forced
            or self.previous.get(path, "unknown") != signature
            or bool(self.dirty.intersection(_flatten(signature)))
        )
        (self.rendered if render else self.skipped).add(path)
        return render


def _flatten(signature) -> set[str]:
    found = set()
    for part in signature:
        if isinstance(part, tuple):
            found.update(p for p in part if isinstance(p, str))
        elif isinstance(part, str):
            found.add(part)
    return found


class _SelectiveTemplate:
    """Stands for a Jinja template: renders only when the plan wants this page."""

    def __init__(self, template, plan: BuildPlan, output_path: str):
        self._template = template
        self._plan = plan
        self._output_path = output_path

    def render(self, localcontext):
        from pelican.utils import sanitised_join

        path = sanitised_join(self._output_path, localcontext["output_file"])
        self._plan.observe_site(localcontext)
        if self._plan.wants(path, page_signature(localcontext)):
            return self._template.render(localcontext)
        return ""

    def __getattr__(self, name):
        return getattr(self._template, name)


def selective_writer_class(plan: BuildPlan):
    """Pelican's Writer, skipping pages and feeds whose content did not change."""
    from pelican.utils import sanitised_join
    from pelican.writers import Writer

    class SelectiveWriter(Writer):
        def write_file(self, name, template, context, *args, **kwargs):
            proxy = _SelectiveTemplate(template, plan, self.output_path)
            return super().write_file(name, proxy, context, *args, **kwargs)

        def write_feed(self, elements, context, path=None, url=None, *args, **kwargs):
            if path:
                limit = self.settings.get("FEED_MAX_ITEMS")
                signature = ("feed", _sources(list(elements)[:limit]))
                if not plan.wants(sanitised_join(self.output_path, path), signature):
                    return None
            return super().write_feed(elements, context, path, url, *args, **kwargs)

        def note_produced(self, path: str) -> None:
            """A plugin's own output (``ecriture``'s interface): a cover whose article
            was renamed or deleted is then removed from the preview too."""
            plan.produced.add(path)

        def _open_w(self, filename, encoding, override=False):
            if filename in plan.skipped:
                # Rendering was skipped: the staging file from the last build is current.
                self._written_files.add(filename)
                return open(os.devnull, "w", encoding=encoding)
            return super()._open_w(filename, encoding, override)

    return SelectiveWriter


# --- Plugins reloaded after an edit ---------------------------------------------------

def forget_plugins(plugin_paths: list[str], config_modules=("pelicanconf", "publishconf")):
    """Unload our plugins (and the configuration modules publishconf imports), so the
    next build imports the edited code. Their receivers are already disconnected: every
    build disconnects what it registered."""
    roots = [os.path.realpath(p) + os.sep for p in plugin_paths]
    for name, module in list(sys.modules.items()):
        location = os.path.realpath(getattr(module, "__file__", None) or "")
        if name in config_modules or any(location.startswith(root) for root in roots):
            del sys.modules[name]


def _pelican_signals():
    from blinker import Signal
    from pelican.plugins import signals

    return [value for value in vars(signals).values() if isinstance(value, Signal)]


def connected_receivers() -> dict:
    return {signal: set(signal.receivers) for signal in _pelican_signals()}


def disconnect_new_receivers(before: dict) -> None:
    """Leave the process as found: the plugins a build registered are disconnected, so
    another Pelican run in this process (a test, a second builder) does not run them."""
    for signal in _pelican_signals():
        for key, receiver in list(signal.receivers.items()):
            if key not in before.get(signal, ()):
                target = receiver() if isinstance(receiver, weakref.ref) else receiver
                if target is not None:
                    signal.disconnect(target)


def reset_stock_plugin_state():
    """pelican-sitemap keeps a queue in a module global, reset only when a build ends
    normally: after a failed build it would never write a sitemap again."""
    sitemap = sys.modules.get("pelican.plugins.sitemap.sitemap")
    generator = getattr(sitemap, "generator", None)
    if generator is not None:
        generator.page_queue = []
        generator._main_pelican = None


# --- The builder ----------------------------------------------------------------------

class PreviewBuilder:
    """Builds the preview of ``content`` into ``output``, incrementally after the first time."""

    def __init__(self, content: Path, output: Path, settings_file: Path,
                 extra: dict | None = None):
        self.content = Path(content).resolve()
        self.output = Path(output).resolve()
        self.settings_file = Path(settings_file).resolve()
        self.extra = dict(extra or {})
        self.memory = ContentMemory()
        self.templates = MemoryBytecodeCache()
        self.status_lock = threading.Lock()  # builds and background checks both write it
        self.search_lock = threading.Lock()  # one search index written at a time
        self.search_wanted = False  # SEARCH_ENABLED as configured (incremental builds turn it off)
        self.signatures: dict[str, object] = {}  # staging path → signature (last good build)
        self.planned: set[str] = set()           # staging paths of the last good build
        self.produced: set[str] = set()          # plugins' other files in that build
        self.site = None                         # site_signature of the last good build
        self.pending_pages: set[str] = set()     # rendered by failed builds since
        self.pending_files: set[str] = set()     # changed by failed builds since
        self.has_good_build = False
        self.plugins_changed = False
        self.settings: dict = {}
        self.staging = self._staging_folder()
        self.last_result: BuildResult | None = None
        self.last_checks: dict | None = None

    # -- public API --
    def build(self) -> BuildResult:
        """Full build: everything read and rendered again (memory cleared)."""
        self.memory.clear()
        return self._run(full=True)

    def rebuild(self, changed: list[Path]) -> BuildResult:
        """Build after ``changed`` files: incremental when all are inside ``content/``."""
        changed = [Path(p).resolve() for p in changed]
        outside = [p for p in changed if self.content not in p.parents and p != self.content]
        plugin_dirs = [Path(p).resolve() for p in self.settings.get("PLUGIN_PATHS", [])]
        if any(d in p.parents for p in outside for d in plugin_dirs) or any(
                p.suffix == ".py" and p.parent == self.settings_file.parent for p in outside):
            self.plugins_changed = True
        if outside or not self.has_good_build:
            return self.build()
        return self._run(full=False)

    # -- internals --
    def _staging_folder(self) -> Path:
        digest = hashlib.sha1(str(self.output).encode()).hexdigest()[:10]
        cache = self._read_settings().get("CACHE_PATH") or str(self.output.parent / ".cache")
        return Path(cache).resolve() / "preview" / f"{self.output.name}-{digest}"

    def _read_settings(self) -> dict:
        from pelican.settings import read_settings

        override = {**PREVIEW_DEFAULTS, **self.extra, "PATH": str(self.content),
                    "OUTPUT_PATH": str(getattr(self, "staging", self.output))}
        settings = read_settings(str(self.settings_file), override=override)
        settings["THEME_STATIC_PATHS"] = [*settings["THEME_STATIC_PATHS"], PREVIEW_ASSETS]
        return settings

    def _run(self, full: bool) -> BuildResult:
        started = time.perf_counter()
        self.staging.mkdir(parents=True, exist_ok=True)
        before = snapshot(self.staging)
        handler = _RecordingHandler()
        root = logging.getLogger()
        previous_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        plan = BuildPlan(full, set(), {} if full else self.signatures, self.pending_pages,
                         None if full else self.site)
        try:
            self._pelican_run(plan)
        except Exception as error:  # a plugin or template bug must not stop the preview
            handler.errors.append(_describe(error))
        finally:
            root.removeHandler(handler)
            root.setLevel(previous_level)
        changed = changed_files(before, snapshot(self.staging))
        result = BuildResult(ok=not handler.errors, seconds=0.0, full=full,
                             errors=handler.errors, warnings=handler.warnings,
                             rendered=len(plan.rendered),
                             planned=len(plan.rendered) + len(plan.skipped))
        if result.ok or not self.has_good_build:
            self._publish(plan, changed, result)
        else:
            self.pending_pages |= plan.rendered
            self.pending_files |= changed
        result.seconds = time.perf_counter() - started
        self.write_status(result)
        self.last_result = result
        return result

    def _pelican_run(self, plan: BuildPlan) -> None:
        from pelican import Pelican
        from pelican.generators import CachingGenerator

        if self.plugins_changed:
            forget_plugins(self.settings.get("PLUGIN_PATHS", []))
            self.plugins_changed = False
        self.settings = self._read_settings()
        self.search_wanted = self.settings.get("SEARCH_ENABLED", True)
        if not plan.full:
            for key, value in INCREMENTAL_OVERRIDES.items():
                if key not in self.extra:  # the caller's settings win
                    self.settings[key] = value
        self.settings["JINJA_ENVIRONMENT"] = {**self.settings.get("JINJA_ENVIRONMENT", {}),
                                              "bytecode_cache": self.templates}
        reset_stock_plugin_state()
        memory, writer_class = self.memory, selective_writer_class(plan)
        memory.start_build()

        class PreviewPelican(Pelican):
            def _get_generator_classes(self):
                return [_remembering(cls, memory) if issubclass(cls, CachingGenerator) else cls
                        for cls in super()._get_generator_classes()]

            def _get_writer(self):
                return writer_class(self.output_path, settings=self.settings)

        before = connected_receivers()
        try:
            pelican = PreviewPelican(self.settings)
            # Files read again are the edited ones: everything showing them is rendered.
            plan.dirty = memory.misses
            _run_quietly(pelican)
        finally:
            disconnect_new_receivers(before)

    def _publish(self, plan: BuildPlan, changed: set[str], result: BuildResult) -> None:
        """Copy the good build into the served folder; forget pages that disappeared."""
        from ecriture.ecriture import remove_empty_folders  # plugins/ is on sys.path

        planned = plan.rendered | plan.skipped
        gone = ((self.planned - planned) | (self.produced - plan.produced)
                if self.has_good_build else set())
        for path in sorted(gone):
            relative = os.path.relpath(path, self.staging)
            for folder in (self.staging, self.output):
                target = folder / relative
                if target.is_file():
                    target.unlink()
                    remove_empty_folders(target.parent, folder)
                    if folder == self.output:
                        result.deleted.append(target)
        to_copy = changed | self.pending_files | {p for p in self.pending_pages if p in planned}
        if plan.full:  # the served folder becomes a mirror of the staging folder
            to_copy |= out_of_date(self.staging, self.output)
            result.deleted += remove_extra_files(self.output, self.staging)
        for path in sorted(to_copy):
            relative = os.path.relpath(path, self.staging)
            target = self.output / relative
            if relative.startswith("..") or not os.path.isfile(path):
                continue
            if target.is_file() and same_bytes(Path(path), target):
                continue  # e.g. theme files Pelican copies again on every build
            copy_atomically(Path(path), target)
            result.written.append(target)
        if result.ok:
            self._write_page_manifest(planned)
        self.signatures = plan.signatures
        self.site = plan.site
        self.planned = planned
        self.produced = plan.produced
        self.pending_pages, self.pending_files = set(), set()
        self.has_good_build = self.has_good_build or result.ok

    def _write_page_manifest(self, planned: set[str]) -> None:
        """The pages now served, in the manifest ``invoke build`` reads (``ecriture``):
        a draft shown here is deleted by the next build that does not write it."""
        from ecriture.ecriture import MANIFEST, write_manifest  # plugins/ is on sys.path

        write_manifest(str(self.output / MANIFEST),
                       sorted(os.path.relpath(path, self.staging) for path in planned))

    def write_status(self, result: BuildResult, checks: dict | None = None) -> None:
        """``_preview-status.json``: what the preview banner shows (errors, QA results)."""
        status = {"ok": result.ok, "full": result.full, "seconds": round(result.seconds, 3),
                  "errors": result.errors, "warnings": result.warnings}
        with self.status_lock:
            if checks is not None:
                self.last_checks = checks
            status["checks"] = self.last_checks  # until the next check run replaces them
            self.output.mkdir(parents=True, exist_ok=True)
            temporary = self.output / f".{STATUS_FILE}.tmp"
            temporary.write_text(json.dumps(status, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
            os.replace(temporary, self.output / STATUS_FILE)

    def refresh_search(self) -> bool:
        """After a one-article build (which leaves the index alone to answer at once), the
        search index of the served pages, written aside then swapped in: an edited, new or
        deleted article is found, or not, a few seconds later. Run by the preview server
        in the background with ``run_checks``; True when an index was written."""
        result = self.last_result
        if result is None or result.full or not result.ok or not self.search_wanted:
            return False
        try:
            from search.search import DEFAULTS as SEARCH_DEFAULTS, bundle_path, publish_bundle
        except ImportError:  # no search plugin
            return False
        settings = {**SEARCH_DEFAULTS, **self.settings}
        with self.search_lock:
            bundle = bundle_path(str(self.output), settings["SEARCH_OUTPUT_SUBDIR"])
            fresh, old = bundle.with_name(bundle.name + ".nouveau"), bundle.with_name(bundle.name + ".ancien")
            for folder in (fresh, old):
                shutil.rmtree(folder, ignore_errors=True)
            try:
                publish_bundle(self.output, fresh, settings)  # only the changed part is indexed
            except Exception:  # a search that failed must not stop the preview
                shutil.rmtree(fresh, ignore_errors=True)
                return False
            if bundle.exists():
                bundle.rename(old)
            fresh.rename(bundle)
            shutil.rmtree(old, ignore_errors=True)
        return True

    def run_checks(self) -> dict | None:
        """``invoke check`` results for the banner, when tools/check exists; never raises."""
        try:
            from tools.check import run_checks
        except ImportError:
            return None
        try:
            report = run_checks(self.content, self.output, self.settings)
            checks = {"errors": [str(e) for e in report.errors],
                      "warnings": [str(w) for w in report.warnings],
                      "text": report.format_text()}
        except Exception as error:  # QA must never block the preview
            checks = {"errors": [f"invoke check n’a pas pu s’exécuter : {error}"],
                      "warnings": [], "text": ""}
        if self.last_result is not None:
            self.write_status(self.last_result, checks)
        return checks


def _run_quietly(pelican) -> None:
    """Pelican prints a « Done: … » line through rich; the preview prints its own."""
    from pelican import log

    console_file = log.console.file
    log.console.file = open(os.devnull, "w")
    try:
        pelican.run()
    finally:
        log.console.file.close()
        log.console.file = console_file


def _describe(error: Exception) -> str:
    """One readable line (file:line for template errors) plus where it came from."""
    lineno = getattr(error, "lineno", None)
    filename = getattr(error, "filename", None)
    where = f"{filename}:{lineno}: " if filename and lineno else ""
    frames = traceback.extract_tb(error.__traceback__)
    origin = f" (dans {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{where}{type(error).__name__}: {error}{origin}"


# --- Files ----------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its (mtime, size): cheap enough for each build."""
    found = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found[path] = (info.st_mtime_ns, info.st_size)
    return found


def changed_files(before: dict, after: dict) -> set[str]:
    return {path for path, stamp in after.items() if before.get(path) != stamp}


def out_of_date(staging: Path, served: Path) -> set[str]:
    """Staging files missing from the served folder or different in size or date."""
    stale = set()
    for path, (mtime, size) in snapshot(staging).items():
        try:
            info = os.stat(served / os.path.relpath(path, staging))
        except OSError:
            stale.add(path)
            continue
        if info.st_size != size or info.st_mtime_ns != mtime:
            stale.add(path)
    return stale


def same_bytes(first: Path, second: Path) -> bool:
    return filecmp.cmp(first, second, shallow=False)


def remove_extra_files(served: Path, staging: Path) -> list[Path]:
    """Served files the build no longer makes (e.g. an old search bundle)."""
    from ecriture.ecriture import MANIFEST, remove_empty_folders  # plugins/ is on sys.path

    removed = []
    for path in snapshot(served):
        relative = os.path.relpath(path, served)
        if relative not in (STATUS_FILE, MANIFEST) and not (staging / relative).exists():
            os.unlink(path)
            remove_empty_folders(Path(path).parent, served)
            removed.append(Path(path))
    return removed


def copy_atomically(source: Path, target: Path) -> None:
    """The server never sends a half-copied file: copy beside it, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.preview-tmp")
    shutil.copy2(source, temporary)
    os.replace(temporary, target)
