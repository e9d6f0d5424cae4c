"""SQLAlchemy 2 typed models. Schema changes go through Alembic revisions only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the Python side on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    service: Mapped[str | None] = mapped_column(String(200))
    correlation_key: Mapped[str] = mapped_column(String(400))
    detected_by: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime]
    detected_at: Mapped[datetime]
    last_alert_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    assessed_at: Mapped[datetime | None]
    last_customer_update_at: Mapped[datetime | None]
    alert_count: Mapped[int] = mapped_column(Integer, default=0)
    firing_count: Mapped[int] = mapped_column(Integer, default=0)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    # When the trouble began at the source (the earliest alert's start); detected_at is when we knew.
    impact_started_at: Mapped[datetime | None]
    clearing_at: Mapped[datetime | None]
    suppressed_count: Mapped[int] = mapped_column(Integer, default=0)
    orphaned: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    assigned_at: Mapped[datetime | None]
    false_positive: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The initial assessment: how many users, which services, what it does to the business.
    users_affected: Mapped[int | None] = mapped_column(Integer)
    services_affected: Mapped[str | None] = mapped_column(Text)
    business_impact: Mapped[str | None] = mapped_column(String(16))
    postmortem_done_at: Mapped[datetime | None]
    exec_report_done_at: Mapped[datetime | None]
    # The detection race: when our monitoring first saw it, when the first customer called. Either may
    # be missing; their difference is by how long we were ahead (or behind).
    monitoring_detected_at: Mapped[datetime | None]
    first_call_at: Mapped[datetime | None]
    # The soonest acknowledge deadline among its callers not yet acknowledged (kept by store.calls).
    caller_ack_due_at: Mapped[datetime | None]
    # Since when one of its alerts flaps (held open while it does: domain.flapping); None: none flaps.
    flapping_since: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_incidents_open_key", "status", "correlation_key"),
        # metrics: the incidents detected in a range
        Index("ix_incidents_detected_at", "detected_at"),
    )


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    labels: Mapped[dict[str, Any]]
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    service: Mapped[str | None] = mapped_column(String(200))
    silenced: Mapped[bool] = mapped_column(Boolean, default=False)
    inhibited: Mapped[bool] = mapped_column(Boolean, default=False)
    # Pending at its source (Prometheus): shown on its incident, not firing there yet.
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    generator_url: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    # The last fetch that changed this row (its content, its absence, its return). While it fires, it
    # was last seen at its source's last success: an unchanged alert is not written at every poll.
    last_seen_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    missed_fetches: Mapped[int] = mapped_column(Integer, default=0)
    fire_count: Mapped[int] = mapped_column(Integer, default=1)
    # First successful fetch that no longer listed it, and when it resolves unless it comes back.
    absent_since: Mapped[datetime | None]
    clears_at: Mapped[datetime | None]
    # Its recent changes of state (fired, cleared), ISO 8601 UTC, oldest first: as many as deciding
    # whether it flaps needs (domain.flapping). A later row of the same alert carries them on.
    flap_changes: Mapped[list[str] | None] = mapped_column(JSON)
    last_change_at: Mapped[datetime | None]  # the newest of them
    flapping_since: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_alerts_source_fingerprint", "source", "fingerprint"),
        Index("ix_alerts_source_state", "source", "state"),
        # metrics: whether a configured source alerts for a service, and whether every alert is silenced
        Index("ix_alerts_service_source", "service", "source", "silenced"),
        # post-mortems: the alerts of a service that started in the 24 h before an impact
        Index("ix_alerts_service_starts", "service", "starts_at"),
        # flapping: a source's alerts that changed lately (a new row of one carries their changes on)
        Index("ix_alerts_source_changed", "source", "last_change_at"),
        # One firing row per alert of a source, whoever writes: a second writer fails instead of
        # opening a duplicate incident that would never close.
        Index(
            "ux_alerts_firing",
            "source",
            "fingerprint",
            unique=True,
            sqlite_where=text("state = 'firing'"),
            postgresql_where=text("state = 'firing'"),
        ),
    )


class TimelineRow(Base):
    """Append-only: the repository never updates or deletes these rows (enforced in store.db)."""

    __tablename__ = "timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    # Lets a new alert and its timeline entry be written in one flush, without waiting for the alert's ID.
    alert: Mapped[AlertRow | None] = relationship()


class SlaBreachRow(Base):
    """One breached SLA clock: unique per incident, clock and due time, so it is recorded exactly once
    whoever notices it and however often (several consoles, a restarted poller)."""

    __tablename__ = "sla_breaches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    clock: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    recorded_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("incident_id", "clock", "due_at", name="ux_sla_breaches_once"),)


class CallRow(Base):
    """A customer's phone report. The ID is made on the desk (a UUID), so a retried save stores it once.
    Caller, organisation and phone are personal data: None once `anonymised_at` is set."""

    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    logged_at: Mapped[datetime]
    taken_by: Mapped[str] = mapped_column(String(200))
    caller: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    callback: Mapped[str] = mapped_column(String(16))
    service: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime | None]
    users_affected: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[str | None] = mapped_column(String(16))
    attached: Mapped[bool] = mapped_column(Boolean)
    customer_ack_due_at: Mapped[datetime]
    customer_acked_at: Mapped[datetime | None]
    customer_acked_by: Mapped[str | None] = mapped_column(String(200))
    anonymised_at: Mapped[datetime | None]

    # metrics: an incident's earliest caller "started at", one index seek
    __table_args__ = (Index("ix_calls_incident_started", "incident_id", "started_at"),)


class CallUpdateRow(Base):
    """What one caller was told, and when: one row per caller for every customer update."""

    __tablename__ = "call_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), index=True)
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))


class PersonRow(Base):
    """Someone who can be paged. `origin`: "config" (imported; the config keeps it up to date) or
    "console" (made or edited in the console; an import leaves it alone)."""

    __tablename__ = "people"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    whatsapp: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    chat: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class ScheduleRow(Base):
    __tablename__ = "schedules"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    rotation: Mapped[str] = mapped_column(String(16))
    handoff: Mapped[str] = mapped_column(String(5))  # HH:MM, local to time_zone
    people: Mapped[list[str]] = mapped_column(JSON)
    overrides: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{person, from, to}] ISO UTC
    origin: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class PolicyRow(Base):
    """An escalation policy; `definition` holds its levels, repeat, services, severities and auto."""

    __tablename__ = "policies"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class EscalationRow(Base):
    """A policy running for an incident, from `started_at` until it is stopped (an acknowledge, a
    resolve, the policy's end). It keeps the policy as it was when it started."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    policy: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[datetime]
    started_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(16))  # auto | manual
    stopped_at: Mapped[datetime | None] = mapped_column(index=True)
    stop_reason: Mapped[str | None] = mapped_column(String(200))


