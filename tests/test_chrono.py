"""`run_pelican.py --timings`: where a build's time goes, without changing what it builds."""

from __future__ import annotations

import json
import sys
import time

import pytest
from blinker import Signal
from conftest import ROOT, RUNNER, Site, differing_files

sys.path.insert(0, str(ROOT / "tools"))
from chrono import Stage, Timings  # noqa: E402


def test_receivers_keep_their_order_and_each_gets_a_stage():
    signal, called = Signal(), []

    def first(sender):
        called.append("first")

    def second(sender):
        time.sleep(0.02)
        called.append("second")

    signal.connect(first)
    signal.connect(second)
    timings = Timings()
    timings.wrap_receivers(signal, "build")
    signal.send("build")
    assert called == ["first", "second"]
    labels = [stage.label for stage in timings.stages]
    assert labels[-2:] == ["test_chrono.first", "test_chrono.second"]
    assert timings.stages[-1].seconds >= 0.02
    signal.send("build")  # wrapped once: each receiver still runs once per send
    assert called == ["first", "second", "first", "second"]


def test_table_folds_short_stages_and_sums_to_the_total():
    timings = Timings()
    timings.stages = [Stage("lecture", 2.0), Stage("rendu", 1.0), Stage("a", 0.001),
                      Stage("b", 0.002)]
    table = timings.table()
    assert "lecture" in table and "rendu" in table
    assert not any(line.split()[0] in ("a", "b") for line in table.splitlines()[1:])
    assert "2 autre(s) étape(s) de moins de 10 ms" in table
    assert table.splitlines()[-1].split()[-1] == "3.00"  # 2 + 1 + 0.003, rounded


@pytest.fixture(scope="module")
def timed_build(tmp_path_factory):
    output = tmp_path_factory.mktemp("chrono")
    cache = tmp_path_factory.mktemp("chrono-cache")
    report = tmp_path_factory.mktemp("chrono-report") / "etapes.json"
    import subprocess
    result = subprocess.run(
        [sys.executable, str(RUNNER), str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "--strict", "--timings", "--timings-json", str(report),
         "-e", f'CACHE_PATH="{cache}"'], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result, json.loads(report.read_text(encoding="utf-8")), Site(output)


def test_timed_build_reports_every_stage(timed_build):
    result, report, _ = timed_build
    labels = [stage["label"] for stage in report["stages"]]
    for expected in ("démarrage : Python, Pelican, greffons, réglages",
                     "lecture des articles (Markdown, typographie, métadonnées)",
                     "couvertures : fin du dessin, publication",
                     "rendu des pages et des flux",
                     "index de recherche (Pagefind)", "plan du site"):
        assert expected in labels
    assert labels.index("rendu des pages et des flux") < labels.index(
        "index de recherche (Pagefind)")  # in build order
    seconds = [stage["seconds"] for stage in report["stages"]]
    assert min(seconds) >= 0
    assert sum(seconds) == pytest.approx(report["total_seconds"], abs=0.01)
    assert "Où passe le temps" in result.stdout
    assert "rendu des pages et des flux" in result.stdout


def test_timed_build_builds_the_same_site(timed_build, site):
    _, _, timed = timed_build
    assert (timed.output / "pagefind" / "pagefind.js").is_file()  # finalized receivers ran
    assert (timed.output / "sitemap.xml").is_file()
    assert differing_files(site, timed) == []
