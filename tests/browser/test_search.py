"""Search as a reader uses it: the header field, the results page, a click on a result."""

import pytest

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
