"""Normalized alerts, whatever monitoring system they came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from noc_console.domain.severity import Severity

if TYPE_CHECKING:
    from noc_console.domain.synthetic import CheckRun


class AlertState(StrEnum):
    FIRING = "firing"
    RESOLVED = "resolved"
    # Its incident was resolved by hand while the source still reported it: the link is closed, and an
    # alert that still fires at the next fetch opens a new incident instead of hiding in the old one.
    DETACHED = "detached"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as a source reported it; `fingerprint` identifies it within its source."""

    source: str
    fingerprint: str
    labels: Mapping[str, str]
    summary: str
    description: str
    severity: Severity
    starts_at: datetime
    ends_at: datetime | None = None
    state: AlertState = AlertState.FIRING
    silenced: bool = False
    inhibited: bool = False
    service: str | None = None
    generator_url: str | None = None
    # The source's own clock when it last updated this alert (Alertmanager's `updatedAt`), if it says.
    source_time: datetime | None = None
    # Its condition holds but not yet for as long as its rule asks (Prometheus's `pending`): shown, never
    # alarming. It opens no incident; one that turns firing is a change like any other and opens then.
    pending: bool = False

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "") or self.summary

    @property
    def suppressed(self) -> bool:
        """Silenced or inhibited at the source: it exists, but someone has said not to page for it."""
        return self.silenced or self.inhibited

    def has_ended(self) -> bool:
        """True only when the source itself says the alert is over.

        An end time is compared with the source's own clock (`source_time`), never with ours: a poller
        whose clock runs minutes ahead must not decide that a firing alert has ended.
        """
        if self.state is AlertState.RESOLVED:
            return True
        return self.ends_at is not None and self.source_time is not None and self.ends_at <= self.source_time


@dataclass(frozen=True, slots=True)
class AlertSnapshot:
    """Every alert one successful fetch of one source returned, one per fingerprint."""

    source: str
    fetched_at: datetime
    alerts: tuple[Alert, ...] = field(default_factory=tuple)
    # The source's own clock: when its process started and when it answered (an HTTP Date header).
    # Together they give its uptime; a source that keeps alerts only in memory answers an empty list
    # for a while after a restart, and that emptiness must not resolve anything.
    source_started_at: datetime | None = None
    source_now: datetime | None = None
    # A hash of the raw answer it was parsed from, when the source gives one: the next answer with the
    # same hash need not be parsed nor applied (see engine.answers).
    digest: str | None = None
    # A push (a webhook; always partial) names only some of the source's alerts, and says nothing of the
    # source's health (polls do).
    pushed: bool = False
    # A synthetic check's run (its steps' statuses and latencies), stored as the check's history.
    check_run: CheckRun | None = None
    # Something the operator must see although the fetch succeeded (a member of an HA pair down).
    warning: str | None = None
    # Only part of the source's alerts are in it (a push; a member of an HA pair down): what is absent
    # may be firing still, so absence resolves nothing (see SourceRules.counts_absence).
    partial: bool = False

    @classmethod
    def of(
        cls,
        source: str,
        fetched_at: datetime,
        alerts: Iterable[Alert],
        *,
        source_started_at: datetime | None = None,
        source_now: datetime | None = None,
        digest: str | None = None,
        warning: str | None = None,
        partial: bool = False,
        pushed: bool = False,
    ) -> AlertSnapshot:
        """Build a snapshot, keeping the last alert of each fingerprint (same fingerprint = one alert)."""
        by_fingerprint: dict[str, Alert] = {}
        for alert in alerts:
            by_fingerprint[alert.fingerprint] = alert
        return cls(
            source=source,
            fetched_at=fetched_at,
            alerts=tuple(by_fingerprint.values()),
            source_started_at=source_started_at,
            source_now=source_now,
            digest=digest,
            warning=warning,
            partial=partial or pushed,
            pushed=pushed,
        )

    @property
    def source_uptime(self) -> timedelta | None:
        """How long the source has been up, by its own clock; None when it does not say."""
        if self.source_started_at is None:
            return None
        return (self.source_now or self.fetched_at) - self.source_started_at


# The fingerprint of the alert `with_watchdog` raises when the watchdog is missing, before its name.
MISSING_WATCHDOG = "watchdog-missing:"


def with_watchdog(snapshot: AlertSnapshot, watchdog: str) -> AlertSnapshot:
    """The snapshot as the console applies it when the source has a watchdog: an alert named
    `watchdog` that the monitoring behind the source keeps firing on purpose (Prometheus's `Watchdog`,
    `expr: vector(1)`).

    The watchdog itself opens nothing. Its absence is a critical alert of its own: the pipeline behind
    the source (Prometheus, its rules, its route to this Alertmanager) is broken although the source
    answers, so the console is blind in a way the source's health cannot show.
    """
    kept = tuple(a for a in snapshot.alerts if a.labels.get("alertname") != watchdog)
    if len(kept) < len(snapshot.alerts):
        return replace(snapshot, alerts=kept)
    missing = Alert(
        source=snapshot.source,
        fingerprint=f"{MISSING_WATCHDOG}{watchdog}",
        labels={"alertname": f"{watchdog} missing", "watchdog": watchdog},
        summary=f"{watchdog} alert missing from {snapshot.source}: the alerting behind it is broken",
        description=(
            f"{snapshot.source} answers, but its always-firing {watchdog} alert is not in the answer: "
            "the monitoring that feeds it has stopped (Prometheus down, its rules not evaluated, or its "
            "route to this source cut). Until it is back, problems there reach nobody."
        ),
        severity=Severity.CRITICAL,
        starts_at=snapshot.fetched_at,
    )
    return replace(snapshot, alerts=(*kept, missing))
