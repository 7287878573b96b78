"""Tags as readers browse them: one tag per slug, a weighted cloud, an A–Z list in French
order, tag descriptions, related tags and related articles, all computed once per build.

Why our own: Pelican groups tags by slug but shows whichever spelling it met first, so
« Open Source » in one old article renames the tag everywhere. The tag-cloud plugin sorts
names by code point (« écologie » after « zoologie ») and recomputes per template;
related_posts counts shared tags as equals (a shared « IA » weighs as much as a shared
« SMR ») and compares every article with every other one, which is quadratic. Here the
data is computed in Python once, in time roughly linear in the number of (article, tag)
pairs, and templates only read attributes.

| hook | job |
| --- | --- |
| ``initialized`` | defaults of the ``TAG_*`` settings below; Jinja filter ``palier`` |
| ``article_generator_pretaxonomy`` | ``TAG_ALIASES``, then one canonical ``Tag`` per slug named with its most used spelling; every article's ``tags`` points at those, before Pelican groups them (so its tag pages and feeds use them) |
| ``article_generator_finalized`` | ``tag.weight``, ``tag.article_count``, ``tag.description`` (Markdown of ``content/etiquettes/*.md``, then the ``typographie`` pass if that plugin is loaded), ``tag.related_tags``, ``article.related_articles``; context ``tag_cloud``, ``tag_cloud_all``, ``tags_az``, ``tags_by_letter``; each tag's article list becomes a ``TagArticles`` (constant-time ``in``); the generator's ``generate_tags`` becomes ``write_tag_pages`` (same pages, each tag's articles put in date order from its own list instead of testing every article of the site) |

Settings (defaults set in ``initialized``):

| setting | default | meaning |
| --- | --- | --- |
| ``TAG_PAGES_ENABLED`` | ``True`` | ``False`` turns all of the above off (benchmarks compare both) |
| ``TAG_ALIASES`` | ``{}`` | ``{"IA": "intelligence artificielle"}``: keys compared by slug |
| ``TAG_CLOUD_MAX`` | ``30`` | tags in the sidebar/footer cloud (the most used ones) |
| ``TAG_CLOUD_STEPS`` | ``6`` | size steps of the cloud (CSS classes ``tag--1`` … ``tag--6``) |
| ``TAG_RELATED_TAGS_MAX`` | ``8`` | related tags shown on a tag page |
| ``TAG_RELATED_ARTICLES_MAX`` | ``3`` | related articles under an article |
| ``TAG_DESCRIPTIONS_DIR`` | ``"etiquettes"`` | folder of tag descriptions, inside ``PATH`` |
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import sys
import time
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import markdown
import yaml
from pelican import signals
from pelican.contents import Tag
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from pelican.writers import FileOverwriteFailedError
from unidecode import unidecode

logger = logging.getLogger(__name__)

DEFAULTS = {
    "TAG_PAGES_ENABLED": True,
    "TAG_ALIASES": {},
    "TAG_CLOUD_MAX": 30,
    "TAG_CLOUD_STEPS": 6,
    "TAG_RELATED_TAGS_MAX": 8,
    "TAG_RELATED_ARTICLES_MAX": 3,
    "TAG_DESCRIPTIONS_DIR": "etiquettes",
}
OTHER_INITIAL = "#"  # A–Z heading of tags starting with a digit or a symbol
SCORE_DIGITS = 9  # related-article scores are rounded so equal sums compare equal
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(?P<header>.*?)^---[ \t]*\r?$\n?", re.S | re.M)


# --- Slugs, spellings, aliases (pure) ----------------------------------------------------

def tag_slug(name: str, settings: Mapping | None = None) -> str:
    """The slug Pelican gives a tag named ``name`` under ``settings``."""
    settings = settings if settings is not None else DEFAULT_CONFIG
    subs = settings.get("TAG_REGEX_SUBSTITUTIONS",
                        settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    return slugify(name.strip(), regex_subs=subs,
                   preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


def _tag_names(item) -> list[str]:
    """Tag spellings of an article (as written, before merging) or of a list of names."""
    if isinstance(item, str):
        return [item]
    written = getattr(item, "tags_as_written", None)
    if written is not None:
        return list(written)
    tags = getattr(item, "tags", None) if not isinstance(item, (list, tuple, set)) else item
    return [tag if isinstance(tag, str) else tag.name for tag in (tags or [])]


def find_spelling_variants(articles_or_tag_lists: Iterable,
                           settings: Mapping | None = None) -> dict[str, Counter]:
    """Slugs written with more than one spelling, and how often each spelling is used.

    Accepts Pelican articles (their tags as written, even after this plugin merged them)
    or plain lists of tag names. Pass the build settings so slugs are computed exactly as
    in the build. Aliases are deliberate, so they are not applied here.

    >>> find_spelling_variants([["Open source", "IA"], ["open-source"], ["IA"]])
    {'open-source': Counter({'Open source': 1, 'open-source': 1})}
    """
    uses: dict[str, Counter] = defaultdict(Counter)
    for item in articles_or_tag_lists:
        for name in _tag_names(item):
            slug = tag_slug(name, settings)
            if slug:
                uses[slug][name.strip()] += 1
    return {slug: counter for slug, counter in sorted(uses.items()) if len(counter) > 1}


def resolve_aliases(aliases: Mapping[str, str], slug_of) -> dict[str, str]:
    """Slug of each alias → spelling of its final target (chains followed, cycles cut).

    >>> resolve_aliases({"IA": "AI", "AI": "intelligence artificielle"}, str.lower)
    {'ia': 'intelligence artificielle', 'ai': 'intelligence artificielle'}
    """
    direct = {slug_of(key): str(target).strip() for key, target in aliases.items()
              if slug_of(key) and str(target).strip()}
    resolved = {}
    for slug, target in direct.items():
        visited = [slug]
        while slug_of(target) in direct and slug_of(target) not in visited:
            visited.append(slug_of(target))
            target = direct[slug_of(target)]
        if slug_of(target) in direct:
            logger.warning("TAG_ALIASES: boucle %s (aucune fusion pour « %s » ; "
                           "corrigez TAG_ALIASES dans pelicanconf.py)",
                           " → ".join(visited + [slug_of(target)]), slug)
        elif slug_of(target) != slug:
            resolved[slug] = target
    return resolved


def choose_spelling(uses: Mapping[str, int], first_use: Mapping[str, object]) -> str:
    """The most used spelling; ties go to the spelling of the oldest article, then to
    code-point order, so the choice never depends on the order files are read in."""
    return min(uses, key=lambda spelling: (-uses[spelling], first_use[spelling], spelling))


# --- Cloud and A–Z list (pure) -------------------------------------------------------------

def cloud_weights(counts: Mapping, steps: int = 6) -> dict:
    """CSS step (1..steps) of each key, from its article count on a log scale.

    Steps are equal slices of [log(min), log(max)]; only the most used tags reach
    ``steps``. When every count is equal, every tag gets the middle step.

    >>> cloud_weights({"rare": 1, "moyen": 10, "courant": 100}, steps=6)
    {'rare': 1, 'moyen': 4, 'courant': 6}
    """
    if not counts:
        return {}
    low, high = math.log(min(counts.values())), math.log(max(counts.values()))
    if high == low:
        return {key: (steps + 1) // 2 for key in counts}
    span = high - low
    return {key: 1 + min(steps - 1, int(steps * (math.log(count) - low) / span + 1e-9))
            for key, count in counts.items()}


def step_label(weight: int, labels: Sequence[str], steps: int) -> str:
    """The words a screen reader hears for a cloud step (filter ``palier``).

    The footer cloud is on every page: were its hidden text the exact count (« 519
    articles »), each new article would rewrite every page of the site, and a
    publication would upload them all again. The words change only when the size the
    eye sees changes. ``labels`` go from the rarest to the most used step; ``steps``
    (``TAG_CLOUD_STEPS``) are spread over them evenly.

    >>> step_label(6, ["rare", "courante", "très courante"], 6)
    'très courante'
    >>> step_label(3, ["rare", "courante", "très courante"], 6)
    'courante'
    """
    if not labels:
        return ""
    if steps <= 1:
        return labels[-1]
    position = (min(max(weight, 1), steps) - 1) * (len(labels) - 1) / (steps - 1)
    return labels[int(position + 0.5)]


def french_sort_key(name: str) -> tuple[str, str, str]:
    """Dictionary order for French: accents and case folded (« écologie » under E),
    leading punctuation ignored, ligatures spelled out (« œ » as « oe »)."""
    folded = unidecode(name).casefold()
    letters = re.sub(r"[^0-9a-z]+", " ", folded).strip()
    return (letters, folded, name)


def initial_letter(name: str) -> str:
    """A–Z heading of a tag: « Énergie » → E; digits and symbols → ``OTHER_INITIAL``."""
    letters = french_sort_key(name)[0]
    first = letters[:1]
    return first.upper() if "a" <= first <= "z" else OTHER_INITIAL


def group_by_letter(pairs: Sequence[tuple]) -> list[tuple[str, list[tuple]]]:
    """French-sorted (Tag, articles) pairs grouped under their initial; symbols first."""
    groups: dict[str, list[tuple]] = {}
    for pair in pairs:
        groups.setdefault(initial_letter(pair[0].name), []).append(pair)
    return sorted(groups.items(), key=lambda item: (item[0] != OTHER_INITIAL, item[0]))


def related_tags(tag_lists: Iterable[Iterable[str]], limit: int,
                 sort_key=lambda tag: tag) -> dict[str, list[str]]:
    """For each tag, the tags most often found on the same articles (then ``sort_key``).

    >>> related_tags([["ia", "climat"], ["ia", "climat"], ["ia", "quantique"]], 1)
    {'ia': ['climat'], 'climat': ['ia'], 'quantique': ['ia']}
    """
    together: dict[str, Counter] = defaultdict(Counter)
    for tags in tag_lists:
        unique = list(dict.fromkeys(tags))
        for tag in unique:
            together[tag].update(other for other in unique if other != tag)
    return {tag: [other for other, _ in sorted(counter.items(),
                                               key=lambda kv: (-kv[1], sort_key(kv[0])))][:limit]
            for tag, counter in together.items()}


# --- Related articles (pure) ---------------------------------------------------------------

class RelatedIndex:
    """Articles that share the rarest tags with a given one, best first.

    Candidates are numbered by recency (0 = newest). A candidate's score is the sum, over
    the tags it shares, of ``log(1 + N / n)`` where ``n`` is the number of articles with
    that tag: one shared rare tag outweighs a shared common one. Ties go to the newest.

    The search reads the posting lists of the article's tags, rarest first, and stops as
    soon as no unread candidate can enter the top ``limit`` (its score is bounded by the
    weights of the tags not read yet). Common tags, whose lists are long, are thus rarely
    read to the end: on the 5000-article benchmark corpus it scores about 20 times fewer
    candidates than comparing every pair of articles sharing a tag. Tag sets are bit
    masks, so scoring a candidate is one ``&`` and a dictionary look-up.
    """

    def __init__(self, tag_lists: Sequence[Iterable[str]]):
        postings: dict[str, list[int]] = defaultdict(list)
        for rank, tags in enumerate(tag_lists):
            for tag in dict.fromkeys(tags):
                postings[tag].append(rank)  # ascending rank: newest first
        self.postings = dict(postings)
        self.bit = {tag: 1 << number for number, tag in enumerate(sorted(postings))}
        self.masks = [sum(self.bit[tag] for tag in set(tags)) for tags in tag_lists]
        total = len(self.masks)
        self.weight = {tag: math.log1p(total / len(ranks)) for tag, ranks in postings.items()}

    def _by_rarity(self, tags: Iterable[str]) -> list[str]:
        known = {tag for tag in tags if tag in self.postings}
        return sorted(known, key=lambda tag: (-self.weight[tag], tag))

    def _scorer(self, own: list[str]):
        """Score of a shared-tags mask, summed in one fixed order (equal sums stay equal)."""
        terms = [(self.bit[tag], self.weight[tag]) for tag in own]
        cache: dict[int, float] = {}

        def score(shared: int) -> float:
            if shared not in cache:
                cache[shared] = round(sum(w for bit, w in terms if shared & bit), SCORE_DIGITS)
            return cache[shared]
        return score

    def score(self, tags: Iterable[str], rank: int) -> float:
        """Score of candidate ``rank`` for an article with ``tags``."""
        own = self._by_rarity(tags)
        own_mask = sum(self.bit[tag] for tag in own)
        return self._scorer(own)(self.masks[rank] & own_mask)

    def top(self, tags: Iterable[str], limit: int, exclude: int | None = None) -> list[int]:
        """Ranks of the best ``limit`` candidates for an article with ``tags``."""
        own = self._by_rarity(tags)
        if limit <= 0 or not own:
            return []
        own_mask = sum(self.bit[tag] for tag in own)
        score = self._scorer(own)
        # bounds[i]: best score of a candidate first met in the list of own[i].
        bounds = [score(sum(self.bit[tag] for tag in own[i:])) for i in range(len(own))]
        best: list[tuple[float, int]] = []  # (-score, rank), sorted, at most `limit`
        read = 0  # tags whose lists are read: their candidates are already scored
        for position, tag in enumerate(own):
            bound = bounds[position]
            if len(best) == limit and -best[-1][0] > bound:
                break
            for rank in self.postings[tag]:
                mask = self.masks[rank]
                if mask & read or rank == exclude:
                    continue
                key = (-score(mask & own_mask), rank)
                if len(best) < limit or key < best[-1]:
                    insort(best, key)
                    del best[limit:]
                if len(best) == limit and self._list_exhausted(best[-1], bound, rank):
                    break
            read |= self.bit[tag]
        return [rank for _, rank in best]

    @staticmethod
    def _list_exhausted(kth: tuple[float, int], bound: float, rank: int) -> bool:
        """True when no later entry of the current list (older, score ≤ bound) can beat
        the current last place."""
        kth_score, kth_rank = -kth[0], kth[1]
        return kth_score > bound or (kth_score == bound and rank >= kth_rank)


# --- Pelican glue ---------------------------------------------------------------------------

class TagArticles(list):
    """A tag's articles: a plain list for templates, with constant-time ``in``.

    Pelican's ``generate_tags`` keeps, for every tag, ``[a for a in dates if a in
    articles]``: with a list that is N × n comparisons per tag, quadratic over the site
    (about 2 s of a 5000-article build). Articles compare by identity, so a set of ids
    answers the same. The set is rebuilt if the list changed length. (Our own
    ``write_tag_pages`` no longer asks; a theme or plugin still may.)
    """

    def __contains__(self, item) -> bool:
        ids = self.__dict__.get("_ids")
        if ids is None or len(ids) != len(self):
            ids = self.__dict__["_ids"] = {id(article) for article in self}
        return id(item) in ids


def in_date_order(articles, position: Mapping[int, int]) -> list:
    """`articles` that are in ``dates``, once each, in the order of ``dates`` (`position`:
    id → rank there): the list Pelican's ``[a for a in dates if a in articles]`` gives."""
    kept = {id(article): article for article in articles if id(article) in position}
    return sorted(kept.values(), key=lambda article: position[id(article)])


