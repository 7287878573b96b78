"""``python -m tools.check``: the command behind ``invoke check``.

    python -m tools.check [--content content] [--output output] [--settings pelicanconf.py]
                          [--json] [--no-output]

Prints the report grouped by file (or JSON) and exits 1 when there is any error.
Without ``--output``, the OUTPUT_PATH of the settings is read; a site not built yet is an
error (exit 2), not a silent pass without the link checks: ``--no-output`` asks for the
content checks only.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import run_checks

ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tools.check",
                                     description="Vérifie le contenu et le site construit.")
    parser.add_argument("--content", default=None, help="dossier du contenu (défaut : PATH)")
    parser.add_argument("--output", default=None,
                        help="site construit à vérifier (défaut : OUTPUT_PATH)")
    parser.add_argument("--no-output", action="store_true",
                        help="ne vérifie que le contenu, pas le site construit")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"),
                        help="fichier de réglages (défaut : pelicanconf.py)")
    parser.add_argument("--json", action="store_true", help="rapport en JSON")
    return parser.parse_args(argv)


def load_settings(path: str, content: str | None) -> dict:
    """Pelican's loader, so paths and defaults are exactly those of a build."""
    from pelican.settings import read_settings

    logging.getLogger("pelican").setLevel(logging.ERROR)
    override = {"PATH": str(Path(content).resolve())} if content else None
    return read_settings(path, override=override)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    settings = load_settings(args.settings, args.content)
    content = Path(args.content or settings["PATH"])
    if not content.is_dir():
        print(f"Dossier de contenu introuvable : {content}", file=sys.stderr)
        return 2
    output = None if args.no_output else Path(args.output or settings["OUTPUT_PATH"])
    if output is not None and not output.is_dir():  # never pass without having looked
        print(f"Site construit introuvable : {output} (lancez d’abord invoke build, "
              "ou invoke check --content-only pour ne vérifier que le contenu)", file=sys.stderr)
        return 2
    report = run_checks(content, output, settings)
    print(report.to_json() if args.json else report.format_text())
    return report.exit_code
