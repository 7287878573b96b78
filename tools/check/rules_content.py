"""Rules that read content/: front-matter, leftovers, scripts, typography, links, tags.

Every rule is a function ``(doc, context) -> list[Finding]`` over a ``Document`` (see
source.py), except the site-wide ones (duplicate slugs, near-duplicate tags) that take
all documents. Text rules read *views* of each prose line, so that what must never be
flagged is removed once, here, and not in every regex:

| view | used by | removed |
| --- | --- | --- |
| ``plain`` | placeholder*, leaked-envelope, mixed-script, typo-* | code, link URLs |
| ``speech`` | leaked-assistant, leaked-instruction | the same, blockquotes, quotes, |
| | | *italics*, a leading heading or list mark |
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import _processus as processus
from frontmatter.frontmatter import declared_category, known_categories, mistyped_keys
from pelican.utils import get_date, slugify

from ..francais import plural
from .patterns import patterns_by_rule
from .report import Finding, finding
from .source import BLANK, Document

URL_RE = re.compile(r"(?<=\])\([^)\n]*\)|<(?:https?|mailto):[^>\s]+>|\bhttps?://[^\s)>\]]+")
QUOTED_RE = re.compile(
    r"«[^»\n]*»|“[^”\n]*”|\"[^\"\n]*\""
    r"|(?<![*\w])\*(?![*\s])[^*\n]+?(?<![\s*])\*(?![*\w])"
    r"|(?<![_\w])_(?![_\s])[^_\n]+?(?<![\s_])_(?![_\w])"
)
LEAD_RE = re.compile(r"^\s*(?:#{1,6}\s+|(?:[-*+]|\d+[.)])\s+)?")
# Markup that opens a line, spaces included: quote, heading, list item, definition
# (`:   text`), footnote (`[^1]:   text`). Its spaces are syntax, not a typo.
MARKUP_LEAD_RE = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|(?:[-*+:]|\d+[.)]|\[\^[^\]]+\]:)\s+)?")
HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")
SPACE_COMMA_RE = re.compile(r"(?<=[^\s|,·])[ \t\u00a0\u202f]+,")
DOUBLE_SPACE_RE = re.compile(r"(?<=[^\s|])  +(?=[^\s|])")
LINK_RE = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*<?(?P<target>[^)\s>]*)>?"
    r"(?:\s+[\"'(][^)\n]*[\"')])?\s*\)")
REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s+.*)?$")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ATTR_RE = re.compile(r"\b(?P<name>href|src|alt)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')",
                          re.IGNORECASE)
HTML_LINK_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
# Elements that make the browser fetch what their attributes name.
# A script in the text, or an on…= handler: the pages' policy (CSP) runs neither.
INLINE_SCRIPT_RE = re.compile(r"<script\b|<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
HTML_EMBED_RE = re.compile(r"<(?P<tag>iframe|video|audio|source|track|embed|object|script|img)\b[^>]*>",
                           re.IGNORECASE)
EMBED_ATTR_RE = re.compile(r"\b(?:src|poster|data|srcset)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')",
                           re.IGNORECASE)
# An address written out in the text, outside a link: Markdown leaves it as plain text.
BARE_URL_RE = re.compile(r"(?<![\w/@.])(?:https?://|www\.)[^\s<>()\[\]\"']*[^\s<>()\[\]\"'.,;:!?»]")
# What already makes a link, or is not prose: link targets, autolinks, attribute values,
# reference definitions.
LINKED_RE = re.compile(r"\]\([^)\n]*\)|<[^<>\n]*>|\w+\s*=\s*(?:\"[^\"]*\"|'[^']*')|^\s{0,3}\[[^\]]+\]:.*$")
EXTERNAL_RE = re.compile(r"^\s*(?:https?:)?//(?P<host>[^/\s?#:]+)", re.IGNORECASE)
INTERNAL_PREFIX_RE = re.compile(r"^(?:\{(?P<kind>\w+)\}|\|(?P<old>\w+)\|)(?P<rest>.*)$")
SUSPECT_CHAR_RE = re.compile(
    "[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u2bff\u2e00-\u2e7f\u3000-\u303f"
    "\ufe00-\ufe0f\U0001f000-\U0001faff]")
LETTERS_RE = re.compile(r"[^\W\d_]+")
PROSE_FENCE_INFOS = {"", "markdown", "md", "text", "txt", "plain", "plaintext"}
STOPWORDS = frozenset(
    "le la les de des du un une et est en que qui pour dans sur pas plus the of and to is in "
    "that for with".split())

# Look-alikes of Latin letters (what an attacker, or a bad copy-paste, slips into a word).
CONFUSABLES = {
    "а": "a", "в": "B", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J",
}
GREEK_LOOKALIKES = {
    "ο": "o", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "υ": "u", "χ": "x",
    "γ": "y", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
CONFUSABLES.update(GREEK_LOOKALIKES)


@dataclass
class Context:
    """What rules share: settings, the content folder, site-wide names."""

    content_dir: Path
    settings: dict
    categories: dict  # slug → name
    tag_slugs: set
    now: datetime.datetime


# --- views -----------------------------------------------------------------------------

def blank(match: re.Match) -> str:
    return BLANK * len(match.group(0))


def plain_view(line: str) -> str:
    # URL_RE opens on a lookbehind, which re tries at every position: most lines have
    # none of the texts it needs and are returned as they are (0.5 s of 1000 articles).
    if "](" not in line and "http" not in line and "mailto:" not in line:
        return line
    return URL_RE.sub(blank, line)


def speech_view(line: str) -> str | None:
    """The line as words the author speaks in their own voice; None for a blockquote."""
    if line.lstrip().startswith(">"):
        return None
    line = LEAD_RE.sub("", plain_view(line), count=1)
    return QUOTED_RE.sub(blank, line)


def header_texts(doc: Document) -> list[tuple[int, str]]:
    """Title, summary, image text and tags are published too: check them like prose."""
    texts = []
    for key in ("title", "summary", "cover_alt"):
        value = doc.meta.get(key)
        if isinstance(value, str) and value.strip():
            texts.append((doc.line_of(key), value))
    tags = doc.meta.get("tags")
    if isinstance(tags, list):
        texts += [(doc.line_of("tags"), str(tag)) for tag in tags if isinstance(tag, str)]
    elif isinstance(tags, str):
        texts.append((doc.line_of("tags"), tags))
    return texts


# --- front-matter ----------------------------------------------------------------------

FRONT_MATTER_CODES = {
    "front-matter": "front-matter-yaml", "title": "front-matter-title",
    "date": "front-matter-date", "modified": "front-matter-modified",
    "category": "front-matter-category", "tags": "front-matter-tags",
    "status": "front-matter-status", "slug": "front-matter-slug",
}


def front_matter_rules(doc: Document, context: Context) -> list[Finding]:
    """The build's own validation, plus what only deserves a warning."""
    found = [finding(doc.display, p.line, FRONT_MATTER_CODES.get(p.key, "front-matter-value"),
                     p.message if p.key in FRONT_MATTER_CODES else f"{p.key} : {p.message}",
                     p.fix) for p in doc.problems]
    if doc.kind == "other" or doc.problems:
        return found
    for typo in mistyped_keys(doc.meta, doc.meta_lines, str(doc.path)).values():
        found.append(finding(doc.display, typo.line, "front-matter-unknown-key",
                             typo.message, typo.fix))
    title = doc.meta.get("title")
    if isinstance(title, str) and TITLE_MARKUP_RE.search(title):
        found.append(finding(doc.display, doc.line_of("title"), "title-markup",
                             "Markdown dans le titre (` ou **) : le titre est du texte, la page "
                             "et la couverture montreraient ces signes tels quels",
                             "retirez-les ; un nom de commande s’écrit sans mise en forme dans un titre"))
    if doc.meta.get("cover") and not str(doc.meta.get("cover_alt") or "").strip():
        found.append(finding(doc.display, doc.line_of("cover"), "cover-alt",
                             "couverture fournie sans cover_alt : les lecteurs d’écran et les réseaux "
                             "n’auraient que « Illustration : » suivi du titre",
                             'décrivez l’image : cover_alt: "Ce que montre la photo"'))
    category = doc.meta.get("category")
    if doc.kind == "article" and isinstance(category, str):
        declared = declared_category(category, context.settings)
        if declared and declared != category.strip():
            found.append(finding(
                doc.display, doc.line_of("category"), "front-matter-category-spelling",
                f"rubrique écrite « {category.strip()} », déclarée « {declared} » dans "
                "CATEGORY_TREE (le site affiche « " + declared + " »)",
                f"écrivez category: {declared}"))
    limit = context.settings.get("CHECK_SUMMARY_MAX_LENGTH", 300)
    summary = doc.meta.get("summary")
    if isinstance(summary, str) and len(summary.strip()) > limit:
        found.append(finding(
            doc.display, doc.line_of("summary"), "front-matter-summary-length",
            f"résumé de {len(summary.strip())} caractères (plus de {limit})",
            "raccourcissez-le : une ou deux phrases pour les listes et le partage"))
    date = parse_date(doc.meta.get("date"), context.now.tzinfo)
    modified = parse_date(doc.meta.get("modified"), context.now.tzinfo)
    if date and modified and modified < date:
        found.append(finding(
            doc.display, doc.line_of("modified"), "front-matter-modified-order",
            f"mise à jour ({modified:%Y-%m-%d}) antérieure à la publication ({date:%Y-%m-%d}) : "
            "la page dirait « Mis à jour le » une date passée",
            "corrigez modified:, ou retirez-la si l’article n’a pas changé"))
    scheduled = str(doc.meta.get("status") or "").strip().lower() == "published"
    if doc.kind == "article" and date and date > context.now and not (doc.is_draft or scheduled):
        found.append(finding(
            doc.display, doc.line_of("date"), "front-matter-future-date",
            f"date future ({date:%Y-%m-%d %H:%M}) : l’article n’apparaîtra qu’à cette date",
            "corrigez la date ; ou ajoutez status: published s’il est programmé exprès, "
            "status: draft s’il n’est pas prêt"))
    return found


