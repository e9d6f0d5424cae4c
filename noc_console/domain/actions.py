"""What an operator does to an incident, as data: the console, the wall and the command line build one
`OperatorAction`, check it with the store's own rules, and hand it to `store.actions.perform`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from noc_console.domain import inputs
from noc_console.domain.incidents import BusinessImpact, UpdateChannel


class ActionKind(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    NOTE = "note"
    ASSESS = "assess"
    UPDATE = "update"  # a customer update
    RESOLVE = "resolve"


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
            case ActionKind.ACKNOWLEDGE:
                pass
