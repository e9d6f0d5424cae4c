"""Paging in the store: the directory (people, schedules, policies), escalations, and the page outbox.

A page is a row before it is anything else: written once under its idempotency key (insert-or-ignore),
claimed by the one sender (the lease holder) just before it goes out, and updated with the vendor's
answer. A sender that dies between the claim and the answer leaves the page "sending"; after a grace
period it is tried again under the same key, which the vendors that support one use to drop a double.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.paging import (
    Channel,
    Level,
    Override,
    Person,
    PlannedPage,
    Policy,
    Rotation,
    Schedule,
)
from noc_console.domain.severity import Severity
from noc_console.store.feed import record_change
from noc_console.store.models import EscalationRow, IncidentRow, PageRow, PersonRow, PolicyRow, ScheduleRow
from noc_console.store.repository import UnknownIncident, add_timeline, to_incident
from noc_console.store.sql import insert_or_ignore

FINAL = ("sent", "failed")
STALE_SENDING = timedelta(minutes=2)  # a claim older than this was lost with its sender


# --- the directory ---------------------------------------------------------------------------------
def policy_to_json(policy: Policy) -> dict[str, Any]:
    return {
        "levels": [
            {"targets": list(lv.targets), "channels": [c.value for c in lv.channels],
             "wait_s": lv.wait.total_seconds()}
            for lv in policy.levels
        ],
        "repeat": policy.repeat,
        "services": list(policy.services),
        "severities": [s.value for s in policy.severities],
        "auto": policy.auto,
    }  # fmt: skip


def policy_from_json(name: str, data: dict[str, Any]) -> Policy:
    levels = tuple(
        Level(
            tuple(lv["targets"]), tuple(Channel(c) for c in lv["channels"]), timedelta(seconds=lv["wait_s"])
        )
        for lv in data["levels"]
    )
    return Policy(
        name, levels, int(data.get("repeat", 0)), tuple(data.get("services", ())),
        tuple(Severity(s) for s in data.get("severities", ())), bool(data.get("auto", False)),
    )  # fmt: skip


def import_directory(
    session: Session, people: Iterable[Person], schedules: Iterable[Schedule], policies: Iterable[Policy],
    now: datetime,
) -> list[str]:  # fmt: skip
    """Bring the config's entries into the database; an entry edited in the console is left alone.
    Returns the names the console's edits shadow."""
    shadowed: list[str] = []

    def upsert(model: Any, name: str, values: dict[str, Any]) -> None:
        row = session.get(model, name)
        if row is None:
            session.add(model(name=name, origin="config", updated_at=now, **values))
        elif row.origin == "console":
            shadowed.append(name)
        else:
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            for key, value in changed.items():
                setattr(row, key, value)
            if changed:
                row.updated_at = now

    for person in people:
        upsert(PersonRow, person.name, _person_values(person))
    for schedule in schedules:
        upsert(ScheduleRow, schedule.name, _schedule_values(schedule))
    for policy in policies:
        upsert(PolicyRow, policy.name, {"definition": policy_to_json(policy)})
    return shadowed


@dataclass(frozen=True, slots=True)
class StoredDirectory:
    people: dict[str, Person]
    schedules: dict[str, Schedule]
    policies: list[Policy]


def load_directory(session: Session) -> StoredDirectory:
    people = {
        row.name: Person(row.name, row.phone, row.whatsapp, row.email, row.chat)
        for row in session.scalars(select(PersonRow).order_by(PersonRow.name))
    }
    schedules = {}
    for row in session.scalars(select(ScheduleRow).order_by(ScheduleRow.name)):
        hours, minutes = (int(part) for part in row.handoff.split(":"))
        overrides = tuple(
            Override(o["person"], datetime.fromisoformat(o["from"]), datetime.fromisoformat(o["to"]))
            for o in row.overrides
        )
        schedules[row.name] = Schedule(
            row.name,
            row.time_zone,
            Rotation(row.rotation),
            time(hours, minutes),
            tuple(row.people),
            overrides,
        )
    policies = [policy_from_json(row.name, row.definition) for row in session.scalars(select(PolicyRow))]
    return StoredDirectory(people, schedules, sorted(policies, key=lambda p: p.name))


