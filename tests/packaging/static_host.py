"""A plain static file server that resolves paths the way common static hosts do.

The export holds one HTML file per page (login.html, and login/index.html too) and 404.html, a
copy of the single-page-app shell. Like nginx's `try_files $uri $uri.html $uri/index.html` with
`error_page 404 /404.html` (and Netlify, Cloudflare Pages, GitHub Pages by default), a request
for /login gets login.html, and an unknown path gets 404.html with status 404, whose script
then routes in the browser. Nothing else: no rewrite rules, no knowledge of the app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class _TryFilesHandler(SimpleHTTPRequestHandler):
    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        root = Path(self.directory)
        if not path.endswith("/"):
            for candidate in (path, f"{path}.html", f"{path}/index.html"):
                found = root / candidate.lstrip("/")
                if found.is_file() and found.resolve().is_relative_to(root.resolve()):
                    self.path = candidate
                    return super().send_head()
        elif (root / path.lstrip("/") / "index.html").is_file():
            return super().send_head()
        fallback = root / "404.html"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(fallback.stat().st_size))
        self.end_headers()
        return fallback.open("rb")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        pass  # keep pytest's output clean; the browser test reports failures itself


@contextmanager
def serve_static(site: Path, port: int) -> Iterator[str]:
    """Serve `site` on 127.0.0.1:`port` in a thread; yields the base URL as http://localhost."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_TryFilesHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
