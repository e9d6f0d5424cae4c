"""Reads and operator actions on the store. Every change that a screen shows is recorded in the feed.

Operator actions are conditional updates (`UPDATE ... WHERE status = ...`): when an acknowledgement
races an automatic resolve, exactly one of them wins and the other is told what happened instead.
Edits of a field (assign, the assessment) lock the incident's row, then compare the field with what the
operator's form showed: a second edit waits for the first, finds the field changed, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from noc_console.domain import inputs
from noc_console.domain.actions import ActionKind, edited_fields
from noc_console.domain.alerts import AlertState
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import translate
from noc_console.domain.incidents import (
    BusinessImpact,
    DetectionSource,
    Incident,
    IncidentStatus,
    TimelineEntry,
    UpdateChannel,
)
from noc_console.domain.severity import Severity
from noc_console.store.feed import Change, changes_since, latest_change_seq, record_change
from noc_console.store.lease import PollerStatus, db_now, poller_status
from noc_console.store.models import (
    AlertRow,
    CallRow,
    CallUpdateRow,
    IncidentRow,
    SourceHealthRow,
    TimelineRow,
)

# Reads that callers use beside the ones defined here; one import for a screen or a command.
__all__ = [
    "ActionOutcome",
    "Change",
    "PollerStatus",
    "UnknownIncident",
    "acknowledge",
    "add_note",
    "add_timeline",
    "alerts_of",
    "assign",
    "changes_since",
    "count_needs_review",
    "db_now",
    "detection_share",
    "get_incidents",
    "last_success",
    "latest_change_seq",
    "list_incidents",
    "list_needs_review",
    "list_source_health",
    "log_customer_update",
    "open_customer_incident",
    "poller_status",
    "record_assessment",
    "record_change",
    "resolve",
    "resolve_orphaned",
    "timeline",
    "timeline_entries",
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
    """What an operator action did: `done` is False when the incident was already past that point, or
    when an edit's field had changed since the operator's form showed it (`meanwhile` is that change)."""

    incident: Incident
    done: bool
    meanwhile: TimelineEntry | None = None

    def describe(self, action: str) -> str:
        """One line for the operator, in the installed language: what happened, or why nothing did.
        `action`: "acknowledged", "resolved", "assigned" or "assessed"."""
        i = self.incident
        someone = translate("store.repository", "someone")
        if self.done and action == "acknowledged" and i.status is IncidentStatus.RESOLVED and i.resolved_at:
            return translate(
                "store.repository", "#{id} had already resolved at {at} ({who}): marked as reviewed by {by}"
            ).format(id=i.id, at=_iso(i.resolved_at), who=i.resolved_by or someone, by=i.acknowledged_by)
        if self.done:
            if action == "resolved":
                done = translate("store.repository", "#{id} resolved by {by}")
                return done.format(id=i.id, by=i.resolved_by)
            return translate("store.repository", "#{id} acknowledged by {by}").format(
                id=i.id, by=i.acknowledged_by
            )
        if action in ("assigned", "assessed"):
            return self._changed_meanwhile(action)
        if i.status is IncidentStatus.RESOLVED and i.resolved_at is not None:
            return translate("store.repository", "#{id} was already resolved at {at} by {who}").format(
                id=i.id, at=_iso(i.resolved_at), who=i.resolved_by or someone
            )
        if i.status is IncidentStatus.ACKNOWLEDGED and i.acknowledged_at is not None:
            return translate("store.repository", "#{id} was already acknowledged at {at} by {who}").format(
                id=i.id, at=_iso(i.acknowledged_at), who=i.acknowledged_by or someone
            )
        return translate("store.repository", "#{id} is {status}").format(
            id=i.id, status=i.status.display_label.lower()
        )

    def _changed_meanwhile(self, action: str) -> str:
        """'#12 was assigned to bob by alice at ... meanwhile: not changed', with the winner's state."""
        i, last = self.incident, self.meanwhile
        by, at = (last.by, _iso(last.at)) if last is not None else ("", "")
        if action == "assigned":
            to = i.assigned_to or translate("store.repository", "nobody")
            if last is None:
                return translate(
                    "store.repository", "#{id} was assigned to {to} meanwhile: not changed"
                ).format(id=i.id, to=to)
            return translate(
                "store.repository", "#{id} was assigned to {to} by {by} at {at} meanwhile: not changed"
            ).format(id=i.id, to=to, by=by, at=at)
        figures = [
            translate("store.repository", "{users} users affected").format(users=f"{i.users_affected:,}")
            if i.users_affected is not None
            else "",
            translate("store.repository", "services: {services}").format(services=i.services_affected)
            if i.services_affected
            else "",
            translate("store.repository", "impact: {impact}").format(impact=i.business_impact.display_label)
            if i.business_impact is not None
            else "",
        ]
        state = "; ".join(f for f in figures if f) or translate("store.repository", "no figures")
        if last is None:
            return translate(
                "store.repository", "#{id} was assessed meanwhile ({state}): not changed"
            ).format(id=i.id, state=state)
        return translate(
            "store.repository", "#{id} was assessed by {by} at {at} meanwhile ({state}): not changed"
        ).format(id=i.id, by=by, at=at, state=state)


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
        assigned_to=row.assigned_to,
        false_positive=row.false_positive,
        needs_review=row.needs_review,
        postmortem_done_at=row.postmortem_done_at,
        exec_report_done_at=row.exec_report_done_at,
        users_affected=row.users_affected,
        services_affected=row.services_affected,
        business_impact=BusinessImpact(row.business_impact) if row.business_impact else None,
        monitoring_detected_at=row.monitoring_detected_at,
        first_call_at=row.first_call_at,
        caller_ack_due_at=row.caller_ack_due_at,
        flapping_since=row.flapping_since,
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


