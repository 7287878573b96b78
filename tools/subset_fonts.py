"""Make the theme's web font: Inter, French subset, weights 400–800, one WOFF2 file.

Why: the full variable Inter is 352 KB; an article page must weigh under 100 KB with its
fonts. French needs Latin-1, œ/Œ/Ÿ, typographic quotes, dashes, ellipsis, € and the narrow
no-break space (U+202F); the optical-size axis is pinned at its default, the weight axis is
kept from 400 to 800. Source: tools/fonts/InterVariable.woff2 (Inter 4.1, npm inter-ui 4.1.1).
Run again after replacing it:

    .venv/bin/python tools/subset_fonts.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fonts" / "InterVariable.woff2"
TARGET = HERE.parent / "theme" / "static" / "fonts" / "inter-fr.woff2"
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0152-0153,U+0178,U+02C6,U+02DA,U+02DC,U+2009-200A,"
    "U+2010-2014,U+2018-201E,U+2022,U+2026,U+202F,U+2039-203A,U+20AC,U+2122,"
    "U+2190-2193,U+2212"
)
FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "tnum", "case"]


def main() -> None:
    options = subset.Options()
    options.flavor = None
    options.layout_features = FEATURES
    font = TTFont(SOURCE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    font = instancer.instantiateVariableFont(font, {"opsz": None, "wght": (400, 800)})
    font.flavor = "woff2"
    font.save(TARGET)
    print(f"{TARGET.name}: {TARGET.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
