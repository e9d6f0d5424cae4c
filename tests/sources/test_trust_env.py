"""A source's HTTP session ignores ~/.netrc and proxy variables unless the source says `trust_env = true`:
a stray netrc entry must not send a password, nor a proxy see the traffic."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from noc_console.engine.scheduler import http_session
from noc_console.sources import AlertmanagerSource, SourceConfig
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NETRC_AUTH = "Basic " + base64.b64encode(b"noc:netrc-canary").decode()
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


@contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request line it gets, as a proxy would see them."""
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = b"[]"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def hostile_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """HOME with a .netrc for 127.0.0.1, and every proxy variable pointing at a recording proxy."""
    home = tmp_path / "home"
    home.mkdir()
    netrc = home / ".netrc"
    netrc.write_text("machine 127.0.0.1\n  login noc\n  password netrc-canary\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    for variable in ("NETRC", "NO_PROXY", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(variable, raising=False)
    with recording_proxy() as (proxy_url, seen):
        for variable in PROXY_VARIABLES:
            monkeypatch.setenv(variable, proxy_url)
        yield seen


def fetch_through_the_engines_session(url: str, *, trust_env: bool) -> int:
    config = SourceConfig(name="am", type="alertmanager", url=url, timeout_s=2.0, trust_env=trust_env)
    with http_session(config) as session:
        return len(AlertmanagerSource(config).fetch(session, NOW).alerts)


def test_netrc_and_proxy_variables_are_ignored_by_default(hostile_environment: list[str]) -> None:
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        assert fetch_through_the_engines_session(url_of(server), trust_env=False) == 1
        sent = [headers.get("Authorization") for headers in server.requests]  # type: ignore[attr-defined]
    assert sent and all(header is None for header in sent)
    assert hostile_environment == []  # the proxy saw nothing


def test_trust_env_true_uses_the_proxy(hostile_environment: list[str]) -> None:
    """The same environment with the source opting in: the proxy sees every request (so the test above
    would catch a session that honoured it)."""
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        assert fetch_through_the_engines_session(url_of(server), trust_env=True) == 0  # the proxy's []
        assert server.requests == []  # type: ignore[attr-defined]
    assert hostile_environment and all(path.startswith(url_of(server)) for path in hostile_environment)


def test_trust_env_true_sends_the_netrc_password(
    hostile_environment: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        assert fetch_through_the_engines_session(url_of(server), trust_env=True) == 1
        sent = [headers.get("Authorization") for headers in server.requests]  # type: ignore[attr-defined]
    assert sent and all(header == NETRC_AUTH for header in sent)
