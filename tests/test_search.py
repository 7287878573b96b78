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
        patched.setattr(plugin, "page_facts", lambda path: 1 / 0)
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


def _plugin():
    import sys
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    from search import search as plugin
    return plugin


def _dated_page(output: Path, slug: str, date: str | None, word: str = "texte",
                around: str = "") -> Path:
    """A page whose body Pagefind indexes, with `around` after the body (what an article
    shows beside its text: neighbours, related articles, the footer)."""
    page = output / slug / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    sort = f' data-pagefind-sort="date:{date}"' if date else ""
    page.write_text(f'<!doctype html><html lang="fr"><head><title>{slug}</title></head>'
                    f"<body><main data-pagefind-body{sort}><h1>{slug}</h1><p>Un {word}.</p>"
                    f"</main>{around}</body></html>", encoding="utf-8")
    return page


def test_past_the_limit_the_oldest_pages_go_into_archives_cut_by_date(tmp_path):
    plugin = _plugin()
    output = tmp_path / "output"
    # Written in no particular order; two dates in other time zones than their neighbours.
    dates = {"d": "2024-03-01T10:00:00+01:00", "a": "2021-01-01T00:00:00+00:00",
             "c": "2023-06-01T12:00:00+02:00", "e": "2025-01-01T09:00:00+01:00",
             "b": "2022-01-01T00:00:00-05:00"}
    for slug, date in dates.items():
        _dated_page(output, slug, date)
    _dated_page(output, "a-propos", None)  # undated: with the newest
    settings = {**plugin.DEFAULTS, "SEARCH_CACHE_PATH": str(tmp_path / "cache"),
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html",
                "SEARCH_PAGES_PER_INDEX": 2}

    def layout():
        return [(part.folder, [relative.split("/")[0] for relative, _ in part.pages])
                for part in plugin.index_parts(output, settings)]

    assert layout() == [("", ["a-propos", "e"]), ("archives-2", ["c", "d"]),
                        ("archives-1", ["a", "b"])]
    # Articles added later never move an archive: the newest part fills up, then is cut.
    inputs = plugin.index_inputs(settings)
    keys = {part.folder: part.key(inputs) for part in plugin.index_parts(output, settings)}
    _dated_page(output, "f", "2025-06-01T09:00:00+02:00")
    assert layout() == [("", ["a-propos"]), ("archives-3", ["e", "f"]),
                        ("archives-2", ["c", "d"]), ("archives-1", ["a", "b"])]
    _dated_page(output, "g", "2025-09-01T09:00:00+02:00")
    parts = plugin.index_parts(output, settings)
    assert [part.folder for part in parts] == ["", "archives-3", "archives-2", "archives-1"]
    assert parts[0].key(inputs) != keys[""]
    assert {part.folder: part.key(inputs) for part in parts[2:]} == {
        "archives-2": keys["archives-2"], "archives-1": keys["archives-1"]}
    # No limit: one index, as a small blog has.
    assert [part.folder for part in plugin.index_parts(
        output, {**settings, "SEARCH_PAGES_PER_INDEX": 0})] == [""]


