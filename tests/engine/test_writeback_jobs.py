"""Write-back jobs: failures retried and shown, one job per alert under two writers, and the exact
requests Zabbix and Nagios get (local servers that check them, answering recorded pages)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from noc_console.config import ConfigError, load_config
from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.writeback import MAX_ATTEMPTS, Status
from noc_console.engine.correlator import apply_snapshot, reconcile_sources
from noc_console.engine.writeback import Writeback
from noc_console.sources.base import SourceConfig
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store import writeback as jobs
from noc_console.store.models import WritebackRow
from tests.store.test_concurrency import Second

DATA = Path(__file__).parent.parent / "data"
T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class Recorder(BaseHTTPRequestHandler):
    """Answers from the server's `answers` list (status, headers, body) in turn, recording requests."""

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, body: bytes) -> None:
        server: Any = self.server
        server.requests.append((self.command, self.path, dict(self.headers), body))
        status, headers, payload = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def http() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []
    server.answers = [(200, {}, b"{}")]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def alert(source: str, fingerprint: str, **labels: str) -> Alert:
    return Alert(
        source=source, fingerprint=fingerprint, labels={"alertname": "HttpsDown", **labels},
        summary="https down", description="", severity=Severity.CRITICAL, starts_at=T0, service="web",
    )  # fmt: skip


def open_incident(store: Store, config: SourceConfig, *alerts: Alert) -> int:
    with store.session() as session:
        reconcile_sources(session, [config], T0)
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of(config.name, T0, alerts), now=T0).opened
    return incident_id


def acknowledge(store: Store, incident_id: int, by: str = "alice", now: datetime = T0) -> None:
    with store.session() as session:
        assert repo.acknowledge(session, incident_id, by, now).done


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self, _session: object) -> datetime:
        return self.now


def writeback_texts(store: Store, incident_id: int) -> list[str]:
    with store.read() as session:
        return [e.text for e in repo.timeline(session, incident_id) if e.kind == "writeback"]


def states(store: Store, incident_id: int) -> list[Any]:
    with store.read() as session:
        return jobs.writebacks_of(session, incident_id)


def am(url: str, **kwargs: Any) -> SourceConfig:
    return SourceConfig("am-prod", "alertmanager", url, timeout_s=2, ack_writeback=True, **kwargs)


def test_a_failing_source_is_shown_retried_and_later_acknowledged(store: Store, http: Any) -> None:
    config = am(http.url)
    incident_id = open_incident(store, config, alert("am-prod", "f1", service="web"))
    acknowledge(store, incident_id)
    http.answers = [(500, {}, b"boom"), (200, {}, b'{"silenceID": "s-1"}')]
    clock = Clock()
    worker = Writeback(store, {config.name: config}, secret={}.__getitem__, jitter=lambda: 0.5, clock=clock)

    assert worker.tick(None) == 1
    assert writeback_texts(store, incident_id) == [
        "Could not acknowledge at am-prod: HTTP 500 Internal Server Error, retrying in 30 s"
    ]
    (state,) = states(store, incident_id)
    assert state.status is Status.RETRYING and state.error == "HTTP 500 Internal Server Error"
    assert "failing (HTTP 500 Internal Server Error), next try in 30 s" in state.describe(T0)

    assert worker.tick(None) == 0  # not due yet: no second request
    assert len(http.requests) == 1
    clock.now = T0 + timedelta(seconds=31)
    assert worker.tick(None) == 1
    assert writeback_texts(store, incident_id)[-1] == "Acknowledged at am-prod (silence s-1)"
    (state,) = states(store, incident_id)
    assert state.status is Status.DONE and state.remote_id == "s-1"
    method, path, _, body = http.requests[-1]
    assert (method, path) == ("POST", "/api/v2/silences")
    sent = json.loads(body)
    assert sent["matchers"] == [
        {"name": "alertname", "value": "HttpsDown", "isRegex": False, "isEqual": True},
        {"name": "service", "value": "web", "isRegex": False, "isEqual": True},
    ]
    assert sent["createdBy"] == "alice" and f"#{incident_id}" in sent["comment"]


