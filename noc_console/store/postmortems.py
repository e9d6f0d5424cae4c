"""Post-mortems in the store: read, save (refused when someone saved since the form was loaded), finish
(which stops the incident's post-mortem clock), the lead's list, and an incident's early warning signs.

Every write records a change on the incident, so every console showing it follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from noc_console.domain import inputs
from noc_console.domain.calls import Call
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.postmortem import (
    ActionItem,
    EarlyWarning,
    FieldProblem,
    ItemStatus,
    Owed,
    PostMortem,
    PostMortemStatus,
    TimelineLine,
    affected_services,
    checked,
    draft,
    early_warnings,
    impact_start_of,
    owed_line,
    owes_postmortem,
    problems_to_finish,
)
from noc_console.domain.sla import SlaPolicy
from noc_console.store.calls import calls_of
from noc_console.store.feed import record_change
from noc_console.store.lease import db_now
from noc_console.store.models import ActionItemRow, AlertRow, CallRow, IncidentRow, PostMortemRow
from noc_console.store.repository import (
    UnknownIncident,
    add_timeline,
    get_incidents,
    timeline_entries,
    to_incident,
)
from noc_console.store.sql import insert_or_ignore

# Unwritten post-mortems are listed for this long after resolution; written ones while they have an
# open action item or a follow-up still to hold.
OWED_LOOKBACK = timedelta(days=90)


class PostMortemConflict(Exception):
    """Someone saved the post-mortem after this form loaded it: nothing was written."""

    def __init__(self, incident_id: int, by: str, at: datetime) -> None:
        super().__init__(
            f"post-mortem of #{incident_id}: {by} saved it at {at:%Y-%m-%d %H:%M:%S} UTC after you opened "
            "it; nothing of yours was written. Reload to see their version, then make your change again."
        )
        self.by = by
        self.at = at


class NotOwed(Exception):
    """The incident owes no post-mortem (not resolved, a false positive, or minor and found by us)."""


class CannotFinish(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Opened:
    """What the lead's editor shows: the incident, its post-mortem (a fresh draft when none is saved),
    and its early warning signs."""

    incident: Incident
    postmortem: PostMortem
    saved: bool
    warnings: tuple[EarlyWarning, ...]
    calls: tuple[Call, ...]
    now: datetime


def _to_domain(row: PostMortemRow, items: list[ActionItemRow]) -> PostMortem:
    return PostMortem(
        incident_id=row.incident_id,
        summary=row.summary,
        timeline=tuple(TimelineLine(datetime.fromisoformat(t["at"]), t["text"]) for t in row.timeline or []),
        users_affected=row.users_affected,
        services=row.services,
        root_cause=row.root_cause,
        contributing_factors=row.contributing_factors,
        why_not_detected=row.why_not_detected,
        corrective_actions=row.corrective_actions,
        service_credit=row.service_credit,
        action_items=tuple(
            ActionItem(i.what, i.owner, i.due_on, ItemStatus(i.status))
            for i in sorted(items, key=lambda i: i.position)
        ),
        follow_up_on=row.follow_up_on,
        follow_up_done_at=row.follow_up_done_at,
        status=PostMortemStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        finished_at=row.finished_at,
        finished_by=row.finished_by,
        version=row.version,
    )


def _items_of(session: Session, incident_ids: list[int]) -> dict[int, list[ActionItemRow]]:
    found: dict[int, list[ActionItemRow]] = {i: [] for i in incident_ids}
    if incident_ids:
        for item in session.scalars(select(ActionItemRow).where(ActionItemRow.incident_id.in_(incident_ids))):
            found[item.incident_id].append(item)
    return found


def postmortem_of(session: Session, incident_id: int) -> PostMortem | None:
    # populate_existing: the writes here are UPDATE statements, which leave a loaded row as it was
    row = session.get(PostMortemRow, incident_id, populate_existing=True)
    if row is None:
        return None
    return _to_domain(row, _items_of(session, [incident_id])[incident_id])


def _incident(session: Session, incident_id: int) -> Incident:
    found = get_incidents(session, [incident_id])
    if not found:
        raise UnknownIncident(incident_id)
    return found[0]


def warnings_of(session: Session, incident: Incident, pm: PostMortem | None) -> list[EarlyWarning]:
    """Every alert on the affected services that started in the 24 h before the impact's start."""
    first_caller = session.scalar(
        select(func.min(CallRow.started_at)).where(
            CallRow.incident_id == incident.id, CallRow.started_at.is_not(None)
        )
    )
    start = impact_start_of(incident, first_caller)
    services = affected_services(incident, pm)
    if not services:
        return []
    rows = session.scalars(
        select(AlertRow)
        .where(
            func.lower(AlertRow.service).in_([s.casefold() for s in services]),
            AlertRow.starts_at >= start - timedelta(hours=24),
            AlertRow.starts_at < start,
        )
        .order_by(AlertRow.starts_at, AlertRow.id)
    )
    candidates = [
        EarlyWarning(
            source=a.source,
            name=a.name,
            severity=a.severity,
            service=a.service,
            starts_at=a.starts_at,
            state=a.state,
            silenced=a.silenced,
            summary=a.summary,
            incident_id=a.incident_id,
        )
        for a in rows
    ]
    return early_warnings(candidates, services, start)


