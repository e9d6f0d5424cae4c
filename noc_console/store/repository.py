"""Reads and operator actions on the store. Every change that a screen shows appends to `changes`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from noc_console.domain.health import Change, PollerStatus, SourceHealth
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.store.models import (
    AlertRow,
    ChangeRow,
    IncidentRow,
    PollerLeaseRow,
    SourceHealthRow,
    TimelineRow,
)

NOTIFY_CHANNEL = "noc_console_changes"


class UnknownIncident(LookupError):
    """No incident has that ID."""

    def __init__(self, incident_id: int) -> None:
        super().__init__(f"incident {incident_id} does not exist")
        self.incident_id = incident_id


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
    )


def record_change(
    session: Session, kind: str, now: datetime, *, incident_id: int | None = None, source: str | None = None
) -> None:
    """Append to the change sequence; on PostgreSQL also wake listeners when the transaction commits."""
    session.add(ChangeRow(at=now, kind=kind, incident_id=incident_id, source=source))
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :kind)"), {"channel": NOTIFY_CHANNEL, "kind": kind})


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


def _incident_row(session: Session, incident_id: int) -> IncidentRow:
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise UnknownIncident(incident_id)
    return row


def acknowledge(session: Session, incident_id: int, by: str, now: datetime) -> Incident:
    """Acknowledge an open incident; acknowledging twice or after resolution changes nothing."""
    row = _incident_row(session, incident_id)
    if row.status == IncidentStatus.OPEN.value:
        row.status = IncidentStatus.ACKNOWLEDGED.value
        row.acknowledged_at = now
        row.acknowledged_by = by
        add_timeline(session, row.id, now, "ack", f"Acknowledged by {by}", actor=by)
        record_change(session, "incident", now, incident_id=row.id)
    return to_incident(row)


def resolve(session: Session, incident_id: int, by: str, now: datetime, note: str | None = None) -> Incident:
    """Resolve an incident by hand; its firing alerts stay recorded as they are."""
    row = _incident_row(session, incident_id)
    if row.status != IncidentStatus.RESOLVED.value:
        row.status = IncidentStatus.RESOLVED.value
        row.resolved_at = now
        row.resolved_by = by
        if note:
            add_timeline(session, row.id, now, "note", note, actor=by)
        add_timeline(session, row.id, now, "resolve", f"Resolved by {by}", actor=by)
        record_change(session, "incident", now, incident_id=row.id)
    return to_incident(row)


def timeline(session: Session, incident_id: int) -> list[TimelineRow]:
    _incident_row(session, incident_id)
    query = select(TimelineRow).where(TimelineRow.incident_id == incident_id)
    return list(session.scalars(query.order_by(TimelineRow.at, TimelineRow.id)).all())


def latest_change_seq(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(ChangeRow.seq), 0))) or 0)


def changes_since(session: Session, seq: int, limit: int = 1000) -> list[Change]:
    rows = session.scalars(select(ChangeRow).where(ChangeRow.seq > seq).order_by(ChangeRow.seq).limit(limit))
    return [
        Change(seq=row.seq, at=row.at, kind=row.kind, incident_id=row.incident_id, source=row.source)
        for row in rows
    ]


def to_health(row: SourceHealthRow) -> SourceHealth:
    return SourceHealth(
        name=row.name,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        stale=row.stale,
        alert_count=row.alert_count,
        updated_at=row.updated_at,
    )


def list_source_health(session: Session) -> list[SourceHealth]:
    rows = session.scalars(select(SourceHealthRow).order_by(SourceHealthRow.name)).all()
    return [to_health(row) for row in rows]


def poller_status(session: Session) -> PollerStatus | None:
    row = session.get(PollerLeaseRow, 1)
    if row is None:
        return None
    return PollerStatus(
        holder=row.holder, pid=row.pid, host=row.host, acquired_at=row.acquired_at, beat_at=row.beat_at
    )


def take_poller_lease(
    session: Session, holder: str, pid: int, host: str, now: datetime, lease_s: float
) -> bool:
    """Hold or take the single poller lease; False while another holder's heartbeat is fresh."""
    row = session.get(PollerLeaseRow, 1, with_for_update=True)
    if row is None:
        session.add(PollerLeaseRow(id=1, holder=holder, pid=pid, host=host, acquired_at=now, beat_at=now))
        record_change(session, "poller", now)
        return True
    if row.holder != holder and (now - row.beat_at).total_seconds() < lease_s:
        return False
    if row.holder != holder:
        row.holder, row.pid, row.host, row.acquired_at = holder, pid, host, now
        record_change(session, "poller", now)
    row.beat_at = now
    return True


def release_poller_lease(session: Session, holder: str, now: datetime) -> None:
    row = session.get(PollerLeaseRow, 1, with_for_update=True)
    if row is not None and row.holder == holder:
        session.delete(row)
        record_change(session, "poller", now)
