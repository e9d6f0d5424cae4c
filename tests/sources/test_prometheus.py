"""Prometheus's `/api/v1/alerts`: the pure parse of recorded answers (tests/data/prometheus, shaped as the
HTTP API documentation says), and the real fetch() over HTTP against a local server that answers as
Prometheus does, or misbehaves: a wrong password, 500, garbage, a truncated body, an error object."""

from __future__ import annotations

import base64
import copy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.severity import DEFAULT_SEVERITY, Severity
from noc_console.sources import (
    PrometheusSource,
    SourceAuthError,
    SourceConfig,
    SourceError,
    SourceHTTPError,
    SourceInvalidJSON,
    SourceShapeError,
    make_source,
)
from noc_console.sources.alertmanager_decode import labels_fingerprint
from noc_console.sources.base import SourceUnreachable, Unchanged
from noc_console.sources.prometheus import (
    ALERTS_PATH,
    RUNTIMEINFO_PATH,
    SourceAPIError,
    parse,
    parse_started_at,
)
from tests.paging.vendor_server import Recorded, Reply, VendorServer, vendor_server

DATA = Path(__file__).resolve().parents[1] / "data" / "prometheus"
PASSWORD = "test-only-password"
NOW = datetime(2026, 11, 28, 5, 30, tzinfo=UTC)


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def test_parse_firing_and_pending_alerts() -> None:
    alerts = parse((DATA / "alerts.json").read_bytes(), source="prom")
    assert [a.name for a in alerts] == ["CheckoutDown", "DiskFillingSlowly", "HighLatency"]
    down, disk, latency = alerts
    assert (down.pending, disk.pending, latency.pending) == (False, True, False)
    assert down.summary == "Checkout is down" and down.description == "Every probe of checkout fails."
    assert down.severity is Severity.CRITICAL and down.service == "checkout"
    # activeAt, nanoseconds cut to microseconds, in UTC (the pending one was written with an offset)
    assert down.starts_at == datetime(2026, 11, 28, 5, 23, 26, 134233, tzinfo=UTC)
    assert disk.starts_at == datetime(2026, 11, 28, 4, 23, 26, 134233, tzinfo=UTC)
    assert disk.severity is Severity.WARNING and disk.summary == "Disk filling slowly"
    # no annotations: the alert's name is its summary; no severity label: the default
    assert latency.summary == "HighLatency" and latency.description == "" and latency.service is None
    assert latency.severity is DEFAULT_SEVERITY
    assert all(a.ends_at is None and not a.suppressed and not a.has_ended() for a in alerts)


def test_the_fingerprint_is_the_label_set_as_alertmanager_fingerprints_it() -> None:
    alerts = parse(recorded("alerts.json"), source="prom")
    assert [a.fingerprint for a in alerts] == [labels_fingerprint(a.labels) for a in alerts]
    assert len({a.fingerprint for a in alerts}) == 3
    # the same alert pending, then firing, is one alert: its state is not part of its identity
    payload = recorded("alerts.json")
    payload["data"]["alerts"][1]["state"] = "firing"
    fired = parse(payload, source="prom")[1]
    assert fired.fingerprint == alerts[1].fingerprint and not fired.pending


def test_service_and_severity_labels_are_configurable() -> None:
    alerts = parse(recorded("alerts.json"), source="prom", service_label="team", severity_label="nope")
    assert [a.service for a in alerts] == [None, None, "payments"]
    assert {a.severity for a in alerts} == {DEFAULT_SEVERITY}


def test_an_empty_answer_is_no_alerts() -> None:
    assert parse(recorded("empty.json"), source="prom") == []


def test_an_error_answer_names_prometheus_error_type() -> None:
    with pytest.raises(
        SourceAPIError, match=r"^prom: Prometheus answered an error \(bad_data\): invalid"
    ) as e:
        parse(recorded("error_bad_data.json"), source="prom")
    assert e.value.error_type == "bad_data" and e.value.kind == "api"
    with pytest.raises(SourceAPIError, match=r"\(unknown\)"):
        parse({"status": "error"}, source="prom")


