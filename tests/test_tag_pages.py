"""Tag system (plugins/tag_pages): pure functions first, then one small site built with
spelling variants, an alias, descriptions and a tag of 27 articles."""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from pelican.contents import Tag
from pelican.settings import read_settings

from conftest import ROOT, Site, build_site, write_article

sys.path.insert(0, str(ROOT / "plugins"))
from tag_pages.tag_pages import (  # noqa: E402
    RelatedIndex,
    choose_spelling,
    cloud_weights,
    find_spelling_variants,
    french_sort_key,
    group_by_letter,
    initial_letter,
    read_description,
    step_label,
    related_tags,
    resolve_aliases,
    tag_slug,
    TagArticles,
    write_tag_pages,
)

PROJECT_SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
NBSP = "\u00a0"


# --- Tag pages written in one pass --------------------------------------------------------

def recorded_tag_pages(generate, generator) -> list[tuple]:
    """Every page `generate(generator, write)` asks to write: path, template, context and
    each keyword, lists compared by the identity of their items."""
    calls = []

    def write(path, template, context, **kwargs):
        listed = {key: [id(item) for item in value] if isinstance(value, list) else value
                  for key, value in kwargs.items()}
        calls.append((path, template, id(context), listed))

    generate(generator, write)
    return calls


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.integers(0, 5), max_size=4), min_size=1, max_size=30),
       st.randoms(use_true_random=False), st.booleans())
def test_write_tag_pages_asks_for_the_pages_pelican_asks_for(tags_per_article, rng, wrapped):
    """Same tags, same order, same ``dates`` as Pelican's own ``generate_tags``, whatever
    the articles, their tags and the order of ``dates`` (hidden articles: in a tag, not
    in ``dates``)."""
    from pelican.generators import ArticlesGenerator

    articles = [SimpleNamespace(number=n) for n in range(len(tags_per_article))]
    tags = {}
    for article, numbers in zip(articles, tags_per_article):
        for number in sorted(numbers):
            tag = Tag(f"étiquette {number}", PROJECT_SETTINGS)
            tags.setdefault(tag, []).append(article)
    dates = [article for article in articles if article.number % 7]  # some left out
    rng.shuffle(dates)
    generator = SimpleNamespace(
        get_template=lambda name: f"gabarit {name}", dates=dates, articles=articles,
        context={"SITENAME": "Le Blog"},
        tags={tag: TagArticles(listed) if wrapped else listed for tag, listed in tags.items()})
    assert recorded_tag_pages(write_tag_pages, generator) == recorded_tag_pages(
        ArticlesGenerator.generate_tags, generator)


# --- Cloud weights ------------------------------------------------------------------------

class TestCloudWeights:
    def test_log_scale_from_rarest_to_most_used(self):
        weights = cloud_weights({"a": 1, "b": 10, "c": 100}, steps=6)
        assert weights == {"a": 1, "b": 4, "c": 6}

    def test_log_not_linear(self):
        # Linear steps would put 10 of 1..100 in step 1; on a log scale it is mid-cloud.
        weights = cloud_weights({"rare": 1, "two": 2, "three": 3, "mid": 10, "top": 100})
        # step = 1 + floor(6 · log(n) / log(100)): 2 → 0.90, 3 → 1.43, 10 → 3.
        assert weights == {"rare": 1, "two": 1, "three": 2, "mid": 4, "top": 6}

    def test_only_the_maximum_reaches_the_top_step(self):
        counts = {f"t{n}": n for n in range(1, 201)}
        weights = cloud_weights(counts, steps=6)
        assert [k for k, w in weights.items() if w == 6] == [
            k for k, n in counts.items() if n >= 200 ** (5 / 6)]
        assert weights["t1"] == 1 and weights["t200"] == 6
        assert set(weights.values()) == {1, 2, 3, 4, 5, 6}

    def test_equal_counts_get_the_middle_step(self):
        assert cloud_weights({"a": 4, "b": 4}, steps=6) == {"a": 3, "b": 3}
        assert cloud_weights({"a": 4, "b": 4}, steps=5) == {"a": 3, "b": 3}

    def test_five_steps(self):
        assert set(cloud_weights({f"t{n}": n for n in range(1, 500)}, steps=5).values()) == \
            {1, 2, 3, 4, 5}

    def test_empty(self):
        assert cloud_weights({}) == {}

    @given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(1, 10_000),
                           min_size=1, max_size=40))
    def test_steps_in_range_and_monotonic(self, counts):
        weights = cloud_weights(counts, steps=6)
        assert all(1 <= w <= 6 for w in weights.values())
        for a, b in itertools.combinations(counts, 2):
            if counts[a] < counts[b]:
                assert weights[a] <= weights[b]