# --- escalations -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Escalation:
    id: int
    incident_id: int
    policy: Policy
    started_at: datetime
    started_by: str
    reason: str
    stopped_at: datetime | None
    stop_reason: str | None


def _escalation(row: EscalationRow) -> Escalation:
    return Escalation(
        row.id, row.incident_id, policy_from_json(row.policy, row.definition), row.started_at, row.started_by,
        row.reason, row.stopped_at, row.stop_reason,
    )  # fmt: skip


def start_escalation(
    session: Session, incident_id: int, policy: Policy, by: str, reason: str, now: datetime
) -> tuple[Escalation, bool]:
    """Start `policy` for the incident; (the escalation, False) when it is already running for it."""
    incident = session.scalars(
        select(IncidentRow).where(IncidentRow.id == incident_id).with_for_update()
    ).one_or_none()
    if incident is None:
        raise UnknownIncident(incident_id)
    running = session.scalars(
        select(EscalationRow).where(
            EscalationRow.incident_id == incident_id,
            EscalationRow.policy == policy.name,
            EscalationRow.stopped_at.is_(None),
        )
    ).first()
    if running is not None:
        return _escalation(running), False
    row = EscalationRow(
        incident_id=incident_id, policy=policy.name, definition=policy_to_json(policy), started_at=now,
        started_by=by, reason=reason,
    )  # fmt: skip
    session.add(row)
    session.flush()
    why = "its acknowledge clock breached" if reason == "auto" else f"paged by {by}"
    add_timeline(session, incident_id, now, "escalation", f"Escalation policy {policy.name} started: {why}",
                 actor=by)  # fmt: skip
    record_change(session, "incident", now, incident_id=incident_id)
    return _escalation(row), True


def paging_in_use(session: Session) -> bool:
    """Is there a policy, a running escalation or a page still to send or follow?"""
    for query in (
        select(PolicyRow.name).limit(1),
        select(EscalationRow.id).where(EscalationRow.stopped_at.is_(None)).limit(1),
        select(PageRow.id).where(PageRow.status.in_(("queued", "retrying", "sending"))).limit(1),
        select(PageRow.id).where(PageRow.status == "sent", PageRow.provider_id.is_not(None)).limit(1),
    ):
        if session.scalar(query) is not None:
            return True
    return False


def has_escalated(session: Session, incident_id: int) -> bool:
    return (
        session.scalar(select(EscalationRow.id).where(EscalationRow.incident_id == incident_id).limit(1))
        is not None
    )


def never_escalated_unacknowledged(session: Session, detected_before: datetime) -> list[Incident]:
    """Open incidents detected before `detected_before` (their acknowledge clock has run out) that no
    policy ever paged for: the only ones an automatic escalation may start for. One indexed query,
    bounded by what waits for an acknowledge, not by every open incident."""
    escalated = select(EscalationRow.id).where(EscalationRow.incident_id == IncidentRow.id).exists()
    rows = session.scalars(
        select(IncidentRow)
        .where(
            IncidentRow.status == IncidentStatus.OPEN.value,
            IncidentRow.detected_at <= detected_before,
            ~escalated,
        )
        .order_by(IncidentRow.id)
    )
    return [to_incident(row) for row in rows]


def running_escalations(session: Session) -> list[Escalation]:
    rows = session.scalars(
        select(EscalationRow).where(EscalationRow.stopped_at.is_(None)).order_by(EscalationRow.id)
    )
    return [_escalation(row) for row in rows]


def stop_escalation(session: Session, escalation_id: int, why: str, now: datetime) -> bool:
    done = session.execute(
        update(EscalationRow)
        .where(EscalationRow.id == escalation_id, EscalationRow.stopped_at.is_(None))
        .values(stopped_at=now, stop_reason=why)
        .returning(EscalationRow.incident_id)
    ).first()
    if done is None:
        return False
    add_timeline(session, done[0], now, "escalation", f"Escalation stopped: {why}")
    record_change(session, "incident", now, incident_id=done[0])
    return True