def mutated(path: tuple[Any, ...], value: Any) -> Any:
    payload = copy.deepcopy(recorded("alerts.json"))
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    if value is KeyError:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return payload


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("status",), "maybe", r"status: expected 'success' or 'error', got 'maybe'"),
        (("status",), KeyError, r"status: missing"),
        (("data",), [], r"data: expected an object, got a list"),
        (("data", "alerts"), {}, r"data\.alerts: expected a list, got an object"),
        (("data", "alerts"), KeyError, r"data\.alerts: missing"),
        (("data", "alerts", 1), "x", r"data\.alerts\[1\]: expected an object, got a string"),
        (("data", "alerts", 0, "labels"), KeyError, r"data\.alerts\[0\]\.labels: missing"),
        (
            ("data", "alerts", 0, "labels", "service"),
            3,
            r"data\.alerts\[0\]\.labels\.service: expected a string",
        ),
        (("data", "alerts", 2, "annotations"), "x", r"data\.alerts\[2\]\.annotations: expected an object"),
        (
            ("data", "alerts", 1, "state"),
            "inactive",
            r"data\.alerts\[1\]\.state: expected 'firing' or 'pending'",
        ),
        (("data", "alerts", 1, "state"), KeyError, r"data\.alerts\[1\]\.state: missing"),
        (
            ("data", "alerts", 0, "activeAt"),
            "yesterday",
            r"data\.alerts\[0\]\.activeAt: not an RFC 3339 time",
        ),
        (("data", "alerts", 0, "activeAt"), 1700000000, r"data\.alerts\[0\]\.activeAt: not an RFC 3339 time"),
        (("data", "alerts", 0, "activeAt"), KeyError, r"data\.alerts\[0\]\.activeAt: missing"),
    ],
)
def test_shape_errors_name_the_field(path: tuple[Any, ...], value: Any, message: str) -> None:
    with pytest.raises(SourceShapeError, match="^prom: " + message):
        parse(mutated(path, value), source="prom")


def test_bytes_that_are_not_json_and_json_that_is_not_an_object() -> None:
    with pytest.raises(SourceInvalidJSON):
        parse(b"<html>502 Bad Gateway</html>", source="prom")
    with pytest.raises(SourceShapeError, match="alerts: expected a JSON object, got a list"):
        parse(b"[]", source="prom")


def test_long_and_unstorable_text_is_cleaned() -> None:
    payload = mutated(("data", "alerts", 0, "annotations", "summary"), "S\x00" + "x" * 2000)
    payload["data"]["alerts"][0]["labels"]["alertname"] = "n" * 3000
    alert = parse(payload, source="prom")[0]
    assert "\x00" not in alert.summary and len(alert.summary) == 500 and alert.summary.endswith("…")
    assert len(alert.labels["alertname"]) == 500


def test_started_at_from_runtimeinfo() -> None:
    started = parse_started_at(recorded("runtimeinfo.json"), source="prom")
    assert started == datetime(2026, 11, 28, 5, 23, 25, 605616, tzinfo=UTC)
    with pytest.raises(SourceShapeError, match=r"data\.startTime: missing"):
        parse_started_at({"status": "success", "data": {}}, source="prom")
    with pytest.raises(SourceAPIError):
        parse_started_at(recorded("error_bad_data.json"), source="prom")


# --- fetch over HTTP -----------------------------------------------------------------------------


