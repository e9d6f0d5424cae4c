"""Two writers at once, interleaved on purpose: the feed, the lease, two applies, an ack against a resolve.

On PostgreSQL the second writer runs in a thread with its own connection; the test waits until the
server reports that connection as waiting for a lock (pg_stat_activity), then lets the first commit.
On SQLite every writing transaction begins IMMEDIATE, so the second simply waits for the first.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from noc_console.domain import Alert, AlertSnapshot, IncidentStatus, Severity
from noc_console.domain.correlation import SourceRules
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store, lease, open_store
from noc_console.store import repository as repo
from noc_console.store.feed import record_change
from noc_console.store.models import AlertRow, IncidentRow, PollerLeaseRow

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NOW_RULES = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))


def alert(fp: str, service: str) -> Alert:
    return Alert(
        source="am",
        fingerprint=fp,
        labels={"alertname": f"Down-{fp}", "service": service},
        summary=f"{service} down",
        description="",
        severity=Severity.CRITICAL,
        starts_at=T0,
        service=service,
    )


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    store = open_store(pg_url)
    yield store
    store.close()


def opened(store: Store, *alerts: Alert, now: datetime = T0) -> list[int]:
    with store.session() as session:
        return apply_snapshot(session, AlertSnapshot.of("am", now, alerts), now=now).opened


class Second:
    """A second writer on its own thread and connection; `pid` is its PostgreSQL backend."""

    def __init__(self, store: Store, work: Callable[[Session], Any]) -> None:
        self.result: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.pid: int | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(store, work), daemon=True)

    def _run(self, store: Store, work: Callable[[Session], Any]) -> None:
        try:
            with store.session() as session:
                if store.dialect == "postgresql":
                    self.pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                self._started.set()
                value = work(session)
            self.result.put(("ok", value))
        except Exception as exc:
            self.result.put(("error", exc))
        finally:
            self._started.set()

    def start_and_wait_until_blocked(self, store: Store) -> None:
        """Start, then return once the second writer waits for the first (or, on SQLite, has begun)."""
        self._thread.start()
        assert self._started.wait(10)
        if store.dialect != "postgresql":
            return
        deadline = time.monotonic() + 10
        with store.engine.connect() as conn:
            while time.monotonic() < deadline:
                waiting = conn.execute(
                    sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": self.pid},
                ).scalar()
                if waiting == "Lock":
                    return
                conn.rollback()
                time.sleep(0.02)
        raise AssertionError("the second writer never waited for the first: nothing serialises them")

    def outcome(self) -> Any:
        kind, value = self.result.get(timeout=30)
        self._thread.join(timeout=10)
        if kind == "error":
            raise value
        return value


# --- 1: the change feed never skips a change ------------------------------------------------------


@pytest.mark.postgres
def test_a_follower_sees_a_long_transactions_change_that_commits_after_a_short_one(pg_store: Store) -> None:
    """The poller's long transaction writes first and commits last; an ack in between commits first."""
    slow_incident, fast_incident = opened(pg_store, alert("a", "payments"), alert("b", "dns"))
    with pg_store.read() as r:
        follower = repo.latest_change_seq(r)
    with pg_store.session() as slow:
        slow_row = slow.get(IncidentRow, slow_incident)
        assert slow_row is not None
        slow_row.title = "payments down (more alerts joined)"
        record_change(slow, "incident", T0, incident_id=slow_incident)
        slow.flush()
        with pg_store.session() as fast:
            assert repo.acknowledge(fast, fast_incident, "ana", T0).done
        with pg_store.read() as r:  # a follower reads while the slow one is still open
            seen = repo.changes_since(r, follower)
        assert [c.incident_id for c in seen] == [fast_incident]
        follower = seen[-1].seq
    with pg_store.read() as r:
        after = repo.changes_since(r, follower)
    assert [c.incident_id for c in after] == [slow_incident]  # delivered, not skipped


