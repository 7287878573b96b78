"""Site-wide template fragments rendered once per build instead of once per page.

Why: the footer (category tree, tag cloud, links) is identical on every page, yet Jinja
renders it again for each of the thousands of pages a build writes; on the 500-article
corpus it was a fifth of all template time. Likewise an article's card appears on the
home pages, its category and parent category pages and every tag page: about six
renders of the same HTML per article. No Pelican plugin caches fragments, and Jinja
has no fragment cache of its own.

| hook | job |
| --- | --- |
| ``initialized`` | Jinja globals ``site_fragment("partials/footer.html")`` and ``article_card(article, featured=False, heading_level=2)`` |
| ``all_generators_finalized`` | forget the fragments of the previous build (the preview server builds many times in one process) |

A fragment is cached under its name and ``SITEURL``, and the cache is emptied before
each build writes anything, so a rebuild never reuses the previous build's HTML. Only templates that read nothing page-specific may
be used this way (the header marks the current category, so it is not one of them).
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

_rendered: dict[tuple, Markup | bytes] = {}


@pass_context
def site_fragment(context, name: str) -> Markup:
    """Render `name` with the current page's context the first time, then reuse it."""
    key = (name, context.get("SITEURL"))
    if key not in _rendered:
        template = context.environment.get_template(name)
        _rendered[key] = Markup(template.render(context.get_all()))
    return _rendered[key]


@pass_context
def article_card(context, article, featured: bool = False, heading_level: int = 2,
                 show_summary: bool = False) -> Markup:
    """The card of `article` (partials/card.html), rendered once per variant and build.

    Kept as UTF-8 bytes: a French card holds a typographic apostrophe or a narrow
    no-break space, so Python stores it as a string of two bytes per character, and every
    render process keeps thousands of cards until it ends (≈ 11 MB each at 5000
    articles). Decoding one when a page shows it costs ≈ 1.5 µs."""
    key = ("card", id(article), featured, heading_level, show_summary,
           context.get("SITEURL"))
    if key not in _rendered:
        template = context.environment.get_template("partials/card.html")
        variables = {**context.get_all(), "article": article, "featured": featured,
                     "heading_level": heading_level, "show_summary": show_summary}
        _rendered[key] = template.render(variables).encode("utf-8")
    return Markup(_rendered[key].decode("utf-8"))


def add_global(pelican):
    _rendered.clear()
    jinja_globals = pelican.settings.setdefault("JINJA_GLOBALS", {})
    jinja_globals["site_fragment"] = site_fragment
    jinja_globals["article_card"] = article_card


def forget_fragments(generators):
    _rendered.clear()


def register():
    # initialized: globals must exist before the generators build their Jinja env.
    signals.initialized.connect(add_global)
    # all generators finalized: site-wide data is final, nothing is written yet.
    signals.all_generators_finalized.connect(forget_fragments)
