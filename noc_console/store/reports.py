"""The executive report of one incident as the database has it now: the incident, its timeline, calls,
pages, recorded SLA breaches and, where the command line or the form leaves a field out, its post-mortem.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from noc_console.domain.postmortem import report_inputs
from noc_console.domain.report import PageSent, RecordedBreach, Report, ReportInputs, build_report
from noc_console.domain.sla import ClockKind, SlaPolicy
from noc_console.store import repository as repo
from noc_console.store.calls import calls_of
from noc_console.store.models import SlaBreachRow
from noc_console.store.paging import pages_of
from noc_console.store.postmortems import postmortem_of


def load_report(
    session: Session,
    incident_id: int,
    policy: SlaPolicy,
    inputs: ReportInputs,
    number: Callable[[int], str] | None = None,
) -> Report:
    """The report of one incident as the database has it now; UnknownIncident when there is none.
    `number` writes counts the locale's way (a window passes its own; the command line keeps 1,234)."""
    found = repo.get_incidents(session, [incident_id])
    if not found:
        raise repo.UnknownIncident(incident_id)
    (incident,) = found
    inputs = with_postmortem(session, incident_id, inputs)
    known = {k.value for k in ClockKind}
    breaches = [
        RecordedBreach(ClockKind(row.clock), row.due_at, row.recorded_at)
        for row in session.scalars(
            select(SlaBreachRow).where(SlaBreachRow.incident_id == incident_id).order_by(SlaBreachRow.due_at)
        )
        if row.clock in known
    ]
    pages = [
        PageSent(
            at=row.sent_at or row.created_at,
            action=row.action,
            target=row.person or row.target,
            channel=row.channel,
            provider=row.provider,
            status=row.status,
            delivery=row.delivery,
            error=row.error,
        )
        for row in pages_of(session, incident_id)
    ]
    return build_report(
        incident,
        timeline=repo.timeline_entries(session, incident_id),
        calls=calls_of(session, incident_id),
        pages=pages,
        breaches=breaches,
        policy=policy,
        inputs=inputs,
        now=repo.db_now(session),
        **({"number": number} if number is not None else {}),
    )


def with_postmortem(session: Session, incident_id: int, given: ReportInputs) -> ReportInputs:
    """What the command line gives, and for everything it leaves out what the post-mortem says."""
    pm = postmortem_of(session, incident_id)
    if pm is None:
        return given
    written = report_inputs(pm)
    return ReportInputs(
        root_cause=given.root_cause or written.root_cause,
        corrective_actions=given.corrective_actions or written.corrective_actions,
        preventive_measures=given.preventive_measures or written.preventive_measures,
        service_credit=given.service_credit or written.service_credit,
    )
