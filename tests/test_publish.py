"""Publishing: clean never deletes sources, deploys refuse bad builds, output is reproducible.

Deploys only ever go to local targets here: a folder (rsync) and a bare git repository
(ghp-import). No test contacts another host.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import time
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, build_site
from invoke import Context
from invoke.exceptions import Exit

import tasks
from tools import deploy

PUBLISH = ROOT / "publishconf.py"
needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync absent")


# --- invoke clean ----------------------------------------------------------------------

@pytest.mark.parametrize("output", ["/", "~", "~/", "..", "../..", "content", "content/",
                                    "./content/images", "theme/static", "plugins", ".git",
                                    "", str(ROOT), str(Path.home())])
def test_clean_refuses_a_dangerous_output_path(output):
    with pytest.raises(Exit) as refused:
        tasks.safe_output_path(output)
    assert refused.value.code == 2
    assert "Refus de supprimer" in str(refused.value.message)


@pytest.mark.parametrize("output", ["output", "./output", str(ROOT / "output"), ".cache",
                                    "build/site"])
def test_clean_accepts_a_folder_inside_the_project(output):
    assert ROOT in tasks.safe_output_path(output).parents


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A throwaway project root, so the clean task itself can run for real."""
    root = tmp_path / "projet"
    for folder in ("content", "theme", "output/page", ".cache/pelican"):
        (root / folder).mkdir(parents=True)
    (root / "content" / "article.md").write_text("texte", encoding="utf-8")
    (root / "output" / "page" / "index.html").write_text("<p>", encoding="utf-8")
    (root / ".cache" / "last-deploy.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(tasks, "ROOT", root)
    monkeypatch.setattr(tasks, "CONTENT", root / "content")
    monkeypatch.setattr(tasks, "DEPLOY_RECORD", root / ".cache" / "last-deploy.json")
    return root


@pytest.mark.parametrize("output", ["/", "~", "..", "content"])
def test_clean_task_deletes_nothing_when_output_path_is_misconfigured(project, monkeypatch,
                                                                      output):
    monkeypatch.setattr(tasks, "load_settings", lambda *a: {
        "OUTPUT_PATH": output, "CACHE_PATH": str(project / ".cache" / "pelican")})
    with pytest.raises(Exit):
        tasks.clean(Context())
    assert (project / "content" / "article.md").is_file()
    assert (project / "output" / "page" / "index.html").is_file()
    assert (project / ".cache" / "pelican").is_dir()


def test_clean_task_deletes_output_and_caches_only(project, monkeypatch):
    (project / "publication" / "page").mkdir(parents=True)
    monkeypatch.setattr(tasks, "load_settings", lambda *a: {
        "OUTPUT_PATH": str(project / ("publication" if a else "output")),
        "CACHE_PATH": str(project / ".cache" / "pelican")})
    tasks.clean(Context())
    assert not (project / "output").exists()
    assert not (project / "publication").exists()  # the production build
    assert not (project / ".cache" / "pelican").exists()
    assert (project / ".cache" / "last-deploy.json").is_file()  # not a cache: kept
    assert (project / "content" / "article.md").is_file()
    assert (project / "theme").is_dir()


# --- production build -------------------------------------------------------------------

def production_build(output: Path, cache: Path) -> Path:
    deploy.production_build(ROOT / "content", output, PUBLISH, cache_path=cache)
    return output


@pytest.fixture(scope="session")
def production(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("production")
    return production_build(folder / "output", folder / "cache")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_production_build_is_reproducible(production, tmp_path):
    """Same commit, same cache → byte-identical output, search index included. The
    second build takes every article from the content cache: what it serves is exactly
    what reading gives."""
    cache = production.parent / "cache"
    [readers_cache] = cache.glob("contenu/*/ArticlesGenerator-Readers")
    again = production_build(tmp_path / "output", cache)
    assert list(cache.glob("contenu/*/ArticlesGenerator-Readers")) == [readers_cache]
    first, second = tree(production), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "sitemap.xml" in first and "feeds/atom.xml" in first
    assert any(name.startswith("pagefind/") for name in first)
    if "covers" in tasks.load_settings(PUBLISH)["PLUGINS"]:
        assert any(name.startswith("images/covers/") for name in first)


def test_cold_builds_differ_only_in_the_search_index(production, tmp_path):
    """Without any cache, only Pagefind's own files (written from unordered maps) may
    differ; everything we generate is a pure function of the inputs."""
    cold = production_build(tmp_path / "output", tmp_path / "cache")
    first, second = tree(production), tree(cold)
    outside_index = lambda names: {n for n in names if not n.startswith("pagefind/")}
    assert outside_index(first) == outside_index(second)
    assert [n for n in outside_index(first) if first[n] != second[n]] == []


def test_production_and_writing_builds_keep_their_own_content_cache(tmp_path):
    """The production build (absolute addresses, no drafts) does not read the writing
    build's cache, and neither throws the other's away: after one of each, a production
    build reads nothing again."""
    cache = tmp_path / "cache"
    extra = {"CACHE_PATH": json.dumps(str(cache)), "SEARCH_ENABLED": "false",
             "COVERS_ENABLED": "false"}
    production = build_site(ROOT / "content", tmp_path / "production", config=PUBLISH,
                            extra=extra)
    assert production.returncode == 0, production.stdout + production.stderr
    [published] = cache.glob("contenu/*/ArticlesGenerator-Readers")
    writing = build_site(ROOT / "content", tmp_path / "output", extra=extra)
    assert writing.returncode == 0, writing.stdout + writing.stderr
    assert len(list(cache.glob("contenu/*/ArticlesGenerator-Readers"))) == 2
    written = published.stat().st_mtime_ns
    again = build_site(ROOT / "content", tmp_path / "production", config=PUBLISH, extra=extra)
    assert again.returncode == 0, again.stdout + again.stderr
    assert published.stat().st_mtime_ns == written  # nothing read again, nothing saved


def test_a_production_build_over_the_last_one_gives_exactly_a_fresh_one(production,
                                                                            tmp_path):
    """Production no longer empties its folder first: at the end, everything this build
    did not produce is deleted (plugin ecriture, ``ECRITURE_SORTIE_EXACTE``). After an
    article, an image and tags went, a text changed, and files were put there by hand,
    the folder built over the last publication is byte for byte a fresh build's: what
    rsync --delete mirrors is what a clean build makes. ``.git`` (OUTPUT_RETENTION)
    stays."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = tmp_path / "cache"
    shutil.copytree(production.parent / "cache", cache)  # covers already drawn
    extra = {"CACHE_PATH": json.dumps(str(cache))}

    def build(output):
        result = build_site(content, output, config=PUBLISH, extra=extra)
        assert result.returncode == 0, result.stdout + result.stderr
        return output

    kept = build(tmp_path / "kept")
    (content / "velo-cargo.md").unlink()  # its tags « vélo », « logistique »… with it
    (content / "eolien-en-mer.md").unlink()
    (content / "images" / "eolien-en-mer.jpg").unlink()
    changed = content / "qubits-logiques.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("physique", "matériaux", 1)
                       + "\nUne phrase de plus, pour que la page et ses copies changent.\n",
                       encoding="utf-8")
    (kept / "a-la-main.html").write_text("<p>déposé à la main</p>", encoding="utf-8")
    (kept / "theme" / "ancien.css").write_text("p { color: red }", encoding="utf-8")
    (kept / ".git").mkdir()
    (kept / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    build(kept)
    fresh = build(tmp_path / "fresh")
    (kept / ".git" / "HEAD").unlink()
    (kept / ".git").rmdir()
    before, after = tree(kept), tree(fresh)
    assert (sorted(set(before) - set(after)), sorted(set(after) - set(before))) == ([], [])
    assert [name for name in before if before[name] != after[name]] == []
    assert not any("velo-cargo" in name or "eolien-en-mer" in name for name in before)
    assert "Une phrase de plus" in before["qubits-logiques/index.html"].decode()


def test_the_sweep_deletes_only_what_the_build_left_alone(tmp_path, monkeypatch):
    """A file stays if the writer listed it or if it was written, copied or touched since
    the build started; nothing happens when the content or the home folder lies inside
    the output."""
    from ecriture.ecriture import SweepJob, sweep_output

    output = tmp_path / "output"
    (output / "listed").mkdir(parents=True)
    (output / "listed" / "index.html").write_text("inchangée", encoding="utf-8")
    (output / "old" / "deep").mkdir(parents=True)
    (output / "old" / "deep" / "index.html").write_text("périmée", encoding="utf-8")
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("x", encoding="utf-8")
    time.sleep(0.05)  # file dates move by clock ticks of a few milliseconds
    marker = output / "marqueur"
    marker.write_bytes(b"")
    started = marker.stat().st_ctime_ns
    marker.unlink()
    (output / "touched.css").write_text("écrite après le début", encoding="utf-8")
    job = SweepJob(str(output), started, frozenset({str(output / "listed" / "index.html")}),
                   (".git",), (str(tmp_path / "content"),))
    assert sweep_output(job) == ["old/deep/index.html"]
    assert not (output / "old").exists()  # empty folders go too
    assert {path.relative_to(output).as_posix() for path in output.rglob("*")
            if path.is_file()} == {"listed/index.html", "touched.css", ".git/HEAD"}
    guarded = SweepJob(str(output), 10**30, frozenset(), (), (str(output / "listed"),))
    assert sweep_output(guarded) == [] and (output / "touched.css").exists()
    monkeypatch.setenv("HOME", str(output / "listed"))  # the home folder inside: refused
    assert sweep_output(SweepJob(str(output), 10**30, frozenset(), (), ())) == []
    assert (output / "touched.css").exists()


def test_production_has_precompressed_text_files(production):
    for name in ("index.html", "sitemap.xml", "feeds/atom.xml"):
        original = (production / name).read_bytes()
        assert gzip.decompress((production / f"{name}.gz").read_bytes()) == original
        assert brotli.decompress((production / f"{name}.br").read_bytes()) == original
    stylesheets = list((production / "theme" / "css").glob("*.css"))
    assert any(Path(f"{css}.gz").is_file() for css in stylesheets)
    assert not list(production.rglob("*.jpg.gz")), "images are not precompressed"


def test_gzip_files_carry_no_timestamp(production):
    header = (production / "index.html.gz").read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b" and header[4:8] == b"\x00\x00\x00\x00"


def test_production_has_no_drafts_and_absolute_urls(production):
    assert not (production / "_preview-status.json").exists()
    html = (production / "index.html").read_text(encoding="utf-8")
    assert 'href="https://leblog.example/' in html
    assert "preview.js" not in html
    drafts = [p for p in (ROOT / "content").glob("*.md") if "status: draft" in p.read_text()]
    assert drafts
    for draft in drafts:
        slug = next((line.split(":", 1)[1].strip() for line in draft.read_text().splitlines()
                     if line.startswith("slug:")), draft.stem)
        assert not (production / slug).exists()


# --- size guard ---------------------------------------------------------------------------

def test_guard_refuses_an_empty_output_even_with_force(tmp_path):
    (tmp_path / "vide").mkdir()
    for force in (False, True):
        with pytest.raises(deploy.DeployError, match="vide"):
            deploy.guard_output(tmp_path / "vide", "rsync:cible/", force=force,
                                record=tmp_path / "record.json")


def test_guard_refuses_a_shrunken_site_unless_forced(production, tmp_path):
    record = tmp_path / "last-deploy.json"
    pages = deploy.count_pages(production)
    deploy.remember_deploy("rsync:cible/", int(pages / 0.7), record=record)
    with pytest.raises(deploy.DeployError, match="--force"):
        deploy.guard_output(production, "rsync:cible/", record=record)
    assert deploy.guard_output(production, "rsync:cible/", force=True, record=record) == pages
    # Within 20 %: accepted without --force.
    deploy.remember_deploy("rsync:cible/", int(pages * 1.1), record=record)
    assert deploy.guard_output(production, "rsync:cible/", record=record) == pages
    assert json.loads(record.read_text())["rsync:cible/"]["pages"] == int(pages * 1.1)


# --- rsync -------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["", "/", "host:", "host:/", "~", "~/", "host:~/",
                                    "/var/www/../..", ".", "user@host:."])
def test_rsync_target_refuses_paths_that_delete_too_much(target):
    with pytest.raises(deploy.DeployError):
        deploy.rsync_target(target)


def test_the_example_target_asks_for_a_real_server():
    """The target in publishconf.py is an example: say so, rather than ssh's « Could not
    resolve hostname »."""
    with pytest.raises(deploy.DeployError, match="exemple"):
        deploy.rsync_target("deploy@leblog.example:/var/www/leblog/")


def test_serving_before_any_build_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "load_settings", lambda *a: {"OUTPUT_PATH": str(tmp_path / "vide")})
    with pytest.raises(Exit, match="invoke build"):
        tasks.serve(Context())


def test_rsync_target_keeps_one_trailing_slash():
    assert deploy.rsync_target("user@host:/var/www/leblog") == "user@host:/var/www/leblog/"
    assert deploy.rsync_target("/srv/leblog//") == "/srv/leblog/"


def test_publish_task_refuses_a_bad_target_before_building(monkeypatch):
    monkeypatch.setattr(tasks, "prepare_deploy", lambda *a, **k: pytest.fail("built"))
    with pytest.raises(Exit) as refused:
        tasks.publish(Context(), target="/")
    assert refused.value.code == 2


@needs_rsync
def test_rsync_deploy_to_a_local_folder(production, tmp_path):
    site = tmp_path / "www" / "leblog"
    neighbour = tmp_path / "www" / "autre-site.html"
    site.mkdir(parents=True)
    neighbour.write_text("à garder", encoding="utf-8")
    (site / "ancienne-page.html").write_text("à supprimer", encoding="utf-8")
    target = deploy.rsync_target(str(site))

    preview = deploy.rsync_deploy(production, target, dry_run=True)
    assert "ancienne-page.html" in preview and "index.html" in preview
    assert sorted(p.name for p in site.iterdir()) == ["ancienne-page.html"]

    deploy.rsync_deploy(production, target)
    assert tree(site) == tree(production)
    assert neighbour.read_text(encoding="utf-8") == "à garder"

    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    again = deploy.rsync_deploy(production, target)
    transfers = [line for line in again.splitlines() if line.startswith((">f", "*deleting"))]
    assert transfers == []
    assert stamps == {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


@needs_rsync
def test_only_changed_files_change_between_two_deploys(production, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(production, output)
    site = tmp_path / "leblog"
    deploy.rsync_deploy(output, deploy.rsync_target(str(site)))
    changed = output / "a-propos" / "index.html"
    changed.write_text(changed.read_text(encoding="utf-8") + "<!-- v2 -->", encoding="utf-8")
    report = deploy.rsync_deploy(output, deploy.rsync_target(str(site)))
    transfers = [line.split(" ", 1)[1] for line in report.splitlines()
                 if line.startswith(">f")]
    assert transfers == ["a-propos/index.html"]


# --- gh-pages ------------------------------------------------------------------------------

def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repositories(tmp_path):
    bare = tmp_path / "pages.git"
    work = tmp_path / "work"
    git("init", "--bare", "--quiet", str(bare), cwd=tmp_path)
    git("init", "--quiet", str(work), cwd=tmp_path)
    git("config", "user.email", "redaction@leblog.example", cwd=work)
    git("config", "user.name", "La rédaction", cwd=work)
    git("remote", "add", "origin", str(bare), cwd=work)
    return work, bare


def test_gh_pages_to_a_local_bare_repository(production, repositories):
    work, bare = repositories
    dry = deploy.gh_pages_deploy(production, work, "origin", "gh-pages", dry_run=True)
    assert "n’existe pas encore" in dry
    assert git("branch", "--list", cwd=bare).strip() == ""

    deploy.gh_pages_deploy(production, work, "origin", "gh-pages")
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).split())
    assert {"index.html", "index.html.gz", "sitemap.xml", ".nojekyll"} <= files
    assert git("show", "gh-pages:index.html", cwd=bare).encode() == \
        (production / "index.html").read_bytes()

    unchanged = deploy.gh_pages_deploy(production, work, "origin", "gh-pages", dry_run=True)
    assert "index.html" not in unchanged


def test_articles_of_the_same_minute_keep_one_order_whatever_the_process(tmp_path):
    """Pelican gathers sources in a set (its order follows the per-process string hash
    salt) and sorts by date: ties must not depend on the process."""
    import os
    import sys

    content = tmp_path / "content"
    content.mkdir()
    for number in range(14):  # more than a page of the home (10 per page)
        (content / f"meme-minute-{number:02d}.md").write_text(
            f"---\ntitle: Même minute {number}\ndate: 2025-10-23 09:30\n"
            f"category: Startups\n---\n\nCorps {number}.\n", encoding="utf-8")
    homes = []
    for seed in ("1", "2", "3"):
        output = tmp_path / f"out-{seed}"
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "run_pelican.py"), str(content),
             "-s", str(ROOT / "pelicanconf.py"), "-o", str(output), "-e",
             f'CACHE_PATH="{tmp_path / ("cache-" + seed)}"', "SEARCH_ENABLED=false",
             "COVERS_ENABLED=false"],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout + result.stderr
        homes.append((output / "index.html").read_text(encoding="utf-8"))
    assert homes[0] == homes[1] == homes[2]
    assert homes[0].index('href="/meme-minute-0/"') < homes[0].index('href="/meme-minute-1/"')


def test_publication_never_replaces_the_previews_output():
    """A `make serve` running beside `invoke publish` keeps serving its own pages."""
    preview, production = tasks.load_settings(), tasks.load_settings(tasks.PUBLISH_CONFIG)
    assert Path(production["OUTPUT_PATH"]) != Path(preview["OUTPUT_PATH"])
    assert Path(production["OUTPUT_PATH"]).parent == ROOT
    tasks.safe_output_path(production["OUTPUT_PATH"])  # clean may delete it
