"""Reads a source's live alerts into memory, and writes a plan (domain.apply_plan) in bulk.

A plan is written with one statement per kind of change (new incidents, new alert rows, refreshed rows,
cleared rows, timeline entries), each an executemany, never a statement per alert; only incidents whose
figures may have changed are counted again, with one aggregate query. The caller holds the locks
(engine.correlator): its source's health row, the incidents its remembered alerts belong to, and the open
incidents new alerts may join (`open_incidents`, FOR UPDATE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from noc_console.domain.alerts import Alert, AlertState
from noc_console.domain.apply_plan import EarlierChanges, Flap, KnownAlert, Plan, SourceAlerts, content_key
from noc_console.domain.calls import describe_lead, detection_lead
from noc_console.domain.correlation import OpenIncidentRef
from noc_console.domain.incident_title import FiringGroup, host_of, incident_title
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.store.feed import record_change
from noc_console.store.models import AlertRow, IncidentRow, TimelineRow
from noc_console.store.repository import add_timeline

_OPEN = IncidentRow.status != IncidentStatus.RESOLVED.value
_LIVE = (AlertState.FIRING.value, AlertState.DETACHED.value)
_FIRING = AlertRow.state == AlertState.FIRING.value
_CHUNK = 5000  # ids per IN list: under every backend's limit on bound parameters


@dataclass
class ApplyResult:
    """Incident IDs that one snapshot opened, changed or resolved."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    # Firing alerts the answer left out that have not resolved yet: each further answer counts them
    # again and their clearing clocks run, so even an identical next answer has work to do.
    absent: int = 0
    # Alerts of the source that flap: each further answer asks whether they have settled, so even an
    # identical next answer has work to do.
    flapping: int = 0

    def merge(self, other: ApplyResult) -> None:
        for mine, theirs in ((self.opened, other.opened), (self.updated, other.updated)):
            mine.extend(i for i in theirs if i not in mine)
        self.resolved.extend(i for i in other.resolved if i not in self.resolved)
        self.absent += other.absent
        self.flapping += other.flapping


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


_KNOWN_COLUMNS = (
    AlertRow.id, AlertRow.incident_id, AlertRow.fingerprint, AlertRow.state, AlertRow.labels,
    AlertRow.summary, AlertRow.description, AlertRow.severity, AlertRow.silenced, AlertRow.inhibited,
    AlertRow.pending, AlertRow.starts_at, AlertRow.ends_at, AlertRow.service, AlertRow.generator_url,
    AlertRow.missed_fetches, AlertRow.absent_since, AlertRow.clears_at, AlertRow.fire_count,
    AlertRow.flap_changes, AlertRow.flapping_since,
)  # fmt: skip


def load_source_alerts(
    session: Session, source: str, into: SourceAlerts | None = None, *, incident_ids: set[int] | None = None
) -> SourceAlerts:
    """The source's firing and detached rows, and its resolved rows in open incidents, as they are now.

    With `incident_ids`, only the rows of those incidents are read (added to `into`). Every query is
    bounded by what is live (firing alerts, open incidents), never by the source's history.
    """
    known = into if into is not None else SourceAlerts()
    queries = _live_rows(source, *_KNOWN_COLUMNS)
    if incident_ids is not None:
        queries = [q.where(AlertRow.incident_id.in_(ids)) for ids in _chunks(incident_ids) for q in queries]
    rows = [row for query in queries for row in session.execute(query)]
    rows.sort(key=lambda r: r.id)  # a later row of one fingerprint wins
    for r in rows:
        content = content_key(
            r.labels, r.summary, r.description, r.severity, r.silenced, r.inhibited, r.ends_at, r.pending
        )
        known.add(
            KnownAlert(
                id=r.id,
                incident_id=r.incident_id,
                state=AlertState(r.state),
                fingerprint=r.fingerprint,
                content=content,
                summary=r.summary,
                severity=Severity(r.severity),
                silenced=r.silenced,
                inhibited=r.inhibited,
                service=r.service,
                pending=r.pending,
                missed_fetches=r.missed_fetches,
                absent_since=r.absent_since,
                clears_at=r.clears_at,
                fire_count=r.fire_count,
                changes=_changes_of(r.flap_changes),
                flapping_since=r.flapping_since,
            )
        )
    return known


