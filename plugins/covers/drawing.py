"""Drawing and encoding of covers, with Pillow only.

Everything here is a pure function of its arguments (no Pelican, no settings
object, no clock), because the images are cached by a hash of those arguments
and rendered in worker processes: the same job must give the same bytes
whether it runs in the main process today or in a worker next month.

Layout of a 1200×630 cover (the centre 630×630 square survives the square
crops some networks apply, so everything that carries meaning lives in the
``SAFE`` column; the generative motif occupies the wings that may be cut):

    ┌──────────────┬───────────────── SAFE ──────────────┬──────────────┐
    │  motif       │        ( CATÉGORIE )  pill          │       motif  │
    │              │   Titre en gras, lignes équilibrées │              │
    │              │   jusqu’à quatre lignes, taille     │              │
    │              │   adaptée, ellipse au-delà…         │              │
    │              │   ───                               │              │
    │              │   LE BLOG · 23 octobre 2025         │              │
    └──────────────┴─────────────────────────────────────┴──────────────┘
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import random
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageFont, ImageOps, features

from _memoire import write_atomically
from _texte import is_weak_ending as _is_weak  # « le », « de », « l’ » end no line

from . import palette as pal

#: Bump when the look changes: it is part of every cache key.
DESIGN_VERSION = "2025.4"

WIDTH, HEIGHT = 1200, 630
# The small WebP: a card on a 2× or 2.6× phone (≈ 330 px wide, so 660–870 px of pixels)
# and an article cover on a 1× desktop (672 px) take it instead of the 1200 px one
# (-30 % of a phone home page's bytes); at 600 px they did not.
SMALL_WIDTH = 800
#: Horizontal extent that stays visible in a centred square crop, less a margin.
SAFE_LEFT, SAFE_RIGHT = 310, 890
SAFE_WIDTH = SAFE_RIGHT - SAFE_LEFT
TITLE_TOP, TITLE_BOTTOM = 144, 484
MAX_LINES = 4
MAX_TITLE_SIZE = 84
MIN_TITLE_SIZE = 38
#: A title too long for four lines at the smallest size (≈ 115 characters) gets up to
#: six lines, down to this size, before anything is cut: about 190 characters in all.
LONG_TITLE_LINES = 6
LONG_TITLE_MIN_SIZE = 34
#: A title that fits on one line at more than MAX_TITLE_SIZE (a tag, « Qubits ») is set as
#: large as one line allows, up to this size: at 84 px a word of two letters looked lost
#: in the middle of the card.
SHORT_TITLE_SIZE = 144
LINE_HEIGHT = 1.1
SUPERSAMPLE = 2

ELLIPSIS = "…"
_LAYOUT = ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC


def engine_fingerprint() -> str:
    """What else than our inputs can change the bytes: Pillow and its codecs."""
    import PIL

    return "pillow={} freetype={} raqm={} webp={} jpeg={}".format(
        PIL.__version__,
        features.version("freetype2"),
        features.version("raqm") if _LAYOUT == ImageFont.Layout.RAQM else "none",
        features.version("webp"),
        features.version("libjpeg_turbo") or features.version("jpg"),
    )


# --------------------------------------------------------------------------
# Fonts and glyph coverage
# --------------------------------------------------------------------------


@lru_cache(maxsize=None)
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=_LAYOUT)


@lru_cache(maxsize=65536)
def text_width(path: str, size: int, text: str) -> float:
    """Advance width of ``text``, memoised: shaping is the costliest step of
    a cover and the same words, letters and labels recur across a corpus."""
    return font(path, size).getlength(text)


@lru_cache(maxsize=None)
def font_codepoints(path: str) -> frozenset[int]:
    """Code points mapped by the font's Unicode ``cmap`` (formats 4 and 12).

    Pillow does not expose the cmap and silently draws « tofu » for a missing
    character (what pelican-ogimages does with « é »), so we read the table
    ourselves: a few dozen lines instead of a runtime dependency on fontTools
    (the tests cross-check this against fontTools).
    """
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] == b"ttcf":  # collection: use the first font
        (offset,) = struct.unpack(">I", data[12:16])
    else:
        offset = 0
    (num_tables,) = struct.unpack(">H", data[offset + 4 : offset + 6])
    cmap_offset = None
    for i in range(num_tables):
        rec = offset + 12 + 16 * i
        tag, _, table_offset, _ = struct.unpack(">4sIII", data[rec : rec + 16])
        if tag == b"cmap":
            cmap_offset = table_offset
    if cmap_offset is None:
        return frozenset()
    _, count = struct.unpack(">HH", data[cmap_offset : cmap_offset + 4])
    subtables = {}
    for i in range(count):
        rec = cmap_offset + 4 + 8 * i
        platform, encoding, sub_offset = struct.unpack(">HHI", data[rec : rec + 8])
        subtables[(platform, encoding)] = cmap_offset + sub_offset
    points: set[int] = set()
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
        if key not in subtables:
            continue
        start = subtables[key]
        (fmt,) = struct.unpack(">H", data[start : start + 2])
        if fmt == 12:
            (groups,) = struct.unpack(">I", data[start + 12 : start + 16])
            for g in range(groups):
                first, last, glyph = struct.unpack(">III", data[start + 16 + 12 * g : start + 28 + 12 * g])
                points.update(c for c in range(first, last + 1) if glyph + (c - first))
            break
        if fmt == 4:
            (seg_x2,) = struct.unpack(">H", data[start + 6 : start + 8])
            n = seg_x2 // 2
            ends = struct.unpack(f">{n}H", data[start + 14 : start + 14 + seg_x2])
            base = start + 16 + seg_x2
            starts = struct.unpack(f">{n}H", data[base : base + seg_x2])
            deltas = struct.unpack(f">{n}h", data[base + seg_x2 : base + 2 * seg_x2])
            ro_base = base + 2 * seg_x2
            range_offsets = struct.unpack(f">{n}H", data[ro_base : ro_base + seg_x2])
            for s in range(n):
                for c in range(starts[s], ends[s] + 1):
                    if c == 0xFFFF:
                        continue
                    if range_offsets[s] == 0:
                        glyph = (c + deltas[s]) & 0xFFFF
                    else:
                        addr = ro_base + 2 * s + range_offsets[s] + 2 * (c - starts[s])
                        (glyph,) = struct.unpack(">H", data[addr : addr + 2])
                        if glyph:
                            glyph = (glyph + deltas[s]) & 0xFFFF
                    if glyph:
                        points.add(c)
            break
    return frozenset(points)


#: Stand-ins for characters a Latin font may lack, before giving up on them.
_FALLBACKS = {
    "\u2009": "\u202f",  # thin space → narrow no-break space
    "\u2011": "-",  # non-breaking hyphen
    "\u2032": "’",
    "\u00ad": "",  # soft hyphen: invisible anyway
    "\u200b": "",
    "\ufe0f": "",
}


def drawable_text(text: str, codepoints: frozenset[int]) -> str:
    """``text`` with every character the font can draw, never a tofu box.

    Missing characters get a typographic stand-in, else their decomposition
    without accents (NFKD), else are dropped (an emoji in a title should not
    print as a box on every share of the article).
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    out = []
    for ch in text:
        if ord(ch) in codepoints:
            out.append(ch)
            continue
        sub = _FALLBACKS.get(ch)
        if sub is not None and all(ord(c) in codepoints for c in sub):
            out.append(sub)
            continue
        decomposed = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if ord(c) in codepoints and not unicodedata.combining(c)
        )
        out.append(decomposed)
    return re.sub(" +", " ", "".join(out)).strip()