# --- French order -------------------------------------------------------------------------

class TestFrenchSort:
    def test_accents_file_under_their_letter(self):
        names = ["zoologie", "écologie", "Économie", "eau", "Œuvres libres", "abeille",
                 "Énergie", "énergie solaire", "5G", "« Green IT »", "IA", "ia générative"]
        assert sorted(names, key=french_sort_key) == [
            "5G", "abeille", "eau", "écologie", "Économie", "Énergie", "énergie solaire",
            "« Green IT »", "IA", "ia générative", "Œuvres libres", "zoologie"]

    def test_codepoint_order_would_be_wrong(self):
        # The bug we avoid: Python's default order puts « écologie » after « zoologie ».
        assert sorted(["zoologie", "écologie"]) == ["zoologie", "écologie"]
        assert sorted(["zoologie", "écologie"], key=french_sort_key) == ["écologie", "zoologie"]

    @pytest.mark.parametrize("name, letter", [
        ("Énergie", "E"), ("écologie", "E"), ("Œuvre", "O"), ("IA", "I"), ("5G", "#"),
        ("« Green IT »", "G"), ("çà", "C")])
    def test_initial_letter(self, name, letter):
        assert initial_letter(name) == letter

    def test_group_by_letter(self):
        tags = [SimpleNamespace(name=n) for n in ["5G", "abeille", "écologie", "Énergie", "IA"]]
        pairs = sorted(((tag, []) for tag in tags), key=lambda p: french_sort_key(p[0].name))
        groups = group_by_letter(pairs)
        assert [(letter, [t.name for t, _ in items]) for letter, items in groups] == [
            ("#", ["5G"]), ("A", ["abeille"]), ("E", ["écologie", "Énergie"]), ("I", ["IA"])]


# --- Slugs, spellings, aliases ------------------------------------------------------------

class TestSpellings:
    def test_variants_fold_to_one_slug(self):
        variants = find_spelling_variants(
            [["Open source", "IA"], ["open-source"], ["Open Source", "IA"], ["Open source"]],
            PROJECT_SETTINGS)
        assert variants == {"open-source": Counter(
            {"Open source": 2, "open-source": 1, "Open Source": 1})}

    def test_single_spelling_is_not_a_variant(self):
        assert find_spelling_variants([["IA"], ["IA", "climat"]], PROJECT_SETTINGS) == {}

    def test_articles_report_tags_as_written(self):
        merged = SimpleNamespace(tags=[SimpleNamespace(name="IA")],
                                 tags_as_written=["IA", "ia"])
        raw = SimpleNamespace(tags=[SimpleNamespace(name="Ia")])
        assert find_spelling_variants([merged, raw], PROJECT_SETTINGS) == {
            "ia": Counter({"IA": 1, "ia": 1, "Ia": 1})}

    def test_project_slug_rules(self):
        assert tag_slug("Écoconception & IA", PROJECT_SETTINGS) == "ecoconception-ia"
        assert tag_slug("l’IA", PROJECT_SETTINGS) == "l-ia"

    def test_most_used_spelling_wins(self):
        assert choose_spelling({"Open source": 1, "open source": 3},
                               {"Open source": 1, "open source": 2}) == "open source"

    def test_tie_goes_to_the_oldest_article_then_code_points(self):
        assert choose_spelling({"b": 2, "a": 2}, {"b": 1, "a": 2}) == "b"
        assert choose_spelling({"b": 2, "a": 2}, {"b": 1, "a": 1}) == "a"

    def test_alias_keys_compared_by_slug_and_chains_followed(self):
        slug = lambda name: tag_slug(name, PROJECT_SETTINGS)  # noqa: E731
        resolved = resolve_aliases({"I.A.": "AI", "ai": "intelligence artificielle"}, slug)
        assert resolved == {"ia": "intelligence artificielle",
                            "ai": "intelligence artificielle"}

    def test_alias_cycle_merges_nothing(self):
        assert resolve_aliases({"a": "b", "b": "a"}, str.lower) == {}
        assert resolve_aliases({"a": "b", "b": "c", "c": "b", "d": "e"}, str.lower) == \
            {"d": "e"}

    def test_alias_to_itself_is_ignored(self):
        assert resolve_aliases({"IA": "ia"}, str.lower) == {}


