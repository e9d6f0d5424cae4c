"""SLA policy and clock arithmetic. Every function takes `now`; nothing here reads a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from noc_console.domain.incidents import Incident, IncidentStatus


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """How fast the NOC promises to respond. Defaults follow the NOC's response standard."""

    ack: timedelta = timedelta(minutes=5)
    assessment: timedelta = timedelta(minutes=15)
    customer_update: timedelta = timedelta(minutes=30)
    postmortem: timedelta = timedelta(hours=48)
    exec_report: timedelta = timedelta(hours=72)

    def __post_init__(self) -> None:
        for name in ("ack", "assessment", "customer_update", "postmortem", "exec_report"):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"sla.{name}: must be longer than zero")


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Every due time of one incident; None where nothing is due."""

    ack_due_at: datetime
    assessment_due_at: datetime
    next_customer_update_due_at: datetime | None
    postmortem_due_at: datetime | None
    exec_report_due_at: datetime | None


def due_times(incident: Incident, policy: SlaPolicy) -> SlaClock:
    """All due times of an incident. The clocks start when the incident was detected."""
    start = incident.detected_at
    if incident.status is IncidentStatus.RESOLVED:
        next_update = None
    else:
        last_update = incident.last_customer_update_at or start
        next_update = last_update + policy.customer_update
    resolved = incident.resolved_at
    return SlaClock(
        ack_due_at=start + policy.ack,
        assessment_due_at=start + policy.assessment,
        next_customer_update_due_at=next_update,
        postmortem_due_at=resolved + policy.postmortem if resolved else None,
        exec_report_due_at=resolved + policy.exec_report if resolved else None,
    )


def remaining(due_at: datetime | None, now: datetime) -> timedelta | None:
    """Time left until `due_at`; negative when overdue; None when nothing is due."""
    return None if due_at is None else due_at - now


def ack_remaining(incident: Incident, policy: SlaPolicy, now: datetime) -> timedelta | None:
    """Time left to acknowledge; None once acknowledged or resolved (the clock has stopped)."""
    if incident.status is not IncidentStatus.OPEN:
        return None
    return remaining(due_times(incident, policy).ack_due_at, now)


def format_countdown(left: timedelta) -> str:
    """'4:05' for time left, '+1:20' for time overdue; hours shown past 60 minutes ('1:02:03')."""
    seconds = int(left.total_seconds())
    sign = "+" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
