"""Search: the Pagefind index written after the build, queried as the browser would.

The queries run Pagefind's own ``pagefind.js`` (WebAssembly included) in Node through
``tests/pagefind_query.mjs``, against the index of the built site.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

QUERY_SCRIPT = ROOT / "tests" / "pagefind_query.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is needed to run pagefind.js")


def search(site, query: str | None, filters: dict | None = None) -> dict:
    command = [NODE, str(QUERY_SCRIPT), str(site.output / "pagefind"), query or "",
               json.dumps(filters or {})]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def indexed_pages(site) -> list[Path]:
    return [path for path in site.html_pages()
            if "data-pagefind-body" in path.read_text(encoding="utf-8")]


def test_index_is_written_in_french(site):
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr"]
    assert entry["languages"]["fr"]["page_count"] == len(indexed_pages(site))
    assert (site.output / "pagefind" / "pagefind.js").is_file()
    assert list((site.output / "pagefind").glob("wasm.fr.pagefind"))
    files = [path for path in (site.output / "pagefind").rglob("*") if path.is_file()]
    assert files and all(path.stat().st_size > 0 for path in files)  # written completely


def test_only_article_bodies_are_indexed(site):
    bodies = indexed_pages(site)
    assert len(bodies) >= 16
    for path in bodies:
        relative = path.relative_to(site.output).as_posix()
        assert not relative.startswith(("categorie/", "etiquette/", "page/", "recherche/"))
        assert relative != "index.html"


@needs_node
def test_a_french_word_finds_its_article_with_title_date_and_filters(site):
    found = search(site, "agrivoltaïques")  # stemmed: the article says « agrivoltaïsme »
    assert found["results"], found
    first = found["results"][0]
    assert first["url"] == "/agrivoltaisme/"
    tree = site.html("/agrivoltaisme/")
    # The index reads a straight apostrophe and no word joiner (plugins/search: FOR_INDEXING).
    heading = tree.css_first("h1").text().strip()
    assert first["meta"]["title"] == heading.replace("\u2060", "").replace("’", "'")
    assert first["meta"]["date"] == tree.css_first(".article__header time").text().strip()
    assert "<mark>" in first["excerpt"]
    assert sorted(first["filters"]["rubrique"]) == ["Énergie et Climat", "Énergies renouvelables"]
    assert first["meta"]["rubrique"] == "Énergies renouvelables"
    tags = sorted(node.text().strip() for node in tree.css(".article__footer .tag"))
    assert sorted(first["filters"]["etiquette"]) == tags


@needs_node
def test_filters_by_category_and_tag(site):
    found = search(site, None, {"rubrique": "Nucléaire"})
    urls = {result["url"] for result in found["results"]}
    expected = {"/" + path.parent.relative_to(site.output).as_posix() + "/"
                for path in indexed_pages(site)
                if site.html("/" + path.relative_to(site.output).as_posix())
                .css_first(".article__category a") is not None
                and site.html("/" + path.relative_to(site.output).as_posix())
                .css_first(".article__category a").text().strip() == "Nucléaire"}
    assert urls == expected and len(urls) >= 1
    assert "open source" in found["filters"]["etiquette"]
    by_tag = search(site, None, {"etiquette": "open source"})
    assert by_tag["count"] == found["filters"]["etiquette"]["open source"]


@needs_node
def test_a_parent_category_filters_its_childrens_articles(site):
    parent = site.html("/categorie/energie-et-climat/")
    listed = {a.attributes["href"].removeprefix("http://127.0.0.1:8000")
              for a in parent.css(".card__title a")}
    found = search(site, None, {"rubrique": "Énergie et Climat"})
    assert {result["url"] for result in found["results"]} == listed and listed
    # The result shows the article's own category, not its parent.
    assert {result["meta"]["rubrique"] for result in found["results"]} <= {
        "Énergies renouvelables", "Nucléaire"}


@needs_node
def test_share_row_and_navigation_are_not_indexed(site):
    assert search(site, "Mastodon")["count"] == 0  # share row
    assert search(site, "Sommaire")["count"] == 0  # table of contents
    assert search(site, "Bluesky")["count"] == 0


@needs_node
def test_heading_permalinks_are_not_in_excerpts(site):
    found = search(site, "aimant")  # « L’IA, aimant à capitaux » is a heading
    assert found["results"]
    assert all("#" not in result["excerpt"] for result in found["results"])


@needs_node
def test_hostile_title_is_data_in_the_index(reader_site):
    found = search(reader_site, "hippocampelophe")
    assert [result["url"] for result in found["results"]] == ["/titre-hostile/"]
    result = found["results"][0]
    title = reader_site.html("/titre-hostile/").css_first("h1").text().strip()
    assert result["meta"]["title"] == title  # raw text; search.js sets it with textContent
    excerpt_without_marks = re.sub(r"</?mark>", "", result["excerpt"])
    assert "<" not in excerpt_without_marks


def test_search_page_has_a_no_js_fallback_and_deferred_script(site):
    tree = site.html("/recherche/")
    app = tree.css_first("[data-search]")
    assert app.attributes["data-bundle"] == "/pagefind/"
    ui = json.loads(app.attributes["data-ui"])
    assert ui["results"]["other"].startswith("{n} résultats")
    form = app.css_first("form[data-search-form]")
    assert "hidden" in form.attributes
    assert {select.attributes["data-filter"] for select in form.css("select")} == \
        {"rubrique", "etiquette"}
    fallback = [link.attributes["href"] for link in app.css("[data-search-nojs] a")]
    assert fallback == ["/etiquettes/", "/categories/"]
    script = tree.css_first('script[src$="/theme/js/search.js"]')
    assert script is not None and "defer" in script.attributes
    assert tree.css_first('link[href$="/theme/css/search.css"]') is not None


def test_every_page_has_the_search_field(site):
    """In its header; the search page has its own form instead (one search landmark)."""
    assert site.html("/recherche/").css_first("header form[role=search]") is None
    assert len(site.html("/recherche/").css("form[role=search]")) == 1
    for path in site.html_pages():
        if "pagefind" in path.parts or path.parent.name == "recherche":
            continue
        form = site.html("/" + path.relative_to(site.output).as_posix()).css_first(
            "header form[role=search]")
        assert form is not None, path
        assert form.attributes["action"] == "/recherche/"
        assert form.attributes["method"] == "get"
        assert form.css_first('input[name="q"]') is not None


def test_search_can_be_switched_off(publish_site):
    assert not (publish_site.output / "pagefind").exists()


def test_a_warm_build_reads_no_page_and_leaves_the_published_index_alone(tmp_path,
                                                                        monkeypatch):
    import sys
    from types import SimpleNamespace

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from search import search as plugin

    output = tmp_path / "output"
    for slug, word in (("eolien", "éoliennes"), ("solaire", "panneaux")):
        page = output / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="fr"><head><title>{slug}</title></head>'
                        f"<body><main data-pagefind-body><h1>{slug}</h1><p>Des {word} "
                        "partout.</p></main></body></html>", encoding="utf-8")
    settings = {**plugin.DEFAULTS, "OUTPUT_PATH": str(output),
                "SEARCH_CACHE_PATH": str(tmp_path / "cache" / "search"),
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html"}
    pelican = SimpleNamespace(settings=settings)

    assert plugin.build_index(pelican) == "indexed"
    entry = output / "pagefind" / "pagefind-entry.json"
    inode = entry.stat().st_ino
    # Warm: the pages' hashes come from the memo, the bundle is already the cached one.
    with monkeypatch.context() as patched:
        patched.setattr(plugin, "file_digest", lambda path: 1 / 0)
        assert plugin.build_index(pelican) == "already in place"
    assert entry.stat().st_ino == inode
    # The published bundle was changed by hand: published again from the cache.
    entry.unlink()
    assert plugin.build_index(pelican) == "reused from cache"
    # An edited page: indexed again.
    page = output / "solaire" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("panneaux", "toits"),
                    encoding="utf-8")
    assert plugin.build_index(pelican) == "indexed"


def test_pagefinds_own_interfaces_are_not_published(site):
    """The theme's search.js loads pagefind.js only: the ready-made UIs are dead weight."""
    bundle = site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not [path.name for path in bundle.iterdir() if "-ui." in path.name
                or path.name == "pagefind-highlight.js"]


