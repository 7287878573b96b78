"""Pages rendered in worker processes: same files, same messages, same failures.

The writer is driven directly with small templates (what Pelican's generators do), then
the sample blog is built sequentially and in parallel and the two outputs compared.
"""

from __future__ import annotations

import copy
import logging
import os
from datetime import datetime

import pytest
from pelican.settings import DEFAULT_CONFIG

from ecriture import ecriture  # plugins/ is on sys.path (tests/conftest.py)
from tests.conftest import built_files, built_site, differing_files

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")


class Template:
    """What the writer needs of a Jinja template; `render` runs in a worker."""

    def __init__(self, body="{title} rendu par {pid}", warn=False, fail=False):
        self.body, self.warn, self.fail = body, warn, fail

    def render(self, context):
        if self.warn:
            logging.getLogger("gabarit").warning("attention : %s", context["title"])
        if self.fail and context["title"] == "page-7":
            raise ValueError("gabarit cassé")
        return self.body.format(title=context["title"], pid=os.getpid())


def writer(tmp_path, processes=2, **settings):
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.update(ECRITURE_PROCESSUS=processes, **settings)
    return ecriture.QueueingWriter(str(tmp_path), settings=config)


def queue_pages(target, template, count):
    for number in range(count):
        target.write_file(f"page-{number}/index.html", template, {}, title=f"page-{number}")


def page_texts(tmp_path, count):
    return [(tmp_path / f"page-{n}" / "index.html").read_text(encoding="utf-8")
            for n in range(count)]


def test_pages_wait_for_the_flush_then_come_from_several_processes(tmp_path):
    count = 3 * ecriture.MIN_JOBS_PER_PROCESS
    target = writer(tmp_path)
    queue_pages(target, Template(), count)
    assert not list(tmp_path.rglob("index.html"))  # nothing touched before the flush
    target.flush()
    texts = page_texts(tmp_path, count)
    assert [text.split(" rendu")[0] for text in texts] == [f"page-{n}" for n in range(count)]
    assert len({text.split("par ")[1] for text in texts}) == 2  # the build and one worker


@pytest.mark.parametrize("processes", [1, 2])
def test_an_unchanged_page_is_not_rewritten(tmp_path, processes):
    count = 3 * ecriture.MIN_JOBS_PER_PROCESS

    def build(body):
        target = writer(tmp_path, processes)
        queue_pages(target, Template(body), count)
        target.flush()

    build("{title} v1")
    pages = list(tmp_path.rglob("index.html"))
    assert len(pages) == count
    for path in pages:  # a date a rewrite could not keep
        os.utime(path, ns=(10**18, 10**18))
    build("{title} v1")
    assert all(path.stat().st_mtime_ns == 10**18 for path in pages)
    build("{title} v2")
    assert not any(path.stat().st_mtime_ns == 10**18 for path in pages)
    assert page_texts(tmp_path, 2) == ["page-0 v2", "page-1 v2"]


def test_a_feed_written_at_once_is_kept_if_unchanged(tmp_path):
    path = tmp_path / "flux.xml"

    def write(text):  # what Pelican's write_feed does with the file it asks for
        with writer(tmp_path, processes=1)._open_w(str(path), "utf-8") as handle:
            handle.write(text)

    write("<feed/>")
    os.utime(path, ns=(10**18, 10**18))
    write("<feed/>")
    assert path.stat().st_mtime_ns == 10**18
    write("<feed>2</feed>")
    assert path.read_text(encoding="utf-8") == "<feed>2</feed>"


def test_write_if_changed_replaces_a_file_of_the_same_size(tmp_path):
    path = tmp_path / "page.html"
    ecriture.write_if_changed(str(path), b"abc")
    ecriture.write_if_changed(str(path), b"abd")
    assert path.read_bytes() == b"abd"


def test_a_small_queue_or_one_process_renders_in_the_build_itself(tmp_path):
    for processes, count in ((2, ecriture.MIN_JOBS_PER_PROCESS), (1, 200)):
        target = writer(tmp_path / str(processes), processes=processes)
        queue_pages(target, Template(), count)
        target.flush()
        pids = {text.split("par ")[1] for text in page_texts(tmp_path / str(processes), count)}
        assert pids == {str(os.getpid())}


