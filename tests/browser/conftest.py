"""Browser fixtures: the sample site served on 127.0.0.1 and a headless Chromium.

Why here and not in tests/conftest.py: only the browser tests need a server, a browser
and the npm tools, and they must skip cleanly (one line) on a machine without them, yet
never skip in CI, where a missing tool is a broken set-up.

| fixture | scope | gives |
| --- | --- | --- |
| `served` | session | the `site` build served by tools/static_server.py (gzip, like a host) |
| `browser` | session | Chromium from /usr/bin/chromium through Playwright |
| `visit` | function | `visit(url, width=…, dark=…)` → a `Visit` that logs console errors and every request |
| `axe_source` | session | the text of node_modules/axe-core/axe.min.js, to inject into pages |

Every page opened through `visit` fails its test if it asked anything of a host other
than 127.0.0.1: such requests are aborted before they leave and reported at teardown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools.static_server import HOST as LOCAL_HOST
from tools.static_server import serve_in_background

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# The pages every reader-facing check walks through (SPEC addresses).
PAGES = {
    "accueil": "/",
    "article": "/ia-ouverte-se-referme/",
    "etiquette": "/etiquette/open-source/",
    "etiquettes": "/etiquettes/",
    "rubrique": "/categorie/technologies-et-avenirs/",
    "recherche": "/recherche/",
    "404": "/404.html",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing; in CI the same absence is a failure."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI=true mais {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class Served:
    """The running server: its base URL and the knobs tests may turn."""

    base: str
    server: ThreadingHTTPServer

    def url(self, path: str) -> str:
        return self.base + path

    def slow_images(self, seconds: float) -> None:
        self.server.delays["/images/"] = seconds

    def slow_fonts(self, seconds: float) -> None:
        self.server.delays["/theme/fonts/"] = seconds


@pytest.fixture(scope="session")
def served(site):
    """The sample site on http://127.0.0.1:<free port>/, for the whole session."""
    server, base = serve_in_background(site.output)
    yield Served(base, server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; Playwright gives each launch a fresh --user-data-dir."""
    require(CHROMIUM.exists(), f"{CHROMIUM} absent (apt-get install chromium chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the venv pins playwright
        require(False, "playwright (Python) absent du venv")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(AXE.is_file(), "node_modules/axe-core absent (npm ci)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class Visit:
    """One page in its own browser context, with what it logged and requested."""

    page: object
    context: object
    requests: list = field(default_factory=list)
    foreign: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.foreign, f"requêtes hors de {LOCAL_HOST} : {self.foreign}"
        assert not self.console_errors, f"erreurs dans la console : {self.console_errors}"


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == LOCAL_HOST


@pytest.fixture
def visit(browser, served):
    """`visit(path, width=1280, height=800, dark=False, mobile=False)` opens a page.

    Each call gets a fresh context (no shared cookies or cache). Foreign requests are
    aborted and recorded; console errors and uncaught exceptions are recorded; both fail
    the test at teardown if the test did not check them itself.
    """
    opened: list[Visit] = []

    def open_page(path: str, *, width=1280, height=800, dark=False, mobile=False,
                  wait_until="load") -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme="dark" if dark else "light",
            is_mobile=mobile, has_touch=mobile, device_scale_factor=2 if mobile else 1,
            locale="fr-FR", service_workers="block",
        )
        page = context.new_page()
        record = Visit(page=page, context=context)

        def guard(route):
            if is_local(route.request.url):
                route.fallback()
            else:
                record.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page.on("request", lambda request: record.requests.append(request))
        page.on("console", lambda message: message.type == "error"
                and record.console_errors.append(f"{message.text} ({message.location.get('url')})"))
        page.on("pageerror", lambda error: record.console_errors.append(str(error)))
        page.goto(served.url(path), wait_until=wait_until)
        opened.append(record)
        return record

    yield open_page
    for record in opened:
        record.context.close()
    for record in opened:
        record.assert_clean()

