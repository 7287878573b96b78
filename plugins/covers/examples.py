"""Render the example covers shown in README.md (``docs/covers/*.png``).

Why a script: the pictures in the documentation should be what the plugin
really draws today, so they are regenerated rather than edited by hand::

    cd plugins && ../.venv/bin/python -m covers.examples ../docs/covers
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from . import drawing
from . import palette as pal
from .covers import _REPO_FONTS

TREE = {
    "Technologies et Avenirs": ["Intelligence Artificielle", "Cybersécurité", "Informatique quantique"],
    "Énergie et Climat": ["Énergies renouvelables", "Nucléaire"],
    "Mobilité": ["Véhicules électriques", "Transports urbains"],
    "Économie numérique": ["Startups", "Régulation"],
}


def examples():
    title_font = str(_REPO_FONTS / "InterDisplay-Bold.ttf")
    ui_font = str(_REPO_FONTS / "Inter-SemiBold.ttf")

    def article(title, category, date, seed):
        return drawing.CoverSpec(
            title=title,
            label=category,
            footer=date,
            sitename="Le Blog",
            palette=pal.category_palette(category, TREE, {}),
            seed=seed,
            title_font=title_font,
            ui_font=ui_font,
        )

    yield "court", article("L’Europe régule l’IA", "Régulation", "1er août 2025", "europe-regule-ia")
    yield "long", article(
        "Éoliennes en mer\u00a0: à Saint-Nazaire, l’été où «\u202fla filière\u202f» a enfin pris le large, "
        "et ce que ça change pour nos factures d’électricité",
        "Énergies renouvelables",
        "23 octobre 2025",
        "eoliennes-saint-nazaire",
    )
    yield "carte-accueil", drawing.CoverSpec(
        title="Le Blog",
        label="",
        footer="leblog.fr",
        sitename="",
        palette=pal.make_palette(pal.DEFAULT_SITE_COLOR),
        seed="card:accueil",
        title_font=title_font,
        ui_font=ui_font,
        subtitle="\u00a0· ".join(name.replace(" ", "\u00a0") for name in TREE),
        stripe=tuple(pal.DEFAULT_CATEGORY_COLORS.values()),
        max_size=120,
    )


def main(argv=None) -> None:
    target = Path((argv or sys.argv[1:] or ["docs/covers"])[0])
    target.mkdir(parents=True, exist_ok=True)
    for name, spec in examples():
        image = drawing.render_cover(spec).image
        # 256 colours keep the README light; the covers themselves are JPEG/WebP.
        palette = image.quantize(256, method=Image.Quantize.FASTOCTREE)
        image.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(target / f"{name}.png", optimize=True)
        print(target / f"{name}.png")


if __name__ == "__main__":
    main()
