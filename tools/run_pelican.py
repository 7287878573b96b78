"""Run one Pelican build and exit with a status a writer can act on.

Why not ``python -m pelican``: with ``--fatal`` it stops at the first problem and prints a
Python traceback (``logger.critical(..., exc_info=True)``), and without it a build full of
errors exits 0. Here the whole build runs, every warning and error is printed once as
plain lines (``fichier:ligne: clé: message (correction)``), then a summary, and the exit
status is 1 when there was any error (or any warning with ``--strict``). Only a bug in our
code (an unexpected exception) shows a traceback; an exception that follows a content
error (two articles writing one file, say) is that error's consequence and ends the build
with one more line instead.

Where processes can be forked, Pelican runs in a child process, and the covers are drawn
and the search index written here once that process has ended (``build_then_finish``):
the build's peak memory is then the largest of the three, not their sum.

    python tools/run_pelican.py CONTENT -s pelicanconf.py [-o OUTPUT] [--strict]
        [--timings] [--timings-json FILE] [-e KEY=JSON ...]

``--timings`` prints where the time went, stage by stage (``tools/chrono.py``);
``--timings-json`` writes the same to a file (the benchmark reads it).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from chrono import LABELS, Timings  # beside this script, which is always run as a script
from francais import plural, seconds

sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "plugins"))
import _processus as processus  # noqa: E402  (plugins/, shared with the build)


class CountingHandler(logging.Handler):
    """Prints records plainly (no wrapping: paths stay clickable) and counts them."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.counts = {"WARNING": 0, "ERROR": 0}
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record):
        level = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        self.counts[level] += 1
        print(self.format(record).replace("ERROR ", "ERREUR ", 1).replace(
            "WARNING ", "AVERTISSEMENT ", 1), file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="dossier du contenu")
    parser.add_argument("-s", "--settings", required=True)
    parser.add_argument("-o", "--output")
    parser.add_argument("--strict", action="store_true",
                        help="un avertissement fait aussi échouer la construction")
    parser.add_argument("--timings", action="store_true",
                        help="affiche la durée de chaque étape de la construction")
    parser.add_argument("--timings-json", metavar="FICHIER",
                        help="écrit la durée de chaque étape dans ce fichier JSON")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[], action="extend",
                        metavar="KEY=JSON")
    return parser.parse_args(argv)


def extra_settings(pairs):
    settings = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            settings[key] = json.loads(value)
        except json.JSONDecodeError:
            settings[key] = value
    return settings


class ContentCount:
    """What the build read, counted when every generator is done; it replaces Pelican's
    English « Done: Processed … » line in the summary."""

    def __init__(self):
        self.counts = {}

    def __call__(self, generators):
        for generator in generators:
            for attr in ("articles", "drafts", "pages"):
                self.counts[attr] = self.counts.get(attr, 0) + len(getattr(generator, attr, ()))

    def text(self) -> str:
        if not self.counts:
            return ""
        return (f"{plural(self.counts['articles'], 'article')}, "
                f"{plural(self.counts['drafts'], 'brouillon')}, "
                f"{plural(self.counts['pages'], 'page')} ; ")


