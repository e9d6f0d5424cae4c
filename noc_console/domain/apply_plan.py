"""What one successful fetch changes, planned without a database.

The poller remembers each source's live alerts (`SourceAlerts`: firing, detached, and resolved ones whose
incident is still open); `plan_snapshot` compares a snapshot with them and returns a `Plan`: the alerts
whose content changed, the new ones and the incident each opens or joins, those that fired again, those
absent once more, and those that cleared. Its cost is one dictionary lookup per alert in the answer plus
the work of what changed; an alert whose content is the same as last time costs no write at all.

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
from noc_console.domain.severity import Severity


def content_key(
    labels: Mapping[str, str],
    summary: str,
    description: str,
    severity: str,
    silenced: bool,
    inhibited: bool,
    ends_at: datetime | None,
    pending: bool = False,
) -> int:
    """What a refresh writes of an alert, as one number: equal content, equal numbers.

    Kept instead of the content itself (a 64-bit hash: some 40 bytes an alert, not a kilobyte); labels in
    another order count as a change, which only writes the row again.
    """
    return hash(
        (summary, description, severity, silenced, inhibited, ends_at, pending, tuple(labels.items()))
    )


def content_of(alert: Alert) -> int:
    return content_key(
        alert.labels, alert.summary, alert.description, alert.severity.value, alert.silenced,
        alert.inhibited, alert.ends_at, alert.pending,
    )  # fmt: skip


@dataclass(slots=True, eq=False)
class KnownAlert:
    """One alert row of the source as the store holds it; `id` is 0 until the row is written.

    Of its content only a key (`content_key`) and what the plan decides by are kept: the summary for the
    timeline, the severity and suppression an incident shows."""

    id: int
    incident_id: int
    state: AlertState
    fingerprint: str
    content: int
    summary: str
    severity: Severity
    silenced: bool = False
    inhibited: bool = False
    service: str | None = None
    pending: bool = False
    missed_fetches: int = 0
    absent_since: datetime | None = None
    clears_at: datetime | None = None
    fire_count: int = 1

    @classmethod
    def of(cls, alert: Alert, *, incident_id: int, service: str | None) -> KnownAlert:
        """A new firing row for `alert` (written later: its `id` is 0 until then)."""
        return cls(
            0, incident_id, AlertState.FIRING, alert.fingerprint, content_of(alert), alert.summary,
            alert.severity, alert.silenced, alert.inhibited, service, alert.pending,
        )  # fmt: skip

    def take(self, alert: Alert, content: int) -> None:
        """The row now holds `alert`'s content, and its source lists it: no absence counts."""
        self.content = content
        self.summary = alert.summary
        self.severity = alert.severity
        self.silenced = alert.silenced
        self.inhibited = alert.inhibited
        self.pending = alert.pending
        self.missed_fetches = 0
        self.absent_since = None
        self.clears_at = None


@dataclass(slots=True)
class SourceAlerts:
    """A source's live alert rows, by fingerprint. `resolved_open`: resolved rows whose incident is still
    open (an alert that fires again while its incident is open flaps back into it)."""

    firing: dict[str, KnownAlert] = field(default_factory=dict)
    detached: dict[str, KnownAlert] = field(default_factory=dict)
    resolved_open: dict[str, KnownAlert] = field(default_factory=dict)

    def incident_ids(self) -> set[int]:
        """Every incident these rows belong to (new incidents of a plan not yet written excluded)."""
        rows = (*self.firing.values(), *self.detached.values(), *self.resolved_open.values())
        return {row.incident_id for row in rows if row.incident_id > 0}

    def forget_incidents(self, incident_ids: set[int]) -> None:
        """Drop every row of these incidents (to read them again from the store)."""
        for rows in (self.firing, self.detached, self.resolved_open):
            for fingerprint in [fp for fp, row in rows.items() if row.incident_id in incident_ids]:
                del rows[fingerprint]

    def add(self, row: KnownAlert) -> None:
        """Remember a row read from the store (in the order of its ID: a later row of one fingerprint
        wins; a resolved one only while no row of the fingerprint is firing)."""
        if row.state is AlertState.FIRING:
            self.firing[row.fingerprint] = row
            self.resolved_open.pop(row.fingerprint, None)
        elif row.state is AlertState.DETACHED:
            self.detached[row.fingerprint] = row
        elif row.fingerprint not in self.firing:
            self.resolved_open[row.fingerprint] = row


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
    """A row to write with `alert`'s content (refreshed, or fired again)."""

    row: KnownAlert
    alert: Alert