def prometheus_like(server: VendorServer, alerts: str = "alerts.json", *, user: bool = False) -> None:
    """Answer as Prometheus does (behind basic auth when `user`): alerts, runtimeinfo, else 404."""
    good = "Basic " + base64.b64encode(f"noc-reader:{PASSWORD}".encode()).decode()

    def reply(request: Recorded) -> Reply:
        if user and request.headers.get("authorization") != good:
            return Reply(401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="Prometheus"'})
        if request.path == ALERTS_PATH:
            return Reply(200, recorded(alerts))
        if request.path == RUNTIMEINFO_PATH:
            return Reply(200, recorded("runtimeinfo.json"))
        return Reply(404, "404 page not found\n")

    server.default = reply


def config(url: str, **overrides: Any) -> SourceConfig:
    return SourceConfig("prom", "prometheus", url, timeout_s=2, **overrides)


def test_fetch_over_http_with_basic_auth() -> None:
    with vendor_server() as server, requests.Session() as session:
        prometheus_like(server, user=True)
        source = make_source(config(server.url + "/", username="noc-reader"), lambda _name: PASSWORD)
        assert isinstance(source, PrometheusSource) and PASSWORD not in repr(source)
        snapshot = source.fetch(session, NOW)
        paths = [r.path for r in server.requests]
    assert paths == [ALERTS_PATH, RUNTIMEINFO_PATH]  # alerts first: a restart between shows a young uptime
    assert [a.name for a in snapshot.alerts] == ["CheckoutDown", "DiskFillingSlowly", "HighLatency"]
    assert snapshot.source_started_at == datetime(2026, 11, 28, 5, 23, 25, 605616, tzinfo=UTC)
    assert snapshot.source_now is not None  # the Date header
    assert snapshot.digest


def test_a_wrong_password_is_an_auth_error() -> None:
    with vendor_server() as server, requests.Session() as session:
        prometheus_like(server, user=True)
        with pytest.raises(SourceAuthError, match="401"):
            PrometheusSource(config(server.url, username="noc-reader"), "not-it").fetch(session, NOW)


@pytest.mark.parametrize(
    ("reply", "error", "message"),
    [
        (Reply(500, "oops"), SourceHTTPError, r"HTTP 500"),
        (Reply(502, "<html>bad gateway</html>"), SourceHTTPError, r"HTTP 502"),
        (Reply(200, "{not json"), SourceInvalidJSON, r"not valid JSON"),
        (Reply(200, "<html>login</html>"), SourceInvalidJSON, r"not valid JSON"),
        (Reply(200, {"alerts": []}), SourceShapeError, r"status: missing"),
        (
            Reply(503, {"status": "error", "errorType": "unavailable", "error": "TSDB not ready"}),
            SourceAPIError,
            r"Prometheus answered an error \(HTTP 503, unavailable\): TSDB not ready",
        ),
        (
            Reply(200, {"status": "error", "errorType": "internal", "error": "boom"}),
            SourceAPIError,
            r"\(internal\): boom",
        ),
        (Reply(400, "not the error object"), SourceHTTPError, r"HTTP 400"),
    ],
)
def test_a_misbehaving_server_is_a_typed_error(reply: Reply, error: type[SourceError], message: str) -> None:
    with vendor_server() as server, requests.Session() as session:
        server.default = reply
        with pytest.raises(error, match=message):
            PrometheusSource(config(server.url)).fetch(session, NOW)


@contextmanager
def truncating_server(body: bytes, claimed: int) -> Iterator[str]:
    """Answers every connection with a Content-Length of `claimed` and only `body`, then hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {claimed}\r\n\r\n"
                )
                conn.sendall(head.encode() + body)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_truncated_answer_is_an_error_not_fewer_alerts() -> None:
    body = (DATA / "alerts.json").read_bytes()
    with (
        truncating_server(body[: len(body) // 2], len(body)) as url,
        requests.Session() as session,
        pytest.raises(SourceUnreachable, match=r"answer cut off after \d+ (bytes|KiB): the connection"),
    ):
        PrometheusSource(config(url)).fetch(session, NOW)


def test_without_runtimeinfo_the_alerts_still_come_with_no_start_time() -> None:
    """A proxy that passes only the alerts: no restart signal, the time rule of the source still holds."""
    with vendor_server() as server, requests.Session() as session:

        def reply(request: Recorded) -> Reply:
            return Reply(200, recorded("alerts.json")) if request.path == ALERTS_PATH else Reply(404, "no")

        server.default = reply
        snapshot = PrometheusSource(config(server.url)).fetch(session, NOW)
    assert len(snapshot.alerts) == 3 and snapshot.source_started_at is None


def test_an_unchanged_answer_is_not_parsed_and_a_restart_is_a_change() -> None:
    with vendor_server() as server, requests.Session() as session:
        prometheus_like(server)
        source = PrometheusSource(config(server.url))
        first = source.fetch(session, NOW)
        assert first.digest is not None
        again = source.fetch_if_changed(session, NOW, first.digest)
        assert isinstance(again, Unchanged) and again.digest == first.digest
        assert again.parse().alerts == first.alerts
        # the same alerts from a restarted Prometheus: its new start time must reach the correlator
        info = recorded("runtimeinfo.json")
        info["data"]["startTime"] = "2026-11-28T05:29:00Z"

        def restarted(request: Recorded) -> Reply:
            return Reply(200, recorded("alerts.json") if request.path == ALERTS_PATH else info)

        server.default = restarted
        changed = source.fetch_if_changed(session, NOW, first.digest)
        assert not isinstance(changed, Unchanged)
        assert changed.source_started_at == datetime(2026, 11, 28, 5, 29, tzinfo=UTC)
        # other alerts: a change
        prometheus_like(server, "empty.json")
        assert not isinstance(source.fetch_if_changed(session, NOW, changed.digest or ""), Unchanged)
