"""Remembered source paths: the same URLs as Pelican, computed once."""

import copy
import os

import pytest
from pelican import contents
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime

from adresses import adresses  # plugins/ is on sys.path (tests/conftest.py)


def make(cls, root, source, **metadata):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=root, ARTICLE_URL="{category}/{slug}/",
                    ARTICLE_SAVE_AS="{category}/{slug}/index.html",
                    PAGE_URL="pages/{slug}/", PAGE_SAVE_AS="pages/{slug}/index.html")
    return cls("corps", metadata={"title": "Un titre", "slug": "un-titre",
                                  "date": SafeDatetime(2025, 10, 23), **metadata},
               settings=settings, source_path=source)


@pytest.mark.parametrize("cls, name", [(contents.Article, "Article"), (contents.Page, "Page")])
@pytest.mark.parametrize("root, source", [
    ("/site/content", "/site/content/2025/un-titre.md"),
    ("content", "content/pages/un-titre.md"),  # relative: depends on the working folder
])
def test_same_urls_and_paths_as_pelican(cls, name, root, source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stock, ours = make(cls, root, source), make(cls, root, source)
    adresses.remember_source_path(ours)
    assert type(ours).__name__ == name and isinstance(ours, cls)
    for _ in range(2):  # the second read comes from the memory
        assert ours.get_relative_source_path() == stock.get_relative_source_path()
        assert (ours.url, ours.save_as) == (stock.url, stock.save_as)
    other = "/ailleurs/x.md"
    assert ours.get_relative_source_path(other) == stock.get_relative_source_path(other)


def test_the_working_folder_is_part_of_the_memory(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    article = make(contents.Article, "content", str(tmp_path / "b" / "content" / "x.md"))
    adresses.remember_source_path(article)
    monkeypatch.chdir(tmp_path / "a")
    in_a = article.get_relative_source_path()
    monkeypatch.chdir(tmp_path / "b")
    assert article.get_relative_source_path() == contents.Content.get_relative_source_path(
        article) != in_a


def test_other_content_classes_are_left_alone():
    static = contents.Static("", metadata={"title": "x"}, settings=copy.deepcopy(DEFAULT_CONFIG),
                             source_path="/site/content/images/x.png")
    adresses.remember_source_path(static)
    assert type(static) is contents.Static
    assert os.path.basename(static.source_path) == "x.png"


def test_urls_are_formatted_once_only_after_every_generator_finished(monkeypatch):
    article = make(contents.Article, "/site/content", "/site/content/x.md")
    adresses.remember_source_path(article)
    adresses.forget(None)  # a build starts: URLs may still change
    assert article.url == "/un-titre/"
    article.slug = "nouveau-slug"  # a plugin renames it while reading
    assert article.url == "/nouveau-slug/"
    adresses.urls_are_final([])
    calls = []
    original = contents.Content.get_url_setting
    monkeypatch.setattr(contents.Content, "get_url_setting",
                        lambda self, key: calls.append(key) or original(self, key))
    for _ in range(3):
        assert (article.url, article.save_as) == ("/nouveau-slug/",
                                                 "/nouveau-slug/index.html")
    assert calls == ["url", "save_as"]
    adresses.forget(None)  # the next build (preview server) formats them again
    article.slug = "autre"
    assert article.url == "/autre/"