# --- pages -----------------------------------------------------------------------------------------
def queue_pages(
    session: Session, escalation: Escalation, planned: Sequence[PlannedPage], now: datetime
) -> int:
    """Write the step's pages once each (their keys); a page that cannot go out is written as failed,
    shown in red, never dropped. Returns how many were new."""
    new = 0
    for page in planned:
        failed = page.problem is not None
        values = {
            "key": page.key, "escalation_id": escalation.id, "incident_id": escalation.incident_id,
            "action": "trigger", "level": page.level + 1, "pass_": page.pass_, "target": page.target,
            "person": page.person, "channel": page.channel.value, "provider": page.provider,
            "address": page.address, "created_at": now, "status": "failed" if failed else "queued",
            "attempts": 0, "next_attempt_at": None if failed else now, "error": page.problem,
        }  # fmt: skip
        inserted = session.execute(insert_or_ignore(session, PageRow, values).returning(PageRow.id)).first()
        if inserted is None:
            continue
        new += 1
        who = page.target if page.person in (None, page.target) else f"{page.person} ({page.target})"
        text = f"Page level {page.level + 1}{_pass_text(page.pass_)}: {who} by {page.channel.value}"
        if failed:
            text += f" — CANNOT SEND: {page.problem}"
        add_timeline(session, escalation.incident_id, now, "page_failed" if failed else "page", text)
    if new:
        record_change(session, "incident", now, incident_id=escalation.incident_id)
    return new


def _pass_text(pass_: int) -> str:
    return f" (repeat {pass_})" if pass_ else ""


def queue_vendor_action(
    session: Session, incident_id: int, provider: str, channel: str, action: str, now: datetime
) -> bool:
    """Tell a vendor holding a trigger for the incident that it was acknowledged or resolved; once."""
    values = {
        "key": f"inc{incident_id}:{provider}:{action}", "escalation_id": None,
        "incident_id": incident_id, "action": action, "level": None, "pass_": None, "target": provider,
        "person": None, "channel": channel, "provider": provider, "address": None, "created_at": now,
        "status": "queued", "attempts": 0, "next_attempt_at": now, "error": None,
    }  # fmt: skip
    return (
        session.execute(insert_or_ignore(session, PageRow, values).returning(PageRow.id)).first() is not None
    )


def vendor_triggers_to_follow(session: Session) -> list[tuple[int, str, str, str]]:
    """(incident, provider, channel, action) for every vendor that holds a trigger of an incident that
    has since been acknowledged or resolved and has not been told yet. One query per action, each
    leaving out what was told already, so the work stays with the incidents still owed a word however
    long the history of pages grows."""
    told = aliased(PageRow)
    wanted: list[tuple[int, str, str, str]] = []
    for action, owed in (
        ("acknowledge", IncidentRow.status != IncidentStatus.OPEN.value),
        ("resolve", IncidentRow.status == IncidentStatus.RESOLVED.value),
    ):
        already = exists().where(
            told.incident_id == PageRow.incident_id, told.provider == PageRow.provider, told.action == action
        )
        rows = session.execute(
            select(PageRow.incident_id, PageRow.provider, PageRow.channel)
            .join(IncidentRow, IncidentRow.id == PageRow.incident_id)
            .where(
                PageRow.action == "trigger",
                PageRow.status == "sent",
                PageRow.provider.is_not(None),
                PageRow.channel.in_((Channel.PAGERDUTY.value, Channel.OPSGENIE.value)),
                owed,
                ~already,
            )
            .distinct()
            .order_by(PageRow.incident_id)
        ).all()
        wanted += [(incident_id, provider or "", channel, action) for incident_id, provider, channel in rows]
    return wanted


