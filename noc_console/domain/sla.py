"""SLA policy and clock arithmetic. Every function takes `now`; nothing here reads a clock.

The clocks of an incident, all counted from absolute UTC times (so a screen that slept, a DST change or
a new time zone never moves a deadline; only the display of it):

- acknowledge: from detection, while the incident is open (not acknowledged, not resolved);
- initial assessment: from detection, until an assessment is recorded (or the incident resolves);
- customer update: once a customer is involved (a call, or detected by a customer) or the incident is
  major or above, from the last customer update (else detection), repeating, until it resolves;
- post-mortem and executive report: for a resolved major/critical or customer-detected incident that
  was not a false positive, from resolution, until the report is done.

A running clock is amber in its last third and breached when its due time has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity


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


class ClockKind(StrEnum):
    ACK = "ack"
    ASSESSMENT = "assessment"
    CUSTOMER_UPDATE = "customer_update"
    POSTMORTEM = "postmortem"
    EXEC_REPORT = "exec_report"
    CALLER_ACK = "caller_ack"  # a caller is waiting to hear that we have their report

    @property
    def label(self) -> str:
        """What an operator calls it, in English: for timeline entries (stored) and logs."""
        return _LABELS[self]

    @property
    def display_label(self) -> str:
        """What an operator calls it on screen, in the window's language."""
        return translate("domain.sla", _LABELS[self])


_LABELS = {
    ClockKind.ACK: QT_TRANSLATE_NOOP("domain.sla", "Acknowledge"),
    ClockKind.ASSESSMENT: QT_TRANSLATE_NOOP("domain.sla", "Assessment"),
    ClockKind.CUSTOMER_UPDATE: QT_TRANSLATE_NOOP("domain.sla", "Customer update"),
    ClockKind.POSTMORTEM: QT_TRANSLATE_NOOP("domain.sla", "Post-mortem"),
    ClockKind.EXEC_REPORT: QT_TRANSLATE_NOOP("domain.sla", "Exec report"),
    ClockKind.CALLER_ACK: QT_TRANSLATE_NOOP("domain.sla", "Caller acknowledge"),
}


class ClockState(StrEnum):
    OK = "ok"
    WARNING = "warning"  # in its last third: amber
    BREACHED = "breached"  # past due: red, blinking


@dataclass(frozen=True, slots=True)
class RunningClock:
    """One running SLA clock of an incident: what is due, counted from when, due when."""

    kind: ClockKind
    started_at: datetime
    due_at: datetime

    @property
    def warning_at(self) -> datetime:
        """When the clock enters its last third."""
        return self.due_at - (self.due_at - self.started_at) / 3

    def remaining(self, now: datetime) -> timedelta:
        """Time left; negative once breached."""
        return self.due_at - now

    def state(self, now: datetime) -> ClockState:
        if now >= self.due_at:
            return ClockState.BREACHED
        if now >= self.warning_at:
            return ClockState.WARNING
        return ClockState.OK


def customer_involved(incident: Incident) -> bool:
    """A customer told us, or has called about it since."""
    return incident.detected_by is DetectionSource.CUSTOMER or incident.call_count > 0


def needs_reports(incident: Incident) -> bool:
    """A resolved incident that owes a post-mortem and an executive report."""
    if incident.status is not IncidentStatus.RESOLVED or incident.resolved_at is None:
        return False
    if incident.false_positive:
        return False
    loud = incident.severity.rank <= Severity.MAJOR.rank
    return loud or incident.detected_by is DetectionSource.CUSTOMER