def test_after_the_last_attempt_the_job_stays_failed_on_the_incident(store: Store, http: Any) -> None:
    config = am(http.url)
    incident_id = open_incident(store, config, alert("am-prod", "f1"))
    acknowledge(store, incident_id)
    http.answers = [(503, {}, b"down")]
    clock = Clock()
    worker = Writeback(store, {config.name: config}, secret={}.__getitem__, jitter=lambda: 0.0, clock=clock)
    for _ in range(MAX_ATTEMPTS):
        assert worker.tick(None) == 1
        clock.now += timedelta(hours=1)
    assert worker.tick(None) == 0  # given up: no more requests
    assert len(http.requests) == MAX_ATTEMPTS
    (state,) = states(store, incident_id)
    assert state.status is Status.FAILED and state.attempts == MAX_ATTEMPTS
    assert "FAILED after 8 attempt(s): HTTP 503 Service Unavailable" in state.describe(clock.now)
    texts = writeback_texts(store, incident_id)
    assert len(texts) == MAX_ATTEMPTS
    assert texts[-1].startswith("Could not acknowledge at am-prod: HTTP 503 Service Unavailable; gave up")
    with store.session() as session:  # an operator fixed the source: try again
        assert jobs.reset_failed(session, incident_id, clock.now) == 1
    http.answers = [(200, {}, b'{"silenceID": "s-2"}')]
    assert worker.tick(None) == 1
    assert states(store, incident_id)[0].status is Status.DONE


def test_an_alert_that_clears_before_its_acknowledge_is_cancelled(store: Store, http: Any) -> None:
    config = am(http.url)
    incident_id = open_incident(store, config, alert("am-prod", "f1"), alert("am-prod", "f2"))
    acknowledge(store, incident_id)
    later = T0 + timedelta(minutes=1)
    with store.session() as session:
        rules = config.rules.__class__(resolve_after_missed=1, resolve_after=timedelta(0))
        apply_snapshot(
            session, AlertSnapshot.of("am-prod", later, [alert("am-prod", "f2")]), now=later, rules=rules
        )
    http.answers = [(200, {}, b'{"silenceID": "s-9"}')]
    clock = Clock()
    clock.now = later
    worker = Writeback(store, {config.name: config}, secret={}.__getitem__, clock=clock)
    assert worker.tick(None) == 1  # only f2 goes out
    assert sorted(s.status.value for s in states(store, incident_id)) == ["cancelled", "done"]
    assert "Not acknowledged at am-prod: the alert cleared first" in writeback_texts(store, incident_id)


def test_an_alert_joining_an_acknowledged_incident_is_acknowledged_at_its_source(
    store: Store, http: Any
) -> None:
    config = am(http.url)
    incident_id = open_incident(store, config, alert("am-prod", "f1", service="web"))
    acknowledge(store, incident_id, by="bob")
    later = T0 + timedelta(minutes=2)
    joined = [alert("am-prod", "f1", service="web"), alert("am-prod", "f2", service="web", host="b")]
    with store.session() as session:
        result = apply_snapshot(session, AlertSnapshot.of("am-prod", later, joined), now=later)
    assert result.opened == [] and result.updated == [incident_id]
    http.answers = [(200, {}, b'{"silenceID": "s-1"}'), (200, {}, b'{"silenceID": "s-2"}')]
    clock = Clock()
    clock.now = later
    worker = Writeback(store, {config.name: config}, secret={}.__getitem__, clock=clock)
    assert worker.tick(None) == 2  # the first alert's, and the joiner's
    assert [s.status for s in states(store, incident_id)] == [Status.DONE, Status.DONE]
    matchers = [json.loads(body)["matchers"] for _, _, _, body in http.requests]
    assert {"name": "host", "value": "b", "isRegex": False, "isEqual": True} in matchers[1]
    assert all(json.loads(body)["createdBy"] == "bob" for _, _, _, body in http.requests)
    with store.session() as session:  # the same answer again: no second job for either
        apply_snapshot(session, AlertSnapshot.of("am-prod", later, joined), now=later + timedelta(seconds=10))
    assert len(states(store, incident_id)) == 2


