"""A 360 px phone: no sideways scrolling, a usable menu, targets a finger can hit."""

import pytest

from browser.conftest import PAGES
from browser.pagetools import HORIZONTAL_OVERFLOW, SMALL_TAP_TARGETS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740, "mobile": True}
MIN_TARGET_PX = 44


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scroll_at_360px(visit, name):
    seen = visit(PAGES[name], **PHONE)
    overflow = seen.page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"], overflow


@pytest.mark.parametrize("name", PAGES)
def test_tap_targets_are_at_least_44px(visit, name):
    seen = visit(PAGES[name], **PHONE)
    assert seen.page.evaluate(SMALL_TAP_TARGETS, MIN_TARGET_PX) == []


def test_menu_is_usable_on_a_phone(visit, served):
    """Every section of the menu can be brought into view and tapped."""
    seen = visit("/", **PHONE)
    links = seen.page.locator(".site-nav a")
    assert links.count() >= 2
    for index in range(links.count()):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
        hit = seen.page.evaluate(
            "([x, y, el]) => el.contains(document.elementFromPoint(x, y))",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, link.element_handle()])
        assert hit, f"{link.inner_text()} est recouvert"
    last = links.last
    target = last.get_attribute("href")
    last.tap()
    seen.page.wait_for_url(served.url(target) if target.startswith("/") else target)
    assert seen.page.locator("h1").first.is_visible()