# --------------------------------------------------------------------------
# Title layout: size, balanced lines, ellipsis
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleLayout:
    size: int
    lines: tuple[str, ...]
    truncated: bool
    line_height: int


_CLOSING = re.compile(r"^[:;!?»…%)\]]+[.,]?$")


def title_words(text: str) -> list[str]:
    """Break opportunities of a title: ordinary spaces only, and never before
    « : ; ! ? » » or after « « » even when the writer typed a plain space
    (the typography plugin normally puts a no-break space there already)."""
    words: list[str] = []
    glue_next = False
    for token in text.split(" "):
        if not token:
            continue
        if words and (glue_next or _CLOSING.match(token)):
            words[-1] += "\u00a0" + token
        else:
            words.append(token)
        glue_next = token.endswith("«")
    return words


_WORD_BREAKS = "/-._?&=#"


def _split_long_word(word: str, width_of, limit: float) -> list[str]:
    """Cut a word wider than a whole line (an address, a long compound) into pieces:
    after a « / », « - », « . »… in the second half of the piece when there is one,
    else between two letters with a hyphen, else anywhere."""
    pieces = []
    rest = word
    while len(rest) > 1 and width_of(rest) > limit:
        n = 1
        while n + 1 < len(rest) and width_of(rest[: n + 1] + "-") <= limit:
            n += 1
        cut = max(rest.rfind(ch, 0, n) for ch in _WORD_BREAKS) + 1
        if cut > n // 2:
            pieces.append(rest[:cut])
            rest = rest[cut:]
        else:
            hyphen = "-" if rest[n - 1].isalpha() and rest[n].isalpha() else ""
            pieces.append(rest[:n] + hyphen)
            rest = rest[n:]
    pieces.append(rest)
    return pieces


def _unsplit(lines: list[str], glued: set[int]) -> list[str]:
    """Lines of pieces joined by spaces, without the space between two pieces of
    one word that ended up on the same line."""
    out, index = [], 0
    for line in lines:
        tokens = line.split(" ")
        text = tokens[0]
        for k, token in enumerate(tokens[1:]):
            text += ("" if index + k in glued else " ") + token
        out.append(text)
        index += len(tokens)
    return out


def _balanced_breaks(widths: list[float], space: float, words: list[str], limit: float, lines: int):
    """Split ``words`` into exactly ``lines`` lines, all within ``limit``, as even
    as possible; avoid a short lone word on the last line and lines ending on an
    article or preposition. Dynamic programming over break positions."""
    n = len(words)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    def line_width(i, j):  # words[i:j]
        return prefix[j] - prefix[i] + space * (j - i - 1)

    INF = float("inf")
    # best[k][j]: cost of putting words[:j] on k lines
    best = [[INF] * (n + 1) for _ in range(lines + 1)]
    back = [[0] * (n + 1) for _ in range(lines + 1)]
    best[0][0] = 0.0
    for k in range(1, lines + 1):
        for j in range(1, n + 1):
            for i in range(k - 1, j):
                if best[k - 1][i] == INF:
                    continue
                w = line_width(i, j)
                if w > limit:
                    continue
                cost = ((limit - w) / limit) ** 2
                if j < n and _is_weak(words[j - 1]):
                    cost += 1.0
                if k == lines and j == n and lines > 1 and j - i == 1:
                    if len(words[i]) <= 7 or w < 0.33 * limit:
                        cost += 4.0
                total = best[k - 1][i] + cost
                if total < best[k][j]:
                    best[k][j], back[k][j] = total, i
    if best[lines][n] == INF:
        return None
    cuts, j = [], n
    for k in range(lines, 0, -1):
        i = back[k][j]
        cuts.append((i, j))
        j = i
    return [" ".join(words[i:j]) for i, j in reversed(cuts)]


#: Words are measured once at this size; outlines scale linearly (layout_title).
_MEASURE_SIZE = 100


