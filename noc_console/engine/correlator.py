"""Applies one source's snapshot (or failure) to the store, in the caller's transaction.

Concurrency: the apply first locks its source's health row (one writer per source, whoever calls), then
the incidents its live alerts belong to, and only then reads the alerts; an operator's resolve takes the
incident's row lock too, so the two never work from each other's stale reads. On SQLite every writing
transaction begins IMMEDIATE, which serialises writers wholesale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.calls import describe_lead, detection_lead
from noc_console.domain.correlation import CorrelationRule, OpenIncidentRef, ServiceCatalog, SourceRules
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.sources.base import DEFAULT_INTERVAL_S, SourceConfig
from noc_console.store.models import AlertRow, IncidentRow, SourceHealthRow
from noc_console.store.repository import add_timeline, record_change
from noc_console.store.sql import insert_or_ignore

_OPEN = IncidentRow.status != IncidentStatus.RESOLVED.value
_LIVE = (AlertState.FIRING.value, AlertState.DETACHED.value)


@dataclass
class ApplyResult:
    """Incident IDs that one snapshot opened, changed or resolved."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    # Firing alerts the answer left out that have not resolved yet: each further answer counts them
    # again and their clearing clocks run, so even an identical next answer has work to do.
    absent: int = 0

    def merge(self, other: ApplyResult) -> None:
        for mine, theirs in ((self.opened, other.opened), (self.updated, other.updated)):
            mine.extend(i for i in theirs if i not in mine)
        self.resolved.extend(i for i in other.resolved if i not in self.resolved)
        self.absent += other.absent


@dataclass
class _Apply:
    """The state of one apply: what it has touched and what it has resolved."""

    session: Session
    now: datetime
    rule: CorrelationRule
    catalog: ServiceCatalog
    rules: SourceRules
    touched: set[int] = field(default_factory=set)
    opened: list[int] = field(default_factory=list)
    resolved_alerts: set[int] = field(default_factory=set)
    open_by_key: dict[str, list[OpenIncidentRef]] = field(default_factory=dict)


def apply_snapshot(
    session: Session,
    snapshot: AlertSnapshot,
    *,
    now: datetime,
    rule: CorrelationRule | None = None,
    catalog: ServiceCatalog | None = None,
    rules: SourceRules | None = None,
) -> ApplyResult:
    """Apply a successful fetch: new alerts open or join incidents, gone alerts resolve.

    New alerts are taken in order of their start (then fingerprint), so the incidents they form do not
    depend on the order the source listed them in. An absent alert resolves by `rules` (enough fetches
    and enough time, never while the source is warming up after a restart), with `resolved_at` set to
    when it was first seen absent. An incident resolves when its last firing alert does.
    """
    work = _Apply(
        session, now, rule or CorrelationRule(), catalog or ServiceCatalog(), rules or SourceRules()
    )
    health = _lock_source(session, snapshot.source, now)
    firing, detached, resolved_open = _lock_and_read(session, snapshot.source)
    seen: set[str] = set()

    for alert in sorted(snapshot.alerts, key=lambda a: (a.starts_at, a.fingerprint)):
        seen.add(alert.fingerprint)
        row = firing.get(alert.fingerprint)
        if row is not None:
            _refresh(row, alert, now)
            if alert.has_ended():
                _resolve_alert(work, row, now, "ended at the source")
            work.touched.add(row.incident_id)
            continue
        gone = detached.get(alert.fingerprint)
        if alert.has_ended() or not work.rules.may_open(alert):
            if gone is not None and alert.has_ended():
                gone.state = AlertState.RESOLVED.value
            continue  # over already, or silenced: it raises nothing new
        earlier = resolved_open.get(alert.fingerprint)
        if earlier is not None:
            _refire(session, earlier, alert, now)
            work.touched.add(earlier.incident_id)
            continue
        new_row = _raise_alert(work, alert)
        if gone is not None:
            gone.state = AlertState.RESOLVED.value
            add_timeline(
                session,
                new_row.incident_id,
                now,
                "alert_fired",
                f"Still firing after incident #{gone.incident_id} was resolved by hand: {alert.summary}",
                alert=new_row,
            )

    if work.rules.counts_absence(snapshot):
        for fingerprint, row in firing.items():
            if fingerprint not in seen:
                _count_absence(work, row)
    for fingerprint, row in detached.items():
        if fingerprint not in seen:
            row.state = AlertState.RESOLVED.value  # gone from the source: nothing left to detach

    result = _settle_incidents(work)
    result.absent = sum(
        1 for fp, row in firing.items() if fp not in seen and row.state == AlertState.FIRING.value
    )
    _record_success(session, health, len(snapshot.alerts), now)
    return result


