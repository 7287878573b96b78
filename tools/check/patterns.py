"""The curated patterns of patterns.yaml, compiled once and searched behind cheap gates.

Why gates: a thousand articles times forty lines times thirty patterns is a million
searches, and Python's re tries every branch of an alternation at every position. Each
top-level branch of each pattern is compiled on its own with the literal text it starts
with (« lorem », « voici la suite »); a substring test in C skips the branch on lines
that do not contain it, and a branch anchored with ``^`` is only tried at the start.

Why screens on top of the gates: a line met ≈ 100 branches, so ≈ 100 calls into re
even when every gate said no (3.5 s of the 1000-article check). Each rule also joins
its gates into one trie of literals, and its anchored and ungated branches into one
regex per flag set; a line none of them matches (nearly all) costs a handful of
calls, and a line one of them matches goes through the branches as before, so the
findings and their order are unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")
APOSTROPHE = "[’ʼ']"


@dataclass(frozen=True)
class Pattern:
    id: str
    rule: str
    lang: str
    regex: re.Pattern
    comment: str
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alternative:
    """One top-level branch of a pattern, with what lets us skip it cheaply."""

    pattern: Pattern
    regex: re.Pattern
    prefixes: tuple[str, ...]  # texts the branch starts with, one of them (lower case
    # if folded); empty: no gate
    folded: bool  # case-insensitive
    anchored: bool  # starts with ^: only tried at the start of the line
    gate: re.Pattern | None = None  # finds any of the prefixes (``_literal_union``)


@dataclass
class Screens:
    """What rules out a whole rule on most lines: its gates joined (on the folded line,
    on the line as written), its anchored branches joined, its ungated ones joined."""

    folded_gate: re.Pattern | None = None
    gate: re.Pattern | None = None
    anchored: tuple[re.Pattern, ...] = ()  # one per flag set, tried with match
    ungated: tuple[re.Pattern, ...] = ()  # one per flag set, tried with search

    @classmethod
    def of(cls, branches: list[Alternative]) -> Screens:
        gated = [b for b in branches if b.gate and not b.anchored]
        return cls(
            folded_gate=_literal_union(p for b in gated if b.folded for p in b.prefixes),
            gate=_literal_union(p for b in gated if not b.folded for p in b.prefixes),
            anchored=_regex_unions(b.regex for b in branches if b.anchored),
            ungated=_regex_unions(b.regex for b in branches
                                  if not b.gate and not b.anchored))


def _literal_union(prefixes) -> re.Pattern | None:
    """A regex that finds any of `prefixes`, written as a trie (« vo(?:ici|ilà) »).

    Why a trie: re tries each branch of « voici|voilà|… » at every position, slower
    than the separate searches it replaces; branches that differ from their first
    letter are skipped by re on that letter alone (measured on 5761 lines of the bench
    corpus, the 150 prefixes of « placeholder »: 95 ms as separate gates, 143 ms as
    one alternation, 24 ms as a trie)."""
    trie: dict = {}
    for prefix in prefixes:
        node = trie
        for char in prefix:
            node = node.setdefault(char, {})
        node[""] = {}  # a prefix ends here
    return re.compile(_trie_source(trie)) if trie else None


def _trie_source(node: dict) -> str:
    if "" in node:
        return ""  # a shorter prefix ends here: what follows cannot matter to a gate
    branches = [re.escape(char) + _trie_source(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


BACKREFERENCE_RE = re.compile(r"\\[1-9]|\(\?P=")


def _regex_unions(regexes) -> tuple[re.Pattern, ...]:
    """The branches joined, one regex per set of flags: the union matches where one of
    them does. A branch with a named group or a backreference stays alone (joined, its
    group numbers would shift, and two groups of one name are an error)."""
    by_flags: dict[int, list[str]] = {}
    alone = []
    for regex in regexes:
        if regex.groupindex or BACKREFERENCE_RE.search(regex.pattern):
            alone.append(regex)
        else:
            by_flags.setdefault(regex.flags, []).append(f"(?:{regex.pattern})")
    return tuple(re.compile("|".join(sources), flags)
                 for flags, sources in by_flags.items()) + tuple(alone)


@dataclass
class RulePatterns:
    """All the patterns of one rule, searched branch by branch behind literal gates."""

    rule: str
    patterns: list[Pattern] = field(default_factory=list)
    branches: list[Alternative] = field(default_factory=list)

    @cached_property
    def screens(self) -> Screens:
        """Read once every branch is in (``patterns_by_rule`` fills them first)."""
        return Screens.of(self.branches)

    def finditer(self, line: str):
        """Every (pattern, matched text) in `line`."""
        lowered = same_apostrophes(line.lower())
        screens = self.screens
        folded = screens.folded_gate is not None and screens.folded_gate.search(lowered)
        plain = screens.gate is not None and screens.gate.search(line)
        anchored = any(union.match(line) for union in screens.anchored)
        ungated = any(union.search(line) for union in screens.ungated)
        if not (folded or plain or anchored or ungated):
            return
        for branch in self.branches:
            if branch.anchored:  # ^: one cheap try, no gate
                match = branch.regex.match(line) if anchored else None
                if match:
                    yield branch.pattern, match.group(0)
                continue
            if branch.gate:
                text = lowered if branch.folded else line
                if not (folded if branch.folded else plain) or not branch.gate.search(text):
                    continue
            elif not ungated:
                continue
            for match in branch.regex.finditer(line):
                yield branch.pattern, match.group(0)

    def search(self, line: str) -> tuple[Pattern, str] | None:
        """The first (pattern, matched text) found in `line`, or None."""
        return next(self.finditer(line), None)


def same_apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'")


def _source(entry: dict) -> str:
    return entry["regex"].replace("{apos}", APOSTROPHE)


def split_alternatives(source: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and character classes)."""
    parts, depth, in_class, start, index = [], 0, False, 0, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[index + 1:index + 2] == "]":
                index += 1  # "[]…]": the first ] is a literal
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:index])
            start = index + 1
        index += 1
    parts.append(source[start:])
    return parts


