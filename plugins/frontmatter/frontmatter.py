"""Front-matter: read YAML or native metadata, validate it, refuse what would publish wrong.

Why our own layer: pelican-yaml-metadata parses the YAML well, so we subclass its reader,
but on its own a bad date ends as a bare « Could not process » with no key named, tags
typed as a string silently become one tag, and an unknown status skips the article with a
warning. A writer needs the file, the line, the key and the fix, and a build that stops.

What it does, in build order:

| hook | job |
| --- | --- |
| ``readers_init`` | our reader replaces the Markdown one for ``md``/``markdown`` |
| ``BlogMarkdownReader.read`` | read the file (``read_source``: not UTF-8 is an error, not Pelican's bare « Could not process »), split the header (``header_match``: a ``---`` never closed is an error), validate YAML (or native ``Key: value``) metadata (dates year-month-day only; YAML syntax errors explained by ``yaml_errors.py``); on any problem, log one ERROR per problem as ``file:line: key: message (fix)`` and skip the file |
| ``article_generator_context`` | with ``SHOW_DRAFTS`` (preview), drafts are published with ``preview = True`` |
| ``initialized`` | Pelican's content cache kept in one folder per stamp of the settings, plugins, their code and the Markdown libraries (``CACHE_PATH/contenu/<empreinte>/``): a change reads everything again, and the production and writing builds each keep their own |
| ``generator_init`` | the reader cache is re-pickled only when an article was read again; a refused file is never cached |
| ``all_generators_finalized`` | two articles or pages with one slug: ERROR naming both files |

Errors are logged at ERROR level, so ``pelican … --fatal errors`` and ``invoke build`` exit
non-zero, and never show a Python traceback for a content mistake. ``tools/check`` reads
files and headers with the same functions, so it reports the same messages.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import logging
import os
import re
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pelican import signals
from pelican.plugins.yaml_metadata.yaml_metadata import (
    HEADER_RE,
    YAMLMetadataReader,
    _convert_py_to_meta,
)
from pelican.cache import FileDataCacher, FileStampDataCacher
from pelican.log import LimitFilter
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open, slugify

from . import yaml_errors
from .yaml_errors import YamlRow

logger = logging.getLogger(__name__)

STATUSES = ("published", "draft", "hidden")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NATIVE_LINE_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s?(?P<value>.*)$")
DATE_EXAMPLE = "2025-10-23 09:30"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file's metadata, with where it is and how to fix it."""

    path: str
    line: int
    key: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message} ({self.fix})"


def display_path(path: str) -> str:
    """Path as the writer typed it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def is_article(source_path: str, settings: dict) -> bool:
    """Pages live under PAGE_PATHS; everything else read as Markdown is an article."""
    base = settings.get("PATH", "")
    relative = os.path.relpath(source_path, base).replace(os.sep, "/")
    return not any(
        relative == p or relative.startswith(p.rstrip("/") + "/")
        for p in settings.get("PAGE_PATHS", ["pages"])
    )


def known_categories(settings: dict) -> dict[str, str]:
    """Slug → name of every category declared in CATEGORY_TREE (parents and children).

    Asked once per file read; the slugs are computed once per tree (read-only result).
    """
    tree = tuple((parent, tuple(children))
                 for parent, children in settings.get("CATEGORY_TREE", {}).items())
    subs = tuple(tuple(pair) for pair in settings.get("CATEGORY_REGEX_SUBSTITUTIONS", []))
    return _category_slugs(tree, subs)


def declared_category(name, settings: dict) -> str | None:
    """The CATEGORY_TREE spelling of the category ``name`` stands for (same slug: « cybersecurite »
    → « Cybersécurité »), None when the tree has no such category."""
    subs = settings.get("CATEGORY_REGEX_SUBSTITUTIONS", [])
    return known_categories(settings).get(slugify(str(name), regex_subs=subs))


@lru_cache(maxsize=8)
def _category_slugs(tree: tuple, subs: tuple) -> dict[str, str]:
    names = {}
    for parent, children in tree:
        for name in (parent, *children):
            names[slugify(name, regex_subs=subs)] = name
    return names


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


ISO_DATE_RE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:(?:T| +)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?: ?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?")
DAY_FIRST_RE = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"(?:(?:T| +)(?P<hour>\d{1,2})[:hH](?P<minute>\d{2}))?")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def _calendar_date(match) -> datetime.datetime | None:
    """The datetime a date pattern's groups name, None when it does not exist (2025-02-30)."""
    parts = {name: int(match[name] or 0) for name in ("year", "month", "day", "hour", "minute")}
    second = int(match.groupdict().get("second") or 0)
    try:
        return datetime.datetime(**parts, second=second)
    except ValueError:
        return None


