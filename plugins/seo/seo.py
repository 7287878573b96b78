"""What search engines and social networks read: descriptions, JSON-LD, share links.

Why our own: pelican-seo and pelican-social-cards print meta tags from Jinja, where a
title containing ``</script>`` or quotes is one filter away from breaking out of a
JSON-LD block, and they know nothing of our covers, categories tree or French wording.
Here every value is computed once in Python, escaped for its context, and the theme's
``partials/seo.html`` only prints what exists.

| hook | job |
| --- | --- |
| ``initialized`` | defaults of the ``SEO_*`` and ``SHARE_*`` settings |
| ``all_generators_finalized`` | ``seo`` dict (an article's is computed when first read) on every article, page, category and tag (type, title, description, absolute URL, dates, image, JSON-LD); ``share_urls`` and ``react_url`` on articles; ``prev_article_in_category`` (older) and ``next_article_in_category`` (newer) within the article's own category; ``SEO_SITE`` and ``SEO_URL_PREFIX`` in the context |

``all_generators_finalized`` because it is the first moment where the articles, the
category tree and the covers (attached by the covers generator) are all known, and the
last one before any page is written.
"""

from __future__ import annotations

import json
import logging
import re
from collections import deque
from collections.abc import Mapping
from html.parser import HTMLParser
from urllib.parse import quote

from _texte import collapse_ascii_spaces, plain_text, shorten
from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEO_DESCRIPTION_MAX": 160,  # <meta name="description">: what a results page shows
    "SEO_SOCIAL_DESCRIPTION_MAX": 300,  # og:/twitter:description, JSON-LD: the whole summary
    "SEO_PUBLISHER_LOGO": None,  # path of a logo relative to the site root, optional
    "SEO_LANGUAGE": "fr",
    "SHARE_MASTODON_URL": "partager/mastodon/",
    "SHARE_REACT_SUBJECT": "Réaction\u00a0: {title}",
}
# Pairs for str.replace: five replace calls are ~15× faster than str.translate with a
# table (which works character by character in Python-level lookups), 0.2 s of CPU over
# the 1313 pages of a 1000-article build.
JSON_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀ-ÖØ-Þ0-9])")
SKIPPED_TAGS = {"script", "style", "figcaption", "pre", "template"}


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


# --- Text ------------------------------------------------------------------------------
class _TextExtractor(HTMLParser):
    """Visible text of an HTML fragment, without code, captions or heading anchors."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0  # open elements inside the skipped one, itself included

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.skip_depth:
            self.skip_depth += 1
        elif tag in SKIPPED_TAGS or "headerlink" in classes:
            self.skip_depth = 1
        elif tag in {"p", "li", "h2", "h3", "h4", "blockquote"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skip_depth and tag not in self.VOID:
            self.skip_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """« <p>Un <em>texte</em></p> » → « Un texte », whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(fragment or "")
    extractor.close()
    return collapse_ascii_spaces("".join(extractor.parts))


def first_sentence(text: str) -> str:
    return SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def descriptions(content, settings) -> tuple[str, str]:
    """The writer's summary, else the first sentence of the body, as plain text (read
    once), cut for ``<meta name="description">`` (``SEO_DESCRIPTION_MAX``) and for share
    cards and JSON-LD (``SEO_SOCIAL_DESCRIPTION_MAX``), after a whole sentence when one
    fits (``_texte.shorten``)."""
    summary = content.metadata.get("summary")
    text = html_to_text(str(summary)) if summary else ""
    if not text:
        text = first_sentence(html_to_text(getattr(content, "_content", "") or ""))
    return (shorten(text, settings["SEO_DESCRIPTION_MAX"]),
            shorten(text, settings["SEO_SOCIAL_DESCRIPTION_MAX"]))