def write_tag_pages(generator, write) -> None:
    """Pelican 4.12's ``ArticlesGenerator.generate_tags``, the same pages with the same
    variables, but each tag's ``dates`` found from its own articles: Pelican tests every
    article of the site against every tag (297 000 tests at 1000 articles, 1.5 million
    at 5000, ≈ 0.2 s and 1.2 s of a build, on one core while the others wait).
    ``tests/test_tag_pages.py`` runs both on the same generator and compares every call."""
    tag_template = generator.get_template("tag")
    position = {id(article): rank for rank, article in enumerate(generator.dates)}
    for tag, articles in generator.tags.items():
        try:
            write(tag.save_as, tag_template, generator.context, tag=tag, url=tag.url,
                  articles=articles, dates=in_date_order(articles, position),
                  template_name="tag", blog=True, page_name=tag.page_name,
                  all_articles=generator.articles)
        except FileOverwriteFailedError:
            if not tag.slug:
                logger.info('Tag "%s" has an invalid slug; skipping writing tag page...',
                            tag, extra={"limit_msg": "Further tags with invalid slugs."})
                continue
            logger.error('Failed to write Tag page for "%s".', tag)
            raise


def set_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault("JINJA_FILTERS", {}).setdefault("palier", step_label)


def _enabled(generator) -> bool:
    return bool(generator.settings.get("TAG_PAGES_ENABLED", True))


