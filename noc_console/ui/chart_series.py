"""What the charts draw and export, taken from a Metrics: arrays per bucket, services worst first, the
CSV tables, the read-outs and the headline. Qt-free, so each figure can be checked on its own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from noc_console.domain.metrics import Bucket, Metrics, ServiceCoverage, duration_text

FloatArray = npt.NDArray[np.float64]
BAR_SHARE = 0.8  # a bar takes this share of its bucket's width
NO_SERVICE = "(no service)"

Table = tuple[list[str], list[list[str]]]


@dataclass(frozen=True, slots=True)
class SeriesArrays:
    """One entry per bucket; NaN where a figure is unknown (no incidents to average over)."""

    centre: FloatArray  # seconds since the epoch, the middle of the bucket
    width: FloatArray  # seconds, the width of a bar
    internal: FloatArray
    customer: FloatArray
    internal_pct: FloatArray
    mttd_min: FloatArray
    mtta_min: FloatArray
    false_positive_pct: FloatArray


def _floats(values: Sequence[float | None], scale: float = 1.0) -> FloatArray:
    return np.array([math.nan if v is None else v * scale for v in values], dtype=np.float64)


def series_arrays(m: Metrics) -> SeriesArrays:
    buckets = m.series
    starts = np.array([b.start.timestamp() for b in buckets], dtype=np.float64)
    ends = np.array([b.end.timestamp() for b in buckets], dtype=np.float64)
    incidents = np.array([b.incidents for b in buckets], dtype=np.float64)
    customer = np.array([b.customer_reported for b in buckets], dtype=np.float64)
    return SeriesArrays(
        centre=(starts + ends) / 2,
        width=(ends - starts) * BAR_SHARE,
        internal=incidents - customer,
        customer=customer,
        internal_pct=_floats([b.detected_internally_pct for b in buckets]),
        mttd_min=_floats([b.mttd_s for b in buckets], 1 / 60),
        mtta_min=_floats([b.mtta_s for b in buckets], 1 / 60),
        false_positive_pct=_floats([b.false_positive_pct for b in buckets]),
    )


def coverage_order(services: Sequence[ServiceCoverage]) -> list[ServiceCoverage]:
    """Worst first: the lowest share detected internally; a service with no incidents in the range has
    no share and comes after those that have one. Ties: unmonitored, then most customer-reported."""
    return sorted(
        services,
        key=lambda s: (
            s.detected_internally_pct is None,
            s.detected_internally_pct or 0.0,
            s.monitored,
            -s.customer_reported,
            not s.critical,
            s.service is None,
            s.service or "",
        ),
    )


def unmonitored(s: ServiceCoverage) -> bool:
    """No configured source or check maps to it (said of named services only)."""
    return s.service is not None and not s.monitored


def service_label(s: ServiceCoverage) -> str:
    """'vpn (critical) · UNMONITORED': words, so that no colour has to say it."""
    name = s.service if s.service is not None else NO_SERVICE
    if s.critical:
        name += " (critical)"
    return f"{name} · UNMONITORED" if unmonitored(s) else name


def pct_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def bucket_name(bucket: Bucket, granularity: str) -> str:
    """'week of 2026-11-02' or 'Mon 2026-11-02' (UTC days)."""
    day = bucket.start.date()
    return f"week of {day.isoformat()}" if granularity == "week" else f"{day:%a} {day.isoformat()}"


def bucket_text(bucket: Bucket, m: Metrics) -> str:
    """The read-out for one bucket, e.g. 'week of 2026-11-02: 41 incidents, 92.7 % internal, MTTD 3.2 min'."""
    name = bucket_name(bucket, m.granularity)
    if bucket.start < m.since or bucket.end > m.until:
        name += " (only part of it in the range)"
    if not bucket.incidents:
        return f"{name}: no incidents"
    parts = [
        f"{bucket.incidents} incident{'s' if bucket.incidents != 1 else ''}",
        f"{pct_text(bucket.detected_internally_pct)} internal",
        f"{bucket.customer_reported} by customers",
        f"MTTD {duration_text(bucket.mttd_s)}",
        f"MTTA {duration_text(bucket.mtta_s)}",
        f"false positives {pct_text(bucket.false_positive_pct)}",
    ]
    return f"{name}: " + ", ".join(parts)


def service_text(s: ServiceCoverage) -> str:
    """The read-out for one service's bar."""
    head = service_label(s).replace(" · UNMONITORED", ", UNMONITORED (no source or check maps to it)")
    if not s.incidents:
        return f"{head}: no incidents"
    return (
        f"{head}: {s.incidents} incident{'s' if s.incidents != 1 else ''}, "
        f"{s.customer_reported} by customers, {pct_text(s.detected_internally_pct)} internal, "
        f"MTTD {duration_text(s.mttd_s)}"
    )


