"""Feeds a reader can use anywhere: language, absolute links, summary and full text.

Why our own: Pelican's writer builds the feeds with ``SITEURL`` only, so in preview
(``SITEURL`` empty) entries link to ``/slug/`` with ids like ``tag:None,…``; it never
sets the feed language (no ``xml:lang``), leaves root-relative links and images in the
content (a feed reader has no page to resolve them against), strips the tags of a title
that merely looks like HTML, and its RSS 2.0 carries the full text in ``description``
with no summary at all. One ``feed_generated`` receiver fixes the feed object just
before it is written; nothing is parsed twice (each article's HTML is made absolute
once per build, then reused by every feed that lists it).

| hook | job |
| --- | --- |
| ``initialized`` | defaults of the ``FLUX_*`` settings |
| ``feed_generated`` | ``xml:lang``/``<language>``; absolute feed and entry links and ids; exact plain-text titles; summary + content in Atom, ``description`` (summary) + ``content:encoded`` (full text) in RSS; every ``href``/``src``/``srcset`` absolute; heading permalinks (``a.headerlink``) removed; the cover JPEG as enclosure |
"""

from __future__ import annotations

import html
import logging
import re
from urllib.parse import urljoin, urlsplit

from _texte import plain_text
from feedgenerator import Enclosure, Rss201rev2Feed, get_tag_uri
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FLUX_LANGUAGE": None,  # default: DEFAULT_LANG
    "FLUX_RSS_FULL_CONTENT": True,  # content:encoded in RSS, description = summary
}
CACHE_KEY = "_FLUX_ENTRIES"  # per-build cache, kept in the build's own context
START_TAG_RE = re.compile(r"<[a-zA-Z][^>]*>")
URL_ATTRIBUTE_RE = re.compile(
    r"""(?<=\s)(href|src|srcset|poster|cite|action|formaction|longdesc)\s*=\s*(["'])(.*?)\2""",
    re.S | re.I)
PERMALINK_RE = re.compile(
    r"""<a\b[^>]*\bclass\s*=\s*(?:"[^"]*\bheaderlink\b[^"]*"|'[^']*\bheaderlink\b[^']*')"""
    r"[^>]*>.*?</a\s*>", re.S | re.I)
RELATIVE_MARKERS = ('href="/', "href='/", 'src="/', "src='/", "srcset=", 'href="#',
                    'href="..', 'src=".."')


class FluxRss(Rss201rev2Feed):
    """RSS 2.0 whose items may carry the full text in ``content:encoded``, and whose
    ``atom:link rel="self"`` says its type (the RSS Advisory Board's recommendation)."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_root_elements(self, handler):
        url, self.feed["feed_url"] = self.feed["feed_url"], None  # ours, with its type
        try:
            super().add_root_elements(handler)
        finally:
            self.feed["feed_url"] = url
        if url is not None:
            handler.addQuickElement("atom:link", None, {
                "rel": "self", "href": url, "type": "application/rss+xml"})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


TAXONOMY_FEEDS = (("categories", ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS")),
                  ("tags", ("TAG_FEED_ATOM", "TAG_FEED_RSS")))


def followed_pages(context, origin: str) -> dict:
    """Feed path → (name, absolute URL) of the category or tag page the feed follows,
    built once per build."""
    cache = entries_by_link(context, origin)
    if "followed" not in cache:
        cache["followed"] = {
            context[key].format(slug=taxonomy.slug): (taxonomy.name,
                                                      absolute_url(origin, taxonomy.url))
            for kind, keys in TAXONOMY_FEEDS for taxonomy, _ in context.get(kind) or []
            for key in keys if context.get(key)}
    return cache["followed"]


def name_feed(context, feed, origin: str) -> None:
    """A category or tag feed is that page's feed: its own id and link (they were the
    home's, so readers that key feeds by id merged them), « Le Blog — Nucléaire »."""
    path = urlsplit(feed.feed.get("feed_url") or "").path.lstrip("/")
    followed = followed_pages(context, origin).get(path)
    if followed is None:
        return
    name, page = followed
    feed.feed["title"] = f"{plain_text(context.get('SITENAME', ''))} — {plain_text(name)}"
    feed.feed["link"] = feed.feed["id"] = page


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def site_origin(context) -> str:
    return (context.get("SITEURL") or context.get("FEED_DOMAIN") or "").rstrip("/")


def absolute_url(origin: str, url: str) -> str:
    if not url or url.startswith(("http://", "https://", "mailto:", "tag:")):
        return url
    return urljoin(origin + "/", url)


