"""The executive report of one incident: plain sections of text and tables, built from stored facts.

Pure: the caller reads the incident, its timeline, calls, pages and recorded SLA breaches, and passes
them in with `now` (for an incident still open); a renderer (HTML, PDF) only lays the result out.
What the store does not hold yet (root cause, actions, preventive measures, a service credit) comes in
as `ReportInputs`, so a post-mortem feature can fill it later; what is missing says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from noc_console.domain.calls import Call, describe_lead, detection_lead
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus, TimelineEntry
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockKind, SlaPolicy, customer_involved

NOT_RECORDED = "Not recorded yet."
# Timeline kinds left out of the report's timeline: each page has its own section, and a caller's
# acknowledgement is counted under the SLA clocks.
_NOT_KEY = frozenset({"page", "page_delivery", "caller_ack"})
# Alerts firing and clearing repeat; the first of each tells the story.
_FIRST_ONLY = frozenset({"alert_fired", "alert_cleared"})
MAX_TIMELINE = 60

HEADINGS = (
    "Summary",
    "Quantified impact",
    "Detection",
    "SLA clocks",
    "Root cause",
    "Corrective actions",
    "Preventive measures",
    "Service credit",
    "Timeline",
    "Pages sent",
)


@dataclass(frozen=True, slots=True)
class PreventiveMeasure:
    """What will stop it happening again, who owns it, by when."""

    what: str
    owner: str | None = None
    due: date | None = None


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What the incident store does not record yet; a post-mortem will supply these."""

    root_cause: str | None = None
    corrective_actions: tuple[str, ...] = ()
    preventive_measures: tuple[PreventiveMeasure, ...] = ()
    service_credit: str | None = None


@dataclass(frozen=True, slots=True)
class RecordedBreach:
    """A breach the SLA ticker recorded (`sla_breaches`)."""

    clock: ClockKind
    due_at: datetime
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class PageSent:
    """One page of the incident, as the report lists it."""

    at: datetime
    action: str
    target: str
    channel: str
    provider: str | None
    status: str
    delivery: str | None = None
    error: str | None = None


class Verdict(StrEnum):
    MET = "met"
    BREACHED = "breached"
    RUNNING = "running"
    NOT_REQUIRED = "not required"


@dataclass(frozen=True, slots=True)
class ClockOutcome:
    """How one SLA clock went: the verdict and one sentence of why."""

    clock: ClockKind
    target: timedelta
    verdict: Verdict
    detail: str


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading, plain-text paragraphs, key/value facts and an optional table, in that order."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class Report:
    incident_id: int
    title: str
    generated_at: datetime
    sections: tuple[Section, ...]
    kind: str = "Executive report"  # what the document is, in its heading: "Post-mortem" for one

    def section(self, heading: str) -> Section:
        return next(s for s in self.sections if s.heading == heading)


