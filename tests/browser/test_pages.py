"""Every kind of page loads cleanly in Chromium and passes axe-core, light and dark."""

import pytest

from browser.conftest import PAGES
from browser.pagetools import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_error_or_foreign_request(visit, axe_source, name):
    seen = visit(PAGES[name])
    violations = run_axe(seen.page, axe_source)
    seen.assert_clean()
    broken = [f"{request.url} ({request.response().status if request.response() else request.failure})"
              for request in seen.requests
              if request.failure or (request.response() and request.response().status >= 400)]
    assert broken == []
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("name", PAGES)
def test_dark_scheme_passes_axe_too(visit, axe_source, name):
    """Contrast and every other rule hold with the dark palette as well."""
    seen = visit(PAGES[name], dark=True)
    violations = run_axe(seen.page, axe_source)
    assert violations == [], describe_violations(violations)

