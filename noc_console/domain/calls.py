"""Customer phone reports: what the helpdesk types, checked before anything is written or queued.

A call is made on the desk as a `CallDraft` with an ID of its own (a UUID), so saving it twice (a retry
after a lost answer, an outbox synced after a crash) stores it once. `checked()` applies the same rules
wherever the call comes from (the console's form, `call add`, the outbox) and names the field at fault.

Callers' names, organisations and numbers are personal data: `Call` keeps them until the call is
anonymised (after the retention period, or at once for a data-protection request); the incident keeps
only that a customer called, and when.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

import phonenumbers

from noc_console.domain import inputs
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import BusinessImpact, Incident
from noc_console.domain.severity import Severity

MAX_CALLER = 200
MAX_ORGANISATION = 200
MAX_SERVICE = 200
MAX_SUMMARY = 5_000
MAX_PHONE_TYPED = 40  # as typed, with spaces and dashes; the stored E.164 form is at most 16
MAX_TITLE = 500
TITLE_FROM_SUMMARY = 120  # a new incident's title, when none is given: the summary's start


class Callback(StrEnum):
    """How the caller wants to hear from us."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    NONE = "none"


class Placement(StrEnum):
    """Where a call goes: the agent's choice in the form, or the best match (`call add`)."""

    BEST_MATCH = "best-match"  # attach to the best open match above the threshold, else open a new one
    ATTACH = "attach"  # attach to `attach_to` (a new incident if it resolved meanwhile)
    NEW = "new"  # open a new customer-detected incident


def new_call_id() -> str:
    return str(uuid.uuid4())


class InvalidPhone(inputs.InvalidInput):
    """A phone number that is empty, too long, or not a number of any country."""


