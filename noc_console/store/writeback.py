"""Acknowledge write-back jobs in the store: written with the acknowledge, claimed and answered by the
lease-holding poller (engine.writeback), shown on the incident.

A job is a row before it is anything else: inserted in the acknowledge's own transaction, one per
alert whoever acknowledges (insert-or-ignore on the alert), claimed just before it goes out and
updated with the source's answer. Every answer goes on the incident's timeline; a job that ran out of
attempts stays "failed" on the incident, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from noc_console.domain.alerts import AlertState
from noc_console.domain.writeback import (
    PENDING,
    SILENCE_FOR,
    STALE_SENDING,
    Status,
    Step,
    WritebackState,
    silence_due_for_extension,
    wait_text,
)
from noc_console.store.feed import record_change
from noc_console.store.models import AlertRow, IncidentRow, SourceHealthRow, TimelineRow, WritebackRow
from noc_console.store.sql import insert_or_ignore

TIMELINE_KIND = "writeback"


def queue_acknowledge(session: Session, incident_id: int, by: str, now: datetime) -> int:
    """One job per firing alert of the incident whose source takes write-back; how many were new."""
    alerts = session.execute(
        select(AlertRow.id, AlertRow.source)
        .join(SourceHealthRow, SourceHealthRow.name == AlertRow.source)
        .where(
            AlertRow.incident_id == incident_id,
            AlertRow.state == AlertState.FIRING.value,
            SourceHealthRow.ack_writeback.is_(True),
        )
        .order_by(AlertRow.id)
    ).all()
    if not alerts:
        return 0
    values = [
        {
            "incident_id": incident_id, "alert_id": alert_id, "source": source, "requested_by": by,
            "requested_at": now, "step": Step.ACKNOWLEDGE.value, "status": Status.QUEUED.value,
            "attempts": 0, "next_attempt_at": now, "updated_at": now,
        }
        for alert_id, source in alerts
    ]  # fmt: skip
    written = session.execute(insert_or_ignore(session, WritebackRow, values).returning(WritebackRow.id))
    return len(written.all())


def in_use(session: Session) -> bool:
    """Is there a job to perform, or a silence to extend or expire? (Ticks skip work when not.)"""
    query = select(WritebackRow.id).where(
        or_(
            WritebackRow.status.in_(PENDING),
            (WritebackRow.status == Status.DONE.value)
            & WritebackRow.remote_id.is_not(None)
            & (WritebackRow.step != Step.EXPIRE.value),
        )
    )
    return session.scalar(query.limit(1)) is not None


def plan(session: Session, now: datetime) -> None:
    """Move jobs on by what happened to their alerts: a silence whose alert cleared is to expire, one
    whose alert still fires and ends within the hour is to extend; a pending acknowledge whose alert
    cleared first is cancelled (there is nothing left to acknowledge)."""
    rows = session.execute(
        select(WritebackRow, AlertRow.state)
        .join(AlertRow, AlertRow.id == WritebackRow.alert_id)
        .where(
            or_(
                (WritebackRow.status == Status.DONE.value)
                & WritebackRow.remote_id.is_not(None)
                & (WritebackRow.step != Step.EXPIRE.value),
                (WritebackRow.step == Step.ACKNOWLEDGE.value)
                & WritebackRow.status.in_((Status.QUEUED.value, Status.RETRYING.value)),
            )
        )
        .with_for_update(of=WritebackRow)
    ).all()
    for row, state in rows:
        firing = state == AlertState.FIRING.value
        if row.status != Status.DONE.value:
            if not firing:
                row.status = Status.CANCELLED.value
                row.next_attempt_at = None
                row.updated_at = now
                _say(session, row, now, f"Not acknowledged at {row.source}: the alert cleared first")
            continue
        if not firing:
            _next(row, Step.EXPIRE, now)
        elif row.remote_until is not None and silence_due_for_extension(row.remote_until, now):
            _next(row, Step.EXTEND, now)


def _next(row: WritebackRow, step: Step, now: datetime) -> None:
    row.step = step.value
    row.status = Status.QUEUED.value
    row.attempts = 0
    row.next_attempt_at = now
    row.updated_at = now


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed job, with what its source needs to identify the alert."""

    id: int
    incident_id: int
    incident_title: str
    source: str
    step: Step
    attempts: int
    requested_by: str
    requested_at: datetime
    fingerprint: str
    labels: dict[str, Any]
    remote_id: str | None


