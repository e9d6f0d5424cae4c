"""The post-mortems and executive reports of the demo's history, as the lead's desk leaves them.

A post-mortem is started lognormal-ish between resolution and its finishing time, finished when the
incident's `postmortem_done_at` says (store.postmortems sets that column only by finishing one), its
follow-up held a few days after its date in 90 % of cases, and its action items done, dropped or still
open (10 % of those past their deadline are overdue). One started but not yet finished stays a draft.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

from noc_console.demo import history_catalog as catalog
from noc_console.domain.incidents import (
    BusinessImpact,
    DetectionSource,
    Incident,
    IncidentStatus,
    TimelineEntry,
)
from noc_console.domain.postmortem import ItemStatus, PostMortemStatus, detected_by_customer, draft
from noc_console.domain.severity import Severity

FOLLOW_UP_DAYS = (14, 28)  # uniform, after finishing
FOLLOW_UP_HELD = 0.90
FOLLOW_UP_LATE_DAYS = (0, 3)
ITEMS = (1, 3)
ITEM_DUE_DAYS = (7, 42)  # after finishing
ITEM_PAST_DUE = {ItemStatus.DONE: 0.85, ItemStatus.DROPPED: 0.05, ItemStatus.OPEN: 0.10}
ITEM_NOT_YET_DUE = {ItemStatus.DONE: 0.30, ItemStatus.OPEN: 0.70}

Entry = tuple[datetime, str, str, str, int | None]


def _incident(row: dict[str, Any]) -> Incident:
    """The planned row as the domain sees it (no ID yet: the post-mortem's rules do not need one)."""
    return Incident(
        id=0,
        title=row["title"],
        severity=Severity(row["severity"]),
        status=IncidentStatus(row["status"]),
        service=row["service"],
        detected_by=DetectionSource(row["detected_by"]),
        source=row["source"],
        opened_at=row["opened_at"],
        detected_at=row["detected_at"],
        resolved_at=row["resolved_at"],
        users_affected=row["users_affected"],
        services_affected=row["services_affected"],
        business_impact=BusinessImpact(row["business_impact"]) if row["business_impact"] else None,
        monitoring_detected_at=row["monitoring_detected_at"],
        first_call_at=row["first_call_at"],
        call_count=row["call_count"],
    )


def _pick(rng: random.Random, weights: dict[ItemStatus, float]) -> ItemStatus:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_postmortem(
    rng: random.Random,
    now: datetime,
    row: dict[str, Any],
    timeline: list[Entry],
    started: datetime,
    lead: str,
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[Entry]]:
    """The post-mortem row that `lead` started at `started` (None when that is not before `now`), its
    action items and its timeline entries, for the incident `row`, which owes one. `timeline`: the
    incident's entries."""
    if started >= now:
        return None, [], []
    incident = _incident(row)
    entries = [TimelineEntry(at, kind, by, text) for at, kind, by, text, _ in timeline if at <= started]
    pm = draft(incident, entries, started.date())
    finished: datetime | None = row["postmortem_done_at"]
    notes: list[Entry] = [(started, "postmortem", lead, f"Post-mortem started by {lead}", None)]
    values: dict[str, Any] = {
        "timeline": [{"at": line.at.isoformat(), "text": line.text} for line in pm.timeline],
        "users_affected": pm.users_affected,
        "services": pm.services,
        "status": PostMortemStatus.DRAFT.value,
        "created_at": started,
        "created_by": lead,
        "updated_at": started,
        "updated_by": lead,
        "finished_at": None,
        "finished_by": None,
        "follow_up_on": pm.follow_up_on,
        "follow_up_done_at": None,
        "version": 1,
    }
    duration = row["resolved_at"] - row["detected_at"]
    summary = (
        f"{row['title']}. {row['service']} was affected for about {round(duration.total_seconds() / 60)} "
        f"minutes" + (f"; {row['users_affected']:,} users" if row["users_affected"] else "") + "."
    )
    values.update(
        summary=summary,
        root_cause=rng.choice(catalog.ROOT_CAUSES),
        contributing_factors=None,
        why_not_detected=None,
        corrective_actions=None,
        service_credit=None,
    )
    if finished is None:
        return values, [], notes
    today = now.date()
    follow_up = finished.date() + timedelta(days=rng.randint(*FOLLOW_UP_DAYS))
    values.update(
        contributing_factors=rng.choice(catalog.CONTRIBUTING_FACTORS),
        corrective_actions=next((t for _, k, _, t, _ in timeline if k == "note"), catalog.RECOVERED),
        status=PostMortemStatus.FINISHED.value,
        updated_at=finished,
        finished_at=finished,
        finished_by=lead,
        follow_up_on=follow_up,
        version=rng.randint(2, 4),
    )
    if detected_by_customer(incident):
        default = rng.choice(catalog.WHY_NOT_DETECTED_DEFAULT)
        values["why_not_detected"] = catalog.WHY_NOT_DETECTED.get(row["service"], default)
    notes.append(
        (finished, "postmortem", lead, f"Post-mortem finished by {lead}; follow-up on {follow_up}", None)
    )
    items: list[dict[str, Any]] = []
    for position, what in enumerate(rng.sample(catalog.ACTION_ITEMS, rng.randint(*ITEMS))):
        due = finished.date() + timedelta(days=rng.randint(*ITEM_DUE_DAYS))
        status = _pick(rng, ITEM_PAST_DUE if due < today else ITEM_NOT_YET_DUE)
        owner = rng.choice(catalog.ENGINEERS)
        items.append(
            {"position": position, "what": what, "owner": owner, "due_on": due, "status": status.value}
        )
    held_on = follow_up + timedelta(days=rng.randint(*FOLLOW_UP_LATE_DAYS))
    held = datetime.combine(held_on, time(10, 0), tzinfo=UTC) + timedelta(minutes=rng.randint(0, 360))
    if held < now and rng.random() < FOLLOW_UP_HELD:
        values.update(follow_up_done_at=held, updated_at=held, version=values["version"] + 1)
        still_open = sum(
            1 for item in items if item["status"] == ItemStatus.OPEN.value or item["due_on"] > held_on
        )
        said = f"Follow-up review held by {lead}; {still_open} action item(s) open"
        notes.append((held, "postmortem", lead, said, None))
    return values, items, notes
