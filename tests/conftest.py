"""Shared fixtures: build a site once per session, parse its pages with a real parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tools" / "run_pelican.py"
PLUGINS = ROOT / "plugins"
# Unit tests import the plugins as Pelican does, from plugins/ (where their shared
# modules, _texte and _processus, live too): on the path once, for every test file.
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))


def build_site(content: Path, output: Path, *, config: Path = ROOT / "pelicanconf.py",
               strict: bool = True, extra: dict | None = None):
    """Build `content` into `output` through our runner; return the CompletedProcess."""
    command = [sys.executable, str(RUNNER), str(content), "-s", str(config), "-o", str(output)]
    if strict:
        command.append("--strict")
    for key, value in (extra or {}).items():
        command += ["-e", f"{key}={value}"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


class Site:
    """A built output folder, with helpers to read and parse its files."""

    def __init__(self, output: Path):
        self.output = output

    def path(self, url: str) -> Path:
        relative = url.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.output / relative

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def text(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def html(self, url: str) -> HTMLParser:
        return HTMLParser(self.text(url))

    def html_pages(self):
        return sorted(self.output.rglob("*.html"))


def built_site(tmp_path_factory, name: str, content: Path = ROOT / "content", *,
               config: Path = ROOT / "pelicanconf.py", extra: dict | None = None) -> Site:
    """Build `content` strict into a fresh folder with its own cache; fail loudly."""
    output = tmp_path_factory.mktemp(name)
    cache = tmp_path_factory.mktemp(f"{name}-cache")
    result = build_site(content, output, config=config,
                        extra={"CACHE_PATH": f'"{cache}"', **(extra or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(output)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The sample blog (content/), built once, strict, with the preview settings."""
    return built_site(tmp_path_factory, "site")


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Site:
    """The sample blog built with drafts and scheduled articles shown (preview)."""
    return built_site(tmp_path_factory, "preview", extra={"SHOW_DRAFTS": "true"})


def built_files(site: Site) -> set[Path]:
    """Every file of a built site but pagefind/: two Pagefind runs name their chunks
    differently (the search plugin's cache is what makes one site's rebuilds
    reproducible)."""
    return {path.relative_to(site.output) for path in site.output.rglob("*")
            if path.is_file() and path.relative_to(site.output).parts[0] != "pagefind"}


def differing_files(one: Site, two: Site) -> list[Path]:
    """Files of `one` missing from `two` or holding other bytes, and files only in `two`."""
    first, second = built_files(one), built_files(two)
    return sorted((first ^ second) | {
        path for path in first & second
        if (one.output / path).read_bytes() != (two.output / path).read_bytes()})


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- Readers' features (search, feeds, SEO): two extra builds shared by their tests ----
READER_FIXTURE = ROOT / "tests" / "fixtures" / "seo_site" / "content"
FILLER_ARTICLES = 21  # one more than FEED_MAX_ITEMS, so the cap is visible


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory) -> Site:
    """tests/fixtures/seo_site (hostile title, long table of contents, no summary) plus
    filler articles, built strict with the preview settings and the search index."""
    import shutil

    content = tmp_path_factory.mktemp("reader-content")
    shutil.copytree(READER_FIXTURE, content, dirs_exist_ok=True)
    for number in range(1, FILLER_ARTICLES + 1):
        write_article(content, f"remplissage-{number:02d}.md", (
            "---\n"
            f'title: "Brève numéro {number}"\n'
            f"date: 2024-01-{number:02d} 08:00\n"
            "category: Startups\n"
            "tags: [financement]\n"
            "---\n"
            f"Une brève de remplissage numéro {number}, pour remplir les flux.\n"))
    return built_site(tmp_path_factory, "reader-site", content)


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory) -> Site:
    """The sample blog with at most four pages per search index: archive indexes, as a
    blog past SEARCH_PAGES_PER_INDEX articles has (covers off: the index is the point)."""
    return built_site(tmp_path_factory, "sharded",
                      extra={"SEARCH_PAGES_PER_INDEX": "4", "COVERS_ENABLED": "false"})


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory) -> Site:
    """The sample blog built with publishconf.py (absolute SITEURL), without search."""
    return built_site(tmp_path_factory, "publish", config=ROOT / "publishconf.py",
                      extra={"SEARCH_ENABLED": "false"})