def _folded(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                   if not unicodedata.combining(c))


@needs_node
def test_a_tag_finds_the_articles_it_labels_even_when_their_text_never_says_it(site):
    from selectolax.lexbor import LexborHTMLParser

    labelled = []  # (tag, url) where the tag's word is nowhere in the article's text
    for path in indexed_pages(site):
        page = LexborHTMLParser(path.read_text(encoding="utf-8"))
        body = page.css_first("[data-pagefind-body]")
        names = [tag.text().strip() for tag in page.css(".tag-list a")]
        for node in body.css(".tag-list, nav, .share"):
            node.decompose()
        text = _folded(body.text())
        for name in names:
            if " " not in name and _folded(name)[:5] not in text:
                labelled.append((name, "/" + path.relative_to(site.output).parent.as_posix() + "/"))
    assert labelled, "no tag missing from its article's text in this site"
    for name, url in labelled[:3]:
        urls = [result["url"] for result in search(site, name)["results"]]
        assert url in urls, (name, url, urls)


@needs_node
def test_words_after_an_elision_are_words(site):
    """« l’ANSSI » is indexed as « ANSSI » (Pagefind only splits words at ASCII punctuation,
    the index is given a straight apostrophe); the page keeps the typographic one."""
    found = search(site, "ANSSI")
    assert found["results"]
    assert all("anssi" in mark.lower() for result in found["results"]
               for mark in re.findall(r"<mark>(.*?)</mark>", result["excerpt"])), found
    assert any("l'<mark>" in r["excerpt"] or "<mark>l'" in r["excerpt"] for r in found["results"])
    article = (site.output / found["results"][0]["url"].strip("/") / "index.html").read_text(encoding="utf-8")
    assert "l’ANSSI" in article and "l'ANSSI" not in article