def test_a_source_without_ack_writeback_gets_no_job(store: Store, http: Any) -> None:
    config = SourceConfig("am-prod", "alertmanager", http.url)
    incident_id = open_incident(store, config, alert("am-prod", "f1"))
    acknowledge(store, incident_id)
    assert states(store, incident_id) == []


@pytest.mark.postgres
def test_two_desks_acknowledging_at_once_write_one_job_per_alert(pg_url: str, http: Any) -> None:
    from noc_console.store import open_store

    store = open_store(pg_url)
    try:
        config = am(http.url)
        incident_id = open_incident(store, config, alert("am-prod", "f1"), alert("am-prod", "f2"))
        with store.session() as first:
            assert repo.acknowledge(first, incident_id, "ana", T0).done
            second = Second(store, lambda s: repo.acknowledge(s, incident_id, "ben", T0).done)
            second.start_and_wait_until_blocked(store)
        assert second.outcome() is False  # the second desk is told it was already acknowledged
        with store.session() as session:  # and a repeated queue (a retry of the same ack) adds nothing
            assert jobs.queue_acknowledge(session, incident_id, "ben", T0) == 0
        with store.read() as session:
            rows = session.execute(
                select(WritebackRow.alert_id, func.count()).group_by(WritebackRow.alert_id)
            ).all()
            by = set(session.scalars(select(WritebackRow.requested_by)))
        assert len(rows) == 2 and all(count == 1 for _, count in rows)
        assert by == {"ana"}
    finally:
        store.close()


def test_zabbix_gets_event_acknowledge_with_the_documented_action_bits(store: Store, http: Any) -> None:
    config = SourceConfig("zabbix-prod", "zabbix", http.url, timeout_s=2, ack_writeback=True)
    incident_id = open_incident(store, config, alert("zabbix-prod", "event:20427", host="web-1"))
    acknowledge(store, incident_id, by="carol")
    http.answers = [
        (200, {"Content-Type": "application/json"}, (DATA / "zabbix/event.acknowledge.json").read_bytes())
    ]
    worker = Writeback(store, {config.name: config}, secret={"source:zabbix-prod": "tok-123"}.__getitem__)
    assert worker.tick(None) == 1
    (request,) = http.requests
    method, path, headers, body = request
    assert (method, path) == ("POST", "/api_jsonrpc.php")
    assert headers["Authorization"] == "Bearer tok-123"
    sent = json.loads(body)
    assert sent["jsonrpc"] == "2.0" and sent["method"] == "event.acknowledge"
    assert sent["params"]["eventids"] == ["20427"]
    assert sent["params"]["action"] == 6  # 2 acknowledge | 4 add message
    assert f"#{incident_id}" in sent["params"]["message"] and "carol" in sent["params"]["message"]
    assert writeback_texts(store, incident_id) == ["Acknowledged at zabbix-prod"]


def test_a_zabbix_refusal_is_an_error_not_a_success(store: Store, http: Any) -> None:
    config = SourceConfig("zabbix-prod", "zabbix", http.url, timeout_s=2, ack_writeback=True)
    incident_id = open_incident(store, config, alert("zabbix-prod", "event:20427"))
    acknowledge(store, incident_id)
    denied = (DATA / "zabbix/event.acknowledge.denied.json").read_bytes()
    http.answers = [(200, {"Content-Type": "application/json"}, denied)]
    worker = Writeback(store, {config.name: config}, secret={"source:zabbix-prod": "t"}.__getitem__)
    assert worker.tick(None) == 1
    (state,) = states(store, incident_id)
    assert state.status is Status.RETRYING and "No permissions" in (state.error or "")


