"""Customer phone reports in the store: attach to an incident we have, or open a customer-detected one.

Every call carries an ID made on the desk, so storing it is idempotent: a retry, or an outbox synced
after a crash, finds the call already there and writes nothing. Personal data (caller, organisation,
phone) lives only in `calls`; the timeline says that a customer called and what they see, never who.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from noc_console.domain.calls import (
    Call,
    CallDraft,
    CallOutcome,
    CallUpdate,
    Placement,
    describe_lead,
    detection_lead,
)
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.matching import ATTACH_THRESHOLD, Candidate, rank_matches
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.suggest import Example, Suggester
from noc_console.store.feed import record_change
from noc_console.store.models import AlertRow, CallRow, CallUpdateRow, IncidentRow
from noc_console.store.repository import (
    UnknownIncident,
    add_timeline,
    list_incidents,
    open_customer_incident,
    refresh_caller_clock,
)

SUMMARY_ON_TIMELINE = 300  # characters of what the caller sees, on the incident's timeline
HISTORY_FOR_SUGGESTIONS = 5_000  # the newest incidents and calls the suggester learns from


def find_call(session: Session, call_id: str) -> Call | None:
    row = session.get(CallRow, call_id)
    return _to_call(row, _updates_of(session, [call_id]).get(call_id, ())) if row is not None else None


def add_call(
    session: Session,
    draft: CallDraft,
    now: datetime,
    *,
    policy: SlaPolicy,
    aliases: Mapping[str, Sequence[str]] | None = None,
    suggester: Suggester | None = None,
) -> CallOutcome:
    """Store a checked call (`CallDraft.checked`) once: attached to the incident the agent chose (or the
    best match above the threshold), else as a new customer-detected incident."""
    existing = session.get(CallRow, draft.call_id)
    if existing is not None:
        return CallOutcome(draft.call_id, existing.incident_id, existing.attached, duplicate=True)
    placement = Placement(draft.placement)
    target: IncidentRow | None = None
    note: str | None = None
    if placement is Placement.ATTACH:
        assert draft.attach_to is not None  # checked
        target = _lock_incident(session, draft.attach_to)
        if target is None:
            raise UnknownIncident(draft.attach_to)
        if target.status == IncidentStatus.RESOLVED.value:
            note = f"#{target.id} was resolved meanwhile: the call opened a new incident"
            target = None
    elif placement is Placement.BEST_MATCH:
        best = best_match(session, draft, now, aliases or {})
        if best is not None and best.score >= ATTACH_THRESHOLD:
            target = _lock_incident(session, best.incident.id)
            if target is not None and target.status == IncidentStatus.RESOLVED.value:
                target = None
    if target is not None:
        _attach(session, target, draft, now)
        incident_id, attached = target.id, True
    else:
        incident_id = _open_for(session, draft, now, suggester, aliases or {})
        attached = False
    session.add(
        CallRow(
            id=draft.call_id,
            incident_id=incident_id,
            received_at=draft.received_at,
            logged_at=now,
            taken_by=draft.taken_by,
            caller=draft.caller,
            organisation=draft.organisation,
            phone=draft.phone,
            callback=draft.callback,
            service=draft.service,
            summary=draft.summary,
            started_at=draft.started_at,
            users_affected=draft.users_affected,
            impact=draft.impact,
            attached=attached,
            customer_ack_due_at=draft.received_at + policy.ack,
        )
    )
    refresh_caller_clock(session, incident_id)
    record_change(session, "incident", now, incident_id=incident_id)
    return CallOutcome(draft.call_id, incident_id, attached, note=note)


def candidates_for(
    session: Session,
    service: str | None,
    summary: str,
    now: datetime,
    aliases: Mapping[str, Sequence[str]],
    limit: int = 5,
) -> list[Candidate]:
    """The open incidents that likely match what the caller says, best first."""
    incidents = list_incidents(session)
    ranked: list[Candidate] = rank_matches(
        service,
        summary,
        incidents,
        now,
        aliases=aliases,
        descriptions=alert_texts(session, [i.id for i in incidents]),
        limit=limit,
    )
    return ranked


def best_match(
    session: Session, draft: CallDraft, now: datetime, aliases: Mapping[str, Sequence[str]]
) -> Candidate | None:
    ranked = candidates_for(session, draft.service, draft.summary, now, aliases, limit=1)
    return ranked[0] if ranked else None


def alert_texts(session: Session, incident_ids: Sequence[int]) -> dict[int, str]:
    """Each incident's alerts' summaries and descriptions, joined: words a caller may use."""
    if not incident_ids:
        return {}
    texts: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(AlertRow.incident_id, AlertRow.name, AlertRow.summary, AlertRow.description).where(
            AlertRow.incident_id.in_(sorted(set(incident_ids)))
        )
    )
    for incident_id, name, summary, description in rows:
        texts[incident_id].extend(part for part in (name, summary, description) if part)
    return {incident_id: " ".join(parts) for incident_id, parts in texts.items()}


def training_examples(session: Session, limit: int = HISTORY_FOR_SUGGESTIONS) -> list[Example]:
    """What the suggester learns from: the newest incidents (title, alert texts) and calls (what the
    caller said), each with the service and severity its incident had."""
    incidents = session.scalars(select(IncidentRow).order_by(IncidentRow.id.desc()).limit(limit)).all()
    texts = alert_texts(session, [row.id for row in incidents])
    examples = [
        Example(f"{row.title} {texts.get(row.id, '')}".strip(), row.service, Severity(row.severity))
        for row in incidents
        if not row.false_positive
    ]
    calls = session.execute(
        select(CallRow.summary, IncidentRow.service, IncidentRow.severity)
        .join(IncidentRow, IncidentRow.id == CallRow.incident_id)
        .where(IncidentRow.false_positive.is_(False))
        .order_by(CallRow.received_at.desc())
        .limit(limit)
    )
    examples += [Example(summary, service, Severity(severity)) for summary, service, severity in calls]
    return examples


def fit_suggester(session: Session) -> Suggester:
    return Suggester.fit(training_examples(session))


def calls_of(session: Session, incident_id: int) -> list[Call]:
    rows = session.scalars(
        select(CallRow).where(CallRow.incident_id == incident_id).order_by(CallRow.received_at, CallRow.id)
    ).all()
    updates = _updates_of(session, [row.id for row in rows])
    return [_to_call(row, updates.get(row.id, ())) for row in rows]


def acknowledge_caller(session: Session, call_id: str, by: str, now: datetime) -> tuple[Call, bool]:
    """Close the caller's acknowledge clock; False when someone already had (nothing written)."""
    row = session.scalars(select(CallRow).where(CallRow.id == call_id).with_for_update()).one_or_none()
    if row is None:
        raise UnknownCall(call_id)
    done = row.customer_acked_at is None
    if done:
        row.customer_acked_at = now
        row.customer_acked_by = by
        add_timeline(
            session,
            row.incident_id,
            now,
            "caller_ack",
            f"Caller acknowledged (their call at {row.received_at.astimezone(UTC):%H:%M:%S} UTC)",
            actor=by,
        )
        refresh_caller_clock(session, row.incident_id)
        record_change(session, "incident", now, incident_id=row.incident_id)
    session.flush()
    return _to_call(row, _updates_of(session, [call_id]).get(call_id, ())), done


