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
import sys

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


def pin_sitemap_date(generators):
    """Replace pelican-sitemap's import-time « now » with a date taken from the sources."""
    sitemap = sys.modules.get("pelican.plugins.sitemap.sitemap")
    generator = getattr(sitemap, "generator", None)
    if generator is None or not generators:
        return
    date = generators[0].settings.get("REPRODUCIBLE_DATE") or newest_content_date(generators)
    if date is None:
        return
    generator.now = date
    logger.debug("[reproductible] sitemap lastmod of list pages: %s", date.isoformat())


def register():
    signals.initialized.connect(set_defaults)
    # pretaxonomy: the list is ordered; categories, tags and dates are made from it next.
    signals.article_generator_pretaxonomy.connect(order_ties)
    # all_generators_finalized: every date is known, the sitemap is written at finalized.
    signals.all_generators_finalized.connect(pin_sitemap_date)
