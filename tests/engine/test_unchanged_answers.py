"""An answer identical to the last one applied stamps the source's health and nothing else, and never
hides a change: a new end time or annotation, an alert that left and came back, absent alerts whose
clearing clocks run, a failure in between, an operator's resolve, a takeover. SQLite and PostgreSQL,
against a local Alertmanager stand-in through the real source."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from unittest import mock

import pytest
import requests
import sqlalchemy as sa

from noc_console.config import Config
from noc_console.domain import AlertSnapshot, IncidentStatus
from noc_console.domain.health import SourceHealth
from noc_console.engine import poller as poller_module
from noc_console.engine.answers import Applied
from noc_console.engine.correlator import ApplyResult
from noc_console.engine.poller import Fence, Poller
from noc_console.engine.scheduler import FetchOutcome, PollScheduler, fetch_one
from noc_console.sources import AlertmanagerSource, SourceConfig
from noc_console.sources.base import Unchanged
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store import repository as repo
from noc_console.store.feed import changes_since, latest_change_seq
from noc_console.store.models import AlertRow
from tests.sources.test_alertmanager import Reply, http_server

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
STATUS = json.dumps({"uptime": "2020-01-01T00:00:00Z"}).encode()  # up for years: absence counts


def am_alert(name: str, service: str, **fields: Any) -> dict[str, Any]:
    alert: dict[str, Any] = {
        "labels": {"alertname": name, "service": service, "severity": "major"},
        "annotations": {"summary": f"{name} on {service}"},
        "startsAt": "2026-11-27T11:50:00.123456789Z",
        "endsAt": "2026-11-27T12:30:00Z",
        "updatedAt": "2026-11-27T11:59:00Z",
        "fingerprint": f"{name}-{service}",
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
    }
    alert.update(fields)
    return alert


class StandIn:
    """Answers `alerts` as Alertmanager would (or HTTP 500 while `failing`), and a long uptime."""

    def __init__(self, *alerts: dict[str, Any]) -> None:
        self.alerts = list(alerts)
        self.failing = False

    def __call__(self, handler: BaseHTTPRequestHandler) -> Reply:
        if self.failing:
            return 500, {}, b"{}"
        body = STATUS if handler.path.startswith("/api/v2/status") else json.dumps(self.alerts).encode()
        return 200, {"Content-Type": "application/json"}, body


class Rig:
    """A poller holding the lease, fed synchronously: one fetch through the real source, then its apply."""

    def __init__(self, store: Store, url: str) -> None:
        settings = SourceConfig(
            name="am", type="alertmanager", url=url, interval_s=1, timeout_s=2, silenced=True, inhibited=True
        )
        self.store = store
        self.config = Config(path=None, sources=(settings,))
        self.source = AlertmanagerSource(settings)
        self.session = requests.Session()
        self.poller = self.restart()

    def restart(self) -> Poller:
        self.poller = Poller(self.store, self.config, sources=[self.source], holder="poller-1")
        assert self.poller.keeper.beat() is not None
        return self.poller

    def poll(self, at: datetime) -> tuple[FetchOutcome, ApplyResult]:
        """One fetch and its apply; `in_full` says whether the apply read the answer's alerts at all."""
        outcome = fetch_one(self.source, self.session, lambda: at, self.poller.answers.digest("am"))
        calls: list[datetime] = []
        real = poller_module.apply_remembering

        def spy(*args: Any, **kwargs: Any) -> Any:
            calls.append(kwargs["now"])
            return real(*args, **kwargs)

        with mock.patch.object(poller_module, "apply_remembering", spy):
            result = self.poller.apply(outcome, at)
        self.in_full = calls == [at]
        return outcome, result

    def shortcut(self, at: datetime) -> bool:
        """Polled at `at`: neither parsed (the fetch said unchanged) nor applied."""
        outcome, _ = self.poll(at)
        return outcome.unchanged is not None and not self.in_full

    def close(self) -> None:
        self.session.close()
        self.poller.keeper.stop()


@pytest.fixture
def stand_in() -> StandIn:
    return StandIn(am_alert("Down", "payments"), am_alert("Slow", "checkout"))


@pytest.fixture
def rig(store: Store, stand_in: StandIn) -> Iterator[Rig]:
    with http_server(stand_in) as url:
        rig = Rig(store, url)
        yield rig
        rig.close()


