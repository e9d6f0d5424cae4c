"""Running the real command line, and a local HTTP server that misbehaves on request."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`noc-console ARGS` in a child process, as a script or an operator would run it."""
    return subprocess.run(
        [sys.executable, "-m", "noc_console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def write_config(path: Path, url: str, *, timeout_s: float = 2, extra: str = "") -> Path:
    path.write_text(
        f'[[sources]]\nname = "am"\ntype = "alertmanager"\nurl = "{url}"\ntimeout_s = {timeout_s}\n{extra}\n'
    )
    return path


class Misbehaving(BaseHTTPRequestHandler):
    """Answers /api/v2/alerts according to the server's current `mode`."""

    def do_GET(self) -> None:
        mode = self.server.mode  # type: ignore[attr-defined]
        self.server.requests.append(dict(self.headers))  # type: ignore[attr-defined]
        if mode == "hang":
            time.sleep(3)
            return
        status, body = {
            "ok": (200, json.dumps(self.server.alerts)),  # type: ignore[attr-defined]
            "500": (500, "oops"),
            "401": (401, "no"),
            "invalid": (200, "{not json"),
            "object": (200, json.dumps({"data": []})),
        }[mode]
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def misbehaving_server(alerts: list[dict[str, Any]]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    server.mode = "ok"  # type: ignore[attr-defined]
    server.alerts = alerts  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def gettable_alert(fingerprint: str, service: str, severity: str = "critical") -> dict[str, Any]:
    """One alert in Alertmanager v2's gettableAlert shape."""
    return {
        "labels": {"alertname": f"Down-{service}", "service": service, "severity": severity},
        "annotations": {"summary": f"{service} is down"},
        "startsAt": "2026-11-27T11:59:00.123456789Z",
        "endsAt": "2099-01-01T00:00:00Z",
        "updatedAt": "2026-11-27T12:00:00Z",
        "fingerprint": fingerprint,
        "generatorURL": "http://prometheus/graph",
        "receivers": [{"name": "null"}],
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
    }
