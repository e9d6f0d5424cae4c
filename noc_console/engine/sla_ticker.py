"""Records SLA breaches on incidents' timelines: each breached clock exactly once.

Run by the poller that holds the lease (one writer), and keyed in the database by incident, clock and
due time (`sla_breaches`), so several consoles, a restart or a lease handover never write one twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.sla import ClockKind, SlaPolicy, breached_clocks
from noc_console.store.models import IncidentRow, SlaBreachRow
from noc_console.store.repository import add_timeline, record_change, to_incident
from noc_console.store.sql import insert_or_ignore

# Resolved incidents are looked at for this long after resolution: their reports' deadlines.
REPORTS_LOOKBACK = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Breach:
    incident_id: int
    clock: ClockKind
    due_at: datetime


def record_breaches(session: Session, policy: SlaPolicy, now: datetime) -> list[Breach]:
    """Write every breached clock not yet written; returns what this call wrote."""

    def recorded(clock: ClockKind) -> ColumnElement[bool]:
        return (
            select(SlaBreachRow.id)
            .where(SlaBreachRow.incident_id == IncidentRow.id, SlaBreachRow.clock == clock.value)
            .exists()
        )

    # A resolved incident's report clocks breach from `postmortem` after its resolution on; once both
    # are written there is nothing left to look at: what is read is bounded by about a day of resolved
    # incidents, not by the weeks of the lookback (a floor whose pods churn resolves thousands a day).
    owes_reports = (
        (IncidentRow.status == IncidentStatus.RESOLVED.value)
        & IncidentRow.false_positive.is_(False)
        & (IncidentRow.resolved_at >= now - REPORTS_LOOKBACK)
        & (IncidentRow.resolved_at <= now - min(policy.postmortem, policy.exec_report))
        & ~(recorded(ClockKind.POSTMORTEM) & recorded(ClockKind.EXEC_REPORT))
        & (IncidentRow.postmortem_done_at.is_(None) | IncidentRow.exec_report_done_at.is_(None))
        & (
            IncidentRow.severity.in_(("critical", "major"))
            | (IncidentRow.detected_by == DetectionSource.CUSTOMER.value)
        )
    )
    rows = session.scalars(
        select(IncidentRow).where((IncidentRow.status != IncidentStatus.RESOLVED.value) | owes_reports)
    ).all()
    due = {
        (incident.id, clock.kind.value, clock.due_at): clock
        for incident in map(to_incident, rows)
        for clock in breached_clocks(incident, policy, now)
    }
    if not due:
        return []
    known = {
        (row.incident_id, row.clock, row.due_at)
        for row in session.scalars(
            select(SlaBreachRow).where(SlaBreachRow.incident_id.in_(sorted({key[0] for key in due})))
        )
    }
    written: list[Breach] = []
    for (incident_id, kind, due_at), clock in sorted(due.items(), key=lambda item: (item[0][2], item[0][0])):
        if (incident_id, kind, due_at) in known or not _insert_once(session, incident_id, kind, due_at, now):
            continue
        when = f"{due_at:%Y-%m-%d %H:%M:%S} UTC"
        add_timeline(
            session, incident_id, now, "sla_breach", f"{clock.kind.label} was due at {when}: breached"
        )
        record_change(session, "incident", now, incident_id=incident_id)
        written.append(Breach(incident_id, clock.kind, due_at))
    return written


def _insert_once(session: Session, incident_id: int, clock: str, due_at: datetime, now: datetime) -> bool:
    """Insert the breach unless someone already has; True when this call inserted it."""
    values = {"incident_id": incident_id, "clock": clock, "due_at": due_at, "recorded_at": now}
    statement = insert_or_ignore(session, SlaBreachRow, values).returning(SlaBreachRow.id)
    return session.execute(statement).first() is not None