def parse_date(value, tz) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        date = value
    elif isinstance(value, datetime.date):
        date = datetime.datetime(value.year, value.month, value.day)
    else:
        try:
            date = get_date(str(value).strip())
        except (ValueError, OverflowError, TypeError):
            return None
    return date.replace(tzinfo=tz) if date.tzinfo is None else date


def duplicate_slug_rule(docs: list[Document], context: Context) -> list[Finding]:
    """Two articles or pages at one address: name both files, on each of them."""
    by_url = defaultdict(list)
    for doc in docs:
        if doc.kind != "other" and doc.slug:
            by_url[output_url(doc, context.settings)].append(doc)
    found = []
    for url, same in by_url.items():
        if len(same) < 2:
            continue
        for doc in same:
            others = ", ".join(o.display for o in same if o is not doc)
            found.append(finding(
                doc.display, doc.meta_lines.get("slug") or doc.line_of("title"),
                "duplicate-slug", f"slug « {doc.slug} » (/{url}) déjà utilisé par {others}",
                "donnez à l’un des fichiers un autre slug: dans son en-tête"))
    return found


def output_url(doc: Document, settings: dict) -> str:
    key = "PAGE_URL" if doc.kind == "page" else "ARTICLE_URL"
    try:
        return settings.get(key, "{slug}/").format(slug=doc.slug, lang=settings.get(
            "DEFAULT_LANG", "fr"))
    except (KeyError, AttributeError, IndexError):
        return f"{doc.slug}/"


