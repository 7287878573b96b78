"""Bad front-matter gives a clear error (file, line, key, fix), a non-zero exit, no traceback.

The broken files of CASES are built together, beside one valid article, through our runner
(what `invoke build` uses); one of them also through the plain Pelican CLI.
"""

from __future__ import annotations

import gzip
import os
import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, build_site, write_article

VALID = """\
---
title: "Un article correct"
date: 2025-10-23 09:30
category: Intelligence Artificielle
tags: [IA, open source]
summary: "Un résumé."
---
Du texte.
"""


def broken(header: str) -> str:
    return "---\n" + textwrap.dedent(header).strip() + "\n---\nDu texte.\n"


CASES = {
    "missing-title": (broken("""
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        """), "title", "titre manquant", 1),
    "empty-title": (broken("""
        title: ""
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        """), "title", "titre vide", 2),
    "bad-date": (broken("""
        title: "Titre"
        date: 2025-13-45 25:99
        category: Intelligence Artificielle
        """), "date", "illisible", 3),
    "empty-tag-between-commas": (broken("""
        title: "Titre"
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        tags: [IA, , Cloud]
        """), "front-matter", "retirez la virgule en trop : tags: [IA, Cloud]", 5),
    "empty-tag-item": (broken("""
        title: "Titre"
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        tags:
          - IA
          -
          - Cloud
        """), "tags", "une étiquette est vide", 7),
    "title-as-a-list": (broken("""
        title: [Un, titre]
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        """), "title", "une liste, pas un texte", 2),
    "thirtieth-of-february": (broken("""
        title: "Titre"
        date: 2025-02-30
        category: Intelligence Artificielle
        """), "date", "le 30 février 2025 n’existe pas", 3),
    "impossible-yaml-date": (broken("""
        title: "Titre"
        date: 2025-13-45
        category: Intelligence Artificielle
        """), "date", "illisible", 3),
    "words-date": (broken("""
        title: "Titre"
        category: Intelligence Artificielle
        date: mardi dernier
        """), "date", "illisible", 4),
    "tags-string": (broken("""
        title: "Titre"
        date: 2025-10-23
        category: Intelligence Artificielle
        tags: "IA, open source"
        """), "tags", "liste", 5),
    "tags-nested": (broken("""
        title: "Titre"
        date: 2025-10-23
        category: Intelligence Artificielle
        tags: [IA, [a, b]]
        """), "tags", "texte", 5),
    "unknown-status": (broken("""
        title: "Titre"
        date: 2025-10-23
        category: Intelligence Artificielle
        status: brouillon
        """), "status", "inconnu", 5),
    "empty-category": (broken("""
        title: "Titre"
        date: 2025-10-23
        category:
        """), "category", "catégorie vide", 4),
    "unknown-category": (broken("""
        title: "Titre"
        date: 2025-10-23
        category: Jardinage
        """), "category", "inconnue", 4),
    "misspelt-category": (broken("""
        title: "Titre"
        date: 2025-10-23
        category: Inteligence artificielle
        """), "category", "vouliez-vous dire « Intelligence Artificielle » ?", 4),
    "yaml-syntax": (broken("""
        title: Meta : la fin de l'open source ?
        date: 2025-10-23
        category: Intelligence Artificielle
        """), "front-matter", 'entre guillemets : title: "Meta : la fin', 2),
    # Dates: only year-month-day; dateutil would read 01/02/2024 as 2 January.
    "day-first-date": (broken("""
        title: "Titre"
        date: 01/02/2024 09:00
        category: Intelligence Artificielle
        """), "date", "ambigu : 1er février ou 2 janvier ? (écrivez date: 2024-02-01 09:00", 3),
    "day-first-unambiguous": (broken("""
        title: "Titre"
        date: 30/06/2024
        category: Intelligence Artificielle
        """), "date", "écrivez date: 2024-06-30", 3),
    "month-words-date": (broken("""
        title: "Titre"
        date: Oct 23, 2025
        category: Intelligence Artificielle
        """), "date", "illisible (écrivez-la sous la forme date: 2025-10-23 09:30)", 3),
    "year-only-date": (broken("""
        title: "Titre"
        date: 2025
        category: Intelligence Artificielle
        """), "date", "illisible", 3),
    "day-first-modified": (broken("""
        title: "Titre"
        date: 2024-02-01
        modified: 03.02.2024
        category: Intelligence Artificielle
        """), "modified", "écrivez modified: 2024-02-03", 4),
    # YAML syntax: French, the line of the mistake, a fix that fits it.
    "unclosed-quote": (broken("""
        title: "Métro : les nouvelles lignes qui changent les villes
        date: 2024-02-01 09:00
        category: Intelligence Artificielle
        tags: [transports]
        summary: "Un résumé."
        """), "front-matter", 'guillemet " ouvert ligne 2 jamais fermé (fermez-le : title: "', 2),
    "unclosed-quote-at-end": (broken("""
        date: 2024-02-01 09:00
        category: Intelligence Artificielle
        title: 'Les villes
        """), "front-matter", "guillemet ' ouvert ligne 4 jamais fermé", 4),
    "apostrophe-in-single-quotes": (broken("""
        title: 'L'IA en France'
        date: 2024-02-01 09:00
        category: Intelligence Artificielle
        """), "front-matter", "entourez-la de guillemets : title: \"L'IA en France\"", 2),
    "bad-indent": (broken("""
        title: "Titre"
        date: 2024-02-01 09:00
          category: Intelligence Artificielle
        """), "front-matter", "indentation inattendue ligne 4 (les clés commencent en début", 4),
    "first-key-indented": ("---\n  title: \"Titre\"\ndate: 2024-02-01\n"
                           "category: Intelligence Artificielle\n---\nDu texte.\n",
                           "front-matter", "indentation inattendue ligne 2", 2),
    "tab-indent": ("---\ntitle: \"Titre\"\n\tdate: 2024-02-01\n"
                   "category: Intelligence Artificielle\n---\nDu texte.\n",
                   "front-matter", "tabulation ligne 3", 3),
    "unclosed-list": (broken("""
        title: "Titre"
        date: 2024-02-01
        category: Intelligence Artificielle
        tags: [IA, open source
        """), "front-matter",
        "liste ouverte ligne 5 jamais fermée (fermez-la : tags: [IA, open source])", 5),
    "reserved-first-character": (broken("""
        title: @Home, la fin
        date: 2024-02-01
        category: Intelligence Artificielle
        """), "front-matter", 'commence par « @ »', 2),
    "missing-colon": (broken("""
        title: "Titre"
        date 2024-02-01
        category: Intelligence Artificielle
        """), "front-matter", "écrivez date: 2024-02-01", 3),
    "unclosed-header": ("---\ntitle: \"Titre\"\ndate: 2024-02-01 09:00\n"
                        "category: Intelligence Artificielle\n\nDu texte.\n",
                        "front-matter", "en-tête non fermé (ajoutez une ligne --- après la "
                        "dernière clé", 4),
    "unclosed-header-before-a-rule": ("---\ntitle: \"Titre\"\ndate: 2024-02-01 09:00\n"
                                      "category: Intelligence Artificielle\n\nDu texte.\n\n"
                                      "---\n\nSuite après un filet.\n",
                                      "front-matter", "en-tête non fermé", 4),
    "wrapped-summary": (broken("""
        title: "Titre"
        date: 2024-02-01
        category: Intelligence Artificielle
        summary: Un long résumé qui
        continue sur la ligne suivante.
        """), "front-matter", "suite de la valeur de summary ligne 6 sans indentation", 6),
    "backslash-in-quotes": (broken(r"""
        title: "Titre"
        date: 2024-02-01
        category: Intelligence Artificielle
        summary: "Chemin C:\dossier"
        """), "front-matter", "entourez la valeur d’apostrophes : summary: 'Chemin C:\\dossier'",
        5),
    "control-character": ("---\ntitle: \"Titre\x07\"\ndate: 2024-02-01\n"
                          "category: Intelligence Artificielle\n---\nDu texte.\n",
                          "front-matter", "caractère invisible U+0007 ligne 2", 2),
    "spaces-after-closing": ("---\ntitle: \"Titre\"\ndate: 2024-02-01\n"
                             "category: Intelligence Artificielle\n---  \nDu texte.\n",
                             "front-matter", "espaces après le --- de la ligne 5", 5),
    "native-bad-date": ("Title: Titre natif\nDate: 32/32/2025\n"
                        "Category: Intelligence Artificielle\n\nTexte.\n",
                        "date", "illisible", 2),
    "misspelt-category-key": (broken("""
        title: "Titre"
        date: 2025-10-23 09:30
        catgory: Intelligence Artificielle
        """), "catgory", "vouliez-vous dire « category »", 4),
    "no-break-space-before-colon": (broken("""
        title: "Titre"
        date: 2025-10-23 09:30
        category\u00a0: Intelligence Artificielle
        """), "category\u00a0", "espace insécable", 4),
    "native-missing-title": ("Date: 2025-10-23\nCategory: Intelligence Artificielle\n\nTexte.\n",
                             "title", "titre manquant", 1),
    "native-day-first-date": ("Title: Titre natif\nDate: 01/02/2024\n"
                              "Category: Intelligence Artificielle\n\nTexte.\n",
                              "date", "ambigu", 2),
}
# Words of PyYAML's English messages (« did not find expected key », « mapping values are
# not allowed in this context », « while scanning… »): never shown to a writer.
ENGLISH_PARSER = re.compile(r"\b(?:found|expected|allowed|while|scanning|parsing)\b")


