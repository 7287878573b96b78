"""Tâches du blog (invoke). `invoke --list` les affiche ; README les décrit.

Every task runs Pelican as a subprocess of this virtualenv's Python, so a content error
exits non-zero with the plugin's message and never leaves a half-configured process.
"""

from __future__ import annotations

import datetime
import json
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
                    output: Path | None = None, timings=False) -> list[str]:
    """The pelican command line of a build; errors are always fatal."""
    command = [sys.executable, str(ROOT / "tools" / "run_pelican.py"), str(content),
               "-s", str(config)]
    if strict:
        command.append("--strict")
    if timings:
        command.append("--timings")
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
            "drafts": "publie aussi brouillons et articles programmés (prévisualisation)",
            "timings": "affiche la durée de chaque étape (lecture, couvertures, rendu…)"})
def build(c, strict=False, drafts=False, timings=False):
    """Construit le site dans output/ (réglages de pelicanconf.py)."""
    run_pelican(pelican_command(CONFIG, strict=strict, drafts=drafts, timings=timings))


# Folders of the project that hold sources: never deleted, nor anything inside them.
SOURCE_FOLDERS = ("content", "theme", "plugins", "tests", "tools", "docs", "benchmarks",
                  ".git", ".venv", ".ci", "node_modules")
DEPLOY_RECORD = ROOT / ".cache" / "last-deploy.json"


def safe_output_path(output: str | Path) -> Path:
    """The output folder, only if deleting it cannot hurt anything but generated files.

    Refused: `/`, `~` (or any `~` part), `..`, the project itself or anything above it,
    and the source folders (`content`, `theme`, `plugins`…) or anything inside them.
    """
    raw = str(output).strip()
    path = Path(os.path.expanduser(raw))
    path = (ROOT / path).resolve() if not path.is_absolute() else path.resolve()
    sources = [(ROOT / name).resolve() for name in SOURCE_FOLDERS]
    inside_sources = any(path == folder or folder in path.parents for folder in sources)
    if (not raw or "~" in Path(raw).parts or path in (Path("/"), Path.home().resolve())
            or ROOT not in path.parents or inside_sources):
        raise Exit(
            f"Refus de supprimer {path} (OUTPUT_PATH = « {raw} ») : il doit désigner un "
            f"dossier de sortie à l’intérieur du projet ({ROOT}) et hors des dossiers "
            f"sources, par exemple « output ». Corrigez pelicanconf.py.", code=2)
    return path


@task
def clean(c):
    """Supprime output/, publication/ et les caches, rien d’autre (garde le compte du
    dernier déploiement)."""
    settings = load_settings()
    targets = [safe_output_path(settings["OUTPUT_PATH"]),
               safe_output_path(load_settings(PUBLISH_CONFIG)["OUTPUT_PATH"]),
               safe_output_path(ROOT / ".cache")]
    if settings.get("CACHE_PATH"):
        targets.append(safe_output_path(settings["CACHE_PATH"]))
    for target in targets:
        if target == DEPLOY_RECORD.parent and target.exists():
            for child in target.iterdir():
                if child != DEPLOY_RECORD:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            print(f"vidé : {target.relative_to(ROOT)} (sauf {DEPLOY_RECORD.name})")
        elif target.exists():
            shutil.rmtree(target)
            print(f"supprimé : {target.relative_to(ROOT)}")


@task(pre=[clean], help={"strict": "échoue aussi sur le moindre avertissement",
                         "drafts": "publie aussi brouillons et articles programmés"})
def rebuild(c, strict=False, drafts=False):
    """Nettoie puis reconstruit tout."""
    build(c, strict=strict, drafts=drafts)


def unless_port_busy(run):
    """`run()`, or exit with the French reason when the port is taken."""
    from tools.preview_server import PortBusy

    try:
        return run()
    except PortBusy as busy:
        raise Exit(f"Impossible de servir le site : {busy}.", code=2) from None


@task(help={"port": f"port d’écoute (défaut {PREVIEW_PORT})"})
def serve(c, port=PREVIEW_PORT):
    """Sert output/ sur http://127.0.0.1:8000 sans reconstruire."""
    from tools.preview_server import Announcer, make_server

    output = Path(load_settings()["OUTPUT_PATH"])
    if not (output / "index.html").is_file():
        raise Exit(f"Rien à servir dans {shown_path(output)} : construisez d’abord le site "
                   "(invoke build), ou lancez make serve, qui construit et recharge.", code=2)
    server = unless_port_busy(lambda: make_server(output, PREVIEW_HOST, int(port), Announcer()))
    print(f"http://{PREVIEW_HOST}:{port}/ (Ctrl+C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": f"port d’écoute (défaut {PREVIEW_PORT})"})