def everything_but_health(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as r:
        return {
            table: sorted(tuple(row) for row in r.execute(sa.text(f"SELECT * FROM {table}")))
            for table in ("alerts", "incidents", "timeline", "changes", "change_counter")
        }


def alert_rows(store: Store) -> dict[str, AlertRow]:
    with store.read() as r:
        return {row.fingerprint: row for row in r.scalars(sa.select(AlertRow).order_by(AlertRow.id))}


def health(store: Store) -> SourceHealth:
    with store.read() as r:
        (found,) = repo.list_source_health(r)
    return found


def test_an_unchanged_answer_only_stamps_the_sources_health(rig: Rig, store: Store) -> None:
    outcome, result = rig.poll(T0)
    assert outcome.snapshot is not None and len(result.opened) == 2
    before = everything_but_health(store)
    for seconds in (1, 2, 3):
        outcome, result = rig.poll(T0 + seconds * S)
        assert isinstance(outcome.unchanged, Unchanged) and outcome.snapshot is None
        assert result == ApplyResult()
        assert everything_but_health(store) == before  # no alert, incident, timeline or change written
        assert health(store).last_success_at == T0 + seconds * S
    assert health(store).alert_count == 2 and health(store).consecutive_failures == 0


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        (lambda a: a.update(endsAt="2026-11-27T13:00:00Z"), lambda r: r.ends_at == T0 + 3600 * S),
        (
            lambda a: a["annotations"].update(summary="Down for everyone"),
            lambda r: r.summary == "Down for everyone",
        ),
        (lambda a: a["annotations"].update(description="Runbook: restart"), lambda r: r.description),
        (lambda a: a["status"].update(silencedBy=["silence-1"]), lambda r: r.silenced),
    ],
)
def test_any_change_in_the_answer_is_applied(
    rig: Rig, store: Store, stand_in: StandIn, change: Any, seen: Any
) -> None:
    rig.poll(T0)
    assert rig.shortcut(T0 + 10 * S)
    change(stand_in.alerts[0])
    outcome, _ = rig.poll(T0 + 20 * S)
    assert outcome.snapshot is not None
    row = alert_rows(store)["Down-payments"]
    assert seen(row) and rig.in_full
    assert rig.shortcut(T0 + 30 * S)


def test_an_alert_that_left_and_came_back_is_applied_each_time(
    rig: Rig, store: Store, stand_in: StandIn
) -> None:
    rig.poll(T0)
    first = list(stand_in.alerts)
    stand_in.alerts = first[:1]  # "Slow" leaves: its absence is counted at every answer from now on
    for seconds in (10, 20):
        outcome, _ = rig.poll(T0 + seconds * S)
        assert outcome.snapshot is not None and outcome.unchanged is None
    slow = alert_rows(store)["Slow-checkout"]
    assert (slow.state, slow.missed_fetches, slow.clears_at) == ("firing", 2, T0 + 10 * S + 180 * S)
    stand_in.alerts = first  # back: byte for byte the first answer, which was remembered once
    outcome, _ = rig.poll(T0 + 30 * S)
    assert outcome.snapshot is not None
    slow = alert_rows(store)["Slow-checkout"]
    assert (slow.state, slow.missed_fetches, slow.clears_at) == ("firing", 0, None)
    assert rig.shortcut(T0 + 40 * S)


def test_the_grace_period_resolve_happens_under_an_unchanged_answer(
    rig: Rig, store: Store, stand_in: StandIn
) -> None:
    rig.poll(T0)
    stand_in.alerts = stand_in.alerts[:1]
    rig.poll(T0 + 10 * S)  # "Slow" first seen absent: it clears at T0 + 190 s
    slow_incident = alert_rows(store)["Slow-checkout"].incident_id
    for seconds in (20, 100, 189):  # the same answer each time, applied in full while the clock runs
        outcome, result = rig.poll(T0 + seconds * S)
        assert outcome.snapshot is not None and result.resolved == []
    outcome, result = rig.poll(T0 + 190 * S)
    assert outcome.snapshot is not None and result.resolved == [slow_incident]
    slow = alert_rows(store)["Slow-checkout"]
    assert (slow.state, slow.resolved_at) == ("resolved", T0 + 10 * S)
    assert rig.shortcut(T0 + 200 * S)  # nothing left to wait for


