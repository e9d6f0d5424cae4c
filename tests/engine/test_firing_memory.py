"""The poller's memory of each source's live alerts agrees with the store: through churn, absences,
flaps, operators' resolves and acknowledgements, a restart, a takeover, a failed fetch and a failed write.
SQLite and PostgreSQL; the reference is the same sequence applied with the alerts read afresh each time."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from noc_console.config import Config
from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.apply_plan import SourceAlerts
from noc_console.engine import correlator
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.poller import Poller
from noc_console.engine.scheduler import FetchOutcome
from noc_console.sources.base import SourceConfig, SourceError
from noc_console.store import Store, open_store
from noc_console.store import lease as leases
from noc_console.store import repository as repo
from noc_console.store.alert_writes import load_source_alerts
from noc_console.store.models import AlertRow, IncidentRow, TimelineRow

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)
SETTINGS = SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:9")
CONFIG = Config(path=None, sources=(SETTINGS,))
SEVERITIES = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Store]:
    """The reference: the same applies, each reading the source's alerts from the store."""
    store = open_store(f"sqlite:///{tmp_path}/reference.db")
    yield store
    store.close()


def poller(store: Store, holder: str = "poller-1") -> Poller:
    made = Poller(store, CONFIG, sources=[], holder=holder)
    assert made.keeper.beat() is not None, "could not take the poller lease"
    return made


def snapshot(alerts: list[Alert], at: datetime) -> FetchOutcome:
    return FetchOutcome("am", at, snapshot=AlertSnapshot.of("am", at, alerts))


def apply_fresh(store: Store, alerts: list[Alert], at: datetime) -> None:
    with store.session() as session:
        apply_snapshot(
            session, AlertSnapshot.of("am", at, alerts), now=at, rule=CONFIG.correlation, rules=SETTINGS.rules
        )


def rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every alert, incident and timeline row, column by column (ORM values: the same on both backends)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as r:
        for model in (AlertRow, IncidentRow, TimelineRow):
            columns = [c.key for c in sa.inspect(model).column_attrs]
            found = r.scalars(sa.select(model).order_by(model.id)).all()
            tables[model.__tablename__] = [tuple(getattr(row, c) for c in columns) for row in found]
    return tables


