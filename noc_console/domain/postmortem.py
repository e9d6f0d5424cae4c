"""Post-mortems: what happened, why, why our monitoring did not see it first, and what we will change.

One is owed for every resolved major or critical incident and every customer-detected one (the same rule
as the SLA clocks' `needs_reports`), due 48 hours after resolution. It starts as a draft made from the
incident (its key timeline entries, its assessment, the calls) and is finished once the required fields
are written; finishing stops the clock. Action items have an owner, a deadline and a status, and an open
one past its deadline is overdue. A follow-up 2 to 4 weeks after the post-mortem checks the actions
took effect; on and after its date the lead's view reminds.

Blameless by design: the prompts ask what happened and what made it possible, never who is at fault, and
`blame_hints` points out wording that looks for a culprit (a hint, never a refusal).

Pure: the caller passes `now` and `today`; the store (store.postmortems) reads and writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from noc_console.domain import inputs
from noc_console.domain.calls import Call
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.incidents import Incident, TimelineEntry, timeline_kind
from noc_console.domain.metrics import detected_internally, impact_start
from noc_console.domain.report import (
    PreventiveMeasure,
    Report,
    ReportInputs,
    Section,
    Table,
    customers_affected,
    format_duration,
    format_time,
    impact_duration,
    key_entries,
)
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy, needs_reports

EARLY_WARNING_WINDOW = timedelta(hours=24)
FOLLOW_UP_MIN = timedelta(weeks=2)
FOLLOW_UP_MAX = timedelta(weeks=4)
FOLLOW_UP_DEFAULT = timedelta(weeks=3)
MAX_TEXT = 20_000
MAX_ITEM = 1_000
MAX_ITEMS = 100
MAX_TIMELINE_LINES = 500
MAX_EARLY_WARNINGS = 500

# The questions each free-text field answers, shown in the empty field: blameless wording. Shown as
# `translate("domain.postmortem", PROMPTS[name])`.
PROMPTS = {
    "summary": QT_TRANSLATE_NOOP(
        "domain.postmortem",
        "What happened and what it did to our users, in two or three sentences. Describe "
        "systems and decisions, not people.",
    ),
    "root_cause": QT_TRANSLATE_NOOP(
        "domain.postmortem",
        "What made this possible? Keep asking why until the answer is a condition of the "
        "system (a missing check, a limit, a process gap), not a person.",
    ),
    "contributing_factors": QT_TRANSLATE_NOOP(
        "domain.postmortem",
        "What else made it worse or longer: timing, load, missing runbooks, "
        "alerts that were noisy or silenced, information that was hard to find.",
    ),
    "why_not_detected": QT_TRANSLATE_NOOP(
        "domain.postmortem",
        "Why did our monitoring not detect this before a customer told us? Which signal "
        "was missing, too slow, too quiet or silenced?",
    ),
    "corrective_actions": QT_TRANSLATE_NOOP("domain.postmortem", "What was done to restore service."),
    "service_credit": QT_TRANSLATE_NOOP(
        "domain.postmortem", "A service credit offered to customers, if any."
    ),
}

# Words that look for a culprit rather than a cause; the lead's view shows a gentle hint beside them.
_BLAME = re.compile(
    r"\b(human error|should have|shouldn't have|should not have|careless(ness)?|negligen(t|ce)|"
    r"fault of|to blame|blame[sd]?|failed to|incompeten(t|ce)|mistake by|his fault|her fault|their fault)\b",
    re.IGNORECASE,
)


class PostMortemStatus(StrEnum):
    DRAFT = "draft"
    FINISHED = "finished"


class ItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


# --- stored values in words, as people read them (an unknown value as it is) --------------------------
def severity_label(value: str) -> str:
    """A severity ("critical", "major"...) in words."""
    return Severity(value).word if value in _SEVERITY_VALUES else value


_SEVERITY_VALUES = frozenset(s.value for s in Severity)


def detection_label(value: str) -> str:
    """Who detected an incident first ("monitoring", "synthetic", "customer") in words."""
    return {
        "monitoring": translate("domain.postmortem", "monitoring"),
        "synthetic": translate("domain.postmortem", "synthetic"),
        "customer": translate("domain.postmortem", "customer"),
    }.get(value, value)


def alert_state_label(value: str) -> str:
    """An alert's state ("firing", "resolved", "detached") in words."""
    return {
        "firing": translate("domain.postmortem", "firing"),
        "resolved": translate("domain.postmortem", "resolved"),
        "detached": translate("domain.postmortem", "detached"),
    }.get(value, value)


