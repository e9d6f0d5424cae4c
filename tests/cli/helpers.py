"""Running the real command line, and a local HTTP server that misbehaves on request."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs

from noc_console.demo.simulator import shown_by_filters

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 60, fresh: bool = False) -> subprocess.CompletedProcess[str]:
    """`noc-console ARGS` in a child process, as a script or an operator would run it.

    The child is forked from an already-imported command line (tests/cli/zygote.py) unless `fresh`, or
    NOC_TEST_CLI_FORK=0, asks for a new interpreter: the same process boundary, a second less of CPU.
    """
    argv = [sys.executable, "-m", "noc_console", *args]
    if fresh or os.environ.get("NOC_TEST_CLI_FORK", "1") == "0":
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    return _Zygote.shared().run(argv, timeout)


class _Zygote:
    """The client of tests/cli/zygote.py: one server per test session, started on first use."""

    _instance: _Zygote | None = None

    @classmethod
    def shared(cls) -> _Zygote:
        if cls._instance is None or cls._instance.proc.poll() is not None:
            cls._instance = cls()
        return cls._instance

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="noc-cli-")
        self.path = os.path.join(self.folder, "socket")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "cli" / "zygote.py"), self.path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError(f"the command-line fork server did not start: {ready!r}")
        atexit.register(self.close)

    def run(self, argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        request = {"args": argv[3:], "env": dict(os.environ), "cwd": str(ROOT)}
        with (
            tempfile.TemporaryFile() as out,
            tempfile.TemporaryFile() as err,
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection,
        ):
            connection.connect(self.path)
            payload = json.dumps(request).encode() + b"\n"
            sent = socket.send_fds(connection, [payload], [out.fileno(), err.fileno()])
            connection.sendall(payload[sent:])
            connection.settimeout(timeout)
            answers = connection.makefile("rb")
            pid = json.loads(answers.readline())["pid"]
            try:
                code = json.loads(answers.readline())["code"]
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                raise subprocess.TimeoutExpired(argv, timeout, _text(out), _text(err)) from None
            return subprocess.CompletedProcess(argv, code, _text(out), _text(err))

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()  # the server ends when its stdin closes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _text(file: IO[bytes]) -> str:
    """What `subprocess.run(text=True)` would have given: UTF-8 with universal newlines."""
    file.seek(0)
    return file.read().decode("utf-8", errors="replace").replace("\r\n", "\n")


def write_config(path: Path, url: str, *, timeout_s: float = 2, extra: str = "") -> Path:
    path.write_text(
        f'[[sources]]\nname = "am"\ntype = "alertmanager"\nurl = "{url}"\ntimeout_s = {timeout_s}\n{extra}\n'
    )
    return path


class Misbehaving(BaseHTTPRequestHandler):
    """Answers /api/v2/alerts according to the server's current `mode` ("ok", "500", "401", "404",
    "invalid", "object", "truncated" or "hang"), and /api/v2/status.

    The alerts honour Alertmanager's filters (active, silenced, inhibited, unprocessed). The status
    answers by `status_mode`: "ok" with `started_at` as its uptime, "404" (an Alertmanager behind a
    proxy that passes only the alerts), "no-uptime" or "invalid". The Date header is `date` when set,
    else the real clock.
    """

    def do_GET(self) -> None:
        server: Any = self.server
        server.requests.append(dict(self.headers))
        server.paths.append(self.path)
        path, _, query = self.path.partition("?")
        if path.rstrip("/") == "/api/v2/status":
            self._status(server)
            return
        mode = server.mode
        if mode == "hang":
            time.sleep(3)
            return
        filters = {key: values[-1] for key, values in parse_qs(query).items()}
        alerts = [a for a in server.alerts if shown_by_filters(a, filters)]
        if mode == "truncated":  # claims the whole list, sends half, hangs up
            whole = json.dumps(alerts).encode()
            self._send(200, whole[: len(whole) // 2].decode(errors="ignore"), length=len(whole))
            self.close_connection = True
            return
        status, body = {
            "ok": (200, json.dumps(alerts)),
            "500": (500, "oops"),
            "401": (401, "no"),
            "404": (404, "404 page not found\n"),
            "invalid": (200, "{not json"),
            "object": (200, json.dumps({"data": []})),
        }[mode]
        self._send(status, body)

    def _status(self, server: Any) -> None:
        uptime = server.started_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        status, body = {
            "ok": (200, json.dumps({**STATUS_TEMPLATE, "uptime": uptime})),
            "404": (404, "404 page not found\n"),
            "no-uptime": (200, json.dumps(STATUS_TEMPLATE)),
            "invalid": (200, "{not json"),
        }[server.status_mode]
        self._send(status, body)

    def _send(self, status: int, body: str, length: int | None = None) -> None:
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload) if length is None else length))
        self.end_headers()
        self.wfile.write(payload)

    def date_time_string(self, timestamp: float | None = None) -> str:
        date: datetime | None = getattr(self.server, "date", None)
        return (
            format_datetime(date.astimezone(UTC), usegmt=True)
            if date
            else super().date_time_string(timestamp)
        )

    def log_message(self, format: str, *args: Any) -> None:
        return


# Alertmanager 0.25's `GET /api/v2/status` (tests/data/alertmanager/status.json), less its config.
STATUS_TEMPLATE: dict[str, Any] = {
    "cluster": {"peers": [], "status": "disabled"},
    "config": {"original": 'route:\n  receiver: "null"\nreceivers:\n- name: "null"\n'},
    "versionInfo": {"branch": "test", "revision": "", "version": "0.25.0", "goVersion": "go1.19.8"},
}


@contextmanager
def misbehaving_server(alerts: list[dict[str, Any]]) -> Iterator[ThreadingHTTPServer]:
    """Serve `alerts`; `.mode`, `.status_mode`, `.started_at`, `.date` steer it, `.requests` (headers)
    and `.paths` (path and query) record what it was asked. It has been up for a day unless told."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    extra: Any = server
    extra.mode = "ok"
    extra.status_mode = "ok"
    extra.started_at = datetime.now(UTC) - timedelta(days=1)
    extra.date = None
    extra.alerts = alerts
    extra.requests = []
    extra.paths = []
    with serving(server):
        yield server


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[None]:
    """`server` answering on a thread of its own until the block ends; then closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
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


class Recording(BaseHTTPRequestHandler):
    """A heartbeat's endpoint: records `(method, path, headers)` in `.calls` and answers `.status`."""

    def do_GET(self) -> None:
        self._record()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._record()

    def _record(self) -> None:
        server: Any = self.server
        server.calls.append((self.command, self.path, dict(self.headers)))
        payload = b'{"result": "PONG", "took": 0.001, "requestId": "r-1"}'
        self.send_response(server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def recording_server(status: int = 202) -> Iterator[ThreadingHTTPServer]:
    """A local heartbeat endpoint on 127.0.0.1: `.calls` records each request, `.status` steers it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    server.daemon_threads = True
    extra: Any = server
    extra.status = status
    extra.calls = []
    with serving(server):
        yield server
