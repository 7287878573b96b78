"""Table of contents and heading anchors, in French, with ASCII ids.

Why our own: Python-Markdown's ``toc`` extension makes the ids and the ``#`` permalinks,
but its default slug drops the French apostrophe (« l’IA » → ``lia``), its permalinks
have no accessible name beyond « # », and Pelican does not hand the ``toc`` it builds to
templates. This plugin configures ``toc``, names each permalink after its heading, and
gives templates a table of contents read from the final HTML (after typography), so the
ids in the list are the ids in the page.

| hook | job |
| --- | --- |
| ``initialized`` | defaults of the ``SOMMAIRE_*`` settings; ``toc`` gets our ``slugify`` and the ``AnchorLabelExtension`` joins ``MARKDOWN["extensions"]`` |
| ``content_object_init`` | ``content.toc_entries`` [(level, id, text)], ``content.toc_count``, ``content.toc_html`` (nested ``<ol>``, Markup) |

The theme shows the table as a ``<details>`` (no JavaScript) when ``toc_count`` reaches
``SOMMAIRE_MIN_HEADINGS``.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from xml.etree import ElementTree

from _texte import collapse_ascii_spaces, with_markdown_extension
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape
from pelican import signals
from unidecode import unidecode

logger = logging.getLogger(__name__)

TOC_EXTENSION = "markdown.extensions.toc"
DEFAULTS = {
    "SOMMAIRE_MIN_HEADINGS": 4,
    "SOMMAIRE_LEVELS": [2, 3],
    "SOMMAIRE_ANCHOR_LABEL": "Lien direct vers la section «\u202f{titre}\u202f»",
}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def slug_ascii(value: str, separator: str = "-") -> str:
    """« L’IA à l’école : état des lieux » → ``l-ia-a-l-ecole-etat-des-lieux``.

    Same folding as the site's slugs: accents folded, apostrophes separate words.
    """
    text = unidecode(value).lower()
    text = re.sub(r"['’]", " ", text)
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[-\s_]+", separator, text).strip(separator)


class AnchorLabelTreeprocessor(Treeprocessor):
    """Gives every ``toc`` permalink an ``aria-label`` naming its heading, and moves it
    out of the heading, beside it.

    Why out: inside ``<h2>``, the link's name became part of the heading's, and a screen
    reader moving from heading to heading said every title twice (« Titre, Lien direct
    vers la section Titre »). ``<div class="titre-ancre titre-ancre--h2"><h2 id>Titre</h2>
    <a class="headerlink">#</a></div>``: the theme shows the heading inline, the « # »
    right after its last word, as before.
    """

    def __init__(self, md, label: str, css_class: str):
        super().__init__(md)
        self.label = label
        self.css_class = css_class

    def run(self, root: ElementTree.Element):
        moves = []
        for parent in root.iter():
            for index, heading in enumerate(parent):
                if heading.tag not in HEADING_TAGS:
                    continue
                anchors = [child for child in heading if child.tag == "a"
                           and self.css_class in (child.get("class") or "").split()]
                if anchors:
                    moves.append((parent, index, heading, anchors))
        for parent, index, heading, anchors in reversed(moves):  # indexes stay valid
            title = " ".join(heading_text(heading, skip=anchors).split())
            wrapper = ElementTree.Element("div", {"class": f"titre-ancre titre-ancre--{heading.tag}"})
            wrapper.tail = heading.tail
            heading.tail = None
            parent.remove(heading)
            parent.insert(index, wrapper)
            wrapper.append(heading)
            for anchor in anchors:
                heading.remove(anchor)
                anchor.set("aria-label", self.label.format(titre=title))
                anchor.tail = None
                wrapper.append(anchor)
            _strip_trailing_space(heading)


def _strip_trailing_space(heading: ElementTree.Element) -> None:
    """The permalink's removal leaves no space at the end of the heading."""
    if len(heading):
        heading[-1].tail = (heading[-1].tail or "").rstrip() or None
    else:
        heading.text = (heading.text or "").rstrip() or None


def heading_text(element: ElementTree.Element, skip) -> str:
    """Text of a heading without its permalink (``itertext`` minus the skipped children)."""
    parts = [element.text or ""]
    for child in element:
        if child not in skip:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


class AnchorLabelExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "label": [DEFAULTS["SOMMAIRE_ANCHOR_LABEL"],
                      "Accessible name of a permalink; {titre} is the heading text."],
            "css_class": ["headerlink", "Class of toc's permalinks. Default: `headerlink`."],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Priority 4: right after toc (5), which creates the permalinks.
        md.treeprocessors.register(
            AnchorLabelTreeprocessor(md, self.getConfig("label"), self.getConfig("css_class")),
            "anchor_label", 4)


def configure_markdown(pelican):
    """Defaults, our slugify in ``toc``, and the label extension in MARKDOWN.

    MARKDOWN and its nested dicts are copied, never changed in place: they may be shared
    with another build in the same process.
    """
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    markdown = dict(settings.get("MARKDOWN") or {})
    configs = dict(markdown.get("extension_configs") or {})
    toc = dict(configs.get(TOC_EXTENSION) or {})
    toc.setdefault("slugify", slug_ascii)
    configs[TOC_EXTENSION] = toc
    markdown["extension_configs"] = configs
    css_class = toc.get("permalink_class", "headerlink")
    settings["MARKDOWN"] = with_markdown_extension(
        markdown, AnchorLabelExtension(label=settings["SOMMAIRE_ANCHOR_LABEL"],
                                       css_class=css_class))


HEADING_RE = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
ID_RE = re.compile(r"""(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')""")
PERMALINK_RE = re.compile(
    r"""<a\b[^>]*\bclass\s*=\s*(?:"[^"]*\bheaderlink\b[^"]*"|'[^']*\bheaderlink\b[^']*')"""
    r"[^>]*>.*?</a\s*>", re.S | re.I)
TAG_RE = re.compile(r"<[^>]*>")


def toc_entries(html: str, levels) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings with an id, permalink text left out.

    Regular expressions rather than an HTML parser: the body comes from Python-Markdown,
    which escapes ``<`` and ``>`` in text and attributes, so a heading is exactly
    ``<hN …>…</hN>`` and a tag never contains ``>``. Scanning only the headings is what
    keeps this step out of the build's profile (a full parse of every body cost ~5 % of
    a warm build).
    """
    wanted = set(levels)
    entries = []
    for level, attributes, inner in HEADING_RE.findall(html or ""):
        anchor = ID_RE.search(attributes)
        if int(level) not in wanted or not anchor:
            continue
        text = unescape(TAG_RE.sub("", PERMALINK_RE.sub("", inner)))
        entries.append((int(level), unescape(anchor.group(1) or anchor.group(2) or ""),
                        collapse_ascii_spaces(text)))
    return [entry for entry in entries if entry[1]]


def toc_html(entries) -> Markup:
    """Nested ordered lists; a level never opens more than one list deeper than the
    previous entry, so a jump from h2 to h4 stays valid HTML."""
    if not entries:
        return Markup("")
    top = min(level for level, _, _ in entries)
    out, depth, item_open = ['<ol class="toc__list">'], top, False
    for level, anchor, text in entries:
        level = min(level, depth + 1) if item_open else top
        if level > depth:
            out.append("<ol>")
        elif item_open:
            out.append("</li>")
            while depth > level:
                out.append("</ol></li>")
                depth -= 1
        depth = level
        out.append(f'<li><a href="#{escape(anchor)}">{escape(text)}</a>')
        item_open = True
    out.append("</li>")
    while depth > top:
        out.append("</ol></li>")
        depth -= 1
    out.append("</ol>")
    return Markup("".join(out))


def attach_toc(content):
    """``toc_count`` and ``toc_html`` for the templates, from the rendered body."""
    html = getattr(content, "_content", None)
    if not isinstance(html, str):
        return
    levels = content.settings.get("SOMMAIRE_LEVELS", DEFAULTS["SOMMAIRE_LEVELS"])
    content.toc_entries = toc_entries(html, levels)
    content.toc_count = len(content.toc_entries)
    content.toc_html = toc_html(content.toc_entries)


def register():
    # initialized: the toc settings and our extension must be in MARKDOWN before the
    # first reader is created.
    signals.initialized.connect(configure_markdown)
    # content_object_init: the body is rendered; typography (earlier in PLUGINS) is done.
    signals.content_object_init.connect(attach_toc)
