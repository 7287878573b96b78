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


def test_printing_from_the_dark_theme_gives_black_on_white(visit):
    """Printers get black ink on white paper whatever the reader's screen theme: the
    lead, the meta line and the body, and no generated cover (it only repeats the title)."""
    seen = visit("/ia-ouverte-se-referme/", dark=True)
    seen.page.emulate_media(media="print", color_scheme="dark")
    colours = seen.page.evaluate("""() => {
        const colour = (selector, property) =>
            getComputedStyle(document.querySelector(selector))[property];
        return {background: colour("body", "backgroundColor"),
                lead: colour(".article__header p", "color"),
                body: colour(".prose p", "color"),
                cover: colour(".article__cover", "display")};
    }""")
    assert relative_luminance(parse_rgb(colours["background"])) > 0.95, colours
    for part in ("lead", "body"):
        assert contrast_ratio(colours[part], colours["background"]) >= 12, colours
    assert colours["cover"] == "none", colours


@pytest.mark.parametrize("dark", [False, True])
def test_form_fields_are_outlined_at_3_to_1(visit, dark):
    """WCAG 1.4.11: the edge of a text field is what shows it is one (the header's field
    on the home page, the search page's own field and filter)."""
    page = visit("/", dark=dark).page
    header = page.evaluate("""() => { const field = document.querySelector('#recherche-entete');
        return [getComputedStyle(field).borderTopColor,
                getComputedStyle(field.closest('header')).backgroundColor]; }""")
    assert contrast_ratio(*header) >= 3, header
    page = visit("/recherche/", dark=dark).page
    pairs = page.evaluate("""() => [...document.querySelectorAll(
            '#recherche-entete, #recherche-page, #filtre-rubrique')].map(field => {
        let around = field.parentElement;
        while (getComputedStyle(around).backgroundColor === "rgba(0, 0, 0, 0)")
            around = around.parentElement;
        return {id: field.id, border: getComputedStyle(field).borderTopColor,
                around: getComputedStyle(around).backgroundColor};
    })""")
    assert len(pairs) == 2
    for pair in pairs:
        assert contrast_ratio(pair["border"], pair["around"]) >= 3, pair