def test_each_article_text_is_forgotten_once_its_page_is_rendered(tmp_path):
    """Pelican memoises every text it resolves (``Content.get_content``): a render process
    kept all of them until it ended. Each page now leaves the memo empty."""
    from pelican.contents import Article, Content

    settings = copy.deepcopy(DEFAULT_CONFIG)
    articles = [Article(f"<p>Texte {n}.</p>", metadata={"title": f"page-{n}"}, settings=settings)
                for n in range(ecriture.MIN_JOBS_PER_PROCESS)]

    class TextTemplate:
        def render(self, context):
            held = len(Content.get_content.cache)  # before this page reads its text
            return f"{context['article'].content} {held}"

    target = writer(tmp_path)
    for number, article in enumerate(articles):
        target.write_file(f"page-{number}/index.html", TextTemplate(), {}, article=article)
    target.flush()
    texts = page_texts(tmp_path, len(articles))
    assert texts == [f"<p>Texte {n}.</p> 0" for n in range(len(articles))]
    assert not Content.get_content.cache


def test_relative_urls_keep_pelicans_sequential_writing(tmp_path):
    target = writer(tmp_path, RELATIVE_URLS=True)
    queue_pages(target, Template(), 1)
    assert target.jobs == [] and page_texts(tmp_path, 1)[0].startswith("page-0 rendu")


def test_warnings_of_a_worker_are_logged_by_the_build(tmp_path, caplog):
    count = 2 * ecriture.MIN_JOBS_PER_PROCESS
    target = writer(tmp_path)
    queue_pages(target, Template(warn=True), count)
    with caplog.at_level(logging.WARNING):
        target.flush()
    messages = sorted(r.getMessage() for r in caplog.records if r.name == "gabarit")
    assert messages == sorted(f"attention : page-{n}" for n in range(count))


def test_an_exception_in_a_worker_fails_the_flush_with_its_traceback(tmp_path):
    count = 2 * ecriture.MIN_JOBS_PER_PROCESS  # page-7 is odd: the worker renders it
    target = writer(tmp_path)
    queue_pages(target, Template(fail=True), count)
    with pytest.raises(RuntimeError, match="(?s)Traceback.*ValueError: gabarit cassé"):
        target.flush()


def test_an_overwrite_is_still_refused_when_queued(tmp_path):
    from pelican.writers import FileOverwriteFailedError

    target = writer(tmp_path)
    queue_pages(target, Template(), 1)
    with pytest.raises(FileOverwriteFailedError):
        queue_pages(target, Template(), 1)


def test_the_sample_blog_is_the_same_built_in_one_or_two_processes(tmp_path_factory):
    one = built_site(tmp_path_factory, "un-processus", extra={"ECRITURE_PROCESSUS": "1"})
    two = built_site(tmp_path_factory, "deux-processus", extra={"ECRITURE_PROCESSUS": "2"})
    assert differing_files(one, two) == []
    pages = [path for path in built_files(one) if path.suffix in (".html", ".xml")]
    assert len(pages) > 2 * ecriture.MIN_JOBS_PER_PROCESS  # enough queued pages for two processes


def test_a_queued_page_keeps_only_the_names_templates_read(tmp_path):
    from jinja2 import DictLoader, Environment

    environment = Environment(loader=DictLoader({
        "base.html": "{{ SITENAME }}{% block main %}{% endblock %}",
        "page.html": '{% extends "base.html" %}{% block main %}{{ article }}{% include '
                     '"part.html" %}{% endblock %}',
        "part.html": "{% set local = 1 %}{{ SITEURL }}{{ local }}",
    }))
    assert ecriture.names_templates_read(environment) == {
        "SITENAME", "SITEURL", "article", *ecriture.ALWAYS_KEPT}
    target = writer(tmp_path)
    context = {"SITENAME": "Le Blog", "SITEURL": "", "TIMEZONE": "Europe/Paris"}
    target.write_file("a/index.html", environment.get_template("page.html"), context,
                      article="texte")
    assert set(target.jobs[0].context) >= {"SITENAME", "SITEURL", "article"}
    assert "TIMEZONE" not in target.jobs[0].context
    target.flush()
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == "Le Blogtexte1"


def test_an_unparsable_template_keeps_the_whole_context(tmp_path):
    from jinja2 import DictLoader, Environment

    environment = Environment(loader=DictLoader({"bad.html": "{{ x | filtre_inconnu }}"}))
    assert ecriture.names_templates_read(environment) is None