# --- URLs ------------------------------------------------------------------------------
def site_origin(settings) -> str:
    """Absolute root of the site: SITEURL, or in preview (SITEURL empty) FEED_DOMAIN."""
    return (settings.get("SITEURL") or settings.get("FEED_DOMAIN") or "").rstrip("/")


def absolute(origin: str, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{origin}/{url.lstrip('/')}"


def share_urls(title: str, url: str, settings) -> dict[str, str]:
    """Plain share links, title and URL percent-encoded; no script, no SDK."""
    enc_title, enc_url = quote(title, safe=""), quote(url, safe="")
    both = quote(f"{title} {url}", safe="")
    mastodon = f"{settings.get('SITEURL', '')}/{settings['SHARE_MASTODON_URL']}"
    return {
        "x": f"https://x.com/intent/post?text={enc_title}&url={enc_url}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={enc_url}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={enc_url}",
        "bluesky": f"https://bsky.app/intent/compose?text={both}",
        "mastodon": f"{mastodon}?text={enc_title}&url={enc_url}",
        "email": f"mailto:?subject={enc_title}&body={both}",
    }


def react_url(title: str, settings) -> str | None:
    address = settings.get("NEWSROOM_EMAIL")
    if not address:
        return None
    subject = settings["SHARE_REACT_SUBJECT"].format(title=title)
    return f"mailto:{address}?subject={quote(subject, safe='')}"


# --- JSON-LD ---------------------------------------------------------------------------
def jsonld_script(graph: list[dict]) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: nothing in it can close the
    element or start a comment, whatever the titles contain."""
    data = {"@context": "https://schema.org", "@graph": graph}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in JSON_SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return Markup(text)


def breadcrumb_list(items: list[tuple[str, str]]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def image_info(image, origin: str) -> dict | None:
    """An og:image from a covers image object (``jpg``, ``width``, ``height``, ``alt``)."""
    if image is None or not getattr(image, "jpg", None):
        return None
    return {"url": absolute(origin, image.jpg), "width": getattr(image, "width", None),
            "height": getattr(image, "height", None), "alt": getattr(image, "alt", "") or ""}


def iso(value) -> str:
    return value.isoformat() if value else ""


def publisher(settings, origin: str) -> dict:
    organisation = {"@type": "Organization", "name": settings["SITENAME"], "url": origin + "/"}
    if settings.get("SEO_PUBLISHER_LOGO"):
        organisation["logo"] = {"@type": "ImageObject",
                                "url": absolute(origin, settings["SEO_PUBLISHER_LOGO"])}
    return organisation


def article_seo(article, settings, origin: str, home: tuple[str, str]) -> dict:
    title = plain_text(article.title)
    url = absolute(origin, article.url)
    description, social = descriptions(article, settings)
    image = image_info(getattr(article, "cover_image", None), origin)
    author_name = plain_text(getattr(article, "author", None)) or settings.get("AUTHOR", "")
    modified = getattr(article, "modified", None) or article.date
    tags = [plain_text(tag.name) for tag in getattr(article, "tags", None) or []]
    section = plain_text(article.category.name) if getattr(article, "category", None) else ""
    news = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": title,
        "description": social,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.date),
        "dateModified": iso(modified),
        "inLanguage": settings["SEO_LANGUAGE"],
        "author": {
            "@type": "Organization" if author_name == settings.get("AUTHOR") else "Person",
            "name": author_name,
        },
        "publisher": publisher(settings, origin),
    }
    if section:
        news["articleSection"] = section
    if tags:
        news["keywords"] = tags
    if getattr(article, "word_count", None):
        news["wordCount"] = article.word_count
    if image:
        news["image"] = {"@type": "ImageObject", "url": image["url"],
                         "width": image["width"], "height": image["height"]}
    crumbs = [home] + [(plain_text(category.name), absolute(origin, category.url))
                       for category in getattr(article, "breadcrumb", None) or []]
    crumbs.append((title, url))
    return {
        "type": "article", "title": title, "description": description,
        "social_description": social, "url": url, "image": image, "published": iso(article.date),
        "modified": iso(getattr(article, "modified", None)), "section": section,
        "tags": tags, "jsonld": jsonld_script([news, breadcrumb_list(crumbs)]),
    }


def page_seo(page, settings, origin: str, home: tuple[str, str]) -> dict:
    title = plain_text(page.title)
    url = absolute(origin, page.url)
    description, social = descriptions(page, settings)
    image = image_info(getattr(page, "cover_image", None), origin)
    webpage = {"@type": "WebPage", "@id": url, "name": title, "headline": title,
               "description": social, "url": url, "inLanguage": settings["SEO_LANGUAGE"],
               "isPartOf": {"@type": "WebSite", "@id": origin + "/#site"}}
    return {"type": "website", "title": title, "description": description,
            "social_description": social, "url": url, "image": image,
            "jsonld": jsonld_script([webpage, breadcrumb_list([home, (title, url)])])}


def listing_seo(name: str, url: str, chain: list, image, settings, origin: str,
                home: tuple[str, str]) -> dict:
    """Category and tag pages: a CollectionPage in its breadcrumb."""
    crumbs = [home] + [(plain_text(item.name), absolute(origin, item.url)) for item in chain]
    crumbs.append((name, url))
    collection = {"@type": "CollectionPage", "@id": url, "name": name, "url": url,
                  "inLanguage": settings["SEO_LANGUAGE"],
                  "isPartOf": {"@type": "WebSite", "@id": origin + "/#site"}}
    return {"type": "website", "image": image_info(image, origin),
            "jsonld": jsonld_script([collection, breadcrumb_list(crumbs)])}


#: The site-wide lists a direct template names with ``{% set seo_list = "…" %}``: the
#: setting of their address and the UI string of their title (their visible breadcrumb).
SITE_LISTS = {"archives": ("ARCHIVES_URL", "archives"), "tags": ("TAGS_URL", "all_tags"),
              "categories": ("CATEGORIES_URL", "categories"),
              "search": ("SEARCH_URL", "search_title")}


def ui_strings(context, settings) -> dict:
    """The theme's French UI strings: a Jinja global (lecture_fr), not in the context."""
    return context.get("UI") or (settings.get("JINJA_GLOBALS") or {}).get("UI") or {}


def site_lists_seo(context, ui: dict, settings, origin: str, home: tuple[str, str]) -> dict:
    """Archives, all tags, all categories, search: each a CollectionPage in its
    breadcrumb (Accueil › name), as category and tag pages are."""
    lists = {}
    for name, (url_setting, title_key) in SITE_LISTS.items():
        if settings.get(url_setting) and ui.get(title_key):
            lists[name] = listing_seo(plain_text(ui[title_key]),
                                      absolute(origin, settings[url_setting]), [],
                                      context.get("SITE_CARD"), settings, origin, home)
    return lists


def site_seo(context, settings, origin: str) -> dict:
    """Home page and every other list: the WebSite with its search action."""
    search_url = absolute(origin, settings.get("SEARCH_URL", "recherche/"))
    website = {
        "@type": "WebSite", "@id": origin + "/#site", "name": settings["SITENAME"],
        "url": origin + "/", "inLanguage": settings["SEO_LANGUAGE"],
        "description": settings.get("SITESUBTITLE", ""),
        "publisher": publisher(settings, origin),
        "potentialAction": {"@type": "SearchAction",
                            "target": f"{search_url}?q={{search_term_string}}",
                            "query-input": "required name=search_term_string"},
    }
    return {"type": "website", "image": image_info(context.get("SITE_CARD"), origin),
            "jsonld": jsonld_script([website])}


class OnFirstRead(Mapping):
    """A dict computed the first time a template reads it, and kept while it is one of
    the last few computed.

    Why computed late: the ``seo`` dict of an article (its description reads the body,
    its JSON-LD is serialised) is only read by that article's page, which the
    ``ecriture`` plugin renders in a worker process. Computed there, the work is spread
    over every core instead of running in the build before any page is rendered.

    Why forgotten: that page reads it many times, and no other page reads it again.
    Kept, every article's dict stayed in the render process until the end (≈ 8 MB per
    process at 5000 articles); forgotten, a later read (a preview rebuilding the page)
    computes it again.
    """

    __slots__ = ("_compute", "_value")
    KEPT = 8
    _recent: deque = deque()

    def __init__(self, compute):
        self._compute, self._value = compute, None

    def _data(self) -> dict:
        if self._value is None:
            self._value = self._compute()
            recent = OnFirstRead._recent
            recent.append(self)
            if len(recent) > self.KEPT:
                recent.popleft()._value = None
        return self._value

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self):
        return len(self._data())

    def __repr__(self):
        return f"OnFirstRead({self._data()!r})"


