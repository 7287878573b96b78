"""Feeds: valid Atom/RSS, French, complete (summary + full text), absolute, capped at 20.

Every feed of the sample blog is read twice: by feedparser (what feed readers use; no
``bozo``) and by lxml, where the elements RFC 4287 requires are checked one by one.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
HOSTILE_TITLE_START = '<script>alert('


def feed_files(site) -> list[Path]:
    return sorted((site.output / "feeds").rglob("*.xml"))


def check_atom(path: Path, *, origin: str) -> etree._Element:
    """Raise AssertionError unless `path` is an Atom feed with every required element."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{ATOM}feed", path
    assert root.get(XML_LANG) == "fr", path
    for required in ("id", "title", "updated"):
        element = root.find(f"{ATOM}{required}")
        assert element is not None and (element.text or "").strip(), f"{path}: {required}"
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href").startswith(origin), path
    assert root.find(f"{ATOM}id").text.startswith(origin), path
    entries = root.findall(f"{ATOM}entry")
    assert 1 <= len(entries) <= 20, f"{path}: {len(entries)} entries"
    for entry in entries:
        for required in ("id", "title", "updated", "published", "summary", "content"):
            element = entry.find(f"{ATOM}{required}")
            assert element is not None and (element.text or "").strip(), f"{path}: {required}"
        assert not entry.find(f"{ATOM}id").text.startswith("tag:None"), path
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href").startswith(origin + "/"), path
        author = entry.find(f"{ATOM}author/{ATOM}name")
        assert author is not None and author.text.strip(), f"{path}: author"
        assert entry.find(f"{ATOM}content").get("type") == "html"
    return root


def urls_in_html(fragment: str) -> list[str]:
    tree = LexborHTMLParser(fragment)
    urls = [node.attributes.get("href") for node in tree.css("[href]")]
    urls += [node.attributes.get("src") for node in tree.css("[src]")]
    for node in tree.css("[srcset]"):
        urls += [candidate.split()[0] for candidate in node.attributes["srcset"].split(",")]
    return urls


# --- Sample blog, preview settings ------------------------------------------------------
def test_every_feed_parses_without_bozo(site):
    files = feed_files(site)
    assert len(files) > 10  # whole site, per category, per tag
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.entries, path


def test_atom_feeds_are_complete_and_french(site):
    atom_files = [path for path in feed_files(site) if path.name.endswith("atom.xml")]
    assert (site.output / "feeds" / "atom.xml") in atom_files
    assert any("categorie" in str(path) for path in atom_files)
    assert any("etiquette" in str(path) for path in atom_files)
    for path in atom_files:
        check_atom(path, origin="http://127.0.0.1:8000")


def test_feed_content_links_and_images_are_absolute(site):
    parsed = feedparser.parse((site.output / "feeds" / "atom.xml").read_bytes())
    seen_image = False
    for entry in parsed.entries:
        for fragment in (entry.content[0].value, entry.summary):
            for url in urls_in_html(fragment):
                assert url.startswith(("http://", "https://", "mailto:")), (entry.link, url)
        seen_image = seen_image or "<img" in entry.content[0].value
        assert 'class="headerlink"' not in entry.content[0].value
    assert seen_image, "the sample blog has an article with an image"


def test_rss_has_language_summary_and_full_content(site):
    root = etree.parse(str(site.output / "feeds" / "rss.xml")).getroot()
    channel = root.find("channel")
    assert channel.findtext("language") == "fr"
    items = channel.findall("item")
    assert 1 <= len(items) <= 20
    for item in items:
        description = item.findtext("description")
        full = item.findtext(f"{CONTENT_NS}encoded")
        assert description and full and len(full) > len(description)
        assert item.findtext("link").startswith("http://127.0.0.1:8000/")
    parsed = feedparser.parse((site.output / "feeds" / "rss.xml").read_bytes())
    assert parsed.bozo == 0
    assert parsed.feed.language == "fr"
    assert parsed.entries[0].content[0].value and parsed.entries[0].summary


