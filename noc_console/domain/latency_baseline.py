"""A synthetic check's normal latency, learned from its own history: smart thresholds, not only static.

Runs are grouped by hour of the week (UTC: 168 buckets), so Monday 09:00's rush is compared with earlier
Mondays at 09:00, not with Sunday night. Each bucket keeps the successful runs of the last `WEEKS` weeks
(at most one a minute, and `MAX_PER_BUCKET`, the newest); once it holds `MIN_SAMPLES` it judges: a run
slower than the median plus `K` spreads (the median absolute deviation, scaled to a standard
deviation), and at least `FLOOR_MS` and `MIN_RATIO` times the median, is far outside its normal. Adding
a run and judging one cost a sort of one bucket: the work per run does not grow with history.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from noc_console.domain.alerts import Alert
from noc_console.domain.severity import Severity
from noc_console.domain.synthetic import CheckRun, HttpCheck, describe, seconds

WEEKS = 4
MIN_SAMPLES = 12
SAMPLE_EVERY_S = 60.0  # a bucket keeps at most one run a minute: a check every 10 s costs no more memory
MAX_PER_BUCKET = 2_000  # a bound whatever the clock does (at one a minute, 4 weeks hold 240)
K = 5.0
FLOOR_MS = 150.0  # never warn about a run less than this much over its median: noise, not news
MIN_RATIO = 1.5  # nor one under one and a half times its median
MAD_TO_SIGMA = 1.4826
WEEK = timedelta(weeks=1)


def hour_of_week(at: datetime) -> int:
    """0 for Monday 00:00-01:00 UTC, 167 for Sunday 23:00-24:00."""
    utc = at.astimezone(UTC)
    return utc.weekday() * 24 + utc.hour


@dataclass(frozen=True, slots=True)
class Band:
    """The normal latency of one hour of the week, and the line above which a run is far outside it."""

    median_ms: float
    spread_ms: float
    samples: int

    @property
    def upper_ms(self) -> float:
        return max(self.median_ms + K * self.spread_ms, self.median_ms + FLOOR_MS, self.median_ms * MIN_RATIO)


class LatencyBaseline:
    """One check's learned latency per hour of the week. Feed it successful runs in time order."""

    def __init__(self, weeks: int = WEEKS, min_samples: int = MIN_SAMPLES) -> None:
        self.weeks = weeks
        self.min_samples = min_samples
        self._buckets: dict[int, deque[tuple[datetime, float]]] = {}

    def add(self, at: datetime, latency_ms: float) -> None:
        bucket = self._buckets.setdefault(hour_of_week(at), deque(maxlen=MAX_PER_BUCKET))
        if bucket and (at - bucket[-1][0]).total_seconds() < SAMPLE_EVERY_S:
            return
        bucket.append((at, latency_ms))

    def add_all(self, runs: Iterable[tuple[datetime, float]]) -> LatencyBaseline:
        for at, latency_ms in runs:
            self.add(at, latency_ms)
        return self

    def band(self, now: datetime) -> Band | None:
        """The band of `now`'s hour of the week from the last `weeks` weeks; None until it has enough."""
        bucket = self._buckets.get(hour_of_week(now))
        if not bucket:
            return None
        since = now - self.weeks * WEEK
        while bucket and bucket[0][0] < since:
            bucket.popleft()
        if len(bucket) < self.min_samples:
            return None
        values = sorted(ms for _, ms in bucket)
        median = _median(values)
        deviations = sorted(abs(v - median) for v in values)
        return Band(median, _median(deviations) * MAD_TO_SIGMA, len(values))

    def judge(self, now: datetime, latency_ms: float) -> str | None:
        """ "1.9 s, usually 400 ms at this hour" when far outside the band, else None (or too few runs)."""
        band = self.band(now)
        if band is None or latency_ms <= band.upper_ms:
            return None
        return f"{seconds(latency_ms)}, usually {seconds(band.median_ms)} at this hour"


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def bands_over(baseline: LatencyBaseline, start: datetime, end: datetime) -> list[tuple[datetime, Band]]:
    """The band at the start of each hour from `start` to `end` (for a chart), where there is one."""
    hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    result = []
    while hour <= end:
        band = baseline.band(hour)
        if band is not None:
            result.append((hour, band))
        hour += timedelta(hours=1)
    return result


def learned_alert(check: HttpCheck, run: CheckRun, source: str, baseline: LatencyBaseline) -> Alert | None:
    """A warning when a run that met every static expectation took far longer than usual at this hour.

    A failed or statically slow run already raises its own (louder) alert, and is not judged again.
    """
    if not run.ok or run.slow or run.total_ms is None or any(step.slow for step in run.steps):
        return None
    text = baseline.judge(run.at, run.total_ms)
    if text is None:
        return None
    labels = {"alertname": f"{run.check} synthetic check", "check": run.check, "threshold": "learned"}
    if check.service:
        labels["service"] = check.service
    return Alert(
        source=source,
        fingerprint="http_check:learned-slow",
        labels=labels,
        summary=f"{run.check}: {text}"[:500],
        description=describe(run),
        severity=Severity.WARNING,
        starts_at=run.at,
        service=check.service,
    )
