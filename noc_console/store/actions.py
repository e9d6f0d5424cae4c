"""Carries out an OperatorAction in the caller's transaction and says, in one line, what happened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.store import repository as repo


def perform(session: Session, action: OperatorAction, now: datetime) -> str:
    """Do it (after `action.validate()`); UnknownIncident or InvalidInput when it cannot be done."""
    action.validate()
    i, by = action.incident_id, action.by
    match action.kind:
        case ActionKind.ACKNOWLEDGE:
            outcome = repo.acknowledge(session, i, by, now)
            return f"{outcome.describe('acknowledged')}: {outcome.incident.title}"
        case ActionKind.RESOLVE:
            wrong = action.false_positive
            outcome = repo.resolve(session, i, by, now, note=action.text, false_positive=wrong)
            how = " (false positive)" if outcome.done and wrong else ""
            return f"{outcome.describe('resolved')}{how}: {outcome.incident.title}"
        case ActionKind.ASSIGN:
            incident = repo.assign(session, i, action.to or "", by, now)
            return f"#{incident.id} assigned to {incident.assigned_to}"
        case ActionKind.NOTE:
            repo.add_note(session, i, by, action.text or "", now)
            return f"#{i} note added by {by}"
        case ActionKind.ASSESS:
            repo.record_assessment(
                session,
                i,
                by,
                now,
                users_affected=action.users,
                services_affected=action.services,
                business_impact=action.impact,
                text_=action.text,
            )
            return f"#{i} assessment recorded by {by}"
        case ActionKind.UPDATE:
            repo.log_customer_update(session, i, by, now, action.text or "", action.channel)
            return f"#{i} customer update logged ({action.channel}) by {by}"