def livereload(c, port=PREVIEW_PORT):
    """Construit avec les brouillons, sert et recharge le navigateur à chaque modification.

    Une modification dans content/ ne reconstruit que l’article et les pages qui le
    listent ; thème, extensions ou configuration : construction complète. Une erreur est
    affichée (terminal et bandeau dans la page) et la dernière version valide reste servie.
    """
    from tools.preview import PreviewBuilder
    from tools.preview_server import serve as serve_preview

    output = Path(load_settings()["OUTPUT_PATH"])
    # Absolute addresses of the preview (og:image, feeds, canonical) on the port it serves.
    builder = PreviewBuilder(CONTENT, output, CONFIG,
                             {"FEED_DOMAIN": f"http://{PREVIEW_HOST}:{int(port)}"})
    watched = [CONTENT, ROOT / "theme", ROOT / "plugins", CONFIG, PUBLISH_CONFIG]
    unless_port_busy(lambda: serve_preview(builder, watched, host=PREVIEW_HOST, port=int(port)))


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), accents kept."""
    return json.dumps(text, ensure_ascii=False)


def scaffold_article(folder: Path, title: str, category: str, tags: list[str],
                     settings: dict, now: datetime.datetime | None = None) -> Path:
    """Write `<folder>/<slug>.md`, a draft with complete front-matter; never overwrite."""
    from zoneinfo import ZoneInfo

    from pelican.utils import slugify

    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    if not slug:
        raise Exit("Le titre doit contenir au moins une lettre ou un chiffre.", code=2)
    tree = settings.get("CATEGORY_TREE", {})
    known = [name for parent, children in tree.items() for name in (parent, *children)]
    if not category:
        category = default_category(settings)
    by_slug = {slugify(name, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]): name
               for name in known}
    category_slug = slugify(category, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    if known and category_slug not in by_slug:
        raise Exit(f"Catégorie « {category} » inconnue : choisissez parmi "
                   f"{', '.join(known)} (CATEGORY_TREE dans pelicanconf.py).", code=2)
    category = by_slug.get(category_slug, category)
    path = Path(folder) / f"{slug}.md"
    if path.exists():
        raise Exit(f"{shown_path(path)} existe déjà : rien n’a été écrit. Choisissez un autre titre "
                   "ou modifiez ce fichier.", code=2)
    zone = ZoneInfo(settings.get("TIMEZONE") or "Europe/Paris")
    now = (now or datetime.datetime.now(zone)).astimezone(zone)
    lines = [
        "---",
        f"title: {yaml_text(title)}",
        f"date: {now:%Y-%m-%d %H:%M}",
        f"category: {yaml_text(category)}",
        f"tags: [{', '.join(yaml_text(tag) for tag in tags)}]",
        'summary: ""',
        "status: draft",
        "---",
        "",
        "Premier paragraphe de l’article.",
        "",
    ]
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even racing
        handle.write("\n".join(lines))
    return path


def default_category(settings: dict) -> str:
    """The category of `invoke new` without --category: the first sub-category."""
    tree = settings.get("CATEGORY_TREE", {})
    return next((child for children in tree.values() for child in children), "")


def shown_path(path: Path) -> Path:
    """`path` as the writer typed it: relative to the project when inside it."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if ROOT in path.parents else path


def preview_url(path: Path, settings: dict) -> str:
    slug = Path(path).stem
    return f"http://{PREVIEW_HOST}:{PREVIEW_PORT}/" + settings["ARTICLE_URL"].format(slug=slug)


@task(help={"title": "titre de l’article",
            "category": "catégorie (voir CATEGORY_TREE dans pelicanconf.py)",
            "tags": "étiquettes séparées par des virgules"})
def new(c, title, category="", tags=""):
    """Crée content/<slug>.md avec un en-tête complet (brouillon)."""
    settings = load_settings()
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    path = scaffold_article(CONTENT, title, category, tag_list, settings)
    print(f"créé : {shown_path(path)}")
    if not category:
        print(f"rubrique : {default_category(settings)} (par défaut ; --category, ou la clé "
              "category: de l’en-tête, pour en choisir une autre)")
    print(f"prévisualisation : {preview_url(path, settings)} (invoke livereload)")


def check_command(output: str | Path | None = None, *, json_report=False,
                  config: Path = CONFIG, content_only=False) -> list[str]:
    """The `python -m tools.check` command line (content + built site)."""
    command = [sys.executable, "-m", "tools.check", "--settings", str(config)]
    if output is not None:
        command += ["--output", str(output)]
    if content_only:
        command.append("--no-output")
    if json_report:
        command.append("--json")
    return command


