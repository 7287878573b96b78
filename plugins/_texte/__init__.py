"""Plain text for places that cannot hold markup. Shared by the plugins; not a plugin.

Why one module: ``<title>``, meta descriptions, feed titles, JSON-LD and the table of
contents all need the text of a title or an HTML fragment. French typography puts
no-break spaces (U+00A0, U+202F) before « : ; ! ? » and inside « » ; Python's
``str.split()`` and Jinja's ``striptags`` count them as whitespace and would turn them
into ordinary spaces, so a line could break before the colon again. Here only ASCII
whitespace collapses. ``pelicanconf.py`` puts ``plugins/`` on ``sys.path`` so the
plugins can import this module (Pelican itself loads each plugin alone).

Also here: French dates written out (``french_day``), which the theme's filters and the
covers both print; one function, so « 1er octobre » reads the same on a page and on its
share image. And ``with_markdown_extension``, by which the plugins that render text
through Python-Markdown (pullquotes, tableaux, sommaire) join its extensions. And
``WEAK_ENDINGS``/``is_weak_ending``/``shorten``: where a French text may be cut (a description, a cover
title's line), never after « le », « de », « l’ ».
"""

from __future__ import annotations

import datetime
import functools
import re
from html import unescape

from markupsafe import Markup

ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
TAG = re.compile(r"<[^>]*>")


def collapse_ascii_spaces(text: str) -> str:
    """« Pourquoi\u202f?\\n  vraiment » → « Pourquoi\u202f? vraiment »: runs of ASCII
    whitespace become one space, no-break spaces stay.

    >>> collapse_ascii_spaces(" a\\u00a0:\\n\\t b ")
    'a\\xa0: b'
    """
    return ASCII_WHITESPACE.sub(" ", text).strip(" ")


def fragment_text(html: str) -> str:
    """Text of an HTML fragment: each tag a space, entities decoded, ASCII whitespace
    collapsed (a tag between two paragraphs must not glue their words).

    >>> fragment_text("<p>R&amp;D\u00a0:</p><p>bilan</p>")
    'R&D\\xa0: bilan'
    """
    return collapse_ascii_spaces(unescape(TAG.sub(" ", html)))


def plain_text(value) -> str:
    """A title as text: Markup is HTML (tags stripped, entities decoded), a plain str is
    already text (« R&amp;D » stays as written), None is empty.

    >>> plain_text(Markup("<em>L’IA</em> &amp; nous")), plain_text("R&amp;D"), plain_text(None)
    ('L’IA & nous', 'R&amp;D', '')
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return fragment_text(str(value))
    return collapse_ascii_spaces(str(value))


FIRST_OF_MONTH = re.compile(r"^1(?=\s)")


@functools.lru_cache(maxsize=8192)
def french_day(day: datetime.date, pattern: str = "d MMMM y", locale: str = "fr_FR") -> str:
    """A day written out by Babel (its own CLDR data, never the machine's locale), once
    per day and pattern in a process: a build shows the same few thousand dates on many
    pages. The first of the month is « 1er » in French.

    >>> french_day(datetime.date(2025, 10, 1)), french_day(datetime.date(2025, 10, 23), "d MMM y")
    ('1er octobre 2025', '23 oct. 2025')
    """
    from babel.dates import format_date  # Babel loads its data on first use only

    text = format_date(day, pattern, locale=locale)
    if locale.startswith("fr") and day.day == 1:
        text = FIRST_OF_MONTH.sub("1er", text)
    return text


def with_markdown_extension(markdown_settings: dict | None, extension) -> dict:
    """A copy of Pelican's MARKDOWN with ``extension`` in its ``extensions``, in place of
    any earlier instance of the same class.

    A copy, never a change in place: the dict may be shared with Pelican's defaults (two
    sites built in one process, the tests). Matched by class name, not class: the
    preview reloads an edited plugin, whose extension is then a new class.
    """
    copy = dict(markdown_settings or {})
    name = type(extension).__name__
    copy["extensions"] = [*(ext for ext in copy.get("extensions", [])
                            if type(ext).__name__ != name), extension]
    return copy


#: Words a French line, or a text cut short, should not end on (typographic convention):
#: articles, short prepositions and conjunctions, elided forms.
WEAK_ENDINGS = frozenset(
    "à a au aux de du des d’ l’ la le les un une et en ou sur par pour dans "
    "sans sous avec ce ces cet cette son sa ses leur leurs nos vos ne que qui y "
    "mais dont très".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[ \u00a0\u202f]*(?:»[ \u00a0\u202f]*)?(?= [«A-ZÀ-ÖØ-Þ0-9])")
_SPACES = " \u00a0\u202f"


def _core(word: str) -> str:
    return word.strip("«»\"'(" + _SPACES).casefold()


def is_weak_ending(word: str) -> bool:
    """« le », « de », « l’ »… or a single letter: a line should not end on it
    (guillemets, quotes and spaces around it aside)."""
    core = _core(word)
    return core in WEAK_ENDINGS or len(core) == 1


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters; else its whole sentences that fit,
    if they make at least half the room; else a cut after a word that is not « le »,
    « de », « l’ »…, with « … ». Never in the middle of a word."""
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _SENTENCE_END.finditer(text) if m.start() <= limit]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]].rstrip(_SPACES)
    words = text[: limit].rsplit(" ", 1)[0].split(" ")
    # Nor, for a cut text, on any elided word (« qu’ », « jusqu’ »).
    while len(words) > 1 and (is_weak_ending(words[-1]) or _core(words[-1]).endswith("’")):
        words.pop()
    return " ".join(words).rstrip(_SPACES + ",;:–—-") + "…"
