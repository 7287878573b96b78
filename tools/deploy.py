"""Publishing: production build, quality gate, then rsync or ghp-import, never blindly.

Why a module and not only invoke tasks: the tests run each step against local targets
(a folder, a bare git repository) with temporary folders, without a shell in between.

| step | refuses when |
| --- | --- |
| ``production_build`` | the strict build (``publishconf.py``) has any error or warning |
| ``quality_gate`` | ``tools.check.run_checks`` (when present) reports an error |
| ``guard_output`` | ``output/`` is empty, or has over 20 % fewer pages than the last deploy (unless ``force``) |
| ``rsync_target`` | the target is empty, ``/``, a home folder, or has no named folder at its end |
| ``rsync_deploy`` | — (``--delete`` only inside the checked target; ``--checksum`` so unchanged files stay untouched) |
| ``gh_pages_deploy`` | — (``ghp-import`` commits ``output/`` to the branch and pushes it) |

Every refusal raises ``DeployError`` with a French message saying what to do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tools" / "run_pelican.py"
DEPLOY_RECORD = ROOT / ".cache" / "last-deploy.json"
SHRINK_TOLERANCE = 0.20
REMOTE_RE = re.compile(r"^(?P<host>[^/:]+):(?P<path>.*)$")


class DeployError(Exception):
    """A reason not to deploy, written for the person who typed the command."""


def production_build(content: Path, output: Path, config: Path,
                     cache_path: Path | None = None) -> None:
    """The strict production build; any warning or error stops the deploy."""
    command = [sys.executable, str(RUNNER), str(content), "-s", str(config),
               "-o", str(output), "--strict"]
    if cache_path is not None:
        command += ["-e", f"CACHE_PATH={json.dumps(str(cache_path))}"]
    print("$", " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise DeployError("La construction de production a échoué : rien n’a été déployé. "
                          "Corrigez les erreurs ci-dessus.")


def quality_gate(content: Path, output: Path, settings: dict) -> None:
    """``invoke check`` on the production output, when the check tools exist."""
    try:
        from tools.check import run_checks
    except ImportError:
        print("invoke check indisponible (tools/check absent) : contrôle sauté.")
        return
    report = run_checks(content, output, settings)
    print(report.format_text())
    if report.errors:
        raise DeployError(f"invoke check a trouvé {len(report.errors)} erreur(s) : "
                          "rien n’a été déployé.")


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html")) if output.is_dir() else 0


def read_record(record: Path = DEPLOY_RECORD) -> dict:
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def guard_output(output: Path, destination: str, force: bool = False,
                 record: Path = DEPLOY_RECORD) -> int:
    """Refuse an empty output, or one that shrank by more than 20 % since the last deploy."""
    pages = count_pages(output)
    if pages == 0 or not (output / "index.html").is_file():
        raise DeployError(f"{output} est vide ou n’a pas de page d’accueil : rien n’a été "
                          "déployé.")
    previous = read_record(record).get(destination, {}).get("pages")
    if previous and pages < previous * (1 - SHRINK_TOLERANCE):
        message = (f"{pages} pages contre {previous} au dernier déploiement vers "
                   f"{destination} (plus de {SHRINK_TOLERANCE:.0%} en moins)")
        if not force:
            raise DeployError(f"{message} : déploiement refusé. Vérifiez le contenu, ou "
                              "relancez avec --force si c’est voulu.")
        print(f"Attention : {message}, déploiement forcé (--force).")
    return pages


def remember_deploy(destination: str, pages: int, record: Path = DEPLOY_RECORD) -> None:
    """Write the page count after a real deploy (never after a dry run)."""
    data = read_record(record)
    data[destination] = {"pages": pages}
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def rsync_target(target: str) -> str:
    """The checked target, with one trailing slash: ``--delete`` acts inside it only."""
    target = (target or "").strip()
    match = REMOTE_RE.match(target)
    host, path = (match.group("host") + ":", match.group("path")) if match else ("", target)
    parts = [p for p in PurePosixPath(path).parts if p not in ("/", ".")]
    home = str(Path.home()).rstrip("/")
    if not path.strip():
        raise DeployError("DEPLOY_RSYNC_TARGET est vide : indiquez un dossier, par exemple "
                          "« user@hote:/var/www/leblog/ » (publishconf.py ou --target).")
    if host.rstrip(":").split("@")[-1].endswith(".example"):
        raise DeployError(f"DEPLOY_RSYNC_TARGET vaut encore l’exemple « {target} » : donnez "
                          "votre serveur dans publishconf.py (ou la variable d’environnement "
                          "DEPLOY_RSYNC_TARGET, ou --target), et SITEURL, l’adresse publique du site.")
    if not parts or ".." in parts or parts[-1].startswith("~") or parts[0].startswith("~") \
            or (not host and os.path.realpath(path).rstrip("/") in ("", home)):
        raise DeployError(f"Cible rsync « {target} » refusée : rsync --delete y effacerait "
                          "tout ce qui n’est pas le blog. Donnez un dossier dédié, par "
                          "exemple « user@hote:/var/www/leblog/ ».")
    return host + path.rstrip("/") + "/"


def rsync_deploy(output: Path, target: str, dry_run: bool = False) -> str:
    """rsync over SSH (or to a local folder): only changed files are written."""
    if shutil.which("rsync") is None:
        raise DeployError("rsync est introuvable : installez-le (sudo apt-get install rsync).")
    command = ["rsync", "--recursive", "--links", "--checksum", "--delete",
               "--itemize-changes", "--human-readable", "--stats"]
    if dry_run:
        command.append("--dry-run")
    command += [str(output).rstrip("/") + "/", target]
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    print(result.stdout, end="")
    if result.returncode != 0:
        raise DeployError(f"rsync a échoué ({result.returncode}) : {result.stderr.strip()}")
    return result.stdout


def gh_pages_changes(output: Path, repo: Path, ref: str) -> str:
    """What ghp-import would change on ``ref``: the output as a git tree, diffed."""
    git_dir = subprocess.run(["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"],
                             check=True, capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GIT_INDEX_FILE": os.path.join(folder, "index")}
        git = ["git", "--git-dir", git_dir, "--work-tree", str(output), "-C", str(output)]
        subprocess.run([*git, "add", "--all", "--force", "."], env=env, check=True,
                       capture_output=True)
        # ghp-import --no-jekyll adds an empty .nojekyll: so does the comparison.
        empty = subprocess.run([*git, "hash-object", "-w", "--stdin"], input="", env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        subprocess.run([*git, "update-index", "--add", "--cacheinfo",
                        f"100644,{empty},.nojekyll"], env=env, check=True,
                       capture_output=True)
        tree = subprocess.run([*git, "write-tree"], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
    exists = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                             ref + "^{tree}"], capture_output=True, text=True)
    if exists.returncode != 0:
        return f"{ref} n’existe pas encore : tout output/ serait publié."
    return subprocess.run(["git", "-C", str(repo), "diff", "--stat", "--no-renames",
                           exists.stdout.strip(), tree],
                          capture_output=True, text=True).stdout or "Aucun changement."


def gh_pages_deploy(output: Path, repo: Path, remote: str, branch: str,
                    dry_run: bool = False, message: str = "Publication du blog") -> str:
    """ghp-import: commit output/ on ``branch`` of ``repo`` and push it to ``remote``."""
    subprocess.run(["git", "-C", str(repo), "fetch", "--quiet", remote, branch],
                   capture_output=True)
    if dry_run:
        changes = gh_pages_changes(output, repo, f"{remote}/{branch}")
        print(changes)
        return changes
    command = [str(Path(sys.executable).parent / "ghp-import"), "--no-jekyll", "--push",
               "--remote", remote, "--branch", branch, "--message", message, str(output)]
    print("$", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise DeployError(f"ghp-import a échoué : {result.stderr.strip() or result.stdout}")
    return result.stdout