def test_the_names_of_each_template_source_are_cached_between_builds(tmp_path):
    import pickle

    from jinja2 import DictLoader, Environment

    templates = {"base.html": "{{ SITENAME }}", "page.html": "{{ article }}"}
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "LOAD_CONTENT_CACHE": True,
                "CACHE_CONTENT": True}
    cache_file = tmp_path / "cache" / f"{ecriture.TEMPLATE_NAMES_MEMO}.pickle"

    def names():  # what QueueingWriter does once per build
        memo = ecriture.memoire.memo_in_cache(settings, ecriture.TEMPLATE_NAMES_MEMO,
                                              ecriture.jinja2.__version__.encode())
        return ecriture.names_templates_read(Environment(loader=DictLoader(templates)), memo)

    assert names() == {"SITENAME", "article", *ecriture.ALWAYS_KEPT}
    version, stored = pickle.loads(cache_file.read_bytes())
    assert sorted(stored.values()) == [["SITENAME"], ["article"]]
    # The next build reads the file instead of parsing: a name planted there shows it.
    planted = {key: value + ["depuis_le_cache"] for key, value in stored.items()}
    cache_file.write_bytes(pickle.dumps((version, planted)))
    assert "depuis_le_cache" in names()
    # An edited template is parsed again; the entry of its old source is dropped.
    templates["page.html"] = "{{ article }}{{ SITEURL }}"
    assert "SITEURL" in names()
    assert len(pickle.loads(cache_file.read_bytes())[1]) == 2
    # A damaged file is ignored.
    cache_file.write_text("pas un pickle", encoding="utf-8")
    assert names() == {"SITENAME", "SITEURL", "article", *ecriture.ALWAYS_KEPT}


# --- Feeds not turned into XML again -------------------------------------------------

FEED_COUNT = 3 * ecriture.MIN_JOBS_PER_PROCESS  # enough for two processes


def feed_articles(text="Texte", title="Un titre"):
    from pelican.contents import Article

    settings = copy.deepcopy(DEFAULT_CONFIG)
    return [Article(f"<p>{text} {n}.</p>", settings=settings,
                    metadata={"title": f"{title} {n}", "date": datetime(2025, 1, 1 + n % 28)})
            for n in range(3)]


def write_feeds(tmp_path, articles, processes=2, cached=True):
    """The feeds Pelican's generators queue, then the flush: one Atom feed per path."""
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "LOAD_CONTENT_CACHE": cached,
                "CACHE_CONTENT": cached}
    target = writer(tmp_path / "sortie", processes, **settings)
    context = {"SITENAME": "Le Blog", "SITEURL": "https://exemple.fr",
               "FEED_DOMAIN": "https://exemple.fr"}
    for number in range(FEED_COUNT):
        target.write_feed(articles, context, f"flux/{number}.atom.xml")
    target.flush()
    return [tmp_path / "sortie" / "flux" / f"{number}.atom.xml" for number in range(FEED_COUNT)]


@pytest.fixture
def xml_refused(monkeypatch):
    """Make any feed whose items are turned into XML fail the build (in every process,
    which inherit it)."""
    from feedgenerator import Atom1Feed

    def refused(self, handler):
        raise AssertionError("flux écrit en XML")

    return lambda: monkeypatch.setattr(Atom1Feed, "write_items", refused)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_feed_written_from_the_same_feed_is_not_made_again(tmp_path, processes, xml_refused):
    paths = write_feeds(tmp_path, feed_articles(), processes)
    texts = [path.read_bytes() for path in paths]
    assert all(b"Un titre 2" in text for text in texts)
    xml_refused()
    assert write_feeds(tmp_path, feed_articles(), processes) == paths
    assert [path.read_bytes() for path in paths] == texts


@pytest.mark.parametrize("processes", [1, 2])
def test_a_changed_item_or_file_makes_the_feed_again(tmp_path, processes):
    paths = write_feeds(tmp_path, feed_articles(), processes)
    paths[0].write_text("abîmé", encoding="utf-8")  # edited by hand since
    paths[1].unlink()
    write_feeds(tmp_path, feed_articles(), processes)
    assert b"Un titre 2" in paths[0].read_bytes() and paths[1].is_file()
    write_feeds(tmp_path, feed_articles("Autre texte"), processes)  # same links
    assert all(b"Autre texte 2" in path.read_bytes() for path in paths)


