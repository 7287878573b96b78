"""Where the time of one build goes: ``run_pelican.py --timings``.

Why: the benchmark says how long a build takes and, by switching features off one at a
time, what each costs; a writer whose 3000-article blog takes two minutes wants the same
answer from the build itself, without ten extra builds. Pelican has no such report and
no Pelican plugin gives one (the package registry has none). The stages are taken from
the outside, in the one process of a command-line build:

- the reading of the articles and the rest of the context, through Pelican's signals;
- each generator's output (pages queued, static files, covers awaited and published,
  pages and feeds rendered), by timing the ``generate_output`` of each generator;
- each ``finalized`` receiver (search index, sitemap…), and each receiver of the signals
  pelican-granular-signals sends after it (precompression), by reconnecting them, in
  their order, wrapped in a timer.

Wall time only (what the writer waits for); a stage that runs on several cores counts
once. Nothing changes in what is built. Not used by the preview server, which builds many
times in one process.
"""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

# Generators and receivers under the names a writer knows; others keep their own.
LABELS = {
    "ArticlesGenerator": "articles, étiquettes, catégories : pages mises en file",
    "PagesGenerator": "pages statiques mises en file",
    "StaticGenerator": "fichiers statiques copiés",
    "TemplatePagesGenerator": "pages de gabarit",
    "SourceFileGenerator": "sources copiées",
    "CoversGenerator": "couvertures : fin du dessin, publication",
    "FlushGenerator": "rendu des pages et des flux",
    "search.build_index": "index de recherche (Pagefind)",
    "sitemap.finalize": "plan du site",
    "precompression.compress_site": "précompression (gzip, brotli)",
    "ecriture.sweep_when_all_is_written": "fichiers d’avant supprimés de la sortie",
    "ecriture.sweep_output": "fichiers d’avant supprimés de la sortie",
    "typographie.enregistrer_memoire": "mémoire de la typographie enregistrée",
    "lecture_fr.save_word_counts": "mémoire des temps de lecture enregistrée",
}
GAP = "Pelican entre deux étapes"
GRANULAR_SIGNALS = ("sitemap", "optimize", "minify", "compress", "deploy")
# Work a plugin leaves for after Pelican (``_processus.leave_for_after``) is timed under
# the label of the stage it would have been part of: the stage's time is then their sum.


@dataclass
class Stage:
    label: str
    seconds: float


@dataclass
class Timings:
    """Stages of one build, in the order they ran."""

    started: float = field(default_factory=time.perf_counter)
    stages: list[Stage] = field(default_factory=list)
    last: float = 0.0  # end of the last stage recorded

    def __post_init__(self):
        self.last = self.started

    def mark(self, label: str) -> None:
        """A stage that ended now and began where the previous one ended; a label seen
        before (the time Pelican spends between two stages) adds to its first line, so
        every label is one stage and the stages add up to the whole build."""
        now = time.perf_counter()
        seen = next((stage for stage in self.stages if stage.label == label), None)
        if seen is None:
            self.stages.append(Stage(label, now - self.last))
        else:
            seen.seconds += now - self.last
        self.last = now

    def timed(self, function, label: str):
        """`function`, recording what ran before it and then its own duration."""
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            self.mark(GAP)
            try:
                return function(*args, **kwargs)
            finally:
                self.mark(label)
        return wrapper

    def attach(self, pelican) -> None:
        """Follow `pelican` (built, plugins registered, not run yet)."""
        import blinker
        from pelican import signals

        self.mark("démarrage : Python, Pelican, greffons, réglages")
        receivers = {
            signals.article_generator_finalized: lambda sender: self.mark(
                "lecture des articles (Markdown, typographie, métadonnées)"),
            signals.all_generators_finalized: self.follow_generators,
        }
        for signal, receiver in receivers.items():
            signal.connect(receiver, weak=False)
        self.wrap_receivers(signals.finalized, pelican)
        # pelican-granular-signals sends these after ``finalized`` (precompression: compress)
        for name in GRANULAR_SIGNALS:
            self.wrap_receivers(blinker.signal(name), pelican)

    def follow_generators(self, generators) -> None:
        self.mark("reste du contexte (pages, catégories, étiquettes, couvertures lancées)")
        for generator in generators:
            output = getattr(generator, "generate_output", None)
            if output is not None:
                name = type(generator).__name__
                generator.generate_output = self.timed(output, LABELS.get(name, name))

    def wrap_receivers(self, signal, sender) -> None:
        """Every receiver `signal` would call for `sender`, reconnected in the same order
        inside a timer (blinker calls receivers in the order they were connected)."""
        for receiver in list(signal.receivers_for(sender)):
            signal.disconnect(receiver)
            name = f"{receiver.__module__.rsplit('.', 1)[-1]}.{receiver.__name__}"
            signal.connect(self.timed(receiver, LABELS.get(name, name)), weak=False)

    def finish(self) -> float:
        """Close the last stage; the whole build's wall time."""
        self.mark("fin de Pelican")
        return self.last - self.started

    def table(self, shown_from: float = 0.01) -> str:
        """One line per stage of at least `shown_from` seconds, the others summed."""
        total = sum(stage.seconds for stage in self.stages)
        shown = [stage for stage in self.stages if stage.seconds >= shown_from]
        small = [stage for stage in self.stages if stage.seconds < shown_from]
        if small:
            shown.append(Stage(f"{len(small)} autre(s) étape(s) de moins de "
                               f"{shown_from * 1000:.0f} ms", sum(s.seconds for s in small)))
        rows = [*((stage.label, stage.seconds) for stage in shown),
                ("total, depuis le lancement de la commande", total)]
        width = max(len(label) for label, _ in rows)
        lines = ["Où passe le temps (secondes d’horloge ; une étape sur plusieurs cœurs "
                 "compte une fois) :"]
        for label, seconds in rows:
            share = f"{100 * seconds / total:5.1f} %" if total and label != rows[-1][0] else ""
            lines.append(f"  {label:<{width}}  {seconds:7.2f}  {share}".rstrip())
        return "\n".join(lines)

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(
            {"total_seconds": round(sum(s.seconds for s in self.stages), 4),
             "stages": [{"label": s.label, "seconds": round(s.seconds, 4)}
                        for s in self.stages]},
            ensure_ascii=False, indent=1), encoding="utf-8")
