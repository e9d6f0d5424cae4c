"""Incidents: what the operators work on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.severity import Severity


class IncidentStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"

    @property
    def display_label(self) -> str:
        """What a screen calls it ('OPEN'), in the window's language; the value stays the data."""
        return translate("domain.incidents", _STATUS_LABELS[self])


class BusinessImpact(StrEnum):
    """What the incident does to the business, from the initial assessment or a caller."""

    NONE = "none"
    DEGRADED = "degraded"
    DOWN = "down"

    @property
    def display_label(self) -> str:
        """What a screen calls it ('degraded'), in the window's language."""
        return translate("domain.incidents", _IMPACT_LABELS[self])


class UpdateChannel(StrEnum):
    """How a customer update went out."""

    PHONE = "phone"
    EMAIL = "email"
    SMS = "sms"
    STATUS_PAGE = "status-page"

    @property
    def display_label(self) -> str:
        """What a screen calls it ('status page'), in the window's language."""
        return translate("domain.incidents", _CHANNEL_LABELS[self])


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of an incident's history: alerts fired and cleared, acks, notes, updates, breaches."""

    at: datetime
    kind: str
    by: str
    text: str


# What a timeline calls each kind of entry. The kind is stored data, and so is the entry's text (written in
# the source language by whichever process recorded it, shown as stored); the kind's label is translated.
TIMELINE_KINDS = {
    "ack": QT_TRANSLATE_NOOP("domain.incidents", "ack"),
    "alert_cleared": QT_TRANSLATE_NOOP("domain.incidents", "alert cleared"),
    "alert_fired": QT_TRANSLATE_NOOP("domain.incidents", "alert fired"),
    "alert_pending": QT_TRANSLATE_NOOP("domain.incidents", "alert pending"),
    "alerts_detached": QT_TRANSLATE_NOOP("domain.incidents", "alerts detached"),
    "assessment": QT_TRANSLATE_NOOP("domain.incidents", "assessment"),
    "assign": QT_TRANSLATE_NOOP("domain.incidents", "assign"),
    "call": QT_TRANSLATE_NOOP("domain.incidents", "call"),
    "caller_ack": QT_TRANSLATE_NOOP("domain.incidents", "caller ack"),
    "customer_update": QT_TRANSLATE_NOOP("domain.incidents", "customer update"),
    "detection_race": QT_TRANSLATE_NOOP("domain.incidents", "detection race"),
    "escalation": QT_TRANSLATE_NOOP("domain.incidents", "escalation"),
    "exec_report": QT_TRANSLATE_NOOP("domain.incidents", "exec report"),
    "flap_settled": QT_TRANSLATE_NOOP("domain.incidents", "stopped flapping"),
    "flapping": QT_TRANSLATE_NOOP("domain.incidents", "flapping"),
    "needs_review": QT_TRANSLATE_NOOP("domain.incidents", "needs review"),
    "note": QT_TRANSLATE_NOOP("domain.incidents", "note"),
    "opened": QT_TRANSLATE_NOOP("domain.incidents", "opened"),
    "orphaned": QT_TRANSLATE_NOOP("domain.incidents", "orphaned"),
    "page": QT_TRANSLATE_NOOP("domain.incidents", "page"),
    "page_delivery": QT_TRANSLATE_NOOP("domain.incidents", "page delivery"),
    "page_failed": QT_TRANSLATE_NOOP("domain.incidents", "page failed"),
    "page_retry": QT_TRANSLATE_NOOP("domain.incidents", "page retry"),
    "page_sent": QT_TRANSLATE_NOOP("domain.incidents", "page sent"),
    "postmortem": QT_TRANSLATE_NOOP("domain.incidents", "postmortem"),
    "resolve": QT_TRANSLATE_NOOP("domain.incidents", "resolve"),
    "severity": QT_TRANSLATE_NOOP("domain.incidents", "severity"),
    "sla_breach": QT_TRANSLATE_NOOP("domain.incidents", "sla breach"),
}


def timeline_kind(kind: str) -> str:
    """A kind of timeline entry in words, in the installed language ('alert_fired': 'alert fired');
    a kind this release does not know, as stored."""
    known = TIMELINE_KINDS.get(kind)
    return translate("domain.incidents", known) if known is not None else kind.replace("_", " ")


