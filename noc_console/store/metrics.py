"""Detection-coverage metrics by SQL aggregation: one GROUP BY service and UTC day over the range's
incidents, and an indexed EXISTS per service for alert coverage. No incident row reaches Python; the
cells go through the same `domain.metrics.summarize` as the pure formulas.

Seconds are dialect-aware: SQLite stores times as text (julianday differences), PostgreSQL as
timestamptz (date_part of the interval, a double precision).

Closed days are cached per service and day in `metric_cells` (the rollup), so a year of a busy floor is
a few thousand cached rows plus today's incidents. The cache is never trusted blindly: a day one of
whose incidents changed after the rollup's change-feed position is computed afresh, so `metrics` is
exact whether or not `refresh_rollup` ran; refreshing only keeps that live part small.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.metrics import (
    DAY,
    EPOCH,
    Cell,
    Granularity,
    Metrics,
    ServiceAlerts,
    Tally,
    day_number,
    summarize,
)
from noc_console.store.db import Store, first_line
from noc_console.store.feed import latest_change_seq
from noc_console.store.lease import db_now
from noc_console.store.models import (
    AlertRow,
    CallRow,
    ChangeRow,
    IncidentRow,
    MaintenanceWindowRow,
    MetricCellRow,
    MetricRollupRow,
)

log = logging.getLogger(__name__)

# Ranges this short are read through ix_incidents_detected_at and look callers up one incident at a time.
SHORT_RANGE = timedelta(days=3)

INTERNAL = ("monitoring", "synthetic")


def _seconds(dialect: str, later: Any, earlier: Any) -> ColumnElement[Any]:
    """later - earlier in seconds, never below 0. When either is NULL: NULL on SQLite, 0 on PostgreSQL
    (its greatest() skips a NULL), so sums are right on both and counts are taken of the times."""
    if dialect == "sqlite":
        diff = (func.julianday(later) - func.julianday(earlier)) * 86400.0
        return func.max(diff, 0.0)
    return func.greatest(func.date_part("epoch", later - earlier), 0.0)


def _day(dialect: str, at: Any) -> ColumnElement[Any]:
    """Days since 1970-01-01 of a UTC time, exactly (no floating point at midnight)."""
    if dialect == "sqlite":
        # The stored text starts with the date; julianday of a bare date ends in exactly .5.
        return cast(func.julianday(func.substr(at, 1, 10)), Integer) - 2440587
    return cast(func.timezone("UTC", at), Date) - cast(literal("1970-01-01"), Date)


def _earliest(dialect: str, a: Any, b: Any) -> ColumnElement[Any]:
    """The earlier of two times, ignoring a NULL one."""
    if dialect == "sqlite":
        # SQLite keeps both as text of the same shape, so text order is time order.
        return func.min(func.coalesce(a, b), func.coalesce(b, a))
    return func.least(a, b)


def _internal() -> ColumnElement[Any]:
    """1 when we saw it first: the earlier of monitoring and first call when both are known and differ,
    else what detected_by says."""
    ours, theirs = IncidentRow.monitoring_detected_at, IncidentRow.first_call_at
    both = and_(ours.is_not(None), theirs.is_not(None))
    return case(
        (and_(both, ours < theirs), 1),
        (and_(both, theirs < ours), 0),
        (IncidentRow.detected_by.in_(INTERNAL), 1),
        else_=0,
    )


def in_maintenance() -> ColumnElement[bool]:
    """The incident was detected inside a maintenance window of its service, one scheduled before it:
    planned work, not a failure of detection, so the figures leave it out. A window scheduled later
    never rewrites history (and so never invalidates a cached day)."""
    window = MaintenanceWindowRow
    detected = IncidentRow.detected_at
    return exists().where(
        window.service == IncidentRow.service,
        window.starts_at <= detected,
        window.created_at <= detected,
        window.ends_at > detected,
        (window.ended_at.is_(None)) | (window.ended_at > detected),
    )


def _most_rows_in_range(session: Session, since: datetime, until: datetime) -> bool:
    """Whether [since, until) holds more than a third of all incidents (two index-only counts)."""
    in_range = session.execute(
        select(func.count()).where(IncidentRow.detected_at >= since, IncidentRow.detected_at < until)
    ).scalar_one()
    total = session.execute(select(func.count()).select_from(IncidentRow)).scalar_one()
    return bool(in_range * 3 > total)


def live_cells(session: Session, since: datetime, until: datetime) -> list[Cell]:
    """The tallies per service and UTC day of incidents detected in [since, until), from the incidents.

    On PostgreSQL it changes planner settings for the rest of the session's transaction (SET LOCAL).
    """
    dialect = session.get_bind().dialect.name
    source: Any = IncidentRow.__table__
    # A few days (today, a changed day, the range's first part-day) hold a small share of the incidents.
    short = until - since <= SHORT_RANGE
    if dialect == "sqlite" or short:
        # Only incidents with calls look their callers up (an index seek each, ix_calls_incident_started).
        callers = select(func.min(CallRow.started_at)).where(
            CallRow.incident_id == IncidentRow.id, CallRow.started_at.is_not(None)
        )
        caller_start: Any = case((IncidentRow.call_count > 0, callers.scalar_subquery()), else_=None)
    else:
        # Over a long range, one hash join against the callers' start per incident: an index seek per
        # incident costs about a microsecond each here, as much as the whole aggregation. (Over a short
        # one, grouping every call of all time would cost more than the range itself.)
        first_caller = (
            select(CallRow.incident_id, func.min(CallRow.started_at).label("started_at"))
            .where(CallRow.started_at.is_not(None))
            .group_by(CallRow.incident_id)
            .subquery("first_caller")
        )
        source = source.outerjoin(first_caller, first_caller.c.incident_id == IncidentRow.id)
        caller_start = first_caller.c.started_at
    internal = _internal()
    impact = _earliest(dialect, IncidentRow.impact_started_at, caller_start)
    detected_at: Any = IncidentRow.detected_at
    if dialect == "sqlite" and not short and _most_rows_in_range(session, since, until):
        # A range that holds most incidents reads faster straight through the table than row by row
        # through ix_incidents_detected_at; the unary plus keeps SQLite's planner off the index.
        detected_at = literal_column("+incidents.detected_at", type_=IncidentRow.detected_at.type)
    if dialect != "sqlite":
        # Compiling this one query costs more than running it (0.6 s of JIT against 0.1 s at 100,000 rows).
        # The planner cannot tell that (service, day) makes a few thousand groups, guesses one a row and
        # sorts every row (1 s of 2.5 s at a million); hashing the groups needs a few MB.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL enable_sort = off"))
    # One flat aggregate, each costly expression written once (SQLite would compute a subquery's column
    # again at every use); GROUP BY names the output columns for the same reason.
    query = (
        select(
            IncidentRow.service.label("service"),
            _day(dialect, IncidentRow.detected_at).label("day"),
            func.count(),
            func.sum(internal),
            func.sum(case((and_(internal == 1, IncidentRow.false_positive.is_(True)), 1), else_=0)),
            func.sum(cast(_seconds(dialect, IncidentRow.detected_at, impact), Float)),
            func.count(func.coalesce(IncidentRow.impact_started_at, caller_start)),
            func.sum(cast(_seconds(dialect, IncidentRow.acknowledged_at, IncidentRow.detected_at), Float)),
            func.count(IncidentRow.acknowledged_at),
            func.sum(cast(_seconds(dialect, IncidentRow.resolved_at, IncidentRow.detected_at), Float)),
            func.count(IncidentRow.resolved_at),
        )
        .select_from(source)
        .where(detected_at >= since, detected_at < until)
        .group_by(literal_column("service"), literal_column("day"))
    )
    if session.scalar(select(exists().select_from(MaintenanceWindowRow))):
        query = query.where(~in_maintenance())
    return [
        Cell(
            service,
            int(day),
            Tally(
                incidents=int(n),
                internal=int(internal_n or 0),
                false_positive=int(fp or 0),
                detect_s=float(detect_s or 0.0),
                detected=int(detected),
                ack_s=float(ack_s or 0.0),
                acknowledged=int(acked),
                resolve_s=float(resolve_s or 0.0),
                resolved=int(resolved),
            ),
        )
        for service, day, n, internal_n, fp, detect_s, detected, ack_s, acked, resolve_s, resolved in (
            session.execute(query)
        )
    ]


def service_alerts(
    session: Session, services: Iterable[str], source_names: Iterable[str]
) -> dict[str, ServiceAlerts]:
    """Per service: whether configured sources raised any alert for it, and whether every one was silenced.

    Two indexed EXISTS per service (ix_alerts_service_source): counts are 0/1, enough for coverage.
    """
    sources = list(source_names)
    if not sources:
        return {}
    result: dict[str, ServiceAlerts] = {}
    for service in sorted(set(services)):
        of_service = and_(AlertRow.service == service, AlertRow.source.in_(sources))
        any_alert, loud = session.execute(
            select(
                exists().where(of_service),
                exists().where(of_service, AlertRow.silenced.is_(False)),
            )
        ).one()
        if any_alert:
            result[service] = ServiceAlerts(service, alerts=1, silenced=0 if loud else 1)
    return result


@dataclass(frozen=True, slots=True)
class Rollup:
    """Where the cache stands: every day up to `last_day` as of change `seq`."""

    seq: int
    last_day: int
    refreshed_at: datetime | None


def rollup_state(session: Session) -> Rollup:
    row = session.get(MetricRollupRow, 1)
    if row is None:  # a schema without its seeded row would be a bug; treat it as nothing cached
        return Rollup(seq=0, last_day=-1, refreshed_at=None)
    return Rollup(seq=row.seq, last_day=row.last_day, refreshed_at=row.refreshed_at)


def _changes_kept_since(session: Session, seq: int, latest: int) -> bool:
    """Whether every change after `seq` is still in the feed (pruning removes the oldest ones)."""
    if seq >= latest:
        return True
    oldest = session.scalar(select(func.min(ChangeRow.seq)))
    return oldest is not None and oldest <= seq + 1


def dirty_days(session: Session, seq: int, latest: int) -> set[int] | None:
    """The days of incidents changed after `seq` (up to `latest`); None when the feed no longer says."""
    if not _changes_kept_since(session, seq, latest):
        return None
    if seq >= latest:
        return set()
    dialect = session.get_bind().dialect.name
    changed = (
        select(ChangeRow.incident_id)
        .where(ChangeRow.seq > seq, ChangeRow.seq <= latest, ChangeRow.incident_id.is_not(None))
        .distinct()
        .scalar_subquery()
    )
    days = session.scalars(
        select(_day(dialect, IncidentRow.detected_at)).where(IncidentRow.id.in_(changed)).distinct()
    )
    return {int(d) for d in days}


def _runs(days: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted days as runs of consecutive ones: [(first, last), ...]."""
    runs: list[tuple[int, int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _start(day: int) -> datetime:
    return EPOCH + day * DAY


def _cells_of_days(session: Session, days: Iterable[int]) -> list[Cell]:
    found: list[Cell] = []
    for first, last in _runs(days):
        found += live_cells(session, _start(first), _start(last + 1))
    return found


@dataclass(frozen=True, slots=True)
class RollupPlan:
    """A refresh computed in a read transaction, to be written in a short write one (`apply_refresh`):
    the cells of `days` (of every day when `replace_all`) as of change `seq`, covering up to `last_day`."""

    base: Rollup
    seq: int
    last_day: int
    replace_all: bool
    days: frozenset[int]
    cells: tuple[Cell, ...]


def plan_refresh(session: Session, now: datetime) -> RollupPlan:
    """Compute what the cache lacks: the days that closed since, and the days whose incidents changed.

    Reads only; the rows are counted in the caller's transaction (on SQLite a read transaction never
    holds the write lock, however long a first build over years of history takes).
    """
    base = rollup_state(session)
    latest = latest_change_seq(session)  # read first: every change up to it is visible from here on
    target = max(day_number(now) - 1, base.last_day)
    dirty = dirty_days(session, base.seq, latest) if base.last_day >= 0 else None
    if dirty is None:  # nothing cached yet, or the feed was pruned past it: rebuild every closed day
        cells = live_cells(session, EPOCH, _start(target + 1))
        return RollupPlan(base, latest, target, True, frozenset(), tuple(cells))
    redo = {d for d in dirty if d <= base.last_day}
    cells = _cells_of_days(session, redo)
    if target > base.last_day:
        cells += live_cells(session, _start(base.last_day + 1), _start(target + 1))
    days = frozenset(redo | set(range(base.last_day + 1, target + 1)))
    return RollupPlan(base, latest, target, False, days, tuple(cells))


def apply_refresh(session: Session, plan: RollupPlan, now: datetime) -> bool:
    """Write a plan in the caller's write transaction, unless another refresh wrote first (then nothing
    is written and False returned: the cache is as current as that one left it)."""
    row = session.execute(select(MetricRollupRow).where(MetricRollupRow.id == 1).with_for_update()).scalar()
    if row is None:
        session.add(MetricRollupRow(id=1, seq=0, last_day=-1))
        session.flush()
    elif (row.seq, row.last_day) != (plan.base.seq, plan.base.last_day):
        return False
    if plan.replace_all:
        session.execute(delete(MetricCellRow))
    elif plan.days:
        session.execute(delete(MetricCellRow).where(MetricCellRow.day.in_(sorted(plan.days))))
    if plan.cells:
        session.execute(insert(MetricCellRow), [_cell_values(c) for c in plan.cells])
    session.execute(
        update(MetricRollupRow)
        .where(MetricRollupRow.id == 1)
        .values(seq=plan.seq, last_day=plan.last_day, refreshed_at=now)
    )
    return True


def refresh_rollup(session: Session, now: datetime) -> Rollup:
    """Plan and apply in the caller's one write transaction, the rollup row locked first (on PostgreSQL
    a second refresh waits, then finds nothing to do). Returns where the cache stands now."""
    session.execute(select(MetricRollupRow.id).where(MetricRollupRow.id == 1).with_for_update())
    plan = plan_refresh(session, now)
    apply_refresh(session, plan, now)
    return Rollup(plan.seq, plan.last_day, now)


def forget_rollup(session: Session) -> None:
    """Drop the cache, for writers that change history without the change feed (an import, the demo's
    seeded year); the next refresh rebuilds it."""
    session.execute(delete(MetricCellRow))
    session.execute(
        update(MetricRollupRow).where(MetricRollupRow.id == 1).values(seq=0, last_day=-1, refreshed_at=None)
    )


def _cell_values(cell: Cell) -> dict[str, Any]:
    t = cell.tally
    return {
        "day": cell.day,
        "service": cell.service,
        "incidents": t.incidents,
        "internal": t.internal,
        "false_positive": t.false_positive,
        "detect_s": t.detect_s,
        "detected": t.detected,
        "ack_s": t.ack_s,
        "acknowledged": t.acknowledged,
        "resolve_s": t.resolve_s,
        "resolved": t.resolved,
    }


def _cached_cells(session: Session, first: int, last: int, skip: Sequence[int]) -> list[Cell]:
    query = select(MetricCellRow).where(MetricCellRow.day >= first, MetricCellRow.day <= last)
    if skip:
        query = query.where(MetricCellRow.day.not_in(list(skip)))
    return [
        Cell(
            row.service,
            row.day,
            Tally(
                incidents=row.incidents,
                internal=row.internal,
                false_positive=row.false_positive,
                detect_s=row.detect_s,
                detected=row.detected,
                ack_s=row.ack_s,
                acknowledged=row.acknowledged,
                resolve_s=row.resolve_s,
                resolved=row.resolved,
            ),
        )
        for row in session.scalars(query)
    ]


def cells(session: Session, since: datetime, until: datetime) -> list[Cell]:
    """The tallies per service and UTC day of incidents detected in [since, until), exact: cached for
    whole days the rollup holds and no change touched since, computed from the incidents elsewhere."""
    if until <= since:
        return []
    state = rollup_state(session)
    latest = latest_change_seq(session)
    dirty = dirty_days(session, state.seq, latest) if state.last_day >= 0 else None
    first_whole = day_number(since) + (0 if since == _start(day_number(since)) else 1)
    last_whole = min(day_number(until) - 1, state.last_day)
    if dirty is None or last_whole < first_whole:
        return live_cells(session, since, until)
    redo = sorted(d for d in dirty if first_whole <= d <= last_whole)
    found = _cached_cells(session, first_whole, last_whole, redo) + _cells_of_days(session, redo)
    if since < _start(first_whole):
        found += live_cells(session, since, _start(first_whole))
    if _start(last_whole + 1) < until:
        found += live_cells(session, _start(last_whole + 1), until)
    return found


def metrics(
    session: Session,
    catalog: ServiceCatalog,
    source_names: Iterable[str],
    since: datetime,
    until: datetime,
    granularity: Granularity | None = None,
) -> Metrics:
    """Every figure of [since, until), per service and per day or week, computed in the database."""
    names = list(source_names)
    found = cells(session, since, until)
    services = {c.service for c in found if c.service is not None} | set(catalog.names)
    alerts = service_alerts(session, services, names)
    return summarize(found, alerts, catalog, names, since, until, granularity)


def refresh_quietly(store: Store) -> bool:
    """Refresh the rollup: counted in a read transaction, written in a short write one, so the poller is
    never held up. A refresh that fails (the database busy or read-only) only costs speed, since
    `metrics` is exact anyway: it is logged and False returned."""
    try:
        with store.read() as session:
            plan = plan_refresh(session, db_now(session))
        with store.session() as session:
            return apply_refresh(session, plan, db_now(session))
    except SQLAlchemyError as exc:
        log.warning(
            "metrics: the rollup was not refreshed (%s); computing from the incidents", first_line(exc)
        )
        return False


def current_metrics(
    store: Store,
    catalog: ServiceCatalog,
    source_names: Iterable[str],
    since: Callable[[datetime], datetime],
    granularity: Granularity | None = None,
) -> Metrics:
    """Refresh the rollup, then compute [since(now), now) by the database's clock."""
    refresh_quietly(store)
    with store.read() as session:
        now = db_now(session)
        return metrics(session, catalog, source_names, since(now), now, granularity)
