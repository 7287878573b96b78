"""A static host on 127.0.0.1 for checks: gzip like a real host, a free port, no log noise.

Used by the browser tests (tests/browser/) and `invoke audit` (Lighthouse). Why not
`python -m http.server`: it sends text uncompressed, so the weight budget and Lighthouse
would measure bytes no reader ever downloads from a real host.

| part | job |
| --- | --- |
| `StaticHandler` | files of one folder; gzip for text types when the browser accepts it; `delays` slows chosen folders (`/images/`, the fonts) |
| `serve_in_background(folder)` | starts a threaded server on a free port, returns it with its base URL |
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
# Text types a static host compresses; images and woff2 are compressed already.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json",
                    "application/xml", "application/atom+xml", "image/svg+xml")


class StaticHandler(SimpleHTTPRequestHandler):
    """Serves the folder like a static host.

    `server.delays` (URL prefix → seconds, empty by default) slows every response under
    those prefixes, so a layout-shift check sees the page before its images or its web
    font arrive.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".webp": "image/webp", ".woff2": "font/woff2", ".svg": "image/svg+xml",
                      ".js": "application/javascript", ".mjs": "application/javascript",
                      ".wasm": "application/wasm", ".xml": "application/xml",
                      ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def send_head(self):
        url_path = unquote(urlsplit(self.path).path)
        delay = max((seconds for prefix, seconds in getattr(self.server, "delays", {}).items()
                     if url_path.startswith(prefix)), default=0)
        if delay:
            time.sleep(delay)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and url_path.endswith("/"):
            path = os.path.join(path, "index.html")
        content_type = self.guess_type(path)
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and os.path.isfile(path) and content_type.startswith(COMPRESSED_TYPES)):
            return super().send_head()  # redirects, 404s, binary files: the base class
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


def serve_in_background(folder: str | Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve `folder` on a free port of 127.0.0.1 from a daemon thread; return (server, base URL).

    Stop it with `server.shutdown(); server.server_close()`.
    """
    handler = functools.partial(StaticHandler, directory=str(folder))
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    server.delays = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}"