@task(help={"output": "site construit à vérifier (défaut : OUTPUT_PATH de pelicanconf.py)",
            "json": "rapport en JSON",
            "content_only": "ne vérifie que content/, sans site construit"})
def check(c, output=None, json=False, content_only=False):
    """Vérifie contenu et site construit (liens, restes de génération, Lorem ipsum…)."""
    result = subprocess.run(check_command(output, json_report=json, content_only=content_only),
                            cwd=ROOT)
    if result.returncode != 0:
        raise Exit(code=result.returncode)


def prepare_deploy(destination: str, force: bool) -> tuple[Path, int]:
    """Strict production build, invoke check, size guard: the output to deploy."""
    from tools import deploy

    settings = load_settings(PUBLISH_CONFIG)
    output = safe_output_path(settings["OUTPUT_PATH"])
    try:
        deploy.production_build(CONTENT, output, PUBLISH_CONFIG)
        deploy.quality_gate(CONTENT, output, settings)
        pages = deploy.guard_output(output, destination, force=force)
    except deploy.DeployError as error:
        raise Exit(str(error), code=1) from None
    return output, pages


@task(help={"dry_run": "montre ce qui changerait sur la cible, sans rien envoyer",
            "force": "déploie même si le site a perdu plus de 20 % de ses pages",
            "target": "cible rsync (défaut : DEPLOY_RSYNC_TARGET de publishconf.py)"})
def publish(c, dry_run=False, force=False, target=""):
    """Construction de production, invoke check, puis rsync vers DEPLOY_RSYNC_TARGET."""
    from tools import deploy

    try:
        destination = deploy.rsync_target(
            target or load_settings(PUBLISH_CONFIG).get("DEPLOY_RSYNC_TARGET", ""))
    except deploy.DeployError as error:
        raise Exit(str(error), code=2) from None
    output, pages = prepare_deploy(f"rsync:{destination}", force)
    try:
        deploy.rsync_deploy(output, destination, dry_run=dry_run)
    except deploy.DeployError as error:
        raise Exit(str(error), code=1) from None
    if dry_run:
        print("Simulation (--dry-run) : rien n’a été envoyé.")
    else:
        deploy.remember_deploy(f"rsync:{destination}", pages)
        print(f"Publié : {pages} pages vers {destination}")


@task(name="gh-pages",
      help={"dry_run": "montre ce qui changerait sur la branche, sans rien pousser",
            "force": "déploie même si le site a perdu plus de 20 % de ses pages",
            "remote": "dépôt distant (défaut : DEPLOY_GH_PAGES_REMOTE de publishconf.py)"})
def gh_pages(c, dry_run=False, force=False, remote=""):
    """Construction de production, invoke check, puis ghp-import sur la branche gh-pages."""
    from tools import deploy

    settings = load_settings(PUBLISH_CONFIG)
    remote = remote or settings.get("DEPLOY_GH_PAGES_REMOTE", "origin")
    branch = settings.get("DEPLOY_GH_PAGES_BRANCH", "gh-pages")
    destination = f"gh-pages:{remote}/{branch}"
    output, pages = prepare_deploy(destination, force)
    try:
        deploy.gh_pages_deploy(output, ROOT, remote, branch, dry_run=dry_run)
    except deploy.DeployError as error:
        raise Exit(str(error), code=1) from None
    if not dry_run:
        deploy.remember_deploy(destination, pages)
        print(f"Publié : {pages} pages sur {remote}/{branch}")


@task(help={"size": "nombre d’articles du corpus synthétique (100, 1000, 5000…)",
            "repeat": "répétitions par scénario (médiane)",
            "only": "scénarios séparés par des virgules (stock,ours,hugo,no-covers,…)",
            "warm_runs": "constructions à chaud par répétition (défaut 3)",
            "json_out": "fichier JSON (défaut benchmarks/results/<date>-<taille>.json)"})
def bench(c, size=1000, repeat=3, only="", json_out="", warm_runs=3):
    """Mesure notre construction face à Pelican d’origine et Hugo (benchmarks/README.md)."""
    command = [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--size", str(size),
               "--repeat", str(repeat), "--warm-runs", str(warm_runs)]
    if only:
        command += ["--only", only]
    if json_out:
        command += ["--json-out", str(json_out)]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise Exit(code=result.returncode)


@task(help={"page": "adresse à auditer (répétable ; défaut : l’accueil et un article)"},
      iterable=["page"])
def audit(c, page=None):
    """Lighthouse (mobile) sur l’accueil et un article : affiche les quatre scores."""
    from tools import audit as lighthouse

    try:
        below = lighthouse.audit(page or lighthouse.DEFAULT_PAGES)
    except lighthouse.AuditError as error:
        raise Exit(str(error), code=2) from None
    if below:
        raise Exit(code=1)


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