class DetectionSource(StrEnum):
    """Who noticed first: our monitoring, our synthetic checks, or a customer."""

    MONITORING = "monitoring"
    SYNTHETIC = "synthetic"
    CUSTOMER = "customer"

    @property
    def display_label(self) -> str:
        """What a screen calls it ('monitoring'), in the window's language; the value stays the data."""
        return translate("domain.incidents", _DETECTION_LABELS[self])


# What screens call the values above, translated where shown (the values are data: stored, compared).
_STATUS_LABELS = {
    IncidentStatus.OPEN: QT_TRANSLATE_NOOP("domain.incidents", "OPEN"),
    IncidentStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("domain.incidents", "ACKNOWLEDGED"),
    IncidentStatus.RESOLVED: QT_TRANSLATE_NOOP("domain.incidents", "RESOLVED"),
}
_IMPACT_LABELS = {
    BusinessImpact.NONE: QT_TRANSLATE_NOOP("domain.incidents", "none"),
    BusinessImpact.DEGRADED: QT_TRANSLATE_NOOP("domain.incidents", "degraded"),
    BusinessImpact.DOWN: QT_TRANSLATE_NOOP("domain.incidents", "down"),
}
_CHANNEL_LABELS = {
    UpdateChannel.PHONE: QT_TRANSLATE_NOOP("domain.incidents", "phone"),
    UpdateChannel.EMAIL: QT_TRANSLATE_NOOP("domain.incidents", "email"),
    UpdateChannel.SMS: QT_TRANSLATE_NOOP("domain.incidents", "SMS"),
    UpdateChannel.STATUS_PAGE: QT_TRANSLATE_NOOP("domain.incidents", "status page"),
}
_DETECTION_LABELS = {
    DetectionSource.MONITORING: QT_TRANSLATE_NOOP("domain.incidents", "monitoring"),
    DetectionSource.SYNTHETIC: QT_TRANSLATE_NOOP("domain.incidents", "synthetic"),
    DetectionSource.CUSTOMER: QT_TRANSLATE_NOOP("domain.incidents", "customer"),
}


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident. Three times are kept apart, because the metrics need each:

    - `impact_started_at`: when the trouble began, as the source saw it (the first alert's start);
    - `detected_at`: when we first knew (the fetch that first saw it, or the customer's call); the SLA
      clocks start here;
    - `opened_at`: when the incident was written.
    """

    id: int
    title: str
    severity: Severity
    status: IncidentStatus
    service: str | None
    detected_by: DetectionSource
    source: str | None
    opened_at: datetime
    detected_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    assessed_at: datetime | None = None
    last_customer_update_at: datetime | None = None
    alert_count: int = 0
    firing_count: int = 0
    call_count: int = 0
    impact_started_at: datetime | None = None
    # Every firing alert is absent at its source: the incident resolves at this time unless one fires again.
    clearing_at: datetime | None = None
    # Firing alerts that are silenced or inhibited at their source.
    suppressed_count: int = 0
    # Every firing alert belongs to a source that is no longer configured: nothing will ever resolve it.
    orphaned: bool = False
    assigned_to: str | None = None
    # Resolved as a false positive: counted against monitoring's precision, owes no post-mortem.
    false_positive: bool = False
    # Opened and cleared while nobody acknowledged it: someone must look, even though it is over.
    needs_review: bool = False
    postmortem_done_at: datetime | None = None
    exec_report_done_at: datetime | None = None
    # The initial assessment (assessed_at says when): users and services affected, business impact.
    users_affected: int | None = None
    services_affected: str | None = None
    business_impact: BusinessImpact | None = None
    # The detection race: when our monitoring first saw it, when the first customer called.
    monitoring_detected_at: datetime | None = None
    first_call_at: datetime | None = None
    # When the longest-waiting caller not yet acknowledged must be (None: every caller was).
    caller_ack_due_at: datetime | None = None
    # Since when one of its alerts flaps (domain.flapping): held open, no alarm for each change.
    flapping_since: datetime | None = None

    @property
    def owner(self) -> str | None:
        """Who has it: the assignee, else whoever acknowledged it."""
        return self.assigned_to or self.acknowledged_by

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.RESOLVED

    @property
    def flapping(self) -> bool:
        """Open and held open because an alert of it flaps (a resolved one flaps no more)."""
        return self.flapping_since is not None and self.is_open
