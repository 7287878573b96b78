"""Column alignment of Markdown tables as classes, not ``style`` attributes.

Why our own: Python-Markdown's ``tables`` extension aligns a column (``|--:|``) with
``style="text-align: right;"`` on every cell, and the site's Content-Security-Policy
(``style-src 'self'``, no inline style anywhere) makes the browser drop it: figures in a
right-aligned column came out flush left. Its ``use_align_attribute`` option writes
``align=``, obsolete in HTML5. Nothing in the Pelican plugin ecosystem does this, and it
is a dozen lines: a ``Treeprocessor`` that runs after ``tables`` and turns the style into
``class="align-right"`` (``align-left``, ``align-center``), which the theme styles.

| hook | job |
| --- | --- |
| ``initialized`` | ``TableAlignExtension`` joins ``MARKDOWN["extensions"]`` |
"""

from __future__ import annotations

import re

import markdown
from _texte import with_markdown_extension
from markdown.treeprocessors import Treeprocessor

ALIGN_RE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")


class TableAlignTreeprocessor(Treeprocessor):
    """``<td style="text-align: right;">`` → ``<td class="align-right">``."""

    def run(self, root):
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = ALIGN_RE.match(cell.get("style", ""))
            if match is None:
                continue
            del cell.attrib["style"]
            classes = [*cell.get("class", "").split(), f"align-{match.group(1)}"]
            cell.set("class", " ".join(classes))
        return None


class TableAlignExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # Before `inline` (30 would be after it; tables build their cells as block
        # parsing ends, so any tree processor sees them).
        md.treeprocessors.register(TableAlignTreeprocessor(md), "table_align", 5)


def makeExtension(**kwargs):  # noqa: N802 (name required by Python-Markdown)
    return TableAlignExtension(**kwargs)


def add_extension(pelican) -> None:
    """``initialized``: the extension in MARKDOWN, before the first reader is made."""
    pelican.settings["MARKDOWN"] = with_markdown_extension(pelican.settings.get("MARKDOWN"),
                                                           TableAlignExtension())


def register() -> None:
    from pelican import signals

    signals.initialized.connect(add_extension)