def item_status_label(value: str) -> str:
    """An action item's status ("open", "done", "dropped") in words."""
    return {
        "open": translate("domain.postmortem", "open"),
        "done": translate("domain.postmortem", "done"),
        "dropped": translate("domain.postmortem", "dropped"),
    }.get(value, value)


@dataclass(frozen=True, slots=True)
class ActionItem:
    """Something we will change, who owns it, by when."""

    what: str
    owner: str
    due: date
    status: ItemStatus = ItemStatus.OPEN

    def overdue(self, today: date) -> bool:
        return self.status is ItemStatus.OPEN and self.due < today


@dataclass(frozen=True, slots=True)
class TimelineLine:
    """One line of the post-mortem's own timeline (made from the incident's, then edited)."""

    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class EarlyWarning:
    """An alert on an affected service in the 24 h before impact start: the "what did we ignore?" list."""

    source: str
    name: str
    severity: str
    service: str | None
    starts_at: datetime
    state: str
    silenced: bool
    summary: str
    incident_id: int | None


@dataclass(frozen=True, slots=True)
class PostMortem:
    incident_id: int
    summary: str | None = None
    timeline: tuple[TimelineLine, ...] = ()
    users_affected: int | None = None
    services: str | None = None
    root_cause: str | None = None
    contributing_factors: str | None = None
    why_not_detected: str | None = None
    corrective_actions: str | None = None
    service_credit: str | None = None
    action_items: tuple[ActionItem, ...] = ()
    follow_up_on: date | None = None
    follow_up_done_at: datetime | None = None
    status: PostMortemStatus = PostMortemStatus.DRAFT
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    finished_at: datetime | None = None
    finished_by: str | None = None
    version: int = 0  # bumped by every save: a save made from an older version is refused

    @property
    def finished(self) -> bool:
        return self.status is PostMortemStatus.FINISHED


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


@dataclass(frozen=True, slots=True)
class Owed:
    """One line of the lead's list: an incident whose post-mortem is owed, drafted or finished."""

    incident: Incident
    postmortem: PostMortem | None
    due_at: datetime
    overdue_items: int = 0
    follow_up_due: bool = False

    @property
    def finished(self) -> bool:
        return self.postmortem is not None and self.postmortem.finished


def owes_postmortem(incident: Incident) -> bool:
    """Resolved, not a false positive, and major or critical or detected by a customer."""
    return needs_reports(incident)


def due_at(incident: Incident, policy: SlaPolicy) -> datetime | None:
    """When its post-mortem is due (resolution + the policy's 48 h); None when none is owed."""
    if not owes_postmortem(incident) or incident.resolved_at is None:
        return None
    return incident.resolved_at + policy.postmortem


def detected_by_customer(incident: Incident) -> bool:
    """A customer told us before our monitoring did: "why didn't we detect it?" must be answered."""
    return not detected_internally(incident)


def draft(incident: Incident, timeline: Sequence[TimelineEntry], today: date) -> PostMortem:
    """A new post-mortem made from what the incident already records; every line can be edited."""
    lines = tuple(
        TimelineLine(e.at, f"{timeline_kind(e.kind)}: {e.text}" + (f" ({e.by})" if e.by else ""))
        for e in key_entries(timeline)[:MAX_TIMELINE_LINES]
    )
    return PostMortem(
        incident_id=incident.id,
        timeline=lines,
        users_affected=incident.users_affected,
        services=incident.services_affected or incident.service,
        follow_up_on=today + FOLLOW_UP_DEFAULT,
    )


def blame_hints(text: str | None) -> list[str]:
    """The phrases of `text` that look for a culprit (each once, in order of appearance)."""
    found: list[str] = []
    for match in _BLAME.finditer(text or ""):
        phrase = match.group(0).lower()
        if phrase not in found:
            found.append(phrase)
    return found


def _text(name: str, value: str | None, limit: int = MAX_TEXT) -> str | None:
    return inputs.text(name, value, limit, required=False)