def output_file(doc: Document, settings: dict) -> str | None:
    """Where the build writes `doc` (relative to output/), to map output back to source."""
    key = "PAGE_SAVE_AS" if doc.kind == "page" else "ARTICLE_SAVE_AS"
    try:
        return settings.get(key, "{slug}/index.html").format(
            slug=doc.slug, lang=settings.get("DEFAULT_LANG", "fr")) or None
    except (KeyError, AttributeError, IndexError):
        return None


# --- leftovers: leaked generation text and placeholders --------------------------------

def leftover_rules(doc: Document, context: Context) -> list[Finding]:
    rules = patterns_by_rule()
    found = []
    lines = [(n, plain_view(t)) for n, t in doc.prose]
    lines += header_texts(doc)
    for number, text in lines:
        for code in ("placeholder", "placeholder-todo", "leaked-envelope"):
            for hit in rules[code].finditer(text):
                found.append(_pattern_finding(doc, number, code, *hit))
    for number, raw in [*doc.prose, *header_texts(doc)]:
        speech = speech_view(raw)
        if speech is None:
            continue
        for code in ("leaked-assistant", "leaked-instruction"):
            for hit in rules[code].finditer(speech):
                found.append(_pattern_finding(doc, number, code, *hit))
    found += fence_envelope_rule(doc)
    return found


