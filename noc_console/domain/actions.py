"""What an operator does to an incident, as data: the console, the wall and the command line build one
`OperatorAction`, check it with the store's own rules, and hand it to `store.actions.perform`.

An edit made in a form carries the incident as the form showed it (`seen`): two operators editing one
field at once never overwrite each other in silence, since the store makes the edit only while that
field is still as the form showed it (`edited_fields`), and otherwise says who changed it meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from noc_console.domain import inputs
from noc_console.domain.incidents import BusinessImpact, Incident, UpdateChannel


class ActionKind(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    NOTE = "note"
    ASSESS = "assess"
    UPDATE = "update"  # a customer update
    RESOLVE = "resolve"
    PAGE = "page"  # start an escalation policy


@dataclass(frozen=True, slots=True)
class OperatorAction:
    """One action on one incident by one person; only the fields its kind uses are read."""

    kind: ActionKind
    incident_id: int
    by: str
    text: str | None = None  # note, update, resolve's note, assessment summary
    to: str | None = None  # assign
    channel: str = UpdateChannel.PHONE.value  # update
    users: int | None = None  # assess
    services: str | None = None  # assess
    impact: str | None = None  # assess
    false_positive: bool = False  # resolve
    policy: str | None = None  # page: the policy to run (None: the one for its service and severity)
    # assign, assess: the incident as the operator's form showed it; None (the command line) edits
    # whatever is there, as the operator said explicitly
    seen: Incident | None = None

    def validate(self) -> None:
        """Raise InvalidInput naming the field, by the same rules the store applies when it writes."""
        inputs.name("by", self.by)
        match self.kind:
            case ActionKind.ASSIGN:
                inputs.name("to", self.to)
            case ActionKind.NOTE:
                inputs.text("text", self.text, inputs.MAX_NOTE)
            case ActionKind.UPDATE:
                inputs.text("text", self.text, inputs.MAX_UPDATE)
                inputs.choice("channel", self.channel, UpdateChannel)
            case ActionKind.ASSESS:
                inputs.count("users", self.users)
                inputs.text("services", self.services, inputs.MAX_SERVICES, required=False)
                inputs.choice("impact", self.impact, BusinessImpact)
                inputs.text("text", self.text, inputs.MAX_NOTE, required=False)
                if self.users is None and not self.services and self.impact is None and not self.text:
                    raise inputs.InvalidInput("assessment", "give at least users, services, impact or text")
            case ActionKind.RESOLVE:
                inputs.text("text", self.text, inputs.MAX_NOTE, required=False)
            case ActionKind.PAGE:
                inputs.text("policy", self.policy, inputs.MAX_NAME, required=False)
            case ActionKind.ACKNOWLEDGE:
                pass


def edited_fields(kind: ActionKind, incident: Incident) -> tuple[object, ...]:
    """What an edit of this kind overwrites, as `incident` has it; empty for the other kinds.

    A form's edit is made only while this is still what the form showed. Acknowledge and resolve need
    no such check: they are conditional on the incident's status already.
    """
    match kind:
        case ActionKind.ASSIGN:
            return (incident.assigned_to,)
        case ActionKind.ASSESS:
            return (
                incident.assessed_at,
                incident.users_affected,
                incident.services_affected,
                incident.business_impact,
            )
        case _:
            return ()
