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


class DetectionSource(StrEnum):
    """Who noticed first: our monitoring, our synthetic checks, or a customer."""

    MONITORING = "monitoring"
    SYNTHETIC = "synthetic"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Incident:
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

    @property
    def is_open(self) -> bool:
        return self.status is not IncidentStatus.RESOLVED
