"""`invoke check` (tools/check): every rule fails on its failing fixture and passes on its
passing one; the curated patterns match their positive examples and only those; the
report, the overrides and the command line behave as documented."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, write_article

sys.path.insert(0, str(ROOT))
from tools.check import RULES, run_checks  # noqa: E402
from tools.check.patterns import (  # noqa: E402
    _literal_union,
    _regex_unions,
    load_patterns,
    patterns_by_rule,
)
from tools.check.rules_content import mixed_word_problem, one_edit_apart  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "check"
CLEAN_ARTICLE = FIXTURES / "clean" / "content"

# rule → where its failing fixture must be flagged (relative to the case folder).
EXPECTED = {
    "front-matter-yaml": {"content/article.md:2"},
    "front-matter-title": {"content/article.md:2"},
    "front-matter-date": {"content/article.md:3"},
    "front-matter-category": {"content/article.md:4"},
    "front-matter-tags": {"content/article.md:5"},
    "front-matter-future-date": {"content/article.md:3"},
    "front-matter-summary-length": {"content/article.md:6"},
    "duplicate-slug": {"content/premier.md:2", "content/second.md:2"},
    "leaked-assistant": {"content/article.md:10"},
    "leaked-instruction": {"content/article.md:10"},
    "leaked-envelope": {"content/article.md:8"},
    "placeholder": {"content/article.md:10"},
    "placeholder-todo": {"content/article.md:10"},
    "mixed-script": {"content/article.md:10"},
    "broken-link": {"content/article.md:10", "output/index.html:1"},
    "broken-anchor": {"content/article.md:10", "output/index.html:1"},
    "missing-image": {"content/article.md:10"},
    "image-alt": {"content/article.md:10", "output/index.html:1"},
    "bare-url": {"content/article.md:10"},
    "third-party-embed": {"content/article.md:10", "content/article.md:12", "content/article.md:14"},
    "typo-ellipsis": {"content/article.md:2"},
    "typo-space-comma": {"content/article.md:10"},
    "typo-double-space": {"content/article.md:10"},
    "tag-near-duplicate": {"content/second.md:5"},
    "tag-variant": {"content/premier.md:5"},
    "inline-script": {"content/article.md:10", "content/article.md:12"},
    "heading-level": {"content/article.md:10", "content/article.md:14"},
    "front-matter-modified-order": {"content/article.md:4"},
    "title-markup": {"content/article.md:2"},
    "cover-alt": {"content/article.md:6"},
    "front-matter-unknown-key": {"content/article.md:5"},
    "front-matter-category-spelling": {"content/article.md:4"},
}
WARNINGS = {"front-matter-future-date", "front-matter-summary-length", "typo-ellipsis",
            "typo-space-comma", "typo-double-space", "bare-url", "tag-variant",
            "front-matter-unknown-key", "front-matter-category-spelling", "heading-level",
            "front-matter-modified-order", "title-markup", "cover-alt"}


@pytest.fixture(scope="module")
def settings():
    from pelican.settings import read_settings

    logging.getLogger("pelican").setLevel(logging.ERROR)
    return read_settings(str(ROOT / "pelicanconf.py"))


def check(folder: Path, settings, **extra):
    output = folder / "output"
    return run_checks(folder / "content", output if output.is_dir() else None,
                      {**settings, **extra})


def located(report, folder: Path, code: str) -> set[str]:
    places = set()
    for item in report.findings:
        if item.code == code:
            path = Path(item.path).resolve().relative_to(folder.resolve()).as_posix()
            places.add(f"{path}:{item.line}")
    return places


# --- one failing and one passing fixture per rule -------------------------------------

def test_every_rule_of_the_issue_has_fixtures():
    assert set(EXPECTED) <= set(RULES)
    for code in EXPECTED:
        assert (FIXTURES / code / "fail" / "content").is_dir(), code
        assert (FIXTURES / code / "pass" / "content").is_dir(), code


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_failing_fixture_is_flagged_at_its_line(code, settings):
    folder = FIXTURES / code / "fail"
    report = check(folder, settings)
    assert located(report, folder, code) == EXPECTED[code], report.format_text()
    severity = "warning" if code in WARNINGS else "error"
    assert {f.severity for f in report.findings if f.code == code} == {severity}
    assert report.exit_code == (0 if code in WARNINGS else 1)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_passing_fixture_is_clean(code, settings):
    report = check(FIXTURES / code / "pass", settings)
    assert report.findings == [], report.format_text()
    assert report.exit_code == 0


def test_realistic_article_about_ai_and_open_source_passes_clean(settings):
    report = run_checks(CLEAN_ARTICLE, None, settings)
    assert report.files_checked == 1
    assert report.findings == [], report.format_text()


def test_sample_content_has_no_leftovers(settings):
    """The sample blog (articles about AI among others) is the negative corpus."""
    report = run_checks(ROOT / "content", None, settings)
    assert report.errors == [], report.format_text()
    leftovers = {"leaked-assistant", "leaked-instruction", "leaked-envelope", "placeholder",
                 "placeholder-todo", "mixed-script"}
    assert not report.codes() & leftovers, report.format_text()


def test_sample_site_passes_with_zero_errors(site, settings):
    report = run_checks(ROOT / "content", site.output, settings)
    assert report.errors == [], report.format_text()
    assert report.files_checked > len(list((ROOT / "content").rglob("*.md")))


# --- the curated patterns -------------------------------------------------------------

PATTERNS = load_patterns()


def test_patterns_are_documented_and_unique():
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))
    for pattern in PATTERNS:
        assert pattern.rule in RULES, pattern.id
        assert pattern.lang in {"fr", "en", "any"}, pattern.id
        assert pattern.comment.strip(), pattern.id
        assert pattern.match and pattern.no_match, f"{pattern.id}: add examples"
    languages = {p.lang for p in PATTERNS}
    assert {"fr", "en"} <= languages


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.id for p in PATTERNS])
def test_pattern_matches_its_positive_examples_only(pattern):
    for line in pattern.match:
        assert pattern.regex.search(line), f"{pattern.id} should flag: {line}"
    for line in pattern.no_match:
        assert not pattern.regex.search(line), f"{pattern.id} should not flag: {line}"


def every_branch_tried(group, line: str) -> list[tuple[str, str]]:
    """What ``RulePatterns.finditer`` must find: each branch searched on its own, in
    order, with no gate and no screen to skip it."""
    hits = []
    for branch in group.branches:
        if branch.anchored:
            match = branch.regex.match(line)
            hits += [(branch.pattern.id, match.group(0))] if match else []
        else:
            hits += [(branch.pattern.id, m.group(0)) for m in branch.regex.finditer(line)]
    return hits


RULE_GROUPS = patterns_by_rule()
# Pieces that open the gates and screens: each branch's literal start, as written and
# in capitals, and the words of the patterns' own examples.
PIECES = sorted({prefix for group in RULE_GROUPS.values() for branch in group.branches
                 for prefix in branch.prefixes}
                | {word for pattern in PATTERNS for line in pattern.match + pattern.no_match
                   for word in line.split()})
LINES = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(PIECES).map(str.upper),
                           st.text(max_size=6)), max_size=10).map(" ".join)


@pytest.mark.parametrize("line", [line for pattern in PATTERNS
                                  for line in pattern.match + pattern.no_match])
def test_the_gates_and_screens_skip_no_match_in_the_examples(line):
    for group in RULE_GROUPS.values():
        found = [(pattern.id, text) for pattern, text in group.finditer(line)]
        assert found == every_branch_tried(group, line), group.rule


@given(LINES)
def test_the_gates_and_screens_skip_no_match(line):
    for group in RULE_GROUPS.values():
        found = [(pattern.id, text) for pattern, text in group.finditer(line)]
        assert found == every_branch_tried(group, line), group.rule


@given(st.lists(st.text(alphabet="abc’' ", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet="abc’' ", max_size=12))
def test_the_trie_of_literals_finds_any_of_them(prefixes, text):
    assert bool(_literal_union(prefixes).search(text)) == any(p in text for p in prefixes)


def test_joined_branches_keep_their_groups_apart():
    """A branch with a backreference or a named group is not joined (its group numbers
    would shift, two groups of one name are an error): the screens find what it finds."""
    branches = [re.compile(r"(?P<mot>\w+) (?P=mot)"), re.compile(r"(ab)c"),
                re.compile(r"(\w)\1"),
                re.compile(r"(?P<mot>bis)"), re.compile("voici"), re.compile("voilà", re.I)]
    unions = _regex_unions(branches)
    for line in ("le le", "aa", "bis", "VOILÀ", "voici", "le la", "ab", "rien"):
        assert any(u.search(line) for u in unions) == any(b.search(line) for b in branches)


def article_with_paragraphs(paragraphs: list[str]) -> tuple[str, list[int]]:
    header = ('---\ntitle: "Exemples"\ndate: 2025-03-04 09:00\n'
              "category: Intelligence Artificielle\ntags: [IA]\n---\n")
    lines, numbers = header.splitlines(), []
    for paragraph in paragraphs:
        lines.append("")
        lines.append(paragraph)
        numbers.append(len(lines))
    return "\n".join(lines) + "\n", numbers


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.id for p in PATTERNS])
def test_pattern_examples_through_the_whole_check(pattern, tmp_path, settings):
    """The views (code, quotes, URLs removed) keep positives and drop no negative."""
    text, numbers = article_with_paragraphs(list(pattern.match))
    write_article(tmp_path / "oui", "exemples.md", text)
    report = run_checks(tmp_path / "oui", None, settings)
    flagged = {f.line for f in report.findings if f.code == pattern.rule}
    assert flagged >= set(numbers), report.format_text()

    text, _ = article_with_paragraphs(list(pattern.no_match))
    write_article(tmp_path / "non", "exemples.md", text)
    report = run_checks(tmp_path / "non", None, settings)
    assert pattern.rule not in report.codes(), report.format_text()


@pytest.mark.parametrize("line, flagged", [
    ("Le programme est sur www.exemple.fr/programme depuis lundi.", True),
    ("Le programme est sur http://exemple.fr/programme depuis lundi.", True),
    ("Le programme est [en ligne](https://www.exemple.fr/programme) depuis lundi.", False),
    ('Le programme est <a href="https://www.exemple.fr/">en ligne</a> depuis lundi.', False),
    ("Le programme est en ligne depuis lundi, sans adresse dans la phrase.", False),
])
def test_a_bare_address_is_flagged_with_or_without_its_scheme(line, flagged, tmp_path,
                                                               settings):
    text, numbers = article_with_paragraphs([line])
    write_article(tmp_path, "adresse.md", text)
    report = run_checks(tmp_path, None, settings)
    lines = {f.line for f in report.findings if f.code == "bare-url"}
    assert lines == ({numbers[0]} if flagged else set()), report.format_text()


ABOUT_AI = [
    "L’assistant a répondu « Bien sûr ! Voici la suite » à une question sur la météo.",
    "Le chatbot commence chaque réponse par « En tant que modèle de langage, je ne peux pas ».",
    "Les internautes se moquent des phrases du type *As an AI language model, I cannot*.",
    "Un modèle de langage prédit le mot suivant à partir des précédents.",
    "Les sites de contenus optimisés pour le SEO recyclent des textes générés.",
    "Voici pourquoi les assistants conversationnels se trompent encore sur les dates.",
    "Le nombre de mots d’un prompt influe sur le coût de la requête.",
    "> Utilisateur : écris un poème\n>\n> Assistant : Voici un poème sur la mer.",
    "L’utilisateur tape sa question, puis l’assistant répond en quelques secondes.",
]


def test_articles_about_ai_are_not_flagged(tmp_path, settings):
    text, _ = article_with_paragraphs(ABOUT_AI)
    write_article(tmp_path, "a-propos-de-l-ia.md", text)
    report = run_checks(tmp_path, None, settings)
    assert report.findings == [], report.format_text()


def test_code_is_never_checked_as_text(tmp_path, settings):
    body = ("Un paragraphe avec `TODO` et `Lorem ipsum` en code.\n\n"
            "```python\n# TODO: User: Assistant: lorem ipsum\nprint('раssword')\n```\n\n"
            "Un paragraphe.\n\n    User: indented code block\n    XXX\n\nFin.\n")
    write_article(tmp_path, "code.md", article_with_paragraphs([])[0] + "\n" + body)
    report = run_checks(tmp_path, None, settings)
    assert report.findings == [], report.format_text()


def test_leftovers_in_title_and_summary_are_flagged(tmp_path, settings):
    write_article(tmp_path, "a.md", '---\ntitle: "Lorem ipsum"\ndate: 2025-03-04 09:00\n'
                  'category: Startups\nsummary: "Сlimat et TODO"\n---\nTexte.\n')
    report = run_checks(tmp_path, None, settings)
    assert {(f.code, f.line) for f in report.findings} >= {
        ("placeholder", 2), ("placeholder-todo", 5), ("mixed-script", 5)}


# --- small pure functions -------------------------------------------------------------

@pytest.mark.parametrize("word, suspicious", [
    ("раssword", True),      # Cyrillic р and а inside a Latin word
    ("οpen", True),          # Greek omicron look-alike
    ("quantiqueλ", True),    # a Greek letter glued to a French word
    ("réseau中", True),      # a stray ideograph glued to a French word
    ("Привет", False), ("νερό", False), ("π", False), ("µs", False), ("μs", False),
    ("ΔT", False), ("kΩ", False), ("13ᵉ", False), ("Œuvre", False), ("naïve", False),
])
def test_mixed_words(word, suspicious):
    assert bool(mixed_word_problem(word)) is suspicious


@pytest.mark.parametrize("a, b, near", [
    ("donnees", "donnee", True), ("energie", "energies", True), ("cloud", "cloue", True),
    ("batteries", "batteries", False), ("climat", "clients", False), ("abcdef", "abcxyz", False),
])
def test_one_edit_apart(a, b, near):
    assert one_edit_apart(a, b) is near


def test_short_tags_are_not_near_duplicates(tmp_path, settings):
    for name, tags in (("a.md", "[cloud]"), ("b.md", "[clous]")):
        write_article(tmp_path, name, f'---\ntitle: "{name}"\ndate: 2025-03-04 09:00\n'
                      f"category: Startups\ntags: {tags}\n---\nTexte.\n")
    assert "tag-near-duplicate" not in run_checks(tmp_path, None, settings).codes()


# --- configuration: severity, silencing, drafts ---------------------------------------

def test_severity_override_downgrades_and_switches_off(settings):
    folder = FIXTURES / "placeholder" / "fail"
    report = check(folder, settings, CHECK_SEVERITY={"placeholder": "warning"})
    assert report.errors == [] and report.warnings and report.exit_code == 0
    report = check(folder, settings, CHECK_SEVERITY={"placeholder": "off"})
    assert report.findings == []


def test_unknown_severity_settings_are_reported(settings):
    report = check(FIXTURES / "placeholder" / "pass", settings,
                   CHECK_SEVERITY={"lorem": "warning", "placeholder": "fatal"})
    assert [f.code for f in report.findings] == ["check-config", "check-config"]


def test_check_ignore_silences_one_rule_in_one_file(tmp_path, settings):
    header = '---\ntitle: "{}"\ndate: 2025-03-04 09:00\ncategory: Startups\n{}---\n'
    write_article(tmp_path, "a.md", header.format("A", "check_ignore: [placeholder]\n")
                  + "Lorem ipsum dolor sit amet. TODO\n")
    write_article(tmp_path, "b.md", header.format("B", "") + "Lorem ipsum dolor sit amet.\n")
    report = run_checks(tmp_path, None, settings)
    flagged = {(Path(f.path).name, f.code) for f in report.findings}
    assert flagged == {("a.md", "placeholder-todo"), ("b.md", "placeholder")}


def test_leftovers_in_a_draft_are_warnings(tmp_path, settings):
    write_article(tmp_path, "brouillon.md", '---\ntitle: "Brouillon"\ndate: 2025-03-04 09:00\n'
                  "category: Startups\nstatus: draft\n---\nLorem ipsum dolor sit amet.\n")
    report = run_checks(tmp_path, None, settings)
    assert report.codes() == {"placeholder"} and report.errors == []


# --- the report and the command line -------------------------------------------------

LINE_RE = re.compile(r"^  (ERREUR|AVERTISSEMENT) (\S+):(\d+): ([a-z-]+): .+ \(.+\)$")


def test_text_report_is_grouped_by_file_with_counts(settings):
    report = check(FIXTURES / "duplicate-slug" / "fail", settings)
    text = report.format_text()
    blocks = text.split("\n\n")
    assert len(blocks) == 3  # two files, then the summary
    for block in blocks[:2]:
        header, *lines = block.splitlines()
        assert lines and all(LINE_RE.match(line) for line in lines), block
        assert all(LINE_RE.match(line).group(2) == header for line in lines)
    assert blocks[-1].startswith("Vérification en échec : 2 erreurs, 0 avertissement")


def test_json_report(settings):
    report = check(FIXTURES / "image-alt" / "fail", settings)
    data = json.loads(report.to_json())
    assert data["counts"] == {"error": 2, "warning": 0}
    assert {f["code"] for f in data["findings"]} == {"image-alt"}
    assert set(data["findings"][0]) == {"path", "line", "code", "severity", "message", "fix"}


def run_cli(*args):
    command = [sys.executable, "-m", "tools.check", "--settings",
               str(ROOT / "pelicanconf.py"), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_cli_exits_1_on_errors_and_names_file_and_line():
    folder = FIXTURES / "broken-link" / "fail"
    result = run_cli("--content", str(folder / "content"), "--output", str(folder / "output"))
    assert result.returncode == 1, result.stderr
    assert re.search(r"article\.md:10: broken-link: « /nulle-part/ »", result.stdout)
    assert result.stdout.splitlines()[-1].startswith("Vérification en échec : 3 erreurs")


def test_cli_exits_0_on_clean_content_and_writes_json():
    result = run_cli("--content", str(CLEAN_ARTICLE), "--no-output", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["counts"] == {"error": 0, "warning": 0}


def test_cli_fails_when_the_site_is_not_built(tmp_path):
    """After `invoke clean`, a check that skipped the built site would pass broken links."""
    settings = tmp_path / "conf.py"
    settings.write_text(f"from pelicanconf import *\nOUTPUT_PATH = {str(tmp_path / 'absent')!r}\n")
    command = [sys.executable, "-m", "tools.check", "--settings", str(settings),
               "--content", str(CLEAN_ARTICLE)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Site construit introuvable" in result.stderr
    assert "invoke build" in result.stderr and "--content-only" in result.stderr
    assert "Traceback" not in result.stderr


def test_invoke_check_task_runs_the_cli(tmp_path):
    sys.path.insert(0, str(ROOT))
    import tasks

    command = tasks.check_command(tmp_path, json_report=True)
    assert command[1:3] == ["-m", "tools.check"]
    assert command[-3:] == ["--output", str(tmp_path), "--json"]
    assert tasks.check_command(content_only=True)[-1] == "--no-output"


def test_tag_aliases_are_not_near_duplicates(tmp_path, settings):
    for name, tags in (("a.md", "[données]"), ("b.md", "[donnée]")):
        write_article(tmp_path, name, f'---\ntitle: "{name}"\ndate: 2025-03-04 09:00\n'
                      f"category: Startups\ntags: {tags}\n---\nTexte.\n")
    assert "tag-near-duplicate" in run_checks(tmp_path, None, settings).codes()
    report = run_checks(tmp_path, None, {**settings, "TAG_ALIASES": {"donnée": "données"}})
    assert "tag-near-duplicate" not in report.codes()


def test_theme_placeholder_is_reported_once_for_all_pages(tmp_path, settings):
    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "a.md", '---\ntitle: "A"\ndate: 2025-03-04 09:00\n'
                  "category: Startups\n---\nTexte.\n")
    sidebar = "<aside><p>Just another WordPress site</p></aside>"
    for page in ("index.html", "a/index.html", "archives/index.html"):
        write_article(output, page, f"<html><body><main>Texte.</main>{sidebar}"
                      "<pre>TODO dans du code</pre></body></html>")
    report = run_checks(content, output, settings)
    [item] = report.findings
    assert (item.code, Path(item.path).name) == ("placeholder", "index.html")
    assert "2 autre(s) page(s)" in item.message


def test_absolute_siteurl_links_are_internal(tmp_path, settings):
    content, output = tmp_path / "content", tmp_path / "output"
    content.mkdir()
    write_article(output, "index.html",
                  '<html><body><a href="https://leblog.example/absente/">x</a>'
                  '<a href="https://ailleurs.example/absente/">y</a></body></html>')
    report = run_checks(content, output, {**settings, "SITEURL": "https://leblog.example"})
    assert [(f.code, f.line) for f in report.findings] == [("broken-link", 1)]
    assert "https://leblog.example/absente/" in report.findings[0].message


def test_problem_in_source_and_page_is_reported_once(tmp_path, settings):
    content, output = tmp_path / "content", tmp_path / "output"
    write_article(content, "photo.md", '---\ntitle: "Photo"\ndate: 2025-03-04 09:00\n'
                  "category: Startups\n---\n![Une éolienne](/images/absente.jpg)\n")
    write_article(output, "photo/index.html",
                  '<html><body><img src="/images/absente.jpg" alt="Une éolienne"></body></html>')
    report = run_checks(content, output, settings)
    assert [(Path(f.path).name, f.line, f.code) for f in report.findings] == [
        ("photo.md", 6, "missing-image")]


def test_rules_give_the_same_report_on_several_processes(monkeypatch, settings):
    """Per-document rules and page scans run in forked shares on a big site; forced
    here on the small fixtures (three processes, one item each is enough)."""
    import _processus
    from tools.check import rules_content, rules_output

    folders = [FIXTURES / code / "fail" for code in sorted(EXPECTED)]
    folders = [folder for folder in folders if len(list(folder.rglob("*.md"))) > 1
               or (folder / "output").is_dir()]
    assert folders
    def outcome(folder):
        report = check(folder, settings)
        return report.findings, report.files_checked

    serial = [outcome(folder) for folder in folders]
    monkeypatch.setattr(_processus, "available_cores", lambda: 3)
    monkeypatch.setattr(rules_content, "MIN_DOCUMENTS_PER_PROCESS", 1)
    monkeypatch.setattr(rules_output, "MIN_PAGES_PER_PROCESS", 1)
    forks = []
    real_fork = _processus.fork
    monkeypatch.setattr(_processus, "fork", lambda task: forks.append(task) or real_fork(task))
    assert [outcome(folder) for folder in folders] == serial
    assert forks


def test_a_line_of_lorem_ipsum_is_one_error(tmp_path, settings):
    """Its overlapping patterns (« Lorem ipsum », « dolor sit amet »…) are one leftover
    (two broken links on one line stay two: test_cli_exits_1_on_errors_and_names…)."""
    write_article(tmp_path, "a.md", "---\ntitle: A\ndate: 2025-01-01\ncategory: Startups\n---\n"
                  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n")
    report = run_checks(tmp_path, None, settings)
    placeholders = [f for f in report.errors if f.code == "placeholder"]
    assert len(placeholders) == 1, placeholders
    assert placeholders[0].line == 6 and "autre(s) sur cette ligne" in placeholders[0].message


def test_every_foreign_letter_of_a_mixed_word_is_named():
    problem = mixed_word_problem("\u0441\u043eurriel")  # Cyrillic с and о, then Latin
    assert "U+0441" in problem and "U+043E" in problem, problem


def test_an_article_scheduled_on_purpose_is_no_warning(tmp_path, settings):
    """A future date with an explicit status: published is a scheduled article, not a typo."""
    header = "---\ntitle: A\ndate: 2099-01-01 08:00\ncategory: Startups\n{status}---\nTexte.\n"
    write_article(tmp_path, "a.md", header.format(status="status: published\n"))
    assert "front-matter-future-date" not in run_checks(tmp_path, None, settings).codes()
    write_article(tmp_path, "a.md", header.format(status=""))
    assert "front-matter-future-date" in run_checks(tmp_path, None, settings).codes()


def test_an_address_is_resolved_once_unless_it_is_relative_to_its_page():
    """Production links are absolute: each is resolved once for the site, not once per
    page (a third of the check's time at 1000 articles); a relative one from its page."""
    from tools.check.rules_output import Resolver

    resolver = Resolver({"a/index.html", "b/index.html", "a/img.png"}, "https://leblog.example")
    assert resolver.resolve("a", "img.png") == ("ok", "a/img.png", "")
    assert resolver.resolve("b", "img.png") == ("missing", "b/img.png", "")
    assert resolver.resolve("a", "https://leblog.example/b/") == ("ok", "b/index.html", "")
    assert resolver.resolve("b", "https://leblog.example/b/#x") == ("ok", "b/index.html", "x")
    assert resolver.resolve("a", "https://leblog.example/b/") == ("ok", "b/index.html", "")
    assert resolver.resolve("b", "../a/img.png") == ("ok", "a/img.png", "")
    assert resolver.resolve("b", "#haut") == ("same", None, "haut")
    assert len(resolver.cache) == 6  # the two pages share the absolute address
