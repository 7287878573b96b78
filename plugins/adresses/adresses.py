"""Each article's and page's source path resolved once, not at every URL read.

Why: Pelican builds ``article.url`` and ``save_as`` from the settings each time they
are read, and each time resolves the content's path relative to ``PATH`` (two
``abspath`` and a ``relpath``). Templates, feeds, the sitemap and our plugins read
URLs about twenty times per article: on the 1000-article corpus that resolution alone
was about 7 % of a build's CPU time. The result only depends on ``PATH``, the source
path and, for a relative ``PATH``, the working folder, so it is remembered for those.
No Pelican plugin does this; Pelican offers no hook for its content classes.

| hook | job |
| --- | --- |
| ``content_object_init`` | an Article or Page becomes our subclass of the same name, whose ``get_relative_source_path`` is memoised |

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


class RememberedSourcePath:
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
    _relative_source_path.cache_clear()  # the preview server builds many times


def register():
    signals.initialized.connect(forget)
    signals.content_object_init.connect(remember_source_path)
