"""Colours for covers: category palettes and WCAG contrast arithmetic.

Why a module of its own: the palette is shared by the drawing code (which must
stay importable in worker processes without Pelican) and by the tests, which
check contrast with the same formulas the renderer uses to enforce it.

Each parent category has one colour (``CATEGORY_COLORS``); its children get
shades of it, so a reader learns to recognise a section by its hue while the
sub-sections stay distinguishable. Any other name gets a neutral slate.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

#: Deep, saturated colours that carry white text well (contrast ≥ 7:1 each).
DEFAULT_CATEGORY_COLORS = {
    "Technologies et Avenirs": "#1f3a8a",
    "Énergie et Climat": "#0b5c45",
    "Mobilité": "#9a3412",
    "Économie numérique": "#5b21b6",
}
#: Home page, tag pages and static pages: not tied to one section.
DEFAULT_SITE_COLOR = "#172033"
#: Category that is neither a parent nor a known child.
NEUTRAL_COLOR = "#334155"

WHITE = (255, 255, 255)
#: Minimum contrast for every text we draw (WCAG 2 AA, normal text).
MIN_CONTRAST = 4.5
#: Backgrounds are kept above this so the motif has room to lighten them.
BACKGROUND_CONTRAST = 6.5

# (lightness delta, hue delta in degrees) for the 1st, 2nd… child of a parent.
_CHILD_SHADES = [(-0.07, 7), (0.06, -7), (-0.12, -12), (0.1, 12), (-0.03, 18), (0.03, -18)]


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """``"#1f3a8a"`` or ``"1f3a8a"`` or ``"#fff"`` to an RGB tuple."""
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"couleur invalide : {value!r} (attendu #rrggbb)")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def rgb_to_hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(c)) for c in rgb[:3]))


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 = black, 1 = white)."""
    r, g, b = (_linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio between two sRGB colours, from 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(a, b, t: float) -> tuple[int, int, int]:
    """Blend colour ``a`` towards ``b`` by ``t`` (0 → a, 1 → b)."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a[:3], b[:3]))


def _hls_shift(rgb, dl: float = 0.0, dh: float = 0.0, ds: float = 0.0):
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    h = (h + dh / 360) % 1.0
    l = min(max(l + dl, 0.0), 1.0)
    s = min(max(s + ds, 0.0), 1.0)
    return tuple(int(round(c * 255)) for c in colorsys.hls_to_rgb(h, l, s))


def darken_until(rgb, against=WHITE, minimum: float = BACKGROUND_CONTRAST):
    """Lower lightness until ``against`` reaches ``minimum`` contrast on it."""
    for _ in range(100):
        if contrast_ratio(rgb, against) >= minimum:
            break
        rgb = _hls_shift(rgb, dl=-0.01)
    return rgb


@dataclass(frozen=True)
class Palette:
    """Everything the renderer paints with; plain hex strings so it pickles
    cheaply to worker processes and serialises into the cache key."""

    base: str  # main background colour
    deep: str  # darker end of the background gradient
    motif: str  # lines and dots of the generative motif
    glow: str  # soft light behind the title
    pill: str  # category label background
    pill_text: str  # category label text
    text: str = "#ffffff"

    def as_tuple(self):
        return (self.base, self.deep, self.motif, self.glow, self.pill, self.pill_text, self.text)


def make_palette(color: str) -> Palette:
    """Derive a full palette from one colour, contrast-safe for white text."""
    base = darken_until(hex_to_rgb(color))
    deep = _hls_shift(base, dl=-0.11, dh=-6, ds=0.05)
    motif = _hls_shift(mix(base, WHITE, 0.45), ds=0.15)
    glow = _hls_shift(base, dl=-0.05)
    pill = mix(base, WHITE, 0.9)
    pill_text = darken_until(_hls_shift(base, dl=-0.04), against=pill, minimum=7.0)
    return Palette(
        base=rgb_to_hex(base),
        deep=rgb_to_hex(deep),
        motif=rgb_to_hex(motif),
        glow=rgb_to_hex(glow),
        pill=rgb_to_hex(pill),
        pill_text=rgb_to_hex(pill_text),
    )


def category_color(name: str | None, tree: dict, colors: dict) -> str:
    """The colour of a category: its own if it is a parent, a shade of its
    parent's if it is a child, the neutral colour otherwise."""
    colors = {**DEFAULT_CATEGORY_COLORS, **(colors or {})}
    if not name:
        return NEUTRAL_COLOR
    folded = {k.casefold(): k for k in colors}
    if name.casefold() in folded:
        return colors[folded[name.casefold()]]
    for parent, children in (tree or {}).items():
        for index, child in enumerate(children or ()):
            if child.casefold() == name.casefold():
                parent_color = colors.get(parent)
                if parent_color is None:
                    return NEUTRAL_COLOR
                dl, dh = _CHILD_SHADES[index % len(_CHILD_SHADES)]
                return rgb_to_hex(_hls_shift(hex_to_rgb(parent_color), dl=dl, dh=dh))
    return NEUTRAL_COLOR


def category_palette(name: str | None, tree: dict, colors: dict) -> Palette:
    return make_palette(category_color(name, tree, colors))
