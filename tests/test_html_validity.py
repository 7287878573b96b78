"""Every HTML page of the sample build is valid HTML; feeds and sitemap are well-formed XML.

The Nu Html Checker (npm `vnu-jar`, run with Java) checks all pages in one invocation:
the JVM start-up dominates, so one call for the whole site keeps this test at seconds.
Without Java or node_modules the HTML check skips locally and fails in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing, except in CI where it is a broken set-up."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true mais {reason}", pytrace=False)
    pytest.skip(reason)


def vnu_errors(pages: list[Path]) -> list[dict]:
    """The checker's error messages for all `pages`, read from its JSON report."""
    command = [shutil.which("java"), "-Xss8m", "-jar", str(VNU_JAR), "--errors-only",
               "--format", "json", *map(str, pages)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [message for message in report["messages"] if message.get("type") != "info"]


# A page with a stray end tag, checked in the same run: proves the checker really reports.
BROKEN_PAGE = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>t</title>'
               "</head><body><p>texte</div></body></html>")


@pytest.fixture(scope="module")
def vnu_report(site, tmp_path_factory) -> tuple[list[dict], Path]:
    """One checker run over every page of the site plus the broken canary page."""
    require(shutil.which("java") is not None, "java absent (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), "node_modules/vnu-jar absent (npm ci)")
    canary = tmp_path_factory.mktemp("vnu") / "casse.html"
    canary.write_text(BROKEN_PAGE, encoding="utf-8")
    pages = site.html_pages()
    assert len(pages) > 20
    return vnu_errors([*pages, canary]), canary


def test_every_html_page_is_valid(site, vnu_report):
    errors, canary = vnu_report
    readable = [f"{Path(m['url'].removeprefix('file:')).relative_to(site.output)}:"
                f"{m.get('lastLine', '?')}: {m['message']}" for m in errors
                if not m["url"].endswith(canary.name)]
    assert readable == []


def test_checker_reports_an_invalid_page(vnu_report):
    errors, canary = vnu_report
    assert any(m["url"].endswith(canary.name) and "div" in m["message"] for m in errors)


def xml_files(site) -> list[Path]:
    return sorted(site.output.glob("feeds/**/*.xml")) + [site.output / "sitemap.xml"]


def test_feeds_and_sitemap_are_well_formed_xml(site):
    files = xml_files(site)
    assert any(path.name == "atom.xml" for path in files)
    assert (site.output / "sitemap.xml").is_file()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in files:
        root = etree.parse(str(path), parser).getroot()  # raises on malformed XML
        assert root.tag.split("}")[-1] in {"feed", "rss", "urlset"}, path
