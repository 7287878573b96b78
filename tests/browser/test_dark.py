"""`prefers-color-scheme: dark` switches the palette and keeps body text readable."""

import pytest

from browser.pagetools import PALETTE, contrast_ratio, relative_luminance, parse_rgb

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/ia-ouverte-se-referme/"])
def test_dark_scheme_changes_palette_and_keeps_contrast(visit, path):
    light = visit(path).page.evaluate(PALETTE)
    dark = visit(path, dark=True).page.evaluate(PALETTE)
    assert dark["background"] != light["background"]
    assert relative_luminance(parse_rgb(dark["background"])) < 0.05, dark
    assert relative_luminance(parse_rgb(light["background"])) > 0.8, light
    for palette in (light, dark):
        assert contrast_ratio(palette["text"], palette["background"]) >= 7, palette