def test_without_a_cache_or_an_item_every_feed_is_made(tmp_path, xml_refused):
    write_feeds(tmp_path, feed_articles(), cached=False)
    write_feeds(tmp_path / "vide", [])  # its date would be the time of writing
    xml_refused()
    with pytest.raises((AssertionError, RuntimeError), match="flux écrit en XML"):
        write_feeds(tmp_path, feed_articles(), cached=False)
    with pytest.raises((AssertionError, RuntimeError), match="flux écrit en XML"):
        write_feeds(tmp_path / "vide", [])


def test_the_feed_key_covers_fields_items_path_and_code(tmp_path):
    from feedgenerator import Atom1Feed, Rss201rev2Feed

    def feed(kind=Atom1Feed, title="Le Blog", item="Titre"):
        made = kind(title=title, link="https://exemple.fr/", description="")
        made.add_item(title=item, link="https://exemple.fr/a/", description="",
                      pubdate=datetime(2025, 1, 1))
        return made

    key = ecriture.feed_key("/s/a.xml", feed())
    assert key == ecriture.feed_key("/s/a.xml", feed())
    assert len({key, ecriture.feed_key("/s/b.xml", feed()),
                ecriture.feed_key("/s/a.xml", feed(Rss201rev2Feed)),
                ecriture.feed_key("/s/a.xml", feed(title="Autre")),
                ecriture.feed_key("/s/a.xml", feed(item="Autre"))}) == 5
    unpicklable = feed()
    unpicklable.items[0]["extra"] = lambda: None
    assert ecriture.feed_key("/s/a.xml", unpicklable) is None


def test_a_warm_build_after_an_edit_gives_the_feeds_of_a_cold_build(tmp_path):
    """The sample blog built, one title and one text edited, built again with the same
    cache and output: every feed as a cold build of the edited blog writes it."""
    import shutil

    from tests.conftest import ROOT, Site, build_site

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def build(name, cache):
        output = tmp_path / name
        result = build_site(content, output, extra={
            "CACHE_PATH": f'"{tmp_path / cache}"', "COVERS_ENABLED": "false",
            "SEARCH_ENABLED": "false"})
        assert result.returncode == 0, result.stdout + result.stderr
        return Site(output)

    build("chaud", "cache-chaud")
    article = content / "batteries-lfp.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Batteries LFP :", "Batteries au fer :", 1)
                       .replace("\n\n", "\n\nUne phrase nouvelle.\n\n", 2), encoding="utf-8")
    warm, cold = build("chaud", "cache-chaud"), build("froid", "cache-froid")
    feeds = sorted(path.relative_to(cold.output) for path in cold.output.rglob("*.xml")
                   if path.name != "sitemap.xml")
    assert len(feeds) > 10
    assert [path for path in feeds
            if (warm.output / path).read_bytes() != (cold.output / path).read_bytes()] == []
    assert "Batteries au fer" in warm.text("feeds/atom.xml")
    assert "Une phrase nouvelle." in warm.text("feeds/atom.xml")


# --- Compiled templates kept between builds --------------------------------------------

def environment_after_initialized(settings):
    """A Jinja environment made as Pelican's generators make theirs, once ``ecriture``
    has seen the settings at ``initialized``."""
    from types import SimpleNamespace

    from jinja2 import DictLoader, Environment

    ecriture.keep_compiled_templates(SimpleNamespace(settings=settings))
    return Environment(loader=DictLoader(settings["gabarits"]), **settings["JINJA_ENVIRONMENT"])


def compiling_settings(tmp_path, **overrides):
    return {"CACHE_PATH": str(tmp_path / "cache"), "LOAD_CONTENT_CACHE": True,
            "CACHE_CONTENT": True, "JINJA_ENVIRONMENT": {"autoescape": True},
            "gabarits": {"page.html": "<p>{{ titre }}</p>"}, **overrides}


