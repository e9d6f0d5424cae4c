"""A local HTTP server that stands in for a paging vendor: it records every request exactly as it came
(method, path, query, headers, raw body) and answers from a script of responses, so a test can check
the documented request format and make the vendor answer 429 with Retry-After, 5xx, or a timeout."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)


@dataclass
class Reply:
    """One scripted answer. `delay_s` holds it back (longer than the client's timeout: a timeout)."""

    status: int = 200
    body: str | bytes | dict[str, Any] | list[Any] = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class VendorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[Recorded] = []
        self.script: list[Reply] = []  # consumed in order; when empty, `default` answers
        self.default: Reply | Callable[[Recorded], Reply] = Reply(200, "")
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, *replies: Reply) -> None:
        with self.lock:
            self.script.extend(replies)

    def next_reply(self, recorded: Recorded) -> Reply:
        with self.lock:
            self.requests.append(recorded)
            if self.script:
                return self.script.pop(0)
        return self.default(recorded) if callable(self.default) else self.default


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        recorded = Recorded(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        server: VendorServer = self.server  # type: ignore[assignment]
        reply = server.next_reply(recorded)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        payload = reply.body
        if isinstance(payload, dict | list):
            payload = json.dumps(payload)
            content_type = "application/json"
        else:
            content_type = "text/plain; charset=utf-8"
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": content_type, **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def vendor_server() -> Iterator[VendorServer]:
    server = VendorServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