class PageRow(Base):
    """One page (or one acknowledge/resolve sent on to a vendor): written before it is sent, keyed so
    that it is written once whoever plans it and however often."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # trigger | acknowledge | resolve
    level: Mapped[int | None] = mapped_column(Integer)
    pass_: Mapped[int | None] = mapped_column("pass", Integer)
    target: Mapped[str] = mapped_column(String(200))
    person: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued sending sent retrying failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(String(400))
    delivery: Mapped[str | None] = mapped_column(String(64))
    delivery_checked_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class ChangeRow(Base):
    """The change sequence: readers ask for everything after the last `seq` they saw.

    `seq` is stamped at the end of each writing transaction from `ChangeCounterRow`, whose row lock is
    held until commit, so sequence order is commit order (see store.feed).
    """

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(200))


class ChangeCounterRow(Base):
    """One row: the last `changes.seq` handed out. Updated with RETURNING just before each commit."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class SourceHealthRow(Base):
    """One row per configured source; readers judge staleness from these times (domain.health)."""

    __tablename__ = "source_health"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    alert_count: Mapped[int] = mapped_column(Integer, default=0)
    # Of those, the pending ones (shown, opening nothing until they fire).
    pending_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
    interval_s: Mapped[float] = mapped_column(Float, default=10.0)
    # The last success's warning: the source answers, but not fully (a member of an HA pair down).
    warning: Mapped[str | None] = mapped_column(Text)
    # Set from the polling process's config: an acknowledge writes a write-back job for its alerts.
    ack_writeback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class WritebackRow(Base):
    """An acknowledge carried back to the alert's source, written in the acknowledge's transaction and
    performed by the lease-holding poller. One per alert (the unique key), whoever acknowledges.

    `step` is what the job does next or did last (acknowledge, extend, expire: an Alertmanager silence
    is extended while the alert fires and expired when it clears); `status` is that step's state
    (queued sending retrying done failed cancelled)."""

    __tablename__ = "ack_writebacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime]
    step: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    remote_id: Mapped[str | None] = mapped_column(String(400))  # the Alertmanager silence's ID
    remote_until: Mapped[datetime | None]  # when that silence ends unless extended
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class PollerLeaseRow(Base):
    """One row, always present: which process polls, until when, and its fencing epoch.

    Times are the database's clock. `epoch` grows by one whenever the lease changes hands; every apply
    checks it in its own transaction, so a poller that lost the lease cannot write a late result.
    An empty `holder` means nobody holds it.
    """

    __tablename__ = "poller_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    epoch: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    # The holder's dead man's switch ([heartbeat]): its interval (None: the holder sends none), the last
    # call that went out, the last one due, and why that one did not go out (None: it did).
    heartbeat_interval_s: Mapped[float | None] = mapped_column(Float)
    heartbeat_sent_at: Mapped[datetime | None]
    heartbeat_tried_at: Mapped[datetime | None]
    heartbeat_error: Mapped[str | None] = mapped_column(Text)