LEFTOVER_FIXES = {
    "placeholder": "remplacez-le par le vrai texte, ou supprimez-le",
    "placeholder-todo": "terminez ce passage puis retirez la marque",
    "leaked-assistant": "supprimez cette phrase : elle s’adresse à l’outil, pas au lecteur",
    "leaked-instruction": "supprimez la consigne laissée dans l’article",
    "leaked-envelope": "retirez l’enveloppe : l’article commence par son texte, sans balise "
                       "ni clé",
}
LEFTOVER_LABELS = {
    "placeholder": "texte de remplissage",
    "placeholder-todo": "marque de travail oubliée",
    "leaked-assistant": "bavardage d’assistant de génération de texte",
    "leaked-instruction": "consigne de génération de texte",
    "leaked-envelope": "enveloppe de texte généré",
}


def _pattern_finding(doc, number, code, pattern, matched) -> Finding:
    excerpt = matched.strip(BLANK + " ")
    excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "…"
    return finding(doc.display, number, code,
                   f"{LEFTOVER_LABELS[code]} « {excerpt} » [{pattern.id}]", LEFTOVER_FIXES[code])


def fence_envelope_rule(doc: Document) -> list[Finding]:
    """Code fences around prose (a pasted ```markdown answer) or never closed."""
    found = []
    for fence in doc.fences:
        if fence.end is None:
            found.append(finding(
                doc.display, fence.start, "leaked-envelope",
                f"bloc de code ouvert par « {fence.marker} » et jamais fermé",
                f"supprimez cette ligne, ou fermez le bloc par « {fence.marker} »"))
            continue
        if fence.info not in PROSE_FENCE_INFOS:
            continue
        content = [line for line in fence.lines if line.strip()]
        prose = [line for line in content if is_prose(line)]
        if len(prose) >= 2 and len(prose) >= 0.6 * len(content):
            found.append(finding(
                doc.display, fence.start, "leaked-envelope",
                f"bloc de code (lignes {fence.start}-{fence.end}) qui contient du texte rédigé",
                "retirez les lignes « ``` » qui l’entourent : ce texte doit être publié "
                "comme un paragraphe"))
    return found


def is_prose(line: str) -> bool:
    """A sentence or a Markdown heading, not code: words, stop words, no code symbols."""
    stripped = line.strip()
    if HEADING_RE.match(stripped):
        return True
    words = LETTERS_RE.findall(stripped)
    if len(words) < 8 or any(symbol in stripped for symbol in ("{", "}", "=", "$ ", "();")):
        return False
    return sum(word.lower() in STOPWORDS for word in words) >= 2


# --- mixed scripts -----------------------------------------------------------------------

def script_of(char: str) -> str:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x400 <= code <= 0x52F or 0x1C80 <= code <= 0x1C8F or 0xA640 <= code <= 0xA69F:
        return "cyrillic"
    if 0x370 <= code <= 0x3FF or 0x1F00 <= code <= 0x1FFF:
        return "greek"
    if 0x2000 <= code <= 0x2BFF:
        return "symbol"  # letterlike symbols: Ω (ohm), K (kelvin), ℓ…
    name = unicodedata.name(char, "")
    if "LATIN" in name or name.startswith("MODIFIER LETTER"):
        return "latin"  # 13ᵉ, fullwidth letters, phonetic extensions
    if "CYRILLIC" in name:
        return "cyrillic"
    if "GREEK" in name:
        return "greek"
    return "other"


def mixed_word_problem(word: str) -> str | None:
    """Why `word` mixes scripts suspiciously, or None when it is fine."""
    latin = [c for c in word if script_of(c) == "latin"]
    if not latin:
        return None
    foreign = [c for c in word if script_of(c) in ("cyrillic", "greek", "other")]
    if not foreign:
        return None
    greek_only = all(script_of(c) == "greek" for c in foreign)
    if greek_only and not any(c in GREEK_LOOKALIKES for c in foreign) and len(latin) < 4:
        return None  # a Greek symbol beside a unit or variable: μs, ΔT, λmax
    return ", ".join(foreign_letter(char) for char in dict.fromkeys(foreign))  # each one


def foreign_letter(char: str) -> str:
    """« о » U+043E CYRILLIC SMALL LETTER O (lettre latine attendue : « o »)."""
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    replacement = CONFUSABLES.get(char)
    hint = f" (lettre latine attendue : « {replacement} »)" if replacement else ""
    return f"« {char} » U+{ord(char):04X} {name}{hint}"


