"""Carries out an OperatorAction in the caller's transaction and says, in one line, what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from noc_console.domain.actions import ActionKind, OperatorAction
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
            return Performed(f"{outcome.describe('acknowledged')}: {outcome.incident.title}", outcome.done)
        case ActionKind.RESOLVE:
            wrong = action.false_positive
            outcome = repo.resolve(session, i, by, now, note=action.text, false_positive=wrong)
            how = " (false positive)" if outcome.done and wrong else ""
            return Performed(f"{outcome.describe('resolved')}{how}: {outcome.incident.title}", outcome.done)
        case ActionKind.ASSIGN:
            outcome = repo.assign(session, i, action.to or "", by, now, seen=action.seen)
            if not outcome.done:
                return Performed(outcome.describe("assigned"), False)
            return Performed(f"#{i} assigned to {outcome.incident.assigned_to}", True)
        case ActionKind.NOTE:
            repo.add_note(session, i, by, action.text or "", now)
            return Performed(f"#{i} note added by {by}", True)
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
            return Performed(f"#{i} assessment recorded by {by}", True)
        case ActionKind.PAGE:
            return _page(session, action, now)
        case ActionKind.UPDATE:
            repo.log_customer_update(session, i, by, now, action.text or "", action.channel)
            return Performed(f"#{i} customer update logged ({action.channel}) by {by}", True)


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
            return Performed(f"Not paged: no escalation policy {action.policy!r}", False)
    else:
        policy = policy_for(policies, incident)
        if policy is None:
            return Performed(f"Not paged: no escalation policy applies to #{incident.id}; choose one", False)
    escalation, started = start_escalation(session, incident.id, policy, action.by, "manual", now)
    if not started:
        return Performed(f"#{incident.id}: {policy.name} is already paging (since "
                         f"{escalation.started_at.astimezone():%H:%M})", False)  # fmt: skip
    return Performed(f"#{incident.id}: paging with {policy.name}", True)