def _locked(session: Session, incident_id: int) -> Incident:
    """The incident as committed now, its row locked until this transaction ends.

    PostgreSQL: a second edit of the same incident waits here for the first to commit, then reads the
    first one's result. SQLite: writing transactions begin IMMEDIATE, so they never overlap anyway.
    """
    row = session.scalars(
        select(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE: what an UPDATE of the row takes anyway
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise UnknownIncident(incident_id)
    return to_incident(row)


def _changed_meanwhile(
    session: Session, kind: ActionKind, seen: Incident | None, current: Incident, entry_kind: str
) -> ActionOutcome | None:
    """When `seen` (what the operator's form showed) no longer holds: the outcome that says who changed it."""
    if seen is None or edited_fields(kind, seen) == edited_fields(kind, current):
        return None
    last = session.scalars(
        select(TimelineRow)
        .where(TimelineRow.incident_id == current.id, TimelineRow.kind == entry_kind)
        .order_by(TimelineRow.id.desc())  # the last one written: edits of one incident take turns
        .limit(1)
    ).first()
    entry = TimelineEntry(last.at, last.kind, last.actor, last.text) if last is not None else None
    return ActionOutcome(current, False, entry)


def acknowledge(session: Session, incident_id: int, by: str, now: datetime) -> ActionOutcome:
    """Acknowledge an open incident, or one that cleared unseen and waits for review.

    Already acknowledged, or resolved and reviewed: nothing changes, and the outcome says so.
    """
    by = inputs.name("by", by)
    won = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id, IncidentRow.status == IncidentStatus.OPEN.value)
        .values(status=IncidentStatus.ACKNOWLEDGED.value, acknowledged_at=now, acknowledged_by=by)
        .returning(IncidentRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    reviewed = None
    if won is None:
        reviewed = session.execute(
            update(IncidentRow)
            .where(IncidentRow.id == incident_id, IncidentRow.needs_review.is_(True))
            .values(needs_review=False, acknowledged_at=now, acknowledged_by=by)
            .returning(IncidentRow.id)
            .execution_options(synchronize_session=False)
        ).first()
    incident = _fresh(session, incident_id)
    if won is not None or reviewed is not None:
        what = f"Acknowledged by {by}" if won is not None else f"Reviewed by {by} (it had cleared unseen)"
        add_timeline(session, incident_id, now, "ack", what, actor=by)
        record_change(session, "incident", now, incident_id=incident_id)
    if won is not None:
        from noc_console.store.writeback import queue_acknowledge  # (it builds on this module)

        queue_acknowledge(session, incident_id, by, now)
    return ActionOutcome(incident, won is not None or reviewed is not None)


def resolve(
    session: Session,
    incident_id: int,
    by: str,
    now: datetime,
    note: str | None = None,
    *,
    false_positive: bool = False,
) -> ActionOutcome:
    """Resolve an incident by hand and close its alerts' link.

    An alert its source still reports is detached: if it still fires at the next fetch it opens a new
    incident (whose timeline names this one), instead of hiding for good in a resolved incident.
    `false_positive`: the alarm was wrong; the metrics count it so, and it owes no post-mortem.
    """
    by = inputs.name("by", by)
    note = inputs.text("note", note, inputs.MAX_NOTE, required=False)
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
            false_positive=false_positive,
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
    how = " as a false positive" if false_positive else ""
    add_timeline(session, incident_id, now, "resolve", f"Resolved by {by}{how}", actor=by)
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


def _update_incident(session: Session, incident_id: int, **values: object) -> None:
    """Set columns of an existing incident; UnknownIncident when there is none."""
    done = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .values(**values)
        .returning(IncidentRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise UnknownIncident(incident_id)


def add_note(session: Session, incident_id: int, by: str, text_: str, now: datetime) -> Incident:
    """A note on the timeline, for whoever picks the incident up next."""
    by = inputs.name("by", by)
    note = inputs.text("text", text_, inputs.MAX_NOTE)
    incident = _fresh(session, incident_id)
    add_timeline(session, incident_id, now, "note", note or "", actor=by)
    record_change(session, "incident", now, incident_id=incident_id)
    return incident


def assign(
    session: Session, incident_id: int, to: str, by: str, now: datetime, *, seen: Incident | None = None
) -> ActionOutcome:
    """Give the incident an owner (who has it); reassigning says from whom.

    `seen`: the incident as the operator's form showed it. When its owner has changed since, nothing
    changes and the outcome names who assigned it meanwhile.
    """
    to = inputs.name("to", to)
    by = inputs.name("by", by)
    before = _locked(session, incident_id)
    refused = _changed_meanwhile(session, ActionKind.ASSIGN, seen, before, "assign")
    if refused is not None:
        return refused
    _update_incident(session, incident_id, assigned_to=to, assigned_at=now)
    was = f" (was {before.assigned_to})" if before.assigned_to and before.assigned_to != to else ""
    add_timeline(session, incident_id, now, "assign", f"Assigned to {to} by {by}{was}", actor=by)
    record_change(session, "incident", now, incident_id=incident_id)
    return ActionOutcome(_fresh(session, incident_id), True)


def record_assessment(
    session: Session,
    incident_id: int,
    by: str,
    now: datetime,
    *,
    users_affected: int | None = None,
    services_affected: str | None = None,
    business_impact: str | None = None,
    text_: str | None = None,
    seen: Incident | None = None,
) -> ActionOutcome:
    """The initial assessment: scope and impact. It stops the assessment clock; a later one amends it.

    `seen`: the incident as the operator's form showed it. When its assessment has changed since,
    nothing changes and the outcome names who assessed it meanwhile. What is not given is kept.
    """
    by = inputs.name("by", by)
    users = inputs.count("users", users_affected)
    services = inputs.text("services", services_affected, inputs.MAX_SERVICES, required=False)
    impact = inputs.choice("impact", business_impact, BusinessImpact)
    summary = inputs.text("text", text_, inputs.MAX_NOTE, required=False)
    if users is None and services is None and impact is None and summary is None:
        raise inputs.InvalidInput("assessment", "give at least users, services, impact or text")
    before = _locked(session, incident_id)
    refused = _changed_meanwhile(session, ActionKind.ASSESS, seen, before, "assessment")
    if refused is not None:
        return refused
    _update_incident(
        session,
        incident_id,
        assessed_at=before.assessed_at or now,
        users_affected=users if users is not None else before.users_affected,
        services_affected=services if services is not None else before.services_affected,
        business_impact=impact.value if impact is not None else before.business_impact,
    )
    parts = [
        f"{users:,} users affected" if users is not None else "",
        f"services: {services}" if services else "",
        f"impact: {impact.value}" if impact is not None else "",
        summary or "",
    ]
    first = "Initial assessment" if before.assessed_at is None else "Assessment amended"
    add_timeline(
        session,
        incident_id,
        now,
        "assessment",
        f"{first} by {by}: " + "; ".join(p for p in parts if p),
        actor=by,
    )
    record_change(session, "incident", now, incident_id=incident_id)
    return ActionOutcome(_fresh(session, incident_id), True)


def log_customer_update(
    session: Session, incident_id: int, by: str, now: datetime, text_: str, channel: str = "phone"
) -> Incident:
    """A customer update went out: on the timeline, and the update clock starts again from now."""
    by = inputs.name("by", by)
    body = inputs.text("text", text_, inputs.MAX_UPDATE)
    how = inputs.choice("channel", channel, UpdateChannel)
    assert how is not None  # channel is never None here
    _update_incident(session, incident_id, last_customer_update_at=now)
    told = stamp_callers(session, incident_id, now, body or "", how.value, by)
    callers = f" (told {told} caller{'s' if told != 1 else ''})" if told else ""
    add_timeline(
        session,
        incident_id,
        now,
        "customer_update",
        f"Customer update ({how.value}){callers}: {body}",
        actor=by,
    )
    record_change(session, "incident", now, incident_id=incident_id)
    return _fresh(session, incident_id)


def stamp_callers(
    session: Session, incident_id: int, now: datetime, text_: str, channel: str, by: str
) -> int:
    """Every caller of the incident was told this: one line each on what they were told, and their
    acknowledge clock closes if it was still running. Returns how many callers."""
    calls = session.scalars(
        select(CallRow)
        .where(CallRow.incident_id == incident_id)
        .order_by(CallRow.received_at)
        .with_for_update()
    ).all()
    for call in calls:
        session.add(CallUpdateRow(call_id=call.id, at=now, channel=channel, text=text_, by=by))
        if call.customer_acked_at is None:
            call.customer_acked_at = now
            call.customer_acked_by = by
    if calls:
        refresh_caller_clock(session, incident_id)
    return len(calls)


def refresh_caller_clock(session: Session, incident_id: int) -> None:
    """The incident's caller clock: the soonest deadline among callers not yet acknowledged."""
    session.flush()
    due = session.scalar(
        select(func.min(CallRow.customer_ack_due_at)).where(
            CallRow.incident_id == incident_id, CallRow.customer_acked_at.is_(None)
        )
    )
    _update_incident(session, incident_id, caller_ack_due_at=due)


def open_customer_incident(
    session: Session,
    *,
    title: str,
    service: str | None,
    severity: Severity,
    by: str,
    now: datetime,
    impact_started_at: datetime | None = None,
    detected_at: datetime | None = None,
) -> Incident:
    """An incident a customer told us about before our monitoring did (detected by: customer).

    It shares the service's correlation key, so alerts of that service that fire later join it: the
    incident stays customer-detected, which is what the detection metrics count.
    """
    by = inputs.name("by", by)
    checked_title = inputs.text("title", title, 500)
    assert checked_title is not None  # required
    service = inputs.text("service", service, 200, required=False)
    row = IncidentRow(
        title=checked_title,
        severity=severity.value,
        status=IncidentStatus.OPEN.value,
        service=service,
        correlation_key=f"service:{service}" if service else f"customer:{checked_title}",
        detected_by=DetectionSource.CUSTOMER.value,
        source=None,
        opened_at=now,
        detected_at=detected_at or now,  # a call queued on a desk: when the customer called
        impact_started_at=impact_started_at or detected_at or now,
        last_alert_at=now,
        alert_count=0,
        firing_count=0,
        call_count=0,
        suppressed_count=0,
        orphaned=False,
        false_positive=False,
        needs_review=False,
    )
    session.add(row)
    session.flush()
    add_timeline(
        session, row.id, now, "opened", f"Reported by a customer, logged by {by}: {checked_title}", actor=by
    )
    record_change(session, "incident", now, incident_id=row.id)
    return to_incident(row)


def list_needs_review(session: Session, limit: int | None = None) -> list[Incident]:
    """Incidents that opened and cleared while nobody acknowledged them, newest first (the newest
    `limit` of them: a floor whose pods churn can leave thousands, and a screen shows a few dozen)."""
    query = select(IncidentRow).where(IncidentRow.needs_review.is_(True)).order_by(IncidentRow.id.desc())
    rows = session.scalars(query.limit(limit) if limit is not None else query).all()
    return [to_incident(row) for row in rows]


def count_needs_review(session: Session) -> int:
    """How many incidents wait for a review (through the index on needs_review)."""
    return session.scalar(select(func.count()).where(IncidentRow.needs_review.is_(True))) or 0


def detection_share(session: Session, since: datetime) -> tuple[int, int]:
    """Incidents detected since `since`: how many by our monitoring or checks, of how many in all."""
    rows = session.execute(
        select(IncidentRow.detected_by, func.count())
        .where(IncidentRow.detected_at >= since)
        .group_by(IncidentRow.detected_by)
    ).all()
    total = sum(n for _, n in rows)
    internal = sum(n for kind, n in rows if kind != DetectionSource.CUSTOMER.value)
    return internal, total


def last_success(session: Session) -> datetime | None:
    """The most recent successful fetch of any source: when "all clear" was last known to be true."""
    return session.scalar(select(func.max(SourceHealthRow.last_success_at)))


def timeline(session: Session, incident_id: int) -> list[TimelineRow]:
    _fresh(session, incident_id)
    query = select(TimelineRow).where(TimelineRow.incident_id == incident_id)
    return list(session.scalars(query.order_by(TimelineRow.at, TimelineRow.id)).all())


def timeline_entries(session: Session, incident_id: int) -> list[TimelineEntry]:
    """The timeline as plain data, oldest first (safe to hand to another thread)."""
    return [TimelineEntry(e.at, e.kind, e.actor, e.text) for e in timeline(session, incident_id)]


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
        pending_count=row.pending_count or 0,
        warning=row.warning,
    )


def list_source_health(session: Session) -> list[SourceHealth]:
    rows = session.scalars(select(SourceHealthRow).order_by(SourceHealthRow.name)).all()
    return [to_health(row) for row in rows]