# --- Related tags and articles ------------------------------------------------------------

def test_related_tags_most_often_together():
    lists = [["ia", "climat"], ["ia", "climat"], ["ia", "quantique"], ["ia", "zinc"],
             ["climat", "zinc"]]
    result = related_tags(lists, limit=2)
    assert result["ia"] == ["climat", "quantique"]  # 2 together, then ties by key
    assert result["zinc"] == ["climat", "ia"]


class TestRelatedArticles:
    # Ranks are recency: 0 is the newest article.
    CORPUS = [
        ["ia"],                      # 0: newest, shares only the most common tag
        ["ia", "smr"],               # 1: shares a rare tag
        ["ia", "climat"],            # 2
        ["ia", "smr", "climat"],     # 3: shares the rare tag and another one
        ["ia"],                      # 4
        ["ia", "climat"],            # 5
        ["velo"],                    # 6: shares nothing
        ["ia", "smr", "climat"],     # 7: the article we look from
    ]

    def test_rare_shared_tag_outranks_common_ones(self):
        index = RelatedIndex(self.CORPUS)
        # 3 shares all three tags; 1 shares « smr » (rare) + « ia »; 2 and 5 share
        # « climat » + « ia »: less rare, and 2 is newer than 5.
        assert index.top(["ia", "smr", "climat"], 3, exclude=7) == [3, 1, 2]
        assert index.top(["ia", "smr", "climat"], 5, exclude=7) == [3, 1, 2, 5, 0]

    def test_recency_breaks_ties(self):
        index = RelatedIndex(self.CORPUS)
        assert index.top(["ia"], 3, exclude=4) == [0, 1, 2]

    def test_weights_favour_rare_tags(self):
        index = RelatedIndex(self.CORPUS)
        assert index.weight["smr"] > index.weight["climat"] > index.weight["ia"]

    def test_no_shared_tag_no_candidate(self):
        assert RelatedIndex(self.CORPUS).top(["velo"], 3, exclude=6) == []
        assert RelatedIndex(self.CORPUS).top([], 3) == []

    @hypothesis_settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=4), min_size=1,
                    max_size=40),
           st.integers(1, 5), st.data())
    def test_pruned_search_equals_brute_force(self, corpus, limit, data):
        index = RelatedIndex(corpus)
        source = data.draw(st.integers(0, len(corpus) - 1))
        tags = corpus[source]
        expected = sorted(
            (rank for rank in range(len(corpus))
             if rank != source and set(corpus[rank]) & set(tags)),
            key=lambda rank: (-index.score(tags, rank), rank))[:limit]
        assert index.top(tags, limit, exclude=source) == expected


# --- Description files --------------------------------------------------------------------

class TestReadDescription:
    def test_header_and_body(self, tmp_path):
        path = write_article(tmp_path, "ia.md", "---\ntitre: x\ntag: IA\n---\nCorps *ici*.\n")
        assert read_description(path) == ("IA", "Corps *ici*.\n", 3)

    def test_without_header_the_file_name_decides(self, tmp_path):
        path = write_article(tmp_path, "open-source.md", "Juste du texte.\n")
        assert read_description(path) == (None, "Juste du texte.\n", 1)

    @pytest.mark.parametrize("text", ["---\ntag: [IA\n---\nx\n", "---\ntag: IA\nx\n",
                                      "---\n- IA\n---\nx\n", "---\ntag: [a, b]\n---\nx\n"])
    def test_unreadable_headers(self, tmp_path, text):
        with pytest.raises(ValueError):
            read_description(write_article(tmp_path, "x.md", text))


# --- A small site -------------------------------------------------------------------------

ARTICLE = """---
title: "{title}"
date: {date}
category: {category}
tags: [{tags}]
summary: "Résumé de {title}."
---
Texte de l’article {title}.
"""

# 27 articles share one tag written three ways: 14 « open source », 8 « Open Source »,
# 5 « open-source ». Article 3 also writes it twice in one list.
OPEN_SOURCE_SPELLINGS = ["open source"] * 14 + ["Open Source"] * 8 + ["open-source"] * 5