def _changes_of(stored: list[str] | None) -> tuple[datetime, ...]:
    return tuple(datetime.fromisoformat(at) for at in stored or ())


def _flap_values(row: KnownAlert) -> dict[str, Any]:
    """What a row keeps of its recent changes of state, and whether it flaps."""
    changes = row.changes
    return {
        "flap_changes": [at.isoformat() for at in changes] if changes else None,
        "last_change_at": max(changes) if changes else None,
        "flapping_since": row.flapping_since,
    }


def earlier_changes(session: Session, source: str) -> EarlierChanges:
    """For a plan: the recent changes of state of the source's alerts whose rows are no longer live (their
    incident resolved), the latest row of each fingerprint. Bounded by what changed lately (an index on
    the source and the newest change), never by the source's history."""

    def of(fingerprints: Sequence[str], since: datetime) -> dict[str, tuple[datetime, ...]]:
        found: dict[str, tuple[datetime, ...]] = {}
        for start in range(0, len(fingerprints), _CHUNK):
            query = (
                select(AlertRow.fingerprint, AlertRow.flap_changes)
                .where(
                    AlertRow.source == source,
                    AlertRow.last_change_at >= since,
                    AlertRow.fingerprint.in_(fingerprints[start : start + _CHUNK]),
                )
                .order_by(AlertRow.id)  # a later row of one fingerprint wins
            )
            found.update((fp, _changes_of(changes)) for fp, changes in session.execute(query))
        return found

    return of


def row_locks(session: Session) -> bool:
    """Whether the backend locks rows (PostgreSQL); SQLite's writing transactions exclude each other."""
    return session.get_bind().dialect.name == "postgresql"


def _live_rows(source: str, *columns: Any) -> list[Select[Any]]:
    """The source's live rows: firing and detached ones, and resolved ones whose incident is open."""
    live = select(*columns).where(AlertRow.source == source, AlertRow.state.in_(_LIVE))
    resolved = (
        select(*columns)
        .join(IncidentRow, IncidentRow.id == AlertRow.incident_id)
        .where(_OPEN, AlertRow.source == source, AlertRow.state == AlertState.RESOLVED.value)
    )
    return [live, resolved]


def live_incident_ids(session: Session, source: str) -> set[int]:
    """The incidents the source's live rows belong to (to lock them before the rows are read)."""
    return {
        i for query in _live_rows(source, AlertRow.incident_id) for i in session.scalars(query.distinct())
    }


def lock_incidents(session: Session, incident_ids: set[int]) -> None:
    """Lock these incidents until commit, in ID order (an operator's resolve of one waits, or we do)."""
    if not row_locks(session):
        return
    for ids in _chunks(incident_ids):
        session.execute(
            select(IncidentRow.id).where(IncidentRow.id.in_(ids)).order_by(IncidentRow.id).with_for_update()
        ).all()


def open_incidents(session: Session) -> Callable[[str], list[OpenIncidentRef]]:
    """For a plan: the open incidents of a correlation key, locked until commit."""

    def of_key(key: str) -> list[OpenIncidentRef]:
        rows = session.execute(
            select(IncidentRow.id, IncidentRow.last_alert_at)
            .where(IncidentRow.correlation_key == key, _OPEN)
            .order_by(IncidentRow.id)
            .with_for_update()
        )
        return [OpenIncidentRef(id=r.id, correlation_key=key, last_alert_at=r.last_alert_at) for r in rows]

    return of_key