# --- formatting -------------------------------------------------------------------------------------
def format_duration(span: timedelta) -> str:
    """'45 s', '12 min', '12 min 5 s', '1 h 23 min', '2 d 3 h 0 min' (seconds dropped past an hour)."""
    seconds = int(abs(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {secs} s" if secs else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h {minutes} min"


def format_time(at: datetime | None) -> str:
    return "—" if at is None else f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# --- the sections -----------------------------------------------------------------------------------
def build_report(
    incident: Incident,
    *,
    timeline: Sequence[TimelineEntry],
    calls: Sequence[Call],
    pages: Sequence[PageSent],
    breaches: Sequence[RecordedBreach],
    policy: SlaPolicy,
    inputs: ReportInputs,
    now: datetime,
) -> Report:
    """The whole report; `now` only matters for an incident that is still open."""
    sections = (
        _summary(incident),
        _impact(incident, calls, now),
        _detection(incident),
        _sla(incident, timeline, calls, breaches, policy, now),
        _text_section("Root cause", inputs.root_cause),
        _list_section("Corrective actions", inputs.corrective_actions),
        _preventive(inputs.preventive_measures),
        _text_section("Service credit", inputs.service_credit),
        _timeline(timeline),
        _pages(pages),
    )
    return Report(incident.id, incident.title, now, sections)


def _summary(incident: Incident) -> Section:
    status = str(incident.status)
    if incident.false_positive:
        status += " (false positive)"
    facts = (
        ("Incident", f"#{incident.id}"),
        ("Title", incident.title),
        ("Severity", incident.severity.value),
        ("Service", incident.service or "not known"),
        ("Status", status),
        ("Detected by", _detected_by(incident)),
        ("Detected at", format_time(incident.detected_at)),
        ("Acknowledged", _who_when(incident.acknowledged_by, incident.acknowledged_at)),
        ("Owner", incident.owner or "nobody"),
        ("Resolved", _who_when(incident.resolved_by, incident.resolved_at)),
    )
    return Section("Summary", facts=facts)


def _detected_by(incident: Incident) -> str:
    who = {
        DetectionSource.MONITORING: "our monitoring",
        DetectionSource.SYNTHETIC: "our synthetic checks",
        DetectionSource.CUSTOMER: "a customer",
    }[incident.detected_by]
    return f"{who} ({incident.source})" if incident.source else who


def _who_when(who: str | None, at: datetime | None) -> str:
    if at is None:
        return "not yet"
    return f"{format_time(at)} by {who}" if who else format_time(at)


def impact_duration(incident: Incident, now: datetime) -> tuple[timedelta, str]:
    """From impact start (else detection) to resolution (else `now`), with what it was counted from."""
    start, start_note = incident.impact_started_at, "impact start"
    if start is None:
        start, start_note = incident.detected_at, "detection (the impact's start is not known)"
    end = incident.resolved_at if incident.resolved_at is not None else now
    return max(end - start, timedelta(0)), start_note


def _impact(incident: Incident, calls: Sequence[Call], now: datetime) -> Section:
    span, start_note = impact_duration(incident, now)
    if incident.resolved_at is not None:
        duration = f"{format_duration(span)} (from {start_note} to resolution)"
    else:
        duration = f"{format_duration(span)} so far, still {incident.status} (from {start_note})"
    users = f"{incident.users_affected:,}" if incident.users_affected is not None else "not assessed"
    services = incident.services_affected or (
        f"not assessed (the incident's service: {incident.service})" if incident.service else "not assessed"
    )
    facts = (
        ("Duration", duration),
        ("Users affected", users),
        ("Services affected", services),
        ("Business impact", str(incident.business_impact) if incident.business_impact else "not assessed"),
        ("Customers affected", customers_affected(calls)),
    )
    return Section("Quantified impact", facts=facts)


def customers_affected(calls: Sequence[Call]) -> str:
    """'3 calls from 2 organisations' (and how many calls named none)."""
    if not calls:
        return "no customer called"
    organisations = {c.organisation.strip().casefold() for c in calls if c.organisation}
    unnamed = sum(1 for c in calls if not c.organisation)
    text = f"{_plural(len(calls), 'call')} from {_plural(len(organisations), 'organisation')}"
    if unnamed:
        text += f" ({_plural(unnamed, 'call')} without an organisation)"
    return text


def _detection(incident: Incident) -> Section:
    facts = [("Detected first by", _detected_by(incident))]
    facts.append(("Our monitoring saw it", format_time(incident.monitoring_detected_at)
                  if incident.monitoring_detected_at else "never"))  # fmt: skip
    facts.append(("First customer call", format_time(incident.first_call_at)
                  if incident.first_call_at else "no customer called"))  # fmt: skip
    # A source's clock can run ahead of ours: an impact "starting" after detection says nothing.
    if incident.impact_started_at is not None and incident.impact_started_at <= incident.detected_at:
        took = incident.detected_at - incident.impact_started_at
        facts.append(("Time to detect", f"{format_duration(took)} after the impact began"))
    lead = detection_lead(incident.first_call_at, incident.monitoring_detected_at)
    if lead is not None:
        verdict = describe_lead(lead)
        paragraph = verdict[0].upper() + verdict[1:] + "."
    elif incident.monitoring_detected_at is not None:
        paragraph = "Our monitoring found it; no customer called about it."
    elif incident.first_call_at is not None or incident.detected_by is DetectionSource.CUSTOMER:
        paragraph = "A customer found it: our monitoring never detected it."
    else:
        paragraph = f"Found by {_detected_by(incident)}; no customer called about it."
    return Section("Detection", paragraphs=(paragraph,), facts=tuple(facts))


# --- SLA clocks -------------------------------------------------------------------------------------
def sla_outcomes(
    incident: Incident,
    timeline: Sequence[TimelineEntry],
    calls: Sequence[Call],
    breaches: Sequence[RecordedBreach],
    policy: SlaPolicy,
    now: datetime,
) -> tuple[ClockOutcome, ...]:
    """Acknowledge, assessment, customer updates and callers' acknowledgements: met or breached, from
    the incident's times; a breach the ticker recorded counts even where the times alone would not."""
    recorded = {b.clock for b in breaches}
    end = incident.resolved_at if incident.resolved_at is not None else now
    outcomes = [
        _stop_clock(ClockKind.ACK, "acknowledged", incident.acknowledged_at, incident, policy.ack, end),
        _stop_clock(ClockKind.ASSESSMENT, "assessed", incident.assessed_at, incident, policy.assessment, end),
        _updates(incident, timeline, policy.customer_update, end),
    ]
    if calls:
        outcomes.append(_callers(calls, policy.ack, now))
    return tuple(
        ClockOutcome(o.clock, o.target, Verdict.BREACHED, o.detail + " (breach recorded)")
        if o.clock in recorded and o.verdict is not Verdict.BREACHED
        else o
        for o in outcomes
    )


def _stop_clock(
    kind: ClockKind, done: str, done_at: datetime | None, incident: Incident, target: timedelta, end: datetime
) -> ClockOutcome:
    """A clock from detection that stops once: acknowledge, assessment."""
    limit = f"target {format_duration(target)}"
    if done_at is not None:
        took = done_at - incident.detected_at
        verdict = Verdict.MET if took <= target else Verdict.BREACHED
        return ClockOutcome(
            kind, target, verdict, f"{done} {format_duration(took)} after detection ({limit})"
        )
    waited = end - incident.detected_at
    if incident.status is IncidentStatus.RESOLVED:
        verdict = Verdict.MET if waited <= target else Verdict.BREACHED
        detail = f"never {done}; resolved {format_duration(waited)} after detection ({limit})"
        return ClockOutcome(kind, target, verdict, detail)
    if kind is ClockKind.ACK and incident.status is IncidentStatus.ACKNOWLEDGED:
        return ClockOutcome(kind, target, Verdict.MET, f"{done} ({limit})")
    verdict = Verdict.BREACHED if waited > target else Verdict.RUNNING
    return ClockOutcome(kind, target, verdict, f"not {done} yet, {format_duration(waited)} after detection "
                                               f"({limit})")  # fmt: skip


def _updates(
    incident: Incident, timeline: Sequence[TimelineEntry], every: timedelta, end: datetime
) -> ClockOutcome:
    """Customer updates: owed every `every` from detection (loud or customer-detected) or the first call."""
    kind = ClockKind.CUSTOMER_UPDATE
    loud = incident.severity.rank <= Severity.MAJOR.rank
    if not (customer_involved(incident) or loud):
        return ClockOutcome(kind, every, Verdict.NOT_REQUIRED, "no customer involved and not major or above")
    if loud or incident.detected_by is DetectionSource.CUSTOMER:
        last = incident.detected_at
    else:
        last = incident.first_call_at or incident.detected_at
    sent = sorted(e.at for e in timeline if e.kind == "customer_update" and e.at <= end)
    late = 0
    longest = timedelta(0)
    for at in [*sent, end]:
        gap = at - last
        longest = max(longest, gap)
        late += gap > every
        last = max(last, at)
    count = _plural(len(sent), "update")
    every_text = f"due every {format_duration(every)}"
    if late:
        missed = _plural(late, "deadline")
        detail = f"{count} sent, {missed} missed, longest gap {format_duration(longest)} ({every_text})"
        return ClockOutcome(kind, every, Verdict.BREACHED, detail)
    verdict = Verdict.MET if incident.status is IncidentStatus.RESOLVED else Verdict.RUNNING
    return ClockOutcome(
        kind, every, verdict, f"{count} sent, longest gap {format_duration(longest)} ({every_text})"
    )


def _callers(calls: Sequence[Call], target: timedelta, now: datetime) -> ClockOutcome:
    kind = ClockKind.CALLER_ACK
    on_time = sum(
        1 for c in calls if c.customer_acked_at is not None and c.customer_acked_at <= c.customer_ack_due_at
    )
    late = sum(1 for c in calls if (c.customer_acked_at or now) > c.customer_ack_due_at)
    waiting = sum(1 for c in calls if c.customer_acked_at is None and now <= c.customer_ack_due_at)
    detail = f"{on_time} of {_plural(len(calls), 'caller')} acknowledged within {format_duration(target)}"
    if late:
        return ClockOutcome(kind, target, Verdict.BREACHED, detail + f"; {late} late or never")
    return ClockOutcome(kind, target, Verdict.RUNNING if waiting else Verdict.MET, detail)


def _sla(
    incident: Incident,
    timeline: Sequence[TimelineEntry],
    calls: Sequence[Call],
    breaches: Sequence[RecordedBreach],
    policy: SlaPolicy,
    now: datetime,
) -> Section:
    outcomes = sla_outcomes(incident, timeline, calls, breaches, policy, now)
    facts = tuple((o.clock.label, f"{o.verdict.value.upper()}: {o.detail}") for o in outcomes)
    broken = sum(o.verdict is Verdict.BREACHED for o in outcomes)
    paragraph = "Every SLA clock was met." if not broken else f"{_plural(broken, 'SLA clock')} breached."
    if any(o.verdict is Verdict.RUNNING for o in outcomes) and not broken:
        paragraph = "No SLA clock breached so far; some are still running."
    others = sorted(
        (b for b in breaches if b.clock not in {o.clock for o in outcomes}), key=lambda b: b.due_at
    )
    table = None
    if breaches:
        rows = tuple((b.clock.label, format_time(b.due_at), format_time(b.recorded_at)) for b in breaches)
        table = Table(("Recorded breach", "Was due", "Recorded"), rows)
    if others:
        paragraph += " Also breached: " + ", ".join(sorted({b.clock.label for b in others})) + "."
    return Section("SLA clocks", paragraphs=(paragraph,), facts=facts, table=table)


# --- inputs, timeline, pages ------------------------------------------------------------------------
def _text_section(heading: str, text: str | None) -> Section:
    if text is None or not text.strip():
        return Section(heading, paragraphs=(NOT_RECORDED,))
    return Section(heading, paragraphs=tuple(p.strip() for p in text.strip().split("\n\n") if p.strip()))


def _list_section(heading: str, items: Sequence[str]) -> Section:
    kept = tuple(i.strip() for i in items if i.strip())
    if not kept:
        return Section(heading, paragraphs=(NOT_RECORDED,))
    return Section(heading, table=Table(("#", "Action"), tuple((str(n), t) for n, t in enumerate(kept, 1))))


def _preventive(measures: Sequence[PreventiveMeasure]) -> Section:
    kept = [m for m in measures if m.what.strip()]
    if not kept:
        return Section("Preventive measures", paragraphs=(NOT_RECORDED,))
    rows = tuple(
        (m.what.strip(), m.owner or "no owner yet", m.due.isoformat() if m.due else "no date yet")
        for m in kept
    )
    return Section("Preventive measures", table=Table(("Measure", "Owner", "Due"), rows))


def key_entries(timeline: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """The entries worth an executive's time: pages and callers' acknowledgements left out, and only the
    first alert fired and cleared."""
    seen: set[str] = set()
    kept = []
    for entry in sorted(timeline, key=lambda e: e.at):
        if entry.kind in _NOT_KEY or (entry.kind in _FIRST_ONLY and entry.kind in seen):
            continue
        seen.add(entry.kind)
        kept.append(entry)
    return kept


def _timeline(timeline: Sequence[TimelineEntry]) -> Section:
    kept = key_entries(timeline)
    if not kept:
        return Section("Timeline", paragraphs=("No timeline entries.",))
    shown = kept[:MAX_TIMELINE]
    paragraphs: tuple[str, ...] = ()
    if len(kept) > len(shown):
        paragraphs = (f"The first {len(shown)} of {len(kept)} key entries; `noc-console show` lists all.",)
    rows = tuple((format_time(e.at), e.kind.replace("_", " "), e.by, e.text) for e in shown)
    return Section("Timeline", paragraphs=paragraphs, table=Table(("When", "What", "Who", "Entry"), rows))


def _pages(pages: Sequence[PageSent]) -> Section:
    if not pages:
        return Section("Pages sent", paragraphs=("Nobody was paged.",))
    rows = tuple(
        (
            format_time(p.at),
            p.action,
            p.target,
            p.channel + (f" via {p.provider}" if p.provider else ""),
            p.status + (f", {p.delivery}" if p.delivery else "") + (f": {p.error}" if p.error else ""),
        )
        for p in pages
    )
    sent = sum(1 for p in pages if p.status == "sent")
    paragraph = f"{_plural(len(pages), 'page')}, {sent} sent."
    return Section(
        "Pages sent", paragraphs=(paragraph,), table=Table(("When", "Action", "To", "By", "Status"), rows)
    )