def running_clocks(incident: Incident, policy: SlaPolicy) -> tuple[RunningClock, ...]:
    """Every clock that is running for this incident, soonest due first."""
    clocks: list[RunningClock] = []
    start = incident.detected_at
    if incident.status is IncidentStatus.OPEN:
        clocks.append(RunningClock(ClockKind.ACK, start, start + policy.ack))
    if incident.is_open:
        if incident.assessed_at is None:
            clocks.append(RunningClock(ClockKind.ASSESSMENT, start, start + policy.assessment))
        loud = incident.severity.rank <= Severity.MAJOR.rank
        if customer_involved(incident) or loud:
            # Customers are owed updates from detection (a loud or customer-detected incident), else
            # from the first call about it.
            if incident.last_customer_update_at is not None:
                last = incident.last_customer_update_at
            elif loud or incident.detected_by is DetectionSource.CUSTOMER:
                last = start
            else:
                last = incident.first_call_at or start
            clocks.append(RunningClock(ClockKind.CUSTOMER_UPDATE, last, last + policy.customer_update))
        if incident.caller_ack_due_at is not None:  # the longest-waiting caller not yet acknowledged
            due = incident.caller_ack_due_at
            clocks.append(RunningClock(ClockKind.CALLER_ACK, due - policy.ack, due))
    elif needs_reports(incident):
        assert incident.resolved_at is not None  # needs_reports checked it
        resolved = incident.resolved_at
        if incident.postmortem_done_at is None:
            clocks.append(RunningClock(ClockKind.POSTMORTEM, resolved, resolved + policy.postmortem))
        if incident.exec_report_done_at is None:
            clocks.append(RunningClock(ClockKind.EXEC_REPORT, resolved, resolved + policy.exec_report))
    clocks.sort(key=lambda c: (c.due_at, c.kind))
    return tuple(clocks)


def breached_clocks(incident: Incident, policy: SlaPolicy, now: datetime) -> tuple[RunningClock, ...]:
    return tuple(c for c in running_clocks(incident, policy) if c.due_at <= now)


def next_due(incident: Incident, policy: SlaPolicy) -> datetime | None:
    """The soonest deadline among the running clocks, breached or not."""
    clocks = running_clocks(incident, policy)
    return clocks[0].due_at if clocks else None


def state_changes(incident: Incident, policy: SlaPolicy) -> tuple[datetime, ...]:
    """Every instant a clock of this incident changes colour (amber, then red), in order.

    A view orders incidents by absolute deadlines and re-sorts an incident only at these instants,
    instead of every second.
    """
    times = {t for c in running_clocks(incident, policy) for t in (c.warning_at, c.due_at)}
    return tuple(sorted(times))


UrgencyKey = tuple[int, int, float, int]
_NEVER = float("inf")


def urgency_key(incident: Incident, policy: SlaPolicy, now: datetime) -> UrgencyKey:
    """Most urgent first: any breached clock, then severity, then time to the next deadline, then id."""
    clocks = running_clocks(incident, policy)
    breached = any(c.due_at <= now for c in clocks)
    soonest = clocks[0].due_at.timestamp() if clocks else _NEVER
    return (0 if breached else 1, incident.severity.rank, soonest, incident.id)


@dataclass(frozen=True, slots=True)
class SlaClock:
    """Every due time of one incident; None where nothing is due (the clock is not running)."""

    ack_due_at: datetime | None
    assessment_due_at: datetime | None
    next_customer_update_due_at: datetime | None
    postmortem_due_at: datetime | None
    exec_report_due_at: datetime | None


def due_times(incident: Incident, policy: SlaPolicy) -> SlaClock:
    """The due time of each running clock (see `running_clocks`)."""
    by_kind = {c.kind: c.due_at for c in running_clocks(incident, policy)}
    return SlaClock(
        ack_due_at=by_kind.get(ClockKind.ACK),
        assessment_due_at=by_kind.get(ClockKind.ASSESSMENT),
        next_customer_update_due_at=by_kind.get(ClockKind.CUSTOMER_UPDATE),
        postmortem_due_at=by_kind.get(ClockKind.POSTMORTEM),
        exec_report_due_at=by_kind.get(ClockKind.EXEC_REPORT),
    )


def remaining(due_at: datetime | None, now: datetime) -> timedelta | None:
    """Time left until `due_at`; negative when overdue; None when nothing is due."""
    return None if due_at is None else due_at - now


def ack_remaining(incident: Incident, policy: SlaPolicy, now: datetime) -> timedelta | None:
    """Time left to acknowledge; None once acknowledged or resolved (the clock has stopped)."""
    if incident.status is not IncidentStatus.OPEN:
        return None
    return remaining(incident.detected_at + policy.ack, now)


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