def test_feed_entries_match_the_articles(site):
    parsed = feedparser.parse((site.output / "feeds" / "atom.xml").read_bytes())
    for entry in parsed.entries:
        path = entry.link.removeprefix("http://127.0.0.1:8000")
        h1 = site.html(path).css_first("h1")
        # The page's h1 glues « est-elle » for display (U+2060); the feed has the title.
        assert h1 is not None and h1.text().strip().replace("\u2060", "") == entry.title


# --- Fixture with 24 articles and a hostile title ---------------------------------------
def test_feeds_hold_the_latest_twenty(reader_site):
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((reader_site.output / "feeds" / name).read_bytes())
        assert parsed.bozo == 0
        assert len(parsed.entries) == 20
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True)
    check_atom(reader_site.output / "feeds" / "atom.xml", origin="http://127.0.0.1:8000")


def test_hostile_title_is_plain_text_in_feeds(reader_site):
    for path in feed_files(reader_site):
        tree = etree.parse(str(path))
        titles = tree.findall(f".//{ATOM}entry/{ATOM}title") + tree.findall(".//item/title")
        hostile = [title for title in titles if (title.text or "").startswith(HOSTILE_TITLE_START)]
        if "cybersecurite" in path.name or path.name in ("atom.xml", "rss.xml"):
            assert hostile, f"{path}: the hostile article is missing"
        for title in hostile:
            assert len(title) == 0  # text, not elements
            assert title.get("type") in (None, "text")
            assert "guillemets" in title.text and "&" in title.text
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path