def remembered_state(known: SourceAlerts) -> dict[str, dict[str, tuple[Any, ...]]]:
    def state(rows: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
        return {
            fp: (
                k.id,
                k.incident_id,
                k.state,
                k.missed_fetches,
                k.absent_since,
                k.clears_at,
                k.fire_count,
                k.fingerprint,
                k.content,
                k.summary,
                k.severity,
                k.silenced,
                k.inhibited,
                k.service,
            )
            for fp, k in rows.items()
        }

    return {
        "firing": state(known.firing),
        "detached": state(known.detached),
        "resolved": state(known.resolved_open),
    }


def assert_memory_is_the_store(store: Store, polling: Poller) -> None:
    remembered = polling.remembered.get("am")
    assert remembered is not None, "the poller remembers nothing of the source"
    with store.read() as r:
        assert remembered_state(remembered.alerts) == remembered_state(load_source_alerts(r, "am"))


class Churn:
    """Alerts that come and go, change their texts, severity and silences, and end at the source."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.present: dict[str, Alert] = {}
        self.made = 0

    def step(self, at: datetime) -> list[Alert]:
        rnd = self.random
        for fp in list(self.present):
            roll = rnd.random()
            if roll < 0.12:
                del self.present[fp]  # gone: absent from now on
            elif roll < 0.2:
                old = self.present[fp]
                self.present[fp] = Alert(
                    source="am", fingerprint=fp, labels=old.labels, summary=f"{fp} at {at:%H:%M:%S}",
                    description=old.description, severity=rnd.choice(SEVERITIES), starts_at=old.starts_at,
                    ends_at=at - S if roll < 0.13 else None, source_time=at, silenced=roll < 0.14,
                    service=old.service,
                )  # fmt: skip
        for _ in range(rnd.randint(0, 4)):
            fp = f"f{rnd.randint(0, 24)}"  # a fingerprint may come back after it cleared
            if fp not in self.present:
                service = f"svc-{rnd.randint(0, 3)}"
                self.present[fp] = Alert(
                    source="am", fingerprint=fp, labels={"alertname": fp, "service": service},
                    summary=f"{fp} firing", description="", severity=rnd.choice(SEVERITIES),
                    starts_at=at - rnd.randint(0, 300) * S, service=service,
                )  # fmt: skip
        return list(self.present.values())


@pytest.mark.parametrize("seed", [1, 2])
def test_remembered_alerts_write_what_reading_them_afresh_writes(
    store: Store, fresh: Store, seed: int
) -> None:
    polling = poller(store)
    churn = Churn(seed)
    try:
        for step in range(40):
            at = T0 + step * 70 * S  # absences clear after two misses and three minutes
            alerts = churn.step(at)
            polling.apply(snapshot(alerts, at), at)
            assert_memory_is_the_store(store, polling)  # (an operator's action below: at the next apply)
            apply_fresh(fresh, alerts, at)
            if step % 9 == 5 or step % 11 == 3:  # an operator acts on both, from another process
                with store.read() as r:
                    open_ids = [i.id for i in repo.list_incidents(r)]
                if open_ids:
                    target = churn.random.choice(open_ids)
                    for each in (store, fresh):
                        with each.session() as session:
                            if step % 9 == 5:
                                repo.resolve(session, target, "alice", at + 5 * S)
                            else:
                                repo.acknowledge(session, target, "bob", at + 5 * S)
            mine, theirs = rows(store), rows(fresh)
            for table in mine:
                diff = [(a, b) for a, b in zip(mine[table], theirs[table], strict=False) if a != b]
                assert not diff and len(mine[table]) == len(theirs[table]), (step, table, diff[:2])
    finally:
        polling.keeper.stop()
    with store.read() as r:
        texts = " | ".join(r.scalars(sa.select(TimelineRow.text)))
    marks = ("Fired again", "Resolved by alice", "Acknowledged by bob", "ended at the source", "absent from")
    for what in (*marks, "Still firing after", "Severity raised", "Resolved: every alert"):
        assert what in texts, f"the sequence never went through {what!r}"


def test_a_restart_and_a_takeover_read_the_alerts_again(store: Store) -> None:
    churn = Churn(3)
    first = poller(store)
    for step in range(5):
        at = T0 + step * 70 * S
        first.apply(snapshot(churn.step(at), at), at)
    first.keeper.stop()  # gives the lease up
    second = poller(store, "poller-2")  # takes over and applies meanwhile
    for step in range(5, 10):
        at = T0 + step * 70 * S
        second.apply(snapshot(churn.step(at), at), at)
    assert_memory_is_the_store(store, second)
    second.keeper.stop()
    assert first.keeper.beat() is not None  # back, at a new epoch: what it remembers is stale
    at = T0 + 10 * 70 * S
    first.apply(snapshot(churn.step(at), at), at)
    assert_memory_is_the_store(store, first)
    first.keeper.stop()
    restarted = poller(store, "poller-3")
    assert restarted.remembered == {}
    at = T0 + 11 * 70 * S
    restarted.apply(snapshot(churn.step(at), at), at)
    assert_memory_is_the_store(store, restarted)
    restarted.keeper.stop()


def test_a_failed_fetch_keeps_the_memory_and_a_failed_write_forgets_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    churn = Churn(4)
    polling = poller(store)
    try:
        at = T0
        polling.apply(snapshot(churn.step(at), at), at)
        kept = polling.remembered["am"]
        at += 70 * S
        polling.apply(FetchOutcome("am", at, error=SourceError("am", "HTTP 503")), at)
        assert polling.remembered["am"].alerts is kept.alerts  # a failure changes no alert
        before = rows(store)

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise OperationalError("UPDATE alerts", {}, Exception("disk I/O error"))

        monkeypatch.setattr(correlator, "write_plan", broken)
        at += 70 * S
        alerts = churn.step(at)
        polling.apply(snapshot(alerts, at), at)
        assert "am" not in polling.remembered  # planned, never written: forgotten
        assert rows(store) == before
        monkeypatch.undo()
        polling.apply(snapshot(alerts, at + S), at + S)
        assert_memory_is_the_store(store, polling)
    finally:
        polling.keeper.stop()


def test_an_operators_resolve_between_applies_detaches_what_the_memory_held(store: Store) -> None:
    polling = poller(store)
    down = Alert(
        source="am", fingerprint="down", labels={"alertname": "Down", "service": "payments"}, summary="Down",
        description="", severity=Severity.CRITICAL, starts_at=T0 - 60 * S, service="payments",
    )  # fmt: skip
    try:
        (first,) = polling.apply(snapshot([down], T0), T0).opened
        with store.session() as session:  # another process: the console
            assert repo.resolve(session, first, "alice", T0 + 5 * S).done
        (second,) = polling.apply(snapshot([down], T0 + 10 * S), T0 + 10 * S).opened
        assert second != first
        assert_memory_is_the_store(store, polling)
        with store.read() as r:
            assert leases.poller_status(r) is not None
            states = sorted((a.incident_id, a.state) for a in r.scalars(sa.select(AlertRow)))
        assert states == [(first, "resolved"), (second, "firing")]
    finally:
        polling.keeper.stop()