def checked(pm: PostMortem) -> PostMortem:
    """The post-mortem with its text trimmed and every bound checked; InvalidInput names the field.

    What a draft may hold: anything may still be empty.
    """
    if len(pm.timeline) > MAX_TIMELINE_LINES:
        raise inputs.InvalidInput(
            translate("domain.postmortem", "timeline"),
            translate("domain.postmortem", "at most {n} lines").format(n=MAX_TIMELINE_LINES),
        )
    if len(pm.action_items) > MAX_ITEMS:
        raise inputs.InvalidInput(
            translate("domain.postmortem", "action items"),
            translate("domain.postmortem", "at most {n}").format(n=MAX_ITEMS),
        )
    timeline = []
    for n, line in enumerate(pm.timeline, 1):
        text = inputs.text(
            translate("domain.postmortem", "timeline line {n}").format(n=n), line.text, MAX_ITEM
        )
        assert text is not None
        timeline.append(TimelineLine(line.at, text))
    items = []
    for n, item in enumerate(pm.action_items, 1):
        what = inputs.text(
            translate("domain.postmortem", "action item {n}: what").format(n=n), item.what, MAX_ITEM
        )
        owner = inputs.text(
            translate("domain.postmortem", "action item {n}: owner").format(n=n), item.owner, inputs.MAX_NAME
        )
        assert what is not None and owner is not None
        status = inputs.choice(
            translate("domain.postmortem", "action item {n}: status").format(n=n), item.status, ItemStatus
        )
        items.append(ActionItem(what, owner, item.due, status or ItemStatus.OPEN))
    return replace(
        pm,
        summary=_text(translate("domain.postmortem", "summary"), pm.summary),
        timeline=tuple(sorted(timeline, key=lambda line: line.at)),
        users_affected=inputs.count(translate("domain.postmortem", "users affected"), pm.users_affected),
        services=_text(translate("domain.postmortem", "services"), pm.services, inputs.MAX_SERVICES),
        root_cause=_text(translate("domain.postmortem", "root cause"), pm.root_cause),
        contributing_factors=_text(
            translate("domain.postmortem", "contributing factors"), pm.contributing_factors
        ),
        why_not_detected=_text(
            translate("domain.postmortem", "why monitoring did not detect it"), pm.why_not_detected
        ),
        corrective_actions=_text(translate("domain.postmortem", "corrective actions"), pm.corrective_actions),
        service_credit=_text(translate("domain.postmortem", "service credit"), pm.service_credit, MAX_ITEM),
        action_items=tuple(items),
    )


def problems_to_finish(pm: PostMortem, incident: Incident, today: date) -> list[FieldProblem]:
    """What must still be written before it can be finished, each naming its field (empty: it can)."""
    problems = []
    for name, value in (
        (translate("domain.postmortem", "summary"), pm.summary),
        (translate("domain.postmortem", "timeline"), "yes" if pm.timeline else None),
        (translate("domain.postmortem", "root cause"), pm.root_cause),
        (translate("domain.postmortem", "contributing factors"), pm.contributing_factors),
    ):
        if not (value or "").strip():
            problems.append(
                FieldProblem(name, translate("domain.postmortem", "must be written before it is finished"))
            )
    if detected_by_customer(incident) and not (pm.why_not_detected or "").strip():
        problems.append(
            FieldProblem(
                translate("domain.postmortem", "why monitoring did not detect it"),
                translate("domain.postmortem", "a customer told us first: say why we did not see it"),
            )
        )
    if not pm.action_items:
        problems.append(
            FieldProblem(
                translate("domain.postmortem", "action items"),
                translate("domain.postmortem", "at least one: what will we change?"),
            )
        )
    follow_up = translate("domain.postmortem", "follow-up date")
    if pm.follow_up_on is None:
        problems.append(
            FieldProblem(follow_up, translate("domain.postmortem", "must be set, 2 to 4 weeks from today"))
        )
    else:
        earliest, latest = today + FOLLOW_UP_MIN, today + FOLLOW_UP_MAX
        if not earliest <= pm.follow_up_on <= latest:
            # The days as the follow-up field writes them (yyyy-MM-dd).
            problems.append(
                FieldProblem(
                    follow_up,
                    translate(
                        "domain.postmortem", "must be 2 to 4 weeks from today: {earliest} to {latest}"
                    ).format(earliest=earliest.isoformat(), latest=latest.isoformat()),
                )
            )
    return problems


def overdue_items(pm: PostMortem, today: date) -> list[ActionItem]:
    return [item for item in pm.action_items if item.overdue(today)]


def follow_up_due(pm: PostMortem, today: date) -> bool:
    """The follow-up's day has come and it has not been held yet."""
    return (
        pm.finished
        and pm.follow_up_on is not None
        and pm.follow_up_done_at is None
        and pm.follow_up_on <= today
    )


def owed_line(incident: Incident, pm: PostMortem | None, policy: SlaPolicy, today: date) -> Owed | None:
    due = due_at(incident, policy)
    if due is None:
        return None
    if pm is None:
        return Owed(incident, None, due)
    return Owed(incident, pm, due, len(overdue_items(pm, today)), follow_up_due(pm, today))


