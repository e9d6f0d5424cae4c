"""Reads and operator actions on the store. Every change that a screen shows is recorded in the feed.

Operator actions are conditional updates (`UPDATE ... WHERE status = ...`): when an acknowledgement
races an automatic resolve, exactly one of them wins and the other is told what happened instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from noc_console.domain.alerts import AlertState
from noc_console.domain.health import SourceHealth
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.store.feed import Change, changes_since, latest_change_seq, record_change
from noc_console.store.lease import PollerStatus, db_now, poller_status
from noc_console.store.models import AlertRow, IncidentRow, SourceHealthRow, TimelineRow

# Reads that callers use beside the ones defined here; one import for a screen or a command.
__all__ = [
    "ActionOutcome",
    "Change",
    "PollerStatus",
    "UnknownIncident",
    "acknowledge",
    "add_timeline",
    "alerts_of",
    "changes_since",
    "db_now",
    "get_incidents",
    "latest_change_seq",
    "list_incidents",
    "list_source_health",
    "poller_status",
    "record_change",
    "resolve",
    "resolve_orphaned",
    "timeline",
    "to_health",
    "to_incident",
]


class UnknownIncident(LookupError):
    """No incident has that ID."""

    def __init__(self, incident_id: int) -> None:
        super().__init__(f"incident {incident_id} does not exist")
        self.incident_id = incident_id


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What an operator action did: `done` is False when the incident was already past that point."""

    incident: Incident
    done: bool

    def describe(self, action: str) -> str:
        """One line for the operator: what happened, or why nothing did."""
        i = self.incident
        if self.done:
            return f"#{i.id} {action} by {i.resolved_by if action == 'resolved' else i.acknowledged_by}"
        if i.status is IncidentStatus.RESOLVED and i.resolved_at is not None:
            return f"#{i.id} was already resolved at {_iso(i.resolved_at)} by {i.resolved_by or 'someone'}"
        if i.status is IncidentStatus.ACKNOWLEDGED and i.acknowledged_at is not None:
            return (
                f"#{i.id} was already acknowledged at {_iso(i.acknowledged_at)} "
                f"by {i.acknowledged_by or 'someone'}"
            )
        return f"#{i.id} is {i.status}"


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds").replace("+00:00", "Z")


def to_incident(row: IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        title=row.title,
        severity=Severity(row.severity),
        status=IncidentStatus(row.status),
        service=row.service,
        detected_by=DetectionSource(row.detected_by),
        source=row.source,
        opened_at=row.opened_at,
        detected_at=row.detected_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        assessed_at=row.assessed_at,
        last_customer_update_at=row.last_customer_update_at,
        alert_count=row.alert_count,
        firing_count=row.firing_count,
        call_count=row.call_count,
        impact_started_at=row.impact_started_at,
        clearing_at=row.clearing_at,
        suppressed_count=row.suppressed_count,
        orphaned=row.orphaned,
    )


def add_timeline(
    session: Session,
    incident_id: int,
    now: datetime,
    kind: str,
    text_: str,
    *,
    actor: str = "system",
    alert: AlertRow | None = None,
) -> None:
    session.add(TimelineRow(incident_id=incident_id, at=now, kind=kind, actor=actor, text=text_, alert=alert))


def list_incidents(session: Session, *, include_resolved: bool = False) -> list[Incident]:
    """Open and acknowledged incidents (or all), loudest first, then oldest first."""
    query = select(IncidentRow)
    if not include_resolved:
        query = query.where(IncidentRow.status != IncidentStatus.RESOLVED.value)
    rows = session.scalars(query.order_by(IncidentRow.id)).all()
    incidents = [to_incident(row) for row in rows]
    incidents.sort(key=lambda i: (i.severity.rank, i.detected_at, i.id))
    return incidents


def get_incidents(session: Session, ids: Iterable[int]) -> list[Incident]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = session.scalars(select(IncidentRow).where(IncidentRow.id.in_(wanted))).all()
    return [to_incident(row) for row in rows]


def _fresh(session: Session, incident_id: int) -> Incident:
    """The incident as committed now (not as this session first loaded it)."""
    row = session.get(IncidentRow, incident_id, populate_existing=True)
    if row is None:
        raise UnknownIncident(incident_id)
    return to_incident(row)