def write_plan(
    session: Session, plan: Plan, known: SourceAlerts, *, now: datetime, detected_by: DetectionSource
) -> ApplyResult:
    """Write `plan`, count its incidents again, resolve those whose last firing alert cleared."""
    timeline: list[dict[str, Any]] = []
    opened = _open_incidents(session, plan, now, detected_by, timeline)
    _insert_alerts(session, plan, now, opened, timeline)
    _update_alerts(session, plan, now, timeline)
    if timeline:
        session.execute(insert(TimelineRow), timeline)
        timeline.clear()
    incidents = _incident_rows(session, plan.recount | set(opened))
    for incident_id in sorted(plan.joined):
        _note_monitoring_caught_up(session, incidents.get(incident_id), now)
    result = _settle(session, plan, incidents, opened, now)
    result.absent = plan.absent_firing
    result.flapping = len(known.flapping)
    if result.resolved:  # their resolved rows no longer flap back into an open incident
        gone = set(result.resolved)
        for fingerprint in [fp for fp, row in known.resolved_open.items() if row.incident_id in gone]:
            del known.resolved_open[fingerprint]
    return result


def _open_incidents(
    session: Session, plan: Plan, now: datetime, detected_by: DetectionSource, timeline: list[dict[str, Any]]
) -> list[int]:
    """Insert the plan's new incidents; their IDs in the plan's order."""
    if not plan.new_incidents:
        return []
    values = [
        {
            "title": new.title,
            "severity": new.alert.severity.value,
            "status": IncidentStatus.OPEN.value,
            "service": new.service,
            "correlation_key": new.key,
            "detected_by": detected_by.value,
            "source": new.alert.source,
            "opened_at": now,
            "detected_at": now,  # the SLA clocks start when we knew, not when the source says it began
            "monitoring_detected_at": now,
            "impact_started_at": new.alert.starts_at,
            "last_alert_at": new.alert.starts_at,
            "alert_count": 0,
            "firing_count": 0,
            "call_count": 0,
            "suppressed_count": 0,
            "orphaned": False,
            "false_positive": False,
            "needs_review": False,
        }
        for new in plan.new_incidents
    ]
    ids = list(
        session.scalars(insert(IncidentRow).returning(IncidentRow.id, sort_by_parameter_order=True), values)
    )
    for incident_id, new in zip(ids, plan.new_incidents, strict=True):
        timeline.append(_entry(incident_id, now, "opened", f"Opened by {new.alert.source}: {new.title}"))
    return ids


def _insert_alerts(
    session: Session, plan: Plan, now: datetime, opened: Sequence[int], timeline: list[dict[str, Any]]
) -> None:
    for raised in plan.raised:
        if raised.new_incident is not None:
            raised.row.incident_id = opened[raised.new_incident]
    if not plan.raised:
        return
    values = [_new_row(raised.row, raised.alert, now) for raised in plan.raised]
    ids = list(session.scalars(insert(AlertRow).returning(AlertRow.id, sort_by_parameter_order=True), values))
    # Each new incident's "opened" entry comes first in its timeline, then its alerts in order.
    opening = {incident_id: entry for incident_id, entry in zip(opened, timeline, strict=True)}
    timeline.clear()
    for raised, alert_id in zip(plan.raised, ids, strict=True):
        row = raised.row
        row.id = alert_id
        first = opening.pop(row.incident_id, None)
        if first is not None:
            timeline.append(first)
        alert = raised.alert
        timeline.append(
            _entry(row.incident_id, now, "alert_fired", f"{alert.severity}: {alert.summary}", alert_id)
        )
        if raised.replaces is not None:
            text = f"Still firing after incident #{raised.replaces.incident_id} was resolved by hand: "
            timeline.append(_entry(row.incident_id, now, "alert_fired", text + alert.summary, alert_id))
    timeline.extend(opening.values())  # (none: every new incident has an alert)


def _new_row(row: KnownAlert, alert: Alert, now: datetime) -> dict[str, Any]:
    return {
        "incident_id": row.incident_id, "source": alert.source, "fingerprint": alert.fingerprint,
        "name": alert.name, "labels": dict(alert.labels), "summary": alert.summary,
        "description": alert.description, "severity": alert.severity.value, "state": AlertState.FIRING.value,
        "service": row.service, "silenced": alert.silenced, "inhibited": alert.inhibited,
        "pending": alert.pending, "generator_url": alert.generator_url, "starts_at": alert.starts_at,
        "ends_at": alert.ends_at,
        "first_seen_at": now, "last_seen_at": now, "resolved_at": None, "missed_fetches": 0,
        "fire_count": 1, "absent_since": None, "clears_at": None, **_flap_values(row),
    }  # fmt: skip