def claim_due(session: Session, now: datetime, limit: int = 50) -> list[PageRow]:
    """The pages due to go out now, oldest first, marked "sending" (a lost claim is retried later)."""
    session.execute(
        update(PageRow)
        .where(PageRow.status == "sending", PageRow.next_attempt_at <= now - STALE_SENDING)
        .values(status="retrying", error="the sender stopped before the vendor answered; sending again")
    )
    rows = session.scalars(
        select(PageRow)
        .where(PageRow.status.in_(("queued", "retrying")), PageRow.next_attempt_at <= now)
        .order_by(PageRow.id)
        .limit(limit)
        .with_for_update()
    ).all()
    for row in rows:
        row.status = "sending"
        row.attempts += 1
        row.next_attempt_at = now
    session.flush()
    for row in rows:
        session.expunge(row)
    return list(rows)


def record_attempt(
    session: Session, page_id: int, outcome: str, now: datetime, *, provider_id: str | None = None,
    delivery: str | None = None, error: str | None = None, retry_at: datetime | None = None,
) -> None:  # fmt: skip
    """The vendor's answer: "accepted", "retry" (again at `retry_at`) or "failed"; on the timeline."""
    row = session.get(PageRow, page_id, with_for_update=True)
    if row is None or row.status != "sending":
        return  # another sender's answer came first (a stale claim taken over)
    if outcome == "accepted":
        row.status, row.sent_at, row.provider_id, row.delivery, row.error = (
            "sent",
            now,
            provider_id,
            delivery,
            None,
        )
    elif outcome == "retry":
        row.status, row.next_attempt_at, row.error = "retrying", retry_at, error
    else:
        row.status, row.error = "failed", error
    what = row.action if row.action != "trigger" else f"page level {row.level}"
    who = row.person or row.target
    if outcome == "accepted":
        text = f"{what.capitalize()}: {who} by {row.channel} — accepted by {row.provider}"
        kind = "page_sent"
    elif outcome == "retry":
        text = (
            f"{what.capitalize()}: {who} by {row.channel} — not taken by {row.provider} ({error}); retrying"
        )
        kind = "page_retry"
    else:
        text = f"{what.capitalize()}: {who} by {row.channel} — FAILED at {row.provider}: {error}"
        kind = "page_failed"
    if outcome != "retry" or row.attempts <= 1 or row.attempts % 5 == 0:  # a long outage: not every retry
        add_timeline(session, row.incident_id, now, kind, text)
    record_change(session, "incident", now, incident_id=row.incident_id)


def record_delivery(session: Session, page_id: int, delivery: str, error: str | None, now: datetime) -> None:
    row = session.get(PageRow, page_id, with_for_update=True)
    if row is None:
        return
    row.delivery_checked_at = now
    if delivery != row.delivery:
        row.delivery = delivery
        if error:
            row.error = error
        text = f"Page to {row.person or row.target} by {row.channel}: {delivery}" + (
            f" ({error})" if error else ""
        )
        add_timeline(session, row.incident_id, now, "page_failed" if error else "page_delivery", text)
        record_change(session, "incident", now, incident_id=row.incident_id)


def deliveries_to_check(
    session: Session, now: datetime, every: timedelta, within: timedelta
) -> list[PageRow]:
    rows = session.scalars(
        select(PageRow).where(
            PageRow.status == "sent",
            PageRow.provider_id.is_not(None),
            PageRow.sent_at >= now - within,
            (PageRow.delivery_checked_at.is_(None)) | (PageRow.delivery_checked_at <= now - every),
        )
    ).all()
    for row in rows:
        session.expunge(row)
    return list(rows)


def pages_of(session: Session, incident_id: int) -> list[PageRow]:
    rows = session.scalars(
        select(PageRow).where(PageRow.incident_id == incident_id).order_by(PageRow.id)
    ).all()
    for row in rows:
        session.expunge(row)
    return list(rows)


# --- editing the directory in the console ---------------------------------------------------------
class DirectoryConflict(ValueError):
    """An edit that would leave a reference dangling (a person still on a schedule, say)."""


