"""Raster icons drawn from ``theme/static/favicon.svg``: the one drawing of the site's mark.

Why: browsers take the SVG favicon, but an iPhone's home screen wants a PNG
(``apple-touch-icon``, 180 px), and search engines want a raster logo for the publisher
of an article (schema.org ``publisher.logo``, ≥ 112 px). The favicon is made of
rectangles (rounded or not) and circles only, so they are drawn here with Pillow, four
times larger then reduced (smooth edges), rather than through an SVG library.

    .venv/bin/python tools/icons.py          # writes theme/static/icons/*.png

``tests/test_icons.py`` checks that the committed PNGs are what this script draws from
the current favicon (edit the SVG, run the script, commit both).
"""

from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
FAVICON = ROOT / "theme" / "static" / "favicon.svg"
ICONS = ROOT / "theme" / "static" / "icons"
# name: (size, square corners) — iOS rounds the home-screen icon itself, and paints
# transparent corners black: the apple-touch-icon is a full square.
SIZES = {"apple-touch-icon.png": (180, True), "icon-192.png": (192, False),
         "icon-512.png": (512, False)}
OVERSAMPLING = 4
SVG = "{http://www.w3.org/2000/svg}"


def number(element, name: str, default: float = 0.0) -> float:
    return float(element.get(name, default))


def draw_icon(svg_text: str, size: int, square: bool = False) -> Image.Image:
    """The SVG's rects and circles on a transparent square of `size` pixels; `square`:
    no rounded corners."""
    root = ElementTree.fromstring(svg_text)
    _, _, width, _ = (float(part) for part in root.get("viewBox").split())
    big = size * OVERSAMPLING
    scale = big / width
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for element in root.iter():
        fill = element.get("fill")
        if element.tag == f"{SVG}rect":
            x, y = number(element, "x") * scale, number(element, "y") * scale
            box = (x, y, x + number(element, "width") * scale - 1,
                   y + number(element, "height") * scale - 1)
            radius = 0 if square else number(element, "rx") * scale
            draw.rounded_rectangle(box, radius=radius, fill=fill)
        elif element.tag == f"{SVG}circle":
            cx, cy = number(element, "cx") * scale, number(element, "cy") * scale
            r = number(element, "r") * scale
            draw.ellipse((cx - r, cy - r, cx + r - 1, cy + r - 1), fill=fill)
        elif element.tag not in (f"{SVG}svg",):
            raise ValueError(f"favicon.svg : élément {element.tag} non pris en charge "
                             "(rect et circle seulement)")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    """PNG without metadata (no date): the same drawing gives the same bytes."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def icons(svg_text: str) -> dict[str, bytes]:
    return {name: png_bytes(draw_icon(svg_text, size, square))
            for name, (size, square) in SIZES.items()}


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, data in icons(FAVICON.read_text(encoding="utf-8")).items():
        (ICONS / name).write_bytes(data)
        print(f"{(ICONS / name).relative_to(ROOT)} ({len(data)} octets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