def mixed_script_rule(doc: Document, context: Context) -> list[Finding]:
    found = []
    for number, text in [*doc.prose, *header_texts(doc)]:
        if not SUSPECT_CHAR_RE.search(text):
            continue
        for word in re.findall(r"\w+", plain_view(text)):
            problem = mixed_word_problem(word)
            if problem:
                found.append(finding(
                    doc.display, number, "mixed-script",
                    f"le mot « {word} » mêle deux alphabets : {problem}",
                    "retapez le mot au clavier : une lettre vient d’un autre alphabet"))
    return found


# --- French typography left to fix by hand ----------------------------------------------

def typography_rules(doc: Document, context: Context) -> list[Finding]:
    found = []
    title = doc.meta.get("title")
    if isinstance(title, str) and "..." in title:
        found.append(finding(doc.display, doc.line_of("title"), "typo-ellipsis",
                             "« ... » dans le titre",
                             "écrivez le caractère « … » (points de suspension)"))
    texts = [(n, plain_view(t)) for n, t in doc.prose]
    for key in ("title", "summary"):
        if isinstance(doc.meta.get(key), str):
            texts.append((doc.line_of(key), doc.meta[key]))
    for number, text in texts:
        if text.lstrip().startswith("|"):
            continue  # tables are aligned with spaces on purpose
        if HEADING_RE.match(text) and "..." in text:
            found.append(finding(doc.display, number, "typo-ellipsis",
                                 "« ... » dans un intertitre", "écrivez « … »"))
        if SPACE_COMMA_RE.search(text):
            found.append(finding(doc.display, number, "typo-space-comma",
                                 "espace avant une virgule", "collez la virgule au mot qui "
                                 "la précède"))
        if DOUBLE_SPACE_RE.search(MARKUP_LEAD_RE.sub("", text, count=1).strip()):
            found.append(finding(doc.display, number, "typo-double-space",
                                 "deux espaces de suite", "n’en gardez qu’une"))
    return found


# --- links and images in the source -----------------------------------------------------

def link_rules(doc: Document, context: Context) -> list[Finding]:
    """{filename}/{static} targets that do not exist, images missing or without alt text."""
    found = []
    for number, text in doc.prose:
        for match in LINK_RE.finditer(text):
            image = bool(match["image"])
            if image and not match["text"].strip():
                found.append(finding(
                    doc.display, number, "image-alt",
                    f"image « {match['target']} » sans texte alternatif",
                    "décrivez l’image entre les crochets : ![Ce que montre l’image](…)"))
            found += _target_problems(doc, number, match["target"], image, context)
            if image:
                found += _third_party(doc, number, "image", match["target"], context)
        for tag in HTML_EMBED_RE.finditer(text):
            for attribute in EMBED_ATTR_RE.finditer(tag.group(0)):
                found += _third_party(doc, number, f"<{tag['tag'].lower()}>",
                                      attribute["dq"] or attribute["sq"] or "", context)
        if INLINE_SCRIPT_RE.search(text):
            found.append(finding(
                doc.display, number, "inline-script",
                "script dans le texte (<script> ou attribut on…=) : la politique de sécurité "
                "des pages (CSP) l’empêche de s’exécuter",
                "retirez-le ; une fonction du site se code dans theme/static/js/, "
                "pas dans un article"))
        # Blanking the linked parts (costly: LINKED_RE tries « word= » on every word)
        # only matters on a line with an address; it never makes a new one appear.
        unlinked = LINKED_RE.sub(blank, text) if "http" in text or "www." in text else ""
        for address in BARE_URL_RE.finditer(unlinked):
            found.append(finding(
                doc.display, number, "bare-url",
                f"adresse « {address.group()} » écrite en clair : le lecteur ne peut pas "
                "cliquer dessus", "mettez-la entre chevrons, <https://…>, ou faites-en un "
                "lien : [texte du lien](https://…)"))
        reference = REFERENCE_RE.match(text)
        if reference:
            found += _target_problems(doc, number, reference["target"], False, context)
        for tag in HTML_IMG_RE.finditer(text):
            attributes = {m["name"].lower(): m["dq"] if m["dq"] is not None else m["sq"]
                          for m in HTML_ATTR_RE.finditer(tag.group(0))}
            if "alt" not in attributes:
                found.append(finding(
                    doc.display, number, "image-alt",
                    f"balise <img> « {attributes.get('src', '')} » sans attribut alt",
                    'ajoutez alt="ce que montre l’image"'))
            found += _target_problems(doc, number, attributes.get("src", ""), True, context)
        for tag in HTML_LINK_RE.finditer(text):
            for attribute in HTML_ATTR_RE.finditer(tag.group(0)):
                if attribute["name"].lower() == "href":
                    found += _target_problems(doc, number, attribute["dq"] or attribute["sq"]
                                              or "", False, context)
    cover = doc.meta.get("cover")
    if isinstance(cover, str) and cover.strip():
        relative = INTERNAL_PREFIX_RE.sub(r"\g<rest>", cover.strip()).lstrip("/")
        if not (context.content_dir / unquote(relative)).is_file():
            found.append(finding(
                doc.display, doc.line_of("cover"), "missing-image",
                f"image de couverture « {cover} » introuvable dans {context.content_dir.name}/",
                "vérifiez le chemin (relatif à content/, par exemple images/photo.jpg) ou "
                "retirez la clé cover pour une couverture générée"))
    return found


