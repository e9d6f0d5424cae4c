"""Rules of the apply that answers can break while "succeeding": a restart's empty answer, the order
alerts arrive in, a resolve by hand, silences, a source removed from the config. SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from noc_console.domain import Alert, AlertSnapshot, CorrelationRule, IncidentStatus, Severity
from noc_console.domain.alerts import AlertState
from noc_console.domain.correlation import SourceRules
from noc_console.engine.correlator import ApplyResult, apply_snapshot, reconcile_sources
from noc_console.sources.base import SourceConfig
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.models import AlertRow

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
DEFAULT = SourceRules()  # 2 fetches and 180 s


def alert(fp: str, service: str = "payments", starts_at: datetime = T0, **kw: object) -> Alert:
    fields: dict[str, object] = {
        "source": "am",
        "fingerprint": fp,
        "labels": {"alertname": f"Alert-{fp}", "service": service},
        "summary": f"summary {fp}",
        "description": "",
        "severity": Severity.MAJOR,
        "starts_at": starts_at,
        "service": service,
    }
    fields.update(kw)
    return Alert(**fields)  # type: ignore[arg-type]


def apply(
    store: Store,
    alerts: list[Alert],
    now: datetime,
    rules: SourceRules = DEFAULT,
    *,
    started: datetime | None = None,
    source: str = "am",
) -> ApplyResult:
    snapshot = AlertSnapshot.of(
        source, now, alerts, source_started_at=started, source_now=now if started else None
    )
    with store.session() as session:
        return apply_snapshot(session, snapshot, now=now, rules=rules)


def incident(store: Store, incident_id: int):  # type: ignore[no-untyped-def]
    with store.read() as r:
        (found,) = repo.get_incidents(r, [incident_id])
    return found


# --- 6: absence needs enough fetches and enough time; a restarted source proves nothing ---------------


def test_absence_resolves_only_after_both_the_fetch_count_and_the_wait(store: Store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    for seconds in (10, 20, 60, 179):  # absent twice and more, but for less than 180 s
        assert apply(store, [], T0 + seconds * S).resolved == []
    current = incident(store, incident_id)
    assert current.status is IncidentStatus.OPEN
    assert current.clearing_at == T0 + 10 * S + 180 * S  # visible: "resolves at ... unless it fires again"
    assert apply(store, [], T0 + 190 * S).resolved == [incident_id]
    resolved = incident(store, incident_id)
    # resolved when it was first seen absent: the wait does not inflate MTTR
    assert resolved.resolved_at == T0 + 10 * S and resolved.clearing_at is None


def test_an_alert_that_comes_back_during_the_wait_stays_open_and_stops_clearing(store: Store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    apply(store, [], T0 + 10 * S)
    apply(store, [], T0 + 20 * S)
    assert incident(store, incident_id).clearing_at is not None
    apply(store, [alert("a")], T0 + 30 * S)
    apply(store, [], T0 + 200 * S)  # absent again: the wait starts over from here
    current = incident(store, incident_id)
    assert current.status is IncidentStatus.OPEN and current.clearing_at == T0 + 380 * S


def test_resolve_after_zero_keeps_the_fetch_count_alone(store: Store) -> None:
    rules = SourceRules(resolve_after_missed=2, resolve_after=timedelta(0))
    (incident_id,) = apply(store, [alert("a")], T0, rules).opened
    assert apply(store, [], T0 + 10 * S, rules).resolved == []
    assert apply(store, [], T0 + 20 * S, rules).resolved == [incident_id]


def test_a_source_that_just_restarted_counts_no_absence(store: Store) -> None:
    """Alertmanager keeps alerts in memory: after a restart it answers [] until Prometheus sends again."""
    (incident_id,) = apply(store, [alert("a")], T0, started=T0 - timedelta(days=3)).opened
    restarted = T0 + 60 * S
    for seconds in range(70, 250, 30):  # up for less than 180 s: an empty answer counts for nothing
        assert apply(store, [], T0 + seconds * S, started=restarted).resolved == []
        with store.read() as r:
            row = r.scalars(sa.select(AlertRow)).one()
        assert row.missed_fetches == 0 and row.absent_since is None
    for seconds in range(250, 430, 30):  # warm now: absence counts, and takes its own 180 s
        assert apply(store, [], T0 + seconds * S, started=restarted).resolved == []
    assert apply(store, [], T0 + 430 * S, started=restarted).resolved == [incident_id]
    assert incident(store, incident_id).resolved_at == T0 + 250 * S


# --- 11: the source says an alert is active: our clock does not overrule it ----------------------------


def test_a_poller_whose_clock_runs_ahead_still_raises_every_alert(store: Store) -> None:
    source_now = T0
    ours = T0 + timedelta(minutes=10)
    active = alert("a", ends_at=source_now + timedelta(minutes=4), source_time=source_now)
    assert len(apply(store, [active], ours).opened) == 1
    over = alert("b", service="dns", ends_at=source_now - S, source_time=source_now)
    assert apply(store, [over], ours).opened == []  # the source's own clock says that one ended


# --- 12: silenced and inhibited alerts -------------------------------------------------------------------


def test_a_silenced_alert_opens_nothing_and_a_silenced_alert_of_an_open_incident_shows_silenced(
    store: Store,
) -> None:
    assert (
        apply(store, [alert("s", silenced=True), alert("i", service="dns", inhibited=True)], T0).opened == []
    )
    (incident_id,) = apply(store, [alert("a")], T0 + S).opened
    # maintenance starts: the alert is still listed (the source fetches silenced ones separately)
    for seconds in (10, 200, 400):
        apply(store, [alert("a", silenced=True)], T0 + seconds * S)
    current = incident(store, incident_id)
    assert current.status is IncidentStatus.OPEN and current.firing_count == 1
    assert current.suppressed_count == 1 and current.clearing_at is None
    with store.read() as r:
        assert r.scalars(sa.select(AlertRow).where(AlertRow.fingerprint == "a")).one().silenced


# --- 13: correlation does not depend on the order alerts arrive in ---------------------------------------


@pytest.mark.parametrize("order", list(itertools.permutations("ABC")))
def test_correlation_is_the_same_in_every_order(store: Store, order: tuple[str, ...]) -> None:
    """A (t), B (t+8 min), C (t+16 min), one service, a 10-minute window: one incident, whatever the order."""
    starts = {"A": T0, "B": T0 + timedelta(minutes=8), "C": T0 + timedelta(minutes=16)}
    alerts = [alert(name, starts_at=starts[name]) for name in order]
    now = T0 + timedelta(minutes=17)
    with store.session() as session:
        snapshot = AlertSnapshot(source="am", fetched_at=now, alerts=tuple(alerts))  # kept in this order
        result = apply_snapshot(
            session, snapshot, now=now, rule=CorrelationRule(window=timedelta(minutes=10))
        )
    assert len(result.opened) == 1
    assert incident(store, result.opened[0]).alert_count == 3


# --- 14: impact start, detection and opening are three different times -----------------------------------


def test_clocks_start_at_detection_not_at_the_sources_start(store: Store) -> None:
    """Seen after a poller outage, an alert that started 2 h ago is not born overdue."""
    from noc_console.domain.sla import SlaPolicy, due_times

    first_seen = T0 + timedelta(hours=2)
    (incident_id,) = apply(store, [alert("a", starts_at=T0)], first_seen).opened
    current = incident(store, incident_id)
    assert current.impact_started_at == T0
    assert current.detected_at == first_seen and current.opened_at == first_seen
    assert due_times(current, SlaPolicy()).ack_due_at == first_seen + timedelta(minutes=5)
    apply(store, [alert("a", starts_at=T0), alert("b", starts_at=T0 - timedelta(minutes=5))], first_seen + S)
    assert incident(store, incident_id).impact_started_at == T0 - timedelta(minutes=5)  # the earliest


# --- 7: resolving by hand while an alert still fires ----------------------------------------------------


def test_an_alert_still_firing_after_a_resolve_by_hand_opens_a_new_incident(store: Store) -> None:
    (first,) = apply(store, [alert("a")], T0).opened
    with store.session() as session:
        assert repo.resolve(session, first, "ana", T0 + 60 * S, note="fixed, I think").done
    result = apply(store, [alert("a")], T0 + 70 * S)
    (second,) = result.opened
    assert second != first and incident(store, first).status is IncidentStatus.RESOLVED
    with store.read() as r:
        texts = [e.text for e in repo.timeline(r, second)]
        old_kinds = [e.kind for e in repo.timeline(r, first)]
        rows = {(a.incident_id, a.state) for a in r.scalars(sa.select(AlertRow))}
    assert any("resolved by hand" in t and f"#{first}" in t for t in texts)
    assert "alerts_detached" in old_kinds
    assert rows == {(first, AlertState.RESOLVED.value), (second, AlertState.FIRING.value)}


def test_a_detached_alert_that_is_gone_at_the_next_fetch_opens_nothing(store: Store) -> None:
    (first,) = apply(store, [alert("a")], T0).opened
    with store.session() as session:
        repo.resolve(session, first, "ana", T0 + 60 * S)
    assert apply(store, [], T0 + 70 * S).opened == []
    assert apply(store, [alert("a")], T0 + 80 * S).opened != []  # it came back later: a new incident
    with store.read() as r:
        states = [a.state for a in r.scalars(sa.select(AlertRow).order_by(AlertRow.id))]
    assert states == [AlertState.RESOLVED.value, AlertState.FIRING.value]


# --- 15: a source removed from the config -----------------------------------------------------------------


def test_a_removed_source_orphans_its_incidents_drops_its_health_and_one_action_resolves_them(
    store: Store,
) -> None:
    am = SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:1", interval_s=15)
    other = SourceConfig(name="other", type="alertmanager", url="http://127.0.0.1:2")
    with store.session() as session:
        reconcile_sources(session, [am, other], T0)
    (orphan,) = apply(store, [alert("a")], T0).opened
    (kept,) = apply(store, [alert("b", service="dns", source="other")], T0, source="other").opened
    with store.session() as session:
        assert reconcile_sources(session, [other], T0 + S) == [orphan]
    with store.read() as r:
        assert [h.name for h in repo.list_source_health(r)] == ["other"]
    assert incident(store, orphan).orphaned and not incident(store, kept).orphaned
    with store.session() as session:  # the source is back: not orphaned any more
        reconcile_sources(session, [am, other], T0 + 2 * S)
    assert not incident(store, orphan).orphaned
    with store.read() as r:
        assert {h.name: h.interval_s for h in repo.list_source_health(r)} == {"am": 15, "other": 10}
    with store.session() as session:
        reconcile_sources(session, [other], T0 + 3 * S)
    with store.session() as session:
        assert repo.resolve_orphaned(session, "ana", T0 + 4 * S) == [orphan]
    assert incident(store, orphan).status is IncidentStatus.RESOLVED
    assert incident(store, kept).status is IncidentStatus.OPEN
