"""Each article's and page's source path and URLs resolved once, not at every read.

Why: Pelican builds ``article.url`` and ``save_as`` from the settings each time they
are read, and each time resolves the content's path relative to ``PATH`` (two
``abspath`` and a ``relpath``). Templates, feeds, the sitemap and our plugins read
URLs about twenty times per article: on the 1000-article corpus that resolution alone
was about 7 % of a build's CPU time. The result only depends on ``PATH``, the source
path and, for a relative ``PATH``, the working folder, so it is remembered for those.
Once every generator has finished its context, the URLs themselves (``url``,
``save_as``…, formatted from the settings at each read: another 7 % of a warm build)
cannot change any more, so from then on each is formatted once per content.
No Pelican plugin does this; Pelican offers no hook for its content classes.

| hook | job |
| --- | --- |
| ``initialized`` | a new build: URLs are not final yet |
| ``content_object_init`` | an Article or Page becomes our subclass of the same name, whose ``get_relative_source_path`` is memoised |
| ``all_generators_finalized`` | URLs are final: ``get_url_setting`` memoised per content from now on |

The subclasses keep the class names (``Article``, ``Page``): Pelican reads URL settings
by class name (``PAGE_URL``…), and ``isinstance`` checks still hold.
"""

from __future__ import annotations

import functools
import os

from pelican import contents, signals


@functools.lru_cache(maxsize=None)
def _relative_source_path(root: str, source_path: str, working_folder: str) -> str:
    """Pelican's own method on the same inputs (the working folder only matters when
    `root` or `source_path` is relative)."""
    return _PELICAN_METHOD(_Paths(root), source_path)


class _Paths:
    """Just what Pelican's method reads from a content object."""

    def __init__(self, root: str):
        self.settings = {"PATH": root}


_PELICAN_METHOD = contents.Content.get_relative_source_path


_urls_final = False  # set once every generator has its context, reset by each build


class RememberedSourcePath:
    def get_url_setting(self, key: str) -> str:
        if not _urls_final:
            return super().get_url_setting(key)
        remembered = self.__dict__.setdefault("_adresses_urls", {})
        if key not in remembered:
            remembered[key] = super().get_url_setting(key)
        return remembered[key]

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        source_path = source_path or self.source_path
        if source_path is None:
            return None
        root = self.settings["PATH"]
        relative = not (os.path.isabs(root) and os.path.isabs(source_path))
        return _relative_source_path(root, source_path, os.getcwd() if relative else "")


class Article(RememberedSourcePath, contents.Article):
    pass


class Page(RememberedSourcePath, contents.Page):
    pass


SUBCLASSES = {contents.Article: Article, contents.Page: Page}


def remember_source_path(content) -> None:
    subclass = SUBCLASSES.get(type(content))
    if subclass is not None:
        content.__class__ = subclass


def forget(pelican) -> None:
    global _urls_final
    _urls_final = False
    _relative_source_path.cache_clear()  # the preview server builds many times


def urls_are_final(generators) -> None:
    global _urls_final
    _urls_final = True


def register():
    signals.initialized.connect(forget)
    signals.content_object_init.connect(remember_source_path)
    # all generators finalized: slugs, categories, languages and statuses are settled;
    # later receivers and the writers only read them.
    signals.all_generators_finalized.connect(urls_are_final)