def save_person(session: Session, person: Person, now: datetime, *, original: str | None = None) -> None:
    """Create or update a person (made in the console from now on: a config import leaves it alone).
    Renaming (`original`) follows the name into schedules and policies."""
    if original is not None and original != person.name:
        if session.get(PersonRow, person.name) is not None:
            raise DirectoryConflict(f"name: {person.name!r} exists already")
        old = session.get(PersonRow, original)
        if old is not None:
            session.delete(old)
            session.flush()
        _rename_target(session, original, person.name, now)
    _save_from_console(session, PersonRow, person.name, _person_values(person), now)


def delete_person(session: Session, name: str, now: datetime) -> None:
    users = [
        f"schedule {row.name}"
        for row in session.scalars(select(ScheduleRow))
        if name in row.people or any(o["person"] == name for o in row.overrides)
    ]
    users += [
        f"policy {row.name}"
        for row in session.scalars(select(PolicyRow))
        if any(name in level["targets"] for level in row.definition["levels"])
    ]
    if users:
        raise DirectoryConflict(f"{name} is still on {', '.join(users)}: take them off first")
    row = session.get(PersonRow, name)
    if row is not None:
        session.delete(row)
    record_change(session, "directory", now)


def save_schedule(session: Session, schedule: Schedule, now: datetime) -> None:
    known = set(session.scalars(select(PersonRow.name)))
    for person in (*schedule.people, *(o.person for o in schedule.overrides)):
        if person not in known:
            raise DirectoryConflict(f"people: {person!r} is not a person yet: add them first")
    _save_from_console(session, ScheduleRow, schedule.name, _schedule_values(schedule), now)


def save_policy(session: Session, policy: Policy, providers: Iterable[str], now: datetime) -> None:
    from noc_console.domain.inputs import InvalidInput
    from noc_console.domain.paging import check_policy_targets

    people = list(session.scalars(select(PersonRow.name)))
    schedules = list(session.scalars(select(ScheduleRow.name)))
    try:
        check_policy_targets("policy", policy, people, schedules, {name: frozenset() for name in providers})
    except InvalidInput as exc:
        raise DirectoryConflict(f"levels: {exc.problem}") from None
    _save_from_console(session, PolicyRow, policy.name, {"definition": policy_to_json(policy)}, now)


def _person_values(person: Person) -> dict[str, Any]:
    return {"phone": person.phone, "whatsapp": person.whatsapp, "email": person.email, "chat": person.chat}


def _schedule_values(schedule: Schedule) -> dict[str, Any]:
    return {
        "time_zone": schedule.time_zone, "rotation": schedule.rotation.value,
        "handoff": f"{schedule.handoff:%H:%M}", "people": list(schedule.people),
        "overrides": [{"person": o.person, "from": o.starts_at.isoformat(), "to": o.ends_at.isoformat()}
                      for o in schedule.overrides],
    }  # fmt: skip


def _save_from_console(
    session: Session, model: Any, name: str, values: dict[str, Any], now: datetime
) -> None:
    """Create or update a directory entry; it is the console's from now on (imports leave it alone)."""
    row = session.get(model, name)
    if row is None:
        session.add(model(name=name, origin="console", updated_at=now, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.origin, row.updated_at = "console", now
    record_change(session, "directory", now)


def _rename_target(session: Session, old: str, new: str, now: datetime) -> None:
    for schedule in session.scalars(select(ScheduleRow)):
        if old in schedule.people or any(o["person"] == old for o in schedule.overrides):
            schedule.people = [new if p == old else p for p in schedule.people]
            schedule.overrides = [
                {**o, "person": new if o["person"] == old else o["person"]} for o in schedule.overrides
            ]
            schedule.origin, schedule.updated_at = "console", now
    for policy in session.scalars(select(PolicyRow)):
        levels = policy.definition["levels"]
        if any(old in level["targets"] for level in levels):
            renamed = [{**lv, "targets": [new if t == old else t for t in lv["targets"]]} for lv in levels]
            policy.definition = {**policy.definition, "levels": renamed}
            policy.origin, policy.updated_at = "console", now
