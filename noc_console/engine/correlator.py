"""Applies one source's snapshot (or failure) to the store in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.correlation import CorrelationRule, OpenIncidentRef, ServiceCatalog
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.store.models import AlertRow, IncidentRow, SourceHealthRow
from noc_console.store.repository import add_timeline, record_change

SYNTHETIC_SOURCE_TYPES = frozenset({"http_check"})


@dataclass
class ApplyResult:
    """Incident IDs that one snapshot opened, changed or resolved."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)

    def merge(self, other: ApplyResult) -> None:
        for mine, theirs in ((self.opened, other.opened), (self.updated, other.updated)):
            mine.extend(i for i in theirs if i not in mine)
        self.resolved.extend(i for i in other.resolved if i not in self.resolved)


def apply_snapshot(
    session: Session,
    snapshot: AlertSnapshot,
    *,
    now: datetime,
    rule: CorrelationRule | None = None,
    catalog: ServiceCatalog | None = None,
    resolve_after_missed: int = 2,
    detected_by: DetectionSource = DetectionSource.MONITORING,
) -> ApplyResult:
    """Apply a successful fetch: new alerts open or join incidents, gone alerts resolve.

    An alert resolves when the source says it ended (`endsAt` in the past) or when it has been absent
    from `resolve_after_missed` consecutive successful fetches. An incident resolves when its last
    firing alert does. The caller commits; everything here is one transaction.
    """
    rule = rule or CorrelationRule()
    catalog = catalog or ServiceCatalog()
    touched: set[int] = set()
    opened: list[int] = []
    resolved_alerts: set[int] = set()
    seen: set[str] = set()
    open_by_key: dict[str, list[OpenIncidentRef]] = {}  # read once per key per snapshot

    current = {
        row.fingerprint: row
        for row in session.scalars(
            select(AlertRow).where(AlertRow.source == snapshot.source).order_by(AlertRow.id)
        )
    }
    for alert in snapshot.alerts:
        seen.add(alert.fingerprint)
        row = current.get(alert.fingerprint)
        ended = alert.has_ended(now)
        if row is not None and row.state == AlertState.FIRING.value:
            _refresh(row, alert, now)
            if ended:
                _resolve_alert(session, row, now, "ended at the source")
                resolved_alerts.add(row.incident_id)
            touched.add(row.incident_id)
            continue
        if ended:
            continue  # an alert we never saw firing, already over: nothing to raise
        incident = session.get(IncidentRow, row.incident_id) if row is not None else None
        if row is not None and incident is not None and incident.status != IncidentStatus.RESOLVED.value:
            _refire(session, row, alert, now)
            touched.add(row.incident_id)
            continue
        incident_id, is_new = _incident_for(session, alert, catalog, rule, now, detected_by, open_by_key)
        new_row = _new_alert_row(alert, incident_id, catalog, now)
        session.add(new_row)
        current[alert.fingerprint] = new_row
        add_timeline(
            session,
            incident_id,
            now,
            "alert_fired",
            f"{alert.severity}: {alert.summary}",
            alert=new_row,
        )
        if is_new:
            opened.append(incident_id)
        touched.add(incident_id)

    for fingerprint, row in current.items():
        if fingerprint in seen or row.state != AlertState.FIRING.value:
            continue
        row.missed_fetches += 1
        if row.missed_fetches >= resolve_after_missed:
            _resolve_alert(session, row, now, f"absent from {row.missed_fetches} successful fetches")
            resolved_alerts.add(row.incident_id)
        touched.add(row.incident_id)

    result = ApplyResult(opened=opened)
    for incident_id in sorted(touched):
        incident = session.get(IncidentRow, incident_id)
        if incident is None:
            continue
        was_open = incident.status != IncidentStatus.RESOLVED.value
        changed = _recount(session, incident, now)
        if incident_id in resolved_alerts and was_open and incident.firing_count == 0:
            incident.status = IncidentStatus.RESOLVED.value
            incident.resolved_at = now
            incident.resolved_by = "monitoring"
            add_timeline(session, incident_id, now, "resolve", "Resolved: every alert has cleared")
            result.resolved.append(incident_id)
            changed = True
        if changed or incident_id in opened or incident_id in resolved_alerts:
            record_change(session, "incident", now, incident_id=incident_id)
            if incident_id not in opened and incident_id not in result.resolved:
                result.updated.append(incident_id)
    _record_success(session, snapshot, now)
    return result


