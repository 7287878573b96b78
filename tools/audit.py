"""`invoke audit`: Lighthouse (mobile) on the home page and an article, four scores printed.

Why a command and not a test: Lighthouse takes about half a minute per page and its
performance score moves with the machine's load, so it informs a writer or a reviewer
rather than gating `make test`. The browser tests (tests/browser/) hold the hard rules.

| step | how |
| --- | --- |
| install | `npm install --no-save --prefix .cache/audit lighthouse@12.2.3` once (git-ignored; 13 needs Node 22) |
| build | production settings (publishconf.py) with SITEURL = the local server, into .cache/audit/site |
| serve | tools/static_server.py on a free port of 127.0.0.1 (gzip, like a host) |
| measure | Lighthouse with Debian's /usr/bin/chromium, mobile form factor (its default) |
| report | a table of the four category scores; exit 1 when one is below `MINIMUM_SCORE` |
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tools.static_server import serve_in_background

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = ROOT / ".cache" / "audit"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_CLI = AUDIT_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                  "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM_SCORE = 95
DEFAULT_PAGES = ("/", "/ia-ouverte-se-referme/")


class AuditError(Exception):
    """A missing tool or a failed step, with the sentence to show the writer."""


def install_lighthouse() -> Path:
    """Lighthouse's CLI, installed on first use into the git-ignored .cache/audit."""
    if LIGHTHOUSE_CLI.is_file():
        return LIGHTHOUSE_CLI
    npm = shutil.which("npm")
    if npm is None:
        raise AuditError("npm est introuvable : installez Node.js 20 (apt-get install nodejs npm).")
    print(f"Installation de lighthouse@{LIGHTHOUSE_VERSION} dans {AUDIT_DIR.relative_to(ROOT)}…",
          flush=True)
    AUDIT_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                             "--ignore-scripts", "--prefix", str(AUDIT_DIR),
                             f"lighthouse@{LIGHTHOUSE_VERSION}"])
    if result.returncode != 0 or not LIGHTHOUSE_CLI.is_file():
        raise AuditError("L’installation de Lighthouse a échoué (voir ci-dessus).")
    return LIGHTHOUSE_CLI


def build_production_site(output: Path, siteurl: str) -> None:
    """The production build, with addresses pointing at the local server."""
    command = [sys.executable, str(ROOT / "tools" / "run_pelican.py"), str(ROOT / "content"),
               "-s", str(ROOT / "publishconf.py"), "-o", str(output),
               "-e", f'CACHE_PATH="{AUDIT_DIR / "pelican-cache"}"']
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "SITEURL": siteurl})
    if result.returncode != 0:
        raise AuditError("La construction a échoué : corrigez les erreurs ci-dessus.")


def run_lighthouse(cli: Path, url: str, report: Path) -> dict[str, int]:
    """Lighthouse's four category scores (0–100) for `url`; the JSON report is kept."""
    command = ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROMIUM_FLAGS}"]
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM},
                            capture_output=True, text=True)
    if result.returncode != 0 or not report.is_file():
        raise AuditError(f"Lighthouse a échoué sur {url} :\n{result.stderr[-2000:]}")
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: round((categories[name]["score"] or 0) * 100) for name in CATEGORIES}


def failed_audits(report: Path, limit: int = 8) -> list[str]:
    """Titles of the audits that cost points, to say what to fix next."""
    data = json.loads(report.read_text(encoding="utf-8"))
    weighted = {ref["id"] for category in data["categories"].values()
                for ref in category["auditRefs"] if ref.get("weight")}
    failing = [audit for audit_id, audit in data["audits"].items()
               if audit_id in weighted and audit.get("score") is not None and audit["score"] < 0.9]
    return [f"{audit['title']} ({round(audit['score'] * 100)})" for audit in failing[:limit]]


def audit(pages=DEFAULT_PAGES) -> int:
    """Build, serve, measure; print the scores. Returns the number of scores under the bar."""
    if not Path(CHROMIUM).exists():
        raise AuditError(f"{CHROMIUM} absent : apt-get install chromium")
    cli = install_lighthouse()
    site = AUDIT_DIR / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    server, base = serve_in_background(site)
    try:
        build_production_site(site, base)
        rows = []
        for path in pages:
            report = AUDIT_DIR / f"lighthouse-{path.strip('/').replace('/', '-') or 'accueil'}.json"
            print(f"Lighthouse (mobile) : {base}{path}", flush=True)
            rows.append((path, run_lighthouse(cli, base + path, report), report))
    finally:
        server.shutdown()
        server.server_close()
    return print_scores(rows)


def print_scores(rows) -> int:
    header = f"{'page':<32}" + "".join(f"{name:>16}" for name in CATEGORIES)
    print("\n" + header + "\n" + "-" * len(header))
    below = 0
    for path, scores, report in rows:
        print(f"{path:<32}" + "".join(f"{scores[name]:>16}" for name in CATEGORIES))
        below += sum(score < MINIMUM_SCORE for score in scores.values())
    for path, scores, report in rows:
        if min(scores.values()) < 100:
            print(f"\nÀ améliorer sur {path} (rapport : {report.relative_to(ROOT)}) :")
            for title in failed_audits(report):
                print(f"  - {title}")
    verdict = "objectif 100, seuil " + str(MINIMUM_SCORE)
    print(f"\n{below} score(s) sous {MINIMUM_SCORE} ({verdict}).")
    return below