@pytest.fixture
def folder(tmp_path):
    content = tmp_path / "content"
    write_article(content, "correct.md", VALID)
    return content


@pytest.fixture(scope="module")
def all_cases_built(tmp_path_factory):
    """Every broken file of CASES beside the valid article, in one build (one build per
    case took a minute): each file must still get its own message, and only that one.
    Slugs come from file names, so a file wrongly accepted clashes with no other."""
    content = tmp_path_factory.mktemp("cases") / "content"
    write_article(content, "correct.md", VALID)
    for case, (text, *_) in CASES.items():
        write_article(content, f"{case}.md", text)
    out = content.parent / "out"
    result = build_site(content, out, strict=False,
                        extra={"CACHE_PATH": f'"{content.parent / "cache"}"',
                               "SLUGIFY_SOURCE": '"basename"'})
    return result, out


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_front_matter_is_a_clear_error(all_cases_built, case):
    _, key, message, line = CASES[case]
    result, out = all_cases_built
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = [l for l in output.splitlines() if l.startswith("ERREUR") and f"/{case}.md:" in l]
    assert any(f"/{case}.md:{line}: {key}: " in l and message in l for l in errors), output
    # One mistake, one message: no « titre manquant » for a header that was not read.
    assert len(errors) == 1, errors
    assert not ENGLISH_PARSER.search("\n".join(errors)), errors
    # The valid article is still built: one mistake does not hide the rest.
    assert (out / "correct" / "index.html").exists()