def nagios_form_answer() -> tuple[int, dict[str, str], bytes]:
    raw = (DATA / "nagios/cmd_form.html").read_text()
    head, _, body = raw.partition("\n\n")
    headers = dict(line.split(": ", 1) for line in head.splitlines())
    headers["Content-Type"] = headers.pop("Content-type")
    return 200, headers, body.encode()


def test_nagios_gets_the_csrf_token_then_posts_the_acknowledge(store: Store, http: Any) -> None:
    config = SourceConfig(
        "nagios-prod", "nagios", http.url + "/nagios", timeout_s=2, username="noc", ack_writeback=True
    )
    incident_id = open_incident(
        store, config, alert("nagios-prod", "service:web-1/HTTPS", host="web-1", description="HTTPS")
    )
    acknowledge(store, incident_id, by="dave")
    http.answers = [
        nagios_form_answer(),
        (200, {"Content-Type": "text/html"}, (DATA / "nagios/cmd_done.html").read_bytes()),
    ]
    worker = Writeback(store, {config.name: config}, secret={"source:nagios-prod": "pw"}.__getitem__)
    assert worker.tick(None) == 1
    (get, post) = http.requests
    assert get[0] == "GET" and urlsplit(get[1]).path == "/nagios/cgi-bin/cmd.cgi"
    assert parse_qs(urlsplit(get[1]).query)["cmd_typ"] == ["34"]
    assert get[2]["Authorization"].startswith("Basic ")
    token = "3f2a9c0d6b1e4f5a8c7d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"
    assert post[0] == "POST" and post[1] == "/nagios/cgi-bin/cmd.cgi"
    assert post[2]["Content-Type"] == "application/x-www-form-urlencoded"
    assert f"NagFormId={token}" in post[2]["Cookie"]
    form = {key: values[0] for key, values in parse_qs(post[3].decode()).items()}
    assert form == {
        "cmd_typ": "34", "cmd_mod": "2", "host": "web-1", "service": "HTTPS", "com_author": "dave",
        "com_data": form["com_data"], "sticky_ack": "on", "nagFormId": token,
    }  # fmt: skip
    assert f"#{incident_id}" in form["com_data"]
    assert writeback_texts(store, incident_id) == ["Acknowledged at nagios-prod"]


def test_a_nagios_error_page_with_status_200_is_a_failure(store: Store, http: Any) -> None:
    config = SourceConfig("nagios-prod", "nagios", http.url, timeout_s=2, ack_writeback=True)
    incident_id = open_incident(store, config, alert("nagios-prod", "host:edge-1", host="edge-1"))
    acknowledge(store, incident_id)
    refused = (DATA / "nagios/cmd_csrf_refused.html").read_bytes()
    http.answers = [nagios_form_answer(), (200, {"Content-Type": "text/html"}, refused)]
    worker = Writeback(store, {config.name: config}, secret={}.__getitem__)
    assert worker.tick(None) == 1
    form = parse_qs(http.requests[1][3].decode())
    assert form["cmd_typ"] == ["33"] and "service" not in form  # a host problem
    (state,) = states(store, incident_id)
    assert state.status is Status.RETRYING
    assert state.error == "Nagios refused the acknowledge: Error: Invalid or missing CSRF cookie!"


def test_ack_writeback_on_a_source_that_cannot_take_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[[sources]]\nname = "g"\ntype = "grafana"\nurl = "http://127.0.0.1:1"\nack_writeback = true\n'
    )
    with pytest.raises(ConfigError, match=r"sources\[0\] \(g\)\.ack_writeback"):
        load_config(path)
    path.write_text(
        '[[sources]]\nname = "a"\ntype = "alertmanager"\nurl = "http://127.0.0.1:1"\nack_writeback = 1\n'
    )
    with pytest.raises(ConfigError, match=r"ack_writeback: must be true or false"):
        load_config(path)
