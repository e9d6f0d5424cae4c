"""Pushed alerts, end to end: a real HTTP POST to the receiver of a running poller, applied on its loop.

Each format opens an incident that `show ID --json` shows; a push's resolved alerts resolve and what it
leaves out stays; every refused request (4xx) changes nothing in the store; a standby poller and a full
queue answer 503; a burst of 1,000 pushes leaves the polls of a source on their cadence.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
import requests
from sqlalchemy import func, select

from noc_console.config import Config, ReceiverConfig
from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.alerts import AlertState
from noc_console.domain.incidents import IncidentStatus
from noc_console.engine.poller import Poller
from noc_console.engine.pushes import PushQueue
from noc_console.engine.receiver import Receiver
from noc_console.sources.base import SourceConfig
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store import repository as repo
from noc_console.store.models import AlertRow, ChangeRow, IncidentRow, TimelineRow
from tests.cli.helpers import run_cli
from tests.servers import Alertmanager, free_port

DATA = Path(__file__).resolve().parents[1] / "data"
TOKEN = "push-bearer-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIELDS = (("list", "items"), ("id", "key"), ("title", "text"), ("severity", "level"),
          ("service", "svc"), ("status", "state"))  # fmt: skip


class Polled:
    """A polled source whose answer the test sets; it records when each fetch started."""

    def __init__(self, config: SourceConfig, alerts: tuple[Alert, ...] = ()) -> None:
        self.config = config
        self.alerts = alerts
        self.started: list[float] = []

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        self.started.append(time.monotonic())
        return AlertSnapshot.of(self.config.name, now, self.alerts)


def source(name: str, kind: str, interval_s: float = 3600, **extra: Any) -> SourceConfig:
    return SourceConfig(name=name, type=kind, url="http://127.0.0.1:1", interval_s=interval_s, **extra)


@dataclass
class Running:
    store: Store
    poller: Poller
    url: str

    def post(self, path: str, body: bytes | dict[str, Any] | list[Any], **headers: str) -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return requests.post(self.url + path, data=data, timeout=30, headers={**AUTH, **headers})


@contextmanager
def start(store: Store, sources: list[Polled]) -> Iterator[Running]:
    port = free_port()
    keyring.set_password("noc-console", "receiver", TOKEN)
    config = Config(path=None, sources=tuple(s.config for s in sources),
                    receiver=ReceiverConfig("127.0.0.1", port))  # fmt: skip
    poller = Poller(store, config, sources=sources)
    thread = threading.Thread(target=poller.run, name="test-poller")
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.post(url + "/", timeout=2)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield Running(store, poller, url)
    finally:
        poller.stop_event.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


SOURCES = [
    Polled(source("am", "alertmanager")),
    Polled(source("graf", "grafana")),
    Polled(source("zbx", "zabbix")),
    Polled(source("feed", "json", fields=FIELDS)),
    Polled(source("icinga", "icinga2")),
]


@pytest.fixture
def running(store: Store) -> Iterator[Running]:
    with start(store, [Polled(s.config) for s in SOURCES]) as run:
        yield run


def incidents(store: Store, *, include_resolved: bool = True) -> dict[str, Any]:
    with store.read() as r:
        return {i.title: i for i in repo.list_incidents(r, include_resolved=include_resolved)}


def incident(store: Store, incident_id: int) -> Any:
    with store.read() as r:
        return next(i for i in repo.list_incidents(r, include_resolved=True) if i.id == incident_id)


def wait_for_lease(run: Running) -> None:
    deadline = time.monotonic() + 20
    while run.poller.keeper.fence is None:
        assert time.monotonic() < deadline, "the poller never took the lease"
        time.sleep(0.02)


def test_an_alertmanager_push_is_an_incident_then_its_resolved_push_resolves_it(
    running: Running, db_url: str
) -> None:
    wait_for_lease(running)
    answer = running.post("/push/am", (DATA / "alertmanager" / "webhook_firing.json").read_bytes())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["alerts"] == 2 and len(body["opened"]) == 1  # one service: one incident
    (incident_id,) = body["opened"]
    shown = run_cli("--db", db_url, "show", str(incident_id), "--json")
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(shown.stdout)
    # the title summarises its alerts (domain.incident_title)
    assert detail["title"] == "HighLatency, ProbeFailure on 2 hosts (2 alerts)"
    assert detail["severity"] == "critical"
    assert detail["status"] == "open" and detail["source"] == "am" and detail["service"] == "payments"
    assert sorted(a["fingerprint"] for a in detail["alerts"]) == ["1a30ba71cca2921f", "7c2e0d5b4f9a1e33"]

    resolved = running.post("/push/am", (DATA / "alertmanager" / "webhook_resolved.json").read_bytes())
    assert resolved.status_code == 200 and resolved.json()["updated"] == [incident_id]
    with running.store.read() as r:
        states = {a.fingerprint: a.state for a in repo.alerts_of(r, incident_id)}
    # the push named only the critical alert: the warning it left out still fires, the incident stays open
    assert states == {"1a30ba71cca2921f": "resolved", "7c2e0d5b4f9a1e33": "firing"}
    assert incident(running.store, incident_id).status is IncidentStatus.OPEN

    last = dict(json.loads((DATA / "alertmanager" / "webhook_firing.json").read_text()))
    last["alerts"] = [dict(last["alerts"][1], status="resolved", endsAt="2026-11-27T12:06:00Z")]
    assert running.post("/push/am", last).json()["resolved"] == [incident_id]
    assert incident(running.store, incident_id).status is IncidentStatus.RESOLVED


def test_grafana_zabbix_and_generic_json_pushes_open_incidents_and_resolve_them(running: Running) -> None:
    wait_for_lease(running)
    grafana = running.post("/push/graf", (DATA / "grafana" / "webhook.json").read_bytes())
    assert grafana.status_code == 200, grafana.text
    zabbix = running.post("/push/zbx", (DATA / "zabbix" / "webhook_problem.json").read_bytes())
    assert zabbix.status_code == 200, zabbix.text
    item = {"key": "disk-7", "text": "Disk 7 failing", "level": "critical", "svc": "storage"}
    generic = running.post("/push/feed", item)  # one item alone
    assert generic.status_code == 200, generic.text
    shown = incidents(running.store)
    assert shown["Checkout memory high in us-1"].severity is Severity.MAJOR
    assert "Checkout CPU high in eu-1" not in shown  # pushed already resolved: it opens nothing
    zbx = shown["High CPU utilization (over 90% for 5m) on db-01"]
    assert zbx.severity is Severity.MAJOR and zbx.service == "billing"
    disk = shown["Disk 7 failing"]
    assert disk.severity is Severity.CRITICAL and disk.service == "storage"

    recovery = (DATA / "zabbix" / "webhook_resolved.json").read_bytes()
    assert running.post("/push/zbx", recovery).status_code == 200
    over = {"items": [dict(item, state="resolved")]}  # the list shape the source answers
    assert running.post("/push/feed", over).status_code == 200
    shown = incidents(running.store)
    assert shown["High CPU utilization (over 90% for 5m) on db-01"].status is IncidentStatus.RESOLVED
    assert shown["Disk 7 failing"].status is IncidentStatus.RESOLVED
    assert shown["Checkout memory high in us-1"].status is IncidentStatus.OPEN


def store_dump(store: Store) -> tuple[object, ...]:
    with store.read() as r:
        return (
            [(i.id, i.status, i.alert_count, i.title) for i in repo.list_incidents(r, include_resolved=True)],
            r.scalar(select(func.count()).select_from(AlertRow)),
            r.scalar(select(func.count()).select_from(TimelineRow)),
            r.scalar(select(func.max(ChangeRow.seq))),
            r.scalar(select(func.count()).select_from(IncidentRow)),
        )


def test_refused_pushes_answer_4xx_name_the_field_and_change_nothing(running: Running) -> None:
    wait_for_lease(running)
    firing = (DATA / "alertmanager" / "webhook_firing.json").read_bytes()
    assert running.post("/push/am", firing).status_code == 200
    before = store_dump(running.store)
    resolved = (DATA / "alertmanager" / "webhook_resolved.json").read_bytes()

    no_token = requests.post(running.url + "/push/am", data=resolved, timeout=10)
    assert no_token.status_code == 401 and no_token.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = running.post("/push/am", resolved, Authorization=f"Bearer {TOKEN[:-1]}x")
    assert wrong.status_code == 401
    assert running.post("/push/am", resolved, Authorization=TOKEN).status_code == 401  # no "Bearer"

    not_json = running.post("/push/am", b'{"alerts": [')
    assert not_json.status_code == 400 and "not valid JSON" in not_json.text
    bad = json.loads(resolved)
    bad["alerts"][0]["startsAt"] = "yesterday"
    shape = running.post("/push/am", bad)
    assert shape.status_code == 400 and shape.text == "alerts[0].startsAt: not an ISO 8601 time"
    gone = dict(json.loads(resolved)["alerts"][0], status="gone")
    status = running.post("/push/am", dict(bad, alerts=[gone]))
    assert status.status_code == 400 and status.text == "alerts[0].status: expected 'firing' or 'resolved'"
    assert running.post("/push/am", {"status": "resolved"}).text == "alerts: missing"
    zabbix = running.post("/push/zbx", {"name": "no id"})
    assert zabbix.status_code == 400 and zabbix.text == "event.event_id: missing"
    generic = running.post("/push/feed", {"items": [{"text": "no key"}]})
    assert generic.status_code == 400 and "item 0: no id at 'key' (fields.id)" in generic.text

    unknown = running.post("/push/nowhere", resolved)
    assert unknown.status_code == 404 and "no source named 'nowhere'" in unknown.text
    assert running.post("/push/icinga", resolved).status_code == 404  # its type takes no pushes
    huge = running.post("/push/am", b"[" + b" " * (1024 * 1024) + b"]")
    assert huge.status_code == 413
    assert store_dump(running.store) == before


def test_a_standby_poller_answers_503_and_writes_nothing(store: Store) -> None:
    with store.session() as s:
        assert leases.take_poller_lease(s, "the-other-poller", 1, "elsewhere", lease_s=120) is not None
    before = store_dump(store)
    with start(store, [Polled(source("am", "alertmanager"))]) as run:
        time.sleep(0.3)  # it has tried the lease and stands by
        answer = run.post("/push/am", (DATA / "alertmanager" / "webhook_firing.json").read_bytes())
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
        assert "standing by" in answer.text
    assert store_dump(store) == before


def test_a_full_queue_answers_503_so_that_alertmanager_retries(store: Store) -> None:
    """Alertmanager's webhook retries 5xx within the notification but takes a 4xx as final until the
    group's next interval (5 minutes by default): a full queue must not answer 429."""
    pushes = PushQueue(limit=1)  # nothing drains it: the first push waits, the second finds it full
    receiver = Receiver(store, "127.0.0.1", 0, (), lambda name: TOKEN,
                        sources=[source("am", "alertmanager")], pushes=pushes, push_wait_s=5)  # fmt: skip
    receiver.start()
    before = store_dump(store)
    body = (DATA / "alertmanager" / "webhook_firing.json").read_bytes()
    url = f"http://127.0.0.1:{receiver.port}/push/am"
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            waiting = pool.submit(requests.post, url, data=body, headers=AUTH, timeout=30)
            deadline = time.monotonic() + 10
            while len(pushes) < 1:
                assert time.monotonic() < deadline, "the first push never reached the queue"
                time.sleep(0.01)
            full = requests.post(url, data=body, headers=AUTH, timeout=30)
            assert full.status_code == 503 and full.headers["Retry-After"] == "1", full.status_code
            assert "too many pushes waiting" in full.text
            (first,) = pushes.batch()
            first.finish(200, "{}")  # as the loop would
            assert waiting.result().status_code == 200
    finally:
        receiver.stop()
    assert store_dump(store) == before


