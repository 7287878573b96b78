"""Search as a reader uses it: the header field, the results page, a click on a result."""

import pytest
from playwright.sync_api import expect

from browser.conftest import ROOT

pytestmark = pytest.mark.browser

WORD = "agrivoltaïsme"
ARTICLE = "/agrivoltaisme/"


@pytest.fixture
def search_feature(site, request):
    """Expected failure only while the Pagefind index or the search script is not in the tree."""
    missing = [what for what, present in (
        ("index Pagefind (output/pagefind/)", (site.output / "pagefind").is_dir()),
        ("theme/static/js/search.js", (ROOT / "theme" / "static" / "js" / "search.js").is_file()),
    ) if not present]
    if missing:
        request.applymarker(pytest.mark.xfail(
            strict=False, reason="recherche pas encore livrée : " + ", ".join(missing)))


def test_search_from_header_finds_and_opens_the_article(visit, served, search_feature):
    seen = visit("/", width=360, height=740, mobile=True)
    page = seen.page
    page.fill("#recherche-entete", WORD)
    page.press("#recherche-entete", "Enter")
    page.wait_for_url("**/recherche/?q=*")
    result = page.locator(f'#recherche a[href$="{ARTICLE}"]').first
    result.wait_for(state="visible", timeout=10_000)
    result.click()
    page.wait_for_url(served.url(ARTICLE))
    assert WORD.split("ï")[0] in page.locator("h1").inner_text().lower()


def test_search_page_updates_results_while_typing(visit, search_feature):
    page = visit("/recherche/").page
    field = page.locator('#recherche input[type="search"], main input[type="search"]').first
    field.fill("")
    field.type(WORD, delay=20)
    page.locator(f'#recherche a[href$="{ARTICLE}"]').first.wait_for(state="visible", timeout=10_000)


def test_no_result_offers_other_ways_into_the_blog(visit, search_feature):
    page = visit("/recherche/?q=zzqxwv").page
    hint = page.locator("[data-search-hint]")
    hint.wait_for(state="visible", timeout=10_000)
    assert "Aucun résultat" in page.locator("[data-search-status]").inner_text()
    targets = {link.get_attribute("href") for link in hint.locator("a").all()}
    assert targets == {"/etiquettes/", "/categories/", "/"}, targets
    page.fill("#recherche-page", WORD)
    page.locator(f'#recherche a[href$="{ARTICLE}"]').first.wait_for(state="visible", timeout=10_000)
    assert hint.is_hidden()


def test_an_excerpt_cut_mid_sentence_says_so(visit, search_feature):
    page = visit(f"/recherche/?q={WORD}").page
    excerpt = page.locator(".search-result__excerpt").first
    excerpt.wait_for(state="visible", timeout=10_000)
    text = excerpt.inner_text().strip()
    assert text[-1] in ".!?…»\"”)", text
    assert not text[0].islower(), text


def test_more_results_moves_focus_to_the_first_new_one(visit, search_feature):
    """The button hides itself once pressed: focus must not fall back to the page's start."""
    page = visit("/recherche/?q=la").page
    more = page.locator("[data-search-more]")
    more.wait_for(state="visible", timeout=10_000)
    assert page.locator(".search-result").count() == 10
    more.focus()
    page.keyboard.press("Enter")
    page.locator(".search-result").nth(10).wait_for(timeout=10_000)
    focused = page.evaluate("""() => {
        const link = document.activeElement, items = [...document.querySelectorAll('.search-result')];
        return link.tagName + ':' + items.indexOf(link.closest('.search-result'));
    }""")
    assert focused == "A:10"


def test_arriving_with_a_query_focuses_the_field_and_announces_once(visit, search_feature):
    page = visit(f"/recherche/?q={WORD}").page
    live = page.locator("[data-search-live]")
    expect(live).to_contain_text(WORD, timeout=10_000)
    assert page.evaluate("document.activeElement.id") == "recherche-page"
    # Typing announces nothing until the reader pauses.
    page.locator("#recherche-page").fill("")
    page.locator("#recherche-page").type("batteries", delay=30)
    page.wait_for_timeout(400)
    assert "batteries" not in live.inner_text()
    expect(live).to_contain_text("batteries", timeout=10_000)


def test_a_phone_arriving_with_a_query_does_not_get_the_keyboard(visit, search_feature):
    """Focus on a touch screen would open the keyboard over the results."""
    page = visit(f"/recherche/?q={WORD}", width=360, height=740, mobile=True).page
    page.locator(f'#recherche a[href$="{ARTICLE}"]').first.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.activeElement.id") != "recherche-page"
