"""Weight and scripts of an article page, measured on the wire in Chromium."""

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "/ia-ouverte-se-referme/"
BUDGET_BYTES = 100 * 1024
ALLOWED_SCRIPT_FOLDERS = ("/theme/js/", "/pagefind/")


def transferred_bytes(request) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def test_article_page_is_under_100_kb_without_images(visit):
    seen = visit(ARTICLE)
    seen.page.wait_for_load_state("networkidle")
    counted = {request.url: transferred_bytes(request) for request in seen.requests
               if request.resource_type != "image" and request.response() is not None}
    total = sum(counted.values())
    detail = "\n".join(f"{size:>8} {url}" for url, size in sorted(counted.items(), key=lambda kv: -kv[1]))
    assert total < BUDGET_BYTES, f"{total} octets ≥ {BUDGET_BYTES} :\n{detail}"
    assert any(url.endswith(".css") for url in counted), "aucune feuille de style mesurée"


def test_article_scripts_are_few_local_and_deferred(visit, served):
    seen = visit(ARTICLE)
    scripts = seen.page.evaluate("""() => [...document.scripts].map(s => ({
        src: s.src, defer: s.defer, type: s.type, module: s.type === 'module'}))""")
    executable = [s for s in scripts if s["type"] not in ("application/ld+json",)]
    for script in executable:
        assert script["src"], f"script en ligne : {script}"
        assert script["src"].startswith(served.base), script
        path = script["src"][len(served.base):]
        assert path.startswith(ALLOWED_SCRIPT_FOLDERS), script
        # theme.js applies the reader's theme before the first paint (tests/test_seo.py).
        assert script["defer"] or script["module"] or path.endswith("js/theme.js"), f"sans defer : {script}"
    assert len(executable) <= 2, executable
