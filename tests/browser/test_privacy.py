"""Privacy and security of every page: a strict CSP, a referrer policy, no cookies, no tracker."""

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                          "strict-origin-when-cross-origin"}
TRACKERS = re.compile(r"google-analytics|googletagmanager|gtag\(|matomo|plausible|_paq\b"
                      r"|facebook\.net|hotjar|segment\.io|doubleclick", re.IGNORECASE)
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def csp_directives(content: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src data:' → {'default-src': ["'self'"], 'img-src': ['data:']}"""
    directives = {}
    for part in content.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


@pytest.fixture(scope="module")
def pages(site):
    return [(path.relative_to(site.output).as_posix(),
             LexborHTMLParser(path.read_text(encoding="utf-8")), path.read_text(encoding="utf-8"))
            for path in site.html_pages()]


def test_every_page_has_a_strict_content_security_policy(pages):
    for name, tree, _ in pages:
        metas = tree.css('meta[http-equiv="Content-Security-Policy"]')
        assert len(metas) == 1, name
        directives = csp_directives(metas[0].attributes["content"])
        scripts = directives.get("script-src", directives.get("default-src"))
        assert scripts and set(scripts) <= {"'self'", "'wasm-unsafe-eval'"}, (name, scripts)
        assert directives.get("default-src") == ["'self'"], name
        assert directives.get("object-src") == ["'none'"], name
        for sources in directives.values():
            assert not any(re.match(r"https?:|\*$", source) for source in sources), (name, sources)


def fetches_something(node) -> bool:
    """Elements of <head> that make the browser load or run something."""
    if node.tag == "link":
        return node.attributes.get("rel") not in ("canonical", "alternate", "prev", "next")
    if node.tag == "script":
        return node.attributes.get("type") not in DATA_SCRIPT_TYPES
    return node.tag in ("style", "base")


def test_csp_comes_before_any_resource(pages):
    """A policy in <meta> only covers what the parser meets after it."""
    for name, tree, _ in pages:
        head = list(tree.head.iter())
        csp = next(i for i, node in enumerate(head)
                   if node.attributes.get("http-equiv") == "Content-Security-Policy")
        first_fetch = next((i for i, node in enumerate(head) if fetches_something(node)), len(head))
        assert csp < first_fetch, name


def test_no_inline_script_style_or_handler(pages):
    for name, tree, _ in pages:
        for script in tree.css("script"):
            if script.attributes.get("type") in DATA_SCRIPT_TYPES:
                continue
            assert script.attributes.get("src"), f"{name}: script en ligne"
        assert not tree.css("style"), f"{name}: <style> en ligne"
        assert not tree.css("[style]"), f"{name}: attribut style"
        for node in tree.body.traverse():
            handlers = [key for key in node.attributes if key.lower().startswith("on")]
            assert not handlers, f"{name}: {node.tag} {handlers}"


def test_referrer_policy_and_no_tracker(pages):
    for name, tree, text in pages:
        referrer = tree.css_first('meta[name="referrer"]')
        assert referrer is not None, name
        assert referrer.attributes["content"] in SAFE_REFERRER_POLICIES, name
        assert not TRACKERS.search(text), f"{name}: {TRACKERS.search(text).group()}"


@pytest.mark.browser
def test_no_cookie_is_set(visit, served):
    seen = visit("/")
    for path in ("/ia-ouverte-se-referme/", "/recherche/?q=test", "/etiquettes/"):
        seen.page.goto(served.url(path))
    assert seen.page.evaluate("document.cookie") == ""
    assert seen.context.cookies() == []
    assert seen.page.evaluate("localStorage.length") == 0