def test_a_poll_under_way_when_a_push_resolved_an_alert_does_not_fire_it_again(store: Store) -> None:
    """The poll started before the push: its answer is older news of that alert than the push."""
    t0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    clock = [t0]
    config = source("am", "alertmanager", resolve_after_s=0, resolve_after_missed=1)
    alert = Alert("am", "fp1", {"alertname": "Down", "service": "web"}, "Web down", "", Severity.CRITICAL, t0)
    other = Alert("am", "fp2", {"alertname": "Slow", "service": "db"}, "DB slow", "", Severity.MINOR, t0)
    poller = Poller(store, Config(path=None, sources=(config,)), sources=[], clock=lambda: clock[0])
    poller.keeper.beat()
    from noc_console.engine.scheduler import FetchOutcome

    poll = FetchOutcome("am", t0, snapshot=AlertSnapshot.of("am", t0, [alert, other]))
    (opened_web, opened_db) = sorted(poller.apply(poll, now=t0).opened)
    in_flight = AlertSnapshot.of("am", t0 + timedelta(seconds=5), [alert, other])  # fetch started at +5 s
    clock[0] = t0 + timedelta(seconds=6)
    ended = replace(alert, state=AlertState.RESOLVED)
    pushed = poller.apply_push(AlertSnapshot.of("am", clock[0], [ended], pushed=True), now=clock[0])
    assert pushed.resolved == [opened_web]
    late = poller.apply(FetchOutcome("am", t0 + timedelta(seconds=7), snapshot=in_flight), now=clock[0])
    assert late.opened == [] and late.updated == [] and late.resolved == []  # fp1 left resolved, fp2 kept
    with store.read() as r:
        assert {i.id: i.status for i in repo.list_incidents(r, include_resolved=True)} == {
            opened_web: IncidentStatus.RESOLVED, opened_db: IncidentStatus.OPEN,
        }  # fmt: skip
    # a poll that started after the push is current news: the alert firing there fires again
    fresh = AlertSnapshot.of("am", t0 + timedelta(seconds=8), [alert, other])
    again = poller.apply(FetchOutcome("am", t0 + timedelta(seconds=8), snapshot=fresh), now=clock[0])
    assert len(again.opened) == 1 and again.opened[0] not in (opened_web, opened_db)
    poller.keeper.stop()


