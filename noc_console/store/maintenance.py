"""Maintenance windows in the store: add, list, end; the alerts they hold; their Alertmanager silences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.orm import Session

from noc_console.domain.alerts import Alert
from noc_console.domain.i18n import translate
from noc_console.domain.maintenance import MaintenanceWindow, NewWindow
from noc_console.store.feed import record_change
from noc_console.store.models import HeldAlertRow, MaintenanceSilenceRow, MaintenanceWindowRow

SILENCE_ACTIVE, SILENCE_EXPIRED, SILENCE_FAILED = "active", "expired", "failed"


class UnknownWindow(LookupError):
    """No maintenance window has this ID."""


class WindowOver(ValueError):
    """The window has ended already (by hand, or its time is up)."""


def _window(row: MaintenanceWindowRow) -> MaintenanceWindow:
    return MaintenanceWindow(
        row.id, row.service, row.starts_at, row.ends_at, row.reason, row.created_by, row.created_at,
        row.ended_at, row.ended_by,
    )  # fmt: skip


def add_window(session: Session, new: NewWindow, now: datetime) -> MaintenanceWindow:
    row = MaintenanceWindowRow(
        service=new.service,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        reason=new.reason,
        created_by=new.created_by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    record_change(session, "maintenance", now)
    return _window(row)


def _not_over(now: datetime) -> ColumnElement[bool]:
    return and_(MaintenanceWindowRow.ends_at > now, MaintenanceWindowRow.ended_at.is_(None))


def current_windows(session: Session, now: datetime) -> list[MaintenanceWindow]:
    """Active and upcoming windows, soonest first."""
    rows = session.scalars(
        select(MaintenanceWindowRow)
        .where(_not_over(now))
        .order_by(MaintenanceWindowRow.starts_at, MaintenanceWindowRow.id)
    )
    return [_window(row) for row in rows]


def all_windows(session: Session, limit: int = 500) -> list[MaintenanceWindow]:
    """Every window, newest first (at most `limit`)."""
    rows = session.scalars(select(MaintenanceWindowRow).order_by(MaintenanceWindowRow.id.desc()).limit(limit))
    return [_window(row) for row in rows]


def get_window(session: Session, window_id: int) -> MaintenanceWindow | None:
    row = session.get(MaintenanceWindowRow, window_id)
    return None if row is None else _window(row)


def held_services_at(session: Session, now: datetime) -> frozenset[str]:
    """The services in an active window at `now` (one indexed query over the windows not over)."""
    return frozenset(
        session.scalars(
            select(MaintenanceWindowRow.service)
            .where(_not_over(now), MaintenanceWindowRow.starts_at <= now)
            .distinct()
        )
    )


def end_window(session: Session, window_id: int, now: datetime, by: str) -> MaintenanceWindow:
    """End a window now (an upcoming one is called off). Raises UnknownWindow or WindowOver."""
    row = session.scalars(
        select(MaintenanceWindowRow).where(MaintenanceWindowRow.id == window_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise UnknownWindow(translate("store.maintenance", "no maintenance window {id}").format(id=window_id))
    if row.ended_at is not None or row.ends_at <= now:
        when = row.ended_at if row.ended_at is not None else row.ends_at
        problem = translate("store.maintenance", "maintenance window {id} is over already (since {when})")
        raise WindowOver(problem.format(id=window_id, when=f"{when:%Y-%m-%d %H:%M} UTC"))
    row.ended_at = now
    row.ended_by = by
    record_change(session, "maintenance", now)
    return _window(row)


# -- the alerts windows hold ------------------------------------------------------------------------


def write_held(
    session: Session, source: str, held: Sequence[Alert], services: Sequence[str | None], now: datetime
) -> bool:
    """Make the source's held alerts those of its latest apply (`services`: each alert's service).

    Returns whether anything changed (then a change is recorded, so screens re-read them).
    """
    existing = {
        row.fingerprint: row
        for row in session.scalars(select(HeldAlertRow).where(HeldAlertRow.source == source))
    }
    wanted = {alert.fingerprint: (alert, service) for alert, service in zip(held, services, strict=True)}
    gone = [fp for fp in existing if fp not in wanted]
    changed = bool(gone)
    if gone:
        session.execute(
            delete(HeldAlertRow).where(HeldAlertRow.source == source, HeldAlertRow.fingerprint.in_(gone))
        )
    for fingerprint, (alert, service) in wanted.items():
        row = existing.get(fingerprint)
        if row is None:
            row = HeldAlertRow(source=source, fingerprint=fingerprint)
            session.add(row)
            changed = True
        elif (row.summary, row.severity, row.service) != (alert.summary, alert.severity.value, service):
            changed = True
        row.service = service or ""
        row.name = alert.name[:500]
        row.summary = alert.summary
        row.severity = alert.severity.value
        row.labels = dict(alert.labels)
        row.starts_at = alert.starts_at
        row.seen_at = now
    if changed:
        record_change(session, "maintenance", now, source=source)
    return changed


@dataclass(frozen=True, slots=True)
class HeldAlert:
    source: str
    fingerprint: str
    service: str
    name: str
    summary: str
    severity: str
    starts_at: datetime
    seen_at: datetime


def held_alerts(session: Session, services: Iterable[str] | None = None) -> list[HeldAlert]:
    """The alerts windows hold now (of `services` only, when given), oldest first."""
    query = select(HeldAlertRow).order_by(HeldAlertRow.starts_at, HeldAlertRow.id)
    if services is not None:
        query = query.where(HeldAlertRow.service.in_(sorted(services)))
    return [
        HeldAlert(r.source, r.fingerprint, r.service, r.name, r.summary, r.severity, r.starts_at, r.seen_at)
        for r in session.scalars(query)
    ]


def forget_held_of_removed_sources(session: Session, sources: Iterable[str]) -> None:
    """Held alerts of sources no longer configured hold nothing."""
    session.execute(delete(HeldAlertRow).where(HeldAlertRow.source.not_in(sorted(sources))))


# -- Alertmanager silences ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SilenceState:
    """A window's silence at one source, as the store knows it."""

    window_id: int
    source: str
    silence_id: str | None
    state: str
    last_error: str | None
    failures: int
    updated_at: datetime


