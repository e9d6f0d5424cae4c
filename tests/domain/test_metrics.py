"""Detection-coverage formulas against figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.metrics import (
    AlertSeen,
    bucket_start_day,
    compute,
    day_number,
    detected_internally,
    granularity_for,
    seconds_to_detect,
)
from noc_console.domain.severity import Severity

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 11, 8, tzinfo=UTC)
MIN = timedelta(minutes=1)
CATALOG = ServiceCatalog((ServiceDef("payments", critical=True, match={"service": "payments"}),))


def incident(i: int, by: DetectionSource = DetectionSource.MONITORING, **kw: object) -> Incident:
    base = Incident(
        id=i,
        title=f"t{i}",
        severity=Severity.MAJOR,
        status=IncidentStatus.OPEN,
        service="payments",
        detected_by=by,
        source="am",
        opened_at=T0,
        detected_at=T0,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_share_means_and_false_positives_by_hand() -> None:
    incidents = [
        # detected 4 min after impact; acked 2 min later; resolved after 30 min
        incident(1, impact_started_at=T0 - 4 * MIN, acknowledged_at=T0 + 2 * MIN, resolved_at=T0 + 30 * MIN),
        # synthetic counts as ours; 2 min to detect; acked after 4; a false positive resolved after 10
        incident(
            2,
            DetectionSource.SYNTHETIC,
            impact_started_at=T0 - 2 * MIN,
            acknowledged_at=T0 + 4 * MIN,
            resolved_at=T0 + 10 * MIN,
            false_positive=True,
        ),
        # a customer told us; no alert at all, the caller said it began 12 min before; never acked
        incident(3, DetectionSource.CUSTOMER, first_call_at=T0),
        # customer-reported false positive: not counted against monitoring's precision
        incident(
            4, DetectionSource.CUSTOMER, first_call_at=T0, false_positive=True, resolved_at=T0 + 20 * MIN
        ),
    ]
    m = compute(incidents, {3: T0 - 12 * MIN}, [], CATALOG, ["am"], SINCE, UNTIL)
    assert m.incidents == 4
    assert m.customer_reported == 2
    assert m.detected_internally_pct == 50.0
    assert m.mttd_s == pytest.approx((240 + 120 + 720) / 3)  # #4 has no start time at all
    assert m.mtta_s == pytest.approx((120 + 240) / 2)
    assert m.mttr_s == pytest.approx((1800 + 600 + 1200) / 3)
    assert m.false_positive_pct == 50.0  # 1 of the 2 internally detected
    assert m.meets_goal is False
    (payments,) = m.by_service
    assert (payments.service, payments.incidents, payments.customer_reported) == ("payments", 4, 2)
    assert payments.monitored and payments.critical


def test_impact_start_is_the_earliest_of_alert_and_caller_and_never_after_detection() -> None:
    both = incident(1, impact_started_at=T0 - 3 * MIN)
    assert seconds_to_detect(both, T0 - 10 * MIN) == 600.0  # the caller saw it first
    assert seconds_to_detect(both, T0 - 1 * MIN) == 180.0  # the alert started first
    assert seconds_to_detect(both, None) == 180.0
    assert seconds_to_detect(incident(2), None) is None  # no alert, no caller time
    # tie: impact started at the detection instant
    assert seconds_to_detect(incident(3, impact_started_at=T0), None) == 0.0
    # a caller's "started at" after we detected it counts as 0, not negative
    assert seconds_to_detect(incident(4), T0 + 5 * MIN) == 0.0


def test_customer_and_monitoring_the_earlier_wins_and_a_tie_keeps_detected_by() -> None:
    customer_first = incident(1, DetectionSource.CUSTOMER, first_call_at=T0, monitoring_detected_at=T0 + MIN)
    monitoring_first = incident(2, first_call_at=T0 + MIN, monitoring_detected_at=T0)
    # detected_by disagrees with the recorded times: the times win
    mislabelled = incident(3, DetectionSource.CUSTOMER, first_call_at=T0 + MIN, monitoring_detected_at=T0)
    tie_customer = incident(4, DetectionSource.CUSTOMER, first_call_at=T0, monitoring_detected_at=T0)
    tie_monitoring = incident(5, first_call_at=T0, monitoring_detected_at=T0)
    only_call = incident(6, DetectionSource.CUSTOMER, first_call_at=T0)
    assert not detected_internally(customer_first)
    assert detected_internally(monitoring_first)
    assert detected_internally(mislabelled)
    assert not detected_internally(tie_customer)
    assert detected_internally(tie_monitoring)
    assert not detected_internally(only_call)
    m = compute(
        [customer_first, monitoring_first, mislabelled, tie_customer, tie_monitoring, only_call],
        {},
        [],
        CATALOG,
        ["am"],
        SINCE,
        UNTIL,
    )
    assert (m.incidents, m.customer_reported) == (6, 3)
    assert m.detected_internally_pct == 50.0


def test_missing_times_give_none_not_zero() -> None:
    m = compute([incident(1)], {}, [], CATALOG, ["am"], SINCE, UNTIL)
    assert (m.mttd_s, m.mtta_s, m.mttr_s) == (None, None, None)
    assert m.detected_internally_pct == 100.0
    assert m.false_positive_pct == 0.0
    empty = compute([], {}, [], CATALOG, ["am"], SINCE, UNTIL)
    assert empty.incidents == 0
    assert (empty.detected_internally_pct, empty.mttd_s, empty.false_positive_pct) == (None, None, None)
    assert empty.meets_goal is None
    assert [s.incidents for s in empty.by_service] == [0]  # the configured service is still listed


def test_range_is_half_open_and_series_has_every_day() -> None:
    at_start = incident(1, detected_at=SINCE)
    at_end = incident(2, detected_at=UNTIL)  # excluded
    before = incident(3, detected_at=SINCE - timedelta(microseconds=1))  # excluded
    last_instant = incident(4, DetectionSource.CUSTOMER, detected_at=UNTIL - timedelta(microseconds=1))
    m = compute([at_start, at_end, before, last_instant], {}, [], CATALOG, ["am"], SINCE, UNTIL)
    assert m.incidents == 2
    assert m.granularity == "day"
    assert [b.start.day for b in m.series] == [1, 2, 3, 4, 5, 6, 7]
    assert [b.incidents for b in m.series] == [1, 0, 0, 0, 0, 0, 1]
    assert m.series[0].detected_internally_pct == 100.0
    assert m.series[-1].detected_internally_pct == 0.0
    assert m.series[1].detected_internally_pct is None


def test_weeks_start_on_monday() -> None:
    monday = datetime(2026, 11, 2, tzinfo=UTC)
    sunday = datetime(2026, 11, 8, 23, 59, tzinfo=UTC)
    assert bucket_start_day(day_number(sunday), "week") == day_number(monday)
    assert bucket_start_day(day_number(monday), "week") == day_number(monday)
    assert bucket_start_day(day_number(monday - MIN), "week") == day_number(monday) - 7
    assert granularity_for(SINCE, SINCE + timedelta(days=90)) == "week"
    since = datetime(2026, 9, 1, tzinfo=UTC)  # a Tuesday
    m = compute([incident(1)], {}, [], CATALOG, ["am"], since, UNTIL, granularity="week")
    assert m.series[0].start == datetime(2026, 8, 31, tzinfo=UTC)
    assert all(b.start.weekday() == 0 and b.end - b.start == timedelta(days=7) for b in m.series)
    assert sum(b.incidents for b in m.series) == 1


def test_gaps_for_critical_services_unmonitored_or_every_alert_silenced() -> None:
    catalog = ServiceCatalog(
        (
            ServiceDef("payments", critical=True, match={"service": "payments"}),
            ServiceDef("dns", critical=True, match={}),  # nothing maps to it
            ServiceDef("login", critical=True, match={}),
            ServiceDef("wiki", critical=False, match={}),
        )
    )
    alerts = [
        AlertSeen("payments", "am", silenced=True),
        AlertSeen("payments", "am", silenced=True),
        AlertSeen("login", "gone", silenced=False),  # its source is no longer configured
        AlertSeen("wiki", "am", silenced=False),
    ]
    m = compute([], {}, alerts, catalog, ["am"], SINCE, UNTIL)
    assert {(g.service, g.kind) for g in m.gaps} == {
        ("payments", "silenced"),
        ("dns", "unmonitored"),
        ("login", "unmonitored"),
    }
    monitored = {s.service: s.monitored for s in m.by_service}
    assert monitored == {"payments": True, "dns": False, "login": False, "wiki": True}
    # no source configured at all: nothing is monitored
    bare = compute([], {}, [], catalog, [], SINCE, UNTIL)
    assert {g.service for g in bare.gaps} == {"payments", "dns", "login"}


def test_an_incident_with_no_service_is_its_own_row() -> None:
    m = compute([incident(1, DetectionSource.CUSTOMER, service=None)], {}, [], CATALOG, ["am"], SINCE, UNTIL)
    rows = {s.service: s for s in m.by_service}
    assert rows[None].customer_reported == 1
    assert rows[None].monitored is False
    assert rows["payments"].incidents == 0