def _article_annotations(article, settings, origin: str, home: tuple[str, str]):
    seo = OnFirstRead(lambda: article_seo(article, settings, origin, home))
    return seo, OnFirstRead(lambda: share_urls(seo["title"], seo["url"], settings))


def tag_pairs(tags):
    """``generator.tags`` is a dict in Pelican, a list of pairs after some plugins."""
    return list(tags.items()) if isinstance(tags, dict) else list(tags or [])


def link_neighbours(categories):
    """Older/newer article of the same (most specific) category, for previous/next links.

    Pelican itself does not set these; a parent category's merged list is skipped so
    an article's neighbours share its own category.
    """
    for category, articles in categories:
        own = sorted((a for a in articles if a.category is category), key=lambda a: a.date)
        for index, article in enumerate(own):
            article.prev_article_in_category = own[index - 1] if index > 0 else None
            article.next_article_in_category = own[index + 1] if index + 1 < len(own) else None


def annotate(generators):
    """Attach the ``seo`` dicts, share links and site-wide values before any write."""
    articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pages_generator = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    if articles_generator is None:
        return
    settings, context = articles_generator.settings, articles_generator.context
    origin = site_origin(settings)
    ui = ui_strings(context, settings)
    home = (plain_text(ui.get("home", "Accueil")) or "Accueil", origin + "/")
    context["SEO_URL_PREFIX"] = "" if settings.get("SITEURL") else origin
    context["SEO_SITE"] = site_seo(context, settings, origin)
    context["SEO_LISTS"] = site_lists_seo(context, ui, settings, origin, home)

    ag = articles_generator
    for article in ag.articles + ag.drafts + ag.hidden_articles:
        article.seo, article.share_urls = _article_annotations(article, settings, origin, home)
        article.react_url = react_url(plain_text(article.title), settings)
    link_neighbours(ag.categories)
    if pages_generator is not None:
        pg = pages_generator
        for page in pg.pages + pg.hidden_pages + pg.draft_pages:
            page.seo = page_seo(page, settings, origin, home)
    for category, _ in ag.categories:
        parents = []
        parent = getattr(category, "parent", None)
        while parent is not None:
            parents.insert(0, parent)
            parent = getattr(parent, "parent", None)
        category.seo = listing_seo(plain_text(category.name), absolute(origin, category.url),
                                   parents, getattr(category, "card", None), settings,
                                   origin, home)
    tag_title = ui.get("tag_title") or "{name}"  # as its h1 and breadcrumb
    for tag, _ in tag_pairs(ag.tags):
        tag.seo = listing_seo(plain_text(tag_title.format(name=tag.name)), absolute(origin, tag.url), [],
                              getattr(tag, "card", None), settings, origin, home)
    logger.debug("[seo] %d articles annotated", len(ag.articles))


def register():
    # initialized: defaults before any generator reads them.
    signals.initialized.connect(set_defaults)
    # all_generators_finalized: articles, category tree and covers are all known.
    signals.all_generators_finalized.connect(annotate)
