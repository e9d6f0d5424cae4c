"""What one successful fetch changes, planned without a database.

The poller remembers each source's live alerts (`SourceAlerts`: firing, detached, and resolved ones whose
incident is still open); `plan_snapshot` compares a snapshot with them and returns a `Plan`: the alerts
whose content changed, the new ones and the incident each opens or joins, those that fired again, those
absent once more, those that cleared, and those that began or stopped flapping (domain.flapping). Its
cost is one dictionary lookup per alert in the answer plus the work of what changed; an alert whose
content is the same as last time costs no write at all.

The plan updates the `SourceAlerts` it was given to the state after it: that state is true only once the
plan is written and committed. A caller whose write fails forgets the whole `SourceAlerts` and reads it
again from the store (`store.alert_writes.load_source_alerts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.correlation import CorrelationRule, OpenIncidentRef, ServiceCatalog, SourceRules
from noc_console.domain.flapping import FlapRule
from noc_console.domain.known_alerts import KnownAlert, SourceAlerts, content_key, content_of

__all__ = [
    "EarlierChanges",
    "KnownAlert",
    "Plan",
    "SourceAlerts",
    "content_key",
    "content_of",
    "plan_snapshot",
]


@dataclass(frozen=True, slots=True)
class NewIncident:
    """An incident a plan opens; the plan refers to it by its index in `Plan.new_incidents`."""

    key: str
    service: str | None
    title: str
    alert: Alert  # the alert that opens it


@dataclass(frozen=True, slots=True)
class Raised:
    """A new alert row: it joins `incident_id`, or opens `Plan.new_incidents[new_incident]`.
    `replaces`: a detached row of the same alert (its incident was resolved by hand while it fired)."""

    row: KnownAlert
    alert: Alert
    incident_id: int | None
    new_incident: int | None
    replaces: KnownAlert | None = None


@dataclass(frozen=True, slots=True)
class Written:
    """A row to write with `alert`'s content (refreshed, or fired again). `logged`: a timeline entry
    says so (not for each change of an alert already flapping)."""

    row: KnownAlert
    alert: Alert
    logged: bool = True


@dataclass(frozen=True, slots=True)
class Cleared:
    """A firing alert that resolved: when, and why (for the timeline, when `logged`)."""

    row: KnownAlert
    at: datetime
    why: str
    logged: bool = True


@dataclass(frozen=True, slots=True)
class Flap:
    """An alert began (or stopped) flapping at `at`, and why (for the timeline)."""

    row: KnownAlert
    at: datetime
    why: str


@dataclass(slots=True)
class Plan:
    """What to write for one snapshot. Rows are the `SourceAlerts` objects, already in their new state."""

    refreshed: list[Written] = field(default_factory=list)  # content changed, or back after absence
    absent: list[KnownAlert] = field(default_factory=list)  # one more fetch without it
    cleared: list[Cleared] = field(default_factory=list)
    refired: list[Written] = field(default_factory=list)
    raised: list[Raised] = field(default_factory=list)
    new_incidents: list[NewIncident] = field(default_factory=list)
    over: list[KnownAlert] = field(default_factory=list)  # detached rows now over: state resolved
    turned_pending: list[KnownAlert] = field(default_factory=list)  # firing rows now pending (timeline)
    recount: set[int] = field(default_factory=set)  # existing incidents whose figures may have changed
    joined: set[int] = field(default_factory=set)  # existing incidents new alerts joined
    absent_firing: int = 0  # firing alerts the answer left out that have not cleared
    held: list[Alert] = field(default_factory=list)  # new alerts of a service in maintenance: no incident
    flapping: list[Flap] = field(default_factory=list)  # rows that began flapping
    settled: list[Flap] = field(default_factory=list)  # rows that stopped flapping

    @property
    def writes_nothing(self) -> bool:
        return not (
            self.refreshed or self.absent or self.cleared or self.refired or self.raised or self.over
            or self.flapping or self.settled
        )  # fmt: skip


OpenIncidents = Callable[[str], Sequence[OpenIncidentRef]]
# The recent changes of state of alerts no row of `SourceAlerts` holds (their incident resolved), by
# fingerprint, for those of `fingerprints` that changed since `since`: what a new row of one carries on.
EarlierChanges = Callable[[Sequence[str], datetime], Mapping[str, tuple[datetime, ...]]]


def plan_snapshot(
    snapshot: AlertSnapshot,
    known: SourceAlerts,
    open_incidents: OpenIncidents,
    *,
    now: datetime,
    rule: CorrelationRule,
    catalog: ServiceCatalog,
    rules: SourceRules,
    in_maintenance: frozenset[str] = frozenset(),
    earlier: EarlierChanges | None = None,
) -> Plan:
    """Plan a successful fetch of `snapshot.source`; `known` is brought to the state after the plan.

    A new alert of a service in `in_maintenance` (as the catalog maps it) opens and joins nothing: it is
    held in `plan.held` and planned afresh at every fetch, so it opens its incident once the window is
    over. Alerts that were already part of an incident when the window began stay in it.

    `open_incidents(key)`: the open incidents with that correlation key (asked once per key, only for
    keys a new alert has). New alerts are taken in order of their start, then fingerprint, so the
    incidents they form do not depend on the order the source listed them in.

    `earlier`: the recent changes of alerts whose incident has resolved (asked once, only when a new
    alert raises a row): a new row of one counts them towards flapping (`rule.flap`).
    """
    plan = Plan()
    flap = rule.flap
    firing, detached = known.firing, known.detached
    seen: set[str] = set()
    fresh: list[Alert] = []
    for alert in snapshot.alerts:
        fingerprint = alert.fingerprint
        row = firing.get(fingerprint)
        if row is None:
            if not alert.pending:  # a pending one leaves a detached row of it to end (it fires no more)
                seen.add(fingerprint)
            fresh.append(alert)
            continue
        content = content_of(alert)
        if alert.pending:
            # Its firing ended at the source and its condition began again: its incident shows it
            # pending, and it counts as absent, so it clears by the source's rules unless it fires.
            if content != row.content:
                _show_pending(plan, row, alert, content)
            continue
        seen.add(fingerprint)
        if row.missed_fetches or content != row.content:
            _refresh(plan, row, alert, content)
        if alert.has_ended():
            _clear(plan, known, row, now, "ended at the source", flap)

    candidates: dict[str, list[OpenIncidentRef]] = {}
    history: Mapping[str, tuple[datetime, ...]] | None = None
    fresh.sort(key=lambda a: (a.starts_at, a.fingerprint))
    for alert in fresh:
        gone = detached.get(alert.fingerprint)
        ended = alert.has_ended()
        if not ended and in_maintenance and catalog.service_for(alert) in in_maintenance:
            plan.held.append(alert)  # silenced or not (the window's own silence silences it)
            continue
        if ended or not rules.may_open(alert):
            if gone is not None and ended:
                _over(plan, known, gone, now, flap)
            continue  # over already, or silenced: it raises nothing new
        resolved = known.resolved_open.pop(alert.fingerprint, None)
        if resolved is not None:
            _refire(plan, known, resolved, alert, now, flap)
            continue
        if history is None:
            wanted = [a.fingerprint for a in fresh]
            history = earlier(wanted, now - flap.window) if earlier is not None and flap.on else {}
        before = gone.changes if gone is not None else history.get(alert.fingerprint, ())
        row = _raise(plan, known, alert, gone, candidates, open_incidents, rule, catalog)
        row.changes = before
        _changed(plan, known, row, now, flap)

    _settle_quiet(plan, known, now, flap)

    if snapshot.partial:  # a push, or an HA pair with a member down: what it leaves out is untouched
        return plan
    missing = sorted((row for fp, row in firing.items() if fp not in seen), key=_by_id)
    if rules.counts_absence(snapshot):
        for row in missing:
            _count_absence(plan, known, row, now, rules, flap)
    for row in sorted((row for fp, row in detached.items() if fp not in seen), key=_by_id):
        _over(plan, known, row, now, flap)  # gone from the source: nothing left to detach
    plan.absent_firing = sum(1 for row in missing if row.state is AlertState.FIRING)
    return plan


def _by_id(row: KnownAlert) -> int:
    """The order rows were written in: what is remembered is planned as it would be read afresh."""
    return row.id


def _refresh(plan: Plan, row: KnownAlert, alert: Alert, content: int) -> None:
    if (
        row.missed_fetches  # back after an absence: its clearing clock stops
        or row.severity is not alert.severity
        or row.silenced != alert.silenced
        or row.inhibited != alert.inhibited
        or row.pending != alert.pending
    ):
        plan.recount.add(row.incident_id)
    row.take(alert, content)
    plan.refreshed.append(Written(row, alert))


def _show_pending(plan: Plan, row: KnownAlert, alert: Alert, content: int) -> None:
    """A firing row whose alert is now pending takes its content; its absence keeps counting."""
    missed, since, clears = row.missed_fetches, row.absent_since, row.clears_at
    if not row.pending:
        plan.turned_pending.append(row)
    row.take(alert, content)
    row.missed_fetches, row.absent_since, row.clears_at = missed, since, clears
    plan.refreshed.append(Written(row, alert))
    plan.recount.add(row.incident_id)


def _clear(plan: Plan, known: SourceAlerts, row: KnownAlert, at: datetime, why: str, flap: FlapRule) -> None:
    """A firing row resolves; it stays remembered as resolved while its incident is open."""
    del known.firing[row.fingerprint]
    row.state = AlertState.RESOLVED
    row.clears_at = None
    known.resolved_open[row.fingerprint] = row
    quiet = _changed(plan, known, row, at, flap)
    plan.cleared.append(Cleared(row, at, why, logged=not quiet))
    plan.recount.add(row.incident_id)


def _over(plan: Plan, known: SourceAlerts, row: KnownAlert, now: datetime, flap: FlapRule) -> None:
    """A detached row (its incident was resolved by hand) is over: a change a next row carries on."""
    del known.detached[row.fingerprint]
    row.state = AlertState.RESOLVED
    if flap.on:
        row.changes = flap.with_change(row.changes, now)
    plan.over.append(row)


def _refire(
    plan: Plan, known: SourceAlerts, row: KnownAlert, alert: Alert, now: datetime, flap: FlapRule
) -> None:
    """A resolved alert fires again while its incident is still open: same incident."""
    row.take(alert, content_of(alert))
    row.state = AlertState.FIRING
    row.fire_count += 1
    known.firing[alert.fingerprint] = row
    quiet = _changed(plan, known, row, now, flap)
    plan.refired.append(Written(row, alert, logged=not quiet))
    plan.recount.add(row.incident_id)


def _changed(plan: Plan, known: SourceAlerts, row: KnownAlert, at: datetime, flap: FlapRule) -> bool:
    """One more change of state of a row of an open incident (or one about to open), at `at`; it may
    begin flapping. True when it flapped already: its change is not written on the timeline again."""
    if not flap.on:
        return False
    flapped = row.flapping_since is not None
    row.changes = flap.with_change(row.changes, at)
    if not flapped and flap.flaps(row.changes):
        row.flapping_since = at
        known.flapping[row.fingerprint] = row
        plan.flapping.append(Flap(row, at, flap.describe(row.changes)))
        if row.incident_id > 0:  # (an incident this plan opens is counted anyway)
            plan.recount.add(row.incident_id)
    return flapped


def _settle_quiet(plan: Plan, known: SourceAlerts, now: datetime, flap: FlapRule) -> None:
    """Flapping rows quiet for the whole window (or with flapping turned off) stop flapping; their
    incident resolves now if every alert of it is clear."""
    quiet = [row for row in known.flapping.values() if not flap.on or flap.settled(row.changes, now)]
    for row in sorted(quiet, key=_by_id):
        del known.flapping[row.fingerprint]
        row.flapping_since = None
        plan.settled.append(Flap(row, now, flap.describe_quiet()))
        plan.recount.add(row.incident_id)


def _raise(
    plan: Plan,
    known: SourceAlerts,
    alert: Alert,
    gone: KnownAlert | None,
    candidates: dict[str, list[OpenIncidentRef]],
    open_incidents: OpenIncidents,
    rule: CorrelationRule,
    catalog: ServiceCatalog,
) -> KnownAlert:
    """A new alert: join the open incident correlation picks, or open one. Returns its new row."""
    service = catalog.service_for(alert)
    key = rule.key(alert, service)
    refs = candidates.get(key)
    if refs is None:
        refs = candidates[key] = list(open_incidents(key))
    row = KnownAlert.of(alert, incident_id=0, service=service)
    if gone is not None:
        del known.detached[alert.fingerprint]
        gone.state = AlertState.RESOLVED
    joined = rule.pick(key, alert.starts_at, refs)
    if joined is not None:
        # The incident's last alert time moves with what joins it, so the next alert is judged against
        # the incident as it now is (this is what makes the result order-independent).
        index = next(i for i, ref in enumerate(refs) if ref.id == joined)
        ref = refs[index]
        refs[index] = OpenIncidentRef(ref.id, key, max(ref.last_alert_at, alert.starts_at))
        row.incident_id = joined
        if joined < 0:  # an incident this plan opens
            plan.raised.append(Raised(row, alert, None, -joined - 1, gone))
        else:
            plan.raised.append(Raised(row, alert, joined, None, gone))
            plan.joined.add(joined)
            plan.recount.add(joined)
    else:
        number = len(plan.new_incidents)
        title = alert.summary or alert.name or "Untitled alert"
        plan.new_incidents.append(NewIncident(key, service, title, alert))
        row.incident_id = -(number + 1)  # a placeholder until the incident is written
        plan.raised.append(Raised(row, alert, None, number, gone))
        refs.append(OpenIncidentRef(id=row.incident_id, correlation_key=key, last_alert_at=alert.starts_at))
    known.firing[alert.fingerprint] = row
    return row


def _count_absence(
    plan: Plan, known: SourceAlerts, row: KnownAlert, now: datetime, rules: SourceRules, flap: FlapRule
) -> None:
    """One more successful fetch without this alert; it clears once the rules say so."""
    row.missed_fetches += 1
    if row.absent_since is None:
        row.absent_since = now
        row.clears_at = now + rules.resolve_after
        plan.recount.add(row.incident_id)  # its incident's clearing time may appear
    if rules.absence_resolves(row.missed_fetches, row.absent_since, now):
        since = f"{row.absent_since:%H:%M:%S} UTC"
        _clear(
            plan,
            known,
            row,
            row.absent_since,
            f"absent from {row.missed_fetches} successful fetches since {since}",
            flap,
        )
    else:
        plan.absent.append(row)
