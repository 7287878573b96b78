"""One Markdown source file, read once and cut into what the rules need.

Why a model of our own: every text rule must skip code (fenced blocks, indented blocks,
inline spans) and keep the line number of the source, and the link rules need the
same lines. Reading the front-matter reuses the build's own parsers
(``plugins/frontmatter``), so the check and the build never disagree on a header.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.frontmatter import (  # plugins/ is on sys.path (see __init__)
    MetadataError,
    display_path,
    header_match,
    native_metadata_with_lines,
    read_source,
    validate,
    yaml_metadata_with_lines,
)
from pelican.utils import slugify

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
BLANK = "·"  # stands for removed text (inline code): not a space, not a word character
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass
class Fence:
    """A fenced code block: where it opens, where it closes (None: never), its content."""

    start: int
    end: int | None
    info: str
    lines: list[str]
    marker: str = "```"


@dataclass
class Document:
    """A content file: raw lines, validated metadata, prose lines with code blanked."""

    path: Path
    display: str
    kind: str  # "article", "page" or "other" (tag descriptions…)
    lines: list[str]
    meta: dict = field(default_factory=dict)
    meta_lines: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    body_start: int = 1  # first line number of the body
    prose: list[tuple[int, str]] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)
    slug: str = ""

    @property
    def is_draft(self) -> bool:
        return str(self.meta.get("status") or "").strip().lower() == "draft"

    @property
    def check_ignore(self) -> set[str]:
        value = self.meta.get("check_ignore") or []
        if isinstance(value, str):
            value = value.split(",")
        return {str(code).strip() for code in value if str(code).strip()}

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)

    def find_line(self, *needles: str) -> int | None:
        """First body line containing one of `needles` (used to map output back to source)."""
        for number in range(self.body_start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if any(needle and needle in text for needle in needles):
                return number
        return None


def source_files(content_dir: Path, settings: dict) -> list[Path]:
    """Markdown files Pelican would read (IGNORE_FILES and static folders left out)."""
    ignored = settings.get("IGNORE_FILES", [])
    static = [s.strip("/") for s in settings.get("STATIC_PATHS", [])]
    files = []
    for path in sorted(content_dir.rglob("*")):
        if path.suffix.lower() not in MARKDOWN_EXTENSIONS or not path.is_file():
            continue
        relative = path.relative_to(content_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in ignored):
            continue
        if any(relative.startswith(folder + "/") for folder in static if folder):
            continue
        files.append(path)
    return files


def kind_of(relative: str, settings: dict) -> str:
    def under(folders):
        return any(relative.startswith(f.strip("/") + "/") for f in folders if f.strip("/"))

    if under(settings.get("PAGE_PATHS", ["pages"])):
        return "page"
    if under(settings.get("ARTICLE_EXCLUDES", [])):
        return "other"
    return "article"


def read_document(path: Path, content_dir: Path, settings: dict) -> Document:
    relative = path.relative_to(content_dir).as_posix()
    try:
        text = read_source(str(path))  # the build's reading and its message
    except MetadataError as error:
        doc = Document(path=path, display=display_path(str(path)),
                       kind=kind_of(relative, settings), lines=[])
        doc.problems = list(error.problems)
        return doc
    doc = Document(path=path, display=display_path(str(path)),
                   kind=kind_of(relative, settings), lines=text.splitlines())
    _read_metadata(doc, text, settings)
    _split_prose(doc)
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    doc.slug = str(doc.meta.get("slug") or "") or slugify(
        str(doc.meta.get("title") or path.stem), regex_subs=subs)
    return doc


def _read_metadata(doc: Document, text: str, settings: dict) -> None:
    """Front-matter through the build's parsers; validation only for articles and pages."""
    match = None
    try:
        match = header_match(text, str(doc.path))  # a header never closed: MetadataError
        if match:
            first_line = text[: match.start("metadata")].count("\n") + 1
            doc.meta, doc.meta_lines = yaml_metadata_with_lines(
                match.group("metadata"), first_line, str(doc.path))
            doc.body_start = text[: match.start("content")].count("\n") + 2
            yaml_tags = True
        else:
            doc.meta, doc.meta_lines = native_metadata_with_lines(text)
            doc.body_start = _native_body_start(doc.lines) if doc.meta else 1
            yaml_tags = False
    except MetadataError as error:
        doc.problems = list(error.problems)
        if match:
            doc.body_start = text[: match.start("content")].count("\n") + 2
        return
    if doc.kind != "other":
        doc.problems = validate(doc.meta, doc.meta_lines, str(doc.path), settings, yaml_tags)


def _native_body_start(lines: list[str]) -> int:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return number + 1
    return len(lines) + 1


def _split_prose(doc: Document) -> None:
    """Body lines outside code, with inline code blanked (same length, same columns)."""
    fence: Fence | None = None
    previous_blank, in_list, in_indented_code = True, False, False
    for number in range(doc.body_start, len(doc.lines) + 1):
        line = doc.lines[number - 1]
        if fence is not None:
            closing = FENCE_RE.match(line)
            if (closing and not closing["info"] and closing["fence"][0] == fence.marker[0]
                    and len(closing["fence"]) >= len(fence.marker)):
                fence.end, fence = number, None
            else:
                fence.lines.append(line)
            continue
        opening = FENCE_RE.match(line)
        if opening:
            fence = Fence(number, None, opening["info"].lower(), [], opening["fence"])
            doc.fences.append(fence)
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if in_indented_code and (blank or indented):
            continue
        in_indented_code = indented and previous_blank and not in_list
        if in_indented_code:
            continue
        if not blank and not indented:
            in_list = bool(LIST_ITEM_RE.match(line))
        previous_blank = blank
        if not blank:
            doc.prose.append((number, INLINE_CODE_RE.sub(lambda m: BLANK * len(m[0]), line)))