def _content(row: KnownAlert, alert: Alert, now: datetime) -> dict[str, Any]:
    """What a refresh writes: the alert's content as the source now says, and that it is present."""
    return {
        "id": row.id, "labels": dict(alert.labels), "summary": alert.summary,
        "description": alert.description, "severity": alert.severity.value, "silenced": alert.silenced,
        "inhibited": alert.inhibited, "pending": alert.pending, "ends_at": alert.ends_at,
        "last_seen_at": now, "missed_fetches": row.missed_fetches, "absent_since": row.absent_since,
        "clears_at": row.clears_at,
    }  # fmt: skip


def _update_alerts(session: Session, plan: Plan, now: datetime, timeline: list[dict[str, Any]]) -> None:
    """Refreshed, fired again, absent, cleared, over: one executemany each (ORM bulk update by key)."""
    batches: list[list[dict[str, Any]]] = [[_content(w.row, w.alert, now) for w in plan.refreshed]]
    refired = []
    for row, alert, logged in ((w.row, w.alert, w.logged) for w in plan.refired):
        values = _content(row, alert, now)
        values.update(
            state=AlertState.FIRING.value, starts_at=alert.starts_at, resolved_at=None,
            fire_count=row.fire_count, **_flap_values(row),
        )  # fmt: skip
        refired.append(values)
        if logged:
            text = f"Fired again ({row.fire_count} times): {alert.summary}"
            timeline.append(_entry(row.incident_id, now, "alert_fired", text, row.id))
    batches.append(refired)
    batches.append(
        [
            {
                "id": r.id,
                "missed_fetches": r.missed_fetches,
                "absent_since": r.absent_since,
                "clears_at": r.clears_at,
            }
            for r in plan.absent
        ]
    )
    cleared = []
    for done in plan.cleared:
        row = done.row
        cleared.append(
            {
                "id": row.id,
                "state": AlertState.RESOLVED.value,
                "resolved_at": done.at,
                "clears_at": None,
                "missed_fetches": row.missed_fetches,
                "absent_since": row.absent_since,
                **_flap_values(row),
            }
        )
        if done.logged:
            text = f"Cleared ({done.why}): {row.summary}"
            timeline.append(_entry(row.incident_id, now, "alert_cleared", text, row.id))
    batches.append(cleared)
    for row in plan.turned_pending:
        text = f"Pending at the source, not firing (clears unless it fires again): {row.summary}"
        timeline.append(_entry(row.incident_id, now, "alert_pending", text, row.id))
    over = [{"id": row.id, "state": AlertState.RESOLVED.value, **_flap_values(row)} for row in plan.over]
    batches.append(over)
    replaced = [{"id": r.replaces.id, "state": AlertState.RESOLVED.value} for r in plan.raised if r.replaces]
    batches.append(replaced)
    batches.append([{"id": flap.row.id, "flapping_since": None} for flap in plan.settled])
    _flap_entries(plan, now, timeline)
    for batch in batches:
        if batch:
            session.execute(update(AlertRow), batch)


def _flap_entries(plan: Plan, now: datetime, timeline: list[dict[str, Any]]) -> None:
    """One timeline entry when an alert begins flapping, one when it stops (none for each change); at
    `now`, after the change that made it flap."""
    entries: list[tuple[Flap, str, str]] = [
        (flap, "flapping", f"Flapping ({flap.why}): held open until it settles, no alarm for each change")
        for flap in plan.flapping
    ]
    entries += [(flap, "flap_settled", f"Stopped flapping ({flap.why})") for flap in plan.settled]
    for flap, kind, text in entries:
        row = flap.row
        timeline.append(_entry(row.incident_id, now, kind, f"{text}: {row.summary}", row.id))