def needs_attention(line: Owed, now: datetime, today: date) -> bool:
    """Shown in red on the lead's list: past due and unfinished, an overdue item, or a follow-up due."""
    return (not line.finished and line.due_at <= now) or line.overdue_items > 0 or line.follow_up_due


def impact_start_of(incident: Incident, first_caller_started_at: datetime | None = None) -> datetime:
    """When the trouble began: the earliest of the first alert's start and the earliest caller's "started
    at", else when we detected it."""
    return impact_start(incident, first_caller_started_at) or incident.detected_at


def early_warnings(
    candidates: Iterable[EarlyWarning], services: Iterable[str], impact_start: datetime
) -> list[EarlyWarning]:
    """Every alert on one of `services` that started in the 24 h before impact start, oldest first:
    any severity, silenced or not, firing or resolved."""
    wanted = {s.casefold() for s in services if s}
    since = impact_start - EARLY_WARNING_WINDOW
    kept = [
        w
        for w in candidates
        if w.service is not None and w.service.casefold() in wanted and since <= w.starts_at < impact_start
    ]
    kept.sort(key=lambda w: (w.starts_at, w.source, w.name))
    return kept[:MAX_EARLY_WARNINGS]


def affected_services(incident: Incident, pm: PostMortem | None) -> list[str]:
    """The incident's service and every service the post-mortem (or the assessment) names."""
    named = [incident.service or ""]
    for text in (pm.services if pm else None, incident.services_affected):
        named += [part.strip() for part in re.split(r"[,;\n]", text or "")]
    seen: list[str] = []
    for name in named:
        if name and name.casefold() not in {s.casefold() for s in seen}:
            seen.append(name)
    return seen


