"""A check's learned latency: per hour of the week, from its own history, judged with `now` given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from noc_console.domain.latency_baseline import (
    MAX_PER_BUCKET,
    MIN_SAMPLES,
    WEEKS,
    LatencyBaseline,
    bands_over,
    hour_of_week,
    learned_alert,
)
from noc_console.domain.severity import Severity
from noc_console.domain.synthetic import CheckRun, CheckStep, HttpCheck, StepResult

MONDAY_9 = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)  # a Monday
CHECK = HttpCheck(steps=(CheckStep("request"),), service="checkout")


def history(baseline: LatencyBaseline, at: datetime, values: list[float], weeks: int = WEEKS) -> None:
    """`values` spread over the same hour of each of the last `weeks` weeks (from `at`'s minute on),
    oldest first."""
    for week in range(weeks, 0, -1):
        for minute, ms in enumerate(values):
            baseline.add(at - timedelta(weeks=week) + timedelta(minutes=minute % 40), ms)


def a_run(ms: float, at: datetime = MONDAY_9, **fields: object) -> CheckRun:
    step = StepResult("request", 200, ms, **fields)  # type: ignore[arg-type]
    return CheckRun("checkout", at, (step,), ms)


def test_hour_of_week() -> None:
    assert hour_of_week(datetime(2026, 11, 30, 0, 30, tzinfo=UTC)) == 0  # Monday 00:30
    assert hour_of_week(datetime(2026, 12, 6, 23, 59, tzinfo=UTC)) == 167  # Sunday 23:59
    assert hour_of_week(MONDAY_9) == 9


def test_it_judges_only_after_enough_samples() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [400.0] * ((MIN_SAMPLES - 1) // WEEKS))
    assert baseline.band(MONDAY_9) is None
    assert baseline.judge(MONDAY_9, 10_000) is None  # too few runs to know what is normal
    enough = LatencyBaseline()
    history(enough, MONDAY_9, [400.0] * (MIN_SAMPLES // WEEKS))
    assert enough.band(MONDAY_9) is not None


def test_a_run_far_outside_its_hour_warns_in_plain_words() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [400.0 + (i % 7 - 3) * 10 for i in range(28)])
    band = baseline.band(MONDAY_9)
    assert band is not None and band.median_ms == 400 and band.spread_ms == 20 * 1.4826
    assert baseline.judge(MONDAY_9, 450) is None  # within its normal spread
    assert baseline.judge(MONDAY_9, 1900) == "1.9 s, usually 400 ms at this hour"
    alert = learned_alert(CHECK, a_run(1900), "shop", baseline)
    assert alert is not None and alert.severity is Severity.WARNING
    assert alert.summary == "checkout: 1.9 s, usually 400 ms at this hour"
    assert alert.fingerprint == "http_check:learned-slow" and alert.service == "checkout"
    assert learned_alert(CHECK, a_run(430), "shop", baseline) is None


def test_each_hour_of_the_week_has_its_own_normal() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [1500.0 + i for i in range(20)])  # the Monday-morning rush
    sunday_3 = datetime(2026, 12, 6, 3, 10, tzinfo=UTC)
    history(baseline, sunday_3, [200.0 + i for i in range(20)])
    assert baseline.judge(MONDAY_9, 1600) is None
    assert baseline.judge(sunday_3, 1600) is not None


def test_small_absolute_and_relative_floors_keep_a_steady_fast_check_quiet() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [20.0] * 20)  # no spread at all: every run 20 ms
    assert baseline.judge(MONDAY_9, 60) is None  # 40 ms over: noise, whatever the spread says
    assert baseline.judge(MONDAY_9, 400) == "400 ms, usually 20 ms at this hour"


def test_history_older_than_the_window_is_forgotten_and_the_bucket_is_bounded() -> None:
    baseline = LatencyBaseline(weeks=2)
    for week in (6, 5, 4, 3):
        for minute in range(20):
            baseline.add(MONDAY_9 - timedelta(weeks=week) + timedelta(minutes=minute), 3000.0)
    history(baseline, MONDAY_9, [300.0] * 10, weeks=2)  # only the 2 newest weeks count
    band = baseline.band(MONDAY_9)
    assert band is not None and band.samples == 20 and band.median_ms == 300
    crowded = LatencyBaseline()
    for second in range(0, 3600, 10):  # a check every 10 s keeps one run a minute
        crowded.add(MONDAY_9.replace(minute=0) + timedelta(seconds=second), 100.0)
    band = crowded.band(MONDAY_9.replace(minute=59))
    assert band is not None and band.samples == 60
    assert MAX_PER_BUCKET >= 60 * WEEKS


def test_failed_or_statically_slow_runs_are_not_judged_again() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [400.0] * 20)
    failed = a_run(5000, error="HTTP 500 (expected 2xx)")
    assert learned_alert(CHECK, failed, "shop", baseline) is None
    slow = a_run(5000, slow="5.0 s, limit 2.0 s")
    assert learned_alert(CHECK, slow, "shop", baseline) is None


def test_bands_over_a_day_for_the_chart() -> None:
    baseline = LatencyBaseline()
    history(baseline, MONDAY_9, [400.0] * 20)
    bands = bands_over(baseline, MONDAY_9 - timedelta(hours=3), MONDAY_9)
    assert [(at.hour, band.median_ms) for at, band in bands] == [(9, 400.0)]