def unacknowledged_callers(session: Session) -> list[Call]:
    """Calls whose acknowledge clock is running, on incidents still open, soonest due first."""
    rows = session.scalars(
        select(CallRow)
        .join(IncidentRow, IncidentRow.id == CallRow.incident_id)
        .where(CallRow.customer_acked_at.is_(None), IncidentRow.status != IncidentStatus.RESOLVED.value)
        .order_by(CallRow.customer_ack_due_at)
    ).all()
    return [_to_call(row, ()) for row in rows]


def anonymise_calls(
    session: Session, now: datetime, *, received_before: datetime | None = None, phone: str | None = None
) -> int:
    """Remove callers' names, organisations and numbers: from calls older than `received_before`
    (retention), or every call from `phone` (a data-protection request). Returns how many calls."""
    if received_before is None and phone is None:
        raise ValueError("anonymise_calls needs received_before or phone")
    query = update(CallRow).where(CallRow.anonymised_at.is_(None))
    if received_before is not None:
        query = query.where(CallRow.received_at < received_before)
    if phone is not None:
        query = query.where(CallRow.phone == phone)
    query = query.values(caller=None, organisation=None, phone=None, anonymised_at=now)
    incident_ids = session.scalars(query.returning(CallRow.incident_id)).all()
    for incident_id in sorted(set(incident_ids)):
        record_change(session, "incident", now, incident_id=incident_id)
    return len(incident_ids)


