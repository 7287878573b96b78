"""The sample blog, built once: every SPEC address exists and reads as French.

Expectations are derived from content/ itself (front-matter read with PyYAML), so the
tests follow the sample content instead of hard-coding it.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import feedparser
import pytest
import yaml
from babel.dates import format_date
from pelican.utils import slugify

from conftest import ROOT
from pelicanconf import CATEGORY_TREE, SLUG_REGEX_SUBSTITUTIONS

CONTENT = ROOT / "content"
NOW = datetime.datetime.now()


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        return {k.lower(): v for k, v in yaml.safe_load(text.split("---")[1]).items()}
    meta = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


def as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    from pelican.utils import get_date
    return get_date(str(value)).replace(tzinfo=None)


def articles():
    found = []
    for path in sorted(CONTENT.glob("*.md")):
        meta = front_matter(path)
        meta["slug"] = meta.get("slug") or slugify(str(meta["title"]), regex_subs=SLUG_REGEX_SUBSTITUTIONS)
        meta["when"] = as_datetime(meta["date"])
        found.append(meta)
    return found


def published():
    return [a for a in articles()
            if str(a.get("status", "published")) != "draft" and a["when"] <= NOW]


def test_sample_content_is_a_real_newsroom():
    all_articles = articles()
    tags = {str(t) for a in all_articles for t in (a.get("tags") or [])
            if isinstance(a.get("tags"), list)}
    assert len(all_articles) >= 12
    assert len(tags) >= 30
    assert any(str(a.get("status")) == "draft" for a in all_articles)
    assert any(a["when"] > NOW for a in all_articles)
    assert (CONTENT / "pages" / "a-propos.md").exists()


@pytest.mark.parametrize("url", [
    "/", "/page/2/", "/etiquettes/", "/recherche/", "/a-propos/", "/categories/",
    "/feeds/atom.xml", "/feeds/rss.xml", "/sitemap.xml", "/robots.txt", "/404.html",
])
def test_spec_addresses_exist(site, url):
    assert site.exists(url), url


def test_every_published_article_has_its_address(site):
    for article in published():
        assert site.exists(f"/{article['slug']}/"), article["slug"]


def test_drafts_and_future_articles_are_not_published(site):
    hidden = [a for a in articles() if a not in published()]
    assert hidden
    for article in hidden:
        assert not site.exists(f"/{article['slug']}/"), article["slug"]
        assert not site.exists(f"/brouillons/{article['slug']}/"), article["slug"]
        assert article["slug"] not in site.text("/sitemap.xml")
        assert article["slug"] not in site.text("/feeds/atom.xml")


def test_preview_shows_drafts_and_future_with_a_banner(preview_site):
    hidden = [a for a in articles() if a not in published()]
    for article in hidden:
        page = preview_site.html(f"/{article['slug']}/")
        banner = page.css_first(".draft-banner")
        assert banner is not None, article["slug"]
        assert "Brouillon" in banner.text() or "Programmé" in banner.text()


def test_pages_are_french(site):
    for path in site.html_pages():
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="fr"', html), path


def test_article_page_shows_breadcrumb_date_and_reading_time(site):
    for article in published():
        page = site.html(f"/{article['slug']}/")
        assert page.css_first("h1").text(strip=True).replace("\u202f", " ").replace(
            "\xa0", " ").startswith(str(article["title"])[:10].replace("'", "’")[:5])
        crumbs = [a.text(strip=True) for a in page.css(".breadcrumb li")]
        assert crumbs[0] == "Accueil"
        assert len(crumbs) == 4, crumbs  # Accueil › parent › enfant › titre
        time = page.css_first(".article__header time")
        # The day is bound to its month (U+00A0), as in the text.
        assert time.text(strip=True) == format_date(article["when"], "d MMMM y",
                                                    locale="fr_FR").replace(" ", "\u00a0", 1)
        assert time.attributes["datetime"].startswith(article["when"].strftime("%Y-%m-%d"))
        assert re.search(r"\d+\u202fmin de lecture", page.css_first(".article__header").text())


def test_parent_category_lists_its_children_articles(site):
    for parent, children in CATEGORY_TREE.items():
        child_slugs = {slugify(c, regex_subs=SLUG_REGEX_SUBSTITUTIONS) for c in children}
        expected = {a["slug"] for a in published()
                    if slugify(str(a["category"]), regex_subs=SLUG_REGEX_SUBSTITUTIONS) in child_slugs}
        if not expected:
            continue
        url = f"/categorie/{slugify(parent, regex_subs=SLUG_REGEX_SUBSTITUTIONS)}/"
        listed = set()
        page_url = url
        while page_url:
            page = site.html(page_url)
            listed |= {a.attributes["href"].strip("/").split("/")[-1]
                       for a in page.css(".card__title a")}
            nxt = page.css_first('a[rel="next"]')
            page_url = nxt.attributes["href"] if nxt else None
        assert expected <= listed, (parent, expected - listed)


def test_feeds_parse_and_hold_the_latest_articles(site):
    for url in ("/feeds/atom.xml", "/feeds/rss.xml"):
        feed = feedparser.parse(site.text(url))
        assert not feed.bozo, (url, feed.bozo_exception)
        assert 0 < len(feed.entries) <= 20


def test_slugs_fold_accents_and_stay_ascii(site):
    for path in site.output.rglob("*"):
        relative = str(path.relative_to(site.output))
        assert relative.isascii(), relative
    assert site.exists("/categorie/economie-numerique/")
    assert site.exists("/categorie/energies-renouvelables/")


def test_not_found_page_and_robots(site):
    page = site.html("/404.html")
    assert page.css_first("h1").text() == "Page introuvable"
    assert "Sitemap:" in site.text("/robots.txt")


def test_no_request_to_another_host(site):
    """Every src/href that loads something is local (links to share sites are fine)."""
    for path in site.html_pages():
        page = HTMLParser_for(path)
        for node in page.css("[src], link[href]"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            if node.tag == "link" and node.attributes.get("rel") in ("canonical", "alternate"):
                continue
            assert not re.match(r"^(https?:)?//", url) or "127.0.0.1" in url, (path, url)


def HTMLParser_for(path):
    from selectolax.lexbor import LexborHTMLParser as HTMLParser
    return HTMLParser(path.read_text(encoding="utf-8"))


def test_the_menu_says_which_section_the_reader_is_in(site):
    """A parent category's page is the current page; its children and their articles are
    in that section (aria-current="true"); elsewhere no item is marked."""
    def marked(url):
        return {(link.attributes["href"], link.attributes["aria-current"])
                for link in site.html(url).css(".site-nav a[aria-current]")}

    assert marked("/categorie/mobilite/") == {("/categorie/mobilite/", "page")}
    assert marked("/categorie/vehicules-electriques/") == {("/categorie/mobilite/", "true")}
    assert marked("/batteries-lfp/") == {("/categorie/mobilite/", "true")}
    assert marked("/") == set()


def test_titles_shown_never_break_before_an_inverted_pronoun(site):
    """« est-elle » stays on one line in the h1 and the cards (U+2060 after the hyphen),
    while the <title>, feeds and metadata keep the title as written."""
    page = site.html("/ia-ouverte-se-referme/")
    assert "est-\u2060elle" in page.css_first("h1").text()
    assert "\u2060" not in page.css_first("title").text()
    cards = [card.text() for card in site.html("/").css(".card__title")]
    assert any("est-\u2060elle" in text for text in cards)


def test_cards_and_article_show_a_generated_cover_without_the_title_beside_it(site):
    """A card or an article prints its title beside its cover: a generated cover shows
    its art there, without text; the share card (og:image) keeps the title."""
    from urllib.parse import urlsplit

    from PIL import Image

    def white_share(url: str) -> float:
        """Part of the centre band (where the title is set) in near-white pixels."""
        with Image.open(site.output / urlsplit(url).path.lstrip("/")) as im:
            band = im.convert("RGB").resize((1200, 630)).crop((200, 180, 1000, 450))
            pixels = list(band.getdata())
        return sum(1 for p in pixels if min(p) > 225) / len(pixels)

    home = site.html("/")
    cards = home.css(".card")
    assert len(cards) > 3
    for card in cards:
        slug = card.css_first(".card__title a").attributes["href"].strip("/").split("/")[-1]
        article = site.html(f"/{slug}/")
        if article.css_first(".article__cover--generated") is None:
            continue  # a writer's own cover is shown as it is
        img = card.css_first(".card__media img").attributes["src"]
        assert img.endswith(f"/images/covers/{slug}-800.webp"), img
        og = article.css_first('meta[property="og:image"]').attributes["content"]
        assert og.endswith(f"/images/covers/{slug}.jpg")
        assert white_share(og) > 0.01, og  # the title, in white
        assert white_share(img) == 0, img  # no text at all
        cover = article.css_first(".article__cover img")
        assert cover.attributes["src"] == img and cover.attributes["alt"] == ""
        webps = article.css_first(".article__cover source").attributes["srcset"]
        assert f"/images/covers/{slug}.webp 1200w" in webps
        assert white_share(f"/images/covers/{slug}.webp") == 0