def _lock_source(session: Session, name: str, now: datetime) -> SourceHealthRow:
    """This source's health row, locked until commit: two applies of one source run one after the other."""
    _ensure_health_rows(session, {name: None}, now)
    return session.execute(
        select(SourceHealthRow).where(SourceHealthRow.name == name).with_for_update()
    ).scalar_one()


def _ensure_health_rows(session: Session, intervals: Mapping[str, float | None], now: datetime) -> None:
    """Insert missing health rows without a race (a second inserter does nothing)."""
    values = [
        {
            "name": name,
            "consecutive_failures": 0,
            "alert_count": 0,
            "updated_at": now,
            "interval_s": DEFAULT_INTERVAL_S if interval is None else interval,
        }
        for name, interval in intervals.items()
    ]
    if values:
        session.execute(insert_or_ignore(session, SourceHealthRow, values))


def _lock_and_read(
    session: Session, source: str
) -> tuple[dict[str, AlertRow], dict[str, AlertRow], dict[str, AlertRow]]:
    """Lock the incidents this source's alerts can touch, then read those alerts.

    Returns this source's firing rows, detached rows, and resolved rows whose incident is still open
    (an alert that fires again while its incident is open flaps back into it). Every query here is
    bounded by what is live (firing alerts, open incidents), never by the source's history.
    """
    open_ids = list(session.scalars(select(IncidentRow.id).where(_OPEN)))
    wanted = set(
        session.scalars(
            select(AlertRow.incident_id)
            .where(AlertRow.source == source, AlertRow.state.in_(_LIVE))
            .distinct()
        )
    )
    if open_ids:
        wanted.update(
            session.scalars(
                select(AlertRow.incident_id)
                .where(
                    AlertRow.incident_id.in_(open_ids),
                    AlertRow.source == source,
                    AlertRow.state == AlertState.RESOLVED.value,
                )
                .distinct()
            )
        )
    if wanted:  # an operator's resolve of one of these waits for us, or we for it
        session.execute(
            select(IncidentRow.id)
            .where(IncidentRow.id.in_(sorted(wanted)))
            .order_by(IncidentRow.id)
            .with_for_update()
        ).all()
    firing: dict[str, AlertRow] = {}
    detached: dict[str, AlertRow] = {}
    rows = session.scalars(
        select(AlertRow)
        .where(AlertRow.source == source, AlertRow.state.in_(_LIVE))
        .order_by(AlertRow.id)
        .execution_options(populate_existing=True)
    )
    for row in rows:
        (firing if row.state == AlertState.FIRING.value else detached)[row.fingerprint] = row
    resolved_open: dict[str, AlertRow] = {}
    if open_ids:
        still_open = select(IncidentRow.id).where(IncidentRow.id.in_(open_ids), _OPEN)
        for row in session.scalars(
            select(AlertRow)
            .where(
                AlertRow.source == source,
                AlertRow.state == AlertState.RESOLVED.value,
                AlertRow.incident_id.in_(still_open),
            )
            .order_by(AlertRow.id)
            .execution_options(populate_existing=True)
        ):
            if row.fingerprint not in firing:
                resolved_open[row.fingerprint] = row
    return firing, detached, resolved_open


def _raise_alert(work: _Apply, alert: Alert) -> AlertRow:
    """A new alert: join the open incident correlation picks, or open one."""
    incident_id, is_new = _incident_for(work, alert)
    row = _new_alert_row(alert, incident_id, work.catalog, work.now)
    work.session.add(row)
    add_timeline(
        work.session, incident_id, work.now, "alert_fired", f"{alert.severity}: {alert.summary}", alert=row
    )
    if is_new:
        work.opened.append(incident_id)
    else:
        _note_monitoring_caught_up(work, incident_id)
    work.touched.add(incident_id)
    return row