def _check_date(value, key, line, path) -> Problem | None:
    """Only year-month-day passes (time, seconds and offset optional).

    Why not Pelican's ``get_date``: dateutil reads nearly anything, and reads 01/02/2024
    month first, so a French writer's 1 February was published as « 2 janvier »."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return None
    text = " ".join(str(value).split())
    iso = ISO_DATE_RE.fullmatch(text)
    if iso and _calendar_date(iso):
        return None
    day_first = DAY_FIRST_RE.fullmatch(text)
    if day_first and (date := _calendar_date(day_first)):
        return _day_first_problem(text, date, day_first, key, line, path)
    why = _impossible(iso) if iso else ""
    return Problem(path, line, key, f"date « {value} » illisible{why}",
                   f"écrivez-la sous la forme {key}: {DATE_EXAMPLE}")


def _impossible(match) -> str:
    """Why a year-month-day date that reads well does not exist (« 2025-02-30 »)."""
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not 1 <= month <= 12:
        return f" : il n’y a pas de mois {month}"
    if _calendar_date(match) is None and (match["hour"] is None or _valid_time(match)):
        return f" : le {day}{'er' if day == 1 else ''} {MONTHS[month - 1]} {year} n’existe pas"
    return f" : {match['hour']} h {match['minute']} n’est pas une heure"


def _valid_time(match) -> bool:
    return int(match["hour"]) < 24 and int(match["minute"]) < 60


def _day_first_problem(text, date, match, key, line, path) -> Problem:
    """A valid day-first date: name both readings when the month could be the day."""
    written = f"{date:%Y-%m-%d %H:%M}" if match["hour"] else f"{date:%Y-%m-%d}"
    day, month = date.day, date.month
    if day <= 12 and day != month:
        other = f"{month:d}{'er' if month == 1 else ''} {MONTHS[day - 1]}"
        first = f"{day:d}{'er' if day == 1 else ''} {MONTHS[month - 1]}"
        return Problem(path, line, key, f"« {text} » est ambigu : {first} ou {other} ?",
                       f"écrivez {key}: {written} pour le {first}, l’année d’abord")
    return Problem(path, line, key, f"date « {text} » écrite jour/mois/année",
                   f"écrivez {key}: {written}, l’année d’abord")


_SPACES = " \t\u00a0\u202f"


def mistyped_keys(meta: dict, lines: dict, source_path: str) -> dict[str, Problem]:
    """Known key → Problem for each unknown key that is a misspelling of it (« catgory »,
    « tag », « category » followed by a no-break space as French keyboards type before
    « : »). Other unknown keys are the writer's own metadata, left alone."""
    found = {}
    for key in meta:
        if key in yaml_errors.KNOWN_KEYS:
            continue
        bare = key.strip(_SPACES)
        if bare in yaml_errors.KNOWN_KEYS:
            meant, message = bare, f"« {bare} » suivi d’une espace insécable avant « : »"
            fix = f"effacez l’espace entre {bare} et les deux-points : {bare}: …"
        else:
            close = difflib.get_close_matches(bare, yaml_errors.KNOWN_KEYS, n=1, cutoff=0.75)
            if not close:
                continue
            meant = close[0]
            message = f"clé « {key} » inconnue, sa valeur est ignorée : vouliez-vous dire « {meant} » ?"
            fix = f"écrivez {close[0]}: …"
        if meant not in meta and meant not in found:
            found[meant] = Problem(display_path(source_path), lines.get(key, 1), key, message, fix)
    return found