def absolute_html(fragment: str, base: str) -> str:
    """Every link, image and srcset candidate of `fragment` resolved against `base`;
    heading permalinks dropped.

    Regular expressions over the start tags rather than an HTML parser: the body comes
    from Python-Markdown, which escapes ``<`` and ``>`` in text and attributes, so a tag
    is exactly ``<name …>`` and markup shown in code (``&lt;a href="/x"&gt;``) is never
    matched. A parse and re-serialisation of every article was half of the feeds' time.

    >>> absolute_html('<p><a href="/a/?x=1&amp;y=2">a</a> <img src="i.png" '
    ...               'srcset="/i-600.webp 600w, /i.webp 1200w"></p>', "https://b.fr/art/")
    '<p><a href="https://b.fr/a/?x=1&amp;y=2">a</a> <img src="https://b.fr/art/i.png" \
srcset="https://b.fr/i-600.webp 600w, https://b.fr/i.webp 1200w"></p>'
    """
    if not fragment or not any(marker in fragment for marker in RELATIVE_MARKERS):
        return fragment
    fragment = PERMALINK_RE.sub("", fragment)  # « # » after a heading means nothing there

    def url(value: str) -> str:
        return html.escape(urljoin(base, html.unescape(value).strip()))

    def srcset(value: str) -> str:
        candidates = (candidate.split() for candidate in html.unescape(value).split(","))
        return html.escape(", ".join(" ".join([urljoin(base, parts[0]), *parts[1:]])
                                     for parts in candidates if parts))

    def attribute(match: re.Match) -> str:
        name, quote, value = match.group(1), match.group(2), match.group(3)
        fixed = srcset(value) if name.lower() == "srcset" else url(value)
        return f"{match.group(0)[:match.start(3) - match.start(0)]}{fixed}{quote}"

    return START_TAG_RE.sub(lambda tag: URL_ATTRIBUTE_RE.sub(attribute, tag.group(0)),
                            fragment)


def entries_by_link(context, origin: str) -> dict:
    """Absolute URL → article, built once per build (the context lives for one build)."""
    cache = context.get(CACHE_KEY)
    if cache is None:
        cache = {"articles": {}, "html": {}}
        for article in list(context.get("articles", [])) + list(context.get("drafts", [])):
            cache["articles"][absolute_url(origin, article.url)] = article
        context[CACHE_KEY] = cache
    return cache


def cached_html(cache: dict, kind: str, link: str, produce) -> str | None:
    """`produce()` made absolute once per article and kind, then reused by every feed.

    Kept as UTF-8 bytes: French text is stored by Python at two bytes per character (it
    holds ’ and narrow no-break spaces), and each render process keeps the full text of
    every article its feeds list until it ends (≈ 18 MB each at 5000 articles, half as
    bytes); decoding it again for a feed costs a few microseconds."""
    key = (kind, link)
    if key not in cache["html"]:
        fragment = produce()
        cache["html"][key] = (None if fragment is None
                              else absolute_html(str(fragment), link).encode("utf-8"))
    stored = cache["html"][key]
    return None if stored is None else stored.decode("utf-8")


def fix_feed(context, feed):
    """Make the feed Pelican built complete and absolute, in place, before writing."""
    origin = site_origin(context)
    language = context.get("FLUX_LANGUAGE") or context.get("DEFAULT_LANG")
    feed.feed["language"] = language
    feed.feed["link"] = absolute_url(origin, feed.feed.get("link") or "/")
    feed.feed["id"] = absolute_url(origin, feed.feed.get("id") or "/")
    name_feed(context, feed, origin)
    is_rss = isinstance(feed, Rss201rev2Feed)
    if is_rss:
        feed.__class__ = FluxRss
    cache = entries_by_link(context, origin)
    for item in feed.items:
        link = absolute_url(origin, item["link"])
        if link != item["link"]:
            item["link"] = link
            item["unique_id"] = get_tag_uri(link, item["pubdate"])
        item["unique_id_is_permalink"] = False  # a tag: URI, not an address (RSS guid)
        article = cache["articles"].get(link.split("?", 1)[0])
        if article is None:
            logger.warning("[flux] entry %s matches no article; left as Pelican wrote it",
                           link)
            continue
        item["title"] = plain_text(article.title)
        siteurl = context.get("SITEURL", "")
        item["content"] = cached_html(cache, "content", link,
                                      lambda: article.get_content(siteurl))
        item["description"] = cached_html(cache, "summary", link, lambda: article.summary)
        item["enclosures"] = cover_enclosure(origin, article)
        if is_rss and not context.get("FLUX_RSS_FULL_CONTENT", True):
            item["description"], item["content"] = item["content"], None


def cover_enclosure(origin: str, article) -> list[Enclosure]:
    """The article's cover JPEG as the entry's enclosure (RSS ``<enclosure>``, Atom
    ``<link rel="enclosure">``): the picture feed readers (Feedly, Inoreader…) show beside
    the entry; without it every entry is text only.

    Length 0, « size unknown » in the RSS Advisory Board's words: a feed may be written
    before the cover is drawn (sequential rendering, the preview's partial rebuilds), and
    the same inputs must give the same feed."""
    cover = getattr(article, "cover_image", None)
    if not cover or not getattr(cover, "jpg", None):
        return []
    return [Enclosure(absolute_url(origin, cover.jpg), "0", "image/jpeg")]


def register():
    # initialized: defaults before the writer runs.
    signals.initialized.connect(set_defaults)
    # feed_generated: the feed object exists, with its items, and is not written yet.
    signals.feed_generated.connect(fix_feed)
