"""A web server on 127.0.0.1 for the tests that fetch URLs: started and stopped by the
`pages` fixture, serving tests/data/pages and a few misbehaving routes."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "data" / "pages"
PLAIN = "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في مواجهة الجفاف، بكلفة 50 مليون دينار.\n".encode()


class Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def log_message(self, *args):  # quiet
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html", headers: dict | None = None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_GET(self):
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path.startswith("/pages/") and (PAGES / path.removeprefix("/pages/")).is_file():
            return self._send(200, (PAGES / path.removeprefix("/pages/")).read_bytes())
        if path == "/moved":
            return self._send(301, headers={"Location": "/pages/port-expansion.html"})
        if path in ("/loop-a", "/loop-b"):
            return self._send(302, headers={"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        if path == "/slow":
            time.sleep(3)
            return self._send(200, b"<html></html>")
        if path == "/huge-declared":
            return self._send(200, b"x", headers={"Content-Length": str(11 * 1024 * 1024)})
        if path == "/huge":  # no Content-Length: the cap must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(PLAIN * 200)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path == "/untyped":  # a page served without a Content-Type: the bytes say it is HTML
            body = (PAGES / "port-expansion.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path == "/report.pdf":
            return self._send(200, b"%PDF-1.7\n", ctype="application/pdf")
        if path == "/plain":
            return self._send(200, PLAIN, ctype="text/plain; charset=utf-8")
        return self._send(404, b"<html><body>not found</body></html>")


@pytest.fixture
def pages():
    """The base URL of a server that lives for one test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a handler still asleep (/slow) must not hold the test
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.seen_agents.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
