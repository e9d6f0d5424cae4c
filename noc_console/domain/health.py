"""Health of each monitoring source, judged from time by whoever reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# A source is stale (blind) when it has not answered successfully for this many of its intervals.
STALE_AFTER_INTERVALS = 3


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """What the engine last recorded about one source. Staleness is judged by the reader, from time.

    A flag written by the poller would never be written by a poller that has died, hung or lost its
    database; times keep telling the truth: a source is stale when its last fetch failed or when its
    last success is older than `STALE_AFTER_INTERVALS` of its intervals.
    """

    name: str
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    alert_count: int
    updated_at: datetime
    interval_s: float
    # Of `alert_count`, those pending at the source (Prometheus): shown, opening nothing until they fire.
    pending_count: int = 0
    # The last success's warning: answering, but not fully (a member of an HA pair down). Not blind.
    warning: str | None = None

    def degraded(self, now: datetime) -> bool:
        """Answering, not stale, but with a warning the operator must see."""
        return bool(self.warning) and not self.is_stale(now)

    def last_fetch_failed(self) -> bool:
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at >= self.last_success_at

    def is_stale(self, now: datetime) -> bool:
        """True when what we show of this source may be out of date. `now` is the database's clock."""
        if self.last_fetch_failed():
            return True
        limit = STALE_AFTER_INTERVALS * self.interval_s
        since = self.last_success_at or self.updated_at  # a new source gets that long for its first answer
        return (now - since).total_seconds() > limit
