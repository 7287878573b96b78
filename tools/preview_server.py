"""The writer's preview: serve the built site, rebuild on every save, reload the browser.

Why our own instead of the ``livereload`` package: it only says « something changed »
(we need the list of changed files for ``PreviewBuilder.rebuild``) and injects its script
into every page. Here, in one process:

| part | job |
| --- | --- |
| ``watchfiles`` loop (main thread) | batches saves (300 ms), calls ``PreviewBuilder.rebuild(changed)``, prints the result |
| ``PreviewHandler`` (HTTP threads) | serves the folder on 127.0.0.1 only, never cached; ``/404.html`` for unknown addresses |
| ``/_preview/events`` | Server-Sent Events: ``reload`` after a good build, ``status`` when errors or QA results change |
| ``theme/preview/js/preview.js`` | included only in preview pages (``SHOW_DRAFTS``): listens to the events, shows the error banner |

A content error prints the message and keeps the last good build served: the loop never
exits on a build error, only on Ctrl+C.
"""

from __future__ import annotations

import errno
import functools
import http.server
import logging
import re
import threading
import time
from pathlib import Path

EVENTS_PATH = "/_preview/events"
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".pyc")
IGNORED_PARTS = ("__pycache__", ".git", ".pytest_cache")
# Files editors and tools write beside the real one for an instant: `sed -i` (sedAb12Cd),
# Vim's write probe (4913), GNOME editors (.goutputstream-…).
TRANSIENT_NAME_RE = re.compile(r"sed[A-Za-z0-9]{6}|4913|\.goutputstream-.*")


class Announcer:
    """A counter per event kind that HTTP threads wait on."""

    def __init__(self):
        self.condition = threading.Condition()
        self.counts = {"reload": 0, "status": 0}
        self.stopped = False

    def announce(self, kind: str) -> None:
        with self.condition:
            self.counts[kind] += 1
            self.condition.notify_all()

    def current(self) -> dict:
        with self.condition:
            return dict(self.counts)

    def wait(self, seen: dict, timeout: float) -> dict:
        with self.condition:
            self.condition.wait_for(lambda: self.counts != seen or self.stopped, timeout)
            return dict(self.counts)

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the preview plus the event stream; no cache, no log noise."""

    announcer: Announcer

    def do_GET(self):
        if self.path.split("?", 1)[0] == EVENTS_PATH:
            return self.stream_events()
        return super().do_GET()

    def stream_events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        seen = self.announcer.current()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.announcer.stopped:
                counts = self.announcer.wait(seen, timeout=15)
                events = [kind for kind in counts if counts[kind] != seen.get(kind)]
                for kind in events:
                    self.wfile.write(f"event: {kind}\ndata: {counts[kind]}\n\n".encode())
                if not events:
                    self.wfile.write(b": ping\n\n")  # notices a closed tab
                self.wfile.flush()
                seen = counts
        except (BrokenPipeError, ConnectionResetError):
            return

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path):
        """A folder without index.html is not a page: the site's 404, as on a host."""
        self.send_error(404)
        return None

    def log_message(self, format, *args):
        """Requests are not the writer's concern; build results are printed instead."""


class PortBusy(Exception):
    """The port is taken (another preview?): said in French, with the way out."""


def make_server(folder: Path, host: str, port: int, announcer: Announcer):
    handler = functools.partial(type("Handler", (PreviewHandler,), {"announcer": announcer}),
                                directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise PortBusy(f"le port {port} est déjà utilisé (une autre prévisualisation ?) : "
                       f"arrêtez-la, ou choisissez un autre port, make serve PORT={port + 1} "
                       f"ou invoke livereload --port {port + 1}") from None
    server.daemon_threads = True
    return server


def interesting(path: str) -> bool:
    """Editor swap files and caches are not edits."""
    name = Path(path).name
    return not (name.endswith(IGNORED_SUFFIXES) or name.startswith((".#", "#"))
                or TRANSIENT_NAME_RE.fullmatch(name)
                or any(part in Path(path).parts for part in IGNORED_PARTS))


def report(result, out=print) -> None:
    """What the writer sees in the terminal after each build."""
    for message in result.errors:
        out(f"ERREUR {message}")
    for message in result.warnings:
        out(f"AVERTISSEMENT {message}")
    out(("✔ " if result.ok else "⚠ ") + result.summary())


def run_checks_in_background(builder, announcer: Announcer, out=print) -> None:
    """After a good build: the search index if the build left it alone, then
    ``invoke check``, shown in the banner; never blocks a build."""

    def work():
        builder.refresh_search()  # a one-article build left the index alone
        checks = builder.run_checks()
        if checks is not None:
            out(f"invoke check : {len(checks['errors'])} erreur(s), "
                f"{len(checks['warnings'])} avertissement(s) (détail : invoke check)")
            announcer.announce("status")

    threading.Thread(target=work, name="preview-checks", daemon=True).start()


def serve(builder, watched: list[Path], host: str = "127.0.0.1", port: int = 8000,
          out=print) -> None:
    """Build, serve and rebuild until Ctrl+C."""
    import watchfiles

    # Its one message, « KeyboardInterrupt caught, stopping watch », is Ctrl+C said in English.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)

    announcer = Announcer()
    server = make_server(builder.output, host, port, announcer)  # a busy port: said first
    out("Construction complète de la prévisualisation…")
    result = builder.build()
    report(result, out)
    threading.Thread(target=server.serve_forever, name="preview-http", daemon=True).start()
    out(f"Prévisualisation : http://{host}:{port}/ (Ctrl+C pour arrêter)")
    if result.ok:
        run_checks_in_background(builder, announcer, out)
    existing = [str(path) for path in watched if path.exists()]
    try:
        for changes in watchfiles.watch(*existing, debounce=300, step=50,
                                        raise_interrupt=False):
            changed = sorted({Path(path) for _, path in changes if interesting(path)})
            if not changed:
                continue
            started = time.strftime("%H:%M:%S")
            names = ", ".join(p.name for p in changed[:3]) + ("…" if len(changed) > 3 else "")
            out(f"[{started}] modifié : {names}")
            try:
                result = builder.rebuild(changed)
            except Exception as error:  # never leave the writer without a preview
                out(f"ERREUR la prévisualisation a rencontré un problème : {error}")
                continue
            report(result, out)
            announcer.announce("reload" if result.ok else "status")
            if result.ok:
                run_checks_in_background(builder, announcer, out)
    finally:
        announcer.stop()
        server.shutdown()
        server.server_close()
