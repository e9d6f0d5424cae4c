"""Detection coverage: how often we, not our customers, saw an incident first, and how fast we were.

Every figure is built from partial sums (`Tally`) per service and UTC day (`Cell`), so the same
`summarize` serves these pure formulas and the store's SQL aggregation (store.metrics), and a day, a
week, a service or the whole range is a sum of cells.

Rules, over incidents detected in [since, until):
- internal: when both the monitoring and the first call times are known and differ, the earlier wins;
  otherwise `detected_by` says (monitoring and synthetic are ours, customer is not);
- time to detect: detected_at minus the impact start, the earliest of the first alert's start and the
  earliest caller's "started at"; unknown when both are missing;
- time to acknowledge / resolve: from detected_at, over the acknowledged / resolved ones;
- a time that comes out negative (a caller's start after we detected it, clocks apart) counts as 0;
- false positives: internally detected ones resolved as false positive, over all internally detected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.i18n import QT_TRANSLATE_NOOP
from noc_console.domain.incidents import DetectionSource, Incident

GOAL_INTERNAL_PCT = 90.0
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
# Weeks start on Monday; day 4 since the epoch (1970-01-05) was a Monday.
MONDAY_OFFSET = 3
# Ranges up to this long are charted per day, longer ones per week.
DAILY_UP_TO = timedelta(days=62)

Granularity = Literal["day", "week"]
# Why a critical service is a blind spot (Gap.reason).
UNMONITORED_REASON = QT_TRANSLATE_NOOP("domain.metrics", "no configured source or check maps to it")
SILENCED_REASON = QT_TRANSLATE_NOOP("domain.metrics", "every alert of it is silenced")
INTERNAL = frozenset({DetectionSource.MONITORING, DetectionSource.SYNTHETIC})


@dataclass(frozen=True, slots=True)
class Tally:
    """Partial sums over some incidents: every figure is a ratio of two of these, so tallies add up."""

    incidents: int = 0
    internal: int = 0
    false_positive: int = 0  # internally detected and resolved as a false positive
    detect_s: float = 0.0
    detected: int = 0  # incidents whose time to detect is known
    ack_s: float = 0.0
    acknowledged: int = 0
    resolve_s: float = 0.0
    resolved: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            incidents=self.incidents + other.incidents,
            internal=self.internal + other.internal,
            false_positive=self.false_positive + other.false_positive,
            detect_s=self.detect_s + other.detect_s,
            detected=self.detected + other.detected,
            ack_s=self.ack_s + other.ack_s,
            acknowledged=self.acknowledged + other.acknowledged,
            resolve_s=self.resolve_s + other.resolve_s,
            resolved=self.resolved + other.resolved,
        )

    @property
    def customer_reported(self) -> int:
        return self.incidents - self.internal

    @property
    def detected_internally_pct(self) -> float | None:
        return _pct(self.internal, self.incidents)

    @property
    def false_positive_pct(self) -> float | None:
        return _pct(self.false_positive, self.internal)

    @property
    def mttd_s(self) -> float | None:
        return self.detect_s / self.detected if self.detected else None

    @property
    def mtta_s(self) -> float | None:
        return self.ack_s / self.acknowledged if self.acknowledged else None

    @property
    def mttr_s(self) -> float | None:
        return self.resolve_s / self.resolved if self.resolved else None


@dataclass(frozen=True, slots=True)
class Cell:
    """The tally of one service's incidents detected on one UTC day (days since 1970-01-01)."""

    service: str | None
    day: int
    tally: Tally


@dataclass(frozen=True, slots=True)
class ServiceAlerts:
    """What the alerts of configured sources say about one service: any at all, and all silenced."""

    service: str
    alerts: int
    silenced: int


@dataclass(frozen=True, slots=True)
class AlertSeen:
    """One alert, as far as coverage cares."""

    service: str | None
    source: str
    silenced: bool


@dataclass(frozen=True, slots=True)
class ServiceCoverage:
    service: str | None
    incidents: int
    customer_reported: int
    detected_internally_pct: float | None
    monitored: bool
    critical: bool
    mttd_s: float | None


@dataclass(frozen=True, slots=True)
class Gap:
    """A critical service we would not see failing: `kind` is "unmonitored" or "silenced"; `reason` is
    in English (the JSON's and the log's), the window shows `translate("domain.metrics", reason)`."""

    service: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Bucket:
    """One day or week of the chart series; `start` is its first instant (UTC midnight)."""

    start: datetime
    end: datetime
    incidents: int
    customer_reported: int
    detected_internally_pct: float | None
    mttd_s: float | None
    mtta_s: float | None
    mttr_s: float | None
    false_positive_pct: float | None


