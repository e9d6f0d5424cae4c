"""Normalized alerts, whatever monitoring system they came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from noc_console.domain.severity import Severity


class AlertState(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as a source reported it; `fingerprint` identifies it within its source."""

    source: str
    fingerprint: str
    labels: Mapping[str, str]
    summary: str
    description: str
    severity: Severity
    starts_at: datetime
    ends_at: datetime | None = None
    state: AlertState = AlertState.FIRING
    silenced: bool = False
    inhibited: bool = False
    service: str | None = None
    generator_url: str | None = None

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "") or self.summary

    def has_ended(self, now: datetime) -> bool:
        """True when the source said the alert is over, or its end time has passed."""
        return self.state is AlertState.RESOLVED or (self.ends_at is not None and self.ends_at <= now)


@dataclass(frozen=True, slots=True)
class AlertSnapshot:
    """Every alert one successful fetch of one source returned, one per fingerprint."""

    source: str
    fetched_at: datetime
    alerts: tuple[Alert, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, source: str, fetched_at: datetime, alerts: Iterable[Alert]) -> AlertSnapshot:
        """Build a snapshot, keeping the last alert of each fingerprint (same fingerprint = one alert)."""
        by_fingerprint: dict[str, Alert] = {}
        for alert in alerts:
            by_fingerprint[alert.fingerprint] = alert
        return cls(source=source, fetched_at=fetched_at, alerts=tuple(by_fingerprint.values()))