def test_a_burst_of_1000_pushes_leaves_the_polls_on_their_cadence(store: Store) -> None:
    polled = Polled(source("am", "alertmanager", interval_s=1.0))
    with start(store, [polled]) as run:
        wait_for_lease(run)
        deadline = time.monotonic() + 20
        while len(polled.started) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with store.read() as r:
            (health,) = repo.list_source_health(r)
        success_before = health.last_success_at
        firing = json.loads((DATA / "alertmanager" / "webhook_firing.json").read_text())
        session = threading.local()

        def push(n: int) -> int:
            if not hasattr(session, "http"):
                session.http = requests.Session()
            alert = dict(firing["alerts"][0], fingerprint=f"burst-{n}",
                         labels={"alertname": f"Burst {n}", "service": f"svc-{n % 50}"})  # fmt: skip
            answer = session.http.post(run.url + "/push/am", data=json.dumps(dict(firing, alerts=[alert])),
                                       headers=AUTH, timeout=60)  # fmt: skip
            return int(answer.status_code)

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=32) as pool:
            codes = list(pool.map(push, range(1000)))
        ended = time.monotonic()
        time.sleep(1.5)  # one more poll after the burst
        with store.read() as r:
            (health,) = repo.list_source_health(r)
            alerts = r.scalar(select(func.count()).select_from(AlertRow).where(AlertRow.source == "am"))
    assert set(codes) <= {200, 503}, set(codes)  # a full queue is a 503: Alertmanager retries only 5xx
    accepted = codes.count(200)
    assert accepted >= 500 and alerts == accepted  # every 200 was committed; a 503 wrote nothing
    during = [t for t in polled.started if started - 1.0 <= t <= ended + 1.0]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    # polled every second all along: a stalled loop would leave a gap as long as the burst (about 20 s)
    assert len(during) >= (ended - started) / 2 and max(gaps) < 5.0, (ended - started, gaps)
    assert health.last_success_at is not None and success_before is not None
    assert health.last_success_at > success_before