ISO_DATES = {  # written form → the datetime of the page's <time> (Europe/Paris)
    "2025-10-23": "2025-10-23T00:00:00+02:00",
    "2025-10-23 09:30": "2025-10-23T09:30:00+02:00",
    "2025-10-23  9:30": "2025-10-23T09:30:00+02:00",
    "2025-10-23T09:30:15": "2025-10-23T09:30:15+02:00",
    "2025-10-23 09:30:00+00:00": "2025-10-23T09:30:00+00:00",
    '"2025-10-23 09:30"': "2025-10-23T09:30:00+02:00",
}


def test_iso_dates_yaml_and_native_are_published_as_written(folder, tmp_path):
    for number, (written, shown) in enumerate(ISO_DATES.items()):
        write_article(folder, f"iso-{number}.md", VALID.replace(
            "2025-10-23 09:30", written).replace("Un article correct", f"Date iso {number}"))
    write_article(folder, "natif.md", "Title: Date native\nDate: 2025-10-24 10:00\n"
                  "Category: Cybersécurité\n\nCorps.\n")
    result = build_site(folder, tmp_path / "out", extra={"CACHE_PATH": f'"{tmp_path}/c"'})
    assert result.returncode == 0, result.stdout + result.stderr
    for number, shown in enumerate(ISO_DATES.values()):
        page = (tmp_path / "out" / f"date-iso-{number}" / "index.html").read_text("utf-8")
        assert f'<time datetime="{shown}">' in page, (number, shown)
    page = (tmp_path / "out" / "date-native" / "index.html").read_text("utf-8")
    assert '<time datetime="2025-10-24T10:00:00+02:00">24\u00a0octobre 2025' in page


LATIN_1 = ('---\ntitle: "Vélo cargo"\ndate: 2024-02-01 09:00\n'
           "category: Intelligence Artificielle\n---\nDu texte.\n").encode("latin-1")


