"""Tests of the covers plugin: glyphs, layout, determinism, contrast, cache,
writer-supplied images and a whole Pelican build.

Run: ``.venv/bin/python -m pytest tests/test_covers.py -q``
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import io
import logging
import multiprocessing
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent

from conftest import PLUGINS  # noqa: E402
from conftest import build_site as run_pelican  # noqa: E402
from conftest import write_article  # noqa: E402
from covers import batch  # noqa: E402
from covers import covers as cov  # noqa: E402
from covers import drawing  # noqa: E402
from covers import palette as pal  # noqa: E402

# The small WebP beside each cover (file suffix and pixel size).
SMALL_SUFFIX = f"-{drawing.SMALL_WIDTH}.webp"
SMALL_SIZE = (drawing.SMALL_WIDTH, round(drawing.HEIGHT * drawing.SMALL_WIDTH / drawing.WIDTH))

FONTS = ROOT / "plugins" / "covers" / "fonts"
TITLE_FONT = str(FONTS / "InterDisplay-Bold.ttf")
UI_FONT = str(FONTS / "Inter-SemiBold.ttf")
SITE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "covers_site"

#: Every character French titles need, including both no-break spaces.
FRENCH = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’‘“”…–—€\u202f\u00a0"

TREE = {
    "Technologies et Avenirs": ["Intelligence Artificielle", "Cybersécurité", "Informatique quantique"],
    "Énergie et Climat": ["Énergies renouvelables", "Nucléaire"],
    "Mobilité": ["Véhicules électriques", "Transports urbains"],
    "Économie numérique": ["Startups", "Régulation"],
}

LONG_TITLE = (
    "Rançongiciels\u00a0: pourquoi les hôpitaux français, les collectivités et les PME "
    "sont-ils devenus les cibles «\u202fprivilégiées\u202f» des cybercriminels, et que peuvent-ils "
    "faire, concrètement, dès cette année, face à l’industrialisation des attaques\u202f?"
)


def spec(title, category="Intelligence Artificielle", seed="un-slug", **kw):
    return drawing.CoverSpec(
        title=title,
        label=category,
        footer="23 octobre 2025",
        sitename="Le Blog",
        palette=pal.category_palette(category, TREE, {}),
        seed=seed,
        title_font=TITLE_FONT,
        ui_font=UI_FONT,
        **kw,
    )


# --------------------------------------------------------------------------
# Font and glyphs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TITLE_FONT, UI_FONT])
def test_font_cmap_covers_french(path):
    from fontTools.ttLib import TTFont

    cmap = TTFont(path).getBestCmap()
    missing = [f"U+{ord(c):04X} {c!r}" for c in FRENCH if ord(c) not in cmap]
    assert not missing, f"{Path(path).name} n’a pas : {missing}"
    # Our dependency-free cmap reader agrees with fontTools.
    assert drawing.font_codepoints(path) == frozenset(cmap)


def test_font_licence_is_committed():
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence.upper()


@pytest.mark.parametrize("path", [TITLE_FONT, UI_FONT])
def test_french_glyphs_are_not_tofu(path):
    """Each visible French character draws something other than .notdef."""
    f = drawing.font(path, 64)

    def glyph(ch):
        im = Image.new("L", (160, 160))
        ImageDraw.Draw(im).text((30, 110), ch, font=f, fill=255, anchor="ls")
        return im.tobytes()

    notdef = glyph("\U0010fffd")
    for ch in FRENCH:
        if ch in "\u202f\u00a0":
            assert 0 < f.getlength(ch) < f.getlength("M"), repr(ch)
            continue
        assert glyph(ch) != notdef, f"{ch!r} est dessiné comme une boîte vide"


def test_titles_with_every_french_character_render_whole():
    titles = [
        "Œuvres et «\u202fdonnées\u202f» : l’Été où À, É, Ç changèrent tout…",
        "Ça bouge\u202f! Où va l’IA\u00a0? Ÿ, œ, æ, ê, ë, î, ï, ô, ö, û, ü, ù, â, ä, è",
        "« Guillemets » – tirets — et 1\u202f000\u00a0€ d’économies",
    ]
    cmap = drawing.font_codepoints(TITLE_FONT)
    for title in titles:
        # Nothing is dropped or replaced…
        assert drawing.drawable_text(title, cmap) == re.sub(" +", " ", title)
        # …and every line of the rendered layout is made of font glyphs only.
        rendered = drawing.render_cover(spec(title))
        for line in rendered.layout.lines:
            assert all(ord(c) in cmap for c in line), line


def test_characters_missing_from_the_font_are_replaced_not_boxed():
    cmap = drawing.font_codepoints(TITLE_FONT)
    text = drawing.drawable_text("IA 🤖 et ﬁnance\u2009!", cmap)
    assert "🤖" not in text
    assert all(ord(c) in cmap for c in text)
    assert "finance" in text or "ﬁnance" in text


# --------------------------------------------------------------------------
# Layout: wrapping, shrinking, balance
# --------------------------------------------------------------------------


def test_a_long_title_takes_more_lines_rather_than_losing_its_end():
    title = LONG_TITLE[:200]
    assert len(title) == 200
    four_lines = drawing.layout_title(title, TITLE_FONT, overflow=None)
    assert four_lines.truncated  # what four lines at the smallest size would do
    layout = drawing.layout_title(title, TITLE_FONT)
    assert not layout.truncated
    assert drawing.MAX_LINES < len(layout.lines) <= drawing.LONG_TITLE_LINES
    assert drawing.LONG_TITLE_MIN_SIZE <= layout.size <= drawing.MIN_TITLE_SIZE
    assert " ".join(layout.lines).split() == title.split()
    f = drawing.font(TITLE_FONT, layout.size)
    assert all(f.getlength(line) <= drawing.SAFE_WIDTH for line in layout.lines)
    assert len(layout.lines) * layout.line_height <= drawing.TITLE_BOTTOM - drawing.TITLE_TOP


def test_a_title_too_long_even_for_six_lines_shrinks_wraps_and_ellipsises():
    title = LONG_TITLE + " " + LONG_TITLE
    layout = drawing.layout_title(title, TITLE_FONT)
    assert layout.size == drawing.LONG_TITLE_MIN_SIZE
    assert 1 < len(layout.lines) <= drawing.LONG_TITLE_LINES
    assert layout.truncated and layout.lines[-1].endswith("…")
    f = drawing.font(TITLE_FONT, layout.size)
    assert all(f.getlength(line) <= drawing.SAFE_WIDTH for line in layout.lines)
    # The ellipsis never follows a dangling article or opening guillemet.
    last_word = layout.lines[-1][:-1].split(" ")[-1]
    assert not drawing._is_weak(last_word) and not last_word.endswith("«")


def test_longer_titles_get_smaller_type():
    sizes = [
        drawing.layout_title(t, TITLE_FONT).size
        for t in ("Qubits", "L’éolien en mer, enfin", "Meta passe-t-il de l’open source à l’IA fermée\u00a0?", LONG_TITLE[:110],
                  LONG_TITLE[:150], LONG_TITLE[:200])
    ]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > drawing.MAX_TITLE_SIZE and sizes[-1] < sizes[1] <= drawing.MAX_TITLE_SIZE


@pytest.mark.parametrize("title", ["IA", "SMR", "Linux", "quantique", "Cybersécurité", "Vélo-cargo"])
def test_a_short_title_is_set_as_large_as_one_line_allows(title):
    """A tag or a one-word title fills its card: one line, the largest size (by 2 px) at
    which it stays in the safe column, up to SHORT_TITLE_SIZE."""
    layout = drawing.layout_title(title, TITLE_FONT)
    assert layout.lines == (title,)
    width = drawing.font(TITLE_FONT, layout.size).getlength(title)
    assert width <= drawing.SAFE_WIDTH
    if layout.size < drawing.SHORT_TITLE_SIZE:
        assert drawing.font(TITLE_FONT, layout.size + 2).getlength(title) > drawing.SAFE_WIDTH
    assert layout.size >= drawing.MAX_TITLE_SIZE
    # Not for a subtitle, nor past a size the caller set lower for its own reasons.
    assert drawing.layout_title(title, TITLE_FONT, max_size=28, min_size=22, overflow=None).size <= 28


@pytest.mark.parametrize(
    "title",
    [
        "Voitures électriques\u00a0: le grand virage",
        "Meta passe-t-il de l’open source à l’IA fermée\u00a0?",
        "Le nucléaire français face au mur des investissements de la décennie",
        "Pourquoi les batteries sodium-ion intéressent tant les constructeurs européens",
        "L’Europe régule l’IA",
        "Durcir un serveur SSH en dix minutes",
        "Cinq questions sur la souveraineté numérique et le cloud de confiance en France",
    ],
)
def test_lines_are_balanced(title):
    layout = drawing.layout_title(title, TITLE_FONT)
    lines = layout.lines
    assert "".join(lines).replace(" ", "").replace("\u00a0", "") == title.replace(" ", "").replace("\u00a0", "")
    if len(lines) > 1:
        last = lines[-1].split(" ")
        # No lone short word on the last line.
        assert not (len(last) == 1 and len(last[0]) <= 7), lines
        f = drawing.font(TITLE_FONT, layout.size)
        widths = [f.getlength(line) for line in lines]
        assert min(widths) >= 0.35 * max(widths), lines
    for line in lines:
        # Punctuation stays with its word; lines do not end on an article.
        assert not re.match(r"^[:;!?»]", line), lines
        assert not line.endswith("«"), lines
    for line in lines[:-1]:
        assert line.split(" ")[-1].casefold() not in {"le", "la", "les", "de", "des", "du", "un", "une", "à"}, lines


def test_long_category_label_stays_in_the_safe_column():
    label = "ÉNERGIES RENOUVELABLES, STOCKAGE ET RÉSEAUX ÉLECTRIQUES INTELLIGENTS EN EUROPE"
    fitted, size = drawing._fit_label(label, UI_FONT, drawing.SAFE_WIDTH - 44, 1.6)
    assert fitted.endswith("…") and size >= 16
    assert fitted.removesuffix("…") in label and not fitted.removesuffix("…").endswith(" ")
    assert drawing._tracked_width(fitted, UI_FONT, size, 1.6) <= drawing.SAFE_WIDTH - 44
    assert drawing._fit_label("RÉGULATION", UI_FONT, drawing.SAFE_WIDTH - 44, 1.6) == ("RÉGULATION", 21)


def test_writer_typed_plain_spaces_before_punctuation_still_glue():
    words = drawing.title_words("L’éolien en mer : où en est la France ? « Oui »")
    assert "mer\u00a0:" in words and "France\u00a0?" in words
    assert "«\u00a0Oui\u00a0»" in words


# --------------------------------------------------------------------------
# Determinism, contrast
# --------------------------------------------------------------------------


def _job(tmp_path, name, s):
    paths = {k: str(tmp_path / f"{name}{suffix}") for k, suffix in (("jpg", ".jpg"), ("webp", ".webp"), ("webp_small", "-s.webp"))}
    return ("k", paths, s, drawing.Encoding())


def _read_all(job):
    return {k: Path(p).read_bytes() for k, p in job[1].items()}


def test_same_inputs_same_bytes_in_process_and_in_workers(tmp_path):
    s = spec("Meta passe-t-il de l’open source à l’IA fermée\u00a0?", seed="meta")
    a, b, c = (_job(tmp_path, n, s) for n in "abc")
    drawing.run_job(a)
    drawing.run_job(b)
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        pool.submit(drawing.run_job, c).result()
    first = _read_all(a)
    assert first == _read_all(b) == _read_all(c)
    # …and a different slug gives a different picture.
    d = _job(tmp_path, "d", spec(s.title, seed="autre-slug"))
    drawing.run_job(d)
    assert _read_all(d)["jpg"] != first["jpg"]


def test_a_job_writes_only_the_encodings_it_names(tmp_path):
    """A share card asks for the JPEG alone: no WebP is encoded or written."""
    s = spec("Étiquette : open source", seed="card:etiquette:open-source")
    full = _job(tmp_path, "full", s)
    card = ("k", {"jpg": str(tmp_path / "card.jpg")}, s, drawing.Encoding())
    drawing.run_job(full)
    drawing.run_job(card)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jpg", "full-s.webp", "full.jpg", "full.webp"]
    assert Path(card[1]["jpg"]).read_bytes() == Path(full[1]["jpg"]).read_bytes()


def test_jpeg_optimisation_is_a_setting(tmp_path):
    img = drawing.render_cover(spec("Le solaire et l’éolien en mer", seed="eolien")).image
    plain = drawing.encode(img, drawing.Encoding(), ("jpg",))["jpg"]
    optimised = drawing.encode(img, drawing.Encoding(jpeg_optimize=True), ("jpg",))["jpg"]
    assert len(optimised) < len(plain)
    with Image.open(io.BytesIO(plain)) as a, Image.open(io.BytesIO(optimised)) as b:
        assert a.tobytes() == b.tobytes()  # same pixels: only the Huffman tables differ


def test_outputs_carry_no_metadata(tmp_path):
    job = _job(tmp_path, "m", spec("Sans métadonnées"))
    drawing.run_job(job)
    for path in job[1].values():
        with Image.open(path) as im:
            assert not im.getexif()
            assert "icc_profile" not in im.info and "xmp" not in im.info and "exif" not in im.info


def test_contrast_formula():
    assert pal.contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert pal.contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    "category",
    [c for children in TREE.values() for c in children] + list(TREE) + ["Inconnue", None],
)
def test_every_palette_meets_wcag_aa(category):
    rendered = drawing.render_cover(spec("Un titre assez long pour couvrir le centre de l’image", category=category or ""))
    assert rendered.title_contrast >= pal.MIN_CONTRAST
    assert rendered.min_contrast >= pal.MIN_CONTRAST
    # Recomputed here, independently of the renderer's own check: the same
    # cover without its title shows the bare background, whose lightest pixel
    # in the title band must still give white text 4.5:1.
    bare = drawing.render_cover(spec("", category=category or "")).image
    band = bare.crop((drawing.SAFE_LEFT, drawing.TITLE_TOP, drawing.SAFE_RIGHT, drawing.TITLE_BOTTOM))
    lightest = max((rgb for _, rgb in band.getcolors(1 << 20)), key=pal.relative_luminance)
    assert pal.contrast_ratio(lightest, (255, 255, 255)) >= pal.MIN_CONTRAST


def test_a_light_custom_colour_is_darkened_to_pass():
    p = pal.make_palette("#ffe066")
    assert pal.contrast_ratio(pal.hex_to_rgb(p.base), (255, 255, 255)) >= pal.MIN_CONTRAST
    assert pal.contrast_ratio(pal.hex_to_rgb(p.pill), pal.hex_to_rgb(p.pill_text)) >= pal.MIN_CONTRAST


def test_children_are_shades_of_their_parent():
    import colorsys

    parent = pal.hex_to_rgb(pal.category_color("Mobilité", TREE, {}))
    for child in TREE["Mobilité"]:
        rgb = pal.hex_to_rgb(pal.category_color(child, TREE, {}))
        assert rgb != parent
        hp = colorsys.rgb_to_hls(*(c / 255 for c in parent))[0]
        hc = colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0]
        assert min(abs(hp - hc), 1 - abs(hp - hc)) * 360 <= 20
    assert pal.category_color("Pas une catégorie", TREE, {}) == pal.NEUTRAL_COLOR


def test_jobs_are_grouped_by_palette_for_the_workers():
    """Workers keep only the last few full-size backgrounds (3 MB each): the jobs of one
    palette must reach them together, whatever order the articles came in."""
    categories = [child for children in TREE.values() for child in children]
    misses = [(f"clé-{n}", {}, spec(f"Titre {n}", category=categories[n % len(categories)],
                                   seed=f"article-{n}"), None) for n in range(60)]
    misses.insert(7, ("supplied", {}, ("images/x.jpg", None), None))
    ordered = sorted(misses, key=batch.palette_order)
    palettes = [job[2].palette if isinstance(job[2], drawing.CoverSpec) else None
                for job in ordered]
    runs = [palette for n, palette in enumerate(palettes) if n == 0 or palette != palettes[n - 1]]
    assert len(runs) == len(set(map(repr, palettes)))  # each palette in one run
    assert sorted(job[0] for job in ordered) == sorted(job[0] for job in misses)


# --------------------------------------------------------------------------
# Writer-supplied covers
# --------------------------------------------------------------------------


def test_crop_box_follows_focus_within_bounds():
    assert drawing.crop_box((2400, 1600), (0.5, 0.5)) == (0, 170, 2400, 1430)
    assert drawing.crop_box((2400, 1600), (0.5, 0.0)) == (0, 0, 2400, 1260)
    left, top, right, bottom = drawing.crop_box((4000, 1000), (0.3, 0.4))
    assert (bottom - top, right - left) == (1000, 1905)
    assert left == round(0.3 * 4000 - 1905 / 2)
    assert drawing.parse_focus("30% 40%") == (0.3, 0.4)
    assert drawing.parse_focus(None) == (0.5, 0.5)
    with pytest.raises(ValueError):
        drawing.parse_focus("gauche")


def test_supplied_cover_is_cropped_on_focus_and_resized(tmp_path):
    src = tmp_path / "wide.jpg"
    im = Image.new("RGB", (4000, 1000), (0, 0, 200))
    ImageDraw.Draw(im).rectangle((1100, 350, 1300, 450), fill=(255, 0, 0))  # subject at 30 % 40 %
    im.save(src, quality=95)
    out = drawing.prepare_supplied(str(src), (0.3, 0.4))
    assert out.size == (drawing.WIDTH, drawing.HEIGHT)
    r, g, b = out.getpixel((drawing.WIDTH // 2, drawing.HEIGHT * 4 // 10))
    assert r > 200 and b < 60  # the subject sits in the middle
    assert drawing.supplied_size(str(src), (0.3, 0.4)) == out.size


def test_small_supplied_cover_is_never_upscaled(tmp_path):
    src = tmp_path / "small.png"
    Image.new("RGBA", (800, 600), (10, 200, 10, 128)).save(src)
    out = drawing.prepare_supplied(str(src), (0.5, 0.5))
    assert out.size == (800, 420) and out.mode == "RGB"
    assert drawing.supplied_size(str(src), (0.5, 0.5)) == (800, 420)
    data = drawing.encode(out, drawing.Encoding(small_width=600))
    with Image.open(io.BytesIO(data["webp_small"])) as small:
        assert small.size == (600, 315)
    data = drawing.encode(out, drawing.Encoding(small_width=1000))  # never wider than the image
    with Image.open(io.BytesIO(data["webp_small"])) as small:
        assert small.size == (800, 420)


def test_exif_orientation_is_applied_and_metadata_dropped(tmp_path):
    # Stored landscape, top half red; EXIF 6 says « rotate 90° clockwise to
    # display », so the picture is portrait with red on the right.
    src = tmp_path / "phone.jpg"
    im = Image.new("RGB", (1600, 1200), (0, 0, 255))
    ImageDraw.Draw(im).rectangle((0, 0, 1600, 600), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Appareil"  # Make
    im.save(src, exif=exif, quality=95)
    assert drawing.supplied_size(str(src), (0.5, 0.5)) == (1200, 630)  # 1200×1600 portrait → cropped
    out = drawing.prepare_supplied(str(src), (0.5, 0.5))
    left, right = out.getpixel((100, 315)), out.getpixel((1100, 315))
    assert left[2] > 200 and left[0] < 60  # blue on the left
    assert right[0] > 200 and right[2] < 60  # red on the right
    job = ("k", {k: str(tmp_path / f"o.{k}") for k in ("jpg", "webp", "webp_small")}, (str(src), (0.5, 0.5)), drawing.Encoding())
    drawing.run_job(job)
    with Image.open(job[1]["jpg"]) as written:
        assert not written.getexif() and "exif" not in written.info


# --------------------------------------------------------------------------
# A whole Pelican build
# --------------------------------------------------------------------------


def build_site(root: Path, **overrides):
    from pelican import Pelican
    from pelican.settings import read_settings

    from tools.preview import connected_receivers, disconnect_new_receivers

    settings = read_settings(
        override={
            "PATH": str(root / "content"),
            "OUTPUT_PATH": str(root / "output"),
            "CACHE_PATH": str(root / "cache"),
            "PLUGIN_PATHS": [str(PLUGINS)],
            "PLUGINS": ["covers"],
            "THEME": "simple",
            "THEME_TEMPLATES_OVERRIDES": [str(SITE_FIXTURE / "templates")],
            "SITENAME": "Le Blog",
            "SITEURL": "",
            "CATEGORY_TREE": TREE,
            "TIMEZONE": "Europe/Paris",
            "DEFAULT_LANG": "fr",
            "ARTICLE_URL": "{slug}/",
            "ARTICLE_SAVE_AS": "{slug}/index.html",
            "STATIC_PATHS": ["images"],
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "LOAD_CONTENT_CACHE": False,
            "DELETE_OUTPUT_DIRECTORY": True,
            "COVERS_WORKERS": 2,
            **overrides,
        }
    )
    before = connected_receivers()
    try:
        Pelican(settings).run()
    finally:  # the plugin's receivers must not run again in a later build of this process
        disconnect_new_receivers(before)
    return settings


def make_site(root: Path) -> None:
    shutil.copytree(SITE_FIXTURE / "content", root / "content")
    (root / "content" / "images").mkdir(exist_ok=True)
    photo = Image.new("RGB", (3000, 2000), (40, 90, 160))
    ImageDraw.Draw(photo).ellipse((700, 600, 1100, 1000), fill=(250, 200, 40))
    exif = Image.Exif()
    exif[0x010F] = "Appareil"
    photo.save(root / "content" / "images" / "photo.jpg", quality=90, exif=exif)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("covers_site")
    make_site(root)
    build_site(root)
    return root


def _meta(html: str, prop: str) -> str:
    m = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    assert m, f"{prop} absent"
    return m.group(1)


def test_article_meta_tags_point_to_files_of_the_declared_size(site):
    out = site / "output"
    for slug in ("meta-ia-fermee", "eolien-en-mer", "rancongiciels-hopitaux", "photo-fournie"):
        html = (out / slug / "index.html").read_text(encoding="utf-8")
        url = _meta(html, "og:image")
        assert url == f"/images/covers/{slug}.jpg" == _meta(html, "twitter:image")
        width, height = int(_meta(html, "og:image:width")), int(_meta(html, "og:image:height"))
        with Image.open(out / url.lstrip("/")) as im:
            assert im.format == "JPEG" and im.size == (width, height) == (1200, 630)
        assert _meta(html, "og:image:alt")
        # <picture>: both WebP sizes exist with the sizes srcset announces.
        srcset = re.search(r'srcset="([^"]+)"', html).group(1)
        for candidate in srcset.split(","):
            path, w = candidate.split()
            with Image.open(out / path.lstrip("/")) as im:
                assert im.format == "WEBP" and f"{im.width}w" == w
        img = re.search(r"<img src=\"([^\"]+)\" width=\"(\d+)\" height=\"(\d+)\"", html)
        assert img.group(1) == url and (int(img.group(2)), int(img.group(3))) == (width, height)


def test_supplied_cover_alt_and_no_metadata(site):
    html = (site / "output" / "photo-fournie" / "index.html").read_text(encoding="utf-8")
    assert _meta(html, "og:image:alt") == "Un tramway à Bordeaux au crépuscule"
    with Image.open(site / "output" / "images" / "covers" / "photo-fournie.jpg") as im:
        assert not im.getexif()
        # 3000×2000 cropped to 3000×1575 around y = 40 %, then ×0.4: the disc
        # centred at (900, 800) lands at (360, 315 - 0.4 × 13).
        r, g, b = im.convert("RGB").getpixel((360, 310))
        assert r > 200 and g > 150 and b < 100


def test_generated_alt_is_french(site):
    html = (site / "output" / "meta-ia-fermee" / "index.html").read_text(encoding="utf-8")
    assert _meta(html, "og:image:alt") == "Illustration\u00a0: Meta passe-t-il de l’open source à l’IA fermée ?"


def test_cards_for_home_categories_tags_drafts_and_pages(site):
    out = site / "output"
    expected = [
        "images/cards/accueil.jpg",
        "images/cards/categorie/intelligence-artificielle.jpg",
        "images/cards/categorie/energies-renouvelables.jpg",
        "images/cards/etiquette/meta.jpg",
        "images/cards/etiquette/open-source.jpg",
        "images/covers/brouillon.jpg",  # draft
        "images/covers/a-propos.jpg",  # page
    ]
    for rel in expected:
        with Image.open(out / rel) as im:
            assert im.format == "JPEG" and im.size == (1200, 630), rel
        # Covers are shown in pages (<picture>): WebP too. Cards are only
        # share images: no WebP nobody would fetch.
        webps = [(rel.replace(".jpg", ".webp"), (1200, 630)), (rel.replace(".jpg", SMALL_SUFFIX), SMALL_SIZE)]
        for path, size in webps:
            if rel.startswith("images/cards/"):
                assert not (out / path).exists(), path
                continue
            with Image.open(out / path) as im:
                assert im.format == "WEBP" and im.size == size, path
    index = (out / "index.html").read_text(encoding="utf-8")
    assert _meta(index, "og:image") == "/images/cards/accueil.jpg"
    category = (out / "category" / "intelligence-artificielle.html").read_text(encoding="utf-8")
    assert _meta(category, "og:image") == "/images/cards/categorie/intelligence-artificielle.jpg"
    tag = (out / "tag" / "meta.html").read_text(encoding="utf-8")
    assert _meta(tag, "og:image") == "/images/cards/etiquette/meta.jpg"


def test_cards_get_webp_when_a_theme_asks(tmp_path):
    make_site(tmp_path)
    build_site(tmp_path, COVERS_CARDS_WEBP=True)
    cards = tmp_path / "output" / "images" / "cards"
    for rel in ("accueil", "etiquette/meta"):
        with Image.open(cards / f"{rel}.webp") as big, Image.open(cards / f"{rel}{SMALL_SUFFIX}") as small:
            assert big.size == (1200, 630) and small.size == SMALL_SIZE


def test_sizes_within_budget(site):
    covers = site / "output" / "images" / "covers"
    jpgs = [p.stat().st_size for p in covers.glob("*.jpg")]
    webps = [p.stat().st_size for p in covers.glob("*.webp") if not p.name.endswith(SMALL_SUFFIX)]
    assert sum(jpgs) / len(jpgs) < 120_000
    assert sum(webps) / len(webps) < 80_000


def test_cache_hit_and_miss(tmp_path, caplog, monkeypatch):
    make_site(tmp_path)
    build_site(tmp_path)
    cache = tmp_path / "cache" / "covers"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len([n for n in before if n.endswith(".jpg")]) >= 15

    # Warm build: nothing drawn, nothing rewritten in the cache.
    calls = []
    real = drawing.run_job
    monkeypatch.setattr(drawing, "run_job", lambda job: calls.append(job) or real(job))
    dates = []  # French dates come from the memo of the first build, not from Babel
    monkeypatch.setattr(cov, "french_date", lambda *a: dates.append(a) or "?")
    caplog.set_level(logging.INFO)
    build_site(tmp_path, COVERS_WORKERS=1)
    assert calls == [] and dates == []
    monkeypatch.undo()
    monkeypatch.setattr(drawing, "run_job", lambda job: calls.append(job) or real(job))
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    summary = [r.getMessage() for r in caplog.records if "image(s) dessinée(s)" in r.getMessage()]
    # Output was wiped (DELETE_OUTPUT_DIRECTORY): every file linked again.
    assert summary and summary[-1].startswith("[covers] 0 image(s) dessinée(s)") and " 0 déjà à jour" in summary[-1]

    # A build over the previous output: every file recognised as the cache's, none written.
    caplog.clear()
    build_site(tmp_path, COVERS_WORKERS=1, DELETE_OUTPUT_DIRECTORY=False)
    summary = [r.getMessage() for r in caplog.records if "image(s) dessinée(s)" in r.getMessage()][-1]
    assert "; 0 fichier(s) publié(s)" in summary

    # Edit one title: exactly that cover is drawn again.
    md = tmp_path / "content" / "eolien.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Title: L’éolien", "Title: Le solaire et l’éolien"), encoding="utf-8")
    build_site(tmp_path, COVERS_WORKERS=1)
    assert len(calls) == 1 and calls[0][2].seed == "eolien-en-mer"
    published = tmp_path / "output" / "images" / "covers" / "eolien-en-mer.jpg"
    with Image.open(published) as im:
        assert im.size == (1200, 630)
    assert published.samefile(calls[0][1]["jpg"])  # the new drawing, not the old file

    # Same edit over a kept output folder: the stale link is replaced too.
    md.write_text(md.read_text(encoding="utf-8").replace("Title: Le solaire", "Title: Le vent"), encoding="utf-8")
    build_site(tmp_path, COVERS_WORKERS=1, DELETE_OUTPUT_DIRECTORY=False)
    assert len(calls) == 2 and published.samefile(calls[1][1]["jpg"])
    for name in ("eolien-en-mer.webp", f"eolien-en-mer{SMALL_SUFFIX}"):
        assert any((published.parent / name).samefile(p) for p in calls[1][1].values())


def test_a_cache_restored_in_a_fresh_checkout_draws_nothing(tmp_path, monkeypatch):
    """What a CI host does: a new clone somewhere else (every file dated now) with the
    previous run's cache put back. Keys come from what is drawn, not from paths or
    dates, so every cover is reused; only the output is new."""
    first, second = tmp_path / "premier", tmp_path / "clone"
    make_site(first)
    build_site(first)
    shutil.copytree(first / "content", second / "content", copy_function=shutil.copyfile)
    shutil.copytree(first / "cache" / "covers", second / "cache" / "covers")
    later = time.time() + 3600
    for path in (second / "content").rglob("*"):
        os.utime(path, (later, later))
    calls = []
    real = drawing.run_job
    monkeypatch.setattr(drawing, "run_job", lambda job: calls.append(job) or real(job))
    build_site(second, COVERS_WORKERS=1)
    assert calls == []
    published = sorted(p.relative_to(second / "output") for p in (second / "output" / "images").rglob("*.jpg"))
    assert published == sorted(p.relative_to(first / "output") for p in (first / "output" / "images").rglob("*.jpg"))
    assert len(published) >= 15


def test_stale_cache_entries_are_pruned_after_the_keep_delay(tmp_path):
    make_site(tmp_path)
    build_site(tmp_path)
    cache = tmp_path / "cache" / "covers"
    used = sorted(p.name for p in cache.iterdir())
    old = time.time() - 40 * 86400
    stale, recent, leftover = cache / ("0" * 40 + ".jpg"), cache / ("1" * 40 + ".webp"), cache / ".tmp-abc"
    for path in (stale, recent, leftover):
        path.write_bytes(b"x")
    os.utime(stale, (old, old))
    os.utime(leftover, (old, old))
    for path in cache.iterdir():  # images in use are kept however old they are
        if path.name in used:
            os.utime(path, (old, old))
    build_site(tmp_path, COVERS_WORKERS=1)
    assert not stale.exists() and not leftover.exists()
    assert recent.exists()  # unused but young: maybe another configuration's
    assert sorted(p.name for p in cache.iterdir() if p != recent) == used
    # Never, when asked.
    stale.write_bytes(b"x")
    os.utime(stale, (old, old))
    build_site(tmp_path, COVERS_WORKERS=1, COVERS_CACHE_KEEP_DAYS=None)
    assert stale.exists()


def test_warm_build_links_instead_of_copying(site):
    cache = site / "cache" / "covers"
    out = site / "output" / "images" / "covers" / "meta-ia-fermee.jpg"
    assert any(os.path.samefile(out, p) for p in cache.glob("*.jpg"))


def test_deferred_covers_are_drawn_after_the_build_and_the_same(tmp_path, site):
    """COVERS_DEFERRED (tools/run_pelican.py): the build draws nothing and writes no
    image; the batch it leaves, once pickled as it crosses to the runner and run,
    publishes the same files, with the same bytes, as a build that draws them itself."""
    import _processus as processus

    make_site(tmp_path)
    processus.LEFT_FOR_AFTER.clear()
    build_site(tmp_path, COVERS_DEFERRED=True)
    images = ("*.jpg", "*.webp")
    assert not [path for pattern in images for path in (tmp_path / "output").rglob(pattern)
                if "images/covers" in str(path) or "images/cards" in str(path)]
    assert not list((tmp_path / "cache" / "covers").glob("*.jpg"))
    [work] = processus.LEFT_FOR_AFTER
    processus.LEFT_FOR_AFTER.clear()
    assert (work.module, work.function, work.label) == ("covers.batch", "complete", "CoversGenerator")
    work.run()

    def drawn(root: Path) -> dict:
        folder = root / "output" / "images"
        return {str(path.relative_to(folder)): path.read_bytes()
                for sub in ("covers", "cards") for pattern in images
                for path in (folder / sub).glob(pattern)}

    assert drawn(tmp_path) == drawn(site)
    assert len(drawn(tmp_path)) > 10


def test_a_batch_with_nothing_to_draw_imports_no_drawing_code(tmp_path):
    """A warm build draws nothing: the runner that completes its batch must not pay for
    importing Pillow and the drawing code (≈ 0.15 s, on every build)."""
    import subprocess

    cached = tmp_path / "cache" / "cle.jpg"
    cached.parent.mkdir()
    cached.write_bytes(b"jpeg")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from covers import batch; "
            "batch.complete(batch.CoverBatch(sys.argv[2], sys.argv[3], misses=[], "
            "outputs=[(sys.argv[4], 'images/covers/a.jpg')], cache_inodes={})); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PIL', 'covers')))")
    result = subprocess.run([sys.executable, "-c", code, str(PLUGINS), str(cached.parent),
                             str(tmp_path / "output"), str(cached)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['covers', 'covers.batch']"
    assert (tmp_path / "output" / "images" / "covers" / "a.jpg").read_bytes() == b"jpeg"


def _errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_missing_supplied_cover_is_reported_and_replaced(tmp_path, caplog):
    make_site(tmp_path)
    (tmp_path / "content" / "images" / "photo.jpg").unlink()
    build_site(tmp_path)  # no exception: the build goes on
    (error,) = _errors(caplog)
    assert error.endswith("photo.md:6: cover: image de couverture « images/photo.jpg » introuvable dans "
                          f"{tmp_path}/content/ (mettez l’image en {tmp_path}/content/images/photo.jpg "
                          "ou retirez la clé pour une couverture générée)"), error
    # A generated cover instead, so the page still has its image.
    with Image.open(tmp_path / "output" / "images" / "covers" / "photo-fournie.jpg") as im:
        assert im.size == (1200, 630)
    assert (tmp_path / "output" / "photo-fournie" / "index.html").exists()


def test_two_covers_for_one_file_are_reported_at_the_slug_line(tmp_path, caplog):
    """An article and a page with one slug but two addresses (pages/a-propos.html and
    a-propos/index.html): their covers would share images/covers/a-propos.jpg."""
    make_site(tmp_path)
    (tmp_path / "content" / "doublon.md").write_text(
        "Title: Un article\nDate: 2025-10-02 08:00\nCategory: Startups\nSlug: a-propos\n\nTexte.\n",
        encoding="utf-8")
    build_site(tmp_path)
    (error,) = _errors(caplog)
    assert re.search(r"pages/a-propos\.md:2: slug: l’image de couverture images/covers/a-propos\.jpg "
                     r"est déjà celle de \S*doublon\.md \(donnez à l’un des deux un autre slug", error), error
    assert (tmp_path / "output" / "images" / "covers" / "a-propos.jpg").exists()


def test_a_draft_without_address_gets_no_cover(tmp_path):
    """DRAFT_SAVE_AS = "" (this blog's setting): the draft is not published, nor is
    its cover; with Pelican's default address (drafts/…) both are."""
    make_site(tmp_path)
    build_site(tmp_path, DRAFT_SAVE_AS="")
    covers = tmp_path / "output" / "images" / "covers"
    assert (covers / "meta-ia-fermee.jpg").exists()
    assert not list(covers.glob("brouillon*"))


def test_disabled_plugin_produces_nothing(tmp_path):
    make_site(tmp_path)
    build_site(tmp_path, COVERS_ENABLED=False)
    assert not (tmp_path / "output" / "images" / "covers").exists()
    assert not (tmp_path / "output" / "images" / "cards").exists()


def test_defaults_are_set_on_initialized():
    class FakePelican:
        settings = {"CACHE_PATH": "/tmp/cache-x"}

    cov.initialize(FakePelican)
    s = FakePelican.settings
    assert s["COVERS_ENABLED"] is True
    assert s["COVERS_CACHE_PATH"] == os.path.join("/tmp/cache-x", "covers")
    assert s["COVERS_JPEG_QUALITY"] == 82 and "COVERS_WORKERS" in s and "COVERS_FONT" in s
    assert s["CATEGORY_COLORS"]["Technologies et Avenirs"] == "#1f3a8a"


# --------------------------------------------------------------------------
# The blog's own build (tools/run_pelican.py, every plugin): exit status,
# error lines, files on disk
# --------------------------------------------------------------------------


def blog_article(slug, *, extra="", date="2024-06-30 09:00", category="Transports urbains", tags="[vélo]"):
    """A valid article; ``extra`` lines start at line 6."""
    return ("---\n"
            f'title: "Article {slug}"\n'
            f"slug: {slug}\n"
            f"date: {date}\n"
            f"category: {category}\n"
            f"{extra}"
            f"tags: {tags}\n"
            "---\nDu texte.\n")


def run_blog(content: Path, out: Path, cache: Path, **kw):
    extra = {"CACHE_PATH": f'"{cache}"', "SEARCH_ENABLED": "false", **kw.pop("extra", {})}
    return run_pelican(content, out, extra=extra, **kw)


def test_cover_mistakes_are_error_lines_and_the_build_goes_on(tmp_path):
    content = tmp_path / "content"
    images = content / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (1600, 1000), (40, 90, 160)).save(images / "photo.jpg", quality=90)
    whole = io.BytesIO()
    Image.effect_noise((1600, 1000), 60).convert("RGB").save(whole, "JPEG", quality=90)
    (images / "tronquee.jpg").write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    (images / "notes.jpg").write_text("pas une image\n", encoding="utf-8")
    for slug, header in {
        "velo-cargo": "cover: images/velo-inexistant.jpg\n",
        "tronquee": "cover: images/tronquee.jpg\n",
        "pas-une-image": "cover: images/notes.jpg\n",
        "cadrage": "cover: images/photo.jpg\ncover_focus: au milieu\n",
        "ailleurs": "cover: https://exemple.fr/photo.jpg\n",
    }.items():
        write_article(content, f"{slug}.md", blog_article(slug, extra=header))
    result = run_blog(content, tmp_path / "out", tmp_path / "cache", strict=False)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "CoverError" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("ERREUR")]
    generated = "ou retirez la clé pour une couverture générée)"
    expected = {  # start of the line after the folder → its end
        "velo-cargo.md:6: cover: image de couverture « images/velo-inexistant.jpg » introuvable dans ":
            f"(mettez l’image en {content}/images/velo-inexistant.jpg {generated}",
        "tronquee.md:6: cover: image de couverture « images/tronquee.jpg » illisible": generated,
        "pas-une-image.md:6: cover: image de couverture « images/notes.jpg » illisible": generated,
        "cadrage.md:7: cover_focus: « au milieu » illisible": "cover_focus: 30% 40%)",
        "ailleurs.md:6: cover: image de couverture « https://exemple.fr/photo.jpg » sur un "
        "autre site": generated,
    }
    for start, end in expected.items():
        assert any(start in line and line.endswith(end) for line in errors), (start, output)
    assert len(errors) == len(expected), output
    # Every page is written; a cover that cannot be used gives way to a generated one.
    covers = tmp_path / "out" / "images" / "covers"
    for slug in ("velo-cargo", "tronquee", "pas-une-image", "cadrage", "ailleurs"):
        page = (tmp_path / "out" / slug / "index.html").read_text(encoding="utf-8")
        assert f"images/covers/{slug}.jpg" in page, slug
        with Image.open(covers / f"{slug}.jpg") as im:
            assert im.size == (1200, 630), slug
            supplied = im.convert("RGB").getpixel((20, 20))
        photo_colour = max(abs(a - b) for a, b in zip(supplied, (40, 90, 160))) < 12
        assert photo_colour == (slug == "cadrage"), slug  # the only usable photo, centred