def _third_party(doc, number, what, address, context) -> list[Finding]:
    """An image, video or frame served by another host: the pages' policy (CSP) blocks it,
    so readers would see an empty frame, and the site promises no third-party request."""
    external = EXTERNAL_RE.match(address)
    if external is None:
        return []
    own = EXTERNAL_RE.match(str(context.settings.get("SITEURL") or ""))
    if own and own["host"].lower() == external["host"].lower():
        return []
    return [finding(doc.display, number, "third-party-embed",
                    f"{what} chargé depuis {external['host']} : la page ne l’affichera pas",
                    "copiez le fichier dans content/images/ si vous en avez le droit, ou "
                    "remplacez l’intégration par un lien vers la page d’origine")]


def _target_problems(doc, number, target, image, context) -> list[Finding]:
    target = target.strip()
    prefix = INTERNAL_PREFIX_RE.match(target)
    code = "missing-image" if image else "broken-link"
    if prefix:
        kind = prefix["kind"] or prefix["old"]
        rest = prefix["rest"]
        if kind in ("filename", "static", "attach"):
            path = unquote(rest.split("#", 1)[0].split("?", 1)[0])
            if not path:
                return []
            base = context.content_dir if path.startswith("/") else doc.path.parent
            if not (base / path.lstrip("/")).resolve().is_file():
                return [finding(doc.display, number, code,
                                f"« {target} » : le fichier {path} n’existe pas",
                                "corrigez le nom du fichier (chemin relatif à cet article, "
                                "ou à content/ s’il commence par /)")]
        elif kind == "category":
            subs = context.settings.get("CATEGORY_REGEX_SUBSTITUTIONS", [])
            if slugify(unquote(rest), regex_subs=subs) not in context.categories:
                return [finding(doc.display, number, "broken-link",
                                f"« {target} » : catégorie inconnue",
                                "utilisez une catégorie de CATEGORY_TREE")]
        elif kind == "tag":
            subs = context.settings.get("TAG_REGEX_SUBSTITUTIONS", [])
            if slugify(unquote(rest), regex_subs=subs) not in context.tag_slugs:
                return [finding(doc.display, number, "broken-link",
                                f"« {target} » : aucune étiquette de ce nom",
                                "vérifiez l’orthographe de l’étiquette")]
        return []
    if not image or not target or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", target, re.I):
        return []
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    base = context.content_dir if path.startswith("/") else doc.path.parent
    if not (base / path.lstrip("/")).is_file():
        return [finding(doc.display, number, "missing-image",
                        f"image « {target} » introuvable",
                        "écrivez ![texte](images/nom.jpg) avec {static} : "
                        "![texte]({static}/images/nom.jpg), et vérifiez que le fichier existe")]
    return []


# --- tags --------------------------------------------------------------------------------

def tag_names(doc: Document) -> list[str]:
    tags = doc.meta.get("tags")
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list):
        return []
    return [str(t).strip() for t in tags if isinstance(t, (str, int, float)) and str(t).strip()]


