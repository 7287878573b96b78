"""Covers: the <picture> serves WebP, and nothing moves while images arrive (CLS)."""

import pytest

from browser.pagetools import CUMULATIVE_LAYOUT_SHIFT

pytestmark = pytest.mark.browser

ARTICLE = "/ia-ouverte-se-referme/"
MAX_LAYOUT_SHIFT = 0.01  # "good" is 0.1 for Google; a text site can hold still
IMAGE_DELAY_S = 0.5


@pytest.fixture
def covers_feature(site, request):
    """Expected failure only while article pages carry no <picture> (covers not landed)."""
    if "<picture" not in site.text(ARTICLE):
        request.applymarker(pytest.mark.xfail(
            strict=False, reason="couvertures <picture> pas encore dans le thème"))


def test_cover_picture_loads_the_webp(visit, covers_feature):
    seen = visit(ARTICLE)
    image = seen.page.locator(".article__cover picture img")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.currentSrc").endswith(".webp")
    webp = [request for request in seen.requests if request.url.endswith(".webp")]
    assert webp and webp[0].response().status == 200
    assert webp[0].response().header_value("content-type") == "image/webp"


@pytest.fixture
def slow_images(served):
    served.slow_images(IMAGE_DELAY_S)
    yield
    served.slow_images(0)


def scroll_through(page) -> None:
    """Scroll to the bottom in screenfuls so lazy images load, then let them settle."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")


def layout_shift(visit, path: str, width: int, settle_ms: int = 0) -> dict:
    """The page's cumulative layout shift, from its first bytes to a scroll through it."""
    seen = visit(path, width=width, height=740, mobile=width < 600, wait_until="commit")
    seen.page.wait_for_load_state("domcontentloaded")
    scroll_through(seen.page)
    seen.page.wait_for_timeout(settle_ms)
    return seen.page.evaluate(CUMULATIVE_LAYOUT_SHIFT)


@pytest.mark.parametrize("path", ["/", ARTICLE])
@pytest.mark.parametrize("width", [360, 1280])
def test_layout_does_not_shift_while_images_load(visit, slow_images, path, width):
    shift = layout_shift(visit, path, width)
    assert shift["total"] <= MAX_LAYOUT_SHIFT, shift


@pytest.fixture
def slow_font(served):
    served.slow_fonts(IMAGE_DELAY_S)
    yield
    served.slow_fonts(0)


@pytest.mark.parametrize("path", ["/", ARTICLE])
@pytest.mark.parametrize("width", [360, 1280])
def test_layout_does_not_shift_when_the_web_font_arrives_late(visit, slow_font, path, width):
    """On a slow connection the page may be painted before Inter arrives: the text must
    not reflow when it does (a CI run under load saw cards and the search form move)."""
    shift = layout_shift(visit, path, width, settle_ms=int(IMAGE_DELAY_S * 1000) + 200)
    assert shift["total"] <= MAX_LAYOUT_SHIFT, shift


@pytest.mark.parametrize("width", [1024, 1280, 1600])
def test_featured_cover_fills_its_card(visit, width):
    """On wide screens the « À la une » card puts text beside its cover: the cover must
    take the card's whole height, not float in a blank band above and below it."""
    seen = visit("/", width=width)
    card = seen.page.locator(".card--featured").bounding_box()
    media = seen.page.locator(".card--featured .card__media img").bounding_box()
    assert abs(media["height"] - (card["height"] - 2)) <= 1.5, (card, media)  # 1 px borders
    assert media["width"] > card["width"] / 2, (card, media)
