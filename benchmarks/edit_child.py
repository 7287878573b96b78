"""Child process of the edit-loop benchmark: full preview build, one edit, rebuild.

Runs in its own process (started by benchmarks/bench.py, which measures its memory) so
that the preview builder's in-memory state starts empty, as it does for a writer. Prints
one JSON line: the seconds of the full build and of the rebuild after the edit, and
whether the edited sentence is in the rewritten page.

    python benchmarks/edit_child.py CONTENT OUTPUT SETTINGS EXTRA_JSON ARTICLE REPETITION
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench import edit_article  # noqa: E402
from tools.preview import PreviewBuilder  # noqa: E402


def main(argv: list[str]) -> int:
    content, output, settings, extra, article, repetition = argv
    builder = PreviewBuilder(Path(content), Path(output), Path(settings), json.loads(extra))
    full = builder.build()
    edit_article(Path(article), int(repetition))
    edit = builder.rebuild([Path(article)])
    page = Path(output) / Path(article).stem / "index.html"
    visible = page.is_file() and f"passage {repetition}" in page.read_text(encoding="utf-8")
    print(json.dumps({"full_seconds": round(full.seconds, 3), "full_ok": full.ok,
                      "edit_seconds": round(edit.seconds, 3), "edit_ok": edit.ok,
                      "visible": visible}))
    return 0 if full.ok and edit.ok and visible else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