def near_duplicate_tag_rule(docs: list[Document], context: Context) -> list[Finding]:
    """Two spellings of one tag: same slug, or one letter apart on long tags."""
    subs = context.settings.get("TAG_REGEX_SUBSTITUTIONS", [])
    aliases = {slugify(str(key), regex_subs=subs): str(target)
               for key, target in (context.settings.get("TAG_ALIASES") or {}).items()}

    def wanted(name):  # TAG_ALIASES merges on purpose: A → B → C
        seen = set()
        while (slug := slugify(name, regex_subs=subs)) in aliases and slug not in seen:
            seen.add(slug)
            name = aliases[slug]
        return name

    uses: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        for name in dict.fromkeys(wanted(name) for name in tag_names(doc)):
            uses[name].append(doc)
    slug_of = {name: slugify(name, regex_subs=subs) for name in uses}
    found = []

    def report(rare, common, reason, code="tag-near-duplicate"):
        doc = uses[rare][0]
        found.append(finding(
            doc.display, doc.line_of("tags"), code,
            f"étiquette « {rare} » ({plural(len(uses[rare]), 'article')}) {reason} « {common} » "
            f"({plural(len(uses[common]), 'article')}, par exemple {uses[common][0].display})",
            f"choisissez une seule orthographe, par exemple « {common} »"))

    by_slug = defaultdict(list)
    for name in uses:
        by_slug[slug_of[name]].append(name)
    for names in by_slug.values():
        if len(names) > 1:
            common = max(names, key=lambda n: (len(uses[n]), n))
            for rare in sorted(n for n in names if n != common):
                report(rare, common, "s’écrit aussi", "tag-variant")  # one tag page all the same
    canonical = {slug: max(names, key=lambda n: (len(uses[n]), n))
                 for slug, names in by_slug.items()}
    slugs = sorted(s for s in canonical if len(s.replace("-", "")) > 5)
    by_length = defaultdict(list)
    for slug in slugs:
        by_length[len(slug)].append(slug)
    for slug in slugs:
        for other in by_length[len(slug)] + by_length[len(slug) + 1]:
            if other <= slug and len(other) == len(slug):
                continue
            if one_edit_apart(slug, other):
                a, b = canonical[slug], canonical[other]
                rare, common = sorted((a, b), key=lambda n: (len(uses[n]), n))
                report(rare, common, "ressemble à")
    return found


def one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1 (one substitution, insertion or deletion)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


# --- all of it ---------------------------------------------------------------------------

TITLE_MARKUP_RE = re.compile(r"`|\*\*|(?<![\w*])\*\w[^*]*\w\*(?![\w*])")
ATX_HEADING_RE = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+\S")


def heading_rules(doc: Document, context: Context) -> list[Finding]:
    """Headings a screen reader lists as the article's outline: one title (the page's
    h1, from title:), then levels without a gap (## then ###, not ## then ####)."""
    found, level = [], 1
    for number, text in doc.prose:
        match = ATX_HEADING_RE.match(text)
        if not match:
            continue
        current = len(match["marks"])
        if current == 1:
            found.append(finding(doc.display, number, "heading-level",
                                 "intertitre de niveau 1 (#) : la page a déjà son titre, celui de title:",
                                 "commencez les intertitres à ## (puis ### dessous)"))
        elif current > level + 1:
            found.append(finding(doc.display, number, "heading-level",
                                 f"intertitre {'#' * current} après {'#' * level if level > 1 else 'le titre'} : "
                                 "un niveau sauté",
                                 f"écrivez {'#' * (level + 1)} ici"))
        level = max(current, 2) if current > 1 else level
    return found


PER_DOCUMENT = (front_matter_rules, leftover_rules, mixed_script_rule, typography_rules,
                link_rules, heading_rules)
MIN_DOCUMENTS_PER_PROCESS = 100  # ~3 ms a document: below this a fork is not worth it


def document_findings(docs: list[Document], context: Context) -> list[Finding]:
    return [found for doc in docs for rule in PER_DOCUMENT for found in rule(doc, context)]


def check_content(docs: list[Document], context: Context) -> list[Finding]:
    """Every rule; the per-document ones, which share no state, on every core."""
    processes = processus.process_count(0, len(docs), MIN_DOCUMENTS_PER_PROCESS)
    shares = processus.map_shares(functools.partial(document_findings, context=context),
                                  docs, processes)
    found = [f for share in shares for f in share]
    found += duplicate_slug_rule(docs, context)
    found += near_duplicate_tag_rule([d for d in docs if d.kind == "article"], context)
    return found


def make_context(docs: list[Document], content_dir: Path, settings: dict) -> Context:
    subs = settings.get("TAG_REGEX_SUBSTITUTIONS", [])
    tag_slugs = {slugify(name, regex_subs=subs) for doc in docs for name in tag_names(doc)}
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    return Context(content_dir, settings, known_categories(settings), tag_slugs,
                   datetime.datetime.now(tz))
