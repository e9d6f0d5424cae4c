"""SLA breaches reach the timeline exactly once: several checkers, a restart, a clock that starts again."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.sla import ClockKind, SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.sla_ticker import record_breaches
from noc_console.store import Store, open_store
from noc_console.store import repository as repo

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)
POLICY = SlaPolicy()


def open_incident(store: Store, severity: Severity = Severity.CRITICAL, fp: str = "a") -> int:
    alert = Alert(
        source="am",
        fingerprint=fp,
        labels={"alertname": "Down", "service": f"svc-{fp}"},
        summary=f"svc-{fp} down",
        description="",
        severity=severity,
        starts_at=T0,
        service=f"svc-{fp}",
    )
    with store.session() as session:
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of("am", T0, [alert]), now=T0).opened
    return incident_id


def breaches(store: Store, now: datetime) -> list[tuple[int, ClockKind]]:
    with store.session() as session:
        return [(b.incident_id, b.clock) for b in record_breaches(session, POLICY, now)]


def timeline_breaches(store: Store, incident_id: int) -> list[str]:
    with store.read() as r:
        return [e.text for e in repo.timeline(r, incident_id) if e.kind == "sla_breach"]


def test_each_breached_clock_is_written_once(store: Store) -> None:
    incident_id = open_incident(store)
    assert breaches(store, T0 + 4 * M) == []
    assert breaches(store, T0 + 5 * M) == [(incident_id, ClockKind.ACK)]
    assert breaches(store, T0 + 6 * M) == []  # still breached: already written
    assert breaches(store, T0 + 31 * M) == [
        (incident_id, ClockKind.ASSESSMENT),
        (incident_id, ClockKind.CUSTOMER_UPDATE),
    ]
    texts = timeline_breaches(store, incident_id)
    assert texts[0] == "Acknowledge was due at 2026-11-27 12:05:00 UTC: breached"
    assert len(texts) == 3


def test_a_restarted_checker_and_a_second_one_write_nothing_twice(db_url: str) -> None:
    first = open_store(db_url)
    incident_id = open_incident(first)
    assert breaches(first, T0 + 6 * M) == [(incident_id, ClockKind.ACK)]
    first.close()
    restarted = open_store(db_url)  # a new process: nothing in memory, the database remembers
    assert breaches(restarted, T0 + 7 * M) == []
    results: list[list[tuple[int, ClockKind]]] = []
    barrier = threading.Barrier(2)

    def check() -> None:
        barrier.wait(timeout=10)
        results.append(breaches(restarted, T0 + 16 * M))

    threads = [threading.Thread(target=check) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(len(r) for r in results) == [0, 1]  # the assessment breach, by one of the two
    assert len(timeline_breaches(restarted, incident_id)) == 2
    restarted.close()


def test_a_customer_update_starts_the_clock_again_and_its_next_breach_is_written_too(store: Store) -> None:
    incident_id = open_incident(store)
    with store.session() as session:
        repo.acknowledge(session, incident_id, "ana", T0 + M)
        repo.record_assessment(session, incident_id, "ana", T0 + 2 * M, users_affected=10)
    assert breaches(store, T0 + 30 * M) == [(incident_id, ClockKind.CUSTOMER_UPDATE)]
    with store.session() as session:
        repo.log_customer_update(session, incident_id, "ana", T0 + 35 * M, "We are on it", "email")
    assert breaches(store, T0 + 60 * M) == []
    assert breaches(store, T0 + 65 * M) == [(incident_id, ClockKind.CUSTOMER_UPDATE)]


def test_reports_are_due_after_resolution_and_a_false_positive_owes_none(store: Store) -> None:
    loud = open_incident(store, fp="a")
    wrong = open_incident(store, fp="b")
    with store.session() as session:
        for incident_id in (loud, wrong):
            repo.acknowledge(session, incident_id, "ana", T0 + M)
            repo.record_assessment(session, incident_id, "ana", T0 + M, text_="a deploy")
            repo.log_customer_update(session, incident_id, "ana", T0 + M, "Fixed", "status-page")
        repo.resolve(session, loud, "ana", T0 + 2 * M)
        repo.resolve(session, wrong, "ana", T0 + 2 * M, false_positive=True)
    assert breaches(store, T0 + timedelta(hours=47)) == []
    assert breaches(store, T0 + 2 * M + timedelta(hours=48)) == [(loud, ClockKind.POSTMORTEM)]
    assert breaches(store, T0 + 2 * M + timedelta(hours=72)) == [(loud, ClockKind.EXEC_REPORT)]


def test_an_incident_that_cleared_unseen_waits_for_a_review(store: Store) -> None:
    from noc_console.domain.correlation import SourceRules

    incident_id = open_incident(store)
    now = T0 + M
    with store.session() as session:
        rules = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))
        assert apply_snapshot(session, AlertSnapshot.of("am", now, []), now=now, rules=rules).resolved
    with store.read() as r:
        assert [i.id for i in repo.list_needs_review(r)] == [incident_id]
    with store.session() as session:
        outcome = repo.acknowledge(session, incident_id, "ana", now + M)
    assert outcome.done and "reviewed by ana" in outcome.describe("acknowledged")
    with store.read() as r:
        assert repo.list_needs_review(r) == []
        kinds = [e.kind for e in repo.timeline(r, incident_id)]
    assert kinds[-3:] == ["resolve", "needs_review", "ack"]


def test_a_resolved_incident_whose_report_clocks_are_written_is_not_read_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from noc_console.engine import sla_ticker

    done = open_incident(store, fp="done")
    fresh = open_incident(store, fp="fresh")
    with store.session() as s:
        assert repo.resolve(s, done, "ana", T0 + timedelta(minutes=1)).done
        assert repo.acknowledge(s, fresh, "ana", T0 + timedelta(minutes=1)).done
    later = T0 + timedelta(hours=73)  # both report clocks of `done` have run out
    assert {kind for incident_id, kind in breaches(store, later) if incident_id == done} >= {
        ClockKind.POSTMORTEM,
        ClockKind.EXEC_REPORT,
    }
    read: list[int] = []
    real = sla_ticker.to_incident

    def counted(row: object) -> object:
        incident = real(row)  # type: ignore[arg-type]
        read.append(incident.id)
        return incident

    monkeypatch.setattr(sla_ticker, "to_incident", counted)
    with store.session() as s:
        assert record_breaches(s, SlaPolicy(), later + timedelta(minutes=5)) == []
    assert done not in read and fresh in read  # the open one still has clocks to watch