def open_postmortem(session: Session, incident_id: int, today: date) -> Opened:
    """The saved post-mortem, or a draft made from the incident; NotOwed when none is owed."""
    incident = _incident(session, incident_id)
    saved = postmortem_of(session, incident_id)
    if saved is None and not owes_postmortem(incident):
        raise NotOwed(f"#{incident_id} owes no post-mortem: {_why_not_owed(incident)}")
    pm = saved or draft(incident, timeline_entries(session, incident_id), today)
    warnings = tuple(warnings_of(session, incident, pm))
    return Opened(
        incident, pm, saved is not None, warnings, tuple(calls_of(session, incident_id)), db_now(session)
    )


def _why_not_owed(incident: Incident) -> str:
    if incident.status is not IncidentStatus.RESOLVED:
        return f"it is {incident.status}, not resolved"
    if incident.false_positive:
        return "it was resolved as a false positive"
    return "it is neither major nor critical, and our monitoring detected it"


def _row_values(pm: PostMortem) -> dict[str, object]:
    return {
        "summary": pm.summary,
        "timeline": [{"at": line.at.isoformat(), "text": line.text} for line in pm.timeline],
        "users_affected": pm.users_affected,
        "services": pm.services,
        "root_cause": pm.root_cause,
        "contributing_factors": pm.contributing_factors,
        "why_not_detected": pm.why_not_detected,
        "corrective_actions": pm.corrective_actions,
        "service_credit": pm.service_credit,
        "follow_up_on": pm.follow_up_on,
    }


def save_postmortem(session: Session, pm: PostMortem, by: str, now: datetime) -> PostMortem:
    """Write the post-mortem as the form has it. `pm.version` is the version the form loaded (0 for a new
    one): if the stored one is newer, PostMortemConflict names who saved it, and nothing is written."""
    by = inputs.name("by", by)
    pm = checked(pm)
    incident = _incident(session, pm.incident_id)
    row = session.execute(
        select(PostMortemRow).where(PostMortemRow.incident_id == pm.incident_id).with_for_update()
    ).scalar()
    if row is None:
        if not owes_postmortem(incident):
            raise NotOwed(f"#{pm.incident_id} owes no post-mortem: {_why_not_owed(incident)}")
        values = {
            "incident_id": pm.incident_id,
            **_row_values(pm),
            "status": PostMortemStatus.DRAFT.value,
            "created_at": now,
            "created_by": by,
            "updated_at": now,
            "updated_by": by,
            "version": 1,
        }
        inserted = session.execute(
            insert_or_ignore(session, PostMortemRow, values).returning(PostMortemRow.incident_id)
        ).first()
        if inserted is None:  # another lead's first save won the race
            winner = session.get(PostMortemRow, pm.incident_id, populate_existing=True)
            assert winner is not None
            raise PostMortemConflict(pm.incident_id, winner.updated_by, winner.updated_at)
        add_timeline(session, pm.incident_id, now, "postmortem", f"Post-mortem started by {by}", actor=by)
    else:
        if row.version != pm.version:
            raise PostMortemConflict(pm.incident_id, row.updated_by, row.updated_at)
        session.execute(
            update(PostMortemRow)
            .where(PostMortemRow.incident_id == pm.incident_id)
            .values(**_row_values(pm), updated_at=now, updated_by=by, version=row.version + 1)
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(ActionItemRow).where(ActionItemRow.incident_id == pm.incident_id))
    for position, item in enumerate(pm.action_items):
        session.add(
            ActionItemRow(
                incident_id=pm.incident_id,
                position=position,
                what=item.what,
                owner=item.owner,
                due_on=item.due,
                status=item.status.value,
            )
        )
    record_change(session, "incident", now, incident_id=pm.incident_id)
    session.flush()
    saved = postmortem_of(session, pm.incident_id)
    assert saved is not None
    return saved


def finish_postmortem(session: Session, pm: PostMortem, by: str, now: datetime) -> PostMortem:
    """Save, check every required field, then mark it finished and stop the incident's clock.
    CannotFinish lists what is missing (nothing is written then)."""
    by = inputs.name("by", by)
    incident = _incident(session, pm.incident_id)
    problems = problems_to_finish(checked(pm), incident, now.date())
    if problems:
        raise CannotFinish(problems)
    saved = save_postmortem(session, pm, by, now)
    session.execute(
        update(PostMortemRow)
        .where(PostMortemRow.incident_id == pm.incident_id)
        .values(status=PostMortemStatus.FINISHED.value, finished_at=now, finished_by=by)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == pm.incident_id, IncidentRow.postmortem_done_at.is_(None))
        .values(postmortem_done_at=now)
        .execution_options(synchronize_session=False)
    )
    if saved.finished:
        what = f"Post-mortem amended by {by}"
    else:
        what = f"Post-mortem finished by {by}; follow-up on {pm.follow_up_on}"
    add_timeline(session, pm.incident_id, now, "postmortem", what, actor=by)
    done = postmortem_of(session, pm.incident_id)
    assert done is not None
    return done


