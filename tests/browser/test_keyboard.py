"""Keyboard readers: the skip link comes first and focus is always visible."""

import pytest

from browser.pagetools import FOCUS_STYLE

pytestmark = pytest.mark.browser

TABS_CHECKED = 12


def focus_is_visible(focus: dict) -> bool:
    has_outline = focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2
    has_ring = focus["boxShadow"] not in ("", "none")
    return focus["inViewport"] and (has_outline or has_ring)


@pytest.mark.parametrize("path", ["/", "/ia-ouverte-se-referme/"])
def test_skip_link_is_first_and_moves_focus_to_main(visit, path):
    seen = visit(path)
    seen.page.keyboard.press("Tab")
    focus = seen.page.evaluate(FOCUS_STYLE)
    assert "skip-link" in focus["cls"], focus
    assert focus_is_visible(focus), focus
    seen.page.keyboard.press("Enter")
    assert seen.page.evaluate("document.activeElement.id") == "contenu"
    assert seen.page.url.endswith("#contenu")


@pytest.mark.parametrize("dark", [False, True], ids=["clair", "sombre"])
def test_focus_is_visible_on_each_tab_stop(visit, dark):
    seen = visit("/ia-ouverte-se-referme/", dark=dark)
    hidden = []
    for _ in range(TABS_CHECKED):
        seen.page.keyboard.press("Tab")
        focus = seen.page.evaluate(FOCUS_STYLE)
        if focus["tag"] == "body":
            break
        if not focus_is_visible(focus):
            hidden.append(focus)
    assert hidden == []
