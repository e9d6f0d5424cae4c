"""One incident of the demo's history and every row written with it, as the live pipeline writes them.

The columns mean what `engine.correlator`, `store.calls` and `store.repository` make them mean:
`detected_at` is when we knew (the fetch, or the customer's call), `opened_at` when the incident was
written, `monitoring_detected_at` and `first_call_at` the two sides of the detection race, and
`impact_started_at` the earliest alert's start (or the first caller's "started at" when a customer
opened it). The distributions are described in `demo.history`; their figures are the constants here.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from noc_console.demo import history_catalog as catalog
from noc_console.demo.history_calls import (
    CALLS_END_BEFORE_RESOLVE,
    LOG_CALL,
    breaches,
    calls,
    customer_updates,
)
from noc_console.demo.history_catalog import AlertTemplate
from noc_console.demo.history_postmortems import plan_postmortem
from noc_console.demo.history_story import Draws, Lognormal, PlannedIncident, Story, utc
from noc_console.domain.calls import describe_lead, detection_lead
from noc_console.domain.incidents import BusinessImpact, DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity

DETECT_MONITORING: Lognormal = (90.0, 0.8)
DETECT_SYNTHETIC: Lognormal = (240.0, 0.5)
DETECT_CUSTOMER: Lognormal = (720.0, 0.7)
DETECTION_SPEEDUP = 0.30  # the monitoring and synthetic medians shrink by this much over the range
SYNTHETIC_SHARE = 0.15  # of internally detected incidents, on services with a synthetic check
MONITORING_CATCHES_UP = 0.60  # of customer-detected incidents on monitored services
CATCH_UP: Lognormal = (420.0, 0.7)  # after the first call is logged (the incident exists)
EXTRA_ALERT_CHANCE = 0.35  # each, up to MAX_ALERTS, starting within EXTRA_ALERT_WITHIN_S of the first
MAX_ALERTS = 4
EXTRA_ALERT_WITHIN_S = 600.0
ACKNOWLEDGE: Lognormal = (140.0, 0.5)  # after it is on screen: under 10 % take longer than 5 minutes
ASSIGN: Lognormal = (120.0, 0.6)  # after the acknowledgement; major and critical ones get an owner
ASSESS: Lognormal = (300.0, 0.6)  # after the acknowledgement
RESOLVE: Lognormal = (2700.0, 0.9)  # after the acknowledgement, times RESOLVE_FACTOR
RESOLVE_FACTOR = {Severity.CRITICAL: 1.5, Severity.MAJOR: 1.2, Severity.MINOR: 1.0, Severity.WARNING: 0.7}
RESOLVED_BY_MONITORING = 0.70  # of incidents with alerts that were not false positives: they clear
FALSE_POSITIVE_SHARE = 0.05  # of internally detected incidents
RESOLVE_FALSE_POSITIVE: Lognormal = (480.0, 0.5)
RESOLUTION_NOTE = 0.5  # of incidents resolved by hand (false positives always say why)
POSTMORTEM_DONE: Lognormal = (30 * 3600.0, 0.35)  # finished, after resolution; due in 48 h
POSTMORTEM_STARTED = (0.2, 0.8)  # uniform share of the way from resolution to finishing
EXEC_REPORT_DONE: Lognormal = (50 * 3600.0, 0.30)  # due in 72 h
USERS_AFFECTED = {
    Severity.CRITICAL: 2000.0, Severity.MAJOR: 400.0, Severity.MINOR: 40.0, Severity.WARNING: 5.0,
}  # fmt: skip
IMPACT = {
    Severity.CRITICAL: {BusinessImpact.DOWN: 0.7, BusinessImpact.DEGRADED: 0.3},
    Severity.MAJOR: {BusinessImpact.DOWN: 0.2, BusinessImpact.DEGRADED: 0.8},
    Severity.MINOR: {BusinessImpact.DEGRADED: 0.6, BusinessImpact.NONE: 0.4},
    Severity.WARNING: {BusinessImpact.DEGRADED: 0.3, BusinessImpact.NONE: 0.7},
}


def _fingerprint(labels: Mapping[str, str]) -> str:
    """As the simulator makes it: stable per label set, 16 hex digits like Alertmanager's."""
    canonical = json.dumps(sorted(labels.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class IncidentMaker:
    """Makes history incidents one at a time from a shared random generator."""

    def __init__(self, rng: random.Random, now: datetime, severity_mix: Mapping[Severity, float]) -> None:
        self.rng = rng
        self.draws = Draws(rng)
        self.now = now
        self.severity_mix = severity_mix
        self.service_weights = {name: s.weight for name, s in catalog.SERVICES.items()}

    def make(self, impact: datetime, fraction: float, customer_share: float) -> PlannedIncident | None:
        """The incident whose trouble began at `impact`, `fraction` of the way through the range, where a
        customer detects `customer_share` of the incidents on monitored services; None when it would
        still be open at `now`."""
        story = self._story(impact, fraction, customer_share)
        if story is None:
            return None
        plan = PlannedIncident(incident={})
        self._alerts(story, plan)
        logged_by = calls(self.draws, story, plan, self.now)
        first_call = min((c["received_at"] for c in plan.calls), default=None)
        if story.internal:
            title, started = plan.alerts[0]["summary"], story.impact
            opened = ("system", f"Opened by {plan.alerts[0]['source']}: {title}")
        else:
            title, started = plan.calls[0]["summary"], plan.calls[0]["started_at"] or story.detected
            opened = (logged_by, f"Reported by a customer, logged by {logged_by}: {title}")
        plan.timeline.insert(0, (story.opened, "opened", *opened, None))  # written before its alerts
        assessment = self._work(story, plan)
        # Updates are owed from detection when it is loud or a customer told us, else from the first call.
        clock_start = story.detected if story.loud or not story.internal else first_call
        updates = customer_updates(self.draws, story, plan, clock_start, assessment["assessed_at"])
        resolved_by = self._resolve(story, plan)
        owes_reports = not story.false_positive and (story.loud or not story.internal)
        finishing = self.draws.after(story.resolved, POSTMORTEM_DONE)
        exec_report = self.draws.after(story.resolved, EXEC_REPORT_DONE)
        starts = [a["starts_at"] for a in plan.alerts]
        plan.incident = {
            "title": title, "severity": story.severity.value, "status": IncidentStatus.RESOLVED.value,
            "service": story.name, "correlation_key": f"service:{story.name}",
            "detected_by": story.by.value, "source": plan.alerts[0]["source"] if story.internal else None,
            "opened_at": story.opened, "detected_at": story.detected,
            "last_alert_at": max(starts) if story.internal else max([story.opened, *starts]),
            "acknowledged_at": story.acked, "acknowledged_by": story.operator,
            "resolved_at": story.resolved, "resolved_by": resolved_by,
            "last_customer_update_at": updates[-1] if updates else None,
            "alert_count": len(plan.alerts), "firing_count": 0, "call_count": len(plan.calls),
            "impact_started_at": min([started, *starts]), "clearing_at": None, "suppressed_count": 0,
            "orphaned": False, "assigned_to": story.owner, "false_positive": story.false_positive,
            "needs_review": False, **assessment,
            "postmortem_done_at": finishing if owes_reports and finishing < self.now else None,
            "exec_report_done_at": exec_report if owes_reports and exec_report < self.now else None,
            "monitoring_detected_at": story.monitoring_at, "first_call_at": first_call,
            "caller_ack_due_at": None,
        }  # fmt: skip
        breaches(story, plan, clock_start, updates, self.now)
        if owes_reports:
            self._reports(story, plan, finishing)
        plan.timeline.sort(key=lambda entry: entry[0])
        return plan

    def _reports(self, story: Story, plan: PlannedIncident, finishing: datetime) -> None:
        """The post-mortem (started on the way to `finishing`) and the executive report, once sent."""
        lead = self.rng.choice(catalog.SHIFT_LEADS)
        started = story.resolved + (finishing - story.resolved) * self.rng.uniform(*POSTMORTEM_STARTED)
        plan.postmortem, plan.action_items, entries = plan_postmortem(
            self.rng, self.now, plan.incident, plan.timeline, started, lead
        )
        plan.timeline += entries
        sent = plan.incident["exec_report_done_at"]
        if sent is not None:
            plan.timeline.append((sent, "exec_report", lead, f"Executive report sent by {lead}", None))

    def _story(self, impact: datetime, fraction: float, customer_share: float) -> Story | None:
        rng = self.rng
        name = self.draws.pick(self.service_weights)
        service = catalog.SERVICES[name]
        severity = self.draws.pick(self.severity_mix)
        if service.source is None or rng.random() < customer_share:
            by = DetectionSource.CUSTOMER
        elif service.probe is not None and rng.random() < SYNTHETIC_SHARE:
            by = DetectionSource.SYNTHETIC
        else:
            by = DetectionSource.MONITORING
        monitoring_at: datetime | None
        if by is DetectionSource.CUSTOMER:
            detected = self.draws.after(impact, DETECT_CUSTOMER)
            opened = self.draws.after(detected, LOG_CALL)
            caught_up = service.source is not None and rng.random() < MONITORING_CATCHES_UP
            monitoring_at = self.draws.after(opened, CATCH_UP) if caught_up else None
        else:
            median = DETECT_SYNTHETIC if by is DetectionSource.SYNTHETIC else DETECT_MONITORING
            detected = opened = monitoring_at = self.draws.after(
                impact, median, 1.0 - DETECTION_SPEEDUP * fraction
            )
        acked = self.draws.after(opened, ACKNOWLEDGE)
        false_positive = by is not DetectionSource.CUSTOMER and rng.random() < FALSE_POSITIVE_SHARE
        if false_positive:
            resolved = self.draws.after(acked, RESOLVE_FALSE_POSITIVE)
        else:
            resolved = self.draws.after(acked, RESOLVE, RESOLVE_FACTOR[severity])
        if resolved >= self.now:
            return None
        if (
            by is DetectionSource.CUSTOMER
            and monitoring_at
            and monitoring_at >= resolved - CALLS_END_BEFORE_RESOLVE
        ):
            monitoring_at = None  # fixed before our monitoring caught up
        operator = rng.choice(catalog.OPERATORS)
        return Story(
            name, service, severity, by, impact, detected, opened, acked, resolved, monitoring_at,
            false_positive, operator,
        )  # fmt: skip

    def _alerts(self, story: Story, plan: PlannedIncident) -> None:
        """The alerts that opened the incident (or caught up with a customer's report)."""
        seen = story.monitoring_at
        if seen is None or story.service.source is None:
            return
        rng = self.rng
        templates = list(story.service.alerts)
        if story.by is DetectionSource.SYNTHETIC:
            probe = story.service.probe
            first = AlertTemplate(
                "SyntheticCheckFailing", "blackbox", f"probe-{story.name}",
                f"Synthetic check of {story.name} failing: {probe}",
                f"The synthetic check ({probe}) fails from 3 of 3 probe locations.",
            )  # fmt: skip
        else:
            first = rng.choice(templates)
        count = 1
        while story.internal and count < MAX_ALERTS and rng.random() < EXTRA_ALERT_CHANCE:
            count += 1
        chosen = [
            first,
            *rng.sample([t for t in templates if t != first], min(count - 1, len(templates) - 1)),
        ]
        first_start = story.impact if story.internal else self.draws.before(seen, DETECT_MONITORING)
        for index, template in enumerate(chosen):
            starts = (
                first_start if index == 0 else self.draws.uniform(first_start, (30.0, EXTRA_ALERT_WITHIN_S))
            )
            first_seen = seen if index == 0 else max(seen, self.draws.uniform(starts, (5.0, 60.0)))
            if index and first_seen >= story.resolved - CALLS_END_BEFORE_RESOLVE:
                continue  # it would have started after the fix
            severity = (
                story.severity
                if index == 0
                else self.draws.pick({story.severity: 2.0, Severity.WARNING: 1.0})
            )
            labels = {
                "alertname": template.name, "severity": severity.value, "service": story.name,
                "instance": template.instance, "job": template.job,
            }  # fmt: skip
            plan.timeline.append((
                first_seen, "alert_fired", "system", f"{severity.value}: {template.summary}", len(plan.alerts)
            ))  # fmt: skip
            plan.alerts.append({
                "source": story.service.source, "fingerprint": _fingerprint(labels), "name": template.name,
                "labels": labels, "summary": template.summary, "description": template.description,
                "severity": severity.value, "state": "resolved", "service": story.name, "silenced": False,
                "inhibited": False,
                "generator_url": f"http://prometheus.demo:9090/graph?g0.expr={template.name}",
                "starts_at": starts, "ends_at": None, "first_seen_at": first_seen,
                "last_seen_at": first_seen, "resolved_at": None, "missed_fetches": 0, "fire_count": 1,
                "absent_since": None, "clears_at": None,
            })  # fmt: skip
        if not story.internal and plan.alerts:
            lead = detection_lead(story.detected, seen)
            assert lead is not None  # both known
            verdict = describe_lead(lead, stored=True).capitalize()
            plan.timeline.append((seen, "detection_race", "system", verdict, None))

    def _work(self, story: Story, plan: PlannedIncident) -> dict[str, Any]:
        """Acknowledge, owner, initial assessment: the incident's columns they set."""
        rng = self.rng
        plan.timeline.append((story.acked, "ack", story.operator, f"Acknowledged by {story.operator}", None))
        assigned_at = None
        assigning = self.draws.after(story.acked, ASSIGN)
        if story.loud and not story.false_positive and assigning < story.resolved:
            story.owner, assigned_at = rng.choice(catalog.ENGINEERS), assigning
            assigned = f"Assigned to {story.owner} by {story.operator}"
            plan.timeline.append((assigned_at, "assign", story.operator, assigned, None))
        assessed = self.draws.after(story.acked, ASSESS)
        if story.false_positive or assessed >= story.resolved:
            return {
                "assigned_at": assigned_at, "assessed_at": None, "users_affected": None,
                "services_affected": None, "business_impact": None,
            }  # fmt: skip
        users = max(1, round(rng.lognormvariate(math.log(USERS_AFFECTED[story.severity]), 0.8)))
        impact = self.draws.pick(IMPACT[story.severity])
        owned = assigned_at is not None and assigned_at <= assessed
        who = story.owner if story.owner is not None and owned else story.operator
        figures = f"{users:,} users affected; services: {story.name}; impact: {impact.value}"
        said = f"Initial assessment by {who}: {figures}"
        plan.timeline.append((assessed, "assessment", who, said, None))
        return {
            "assigned_at": assigned_at, "assessed_at": assessed, "users_affected": users,
            "services_affected": story.name, "business_impact": impact.value,
        }  # fmt: skip

    def _resolve(self, story: Story, plan: PlannedIncident) -> str:
        """Its alerts clear and monitoring resolves it, or someone resolves it by hand; returns by whom."""
        rng = self.rng
        if plan.alerts and not story.false_positive and rng.random() < RESOLVED_BY_MONITORING:
            last = rng.randrange(len(plan.alerts))
            for index, alert in enumerate(plan.alerts):
                seen = alert["first_seen_at"]
                gone = story.resolved if index == last else seen + (story.resolved - seen) * rng.random()
                alert.update(
                    ends_at=gone, resolved_at=gone, last_seen_at=alert["first_seen_at"], missed_fetches=2
                )
                why = f"absent from 2 successful fetches since {utc(gone, '%H:%M:%S')}"
                plan.timeline.append(
                    (gone, "alert_cleared", "system", f"Cleared ({why}): {alert['summary']}", index)
                )
            plan.timeline.append(
                (story.resolved, "resolve", "system", "Resolved: every alert has cleared", None)
            )
            return "monitoring"
        who = story.owner or story.operator
        if story.false_positive or rng.random() < RESOLUTION_NOTE:
            note = rng.choice(
                catalog.FALSE_POSITIVE_NOTES if story.false_positive else catalog.RESOLUTION_NOTES
            )
            plan.timeline.append((story.resolved, "note", who, note, None))
        how = " as a false positive" if story.false_positive else ""
        plan.timeline.append((story.resolved, "resolve", who, f"Resolved by {who}{how}", None))
        for alert in plan.alerts:  # detached at the resolve, then gone from the source
            alert.update(ends_at=story.resolved, resolved_at=story.resolved, last_seen_at=story.resolved)
        if plan.alerts:
            detached = (
                f"{len(plan.alerts)} alert(s) still firing at the source were detached from this incident: "
                "any that still fires at the next fetch opens a new incident"
            )
            plan.timeline.append((story.resolved, "alerts_detached", who, detached, None))
        return who