def _all_contents(generator) -> list:
    """Every article the generator read: published, translations, drafts, hidden."""
    lists = ("articles", "translations", "drafts", "drafts_translations",
             "hidden_articles", "hidden_translations")
    return [content for name in lists for content in getattr(generator, name, [])]


def _age_key(content):
    return (content.date, content.source_path)


def merge_tags(generator):
    """One Tag per slug, named with its most used spelling, aliases applied."""
    if not _enabled(generator):
        return
    started = time.perf_counter()
    settings = generator.settings
    slugs: dict[str, str] = {}

    def slug_of(name: str) -> str:
        if name not in slugs:
            slugs[name] = tag_slug(name, settings)
        return slugs[name]

    aliases = resolve_aliases(settings.get("TAG_ALIASES") or {}, slug_of)
    uses: dict[str, Counter] = defaultdict(Counter)
    first_use: dict[str, dict] = defaultdict(dict)
    tagged = sorted((c for c in _all_contents(generator) if getattr(c, "tags", None)),
                    key=_age_key)
    for content in tagged:
        content.tags_as_written = [tag.name for tag in content.tags]
        for name in content.tags_as_written:
            slug = slug_of(name)
            spelling = aliases.get(slug, name)
            slug = slug_of(spelling)
            uses[slug][spelling] += 1
            first_use[slug].setdefault(spelling, _age_key(content))

    canonical = {slug: Tag(choose_spelling(counter, first_use[slug]), settings)
                 for slug, counter in uses.items()}
    for slug, counter in uses.items():
        if len(counter) > 1:
            logger.info("tag_pages: %s → « %s »", ", ".join(f"« {s} »" for s in counter),
                        canonical[slug].name)
    for content in tagged:
        merged = {}
        for name in content.tags_as_written:
            slug = slug_of(aliases.get(slug_of(name), name))
            merged.setdefault(slug, canonical[slug])
        content.tags = list(merged.values())
        content.metadata["tags"] = content.tags
    generator.tag_pages_seconds = time.perf_counter() - started