@dataclass(frozen=True, slots=True)
class Cleared:
    """A firing alert that resolved: when, and why (for the timeline)."""

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

    @property
    def writes_nothing(self) -> bool:
        return not (self.refreshed or self.absent or self.cleared or self.refired or self.raised or self.over)


OpenIncidents = Callable[[str], Sequence[OpenIncidentRef]]


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
) -> Plan:
    """Plan a successful fetch of `snapshot.source`; `known` is brought to the state after the plan.

    A new alert of a service in `in_maintenance` (as the catalog maps it) opens and joins nothing: it is
    held in `plan.held` and planned afresh at every fetch, so it opens its incident once the window is
    over. Alerts that were already part of an incident when the window began stay in it.

    `open_incidents(key)`: the open incidents with that correlation key (asked once per key, only for
    keys a new alert has). New alerts are taken in order of their start, then fingerprint, so the
    incidents they form do not depend on the order the source listed them in.
    """
    plan = Plan()
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
            _clear(plan, known, row, now, "ended at the source")

    candidates: dict[str, list[OpenIncidentRef]] = {}
    fresh.sort(key=lambda a: (a.starts_at, a.fingerprint))
    for alert in fresh:
        gone = detached.get(alert.fingerprint)
        ended = alert.has_ended()
        if not ended and in_maintenance and catalog.service_for(alert) in in_maintenance:
            plan.held.append(alert)  # silenced or not (the window's own silence silences it)
            continue
        if ended or not rules.may_open(alert):
            if gone is not None and ended:
                _over(plan, known, gone)
            continue  # over already, or silenced: it raises nothing new
        earlier = known.resolved_open.pop(alert.fingerprint, None)
        if earlier is not None:
            _refire(plan, known, earlier, alert)
            continue
        _raise(plan, known, alert, gone, candidates, open_incidents, rule, catalog)

    if snapshot.partial:  # a push, or an HA pair with a member down: what it leaves out is untouched
        return plan
    missing = sorted((row for fp, row in firing.items() if fp not in seen), key=_by_id)
    if rules.counts_absence(snapshot):
        for row in missing:
            _count_absence(plan, known, row, now, rules)
    for row in sorted((row for fp, row in detached.items() if fp not in seen), key=_by_id):
        _over(plan, known, row)  # gone from the source: nothing left to detach
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


def _clear(plan: Plan, known: SourceAlerts, row: KnownAlert, at: datetime, why: str) -> None:
    """A firing row resolves; it stays remembered as resolved while its incident is open."""
    del known.firing[row.fingerprint]
    row.state = AlertState.RESOLVED
    row.clears_at = None
    known.resolved_open[row.fingerprint] = row
    plan.cleared.append(Cleared(row, at, why))
    plan.recount.add(row.incident_id)


def _over(plan: Plan, known: SourceAlerts, row: KnownAlert) -> None:
    del known.detached[row.fingerprint]
    row.state = AlertState.RESOLVED
    plan.over.append(row)


def _refire(plan: Plan, known: SourceAlerts, row: KnownAlert, alert: Alert) -> None:
    """A resolved alert fires again while its incident is still open: it flaps, same incident."""
    row.take(alert, content_of(alert))
    row.state = AlertState.FIRING
    row.fire_count += 1
    known.firing[alert.fingerprint] = row
    plan.refired.append(Written(row, alert))
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
) -> None:
    """A new alert: join the open incident correlation picks, or open one."""
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


def _count_absence(
    plan: Plan, known: SourceAlerts, row: KnownAlert, now: datetime, rules: SourceRules
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
        )
    else:
        plan.absent.append(row)
