"""Detection-coverage metrics by SQL aggregation: one GROUP BY service and UTC day over the range's
incidents, and an indexed EXISTS per service for alert coverage. No incident row reaches Python; the
cells go through the same `domain.metrics.summarize` as the pure formulas.

Seconds are dialect-aware: SQLite stores times as text (julianday differences), PostgreSQL as
timestamptz (date_part of the interval, a double precision).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.metrics import Cell, Granularity, Metrics, ServiceAlerts, Tally, summarize
from noc_console.store.models import AlertRow, CallRow, IncidentRow

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


def _most_rows_in_range(session: Session, since: datetime, until: datetime) -> bool:
    """Whether [since, until) holds more than a third of all incidents (two index-only counts)."""
    in_range = session.execute(
        select(func.count()).where(IncidentRow.detected_at >= since, IncidentRow.detected_at < until)
    ).scalar_one()
    total = session.execute(select(func.count()).select_from(IncidentRow)).scalar_one()
    return bool(in_range * 3 > total)


def cells(session: Session, since: datetime, until: datetime) -> list[Cell]:
    """The tallies per service and UTC day of incidents detected in [since, until).

    On PostgreSQL it changes planner settings for the rest of the session's transaction (SET LOCAL).
    """
    dialect = session.get_bind().dialect.name
    source: Any = IncidentRow.__table__
    if dialect == "sqlite":
        # Only incidents with calls look their callers up (an index seek each, ix_calls_incident_started).
        callers = select(func.min(CallRow.started_at)).where(
            CallRow.incident_id == IncidentRow.id, CallRow.started_at.is_not(None)
        )
        caller_start: Any = case((IncidentRow.call_count > 0, callers.scalar_subquery()), else_=None)
    else:
        # One hash join against the callers' start per incident: an index seek per incident costs about
        # a microsecond each here, as much as the whole aggregation.
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
    if dialect == "sqlite" and _most_rows_in_range(session, since, until):
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
