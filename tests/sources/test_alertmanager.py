"""Alertmanager v2: parse on recorded payloads, fetch against small local HTTP servers."""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.alerts import AlertState
from noc_console.domain.severity import Severity
from noc_console.sources import (
    AlertmanagerSource,
    SourceAuthError,
    SourceConfig,
    SourceError,
    SourceHTTPError,
    SourceInvalidJSON,
    SourceShapeError,
    SourceTimeout,
    SourceUnreachable,
    make_source,
)
from noc_console.sources.alertmanager import labels_fingerprint, parse, parse_time

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
NOW = datetime(2024, 5, 14, 9, 18, tzinfo=UTC)


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- parse -------------------------------------------------------------------------------------------


def test_parse_firing_payload() -> None:
    alerts = {a.labels["alertname"]: a for a in parse(load("alerts_firing.json"), source="am")}
    assert len(alerts) == 7
    pay = alerts["PaymentsApi5xxRate"]
    assert pay.source == "am"
    assert pay.fingerprint == "3c9ad2d0f4b1e8a7"
    assert pay.severity is Severity.CRITICAL
    assert pay.summary == "Payments API 5xx rate above 5%"
    assert pay.description.startswith("7.3% of requests")
    assert pay.service == "payments"
    assert pay.state is AlertState.FIRING
    assert not pay.silenced and not pay.inhibited
    assert pay.starts_at == datetime(2024, 5, 14, 9, 12, 13, 517228, tzinfo=UTC)
    assert pay.ends_at == datetime(2024, 5, 14, 9, 21, 43, 517228, tzinfo=UTC)
    assert pay.generator_url is not None and pay.generator_url.startswith("http://prometheus")
    assert {a.severity for a in alerts.values()} == set(Severity)


def test_parse_title_and_offset_time() -> None:
    alerts = {a.labels["alertname"]: a for a in parse(load("alerts_firing.json"), source="am")}
    checkout = alerts["CheckoutLatencyP99High"]
    assert checkout.summary == "Checkout latency p99 above 2 s"
    assert checkout.description == ""
    assert checkout.severity is Severity.MAJOR
    assert checkout.starts_at == datetime(2024, 5, 14, 9, 14, 2, tzinfo=UTC)
    assert checkout.starts_at.utcoffset() is not None and not checkout.starts_at.utcoffset()


def test_parse_silenced_inhibited_and_zero_end() -> None:
    alerts = {a.labels["alertname"]: a for a in parse(load("alerts_firing.json"), source="am")}
    dns = alerts["DnsResolverServfailRate"]
    assert dns.silenced and not dns.inhibited
    assert dns.ends_at is None
    assert dns.description == "3% of queries answered SERVFAIL."
    assert dns.summary == "DnsResolverServfailRate"
    assert dns.generator_url is None
    db = alerts["PostgresReplicationLag"]
    assert db.inhibited and not db.silenced
    assert db.starts_at.microsecond == 250000


def test_parse_unknown_or_missing_severity_is_warning_never_dropped() -> None:
    alerts = {a.labels["alertname"]: a for a in parse(load("alerts_firing.json"), source="am")}
    banana = alerts["DiskAlmostFull"]
    assert banana.severity is Severity.WARNING
    assert banana.service is None
    assert banana.starts_at.microsecond == 999999
    missing = alerts["TargetDown"]
    assert missing.severity is Severity.WARNING
    assert missing.summary == "TargetDown"


def test_parse_custom_labels() -> None:
    payload = [
        {
            "labels": {"alertname": "X", "team": "payments", "priority": "P1"},
            "startsAt": "2024-05-14T09:00:00Z",
        }
    ]
    (alert,) = parse(payload, source="am", service_label="team", severity_label="priority")
    assert alert.service == "payments"
    assert alert.severity is Severity.CRITICAL


def test_parse_empty() -> None:
    assert parse(load("alerts_empty.json"), source="am") == []