def test_a_file_not_in_utf8_is_named_with_the_reason(folder, tmp_path):
    """Pelican said only « Could not process ./velo-cargo.md »: no reason, a path
    relative to nothing the writer knows. The build says what `invoke check` says."""
    (folder / "velo-cargo.md").write_bytes(LATIN_1)
    result = build_site(folder, tmp_path / "out", strict=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Could not process" not in output, output
    errors = [l for l in output.splitlines() if "velo-cargo.md" in l]
    assert errors == [f"ERREUR {folder / 'velo-cargo.md'}:2: front-matter: "
                      "fichier illisible : pas en UTF-8 (octet 13 : 0xE9, un « é » en "
                      "Latin-1 ?) (enregistrez le fichier en UTF-8 dans votre éditeur)"], output
    assert (tmp_path / "out" / "un-article-correct" / "index.html").exists()


def test_check_reports_what_the_build_reports(folder, tmp_path):
    """`invoke check` reads headers with the build's helpers: same line, same message."""
    sys.path.insert(0, str(ROOT))
    from pelican.settings import read_settings

    from tools.check import run_checks

    for case in ("day-first-date", "unclosed-quote", "bad-indent", "unclosed-header"):
        write_article(folder, f"{case}.md", CASES[case][0])
    (folder / "velo-cargo.md").write_bytes(LATIN_1)
    built = build_site(folder, tmp_path / "out", strict=False)
    where_and_what = re.compile(r"^ERREUR (?P<where>\S+\.md:\d+): [\w-]+: (?P<what>.*)$")
    build_errors = {(m["where"], m["what"]) for m in map(where_and_what.match,
                                                         built.stderr.splitlines()) if m}
    report = run_checks(folder, None, read_settings(str(ROOT / "pelicanconf.py")))
    check_errors = {(f"{item.path}:{item.line}", f"{item.message} ({item.fix})")
                    for item in report.findings if item.code.startswith("front-matter")
                    and item.severity == "error"}
    assert len(build_errors) == 5, built.stderr
    assert build_errors == check_errors


def test_plain_pelican_cli_exits_non_zero(folder, tmp_path):
    write_article(folder, "casse.md", CASES["bad-date"][0])
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(folder), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(tmp_path / "out"), "--fatal", "errors"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "casse.md:3: date:" in " ".join((result.stdout + result.stderr).split())


def test_duplicate_slug_names_both_files(folder, tmp_path):
    write_article(folder, "copie.md", VALID.replace("Du texte.", "Autre texte."))
    result = build_site(folder, tmp_path / "out", strict=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    line = next(l for l in output.splitlines() if "déjà le slug" in l)
    assert "correct.md" in line and "copie.md" in line
    assert re.search(r"\.md:2: slug: « un-article-correct » est déjà le slug de ", line), line
    assert "Traceback" not in output
    # The second file is left out of the pages to write: no English « Failed to
    # overwrite » from Pelican's writer, and the build goes on to list other mistakes.
    assert "overwrite" not in output and "interrompue" not in output, output


def test_pelicans_warnings_about_content_are_said_in_french_at_their_line(folder, tmp_path):
    """A broken {filename} link and an image without alt text: Pelican's English
    warnings, without file or line, become ours, each said once."""
    write_article(folder, "liens.md", VALID.replace("Un article correct", "Des liens").replace(
        "Du texte.", "Du texte.\n\nVoir [ceci]({filename}/absent.md).\n\n![](/images/x.png)"
        "\n\n![Un schéma]({static}/images/schema-absent.png)"))
    result = build_site(folder, tmp_path / "out", strict=False)
    output = result.stdout + result.stderr
    assert "Unable to find" not in output and "Empty alt" not in output, output
    assert "Cannot get" not in output and "Errno" not in output, output
    lines = [line for line in output.splitlines() if "liens.md" in line]
    assert len(lines) == 3, output
    assert any(re.search(r"liens\.md:14: image: « schema-absent\.png » introuvable", line)
               for line in lines), lines
    assert any(re.search(r"liens\.md:10: lien: « /absent\.md » ne mène à aucun fichier", line)
               for line in lines), lines
    assert any(re.search(r"liens\.md:12: image: « x\.png » sans texte alternatif", line)
               for line in lines), lines


def test_native_metadata_still_works(folder, tmp_path):
    write_article(folder, "natif.md", "Title: Un titre natif\nDate: 2025-10-24 10:00\n"
                  "Category: Cybersécurité\nTags: Linux, SSH\nSummary: Résumé.\n\nCorps.\n")
    result = build_site(folder, tmp_path / "out", extra={"CACHE_PATH": f'"{tmp_path}/c"'})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "un-titre-natif" / "index.html").exists()
    assert (tmp_path / "out" / "etiquette" / "ssh" / "index.html").exists()


def test_future_article_waits_for_its_day(folder, tmp_path):
    write_article(folder, "futur.md", VALID.replace("2025-10-23", "2999-01-01").replace(
        "Un article correct", "Un article futur"))
    result = build_site(folder, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "out" / "un-article-futur").exists()
    preview = build_site(folder, tmp_path / "preview", extra={"SHOW_DRAFTS": "true"})
    assert preview.returncode == 0
    assert (tmp_path / "preview" / "un-article-futur" / "index.html").exists()


def test_removing_a_plugin_after_a_cached_build_is_no_traceback(folder, tmp_path):
    """Pelican's content cache pickles objects of the plugins: without its stamp, the
    build after a plugin left PLUGINS stopped on ModuleNotFoundError."""
    import json

    sys.path.insert(0, str(ROOT))
    import pelicanconf

    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}
    first = build_site(folder, tmp_path / "out", extra=cache)
    assert first.returncode == 0, first.stdout + first.stderr
    # The first build stamps its cache, so the next one with the same plugins keeps it.
    [stamp_file] = (tmp_path / "cache").glob("contenu/*/plugins-du-cache.txt")
    stamp = stamp_file.read_text(encoding="utf-8")
    assert stamp.splitlines()[:-1] == pelicanconf.PLUGINS
    assert stamp.splitlines()[-1].startswith("empreinte ")
    fewer = [name for name in pelicanconf.PLUGINS if name != "sommaire"]
    second = build_site(folder, tmp_path / "out", strict=False,
                        extra={**cache, "PLUGINS": json.dumps(fewer)})
    output = second.stdout + second.stderr
    assert second.returncode == 0 and "Traceback" not in output, output
    back = build_site(folder, tmp_path / "out", extra=cache)  # and back again
    assert back.returncode == 0, back.stdout + back.stderr


