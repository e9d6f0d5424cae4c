"""The store on both backends: migrations, operator actions, the change feed, the poller lease."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, update

from noc_console.domain import Alert, AlertSnapshot, IncidentStatus, Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import StoreError, lease, open_store
from noc_console.store import repository as repo
from noc_console.store.db import normalize_url
from noc_console.store.models import PollerLeaseRow, TimelineRow

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def fire(store, fingerprint: str = "f1", service: str = "payments", now: datetime = T0) -> list[int]:
    alert = Alert(
        source="am",
        fingerprint=fingerprint,
        labels={"alertname": "Errors", "service": service},
        summary=f"{service} errors",
        description="",
        severity=Severity.CRITICAL,
        starts_at=now,
        service=service,
    )
    with store.session() as session:
        return apply_snapshot(session, AlertSnapshot.of("am", now, [alert]), now=now).opened


def test_migrations_create_every_table(db_url: str) -> None:
    store = open_store(db_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "incidents",
        "alerts",
        "timeline",
        "changes",
        "source_health",
        "poller_lease",
        "alembic_version",
    } <= tables
    open_store(db_url).close()  # a second start finds the schema current
    store.close()


def test_times_come_back_aware_utc(db_url: str) -> None:
    store = open_store(db_url)
    (incident_id,) = fire(store)
    with store.session() as session:
        (incident,) = repo.get_incidents(session, [incident_id])
    assert incident.detected_at == T0
    assert incident.detected_at.tzinfo is not None
    store.close()


def test_acknowledge_and_resolve_write_the_timeline_and_the_feed(db_url: str) -> None:
    store = open_store(db_url)
    (incident_id,) = fire(store)
    with store.session() as session:
        seq = repo.latest_change_seq(session)
    with store.session() as session:
        acked = repo.acknowledge(session, incident_id, "alice", T0 + timedelta(minutes=2))
        again = repo.acknowledge(session, incident_id, "bob", T0 + timedelta(minutes=3))
    assert acked.done and acked.incident.status is IncidentStatus.ACKNOWLEDGED
    assert not again.done and again.incident.acknowledged_by == "alice"
    assert "already acknowledged" in again.describe("acknowledged") and "alice" in again.describe(
        "acknowledged"
    )
    with store.session() as session:
        repo.resolve(session, incident_id, "alice", T0 + timedelta(minutes=9), note="Rolled back the deploy")
        assert len(repo.changes_since(session, seq)) == 1  # the ack's; the resolve's is numbered at commit
    with store.read() as session:
        changes = repo.changes_since(session, seq)
        kinds = [row.kind for row in repo.timeline(session, incident_id)]
        assert repo.list_incidents(session) == []
        assert len(repo.list_incidents(session, include_resolved=True)) == 1
    assert [c.incident_id for c in changes] == [incident_id, incident_id]
    assert all(c.seq > seq for c in changes)
    assert kinds == ["opened", "alert_fired", "ack", "note", "resolve", "alerts_detached"]
    store.close()


def test_unknown_incident_is_a_typed_error(db_url: str) -> None:
    store = open_store(db_url)
    with store.session() as session, pytest.raises(repo.UnknownIncident):
        repo.acknowledge(session, 999, "alice", T0)
    store.close()


def test_timeline_is_append_only(db_url: str) -> None:
    store = open_store(db_url)
    fire(store)
    with pytest.raises(StoreError, match="append-only"), store.session() as session:
        row = session.query(TimelineRow).first()
        assert row is not None
        row.text = "rewritten history"
    with store.session() as session:
        assert session.query(TimelineRow).filter_by(text="rewritten history").count() == 0
    store.close()


def test_poller_lease_is_held_by_one_and_taken_over_when_expired(db_url: str) -> None:
    store = open_store(db_url)
    with store.session() as session:
        first = lease.take_poller_lease(session, "a", 1, "h", lease_s=10)
    with store.session() as session:
        assert lease.take_poller_lease(session, "b", 2, "h", lease_s=10) is None
        assert lease.take_poller_lease(session, "a", 1, "h", lease_s=10) == first  # renewing keeps the epoch
    with store.session() as session:  # as if a's last renewal was long ago (database time)
        session.execute(
            update(PollerLeaseRow).values(expires_at=lease.db_now(session) - timedelta(seconds=1))
        )
    with store.session() as session:
        second = lease.take_poller_lease(session, "b", 2, "h", lease_s=10)
        status = lease.poller_status(session)
    assert first is not None and second == first + 1  # a new holder fences the old one out
    assert status is not None and status.holder == "b" and status.pid == 2 and status.epoch == second
    with store.session() as session:
        assert lease.release_poller_lease(session, "b")
        assert lease.poller_status(session) is None
        assert lease.take_poller_lease(session, "a", 1, "h", lease_s=10) == second + 1  # at once
    store.close()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/noc.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_bad_urls_are_named() -> None:
    with pytest.raises(StoreError, match=r"database\.url"):
        normalize_url("not a url")
    with pytest.raises(StoreError, match="mysql"):
        normalize_url("mysql://x/y")
    assert normalize_url("postgresql://u@h/db").startswith("postgresql+psycopg://")


def test_the_needs_review_list_is_the_newest_and_counted_in_all(tmp_path) -> None:
    import sqlalchemy as sa

    from noc_console.domain import Severity
    from noc_console.store import open_store
    from noc_console.store import repository as repo
    from noc_console.store.models import IncidentRow

    store = open_store(f"sqlite:///{tmp_path}/noc.db")
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with store.session() as session:
        ids = [
            repo.open_customer_incident(
                session, title=f"down {n}", service="mail", severity=Severity.MAJOR, by="ana", now=now
            ).id
            for n in range(5)
        ]
        session.execute(sa.update(IncidentRow).where(IncidentRow.id.in_(ids[:4])).values(needs_review=True))
    with store.read() as session:
        assert [i.id for i in repo.list_needs_review(session, 2)] == [ids[3], ids[2]]
        assert [i.id for i in repo.list_needs_review(session)] == ids[3::-1]
        assert repo.count_needs_review(session) == 4
    store.close()
