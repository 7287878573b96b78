"""PyYAML's errors as the writer's mistake: French, on the line to change, with its fix.

Why: PyYAML says where it gave up, in English, often lines after the mistake. An
unclosed quote on line 2 was reported at line 7 as « did not find expected key », a key
indented by mistake as « mapping values are not allowed in this context ». Each explainer
below recognises one common mistake from the kind of error (its context and problem
marks) and the header's lines; the parser's own text is the last resort, in parentheses.

Explainers take the error and the header's rows (row index = the marks' line) and return
``(row, message, fix)`` or None; the first that recognises the error wins, so the more
specific ones come first. Same results with LibYAML and with pure-Python PyYAML: only
their wording differs, and explainers read the marks or words both use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

KEY_LINE_RE = re.compile(
    r"(?P<indent>[ \t]*)(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*")
LIST_ITEM_LINE_RE = re.compile(r"[ \t]*-(?:[ \t]|$)")
KNOWN_KEYS = frozenset({"title", "date", "modified", "category", "tags", "summary", "slug",
                        "status", "cover", "cover_alt", "cover_focus", "author", "authors", "lang",
                        "check_ignore", "save_as", "url", "template"})
WRAPPED_KEYS = frozenset({"title", "summary", "cover_alt"})  # texts long enough to wrap
RESERVED_FIRST = "@`%*&!{|>["  # a plain YAML value cannot start with these
QUOTES = ("'", '"')
LAST_RESORT_FIX = ("vérifiez cette ligne : clé: valeur en début de ligne ; une valeur qui "
                   "contient « : » ou commence par [ « ' se met entre guillemets")


@dataclass(frozen=True)
class YamlRow:
    """One line of the header, split as ``key: value`` when it is one."""

    text: str
    key: str | None
    value: str  # "" without a value
    indent: str
    number: int  # line in the file

    @classmethod
    def of(cls, text: str, number: int = 0) -> YamlRow:
        match = KEY_LINE_RE.fullmatch(text)
        if not match:
            indent = text[: len(text) - len(text.lstrip(" \t"))]
            return cls(text, None, "", indent, number)
        return cls(text, match["key"], match["value"] or "", match["indent"], number)

    @property
    def quoted(self) -> bool:
        """A key whose value starts with a quote."""
        return self.key is not None and self.value[:1] in QUOTES

    @property
    def top_key(self) -> bool:
        return self.key is not None and not self.indent

    @property
    def yaml_like(self) -> bool:
        """A key, an indented line, a list item or a comment: what a header holds."""
        return (self.key is not None or bool(self.indent) or self.text.startswith("#")
                or bool(LIST_ITEM_LINE_RE.match(self.text)))

    @property
    def first_word(self) -> str:
        return self.text.strip().split(" ")[0].lower()


def explain(error, header: str, first_line: int) -> tuple[int, str, str]:
    """``(line, message, fix)`` of a YAML error in ``header`` (whose row 0 is on
    ``first_line``, as HEADER_RE's ``metadata`` group starts after the ``---``)."""
    rows = [YamlRow.of(text, first_line + index)
            for index, text in enumerate(header.split("\n"))]
    for explainer in EXPLAINERS:
        found = explainer(error, rows)
        if found:
            row, message, fix = found
            return row.number, message, fix
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return rows[_last_row(error, rows)].number, f"YAML illisible ({reason})", LAST_RESORT_FIX


def _marks(error) -> list[int]:
    """Rows PyYAML names: the context's (where the construct began), then the problem's."""
    return [mark.line for mark in (getattr(error, "context_mark", None),
                                   getattr(error, "problem_mark", None)) if mark]


def _last_row(error, rows) -> int:
    """The last row the parser read: the mistake is on it or above it."""
    return min(max(_marks(error), default=len(rows) - 1), len(rows) - 1)


def _read_rows(error, rows):
    return rows[: _last_row(error, rows) + 1]


def _problem(error) -> str:
    return str(getattr(error, "problem", "") or "")


def _closing_quote(value: str) -> int | None:
    """Index of the quote that closes ``value``'s opening one (``\\"`` and ``''`` are
    escapes, not ends), None when the line never closes it."""
    quote, position = value[0], 1
    while position < len(value):
        char = value[position]
        if quote == '"' and char == "\\":
            position += 2
            continue
        if char == quote:
            if quote == "'" and value[position + 1: position + 2] == "'":
                position += 2
                continue
            return position
        position += 1
    return None


def _quoted(text: str, prefer: str = '"') -> str:
    """``text`` as a YAML quoted value: in the quotes asked for, unless it holds them;
    in apostrophes whenever it holds « \\ » (an escape between guillemets)."""
    if "\\" not in text and '"' not in text and (prefer == '"' or "'" in text):
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _inner(row: YamlRow) -> str:
    """A quoted value without its quotes."""
    quote = row.value[0]
    return row.value[1:-1] if len(row.value) > 1 and row.value.endswith(quote) else (
        row.value[1:])


def _control_character(error, rows):
    """An invisible control character (pasted from a PDF, a spreadsheet…), which YAML
    refuses anywhere: PyYAML names no line, only a position (in bytes with LibYAML), so
    the row is found from the character, whose first occurrence is what stopped it."""
    if not isinstance(error, yaml.reader.ReaderError) or not isinstance(error.character, int):
        return None
    text = "\n".join(row.text for row in rows)
    row = rows[text.count("\n", 0, max(text.find(chr(error.character)), 0))]
    return row, f"caractère invisible U+{error.character:04X} ligne {row.number}", (
        "supprimez-le : retapez cette ligne au clavier")


def _unclosed_quote(error, rows):
    """A value opened with a quote that its line does not close: PyYAML reads on into the
    next keys and complains lines later, where another quote turns up."""
    scanning = "quoted scalar" in str(getattr(error, "context", "") or "")
    for index, row in enumerate(_read_rows(error, rows)):
        if not row.quoted or _closing_quote(row.value) is not None:
            continue
        following = next((r for r in rows[index + 1:] if r.text.strip()), None)
        if scanning and _marks(error)[0] == index or following is None or following.top_key:
            quote = row.value[0]
            shown = row.value if len(row.value) <= 40 else f"{quote}…{row.value[-30:]}"
            return row, f"guillemet {quote} ouvert ligne {row.number} jamais fermé", (
                f"fermez-le : {row.key}: {shown}{quote}")
    return None


def _text_after_quote(error, rows):
    """Text after the closing quote: the value holds its own quote (« 'L'IA' »)."""
    for row in _read_rows(error, rows):
        if not row.quoted:
            continue
        end = _closing_quote(row.value)
        rest = row.value[end + 1:].strip() if end is not None else ""
        if not rest or rest.startswith("#"):
            continue
        if row.value[0] == "'":
            return row, f"apostrophe dans une valeur entre apostrophes ligne {row.number}", (
                f"entourez-la de guillemets : {row.key}: {_quoted(_inner(row))}")
        return row, f"guillemet dans une valeur entre guillemets ligne {row.number}", (
            f"entourez-la d’apostrophes : {row.key}: {_quoted(_inner(row), prefer=QUOTES[0])}"
            ", ou utilisez « »")
    return None


def _backslash(error, rows):
    """« \\ » in a double-quoted value starts an escape (``\\n``, ``\\u00e9``…)."""
    if "escape" not in _problem(error) and "hexdecimal" not in _problem(error):
        return None
    row = rows[_last_row(error, rows)]
    if not row.quoted:
        return None
    return row, f"« \\ » dans une valeur entre guillemets ligne {row.number}", (
        f"doublez-le, ou entourez la valeur d’apostrophes : {row.key}: "
        f"{_quoted(_inner(row), prefer=QUOTES[0])}")


def _tab(error, rows):
    """A tab in the indentation: YAML indents with spaces only."""
    last = _last_row(error, rows)
    if "tab" not in _problem(error) and "\t" not in rows[last].text:
        return None
    row = next((r for r in _read_rows(error, rows) if "\t" in r.indent), rows[last])
    return row, f"tabulation ligne {row.number}", (
        "remplacez-la par des espaces, ou supprimez-la : les clés commencent en début de "
        "ligne")


def _stray_character(error, rows):
    """A character typed before a key (« *title: », « - date: »)."""
    for row in _read_rows(error, rows):
        first = row.text[:1]
        rest = YamlRow.of(row.text[1:].lstrip())
        if (row.key is None and first and not first.isalnum() and not first.isspace()
                and rest.key and rest.key.lower() in KNOWN_KEYS):
            return row, f"« {first} » en trop avant la clé ligne {row.number}", (
                f"la ligne commence par la clé : {rest.text.strip()}")
    return None


def _first_text_row(error, rows) -> int | None:
    """The first row, up to where the parser stopped, that is text rather than YAML."""
    for index, row in enumerate(_read_rows(error, rows)):
        if row.text.strip() and not row.yaml_like and row.first_word not in KNOWN_KEYS:
            return index
    return None


def _wrapped_value(error, rows):
    """A long text value continued on the next line without indentation."""
    index = _first_text_row(error, rows)
    if not index:
        return None
    above, row = rows[index - 1], rows[index]
    if not (above.top_key and above.value and above.value[0] not in "\"'[{|>"
            and (above.key.lower() in WRAPPED_KEYS or len(above.value) >= 40)):
        return None
    return row, f"suite de la valeur de {above.key} ligne {row.number} sans indentation", (
        "indentez-la de deux espaces, ou remettez la valeur sur une seule ligne")


def _body_in_header(error, rows):
    """Article text read as YAML: the header was never closed, and a later ``---`` (a
    horizontal rule in the text) ended it instead."""
    index = _first_text_row(error, rows)
    keys = [row for row in rows[: index or 0] if row.yaml_like]
    if not keys:
        return None
    return keys[-1], "en-tête non fermé", unclosed_fix(keys[-1].number)


def unclosed_fix(line: int) -> str:
    """The fix of a header without its closing line (shared with ``header_match``)."""
    return f"ajoutez une ligne --- après la dernière clé, ligne {line}"


def _unexpected_indent(error, rows):
    """A key or a list item indented where nothing opened a nested block."""
    last = _last_row(error, rows)
    for index, row in enumerate(_read_rows(error, rows)):
        if not row.indent or not row.text.strip():
            continue
        previous = next((r for r in reversed(rows[:index]) if r.text.strip()), None)
        if _indented_out_of_place(row, previous):
            return row, f"indentation inattendue ligne {row.number}", (
                f"les clés commencent en début de ligne : {row.text.strip()}")
        if index == last and _misaligned_items(row, previous):
            return row, f"indentation inattendue ligne {row.number}", (
                "alignez les « - » d’une liste les uns sous les autres")
    return None


def _indented_out_of_place(row, previous) -> bool:
    """Indented with nothing above, or a key indented under a key that already has its
    value, or at the level of the « - » above it."""
    if previous is None:
        return True
    if row.key is None:
        return False
    if previous.key is not None and (not previous.value or previous.value[0] in "|>"):
        return False  # `cover:` or `summary: |` opens the indented lines under it
    return previous.top_key or bool(LIST_ITEM_LINE_RE.match(previous.text)
                                    and previous.indent == row.indent)


def _misaligned_items(row, previous) -> bool:
    return bool(LIST_ITEM_LINE_RE.match(row.text) and previous is not None
                and LIST_ITEM_LINE_RE.match(previous.text) and previous.indent != row.indent)


def _unclosed_list(error, rows):
    """``[`` opened and never closed: the next keys were read as items."""
    if "flow sequence" not in str(getattr(error, "context", "") or ""):
        return None
    row = rows[_marks(error)[0]]
    if not row.key or row.value[:1] != "[" or "]" in row.value:
        return None
    return row, f"liste ouverte ligne {row.number} jamais fermée", (
        f"fermez-la : {row.key}: {row.value.rstrip(', ')}]")


def _empty_list_item(error, rows):
    """``tags: [IA, , Cloud]``: two commas in a row, an empty item YAML refuses."""
    for index in sorted(set(_marks(error)), reverse=True):
        row = rows[min(index, len(rows) - 1)]
        if row.key and row.value.startswith("[") and re.search(r"(?:\[|,)\s*(?:,|\])", row.value):
            items = [item.strip() for item in row.value.strip("[] ").split(",") if item.strip()]
            return row, f"liste ligne {row.number} avec un élément vide (deux virgules de suite)", (
                f"retirez la virgule en trop : {row.key}: [{', '.join(items)}]")
    return None


def _reserved_first(error, rows):
    """A value starting with a character YAML reserves (``@``, `` ` ``, ``[``, ``- ``…)."""
    for index in sorted(set(_marks(error)), reverse=True):
        row = rows[min(index, len(rows) - 1)]
        first = row.value[:1]
        if row.key and first and (first in RESERVED_FIRST or LIST_ITEM_LINE_RE.match(row.value)):
            return row, (f"la valeur ligne {row.number} commence par « {first} », un signe "
                         "réservé en YAML"), (
                f"mettez-la entre guillemets : {row.key}: {_quoted(row.value)}")
    return None


def _colon_in_value(error, rows):
    """« : » inside a plain value: YAML reads a second key on the line."""
    if "mapping values are not allowed" not in _problem(error):
        return None
    row = rows[_last_row(error, rows)]
    if not (row.top_key and ":" in row.value):
        return None
    return row, f"« : » dans une valeur sans guillemets ligne {row.number}", (
        f"mettez-la entre guillemets : {row.key}: {_quoted(row.value)}")


def _missing_colon(error, rows):
    """A key written without its « : »."""
    if "could not find expected ':'" not in _problem(error):
        return None
    row = rows[_marks(error)[0]]
    word, _, rest = row.text.strip().partition(" ")
    example = (f"{word}: {rest.strip()}" if word.lower() in KNOWN_KEYS
               else "clé: valeur, par exemple date: 2025-10-23 09:30")
    return row, f"ligne {row.number} sans « : » après la clé", f"écrivez {example}"


EXPLAINERS = (_control_character, _unclosed_quote, _text_after_quote, _backslash, _tab,
              _stray_character, _wrapped_value, _body_in_header, _unexpected_indent,
              _unclosed_list, _empty_list_item, _reserved_first, _colon_in_value, _missing_colon)