class MetricCellRow(Base):
    """The metrics' partial sums for one service and one closed UTC day (store.metrics keeps them).

    A cache: every row can be recomputed from incidents and calls, and is whenever one of that day's
    incidents changes (the change feed says which).
    """

    __tablename__ = "metric_cells"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[int] = mapped_column(Integer, index=True)  # days since 1970-01-01 (UTC)
    service: Mapped[str | None] = mapped_column(String(200))
    incidents: Mapped[int] = mapped_column(Integer)
    internal: Mapped[int] = mapped_column(Integer)
    false_positive: Mapped[int] = mapped_column(Integer)
    detect_s: Mapped[float] = mapped_column(Float)
    detected: Mapped[int] = mapped_column(Integer)
    ack_s: Mapped[float] = mapped_column(Float)
    acknowledged: Mapped[int] = mapped_column(Integer)
    resolve_s: Mapped[float] = mapped_column(Float)
    resolved: Mapped[int] = mapped_column(Integer)


class MetricRollupRow(Base):
    """One row, always present: `metric_cells` holds every day up to `last_day` as of change `seq`.

    `last_day` -1 means nothing is cached yet.
    """

    __tablename__ = "metric_rollup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_day: Mapped[int] = mapped_column(Integer)
    refreshed_at: Mapped[datetime | None]


class PostMortemRow(Base):
    """An incident's post-mortem (one at most). `version` grows with every save: a save made from an
    older version is refused, so two leads editing at once never overwrite each other silently."""

    __tablename__ = "postmortems"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    summary: Mapped[str | None] = mapped_column(Text)
    timeline: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"at": ISO, "text": ...}]
    users_affected: Mapped[int | None] = mapped_column(Integer)
    services: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    contributing_factors: Mapped[str | None] = mapped_column(Text)
    why_not_detected: Mapped[str | None] = mapped_column(Text)
    corrective_actions: Mapped[str | None] = mapped_column(Text)
    service_credit: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None]
    finished_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)


class ActionItemRow(Base):
    """One action item of a post-mortem, in the post-mortem's order (`position`)."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("postmortems.incident_id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))


class CheckRunRow(Base):
    """One run of a synthetic check (domain.synthetic.CheckRun): its history, its chart, its baseline.

    `steps` is `[{"name", "status", "ms", "error"}]` in the order they ran; pruned with the retention.
    """

    __tablename__ = "check_runs"
    __table_args__ = (Index("ix_check_runs_source_at", "source", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(index=True)
    minute: Mapped[int] = mapped_column(Integer)  # `at` in whole minutes since the epoch: thins history
    ok: Mapped[bool] = mapped_column(Boolean)
    total_ms: Mapped[float | None] = mapped_column(Float)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    slow: Mapped[str | None] = mapped_column(Text)
    limit_ms: Mapped[float | None] = mapped_column(Float)  # the static limit on the whole run, then
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class MaintenanceWindowRow(Base):
    """A maintenance window of a service: its new alerts open no incident from `starts_at` until
    `ends_at` (or `ended_at`, when an operator ends it early)."""

    __tablename__ = "maintenance_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(200))


class MaintenanceSilenceRow(Base):
    """The silence a window has (or must have) at one Alertmanager source: created while the window
    is on, expired when it ends; a failed call keeps its error and is retried."""

    __tablename__ = "maintenance_silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("maintenance_windows.id"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    silence_id: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))  # active | expired
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("window_id", "source", name="ux_maintenance_silences_once"),)


class HeldAlertRow(Base):
    """A firing alert a maintenance window holds back (no incident), as its source's last apply saw it."""

    __tablename__ = "held_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    labels: Mapped[dict[str, Any]]
    starts_at: Mapped[datetime]
    seen_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("source", "fingerprint", name="ux_held_alerts_once"),)