def compute_tag_data(generator):
    """Weights, cloud, A–Z list, descriptions, related tags and articles."""
    if not _enabled(generator):
        return
    started = time.perf_counter()
    settings = generator.settings
    for tag in list(generator.tags):
        generator.tags[tag] = TagArticles(generator.tags[tag])
    generator.generate_tags = functools.partial(write_tag_pages, generator)
    pairs = sorted(generator.tags.items(), key=lambda pair: french_sort_key(pair[0].name))
    by_slug = {tag.slug: tag for tag, _ in pairs}

    weights = cloud_weights({tag.slug: len(articles) for tag, articles in pairs},
                            settings["TAG_CLOUD_STEPS"])
    for tag, articles in pairs:
        tag.weight = weights[tag.slug]
        tag.article_count = len(articles)
        tag.description = ""

    names = {tag.slug: french_sort_key(tag.name) for tag, _ in pairs}
    neighbours = related_tags(([tag.slug for tag in article.tags]
                               for article in generator.articles if getattr(article, "tags", None)),
                              settings["TAG_RELATED_TAGS_MAX"], sort_key=names.get)
    for tag, _ in pairs:
        tag.related_tags = [by_slug[slug] for slug in neighbours.get(tag.slug, [])]

    attach_descriptions(generator, by_slug)
    attach_related_articles(generator, settings["TAG_RELATED_ARTICLES_MAX"])

    most_used = sorted(pairs, key=lambda pair: (-len(pair[1]), french_sort_key(pair[0].name)))
    top = most_used[:settings["TAG_CLOUD_MAX"]]
    generator.context.update(
        tags=pairs,
        tags_az=pairs,
        tag_cloud_all=pairs,
        tag_cloud=sorted(top, key=lambda pair: french_sort_key(pair[0].name)),
        tags_by_letter=group_by_letter(pairs),
    )
    elapsed = getattr(generator, "tag_pages_seconds", 0.0) + time.perf_counter() - started
    generator.tag_pages_seconds = elapsed
    logger.info("tag_pages: %d étiquettes, %d articles, %.3f s",
                len(pairs), len(generator.articles), elapsed)