def test_relative_links_of_the_fixture_become_absolute(reader_site):
    parsed = feedparser.parse((reader_site.output / "feeds" / "atom.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.link.endswith("/long-sommaire/"))
    urls = urls_in_html(entry.content[0].value)
    assert "http://127.0.0.1:8000/a-propos/" in urls
    assert "http://127.0.0.1:8000/images/schema.jpg" in urls
    assert "http://127.0.0.1:8000/long-sommaire/#etat-des-lieux" in urls


# --- Production settings -----------------------------------------------------------------
@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_production_feeds_use_siteurl(publish_site, name):
    parsed = feedparser.parse((publish_site.output / "feeds" / name).read_bytes())
    assert parsed.bozo == 0
    for entry in parsed.entries:
        assert entry.link.startswith("https://leblog.example/")
        for url in urls_in_html(entry.content[0].value):
            assert url.startswith(("https://", "http://", "mailto:")), url
    if name == "atom.xml":
        check_atom(publish_site.output / "feeds" / name, origin="https://leblog.example")


def _flux_module():
    from flux import flux

    return flux


def test_absolute_html_doctests():
    import doctest

    assert doctest.testmod(_flux_module()).failed == 0


def test_absolute_html_leaves_code_and_other_attributes_alone():
    flux = _flux_module()
    fragment = ('<h2 id="a">Titre<a class="headerlink" href="#a" aria-label="« a »">#</a></h2>'
                '<pre><code>&lt;a href="/x"&gt;</code></pre>'
                '<p><a href="#n" data-src="/y" title="href=/z">n</a>'
                "<a href='mailto:r@leblog.example'>m</a></p>")
    result = LexborHTMLParser(flux.absolute_html(fragment, "https://b.fr/art/"))
    assert not result.css("a.headerlink")
    assert result.css_first("code").text() == '<a href="/x">'
    link = result.css("p a")
    assert link[0].attributes == {"href": "https://b.fr/art/#n", "data-src": "/y",
                                  "title": "href=/z"}
    assert link[1].attributes["href"] == "mailto:r@leblog.example"


def test_a_category_or_tag_feed_is_that_pages_feed(site):
    """Its own id and link (feed readers keyed them by id: all 57 were the home's), its
    name after the site's with a dash, not a hyphen."""
    ids = set()
    for folder, page in (("categorie", "/categorie/nucleaire/"), ("etiquette", "/etiquette/ia/")):
        slug = page.rstrip("/").rsplit("/", 1)[1]
        parsed = feedparser.parse((site.output / "feeds" / folder / f"{slug}.atom.xml").read_bytes())
        assert parsed.feed.id.endswith(page) and parsed.feed.link.endswith(page), parsed.feed
        assert " ".join(parsed.feed.title.split()).startswith("Le Blog — "), parsed.feed.title
        ids.add(parsed.feed.id)
    home = feedparser.parse((site.output / "feeds" / "atom.xml").read_bytes())
    assert " ".join(home.feed.title.split()) == "Le Blog" and home.feed.id not in ids


def test_rss_guids_are_not_permalinks_and_self_link_has_its_type(site):
    root = etree.parse(str(site.output / "feeds" / "rss.xml")).getroot()
    guids = root.findall("channel/item/guid")
    assert guids and all(guid.get("isPermaLink") == "false" for guid in guids)
    assert all(guid.text.startswith("tag:") for guid in guids)
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert self_link.get("type") == "application/rss+xml"


def test_the_site_subtitle_is_typeset_in_feeds(site):
    parsed = feedparser.parse((site.output / "feeds" / "atom.xml").read_bytes())
    assert "\u00a0:" in parsed.feed.subtitle and " :" not in parsed.feed.subtitle


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_every_entry_carries_its_cover_as_enclosure(site, name):
    """Feed readers show the enclosed picture beside the entry."""
    parsed = feedparser.parse((site.output / "feeds" / name).read_bytes())
    assert parsed.bozo == 0 and parsed.entries
    for entry in parsed.entries:
        enclosures = entry.get("enclosures") or []
        assert len(enclosures) == 1, entry.link
        enclosure = enclosures[0]
        assert enclosure["type"] == "image/jpeg"
        path = enclosure["href"].removeprefix("http://127.0.0.1:8000/")
        assert enclosure["href"] != path, enclosure  # absolute
        cover = site.output / path
        assert cover.is_file() and enclosure["length"] == "0"  # unknown: see flux
        og = site.html(entry.link.removeprefix("http://127.0.0.1:8000")).css_first(
            'meta[property="og:image"]').attributes["content"]
        assert og == enclosure["href"]


def test_render_processes_keep_feed_and_card_html_as_utf8_bytes():
    """Each render process keeps every card it rendered and the full text of every
    article its feeds list until it ends; as str, French text takes two bytes per
    character (’, narrow no-break spaces): both caches hold UTF-8 bytes (5000 articles:
    peak 434 → 398 MB) and give back the same text."""
    from flux import flux
    from fragments import fragments
    from jinja2 import DictLoader, Environment

    text = "<p>L’éolien\u202fen mer, <a href=\"/eolien/\">lire</a></p>"
    cache = {"html": {}}
    first = flux.cached_html(cache, "content", "https://b.fr/a/", lambda: text)
    again = flux.cached_html(cache, "content", "https://b.fr/a/", lambda: "autre chose")
    assert first == again == text.replace("/eolien/", "https://b.fr/eolien/")
    assert cache["html"][("content", "https://b.fr/a/")] == first.encode("utf-8")

    environment = Environment(loader=DictLoader({
        "partials/card.html": "<article>{{ article }} : niveau {{ heading_level }}</article>"}))
    environment.globals["article_card"] = fragments.article_card
    page = environment.from_string("{{ article_card(a) }}{{ article_card(a) }}")
    fragments._rendered.clear()
    try:
        html = page.render(a="L’éolien\u202fen mer")
        assert html == "<article>L’éolien\u202fen mer : niveau 2</article>" * 2
        assert [type(value) for value in fragments._rendered.values()] == [bytes]
    finally:
        fragments._rendered.clear()
