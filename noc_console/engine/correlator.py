"""Applies one source's snapshot (or failure) to the store, in the caller's transaction.

An apply is a pure plan (domain.apply_plan: the snapshot against the source's live alerts) written in
bulk (store.alert_writes). Its cost follows what changed, not what exists: the poller remembers each
source's live alerts between applies, so an alert whose content did not change is neither read nor
written.

Concurrency: the apply first locks its source's health row (one writer per source, whoever calls), then
the incidents its live alerts belong to, and only then reads the alerts, or checks in the change feed
that nobody else changed those incidents since its last apply (the rows of any that someone did are read
again); an operator's resolve takes the incident's row lock too, so the two never work from each
other's stale reads. On SQLite every writing transaction begins IMMEDIATE, which serialises writers
wholesale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from noc_console.domain.alerts import AlertSnapshot, AlertState
from noc_console.domain.apply_plan import SourceAlerts, plan_snapshot
from noc_console.domain.correlation import CorrelationRule, ServiceCatalog, SourceRules
from noc_console.domain.incidents import IncidentStatus
from noc_console.sources.base import DEFAULT_INTERVAL_S, SourceConfig
from noc_console.store.alert_writes import (
    ApplyResult,
    earlier_changes,
    live_incident_ids,
    load_source_alerts,
    lock_incidents,
    open_incidents,
    row_locks,
    write_plan,
)
from noc_console.store.feed import incidents_changed_for_source, latest_change_seq
from noc_console.store.maintenance import forget_held_of_removed_sources, held_services_at, write_held
from noc_console.store.models import AlertRow, IncidentRow, SourceHealthRow
from noc_console.store.repository import add_timeline, record_change
from noc_console.store.sql import insert_or_ignore
from noc_console.store.writeback import queue_acknowledge

_OPEN = IncidentRow.status != IncidentStatus.RESOLVED.value
_LIVE = (AlertState.FIRING.value, AlertState.DETACHED.value)

__all__ = [
    "ApplyResult",
    "Remembered",
    "apply_remembering",
    "apply_snapshot",
    "reconcile_sources",
    "record_failure",
    "record_unchanged",
]


@dataclass
class Remembered:
    """A source's live alerts as the poller's last apply of it left them, and the change feed's numbers
    that say since when: `seen`, the newest number when that apply read the store, and `own`, the
    numbers of that apply's own changes. Anyone else's change of an incident of these alerts since
    (an operator's resolve detaches its alerts) sends that incident's rows to be read again."""

    alerts: SourceAlerts
    seen: int
    own: tuple[int, int] | None = None


def apply_snapshot(
    session: Session,
    snapshot: AlertSnapshot,
    *,
    now: datetime,
    rule: CorrelationRule | None = None,
    catalog: ServiceCatalog | None = None,
    rules: SourceRules | None = None,
    in_maintenance: frozenset[str] | None = None,
) -> ApplyResult:
    """Apply a successful fetch: new alerts open or join incidents, gone alerts resolve.

    New alerts are taken in order of their start (then fingerprint), so the incidents they form do not
    depend on the order the source listed them in. An absent alert resolves by `rules` (enough fetches
    and enough time, never while the source is warming up after a restart), with `resolved_at` set to
    when it was first seen absent. An incident resolves when its last firing alert does, unless one of
    its alerts flaps (`rule.flap`): then once that one has been quiet long enough.
    """
    return apply_remembering(
        session, snapshot, now=now, rule=rule, catalog=catalog, rules=rules, in_maintenance=in_maintenance
    )[0]


def apply_remembering(
    session: Session,
    snapshot: AlertSnapshot,
    *,
    now: datetime,
    rule: CorrelationRule | None = None,
    catalog: ServiceCatalog | None = None,
    rules: SourceRules | None = None,
    remembered: Remembered | None = None,
    in_maintenance: frozenset[str] | None = None,
) -> tuple[ApplyResult, Remembered]:
    """`apply_snapshot`, from the source's alerts as its last apply left them (the poller keeps them;
    without, they are read from the store), and those alerts as this apply leaves them: true once the
    transaction commits, so a caller whose commit fails must forget them.

    `in_maintenance`: the services in a maintenance window now (read from the store when None); their
    new alerts open nothing and are stored as held (store.maintenance)."""
    rules = rules or SourceRules()
    catalog = catalog or ServiceCatalog()
    if in_maintenance is None:
        in_maintenance = held_services_at(session, now)
    health = _lock_source(session, snapshot.source, now)
    known = _known_alerts(session, snapshot.source, remembered)
    plan = plan_snapshot(
        snapshot,
        known.alerts,
        open_incidents(session),
        now=now,
        rule=rule or CorrelationRule(),
        catalog=catalog,
        rules=rules,
        in_maintenance=in_maintenance,
        earlier=earlier_changes(session, snapshot.source),
    )
    result = write_plan(session, plan, known.alerts, now=now, detected_by=rules.detected_by)
    if health.ack_writeback and result.updated:
        _acknowledge_joiners(session, result.updated, now)
    if not snapshot.partial:  # held alerts are replaced by a whole answer (not a push, nor half a pair)
        write_held(session, snapshot.source, plan.held, [catalog.service_for(a) for a in plan.held], now)
    if not snapshot.pushed:  # a push says nothing of whether the source can be polled: health is polls'
        pending = sum(1 for alert in snapshot.alerts if alert.pending)
        _record_success(session, health, len(snapshot.alerts), now, pending, snapshot.warning)
    return result, known


def _acknowledge_joiners(session: Session, incident_ids: Sequence[int], now: datetime) -> None:
    """An alert that joins (or fires again in) an incident already acknowledged is acknowledged at its
    source too, as if it had been there at the acknowledge (one job per alert: the others are kept)."""
    acknowledged = session.execute(
        select(IncidentRow.id, IncidentRow.acknowledged_by).where(
            IncidentRow.id.in_(sorted(incident_ids)),
            IncidentRow.status == IncidentStatus.ACKNOWLEDGED.value,
        )
    ).all()
    for incident_id, by in acknowledged:
        queue_acknowledge(session, incident_id, by or "noc-console", now)


def _known_alerts(session: Session, source: str, remembered: Remembered | None) -> Remembered:
    """The source's live alerts as they are now, their incidents locked until commit.

    Remembered ones are checked against the change feed: the rows of any incident someone else changed
    since are read again. Without them, every live row of the source is read.
    """
    if remembered is None:
        if row_locks(session):  # an operator's resolve of one of these waits for us, or we for it
            lock_incidents(session, live_incident_ids(session, source))
        return Remembered(load_source_alerts(session, source), latest_change_seq(session))
    if row_locks(session):
        lock_incidents(session, remembered.alerts.incident_ids())
    seen = latest_change_seq(session)
    changed = incidents_changed_for_source(session, source, remembered.seen, seen, skip=remembered.own)
    if changed:
        lock_incidents(session, changed)
        remembered.alerts.forget_incidents(changed)
        load_source_alerts(session, source, remembered.alerts, incident_ids=changed)
    return Remembered(remembered.alerts, seen)


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
            "pending_count": 0,
            "updated_at": now,
            "interval_s": DEFAULT_INTERVAL_S if interval is None else interval,
        }
        for name, interval in intervals.items()
    ]
    if values:
        session.execute(insert_or_ignore(session, SourceHealthRow, values))


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
    _record_success(session, row, row.alert_count, now, row.pending_count or 0, row.warning)
    return True


def _record_success(
    session: Session,
    row: SourceHealthRow,
    alert_count: int,
    now: datetime,
    pending_count: int,
    warning: str | None,
) -> None:
    """An unchanged answer keeps its warning (an HA pair's digest covers which members answered)."""
    # A change entry only when something a screen shows changed; "last success" ages on screen anyway
    # (screens re-read health every few seconds).
    shown_changed = (
        row.last_success_at is None
        or row.consecutive_failures != 0
        or row.alert_count != alert_count
        or row.pending_count != pending_count
        or row.warning != warning
    )
    row.warning = warning
    row.last_success_at = now
    row.consecutive_failures = 0
    row.alert_count = alert_count
    row.pending_count = pending_count
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
        else:
            if row.interval_s != wanted.interval_s:
                row.interval_s = wanted.interval_s
                record_change(session, "source", now, source=row.name)
            if row.ack_writeback != wanted.ack_writeback:
                row.ack_writeback = wanted.ack_writeback
    forget_held_of_removed_sources(session, configured)
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