def make_fixture_content(folder: Path) -> None:
    for number, spelling in enumerate(OPEN_SOURCE_SPELLINGS, 1):
        tags = [spelling]
        if number == 3:
            tags.append("Open source")
        if number % 3 == 0:
            tags.append("écologie")
        if number % 4 == 0:
            tags.append("zoologie")
        if number in (5, 6, 7):
            tags.append("IA")  # aliased to « intelligence artificielle »
        write_article(folder, f"libre-{number:02d}.md", ARTICLE.format(
            title=f"Logiciel libre {number:02d}", date=f"2024-01-{number:02d} 10:00",
            category="Intelligence Artificielle", tags=", ".join(tags)))
    # The hand-made related case (35 articles): « tokamak » is on 2, « climat » on 4,
    # « Énergie » on 6, so their weights log(1 + 35/n) are 2.92, 2.28 and 1.92.
    related = {
        "fusion-source": (["tokamak", "Énergie", "climat"], "2025-03-01 10:00"),
        "fusion-rare": (["tokamak"], "2025-01-01 10:00"),
        "fusion-commun-recent": (["Énergie", "climat"], "2025-02-20 10:00"),
        "fusion-commun-ancien": (["Énergie", "climat"], "2024-12-01 10:00"),
        "fusion-un-commun": (["Énergie"], "2025-02-25 10:00"),
        "energie-1": (["Énergie"], "2023-01-01 10:00"),
        "energie-2": (["Énergie"], "2023-01-02 10:00"),
        "intelligence": (["Intelligence artificielle", "climat"], "2025-02-28 10:00"),
    }
    for slug, (tags, date) in related.items():
        write_article(folder, f"{slug}.md", ARTICLE.format(
            title=slug, date=date, category="Nucléaire", tags=", ".join(tags)))
    write_article(folder, "etiquettes/open-source.md",
                  "---\ntag: Open Source\n---\nLes *logiciels libres* et leurs communautés.\n")
    write_article(folder, "etiquettes/intelligence.md",
                  "---\ntag: IA\n---\nDécrite par son **alias**.\n")
    write_article(folder, "etiquettes/fantome.md",
                  "---\ntag: Fantôme\n---\nAucun article.\n")