def _entry(
    incident_id: int, now: datetime, kind: str, text: str, alert_id: int | None = None
) -> dict[str, Any]:
    return {
        "incident_id": incident_id, "at": now, "kind": kind, "actor": "system", "text": text,
        "alert_id": alert_id,
    }  # fmt: skip


def _incident_rows(session: Session, ids: set[int]) -> dict[int, IncidentRow]:
    rows: dict[int, IncidentRow] = {}
    for chunk in _chunks(ids):
        query = select(IncidentRow).where(IncidentRow.id.in_(chunk))
        for row in session.scalars(query.execution_options(populate_existing=True)):
            rows[row.id] = row
    return rows


def _note_monitoring_caught_up(session: Session, incident: IncidentRow | None, now: datetime) -> None:
    """The first alert to join a customer-opened incident: by how long our monitoring was behind. The
    incident stays customer-detected, which is what the detection metrics count."""
    if incident is None or incident.monitoring_detected_at is not None:
        return
    incident.monitoring_detected_at = now
    lead = detection_lead(incident.first_call_at, now)
    if lead is not None:
        verdict = describe_lead(lead, stored=True).capitalize()
        add_timeline(session, incident.id, now, "detection_race", verdict)


@dataclass(frozen=True, slots=True)
class _Figures:
    """An incident's alerts, counted: what its row shows of them."""

    alerts: int
    firing: int
    suppressed: int
    first_start: datetime
    last_start: datetime
    clears_at: datetime | None  # the latest clearing time of its firing alerts, if every one has one
    last_resolved: datetime | None
    severities: frozenset[str]
    flapping_since: datetime | None  # the earliest its alerts flap since, if any does

    @property
    def over(self) -> bool:
        """Nothing fires and nothing flaps: the incident resolves (when one of its alerts just cleared)."""
        return self.firing == 0 and self.flapping_since is None


def _figures(session: Session, ids: set[int]) -> dict[int, _Figures]:
    """Every alert of these incidents (of any source), counted in SQL: one pass through the index."""
    counted: dict[int, Any] = {}
    severities: dict[int, set[str]] = {}
    suppressed = and_(_FIRING, or_(AlertRow.silenced.is_(True), AlertRow.inhibited.is_(True)))
    for chunk in _chunks(ids):
        counts = session.execute(
            select(
                AlertRow.incident_id,
                func.count(),
                func.sum(case((_FIRING, 1), else_=0)),
                func.sum(case((suppressed, 1), else_=0)),
                func.min(AlertRow.starts_at),
                func.max(AlertRow.starts_at),
                func.max(case((_FIRING, AlertRow.clears_at))),
                func.sum(case((and_(_FIRING, AlertRow.clears_at.is_(None)), 1), else_=0)),
                func.max(AlertRow.resolved_at),
                func.min(AlertRow.flapping_since),
            )
            .where(AlertRow.incident_id.in_(chunk))
            .group_by(AlertRow.incident_id)
        )
        for row in counts:
            counted[row[0]] = row
        for incident_id, severity in session.execute(
            select(AlertRow.incident_id, AlertRow.severity)
            .where(AlertRow.incident_id.in_(chunk), _FIRING)
            .distinct()
        ):
            severities.setdefault(incident_id, set()).add(severity)
    return {
        i: _Figures(
            alerts=r[1],
            firing=int(r[2] or 0),
            suppressed=int(r[3] or 0),
            first_start=r[4],
            last_start=r[5],
            clears_at=r[6] if int(r[2] or 0) and not int(r[7] or 0) else None,
            last_resolved=r[8],
            severities=frozenset(severities.get(i, ())),
            flapping_since=r[9],
        )
        for i, r in counted.items()
    }