def test_the_reader_cache_is_saved_again_only_when_an_article_changed(folder, tmp_path):
    """Pelican re-pickles its whole reader cache at every build; ours only when a file
    was read again, and an edited article still reaches the page."""
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}

    def build():
        result = build_site(folder, tmp_path / "out", extra=cache)
        assert result.returncode == 0, result.stdout + result.stderr

    build()
    [readers_cache] = readers_caches(tmp_path / "cache")
    os.utime(readers_cache, ns=(10**18, 10**18))
    build()
    assert readers_cache.stat().st_mtime_ns == 10**18  # nothing new: not rewritten
    article = folder / "correct.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nPhrase ajoutée.\n",
                       encoding="utf-8")
    build()
    assert readers_cache.stat().st_mtime_ns != 10**18
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*/index.html")]
    assert any("Phrase ajoutée." in page for page in pages)


def test_a_bad_front_matter_fails_every_cached_build_not_just_the_first(folder, tmp_path):
    """A file refused by the reader must not enter Pelican's cache as an empty article:
    the next warm build would skip it silently and pass."""
    text, key, message, _ = CASES["unknown-category"]
    write_article(folder, "casse.md", text)
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}
    for _ in range(2):
        result = build_site(folder, tmp_path / "out", strict=False, extra=cache)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and message in output and "casse.md" in output, output


def readers_caches(cache: Path) -> list[Path]:
    """Pelican's reader cache of articles, one per stamp folder."""
    return sorted(cache.glob("contenu/*/ArticlesGenerator-Readers"))


