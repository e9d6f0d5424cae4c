"""Health of each monitoring source, as the engine last saw it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source is stale when its last fetch failed: its alerts may be out of date."""

    name: str
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    stale: bool
    alert_count: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change sequence: something a screen shows has changed."""

    seq: int
    at: datetime
    kind: str  # "incident" | "source" | "poller"
    incident_id: int | None
    source: str | None


@dataclass(frozen=True, slots=True)
class PollerStatus:
    """Who holds the poller lease, and when it last proved it was alive."""

    holder: str
    pid: int
    host: str
    acquired_at: datetime
    beat_at: datetime

    def alive(self, now: datetime, lease_s: float) -> bool:
        return (now - self.beat_at).total_seconds() < lease_s
