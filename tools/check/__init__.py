"""Content and site QA: ``run_checks`` reads content/ (and output/ once built).

    from tools.check import run_checks
    report = run_checks(Path("content"), Path("output"), settings)
    print(report.format_text()); sys.exit(report.exit_code)

The command line is ``python -m tools.check`` (see cli.py and README.md).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
if str(PLUGINS) not in sys.path:  # reuse the build's front-matter parsers and validation
    sys.path.insert(0, str(PLUGINS))

from .report import RULES, SEVERITIES, Finding, Report, finding  # noqa: E402
from .rules_content import check_content, make_context  # noqa: E402
from .rules_output import check_output, output_map  # noqa: E402
from .source import read_document, source_files  # noqa: E402

__all__ = ["Finding", "Report", "RULES", "run_checks"]


def run_checks(content_dir: Path, output_dir: Path | None, settings: dict) -> Report:
    """Every rule over `content_dir`, and over `output_dir` when it has been built."""
    started = time.perf_counter()
    content_dir = Path(content_dir).resolve()
    settings = {**settings, "PATH": str(content_dir)}
    docs = [read_document(path, content_dir, settings)
            for path in source_files(content_dir, settings)]
    findings = check_content(docs, make_context(docs, content_dir, settings))
    files_checked = len(docs)
    if output_dir is not None and Path(output_dir).is_dir():
        output_findings, pages = check_output(Path(output_dir).resolve(), settings, docs,
                                              output_map(docs, settings))
        findings += [f for f in output_findings if not already_reported(f, findings)]
        files_checked += pages
    severity, config_findings = severity_overrides(settings)
    ignored = {}
    for doc in docs:
        codes = doc.check_ignore
        for code in sorted(codes - RULES.keys()):
            config_findings.append(finding(
                doc.display, doc.line_of("check_ignore"), "check-config",
                f"check_ignore : règle « {code} » inconnue",
                f"codes possibles : {', '.join(sorted(RULES))}"))
        if codes:
            ignored[doc.display] = codes
    drafts = {doc.display for doc in docs if doc.is_draft}
    return Report(findings + config_findings, severity, ignored, demote=drafts,
                  elapsed=time.perf_counter() - started, files_checked=files_checked)


def already_reported(found: Finding, content_findings: list[Finding]) -> bool:
    """A problem seen in the source and again in its page is reported once (the source's):
    same file, line and rule, and the same address « … » named in both messages."""
    address = found.message.partition("« ")[2].partition(" »")[0]
    return any(f.path == found.path and f.line == found.line and f.code == found.code
               and address and address in f.message for f in content_findings)


def severity_overrides(settings: dict) -> tuple[dict, list[Finding]]:
    """CHECK_SEVERITY from pelicanconf.py, with a warning for each unknown name or level."""
    overrides, problems = {}, []
    for code, level in (settings.get("CHECK_SEVERITY") or {}).items():
        if code not in RULES or level not in SEVERITIES:
            problems.append(finding(
                "pelicanconf.py", 1, "check-config",
                f"CHECK_SEVERITY[{code!r}] = {level!r} ignoré",
                f"une règle parmi {', '.join(sorted(RULES))} ; un niveau parmi "
                f"{', '.join(SEVERITIES)}"))
            continue
        overrides[code] = level
    return overrides, problems
