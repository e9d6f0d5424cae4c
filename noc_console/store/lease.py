"""The poller lease: exactly one process polls a database, judged by the database's own clock.

One row, always present (seeded by the migration). Taking and renewing it is a single compare-and-set
statement, so two contenders can never both win, on SQLite or PostgreSQL; every time is the database's,
so hosts whose clocks disagree cannot steal it from each other or keep it too long. The `epoch` grows
when the lease changes hands and fences every write the poller makes (`holds_lease`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, select, text, update
from sqlalchemy.orm import Session

from noc_console.domain.heartbeat import HeartbeatStatus
from noc_console.store.feed import record_change
from noc_console.store.models import PollerLeaseRow
from noc_console.store.sql import insert_or_ignore

_EPOCH_START = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PollerStatus:
    """Who holds the poller lease, since when, and until when (all by the database's clock)."""

    holder: str
    pid: int
    host: str
    acquired_at: datetime
    beat_at: datetime
    expires_at: datetime
    epoch: int
    heartbeat: HeartbeatStatus | None = None  # None: this holder sends no heartbeat

    def expired(self, db_now: datetime) -> bool:
        """A holder that has not renewed by `expires_at` is presumed dead; anyone may take over."""
        return db_now >= self.expires_at


def db_now(session: Session) -> datetime:
    """The database server's current time (aware UTC): the one clock every host of a floor shares."""
    if session.get_bind().dialect.name == "postgresql":
        value: datetime = session.execute(text("SELECT clock_timestamp()")).scalar_one()
        return value.astimezone(UTC)
    stamp = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def poller_status(session: Session) -> PollerStatus | None:
    """The current holder, or None when nobody holds the lease (never taken, or released)."""
    row = session.get(PollerLeaseRow, 1)
    if row is None or not row.holder:
        return None
    return PollerStatus(
        holder=row.holder,
        pid=row.pid,
        host=row.host,
        acquired_at=row.acquired_at,
        beat_at=row.beat_at,
        expires_at=row.expires_at,
        epoch=row.epoch,
        heartbeat=_heartbeat(row),
    )


def _heartbeat(row: PollerLeaseRow) -> HeartbeatStatus | None:
    if row.heartbeat_interval_s is None:
        return None
    return HeartbeatStatus(
        interval_s=row.heartbeat_interval_s,
        since=row.acquired_at,
        sent_at=row.heartbeat_sent_at,
        tried_at=row.heartbeat_tried_at,
        error=row.heartbeat_error,
    )


def take_poller_lease(session: Session, holder: str, pid: int, host: str, lease_s: float) -> int | None:
    """Take or renew the lease for `lease_s` seconds; its epoch, or None while another holds it."""
    now = db_now(session)
    _ensure_row(session)
    mine = PollerLeaseRow.holder == holder
    epoch = session.execute(
        update(PollerLeaseRow)
        .where(PollerLeaseRow.id == 1, mine | (PollerLeaseRow.expires_at <= now))
        .values(
            epoch=case((mine, PollerLeaseRow.epoch), else_=PollerLeaseRow.epoch + 1),
            acquired_at=case((mine, PollerLeaseRow.acquired_at), else_=now),
            holder=holder,
            pid=pid,
            host=host,
            beat_at=now,
            expires_at=now + timedelta(seconds=lease_s),
        )
        .returning(PollerLeaseRow.epoch, PollerLeaseRow.acquired_at)
    ).first()
    if epoch is None:
        return None
    if epoch.acquired_at == now:  # it changed hands just now: every console shows who polls
        record_change(session, "poller", now)
    return int(epoch.epoch)


def holds_lease(session: Session, holder: str, epoch: int) -> bool:
    """True when `holder` still holds the lease at `epoch`; the row stays locked until this commits.

    PostgreSQL: FOR SHARE keeps anyone from taking the lease over before this transaction commits.
    SQLite: writing transactions begin IMMEDIATE, so nothing else writes meanwhile anyway.
    """
    row = session.execute(
        select(PollerLeaseRow.holder, PollerLeaseRow.epoch)
        .where(PollerLeaseRow.id == 1)
        .with_for_update(read=True)
    ).first()
    return row is not None and row.holder == holder and row.epoch == epoch


def declare_heartbeat(session: Session, holder: str, epoch: int, interval_s: float | None) -> bool:
    """The holder's heartbeat interval from its own config (None: it sends none, and the screens show
    none); False when `holder` no longer holds the lease at `epoch` (nothing written)."""
    declared = session.execute(
        update(PollerLeaseRow)
        .where(PollerLeaseRow.id == 1, PollerLeaseRow.holder == holder, PollerLeaseRow.epoch == epoch)
        .values(heartbeat_interval_s=interval_s)
        .returning(PollerLeaseRow.id)
    ).first()
    return declared is not None


def record_heartbeat(
    session: Session, holder: str, epoch: int, interval_s: float, *, sent: bool, error: str | None
) -> bool:
    """One heartbeat due, on the database's clock: sent, or why not. False when `holder` no longer
    holds the lease at `epoch` (nothing written)."""
    now = db_now(session)
    values: dict[str, object] = {
        "heartbeat_interval_s": interval_s, "heartbeat_tried_at": now, "heartbeat_error": error,
    }  # fmt: skip
    if sent:
        values["heartbeat_sent_at"] = now
    recorded = session.execute(
        update(PollerLeaseRow)
        .where(PollerLeaseRow.id == 1, PollerLeaseRow.holder == holder, PollerLeaseRow.epoch == epoch)
        .values(**values)
        .returning(PollerLeaseRow.id)
    ).first()
    return recorded is not None


def release_poller_lease(session: Session, holder: str) -> bool:
    """Give the lease up at once (a clean exit), so another poller need not wait for it to expire."""
    now = db_now(session)
    released = session.execute(
        update(PollerLeaseRow)
        .where(PollerLeaseRow.id == 1, PollerLeaseRow.holder == holder)
        .values(holder="", expires_at=now)
        .returning(PollerLeaseRow.id)
    ).first()
    if released is not None:
        record_change(session, "poller", now)
    return released is not None


def _ensure_row(session: Session) -> None:
    """The migration seeds the row; recreate it without a race should anything have removed it."""
    if session.get(PollerLeaseRow, 1) is not None:
        return
    values = {
        "id": 1, "holder": "", "pid": 0, "host": "", "acquired_at": _EPOCH_START,
        "beat_at": _EPOCH_START, "expires_at": _EPOCH_START, "epoch": 0,
    }  # fmt: skip
    session.execute(insert_or_ignore(session, PollerLeaseRow, values))