def bucket_at(buckets: Sequence[Bucket], timestamp: float) -> Bucket | None:
    """The bucket holding a time (seconds since the epoch), or None outside the series."""
    for bucket in buckets:
        if bucket.start.timestamp() <= timestamp < bucket.end.timestamp():
            return bucket
    return None


# --- CSV: numbers without units, unknown figures empty -------------------------------------------


def _number(value: float | None, digits: int = 3) -> str:
    return "" if value is None else repr(round(value, digits))


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else _number(seconds / 60)


def _bucket_cells(bucket: Bucket) -> list[str]:
    return [bucket.start.date().isoformat(), bucket.end.date().isoformat()]


def detection_table(m: Metrics) -> Table:
    header = [
        "bucket_start", "bucket_end", "incidents", "detected_internally", "customer_reported",
        "detected_internally_pct", "goal_pct",
    ]  # fmt: skip
    rows = [
        [
            *_bucket_cells(b),
            str(b.incidents),
            str(b.incidents - b.customer_reported),
            str(b.customer_reported),
            _number(b.detected_internally_pct),
            _number(m.goal_pct),
        ]
        for b in m.series
    ]
    return header, rows


def response_table(m: Metrics) -> Table:
    header = ["bucket_start", "bucket_end", "incidents", "mttd_min", "mtta_min"]
    rows = [[*_bucket_cells(b), str(b.incidents), _minutes(b.mttd_s), _minutes(b.mtta_s)] for b in m.series]
    return header, rows


def coverage_table(m: Metrics) -> Table:
    header = [
        "service", "critical", "monitored", "incidents", "customer_reported", "detected_internally_pct",
        "mttd_min",
    ]  # fmt: skip
    rows = [
        [
            s.service if s.service is not None else NO_SERVICE,
            str(s.critical).lower(),
            str(s.monitored).lower(),
            str(s.incidents),
            str(s.customer_reported),
            _number(s.detected_internally_pct),
            _minutes(s.mttd_s),
        ]
        for s in coverage_order(m.by_service)
    ]
    return header, rows


def false_positive_table(m: Metrics) -> Table:
    header = ["bucket_start", "bucket_end", "incidents", "false_positive_pct"]
    rows = [[*_bucket_cells(b), str(b.incidents), _number(b.false_positive_pct)] for b in m.series]
    return header, rows


# --- the headline --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One big figure: what it is, its value, a line under it; `bad` when it needs attention."""

    caption: str
    value: str
    note: str
    bad: bool = False


def headline(m: Metrics) -> list[Figure]:
    pct = m.detected_internally_pct
    if pct is None:
        goal_note = f"goal {m.goal_pct:g} %"
    elif m.meets_goal:
        goal_note = f"meets the {m.goal_pct:g} % goal"
    else:
        goal_note = f"BELOW the {m.goal_pct:g} % goal"
    return [
        Figure("Detected internally", pct_text(pct), goal_note, bad=m.meets_goal is False),
        Figure("MTTD", duration_text(m.mttd_s), "impact start to detection"),
        Figure("MTTA", duration_text(m.mtta_s), "detection to acknowledge"),
        Figure("MTTR", duration_text(m.mttr_s), "detection to resolve"),
        Figure("False positives", pct_text(m.false_positive_pct), "of internally detected"),
        Figure(
            "Incidents",
            str(m.incidents),
            f"{m.customer_reported} reported by customers",
            bad=m.customer_reported > 0 and m.meets_goal is False,
        ),
    ]


def gaps_text(m: Metrics) -> str:
    """'Blind spots: vpn (critical): no configured source or check maps to it · …', or '' when none."""
    if not m.gaps:
        return ""
    return "Blind spots: " + " · ".join(f"{g.service} (critical): {g.reason}" for g in m.gaps)
