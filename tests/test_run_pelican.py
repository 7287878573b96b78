"""tools/run_pelican.py: the build in its own process, the search index after it."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from conftest import ROOT, build_site, write_article

sys.path.insert(0, str(ROOT / "tools"))
import _processus as processus  # noqa: E402  (plugins/, put on sys.path by run_pelican)
import run_pelican  # noqa: E402

# Printed by a fresh interpreter: the Pelican modules it imported.
PELICAN_MODULES = "print(sorted(name for name in sys.modules if name.split('.')[0] == 'pelican'))"

ARTICLE = """---
title: "L’éolien en mer"
date: 2024-03-01 08:00
category: Énergies renouvelables
tags: [éolien]
summary: "Des turbines au large, et ce qu’elles changent."
---
Les éoliennes posées au large tournent plus souvent que celles des côtes.
"""


def small_blog(folder: Path) -> Path:
    content = folder / "content"
    write_article(content, "eolien.md", ARTICLE)
    write_article(content, "solaire.md", ARTICLE.replace("L’éolien en mer", "Le solaire")
                  .replace("2024-03-01", "2024-04-01").replace("éoliennes posées au large",
                                                               "panneaux posés sur les toits"))
    return content


def test_covers_and_index_are_made_once_the_build_process_has_ended(tmp_path, monkeypatch):
    """The drawing processes' and Pagefind's memory must not add to the build's: the
    process that ran Pelican is gone (reaped) when the covers are drawn and the index is
    written, neither was made by it, and both are made."""
    content, output = small_blog(tmp_path), tmp_path / "output"
    pids, seen = tmp_path / "pids", {}
    real_build, real_finish = run_pelican.build, run_pelican.finish

    def build(*args, **kwargs):
        pids.write_text(str(os.getpid()))
        return real_build(*args, **kwargs)

    def finish(after, plugin_paths, timings):
        build_pid = int(pids.read_text())
        assert build_pid != os.getpid()
        try:
            os.kill(build_pid, 0)
        except ProcessLookupError:
            pass
        else:
            raise AssertionError("the build's process still exists")
        seen["left"] = [(work.module, work.function) for work in after]
        seen["before"] = sorted(path.name for path in output.rglob("*")
                                if path.suffix in (".jpg", ".webp") or path.name == "pagefind")
        real_finish(after, plugin_paths, timings)

    monkeypatch.setattr(run_pelican, "build", build)
    monkeypatch.setattr(run_pelican, "finish", finish)
    args = run_pelican.parse_args([str(content), "-s", str(ROOT / "pelicanconf.py"),
                                   "-o", str(output), "-e", f'CACHE_PATH="{tmp_path / "cache"}"'])
    handler = run_pelican.CountingHandler()
    outcome = run_pelican.build_then_finish(args, handler, None)

    assert outcome is not None and outcome.content.startswith("2 articles")
    assert handler.counts == {"ERROR": 0, "WARNING": 0}
    assert seen["left"] == [("covers.batch", "complete"), ("search.search", "index_site")]
    assert seen["before"] == []  # nothing drawn nor indexed by the build's process
    assert (output / "pagefind" / "pagefind-entry.json").is_file()
    for slug in ("l-eolien-en-mer", "le-solaire"):
        for name in (f"{slug}.jpg", f"{slug}.webp", f"{slug}-800.webp"):
            assert (output / "images" / "covers" / name).stat().st_size > 1000, name
    assert (output / "images" / "cards" / "accueil.jpg").is_file()
    assert int(pids.read_text()) != os.getpid()


def test_a_failed_index_fails_the_build_and_is_counted_with_the_build(tmp_path):
    content = small_blog(tmp_path)
    write_article(content, "sans-titre.md",
                  "---\ndate: 2024-05-01\ncategory: Nucléaire\n---\nPas de titre.\n")
    result = build_site(content, tmp_path / "output", strict=False, extra={
        "CACHE_PATH": f'"{tmp_path / "cache"}"', "COVERS_ENABLED": "false",
        "SEARCH_OUTPUT_SUBDIR": '"../ailleurs"'})
    assert result.returncode == 1
    assert "search index not written" in result.stderr
    assert "sans-titre.md" in result.stderr  # the build's own error, from its process
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("Construction en échec")
    assert "2 erreurs" in summary, summary


def test_settings_cross_to_the_runner_as_plain_data():
    from collections import namedtuple

    rule = namedtuple("Rule", "min_page URL SAVE_AS")  # as Pelican's PaginationRule
    settings = {"OUTPUT_PATH": "/tmp/sortie", "SEARCH_PAGES_PER_INDEX": 1000,
                "PLUGIN_PATHS": ["/greffons"], "JINJA_FILTERS": {"date": len},
                "TREE": {"Énergie": ["Nucléaire"]}, "READERS": {"html": None},
                "A_CLASS": Path, "PAGINATION_PATTERNS": [rule(1, "{url}", "{save_as}")]}
    plain = processus.plain_data(settings)
    assert plain == {"OUTPUT_PATH": "/tmp/sortie", "SEARCH_PAGES_PER_INDEX": 1000,
                     "PLUGIN_PATHS": ["/greffons"], "TREE": {"Énergie": ["Nucléaire"]},
                     "READERS": {"html": None}}


def test_a_production_build_precompresses_the_deferred_search_bundle(tmp_path):
    """publishconf.py precompresses every text file once Pelican's ``finalized`` is done;
    the index now comes after that, and its scripts must still have their .gz and .br."""
    import gzip

    import brotli

    output = tmp_path / "output"
    result = build_site(small_blog(tmp_path), output, config=ROOT / "publishconf.py", extra={
        "CACHE_PATH": f'"{tmp_path / "cache"}"', "COVERS_ENABLED": "false"})
    assert result.returncode == 0, result.stdout + result.stderr
    bundle = output / "pagefind"
    for name in ("pagefind.js", "pagefind-worker.js"):
        original = (bundle / name).read_bytes()
        assert gzip.decompress((bundle / f"{name}.gz").read_bytes()) == original
        assert brotli.decompress((bundle / f"{name}.br").read_bytes()) == original
    assert (output / "index.html.gz").is_file()  # the rest of the site, as before


def test_a_build_killed_by_the_system_says_so_and_fails(tmp_path, monkeypatch, capsys):
    """The system kills the build's process (out of memory, most often): no report comes
    back; the runner says how it ended and fails, instead of indexing a half-built site."""
    import signal

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(run_pelican, "build", killed)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:  # main() takes over the root logger: given back to pytest afterwards
        code = run_pelican.main([str(small_blog(tmp_path)), "-s", str(ROOT / "pelicanconf.py"),
                                 "-o", str(tmp_path / "output")])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    err = capsys.readouterr().err
    assert code == 1
    assert "tué par SIGKILL, le plus souvent faute de mémoire" in err
    assert err.strip().splitlines()[-1].startswith("Construction en échec en ")
    assert not (tmp_path / "output" / "pagefind").exists()


def test_the_blog_settings_cross_without_importing_pelican():
    """What the build sends back is unpickled by the runner's process: nothing in it may
    make that process import Pelican (a named tuple in PAGINATION_PATTERNS did)."""
    import pickle
    import subprocess

    from pelican.settings import read_settings

    settings = processus.plain_data(read_settings(str(ROOT / "pelicanconf.py")))
    assert settings["OUTPUT_PATH"] and settings["PLUGIN_PATHS"]
    code = "import pickle, sys; pickle.loads(sys.stdin.buffer.read()); " + PELICAN_MODULES
    result = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(settings),
                            capture_output=True, check=True)
    assert result.stdout.strip() == b"[]"


def test_the_runner_does_not_import_pelican():
    """The runner's own process draws the covers and writes the index after the build:
    importing Pelican there would add 0.3 to 0.7 s to every build (and memory held
    during it)."""
    import subprocess

    code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import run_pelican; "
            "from search.search import index_site; from covers.batch import complete; "
            + PELICAN_MODULES)
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "tools"),
                             str(ROOT / "plugins")], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
