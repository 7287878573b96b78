"""SEO, sharing and reading aids, checked on the built HTML with a real parser.

Every page: one absolute canonical, a unique <title>, a description, French lang,
Open Graph + Twitter card, JSON-LD that parses; articles: NewsArticle + BreadcrumbList,
share row, « Réagir », table of contents; sitemap, robots.txt, rel=prev/next. The hostile
fixture (title ``<script>alert("x")</script> & « guillemets »``) must stay text everywhere.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from lxml import etree
from pelican.settings import read_settings

from conftest import ROOT

ORIGIN = "http://127.0.0.1:8000"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SHARE_NETWORKS = ("x", "linkedin", "facebook", "bluesky", "mastodon", "email")


def covers_enabled() -> bool:
    return "covers" in read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]


def pages(site):
    return [path for path in site.html_pages()
            if "pagefind" not in path.relative_to(site.output).parts]


def url_of(site, path: Path) -> str:
    relative = path.relative_to(site.output).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def article_urls(site) -> list[str]:
    return [url_of(site, path) for path in pages(site)
            if site.html(url_of(site, path)).css_first("article[data-pagefind-body] .share")]


def meta(tree, key: str, attribute: str = "property") -> list[str]:
    return [node.attributes.get("content") for node in tree.css(f'meta[{attribute}="{key}"]')]


def jsonld(tree) -> list[dict]:
    return [json.loads(node.text()) for node in tree.css('script[type="application/ld+json"]')]


def graph_item(tree, kind: str) -> dict:
    for block in jsonld(tree):
        for item in block.get("@graph", [block]):
            if item.get("@type") == kind:
                return item
    raise AssertionError(f"no {kind} in the JSON-LD")


def is_iso_with_timezone(value: str) -> bool:
    parsed = datetime.datetime.fromisoformat(value)
    return parsed.tzinfo is not None


# --- Every page -----------------------------------------------------------------------
def test_every_page_has_one_absolute_canonical_and_french_lang(site):
    for path in pages(site):
        tree = site.html(url_of(site, path))
        canonicals = tree.css('link[rel="canonical"]')
        assert tree.css_first("html").attributes.get("lang") == "fr", path
        if url_of(site, path) == "/404.html":  # served at every missing address: none
            assert canonicals == [], path
            continue
        assert len(canonicals) == 1, path
        assert canonicals[0].attributes["href"].startswith(ORIGIN + "/"), path


def test_canonical_is_the_page_address(site):
    for path in pages(site):
        url = url_of(site, path)
        if url == "/404.html":
            continue
        canonical = site.html(url).css_first('link[rel="canonical"]').attributes["href"]
        assert canonical == ORIGIN + url, (url, canonical)


def test_titles_are_unique_and_descriptions_present(site):
    titles = Counter()
    for path in pages(site):
        tree = site.html(url_of(site, path))
        titles[tree.css_first("title").text()] += 1
        descriptions = meta(tree, "description", "name")
        assert len(descriptions) == 1 and descriptions[0].strip(), path
        assert len(descriptions[0]) <= 160 or "/page/" in str(path), path
    duplicated = [title for title, count in titles.items() if count > 1]
    assert not duplicated, duplicated


def test_list_pages_describe_themselves(site):
    """Home, its page 2, the archives and the categories each have their own description
    (they all had the site's tagline)."""
    described = [meta(site.html(url), "description", "name")[0]
                 for url in ("/", "/page/2/", "/archives/", "/categories/", "/etiquettes/")]
    assert len(set(described)) == len(described), described
    assert all(len(text) <= 160 for text in described), described


def test_every_page_has_open_graph_twitter_and_jsonld(site):
    must_have_image = covers_enabled()
    for path in pages(site):
        url = url_of(site, path)
        tree = site.html(url)
        assert len(meta(tree, "og:title")) == 1 and meta(tree, "og:title")[0], url
        canonical = tree.css_first('link[rel="canonical"]')
        assert meta(tree, "og:url") == ([canonical.attributes["href"]] if canonical else []), url
        images = meta(tree, "og:image")
        assert len(images) <= 1, url
        if must_have_image:
            assert len(images) == 1, f"{url}: no og:image"
        for image in images:
            assert image.startswith(ORIGIN + "/"), image
            assert site.exists(image.removeprefix(ORIGIN)), f"{url}: {image} missing"
            assert meta(tree, "og:image:width") and meta(tree, "og:image:height")
            assert meta(tree, "og:image:alt")[0].strip()
            assert meta(tree, "twitter:card", "name") == ["summary_large_image"]
        blocks = jsonld(tree)
        assert blocks, f"{url}: no JSON-LD"


def test_scripts_are_external_and_deferred(site):
    """Every script is a file, deferred; all but theme.js, which applies the reader's light
    or dark choice before the first paint: in <head>, after the sheet it switches, small."""
    not_deferred = set()
    for path in pages(site):
        for script in site.html(url_of(site, path)).css("script"):
            if script.attributes.get("type") == "application/ld+json":
                continue
            source = script.attributes.get("src")
            assert source, f"{path}: inline script"
            if source.endswith("/js/theme.js"):
                assert script.parent.tag == "head", path
                head = script.parent.html
                assert 0 <= head.find("data-theme-dark") < head.find("/js/theme.js"), path
                not_deferred.add(urlsplit(source).path)
                continue
            assert "defer" in script.attributes, path
    # It blocks the parser: kept small.
    assert len(not_deferred) == 1 and site.path(not_deferred.pop()).stat().st_size < 4096


# --- Articles -------------------------------------------------------------------------
def test_article_open_graph(site):
    urls = article_urls(site)
    assert len(urls) >= 10
    for url in urls:
        tree = site.html(url)
        assert meta(tree, "og:type") == ["article"]
        published = meta(tree, "article:published_time")
        assert len(published) == 1 and is_iso_with_timezone(published[0]), url
        section = meta(tree, "article:section")
        assert section == [tree.css_first(".article__category a").text().strip()]
        tags = [node.text().strip() for node in tree.css(".article__footer .tag")]
        assert meta(tree, "article:tag") == tags
        for modified in meta(tree, "article:modified_time"):
            assert is_iso_with_timezone(modified)


def test_modified_time_only_when_the_article_says_so(site):
    tree = site.html("/batteries-lfp/")  # has `modified:`
    assert meta(tree, "article:modified_time") == ["2025-02-04T16:20:00+01:00"]
    assert meta(site.html("/agrivoltaisme/"), "article:modified_time") == []


def displayed_title(tree) -> str:
    """The article's h1 as text, without the U+2060 that keeps « est-elle » on one line
    (a display matter: metadata and share links carry the title as written)."""
    return tree.css_first("h1").text().strip().replace("\u2060", "")


def test_article_jsonld_newsarticle_and_breadcrumb(site):
    for url in article_urls(site):
        tree = site.html(url)
        headline = displayed_title(tree)
        news = graph_item(tree, "NewsArticle")
        assert news["headline"] == headline
        assert news["url"] == ORIGIN + url
        assert news["inLanguage"] == "fr"
        assert is_iso_with_timezone(news["datePublished"])
        assert is_iso_with_timezone(news["dateModified"])
        assert news["publisher"]["name"] == "Le Blog"
        assert news["description"] == meta(tree, "og:description")[0]
        assert news["description"].startswith(meta(tree, "description", "name")[0].rstrip("…"))
        crumbs = graph_item(tree, "BreadcrumbList")["itemListElement"]
        assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1))
        assert crumbs[0]["item"] == ORIGIN + "/" and crumbs[-1]["name"] == headline
        visible = [node.text().strip() for node in tree.css(".breadcrumb li")]
        assert [crumb["name"] for crumb in crumbs] == visible


