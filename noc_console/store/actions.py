"""Carries out an OperatorAction in the caller's transaction and says, in one line, what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.i18n import translate
from noc_console.domain.incidents import UpdateChannel
from noc_console.store import repository as repo


@dataclass(frozen=True, slots=True)
class Performed:
    """One line for the operator; `done` is False when nothing changed because the incident had moved
    on (already acknowledged or resolved, or the field a form edits was changed by someone else)."""

    text: str
    done: bool


def perform(session: Session, action: OperatorAction, now: datetime) -> str:
    """Do it (after `action.validate()`) and say what happened; see `carry_out`."""
    return carry_out(session, action, now).text


def carry_out(session: Session, action: OperatorAction, now: datetime) -> Performed:
    """Do it (after `action.validate()`); UnknownIncident or InvalidInput when it cannot be done."""
    action.validate()
    i, by = action.incident_id, action.by
    match action.kind:
        case ActionKind.ACKNOWLEDGE:
            outcome = repo.acknowledge(session, i, by, now)
            said = translate("store.actions", "{outcome}: {title}")
            return Performed(
                said.format(outcome=outcome.describe("acknowledged"), title=outcome.incident.title),
                outcome.done,
            )
        case ActionKind.RESOLVE:
            wrong = action.false_positive
            outcome = repo.resolve(session, i, by, now, note=action.text, false_positive=wrong)
            if outcome.done and wrong:
                said = translate("store.actions", "{outcome} (false positive): {title}")
            else:
                said = translate("store.actions", "{outcome}: {title}")
            return Performed(
                said.format(outcome=outcome.describe("resolved"), title=outcome.incident.title), outcome.done
            )
        case ActionKind.ASSIGN:
            outcome = repo.assign(session, i, action.to or "", by, now, seen=action.seen)
            if not outcome.done:
                return Performed(outcome.describe("assigned"), False)
            said = translate("store.actions", "#{id} assigned to {to}")
            return Performed(said.format(id=i, to=outcome.incident.assigned_to), True)
        case ActionKind.NOTE:
            repo.add_note(session, i, by, action.text or "", now)
            return Performed(translate("store.actions", "#{id} note added by {by}").format(id=i, by=by), True)
        case ActionKind.ASSESS:
            outcome = repo.record_assessment(
                session,
                i,
                by,
                now,
                users_affected=action.users,
                services_affected=action.services,
                business_impact=action.impact,
                text_=action.text,
                seen=action.seen,
            )
            if not outcome.done:
                return Performed(outcome.describe("assessed"), False)
            said = translate("store.actions", "#{id} assessment recorded by {by}")
            return Performed(said.format(id=i, by=by), True)
        case ActionKind.PAGE:
            return _page(session, action, now)
        case ActionKind.UPDATE:
            repo.log_customer_update(session, i, by, now, action.text or "", action.channel)
            said = translate("store.actions", "#{id} customer update logged ({channel}) by {by}")
            channel = UpdateChannel(action.channel).display_label  # (validated above)
            return Performed(said.format(id=i, channel=channel, by=by), True)


def _page(session: Session, action: OperatorAction, now: datetime) -> Performed:
    from noc_console.domain.paging import policy_for
    from noc_console.store.paging import load_directory, start_escalation

    found = repo.get_incidents(session, [action.incident_id])
    if not found:
        raise repo.UnknownIncident(action.incident_id)
    incident = found[0]
    policies = load_directory(session).policies
    if action.policy:
        policy = next((p for p in policies if p.name == action.policy), None)
        if policy is None:
            said = translate("store.actions", "Not paged: no escalation policy {policy}")
            return Performed(said.format(policy=repr(action.policy)), False)
    else:
        policy = policy_for(policies, incident)
        if policy is None:
            said = translate("store.actions", "Not paged: no escalation policy applies to #{id}; choose one")
            return Performed(said.format(id=incident.id), False)
    escalation, started = start_escalation(session, incident.id, policy, action.by, "manual", now)
    if not started:
        said = translate("store.actions", "#{id}: {policy} is already paging (since {time})")
        since = f"{escalation.started_at.astimezone():%H:%M}"
        return Performed(said.format(id=incident.id, policy=policy.name, time=since), False)
    return Performed(
        translate("store.actions", "#{id}: paging with {policy}").format(id=incident.id, policy=policy.name),
        True,
    )