def validate(meta: dict, lines: dict, source_path: str, settings: dict, yaml_tags: bool):
    """Return the list of Problems of one file's raw metadata.

    ``meta`` maps lower-case keys to raw values (YAML objects or native strings),
    ``lines`` maps the same keys to their line number in the file.
    """
    path = display_path(source_path)
    article = is_article(source_path, settings)
    problems = []

    typos = mistyped_keys(meta, lines, source_path)

    def add(key, message, fix):
        if key not in meta and key in typos:  # « catgory: » rather than « category manquante » at line 1
            problems.append(typos[key])
            return
        problems.append(Problem(path, lines.get(key, 1), key, message, fix))

    if "title" not in meta:
        add("title", "titre manquant", 'ajoutez une ligne title: "Votre titre" dans l’en-tête')
    elif isinstance(meta["title"], (list, dict)):
        add("title", "le titre est une liste, pas un texte (crochets ou tirets)",
            'écrivez-le entre guillemets : title: "Votre titre"')
    elif _is_blank(meta["title"]):
        add("title", "titre vide", 'donnez un titre : title: "Votre titre"')
    elif ("slug" not in meta and settings.get("SLUGIFY_SOURCE", "title") == "title"
          and not slugify(str(meta["title"]), regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))):
        # Pelican would skip the file with an English message about « /index.html ».
        add("title", f"le titre « {meta['title']} » ne donne aucune adresse (ni lettre ni chiffre)",
            "ajoutez une ligne slug: mon-article (minuscules sans accents, chiffres, tirets)")

    if article and "date" not in meta:
        add("date", "date manquante", f"ajoutez une ligne date: {DATE_EXAMPLE}")
    for key in ("date", "modified"):
        if key in meta:
            if _is_blank(meta[key]):
                add(key, "date vide", f"écrivez-la sous la forme {key}: {DATE_EXAMPLE}")
            elif (problem := _check_date(meta[key], key, lines.get(key, 1), path)):
                problems.append(problem)

    if article:
        _validate_category(meta, add, settings)

    if "tags" in meta:
        tags = meta["tags"]
        if yaml_tags and not isinstance(tags, list):
            add("tags", "les étiquettes doivent être une liste",
                "écrivez tags: [IA, open source] ou une étiquette par ligne « - IA »")
        elif yaml_tags and (wrong := [i for i, t in enumerate(tags)
                                      if _is_blank(t) or isinstance(t, (list, dict))]):
            problems.append(Problem(
                path, lines.get(f"tags[{wrong[0]}]", lines.get("tags", 1)), "tags",
                "une étiquette est vide ou n’est pas un texte",
                "chaque étiquette est un mot ou une expression : tags: [IA, open source]"))

    if "status" in meta:
        status = str(meta["status"] or "").strip().lower()
        if status not in STATUSES:
            add("status", f"statut « {meta['status']} » inconnu",
                "utilisez status: draft (brouillon) ou status: published")

    if "slug" in meta and not SLUG_RE.match(str(meta["slug"] or "")):
        subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        suggestion = slugify(str(meta["slug"] or meta.get("title") or ""), regex_subs=subs)
        add("slug", f"slug « {meta['slug']} » invalide (minuscules ASCII et tirets)",
            f"écrivez slug: {suggestion or 'mon-article'}")

    for key in ("summary", "cover", "cover_alt", "author"):
        if key in meta and isinstance(meta[key], (list, dict)):
            add(key, "valeur attendue : un texte", f'écrivez {key}: "…" sur une ligne')
    return problems


def _validate_category(meta, add, settings):
    if "category" not in meta:
        add("category", "catégorie manquante",
            "ajoutez category: <une catégorie de CATEGORY_TREE dans pelicanconf.py>")
        return
    value = meta["category"]
    if _is_blank(value) or isinstance(value, (list, dict)):
        add("category", "catégorie vide",
            "donnez une catégorie, par exemple category: Intelligence Artificielle")
        return
    known = known_categories(settings)
    if known and declared_category(value, settings) is None:
        choices = ", ".join(known.values())  # CATEGORY_TREE's order: each parent, then its children
        slug = slugify(str(value), regex_subs=settings.get("CATEGORY_REGEX_SUBSTITUTIONS", []))
        close = difflib.get_close_matches(slug, known, n=1, cutoff=0.75)
        guess = f"vouliez-vous dire « {known[close[0]]} » ? sinon, " if close else ""
        add("category", f"catégorie « {value} » inconnue",
            f"{guess}choisissez parmi : {choices} ; ou déclarez-la dans CATEGORY_TREE")


class DatesAsTextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that leaves dates as text, so `date: 2025-13-45` reaches our date check
    (with its line and fix) instead of crashing PyYAML's timestamp constructor.

    Built on LibYAML's parser when PyYAML has it (the wheels do): 0.12 ms a header
    instead of 1.07 ms, about 1 s of CPU per 1000 articles read; same values and same
    line numbers, only PyYAML's wording of a syntax error differs a little."""


DatesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def yaml_metadata_with_lines(header: str, first_line: int, path: str):
    """Parse a YAML header once; return (dict, {key: line}) or raise MetadataError."""
    loader = DatesAsTextLoader(header)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise MetadataError([yaml_problem(error, header, first_line, path)]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise MetadataError([Problem(
            display_path(path), first_line, "front-matter",
            "l’en-tête YAML n’est pas une liste de clés",
            "écrivez une clé par ligne, par exemple title: \"Titre\"",
        )])
    lines = {}
    for key_node, value_node in node.value:
        key = str(key_node.value).lower()
        lines[key] = first_line + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):  # « tags[2] »: where that item is
            for index, item in enumerate(value_node.value):
                lines[f"{key}[{index}]"] = first_line + item.start_mark.line
    return {str(k).lower(): v for k, v in data.items()}, lines


def yaml_problem(error: yaml.YAMLError, header: str, first_line: int, path: str) -> Problem:
    """PyYAML's error in French, on the line of the mistake, with its fix (yaml_errors)."""
    line, message, fix = yaml_errors.explain(error, header, first_line)
    return Problem(display_path(path), line, "front-matter", message, fix)


def native_metadata_with_lines(text: str):
    """Read Pelican's native ``Key: value`` header (until the first blank line)."""
    meta, lines = {}, {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = NATIVE_LINE_RE.match(line)
        if not match:
            if line.startswith((" ", "\t")) and meta:
                continue  # continuation line of the previous key
            break
        key = match.group("key").lower()
        meta[key], lines[key] = match.group("value").strip(), number
    return meta, lines


class MetadataError(Exception):
    """Raised with the list of Problems found in one file."""

    def __init__(self, problems):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def read_source(path: str) -> str:
    """The file's text as Pelican reads it (UTF-8, BOM dropped), or MetadataError.

    Why: a file saved in Latin-1 made Pelican log only « Could not process ./x.md »,
    without the reason; ``invoke check`` reads files through here too."""
    try:
        with pelican_open(path) as text:
            return text
    except UnicodeDecodeError:
        raise MetadataError([_not_utf8(path)]) from None


def _not_utf8(path: str) -> Problem:
    """Where the first byte that is not UTF-8 is, and the letter it likely was."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        raw.decode("utf-8")
        start = 0
    except UnicodeDecodeError as error:
        start = error.start
    byte = raw[start: start + 1]
    guess = byte.decode("cp1252", errors="replace")
    hint = f" : 0x{byte.hex().upper()}, un « {guess} » en Latin-1 ?" if guess.isalpha() else ""
    return Problem(display_path(path), raw.count(b"\n", 0, start) + 1, "front-matter",
                   f"fichier illisible : pas en UTF-8 (octet {start}{hint})",
                   "enregistrez le fichier en UTF-8 dans votre éditeur")


OPENING_RE = re.compile(r"\s*---([ \t]*)(?:\n|$)")
CLOSING_RE = re.compile(r"(?:---|\.\.\.)([ \t]*)")


def header_match(text: str, path: str):
    """``HEADER_RE``'s match of the text, None for a native header, or MetadataError when
    the text opens a YAML header with ``---`` that no bare ``---`` line closes.

    Why: without its closing line, the header was read as a native one, found empty, and
    the writer got « titre manquant », « date manquante »… for keys that are there."""
    match = HEADER_RE.fullmatch(text)
    opening = OPENING_RE.match(text)
    if match or not opening:
        return match
    opening_line = text[: opening.end()].rstrip("\n").count("\n") + 1
    rows = [YamlRow.of(line, opening_line + 1 + index)
            for index, line in enumerate(text[opening.end():].split("\n"))]
    keys = 0
    while keys < len(rows) and rows[keys].text.strip() and rows[keys].yaml_like:
        keys += 1
    closing = CLOSING_RE.fullmatch(rows[keys].text) if keys < len(rows) else None
    if closing and (opening[1] or closing[1]):  # HEADER_RE wants bare `---` lines
        line = opening_line if opening[1] else rows[keys].number
        problem = Problem(display_path(path), line, "front-matter",
                          f"espaces après le --- de la ligne {line}",
                          "supprimez-les : la ligne ne contient que ---")
    else:
        last = next((row.number for row in reversed(rows[:keys])
                     if not row.text.startswith("#")), opening_line)  # `# Titre`: text
        problem = Problem(display_path(path), last, "front-matter", "en-tête non fermé",
                          yaml_errors.unclosed_fix(last))
    raise MetadataError([problem])


def parse_header(text: str, path: str):
    """``(metadata, line of each key, HEADER_RE match or None)`` of a file's text, YAML
    or native header; MetadataError when it cannot be read."""
    match = header_match(text, path)
    if match:
        first_line = text[: match.start("metadata")].count("\n") + 1
        meta, lines = yaml_metadata_with_lines(match.group("metadata"), first_line, path)
    else:
        meta, lines = native_metadata_with_lines(text)
    return meta, lines, match


def key_line(source_path: str, keys) -> int:
    """Line of the first of ``keys`` in a content file's header, 1 when none is there.
    Pelican keeps no line numbers: the header is read again, only when a mistake found
    after reading (a duplicate slug, a missing cover) is to be reported."""
    try:
        _, lines, _ = parse_header(read_source(source_path), source_path)
    except (OSError, MetadataError):
        return 1
    return next((lines[key] for key in keys if key in lines), 1)


def report_after_reading(content, key: str, message: str, fix: str, lines_of=()) -> None:
    """A mistake found once the file is read (a duplicate slug, an unusable cover), as an
    ERROR line ``fichier:ligne: clé: message (correction)`` at the line of ``key``, else
    of the first of ``lines_of`` there (a slug made from the title). The caller goes on,
    so every mistake of the build is listed; the ERROR makes the build exit 1."""
    source = getattr(content, "source_path", None) or ""
    logger.error("%s", Problem(display_path(source), key_line(source, (key, *lines_of)),
                               key, message, fix))


class BlogMarkdownReader(YAMLMetadataReader):
    """Markdown with YAML or native metadata, validated before Pelican processes it."""

    file_extensions = ["md", "markdown", "mkd", "mdown"]

    def read(self, source_path):
        try:
            text = read_source(source_path)
            meta, lines, match = parse_header(text, source_path)
            problems = validate(meta, lines, source_path, self.settings, bool(match))
            if problems:
                raise MetadataError(problems)
            # A misspelt optional key (« tag: », « sumary: ») would silently lose its value.
            for typo in mistyped_keys(meta, lines, source_path).values():
                logger.warning("%s", typo)
        except MetadataError as error:
            for problem in error.problems:
                logger.error("%s", problem)
            return "", {"status": "skip", "title": "", "date": None}
        if match:
            return self._render(meta, match.group("content"), source_path)
        return MarkdownReader.read(self, source_path)

    def _render(self, meta: dict, body: str, source_path: str):
        """YAMLMetadataReader.read's last steps on the header parsed and validated above.

        Calling ``super().read()`` would open the file and parse the YAML a second time,
        which cost as much as our own parse (≈ 0.7 ms a file, on every cold build)."""
        metadata = self._parse_yaml_metadata(meta, source_path)
        self._md.Meta = {key: _convert_py_to_meta(value) for key, value in metadata.items()}
        return self._md.reset().convert(body), metadata


def add_reader(readers):
    """Our reader replaces both the stock Markdown one and the yaml_metadata one."""
    for extension in BlogMarkdownReader.file_extensions:
        readers.reader_classes[extension] = BlogMarkdownReader


def publish_drafts_in_preview(generator, metadata):
    """Preview (SHOW_DRAFTS) publishes drafts, marked so the theme shows a banner."""
    if not generator.settings.get("SHOW_DRAFTS"):
        return
    if str(metadata.get("status", "")).lower() == "draft":
        metadata["status"] = "published"
        metadata["preview"] = True


def mark_future_in_preview(content):
    """A scheduled article shown in preview gets the same banner as a draft."""
    settings = content.settings
    if not settings.get("SHOW_DRAFTS") or not hasattr(content, "date"):
        return
    now = datetime.datetime.now(content.date.tzinfo) if content.date.tzinfo else (
        datetime.datetime.now()
    )
    if content.date > now:
        content.preview = True
        content.scheduled = True


def refuse_duplicate_slugs(generators):
    """Two articles (or an article and a page) at one address: name both files, and
    leave the second out of the pages to write. Pelican's writer would otherwise stop
    the build at that page (« Failed to overwrite… »), before the rest of the writer's
    mistakes were listed."""
    seen = {}
    for generator in generators:
        for attr in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages"):
            contents = getattr(generator, attr, None)
            if not isinstance(contents, list):
                continue
            refused = []
            for content in contents:
                url = getattr(content, "save_as", "")
                if not url:
                    continue
                if url in seen and seen[url] != content.source_path:
                    report_after_reading(
                        content, "slug",
                        f"« {content.slug} » est déjà le slug de {display_path(seen[url])}",
                        "donnez à l’un des deux un autre slug: dans son en-tête",
                        lines_of=("title",))
                    refused.append(content)
                seen.setdefault(url, content.source_path)
            for content in refused:
                contents.remove(content)


def set_defaults(pelican):
    """Defaults in one place; pelicanconf.py overrides them."""
    settings = pelican.settings
    settings.setdefault("SHOW_DRAFTS", False)
    settings.setdefault("CATEGORY_TREE", {})
    if settings["SHOW_DRAFTS"]:
        settings["WITH_FUTURE_DATES"] = True
    settings.setdefault("CONTENT_CACHE_VARIANTS", 4)
    choose_content_cache_folder(settings)


CACHE_VARIANTS = "contenu"  # CACHE_PATH/contenu/<empreinte>/: Pelican's content cache
CACHE_STAMP = "plugins-du-cache.txt"  # in each of those folders
PLUGINS_FOLDER = Path(__file__).resolve().parent.parent
LIBRARIES_READING_SOURCES = ("pelican", "markdown", "pelican-yaml-metadata", "pygments",
                             "pyyaml")
# where, not what
SETTINGS_NOT_STAMPED = frozenset({"OUTPUT_PATH", "CACHE_PATH", "CONTENT_CACHE_FOLDER"})


def plain(value):
    """`value` as JSON-able data: containers kept, objects by their type (a Markdown
    extension instance or a Jinja filter has no stable text of its own)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def cache_stamp(settings) -> str:
    """What Pelican's content cache depends on besides the sources: the plugins, their
    code, the libraries that turn Markdown into HTML, and the settings. The plugin list
    comes first, one per line, so the file says what the cache was written with."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for path in sorted(PLUGINS_FOLDER.rglob("*.py")):
        digest.update(path.relative_to(PLUGINS_FOLDER).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for package in LIBRARIES_READING_SOURCES:
        try:
            digest.update(f"{package}={version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?\n".encode())
    stamped = {key: value for key, value in settings.items() if key not in SETTINGS_NOT_STAMPED}
    digest.update(json.dumps(plain(stamped), sort_keys=True).encode())
    plugins = "".join(f"{plugin}\n" for plugin in settings.get("PLUGINS") or [])
    return f"{plugins}empreinte {digest.hexdigest()}\n"


def choose_content_cache_folder(settings) -> None:
    """``initialized``: the folder of Pelican's content cache for what this build is
    made with, ``CACHE_PATH/contenu/<empreinte>/`` (``CONTENT_CACHE_FOLDER``).

    Why: Pelican keys its cache by source file and date only. After a change of
    settings (Markdown options, the category tree…), of a plugin's code or of the
    Markdown library, it would serve HTML made the old way; after a plugin is removed
    from PLUGINS it cannot even unpickle it (categories and tags carry settings that hold
    plugin objects) and stops with a Python traceback. So the cache is kept by the stamp
    of all that: another stamp, another folder, read from empty like a first build.

    One folder per stamp rather than one cache set aside at each change: the production
    build (other address, no drafts) and the writing build alternate, and each used to
    throw the other's cache away; now each finds its own. The ``CONTENT_CACHE_VARIANTS``
    folders used last are kept, the older ones deleted."""
    if not settings.get("LOAD_CONTENT_CACHE") and not settings.get("CACHE_CONTENT"):
        return
    root = settings.get("CACHE_PATH")
    if not root:
        return
    stamp = cache_stamp(settings)
    variants = os.path.join(root, CACHE_VARIANTS)
    folder = os.path.join(variants, hashlib.sha256(stamp.encode()).hexdigest()[:16])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, CACHE_STAMP), "w", encoding="utf-8") as handle:
        handle.write(stamp)  # says what the cache was written with; its date, when last used
    settings["CONTENT_CACHE_FOLDER"] = folder
    forget_former_layout(root)
    forget_least_recent_variants(variants, int(settings["CONTENT_CACHE_VARIANTS"]))


def is_content_cache(name: str) -> bool:
    """Pelican's two caching layers name their files after the generator class."""
    return name.endswith(("-Readers", "Generator"))


def forget_former_layout(root: str) -> None:
    """A cache written before the stamp folders, directly in ``CACHE_PATH``: Pelican
    would load it (its stamp unknown) before being pointed at the stamp's folder."""
    for name in os.listdir(root):
        if is_content_cache(name) or name == CACHE_STAMP:
            os.remove(os.path.join(root, name))


def forget_least_recent_variants(variants: str, kept: int) -> None:
    def last_used(name):
        try:
            return os.stat(os.path.join(variants, name, CACHE_STAMP)).st_mtime_ns
        except OSError:
            return 0

    for name in sorted(os.listdir(variants), key=last_used, reverse=True)[max(kept, 1):]:
        shutil.rmtree(os.path.join(variants, name), ignore_errors=True)


def read_content_cache_from_its_folder(generator) -> None:
    """``generator_init``: Pelican has opened its cache at ``CACHE_PATH/<name>`` (nothing
    there); it is opened again, by Pelican's own code, in the stamp's folder, where
    Pelican will also save it."""
    folder = generator.settings.get("CONTENT_CACHE_FOLDER")
    if not folder:
        return
    settings = generator.settings
    layer = settings.get("CONTENT_CACHING_LAYER")
    for cacher, its_layer in ((generator, "generator"), (getattr(generator, "readers", None),
                                                          "reader")):
        if not isinstance(cacher, FileDataCacher) or layer != its_layer:
            continue
        name = os.path.basename(cacher._cache_path)
        if not name:  # a generator that caches nothing (cache name "")
            continue
        opener = FileStampDataCacher if isinstance(cacher, FileStampDataCacher) else \
            FileDataCacher
        opener.__init__(cacher, cacher.settings,
                        os.path.relpath(os.path.join(folder, name), settings["CACHE_PATH"]),
                        cacher._cache_data_policy, bool(settings.get("LOAD_CONTENT_CACHE")))


def save_reader_cache_only_when_changed(generator) -> None:
    """Pelican pickles its whole reader cache again at the end of every build (18 MB per
    1000 articles, 0.1 s of the serial part of a warm build), even when every article came
    from it. Here the save happens only when something was added to the cache, or when
    the file is missing. Pelican never removes entries, so skipping an unchanged save
    leaves exactly the file it would have written.

    A file our reader refused (bad front-matter) is not cached at all: Pelican would
    cache it as an empty skipped article, and the next warm build would pass without the
    article and without the error. Nor is a file whose reading warned (a misspelt key):
    the warning comes back at every build until it is fixed, and a strict production
    build run a second time cannot pass on a cached copy."""
    readers = getattr(generator, "readers", None)
    if not getattr(readers, "_cache_data_policy", False):
        return
    cache_data, save_cache = readers.cache_data, readers.save_cache
    added, warned = [], set()
    for reader in readers.readers.values():
        reader.read = noting_warnings(reader.read, warned)

    def cache_data_noted(filename, data):
        _, metadata = data
        if metadata.get("status") == "skip" or filename in warned:  # its messages must
            return  # come back at every build, not turn into a silently cached file
        added.append(filename)
        cache_data(filename, data)

    def save_if_changed():
        if added or not os.path.exists(readers._cache_path):
            # its folder may have been pruned meanwhile by a build with other settings
            os.makedirs(os.path.dirname(readers._cache_path), exist_ok=True)
            save_cache()

    readers.cache_data, readers.save_cache = cache_data_noted, save_if_changed


class WarningCount(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def noting_warnings(read, warned: set):
    """``read`` that adds the path to ``warned`` when reading it logged a warning or an
    error (ours, Python-Markdown's, pelican-yaml-metadata's…)."""
    def read_noted(path):
        count = WarningCount()
        root = logging.getLogger()
        root.addHandler(count)
        try:
            return read(path)
        finally:
            root.removeHandler(count)
            if count.count:
                warned.add(path)

    return read_noted


def release_reader_cache(generator) -> None:
    """Pelican keeps its reader cache (every source's rendered HTML and metadata, as
    read before our plugins touched it) for the whole build, though it is saved and
    never read again once the generator has read its files: about 18 MB per 1000
    articles that the render workers would inherit too."""
    cache = getattr(getattr(generator, "readers", None), "_cache", None)
    if isinstance(cache, dict):
        cache.clear()


class FrenchPelicanMessages(logging.Filter):
    """Pelican's two warnings about a writer's mistake, said as ours: French, with the
    file and line (``fichier:ligne: clé: message (correction)``) and the fix.

    Why: « Unable to find '/x.md', skipping url replacement » named neither the article
    nor the line, and « Empty alt attribute for image x.jpg in /abs/path.md » was the one
    English line of a build. Pelican passes no source to the first: it is the ``self`` of
    the Content method that logs it, one frame up the stack."""

    def filter(self, record):
        if record.msg == "Unable to find '%s', skipping url replacement.":
            target = str(record.args[0])
            source = _logging_content_source()
            record.msg, record.args = "%s", (self._problem(
                source, target, "lien", f"« {target} » ne mène à aucun fichier de content/",
                "corrigez le chemin après {filename}, relatif à content/"),)
        elif record.msg == "Cannot get modification stamp for %s\n\t%s" and \
                not os.path.exists(str(record.args[0])):
            # A {static} link to a file that is not there: Pelican's cache says it cannot
            # stat it, naming neither the article nor the link.
            missing = str(record.args[0])
            source = _content_linking_to(missing)
            needle = os.path.basename(missing)
            record.msg, record.args = "%s", (self._problem(
                source, needle, "image", f"« {needle} » introuvable ({display_path(missing)})",
                "mettez le fichier à cet endroit de content/, ou corrigez le chemin après {static}"),)
        elif record.msg == "Empty alt attribute for image %s in %s":
            image, source = (str(arg) for arg in record.args)
            record.msg, record.args = "%s", (self._problem(
                source, image, "image", f"« {image} » sans texte alternatif",
                "décrivez-la entre les crochets : ![Ce que montre l’image](…)"),)
        else:
            return True
        # Pelican's duplicate filter ran on the English text: a worker's copy of this
        # warning, logged again by the build already in French, would pass it.
        said = (record.levelno, record.getMessage())
        if said in LimitFilter._raised_messages:
            return False
        LimitFilter._raised_messages.add(said)
        return True

    @staticmethod
    def _problem(source, needle, key, message, fix) -> Problem:
        line = 1
        if source:
            try:
                text = read_source(source)
                line = next((number for number, row in enumerate(text.split("\n"), 1)
                             if needle in row), 1)
            except (OSError, MetadataError):
                pass
        return Problem(display_path(source) if source else "content", line, key, message, fix)


def _content_linking_to(missing: str) -> str | None:
    """The Markdown file that names ``missing``, searched from the nearest folder above it
    that holds Markdown files (the content folder); read only when such a link is broken."""
    def has_markdown(folder):
        return os.path.isdir(folder) and any(name.endswith(".md") for name in os.listdir(folder))

    folder = os.path.dirname(missing)
    while not has_markdown(folder):
        if folder == os.path.dirname(folder):
            return None  # never the whole disk
        folder = os.path.dirname(folder)
    name = os.path.basename(missing)
    for directory, _, files in os.walk(folder):
        for file in sorted(f for f in files if f.endswith(".md")):
            path = os.path.join(directory, file)
            try:
                if name in read_source(path):
                    return path
            except (OSError, MetadataError):
                continue
    return None


def _logging_content_source() -> str | None:
    """The source file of the Content object whose method is logging, if any."""
    frame = sys._getframe(1)
    while frame is not None:
        owner = frame.f_locals.get("self")
        source = getattr(owner, "source_path", None)
        if isinstance(source, str):
            return source
        frame = frame.f_back
    return None


def speak_french(pelican) -> None:
    """`initialized`: the filter on the loggers Pelican logs those warnings with."""
    for name in ("pelican.contents", "pelican.readers", "pelican.cache"):
        target = logging.getLogger(name)
        if not any(isinstance(f, FrenchPelicanMessages) for f in target.filters):
            target.addFilter(FrenchPelicanMessages())


def register():
    signals.initialized.connect(speak_french)
    # initialized: preview mode must switch WITH_FUTURE_DATES before anything is read.
    signals.initialized.connect(set_defaults)
    # readers_init: the only place to replace a reader for an extension.
    signals.readers_init.connect(add_reader)
    # generator_init: the generator's Readers exists with its cache set up.
    signals.generator_init.connect(read_content_cache_from_its_folder)
    signals.generator_init.connect(save_reader_cache_only_when_changed)
    signals.article_generator_context.connect(publish_drafts_in_preview)
    signals.content_object_init.connect(mark_future_in_preview)
    # all generators done: every article and page is known, nothing is written yet.
    signals.all_generators_finalized.connect(refuse_duplicate_slugs)
    # generator finalized: Pelican has just saved its reader cache and will not read it.
    signals.article_generator_finalized.connect(release_reader_cache)
    signals.page_generator_finalized.connect(release_reader_cache)