def test_an_edit_indexes_again_only_the_part_it_is_in(tmp_path, monkeypatch):
    plugin = _plugin()
    output = tmp_path / "output"
    for number in range(5):
        _dated_page(output, f"article-{number}", f"202{number}-01-01T00:00:00+00:00",
                    word=f"mot{number}")
    settings = {**plugin.DEFAULTS, "SEARCH_CACHE_PATH": str(tmp_path / "cache"),
                "OUTPUT_PATH": str(output), "SEARCH_PAGES_PER_INDEX": 2,
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html"}
    bundle = output / "pagefind"
    assert plugin.publish_bundle(output, bundle, settings) == "indexed"
    assert json.loads((bundle / "parties.json").read_text()) == ["archives-2/", "archives-1/"]
    for folder in ("", "archives-1", "archives-2"):
        assert plugin.bundle_complete(bundle / folder)
    indexed = []
    real = plugin.write_index
    monkeypatch.setattr(plugin, "write_index",
                        lambda site, target, options, pages: indexed.append(pages) or
                        real(site, target, options, pages))
    assert plugin.publish_bundle(output, bundle, settings) == "already in place"
    page = _dated_page(output, "article-1", "2021-01-01T00:00:00+00:00", word="changé")
    assert plugin.publish_bundle(output, bundle, settings) == "indexed"
    assert indexed == [["article-0/index.html", "article-1/index.html"]]
    assert page.is_file()


def test_what_happens_around_the_body_indexes_nothing_again(tmp_path, monkeypatch):
    """A new article changes the « next » link and related articles of older pages, in
    the archives: none of that is indexed, so no archive is indexed again."""
    plugin = _plugin()
    output = tmp_path / "output"
    for number in range(4):
        _dated_page(output, f"article-{number}", f"202{number}-01-01T00:00:00+00:00",
                    word=f"mot{number}", around="<nav>Suivant : rien</nav>")
    settings = {**plugin.DEFAULTS, "SEARCH_CACHE_PATH": str(tmp_path / "cache"),
                "OUTPUT_PATH": str(output), "SEARCH_PAGES_PER_INDEX": 2,
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html"}
    bundle = output / "pagefind"
    assert plugin.publish_bundle(output, bundle, settings) == "indexed"
    indexed = []
    real = plugin.write_index
    monkeypatch.setattr(plugin, "write_index",
                        lambda site, target, options, pages: indexed.append(pages) or
                        real(site, target, options, pages))
    _dated_page(output, "article-0", "2020-01-01T00:00:00+00:00", word="mot0",
                around="<nav>Suivant : article 4</nav><section><h2>À lire aussi</h2></section>")
    _dated_page(output, "article-4", "2024-01-01T00:00:00+00:00", word="mot4")
    assert plugin.publish_bundle(output, bundle, settings) == "indexed"
    # archives-1: articles 0 and 1; archives-2: 2 and 3; the newest index: article 4.
    assert indexed == [["article-4/index.html"]]
    # What the results show does count: a filter outside the body, the body itself.
    _dated_page(output, "article-0", "2020-01-01T00:00:00+00:00", word="mot0",
                around='<p data-pagefind-filter="rubrique">Énergie</p>')
    assert plugin.publish_bundle(output, bundle, settings) == "indexed"
    assert indexed[-1] == ["article-0/index.html", "article-1/index.html"]


class TestIndexedView:
    PAGE = ('<!doctype html><html lang="fr"><head><title>T</title></head><body>'
            '<header><img src="/logo.png" alt=""></header>'
            '<article data-pagefind-body><h1>Titre</h1><img src="/couverture.webp" alt="">'
            '<p>Texte <span data-pagefind-ignore>caché</span>.</p></article>'
            '<nav>Suivant</nav><section class="related"><img src="/autre.webp" alt="">'
            '<h2>À lire aussi</h2></section><footer>étiquette (12 articles)</footer>'
            '</body></html>')

    def view(self, tmp_path, text):
        path = tmp_path / "page.html"
        path.write_text(text, encoding="utf-8")
        return _plugin().indexed_view(path)

    @pytest.mark.parametrize("old, new", [
        ("<nav>Suivant</nav>", "<nav>Suivant : un nouvel article</nav>"),
        ('<img src="/autre.webp" alt="">', '<img src="/nouvelle.webp" alt="">'),
        ("(12 articles)", "(13 articles)"),
        ("<h2>À lire aussi</h2>", "<h2>À lire aussi</h2><p>Un autre</p>"),
    ])
    def test_what_pagefind_does_not_read_leaves_it(self, tmp_path, old, new):
        assert old in self.PAGE
        assert self.view(tmp_path, self.PAGE.replace(old, new)) == self.view(tmp_path, self.PAGE)

    def test_images_are_taken_in_document_order(self, tmp_path):
        """Without a logo, the first image is the cover; a related article's image, later
        in the page, is still not read."""
        page = self.PAGE.replace('<header><img src="/logo.png" alt=""></header>', "")
        changed = page.replace('src="/autre.webp"', 'src="/nouvelle.webp"')
        assert changed != page
        assert self.view(tmp_path, changed) == self.view(tmp_path, page)

    @pytest.mark.parametrize("old, new", [
        ("Texte", "Autre texte"),
        ("caché", "autre"),  # inside the body: Pagefind reads the attribute
        ('lang="fr"', 'lang="en"'),
        ("<title>T</title>", "<title>U</title>"),
        ("<h1>Titre</h1>", "<h1>Autre titre</h1>"),
        ('src="/couverture.webp"', 'src="/autre-couverture.webp"'),  # the default image
        ('src="/logo.png"', 'src="/autre-logo.png"'),  # the first image of the page
        ("<nav>Suivant</nav>", '<nav data-pagefind-meta="suite">Suivant</nav>'),
        ("<footer>", '<footer data-pagefind-filter="site:pied">'),
    ])
    def test_what_pagefind_may_read_changes_it(self, tmp_path, old, new):
        assert old in self.PAGE
        assert self.view(tmp_path, self.PAGE.replace(old, new)) != self.view(tmp_path, self.PAGE)


def test_archives_are_published_without_the_script_and_webassembly(tmp_path):
    """search.js loads Pagefind from the main bundle only, and a merged index never
    fetches its own worker or WebAssembly: archives go without them. The cache keeps
    them, for a part that becomes the main index (here, once the newest article goes)."""
    plugin = _plugin()
    output = tmp_path / "output"
    pages = [_dated_page(output, f"article-{number}", f"202{number}-01-01T00:00:00+00:00",
                         word=f"mot{number}") for number in range(5)]
    settings = {**plugin.DEFAULTS, "SEARCH_CACHE_PATH": str(tmp_path / "cache"),
                "OUTPUT_PATH": str(output), "SEARCH_PAGES_PER_INDEX": 2,
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html"}
    bundle = output / "pagefind"

    def engine(folder):
        names = {path.name for path in (bundle / folder).iterdir()}
        return {name for name in names if name.startswith(("pagefind.js", "pagefind-worker", "wasm."))}

    plugin.publish_bundle(output, bundle, settings)
    assert engine("") >= {"pagefind.js", "pagefind-worker.js", "wasm.fr.pagefind"}
    assert engine("archives-1") == engine("archives-2") == set()
    assert plugin.publish_bundle(output, bundle, settings) == "already in place"
    pages[4].unlink()  # articles 2 and 3, the second archive, become the main index
    assert plugin.publish_bundle(output, bundle, settings) == "reused from cache"
    assert json.loads((bundle / "parties.json").read_text()) == ["archives-1/"]
    assert engine("") >= {"pagefind.js", "pagefind-worker.js", "wasm.fr.pagefind"}
    assert engine("archives-1") == set() and not (bundle / "archives-2").exists()


@needs_node
def test_a_search_over_archives_answers_as_one_index(site, sharded_site):
    bundle = sharded_site.output / "pagefind"
    folders = json.loads((bundle / "parties.json").read_text())
    assert len(folders) >= 3 and folders == sorted(folders, key=lambda f: -int(f.split("-")[1][:-1]))
    assert json.loads((site.output / "pagefind" / "parties.json").read_text()) == []
    one, many = search(site, "énergie"), search(sharded_site, "énergie")
    assert many["indexes"] == len(folders) + 1 and one["indexes"] == 1
    assert sorted(r["url"] for r in many["results"]) == sorted(r["url"] for r in one["results"])
    for name in ("rubrique", "etiquette"):
        assert many["filters"][name] == one["filters"][name]


@needs_node
def test_a_category_listed_over_archives_stays_in_date_order(site, sharded_site):
    parent = "Énergie et Climat"
    one = search(site, None, {"rubrique": parent})
    many = search(sharded_site, None, {"rubrique": parent})
    assert len(many["results"]) >= 4
    assert [r["url"] for r in many["results"]] == [r["url"] for r in one["results"]]
    days = []
    for result in many["results"]:
        page = sharded_site.html(result["url"])
        days.append(page.css_first("[data-pagefind-sort]").attributes["data-pagefind-sort"])
    assert days == sorted(days, reverse=True)


def test_a_deferred_index_is_left_to_index_site(tmp_path):
    """SEARCH_DEFERRED: Pelican's ``finalized`` writes nothing and leaves ``index_site``,
    with the same settings as a plain dict, for after the build (tools/run_pelican.py
    runs it once Pelican's process has ended); run, it writes the bundle."""
    import sys
    from types import SimpleNamespace

    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))
    import _processus as processus
    from search import search as plugin

    output = tmp_path / "output"
    page = output / "eolien" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<!doctype html><html lang="fr"><head><title>Éolien</title></head>'
                    "<body><main data-pagefind-body><h1>Éolien</h1><p>Des éoliennes en mer."
                    "</p></main></body></html>", encoding="utf-8")
    settings = {**plugin.DEFAULTS, "OUTPUT_PATH": str(output), "SEARCH_DEFERRED": True,
                "SEARCH_CACHE_PATH": str(tmp_path / "cache" / "search"),
                "ARTICLE_SAVE_AS": "{slug}/index.html", "PAGE_SAVE_AS": "{slug}/index.html",
                "NOT_PLAIN": object()}

    processus.LEFT_FOR_AFTER.clear()
    assert plugin.build_index(SimpleNamespace(settings=settings)) == "deferred"
    assert not (output / "pagefind").exists()
    [work] = processus.LEFT_FOR_AFTER
    processus.LEFT_FOR_AFTER.clear()
    assert (work.module, work.function) == ("search.search", "index_site")
    assert work.run() == "indexed"
    assert (output / "pagefind" / "pagefind-entry.json").is_file()