def silences(session: Session, window_ids: Iterable[int] | None = None) -> list[SilenceState]:
    query = select(MaintenanceSilenceRow).order_by(
        MaintenanceSilenceRow.window_id, MaintenanceSilenceRow.source
    )
    if window_ids is not None:
        query = query.where(MaintenanceSilenceRow.window_id.in_(sorted(window_ids)))
    return [
        SilenceState(r.window_id, r.source, r.silence_id, r.state, r.last_error, r.failures, r.updated_at)
        for r in session.scalars(query)
    ]


@dataclass(frozen=True, slots=True)
class SilenceWork:
    """What the silences of the configured Alertmanagers need: windows to silence at a source, and
    silences to expire (their window was ended early)."""

    create: list[tuple[MaintenanceWindow, str]]
    expire: list[tuple[MaintenanceWindow, str, str]]  # window, source, silence id


def silence_work(session: Session, sources: Sequence[str], now: datetime) -> SilenceWork:
    """Read what must be done (nothing is written): every active window without a silence at each of
    `sources`, and every silence still active whose window an operator ended before its time."""
    if not sources:
        return SilenceWork([], [])
    active = session.scalars(
        select(MaintenanceWindowRow).where(_not_over(now), MaintenanceWindowRow.starts_at <= now)
    ).all()
    have = {
        (row.window_id, row.source)
        for row in session.scalars(
            select(MaintenanceSilenceRow).where(
                MaintenanceSilenceRow.window_id.in_([w.id for w in active]),
                MaintenanceSilenceRow.state != SILENCE_FAILED,
            )
        )
    }
    create = [(_window(w), s) for w in active for s in sources if (w.id, s) not in have]
    expire = []
    for silence, window in session.execute(
        select(MaintenanceSilenceRow, MaintenanceWindowRow)
        .join(MaintenanceWindowRow, MaintenanceWindowRow.id == MaintenanceSilenceRow.window_id)
        .where(
            MaintenanceSilenceRow.state == SILENCE_ACTIVE,
            MaintenanceSilenceRow.source.in_(sources),
            or_(MaintenanceWindowRow.ended_at.is_not(None), MaintenanceWindowRow.ends_at <= now),
        )
    ):
        if window.ended_at is not None and window.ended_at < window.ends_at and silence.silence_id:
            expire.append((_window(window), silence.source, silence.silence_id))
    return SilenceWork(create, expire)


def expire_lapsed_silences(session: Session, now: datetime) -> None:
    """Silences whose window ran its full time have expired at Alertmanager on their own (endsAt)."""
    lapsed = select(MaintenanceWindowRow.id).where(
        MaintenanceWindowRow.ends_at <= now, MaintenanceWindowRow.ended_at.is_(None)
    )
    for row in session.scalars(
        select(MaintenanceSilenceRow)
        .where(MaintenanceSilenceRow.state == SILENCE_ACTIVE, MaintenanceSilenceRow.window_id.in_(lapsed))
        .with_for_update()
    ):
        row.state = SILENCE_EXPIRED
        row.updated_at = now


def _silence_row(session: Session, window_id: int, source: str) -> MaintenanceSilenceRow | None:
    return session.scalars(
        select(MaintenanceSilenceRow)
        .where(MaintenanceSilenceRow.window_id == window_id, MaintenanceSilenceRow.source == source)
        .with_for_update()
    ).one_or_none()


def record_silence(
    session: Session, window_id: int, source: str, now: datetime, *, silence_id: str | None = None,
    state: str, error: str | None = None,
) -> None:  # fmt: skip
    """What a create or expire call did: its silence and state, or its error (the state is then kept,
    or `failed` for a create, and the call is retried)."""
    row = _silence_row(session, window_id, source)
    if row is None:
        row = MaintenanceSilenceRow(window_id=window_id, source=source, state=state, failures=0)
        session.add(row)
    if silence_id is not None:
        row.silence_id = silence_id
    row.state = state
    row.last_error = error
    row.failures = (row.failures or 0) + 1 if error else 0
    row.updated_at = now
    record_change(session, "maintenance", now, source=source)
