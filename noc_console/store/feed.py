"""The change feed: every change a screen shows, in commit order, so a reader can never skip one.

Writers call `record_change()` as they go; the changes are only queued on the session. Just before the
transaction commits, `stamp_changes()` takes their sequence numbers from the one-row `change_counter`
(`UPDATE ... RETURNING`) and inserts them. That row's lock is held until the commit, so a transaction
that gets higher numbers commits after every transaction that got lower ones: a reader that has seen
number N has already been able to see every number below N. (A sequence taken at insert time gives no
such promise: a long transaction can commit number 1 after a short one committed number 2.)
On PostgreSQL the same transaction sends one NOTIFY, delivered at commit, to wake followers early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, text, update
from sqlalchemy.orm import Session

from noc_console.store.models import AlertRow, ChangeCounterRow, ChangeRow

NOTIFY_CHANNEL = "noc_console_changes"
_PENDING = "noc_console_pending_changes"


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change sequence: something a screen shows has changed."""

    seq: int
    at: datetime
    kind: str  # "incident" | "source" | "poller"
    incident_id: int | None
    source: str | None


def record_change(
    session: Session, kind: str, now: datetime, *, incident_id: int | None = None, source: str | None = None
) -> None:
    """Queue a change; it gets its sequence number and is written when the transaction commits."""
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    pending.append({"at": now, "kind": kind, "incident_id": incident_id, "source": source})


def stamp_changes(session: Session) -> tuple[int, int] | None:
    """Number and insert the queued changes; runs just before commit (a `before_commit` hook).

    Returns the first and last numbers given, or None when nothing was queued. A writer may call it
    itself at the end of its work to learn its own numbers; the hook then finds nothing left.
    """
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return None
    last = session.execute(
        update(ChangeCounterRow)
        .where(ChangeCounterRow.id == 1)
        .values(seq=ChangeCounterRow.seq + len(pending))
        .returning(ChangeCounterRow.seq)
    ).scalar_one()
    first = last - len(pending) + 1
    session.execute(insert(ChangeRow), [{"seq": first + i, **change} for i, change in enumerate(pending)])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :seq)"), {"channel": NOTIFY_CHANNEL, "seq": str(last)}
        )
    return first, last


def forget_changes(session: Session) -> None:
    """A rolled-back transaction's changes never happened (an `after_rollback` hook)."""
    session.info.pop(_PENDING, None)


def latest_change_seq(session: Session) -> int:
    """The newest committed change: a snapshot read with it, then `changes_since`, misses nothing."""
    value = session.scalar(select(ChangeCounterRow.seq).where(ChangeCounterRow.id == 1))
    if value is None:  # a schema without its seeded counter row would be a bug; answer safely anyway
        value = session.scalar(select(func.coalesce(func.max(ChangeRow.seq), 0)))
    return int(value or 0)


def _source_changes(source: str, after: int, upto: int, skip: tuple[int, int] | None) -> Select[Any]:
    """Changes numbered in (`after`, `upto`], outside `skip`, of incidents that hold an alert of `source`
    (an operator's resolve, an acknowledgement, another writer's apply).

    Bounded by the changes in that range, each looked up through the alerts' incident index.
    """
    of_source = (
        select(AlertRow.id)
        .where(AlertRow.incident_id == ChangeRow.incident_id, AlertRow.source == source)
        .exists()
    )
    query = select(ChangeRow.incident_id).where(
        ChangeRow.seq > after, ChangeRow.seq <= upto, ChangeRow.kind == "incident", of_source
    )
    if skip is not None:
        query = query.where(~ChangeRow.seq.between(*skip))
    return query


def incident_changed_for_source(
    session: Session, source: str, after: int, upto: int, *, skip: tuple[int, int] | None = None
) -> bool:
    """Whether anyone else changed an incident of `source`'s alerts (see `_source_changes`)."""
    return session.scalar(_source_changes(source, after, upto, skip).limit(1)) is not None


def incidents_changed_for_source(
    session: Session, source: str, after: int, upto: int, *, skip: tuple[int, int] | None = None
) -> set[int]:
    """Which incidents of `source`'s alerts anyone else changed (see `_source_changes`)."""
    return {i for i in session.scalars(_source_changes(source, after, upto, skip)) if i is not None}


def changes_since(session: Session, seq: int, limit: int = 1000) -> list[Change]:
    rows = session.scalars(select(ChangeRow).where(ChangeRow.seq > seq).order_by(ChangeRow.seq).limit(limit))
    return [
        Change(seq=row.seq, at=row.at, kind=row.kind, incident_id=row.incident_id, source=row.source)
        for row in rows
    ]
