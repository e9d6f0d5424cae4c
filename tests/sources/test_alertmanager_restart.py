"""An Alertmanager that just restarted answers `200 []`: its uptime, by its own clock, keeps that
emptiness from resolving anything (`GET /api/v2/status` after `GET /api/v2/alerts`)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.correlation import SourceRules
from noc_console.engine.correlator import apply_snapshot
from noc_console.sources import AlertmanagerSource, SourceConfig, SourceShapeError
from noc_console.sources.alertmanager import parse, parse_started_at
from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
# The Alertmanager's clock; ours (NOW) is far from it on purpose: only its own clock may count.
SOURCE_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)


def fetch(url: str, **config: Any) -> AlertSnapshot:
    cfg = SourceConfig(name="am", type="alertmanager", url=url, timeout_s=2.0, **config)
    with requests.Session() as session:
        return AlertmanagerSource(cfg).fetch(session, NOW)


def test_parse_started_at_of_a_recorded_status() -> None:
    payload = json.loads((DATA / "status.json").read_text(encoding="utf-8"))
    assert parse_started_at(payload, source="am") == datetime(2026, 11, 27, 13, 36, 52, 466000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "status: expected an object, got a list"),
        ({"cluster": {}}, "status.uptime: missing"),
        ({"uptime": "a while"}, "status.uptime: not an ISO 8601 time"),
        ({"uptime": 3600}, "status.uptime: not an ISO 8601 time"),
    ],
)
def test_parse_started_at_names_what_is_wrong(payload: object, message: str) -> None:
    with pytest.raises(SourceShapeError) as info:
        parse_started_at(payload, source="am")
    assert info.value.message == message


def test_fetch_reads_the_alerts_first_then_the_status_and_keeps_the_sources_clock() -> None:
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        server.started_at = SOURCE_NOW - timedelta(seconds=30)  # type: ignore[attr-defined]
        server.date = SOURCE_NOW  # type: ignore[attr-defined]
        snapshot = fetch(url_of(server), silenced=True, inhibited=True)
        paths = list(server.paths)  # type: ignore[attr-defined]
    # Alerts first: a restart between the two requests then shows as a young uptime, never as an
    # old uptime over an empty answer.
    assert paths == ["/api/v2/alerts?silenced=true&inhibited=true", "/api/v2/status"]
    assert snapshot.source_started_at == SOURCE_NOW - timedelta(seconds=30)
    assert snapshot.source_now == SOURCE_NOW
    assert snapshot.fetched_at == NOW
    assert snapshot.source_uptime == timedelta(seconds=30)
    assert [a.fingerprint for a in snapshot.alerts] == ["a"]


def test_a_restart_between_the_alerts_and_the_status_counts_as_a_restart() -> None:
    with misbehaving_server([]) as server:
        server.date = SOURCE_NOW  # type: ignore[attr-defined]
        server.started_at = SOURCE_NOW + timedelta(seconds=1)  # type: ignore[attr-defined]
        snapshot = fetch(url_of(server))
    uptime = snapshot.source_uptime
    assert uptime is not None and uptime < timedelta(0)
    assert not SourceRules().counts_absence(snapshot)
    # With resolve_after_s = 0 the fetch count is the only rule, however young the source seems (its
    # clock is its Date header's whole second: one started a moment ago may seem up for less than 0 s).
    assert SourceRules(resolve_after=timedelta(0)).counts_absence(snapshot)


@pytest.mark.parametrize("status_mode", ["404", "no-uptime", "invalid"])
def test_without_a_usable_status_the_fetch_still_succeeds_without_uptime(
    status_mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="noc_console.sources")
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        server.status_mode = status_mode  # type: ignore[attr-defined]
        snapshot = fetch(url_of(server))
    assert [a.fingerprint for a in snapshot.alerts] == ["a"]
    assert snapshot.source_started_at is None and snapshot.source_uptime is None
    assert snapshot.source_now is not None
    (record,) = [r for r in caplog.records if "uptime" in r.getMessage()]
    assert record.levelno == logging.DEBUG and record.name.startswith("noc_console.sources")


def open_incidents(store: Any) -> dict[int, Any]:
    with store.session() as session:
        return {i.id: i for i in repo.list_incidents(session)}


def test_an_empty_answer_of_a_young_alertmanager_counts_no_absence(db_url: str) -> None:
    """Through the real fetch: before it read the status, this resolved the payments incident."""
    rules = SourceRules(resolve_after_missed=2, resolve_after=timedelta(seconds=60))
    store = open_store(db_url)
    try:
        with misbehaving_server([gettable_alert("a", "payments")]) as server:
            url = url_of(server)
            server.date = SOURCE_NOW  # type: ignore[attr-defined]
            with store.session() as session:
                (incident_id,) = apply_snapshot(session, fetch(url), now=NOW, rules=rules).opened

            server.alerts = []  # type: ignore[attr-defined]  # restarted: alerts were in its memory
            server.started_at = SOURCE_NOW - timedelta(seconds=20)  # type: ignore[attr-defined]
            for minutes in (1, 2, 3, 4):  # by our clock, long enough to resolve twice over
                snapshot = fetch(url)
                assert snapshot.source_uptime == timedelta(seconds=20)
                with store.session() as session:
                    result = apply_snapshot(
                        session, snapshot, now=NOW + timedelta(minutes=minutes), rules=rules
                    )
                assert result.resolved == []
            incident = open_incidents(store)[incident_id]
            assert incident.clearing_at is None  # not even counted as absent

            # Up long enough by its own clock, and still without the alert: now it resolves.
            server.started_at = SOURCE_NOW - timedelta(minutes=5)  # type: ignore[attr-defined]
            resolved: list[int] = []
            for minutes in (5, 6, 7):
                with store.session() as session:
                    now = NOW + timedelta(minutes=minutes)
                    resolved += apply_snapshot(session, fetch(url), now=now, rules=rules).resolved
        assert resolved == [incident_id]
        assert open_incidents(store) == {}
    finally:
        store.close()


def test_a_snapshot_younger_than_resolve_after_counts_no_absence(db_url: str) -> None:
    """The rule itself, on snapshots built by hand with the uptime the fetch above reads."""
    rules = SourceRules(resolve_after_missed=1, resolve_after=timedelta(seconds=180))
    (alert,) = parse([gettable_alert("a", "payments")], source="am")
    store = open_store(db_url)
    try:
        with store.session() as session:
            (incident_id,) = apply_snapshot(
                session, AlertSnapshot.of("am", NOW, [alert]), now=NOW, rules=rules
            ).opened

        def empty(uptime: timedelta, now: datetime) -> AlertSnapshot:
            return AlertSnapshot.of(
                "am", now, [], source_started_at=SOURCE_NOW - uptime, source_now=SOURCE_NOW
            )

        later = NOW + timedelta(minutes=10)
        with store.session() as session:
            apply_snapshot(session, empty(timedelta(seconds=179), later), now=later, rules=rules)
        assert open_incidents(store)[incident_id].clearing_at is None
        with store.session() as session:
            apply_snapshot(session, empty(timedelta(seconds=180), later), now=later, rules=rules)
        assert open_incidents(store)[incident_id].clearing_at == later + timedelta(seconds=180)
    finally:
        store.close()