def attach_related_articles(generator, limit: int):
    """``article.related_articles`` for every article whose page is written."""
    candidates = sorted(sorted(generator.articles, key=lambda a: a.source_path),
                        key=lambda a: a.date, reverse=True)
    index = RelatedIndex([[tag.slug for tag in getattr(a, "tags", None) or []]
                          for a in candidates])
    rank_of = {id(article): rank for rank, article in enumerate(candidates)}
    by_category: dict[str, list[int]] = defaultdict(list)
    for rank, article in enumerate(candidates):
        by_category[_category_slug(article)].append(rank)
    for article in _all_contents(generator):
        own_rank = rank_of.get(id(article))
        tags = [tag.slug for tag in getattr(article, "tags", None) or []]
        ranks = index.top(tags, limit, exclude=own_rank) if limit > 0 else []
        # Too few shared tags: complete with the newest articles of the same category.
        for rank in by_category.get(_category_slug(article), []):
            if len(ranks) >= limit:
                break
            if rank != own_rank and rank not in ranks:
                ranks.append(rank)
        article.related_articles = [candidates[rank] for rank in ranks]


def _category_slug(article) -> str | None:
    category = getattr(article, "category", None)
    return category.slug if category is not None else None


# --- Tag descriptions ------------------------------------------------------------------------

