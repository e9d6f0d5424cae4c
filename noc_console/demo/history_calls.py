"""The customers' side of the demo's history: calls, customer updates, and the SLA clocks they run.

A call's columns mean what `store.calls` makes them mean: `received_at` is when the phone rang,
`logged_at` when the desk saved it (the incident it opened was written then), `started_at` what the
caller said about when it began for them. A customer update tells every caller so far, which also
acknowledges a caller still waiting, as `store.repository.log_customer_update` does.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from noc_console.demo import history_catalog as catalog
from noc_console.demo.history_story import Draws, Lognormal, PlannedIncident, Story, utc
from noc_console.domain.calls import describe_lead, detection_lead
from noc_console.domain.incidents import BusinessImpact
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockKind, SlaPolicy

CALLS_WHEN_CUSTOMER_DETECTED = {1: 0.50, 2: 0.25, 3: 0.15, 4: 0.10}
CALL_CHANCE_WHEN_INTERNAL = {
    Severity.CRITICAL: 0.45, Severity.MAJOR: 0.25, Severity.MINOR: 0.08, Severity.WARNING: 0.02,
}  # fmt: skip
CALLS_WHEN_INTERNAL = {1: 0.6, 2: 0.3, 3: 0.1}
FIRST_CALL_AFTER_DETECTION: Lognormal = (480.0, 0.8)
NEXT_CALL: Lognormal = (300.0, 0.8)
CALLS_END_BEFORE_RESOLVE = timedelta(minutes=2)  # later calls are about the next incident
LOG_CALL: Lognormal = (90.0, 0.5)  # from the phone ringing to the call being saved
CALLER_GIVES_START = 0.60
CALLER_START_SPREAD_S = 240.0  # standard deviation of a caller's "started at" around the impact start
CALLER_ACKED: Lognormal = (120.0, 0.6)  # unless a customer update tells them first
FIRST_UPDATE_S = (120.0, 600.0)  # uniform, after the assessment (or the update clock's start)
UPDATE_EVERY_S = (18 * 60.0, 28 * 60.0)  # uniform; the clock allows 30 minutes
CALL_RETENTION = timedelta(days=365)  # [helpdesk] retention_days' default: older callers are anonymised
POLICY = SlaPolicy()  # the history's SLA: the standard one, not the demo's short clocks


def calls(draws: Draws, story: Story, plan: PlannedIncident, now: datetime) -> str:
    """Customers' calls; returns who logged the first one when it opened the incident."""
    rng = draws.rng
    if not story.internal:
        count, received = draws.pick(CALLS_WHEN_CUSTOMER_DETECTED), story.detected
    elif not story.false_positive and rng.random() < CALL_CHANCE_WHEN_INTERNAL[story.severity]:
        count = draws.pick(CALLS_WHEN_INTERNAL)
        received = draws.after(story.detected, FIRST_CALL_AFTER_DETECTION)
    else:
        return ""
    opened_by = ""
    for index in range(count):
        received = received if index == 0 else draws.after(received, NEXT_CALL)
        opens_it = index == 0 and not story.internal
        if not opens_it and received >= story.resolved - CALLS_END_BEFORE_RESOLVE:
            break
        agent = rng.choice(catalog.HELPDESK)
        opened_by = opened_by or agent
        logged = story.opened if opens_it else min(draws.after(received, LOG_CALL), story.resolved)
        started = None
        if rng.random() < CALLER_GIVES_START:
            guess = story.impact + timedelta(seconds=rng.gauss(0.0, CALLER_START_SPREAD_S))
            started = min(guess, received).replace(second=0, microsecond=0)  # "about ten past"
        summary = rng.choice(story.service.callers_say)
        users = rng.choice((5, 10, 25, 40, 120, 300))
        impact = draws.pick({BusinessImpact.DOWN: 0.4, BusinessImpact.DEGRADED: 0.6}).value
        acked = max(logged, draws.after(received, CALLER_ACKED))
        acked_at = acked if acked < story.resolved else None  # else nobody got back to them before the fix
        anonymised = received + CALL_RETENTION if received + CALL_RETENTION <= now else None
        plan.calls.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "received_at": received, "logged_at": logged, "taken_by": agent,
            "caller": None if anonymised else rng.choice(catalog.CALLERS),
            "organisation": None if anonymised else rng.choice(catalog.ORGANISATIONS),
            "phone": None if anonymised else f"{catalog.PHONE_PREFIX}{rng.randrange(1000):03d}",
            "callback": draws.pick({"phone": 0.6, "email": 0.25, "sms": 0.1, "none": 0.05}),
            "service": story.name, "summary": summary, "started_at": started, "users_affected": users,
            "impact": impact, "attached": not opens_it,
            "customer_ack_due_at": received + POLICY.ack,
            "customer_acked_at": acked_at, "customer_acked_by": agent if acked_at else None,
            "anonymised_at": anonymised,
        })  # fmt: skip
        extra = [f"{users:,} of their users affected", f"impact: {impact}"]
        if started is not None:
            extra.append(f"started for them at {utc(started, '%H:%M')}")
        said = f"A customer called at {utc(received, '%H:%M:%S')}: {summary} ({'; '.join(extra)})"
        plan.timeline.append((logged, "call", agent, said, None))  # as store.calls words it
        if index == 0 and story.internal and story.monitoring_at is not None:
            lead = detection_lead(received, story.monitoring_at)
            assert lead is not None  # both known
            verdict = describe_lead(lead, stored=True).capitalize()
            plan.timeline.append((logged, "detection_race", "system", verdict, None))
    return opened_by


