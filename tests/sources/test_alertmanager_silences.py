"""The Alertmanager silence client against a local stand-in: what it sends, and a typed error for
every answer it cannot use (the real Alertmanager round trip is in tests/cli/test_maintenance_cli.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from noc_console.sources.alertmanager_silences import create_silence, expire_silence, get_silence
from noc_console.sources.base import (
    SourceAuthError,
    SourceConfig,
    SourceHTTPError,
    SourceInvalidJSON,
    SourceShapeError,
)

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)


class StandIn:
    def __init__(self, status: int = 200, body: bytes = b'{"silenceID": "abc-123"}') -> None:
        self.status, self.body = status, body
        self.seen: list[tuple[str, str, Any, str | None]] = []


@contextmanager
def serving(stand_in: StandIn) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            stand_in.seen.append((self.command, self.path, body, self.headers.get("Authorization")))
            self.send_response(stand_in.status)
            self.send_header("Content-Length", str(len(stand_in.body)))
            self.end_headers()
            self.wfile.write(stand_in.body)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def config(url: str, **kw: Any) -> SourceConfig:
    return SourceConfig(name="am", type="alertmanager", url=url + "/", timeout_s=2, **kw)


def test_create_posts_exact_matchers_and_times_and_returns_the_id() -> None:
    stand_in = StandIn()
    with serving(stand_in) as url, requests.Session() as http:
        silence_id = create_silence(
            http, config(url, username="noc"), {"tier": "1", "service": "payments"}, starts_at=T0, ends_at=T1,
            created_by="alice", comment="window 4: upgrade", password="s3cret",
        )  # fmt: skip
    assert silence_id == "abc-123"
    [(method, path, body, auth)] = stand_in.seen
    assert (method, path) == ("POST", "/api/v2/silences") and auth is not None and auth.startswith("Basic ")
    assert body == {
        "matchers": [
            {"name": "service", "value": "payments", "isRegex": False, "isEqual": True},
            {"name": "tier", "value": "1", "isRegex": False, "isEqual": True},
        ],
        "startsAt": "2026-11-28T09:00:00.000Z",
        "endsAt": "2026-11-28T11:00:00.000Z",
        "createdBy": "alice",
        "comment": "window 4: upgrade",
    }


def test_expire_deletes_and_get_reads_back() -> None:
    stand_in = StandIn(body=b'{"id": "a/b", "status": {"state": "expired"}, "matchers": []}')
    with serving(stand_in) as url, requests.Session() as http:
        expire_silence(http, config(url), "a/b")
        assert get_silence(http, config(url), "a/b")["status"] == {"state": "expired"}
    assert [(m, p) for m, p, _, _ in stand_in.seen] == [
        ("DELETE", "/api/v2/silence/a%2Fb"),
        ("GET", "/api/v2/silence/a%2Fb"),
    ]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b'{"silenceID": ""}', SourceShapeError),
        (200, b"[1, 2]", SourceShapeError),
        (200, b"<html>proxy login</html>", SourceInvalidJSON),
        (500, b"boom", SourceHTTPError),
        (401, b"", SourceAuthError),
    ],
)
def test_an_answer_that_cannot_be_used_is_a_typed_error(status: int, body: bytes, error: type) -> None:
    with serving(StandIn(status, body)) as url, requests.Session() as http, pytest.raises(error):
        create_silence(http, config(url), {"service": "x"}, ends_at=T1, created_by="a", comment="c")


def test_get_of_something_that_is_not_a_silence_is_a_shape_error() -> None:
    with (
        serving(StandIn(body=b'{"id": "x"}')) as url,
        requests.Session() as http,
        pytest.raises(SourceShapeError, match="not a silence"),
    ):
        get_silence(http, config(url), "x")


def test_unreachable_is_a_typed_error_and_no_matchers_is_refused() -> None:
    with requests.Session() as http:
        with pytest.raises(ValueError, match="at least one label"):
            create_silence(http, config("http://127.0.0.1:9"), {}, ends_at=T1, created_by="a", comment="c")
        from noc_console.sources.base import SourceUnreachable

        with pytest.raises(SourceUnreachable):
            expire_silence(http, config("http://127.0.0.1:9"), "x")


def pair(*urls: str) -> SourceConfig:
    return SourceConfig(name="am", type="alertmanager", url=urls[0], urls=urls, timeout_s=2)


def test_an_ha_pair_takes_silences_at_the_first_member_that_answers() -> None:
    """The members gossip their silences: one that takes the request is enough; one down is passed over."""
    down, erring, healthy = StandIn(), StandIn(503, b"unavailable"), StandIn()
    with serving(erring) as erring_url, serving(healthy) as healthy_url, requests.Session() as http:
        silence_id = create_silence(
            http, pair("http://127.0.0.1:9", healthy_url), {"service": "x"}, ends_at=T1, created_by="a",
            comment="c",
        )  # fmt: skip
        assert silence_id == "abc-123"
        expire_silence(http, pair(erring_url, healthy_url), silence_id)
        with serving(down) as first_url:
            create_silence(
                http, pair(first_url, healthy_url), {"service": "y"}, ends_at=T1, created_by="a", comment="c"
            )
    assert [(m, p) for m, p, _, _ in healthy.seen] == [
        ("POST", "/api/v2/silences"),
        ("DELETE", "/api/v2/silence/abc-123"),
    ]
    assert [m for m, _, _, _ in erring.seen] == ["DELETE"]
    assert [m for m, _, _, _ in down.seen] == ["POST"]  # the first member answered: the second is not asked


@pytest.mark.parametrize(("status", "error"), [(401, SourceAuthError), (400, SourceHTTPError)])
def test_an_ha_pair_member_that_refuses_is_the_answer(status: int, error: type) -> None:
    refusing, other = StandIn(status, b"no"), StandIn()
    with (
        serving(refusing) as refusing_url,
        serving(other) as other_url,
        requests.Session() as http,
        pytest.raises(error),
    ):
        create_silence(
            http, pair(refusing_url, other_url), {"service": "x"}, ends_at=T1, created_by="a", comment="c"
        )
    assert other.seen == []


def test_an_ha_pair_with_every_member_down_fails_with_the_last_error() -> None:
    from noc_console.sources.base import SourceUnreachable

    with requests.Session() as http, pytest.raises(SourceUnreachable, match=r"127\.0\.0\.1:10\b"):
        expire_silence(http, pair("http://127.0.0.1:9", "http://127.0.0.1:10"), "x")


def test_the_source_decides_whether_a_proxy_is_used_whoever_made_the_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Write-back and the silences share one session between sources: a source with trust_env = true
    goes through the proxy of HTTP_PROXY, one without never does, in either order."""
    direct, proxy = StandIn(), StandIn()
    with serving(direct) as direct_url, serving(proxy) as proxy_url, requests.Session() as shared:
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.setenv("NO_PROXY", "")
        behind = SourceConfig(name="am", type="alertmanager", url=direct_url, timeout_s=2, trust_env=True)
        plain = SourceConfig(name="am", type="alertmanager", url=direct_url, timeout_s=2)
        for config in (plain, behind, plain):
            create_silence(shared, config, {"service": "x"}, ends_at=T1, created_by="a", comment="c")
    assert [(m, p) for m, p, _, _ in direct.seen] == [("POST", "/api/v2/silences")] * 2
    assert [(m, p) for m, p, _, _ in proxy.seen] == [("POST", f"{direct_url}/api/v2/silences")]