@dataclass(frozen=True, slots=True)
class Metrics:
    since: datetime
    until: datetime
    granularity: Granularity
    incidents: int
    customer_reported: int
    detected_internally_pct: float | None
    mttd_s: float | None
    mtta_s: float | None
    mttr_s: float | None
    false_positive_pct: float | None
    by_service: tuple[ServiceCoverage, ...] = ()
    gaps: tuple[Gap, ...] = ()
    series: tuple[Bucket, ...] = ()
    goal_pct: float = GOAL_INTERNAL_PCT
    monitored_services: frozenset[str] = field(default_factory=frozenset)

    @property
    def meets_goal(self) -> bool | None:
        pct = self.detected_internally_pct
        return None if pct is None else pct >= self.goal_pct


def duration_text(seconds: float | None) -> str:
    """A mean time as people read it: '45 s', '6.7 min', '1.8 h' (hours from 90 minutes); 'n/a'."""
    if seconds is None:
        return "n/a"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max((later - earlier).total_seconds(), 0.0)


def detected_internally(incident: Incident) -> bool:
    """Whether our monitoring or checks saw it before any customer told us."""
    ours, theirs = incident.monitoring_detected_at, incident.first_call_at
    if ours is not None and theirs is not None and ours != theirs:
        return ours < theirs
    return incident.detected_by in INTERNAL


def impact_start(incident: Incident, first_caller_started_at: datetime | None) -> datetime | None:
    """The earliest of the first alert's start and the earliest caller's "started at"."""
    known = [t for t in (incident.impact_started_at, first_caller_started_at) if t is not None]
    return min(known) if known else None


def seconds_to_detect(incident: Incident, first_caller_started_at: datetime | None) -> float | None:
    return _seconds(incident.detected_at, impact_start(incident, first_caller_started_at))


def seconds_to_acknowledge(incident: Incident) -> float | None:
    return _seconds(incident.acknowledged_at, incident.detected_at)


def seconds_to_resolve(incident: Incident) -> float | None:
    return _seconds(incident.resolved_at, incident.detected_at)


def tally(incident: Incident, first_caller_started_at: datetime | None = None) -> Tally:
    """One incident's contribution to every figure."""
    internal = detected_internally(incident)
    detect = seconds_to_detect(incident, first_caller_started_at)
    ack = seconds_to_acknowledge(incident)
    resolve = seconds_to_resolve(incident)
    return Tally(
        incidents=1,
        internal=int(internal),
        false_positive=int(internal and incident.false_positive),
        detect_s=detect or 0.0,
        detected=int(detect is not None),
        ack_s=ack or 0.0,
        acknowledged=int(ack is not None),
        resolve_s=resolve or 0.0,
        resolved=int(resolve is not None),
    )


def day_number(at: datetime) -> int:
    """Days since 1970-01-01 of a UTC time."""
    return (at - EPOCH) // DAY


def cells(
    incidents: Iterable[Incident],
    first_caller_started: Mapping[int, datetime],
    since: datetime,
    until: datetime,
) -> list[Cell]:
    """Tallies per service and UTC day of the incidents detected in [since, until).

    `first_caller_started`: per incident ID, the earliest "started at" its callers gave.
    """
    sums: dict[tuple[str | None, int], Tally] = {}
    for incident in incidents:
        if not since <= incident.detected_at < until:
            continue
        key = (incident.service, day_number(incident.detected_at))
        sums[key] = sums.get(key, Tally()) + tally(incident, first_caller_started.get(incident.id))
    return [Cell(service, day, t) for (service, day), t in sums.items()]


def service_alerts(alerts: Iterable[AlertSeen], source_names: Iterable[str]) -> dict[str, ServiceAlerts]:
    """Per service, the alerts of sources still configured and how many of them are silenced."""
    configured = set(source_names)
    counts: dict[str, tuple[int, int]] = {}
    for alert in alerts:
        if alert.service is None or alert.source not in configured:
            continue
        seen, silenced = counts.get(alert.service, (0, 0))
        counts[alert.service] = (seen + 1, silenced + int(alert.silenced))
    return {name: ServiceAlerts(name, seen, silenced) for name, (seen, silenced) in counts.items()}


def is_monitored(
    service: str | None, alerts: Mapping[str, ServiceAlerts], catalog: ServiceCatalog, has_sources: bool
) -> bool:
    """A configured source maps to it: one of its alerts names it, or `[[services]]` gives match labels."""
    if service is None or not has_sources:
        return False
    if service in alerts and alerts[service].alerts:
        return True
    return any(s.name == service and s.match for s in catalog.services)


