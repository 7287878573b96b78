"""Category tree: parents that list their children's articles, and breadcrumbs.

Pelican knows flat categories only; pelican-more-categories (the one tree plugin on PyPI)
changes what `category` means and has not been maintained since 2020. The tree here is
declared in one place, ``CATEGORY_TREE`` in pelicanconf.py (parent → children), and an
article keeps naming one category as usual.

| hook | job |
| --- | --- |
| ``article_generator_finalized`` | every parent gets a page and an Atom feed listing its children's articles; each Category knows ``parent`` and ``children``; each article gets ``breadcrumb`` |

The parent pages are added to ``generator.categories`` so Pelican's own category pass
writes them (pagination, feeds) like any other category.
"""

from __future__ import annotations

import logging
from operator import attrgetter

from pelican import signals
from pelican.contents import Category
from unidecode import unidecode

logger = logging.getLogger(__name__)


def build_tree(generator):
    """Attach parent/children to Category objects and add the parents' article lists."""
    settings = generator.settings
    tree = settings.get("CATEGORY_TREE", {})
    by_slug = {category.slug: (category, articles) for category, articles in generator.categories}
    colors = settings.get("CATEGORY_COLORS", {})

    for parent_name, child_names in tree.items():
        parent_cat = Category(parent_name, settings)
        parent_cat, own_articles = by_slug.get(parent_cat.slug, (parent_cat, []))
        _spell_as_declared(parent_cat, parent_name)
        parent_cat.parent = None
        parent_cat.children = []
        parent_cat.color = colors.get(parent_name)
        articles = list(own_articles)
        for child_name in child_names:
            child = Category(child_name, settings)
            child, child_articles = by_slug.get(child.slug, (child, []))
            _spell_as_declared(child, child_name)
            child.parent = parent_cat
            child.color = parent_cat.color
            if child_articles:
                parent_cat.children.append(child)
            articles.extend(child_articles)
        if not articles:
            continue
        articles.sort(key=attrgetter("date"), reverse=True)
        by_slug[parent_cat.slug] = (parent_cat, articles)

    for category, _ in by_slug.values():
        if not hasattr(category, "parent"):
            category.parent = None
            category.children = []
            category.color = None

    generator.categories = sorted(by_slug.values(), key=lambda pair: french_key(pair[0].name))
    generator.context["categories"] = generator.categories
    generator.context["category_tree"] = [
        (category, articles) for category, articles in generator.categories
        if category.parent is None
    ]
    # Pelican gives each article its own Category instance: point them all at the one
    # that carries the tree, so templates can follow article.category.parent.
    for article in generator.articles + generator.drafts + generator.hidden_articles:
        if getattr(article, "category", None) is not None:
            canonical = by_slug.get(article.category.slug)
            if canonical:
                article.category = canonical[0]
            elif not hasattr(article.category, "parent"):
                article.category.parent, article.category.children = None, []
        article.breadcrumb = breadcrumb(article)


def _spell_as_declared(category, declared: str) -> None:
    """« category: cybersecurite » is the category « Cybersécurité » (same slug), and
    the tree's spelling is the one every page shows: whichever article Pelican read
    first must not rename the category in menus, breadcrumbs and titles.
    ``invoke check`` asks the writer to use the declared spelling."""
    if category.name != declared:
        category.name = declared


def french_key(name: str) -> str:
    """Sort key where « Économie » files under E, not after Z."""
    return unidecode(name).casefold()


def breadcrumb(article):
    """Accueil › parent › child: the category chain of an article, root first."""
    chain = []
    category = getattr(article, "category", None)
    while category is not None:
        chain.insert(0, category)
        category = getattr(category, "parent", None)
    return chain


def register():
    # finalized: categories are grouped but no page is written yet.
    signals.article_generator_finalized.connect(build_tree)