def test_a_template_compiled_by_one_build_is_loaded_by_the_next(tmp_path, monkeypatch):
    from jinja2 import Environment

    shared = {"autoescape": True}
    first = environment_after_initialized(compiling_settings(tmp_path, JINJA_ENVIRONMENT=shared))
    assert first.get_template("page.html").render(titre="<b>") == "<p>&lt;b&gt;</p>"
    assert shared == {"autoescape": True}  # the settings' own dict is left as it was
    assert list((tmp_path / "cache" / ecriture.TEMPLATE_CODE_FOLDER).iterdir())
    compiled = []
    original = Environment.compile
    monkeypatch.setattr(Environment, "compile",
                        lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    second = environment_after_initialized(compiling_settings(tmp_path))
    assert second.get_template("page.html").render(titre="x") == "<p>x</p>"
    assert compiled == []
    other_options = environment_after_initialized(compiling_settings(
        tmp_path, JINJA_ENVIRONMENT={"autoescape": False}))
    assert other_options.get_template("page.html").render(titre="<b>") == "<p><b></p>"
    assert compiled == [1]
    edited = environment_after_initialized(compiling_settings(
        tmp_path, gabarits={"page.html": "<h1>{{ titre }}</h1>"}))
    assert edited.get_template("page.html").render(titre="x") == "<h1>x</h1>"
    assert compiled == [1, 1]


def test_templates_are_not_kept_without_the_cache_or_beside_another_cache(tmp_path):
    from jinja2 import BytecodeCache

    for switch in ("LOAD_CONTENT_CACHE", "CACHE_CONTENT"):
        settings = compiling_settings(tmp_path, **{switch: False})
        environment_after_initialized(settings).get_template("page.html")
        assert "bytecode_cache" not in settings["JINJA_ENVIRONMENT"]
    assert not (tmp_path / "cache").exists()
    own = BytecodeCache()  # the preview's, kept in memory
    settings = compiling_settings(tmp_path, JINJA_ENVIRONMENT={"bytecode_cache": own})
    environment_after_initialized(settings)
    assert settings["JINJA_ENVIRONMENT"]["bytecode_cache"] is own


def test_a_compiled_template_that_cannot_be_kept_only_warns_once(tmp_path, monkeypatch, caplog):
    import jinja2.bccache

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", full_disk)
    settings = compiling_settings(tmp_path, gabarits={"a.html": "a{{ x }}", "b.html": "b"})
    environment = environment_after_initialized(settings)
    with caplog.at_level(logging.WARNING):
        assert environment.get_template("a.html").render(x=1) == "a1"
        assert environment.get_template("b.html").render() == "b"
    assert [record.getMessage() for record in caplog.records
            if "gabarits compilés non gardés" in record.getMessage()] != []
    assert len(caplog.records) == 1


def test_render_processes_fit_in_the_memory_left(monkeypatch, caplog):
    """Automatic: no more render processes than the memory left holds, said at INFO;
    a number set by the writer is kept."""
    monkeypatch.setattr(ecriture.processus, "available_cores", lambda: 2)
    monkeypatch.setattr(ecriture.processus, "resident_memory", lambda: 400 * 2**20)
    monkeypatch.setattr(ecriture.processus, "available_memory", lambda: 4096 * 2**20)
    assert ecriture.render_processes({"ECRITURE_PROCESSUS": 0}, 1000) == 2
    monkeypatch.setattr(ecriture.processus, "available_memory", lambda: 200 * 2**20)
    with caplog.at_level(logging.INFO, logger=ecriture.logger.name):
        assert ecriture.render_processes({"ECRITURE_PROCESSUS": 0}, 1000) == 1
    assert "rendu en 1 processus au lieu de 2 : 200 Mo de mémoire disponible" in caplog.text
    assert ecriture.render_processes({"ECRITURE_PROCESSUS": 2}, 1000) == 2
    assert ecriture.render_processes({"ECRITURE_PROCESSUS": 0}, 30) == 1  # a short queue


def test_a_build_short_of_memory_renders_in_its_own_process(tmp_path, monkeypatch):
    count = 3 * ecriture.MIN_JOBS_PER_PROCESS
    monkeypatch.setattr(ecriture.processus, "available_cores", lambda: 2)
    for memory, pids in ((4096 * 2**20, 2), (1 * 2**20, 1)):
        monkeypatch.setattr(ecriture.processus, "available_memory", lambda: memory)
        target = writer(tmp_path / str(pids), processes=0)
        queue_pages(target, Template(), count)
        target.flush()
        assert len({text.split("par ")[1] for text in page_texts(tmp_path / str(pids), count)}) == pids
