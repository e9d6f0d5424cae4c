"""The dead man's switch as the screens show it: when the poller last called the heartbeat URL, judged
from time by whoever reads it (a poller that hung or died writes nothing, and only time tells)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from noc_console.domain.i18n import translate
from noc_console.domain.wall import wall_age

# The outside service alarms soon after a ping is missed; the screens go red after this many intervals.
OVERDUE_AFTER_INTERVALS = 2
MAX_REASON = 70


@dataclass(frozen=True, slots=True)
class HeartbeatStatus:
    """What the lease holder recorded of its heartbeat; times are the database's clock.

    `since` is when that holder took the lease: a holder that has never sent one is overdue
    `OVERDUE_AFTER_INTERVALS` after it. `error` says why the last one due did not go out (a failed
    call, or the poll loop stuck so it was held back); None when it went out.
    """

    interval_s: float
    since: datetime
    sent_at: datetime | None = None
    tried_at: datetime | None = None
    error: str | None = None

    def failed(self) -> bool:
        return self.error is not None

    def overdue(self, now: datetime) -> bool:
        """No heartbeat went out for `OVERDUE_AFTER_INTERVALS` intervals (or since the lease was taken)."""
        last = self.sent_at or self.since
        return (now - last).total_seconds() > OVERDUE_AFTER_INTERVALS * self.interval_s


def heartbeat_line(status: HeartbeatStatus | None, now: datetime, *, reason: bool = True) -> tuple[str, bool]:
    """'Heartbeat sent 12 s ago' and whether that is fine; red (False) when the last one due failed or
    none went out for two intervals; ('', True) when no heartbeat is configured. Without `reason` (a
    wall read from across the room) a failure is said without its cause."""
    if status is None:
        return "", True
    if status.failed():
        why = _reason(status.error or "") if reason else ""
        if status.sent_at is None:
            if why:
                line = translate("domain.heartbeat", "Heartbeat NOT SENT: {reason} · none sent yet")
            else:
                line = translate("domain.heartbeat", "Heartbeat NOT SENT")
            return line.format(reason=why), False
        if why:
            line = translate("domain.heartbeat", "Heartbeat NOT SENT: {reason} · last sent {age} ago")
        else:
            line = translate("domain.heartbeat", "Heartbeat NOT SENT for {age}")
        return line.format(reason=why, age=wall_age(now - status.sent_at)), False
    overdue = status.overdue(now)
    if status.sent_at is None:
        if overdue:
            line = translate("domain.heartbeat", "Heartbeat: none sent in {age}")
            return line.format(age=wall_age(now - status.since)), False
        return translate("domain.heartbeat", "Heartbeat: none sent yet"), True
    age = wall_age(now - status.sent_at)
    return translate("domain.heartbeat", "Heartbeat sent {age} ago").format(age=age), not overdue


def _reason(error: str) -> str:
    """The first line of an error, cut to `MAX_REASON`."""
    first = (error.strip().splitlines() or [""])[0]
    return first if len(first) <= MAX_REASON else first[: MAX_REASON - 1] + "…"