class UnknownCall(LookupError):
    def __init__(self, call_id: str) -> None:
        super().__init__(f"no call {call_id}")
        self.call_id = call_id


# --- internals ---------------------------------------------------------------------------------------
def _lock_incident(session: Session, incident_id: int) -> IncidentRow | None:
    return session.scalars(
        select(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _attach(session: Session, incident: IncidentRow, draft: CallDraft, now: datetime) -> None:
    incident.call_count = (incident.call_count or 0) + 1
    if incident.first_call_at is None or draft.received_at < incident.first_call_at:
        first = incident.first_call_at is None
        incident.first_call_at = draft.received_at
        lead = detection_lead(draft.received_at, incident.monitoring_detected_at)
        if first and lead is not None:
            verdict = describe_lead(lead, stored=True).capitalize()
            add_timeline(session, incident.id, now, "detection_race", verdict)
    add_timeline(session, incident.id, now, "call", _timeline_text(draft), actor=draft.taken_by)


def canonical_service(typed: str | None, aliases: Mapping[str, Sequence[str]]) -> str | None:
    """The configured service a caller's word names ("card payments" is payments), else as typed."""
    if not typed:
        return typed
    wanted = typed.strip().casefold()
    for name, words in aliases.items():
        if wanted in {word.strip().casefold() for word in (name, *words)}:
            return name
    return typed


def _open_for(
    session: Session,
    draft: CallDraft,
    now: datetime,
    suggester: Suggester | None,
    aliases: Mapping[str, Sequence[str]],
) -> int:
    if draft.severity is not None:
        severity = Severity(draft.severity)
    else:
        guess = (suggester or fit_suggester(session)).suggest(draft.summary, draft.service)
        severity = guess.severity
    incident = open_customer_incident(
        session,
        title=draft.new_incident_title,
        service=canonical_service(draft.service, aliases),
        severity=severity,
        by=draft.taken_by,
        now=now,
        detected_at=min(draft.received_at, now),
        impact_started_at=draft.started_at,
    )
    row = session.get(IncidentRow, incident.id)
    assert row is not None  # just written
    row.call_count = 1
    row.first_call_at = draft.received_at
    add_timeline(session, incident.id, now, "call", _timeline_text(draft), actor=draft.taken_by)
    return incident.id


def _timeline_text(draft: CallDraft) -> str:
    """What the timeline keeps of a call: when, and what the customer sees; never who (personal data)."""
    said = draft.summary if len(draft.summary) <= SUMMARY_ON_TIMELINE else draft.summary[:299] + "…"
    extra = []
    if draft.users_affected is not None:
        extra.append(f"{draft.users_affected:,} of their users affected")
    if draft.impact:
        extra.append(f"impact: {draft.impact}")
    if draft.started_at is not None:
        extra.append(f"started for them at {draft.started_at.astimezone(UTC):%H:%M} UTC")
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"A customer called at {draft.received_at.astimezone(UTC):%H:%M:%S} UTC: {said}{tail}"


def _updates_of(session: Session, call_ids: Sequence[str]) -> dict[str, tuple[CallUpdate, ...]]:
    if not call_ids:
        return {}
    found: dict[str, list[CallUpdate]] = defaultdict(list)
    for row in session.scalars(
        select(CallUpdateRow).where(CallUpdateRow.call_id.in_(list(call_ids))).order_by(CallUpdateRow.id)
    ):
        found[row.call_id].append(CallUpdate(row.at, row.channel, row.text, row.by))
    return {call_id: tuple(updates) for call_id, updates in found.items()}


def _to_call(row: CallRow, updates: Sequence[CallUpdate]) -> Call:
    return Call(
        id=row.id,
        incident_id=row.incident_id,
        received_at=row.received_at,
        logged_at=row.logged_at,
        taken_by=row.taken_by,
        caller=row.caller,
        organisation=row.organisation,
        phone=row.phone,
        callback=row.callback,
        service=row.service,
        summary=row.summary,
        started_at=row.started_at,
        users_affected=row.users_affected,
        impact=row.impact,
        attached=row.attached,
        customer_ack_due_at=row.customer_ack_due_at,
        customer_acked_at=row.customer_acked_at,
        customer_acked_by=row.customer_acked_by,
        anonymised_at=row.anonymised_at,
        updates=tuple(updates),
    )