def layout_title(
    text: str,
    font_path: str,
    max_width: int = SAFE_WIDTH,
    max_height: int = TITLE_BOTTOM - TITLE_TOP,
    max_lines: int = MAX_LINES,
    max_size: int = MAX_TITLE_SIZE,
    min_size: int = MIN_TITLE_SIZE,
    line_height: float = LINE_HEIGHT,
    overflow: tuple[int, int] | None = (LONG_TITLE_LINES, LONG_TITLE_MIN_SIZE),
) -> TitleLayout:
    """Largest size at which the title fits in at most ``max_lines`` balanced
    lines; then, for a title that does not fit at ``min_size``, ``overflow`` (more
    lines, smaller type: a share card that cuts its headline looks broken); at the
    smallest size, the lines that fit and an ellipsis.

    If the best breaks at that size must end a line on an article or leave a
    short word alone, sizes up to ~12 % smaller are tried for clean breaks
    (« Durcir un / serveur SSH » becomes « Durcir / un serveur SSH »), then, for a
    title (``overflow`` set), one line more than ``max_lines`` if the band has room
    (« post-quantique : le / grand chantier de la » becomes « post-quantique : / le
    grand chantier / de la migration »).
    A title (``overflow`` set) that fits on one line above ``max_size`` is set as large as
    that line allows, up to ``SHORT_TITLE_SIZE``.
    Widths are measured once at a reference size and scaled (outlines scale
    linearly; the chosen lines are re-measured at the real size to be sure).
    """
    words = title_words(text)
    if not words:
        return TitleLayout(max_size, (), False, round(max_size * line_height))
    space = text_width(font_path, _MEASURE_SIZE, " ")
    measured = (words, [text_width(font_path, _MEASURE_SIZE, w) for w in words], space,
                font_path, max_width, max_height, line_height)
    if overflow and SHORT_TITLE_SIZE > max_size:
        one_line, _ = _largest_clean_layout(*measured, 1, SHORT_TITLE_SIZE, max_size + 2)
        if one_line is not None:
            return one_line
    clean, faulty = _largest_clean_layout(*measured, max_lines, max_size, min_size)
    if clean is not None:
        return clean
    if faulty is not None:
        if overflow:
            roomier, _ = _largest_clean_layout(*measured, max_lines + 1, faulty.size,
                                               max(min_size, round(faulty.size * 0.88)), spare=1)
            if roomier is not None:
                return roomier
        return faulty
    if overflow and overflow[0] > max_lines:
        lines, smallest = overflow
        return layout_title(text, font_path, max_width, max_height, lines, min_size, smallest, line_height, None)
    return _truncated_layout(words, font_path, max_width, max_height, max_lines, min_size, line_height)