def claim_due(session: Session, now: datetime, limit: int = 20) -> list[Job]:
    """Jobs due now, oldest first, marked "sending" with one more attempt (a lost claim is due again
    after STALE_SENDING)."""
    rows = session.execute(
        select(WritebackRow, AlertRow, IncidentRow.title)
        .join(AlertRow, AlertRow.id == WritebackRow.alert_id)
        .join(IncidentRow, IncidentRow.id == WritebackRow.incident_id)
        .where(
            or_(
                WritebackRow.status.in_((Status.QUEUED.value, Status.RETRYING.value))
                & (WritebackRow.next_attempt_at <= now),
                (WritebackRow.status == Status.SENDING.value)
                & (WritebackRow.next_attempt_at <= now - STALE_SENDING),
            )
        )
        .order_by(WritebackRow.next_attempt_at, WritebackRow.id)
        .limit(limit)
        .with_for_update(of=WritebackRow, skip_locked=True)
    ).all()
    jobs = []
    for row, alert, title in rows:
        row.status = Status.SENDING.value
        row.attempts += 1
        row.next_attempt_at = now
        row.updated_at = now
        jobs.append(
            Job(
                row.id, row.incident_id, title, row.source, Step(row.step), row.attempts, row.requested_by,
                row.requested_at, alert.fingerprint, dict(alert.labels), row.remote_id,
            )
        )  # fmt: skip
    return jobs


def _claimed(session: Session, job: Job) -> WritebackRow | None:
    """The job's row if it is still this claim's (another poller may have taken a stale claim over)."""
    return session.scalars(
        select(WritebackRow)
        .where(
            WritebackRow.id == job.id,
            WritebackRow.status == Status.SENDING.value,
            WritebackRow.step == job.step.value,
            WritebackRow.attempts == job.attempts,
        )
        .with_for_update()
    ).one_or_none()


def record_success(
    session: Session, job: Job, now: datetime, *, what: str, remote_id: str | None = None
) -> None:
    """The source took it; `what` completes "Acknowledged at <source>" on the timeline."""
    row = _claimed(session, job)
    if row is None:
        return
    row.status = Status.DONE.value
    row.error = None
    row.done_at = now
    row.updated_at = now
    row.next_attempt_at = None
    if job.step is Step.EXPIRE:
        _say(session, row, now, f"Silence at {row.source} expired: the alert cleared")
        return
    if remote_id is not None:
        row.remote_id = remote_id
        row.remote_until = now + SILENCE_FOR
    if job.step is Step.ACKNOWLEDGE:
        _say(session, row, now, f"Acknowledged at {row.source}{what}", actor=row.requested_by)
    # An extension is the routine of a long incident: it is recorded on the row, not the timeline.


def record_failure(
    session: Session, job: Job, now: datetime, error: str, *, retry_in: timedelta | None
) -> None:
    """The attempt failed: retried in `retry_in`, or failed for good (None)."""
    row = _claimed(session, job)
    if row is None:
        return
    row.error = error
    row.updated_at = now
    doing = {
        Step.ACKNOWLEDGE: "acknowledge at",
        Step.EXTEND: "extend the silence at",
        Step.EXPIRE: "expire the silence at",
    }[job.step]
    if retry_in is None:
        row.status = Status.FAILED.value
        row.next_attempt_at = None
        _say(
            session, row, now,
            f"Could not {doing} {row.source}: {error}; gave up after {job.attempts} attempt(s) "
            "(do it at the source)",
        )  # fmt: skip
        return
    row.status = Status.RETRYING.value
    row.next_attempt_at = now + retry_in
    _say(
        session, row, now,
        f"Could not {doing} {row.source}: {error}, retrying in {wait_text(retry_in.total_seconds())}",
    )  # fmt: skip


def _say(session: Session, row: WritebackRow, now: datetime, text_: str, *, actor: str = "system") -> None:
    session.add(TimelineRow(incident_id=row.incident_id, at=now, kind=TIMELINE_KIND, actor=actor, text=text_))
    record_change(session, "incident", now, incident_id=row.incident_id)


def writebacks_of(session: Session, incident_id: int) -> list[WritebackState]:
    """The incident's write-back jobs, in the order they were written."""
    rows = session.execute(
        select(WritebackRow, AlertRow.name)
        .join(AlertRow, AlertRow.id == WritebackRow.alert_id)
        .where(WritebackRow.incident_id == incident_id)
        .order_by(WritebackRow.id)
    ).all()
    return [
        WritebackState(
            row.source, name, Step(row.step), Status(row.status), row.attempts, row.next_attempt_at,
            row.done_at, row.error, row.remote_id,
        )
        for row, name in rows
    ]  # fmt: skip


def reset_failed(session: Session, incident_id: int, now: datetime) -> int:
    """Try the incident's failed jobs again (an operator fixed the source's permissions)."""
    result = session.execute(
        update(WritebackRow)
        .where(WritebackRow.incident_id == incident_id, WritebackRow.status == Status.FAILED.value)
        .values(status=Status.QUEUED.value, attempts=0, next_attempt_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