def test_fingerprint_from_sorted_labels_when_missing() -> None:
    a = {"labels": {"alertname": "A", "job": "x"}, "startsAt": "2024-05-14T09:00:00Z"}
    b = {"labels": {"job": "x", "alertname": "A"}, "startsAt": "2024-05-14T09:05:00Z"}
    c = {"labels": {"job": "y", "alertname": "A"}, "startsAt": "2024-05-14T09:05:00Z"}
    fa, fb, fc = (parse([p], source="am")[0].fingerprint for p in (a, b, c))
    assert fa == fb != fc
    assert fa == labels_fingerprint({"job": "x", "alertname": "A"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-14T09:12:13.517228731Z", datetime(2024, 5, 14, 9, 12, 13, 517228, tzinfo=UTC)),
        ("2024-05-14T09:12:13Z", datetime(2024, 5, 14, 9, 12, 13, tzinfo=UTC)),
        ("2024-05-14T09:12:13.5-01:30", datetime(2024, 5, 14, 10, 42, 13, 500000, tzinfo=UTC)),
        ("2024-05-14t09:12:13.1z", datetime(2024, 5, 14, 9, 12, 13, 100000, tzinfo=UTC)),
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "yesterday", "2024-05-14", "2024-13-01T00:00:00Z", "2024-05-14T09:12"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="time"):
        parse_time(text)


def test_bad_starts_at_names_field_and_index() -> None:
    with pytest.raises(SourceShapeError) as info:
        parse(load("alerts_bad_starts_at.json"), source="am")
    assert info.value.source == "am"
    assert info.value.message == "alerts[3].startsAt: not an ISO 8601 time"
    assert str(info.value) == "am: alerts[3].startsAt: not an ISO 8601 time"


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"data": []}, "alerts: expected a JSON list, got an object"),
        (None, "alerts: expected a JSON list, got null"),
        ([{"labels": {"a": "b"}, "startsAt": "2024-05-14T09:00:00Z"}, "x"], "alerts[1]: expected an object"),
        ([{"startsAt": "2024-05-14T09:00:00Z"}], "alerts[0].labels: missing"),
        ([{"labels": ["a"], "startsAt": "2024-05-14T09:00:00Z"}], "alerts[0].labels: expected an object"),
        ([{"labels": {"a": "b"}}], "alerts[0].startsAt: missing"),
        ([{"labels": {"a": "b"}, "startsAt": 17}], "alerts[0].startsAt: not an ISO 8601 time"),
        (
            [{"labels": {"a": "b"}, "startsAt": "2024-05-14T09:00:00Z", "endsAt": "soon"}],
            "alerts[0].endsAt: not an ISO 8601 time",
        ),
        (
            [{"labels": {"a": "b"}, "startsAt": "2024-05-14T09:00:00Z", "annotations": "x"}],
            "alerts[0].annotations: expected an object",
        ),
    ],
)
def test_shape_errors_name_the_field(payload: object, where: str) -> None:
    with pytest.raises(SourceShapeError, match=r"^am: ") as info:
        parse(payload, source="am")
    assert info.value.message.startswith(where)


# --- local servers -----------------------------------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes]