def test_unpublished_articles_get_no_cover_and_no_card(tmp_path):
    """A draft and a scheduled article: no image in production, whose title and date
    would be readable at a guessable address; their covers and their tags' cards
    in a build that shows drafts (`invoke build --drafts`, the preview)."""
    content = tmp_path / "content"
    write_article(content, "publie.md", blog_article("publie", category="Startups", tags="[financement]"))
    write_article(content, "cache.md", blog_article("cache", category="Startups", extra="status: hidden\n"))
    write_article(content, "brouillon.md", blog_article(
        "projet-brouillon", category="Nucléaire", tags="[secret-brouillon]", extra="status: draft\n"))
    write_article(content, "programme.md", blog_article(
        "projet-programme", date="2999-01-01 09:00", category="Cybersécurité", tags="[secret-programme]"))
    unpublished = ("projet-brouillon", "projet-programme", "secret-brouillon", "secret-programme",
                   "nucleaire", "cybersecurite")

    prod = tmp_path / "prod"
    result = run_blog(content, prod, tmp_path / "cache", config=ROOT / "publishconf.py")
    assert result.returncode == 0, result.stdout + result.stderr
    images = prod / "images"
    for name in ("covers/publie.jpg", "covers/publie.webp", f"covers/publie{SMALL_SUFFIX}",
                 "covers/cache.jpg", "cards/etiquette/financement.jpg", "cards/categorie/startups.jpg"):
        assert (images / name).is_file(), name
    leaked = [str(p.relative_to(prod)) for p in prod.rglob("*") if any(n in p.name for n in unpublished)]
    assert leaked == []

    preview = tmp_path / "preview"
    result = run_blog(content, preview, tmp_path / "cache", extra={"SHOW_DRAFTS": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    images = preview / "images"
    for name in ("covers/projet-brouillon.jpg", f"covers/projet-brouillon{SMALL_SUFFIX}",
                 "covers/projet-programme.jpg", "cards/etiquette/secret-brouillon.jpg",
                 "cards/etiquette/secret-programme.jpg"):
        assert (images / name).is_file(), name


def test_art_only_cover_is_the_same_picture_without_any_text():
    """A card or an article shows its title beside the picture: the picture has none."""
    plain = drawing.render_cover(spec("Un titre", seed="meme-graine", art_only=True)).image
    other = drawing.render_cover(spec("Un tout autre titre, bien plus long", category="Startups",
                                      seed="meme-graine", art_only=True)).image
    titled = drawing.render_cover(spec("Un titre", seed="meme-graine")).image
    assert plain.size == (drawing.WIDTH, drawing.HEIGHT)
    # Same category palette, same seed: identical, whatever the title.
    assert plain.tobytes() == drawing.render_cover(
        spec("Autre chose", seed="meme-graine", art_only=True)).image.tobytes()
    assert plain.tobytes() != titled.tobytes() and plain.tobytes() != other.tobytes()


def test_an_article_job_writes_its_art_as_webp_and_its_titled_card_as_jpeg(tmp_path):
    """One background and motif for both: the WebPs (pages, cards) are the art without
    text, the JPEG (og:image) the titled share card, the same pixels as drawn alone."""
    s = spec("Un titre qui se lit à côté de l’image", seed="paire", webp_art=True)
    job = _job(tmp_path, "paire", s)
    drawing.run_job(job)
    encoded = _read_all(job)
    alone = drawing.encode(drawing.render_cover(dataclasses.replace(s, webp_art=False)).image,
                           drawing.Encoding())
    art = drawing.encode(drawing.render_cover(dataclasses.replace(s, art_only=True, webp_art=False)).image,
                         drawing.Encoding())
    assert encoded["jpg"] == alone["jpg"]
    assert encoded["webp"] == art["webp"] and encoded["webp_small"] == art["webp_small"]
    assert encoded["webp"] != alone["webp"]
