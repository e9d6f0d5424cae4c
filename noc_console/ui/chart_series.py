"""What the charts draw and export, taken from a Metrics: arrays per bucket, services worst first, the
CSV tables, the read-outs and the headline. Free of widgets (only the locale's formats), so each figure
can be checked on its own.

The read-outs and the headline are in the installed language with the locale's numbers and dates; the
CSV tables are data for other tools: fixed column names, ISO days, plain numbers, in every language."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from noc_console.domain.i18n import plural, translate
from noc_console.domain.metrics import Bucket, Metrics, ServiceCoverage
from noc_console.ui import formats

FloatArray = npt.NDArray[np.float64]
BAR_SHARE = 0.8  # a bar takes this share of its bucket's width
NO_SERVICE = "(no service)"  # in the CSV; the charts say it in the installed language

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


def not_known() -> str:
    """What a figure with nothing to compute it from shows."""
    return translate("ui.chart_series", "n/a")


def duration_text(seconds: float | None) -> str:
    """A mean time as people read it: '45 s', '6.7 min', '1.8 h' (hours from 90 minutes); 'n/a'."""
    if seconds is None:
        return not_known()
    if seconds < 120:
        return f"{formats.number(seconds)} s"
    if seconds < 5400:
        return f"{formats.number(seconds / 60, 1)} min"
    return f"{formats.number(seconds / 3600, 1)} h"


def service_label(s: ServiceCoverage, why: bool = False) -> str:
    """'vpn (critical) · UNMONITORED': words, so that no colour has to say it; `why` says why it is
    unmonitored ('vpn (critical), UNMONITORED (no source or check maps to it)')."""
    if s.service is None:
        name = translate("ui.chart_series", "(no service)")
    elif s.critical:
        name = translate("ui.chart_series", "{service} (critical)").format(service=s.service)
    else:
        name = s.service
    if not unmonitored(s):
        return name
    if why:
        return translate("ui.chart_series", "{service}, UNMONITORED (no source or check maps to it)").format(
            service=name
        )
    return translate("ui.chart_series", "{service} · UNMONITORED").format(service=name)


def pct_text(value: float | None) -> str:
    return formats.percent(value, 1, missing=not_known())


def goal_pct_text(goal_pct: float) -> str:
    """The goal as a percentage: '90 %' (a decimal only when it has one)."""
    return formats.percent(goal_pct, 0 if goal_pct == int(goal_pct) else 1)


def bucket_name(bucket: Bucket, granularity: str) -> str:
    """'week of 2/11/26' or 'lun 2/11/26' (UTC days, the locale's way)."""
    day = bucket.start.date()
    if granularity == "week":
        return translate("ui.chart_series", "week of {day}").format(day=formats.day(day))
    return f"{formats.weekday(day, with_date=False)} {formats.day(day)}"


def _incidents(n: int) -> str:
    return plural(
        n, translate("ui.chart_series", "{n} incident"), translate("ui.chart_series", "{n} incidents")
    ).format(n=formats.number(n))


def bucket_text(bucket: Bucket, m: Metrics) -> str:
    """The read-out for one bucket, e.g. 'week of 2/11/26: 41 incidents, 92.7 % internal, MTTD 3.2 min'."""
    name = bucket_name(bucket, m.granularity)
    if bucket.start < m.since or bucket.end > m.until:
        name = translate("ui.chart_series", "{bucket} (only part of it in the range)").format(bucket=name)
    if not bucket.incidents:
        return translate("ui.chart_series", "{bucket}: no incidents").format(bucket=name)
    return translate(
        "ui.chart_series",
        "{bucket}: {incidents}, {internal} internal, {customers} by customers, MTTD {mttd}, MTTA {mtta}, "
        "false positives {false_positives}",
    ).format(
        bucket=name,
        incidents=_incidents(bucket.incidents),
        internal=pct_text(bucket.detected_internally_pct),
        customers=formats.number(bucket.customer_reported),
        mttd=duration_text(bucket.mttd_s),
        mtta=duration_text(bucket.mtta_s),
        false_positives=pct_text(bucket.false_positive_pct),
    )


def service_text(s: ServiceCoverage) -> str:
    """The read-out for one service's bar."""
    head = service_label(s, why=True)
    if not s.incidents:
        return translate("ui.chart_series", "{service}: no incidents").format(service=head)
    return translate(
        "ui.chart_series",
        "{service}: {incidents}, {customers} by customers, {internal} internal, MTTD {mttd}",
    ).format(
        service=head,
        incidents=_incidents(s.incidents),
        customers=formats.number(s.customer_reported),
        internal=pct_text(s.detected_internally_pct),
        mttd=duration_text(s.mttd_s),
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
    goal = goal_pct_text(m.goal_pct)
    if pct is None:
        goal_note = translate("ui.chart_series", "goal {goal}").format(goal=goal)
    elif m.meets_goal:
        goal_note = translate("ui.chart_series", "meets the {goal} goal").format(goal=goal)
    else:
        goal_note = translate("ui.chart_series", "BELOW the {goal} goal").format(goal=goal)
    return [
        Figure(
            translate("ui.chart_series", "Detected internally"),
            pct_text(pct),
            goal_note,
            bad=m.meets_goal is False,
        ),
        Figure("MTTD", duration_text(m.mttd_s), translate("ui.chart_series", "impact start to detection")),
        Figure("MTTA", duration_text(m.mtta_s), translate("ui.chart_series", "detection to acknowledge")),
        Figure("MTTR", duration_text(m.mttr_s), translate("ui.chart_series", "detection to resolve")),
        Figure(
            translate("ui.chart_series", "False positives"),
            pct_text(m.false_positive_pct),
            translate("ui.chart_series", "of internally detected"),
        ),
        Figure(
            translate("ui.chart_series", "Incidents"),
            formats.number(m.incidents),
            translate("ui.chart_series", "{n} reported by customers").format(
                n=formats.number(m.customer_reported)
            ),
            bad=m.customer_reported > 0 and m.meets_goal is False,
        ),
    ]


def gaps_text(m: Metrics) -> str:
    """'Blind spots: vpn (critical): no configured source or check maps to it · …', or '' when none."""
    if not m.gaps:
        return ""
    gaps = " · ".join(
        translate("ui.chart_series", "{service} (critical): {reason}").format(
            service=g.service, reason=translate("domain.metrics", g.reason)
        )
        for g in m.gaps
    )
    return translate("ui.chart_series", "Blind spots: {gaps}").format(gaps=gaps)