@pytest.fixture(scope="module")
def tag_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("tag_content")
    make_fixture_content(content)
    output = tmp_path_factory.mktemp("tag_out")
    cache = tmp_path_factory.mktemp("tag_cache")
    result = build_site(content, output, strict=False, extra={
        "CACHE_PATH": json.dumps(str(cache)),
        "TAG_ALIASES": json.dumps({"IA": "intelligence artificielle"}),
        "COVERS_ENABLED": "false",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(output), result


def plain(text: str) -> str:
    """Text with French no-break spaces as plain spaces (typography may add them)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def card_titles(page) -> list[str]:
    return [plain(node.text(strip=True)) for node in page.css(".card__title a")]


class TestSite:
    def test_variants_are_one_tag_with_the_most_used_spelling(self, tag_site):
        site, _ = tag_site
        page = site.html("/etiquette/open-source/")
        assert page.css_first("h1").text() == f"Étiquette{NBSP}: open source"
        assert page.css_first("title").text().startswith(f"Étiquette{NBSP}: open source")
        assert "27 articles" in page.css_first(".list-header__count").text()

    def test_article_shows_canonical_tags_without_duplicates(self, tag_site):
        site, _ = tag_site
        page = site.html("/logiciel-libre-03/")
        tags = [a.text(strip=True) for a in page.css(".article__footer .tag-list a")]
        assert tags == ["open source", "écologie"]

    def test_pagination_of_a_tag_with_27_articles(self, tag_site):
        site, _ = tag_site
        pages = ["/etiquette/open-source/", "/etiquette/open-source/page/2/",
                 "/etiquette/open-source/page/3/"]
        titles = [card_titles(site.html(url)) for url in pages]
        assert [len(t) for t in titles] == [10, 10, 7]
        assert len(set(itertools.chain(*titles))) == 27
        assert titles[0][0] == "Logiciel libre 27"  # newest first
        assert not site.exists("/etiquette/open-source/page/4/")
        nav = site.html(pages[1]).css_first("nav.pagination")
        assert {a.attributes["rel"] for a in nav.css("a")} == {"prev", "next"}

    def test_alias_merges_tags(self, tag_site):
        site, _ = tag_site
        assert not site.exists("/etiquette/ia/")
        page = site.html("/etiquette/intelligence-artificielle/")
        assert page.css_first("h1").text() == f"Étiquette{NBSP}: intelligence artificielle"
        assert "4 articles" in page.css_first(".list-header__count").text()

    def test_descriptions(self, tag_site):
        site, result = tag_site
        description = site.html("/etiquette/open-source/").css_first(".list-header__description")
        assert description.css_first("em").text() == "logiciels libres"
        alias = site.html("/etiquette/intelligence-artificielle/")
        assert alias.css_first(".list-header__description strong").text() == "alias"
        assert site.html("/etiquette/zoologie/").css_first(".list-header__description") is None
        warnings = [line for line in result.stderr.splitlines()
                    if line.startswith(("AVERTISSEMENT", "ERREUR"))]
        assert len(warnings) == 1 and "Fantôme" in warnings[0], result.stderr
        assert warnings[0].startswith("AVERTISSEMENT ")
        assert "etiquettes/fantome.md:2: tag:" in warnings[0]

    def test_related_tags(self, tag_site):
        site, _ = tag_site
        page = site.html("/etiquette/open-source/")
        related = [a.text() for a in page.css(".related-tags a")]
        # écologie is on 9 of the 27, zoologie on 6, intelligence artificielle on 3.
        assert related == ["écologie", "zoologie", "intelligence artificielle"]

    def test_related_articles_rare_tag_first(self, tag_site):
        site, _ = tag_site
        page = site.html("/fusion-source/")
        related = [plain(a.text(strip=True)) for a in page.css(".related .card__title a")]
        # Two shared tags (4.20), the newer first; then the one sharing the rare
        # « tokamak » (2.92) although it is older than « intelligence » (« climat »,
        # 2.28) and « fusion-un-commun » (« Énergie », 1.92).
        assert related == ["fusion-commun-recent", "fusion-commun-ancien", "fusion-rare"]

    def test_tags_page_cloud_and_french_az(self, tag_site):
        site, _ = tag_site
        page = site.html("/etiquettes/")
        cloud = {a.text(deep=False).strip(): a for a in page.css(".tag-cloud--large a")}
        assert cloud["open source"].attributes["class"] == "tag tag--6"
        assert cloud["tokamak"].attributes["class"] == "tag tag--1"
        # Not hidden from assistive technologies: voice control names what it sees.
        assert not page.css(".tag-cloud--large[aria-hidden], .tag-cloud--large [tabindex]")
        assert cloud["open source"].css_first(".visually-hidden").text().strip() == "(27 articles)"
        headings = [h.text() for h in page.css(".tag-index__letter")]
        assert headings == sorted(headings) and "E" in headings and "É" not in headings
        az = [a.text() for a in page.css(".tag-index a")]
        assert az == ["climat", "écologie", "Énergie", "intelligence artificielle",
                      "open source", "tokamak", "zoologie"]
        assert az == sorted(az, key=french_sort_key)
        letter_e = page.css_first("#lettre-e").next
        while letter_e is not None and letter_e.tag != "ul":
            letter_e = letter_e.next
        assert [a.text() for a in letter_e.css("a")] == ["écologie", "Énergie"]
        counts = [s.text() for s in page.css(".tag-index__count")]
        assert "(27 articles)" in counts

    def test_footer_cloud_is_alphabetical_with_steps_in_words(self, tag_site):
        site, _ = tag_site
        cloud = site.html("/").css_first("footer .tag-cloud")
        names = [a.text(deep=False).strip() for a in cloud.css("a")]
        assert names == sorted(names, key=french_sort_key)
        words = {}
        for link in cloud.css("a"):
            step = link.attributes["class"].removeprefix("tag tag--")
            words.setdefault(step, set()).add(link.css_first(".visually-hidden").text().strip())
        # One wording per size step, never a count (the footer is on every page).
        assert words["6"] == {"(parmi les plus fréquentes)"}
        assert words["1"] == {"(étiquette rare)"}
        assert all(len(spoken) == 1 for spoken in words.values()), words
        assert not any(char.isdigit() for spoken in words.values() for text in spoken
                       for char in text)

    def test_feed_per_tag(self, tag_site):
        site, _ = tag_site
        feed = feedparser.parse(site.text("/feeds/etiquette/open-source.atom.xml"))
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 20  # FEED_MAX_ITEMS
        assert plain(feed.entries[0].title) == "Logiciel libre 27"
        terms = {tag.term for entry in feed.entries for tag in entry.tags}
        assert "open source" in terms and "Open Source" not in terms
        assert not site.exists("/feeds/etiquette/ia.atom.xml")
        alias_feed = feedparser.parse(
            site.text("/feeds/etiquette/intelligence-artificielle.atom.xml"))
        assert not alias_feed.bozo and len(alias_feed.entries) == 4


def test_a_new_article_leaves_the_pages_that_do_not_list_it_untouched(tmp_path):
    """The footer (tag cloud, categories) is on every page: nothing in it may count
    articles, or each new article would rewrite, and a publication upload, every page."""
    sites = []
    for name, with_new_article in (("avant", False), ("apres", True)):
        content = tmp_path / name / "content"
        make_fixture_content(content)
        if with_new_article:  # « écologie » goes from 9 to 10 articles
            write_article(content, "nouveau.md", ARTICLE.format(
                title="Nouvel article", date="2025-04-01 10:00", category="Nucléaire",
                tags="écologie"))
        output = tmp_path / name / "output"
        result = build_site(content, output, strict=False, extra={
            "CACHE_PATH": json.dumps(str(tmp_path / name / "cache")),
            "COVERS_ENABLED": "false", "SEARCH_ENABLED": "false"})
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(Site(output))
    before, after = sites
    assert "Nouvel article" in after.text("/") and "Nouvel article" not in before.text("/")
    cloud = [(a.attributes["class"], a.text()) for a in after.html("/").css("footer .tag-cloud a")]
    # No size step moved (9 and 10 articles are both step 4): the footer is the same.
    assert cloud == [(a.attributes["class"], a.text())
                     for a in before.html("/").css("footer .tag-cloud a")]
    untouched = [page.relative_to(before.output) for page in before.html_pages()
                 if "libre-" in str(page) and "/etiquette/" not in str(page)]
    assert len(untouched) == len(OPEN_SOURCE_SPELLINGS)
    for page in untouched:
        assert (after.output / page).read_bytes() == (before.output / page).read_bytes(), page


class TestStepLabel:
    LABELS = ["rare", "peu employée", "assez employée", "fréquente", "très fréquente",
              "parmi les plus fréquentes"]

    def test_one_label_per_step(self):
        assert [step_label(w, self.LABELS, 6) for w in range(1, 7)] == self.LABELS

    def test_fewer_labels_than_steps_spread_evenly(self):
        labels = ["rare", "courante", "très courante"]
        assert [step_label(w, labels, 6) for w in range(1, 7)] == [
            "rare", "rare", "courante", "courante", "très courante", "très courante"]

    @given(st.integers(-3, 12), st.integers(1, 10), st.lists(st.text(min_size=1), min_size=1,
                                                               max_size=8))
    def test_every_weight_gets_a_label_in_order(self, weight, steps, labels):
        label = step_label(weight, labels, steps)
        assert label in labels
        if weight >= steps:
            assert label == labels[-1]
        if weight <= 1 and steps > 1:
            assert label == labels[0]

    def test_the_theme_has_one_wording_per_default_step(self):
        import yaml
        ui = yaml.safe_load((ROOT / "theme" / "i18n" / "fr.yaml").read_text(encoding="utf-8"))
        from tag_pages.tag_pages import DEFAULTS
        assert len(ui["tag_steps"]) == DEFAULTS["TAG_CLOUD_STEPS"]
        assert len(set(ui["tag_steps"])) == len(ui["tag_steps"])


def test_switch_off_leaves_stock_pelican_tags(tmp_path):
    content = tmp_path / "content"
    write_article(content, "a.md", ARTICLE.format(
        title="Un", date="2024-01-01 10:00", category="Nucléaire", tags="Open Source, SMR"))
    write_article(content, "b.md", ARTICLE.format(
        title="Deux", date="2024-01-02 10:00", category="Nucléaire", tags="open source"))
    result = build_site(content, tmp_path / "out", extra={
        "TAG_PAGES_ENABLED": "false", "CACHE_PATH": json.dumps(str(tmp_path / "cache")),
        "COVERS_ENABLED": "false"})
    assert result.returncode == 0, result.stdout + result.stderr
    site = Site(tmp_path / "out")
    # Pelican alone keeps the first spelling it met (newest article first) and computes
    # nothing else; the plugin would pick « Open Source » (tie → oldest article).
    assert site.html("/etiquette/open-source/").css_first("h1").text().endswith("open source")
    assert site.html("/deux/").css_first(".related") is None
    classes = {a.attributes["class"] for a in site.html("/etiquettes/").css(".tag-cloud a")}
    assert classes == {"tag tag--3"}
