"""A year of the demo's past: resolved incidents with their alerts, timelines, customer calls and breaches.

`seed_history` writes it into a store that has no incident yet, so the shift lead's charts and reports
show something real on the demo's first start. Everything comes from one `random.Random(seed)`; the
distributions are these, with their figures in named constants here (volume, mix, detection share), in
`history_incident` (detection, response and resolution times), `history_calls` (calls and customer
updates) and `history_postmortems`. Times are UTC; "lognormal (m, s)" has median m seconds and shape s
(the standard deviation of its logarithm).

- Volume: per UTC day a Poisson count, mean 7 on weekdays and 3 at weekends. On weekdays an hour of
  08:00-18:00 is four times as likely to see an incident start as any other hour; weekends are flat.
- Service: the weights in `history_catalog.SERVICES`; severity: `SEVERITY_MIX`.
- Detection: webshop has no monitoring, so its customers always find its incidents. On the other
  services the customer-detected share falls linearly over the range, so that over all services it goes
  from 20 % (`CUSTOMER_SHARE_START`) to 7 % (`CUSTOMER_SHARE_END`); of what we detect, 15 % is found by a
  synthetic check where the service has one, the rest by monitoring.
- Time to detect, from the impact start: monitoring lognormal (90, 0.8), synthetic lognormal (240, 0.5),
  both 30 % faster by the end of the range; a customer's first call lognormal (720, 0.7). On a monitored
  service, monitoring catches up with 60 % of customer-detected incidents, lognormal (420, 0.7) after
  the first call is logged. Internally detected incidents have 1 alert, plus up to 3 more (each 35 %).
- Acknowledge: lognormal (140, 0.5) after the incident is on screen; under 10 % miss the 5-minute SLA.
  Assessment lognormal (300, 0.6) after that; owners for major and critical ones.
- Resolve: lognormal (2700, 0.9) after the acknowledgement, times 1.5 for critical down to 0.7 for
  warning (20 minutes to a few hours); 70 % of the ones with alerts clear by themselves.
- False positives: 5 % of internally detected incidents, resolved by hand lognormal (480, 0.5) after ack.
- Calls: a customer-detected incident has 1-4 calls; an internally detected one gets calls with a chance
  by severity (45 % critical, 25 % major, 8 % minor, 2 % warning), the first lognormal (480, 0.8) after
  detection. 60 % of callers say when it started for them: the impact start give or take 4 minutes,
  often before we detected it.
- Reports, for the incidents that owe them: post-mortems finished lognormal (30 h, 0.35) after
  resolution (due at 48 h), executive reports sent lognormal (50 h, 0.3) after it (due at 72 h); one not
  finished by `now` is still owed (a post-mortem may be a draft).
- SLA breaches are those of the standard policy (`SlaPolicy()`: acknowledge in 5 minutes), recorded as
  the engine records them: a `sla_breaches` row and a timeline entry at the due time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from noc_console.demo import history_catalog as catalog
from noc_console.demo.history_incident import IncidentMaker
from noc_console.demo.history_story import PlannedIncident
from noc_console.domain.severity import Severity
from noc_console.store.metrics import forget_rollup
from noc_console.store.models import Base, IncidentRow

DEFAULT_SEED = 2026
DEFAULT_DAYS = 365
INCIDENTS_PER_WEEKDAY = 7.0
INCIDENTS_PER_WEEKEND_DAY = 3.0
BUSINESS_HOURS = range(8, 18)
BUSINESS_HOUR_WEIGHT = 4.0  # against 1.0 for an hour outside them, on weekdays
SEVERITY_MIX = {Severity.CRITICAL: 0.08, Severity.MAJOR: 0.22, Severity.MINOR: 0.40, Severity.WARNING: 0.30}
CUSTOMER_SHARE_START = 0.20
CUSTOMER_SHARE_END = 0.07
CHUNK = 500  # incidents written per round of inserts

Progress = Callable[[int, int], None]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's method: fine for the small means here)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def customer_share(fraction: float) -> float:
    """The share of all incidents a customer detects, `fraction` of the way through the range."""
    return CUSTOMER_SHARE_START + (CUSTOMER_SHARE_END - CUSTOMER_SHARE_START) * fraction


def plan_history(
    now: datetime, *, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED
) -> list[PlannedIncident]:
    """The rows of `days` of history ending before `now`, in order of detection. Deterministic: the same
    `now`, `days` and `seed` give the same rows."""
    if now.tzinfo is None:
        raise ValueError("now: pass an aware UTC time")
    if days < 1:
        raise ValueError("days: must be at least 1")
    rng = random.Random(seed)  # noqa: S311 - a made-up past for a demo, not a secret
    start = now - timedelta(days=days)
    unmonitored = sum(s.weight for s in catalog.SERVICES.values() if s.source is None)
    maker = IncidentMaker(rng, now, SEVERITY_MIX)
    weekday_hours = [BUSINESS_HOUR_WEIGHT if h in BUSINESS_HOURS else 1.0 for h in range(24)]
    plans: list[PlannedIncident] = []
    day = datetime(start.year, start.month, start.day, tzinfo=UTC)
    while day < now:
        weekend = day.weekday() >= 5
        hours = [1.0] * 24 if weekend else weekday_hours
        for _ in range(poisson(rng, INCIDENTS_PER_WEEKEND_DAY if weekend else INCIDENTS_PER_WEEKDAY)):
            impact = day + timedelta(
                hours=rng.choices(range(24), weights=hours)[0], seconds=rng.uniform(0, 3600)
            )
            if not start <= impact < now:
                continue
            fraction = (impact - start) / (now - start)
            # On monitored services, so that together with the unmonitored ones it makes the overall share.
            share = max(0.0, (customer_share(fraction) - unmonitored) / (1.0 - unmonitored))
            plan = maker.make(impact, fraction, share)
            if plan is not None:
                plans.append(plan)
        day += timedelta(days=1)
    plans.sort(key=lambda p: p.incident["detected_at"])
    return plans


def seed_history(
    session: Session,
    now: datetime,
    *,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> int:
    """Write `days` of resolved history ending before `now`, in the caller's transaction, when the store
    has no incident yet; returns how many incidents it wrote (0: there were incidents, nothing written).

    `progress(done, total)` is called with 0 before the first write, then after each chunk. Nothing is
    recorded in the change feed (the history is not news for live screens), so the metrics' cached
    rollup, which follows that feed, is dropped in the same transaction and rebuilt on its next refresh.
    """
    if session.get_bind().dialect.name == "postgresql":
        # Two seeders at once: the second waits here, then finds the first one's incidents.
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('noc-console demo history ' || current_schema()))")
        )
    if session.scalar(select(IncidentRow.id).limit(1)) is not None:
        return 0
    plans = plan_history(now, days=days, seed=seed)
    report = progress or _quiet
    report(0, len(plans))
    _write(session, plans, report)
    forget_rollup(session)  # its cached days were computed without these incidents
    return len(plans)


def _quiet(_done: int, _total: int) -> None:
    return


def _new_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` IDs for new rows of `table`, handed out by the database: on PostgreSQL from the column's
    sequence (concurrent writers draw their own); on SQLite the next ones after the largest, which this
    writing transaction keeps to itself (a clash would fail the insert, never merge rows)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        drawn = session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count},
        )
        return sorted(int(i) for i in drawn)
    last = int(session.scalar(select(func.max(table.c.id))) or 0)
    return list(range(last + 1, last + 1 + count))


def _write(session: Session, plans: list[PlannedIncident], progress: Progress) -> None:
    """Insert the planned rows chunk by chunk, parents first (the foreign keys are checked as it goes)."""
    tables = Base.metadata.tables
    total = len(plans)
    for start in range(0, total, CHUNK):
        chunk = plans[start : start + CHUNK]
        incident_ids = _new_ids(session, tables["incidents"], len(chunk))
        alert_ids = iter(_new_ids(session, tables["alerts"], sum(len(p.alerts) for p in chunk)))
        rows: dict[str, list[dict[str, Any]]] = {
            name: []
            for name in (
                "incidents", "alerts", "timeline", "calls", "call_updates", "sla_breaches", "postmortems",
                "action_items",
            )
        }  # fmt: skip
        for plan, incident_id in zip(chunk, incident_ids, strict=True):
            of_it = {"incident_id": incident_id}
            rows["incidents"].append({**plan.incident, "id": incident_id})
            mine = [next(alert_ids) for _ in plan.alerts]
            rows["alerts"] += [{**a, **of_it, "id": i} for a, i in zip(plan.alerts, mine, strict=True)]
            rows["timeline"] += [
                {
                    "at": at,
                    "kind": kind,
                    "actor": actor,
                    "text": said,
                    "alert_id": None if a is None else mine[a],
                }
                | of_it
                for at, kind, actor, said, a in plan.timeline
            ]
            rows["calls"] += [{**c, **of_it} for c in plan.calls]
            rows["call_updates"] += plan.call_updates
            rows["sla_breaches"] += [{**b, **of_it} for b in plan.breaches]
            if plan.postmortem is not None:
                rows["postmortems"].append({**plan.postmortem, **of_it})
            rows["action_items"] += [{**item, **of_it} for item in plan.action_items]
        for name, values in rows.items():  # in this order: parents before the rows that name them
            if values:
                session.execute(insert(tables[name]), values)
        progress(min(start + CHUNK, total), total)