def granularity_for(since: datetime, until: datetime) -> Granularity:
    return "day" if until - since <= DAILY_UP_TO else "week"


def bucket_start_day(day: int, granularity: Granularity) -> int:
    """The first day of the bucket holding `day` (weeks start on Monday)."""
    if granularity == "day":
        return day
    return ((day + MONDAY_OFFSET) // 7) * 7 - MONDAY_OFFSET


def summarize(
    all_cells: Iterable[Cell],
    alerts: Mapping[str, ServiceAlerts],
    catalog: ServiceCatalog,
    source_names: Iterable[str],
    since: datetime,
    until: datetime,
    granularity: Granularity | None = None,
) -> Metrics:
    """Every figure, per service and per bucket, from the cells of [since, until)."""
    granularity = granularity or granularity_for(since, until)
    has_sources = bool(list(source_names))
    total = Tally()
    per_service: dict[str | None, Tally] = {s.name: Tally() for s in catalog.services}
    per_bucket: dict[int, Tally] = {}
    for cell in all_cells:
        total += cell.tally
        per_service[cell.service] = per_service.get(cell.service, Tally()) + cell.tally
        start = bucket_start_day(cell.day, granularity)
        per_bucket[start] = per_bucket.get(start, Tally()) + cell.tally
    critical = {s.name for s in catalog.services if s.critical}
    monitored = {name for name in per_service if is_monitored(name, alerts, catalog, has_sources)}
    by_service = sorted(
        (
            ServiceCoverage(
                service=name,
                incidents=t.incidents,
                customer_reported=t.customer_reported,
                detected_internally_pct=t.detected_internally_pct,
                monitored=name in monitored,
                critical=name in critical,
                mttd_s=t.mttd_s,
            )
            for name, t in per_service.items()
        ),
        key=lambda s: (
            -s.customer_reported,
            -s.incidents,
            not s.critical,
            s.service is None,
            s.service or "",
        ),
    )
    gaps = []
    for service in catalog.services:
        if not service.critical:
            continue
        seen = alerts.get(service.name)
        if service.name not in monitored:
            gaps.append(Gap(service.name, "unmonitored", UNMONITORED_REASON))
        elif seen is not None and seen.alerts and seen.silenced == seen.alerts:
            gaps.append(Gap(service.name, "silenced", SILENCED_REASON))
    return Metrics(
        since=since,
        until=until,
        granularity=granularity,
        incidents=total.incidents,
        customer_reported=total.customer_reported,
        detected_internally_pct=total.detected_internally_pct,
        mttd_s=total.mttd_s,
        mtta_s=total.mtta_s,
        mttr_s=total.mttr_s,
        false_positive_pct=total.false_positive_pct,
        by_service=tuple(by_service),
        gaps=tuple(gaps),
        series=_series(per_bucket, since, until, granularity),
        monitored_services=frozenset(m for m in monitored if m is not None),
    )


def _series(
    per_bucket: Mapping[int, Tally], since: datetime, until: datetime, g: Granularity
) -> tuple[Bucket, ...]:
    """Every bucket from the one holding `since` to the one holding the last instant, empty ones too."""
    if until <= since:
        return ()
    step = 1 if g == "day" else 7
    first = bucket_start_day(day_number(since), g)
    last = bucket_start_day(day_number(until - timedelta(microseconds=1)), g)
    result = []
    for start in range(first, last + 1, step):
        t = per_bucket.get(start, Tally())
        result.append(
            Bucket(
                start=EPOCH + start * DAY,
                end=EPOCH + (start + step) * DAY,
                incidents=t.incidents,
                customer_reported=t.customer_reported,
                detected_internally_pct=t.detected_internally_pct,
                mttd_s=t.mttd_s,
                mtta_s=t.mtta_s,
                mttr_s=t.mttr_s,
                false_positive_pct=t.false_positive_pct,
            )
        )
    return tuple(result)


def compute(
    incidents: Iterable[Incident],
    first_caller_started: Mapping[int, datetime],
    alerts: Iterable[AlertSeen],
    catalog: ServiceCatalog,
    source_names: Iterable[str],
    since: datetime,
    until: datetime,
    granularity: Granularity | None = None,
) -> Metrics:
    """The figures straight from incidents, their callers' start times and alerts (the reference)."""
    names = list(source_names)
    return summarize(
        cells(incidents, first_caller_started, since, until),
        service_alerts(alerts, names),
        catalog,
        names,
        since,
        until,
        granularity,
    )
