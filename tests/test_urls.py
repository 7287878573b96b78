"""Addresses: directory pagination never lets one tag's pages overwrite another's."""

from __future__ import annotations

from conftest import build_site, write_article

ARTICLE = """\
---
title: "Article numéro {n}"
date: 2024-01-{day:02d} 10:00
category: Startups
tags: [{tags}]
summary: "Résumé {n}."
---
Texte de l’article {n}.
"""


def test_tag_sujet_10_pages_and_tag_sujet_102_coexist(tmp_path):
    content = tmp_path / "content"
    for n in range(25):
        write_article(content, f"a{n}.md", ARTICLE.format(n=n, day=n + 1, tags="sujet 10"))
    write_article(content, "b.md", ARTICLE.format(n=99, day=28, tags="sujet 102"))
    result = build_site(content, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "out"
    for page in ("etiquette/sujet-10/index.html", "etiquette/sujet-10/page/2/index.html",
                 "etiquette/sujet-10/page/3/index.html", "etiquette/sujet-102/index.html"):
        assert (out / page).is_file(), page
    def words(page):  # typography puts no-break spaces between words and numbers
        return " ".join((out / page).read_text().split())

    assert "Article numéro 99" in words("etiquette/sujet-102/index.html")
    assert "Article numéro 99" not in words("etiquette/sujet-10/page/2/index.html")
    assert (out / "page/2/index.html").is_file() and (out / "page/3/index.html").is_file()
    assert (out / "categorie/startups/page/3/index.html").is_file()
    assert (out / "categorie/economie-numerique/page/3/index.html").is_file()


def test_accented_names_fold_to_ascii_slugs(tmp_path):
    content = tmp_path / "content"
    write_article(content, "x.md", ARTICLE.format(n=1, day=1, tags="Écoconception & IA")
                  .replace("Article numéro 1", "L’IA à l’école : « Écoconception & IA »"))
    result = build_site(content, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out/etiquette/ecoconception-ia/index.html").is_file()
    assert (tmp_path / "out/l-ia-a-l-ecole-ecoconception-ia/index.html").is_file()
