"""Clock skew: an alert's end is judged by Alertmanager's own clock (`updatedAt`), never by ours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.correlation import SourceRules
from noc_console.engine.correlator import apply_snapshot
from noc_console.sources import SourceShapeError
from noc_console.sources.alertmanager import parse
from noc_console.store import open_store
from noc_console.store import repository as repo

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
# Our clock runs five minutes ahead of the Alertmanager's.
SOURCE_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
OUR_NOW = SOURCE_NOW + timedelta(minutes=5)


def rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def gettable(fingerprint: str, *, ends_at: datetime, updated_at: datetime) -> dict[str, Any]:
    return {
        "labels": {"alertname": f"Down-{fingerprint}", "service": fingerprint, "severity": "critical"},
        "annotations": {"summary": f"{fingerprint} is down"},
        "startsAt": rfc3339(SOURCE_NOW - timedelta(minutes=10)),
        "endsAt": rfc3339(ends_at),
        "updatedAt": rfc3339(updated_at),
        "fingerprint": fingerprint,
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
    }


def apply(db_url: str, payload: list[dict[str, Any]], now: datetime) -> Any:
    store = open_store(db_url)
    try:
        with store.session() as session:
            snapshot = AlertSnapshot.of("am", now, parse(payload, source="am"))
            return apply_snapshot(session, snapshot, now=now, rules=SourceRules())
    finally:
        store.close()


def open_services(db_url: str) -> set[str | None]:
    store = open_store(db_url)
    try:
        with store.session() as session:
            return {i.service for i in repo.list_incidents(session)}
    finally:
        store.close()


def test_updated_at_is_the_alerts_source_time() -> None:
    alerts = {
        a.labels["alertname"]: a
        for a in parse(json.loads((DATA / "alerts_firing.json").read_text()), source="am")
    }
    pay = alerts["PaymentsApi5xxRate"]
    assert pay.source_time == datetime(2024, 5, 14, 9, 17, 43, 517228, tzinfo=UTC)
    assert not pay.has_ended()


def test_updated_at_is_optional_and_a_bad_one_is_named() -> None:
    (alert,) = parse([{"labels": {"alertname": "X"}, "startsAt": "2026-11-27T11:00:00Z"}], source="am")
    assert alert.source_time is None
    bad = [{"labels": {"alertname": "X"}, "startsAt": "2026-11-27T11:00:00Z", "updatedAt": "later"}]
    with pytest.raises(SourceShapeError, match=r"alerts\[0\]\.updatedAt: not an ISO 8601 time"):
        parse(bad, source="am")


def test_an_alert_firing_by_its_sources_clock_opens_an_incident_on_a_clock_minutes_ahead(db_url: str) -> None:
    # endsAt is two minutes behind our clock, but still ahead of the Alertmanager's own (updatedAt).
    firing = gettable(
        "payments", ends_at=OUR_NOW - timedelta(minutes=2), updated_at=SOURCE_NOW - timedelta(seconds=30)
    )
    (alert,) = parse([firing], source="am")
    assert alert.ends_at is not None and alert.ends_at < OUR_NOW
    assert not alert.has_ended()
    result = apply(db_url, [firing], OUR_NOW)
    assert len(result.opened) == 1
    assert open_services(db_url) == {"payments"}


def test_an_alert_its_source_says_has_ended_opens_nothing_and_clears_its_incident(db_url: str) -> None:
    firing = gettable("payments", ends_at=SOURCE_NOW + timedelta(minutes=4), updated_at=SOURCE_NOW)
    ended_before = gettable("dns", ends_at=SOURCE_NOW - timedelta(minutes=1), updated_at=SOURCE_NOW)
    result = apply(db_url, [firing, ended_before], OUR_NOW)
    assert len(result.opened) == 1 and open_services(db_url) == {"payments"}

    # Prometheus resolved it: Alertmanager keeps listing it a while with endsAt at or before updatedAt.
    later = SOURCE_NOW + timedelta(minutes=1)
    resolved = gettable("payments", ends_at=later, updated_at=later)
    result = apply(db_url, [resolved], OUR_NOW + timedelta(minutes=1))
    assert len(result.resolved) == 1
    assert open_services(db_url) == set()
