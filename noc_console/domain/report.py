"""The executive report of one incident: plain sections of text and tables, built from stored facts.

Pure: the caller reads the incident, its timeline, calls, pages and recorded SLA breaches, and passes
them in with `now` (for an incident still open); a renderer (HTML, PDF) only lays the result out.
What the store does not hold yet (root cause, actions, preventive measures, a service credit) comes in
as `ReportInputs`, so a post-mortem feature can fill it later; what is missing says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from noc_console.domain.calls import Call, describe_lead, detection_lead
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.incidents import (
    DetectionSource,
    Incident,
    IncidentStatus,
    TimelineEntry,
    timeline_kind,
)
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockKind, SlaPolicy, customer_involved

# The report is a document in the installed language: its headings and fixed texts are translated when it
# is built (the constants here are the source texts, shown as `translate("domain.report", ...)`).
NOT_RECORDED = QT_TRANSLATE_NOOP("domain.report", "Not recorded yet.")
# Timeline kinds left out of the report's timeline: each page has its own section, and a caller's
# acknowledgement is counted under the SLA clocks.
_NOT_KEY = frozenset({"page", "page_delivery", "caller_ack"})
# Alerts firing and clearing repeat; the first of each tells the story.
_FIRST_ONLY = frozenset({"alert_fired", "alert_cleared"})
MAX_TIMELINE = 60

HEADINGS = (
    QT_TRANSLATE_NOOP("domain.report", "Summary"),
    QT_TRANSLATE_NOOP("domain.report", "Quantified impact"),
    QT_TRANSLATE_NOOP("domain.report", "Detection"),
    QT_TRANSLATE_NOOP("domain.report", "SLA clocks"),
    QT_TRANSLATE_NOOP("domain.report", "Root cause"),
    QT_TRANSLATE_NOOP("domain.report", "Corrective actions"),
    QT_TRANSLATE_NOOP("domain.report", "Preventive measures"),
    QT_TRANSLATE_NOOP("domain.report", "Service credit"),
    QT_TRANSLATE_NOOP("domain.report", "Timeline"),
    QT_TRANSLATE_NOOP("domain.report", "Pages sent"),
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

    @property
    def display_label(self) -> str:
        """What the report prints ('MET'), in the installed language; the value stays the data."""
        return translate("domain.report", _VERDICT_LABELS[self])


_VERDICT_LABELS = {
    Verdict.MET: QT_TRANSLATE_NOOP("domain.report", "MET"),
    Verdict.BREACHED: QT_TRANSLATE_NOOP("domain.report", "BREACHED"),
    Verdict.RUNNING: QT_TRANSLATE_NOOP("domain.report", "RUNNING"),
    Verdict.NOT_REQUIRED: QT_TRANSLATE_NOOP("domain.report", "NOT REQUIRED"),
}


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
    # What the document is, in its heading (translated by whoever builds it): "Post-mortem" for one.
    kind: str = "Executive report"

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


def _grouped(value: int) -> str:
    return f"{value:,}"


# --- stored values in words, as the report prints them (an unknown value as it is) -------------------
def _status_word(status: IncidentStatus) -> str:
    return {
        IncidentStatus.OPEN: translate("domain.report", "open"),
        IncidentStatus.ACKNOWLEDGED: translate("domain.report", "acknowledged"),
        IncidentStatus.RESOLVED: translate("domain.report", "resolved"),
    }.get(status, str(status))


def _page_action(action: str) -> str:
    return {
        "trigger": translate("domain.report", "trigger"),
        "acknowledge": translate("domain.report", "acknowledge"),
        "resolve": translate("domain.report", "resolve"),
    }.get(action, action)


def _page_status(status: str) -> str:
    return {
        "queued": translate("domain.report", "queued"),
        "sending": translate("domain.report", "sending"),
        "sent": translate("domain.report", "sent"),
        "retrying": translate("domain.report", "retrying"),
        "failed": translate("domain.report", "failed"),
    }.get(status, status)


def _page_channel(channel: str) -> str:
    """The channel of a page; the names of services (sms, pagerduty, slack...) stay as they are."""
    return {
        "voice": translate("domain.report", "voice"),
        "email": translate("domain.report", "email"),
    }.get(channel, channel)


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
    number: Callable[[int], str] = _grouped,
) -> Report:
    """The whole report, in the installed language; `now` only matters for an incident that is still
    open; `number` writes a count (a window passes its locale's)."""
    sections = (
        _summary(incident),
        _impact(incident, calls, now, number),
        _detection(incident),
        _sla(incident, timeline, calls, breaches, policy, now, number),
        _text_section(translate("domain.report", "Root cause"), inputs.root_cause),
        _list_section(translate("domain.report", "Corrective actions"), inputs.corrective_actions),
        _preventive(inputs.preventive_measures),
        _text_section(translate("domain.report", "Service credit"), inputs.service_credit),
        _timeline(timeline, number),
        _pages(pages, number),
    )
    kind = translate("domain.report", "Executive report")
    return Report(incident.id, incident.title, now, sections, kind=kind)


def _summary(incident: Incident) -> Section:
    status = _status_word(incident.status)
    if incident.false_positive:
        status = translate("domain.report", "{status} (false positive)").format(status=status)
    facts = (
        (translate("domain.report", "Incident"), f"#{incident.id}"),
        (translate("domain.report", "Title"), incident.title),
        (translate("domain.report", "Severity"), incident.severity.word),
        (translate("domain.report", "Service"), incident.service or translate("domain.report", "not known")),
        (translate("domain.report", "Status"), status),
        (translate("domain.report", "Detected by"), _detected_by(incident)),
        (translate("domain.report", "Detected at"), format_time(incident.detected_at)),
        (
            translate("domain.report", "Acknowledged"),
            _who_when(incident.acknowledged_by, incident.acknowledged_at),
        ),
        (translate("domain.report", "Owner"), incident.owner or translate("domain.report", "nobody")),
        (translate("domain.report", "Resolved"), _who_when(incident.resolved_by, incident.resolved_at)),
    )
    return Section(translate("domain.report", "Summary"), facts=facts)


def _detected_by(incident: Incident) -> str:
    who = {
        DetectionSource.MONITORING: translate("domain.report", "our monitoring"),
        DetectionSource.SYNTHETIC: translate("domain.report", "our synthetic checks"),
        DetectionSource.CUSTOMER: translate("domain.report", "a customer"),
    }[incident.detected_by]
    return f"{who} ({incident.source})" if incident.source else who


def _who_when(who: str | None, at: datetime | None) -> str:
    if at is None:
        return translate("domain.report", "not yet")
    if not who:
        return format_time(at)
    return translate("domain.report", "{time} by {who}").format(time=format_time(at), who=who)


def impact_duration(incident: Incident, now: datetime) -> tuple[timedelta, str]:
    """From impact start (else detection) to resolution (else `now`), with what it was counted from (in
    the installed language, as it reads after "from": "impact start")."""
    start, start_note = incident.impact_started_at, translate("domain.report", "impact start")
    if start is None:
        start = incident.detected_at
        start_note = translate("domain.report", "detection (the impact's start is not known)")
    end = incident.resolved_at if incident.resolved_at is not None else now
    return max(end - start, timedelta(0)), start_note


def _impact(
    incident: Incident, calls: Sequence[Call], now: datetime, number: Callable[[int], str]
) -> Section:
    span, start_note = impact_duration(incident, now)
    if incident.resolved_at is not None:
        duration = translate("domain.report", "{duration} (from {start} to resolution)").format(
            duration=format_duration(span), start=start_note
        )
    else:
        duration = translate("domain.report", "{duration} so far, still {status} (from {start})").format(
            duration=format_duration(span), status=_status_word(incident.status), start=start_note
        )
    not_assessed = translate("domain.report", "not assessed")
    users = number(incident.users_affected) if incident.users_affected is not None else not_assessed
    services = incident.services_affected or (
        translate("domain.report", "not assessed (the incident's service: {service})").format(
            service=incident.service
        )
        if incident.service
        else not_assessed
    )
    impact = incident.business_impact.display_label if incident.business_impact else not_assessed
    facts = (
        (translate("domain.report", "Duration"), duration),
        (translate("domain.report", "Users affected"), users),
        (translate("domain.report", "Services affected"), services),
        (translate("domain.report", "Business impact"), impact),
        (translate("domain.report", "Customers affected"), customers_affected(calls, number)),
    )
    return Section(translate("domain.report", "Quantified impact"), facts=facts)


def customers_affected(calls: Sequence[Call], number: Callable[[int], str] = _grouped) -> str:
    """'3 calls from 2 organisations' (and how many calls named none), in the installed language."""
    if not calls:
        return translate("domain.report", "no customer called")
    organisations = {c.organisation.strip().casefold() for c in calls if c.organisation}
    unnamed = sum(1 for c in calls if not c.organisation)
    said = plural(len(calls), translate("domain.report", "{n} call"), translate("domain.report", "{n} calls"))
    named = plural(
        len(organisations),
        translate("domain.report", "{n} organisation"),
        translate("domain.report", "{n} organisations"),
    )
    calls_text = said.format(n=number(len(calls)))
    organisations_text = named.format(n=number(len(organisations)))
    if not unnamed:
        return translate("domain.report", "{calls} from {organisations}").format(
            calls=calls_text, organisations=organisations_text
        )
    without = plural(
        unnamed,
        translate("domain.report", "{n} call without an organisation"),
        translate("domain.report", "{n} calls without an organisation"),
    ).format(n=number(unnamed))
    return translate("domain.report", "{calls} from {organisations} ({unnamed})").format(
        calls=calls_text, organisations=organisations_text, unnamed=without
    )


def _detection(incident: Incident) -> Section:
    seen, called = incident.monitoring_detected_at, incident.first_call_at
    facts = [
        (translate("domain.report", "Detected first by"), _detected_by(incident)),
        (
            translate("domain.report", "Our monitoring saw it"),
            format_time(seen) if seen else translate("domain.report", "never"),
        ),
        (
            translate("domain.report", "First customer call"),
            format_time(called) if called else translate("domain.report", "no customer called"),
        ),
    ]
    # A source's clock can run ahead of ours: an impact "starting" after detection says nothing.
    if incident.impact_started_at is not None and incident.impact_started_at <= incident.detected_at:
        took = incident.detected_at - incident.impact_started_at
        facts.append(
            (
                translate("domain.report", "Time to detect"),
                translate("domain.report", "{duration} after the impact began").format(
                    duration=format_duration(took)
                ),
            )
        )
    lead = detection_lead(incident.first_call_at, incident.monitoring_detected_at)
    if lead is not None:
        verdict = describe_lead(lead)
        paragraph = verdict[0].upper() + verdict[1:] + "."
    elif incident.monitoring_detected_at is not None:
        paragraph = translate("domain.report", "Our monitoring found it; no customer called about it.")
    elif incident.first_call_at is not None or incident.detected_by is DetectionSource.CUSTOMER:
        paragraph = translate("domain.report", "A customer found it: our monitoring never detected it.")
    else:
        paragraph = translate("domain.report", "Found by {who}; no customer called about it.").format(
            who=_detected_by(incident)
        )
    return Section(translate("domain.report", "Detection"), paragraphs=(paragraph,), facts=tuple(facts))


# --- SLA clocks -------------------------------------------------------------------------------------
def sla_outcomes(
    incident: Incident,
    timeline: Sequence[TimelineEntry],
    calls: Sequence[Call],
    breaches: Sequence[RecordedBreach],
    policy: SlaPolicy,
    now: datetime,
    number: Callable[[int], str] = _grouped,
) -> tuple[ClockOutcome, ...]:
    """Acknowledge, assessment, customer updates and callers' acknowledgements: met or breached, from
    the incident's times; a breach the ticker recorded counts even where the times alone would not."""
    recorded = {b.clock for b in breaches}
    end = incident.resolved_at if incident.resolved_at is not None else now
    outcomes = [
        _stop_clock(ClockKind.ACK, incident.acknowledged_at, incident, policy.ack, end),
        _stop_clock(ClockKind.ASSESSMENT, incident.assessed_at, incident, policy.assessment, end),
        _updates(incident, timeline, policy.customer_update, end, number),
    ]
    if calls:
        outcomes.append(_callers(calls, policy.ack, now, number))
    return tuple(
        ClockOutcome(
            o.clock,
            o.target,
            Verdict.BREACHED,
            translate("domain.report", "{detail} (breach recorded)").format(detail=o.detail),
        )
        if o.clock in recorded and o.verdict is not Verdict.BREACHED
        else o
        for o in outcomes
    )


def _stop_clock(
    kind: ClockKind, done_at: datetime | None, incident: Incident, target: timedelta, end: datetime
) -> ClockOutcome:
    """A clock from detection that stops once: acknowledge, assessment."""
    ack = kind is ClockKind.ACK
    limit = translate("domain.report", "target {duration}").format(duration=format_duration(target))
    if done_at is not None:
        took = done_at - incident.detected_at
        verdict = Verdict.MET if took <= target else Verdict.BREACHED
        if ack:
            text = translate("domain.report", "acknowledged {took} after detection ({target})")
        else:
            text = translate("domain.report", "assessed {took} after detection ({target})")
        return ClockOutcome(kind, target, verdict, text.format(took=format_duration(took), target=limit))
    waited = end - incident.detected_at
    if incident.status is IncidentStatus.RESOLVED:
        verdict = Verdict.MET if waited <= target else Verdict.BREACHED
        if ack:
            text = translate(
                "domain.report", "never acknowledged; resolved {waited} after detection ({target})"
            )
        else:
            text = translate("domain.report", "never assessed; resolved {waited} after detection ({target})")
        return ClockOutcome(kind, target, verdict, text.format(waited=format_duration(waited), target=limit))
    if ack and incident.status is IncidentStatus.ACKNOWLEDGED:
        text = translate("domain.report", "acknowledged ({target})")
        return ClockOutcome(kind, target, Verdict.MET, text.format(target=limit))
    verdict = Verdict.BREACHED if waited > target else Verdict.RUNNING
    if ack:
        text = translate("domain.report", "not acknowledged yet, {waited} after detection ({target})")
    else:
        text = translate("domain.report", "not assessed yet, {waited} after detection ({target})")
    return ClockOutcome(kind, target, verdict, text.format(waited=format_duration(waited), target=limit))


def _updates(
    incident: Incident,
    timeline: Sequence[TimelineEntry],
    every: timedelta,
    end: datetime,
    number: Callable[[int], str],
) -> ClockOutcome:
    """Customer updates: owed every `every` from detection (loud or customer-detected) or the first call."""
    kind = ClockKind.CUSTOMER_UPDATE
    loud = incident.severity.rank <= Severity.MAJOR.rank
    if not (customer_involved(incident) or loud):
        return ClockOutcome(
            kind,
            every,
            Verdict.NOT_REQUIRED,
            translate("domain.report", "no customer involved and not major or above"),
        )
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
    count = plural(
        len(sent),
        translate("domain.report", "{n} update sent"),
        translate("domain.report", "{n} updates sent"),
    ).format(n=number(len(sent)))
    every_text = translate("domain.report", "due every {duration}").format(duration=format_duration(every))
    if late:
        missed = plural(
            late,
            translate("domain.report", "{n} deadline missed"),
            translate("domain.report", "{n} deadlines missed"),
        ).format(n=number(late))
        detail = translate("domain.report", "{sent}, {missed}, longest gap {gap} ({every})").format(
            sent=count, missed=missed, gap=format_duration(longest), every=every_text
        )
        return ClockOutcome(kind, every, Verdict.BREACHED, detail)
    verdict = Verdict.MET if incident.status is IncidentStatus.RESOLVED else Verdict.RUNNING
    detail = translate("domain.report", "{sent}, longest gap {gap} ({every})").format(
        sent=count, gap=format_duration(longest), every=every_text
    )
    return ClockOutcome(kind, every, verdict, detail)


def _callers(
    calls: Sequence[Call], target: timedelta, now: datetime, number: Callable[[int], str]
) -> ClockOutcome:
    kind = ClockKind.CALLER_ACK
    on_time = sum(
        1 for c in calls if c.customer_acked_at is not None and c.customer_acked_at <= c.customer_ack_due_at
    )
    late = sum(1 for c in calls if (c.customer_acked_at or now) > c.customer_ack_due_at)
    waiting = sum(1 for c in calls if c.customer_acked_at is None and now <= c.customer_ack_due_at)
    detail = plural(
        len(calls),
        translate("domain.report", "{on_time} of {n} caller acknowledged within {target}"),
        translate("domain.report", "{on_time} of {n} callers acknowledged within {target}"),
    ).format(on_time=number(on_time), n=number(len(calls)), target=format_duration(target))
    if late:
        detail = translate("domain.report", "{detail}; {late} late or never").format(
            detail=detail, late=number(late)
        )
        return ClockOutcome(kind, target, Verdict.BREACHED, detail)
    return ClockOutcome(kind, target, Verdict.RUNNING if waiting else Verdict.MET, detail)


def _sla(
    incident: Incident,
    timeline: Sequence[TimelineEntry],
    calls: Sequence[Call],
    breaches: Sequence[RecordedBreach],
    policy: SlaPolicy,
    now: datetime,
    number: Callable[[int], str],
) -> Section:
    outcomes = sla_outcomes(incident, timeline, calls, breaches, policy, now, number)
    facts = tuple((o.clock.display_label, f"{o.verdict.display_label}: {o.detail}") for o in outcomes)
    broken = sum(o.verdict is Verdict.BREACHED for o in outcomes)
    if not broken:
        paragraph = translate("domain.report", "Every SLA clock was met.")
    else:
        paragraph = plural(
            broken,
            translate("domain.report", "{n} SLA clock breached."),
            translate("domain.report", "{n} SLA clocks breached."),
        ).format(n=number(broken))
    if any(o.verdict is Verdict.RUNNING for o in outcomes) and not broken:
        paragraph = translate("domain.report", "No SLA clock breached so far; some are still running.")
    others = sorted(
        (b for b in breaches if b.clock not in {o.clock for o in outcomes}), key=lambda b: b.due_at
    )
    table = None
    if breaches:
        rows = tuple(
            (b.clock.display_label, format_time(b.due_at), format_time(b.recorded_at)) for b in breaches
        )
        columns = (
            translate("domain.report", "Recorded breach"),
            translate("domain.report", "Was due"),
            translate("domain.report", "Recorded"),
        )
        table = Table(columns, rows)
    if others:
        also = translate("domain.report", "Also breached: {clocks}.").format(
            clocks=", ".join(sorted({b.clock.display_label for b in others}))
        )
        paragraph += " " + also
    return Section(
        translate("domain.report", "SLA clocks"), paragraphs=(paragraph,), facts=facts, table=table
    )


# --- inputs, timeline, pages ------------------------------------------------------------------------
def _text_section(heading: str, text: str | None) -> Section:
    if text is None or not text.strip():
        return Section(heading, paragraphs=(translate("domain.report", NOT_RECORDED),))
    return Section(heading, paragraphs=tuple(p.strip() for p in text.strip().split("\n\n") if p.strip()))


def _list_section(heading: str, items: Sequence[str]) -> Section:
    kept = tuple(i.strip() for i in items if i.strip())
    if not kept:
        return Section(heading, paragraphs=(translate("domain.report", NOT_RECORDED),))
    columns = ("#", translate("domain.report", "Action"))
    return Section(heading, table=Table(columns, tuple((str(n), t) for n, t in enumerate(kept, 1))))


def _preventive(measures: Sequence[PreventiveMeasure]) -> Section:
    heading = translate("domain.report", "Preventive measures")
    kept = [m for m in measures if m.what.strip()]
    if not kept:
        return Section(heading, paragraphs=(translate("domain.report", NOT_RECORDED),))
    no_owner = translate("domain.report", "no owner yet")
    no_date = translate("domain.report", "no date yet")
    rows = tuple((m.what.strip(), m.owner or no_owner, m.due.isoformat() if m.due else no_date) for m in kept)
    columns = (
        translate("domain.report", "Measure"),
        translate("domain.report", "Owner"),
        translate("domain.report", "Due"),
    )
    return Section(heading, table=Table(columns, rows))


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


def _timeline(timeline: Sequence[TimelineEntry], number: Callable[[int], str]) -> Section:
    heading = translate("domain.report", "Timeline")
    kept = key_entries(timeline)
    if not kept:
        return Section(heading, paragraphs=(translate("domain.report", "No timeline entries."),))
    shown = kept[:MAX_TIMELINE]
    paragraphs: tuple[str, ...] = ()
    if len(kept) > len(shown):
        first = translate(
            "domain.report", "The first {shown} of {total} key entries; `noc-console show` lists all."
        )
        paragraphs = (first.format(shown=number(len(shown)), total=number(len(kept))),)
    rows = tuple((format_time(e.at), timeline_kind(e.kind), e.by, e.text) for e in shown)
    columns = (
        translate("domain.report", "When"),
        translate("domain.report", "What"),
        translate("domain.report", "Who"),
        translate("domain.report", "Entry"),
    )
    return Section(heading, paragraphs=paragraphs, table=Table(columns, rows))


def _pages(pages: Sequence[PageSent], number: Callable[[int], str]) -> Section:
    heading = translate("domain.report", "Pages sent")
    if not pages:
        return Section(heading, paragraphs=(translate("domain.report", "Nobody was paged."),))
    via = translate("domain.report", "{channel} via {provider}")
    rows = tuple(
        (
            format_time(p.at),
            _page_action(p.action),
            p.target,
            via.format(channel=_page_channel(p.channel), provider=p.provider)
            if p.provider
            else _page_channel(p.channel),
            _page_status(p.status)
            + (f", {p.delivery}" if p.delivery else "")
            + (f": {p.error}" if p.error else ""),
        )
        for p in pages
    )
    sent = sum(1 for p in pages if p.status == "sent")
    paragraph = plural(
        len(pages),
        translate("domain.report", "{n} page, {sent} sent."),
        translate("domain.report", "{n} pages, {sent} sent."),
    ).format(n=number(len(pages)), sent=number(sent))
    columns = (
        translate("domain.report", "When"),
        translate("domain.report", "Action"),
        translate("domain.report", "To"),
        translate("domain.report", "By"),
        translate("domain.report", "Status"),
    )
    return Section(heading, paragraphs=(paragraph,), table=Table(columns, rows))
