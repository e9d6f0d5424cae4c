"""The demo's on-call phone: a local endpoint that takes signed webhook pages as a pager would.

It checks each page's signature over the raw body, answers 202, and keeps what it received, so the
demo can show an unacknowledged critical incident paging level 1, then level 2, and stopping on ack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class DemoPagerSink:
    """`with DemoPagerSink() as sink:` serves on 127.0.0.1; `received` lists the pages' JSON bodies."""

    def __init__(self) -> None:
        self.key = secrets.token_hex(16)  # made for this run: the poller child gets it from the environment
        self.secret = self.key.encode()
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                expected = "sha256=" + hmac.new(sink.secret, body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(self.headers.get("X-NOC-Signature", ""), expected):
                    self._answer(401, b"bad signature")
                    return
                with sink.lock:
                    sink.received.append({"path": self.path, **json.loads(body)})
                self._answer(202, b'{"ok": true}')

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-pager", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> DemoPagerSink:
        self._thread.start()
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