def record_failure(session: Session, source_name: str, error: str, now: datetime) -> None:
    """A failed fetch marks the source stale and keeps every alert and incident exactly as it was."""
    row = _health_row(session, source_name, now)
    row.last_error = error
    row.last_error_at = now
    row.consecutive_failures = (row.consecutive_failures or 0) + 1
    row.stale = True
    row.updated_at = now
    record_change(session, "source", now, source=source_name)


def _record_success(session: Session, snapshot: AlertSnapshot, now: datetime) -> None:
    row = _health_row(session, snapshot.source, now)
    was = (row.stale, row.alert_count, row.consecutive_failures)
    row.last_success_at = now
    row.consecutive_failures = 0
    row.stale = False
    row.alert_count = len(snapshot.alerts)
    row.updated_at = now
    # A change entry only when something a screen shows changed; "last success" ages on screen anyway.
    if row in session.new or was != (False, row.alert_count, 0):
        record_change(session, "source", now, source=snapshot.source)


def _health_row(session: Session, name: str, now: datetime) -> SourceHealthRow:
    row = session.get(SourceHealthRow, name)
    if row is None:
        row = SourceHealthRow(name=name, stale=False, consecutive_failures=0, alert_count=0, updated_at=now)
        session.add(row)
    return row


def _incident_for(
    session: Session,
    alert: Alert,
    catalog: ServiceCatalog,
    rule: CorrelationRule,
    now: datetime,
    detected_by: DetectionSource,
    open_by_key: dict[str, list[OpenIncidentRef]],
) -> tuple[int, bool]:
    service = catalog.service_for(alert)
    key = rule.key(alert, service)
    candidates = open_by_key.get(key)
    if candidates is None:
        with session.no_autoflush:  # pending alert rows need not be written to answer this
            rows = session.scalars(
                select(IncidentRow).where(
                    IncidentRow.correlation_key == key, IncidentRow.status != IncidentStatus.RESOLVED.value
                )
            )
            candidates = open_by_key[key] = [
                OpenIncidentRef(
                    id=row.id, correlation_key=row.correlation_key, last_alert_at=row.last_alert_at
                )
                for row in rows
            ]
    joined = rule.pick(key, alert.starts_at, candidates)
    if joined is not None:
        return joined, False
    incident = IncidentRow(
        title=alert.summary or alert.name or "Untitled alert",
        severity=alert.severity.value,
        status=IncidentStatus.OPEN.value,
        service=service,
        correlation_key=key,
        detected_by=detected_by.value,
        source=alert.source,
        opened_at=now,
        detected_at=min(alert.starts_at, now),
        last_alert_at=alert.starts_at,
        alert_count=0,
        firing_count=0,
        call_count=0,
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
    )


def _refresh(row: AlertRow, alert: Alert, now: datetime) -> None:
    row.labels = dict(alert.labels)
    row.summary = alert.summary
    row.description = alert.description
    row.severity = alert.severity.value
    row.silenced = alert.silenced
    row.inhibited = alert.inhibited
    row.ends_at = alert.ends_at
    row.last_seen_at = now
    row.missed_fetches = 0


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


def _resolve_alert(session: Session, row: AlertRow, now: datetime, why: str) -> None:
    row.state = AlertState.RESOLVED.value
    row.resolved_at = now
    cleared = f"Cleared ({why}): {row.summary}"
    add_timeline(session, row.incident_id, now, "alert_cleared", cleared, alert=row)


def _recount(session: Session, incident: IncidentRow, now: datetime) -> bool:
    """Refresh an incident's counters, loudest severity and last alert time; True if any changed."""
    rows = session.scalars(select(AlertRow).where(AlertRow.incident_id == incident.id)).all()
    firing = [r for r in rows if r.state == AlertState.FIRING.value]
    before = (incident.alert_count, incident.firing_count, incident.severity, incident.last_alert_at)
    incident.alert_count = len(rows)
    incident.firing_count = len(firing)
    if firing:
        loudest = Severity.loudest([Severity(r.severity) for r in firing])
        if loudest.rank < Severity(incident.severity).rank:
            add_timeline(session, incident.id, now, "severity", f"Severity raised to {loudest}")
            incident.severity = loudest.value
    if rows:
        incident.last_alert_at = max(incident.last_alert_at, *(r.starts_at for r in rows))
    return before != (incident.alert_count, incident.firing_count, incident.severity, incident.last_alert_at)