# --- the document for the whole IT team -------------------------------------------------------------
HEADINGS = (
    QT_TRANSLATE_NOOP("domain.postmortem", "Summary"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Impact"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Timeline"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Root cause"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Contributing factors"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Why didn't our monitoring detect this?"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Early warning signs"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Action items"),
    QT_TRANSLATE_NOOP("domain.postmortem", "Follow-up"),
)


def _grouped(value: int) -> str:
    return f"{value:,}"


def document(
    pm: PostMortem,
    incident: Incident,
    *,
    calls: Sequence[Call],
    warnings: Sequence[EarlyWarning],
    now: datetime,
    number: Callable[[int], str] = _grouped,
) -> Report:
    """The post-mortem as sections for the HTML and PDF renderers (report_render), in the installed
    language; `number` writes a count (the window passes the locale's)."""
    today = now.date()
    span, start_note = impact_duration(incident, now)
    not_written = translate("domain.postmortem", "Not written yet.")
    if pm.finished:
        status = translate("domain.postmortem", "finished {time} by {who}").format(
            time=format_time(pm.finished_at), who=pm.finished_by or translate("domain.postmortem", "unknown")
        )
    else:
        status = translate("domain.postmortem", "DRAFT, not finished")
    detected = translate("domain.postmortem", "{time} by {source}").format(
        time=format_time(incident.detected_at), source=detection_label(incident.detected_by)
    )
    summary = Section(
        translate("domain.postmortem", "Summary"),
        paragraphs=(pm.summary or not_written,),
        facts=(
            (translate("domain.postmortem", "Incident"), f"#{incident.id}: {incident.title}"),
            (translate("domain.postmortem", "Severity"), severity_label(incident.severity)),
            (translate("domain.postmortem", "Detected"), detected),
            (translate("domain.postmortem", "Resolved"), format_time(incident.resolved_at)),
            (translate("domain.postmortem", "Post-mortem"), status),
            (
                translate("domain.postmortem", "Blameless"),
                translate(
                    "domain.postmortem",
                    "This review looks for causes in systems and processes, not for people to blame.",
                ),
            ),
        ),
    )
    users = (
        number(pm.users_affected)
        if pm.users_affected is not None
        else translate("domain.postmortem", "not assessed")
    )
    duration = translate("domain.postmortem", "{duration} (from {start} to resolution)").format(
        duration=format_duration(span), start=start_note
    )
    impact = Section(
        translate("domain.postmortem", "Impact"),
        facts=(
            (translate("domain.postmortem", "Duration"), duration),
            (translate("domain.postmortem", "Users affected"), users),
            (
                translate("domain.postmortem", "Services"),
                pm.services or incident.service or translate("domain.postmortem", "not recorded"),
            ),
            (translate("domain.postmortem", "Customers who called"), customers_affected(calls)),
        ),
    )
    timeline = Section(
        translate("domain.postmortem", "Timeline"),
        paragraphs=() if pm.timeline else (translate("domain.postmortem", "No timeline lines."),),
        table=Table(
            (translate("domain.postmortem", "When"), translate("domain.postmortem", "What happened")),
            tuple((format_time(t.at), t.text) for t in pm.timeline),
        )
        if pm.timeline
        else None,
    )
    why_not = pm.why_not_detected or (
        not_written
        if detected_by_customer(incident)
        else translate("domain.postmortem", "Our monitoring detected it first.")
    )
    early_heading = translate("domain.postmortem", "Early warning signs")
    if warnings:
        rows = tuple(
            (
                format_time(w.starts_at),
                w.source,
                w.name,
                severity_label(w.severity),
                w.service or "",
                translate("domain.postmortem", "{state}, silenced").format(state=alert_state_label(w.state))
                if w.silenced
                else alert_state_label(w.state),
                w.summary,
            )
            for w in warnings
        )
        early = Section(
            early_heading,
            paragraphs=(
                plural(
                    len(warnings),
                    translate(
                        "domain.postmortem",
                        "{n} alert on the affected services in the 24 h before impact start. "
                        "What did we ignore, and why?",
                    ),
                    translate(
                        "domain.postmortem",
                        "{n} alerts on the affected services in the 24 h before impact start. "
                        "What did we ignore, and why?",
                    ),
                ).format(n=number(len(warnings))),
            ),
            table=Table(
                (
                    translate("domain.postmortem", "Started"),
                    translate("domain.postmortem", "Source"),
                    translate("domain.postmortem", "Alert"),
                    translate("domain.postmortem", "Severity"),
                    translate("domain.postmortem", "Service"),
                    translate("domain.postmortem", "State"),
                    translate("domain.postmortem", "Summary"),
                ),
                rows,
            ),
        )
    else:
        early = Section(
            early_heading,
            paragraphs=(
                translate(
                    "domain.postmortem", "No alert on the affected services in the 24 h before impact."
                ),
            ),
        )
    items_heading = translate("domain.postmortem", "Action items")
    if pm.action_items:
        items = Section(
            items_heading,
            table=Table(
                (
                    translate("domain.postmortem", "What"),
                    translate("domain.postmortem", "Owner"),
                    translate("domain.postmortem", "Deadline"),
                    translate("domain.postmortem", "Status"),
                ),
                tuple(
                    (
                        item.what,
                        item.owner,
                        item.due.isoformat(),
                        translate("domain.postmortem", "OVERDUE")
                        if item.overdue(today)
                        else item_status_label(item.status),
                    )
                    for item in pm.action_items
                ),
            ),
        )
    else:
        items = Section(items_heading, paragraphs=(translate("domain.postmortem", "None yet."),))
    if pm.follow_up_on is None:
        follow = translate("domain.postmortem", "No follow-up date set.")
    elif pm.follow_up_done_at is not None:
        follow = translate("domain.postmortem", "Follow-up review on {day}, held {time}").format(
            day=pm.follow_up_on.isoformat(), time=format_time(pm.follow_up_done_at)
        )
    else:
        follow = translate("domain.postmortem", "Follow-up review on {day}").format(
            day=pm.follow_up_on.isoformat()
        )
    sections = (
        summary,
        impact,
        timeline,
        Section(translate("domain.postmortem", "Root cause"), paragraphs=(pm.root_cause or not_written,)),
        Section(
            translate("domain.postmortem", "Contributing factors"),
            paragraphs=(pm.contributing_factors or not_written,),
        ),
        Section(
            translate("domain.postmortem", "Why didn't our monitoring detect this?"), paragraphs=(why_not,)
        ),
        early,
        items,
        Section(translate("domain.postmortem", "Follow-up"), paragraphs=(follow,)),
    )
    return Report(
        incident.id, incident.title, now, sections, kind=translate("domain.postmortem", "Post-mortem")
    )


def report_inputs(pm: PostMortem) -> ReportInputs:
    """What the executive report takes from a post-mortem: root cause, the corrective actions (one per
    line), the action items not dropped as preventive measures, and the service credit."""
    actions = tuple(
        line.strip("-• \t") for line in (pm.corrective_actions or "").splitlines() if line.strip()
    )
    preventive = tuple(
        PreventiveMeasure(item.what, item.owner, item.due)
        for item in pm.action_items
        if item.status is not ItemStatus.DROPPED
    )
    return ReportInputs(pm.root_cause, actions, preventive, pm.service_credit)