@contextmanager
def http_server(reply: Callable[[BaseHTTPRequestHandler], Reply]) -> Iterator[str]:
    """Serve `reply` on 127.0.0.1 from a thread; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = reply(self)
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def json_reply(status: int, payload: object) -> Callable[[BaseHTTPRequestHandler], Reply]:
    body = json.dumps(payload).encode()
    return lambda _h: (status, {"Content-Type": "application/json"}, body)


def config(url: str, **kwargs: Any) -> SourceConfig:
    return SourceConfig(name="prod-am", type="alertmanager", url=url, **{"timeout_s": 2.0, **kwargs})


def fetch(cfg: SourceConfig, password: str | None = None) -> Any:
    with requests.Session() as session:
        return AlertmanagerSource(cfg, password).fetch(session, NOW)


def recorded(handler: BaseHTTPRequestHandler) -> Reply:
    """Recorded answers by path: the firing alerts, none of them suppressed-only, and the status."""
    path = handler.path.partition("?")[0]
    if path == "/api/v2/status":
        name = "status.json"
    else:
        name = "alerts_empty.json" if "active=false" in handler.path else "alerts_firing.json"
    return 200, {"Content-Type": "application/json"}, (DATA / name).read_bytes()


def test_fetch_good_payload() -> None:
    paths: list[str] = []

    def reply(handler: BaseHTTPRequestHandler) -> Reply:
        paths.append(handler.path)
        return recorded(handler)

    with http_server(reply) as url:
        snapshot = fetch(config(url + "/", silenced=True, inhibited=True))
    assert paths == ["/api/v2/alerts?silenced=true&inhibited=true", "/api/v2/status"]
    assert snapshot.source == "prod-am"
    assert snapshot.fetched_at == NOW
    assert len(snapshot.alerts) == 7
    assert all(a.source == "prod-am" for a in snapshot.alerts)
    assert snapshot.source_started_at == datetime(2026, 11, 27, 13, 36, 52, 466000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "error", "kind"),
    [(500, SourceHTTPError, "http"), (401, SourceAuthError, "auth"), (403, SourceAuthError, "auth")],
)
def test_fetch_http_errors(status: int, error: type[SourceError], kind: str) -> None:
    with http_server(json_reply(status, {"error": "nope"})) as url, pytest.raises(error) as info:
        fetch(config(url))
    assert info.value.kind == kind
    assert getattr(info.value, "status", None) == status


def test_fetch_invalid_json() -> None:
    with (
        http_server(lambda _h: (200, {"Content-Type": "application/json"}, b"[{not json")) as url,
        pytest.raises(SourceInvalidJSON),
    ):
        fetch(config(url))


def test_fetch_object_instead_of_list() -> None:
    with (
        http_server(json_reply(200, {"status": "success", "data": []})) as url,
        pytest.raises(SourceShapeError, match="expected a JSON list"),
    ):
        fetch(config(url))


@contextmanager
def silent_listener() -> Iterator[str]:
    """A socket that accepts connections (in the kernel backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_fetch_server_never_answers_times_out() -> None:
    with silent_listener() as url:
        start = time.monotonic()
        with pytest.raises(SourceTimeout):
            fetch(config(url, timeout_s=0.5))
        assert time.monotonic() - start < 2.0


@contextmanager
def drip_server(head: bytes, pieces: Iterator[bytes], interval_s: float) -> Iterator[str]:
    """Accept one connection, send `head`, then one piece every `interval_s` until stopped."""
    stop = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(5)

    def run() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(head)
                for piece in pieces:
                    if stop.wait(interval_s):
                        break
                    conn.sendall(piece)
            except OSError:
                pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_fetch_chunked_drip_past_deadline_times_out() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    pieces = (b"1\r\n \r\n" for _ in range(100))
    with drip_server(head, pieces, 0.05) as url:
        start = time.monotonic()
        with pytest.raises(SourceTimeout, match=r"not complete within 0\.5 s"):
            fetch(config(url, timeout_s=0.5))
        assert time.monotonic() - start < 2.0


def test_fetch_sized_drip_past_deadline_times_out_promptly() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n"
    pieces = (b" " for _ in range(30))
    with drip_server(head, pieces, 0.05) as url:
        start = time.monotonic()
        with pytest.raises(SourceTimeout):
            fetch(config(url, timeout_s=0.5))
        assert time.monotonic() - start < 1.2


def test_fetch_connection_refused_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SourceUnreachable, match=re.escape(f"127.0.0.1:{port}/api/v2/alerts")):
        fetch(config(f"http://127.0.0.1:{port}"))


def test_basic_auth_sent_when_username_set() -> None:
    seen: list[str | None] = []

    def reply(handler: BaseHTTPRequestHandler) -> Reply:
        seen.append(handler.headers.get("Authorization"))
        return 200, {"Content-Type": "application/json"}, b"[]"

    with http_server(reply) as url:
        fetch(config(url, username="noc"), password="s3cret")
        sent_with_user = len(seen)
        fetch(config(url))
    expected = "Basic " + base64.b64encode(b"noc:s3cret").decode()
    # Every request of a fetch (alerts, suppressed alerts, status) carries it; none without a user.
    assert seen == [expected] * 3 + [None] * 3
    assert sent_with_user == 3


