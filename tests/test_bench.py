"""The benchmark's corpus is deterministic and realistic, and `invoke bench` produces its JSON.

Benchmarks are not tests: nothing here checks a speed. These tests check that the corpus
is the one the issue describes (same seed → same bytes, Zipf tags, ten categories, valid
front-matter for our validator and for stock Pelican) and that a tiny run of the bench
writes a JSON report with the expected keys.
"""

from __future__ import annotations

import collections
import datetime
import json
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
import corpus  # noqa: E402
from plugins.frontmatter import frontmatter  # noqa: E402

TREE = {"Tech": ["IA", "Cybersécurité", "Quantique"], "Énergie": ["Nucléaire", "Solaire"]}


@pytest.fixture(scope="module")
def articles():
    categories, _ = corpus.corpus_categories(TREE)
    return corpus.make_articles(1000, categories=categories)


def folder_bytes(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("flavour", sorted(corpus.FLAVOURS))
def test_same_seed_writes_the_same_bytes(tmp_path, flavour):
    first = corpus.write_corpus(tmp_path / "a", 40, seed=7, flavour=flavour)
    corpus.write_corpus(tmp_path / "b", 40, seed=7, flavour=flavour)
    corpus.write_corpus(tmp_path / "c", 40, seed=8, flavour=flavour)
    assert len(first) == 40
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")
    assert folder_bytes(tmp_path / "a") != folder_bytes(tmp_path / "c")


def test_tags_follow_a_zipf_distribution(articles):
    counts = collections.Counter(tag for article in articles for tag in article.tags)
    ranked = [count for _, count in counts.most_common()]
    assert 250 <= len(counts) <= corpus.TAG_COUNT
    assert ranked[0] > 20 * statistics_median(ranked)  # a few very common tags…
    assert sum(1 for count in ranked if count <= 5) > len(ranked) / 3  # …and a long tail
    top = [name for name, _ in counts.most_common(5)]
    assert top[0] == corpus.COMMON_TAGS[0]  # rank 1 of the weights is the most used
    assert set(top) <= set(corpus.COMMON_TAGS[:10])
    assert all(3 <= len(article.tags) == len(set(article.tags)) <= 6 for article in articles)


def statistics_median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def test_articles_are_shaped_like_the_blog(articles):
    categories = {article.category for article in articles}
    assert len(categories) == corpus.CATEGORY_COUNT
    assert len({article.slug for article in articles}) == len(articles)
    years = {article.date.year for article in articles}
    assert min(years) <= corpus.LAST_DAY.year - 19 and max(years) == corpus.LAST_DAY.year
    assert all(article.date <= corpus.LAST_DAY for article in articles)
    for article in articles[:200]:
        assert 3 <= article.body.count("\n## ") <= 5
        assert "\n- " in article.body or "\n1. " in article.body
    quoted = [a for a in articles if "\n> " in "\n" + a.body]
    dashes = ("–", "—", "--")
    attributed = [a for a in quoted if any(f">\n> {dash} " in a.body for dash in dashes)]
    assert len(quoted) > 0.7 * len(articles) and len(attributed) > 0.6 * len(articles)
    text = " ".join(article.body for article in articles[:50])
    for mark in (" ?", " !", " ;", " : ", " %", " 000 €"):
        assert mark in text


def test_categories_fill_the_tree_to_ten():
    categories, tree = corpus.corpus_categories(TREE)
    assert categories[:5] == ["IA", "Cybersécurité", "Quantique", "Nucléaire", "Solaire"]
    assert len(categories) == 10
    assert tree[corpus.EXTRA_PARENT] == categories[5:]
    assert tree["Tech"] == TREE["Tech"]
    big_tree = {"P": [f"Enfant {n}" for n in range(12)]}
    assert corpus.corpus_categories(big_tree) == (big_tree["P"][:10], big_tree)


def test_yaml_front_matter_passes_our_validator(tmp_path):
    categories, tree = corpus.corpus_categories(TREE)
    paths = corpus.write_corpus(tmp_path, 60, categories=categories)
    settings = {"PATH": str(tmp_path), "CATEGORY_TREE": tree, "PAGE_PATHS": ["pages"]}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        match = frontmatter.HEADER_RE.fullmatch(text)
        assert match, path.name
        meta, lines = frontmatter.yaml_metadata_with_lines(match.group("metadata"), 2, str(path))
        assert frontmatter.validate(meta, lines, str(path), settings, True) == []
        assert isinstance(meta["tags"], list) and meta["slug"] == path.stem


def test_hugo_spelling_only_adds_seconds(tmp_path):
    article = corpus.make_articles(1)[0]
    ours, hugo = corpus.yaml_text(article), corpus.hugo_text(article)
    header = yaml.safe_load(hugo.split("---\n")[1])
    assert isinstance(header["date"], datetime.datetime)
    assert hugo.replace(f"{article.date:%H:%M}:00", f"{article.date:%H:%M}") == ours


def test_native_header_is_read_by_stock_pelican(tmp_path):
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    path = corpus.write_corpus(tmp_path, 3, flavour="native")[0]
    article = corpus.make_articles(3)[0]
    _, metadata = MarkdownReader(dict(DEFAULT_CONFIG)).read(str(path))
    assert metadata["title"] == article.title
    assert [str(tag) for tag in metadata["tags"]] == article.tags
    assert str(metadata["category"]) == article.category


def test_targets_compare_medians_measured_in_one_run():
    scenarios = {
        "stock": {"cold": {"median_s": 5.0, "peak_rss_mb": 100},
                  "warm": {"median_s": 2.0, "peak_rss_mb": 100}},
        "ours": {"cold": {"median_s": 6.0, "ratio_vs_stock": 1.2, "peak_rss_mb": 160},
                 "warm": {"median_s": 3.0, "ratio_vs_stock": 1.5, "peak_rss_mb": 160}},
        "hugo": {"cold": {"median_s": 1.5}},
        "no-tags": {"feature": "on", "cold": {"median_s": 5.7}, "warm": {"median_s": 2.5}},
        "no-covers": {"feature": "n/a", "cold": {"median_s": 6.0}, "warm": {"median_s": 3.0}},
    }
    rows = {row["target"]: row for row in bench.targets(scenarios, 5000)}
    assert rows["ours froid ≤ 1,3 × stock froid"]["ok"] is True
    assert rows["ours chaud ≤ 1,3 × stock chaud"]["ok"] is False
    assert rows["ours chaud < Hugo froid (objectif long terme)"]["value"] == 2.0
    assert rows["tag_pages (froid) ≤ 10%"] == {
        "target": "tag_pages (froid) ≤ 10%", "value": 0.05, "limit": 0.1, "ok": True,
        "note": "part de notre construction"}
    assert rows["tag_pages (chaud) ≤ 10%"]["ok"] is False  # (3.0 − 2.5) / 3.0 ≈ 17 %
    assert rows["couvertures (froid) ≤ 4.0 × sans couvertures"]["ok"] is None
    assert rows["mémoire ours ≤ 1,5 × stock"]["ok"] is False  # 160 / 100
    assert not any("one-process" in label for label in rows)  # not measured: no row
    scenarios["one-process"] = {"cold": {"median_s": 7.0, "peak_rss_mb": 140},
                                "warm": {"median_s": 3.5, "peak_rss_mb": 135}}
    rows = {row["target"]: row for row in bench.targets(scenarios, 5000)}
    assert rows["mémoire one-process (rendu en un processus) ≤ 1,5 × stock"]["value"] == 1.4
    assert rows["mémoire one-process (rendu en un processus) ≤ 1,5 × stock"]["ok"] is True


def test_variants_change_one_setting_in_a_slot_of_their_own(tmp_path):
    workspace = bench.Workspace(tmp_path, 20, 1)
    workspace.tree = {}
    ours, one = (bench.build_command(name, workspace) for name in ("ours", "one-process"))
    assert one[-1] == "ECRITURE_PROCESSUS=1" and "ECRITURE_PROCESSUS=1" not in ours
    slot = {"ours": str(tmp_path / "ours"), "one-process": str(tmp_path / "one-process")}
    assert [arg.replace(slot["one-process"], slot["ours"]) for arg in one[:-1]] == ours
    off = bench.build_command("no-covers", workspace)
    assert off[-1] == "COVERS_ENABLED=false"


def test_bench_smoke_writes_the_json_report(tmp_path):
    """What CI's `invoke bench --size 100 --repeat 1` relies on, at a size that stays fast."""
    out = tmp_path / "result.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--size", "20", "--repeat", "1",
         "--warm-runs", "2", "--only", "stock,ours,one-process,publish,new-article",
         "--json-out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"date", "size", "repeat", "warm_runs", "machine", "scenarios", "targets"} <= set(data)
    assert data["size"] == 20
    assert set(data["scenarios"]) == {"stock", "ours", "one-process", "publish", "new-article"}
    for name in ("stock", "ours", "one-process", "publish"):
        for mode in ("cold", "warm"):
            entry = data["scenarios"][name][mode]
            assert entry["median_s"] > 0 and entry["peak_rss_mb"] > 10
            assert entry["pages"] > 20 and entry["bytes"] > 0
            assert len(entry["runs"]) == (1 if mode == "cold" else 2)  # --warm-runs 2
    assert data["scenarios"]["stock"]["cold"]["ratio_vs_stock"] == 1.0
    assert "Objectifs" in result.stdout and "ours froid ≤ 1,3 × stock froid" in result.stdout
    assert "mémoire one-process (rendu en un processus)" in result.stdout
    # Our builds also say where their time went (run_pelican.py --timings-json).
    for mode in ("cold", "warm"):
        stages = data["scenarios"]["ours"][mode]["stages_median_s"]
        assert stages["rendu des pages et des flux"] > 0
        assert all(seconds >= 0 for seconds in stages.values())
        assert data["scenarios"]["stock"][mode]["stages_median_s"] is None
    assert "Où passe le temps, ours" in result.stdout
    # The production build: precompression is a stage of its own, kept between publications.
    publish = data["scenarios"]["publish"]
    for mode in ("cold", "warm"):
        assert publish[mode]["stages_median_s"]["précompression (gzip, brotli)"] > 0
    assert publish["cold"]["bytes"] > data["scenarios"]["ours"]["cold"]["bytes"]  # .gz, .br
    # One article more, published: its page appears, and only part of the site changes
    # (the pages that list it; at 20 articles that can still be most of them).
    new = data["scenarios"]["new-article"]
    assert new["ok"] and new["same_s"] > 0 and new["new_s"] > 0
    assert 0 < new["html_changed"] <= new["html_pages"]
    assert new["html_pages"] > publish["cold"]["pages"]  # its page, perhaps a list page more
    assert new["stages_median_s"]["précompression (gzip, brotli)"] > 0
    assert "un nouvel article publié" in result.stdout