def acknowledge(session: Session, incident_id: int, by: str, now: datetime) -> ActionOutcome:
    """Acknowledge an open incident. Already acknowledged or resolved: nothing changes, and it says so."""
    won = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id, IncidentRow.status == IncidentStatus.OPEN.value)
        .values(status=IncidentStatus.ACKNOWLEDGED.value, acknowledged_at=now, acknowledged_by=by)
        .returning(IncidentRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    incident = _fresh(session, incident_id)
    if won is not None:
        add_timeline(session, incident_id, now, "ack", f"Acknowledged by {by}", actor=by)
        record_change(session, "incident", now, incident_id=incident_id)
    return ActionOutcome(incident, won is not None)


def resolve(
    session: Session, incident_id: int, by: str, now: datetime, note: str | None = None
) -> ActionOutcome:
    """Resolve an incident by hand and close its alerts' link.

    An alert its source still reports is detached: if it still fires at the next fetch it opens a new
    incident (whose timeline names this one), instead of hiding for good in a resolved incident.
    """
    won = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id, IncidentRow.status != IncidentStatus.RESOLVED.value)
        .values(
            status=IncidentStatus.RESOLVED.value,
            resolved_at=now,
            resolved_by=by,
            clearing_at=None,
            firing_count=0,
            suppressed_count=0,
        )
        .returning(IncidentRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        return ActionOutcome(_fresh(session, incident_id), False)
    detached = session.execute(
        update(AlertRow)
        .where(AlertRow.incident_id == incident_id, AlertRow.state == AlertState.FIRING.value)
        .values(state=AlertState.DETACHED.value, resolved_at=now, absent_since=None, clears_at=None)
        .returning(AlertRow.id)
        .execution_options(synchronize_session=False)
    ).all()
    if note:
        add_timeline(session, incident_id, now, "note", note, actor=by)
    add_timeline(session, incident_id, now, "resolve", f"Resolved by {by}", actor=by)
    if detached:
        add_timeline(
            session,
            incident_id,
            now,
            "alerts_detached",
            f"{len(detached)} alert(s) still firing at the source were detached from this incident: "
            "any that still fires at the next fetch opens a new incident",
            actor=by,
        )
    record_change(session, "incident", now, incident_id=incident_id)
    return ActionOutcome(_fresh(session, incident_id), True)


def resolve_orphaned(session: Session, by: str, now: datetime) -> list[int]:
    """Resolve every open incident whose alerts all belong to sources no longer configured."""
    ids = list(
        session.scalars(
            select(IncidentRow.id)
            .where(IncidentRow.orphaned.is_(True), IncidentRow.status != IncidentStatus.RESOLVED.value)
            .order_by(IncidentRow.id)
            .with_for_update()
        )
    )
    resolved = []
    for incident_id in ids:
        if resolve(session, incident_id, by, now, note="Its source was removed from the configuration").done:
            resolved.append(incident_id)
    if resolved:  # the source is gone: its alerts will never be seen again, so they are over, not detached
        session.execute(
            update(AlertRow)
            .where(AlertRow.incident_id.in_(resolved), AlertRow.state == AlertState.DETACHED.value)
            .values(state=AlertState.RESOLVED.value)
            .execution_options(synchronize_session=False)
        )
    return resolved


def timeline(session: Session, incident_id: int) -> list[TimelineRow]:
    _fresh(session, incident_id)
    query = select(TimelineRow).where(TimelineRow.incident_id == incident_id)
    return list(session.scalars(query.order_by(TimelineRow.at, TimelineRow.id)).all())


def alerts_of(session: Session, incident_id: int) -> list[AlertRow]:
    _fresh(session, incident_id)
    query = select(AlertRow).where(AlertRow.incident_id == incident_id)
    return list(session.scalars(query.order_by(AlertRow.id)).all())


def to_health(row: SourceHealthRow) -> SourceHealth:
    return SourceHealth(
        name=row.name,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        alert_count=row.alert_count,
        updated_at=row.updated_at,
        interval_s=row.interval_s,
    )


def list_source_health(session: Session) -> list[SourceHealth]:
    rows = session.scalars(select(SourceHealthRow).order_by(SourceHealthRow.name)).all()
    return [to_health(row) for row in rows]