def literal_prefixes(branch: str) -> tuple[list[str], bool]:
    """Texts one of which a branch must start with ([] if unknown), and whether it is
    anchored with ``^``.

    Why: Python's re tries every branch at every position of the line; a substring test
    on the literal start of each branch (« comme », « lorem ») rules most of them out
    in C, and the regex only runs on the few lines that could match.
    """
    anchored = branch.startswith("^")
    rest = branch.lstrip("^")
    while rest.startswith("\\b"):
        rest = rest[2:]
    prefixes, _ = _sequence_prefixes(rest)
    if not prefixes or not all(_selective(p) for p in prefixes):
        return [], anchored
    return prefixes, anchored


def _selective(prefix: str) -> bool:
    """Long enough to rule out most lines: three characters, or two signs (« {{ »)."""
    if not prefix.strip():
        return False
    return len(prefix) >= 3 or (len(prefix) == 2 and not any(c.isalnum() for c in prefix))


def _atom(text: str, index: int):
    """The atom at `index`: (choices, end, whole) where choices lists the literal texts
    it starts with (None: not plain text, like \\w) and `whole` says the choices are
    the entire atom (so what follows can be appended)."""
    char = text[index]
    if char == "\\":
        escaped = text[index + 1:index + 2]
        literal = escaped and escaped in " -.,:;!?'\"/&%#()[]{}"
        return ([escaped] if literal else None), index + 2, True
    if char == "[":
        close = text.index("]", index + 2 if text[index + 1:index + 2] == "]" else index + 1)
        inside = text[index + 1:close]
        simple = inside and not inside.startswith("^") and "\\" not in inside \
            and "-" not in inside[1:-1] and len(inside) <= 4
        return (list(inside) if simple else None), close + 1, True
    if char == "(":
        close = _closing_paren(text, index)
        if not text.startswith("(?:", index):
            return None, close + 1, True
        choices, whole = [], True
        for alternative in split_alternatives(text[index + 3:close]):
            found, complete = _sequence_prefixes(alternative)
            if not found or found == [""]:
                return None, close + 1, True
            choices += found
            whole = whole and complete
        return choices, close + 1, whole
    if char in ".^$|?*+)]{}":
        return None, index + 1, True
    return [char], index + 1, True


def _sequence_prefixes(text: str) -> tuple[list[str], bool]:
    """Literal starts of `text`, and whether they are all of it."""
    prefixes, index = [""], 0
    while index < len(text):
        choices, end, whole = _atom(text, index)
        optional = text[end:end + 1] in ("?", "*") or text.startswith("{0", end)
        if choices is None or optional or len(prefixes) * len(choices) > 64:
            return prefixes, False
        prefixes = [p + c for p in prefixes for c in choices]
        if not whole or text[end:end + 1] in ("+", "{"):
            return prefixes, False
        index = end
    return prefixes, True


def _closing_paren(text: str, index: int) -> int:
    depth = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = text.index("]", index + 2 if text[index + 1:index + 2] == "]" else index + 1)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced parenthesis in {text!r}")


def load_patterns(path: Path = PATTERNS_FILE) -> list[Pattern]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["patterns"]
    patterns = []
    for entry in entries:
        flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
        patterns.append(Pattern(
            id=entry["id"], rule=entry["rule"], lang=entry["lang"],
            regex=re.compile(_source(entry), flags), comment=entry["comment"],
            match=tuple(entry.get("match", ())), no_match=tuple(entry.get("no_match", ())),
        ))
    return patterns


@lru_cache(maxsize=4)
def patterns_by_rule(path: Path = PATTERNS_FILE) -> dict[str, RulePatterns]:
    rules: dict[str, RulePatterns] = {}
    for pattern in load_patterns(path):
        group = rules.setdefault(pattern.rule, RulePatterns(pattern.rule))
        group.patterns.append(pattern)
        folded = bool(pattern.regex.flags & re.IGNORECASE)
        for branch in split_alternatives(pattern.regex.pattern):
            prefixes, anchored = literal_prefixes(branch)
            if folded:
                prefixes = dict.fromkeys(same_apostrophes(p.lower()) for p in prefixes)
            group.branches.append(Alternative(
                pattern, re.compile(branch, pattern.regex.flags), tuple(prefixes), folded,
                anchored, _literal_union(prefixes)))
    return rules
