"""The writer's day: `invoke new`, then the preview that rebuilds only what an edit changes."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, build_site, write_article
from invoke import Context
from invoke.exceptions import Exit
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import tasks
from tools.preview import STATUS_FILE, PreviewBuilder
from tools.preview_server import Announcer, make_server

CONFIG = ROOT / "pelicanconf.py"


def article(title, category, tags, date, body="Un paragraphe de texte.", slug=None):
    lines = ["---", f'title: "{title}"', f"date: {date}", f"category: {category}",
             f"tags: [{', '.join(tags)}]"]
    if slug:
        lines.append(f"slug: {slug}")
    return "\n".join([*lines, "---", body, ""])


# --- invoke new ----------------------------------------------------------------------

@pytest.fixture
def settings():
    return tasks.load_settings()


def test_new_writes_complete_front_matter(tmp_path, settings):
    now = datetime.datetime(2025, 10, 23, 7, 30, tzinfo=datetime.timezone.utc)
    path = tasks.scaffold_article(tmp_path, "Meta passe-t-il de l’open source à l’IA fermée ?",
                                  "intelligence artificielle", ["Meta", "open source"],
                                  settings, now=now)
    assert path == tmp_path / "meta-passe-t-il-de-l-open-source-a-l-ia-fermee.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Meta passe-t-il de l’open source à l’IA fermée ?"' in text
    assert "date: 2025-10-23 09:30" in text  # 07:30 UTC is 09:30 in Paris (summer time)
    assert 'category: "Intelligence Artificielle"' in text
    assert 'tags: ["Meta", "open source"]' in text
    assert "status: draft" in text


def test_new_date_is_paris_time_by_default(tmp_path, settings):
    path = tasks.scaffold_article(tmp_path, "Maintenant", "", [], settings)
    written = next(line for line in path.read_text().splitlines() if line.startswith("date:"))
    stamp = datetime.datetime.strptime(written[6:], "%Y-%m-%d %H:%M")
    paris = datetime.datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    assert abs((paris - stamp).total_seconds()) < 120


def test_new_refuses_to_overwrite(tmp_path, settings):
    path = tasks.scaffold_article(tmp_path, "Un titre", "Startups", [], settings)
    path.write_text("mon texte", encoding="utf-8")
    with pytest.raises(Exit) as refused:
        tasks.scaffold_article(tmp_path, "Un titre", "Startups", [], settings)
    assert "existe déjà" in str(refused.value.message)
    assert path.read_text(encoding="utf-8") == "mon texte"


def test_new_refuses_unknown_category(tmp_path, settings):
    with pytest.raises(Exit) as refused:
        tasks.scaffold_article(tmp_path, "Un titre", "Jardinage", [], settings)
    assert "Jardinage" in str(refused.value.message)
    assert list(tmp_path.iterdir()) == []


def test_new_task_prints_path_and_preview_url(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tasks, "CONTENT", tmp_path)
    tasks.new(Context(), "Écoconception & IA", category="Startups", tags="IA, sobriété")
    out = capsys.readouterr().out
    assert str(tmp_path / "ecoconception-ia.md") in out
    assert "http://127.0.0.1:8000/ecoconception-ia/" in out


def test_new_without_category_says_which_one_it_chose(tmp_path, monkeypatch, capsys, settings):
    monkeypatch.setattr(tasks, "CONTENT", tmp_path)
    tasks.new(Context(), "Sans rubrique")
    chosen = tasks.default_category(settings)
    assert f"rubrique : {chosen} (par défaut" in capsys.readouterr().out
    assert f"category: \"{chosen}\"" in (tmp_path / "sans-rubrique.md").read_text(encoding="utf-8")


def test_new_article_builds_as_a_draft_with_its_banner(tmp_path, settings):
    content = tmp_path / "content"
    content.mkdir()
    path = tasks.scaffold_article(content, "Brouillon du jour", "Nucléaire", ["énergie"],
                                  settings)
    builder = PreviewBuilder(content, tmp_path / "out", CONFIG,
                             {"CACHE_PATH": str(tmp_path / "cache")})
    result = builder.build()
    assert result.ok, result.errors
    page = HTMLParser((tmp_path / "out" / path.stem / "index.html").read_text())
    assert "Brouillon" in page.css_first(".draft-banner").text()


def test_an_untouched_new_article_does_not_pass_the_check(tmp_path, settings):
    """Published as `invoke new` wrote it, the article would say « Premier paragraphe
    de l’article. » to readers: `invoke check` calls that leftover text an error."""
    from tools.check import run_checks

    content = tmp_path / "content"
    content.mkdir()
    path = tasks.scaffold_article(content, "Un article pas encore écrit", "Startups", [],
                                  settings)
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"),
                    encoding="utf-8")
    report = run_checks(content, None, settings)
    assert "placeholder" in report.codes(), report.format_text()
    assert report.exit_code == 1


# --- incremental preview ---------------------------------------------------------------

@pytest.fixture
def blog(tmp_path):
    """A and B share a category and a tag; Z and 24 others share nothing with A."""
    content = tmp_path / "content"
    for number in range(24):
        write_article(content, f"autre-{number}.md", article(
            f"Autre {number}", ("Startups", "Régulation")[number % 2], [f"marché {number % 4}"],
            f"2024-0{1 + number % 9}-1{number % 10} 08:00", slug=f"autre-{number}"))
    write_article(content, "a.md", article("Article A", "Intelligence Artificielle",
                                           ["modèles"], "2025-10-20 10:00", slug="article-a"))
    write_article(content, "b.md", article("Article B", "Intelligence Artificielle",
                                           ["modèles", "calcul"], "2025-10-18 10:00",
                                           slug="article-b"))
    write_article(content, "c.md", article("Article C", "Cybersécurité", ["failles"],
                                           "2025-10-15 10:00", slug="article-c"))
    write_article(content, "d.md", article("Article D", "Nucléaire", ["réacteurs"],
                                           "2025-09-15 10:00", slug="article-d"))
    write_article(content, "e.md", article("Article E", "Nucléaire", ["réacteurs"],
                                           "2025-09-10 10:00", slug="article-e"))
    write_article(content, "z.md", article("Article Z", "Véhicules électriques", ["batteries"],
                                           "2025-08-01 10:00", slug="article-z"))
    builder = PreviewBuilder(content, tmp_path / "out", CONFIG,
                             {"CACHE_PATH": str(tmp_path / "cache")})
    first = builder.build()
    assert first.ok, first.errors
    return builder


def served(builder, url):
    """The served file of a directory-style address."""
    return builder.output / url / "index.html"


def relative(paths, root):
    return {str(Path(p).relative_to(root)) for p in paths}


def test_edit_rewrites_the_article_and_the_pages_that_list_it(blog):
    source = blog.content / "a.md"
    source.write_text(source.read_text().replace("Article A", "Article A révisé"))
    result = blog.rebuild([source])
    assert result.ok, result.errors
    assert not result.full
    written = relative(result.written, blog.output)
    expected = {
        "article-a/index.html",
        "index.html",
        "categorie/intelligence-artificielle/index.html",
        "categorie/technologies-et-avenirs/index.html",  # the parent category
        "etiquette/modeles/index.html",
        "feeds/atom.xml",
        "feeds/rss.xml",
        "feeds/categorie/intelligence-artificielle.atom.xml",
        "feeds/etiquette/modeles.atom.xml",
    }
    assert expected <= written
    assert "article-z/index.html" not in written
    assert "article-d/index.html" not in written
    assert "categorie/nucleaire/index.html" not in written
    assert "etiquette/batteries/index.html" not in written
    title = HTMLParser(served(blog, "article-a").read_text()).css_first("h1").text()
    assert "révisé" in title
    home = HTMLParser((blog.output / "index.html").read_text())
    assert "Article A révisé" in home.body.text()
    assert result.rendered < result.planned / 2


@pytest.mark.parametrize("name, old, new", [
    ("a.md", "Article A", "Article A retitré"),  # neighbours and related pages show it
    ("c.md", "[failles]", "[failles, modèles]"),  # the tag cloud of every page changes
    ("z.md", "2025-08-01", "2025-11-01"),  # moves to the top of every list it is in
])
def test_incremental_result_equals_a_full_build(blog, tmp_path, name, old, new):
    source = blog.content / name
    source.write_text(source.read_text().replace(old, new))
    assert blog.rebuild([source]).ok
    fresh = PreviewBuilder(blog.content, tmp_path / "fresh", CONFIG,
                           {"CACHE_PATH": str(tmp_path / "cache-fresh")})
    assert fresh.build().ok
    differing = []
    for page in sorted(fresh.output.rglob("*")):
        if page.is_file() and page.name != STATUS_FILE and "pagefind" not in page.parts:
            twin = blog.output / page.relative_to(fresh.output)
            if not twin.is_file() or twin.read_bytes() != page.read_bytes():
                differing.append(str(page.relative_to(fresh.output)))
    assert differing == []


def test_full_build_writes_far_more_files_than_an_edit(blog):
    full = blog.build()
    source = blog.content / "d.md"
    source.write_text(source.read_text().replace("Un paragraphe", "Un autre paragraphe"))
    edit = blog.rebuild([source])
    assert full.ok and edit.ok
    assert full.rendered == full.planned
    assert edit.rendered * 3 < full.rendered
    assert "article-d/index.html" in relative(edit.written, blog.output)


def test_deleted_article_disappears_from_the_preview(blog):
    assert served(blog, "article-b").is_file()
    (blog.content / "b.md").unlink()
    result = blog.rebuild([blog.content / "b.md"])
    assert result.ok, result.errors
    assert not served(blog, "article-b").exists()
    assert "etiquette/calcul/index.html" in relative(result.deleted, blog.output)
    # no empty folder left at the old addresses: a server would answer them
    assert not (blog.output / "article-b").exists()
    assert not (blog.output / "etiquette" / "calcul").exists()


def test_a_renamed_or_deleted_article_takes_its_cover_with_it(blog):
    covers = blog.output / "images" / "covers"
    assert (covers / "article-b.jpg").is_file() and (covers / "article-a.webp").is_file()
    source = blog.content / "a.md"
    source.write_text(source.read_text().replace("slug: article-a", "slug: article-a-bis"))
    (blog.content / "b.md").unlink()
    result = blog.rebuild([source, blog.content / "b.md"])
    assert result.ok, result.errors
    assert (covers / "article-a-bis.jpg").is_file()
    left = sorted(path.name for path in covers.iterdir()
                  if path.name.startswith(("article-a.", "article-a-", "article-b"))
                  and not path.name.startswith("article-a-bis"))
    assert left == [], left  # the old slug's cover (and lead-card art) and B's are gone
    # Tag cards of a tag no article has any more go too (« calcul » was only B's).
    assert not (blog.output / "images" / "cards" / "etiquette" / "calcul.jpg").exists()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run pagefind.js")
def test_after_a_one_article_edit_the_search_finds_the_new_words(blog):
    """The edit is served at once; the index follows in the background (the preview
    server calls refresh_search after the build, here called directly)."""
    def found(word):
        command = ["node", str(ROOT / "tests" / "pagefind_query.mjs"),
                   str(blog.output / "pagefind"), word]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return [hit["url"] for hit in json.loads(result.stdout)["results"]]

    # Pagefind answers an unknown word with its first letters (« z »…): look for C only.
    assert "/article-c/" not in found("zorglubesque")
    source = blog.content / "c.md"
    source.write_text(source.read_text().replace("Un paragraphe de texte.",
                                                  "Un paragraphe zorglubesque."))
    result = blog.rebuild([source])
    assert result.ok and not result.full
    assert "/article-c/" not in found("zorglubesque")  # the build leaves the index alone
    assert blog.refresh_search()
    assert found("zorglubesque") == ["/article-c/"]
    assert not list(blog.output.glob("pagefind.*"))  # no folder left aside
    assert blog.build().ok and not blog.refresh_search()  # a full build wrote its own


def test_content_error_keeps_the_last_good_build(blog):
    source = blog.content / "a.md"
    good_page = served(blog, "article-a").read_bytes()
    good_home = (blog.output / "index.html").read_bytes()
    source.write_text(source.read_text().replace("2025-10-20 10:00", "2025-13-45 10:00"))
    result = blog.rebuild([source])
    assert not result.ok
    assert any("a.md" in error and "date" in error for error in result.errors)
    assert result.written == []
    assert served(blog, "article-a").read_bytes() == good_page
    assert (blog.output / "index.html").read_bytes() == good_home
    status = json.loads((blog.output / STATUS_FILE).read_text(encoding="utf-8"))
    assert status["ok"] is False and any("date" in e for e in status["errors"])
    # Fixed: the next build publishes again and the banner data is cleared.
    source.write_text(source.read_text().replace("2025-13-45", "2025-10-21"))
    fixed = blog.rebuild([source])
    assert fixed.ok, fixed.errors
    assert "2025-10-21" in served(blog, "article-a").read_text()
    assert json.loads((blog.output / STATUS_FILE).read_text())["errors"] == []


def test_theme_change_gives_a_full_build(blog):
    result = blog.rebuild([ROOT / "theme" / "templates" / "base.html"])
    assert result.ok and result.full
    assert result.rendered == result.planned


# --- what the browser gets -------------------------------------------------------------

def test_only_live_preview_pages_load_the_preview_script(blog, site, preview_site):
    selector = 'script[src$="/js/preview.js"]'
    script = HTMLParser((blog.output / "index.html").read_text()).css_first(selector)
    assert script is not None and script.attributes.get("data-close")
    assert (blog.output / "theme" / "js" / "preview.js").is_file()
    assert (blog.output / STATUS_FILE).is_file()
    # A plain build, with or without drafts, has no server to talk to: no script.
    assert site.html("/").css_first(selector) is None
    assert preview_site.html("/").css_first(selector) is None
    # … and the script itself is not published.
    assert not (site.output / "theme" / "js" / "preview.js").exists()


def test_preview_server_serves_pages_and_announces_reloads(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Accueil</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Introuvable</h1>", encoding="utf-8")
    announcer = Announcer()
    server = make_server(tmp_path, "127.0.0.1", 0, announcer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            assert b"Accueil" in response.read()
            assert response.headers["Cache-Control"] == "no-store"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/nulle-part/", timeout=5)
        assert missing.value.code == 404 and b"Introuvable" in missing.value.read()
        (tmp_path / "dossier").mkdir()  # a folder without index.html: not listed
        with pytest.raises(urllib.error.HTTPError) as listed:
            urllib.request.urlopen(base + "/dossier/", timeout=5)
        assert listed.value.code == 404 and b"Introuvable" in listed.value.read()
        with urllib.request.urlopen(base + "/_preview/events", timeout=5) as events:
            assert events.readline().startswith(b"retry:")
            events.readline()
            announcer.announce("reload")
            assert events.readline() == b"event: reload\n"
    finally:
        announcer.stop()
        server.shutdown()
        server.server_close()


def test_a_busy_port_is_said_in_french_before_any_build(tmp_path):
    """`make serve` while another preview runs: one French line with the way out, no
    traceback, and no minute-long build first."""
    busy = make_server(tmp_path, "127.0.0.1", 0, Announcer())
    port = busy.server_address[1]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        busy.server_close()
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"le port {port} est déjà utilisé" in result.stderr
    assert f"PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr and "Construction" not in result.stdout


def test_plugin_edit_is_reloaded_and_rebuilds_everything(blog, tmp_path):
    plugins = tmp_path / "extensions"
    module = plugins / "sous_titre_essai"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text("from .sous_titre_essai import register  # noqa: F401\n")
    code = module / "sous_titre_essai.py"

    def write_plugin(subtitle):
        code.write_text(
            "from pelican import signals\n\n\n"
            "def set_subtitle(pelican):\n"
            f"    pelican.settings['SITESUBTITLE'] = {subtitle!r}\n\n\n"
            "def register():\n"
            "    signals.initialized.connect(set_subtitle)\n", encoding="utf-8")

    write_plugin("Sous-titre première version")
    settings = tasks.load_settings()
    builder = PreviewBuilder(blog.content, tmp_path / "out-plugin", CONFIG, {
        "CACHE_PATH": str(tmp_path / "cache-plugin"),
        "PLUGIN_PATHS": [*settings["PLUGIN_PATHS"], str(plugins)],
        "PLUGINS": [*settings["PLUGINS"], "sous_titre_essai"]})
    assert builder.build().ok
    assert "première version" in (builder.output / "index.html").read_text()
    write_plugin("Sous-titre seconde version")
    result = builder.rebuild([code])
    assert result.ok and result.full
    home = (builder.output / "index.html").read_text()
    assert "seconde version" in home and "première version" not in home


# --- pages that disappear ----------------------------------------------------------------

def test_an_image_deleted_from_content_leaves_output(tmp_path):
    from PIL import Image

    content, out = tmp_path / "content", tmp_path / "out"
    draft_and_published(content)
    (content / "images").mkdir()
    for name in ("garde.png", "retiree.png"):
        Image.new("RGB", (8, 8), "navy").save(content / "images" / name)
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"'}
    assert build_site(content, out, extra=cache).returncode == 0
    assert (out / "images" / "retiree.png").is_file()
    (content / "images" / "retiree.png").unlink()
    result = build_site(content, out, extra=cache)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "images" / "retiree.png").exists()
    assert (out / "images" / "garde.png").is_file()
    assert (out / "theme" / "css").is_dir()  # the theme's files are not the build's to delete


def draft_and_published(content: Path) -> None:
    write_article(content, "publie.md", article("Article publié", "Startups", ["marché"],
                                                "2025-10-20 10:00", slug="publie"))
    draft = article("Article en cours", "Startups", ["étiquette du brouillon"],
                    "2025-10-21 10:00", slug="en-cours")
    write_article(content, "en-cours.md", draft.replace("---\n", "---\nstatus: draft\n", 1))


def test_a_build_deletes_the_pages_the_previous_build_wrote_and_it_does_not(tmp_path):
    """`invoke build --drafts`, then `invoke build`: the draft's page and the page of the
    tag only it used leave output/; what no build wrote there stays."""
    content, out = tmp_path / "content", tmp_path / "out"
    draft_and_published(content)
    sources = {path: path.read_bytes() for path in content.iterdir()}
    cache = {"CACHE_PATH": f'"{tmp_path / "cache"}"'}
    shown = build_site(content, out, extra={**cache, "SHOW_DRAFTS": "true"})
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert (out / "en-cours" / "index.html").is_file()
    assert (out / "etiquette" / "etiquette-du-brouillon" / "index.html").is_file()
    assert list((out / "images" / "covers").glob("en-cours*"))
    (out / "perso.html").write_text("déposé à la main", encoding="utf-8")

    hidden = build_site(content, out, extra=cache)
    assert hidden.returncode == 0, hidden.stdout + hidden.stderr
    assert not (out / "en-cours").exists()
    assert not (out / "etiquette" / "etiquette-du-brouillon").exists()
    assert not list((out / "images" / "covers").glob("en-cours*"))  # its cover too
    assert list((out / "images" / "covers").glob("publie*"))
    assert (out / "publie" / "index.html").is_file()
    assert (out / "perso.html").read_text(encoding="utf-8") == "déposé à la main"
    assert {path: path.read_bytes() for path in content.iterdir()} == sources


def test_a_build_after_the_preview_deletes_the_drafts_the_preview_showed(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    draft_and_published(content)
    preview = PreviewBuilder(content, out, CONFIG, {"CACHE_PATH": str(tmp_path / "cache")})
    first = preview.build()
    assert first.ok, first.errors
    assert (out / "en-cours" / "index.html").is_file()
    built = build_site(content, out, extra={"CACHE_PATH": f'"{tmp_path / "cache2"}"'})
    assert built.returncode == 0, built.stdout + built.stderr
    assert not (out / "en-cours").exists()
    assert (out / "publie" / "index.html").is_file()


def test_a_production_build_leaves_no_page_list_to_deploy(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    draft_and_published(content)
    built = build_site(content, out, extra={"DELETE_OUTPUT_DIRECTORY": "true",
                                            "CACHE_PATH": f'"{tmp_path / "cache"}"'})
    assert built.returncode == 0, built.stdout + built.stderr
    assert not any(path.name.startswith(".pages") for path in out.iterdir())


def test_files_editors_write_for_an_instant_are_not_edits():
    from tools.preview_server import interesting

    for name in ("sedAb12Cd", "4913", ".goutputstream-XYZ12", "article.md~", ".#article.md",
                 "article.md.swp"):
        assert not interesting(f"content/{name}"), name
    for name in ("article.md", "sed.md", "4913-bilan.md"):
        assert interesting(f"content/{name}"), name
