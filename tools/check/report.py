"""Findings and the report a writer reads: one line per problem, grouped by file.

Every rule returns ``Finding`` objects with the rule's *default* severity; ``Report``
applies the overrides (``CHECK_SEVERITY`` in pelicanconf.py, ``check_ignore`` in a file's
front-matter) once, so no rule has to know about configuration.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from itertools import groupby

from ..francais import plural, seconds

ERROR, WARNING, OFF = "error", "warning", "off"
SEVERITIES = (ERROR, WARNING, OFF)
LABELS = {ERROR: "ERREUR", WARNING: "AVERTISSEMENT"}

# code → (default severity, what the rule looks for). The README lists the same table.
RULES = {
    "front-matter-yaml": (ERROR, "en-tête YAML illisible"),
    "front-matter-title": (ERROR, "titre manquant ou vide"),
    "front-matter-date": (ERROR, "date manquante, vide ou illisible"),
    "front-matter-modified": (ERROR, "date de mise à jour illisible"),
    "front-matter-category": (ERROR, "catégorie manquante, vide ou inconnue"),
    "front-matter-tags": (ERROR, "étiquettes qui ne sont pas une liste de textes"),
    "front-matter-status": (ERROR, "statut inconnu"),
    "front-matter-slug": (ERROR, "slug invalide"),
    "front-matter-value": (ERROR, "valeur qui devrait être un texte (summary, cover, author…)"),
    "front-matter-future-date": (WARNING, "date future sans status: draft"),
    "title-markup": (WARNING, "Markdown (` ou **) dans un titre, affiché tel quel"),
    "cover-alt": (WARNING, "couverture fournie sans cover_alt"),
    "front-matter-modified-order": (WARNING, "date de mise à jour antérieure à la publication"),
    "front-matter-unknown-key": (WARNING, "clé inconnue proche d’une clé connue (tag:, sumary:…)"),
    "front-matter-category-spelling": (WARNING, "rubrique écrite autrement que dans CATEGORY_TREE"),
    "front-matter-summary-length": (WARNING, "résumé de plus de 300 caractères"),
    "duplicate-slug": (ERROR, "deux fichiers à la même adresse"),
    "leaked-assistant": (ERROR, "bavardage d’assistant de génération de texte"),
    "leaked-instruction": (ERROR, "consigne de génération (nombre de mots, SEO, format)"),
    "leaked-envelope": (ERROR, "bloc de code, XML ou JSON qui enveloppe du texte"),
    "placeholder": (ERROR, "texte de remplissage (Lorem ipsum, texte du thème, [insérer …])"),
    "placeholder-todo": (ERROR, "marque TODO, FIXME ou XXX oubliée"),
    "mixed-script": (ERROR, "mot mêlant l’alphabet latin et un autre alphabet"),
    "broken-link": (ERROR, "lien interne qui ne mène à aucun fichier"),
    "broken-anchor": (ERROR, "ancre #… absente de la page visée"),
    "missing-image": (ERROR, "image introuvable sur le disque"),
    "image-alt": (ERROR, "image sans texte alternatif"),
    "bare-url": (WARNING, "adresse web écrite en clair, pas en lien"),
    "inline-script": (ERROR, "script dans le texte d’un article (bloqué dans les pages)"),
    "third-party-embed": (ERROR, "image, vidéo ou cadre servi par un autre site (bloqué dans les pages)"),
    "heading-level": (WARNING, "intertitre # dans le texte, ou niveau sauté (## puis ####)"),
    "typo-ellipsis": (WARNING, "« ... » dans un titre au lieu de « … »"),
    "typo-space-comma": (WARNING, "espace avant une virgule"),
    "typo-double-space": (WARNING, "double espace"),
    "tag-near-duplicate": (ERROR, "deux étiquettes presque identiques"),
    "tag-variant": (WARNING, "une étiquette écrite de deux façons (fusionnées par la construction)"),
    "check-config": (WARNING, "réglage de vérification inconnu"),
}
# Errors that stop the build itself: a draft with them still fails.
BUILD_ERRORS = {code for code in RULES if code.startswith("front-matter-")} | {"duplicate-slug"}


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, which rule, how bad, what is wrong and how to fix it."""

    path: str
    line: int
    code: str
    severity: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}: {self.message} ({self.fix})"


