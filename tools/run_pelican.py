"""Run one Pelican build and exit with a status a writer can act on.

Why not ``python -m pelican``: with ``--fatal`` it stops at the first problem and prints a
Python traceback (``logger.critical(..., exc_info=True)``), and without it a build full of
errors exits 0. Here the whole build runs, every warning and error is printed once as
plain lines (``fichier:ligne: clé: message (correction)``), then a summary, and the exit
status is 1 when there was any error (or any warning with ``--strict``). Only a bug in our
code (an unexpected exception) shows a traceback; an exception that follows a content
error (two articles writing one file, say) is that error's consequence and ends the build
with one more line instead.

    python tools/run_pelican.py CONTENT -s pelicanconf.py [-o OUTPUT] [--strict]
        [--timings] [--timings-json FILE] [-e KEY=JSON ...]

``--timings`` prints where the time went, stage by stage (``tools/chrono.py``);
``--timings-json`` writes the same to a file (the benchmark reads it).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from chrono import Timings  # beside this script, which is always run as a script
from francais import plural, seconds


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


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    timings = Timings() if args.timings or args.timings_json else None
    handler = CountingHandler()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)

    from pelican import Pelican, signals
    from pelican.log import console
    from pelican.settings import read_settings

    console.quiet = True  # Pelican's own summary, in English: ours follows
    count = ContentCount()
    signals.all_generators_finalized.connect(count)

    override = {"PATH": args.path, **extra_settings(args.extra_settings)}
    if args.output:
        override["OUTPUT_PATH"] = args.output
    started = time.perf_counter()
    settings = read_settings(args.settings, override=override)
    pelican = Pelican(settings)
    if timings is not None:
        timings.attach(pelican)
    try:
        pelican.run()
    except Exception as exc:
        if not handler.counts["ERROR"]:
            raise  # no content error to blame: a bug, its traceback is wanted
        logging.getLogger(__name__).error(
            "construction interrompue : %s (conséquence des erreurs ci-dessus : "
            "corrigez-les puis relancez)", one_line(exc))
    elapsed = time.perf_counter() - started
    if timings is not None:
        timings.finish()
        if args.timings:
            print(timings.table(), flush=True)
        if args.timings_json:
            timings.write_json(args.timings_json)

    errors, warnings = handler.counts["ERROR"], handler.counts["WARNING"]
    failed = errors or (args.strict and warnings)
    status = "en échec" if failed else "terminée"
    print(f"Construction {status} en {seconds(elapsed)} s : {count.text()}"
          f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}.",
          file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