def _largest_clean_layout(words, widths, space, font_path, max_width, max_height, line_height,
                          max_lines, max_size, min_size, spare=0):
    """From ``max_size`` down to ``min_size`` by 2 px: the first layout in at most
    ``max_lines`` balanced lines without a break fault, and the first layout found at
    all (with faults); once one is found, no further than 12 % smaller. Widths are at
    ``_MEASURE_SIZE``. ``spare``: also try that many lines more than the size needs."""
    first: TitleLayout | None = None
    size = max_size
    while size >= min_size and (first is None or size >= first.size * 0.88):
        scale = size / _MEASURE_SIZE
        limit = max_width / scale
        lh = round(size * line_height)
        allowed = min(max_lines, max(1, max_height // lh))
        if max(widths) <= limit:
            needed = _greedy_count(widths, space, limit)
            for count in range(needed, min(needed + spare, allowed) + 1):
                lines = _balanced_breaks(widths, space, words, limit, count)
                if lines is not None and all(text_width(font_path, size, l) <= max_width for l in lines):
                    layout = TitleLayout(size, tuple(lines), False, lh)
                    if not _break_faults(lines):
                        return layout, first
                    first = first or layout
        size -= 2
    return None, first


def _break_faults(lines) -> int:
    """Lines ending on a weak word, plus a short word alone on the last line."""
    faults = sum(_is_weak(line.split(" ")[-1]) for line in lines[:-1])
    last = lines[-1].split(" ")
    if len(lines) > 1 and len(last) == 1 and len(last[0]) <= 7:
        faults += 1
    return faults


def _greedy_count(widths, space, limit) -> int:
    count, current = 1, -space
    for w in widths:
        if current + space + w > limit and current > 0:
            count += 1
            current = w
        else:
            current += space + w
    return count


def _truncated_layout(words, font_path, max_width, max_height, max_lines, size, line_height) -> TitleLayout:
    """At the smallest size the title still does not fit. A word wider than a line
    (an address, a long compound) is cut into pieces that leave room for « … »; if the
    pieces then fit, the whole title is shown. Otherwise keep the longest run of
    leading words that fits, with an ellipsis, in balanced lines (found by bisection
    on the number of words kept)."""
    width = lambda t: text_width(font_path, size, t)  # noqa: E731
    lh = round(size * line_height)
    allowed = min(max_lines, max(1, max_height // lh))
    room = max_width - width(ELLIPSIS)
    pieces, glued = [], set()  # glued: indices of pieces continued by the next one
    for w in words:
        cut = _split_long_word(w, width, room) if width(w) > max_width else [w]
        glued.update(range(len(pieces), len(pieces) + len(cut) - 1))
        pieces.extend(cut)
    space = width(" ")

    def balanced(kept):
        widths = [width(w) for w in kept]
        if max(widths) > max_width:
            return None
        for lines in range(1, allowed + 1):
            if _greedy_count(widths, space, max_width) <= lines:
                found = _balanced_breaks(widths, space, kept, max_width, lines)
                if found and all(width(line) <= max_width for line in found):
                    return _unsplit(found, glued)
        return None

    def attempt(n):
        kept = pieces[:n]
        # Never end on an article, a preposition or an opening guillemet.
        while len(kept) > 1 and (_is_weak(kept[-1]) or kept[-1].endswith("«")):
            kept = kept[:-1]
        return balanced(kept[:-1] + [kept[-1].rstrip(" \u00a0\u202f,;:.«–—-") + ELLIPSIS])

    whole = balanced(pieces)
    if whole:
        return TitleLayout(size, tuple(whole), False, lh)
    lo, hi, best = 1, len(pieces), None
    while lo <= hi:
        mid = (lo + hi) // 2
        found = attempt(mid)
        if found:
            best, lo = found, mid + 1
        else:
            hi = mid - 1
    return TitleLayout(size, tuple(best or (ELLIPSIS,)), True, lh)


# --------------------------------------------------------------------------
# Background and generative motif
# --------------------------------------------------------------------------


def seeded_rng(seed: str) -> random.Random:
    """A PRNG that depends on the seed string only (never on PYTHONHASHSEED)."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@lru_cache(maxsize=4)
def _ramp(direction: int) -> Image.Image:
    """Diagonal 0–255 ramp (top-left → bottom-right, or mirrored)."""
    vertical = Image.linear_gradient("L").resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    horizontal = Image.linear_gradient("L").rotate(90 * direction).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return ImageChops.add(vertical.point(lambda v: v * 0.45), horizontal.point(lambda v: v * 0.55))


@lru_cache(maxsize=4)  # 3 MB each; jobs come grouped by palette (covers._palette_order)
def _background_cached(base: str, deep: str, direction: int) -> Image.Image:
    return Image.composite(
        Image.new("RGB", (WIDTH, HEIGHT), pal.hex_to_rgb(deep)),
        Image.new("RGB", (WIDTH, HEIGHT), pal.hex_to_rgb(base)),
        _ramp(direction),
    )


@lru_cache(maxsize=4)  # 3 MB each; jobs come grouped by palette (covers._palette_order)
def _solid(colour: str) -> Image.Image:
    """A full-size plain image of ``colour``. Pasting it through a mask gives
    the same pixels as pasting the colour itself, in half the time: Pillow's
    image-through-mask blend is the faster loop (3.6 ms against 7.5 ms for a
    1200×630 cover)."""
    return Image.new("RGB", (WIDTH, HEIGHT), pal.hex_to_rgb(colour))


def _background(p: pal.Palette, rng: random.Random) -> Image.Image:
    """Diagonal gradient from the base colour to its deep shade (direction
    from the seed). Built once per palette and direction in each process: shared,
    never to be drawn on (``_with_motif`` paints on a copy)."""
    return _background_cached(p.base, p.deep, rng.choice((-1, 1)))


def _fade_mask(strength_centre: float, strength_edge: float) -> Image.Image:
    """Opacity of the motif across the width: faint behind the text, full in
    the wings that a square crop removes."""
    row = []
    for x in range(WIDTH):
        d = abs(x + 0.5 - WIDTH / 2) / (WIDTH / 2)  # 0 centre → 1 edge
        t = min(max((d - 0.42) / 0.38, 0.0), 1.0)
        t = t * t * (3 - 2 * t)
        row.append(round(255 * (strength_centre + (strength_edge - strength_centre) * t)))
    line = Image.new("L", (WIDTH, 1))
    line.putdata(row)
    return line.resize((WIDTH, HEIGHT), Image.Resampling.NEAREST)


@lru_cache(maxsize=4)
def _cached_fade(centre: float, edge: float) -> Image.Image:
    return _fade_mask(centre, edge)


@lru_cache(maxsize=64)
def _truchet_tiles(cell: int, stroke: int) -> tuple[Image.Image, Image.Image]:
    """The two Truchet tiles for a cell size, anti-aliased (drawn at 4×)."""
    s = 4
    c, w = cell * s, stroke * s
    rr = c // 2 + w // 2  # Pillow strokes inwards: centre the stroke on r
    tiles = []
    for variant in (0, 1):
        tile = Image.new("L", (c, c), 0)
        draw = ImageDraw.Draw(tile)
        if variant == 0:
            draw.arc((-rr, -rr, rr, rr), 0, 90, fill=255, width=w)
            draw.arc((c - rr, c - rr, c + rr, c + rr), 180, 270, fill=255, width=w)
        else:
            draw.arc((c - rr, -rr, c + rr, rr), 90, 180, fill=255, width=w)
            draw.arc((-rr, c - rr, rr, c + rr), 270, 360, fill=255, width=w)
        tiles.append(tile.reduce(s))
    return tiles[0], tiles[1]


def _motif_truchet(rng: random.Random) -> Image.Image:
    """Smith's Truchet tiles: two quarter circles per cell, orientation drawn
    from the seed; reads as a continuous maze of curves. Tiles are rendered
    once per process and pasted (arcs stay inside their cell)."""
    cell = rng.choice((60, 70, 84, 105))
    stroke = max(2, round(cell * rng.uniform(0.05, 0.08)))
    tiles = _truchet_tiles(cell, stroke)
    layer = Image.new("L", (WIDTH, HEIGHT), 0)
    ox, oy = -rng.randrange(cell), -rng.randrange(cell)
    for y in range(oy, HEIGHT, cell):
        for x in range(ox, WIDTH, cell):
            layer.paste(tiles[rng.random() < 0.5], (x, y))
    return layer


def _draw_rings(draw: ImageDraw.ImageDraw, rng: random.Random, s: int) -> None:
    """Concentric rings from two centres, one per wing, like ripples or a
    contour map; spacing and positions from the seed."""
    gap = rng.choice((18, 22, 26, 30))
    stroke = rng.choice((2, 3))
    centres = [
        (rng.uniform(-80, 220), rng.uniform(-60, HEIGHT + 60)),
        (rng.uniform(WIDTH - 220, WIDTH + 80), rng.uniform(-60, HEIGHT + 60)),
    ]
    for cx, cy in centres:
        count = rng.randint(14, 24)
        for k in range(1, count + 1):
            r = k * gap
            draw.ellipse(((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s), outline=255, width=stroke * s)


def _draw_halftone(draw: ImageDraw.ImageDraw, rng: random.Random, s: int) -> None:
    """A halftone field: a dot grid whose dot size follows a smooth wave
    pattern set by the seed, like a printed gradient."""
    step = rng.choice((18, 22, 26))
    waves = [(rng.uniform(0.004, 0.012), rng.uniform(0.004, 0.012), rng.uniform(0, math.tau)) for _ in range(3)]
    for y in range(step // 2, HEIGHT, step):
        for x in range(step // 2, WIDTH, step):
            v = sum(math.sin(x * a + y * b + ph) for a, b, ph in waves) / 3  # -1..1
            r = (v + 1) / 2 * step * 0.46
            if r < 1.2:
                continue
            draw.ellipse(((x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s), fill=255)


def _motif_contours(rng: random.Random) -> Image.Image:
    """Topographic contour lines of a smooth seeded relief (a few Gaussian
    hills on a coarse grid), traced with Pillow filters rather than Python
    loops over pixels: upscale, cut into terraces, find the terrace edges.
    Returns the 1× mask directly (filters on a supersampled canvas cost 4×)."""
    gw, gh = 40, 21
    hills = [
        (rng.uniform(-0.1, 1.1) * gw, rng.uniform(-0.1, 1.1) * gh, rng.uniform(3.5, 9.5), rng.uniform(-1, 1))
        for _ in range(9)
    ]
    values = [
        sum(a * math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r)) for cx, cy, r, a in hills)
        for y in range(gh)
        for x in range(gw)
    ]
    lo, hi = min(values), max(values)
    levels = rng.choice((12, 15, 18))
    # Float image: an 8-bit field upscaled would show stair steps. Traced at
    # half size, then enlarged: the bilinear step anti-aliases the lines.
    field = Image.new("F", (gw, gh))
    field.putdata([(v - lo) / (hi - lo or 1) * (levels - 0.001) for v in values])
    field = field.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.BICUBIC)
    terraces = field.convert("I").point(lambda i: i * 16).convert("L")
    edges = terraces.filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v else 0)
    # The edge filter sees the image border as an edge: erase that frame.
    ImageDraw.Draw(edges).rectangle((0, 0, edges.width - 1, edges.height - 1), outline=0, width=2)
    edges = edges.filter(ImageFilter.GaussianBlur(0.7)).point(lambda v: min(255, v * 2))
    return edges.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


MOTIFS = (
    _motif_truchet,
    lambda rng: _supersampled(_draw_rings, rng),
    lambda rng: _supersampled(_draw_halftone, rng),
    _motif_contours,
)


def _supersampled(draw_fn, rng: random.Random) -> Image.Image:
    """Run a vector motif on a ``SUPERSAMPLE``× canvas and reduce it: Pillow
    does not anti-alias shapes."""
    s = SUPERSAMPLE
    layer = Image.new("L", (WIDTH * s, HEIGHT * s), 0)
    draw_fn(ImageDraw.Draw(layer), rng, s)
    return layer.reduce(s)


def _motif_layer(rng: random.Random, which: int | None = None) -> Image.Image:
    """The chosen motif as a 1200×630 coverage mask (0–255)."""
    index = rng.randrange(len(MOTIFS)) if which is None else which
    return MOTIFS[index](rng)


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _tracked_mask(path: str, size: int, text: str, tracking: float):
    """``text`` with extra letter spacing (small capitals need air), rendered
    once per process as a mask: labels and the site name recur on every cover.
    Returns (mask, advance width, baseline offset inside the mask)."""
    f = font(path, size)
    widths = [text_width(path, size, ch) for ch in text]
    total = sum(widths) + tracking * max(len(text) - 1, 0)
    ascent, descent = f.getmetrics()
    pad = 2
    mask = Image.new("L", (math.ceil(total) + 2 * pad, ascent + descent + 2 * pad), 0)
    draw = ImageDraw.Draw(mask)
    x = pad
    for ch, w in zip(text, widths):
        draw.text((x, ascent + pad), ch, font=f, fill=255, anchor="ls")
        x += w + tracking
    return mask, total, ascent + pad


def _draw_tracked(img: Image.Image, xy, text: str, path: str, size: int, fill, tracking: float) -> None:
    """Paint a tracked text with its left end of baseline at ``xy``."""
    mask, _, baseline = _tracked_mask(path, size, text, tracking)
    img.paste(fill, (round(xy[0]) - 2, round(xy[1]) - baseline), mask)


def _tracked_width(text: str, path: str, size: int, tracking: float) -> float:
    return _tracked_mask(path, size, text, tracking)[1]


def _fit_label(label: str, path: str, limit: float, tracking: float, size: int = 21, smallest: int = 16):
    """A long category name first gets smaller, then loses its end to « … »,
    so the pill never leaves the square-crop-safe column."""
    while size > smallest and _tracked_width(label, path, size, tracking) > limit:
        size -= 1
    while len(label) > 1 and _tracked_width(label, path, size, tracking) > limit:
        words = label.removesuffix(ELLIPSIS).split(" ")
        shorter = " ".join(words[:-1]) if len(words) > 1 else words[0][:-1]
        label = shorter.rstrip(" ,;:–—-") + ELLIPSIS
    return label, size


def worst_background(img: Image.Image, box) -> tuple[int, int, int]:
    """The lightest colour that can occur under ``box``: per-channel maxima,
    an upper bound of the luminance of every pixel there (luminance grows with
    each channel), so a contrast check against it is conservative."""
    region = img.crop(tuple(int(v) for v in box))
    return tuple(hi for _, hi in region.getextrema()[:3])


# --------------------------------------------------------------------------
# The cover itself
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverSpec:
    """All inputs of one generated image (hashable, picklable)."""

    title: str
    label: str  # category (pill); empty for none
    footer: str  # e.g. « 23 octobre 2025 »; empty for none
    sitename: str
    palette: pal.Palette
    seed: str
    title_font: str
    ui_font: str
    subtitle: str = ""  # a line under the title (home card tagline)
    stripe: tuple = ()  # colours of a multi-colour rule instead of the plain one
    max_size: int = MAX_TITLE_SIZE
    motif: int | None = None  # force a motif family (examples, tests)
    art_only: bool = False  # background and motif, no text
    webp_art: bool = False  # the WebPs show the art without text, the JPEG the titled card


@dataclass
class Rendered:
    image: Image.Image
    layout: TitleLayout
    title_contrast: float
    min_contrast: float


def _art_layers(spec: CoverSpec) -> tuple[Image.Image, Image.Image]:
    """The seeded background and motif coverage mask, the costly part of a cover."""
    rng = seeded_rng(spec.seed)
    background = _background(spec.palette, rng)
    return background, _motif_layer(rng, spec.motif)


def _with_motif(background: Image.Image, motif: Image.Image, colour: str, art_only: bool) -> Image.Image:
    """The motif laid over (a copy of) the background: faint behind the text, or
    showing across the picture when there is no text."""
    fade = _cached_fade(0.38, 0.5) if art_only else _cached_fade(0.05, 0.42)
    img = background.copy()
    img.paste(_solid(colour), (0, 0), ImageChops.multiply(motif, fade))
    return img


def render_pair(spec: CoverSpec) -> tuple[Image.Image, Rendered]:
    """The art without text and the titled cover of one seed, drawn from one background
    and motif (an article's page and cards show the art beside its title; the share
    card needs the title)."""
    background, motif = _art_layers(spec)
    art = _with_motif(background, motif, spec.palette.motif, art_only=True)
    titled = _with_motif(background, motif, spec.palette.motif, art_only=False)
    return art, _titled(spec, titled)


def render_cover(spec: CoverSpec) -> Rendered:
    """Paint one cover; raise if any text would miss WCAG AA contrast."""
    background, motif = _art_layers(spec)
    img = _with_motif(background, motif, spec.palette.motif, spec.art_only)
    if spec.art_only:  # nothing to read on it: no contrast to check
        return Rendered(img, TitleLayout(spec.max_size, (), False, 0), 21.0, 21.0)
    return _titled(spec, img)


def _titled(spec: CoverSpec, img: Image.Image) -> Rendered:
    """Pill, title, subtitle and footer painted on `img`, each checked for contrast."""
    p = spec.palette
    draw = ImageDraw.Draw(img)
    text_rgb = pal.hex_to_rgb(p.text)
    codepoints_title = font_codepoints(spec.title_font)
    codepoints_ui = font_codepoints(spec.ui_font)
    contrasts = []

    # Category pill, top centre.
    label = drawable_text(spec.label, codepoints_ui).upper()
    if label:
        tracking, ph, px = 1.6, 44, 22
        label, size = _fit_label(label, spec.ui_font, SAFE_WIDTH - 2 * px, tracking)
        pw = _tracked_width(label, spec.ui_font, size, tracking) + 2 * px
        x0, y0 = (WIDTH - pw) / 2, 62
        draw.rounded_rectangle((x0, y0, x0 + pw, y0 + ph), radius=ph / 2, fill=pal.hex_to_rgb(p.pill))
        baseline = y0 + ph / 2 + size * 0.36
        _draw_tracked(img, (x0 + px, baseline), label, spec.ui_font, size, pal.hex_to_rgb(p.pill_text), tracking)
        contrasts.append(pal.contrast_ratio(pal.hex_to_rgb(p.pill), pal.hex_to_rgb(p.pill_text)))

    # Title (and subtitle), optically centred in their band: between the cap
    # height of the first line and the baseline of the last.
    title = drawable_text(spec.title, codepoints_title)
    layout = layout_title(title, spec.title_font, max_size=spec.max_size)
    tf = font(spec.title_font, layout.size)
    cap = -tf.getbbox("H", anchor="ls")[1]
    ink = (len(layout.lines) - 1) * layout.line_height + cap
    subtitle = drawable_text(spec.subtitle, codepoints_ui)
    sub_lines: tuple = ()
    if subtitle:
        sub_layout = layout_title(subtitle, spec.ui_font, max_size=28, min_size=22, max_lines=2, max_height=80, line_height=1.35,
                                  overflow=None)
        sub_lines = sub_layout.lines
        sf = font(spec.ui_font, sub_layout.size)
        sub_gap = round(layout.size * 0.55)
        ink += sub_gap + sub_layout.line_height * (len(sub_lines) - 1) + sub_layout.size * 0.72
    centre = (TITLE_TOP + TITLE_BOTTOM) / 2
    first_baseline = centre - ink / 2 + cap
    last_baseline = first_baseline + (len(layout.lines) - 1) * layout.line_height
    box = [SAFE_LEFT, first_baseline - cap - 8, SAFE_RIGHT, max(last_baseline + layout.size * 0.25, first_baseline)]
    bg = worst_background(img, box)
    title_contrast = pal.contrast_ratio(bg, text_rgb)
    if title_contrast < pal.MIN_CONTRAST:
        # Should not happen with palettes from make_palette(); if a custom
        # colour is too light, darken what is behind the title until it passes.
        img = _darken_region(img, box, text_rgb)
        draw = ImageDraw.Draw(img)
        title_contrast = pal.contrast_ratio(worst_background(img, box), text_rgb)
    for i, line in enumerate(layout.lines):
        draw.text((WIDTH / 2, first_baseline + i * layout.line_height), line, font=tf, fill=text_rgb, anchor="ms")
    if sub_lines:
        sub_rgb = pal.mix(text_rgb, pal.hex_to_rgb(p.base), 0.12)
        y = last_baseline + sub_gap + sub_layout.size * 0.72
        sub_box = (SAFE_LEFT, y - sub_layout.size, SAFE_RIGHT, y + sub_layout.line_height * (len(sub_lines) - 1) + 8)
        contrasts.append(pal.contrast_ratio(worst_background(img, sub_box), sub_rgb))
        for i, line in enumerate(sub_lines):
            draw.text((WIDTH / 2, y + i * sub_layout.line_height), line, font=sf, fill=sub_rgb, anchor="ms")
    contrasts.append(title_contrast)

    # Footer: accent rule, site name and date.
    rule_y = 522
    if spec.stripe:
        seg, gap = 40, 6
        x0 = (WIDTH - len(spec.stripe) * seg - (len(spec.stripe) - 1) * gap) / 2
        for i, colour in enumerate(spec.stripe):
            x = x0 + i * (seg + gap)
            # Lightened so each hue shows against a dark background.
            tint = pal.mix(pal.hex_to_rgb(colour), (255, 255, 255), 0.3)
            draw.rounded_rectangle((x, rule_y - 1, x + seg, rule_y + 5), radius=3, fill=tint)
    else:
        rule_w = 44
        draw.rounded_rectangle(((WIDTH - rule_w) / 2, rule_y, (WIDTH + rule_w) / 2, rule_y + 4), radius=2, fill=pal.hex_to_rgb(p.pill))
    ff = font(spec.ui_font, 22)
    site = drawable_text(spec.sitename, codepoints_ui).upper()
    footer = drawable_text(spec.footer, codepoints_ui)
    if site or footer:
        sep = "   ·   " if site and footer else ""
        baseline = 572
        site_w = _tracked_width(site, spec.ui_font, 22, 1.4) if site else 0
        foot_w = text_width(spec.ui_font, 22, sep + footer)
        x = (WIDTH - site_w - foot_w) / 2
        muted = pal.mix(text_rgb, pal.hex_to_rgb(p.base), 0.18)
        foot_bg = worst_background(img, (x, baseline - 22, x + site_w + foot_w, baseline + 6))
        contrasts.append(pal.contrast_ratio(foot_bg, muted if footer else text_rgb))
        if site:
            _draw_tracked(img, (x, baseline), site, spec.ui_font, 22, text_rgb, 1.4)
        if footer:
            draw.text((x + site_w, baseline), sep + footer, font=ff, fill=muted, anchor="ls")

    worst = min(contrasts)
    if worst < pal.MIN_CONTRAST:
        raise ValueError(f"contraste insuffisant ({worst:.2f} < {pal.MIN_CONTRAST}) pour {spec.seed!r}")
    return Rendered(img, layout, title_contrast, worst)


def _darken_region(img, box, text_rgb):
    """Lay a soft dark scrim behind ``box`` until the text passes AA."""
    for alpha in range(40, 256, 24):
        scrim = Image.new("L", img.size, 0)
        ImageDraw.Draw(scrim).rounded_rectangle(
            (box[0] - 30, box[1] - 20, box[2] + 30, box[3] + 20), radius=24, fill=alpha
        )
        scrim = scrim.filter(ImageFilter.GaussianBlur(18))
        candidate = img.copy()
        candidate.paste((0, 0, 0), (0, 0), scrim)
        if pal.contrast_ratio(worst_background(candidate, box), text_rgb) >= pal.MIN_CONTRAST:
            return candidate
    return candidate


# --------------------------------------------------------------------------
# Writer-supplied covers
# --------------------------------------------------------------------------


def parse_focus(value) -> tuple[float, float]:
    """``"30% 40%"`` → (0.3, 0.4); centre when missing or unreadable."""
    if not value:
        return (0.5, 0.5)
    numbers = re.findall(r"(\d+(?:[.,]\d+)?)\s*%?", str(value))
    if len(numbers) != 2:
        raise ValueError(f"cover_focus attendu sous la forme « 30% 40% », reçu {value!r}")
    x, y = (min(max(float(n.replace(",", ".")) / 100, 0.0), 1.0) for n in numbers)
    return (x, y)


def crop_box(size, focus, ratio=WIDTH / HEIGHT):
    """Largest ``ratio`` box inside ``size``, centred on ``focus`` as far as the
    image edges allow."""
    w, h = size
    if w / h > ratio:
        cw, ch = round(h * ratio), h
    else:
        cw, ch = w, round(w / ratio)
    fx, fy = focus
    left = min(max(round(fx * w - cw / 2), 0), w - cw)
    top = min(max(round(fy * h - ch / 2), 0), h - ch)
    return (left, top, left + cw, top + ch)


_SRGB = None


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert to sRGB through the embedded ICC profile, then drop it."""
    global _SRGB
    icc = im.info.get("icc_profile")
    if icc:
        try:
            if _SRGB is None:
                _SRGB = ImageCms.createProfile("sRGB")
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGB" if im.mode not in ("RGBA", "LA", "PA") else "RGBA"
            im = ImageCms.profileToProfile(im.convert(mode) if im.mode not in ("RGB", "RGBA", "CMYK") else im, src, _SRGB, outputMode=mode)
        except Exception:  # broken profile: keep the pixels as they are
            pass
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, (0, 0), im)
        return flat
    return im.convert("RGB")


def _upright_size(im: Image.Image) -> tuple[int, int]:
    orientation = im.getexif().get(0x0112, 1)
    w, h = im.size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def final_size(upright: tuple[int, int], focus) -> tuple[int, int]:
    """Pixel size of the cover made from an image of size ``upright``."""
    left, top, right, bottom = crop_box(upright, focus)
    cw, ch = right - left, bottom - top
    return (WIDTH, HEIGHT) if cw > WIDTH else (cw, ch)


#: What Pillow raises for a file it cannot read as an image (unknown format,
#: truncated or corrupt data, absurd size): the writer's file, not our code.
UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


def supplied_size(source: str, focus) -> tuple[int, int]:
    """Size of the cover :func:`prepare_supplied` will make (templates need
    width/height before the image exists). The pixels are decoded too: a
    truncated or corrupt file must fail here, where its article is known, and
    not in a worker once the pages are written. The caller remembers the
    answer per file (size, mtime), so each file is decoded once."""
    with Image.open(source) as im:
        im.load()  # raises one of UNREADABLE
        return final_size(_upright_size(im), focus)


def prepare_supplied(source: str, focus) -> Image.Image:
    """Open a writer's image, upright (EXIF orientation), in sRGB, cropped to
    the cover ratio around the focus, and never enlarged."""
    with Image.open(source) as im:
        im.load()
        im = ImageOps.exif_transpose(im)
        im = _to_srgb(im)
    im = im.crop(crop_box(im.size, focus))
    size = (WIDTH, HEIGHT) if im.width > WIDTH else im.size  # as final_size()
    if size != im.size:
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return im


# --------------------------------------------------------------------------
# Encoding and the worker entry point
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    """Encoder settings. WebP ``method`` trades CPU for bytes: at 0 a 1200×630
    cover encodes about 2× faster than at 2 and 4× faster than at 4 (Pillow's
    default), for files that stay well under the size budget. JPEG Huffman
    optimisation halves the JPEG's encoding time for 4 % fewer bytes (73 → 76 kB
    on average): off by default, since the JPEG is the share card, fetched by
    social networks, not by readers' browsers (they take the WebP).

    The 1200 px WebP is taken by screens of 2.6× and more (phones) and by the home
    page's featured card: dense screens hide the difference between quality 70 and 80
    (checked side by side at 2× zoom), which saves ≈ 15 % of its bytes and a quarter
    of its encoding time (25 → 18 ms)."""

    jpeg_quality: int = 82
    webp_quality: int = 80
    webp_large_quality: int = 70
    webp_method: int = 0
    small_width: int = SMALL_WIDTH
    jpeg_optimize: bool = False


# Every encoding a cover can have; a share card only needs the JPEG.
FORMATS = ("jpg", "webp", "webp_small")


def encode(img: Image.Image, enc: Encoding, formats=FORMATS) -> dict[str, bytes]:
    """JPEG (share card, fallback) and WebP at full and small width, or the
    subset ``formats`` names.

    No EXIF, ICC, XMP or timestamp goes in: same pixels, same bytes.
    Baseline (not progressive) JPEG: it encodes 2–3× faster for ~3 % more bytes.
    """
    img = img.convert("RGB")
    out = {}
    if "jpg" in formats:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=enc.jpeg_quality, optimize=enc.jpeg_optimize, subsampling="4:2:0")
        out["jpg"] = buf.getvalue()
    if "webp" in formats:
        buf = io.BytesIO()
        img.save(buf, "WEBP", quality=enc.webp_large_quality, method=enc.webp_method)
        out["webp"] = buf.getvalue()
    if "webp_small" in formats:
        buf = io.BytesIO()
        _small(img, enc.small_width).save(buf, "WEBP", quality=enc.webp_quality, method=enc.webp_method)
        out["webp_small"] = buf.getvalue()
    return out


def _small(img: Image.Image, width: int) -> Image.Image:
    width = min(width, img.width)
    if width * 2 == img.width and img.height % 2 == 0:
        return img.reduce(2)  # exact halving: a box filter is as good, and 10× faster
    if width != img.width:
        # Bilinear is area-averaging in Pillow when it reduces: as sharp as Lanczos on flat
        # drawings and text at a 1.5× reduction, in half the time.
        return img.resize((width, round(img.height * width / img.width)), Image.Resampling.BILINEAR)
    return img


def run_job(job) -> tuple[str, int, int]:
    """Worker entry point: render (or prepare) one image and store its
    encodings in the cache under the job's paths. Returns (key, width, height).

    ``job`` is a tuple ``(key, paths, spec_or_source, encoding)`` where
    ``spec_or_source`` is a :class:`CoverSpec` or ``(source_path, focus)``;
    ``paths`` (format name → cache file) says which encodings to make.
    """
    key, paths, what, enc = job
    art = None  # a generated article cover: its WebPs come from the art without text
    if isinstance(what, CoverSpec) and what.webp_art:
        art, titled = render_pair(what)
        img = titled.image
    elif isinstance(what, CoverSpec):
        img = render_cover(what).image
    else:
        source, focus = what
        img = prepare_supplied(source, focus)
    data = encode(img, enc, tuple(name for name in paths if art is None or name == "jpg"))
    if art is not None:
        data.update(encode(art, enc, tuple(name for name in paths if name != "jpg")))
    # The JPEG last: its presence is what marks the entry complete.
    for name in sorted(data, key=lambda n: n == "jpg"):
        write_atomically(paths[name], data[name])  # a killed build leaves no half image
    return key, img.width, img.height