def hold_follow_up(session: Session, incident_id: int, by: str, now: datetime) -> PostMortem:
    """The follow-up review took place: the reminder stops."""
    by = inputs.name("by", by)
    pm = postmortem_of(session, incident_id)
    if pm is None or not pm.finished:
        raise NotOwed(f"#{incident_id} has no finished post-mortem to follow up")
    session.execute(
        update(PostMortemRow)
        .where(PostMortemRow.incident_id == incident_id)
        .values(follow_up_done_at=now, updated_at=now, updated_by=by, version=PostMortemRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    open_items = sum(1 for item in pm.action_items if item.status is ItemStatus.OPEN)
    add_timeline(
        session,
        incident_id,
        now,
        "postmortem",
        f"Follow-up review held by {by}; {open_items} action item(s) open",
        actor=by,
    )
    record_change(session, "incident", now, incident_id=incident_id)
    held = postmortem_of(session, incident_id)
    assert held is not None
    return held


def mark_exec_report_sent(session: Session, incident_id: int, by: str, now: datetime) -> bool:
    """Stop the executive report's clock; False when it was already stopped."""
    by = inputs.name("by", by)
    _incident(session, incident_id)
    won = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id, IncidentRow.exec_report_done_at.is_(None))
        .values(exec_report_done_at=now)
        .returning(IncidentRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is not None:
        add_timeline(session, incident_id, now, "exec_report", f"Executive report sent by {by}", actor=by)
        record_change(session, "incident", now, incident_id=incident_id)
    return won is not None


def _owing() -> ColumnElement[bool]:
    return and_(
        IncidentRow.status == IncidentStatus.RESOLVED.value,
        IncidentRow.false_positive.is_(False),
        or_(
            IncidentRow.severity.in_(("critical", "major")),
            IncidentRow.detected_by == DetectionSource.CUSTOMER.value,
        ),
    )


def owed_postmortems(session: Session, policy: SlaPolicy, now: datetime) -> list[Owed]:
    """The lead's list: unwritten or unfinished post-mortems of the last 90 days, and finished ones with an
    open action item or a follow-up still to hold; most urgent first."""
    has_pm = exists().where(PostMortemRow.incident_id == IncidentRow.id)
    # A follow-up review nobody held keeps a finished post-mortem on the list for the lookback after
    # its date, not for ever (an open action item keeps it as long as the item stays open).
    follow_up_pending = and_(
        PostMortemRow.follow_up_done_at.is_(None),
        or_(PostMortemRow.follow_up_on.is_(None), PostMortemRow.follow_up_on >= (now - OWED_LOOKBACK).date()),
    )
    still_open = exists().where(
        PostMortemRow.incident_id == IncidentRow.id,
        or_(
            PostMortemRow.status != PostMortemStatus.FINISHED.value,
            follow_up_pending,
            exists().where(
                ActionItemRow.incident_id == IncidentRow.id, ActionItemRow.status == ItemStatus.OPEN.value
            ),
        ),
    )
    unwritten = and_(
        ~has_pm, IncidentRow.postmortem_done_at.is_(None), IncidentRow.resolved_at >= now - OWED_LOOKBACK
    )
    rows = session.scalars(select(IncidentRow).where(_owing(), or_(unwritten, still_open))).all()
    ids = [row.id for row in rows]
    pms = {
        row.incident_id: row
        for row in session.scalars(select(PostMortemRow).where(PostMortemRow.incident_id.in_(ids)))
    }
    items = _items_of(session, list(pms))
    today = now.date()
    lines = []
    for row in rows:
        pm_row = pms.get(row.id)
        pm = _to_domain(pm_row, items[row.id]) if pm_row is not None else None
        line = owed_line(to_incident(row), pm, policy, today)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda line: (line.finished, line.due_at, line.incident.id))
    return lines


@dataclass(frozen=True, slots=True)
class Unwritten:
    """Post-mortems owed and not finished (of the last 90 days): how many, and the one due first."""

    count: int
    first_id: int | None
    first_resolved_at: datetime | None


def unwritten_postmortems(session: Session, now: datetime) -> Unwritten:
    """Two indexed aggregates, for the wall's footer every minute."""
    owed = and_(
        _owing(), IncidentRow.postmortem_done_at.is_(None), IncidentRow.resolved_at >= now - OWED_LOOKBACK
    )
    count = session.scalar(select(func.count()).select_from(IncidentRow).where(owed)) or 0
    if not count:
        return Unwritten(0, None, None)
    first = session.execute(
        select(IncidentRow.id, IncidentRow.resolved_at)
        .where(owed)
        .order_by(IncidentRow.resolved_at, IncidentRow.id)
        .limit(1)
    ).first()
    assert first is not None
    return Unwritten(int(count), first[0], first[1])
