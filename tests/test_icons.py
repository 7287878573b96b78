"""tools/icons.py: the raster icons are the favicon, and the pages point to them."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import ROOT
from tools import icons


def test_committed_icons_are_the_current_favicon():
    """Edit favicon.svg without running tools/icons.py and this fails."""
    drawn = icons.icons(icons.FAVICON.read_text(encoding="utf-8"))
    for name, data in drawn.items():
        assert (icons.ICONS / name).read_bytes() == data, f"{name} : lancez tools/icons.py"


def test_icons_have_their_size_and_the_apple_one_is_opaque():
    for name, (size, square) in icons.SIZES.items():
        image = Image.open(icons.ICONS / name)
        assert image.size == (size, size), name
        corner = image.convert("RGBA").getpixel((0, 0))
        assert (corner[3] == 255) is square, (name, corner)


def test_an_unknown_svg_element_is_refused():
    with pytest.raises(ValueError, match="path"):
        icons.draw_icon('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
                        '<path d="M0 0h32v32z"/></svg>', 32)


def test_pages_point_to_the_icons_and_the_publisher_logo(site):
    home = site.html("/")
    touch = home.css_first('link[rel="apple-touch-icon"]').attributes["href"]
    assert site.exists(urlsplit(touch).path), touch
    article = site.html("/ia-ouverte-se-referme/")
    blocks = [json.loads(node.text()) for node in article.css('script[type="application/ld+json"]')]
    nodes = [node for block in blocks for node in block.get("@graph", [block])]
    logos = [node["publisher"]["logo"]["url"] for node in nodes if "publisher" in node]
    assert logos and all(logo.endswith("/theme/icons/icon-512.png") for logo in logos)
    assert (ROOT / "theme" / "static" / "icons" / "icon-512.png").is_file()