def test_password_never_in_errors_or_repr() -> None:
    token = f"pw-{uuid.uuid4().hex}"
    errors: list[SourceError] = []
    with http_server(json_reply(401, {"error": token})) as url:
        cfg = config(url, username="noc")
        source = AlertmanagerSource(cfg, token)
        with requests.Session() as session, pytest.raises(SourceAuthError) as info:
            source.fetch(session, NOW)
        errors.append(info.value)
    with silent_listener() as url:
        with pytest.raises(SourceTimeout) as timeout_info:
            fetch(config(url, username="noc", timeout_s=0.5), password=token)
        errors.append(timeout_info.value)
    for exc in errors:
        for text in (str(exc), repr(exc), exc.message, repr(exc.args)):
            assert token not in text
    assert token not in repr(source)
    assert token not in str(source)
    assert "noc" in repr(source)


def test_repr_hides_url_user_info() -> None:
    source = AlertmanagerSource(config("http://noc:hunter2@127.0.0.1:9093/?token=abc"), "pw")
    assert "hunter2" not in repr(source)
    assert "abc" not in repr(source)


# --- registry ----------------------------------------------------------------------------------------


def test_make_source_alertmanager_uses_secret_only_with_username() -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return "pw"

    plain = make_source(config("http://127.0.0.1:9093"), secret)
    assert isinstance(plain, AlertmanagerSource)
    assert asked == []
    with_user = make_source(config("http://127.0.0.1:9093", username="noc"), secret)
    assert isinstance(with_user, AlertmanagerSource)
    assert asked == ["source:prod-am"]


def test_make_source_unknown_type_is_that_sources_error() -> None:
    from noc_console.sources import SourceError

    cfg = SourceConfig(name="z", type="probe_v2", url="http://127.0.0.1")
    with pytest.raises(SourceError, match=r"^z: type 'probe_v2' is not supported by this release$"):
        make_source(cfg, None)


# --- the real Alertmanager ---------------------------------------------------------------------------


@pytest.mark.alertmanager
def test_fetch_from_real_alertmanager(alertmanager: Any) -> None:
    alertmanager.post_alerts(
        [
            {
                "labels": {"alertname": "PaymentsApi5xxRate", "severity": "critical", "service": "payments"},
                "annotations": {"summary": "Payments API 5xx rate above 5%"},
                "generatorURL": "http://prometheus.example:9090/graph",
            },
            {"labels": {"alertname": "DiskAlmostFull", "severity": "sev-banana", "service": "logs"}},
        ]
    )
    silence = {
        "matchers": [{"name": "alertname", "value": "DiskAlmostFull", "isRegex": False, "isEqual": True}],
        "startsAt": datetime.now(UTC).isoformat(),
        "endsAt": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        "createdBy": "test",
        "comment": "maintenance",
    }
    requests.post(f"{alertmanager.url}/api/v2/silences", json=silence, timeout=5).raise_for_status()
    snapshot = fetch(config(alertmanager.url))
    alerts = {a.labels["alertname"]: a for a in snapshot.alerts}
    assert set(alerts) == {"PaymentsApi5xxRate", "DiskAlmostFull"}
    pay = alerts["PaymentsApi5xxRate"]
    assert pay.severity is Severity.CRITICAL
    assert pay.service == "payments"
    assert pay.summary == "Payments API 5xx rate above 5%"
    assert pay.starts_at.tzinfo is UTC
    assert abs(pay.starts_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert pay.ends_at is not None and pay.ends_at > pay.starts_at
    assert len(pay.fingerprint) == 16
    assert not pay.silenced
    disk = alerts["DiskAlmostFull"]
    assert disk.severity is Severity.WARNING
    assert disk.silenced
