"""Incidents: what the operators work on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from noc_console.domain.severity import Severity


class IncidentStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class BusinessImpact(StrEnum):
    """What the incident does to the business, from the initial assessment or a caller."""

    NONE = "none"
    DEGRADED = "degraded"
    DOWN = "down"


class UpdateChannel(StrEnum):
    """How a customer update went out."""

    PHONE = "phone"
    EMAIL = "email"
    SMS = "sms"
    STATUS_PAGE = "status-page"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of an incident's history: alerts fired and cleared, acks, notes, updates, breaches."""

    at: datetime
    kind: str
    by: str
    text: str


class DetectionSource(StrEnum):
    """Who noticed first: our monitoring, our synthetic checks, or a customer."""

    MONITORING = "monitoring"
    SYNTHETIC = "synthetic"
    CUSTOMER = "customer"


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

    @property
    def owner(self) -> str | None:
        """Who has it: the assignee, else whoever acknowledged it."""
        return self.assigned_to or self.acknowledged_by

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.RESOLVED
