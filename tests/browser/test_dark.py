"""`prefers-color-scheme: dark` switches the palette and keeps body text readable."""

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from browser.pagetools import PALETTE, contrast_ratio, relative_luminance, parse_rgb

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


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


# --- The reader's choice (theme/static/js/theme.js) -------------------------------------
THEME_DARK = yaml.safe_load((ROOT / "theme" / "i18n" / "fr.yaml").read_text("utf-8"))["theme_dark"]
STATE = """() => ({
    background: getComputedStyle(document.body).backgroundColor,
    pressed: document.querySelector('[data-theme-toggle]').getAttribute('aria-pressed'),
    stored: localStorage.getItem('theme')})"""
# Every frame from the first one, as the reader would see it: hidden, or which background.
FRAMES = """
window.__frames = [];
const record = () => {
  if (document.body) window.__frames.push(getComputedStyle(document.documentElement).visibility === "hidden"
      ? "hidden" : getComputedStyle(document.body).backgroundColor);
  if (window.__frames.length < 30) requestAnimationFrame(record);
};
requestAnimationFrame(record);
"""


def is_dark(colour: str) -> bool:
    return relative_luminance(parse_rgb(colour)) < 0.05


@pytest.mark.parametrize("system_dark", [False, True])
def test_the_reader_picks_the_other_theme_and_it_holds_from_page_to_page(visit, served, system_dark):
    seen = visit("/", dark=system_dark)
    page = seen.page
    toggle = page.get_by_role("button", name=THEME_DARK)
    expect(toggle).to_be_visible()
    before = page.evaluate(STATE)
    assert is_dark(before["background"]) == system_dark
    assert before["pressed"] == str(system_dark).lower() and before["stored"] is None, before

    toggle.click()
    chosen = page.evaluate(STATE)
    assert is_dark(chosen["background"]) != system_dark, chosen
    assert chosen["pressed"] == str(not system_dark).lower()
    assert chosen["stored"] == ("light" if system_dark else "dark")

    # The next page is in the chosen theme from its first frame.
    seen.context.add_init_script(FRAMES)
    page.goto(served.url("/ia-ouverte-se-referme/"))
    page.wait_for_function("() => window.__frames.length >= 5")
    frames = page.evaluate("window.__frames")
    assert all(frame == "hidden" or is_dark(frame) != system_dark for frame in frames), frames
    assert page.evaluate(STATE) == chosen

    # Choosing the system's theme again is following the system again.
    page.get_by_role("button", name=THEME_DARK).click()
    back = page.evaluate(STATE)
    assert is_dark(back["background"]) == system_dark and back["stored"] is None, back


def test_a_slow_dark_sheet_holds_the_page_rather_than_flash_it_light(visit, served):
    """On a light system the dark sheet does not block rendering; when the reader chose
    dark and the sheet is late (a stale cache), the page waits for it, hidden, as it
    would for any stylesheet, instead of showing itself light first."""
    seen = visit("/", dark=False)
    seen.page.get_by_role("button", name=THEME_DARK).click()
    released = []

    def late(route):
        released.append(route)  # answered once the page has drawn some frames

    seen.context.route("**/css/dark.css", late)
    seen.context.add_init_script(FRAMES)
    page = seen.page
    page.goto(served.url("/etiquettes/"), wait_until="domcontentloaded")
    page.wait_for_function("() => window.__frames.length >= 5")
    assert set(page.evaluate("window.__frames")) == {"hidden"}
    released[0].continue_()
    page.wait_for_function("() => getComputedStyle(document.documentElement).visibility === 'visible'")
    assert is_dark(page.evaluate(STATE)["background"])


def test_without_javascript_no_button_and_the_system_decides(browser, served):
    for system in ("light", "dark"):
        context = browser.new_context(java_script_enabled=False, color_scheme=system)
        page = context.new_page()
        page.goto(served.url("/"))
        assert page.locator("[data-theme-toggle]").is_hidden()
        colour = page.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")
        assert is_dark(colour) == (system == "dark"), (system, colour)
        context.close()


def test_storage_refused_the_button_still_works_for_the_page(visit, served):
    seen = visit("/", dark=False)
    seen.context.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('refusé', 'SecurityError'); }});""")
    page = seen.page
    page.reload()
    page.get_by_role("button", name=THEME_DARK).click()
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert is_dark(colour)
