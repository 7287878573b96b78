"""Tâches du blog (invoke). `invoke --list` les affiche ; README les décrit.

Every task runs Pelican as a subprocess of this virtualenv's Python, so a content error
exits non-zero with the plugin's message and never leaves a half-configured process.
"""

from __future__ import annotations

import datetime
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
CONFIG = ROOT / "pelicanconf.py"
PUBLISH_CONFIG = ROOT / "publishconf.py"
CONTENT = ROOT / "content"
PREVIEW_HOST, PREVIEW_PORT = "127.0.0.1", 8000


def load_settings(config: Path = CONFIG) -> dict:
    """Pelican's own settings loader, so paths resolve exactly as in a build."""
    from pelican.settings import read_settings

    return read_settings(str(config))


def pelican_command(config: Path, *, strict=False, drafts=False, content=CONTENT,
                    output: Path | None = None) -> list[str]:
    """The pelican command line of a build; errors are always fatal."""
    command = [sys.executable, str(ROOT / "tools" / "run_pelican.py"), str(content),
               "-s", str(config)]
    if strict:
        command.append("--strict")
    if output is not None:
        command += ["-o", str(output)]
    if drafts:
        command += ["-e", "SHOW_DRAFTS=true"]
    return command


def run_pelican(command: list[str]) -> None:
    print("$", " ".join(shlex.quote(part) for part in command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise Exit("La construction a échoué : corrigez les erreurs ci-dessus.", code=1)


@task(help={"strict": "échoue aussi sur le moindre avertissement",
            "drafts": "publie aussi brouillons et articles programmés (prévisualisation)"})
def build(c, strict=False, drafts=False):
    """Construit le site dans output/ (réglages de pelicanconf.py)."""
    run_pelican(pelican_command(CONFIG, strict=strict, drafts=drafts))


def safe_output_path(output: str | Path) -> Path:
    """The output folder, only if deleting it cannot hurt anything but generated files."""
    path = Path(os.path.expanduser(str(output)))
    path = (ROOT / path).resolve() if not path.is_absolute() else path.resolve()
    forbidden = {Path("/"), Path.home().resolve(), ROOT, ROOT.parent, CONTENT.resolve(),
                 (ROOT / "theme").resolve(), (ROOT / "plugins").resolve(),
                 (ROOT / "tests").resolve(), (ROOT / ".git").resolve()}
    if path in forbidden or ROOT not in path.parents:
        raise Exit(
            f"Refus de supprimer {path} : OUTPUT_PATH doit être un dossier à l’intérieur "
            f"du projet ({ROOT}), par exemple « output ». Corrigez pelicanconf.py.", code=2)
    if CONTENT.resolve() in path.parents or (ROOT / ".git").resolve() in path.parents:
        raise Exit(f"Refus de supprimer {path} : il est dans content/ ou .git/.", code=2)
    return path


@task
def clean(c):
    """Supprime output/ et les caches, rien d’autre."""
    settings = load_settings()
    targets = [safe_output_path(settings["OUTPUT_PATH"]), safe_output_path(ROOT / ".cache")]
    for target in targets:
        if target.exists():
            shutil.rmtree(target)
            print(f"supprimé : {target.relative_to(ROOT)}")


@task(pre=[clean], help={"strict": "échoue aussi sur le moindre avertissement"})
def rebuild(c, strict=False):
    """Nettoie puis reconstruit tout."""
    build(c, strict=strict)


@task(help={"port": f"port d’écoute (défaut {PREVIEW_PORT})"})
def serve(c, port=PREVIEW_PORT):
    """Sert output/ sur http://127.0.0.1:8000 sans reconstruire."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    output = load_settings()["OUTPUT_PATH"]
    server = RootedHTTPServer(output, (PREVIEW_HOST, int(port)), ComplexHTTPRequestHandler)
    print(f"http://{PREVIEW_HOST}:{port}/ (Ctrl+C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": f"port d’écoute (défaut {PREVIEW_PORT})"})
def livereload(c, port=PREVIEW_PORT):
    """Construit avec les brouillons, sert et recharge le navigateur à chaque modification."""
    from livereload import Server

    command = pelican_command(CONFIG, drafts=True)

    def rebuild_preview():
        # A content error is shown and the last good build keeps being served.
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0:
            print("⚠ Erreur de construction : la dernière version valide reste servie.",
                  flush=True)

    rebuild_preview()
    server = Server()
    for watched in ("content", "theme", "plugins"):
        server.watch(str(ROOT / watched / "**" / "*"), rebuild_preview, delay=0.3)
    for config in ("pelicanconf.py", "publishconf.py"):
        server.watch(str(ROOT / config), rebuild_preview)
    output = load_settings()["OUTPUT_PATH"]
    print(f"Prévisualisation : http://{PREVIEW_HOST}:{port}/", flush=True)
    server.serve(host=PREVIEW_HOST, port=int(port), root=output, open_url_delay=None)


@task(help={"title": "titre de l’article",
            "category": "catégorie (voir CATEGORY_TREE dans pelicanconf.py)",
            "tags": "étiquettes séparées par des virgules"})
def new(c, title, category="", tags=""):
    """Crée content/<slug>.md avec un en-tête complet (brouillon)."""
    from pelican.utils import slugify
    from zoneinfo import ZoneInfo

    settings = load_settings()
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise Exit("Le titre doit contenir au moins une lettre ou un chiffre.", code=2)
    path = CONTENT / f"{slug}.md"
    if path.exists():
        raise Exit(f"{path.relative_to(ROOT)} existe déjà : choisissez un autre titre.", code=2)
    now = datetime.datetime.now(ZoneInfo(settings.get("TIMEZONE", "Europe/Paris")))
    if not category:
        category = next(iter(next(iter(settings["CATEGORY_TREE"].values()), [])), "")
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    quoted = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.write_text(
        "---\n"
        f"title: {quoted(title)}\n"
        f"date: {now:%Y-%m-%d %H:%M}\n"
        f"category: {category}\n"
        f"tags: [{', '.join(quoted(t) for t in tag_list)}]\n"
        'summary: ""\n'
        "status: draft\n"
        "---\n\n"
        "Premier paragraphe de l’article.\n",
        encoding="utf-8",
    )
    print(f"créé : {path.relative_to(ROOT)}")
    print(f"prévisualisation : http://{PREVIEW_HOST}:{PREVIEW_PORT}/{slug}/ (invoke livereload)")


@task(help={"k": "ne lance que les tests dont le nom contient ce mot",
            "browser": "n’exécute que les tests dans un navigateur"})
def test(c, k="", browser=False):
    """Lance toute la suite de tests (pytest)."""
    command = [sys.executable, "-m", "pytest", "-q"]
    if k:
        command += ["-k", k]
    if browser:
        command += ["-m", "browser"]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode not in (0,):
        raise Exit(code=result.returncode)