def description_markdown(settings: Mapping) -> markdown.Markdown:
    """The articles' Markdown setup, without the ``meta`` extension (no header here)."""
    config = dict(settings.get("MARKDOWN") or {})
    configs = {name: options for name, options in (config.get("extension_configs") or {}).items()
               if "meta" not in str(name)}
    extensions = [ext for ext in (config.get("extensions") or []) if "meta" not in str(ext)]
    extensions += [name for name in configs if name not in extensions]
    return markdown.Markdown(extensions=extensions, extension_configs=configs,
                             output_format=config.get("output_format", "html5"))


def read_description(path: Path) -> tuple[str | None, str, int]:
    """(tag named in the header or None, Markdown body, line of ``tag:``).

    Raises ValueError with a French message when the header cannot be read.
    """
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        if text.startswith("---"):
            raise ValueError("en-tête sans ligne --- de fermeture")
        return None, text, 1
    try:
        header = yaml.safe_load(match.group("header")) or {}
    except yaml.YAMLError as error:
        raise ValueError(f"en-tête YAML illisible ({error.__class__.__name__})") from None
    if not isinstance(header, dict):
        raise ValueError("l’en-tête doit contenir des lignes clé: valeur")
    line = next((number for number, content in enumerate(match.group("header").splitlines(), 2)
                 if content.lstrip().lower().startswith("tag:")), 1)
    tag = header.get("tag")
    if tag is not None and not isinstance(tag, (str, int, float)):
        raise ValueError("tag: doit être le nom d’une étiquette")
    return (str(tag).strip() if tag is not None else None), text[match.end():], line


def attach_descriptions(generator, by_slug: Mapping[str, Tag]):
    """``tag.description`` (HTML) from ``content/<TAG_DESCRIPTIONS_DIR>/*.md``."""
    settings = generator.settings
    folder = Path(settings["PATH"]) / settings["TAG_DESCRIPTIONS_DIR"]
    if not folder.is_dir():
        return
    aliases = resolve_aliases(settings.get("TAG_ALIASES") or {},
                              lambda name: tag_slug(name, settings))
    written = {tag.slug for content in _all_contents(generator)
               for tag in getattr(content, "tags", None) or []}
    renderer = description_markdown(settings)
    typography = typography_pass(settings)
    described: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        shown = _display_path(path)
        try:
            name, body, line = read_description(path)
        except ValueError as error:
            logger.error("%s:1: tag: %s (écrivez un en-tête « --- / tag: IA / --- » "
                         "puis le texte)", shown, error)
            continue
        name = name or path.stem
        slug = tag_slug(aliases.get(tag_slug(name, settings), name), settings)
        if slug not in written:
            logger.warning("%s:%d: tag: étiquette « %s » inconnue, aucun article ne la porte "
                           "(corrigez tag: ou supprimez ce fichier)", shown, line, name)
            continue
        if slug in described:
            logger.warning("%s:%d: tag: « %s » est déjà décrite dans %s "
                           "(gardez un seul fichier)", shown, line, name, described[slug])
            continue
        described[slug] = shown
        if slug in by_slug:
            renderer.reset()
            by_slug[slug].description = typography(renderer.convert(body.strip()))


def typography_pass(settings: Mapping):
    """The ``typographie`` plugin's HTML pass when that plugin is loaded and on: a
    description is rendered text like an article body (SPEC: typography once, here)."""
    module = sys.modules.get("typographie.typographie")
    function = getattr(module, "typographier_html", None)
    if function is None or not settings.get("TYPOGRAPHIE_ENABLED", True):
        return lambda html: html
    return function


def _display_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def register():
    signals.initialized.connect(set_defaults)
    # pretaxonomy: articles are read, Pelican has not grouped tags yet, so its own tag
    # pages and feeds are built from the canonical tags.
    signals.article_generator_pretaxonomy.connect(merge_tags)
    # finalized: tags are grouped and nothing is written yet.
    signals.article_generator_finalized.connect(compute_tag_data)
