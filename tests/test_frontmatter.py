"""Bad front-matter gives a clear error (file, line, key, fix), a non-zero exit, no traceback.

Each case builds a tiny content folder with one valid article and one broken file, through
our runner (what `invoke build` uses) and through the plain Pelican CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

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
    "yaml-syntax": (broken("""
        title: Meta : la fin de l'open source ?
        date: 2025-10-23
        category: Intelligence Artificielle
        """), "front-matter", "YAML illisible", 2),
    "native-bad-date": ("Title: Titre natif\nDate: 32/32/2025\n"
                        "Category: Intelligence Artificielle\n\nTexte.\n",
                        "date", "illisible", 2),
    "native-missing-title": ("Date: 2025-10-23\nCategory: Intelligence Artificielle\n\nTexte.\n",
                             "title", "titre manquant", 1),
}


@pytest.fixture
def folder(tmp_path):
    content = tmp_path / "content"
    write_article(content, "correct.md", VALID)
    return content


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_front_matter_is_a_clear_error(folder, tmp_path, case):
    text, key, message, line = CASES[case]
    write_article(folder, "casse.md", text)
    result = build_site(folder, tmp_path / "out", strict=False,
                        extra={"CACHE_PATH": f'"{tmp_path / "cache"}"'})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    error_lines = [l for l in output.splitlines() if l.startswith("ERREUR")]
    assert any(f"casse.md:{line}: {key}: " in l and message in l for l in error_lines), output
    # The valid article is still built: one mistake does not hide the rest.
    assert (tmp_path / "out" / "un-article-correct" / "index.html").exists()


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
    stamp = (tmp_path / "cache" / "plugins-du-cache.txt").read_text(encoding="utf-8")
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
    readers_cache = tmp_path / "cache" / "ArticlesGenerator-Readers"
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


def test_a_settings_change_sets_the_content_cache_aside(folder, tmp_path):
    """Pelican keys its cache by file and date only: after a change of settings it would
    serve the HTML of the old settings. The stamp covers settings, plugin code and the
    Markdown libraries."""
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"', "LOAD_CONTENT_CACHE": "true",
             "CACHE_CONTENT": "true"}
    readers_cache = tmp_path / "cache" / "ArticlesGenerator-Readers"

    def build(**extra):
        result = build_site(folder, tmp_path / "out", extra={**cache, **extra})
        assert result.returncode == 0, result.stdout + result.stderr

    build()
    os.utime(readers_cache, ns=(10**18, 10**18))
    build()
    assert readers_cache.stat().st_mtime_ns == 10**18  # same settings: cache kept
    build(SUMMARY_MAX_LENGTH="12")
    assert readers_cache.stat().st_mtime_ns != 10**18  # set aside, read again, rewritten
