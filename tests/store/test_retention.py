"""History past `[store] retention_days` is pruned in small batches, and never anything of an open
incident, a live alert or the last year the metrics count. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from noc_console.config import ConfigError, parse_config
from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.correlation import ServiceCatalog, SourceRules
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store
from noc_console.store import metrics as sql
from noc_console.store import repository as repo
from noc_console.store.models import AlertRow, ChangeRow, IncidentRow, TimelineRow
from noc_console.store.retention import Pruned, prune_batch

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
RULES = SourceRules(resolve_after=timedelta(0))
RETENTION = 400 * DAY


def alert(fp: str, service: str, at: datetime, **fields: object) -> Alert:
    values: dict[str, object] = {
        "source": "am", "fingerprint": fp, "labels": {"alertname": fp, "service": service},
        "summary": f"{fp} down", "description": "", "severity": Severity.MAJOR, "starts_at": at,
        "service": service,
    }  # fmt: skip
    values.update(fields)
    return Alert(**values)  # type: ignore[arg-type]


def apply(store: Store, alerts: list[Alert], at: datetime) -> list[int]:
    with store.session() as session:
        return apply_snapshot(session, AlertSnapshot.of("am", at, alerts), now=at, rules=RULES).opened


def history(store: Store) -> dict[str, int]:
    """Old incidents of every kind the rules name; returns their IDs by what they are."""
    old = NOW - 500 * DAY
    # resolved long ago by monitoring: its alerts fired, one flapped, all cleared
    (cleared,) = apply(store, [alert(f"c{i}", "payments", old) for i in range(7)], old)
    apply(store, [alert(f"c{i}", "payments", old) for i in range(3)], old + 60 * DAY / 86400)
    for minutes in (2, 3, 4):
        apply(store, [], old + minutes * timedelta(minutes=1))
    # resolved long ago by hand while one alert still fires: that alert is detached, and still live
    (by_hand,) = apply(store, [alert("h1", "dns", old), alert("h2", "dns", old)], old)
    with store.session() as session:
        assert repo.resolve(session, by_hand, "alice", old + timedelta(minutes=5)).done
    apply(store, [alert("h1", "dns", old)], old + timedelta(minutes=6))  # h1 opens a new one; h2 over
    # opened long ago and still open (an alert that never cleared), with a cleared one beside it
    (still_open,) = apply(store, [alert("o1", "ldap", old), alert("o2", "ldap", old)], old + DAY)
    apply(store, [alert("o1", "ldap", old), alert("h1", "dns", old)], old + DAY + timedelta(minutes=1))
    apply(store, [alert("o1", "ldap", old), alert("h1", "dns", old)], old + DAY + timedelta(minutes=2))
    # resolved recently, though its alerts were first seen long ago
    (recent,) = apply(store, [alert("r1", "mail", old)], NOW - 30 * DAY)
    for minutes in (1, 2):
        apply(
            store,
            [alert("o1", "ldap", old), alert("h1", "dns", old)],
            NOW - 30 * DAY + minutes * timedelta(minutes=1),
        )
    return {"cleared": cleared, "by_hand": by_hand, "still_open": still_open, "recent": recent}


def counts(store: Store) -> dict[str, dict[int, int]]:
    with store.read() as r:
        found: dict[str, dict[int, int]] = {}
        for model in (TimelineRow, AlertRow):
            rows = r.execute(sa.select(model.incident_id, sa.func.count()).group_by(model.incident_id))
            found[model.__tablename__] = dict(rows.all())
        return found


def test_old_history_goes_in_batches_and_nothing_live_or_recent_does(store: Store) -> None:
    ids = history(store)
    before = counts(store)
    with store.read() as r:
        states = dict(
            r.execute(
                sa.select(AlertRow.fingerprint, AlertRow.state).where(AlertRow.state != "resolved")
            ).all()
        )
        old_changes = r.scalar(sa.select(sa.func.count()).where(ChangeRow.at < NOW - RETENTION))
        kept_changes = r.scalar(sa.select(sa.func.count()).where(ChangeRow.at >= NOW - RETENTION))
    assert states == {"h1": "firing", "o1": "firing"} and old_changes > 3 and kept_changes
    with store.session() as session:
        sql.refresh_rollup(session, NOW)
    with store.read() as r:
        year_before = sql.metrics(r, ServiceCatalog(), ["am"], NOW - 365 * DAY, NOW)
        all_before = sql.metrics(r, ServiceCatalog(), ["am"], NOW - 600 * DAY, NOW)

    total = Pruned()
    batches = 0
    while True:
        with store.session() as session:
            pruned = prune_batch(session, NOW - RETENTION, batch=3)
        assert max(pruned.timeline, pruned.alerts, pruned.changes) <= 3  # bounded, every batch
        total += pruned
        batches += 1
        if not pruned.more_left(3):
            break
    assert batches > 2

    after = counts(store)
    cleared, by_hand = ids["cleared"], ids["by_hand"]
    assert cleared not in after["timeline"] and cleared not in after["alerts"]
    assert cleared in before["alerts"] and before["timeline"][cleared] > 7
    # the resolved-by-hand incident: its timeline goes, and its cleared alert; the detached one was
    # resolved once its source no longer listed it, so it goes too (nothing points at it any more)
    assert by_hand not in after["timeline"]
    for kept in ("still_open", "recent"):  # open, or resolved within the retention: untouched
        incident = ids[kept]
        assert after["timeline"][incident] == before["timeline"][incident]
        assert after["alerts"][incident] == before["alerts"][incident]
    with store.read() as r:
        live = dict(
            r.execute(
                sa.select(AlertRow.fingerprint, AlertRow.state).where(AlertRow.state != "resolved")
            ).all()
        )
        assert live == states
        assert r.scalar(sa.select(sa.func.count()).where(ChangeRow.at < NOW - RETENTION)) == 0
        assert r.scalar(sa.select(sa.func.count()).where(ChangeRow.at >= NOW - RETENTION)) == kept_changes
        assert r.scalar(sa.select(sa.func.count()).select_from(IncidentRow)) == len(ids) + 1  # h1's new one
        assert sql.metrics(r, ServiceCatalog(), ["am"], NOW - 365 * DAY, NOW) == year_before
        assert (
            sql.metrics(r, ServiceCatalog(), ["am"], NOW - 600 * DAY, NOW).incidents == all_before.incidents
        )
    assert total.changes == old_changes
    with store.session() as session:  # nothing left: a further batch removes nothing
        assert prune_batch(session, NOW - RETENTION, batch=3).total == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (3, "store.retention_days: must be between 7 and 36500, not 3"),
        ("a year", "store.retention_days: must be a number, not 'a year'"),
    ],
)
def test_the_retention_setting_is_checked_by_name(value: object, message: str) -> None:
    assert parse_config({}).retention == 400 * DAY
    assert parse_config({"store": {"retention_days": 730}}).retention == 730 * DAY
    with pytest.raises(ConfigError, match=message):
        parse_config({"store": {"retention_days": value}})
    with pytest.raises(ConfigError, match=r"store\.keep: unknown setting"):
        parse_config({"store": {"keep": 1}})


def test_the_poller_prunes_under_its_lease_one_batch_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from noc_console.config import Config
    from noc_console.engine import poller as poller_module
    from noc_console.engine.poller import Fence, Poller
    from noc_console.sources.base import SourceConfig

    history(store)
    monkeypatch.setattr(poller_module, "BATCH", 4)
    batches: list[Pruned] = []
    real = poller_module.prune_batch

    def counted(session: sa.orm.Session, before: datetime, batch: int = 500) -> Pruned:
        assert before == NOW - RETENTION  # the database's clock, less the configured retention
        batches.append(real(session, before, batch=4))
        return batches[-1]

    monkeypatch.setattr(poller_module, "prune_batch", counted)
    monkeypatch.setattr(poller_module, "db_now", lambda session: NOW)
    config = Config(
        path=None, sources=(SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:9"),)
    )
    polling = Poller(store, config, sources=[], holder="poller-1")
    fence = polling.keeper.beat()
    assert fence is not None
    try:
        polling.prune_step(Fence("poller-1", fence.epoch + 1))  # a hold it no longer has: nothing
        assert batches == [] and not polling.pruning
        polling.pruning = True
        while polling.pruning:
            polling.prune_step(fence)
        assert len(batches) > 2 and all(b.total for b in batches[:-1])
        assert polling.pruned.total == sum(b.total for b in batches)
    finally:
        polling.keeper.stop()


def test_a_feed_with_nothing_old_is_not_searched(store: Store) -> None:
    apply(store, [alert("n1", "mail", NOW)], NOW)  # a young floor: every change is recent
    searched: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "changes.at <" in statement:
            searched.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        with store.session() as session:
            assert prune_batch(session, NOW - RETENTION).total == 0
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    assert searched == []  # one look at the oldest entry, not a read of the whole feed