def one_line(exc: Exception) -> str:
    """An exception as one line of text: its message, or its type when it has none."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


@dataclass
class Outcome:
    """What one Pelican run leaves for the summary, and the work its plugins left for
    after it (``_processus.leave_for_after``)."""

    counts: dict
    content: str
    timings: Timings | None
    after: list = field(default_factory=list)
    plugin_paths: list = field(default_factory=list)


DEFERRING_SETTINGS = ("SEARCH_DEFERRED", "COVERS_DEFERRED")  # what may wait for the end


def build(args, handler: CountingHandler, timings: Timings | None,
          defer: bool) -> Outcome:
    """Run Pelican once, in this process. With `defer`, the search index and the covers
    are left for after it: ``Outcome.after``."""
    from pelican import Pelican, signals
    from pelican.log import console
    from pelican.settings import read_settings

    console.quiet = True  # Pelican's own summary, in English: ours follows
    count = ContentCount()
    signals.all_generators_finalized.connect(count)
    processus.LEFT_FOR_AFTER.clear()

    override = {"PATH": args.path, **extra_settings(args.extra_settings)}
    if args.output:
        override["OUTPUT_PATH"] = args.output
    if defer:
        override.update(dict.fromkeys(DEFERRING_SETTINGS, True))
    settings = read_settings(args.settings, override=override)
    pelican = Pelican(settings)
    if timings is not None:
        timings.attach(pelican)
    finished = False
    try:
        pelican.run()
        finished = True
    except Exception as exc:
        if not handler.counts["ERROR"]:
            raise  # no content error to blame: a bug, its traceback is wanted
        logging.getLogger(__name__).error(
            "construction interrompue : %s (conséquence des erreurs ci-dessus : "
            "corrigez-les puis relancez)", one_line(exc))
    after = list(processus.LEFT_FOR_AFTER) if finished else []  # not for a half-built site
    return Outcome(dict(handler.counts), count.text(), timings, after,
                   [str(path) for path in pelican.settings.get("PLUGIN_PATHS") or []])


def build_then_finish(args, handler: CountingHandler, timings: Timings | None) -> Outcome | None:
    """Pelican in a forked process (its messages printed as they come), then, here, once
    that process has ended, what its plugins left for after it: the covers drawn and
    published, the search index.

    Why: Pagefind holds its index in memory (≈ 240 MB per 1000 articles) while it writes
    it, and each process drawing covers ≈ 100 MB of its own, while the build that wrote
    the pages still held every article (≈ 250 MB at 5000 articles): they added up, and
    the drawing processes forked from the build copied some of its memory as well. A
    process's memory goes back to the system only when it ends, so Pelican ends first.
    None when that process failed without an outcome (a bug: its traceback is printed;
    killed by the system: the signal's name)."""
    worker = processus.fork(functools.partial(build, args, handler, timings, True),
                            keep_logging=True)
    report = processus.collect(worker)
    if report.failure is not None:
        print(report.failure, file=sys.stderr, flush=True)
        return None
    outcome = report.result
    handler.counts = outcome.counts  # what follows adds to the build's count
    if outcome.timings is not None:
        outcome.timings.mark("fin de Pelican")
    finish(outcome.after, outcome.plugin_paths, outcome.timings)
    return outcome


def finish(after: list, plugin_paths: list, timings: Timings | None) -> None:
    """Run the work the build's plugins left for after it, in the order they left it,
    each timed under the label of the build stage it belongs to (its time adds to that
    stage's); their modules are found on the build's ``PLUGIN_PATHS``."""
    for path in reversed(plugin_paths):
        if path not in sys.path:
            sys.path.insert(0, path)
    for work in after:
        run = work.run
        if timings is not None:
            run = timings.timed(run, LABELS.get(work.label, work.label))
        run()


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    timings = Timings() if args.timings or args.timings_json else None
    handler = CountingHandler()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)

    started = time.perf_counter()
    if processus.can_fork():
        outcome = build_then_finish(args, handler, timings)
        if outcome is None:
            print(f"Construction en échec en {seconds(time.perf_counter() - started)} s.",
                  file=sys.stderr)
            return 1
    else:  # Windows: one process, the index written from Pelican's ``finalized``
        outcome = build(args, handler, timings, defer=False)
    elapsed = time.perf_counter() - started
    timings = outcome.timings
    if timings is not None:
        timings.finish()
        if args.timings:
            print(timings.table(), flush=True)
        if args.timings_json:
            timings.write_json(args.timings_json)

    errors, warnings = handler.counts["ERROR"], handler.counts["WARNING"]
    failed = errors or (args.strict and warnings)
    status = "en échec" if failed else "terminée"
    print(f"Construction {status} en {seconds(elapsed)} s : {outcome.content}"
          f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}.",
          file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
