"""Plain text for places that cannot hold markup. Shared by the plugins; not a plugin.

Why one module: ``<title>``, meta descriptions, feed titles, JSON-LD and the table of
contents all need the text of a title or an HTML fragment. French typography puts
no-break spaces (U+00A0, U+202F) before « : ; ! ? » and inside « » ; Python's
``str.split()`` and Jinja's ``striptags`` count them as whitespace and would turn them
into ordinary spaces, so a line could break before the colon again. Here only ASCII
whitespace collapses. ``pelicanconf.py`` puts ``plugins/`` on ``sys.path`` so the
plugins can import this module (Pelican itself loads each plugin alone).
"""

from __future__ import annotations

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