def test_a_settings_change_reads_again_and_each_kind_of_build_keeps_its_cache(folder,
                                                                              tmp_path):
    """Pelican keys its cache by file and date only: after a change of settings it would
    serve the HTML of the old settings. The stamp covers settings, plugin code and the
    Markdown libraries; each stamp has its own folder, so going back to the first
    settings (the writing build after a production one) reads nothing again."""
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}

    def build(**extra):
        result = build_site(folder, tmp_path / "out", extra={**cache, **extra})
        assert result.returncode == 0, result.stdout + result.stderr

    build()
    [first] = readers_caches(tmp_path / "cache")
    os.utime(first, ns=(10**18, 10**18))
    build()
    assert first.stat().st_mtime_ns == 10**18  # same settings: cache kept
    build(SUMMARY_MAX_LENGTH="12")
    other = [path for path in readers_caches(tmp_path / "cache") if path != first]
    assert len(other) == 1 and first.stat().st_mtime_ns == 10**18  # read again elsewhere
    with gzip.open(other[0], "rb") as handle:
        assert len(pickle.load(handle)) >= 1
    build()
    assert first.stat().st_mtime_ns == 10**18  # back to the first settings: its cache


def test_only_the_last_used_content_caches_are_kept(folder, tmp_path):
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true", "CONTENT_CACHE_VARIANTS": "2"}
    former = tmp_path / "cache" / "ArticlesGenerator-Readers"  # the layout before folders
    former.parent.mkdir()
    former.write_bytes(b"not a pickle")
    seen = []
    for length in (10, 11, 12):
        result = build_site(folder, tmp_path / "out",
                            extra={**cache, "SUMMARY_MAX_LENGTH": str(length)})
        assert result.returncode == 0, result.stdout + result.stderr
        assert not former.exists()
        seen.append(next(path for path in readers_caches(tmp_path / "cache")
                         if path not in seen))
    assert readers_caches(tmp_path / "cache") == sorted(seen[1:])  # the oldest one went


def test_a_misspelt_optional_key_is_a_warning_at_its_line(folder, tmp_path):
    write_article(folder, "cles.md", broken("""
        title: "Clés mal tapées"
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        tag: [IA]
        sumary: "Un résumé."
        auteur_invite: "Camille"
        """))
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}
    for _ in range(2):  # a warm build says it again: the file was not cached
        result = build_site(folder, tmp_path / "out", strict=False, extra=cache)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        warnings = [line for line in output.splitlines()
                    if line.startswith("AVERTISSEMENT") and "cles.md" in line]
        assert any("cles.md:5: tag: " in l and "« tags »" in l for l in warnings), output
        assert any("cles.md:6: sumary: " in l and "« summary »" in l for l in warnings), output
        assert len(warnings) == 2, warnings  # a key of the writer's own is not a typo


def test_the_category_is_spelt_as_declared_whatever_the_article_wrote(folder, tmp_path):
    """« category: cybersecurite » files the article under « Cybersécurité », and no
    article renames the category on the site's pages (Pelican names it after its newest
    article's spelling)."""
    write_article(folder, "0-rubrique.md", broken("""
        title: "Rubrique en minuscules"
        date: 2025-11-02 09:30
        category: intelligence artificielle
        """))
    out = tmp_path / "out"
    result = build_site(folder, out, strict=False, extra={"CACHE_PATH": f'"{tmp_path / "cache"}"'})
    assert result.returncode == 0, result.stdout + result.stderr
    for page in (out / "categorie" / "intelligence-artificielle" / "index.html",
                 out / "rubrique-en-minuscules" / "index.html", out / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "Intelligence Artificielle" in html
        assert ">intelligence artificielle<" not in html, page


def test_a_title_without_letters_or_digits_asks_for_a_slug(folder, tmp_path):
    """Pelican would skip the file with an English line about « /index.html »."""
    write_article(folder, "fusee.md", broken("""
        title: "🚀🤖 !"
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        """))
    result = build_site(folder, tmp_path / "out", strict=False,
                        extra={"CACHE_PATH": f'"{tmp_path / "cache"}"'})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert any(line.startswith("ERREUR") and "fusee.md:2: title: " in line and "slug:" in line
               for line in output.splitlines()), output
    assert "index.html" not in output and "Skipping" not in output
    write_article(folder, "fusee.md", broken("""
        title: "🚀🤖 !"
        slug: fusee
        date: 2025-10-23 09:30
        category: Intelligence Artificielle
        """))
    result = build_site(folder, tmp_path / "out", strict=False,
                        extra={"CACHE_PATH": f'"{tmp_path / "cache"}"'})
    assert result.returncode == 0 and (tmp_path / "out" / "fusee" / "index.html").is_file()