def test_a_failure_in_between_forgets_the_answer(rig: Rig, store: Store, stand_in: StandIn) -> None:
    rig.poll(T0)
    assert rig.shortcut(T0 + 10 * S)
    stand_in.failing = True
    outcome, _ = rig.poll(T0 + 20 * S)
    assert outcome.error is not None and health(store).consecutive_failures == 1
    with store.read() as r:
        seq = latest_change_seq(r)
    stand_in.failing = False
    outcome, _ = rig.poll(T0 + 30 * S)  # the very answer applied before the failure
    assert outcome.snapshot is not None and outcome.unchanged is None
    assert rig.in_full
    recovered = health(store)
    assert recovered.consecutive_failures == 0 and recovered.last_success_at == T0 + 30 * S
    with store.read() as r:
        assert [c.kind for c in changes_since(r, seq)] == ["source"]  # screens see the recovery
    assert rig.shortcut(T0 + 40 * S)


def test_an_operators_resolve_reaches_the_next_unchanged_answer(rig: Rig, store: Store) -> None:
    """A resolve by hand detaches the alerts still firing: the next answer must open a new incident."""
    rig.poll(T0)
    assert rig.shortcut(T0 + 10 * S)
    down = alert_rows(store)["Down-payments"].incident_id
    with store.session() as session:
        assert repo.resolve(session, down, "alice", T0 + 15 * S).done
    outcome, result = rig.poll(T0 + 20 * S)
    assert outcome.unchanged is not None  # the same bytes: the store changed, not the answer
    (reopened,) = result.opened
    assert reopened != down and alert_rows(store)["Down-payments"].incident_id == reopened
    with store.read() as r:
        texts = [entry.text for entry in repo.timeline(r, reopened)]
        assert any("resolved by hand" in t and f"#{down}" in t for t in texts)
        assert repo.get_incidents(r, [down])[0].status is IncidentStatus.RESOLVED
    assert rig.shortcut(T0 + 30 * S)


def test_a_takeover_and_a_restart_forget_the_answer(rig: Rig, store: Store) -> None:
    rig.poll(T0)
    assert rig.shortcut(T0 + 10 * S)
    with store.session() as session:  # another poller holds the lease for a while, then gives it up
        assert leases.release_poller_lease(session, "poller-1")
        assert leases.take_poller_lease(session, "poller-2", 2, "h2", lease_s=10) is not None
        assert leases.release_poller_lease(session, "poller-2")
    assert rig.poller.keeper.beat() is not None  # held again, at a new epoch
    outcome, _ = rig.poll(T0 + 20 * S)
    assert outcome.unchanged is not None  # still remembered, but under the old hold: applied in full
    assert rig.in_full
    assert rig.shortcut(T0 + 30 * S)
    rig.poller.keeper.stop()
    rig.restart()
    outcome, _ = rig.poll(T0 + 40 * S)
    assert outcome.snapshot is not None and outcome.unchanged is None
    assert rig.in_full


def test_an_answer_is_remembered_only_with_the_settings_it_was_applied_with() -> None:
    settings = SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:1")
    fence = Fence("poller-1", 3)
    applied = Applied("am", "d1", fence, settings, seen=10)
    same = Unchanged("am", T0, "d1", lambda: pytest.fail("not parsed"))
    assert applied.matches(same, Fence("poller-1", 3), settings)
    assert not applied.matches(same, Fence("poller-1", 4), settings)
    assert not applied.matches(same, None, settings)
    assert not applied.matches(same, fence, dataclasses.replace(settings, service_label="team"))
    assert not applied.matches(Unchanged("am", T0, "d2", same.parse), fence, settings)


class Remembering:
    """A source that records the digest each fetch was given."""

    def __init__(self) -> None:
        self.config = SourceConfig(name="s", type="alertmanager", url="http://127.0.0.1:1", interval_s=1)
        self.given: list[str | None] = []

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        self.given.append(None)
        return AlertSnapshot.of("s", now, [])

    def fetch_if_changed(self, session: requests.Session, now: datetime, digest: str) -> Unchanged:
        self.given.append(digest)
        return Unchanged("s", now, digest, lambda: pytest.fail("not parsed"))


def test_the_scheduler_hands_each_fetch_the_digest_known_when_it_starts() -> None:
    source = Remembering()
    known = {"s": "d1"}
    scheduler = PollScheduler([source], clock=lambda: T0, known_digest=known.get)
    try:
        assert scheduler.run_due() == ["s"]
        (outcome,) = scheduler.results(timeout=10)
        assert outcome.unchanged is not None and outcome.unchanged.digest == "d1"
        scheduler.poll_all_now()  # `poll --once` and `check`: always a full fetch
    finally:
        scheduler.close()
    assert source.given == ["d1", None]