def _note_monitoring_caught_up(work: _Apply, incident_id: int) -> None:
    """The first alert to join a customer-opened incident: by how long our monitoring was behind. The
    incident stays customer-detected, which is what the detection metrics count."""
    incident = work.session.get(IncidentRow, incident_id)  # in the session already: locked by the join
    if incident is None or incident.monitoring_detected_at is not None:
        return
    incident.monitoring_detected_at = work.now
    lead = detection_lead(incident.first_call_at, work.now)
    if lead is not None:
        add_timeline(work.session, incident_id, work.now, "detection_race", describe_lead(lead).capitalize())


def _incident_for(work: _Apply, alert: Alert) -> tuple[int, bool]:
    session, now = work.session, work.now
    service = work.catalog.service_for(alert)
    key = work.rule.key(alert, service)
    candidates = work.open_by_key.get(key)
    if candidates is None:
        with session.no_autoflush:  # pending alert rows need not be written to answer this
            rows = session.scalars(
                select(IncidentRow)
                .where(IncidentRow.correlation_key == key, _OPEN)
                .order_by(IncidentRow.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            candidates = work.open_by_key[key] = [
                OpenIncidentRef(id=row.id, correlation_key=key, last_alert_at=row.last_alert_at)
                for row in rows
            ]
    joined = work.rule.pick(key, alert.starts_at, candidates)
    if joined is not None:
        # The incident's last alert time moves with what joins it, so the next alert is judged
        # against the incident as it now is (this is what makes the result order-independent).
        index = next(i for i, ref in enumerate(candidates) if ref.id == joined)
        ref = candidates[index]
        candidates[index] = OpenIncidentRef(ref.id, key, max(ref.last_alert_at, alert.starts_at))
        return joined, False
    incident = IncidentRow(
        title=alert.summary or alert.name or "Untitled alert",
        severity=alert.severity.value,
        status=IncidentStatus.OPEN.value,
        service=service,
        correlation_key=key,
        detected_by=work.rules.detected_by.value,
        source=alert.source,
        opened_at=now,
        detected_at=now,  # the SLA clocks start when we knew, not when the source says it began
        monitoring_detected_at=now,
        impact_started_at=alert.starts_at,
        last_alert_at=alert.starts_at,
        alert_count=0,
        firing_count=0,
        call_count=0,
        suppressed_count=0,
        orphaned=False,
    )
    session.add(incident)
    session.flush()
    add_timeline(session, incident.id, now, "opened", f"Opened by {alert.source}: {incident.title}")
    candidates.append(OpenIncidentRef(id=incident.id, correlation_key=key, last_alert_at=alert.starts_at))
    return incident.id, True


def _new_alert_row(alert: Alert, incident_id: int, catalog: ServiceCatalog, now: datetime) -> AlertRow:
    return AlertRow(
        incident_id=incident_id,
        source=alert.source,
        fingerprint=alert.fingerprint,
        name=alert.name,
        labels=dict(alert.labels),
        summary=alert.summary,
        description=alert.description,
        severity=alert.severity.value,
        state=AlertState.FIRING.value,
        service=catalog.service_for(alert),
        silenced=alert.silenced,
        inhibited=alert.inhibited,
        generator_url=alert.generator_url,
        starts_at=alert.starts_at,
        ends_at=alert.ends_at,
        first_seen_at=now,
        last_seen_at=now,
        resolved_at=None,
        missed_fetches=0,
        fire_count=1,
        absent_since=None,
        clears_at=None,
    )


def _refresh(row: AlertRow, alert: Alert, now: datetime) -> None:
    labels = dict(alert.labels)
    if row.labels != labels:
        row.labels = labels
    row.summary = alert.summary
    row.description = alert.description
    row.severity = alert.severity.value
    row.silenced = alert.silenced
    row.inhibited = alert.inhibited
    row.ends_at = alert.ends_at
    row.last_seen_at = now
    row.missed_fetches = 0
    row.absent_since = None
    row.clears_at = None


def _refire(session: Session, row: AlertRow, alert: Alert, now: datetime) -> None:
    """A resolved alert fires again while its incident is still open: it flaps, same incident."""
    _refresh(row, alert, now)
    row.state = AlertState.FIRING.value
    row.starts_at = alert.starts_at
    row.resolved_at = None
    row.fire_count += 1
    add_timeline(
        session,
        row.incident_id,
        now,
        "alert_fired",
        f"Fired again ({row.fire_count} times): {alert.summary}",
        alert=row,
    )


def _count_absence(work: _Apply, row: AlertRow) -> None:
    """One more successful fetch without this alert; it resolves once the rules say so."""
    row.missed_fetches += 1
    if row.absent_since is None:
        row.absent_since = work.now
        row.clears_at = work.now + work.rules.resolve_after
    if work.rules.absence_resolves(row.missed_fetches, row.absent_since, work.now):
        since = f"{row.absent_since:%H:%M:%S} UTC"
        why = f"absent from {row.missed_fetches} successful fetches since {since}"
        _resolve_alert(work, row, row.absent_since, why)
    work.touched.add(row.incident_id)


def _resolve_alert(work: _Apply, row: AlertRow, at: datetime, why: str) -> None:
    row.state = AlertState.RESOLVED.value
    row.resolved_at = at
    row.clears_at = None
    cleared = f"Cleared ({why}): {row.summary}"
    add_timeline(work.session, row.incident_id, work.now, "alert_cleared", cleared, alert=row)
    work.resolved_alerts.add(row.incident_id)


def _settle_incidents(work: _Apply) -> ApplyResult:
    """Recount every touched incident; resolve those whose last firing alert cleared in this apply."""
    session, now = work.session, work.now
    result = ApplyResult(opened=list(work.opened))
    session.flush()
    rows_by_incident: dict[int, list[AlertRow]] = {}
    if work.touched:
        for row in session.scalars(select(AlertRow).where(AlertRow.incident_id.in_(sorted(work.touched)))):
            rows_by_incident.setdefault(row.incident_id, []).append(row)
    for incident_id in sorted(work.touched):
        incident = session.get(IncidentRow, incident_id)
        if incident is None:
            continue
        rows = rows_by_incident.get(incident_id, [])
        was_open = incident.status != IncidentStatus.RESOLVED.value
        changed = _recount(session, incident, rows, now)
        firing = [r for r in rows if r.state == AlertState.FIRING.value]
        if incident_id in work.resolved_alerts and was_open and not firing:
            incident.status = IncidentStatus.RESOLVED.value
            incident.resolved_at = max((r.resolved_at for r in rows if r.resolved_at), default=now)
            incident.resolved_by = "monitoring"
            incident.clearing_at = None
            add_timeline(session, incident_id, now, "resolve", "Resolved: every alert has cleared")
            if incident.acknowledged_at is None:  # nobody looked: it waits for a review
                incident.needs_review = True
                add_timeline(
                    session, incident_id, now, "needs_review", "Cleared before anyone acknowledged it"
                )
            result.resolved.append(incident_id)
            changed = True
        if changed or incident_id in work.opened:
            record_change(session, "incident", now, incident_id=incident_id)
            if incident_id not in work.opened and incident_id not in result.resolved:
                result.updated.append(incident_id)
    return result


def _recount(session: Session, incident: IncidentRow, rows: Sequence[AlertRow], now: datetime) -> bool:
    """Refresh an incident's counters, loudest severity, times and clearing; True if any changed."""
    firing = [r for r in rows if r.state == AlertState.FIRING.value]

    def shown() -> tuple[object, ...]:
        return (
            incident.alert_count, incident.firing_count, incident.suppressed_count, incident.severity,
            incident.last_alert_at, incident.impact_started_at, incident.clearing_at,
        )  # fmt: skip

    before = shown()
    incident.alert_count = len(rows)
    incident.firing_count = len(firing)
    incident.suppressed_count = sum(1 for r in firing if r.silenced or r.inhibited)
    if firing:
        loudest = Severity.loudest([Severity(r.severity) for r in firing])
        if loudest.rank < Severity(incident.severity).rank:
            add_timeline(session, incident.id, now, "severity", f"Severity raised to {loudest}")
            incident.severity = loudest.value
    if rows:
        incident.last_alert_at = max(incident.last_alert_at, *(r.starts_at for r in rows))
        earliest = min(r.starts_at for r in rows)
        if incident.impact_started_at is None or earliest < incident.impact_started_at:
            incident.impact_started_at = earliest
    clears = [r.clears_at for r in firing]
    incident.clearing_at = max(c for c in clears if c) if firing and all(clears) else None
    return before != shown()


def record_failure(session: Session, source_name: str, error: str, now: datetime) -> None:
    """A failed fetch (or apply) keeps every alert and incident exactly as it was; only health changes."""
    row = _lock_source(session, source_name, now)
    row.last_error = error
    row.last_error_at = now
    row.consecutive_failures = (row.consecutive_failures or 0) + 1
    row.updated_at = now
    record_change(session, "source", now, source=source_name)


def record_unchanged(session: Session, source_name: str, now: datetime) -> bool:
    """A successful fetch whose answer is the one last applied: only the source's health moves.

    False (nothing written) when the source has no health row (removed meanwhile): apply it in full.
    """
    row = session.scalars(
        select(SourceHealthRow).where(SourceHealthRow.name == source_name).with_for_update()
    ).one_or_none()
    if row is None:
        return False
    _record_success(session, row, row.alert_count, now)
    return True


def _record_success(session: Session, row: SourceHealthRow, alert_count: int, now: datetime) -> None:
    # A change entry only when something a screen shows changed; "last success" ages on screen anyway
    # (screens re-read health every few seconds).
    shown_changed = (
        row.last_success_at is None or row.consecutive_failures != 0 or row.alert_count != alert_count
    )
    row.last_success_at = now
    row.consecutive_failures = 0
    row.alert_count = alert_count
    row.updated_at = now
    if shown_changed:
        record_change(session, "source", now, source=row.name)


def reconcile_sources(session: Session, sources: Sequence[SourceConfig], now: datetime) -> list[int]:
    """Make the store's sources match the config; returns incidents that became orphaned.

    A configured source gets a health row (with its interval, so readers can judge staleness); a source
    no longer configured loses its row (its chip leaves every screen), and every open incident whose
    firing alerts all belong to unconfigured sources is marked orphaned: nothing will ever resolve it,
    so an operator resolves it by hand (one action for all of them).
    """
    configured = {s.name: s for s in sources}
    _ensure_health_rows(session, {s.name: s.interval_s for s in sources}, now)
    for row in session.scalars(select(SourceHealthRow).with_for_update()):
        wanted = configured.get(row.name)
        if wanted is None:
            session.delete(row)
            record_change(session, "source", now, source=row.name)
        elif row.interval_s != wanted.interval_s:
            row.interval_s = wanted.interval_s
            record_change(session, "source", now, source=row.name)
    session.flush()
    sources_of: dict[int, set[str]] = {}
    for incident_id, source in session.execute(
        select(AlertRow.incident_id, AlertRow.source)
        .join(IncidentRow, IncidentRow.id == AlertRow.incident_id)
        .where(_OPEN, AlertRow.state == AlertState.FIRING.value)
    ):
        sources_of.setdefault(incident_id, set()).add(source)
    orphans = {i for i, names in sources_of.items() if not names & configured.keys()}
    newly: list[int] = []
    for incident in session.scalars(
        select(IncidentRow)
        .where(_OPEN, IncidentRow.orphaned.is_(True) | IncidentRow.id.in_(sorted(orphans)))
        .order_by(IncidentRow.id)
        .with_for_update()
    ):
        orphaned = incident.id in orphans
        if incident.orphaned != orphaned:
            incident.orphaned = orphaned
            what = "no configured source reports its alerts any more" if orphaned else "its source is back"
            add_timeline(session, incident.id, now, "orphaned" if orphaned else "note", what.capitalize())
            record_change(session, "incident", now, incident_id=incident.id)
            if orphaned:
                newly.append(incident.id)
    return newly