def normalise_phone(field: str, typed: str | None, default_region: str) -> str:
    """The number in E.164 (+447700900123), or InvalidInput naming `field`."""
    value = (typed or "").strip()
    if not value:
        raise InvalidPhone(field, translate("domain.calls", "must not be empty"))
    if len(value) > MAX_PHONE_TYPED:
        problem = translate("domain.calls", "at most {limit} characters, not {length}")
        raise InvalidPhone(field, problem.format(limit=MAX_PHONE_TYPED, length=len(value)))
    region = default_region.upper()
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        if value.startswith("+"):
            problem = translate("domain.calls", "{value} is not a phone number")
        elif region:
            problem = translate("domain.calls", "{value} is not a phone number (read as a {region} number)")
        else:
            problem = translate(
                "domain.calls",
                "{value} is not a phone number"
                " (start it with +country code, or set [helpdesk] default_region)",
            )
        raise InvalidPhone(field, problem.format(value=repr(value), region=region)) from None
    # Possible (the right length for its country), not necessarily valid: a number in a range that
    # libphonenumber does not know as assigned (a new range, the reserved drama numbers) is still a
    # caller's number; the form points it out (`phone_doubt`) without refusing it.
    if not phonenumbers.is_possible_number(number):
        country = phonenumbers.region_code_for_number(number) or region
        if country:
            problem = translate("domain.calls", "{value} is not a valid {country} phone number")
        else:
            problem = translate("domain.calls", "{value} is not a valid phone number")
        raise InvalidPhone(field, problem.format(value=repr(value), country=country))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_doubt(e164: str) -> str | None:
    """Why a stored number may be mistyped (not in an assigned range), or None."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return translate("domain.calls", "not a phone number")
    if phonenumbers.is_valid_number(number):
        return None
    doubt = translate(
        "domain.calls", "{phone} is not in a range known to be assigned: check it with the caller"
    )
    return doubt.format(phone=display_phone(e164))


def display_phone(e164: str | None) -> str:
    """A stored number as people read it (+44 7700 900123)."""
    if not e164:
        return "—"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def valid_region(region: str) -> bool:
    return region.upper() in phonenumbers.SUPPORTED_REGIONS


@dataclass(frozen=True, slots=True)
class CallDraft:
    """One phone report as the desk took it. `received_at` is the desk's time of the call (a queued call
    keeps it). Required: caller, phone, service, summary (and who took it)."""

    call_id: str
    caller: str
    phone: str
    service: str | None
    summary: str
    taken_by: str
    received_at: datetime
    organisation: str | None = None
    callback: str = Callback.PHONE.value
    started_at: datetime | None = None
    users_affected: int | None = None
    impact: str | None = None
    placement: str = Placement.BEST_MATCH.value
    attach_to: int | None = None
    severity: str | None = None  # for a new incident: the suggestion or the agent's choice
    title: str | None = None  # for a new incident; the summary's start when not given

    def checked(self, default_region: str) -> CallDraft:
        """The same call, trimmed and normalised (the phone in E.164); InvalidInput names the field."""
        try:
            uuid.UUID(self.call_id)
        except (ValueError, AttributeError, TypeError):
            problem = translate("domain.calls", "{value} is not a UUID").format(value=repr(self.call_id))
            raise inputs.InvalidInput("call_id", problem) from None
        caller = inputs.text("caller", self.caller, MAX_CALLER)
        service = inputs.text("service", self.service, MAX_SERVICE)
        summary = inputs.text("summary", self.summary, MAX_SUMMARY)
        taken_by = inputs.name("by", self.taken_by)
        phone = normalise_phone("phone", self.phone, default_region)
        organisation = inputs.text("org", self.organisation, MAX_ORGANISATION, required=False)
        inputs.choice("callback", self.callback, Callback)
        inputs.count("users_affected", self.users_affected)
        inputs.choice("impact", self.impact, BusinessImpact)
        placement = inputs.choice("placement", self.placement, Placement)
        if placement is Placement.ATTACH and self.attach_to is None:
            raise inputs.InvalidInput(
                "attach_to", translate("domain.calls", "must name the incident to attach the call to")
            )
        inputs.choice("severity", self.severity, Severity)
        title = inputs.text("title", self.title, MAX_TITLE, required=False)
        if self.started_at is not None:
            if self.started_at.tzinfo is None:
                raise inputs.InvalidInput("started_at", translate("domain.calls", "must carry a time zone"))
            if self.started_at > self.received_at + timedelta(minutes=5):
                raise inputs.InvalidInput("started_at", translate("domain.calls", "is after the call"))
        assert caller is not None and service is not None and summary is not None  # required above
        return replace(
            self,
            caller=caller,
            phone=phone,
            service=service,
            summary=summary,
            taken_by=taken_by,
            organisation=organisation,
            title=title,
        )

    @property
    def new_incident_title(self) -> str:
        if self.title:
            return self.title
        summary = self.summary.strip()
        first_line = summary.splitlines()[0] if summary else translate("domain.calls", "Customer report")
        if len(first_line) <= TITLE_FROM_SUMMARY:
            return first_line
        return first_line[: TITLE_FROM_SUMMARY - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class CallUpdate:
    """What one caller was told, and when."""

    at: datetime
    channel: str
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class Call:
    """A stored call. Personal data (caller, organisation, phone) is None once anonymised."""

    id: str
    incident_id: int
    received_at: datetime
    logged_at: datetime
    taken_by: str
    caller: str | None
    organisation: str | None
    phone: str | None
    callback: str
    service: str | None
    summary: str
    started_at: datetime | None
    users_affected: int | None
    impact: str | None
    attached: bool  # it joined an incident we already had
    customer_ack_due_at: datetime
    customer_acked_at: datetime | None = None
    customer_acked_by: str | None = None
    anonymised_at: datetime | None = None
    updates: tuple[CallUpdate, ...] = ()

    @property
    def last_told(self) -> CallUpdate | None:
        return self.updates[-1] if self.updates else None


@dataclass(frozen=True, slots=True)
class CallOutcome:
    """Where a call went: `attached` to an incident we had, or a new customer-detected one; `note` says
    anything the agent should know (the chosen incident had resolved meanwhile)."""

    call_id: str
    incident_id: int
    attached: bool
    duplicate: bool = False  # this call ID was already stored: nothing was written
    note: str | None = None


def detection_lead(first_call_at: datetime | None, monitoring_at: datetime | None) -> timedelta | None:
    """By how long our monitoring was ahead of the first caller (negative: behind); None when either
    side never happened."""
    if first_call_at is None or monitoring_at is None:
        return None
    return first_call_at - monitoring_at


def describe_lead(lead: timedelta, stored: bool = False) -> str:
    """Who was first and by how much, for the operator; with `stored`, in the source language, for the
    timeline (one record for a floor whose desks may speak different languages)."""
    minutes = abs(lead.total_seconds()) / 60
    amount = f"{minutes:.0f} min" if minutes >= 1 else f"{abs(lead.total_seconds()):.0f} s"
    if lead >= timedelta(0):
        verdict = QT_TRANSLATE_NOOP("domain.calls", "our monitoring was {amount} ahead of the first caller")
    else:
        verdict = QT_TRANSLATE_NOOP(
            "domain.calls", "our monitoring detected it {amount} after the first caller"
        )
    return (verdict if stored else translate("domain.calls", verdict)).format(amount=amount)


def _clock(at: datetime) -> str:
    return f"{at.astimezone():%H:%M}"


def acknowledgement_text(
    call: Call,
    incident: Incident,
    next_update_due: datetime | None,
    clock: Callable[[datetime], str] = _clock,
) -> str:
    """What the agent reads out (or sends) to close the caller's acknowledge clock; `clock` writes a
    time of day (the console passes the locale's)."""
    if call.caller:
        hello = translate("domain.calls", "Hello {name}, thank you for calling.").format(name=call.caller)
    else:
        hello = translate("domain.calls", "Hello there, thank you for calling.")
    logged = translate("domain.calls", "Your report is logged with incident #{id}: {title}.")
    lines = [hello, logged.format(id=incident.id, title=incident.title)]
    if not call.attached:
        lines.append(
            translate(
                "domain.calls", "We have opened it as a new incident and our engineers are looking at it now."
            )
        )
    elif incident.acknowledged_at is not None:
        if incident.owner:
            working = translate("domain.calls", "Our engineers ({owner}) are working on it since {time}.")
        else:
            working = translate("domain.calls", "Our engineers are working on it since {time}.")
        lines.append(working.format(owner=incident.owner, time=clock(incident.acknowledged_at)))
    else:
        if incident.owner:
            working = translate("domain.calls", "Our engineers ({owner}) are working on it now.")
        else:
            working = translate("domain.calls", "Our engineers are working on it now.")
        lines.append(working.format(owner=incident.owner))
    if next_update_due is not None:
        if call.callback == Callback.PHONE:
            update = translate("domain.calls", "We will update you by phone by {time}.")
        elif call.callback == Callback.SMS:
            update = translate("domain.calls", "We will update you by text message by {time}.")
        elif call.callback == Callback.EMAIL:
            update = translate("domain.calls", "We will update you by e-mail by {time}.")
        else:
            update = translate("domain.calls", "Our next update is due by {time}.")
        lines.append(update.format(time=clock(next_update_due)))
    return " ".join(lines)


# "25 min ago", "2 h", and the Spanish the translated form asks for: "hace 25 min", "hace 2 horas".
_AGO = re.compile(
    r"^(?:hace\s+)?(\d{1,4})\s*(m|min|mins|minutes?|minutos?|h|hr|hrs|hours?|horas?)\s*(ago)?$", re.IGNORECASE
)
_CLOCK = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


def parse_started(field: str, typed: str, now: datetime) -> datetime | None:
    """When it started for the caller, as an agent types it: "10:42" (the latest such time not after
    `now`, in `now`'s time zone), "25 min ago", "2 h ago" (or in Spanish: "hace 25 min"), or ISO 8601.
    Empty: unknown."""
    text = typed.strip()
    if not text:
        return None
    if match := _AGO.match(text):
        amount = int(match.group(1))
        unit = timedelta(hours=1) if match.group(2).lower().startswith("h") else timedelta(minutes=1)
        return now - amount * unit
    if match := _CLOCK.match(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise inputs.InvalidInput(
                field, translate("domain.calls", "{typed} is not a time of day").format(typed=repr(typed))
            )
        at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return at - timedelta(days=1) if at > now else at
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        problem = translate("domain.calls", "{typed} is not a time (10:42, 25 min ago, or 2026-11-27T10:42)")
        raise inputs.InvalidInput(field, problem.format(typed=repr(typed))) from None
    return at if at.tzinfo is not None else at.replace(tzinfo=now.tzinfo)
