"""Reproducible builds: the same sources give the same bytes, whatever the clock says.

Why our own: pelican-sitemap dates the pages that are not articles (home, categories,
tags…) with the time its module was imported, so two builds of one commit differ in
``sitemap.xml`` (and in its ``.gz``/``.br``). The right date for a list page is the
newest change of what it lists; for the site, the newest article or page.

| hook | job |
| --- | --- |
| ``initialized`` | default ``REPRODUCIBLE_DATE`` (None: newest content date) |
| ``article_generator_pretaxonomy`` | articles with the same date in source-path order |
| ``all_generators_finalized`` | give pelican-sitemap that date instead of « now » |
| ``content_written`` | a list page (home, category, tag, page 2…) is dated by the newest article it lists, not by the whole site |

Pelican collects the source files in a ``set``, whose order changes from one process to
the next (string hashes are salted), then sorts by date with a stable sort: two
articles published at the same minute swapped places between two builds of the same
commit (seen at 5000 articles: the home page and archives differed, so the search
index was rebuilt on a warm build). Ties are now broken by source path, before the
categories, tags and archives are made from that order.

Feeds need nothing: feedgenerator dates a feed by its newest entry.
"""

from __future__ import annotations

import datetime
import logging
import os
import sys
from urllib.request import pathname2url

from pelican import signals

logger = logging.getLogger(__name__)


def set_defaults(pelican):
    # A fixed datetime wins (e.g. the commit date); None: the newest content date.
    pelican.settings.setdefault("REPRODUCIBLE_DATE", None)


def newest_content_date(generators) -> datetime.datetime | None:
    """Latest ``modified`` (else ``date``) of every published article and page."""
    dates = []
    for generator in generators:
        for attribute in ("articles", "pages"):
            for content in getattr(generator, attribute, None) or []:
                date = getattr(content, "modified", None) or getattr(content, "date", None)
                if date is not None:
                    dates.append(date)
    return max(dates, default=None, key=lambda d: d.timestamp())


def order_ties(generator):
    """Same order as Pelican's ``ARTICLE_ORDER_BY`` date sorts, ties by source path."""
    order = generator.settings.get("ARTICLE_ORDER_BY", "reversed-date")
    if order not in ("date", "reversed-date"):
        return  # another key (title, basename…): Pelican's own sort has no date ties
    for attribute in ("articles", "drafts", "hidden_articles"):
        contents = getattr(generator, attribute, None)
        if contents:
            contents.sort(key=lambda content: content.source_path or "")
            # Stable, reverse included: equal dates keep the source-path order.
            contents.sort(key=lambda content: content.date, reverse=order == "reversed-date")


def sitemap_generator():
    return getattr(sys.modules.get("pelican.plugins.sitemap.sitemap"), "generator", None)


def pin_sitemap_date(generators):
    """Replace pelican-sitemap's import-time « now » with a date taken from the sources,
    and have it date each list page by what it lists (see ``date_list_page``)."""
    generator = sitemap_generator()
    if generator is None or not generators:
        return
    date = generators[0].settings.get("REPRODUCIBLE_DATE") or newest_content_date(generators)
    if date is None:
        return
    generator.now = date
    LIST_PAGE_DATES.clear()
    if "_write_out" not in vars(generator):  # once per process: the wrapper reads the dict
        write_out = generator._write_out

        def dated_write_out(pelican):
            generator.page_queue = [
                (path, ListedPage(pelican.output_path, path, LIST_PAGE_DATES[path])
                 if obj is None and path in LIST_PAGE_DATES else obj)
                for path, obj in generator.page_queue]
            write_out(pelican)

        generator._write_out = dated_write_out
    logger.debug("[reproductible] sitemap lastmod of the site: %s", date.isoformat())


class ListedPage:
    """What pelican-sitemap reads of a list page: its address (as pelican-sitemap makes
    it from the file's path) and the date of the newest thing it lists."""

    def __init__(self, output_path: str, path: str, date):
        self.url = pathname2url(os.path.relpath(path, output_path))
        self.date = date


LIST_PAGE_DATES: dict = {}  # output path -> newest date among the articles it lists


def date_list_page(path, context):
    """`content_written`: a page that is no article nor page (home, category, tag, page 2
    of a list) is as recent as the newest article it shows, not as the whole site."""
    if context.get("article") or context.get("page"):
        return
    page = context.get("articles_page")
    listed = page.object_list if page is not None else context.get("articles") or ()
    dates = [getattr(item, "modified", None) or getattr(item, "date", None) for item in listed]
    dates = [date for date in dates if date is not None]
    if dates:
        LIST_PAGE_DATES[path] = max(dates, key=lambda date: date.timestamp())


def register():
    signals.initialized.connect(set_defaults)
    # pretaxonomy: the list is ordered; categories, tags and dates are made from it next.
    signals.article_generator_pretaxonomy.connect(order_ties)
    # all_generators_finalized: every date is known, the sitemap is written at finalized.
    signals.all_generators_finalized.connect(pin_sitemap_date)
    # content_written: each list page's own date, read when the sitemap is written.
    signals.content_written.connect(date_list_page)
