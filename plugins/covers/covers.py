"""Covers: generated share images and writer-supplied covers, cached and parallel.

Why our own plugin: the existing ones draw « é » as an empty box, do not wrap
French titles, or crash on current Pillow (see README.md).

How a build goes (``CoversGenerator``, returned from ``get_generators`` so it
runs after the article and page generators have built the context):

1. ``generate_context``: for every article, draft, hidden article and page whose
   pages this build writes (``published``: an unpublished draft or scheduled
   article gets no image, which would show its title at a guessable address),
   and for the home page, each category and each tag, describe the image to make
   (title, labels, palette, seed…) and hash that description into a cache key.
   Attach ``cover_image`` / ``card`` objects so templates can use them at once.
   Images missing from the cache are submitted to a process pool right away,
   so they render while Pelican writes the HTML.
2. ``generate_output``: wait for the pool, then copy from the cache into
   ``output/`` whatever is not already there, identical.

With ``COVERS_DEFERRED`` (set by ``tools/run_pelican.py``, which runs Pelican in a
forked process), nothing is drawn during the build: ``generate_output`` leaves the
batch (``batch.CoverBatch``: plain data) to be drawn and published once Pelican's
process has ended, by processes forked from the runner's small one (why: ``batch.py``).

A warm build therefore hashes a few strings per article and stats a few files:
no image is decoded, drawn or encoded.

A writer's mistake (a ``cover:`` file missing or unreadable, a bad ``cover_focus``,
two contents whose covers would share a file) is one ERROR line
``fichier:ligne: clé: message (correction)``, as the front-matter plugin writes
them, and the article gets a generated cover: the build goes on, reports every
other mistake too, and exits 1. ``CoverError`` (a traceback) is left for our bugs
and the settings.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import html
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import _memoire as memoire
import _processus as processus
import babel
from _texte import french_day
from frontmatter.frontmatter import (  # plugins/ is on sys.path, as for _texte
    display_path,
    report_after_reading as report,
)
from pelican import signals

from . import batch, drawing
from . import palette as pal
from .batch import CoverError

logger = logging.getLogger(__name__)
LOG = "[covers] "

_PLUGIN_DIR = Path(__file__).resolve().parent
# Cover fonts ship with the plugin, not in the theme's static folder: they would be
# copied into output/ for nothing (the web uses a 27 KB subset, theme/static/fonts).
_REPO_FONTS = _PLUGIN_DIR / "fonts"

DEFAULT_TEXT = {
    # Alternative text of a generated cover (front-matter cover_alt wins).
    "cover_alt": "Illustration\u00a0: {title}",
    # Pill of category and tag cards; a child category shows its parent.
    "category": "Rubrique",
    "tag": "Étiquette",
    "card_alt": "{label}\u00a0: {name} — {sitename}",
    "home_alt": "{sitename}",
    # Line under the site name on the home card; else SITESUBTITLE, else
    # the parent categories.
    "home_tagline": "",
}

DEFAULTS = {
    "COVERS_ENABLED": True,
    "COVERS_CACHE_PATH": None,  # <CACHE_PATH>/covers
    "COVERS_FONT": "InterDisplay-Bold.ttf",
    "COVERS_UI_FONT": "Inter-SemiBold.ttf",
    "COVERS_JPEG_QUALITY": 82,
    "COVERS_JPEG_OPTIMIZE": False,  # True: ~4 % smaller JPEGs, twice the JPEG encoding time
    "COVERS_WEBP_QUALITY": 80,  # the small WebP (800 px)
    "COVERS_WEBP_LARGE_QUALITY": 70,  # the 1200 px WebP, for dense screens
    "COVERS_WEBP_METHOD": 0,
    "COVERS_SMALL_WIDTH": drawing.SMALL_WIDTH,
    "COVERS_WORKERS": None,  # os.cpu_count()
    "COVERS_OUTPUT_DIR": "images/covers",
    "COVERS_CARDS_DIR": "images/cards",
    "COVERS_CARDS": True,
    "COVERS_CARDS_WEBP": False,  # cards are share images (JPEG); True if a theme shows them in pages
    "COVERS_HARDLINKS": True,
    "COVERS_CACHE_KEEP_DAYS": 30,  # unused cached images older than this are deleted; None: never
    "COVERS_PAGES": True,
    "COVERS_SITE_COLOR": pal.DEFAULT_SITE_COLOR,
    "COVERS_DATE_FORMAT": "d MMMM y",
    "COVERS_LOCALE": "fr_FR",
    "COVERS_TEXT": DEFAULT_TEXT,
    "COVERS_DEFERRED": False,  # True: drawn and published after Pelican (tools/run_pelican.py)
}


@dataclass
class CoverImage:
    """What templates need for ``<picture>``, ``og:image`` and ``twitter:image``.

    URLs are relative to SITEURL; ``width``/``height`` are the real pixel size
    (a small supplied image is never enlarged, so it may be below 1200×630).
    A share card (home, category, tag) has no WebP unless ``COVERS_CARDS_WEBP``:
    no page shows it, only ``og:image`` points to it.
    """

    jpg: str
    webp: str | None
    webp_small: str | None
    width: int
    height: int
    small_width: int
    small_height: int
    alt: str
    supplied: bool = False
    mime: str = "image/jpeg"
    # A generated article cover: the WebPs (pages, cards) show its art without text,
    # since its title stands beside it; the JPEG (og:image) is the titled share card.
    art: bool = False

    @property
    def url(self) -> str:
        return self.jpg


# --------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------


def initialize(pelican) -> None:
    """``initialized``: fill our settings' defaults once, before any generator
    reads them (defaults live here, never in Pelican's DEFAULT_CONFIG)."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if not settings.get("COVERS_CACHE_PATH"):
        settings["COVERS_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), "covers")
    settings["COVERS_TEXT"] = {**DEFAULT_TEXT, **(settings.get("COVERS_TEXT") or {})}
    settings.setdefault("CATEGORY_COLORS", dict(pal.DEFAULT_CATEGORY_COLORS))


def get_generators(pelican):
    """``get_generators``: covers need the finished article and taxonomy
    lists, and produce files; a generator gets both at the right moments."""
    return CoversGenerator


def register() -> None:
    signals.initialized.connect(initialize)
    signals.get_generators.connect(get_generators)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def plain(text) -> str:
    """Titles may carry markup or entities from the typography step."""
    return html.unescape(_TAG.sub("", str(text or ""))).strip()


def french_date(date, fmt: str = "d MMMM y", locale: str = "fr_FR") -> str:
    """« 1er octobre 2025 », « 23 octobre 2025 »: Babel, never setlocale; the same
    function as the theme's ``date_fr`` filter."""
    return french_day(datetime.date(date.year, date.month, date.day), fmt, locale)


def with_address(contents) -> list:
    """The drafts (articles or pages) whose pages this build writes: those with an
    address. This blog gives drafts none (``DRAFT_SAVE_AS = ""``), nor has a scheduled
    article, which Pelican keeps among the drafts until its date; its cover would show
    its title and date at a guessable address before the article is out. A build that
    shows drafts (``SHOW_DRAFTS``) has them among the articles: the front-matter plugin
    publishes them. Stock Pelican writes drafts under ``drafts/``: they keep a cover."""
    return [content for content in contents if getattr(content, "save_as", "")]


def _file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_key(*parts) -> str:
    """Stable hash of JSON-able parts (sorted keys, UTF-8)."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40]


def resolve_font(value: str, theme: str | None) -> str:
    """A font setting may be a path, or a file name looked up in the theme's
    ``static/fonts`` then in the plugin's own ``fonts`` folder."""
    candidates = [Path(value)]
    if theme:
        candidates.append(Path(theme) / "static" / "fonts" / value)
    candidates.append(_REPO_FONTS / value)
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate.resolve())
    raise CoverError(f"police introuvable : {value} (cherchée dans {', '.join(map(str, candidates))})")


@dataclass
class _Item:
    """One image to have in output: its cache files and where they go."""

    key: str
    job: object  # CoverSpec or (source, focus)
    cache: dict  # name -> cache path
    out: dict  # name -> output path (relative to OUTPUT_PATH)
    image: CoverImage
    origin: str  # for error messages
    content: object = None  # the article or page (None for a card)


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------


class CoversGenerator:
    """Pelican generator shape: ``generate_context`` then ``generate_output``."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context = context
        self.settings = settings
        self.path = path
        self.theme = theme
        self.output_path = output_path
        self.items: dict[str, _Item] = {}  # output jpg path -> item
        self.batch: batch.CoverBatch | None = None
        self.drawing: batch.DrawingRun | None = None  # None: not started (COVERS_DEFERRED)

    # -- context ------------------------------------------------------------

    def generate_context(self) -> None:
        if not self.settings.get("COVERS_ENABLED", True):
            return
        self.started = time.perf_counter()  # our own time is logged at the end
        s = self.settings
        self.text = {**DEFAULT_TEXT, **(s.get("COVERS_TEXT") or {})}
        self.cache_dir = os.path.abspath(s.get("COVERS_CACHE_PATH") or os.path.join(s.get("CACHE_PATH", "cache"), "covers"))
        os.makedirs(self.cache_dir, exist_ok=True)
        self.title_font = resolve_font(s.get("COVERS_FONT", DEFAULTS["COVERS_FONT"]), self.theme)
        self.ui_font = resolve_font(s.get("COVERS_UI_FONT", DEFAULTS["COVERS_UI_FONT"]), self.theme)
        self.encoding = drawing.Encoding(
            jpeg_quality=int(s.get("COVERS_JPEG_QUALITY", 82)),
            webp_quality=int(s.get("COVERS_WEBP_QUALITY", 80)),
            webp_large_quality=int(s.get("COVERS_WEBP_LARGE_QUALITY", 70)),
            webp_method=int(s.get("COVERS_WEBP_METHOD", 0)),
            small_width=int(s.get("COVERS_SMALL_WIDTH", drawing.SMALL_WIDTH)),
            jpeg_optimize=bool(s.get("COVERS_JPEG_OPTIMIZE", False)),
        )
        self.card_formats = drawing.FORMATS if s.get("COVERS_CARDS_WEBP") else ("jpg",)
        # Everything besides the drawn strings that changes the bytes; hashed
        # once here rather than serialised again into each image's key.
        self.fixed_parts = cache_key({
            "design": drawing.DESIGN_VERSION,
            "engine": drawing.engine_fingerprint(),
            "fonts": [_file_sha256(self.title_font), _file_sha256(self.ui_font)],
            "encoding": [
                self.encoding.jpeg_quality,
                self.encoding.webp_quality,
                self.encoding.webp_large_quality,
                self.encoding.webp_method,
                self.encoding.small_width,
                self.encoding.jpeg_optimize,
            ],
        })
        self.tree = s.get("CATEGORY_TREE") or {}
        self.colors = s.get("CATEGORY_COLORS") or {}
        self.sitename = plain(s.get("SITENAME", ""))
        self.site_palette = pal.make_palette(s.get("COVERS_SITE_COLOR") or pal.DEFAULT_SITE_COLOR)
        self._palettes: dict = {}
        self._sources = self._load_sources()
        # French dates of the previous builds: Babel costs 80 µs a date, on every warm build.
        self._dates = memoire.Memo(Path(self.cache_dir) / "dates.pickle",
                                   f"babel {babel.__version__}".encode())
        self._used_sources: dict = {}

        ctx = self.context
        # Published and hidden contents have pages; drafts only when they have an address.
        articles = [*(ctx.get("articles") or []), *(ctx.get("hidden_articles") or []),
                    *with_address(ctx.get("drafts") or [])]
        self._published = {id(article) for article in articles}
        for article in articles:
            self._attach_article(article, dated=True)
        if s.get("COVERS_PAGES", True):
            for page in [*(ctx.get("pages") or []), *(ctx.get("hidden_pages") or []),
                         *with_address(ctx.get("draft_pages") or [])]:
                self._attach_article(page, dated=False)
        if s.get("COVERS_CARDS", True):
            self._attach_cards()

        self._save_sources()
        self._dates.save()
        self.batch = self._batch()
        # From here on the batch and each content's ``cover_image`` are all that is
        # needed: the rest (specs, paths by format: ≈ 6 MB at 5000 articles) would stay
        # in the build's memory, and be copied by the render processes, until it ends.
        self.items, self._sources, self._used_sources, self._published = {}, {}, {}, set()
        if not s.get("COVERS_DEFERRED"):  # drawn while Pelican writes the pages
            self.drawing = self.batch.start()
        self.own_time = time.perf_counter() - self.started

    def _palette(self, category: str | None) -> pal.Palette:
        if category not in self._palettes:
            self._palettes[category] = pal.category_palette(category, self.tree, self.colors)
        return self._palettes[category]

    def _register(self, item: _Item, content=None) -> None:
        """Keep ``item`` unless another image already has its file. Two contents
        with one slug are the writer's mistake, reported at the ``slug:`` line
        (the first keeps the file); not when they share their address too, which
        the front-matter plugin reports naming both files. Two cards with one
        file can only come from the settings."""
        target = item.out["jpg"]
        previous = self.items.get(target)
        if previous is None or previous.key == item.key:
            item.content = content
            self.items[target] = item
        elif content is None:
            raise CoverError(f"{item.origin}: l’image {target} est déjà produite pour {previous.origin}")
        elif getattr(content, "save_as", None) != getattr(previous.content, "save_as", None):
            report(content, "slug", f"l’image de couverture {target} est déjà celle de {previous.origin}",
                   "donnez à l’un des deux un autre slug: dans son en-tête", lines_of=("title",))

    def _paths(self, key: str, out_dir: str, slug: str, formats=drawing.FORMATS):
        """Cache files and output URLs of the encodings in ``formats``."""
        stem = os.path.join(self.cache_dir, key)
        cache = {"jpg": f"{stem}.jpg", "webp": f"{stem}.webp", "webp_small": f"{stem}-small.webp"}
        urls = {
            "jpg": f"{out_dir}/{slug}.jpg",
            "webp": f"{out_dir}/{slug}.webp",
            "webp_small": f"{out_dir}/{slug}-{self.encoding.small_width}.webp",
        }
        return {k: cache[k] for k in formats}, {k: urls[k] for k in formats}

    def _attach_article(self, article, dated: bool) -> None:
        slug = getattr(article, "slug", None)
        if not slug:
            return
        meta = getattr(article, "metadata", {}) or {}
        source = getattr(article, "source_path", None)
        origin = display_path(source) if source else slug
        title = plain(getattr(article, "title", ""))
        alt = plain(meta.get("cover_alt")) or self.text["cover_alt"].format(title=title, sitename=self.sitename)
        out_dir = self.settings.get("COVERS_OUTPUT_DIR", "images/covers").strip("/")
        item = None
        if meta.get("cover"):
            item = self._supplied_item(article, meta, slug, out_dir, alt, origin)
        if item is None:  # no cover: key, or one that cannot be used (reported)
            item = self._generated_item(self._article_spec(article, title, slug, dated), out_dir, slug, alt, origin)
        article.cover_image = item.image
        self._register(item, article)

    def _article_spec(self, article, title: str, slug: str, dated: bool) -> drawing.CoverSpec:
        category = getattr(getattr(article, "category", None), "name", None) if dated else None
        if dated:
            day = datetime.date(article.date.year, article.date.month, article.date.day)
            fmt = self.settings.get("COVERS_DATE_FORMAT", "d MMMM y")
            locale = self.settings.get("COVERS_LOCALE", "fr_FR")
            date_text = self._dates.get((day, fmt, locale), french_date, day, fmt, locale)
        else:
            date_text = ""
        return drawing.CoverSpec(
            title=title,
            label=category or "",
            footer=plain(date_text),
            sitename=self.sitename,
            palette=self._palette(category) if dated else self.site_palette,
            seed=slug,
            title_font=self.title_font,
            ui_font=self.ui_font,
            webp_art=True,
        )

    def _generated_item(self, spec: drawing.CoverSpec, out_dir: str, slug: str, alt: str, origin: str,
                        formats=drawing.FORMATS) -> _Item:
        key = cache_key(
            "generated",
            self.fixed_parts,
            [
                spec.title,
                spec.label,
                spec.footer,
                spec.sitename,
                spec.subtitle,
                list(spec.stripe),
                spec.max_size,
                spec.palette.as_tuple(),
                spec.seed,
                spec.motif,
                spec.art_only,
                spec.webp_art,
            ],
        )
        cache, urls = self._paths(key, out_dir, slug, formats)
        small_w = self.encoding.small_width
        image = CoverImage(
            jpg=urls["jpg"],
            webp=urls.get("webp"),
            webp_small=urls.get("webp_small"),
            width=drawing.WIDTH,
            height=drawing.HEIGHT,
            small_width=small_w,
            small_height=round(drawing.HEIGHT * small_w / drawing.WIDTH),
            alt=alt,
            art=spec.webp_art,
        )
        return _Item(key, spec, cache, urls, image, origin)

    def _supplied_item(self, article, meta, slug, out_dir, alt, origin) -> _Item | None:
        """The writer's ``cover:`` image, or None when it cannot be used: the mistake
        is reported at its line and the article gets a generated cover, so its
        pages still render (wording shared with ``invoke check``, missing-image)."""
        supplied = str(meta["cover"]).strip()
        if re.match(r"^(?:https?:)?//", supplied):
            report(article, "cover",
                   f"image de couverture « {supplied} » sur un autre site : les pages n’affichent "
                   "que leurs propres images",
                   "enregistrez-la dans content/images/ (si vous en avez le droit) et écrivez "
                   "cover: images/nom.jpg, ou retirez la clé pour une couverture générée")
            return None
        rel = re.sub(r"^\{(static|attach|filename)\}", "", supplied).lstrip("/")
        source = os.path.join(self.path, rel)
        if not os.path.isfile(source):
            report(article, "cover",
                   f"image de couverture « {supplied} » introuvable dans {display_path(self.path)}/",
                   f"mettez l’image en {display_path(source)} ou retirez la clé pour une couverture générée")
            return None
        try:
            focus = drawing.parse_focus(meta.get("cover_focus"))
        except ValueError:
            report(article, "cover_focus", f"« {meta.get('cover_focus')} » illisible, image centrée",
                   "donnez le point à garder, horizontal puis vertical : cover_focus: 30% 40%")
            focus = drawing.parse_focus(None)
        try:
            digest, width, height = self._source_info(source, focus)
        except drawing.UNREADABLE:
            report(article, "cover",
                   f"image de couverture « {supplied} » illisible : fichier abîmé ou format inconnu",
                   "enregistrez-la de nouveau en JPEG, PNG ou WebP, "
                   "ou retirez la clé pour une couverture générée")
            return None
        key = cache_key("supplied", self.fixed_parts, [digest, list(focus)])
        cache, urls = self._paths(key, out_dir, slug)
        small_w = min(self.encoding.small_width, width)
        image = CoverImage(
            jpg=urls["jpg"],
            webp=urls["webp"],
            webp_small=urls["webp_small"],
            width=width,
            height=height,
            small_width=small_w,
            small_height=round(height * small_w / width),
            alt=alt,
            supplied=True,
        )
        return _Item(key, (source, focus), cache, urls, image, origin)

    # A supplied image is identified by its content; its hash and final size
    # are remembered by (path, size, mtime) so warm builds read no image.
    def _load_sources(self) -> dict:
        try:
            with open(os.path.join(self.cache_dir, "sources.json"), encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return {}

    def _save_sources(self) -> None:
        used = self._used_sources
        if used == self._sources:
            return
        path = os.path.join(self.cache_dir, "sources.json")
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(used, fh, sort_keys=True, indent=0)
        os.replace(path + ".tmp", path)

    def _source_info(self, source: str, focus) -> tuple[str, int, int]:
        st = os.stat(source)
        entry_key = f"{os.path.abspath(source)}|{focus[0]:.4f},{focus[1]:.4f}"
        entry = self._sources.get(entry_key)
        if not (entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns):
            width, height = drawing.supplied_size(source, focus)
            entry = [st.st_size, st.st_mtime_ns, _file_sha256(source), width, height]
        self._used_sources[entry_key] = entry
        return entry[2], entry[3], entry[4]

    def _parent_colors(self) -> list[str]:
        """Colours of the parent categories, in CATEGORY_TREE order."""
        names = list(self.tree) or list(self.colors)
        return [pal.category_color(name, self.tree, self.colors) for name in names]

    def _shown(self, taxonomies) -> list:
        """Categories and tags with at least one published article. Pelican lists
        only those already; kept explicit because a card is published at a
        guessable address: a tag carried only by a draft or a scheduled article
        would announce its subject. A card draws the name of its category or tag,
        never an article's title."""
        return [(taxonomy, articles) for taxonomy, articles in taxonomies or []
                if any(id(article) in self._published for article in articles)]

    def _attach_cards(self) -> None:
        out_dir = self.settings.get("COVERS_CARDS_DIR", "images/cards").strip("/")
        domain = urlsplit(self.settings.get("SITEURL") or "").netloc
        text = self.text
        # Home page.
        # Tagline: the writer's, else the site's subtitle, else the sections
        # the blog covers (each name kept whole on a line).
        tagline = plain(text.get("home_tagline") or self.settings.get("SITESUBTITLE") or "")
        if not tagline and self.tree:
            tagline = "\u00a0· ".join(name.replace(" ", "\u00a0") for name in self.tree)
        spec = drawing.CoverSpec(
            title=self.sitename or "Accueil",
            label="",
            footer=domain,
            sitename="",
            palette=self.site_palette,
            seed="card:accueil",
            title_font=self.title_font,
            ui_font=self.ui_font,
            subtitle=tagline,
            stripe=tuple(self._parent_colors()),
            max_size=120,
        )
        item = self._generated_item(spec, out_dir, "accueil", text["home_alt"].format(sitename=self.sitename), "accueil",
                                    self.card_formats)
        self.context["SITE_CARD"] = item.image
        self._register(item)
        # Categories: a child shows its parent in the pill.
        parents = {child.casefold(): parent for parent, children in self.tree.items() for child in children or ()}
        for category, _articles in self._shown(self.context.get("categories")):
            label = parents.get(category.name.casefold()) or text["category"]
            spec = drawing.CoverSpec(
                title=category.name,
                label=label,
                footer=domain,
                sitename=self.sitename,
                palette=self._palette(category.name),
                seed=f"card:categorie:{category.slug}",
                title_font=self.title_font,
                ui_font=self.ui_font,
            )
            alt = text["card_alt"].format(label=label, name=category.name, sitename=self.sitename)
            item = self._generated_item(spec, f"{out_dir}/categorie", category.slug, alt, f"catégorie {category.name}",
                                        self.card_formats)
            category.card = item.image
            self._register(item)
        for tag, _articles in self._shown(self.context.get("tags")):
            spec = drawing.CoverSpec(
                title=tag.name,
                label=text["tag"],
                footer=domain,
                sitename=self.sitename,
                palette=self.site_palette,
                seed=f"card:etiquette:{tag.slug}",
                title_font=self.title_font,
                ui_font=self.ui_font,
            )
            alt = text["card_alt"].format(label=text["tag"], name=tag.name, sitename=self.sitename)
            item = self._generated_item(spec, f"{out_dir}/etiquette", tag.slug, alt, f"étiquette {tag.name}",
                                        self.card_formats)
            tag.card = item.image
            self._register(item)

    # -- drawing and output ------------------------------------------------------

    def _batch(self) -> batch.CoverBatch:
        """The images this build must have in ``output/``: the cache listed once (not a
        stat per file), what it lacks to be drawn, and where each file goes."""
        seen = set()
        misses = []
        cached = 0
        cache_inodes = batch.directory_inodes(self.cache_dir)
        for item in self.items.values():
            if item.key in seen:
                continue
            seen.add(item.key)
            if all(os.path.basename(p) in cache_inodes for p in item.cache.values()):
                cached += 1
            else:
                misses.append((item.key, item.cache, item.job, self.encoding))
        misses.sort(key=batch.palette_order)  # workers keep few backgrounds in memory
        s = self.settings
        images = batch.CoverBatch(
            cache_dir=self.cache_dir, output_path=self.output_path, misses=misses,
            outputs=[(item.cache[name], rel) for item in self.items.values()
                     for name, rel in item.out.items()],
            cache_inodes=cache_inodes,
            workers=int(s.get("COVERS_WORKERS") or os.cpu_count() or 1),
            link=bool(s.get("COVERS_HARDLINKS", True)),
            keep_days=s.get("COVERS_CACHE_KEEP_DAYS", 30))
        images.stats.update(rendered=len(misses), cached=cached)
        return images

    def generate_output(self, writer) -> None:
        if not self.settings.get("COVERS_ENABLED", True):
            return
        started = time.perf_counter()
        note_produced = getattr(writer, "note_produced", None)  # ecriture: deleted once unused
        if note_produced is not None:
            for _, rel in self.batch.outputs:
                note_produced(os.path.join(self.output_path, rel))
        self.batch.own_time = self.own_time
        if self.drawing is None:  # COVERS_DEFERRED
            self.batch.own_time += time.perf_counter() - started
            processus.leave_for_after(batch.complete, self.batch, "CoversGenerator")
        else:
            self.batch.finish(self.drawing, started)