def test_a_real_alertmanager_pushes_its_alerts_and_their_end_through_its_webhook(
    store: Store, alertmanager_binary: str, tmp_path: Path
) -> None:
    """Alertmanager's own webhook receiver, with `http_config.authorization.credentials`, POSTs to us."""
    polled = Polled(source("am", "alertmanager"))
    with start(store, [polled]) as run:
        wait_for_lease(run)
        workdir = tmp_path / "am"
        workdir.mkdir()
        server = Alertmanager(alertmanager_binary, workdir, config_text=f"""\
route:
  receiver: noc-console
  group_by: [service]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: noc-console
    webhook_configs:
      - url: {run.url}/push/am
        send_resolved: true
        http_config:
          authorization:
            credentials: {TOKEN}
""")  # fmt: skip
        server.start()
        try:
            started = datetime.now(UTC) - timedelta(minutes=1)
            labels = {"alertname": "EdgeDown", "service": "edge", "severity": "critical"}
            alert = {"labels": labels, "annotations": {"summary": "Edge router down"},
                     "startsAt": started.isoformat().replace("+00:00", "Z")}  # fmt: skip
            sent = time.monotonic()
            server.post_alerts([alert])
            opened = wait_for(lambda: incidents(run.store).get("Edge router down"), 20)
            pushed_in = time.monotonic() - sent
            assert opened.severity is Severity.CRITICAL and opened.status is IncidentStatus.OPEN
            ended = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            server.post_alerts([dict(alert, endsAt=ended)])
            wait_for(lambda: incidents(run.store)["Edge router down"].status is IncidentStatus.RESOLVED, 20)
        finally:
            server.stop()
    # the poll of this source never ran again (hourly): it was the push, within Alertmanager's group_wait
    assert len(polled.started) == 1 and pushed_in < 10


def wait_for(check: Any, timeout_s: float) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "not seen in time"
        time.sleep(0.05)
