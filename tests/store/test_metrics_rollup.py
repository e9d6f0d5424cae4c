"""The rollup of closed days: metrics stay exact whether it is fresh, stale, dropped or its feed pruned,
and two refreshes at once on PostgreSQL cache each day once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from noc_console.domain import metrics as pure
from noc_console.store import metrics as sql
from noc_console.store import open_store
from noc_console.store.models import AlertRow, CallRow, ChangeRow, IncidentRow, MetricCellRow
from noc_console.store.repository import acknowledge, resolve
from tests.store.test_metrics_sql import CATALOG, SINCE, SOURCES, UNTIL, assert_same, generate, reference

NOW = UNTIL + timedelta(hours=3)


def _load(db_url: str, seed: int = 3, count: int = 500) -> tuple[Any, list[dict[str, Any]], ...]:
    incidents, alerts, calls = generate(seed, count)
    store = open_store(db_url)
    with store.session() as session:
        session.execute(insert(IncidentRow), incidents)
        session.execute(insert(AlertRow), alerts)
        session.execute(insert(CallRow), calls)
    return store, incidents, alerts, calls


def _check(store: Any, incidents: list[dict[str, Any]], alerts: Any, calls: Any) -> None:
    with store.read() as session:
        for granularity in ("day", "week"):
            got = sql.metrics(session, CATALOG, SOURCES, SINCE, UNTIL, granularity)  # type: ignore[arg-type]
            assert_same(got, reference(incidents, alerts, calls, granularity=granularity))


def _cached_days(store: Any) -> set[int]:
    with store.read() as session:
        return set(session.scalars(select(MetricCellRow.day).distinct()))


def test_a_fresh_rollup_gives_the_same_figures_from_its_cache(db_url: str) -> None:
    store, incidents, alerts, calls = _load(db_url)
    try:
        with store.session() as session:
            state = sql.refresh_rollup(session, NOW)
        assert state.last_day == pure.day_number(NOW) - 1
        days = _cached_days(store)
        # every closed day with incidents is cached, not today (UNTIL's day): it has not closed
        assert min(days) < pure.day_number(SINCE) and max(days) == pure.day_number(UNTIL) - 1
        with store.read() as session:
            # the cache really serves: the whole days of the range are not computed from incidents
            assert sql.dirty_days(session, state.seq, state.seq) == set()
        _check(store, incidents, alerts, calls)
        # a second refresh with nothing changed caches nothing twice
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        with store.read() as session:
            twice = session.scalar(
                select(func.count()).select_from(
                    select(MetricCellRow.day, MetricCellRow.service)
                    .group_by(MetricCellRow.day, MetricCellRow.service)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
        assert twice == 0
    finally:
        store.close()


def test_changes_after_the_rollup_are_counted_before_and_after_a_refresh(db_url: str) -> None:
    store, incidents, alerts, calls = _load(db_url)
    try:
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        by_id = {row["id"]: row for row in incidents}
        open_ones = [
            r
            for r in incidents
            if r["acknowledged_at"] is None and r["resolved_at"] is None and SINCE < r["detected_at"] < UNTIL
        ]
        acked, false_alarm = open_ones[0], open_ones[1]
        at = NOW + timedelta(minutes=1)
        with store.session() as session:
            assert acknowledge(session, acked["id"], "ana", at).done
            assert resolve(session, false_alarm["id"], "ana", at, false_positive=True).done
        by_id[acked["id"]] = {**acked, "acknowledged_at": at, "status": "acknowledged"}
        by_id[false_alarm["id"]] = {
            **false_alarm,
            "resolved_at": at,
            "status": "resolved",
            "false_positive": True,
            "acknowledged_at": false_alarm["acknowledged_at"],
        }
        changed = list(by_id.values())
        with store.read() as session:
            state = sql.rollup_state(session)
            latest = session.scalar(select(func.max(ChangeRow.seq)))
            assert sql.dirty_days(session, state.seq, latest or 0) == {
                pure.day_number(acked["detected_at"]),
                pure.day_number(false_alarm["detected_at"]),
            }
        _check(store, changed, alerts, calls)  # stale cache, exact figures
        with store.session() as session:
            sql.refresh_rollup(session, at)
        _check(store, changed, alerts, calls)  # fresh cache, the same figures
    finally:
        store.close()


def test_a_write_around_the_feed_is_seen_once_the_rollup_is_forgotten(db_url: str) -> None:
    store, incidents, alerts, calls = _load(db_url)
    try:
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        # an import writes history without the change feed: the cache cannot know...
        target = next(r for r in incidents if SINCE < r["detected_at"] < UNTIL - timedelta(days=2))
        with store.session() as session:
            session.execute(update(IncidentRow).where(IncidentRow.id == target["id"]).values(service="wiki"))
        changed = [{**r, "service": "wiki"} if r["id"] == target["id"] else r for r in incidents]
        # ...until the importer forgets it, as it must
        with store.session() as session:
            sql.forget_rollup(session)
        assert _cached_days(store) == set()
        _check(store, changed, alerts, calls)
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        _check(store, changed, alerts, calls)
    finally:
        store.close()


def test_a_pruned_feed_makes_metrics_compute_from_the_incidents(db_url: str) -> None:
    store, incidents, alerts, calls = _load(db_url)
    try:
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        target = next(
            r
            for r in incidents
            if r["resolved_at"] is None and r["acknowledged_at"] is None and SINCE < r["detected_at"] < UNTIL
        )
        at = NOW + timedelta(minutes=1)
        with store.session() as session:
            acknowledge(session, target["id"], "ana", at)
            acknowledge(session, target["id"] + 1, "ana", at)  # a second change, so one can be pruned
        with store.session() as session:
            first = session.scalar(select(func.min(ChangeRow.seq)))
            session.execute(delete(ChangeRow).where(ChangeRow.seq == first))
        with store.read() as session:
            state = sql.rollup_state(session)
            assert sql.dirty_days(session, state.seq, state.seq + 2) is None
        now_rows = {r["id"]: r for r in incidents}
        with store.read() as session:
            for row in session.scalars(select(IncidentRow).where(IncidentRow.acknowledged_at == at)):
                now_rows[row.id] = {**now_rows[row.id], "acknowledged_at": at, "status": row.status}
        _check(store, list(now_rows.values()), alerts, calls)
        with store.session() as session:  # and a refresh rebuilds the cache from scratch
            sql.refresh_rollup(session, at)
        _check(store, list(now_rows.values()), alerts, calls)
    finally:
        store.close()


def test_a_range_inside_one_day_and_one_before_any_cache(db_url: str) -> None:
    store, incidents, _alerts, _calls = _load(db_url)
    try:
        with store.session() as session:
            sql.refresh_rollup(session, NOW)
        with store.read() as session:
            start = SINCE + timedelta(days=3, hours=2)
            got = sql.metrics(session, CATALOG, SOURCES, start, start + timedelta(hours=5))
            assert got.incidents == sum(
                1 for r in incidents if start <= r["detected_at"] < start + timedelta(hours=5)
            )
    finally:
        store.close()


def test_two_refreshes_at_once_cache_each_day_once(pg_url: str) -> None:
    store, incidents, alerts, calls = _load(pg_url)
    other = open_store(pg_url)
    try:
        done = threading.Event()
        errors: list[BaseException] = []
        with store.session() as first:
            sql.refresh_rollup(first, NOW)  # holds the rollup row until this commits

            def second() -> None:
                try:
                    with other.session() as session:
                        sql.refresh_rollup(session, NOW)
                except BaseException as exc:  # reported below
                    errors.append(exc)
                finally:
                    done.set()

            thread = threading.Thread(target=second)
            thread.start()
            assert not done.wait(0.5), "the second refresh did not wait for the first"
        thread.join(10)
        assert done.is_set() and not errors
        with store.read() as session:
            rows = session.scalar(select(func.count()).select_from(MetricCellRow))
            distinct = session.scalar(
                select(func.count()).select_from(
                    select(MetricCellRow.day, MetricCellRow.service).distinct().subquery()
                )
            )
        assert rows == distinct
        _check(store, incidents, alerts, calls)
    finally:
        other.close()
        store.close()


@pytest.mark.parametrize("since_days", [7, 30])
def test_current_metrics_refreshes_then_reads_by_the_database_clock(db_url: str, since_days: int) -> None:
    store, _incidents, _alerts, _calls = _load(db_url)
    try:
        got = sql.current_metrics(store, CATALOG, SOURCES, lambda now: now - timedelta(days=since_days))
        with store.read() as session:
            state = sql.rollup_state(session)
            want = sql.live_cells(session, got.since, got.until)
        assert state.last_day == pure.day_number(got.until) - 1
        assert got.incidents == sum(c.tally.incidents for c in want)
    finally:
        store.close()


def test_a_refresh_counts_in_a_read_and_writes_only_if_nobody_wrote_first(db_url: str) -> None:
    store, incidents, alerts, calls = _load(db_url)
    other = open_store(db_url)
    try:
        target = next(
            r
            for r in incidents
            if r["acknowledged_at"] is None and r["resolved_at"] is None and SINCE < r["detected_at"] < UNTIL
        )
        at = NOW + timedelta(minutes=1)
        with store.read() as session:
            plan = sql.plan_refresh(session, NOW)
            # while the plan is counted, a writer is not held up (SQLite: a read holds no write lock)
            with other.session() as writer:
                assert acknowledge(writer, target["id"], "ana", at).done
        changed = [
            {**r, "acknowledged_at": at, "status": "acknowledged"} if r["id"] == target["id"] else r
            for r in incidents
        ]
        with store.session() as session:
            assert sql.apply_refresh(session, plan, NOW)
        _check(store, changed, alerts, calls)  # the ack came after the plan's seq: its day is computed
        with store.read() as session:
            stale = sql.plan_refresh(session, at)
        with store.session() as session:
            sql.refresh_rollup(session, at)  # someone else refreshes first...
        with store.session() as session:
            assert not sql.apply_refresh(session, stale, at)  # ...so the older plan writes nothing
        _check(store, changed, alerts, calls)
    finally:
        other.close()
        store.close()
