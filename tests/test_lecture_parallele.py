"""Sources read in forked processes: same site, same messages, same cache."""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import sys
import textwrap

import pytest

from tests.conftest import (ROOT, build_site, built_files, built_site, differing_files,
                            write_article)

PLUGINS = ROOT / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from lecture_parallele import lecture_parallele  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")

EVERY_FILE_IN_A_WORKER = {"LECTURE_PROCESSUS": "2", "LECTURE_MIN_PAR_PROCESSUS": "1"}


def article(number: int, body: str = "Un paragraphe « ordinaire » : rien à signaler.") -> str:
    return textwrap.dedent(f"""\
        ---
        title: "Article {number}"
        date: 2025-10-{number % 28 + 1:02d}
        category: Intelligence Artificielle
        tags: [essai]
        ---

        """) + body + "\n"


def test_the_sample_blog_is_the_same_read_in_one_or_two_processes(tmp_path_factory):
    one = built_site(tmp_path_factory, "lecture-seule", extra={"LECTURE_PROCESSUS": "1"})
    two = built_site(tmp_path_factory, "lecture-double", extra=EVERY_FILE_IN_A_WORKER)
    assert differing_files(one, two) == []
    assert len(built_files(one)) > 100


def test_messages_of_a_file_read_in_a_worker_are_printed_once(tmp_path):
    content = tmp_path / "content"
    for number in range(6):
        write_article(content, f"article-{number}.md", article(number))
    write_article(content, "casse.md", article(7).replace(
        "category: Intelligence Artificielle", "category: Jardinage"))
    write_article(content, "citation.md", article(8, "> – Personne, sans citation"))
    result = build_site(content, tmp_path / "out", strict=False,
                        extra={"CACHE_PATH": f'"{tmp_path / "cache"}"', **EVERY_FILE_IN_A_WORKER})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert output.count("casse.md:") == 1 and "inconnue" in output, output
    assert output.count("citation.md") == 1, output
    assert "Traceback" not in output
    written = {page.parent.name for page in (tmp_path / "out").glob("article-*/index.html")}
    assert written == {f"article-{number}" for number in (0, 1, 2, 3, 4, 5, 8)}


def test_what_workers_read_goes_to_pelicans_cache_file(tmp_path):
    content = tmp_path / "content"
    for number in range(8):
        write_article(content, f"article-{number}.md", article(number))
    cache = tmp_path / "cache"
    result = build_site(content, tmp_path / "out", extra={
        "CACHE_PATH": f'"{cache}"', "LOAD_CONTENT_CACHE": "true", "CACHE_CONTENT": "true",
        **EVERY_FILE_IN_A_WORKER})
    assert result.returncode == 0, result.stdout + result.stderr
    [readers_cache] = cache.glob("contenu/*/ArticlesGenerator-Readers")
    with gzip.open(readers_cache, "rb") as handle:
        entries = pickle.load(handle)
    assert sorted(os.path.basename(path) for path in entries) == [
        f"article-{number}.md" for number in range(8)]
    for path, (stamp, (html, metadata)) in entries.items():
        assert stamp == os.path.getmtime(path)
        assert "ordinaire" in html and metadata["title"].startswith("Article")


class Reader:
    """Reads `name` as its own upper case; warns or fails for some names."""

    def read(self, path):
        name = os.path.basename(path)
        if name == "avertit.md":
            logging.getLogger("lecteur").warning("attention : %s", name)
        if name == "casse.md":
            raise ValueError("illisible")
        return name.upper(), {"title": name}


class Readers:
    readers = {"md": Reader()}


def test_files_that_warn_or_fail_are_left_for_pelican_and_nothing_is_printed(caplog):
    paths = ["/x/a.md", "/x/avertit.md", "/x/casse.md", "/x/b.md"]
    handlers = logging.getLogger().handlers[:]
    with caplog.at_level(logging.DEBUG):
        handlers = logging.getLogger().handlers[:]
        results = lecture_parallele.read_quietly(Readers(), paths)
        assert logging.getLogger().handlers == handlers  # the build's handlers are back
    assert [(path, html) for path, html, _ in results] == [("/x/a.md", "A.MD"),
                                                           ("/x/b.md", "B.MD")]
    assert caplog.records == []  # Pelican's own read of avertit.md prints the warning