def test_change_numbers_follow_commit_order_with_many_writers(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    with store.read() as r:
        start = repo.latest_change_seq(r)

    def write(n: int) -> None:
        with store.session() as session:
            for _ in range(n):
                record_change(session, "incident", T0, incident_id=incident_id)

    threads = [threading.Thread(target=write, args=(1 + i % 3,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with store.read() as r:
        changes = repo.changes_since(r, start)
    assert [c.seq for c in changes] == list(range(start + 1, start + 1 + sum(1 + i % 3 for i in range(12))))


# --- 3: one lease holder, by the database's clock -----------------------------------------------------


def test_a_second_contender_waits_for_the_first_and_loses(store: Store) -> None:
    with store.session() as first:
        epoch = lease.take_poller_lease(first, "a", 1, "host-a", lease_s=10)
        second = Second(store, lambda s: lease.take_poller_lease(s, "b", 2, "host-b", lease_s=10))
        second.start_and_wait_until_blocked(store)
    assert epoch is not None
    assert second.outcome() is None
    with store.read() as r:
        status = lease.poller_status(r)
    assert status is not None and status.holder == "a"


def test_racing_contenders_for_an_expired_lease_give_exactly_one_winner(store: Store) -> None:
    barrier = threading.Barrier(6)
    wins: queue.Queue[tuple[str, int | None]] = queue.Queue()

    def contend(name: str) -> None:
        barrier.wait(timeout=10)
        with store.session() as session:
            wins.put((name, lease.take_poller_lease(session, name, 1, "h", lease_s=30)))

    for _round in range(3):
        with store.session() as session:  # expire whoever holds it
            session.execute(sa.update(PollerLeaseRow).values(expires_at=lease.db_now(session)))
        threads = [threading.Thread(target=contend, args=(f"p{_round}-{i}",)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        results = [wins.get_nowait() for _ in range(6)]
        winners = [name for name, epoch in results if epoch is not None]
        assert len(winners) == 1, results


def test_the_first_insert_of_the_lease_row_is_not_a_race(store: Store) -> None:
    with store.session() as session:  # the migration seeds the row; behave if it ever went missing
        session.execute(sa.delete(PollerLeaseRow))
    with store.session() as first:
        assert lease.take_poller_lease(first, "a", 1, "h", lease_s=10) is not None
        second = Second(store, lambda s: lease.take_poller_lease(s, "b", 2, "h", lease_s=10))
        second.start_and_wait_until_blocked(store)
    assert second.outcome() is None  # no IntegrityError: the loser simply loses


def test_a_hosts_clock_cannot_steal_or_keep_the_lease(store: Store) -> None:
    """Pollers run with clocks ten minutes apart; only the database's clock decides."""
    from noc_console.config import Config
    from noc_console.engine.poller import Poller

    config = Config(path=None)
    ahead = Poller(store, config, sources=[], clock=lambda: datetime.now(UTC) + timedelta(minutes=10))
    behind = Poller(store, config, sources=[], clock=lambda: datetime.now(UTC) - timedelta(minutes=10))
    assert behind.keeper.beat() is not None
    assert ahead.keeper.beat() is None  # a fast clock does not make a fresh lease look expired
    with store.read() as r:
        status = lease.poller_status(r)
        now = lease.db_now(r)
    assert status is not None and status.holder == behind.holder
    assert timedelta(0) < status.expires_at - now <= timedelta(seconds=behind.lease_s)
    behind.keeper.stop()
    assert ahead.keeper.beat() is not None  # released: taken at once


def test_the_lease_is_renewed_on_its_own_thread_while_the_poller_is_busy(store: Store) -> None:
    from noc_console.engine.poller import LeaseKeeper

    keeper = LeaseKeeper(store, "busy", lease_s=5, interval_s=0.05)
    assert keeper.beat() is not None
    with store.read() as r:
        first = lease.poller_status(r)
    keeper.start()
    try:
        deadline = time.monotonic() + 10
        renewed = first
        while time.monotonic() < deadline:  # this thread is "busy"; the keeper must renew anyway
            with store.read() as r:
                renewed = lease.poller_status(r)
            if renewed is not None and first is not None and renewed.beat_at > first.beat_at:
                break
            time.sleep(0.05)
        assert renewed is not None and first is not None and renewed.beat_at > first.beat_at
        assert renewed.epoch == first.epoch
    finally:
        keeper.stop()


def test_a_late_result_from_a_poller_that_lost_the_lease_is_dropped(store: Store) -> None:
    from noc_console.config import Config
    from noc_console.engine.poller import Fence, LeaseLost, apply_outcome, store_outcome
    from noc_console.engine.scheduler import FetchOutcome
    from noc_console.sources.base import SourceConfig

    config = Config(
        path=None, sources=(SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:1"),)
    )
    with store.session() as session:
        old = lease.take_poller_lease(session, "old", 1, "h", lease_s=10)
    assert old is not None
    with store.session() as session:  # it stalled; its lease expired and another took over
        session.execute(sa.update(PollerLeaseRow).values(expires_at=lease.db_now(session)))
    with store.session() as session:
        assert lease.take_poller_lease(session, "new", 2, "h", lease_s=10) == old + 1
    late = FetchOutcome("am", T0, snapshot=AlertSnapshot.of("am", T0, [alert("a", "payments")]))
    with pytest.raises(LeaseLost):
        apply_outcome(store, config, late, Fence("old", old))
    assert store_outcome(store, config, late, Fence("old", old)).opened == []
    with store.read() as r:
        assert repo.list_incidents(r) == []
    assert store_outcome(store, config, late, Fence("new", old + 1)).opened != []


@pytest.mark.postgres
def test_an_apply_holds_the_lease_until_it_commits(pg_store: Store) -> None:
    """While an apply under epoch N is open, nobody can take the lease over from under it."""
    with pg_store.session() as session:
        epoch = lease.take_poller_lease(session, "a", 1, "h", lease_s=10)
    assert epoch is not None
    with pg_store.session() as session:  # the holder stalled: its lease expired meanwhile
        session.execute(sa.update(PollerLeaseRow).values(expires_at=lease.db_now(session)))
    with pg_store.session() as applying:
        assert lease.holds_lease(applying, "a", epoch)
        thief = Second(pg_store, lambda s: lease.take_poller_lease(s, "b", 2, "h", lease_s=10))
        thief.start_and_wait_until_blocked(pg_store)
    assert thief.outcome() == epoch + 1  # only once the apply has committed


# --- 4: two applies of one source never open duplicates ---------------------------------------------


def test_two_applies_of_one_fetch_open_one_incident(store: Store) -> None:
    snapshot = AlertSnapshot.of("am", T0, [alert("a", "payments"), alert("b", "payments")])
    with store.session() as first:
        mine = apply_snapshot(first, snapshot, now=T0)
        second = Second(store, lambda s: apply_snapshot(s, snapshot, now=T0))
        second.start_and_wait_until_blocked(store)
    theirs = second.outcome()
    assert len(mine.opened) == 1 and theirs.opened == []
    with store.read() as r:
        assert len(repo.list_incidents(r)) == 1
        assert r.scalar(sa.select(sa.func.count()).select_from(AlertRow)) == 2


def test_a_second_firing_row_for_one_alert_is_refused(store: Store) -> None:
    opened(store, alert("a", "payments"))
    with pytest.raises(IntegrityError), store.session() as session:
        row = session.scalars(sa.select(AlertRow)).one()
        session.add(
            AlertRow(
                **{c.key: getattr(row, c.key) for c in AlertRow.__table__.columns if c.key != "id"},  # type: ignore[attr-defined]
            )
        )


# --- 8: an ack racing an automatic resolve never makes a zombie ---------------------------------------


@pytest.mark.postgres
def test_an_ack_waiting_on_an_automatic_resolve_is_told_it_was_resolved(pg_store: Store) -> None:
    (incident_id,) = opened(pg_store, alert("a", "payments"))
    later = T0 + timedelta(seconds=10)
    with pg_store.session() as poller:
        result = apply_snapshot(poller, AlertSnapshot.of("am", later, []), now=later, rules=NOW_RULES)
        assert result.resolved == [incident_id]
        ack = Second(pg_store, lambda s: repo.acknowledge(s, incident_id, "ana", later))
        ack.start_and_wait_until_blocked(pg_store)
    outcome = ack.outcome()
    # It cleared unseen, so it waited for a review: the operator's ack is that review, and says so.
    assert "already resolved" in outcome.describe("acknowledged") and "reviewed by ana" in outcome.describe(
        "acknowledged"
    )
    with pg_store.read() as r:
        (incident,) = repo.get_incidents(r, [incident_id])
    assert incident.status is IncidentStatus.RESOLVED and not incident.needs_review


@pytest.mark.postgres
def test_an_ack_from_a_screen_that_read_the_incident_before_it_resolved_makes_no_zombie(
    pg_store: Store,
) -> None:
    """The operator's session saw the incident open; the poller resolves and commits; then the ack."""
    (incident_id,) = opened(pg_store, alert("a", "payments"))
    later = T0 + timedelta(seconds=10)
    with pg_store.session() as operator:
        seen = operator.get(IncidentRow, incident_id)
        assert seen is not None and seen.status == IncidentStatus.OPEN.value
        with pg_store.session() as poller:
            assert apply_snapshot(
                poller, AlertSnapshot.of("am", later, []), now=later, rules=NOW_RULES
            ).resolved
        outcome = repo.acknowledge(operator, incident_id, "ana", later)
    assert (
        outcome.incident.status is IncidentStatus.RESOLVED
    )  # reviewed, never turned back into "acknowledged"
    with pg_store.read() as r:
        (incident,) = repo.get_incidents(r, [incident_id])
    assert incident.status is IncidentStatus.RESOLVED and not incident.needs_review


@pytest.mark.postgres
def test_an_automatic_resolve_waiting_on_an_ack_resolves_the_acknowledged_incident(pg_store: Store) -> None:
    (incident_id,) = opened(pg_store, alert("a", "payments"))
    later = T0 + timedelta(seconds=10)
    with pg_store.session() as operator:
        assert repo.acknowledge(operator, incident_id, "ana", later).done
        poller = Second(
            pg_store,
            lambda s: apply_snapshot(s, AlertSnapshot.of("am", later, []), now=later, rules=NOW_RULES),
        )
        poller.start_and_wait_until_blocked(pg_store)
    assert poller.outcome().resolved == [incident_id]
    with pg_store.read() as r:
        (incident,) = repo.get_incidents(r, [incident_id])
    assert incident.status is IncidentStatus.RESOLVED and incident.acknowledged_by == "ana"


def test_ack_and_resolve_in_either_order_on_both_backends(store: Store) -> None:
    first, second = opened(store, alert("a", "payments"), alert("b", "dns"))
    later = T0 + timedelta(seconds=10)
    with store.session() as session:
        assert repo.resolve(session, first, "bob", later).done
    with store.session() as session:
        told = repo.acknowledge(session, first, "ana", later)  # resolved by hand: nothing to review
    assert not told.done and told.describe("acknowledged").startswith(f"#{first} was already resolved at")
    with store.session() as session:
        assert repo.acknowledge(session, second, "ana", later).done
        assert repo.resolve(session, second, "bob", later).done
        again = repo.resolve(session, second, "carol", later)
    assert not again.done and "bob" in again.describe("resolved")