def customer_updates(
    draws: Draws, story: Story, plan: PlannedIncident, clock_start: datetime | None, assessed: datetime | None
) -> list[datetime]:
    """Customer updates while the update clock runs; each tells every caller so far, which also
    acknowledges a caller still waiting. Then the callers the desk acknowledged itself."""
    times: list[datetime] = []
    if clock_start is not None and not story.false_positive:
        at = draws.uniform(max(clock_start, assessed or clock_start), FIRST_UPDATE_S)
        while at < story.resolved:
            times.append(at)
            at = draws.uniform(at, UPDATE_EVERY_S)
    channel = "status-page" if story.loud else "phone"
    who = story.owner or story.operator
    stamped: set[str] = set()
    for index, at in enumerate(times):
        phase = 0 if index == 0 else 2 if index == len(times) - 1 else 1
        body = catalog.UPDATE_TEXTS[phase].format(service=story.name)
        told = [c for c in plan.calls if c["logged_at"] <= at]
        for call in told:
            plan.call_updates.append(
                {"call_id": call["id"], "at": at, "channel": channel, "text": body, "by": who}
            )
            if call["customer_acked_at"] is None or call["customer_acked_at"] > at:
                call["customer_acked_at"], call["customer_acked_by"] = at, who
                stamped.add(call["id"])
        callers = f" (told {len(told)} caller{'s' if len(told) != 1 else ''})" if told else ""
        plan.timeline.append(
            (at, "customer_update", who, f"Customer update ({channel}){callers}: {body}", None)
        )
    for call in plan.calls:
        if call["customer_acked_at"] is not None and call["id"] not in stamped:
            said = f"Caller acknowledged (their call at {utc(call['received_at'], '%H:%M:%S')})"
            plan.timeline.append((call["customer_acked_at"], "caller_ack", call["taken_by"], said, None))
    return times


def breaches(
    story: Story, plan: PlannedIncident, clock_start: datetime | None, updates: list[datetime], now: datetime
) -> None:
    """Every SLA clock that ran past its due time, as the engine records it: once, at the due time."""
    found: dict[tuple[ClockKind, datetime], None] = {}

    def ran(kind: ClockKind, due: datetime, stopped: datetime | None) -> None:
        if due <= now and (stopped is None or due < stopped):
            found.setdefault((kind, due))

    incident = plan.incident
    ran(ClockKind.ACK, story.detected + POLICY.ack, story.acked)
    ran(
        ClockKind.ASSESSMENT,
        story.detected + POLICY.assessment,
        incident["assessed_at"] or story.resolved,
    )
    if clock_start is not None:
        last = clock_start
        for at in [*updates, story.resolved]:
            ran(ClockKind.CUSTOMER_UPDATE, last + POLICY.customer_update, at)
            last = at
    for call in plan.calls:
        stopped = min(call["customer_acked_at"] or story.resolved, story.resolved)
        ran(ClockKind.CALLER_ACK, call["received_at"] + POLICY.ack, stopped)
    if not story.false_positive and (story.loud or not story.internal):
        ran(ClockKind.POSTMORTEM, story.resolved + POLICY.postmortem, incident["postmortem_done_at"])
        ran(ClockKind.EXEC_REPORT, story.resolved + POLICY.exec_report, incident["exec_report_done_at"])
    for kind, due in found:
        plan.breaches.append({"clock": kind.value, "due_at": due, "recorded_at": due})
        said = f"{kind.label} was due at {utc(due, '%Y-%m-%d %H:%M:%S')}: breached"
        plan.timeline.append((due, "sla_breach", "system", said, None))