def test_list_pages_have_collection_or_website_jsonld(site):
    category = site.html("/categorie/regulation/")
    crumbs = graph_item(category, "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in crumbs] == ["Accueil", "Économie numérique", "Régulation"]
    assert graph_item(category, "CollectionPage")["url"] == ORIGIN + "/categorie/regulation/"
    website = graph_item(site.html("/"), "WebSite")
    assert website["potentialAction"]["target"].startswith(ORIGIN + "/recherche/?q=")


def test_site_wide_lists_have_their_breadcrumb_in_jsonld(site):
    """Archives, all tags, all categories, search, a tag: the breadcrumb the page shows."""
    for url in ("/archives/", "/etiquettes/", "/categories/", "/recherche/", "/etiquette/ia/"):
        tree = site.html(url)
        crumbs = graph_item(tree, "BreadcrumbList")["itemListElement"]
        visible = [node.text().strip() for node in tree.css(".breadcrumb li")]
        assert [crumb["name"] for crumb in crumbs] == visible and len(visible) == 2, url
        assert crumbs[0]["item"] == ORIGIN + "/" and crumbs[-1]["item"] == ORIGIN + url
        assert graph_item(tree, "CollectionPage")["url"] == ORIGIN + url


def test_share_row_links_are_plain_and_encoded(site):
    for url in article_urls(site):
        tree = site.html(url)
        title = displayed_title(tree)
        absolute = ORIGIN + url
        share = tree.css_first(".share")
        assert share.css_first("h2").text().strip() == "Partager"
        links = {network: share.css_first(f".share__link--{network}").attributes["href"]
                 for network in SHARE_NETWORKS}
        query = {network: parse_qs(urlsplit(href).query) for network, href in links.items()}
        assert urlsplit(links["x"]).netloc == "x.com"
        assert query["x"] == {"text": [title], "url": [absolute]}
        assert query["linkedin"] == {"url": [absolute]}
        assert query["facebook"] == {"u": [absolute]}
        assert query["bluesky"] == {"text": [f"{title} {absolute}"]}
        assert links["mastodon"].startswith("/partager/mastodon/?")
        assert query["mastodon"] == {"text": [title], "url": [absolute]}
        assert links["email"].startswith("mailto:?")
        assert unquote(links["email"].split("subject=")[1].split("&")[0]) == title
        for button in share.css("button"):
            assert "hidden" in button.parent.attributes  # shown by share.js only
        react = tree.css_first(".share__link--react").attributes["href"]
        assert react.startswith("mailto:redaction@leblog.example?subject=")
        assert title in unquote(react.split("subject=")[1])
        assert tree.css_first('script[src$="/theme/js/share.js"]') is not None


def test_mastodon_share_page(site):
    tree = site.html("/partager/mastodon/")
    form = tree.css_first("form[data-share-mastodon]")
    assert form is not None and "hidden" in form.attributes
    assert tree.css_first('input[name="instance"]') is not None
    assert meta(tree, "robots", "name") == ["noindex"]
    assert tree.css_first('script[src$="/theme/js/share.js"]') is not None


def test_reading_time_and_previous_next_in_the_same_category(reader_site):
    tree = reader_site.html("/sans-resume/")  # Startups: fillers (2024) < long-sommaire < it
    assert re.search(r"\b\d+\u202fmin de lecture\b", tree.css_first(".article__header .meta").text())
    older = tree.css_first('.article-nav a[rel="prev"]')
    assert older.attributes["href"] == "/long-sommaire/"
    assert tree.css_first('.article-nav a[rel="next"]') is None  # newest of its category
    middle = reader_site.html("/long-sommaire/")
    assert middle.css_first('.article-nav a[rel="next"]').attributes["href"] == "/sans-resume/"
    assert middle.css_first('.article-nav a[rel="prev"]').attributes["href"] == "/breve-numero-21/"


def test_table_of_contents_and_heading_anchors(site, reader_site):
    tree = reader_site.html("/long-sommaire/")
    toc = tree.css_first("details.toc")
    assert toc is not None and toc.css_first("summary").text().strip() == "Sommaire"
    targets = [link.attributes["href"] for link in toc.css("a")]
    assert targets[0] == "#l-ia-a-l-ecole-etat-des-lieux"
    assert "#economie-et-couts" in targets
    assert len(targets) == 5
    for target in targets:
        heading = tree.css_first(f"[id='{target[1:]}']")
        assert heading is not None and heading.tag in ("h2", "h3")
        # The permalink is beside the heading, not in it: the heading's accessible name
        # is its own text only (a screen reader said each title twice).
        assert heading.css_first("a") is None
        anchor = heading.parent.css_first("a.headerlink")
        assert "titre-ancre" in heading.parent.attributes["class"]
        assert anchor.attributes["href"] == target
        assert "Lien direct vers la section" in anchor.attributes["aria-label"]
        # The label is an attribute, which typography never touches: compare the words.
        assert " ".join(heading.text().split()) in " ".join(
            anchor.attributes["aria-label"].split())
    # Fewer than four headings: no table.
    assert reader_site.html("/sans-resume/").css_first("details.toc") is None
    for path in pages(site):
        for heading in site.html(url_of(site, path)).css(".prose [id]"):
            assert re.fullmatch(r"[a-z0-9_-]+", heading.attributes["id"]), heading.attributes


def test_description_falls_back_to_the_first_sentence(reader_site):
    tree = reader_site.html("/sans-resume/")
    assert meta(tree, "description", "name") == ["La première phrase dit l’essentiel."]
    assert meta(tree, "og:description") == ["La première phrase dit l’essentiel."]
    assert meta(tree, "article:modified_time") == ["2025-03-07T12:30:00+01:00"]


# --- Lists, sitemap, robots ------------------------------------------------------------
def test_paginated_lists_link_prev_and_next(site):
    first, second = site.html("/"), site.html("/page/2/")
    assert first.css_first('head link[rel="next"]').attributes["href"].endswith("/page/2/")
    assert first.css_first('head link[rel="prev"]') is None
    for previous in (second.css_first('head link[rel="prev"]'),
                     second.css_first('.pagination a[rel="prev"]')):
        assert previous.attributes["href"].endswith("/"), previous.attributes  # not index.html
    # a later page says which it is, in its title and in its heading
    assert "Page 2 sur" in second.css_first("title").text()
    assert "page 2 sur" in second.css_first("#derniers").text()
    assert "page" not in first.css_first("#derniers").text()


def test_sitemap_lists_articles_with_lastmod_and_robots_points_to_it(site, publish_site):
    root = etree.parse(str(publish_site.output / "sitemap.xml")).getroot()
    urls = {node.findtext(f"{SITEMAP_NS}loc"): node.findtext(f"{SITEMAP_NS}lastmod")
            for node in root.findall(f"{SITEMAP_NS}url")}
    assert "https://leblog.example/ai-act-pme/" in urls
    assert all(loc.startswith("https://leblog.example/") for loc in urls)
    assert all(lastmod for lastmod in urls.values())
    assert not any(urlsplit(loc).path.startswith(("/recherche/", "/partager/")) for loc in urls)
    assert not any(loc.endswith(("/robots.txt", "/404.html")) for loc in urls)  # not pages
    assert "Sitemap: https://leblog.example/sitemap.xml" in publish_site.text("/robots.txt")
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in site.text("/robots.txt")


def test_production_build_uses_siteurl_everywhere(publish_site):
    tree = publish_site.html("/ai-act-pme/")
    assert tree.css_first('link[rel="canonical"]').attributes["href"] == \
        "https://leblog.example/ai-act-pme/"
    assert graph_item(tree, "NewsArticle")["url"] == "https://leblog.example/ai-act-pme/"
    x_link = tree.css_first(".share__link--x").attributes["href"]
    assert parse_qs(urlsplit(x_link).query)["url"] == ["https://leblog.example/ai-act-pme/"]


# --- Hostile title ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile(reader_site):
    return reader_site.text("/titre-hostile/"), reader_site.html("/titre-hostile/")


def test_hostile_title_is_inert_in_html_and_meta(hostile):
    raw, tree = hostile
    title = displayed_title(tree)
    assert title.startswith('<script>alert(') and "guillemets" in title and "&" in title
    assert "<script>alert" not in raw  # only ever escaped
    for script in tree.css("script"):
        attributes = script.attributes
        assert attributes.get("type") == "application/ld+json" or attributes.get("src")
    assert meta(tree, "og:title") == [title]
    assert meta(tree, "twitter:title", "name") == [title]
    assert tree.css_first("title").text().startswith(title)
    native = tree.css_first("[data-share-native] button")
    assert native.attributes["data-title"] == title


def test_hostile_title_cannot_leave_the_jsonld(hostile):
    raw, tree = hostile
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
    assert len(scripts) == 1
    assert "<" not in scripts[0] and ">" not in scripts[0] and "&" not in scripts[0]
    news = graph_item(tree, "NewsArticle")
    assert news["headline"] == displayed_title(tree)
    assert "<b>balise</b>" in news["keywords"]


def test_jsonld_script_escapes_what_could_leave_the_element():
    from plugins.seo import seo

    title = "</script><!-- « l’été » & co\u2028\u2029>"
    text = str(seo.jsonld_script([{"@type": "Article", "headline": title}]))
    for character in "<>&\u2028\u2029":
        assert character not in text
    assert json.loads(text)["@graph"][0]["headline"] == title
    assert "« l’été »" in text  # the rest stays readable UTF-8


def test_an_article_seo_dict_is_computed_once_per_page_then_forgotten():
    """A page reads its dict many times (one computation); once others have been read,
    it is forgotten (no render process keeps every article's dict) and a new read
    computes the same dict again."""
    from plugins.seo import seo

    computed = Counter()

    def dict_of(name):
        def compute():
            computed[name] += 1
            return {"title": name, "jsonld": f"<script>{name}</script>"}
        return compute

    first = seo.OnFirstRead(dict_of("premier"))
    assert first["title"] == "premier" and first["jsonld"] == "<script>premier</script>"
    assert dict(first) == {"title": "premier", "jsonld": "<script>premier</script>"}
    assert computed["premier"] == 1
    others = [seo.OnFirstRead(dict_of(f"autre {n}")) for n in range(seo.OnFirstRead.KEPT)]
    assert [other["title"] for other in others] == [f"autre {n}" for n in range(seo.OnFirstRead.KEPT)]
    assert first._value is None  # forgotten
    assert all(other._value is not None for other in others[1:])
    assert first["title"] == "premier" and computed["premier"] == 2
    assert all(count == 1 for name, count in computed.items() if name != "premier")


def test_search_results_are_not_indexed_and_the_404_names_no_address(site):
    search, missing = site.html("/recherche/"), site.html("/404.html")
    assert search.css_first('meta[name="robots"]').attributes["content"] == "noindex, follow"
    assert missing.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert missing.css_first('link[rel="canonical"]') is None
    assert missing.css_first('meta[property="og:url"]') is None
    assert site.html("/").css_first('link[rel="canonical"]') is not None


def test_tag_and_category_descriptions_are_french_sentences(site):
    described = site.html("/etiquette/ia/").css_first('meta[name="description"]').attributes["content"]
    assert described.startswith("Modèles de langage") and len(described) <= 160  # its own text
    for url in ("/etiquette/cloud/", "/categorie/nucleaire/"):
        text = site.html(url).css_first('meta[name="description"]').attributes["content"]
        assert text.count(":") == 1 and "\u00a0:" in text, text
        assert text.endswith("du plus récent au plus ancien."), text


def test_a_list_page_in_the_sitemap_is_as_recent_as_what_it_lists(site):
    """Not the newest date of the whole site: a category last written to a year ago says so."""
    root = etree.parse(str(site.output / "sitemap.xml")).getroot()
    lastmod = {urlsplit(node.findtext(f"{SITEMAP_NS}loc")).path: node.findtext(f"{SITEMAP_NS}lastmod")
               for node in root.findall(f"{SITEMAP_NS}url")}
    when = {url: datetime.datetime.fromisoformat(text) for url, text in lastmod.items()}
    older_than_the_site = 0
    for url in ("/categorie/cybersecurite/", "/etiquette/ia/", "/page/2/"):
        shown = [datetime.datetime.fromisoformat(node.attributes["datetime"])
                 for node in site.html(url).css(".card time[datetime]")]
        assert max(shown) <= when[url] <= when["/"], url  # newest listed (or its update)
        older_than_the_site += when[url] < when["/"]
    assert older_than_the_site


WEAK = {"le", "la", "les", "de", "des", "du", "un", "une", "et", "à", "au", "en", "pour", "par"}


def test_descriptions_are_cut_after_a_sentence_or_a_full_word(site):
    """160 characters for results pages, the whole summary for share cards; a cut never
    leaves « …lors d’un… »."""
    cut = 0
    for url in article_urls(site):
        tree = site.html(url)
        description = meta(tree, "description", "name")[0]
        social = meta(tree, "og:description")[0]
        assert len(description) <= 160 and len(social) <= 300
        assert social.startswith(description.rstrip("…").rstrip())
        if description.endswith("…"):
            cut += 1
            last = description[:-1].split()[-1].casefold()
            assert last not in WEAK and not last.endswith("’"), description
        elif description != social:
            assert description[-1] in ".!?»", description  # whole sentences
    summaries = [meta(site.html(url), "og:description")[0] for url in article_urls(site)]
    assert any(len(text) > 160 for text in summaries)  # the sample has long summaries


def test_articles_allow_large_image_previews(site):
    """Google Discover shows a small thumbnail unless the page allows a large one."""
    for url in article_urls(site):
        robots = meta(site.html(url), "robots", "name")
        assert robots == ["max-image-preview:large"], (url, robots)
    assert meta(site.html("/recherche/"), "robots", "name") == ["noindex, follow"]