def finding(path: str, line: int, code: str, message: str, fix: str) -> Finding:
    """A Finding with the rule's default severity (overrides are applied by Report)."""
    return Finding(path, max(int(line or 1), 1), code, RULES[code][0], message, fix)


#: Rules whose patterns overlap: several matches on a line are one leftover to remove.
#: (Two broken links on a line are two fixes: those stay apart.)
MERGED_ON_A_LINE = frozenset({"placeholder", "placeholder-todo", "leaked-assistant",
                              "leaked-instruction", "leaked-envelope"})


def one_per_line(findings) -> list[Finding]:
    """One finding per pattern rule and line, the first found: a line of Lorem ipsum
    matched five patterns and gave five errors. How many more the line holds is said."""
    by_place: dict[tuple, list[Finding]] = {}
    for item in findings:
        place = (item.path, item.line, item.code) if item.code in MERGED_ON_A_LINE else item
        same = by_place.setdefault(place, [])
        if item not in same:
            same.append(item)
    return [same[0] if len(same) == 1 else replace(
                same[0], message=f"{same[0].message}, et {len(same) - 1} autre(s) sur cette ligne")
            for same in by_place.values()]


class Report:
    """The findings of one run, after severity overrides and per-file silencing."""

    def __init__(self, findings, severity: dict | None = None,
                 ignored: dict[str, set[str]] | None = None, demote: set[str] = frozenset(),
                 elapsed: float = 0.0, files_checked: int = 0):
        """`severity`: CHECK_SEVERITY; `ignored`: path → codes silenced by check_ignore;
        `demote`: drafts, whose leftovers are warnings (a draft is never published, and
        must not block the publication of the rest), except what breaks the build."""
        severity = severity or {}
        ignored = ignored or {}
        kept = []
        for item in findings:
            level = severity.get(item.code, item.severity)
            if level == OFF or item.code in ignored.get(item.path, ()):
                continue
            if level == ERROR and item.path in demote and item.code not in BUILD_ERRORS:
                item = replace(item, message=f"{item.message} [brouillon]")
                level = WARNING
            kept.append(replace(item, severity=level))
        self.findings: list[Finding] = sorted(one_per_line(kept),
                                              key=lambda f: (f.path, f.line, f.code, f.message))
        self.elapsed = elapsed
        self.files_checked = files_checked

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def format_text(self) -> str:
        """Grouped by file, one ``SEVERITY path:line: code: message (fix)`` per line."""
        blocks = []
        for path, items in groupby(self.findings, key=lambda f: f.path):
            lines = [path]
            lines += [f"  {LABELS[f.severity]} {f}" for f in items]
            blocks.append("\n".join(lines))
        errors, warnings = len(self.errors), len(self.warnings)
        files = len({f.path for f in self.findings})
        if not self.findings:
            summary = (f"Vérification réussie : aucun problème dans "
                       f"{plural(self.files_checked, 'fichier')} ({seconds(self.elapsed)} s).")
        else:
            status = "en échec" if errors else "réussie"
            summary = (f"Vérification {status} : {plural(errors, 'erreur')}, "
                       f"{plural(warnings, 'avertissement')} dans {plural(files, 'fichier')} "
                       f"sur {self.files_checked} ({seconds(self.elapsed)} s).")
        return "\n\n".join([*blocks, summary])

    def to_json(self) -> str:
        return json.dumps({
            "findings": [asdict(f) for f in self.findings],
            "counts": {ERROR: len(self.errors), WARNING: len(self.warnings)},
            "files_checked": self.files_checked,
            "elapsed": round(self.elapsed, 3),
        }, ensure_ascii=False, indent=2)