def _titles(
    session: Session, incidents: dict[int, IncidentRow], figures: dict[int, _Figures]
) -> dict[int, str]:
    """The summarising title of each open incident monitoring opened that has a firing alert.

    A customer-reported incident keeps the title the person taking the call wrote. One query reads the
    firing alerts' names and host labels; a second reads the summary of each incident's single alert.
    """
    retitled = {
        i
        for i, row in incidents.items()
        if row.detected_by != DetectionSource.CUSTOMER.value
        and row.status != IncidentStatus.RESOLVED.value
        and i in figures
        and figures[i].firing
    }
    if not retitled:
        return {}
    host, instance = AlertRow.labels["host"].as_string(), AlertRow.labels["instance"].as_string()
    groups: dict[int, dict[tuple[str, str | None], int]] = {}
    singles = [i for i in retitled if figures[i].firing == 1]
    summaries: dict[int, str] = {}
    for chunk in _chunks(retitled):
        query = select(AlertRow.incident_id, AlertRow.name, host, instance).where(
            AlertRow.incident_id.in_(chunk), _FIRING
        )
        for incident_id, name, host_label, instance_label in session.execute(query):
            counts = groups.setdefault(incident_id, {})
            where = (name, host_of(host_label, instance_label))
            counts[where] = counts.get(where, 0) + 1
    for chunk in _chunks(singles):
        query = select(AlertRow.incident_id, AlertRow.summary).where(AlertRow.incident_id.in_(chunk), _FIRING)
        summaries.update((incident_id, summary) for incident_id, summary in session.execute(query))
    titles: dict[int, str] = {}
    for incident_id, counts in groups.items():
        summary = summaries.get(incident_id, "")
        title = incident_title(FiringGroup(name, where, n, summary) for (name, where), n in counts.items())
        if title is not None:
            titles[incident_id] = title
    return titles


def _settle(
    session: Session, plan: Plan, incidents: dict[int, IncidentRow], opened: Sequence[int], now: datetime
) -> ApplyResult:
    """Count the plan's incidents again; resolve those whose last firing alert cleared in this plan."""
    result = ApplyResult(opened=list(opened))
    # Those whose alert cleared, or stopped flapping while clear: each resolves once nothing fires or flaps.
    cleared = {done.row.incident_id for done in plan.cleared}
    cleared.update(flap.row.incident_id for flap in plan.settled)
    figures = _figures(session, set(incidents))
    titles = _titles(session, incidents, figures)
    for incident_id in sorted(incidents):
        incident = incidents[incident_id]
        counted = figures.get(incident_id)
        was_open = incident.status != IncidentStatus.RESOLVED.value
        changed = _recount(session, incident, counted, now)
        title = titles.get(incident_id)
        if title is not None and title != incident.title:
            incident.title = title
            changed = True
        if incident_id in cleared and was_open and (counted is None or counted.over):
            incident.status = IncidentStatus.RESOLVED.value
            incident.resolved_at = (counted.last_resolved if counted else None) or now
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
        if changed or incident_id in result.opened:
            record_change(session, "incident", now, incident_id=incident_id)
            if incident_id not in result.opened and incident_id not in result.resolved:
                result.updated.append(incident_id)
    return result


def _recount(session: Session, incident: IncidentRow, counted: _Figures | None, now: datetime) -> bool:
    """Refresh an incident's counters, loudest severity, times and clearing; True if any changed."""

    def shown() -> tuple[object, ...]:
        return (
            incident.alert_count, incident.firing_count, incident.suppressed_count, incident.severity,
            incident.last_alert_at, incident.impact_started_at, incident.clearing_at,
            incident.flapping_since,
        )  # fmt: skip

    before = shown()
    incident.alert_count = counted.alerts if counted else 0
    incident.firing_count = counted.firing if counted else 0
    incident.suppressed_count = counted.suppressed if counted else 0
    if counted and counted.severities:
        loudest = Severity.loudest([Severity(s) for s in counted.severities])
        if loudest.rank < Severity(incident.severity).rank:
            add_timeline(session, incident.id, now, "severity", f"Severity raised to {loudest}")
            incident.severity = loudest.value
    if counted:
        incident.last_alert_at = max(incident.last_alert_at, counted.last_start)
        if incident.impact_started_at is None or counted.first_start < incident.impact_started_at:
            incident.impact_started_at = counted.first_start
    incident.flapping_since = counted.flapping_since if counted else None
    # A flapping incident is held open: it does not resolve when its alerts clear.
    incident.clearing_at = counted.clears_at if counted and counted.flapping_since is None else None
    return before != shown()
