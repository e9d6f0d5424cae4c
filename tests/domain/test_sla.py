from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from noc_console.domain import (
    DetectionSource,
    Incident,
    IncidentStatus,
    Severity,
    SlaPolicy,
    due_times,
    format_countdown,
    remaining,
)
from noc_console.domain.sla import (
    ClockKind,
    ClockState,
    ack_remaining,
    breached_clocks,
    running_clocks,
    state_changes,
    urgency_key,
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def incident(**changes: object) -> Incident:
    base = {
        "id": 1,
        "title": "Payments down",
        "severity": Severity.CRITICAL,
        "status": IncidentStatus.OPEN,
        "service": "payments",
        "detected_by": DetectionSource.MONITORING,
        "source": "am",
        "opened_at": T0 + timedelta(seconds=30),
        "detected_at": T0,
    }
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def test_default_policy_due_times_start_at_detection() -> None:
    clock = due_times(incident(), SlaPolicy())
    assert clock.ack_due_at == T0 + timedelta(minutes=5)
    assert clock.assessment_due_at == T0 + timedelta(minutes=15)
    assert clock.next_customer_update_due_at == T0 + timedelta(minutes=30)
    assert clock.postmortem_due_at is None
    assert clock.exec_report_due_at is None


def test_customer_update_counts_from_the_last_update() -> None:
    last = T0 + timedelta(minutes=40)
    clock = due_times(
        incident(last_customer_update_at=last), SlaPolicy(customer_update=timedelta(minutes=15))
    )
    assert clock.next_customer_update_due_at == last + timedelta(minutes=15)


def test_resolved_incident_has_report_deadlines_and_no_update_due() -> None:
    resolved = T0 + timedelta(hours=2)
    clock = due_times(incident(status=IncidentStatus.RESOLVED, resolved_at=resolved), SlaPolicy())
    assert clock.next_customer_update_due_at is None
    assert clock.postmortem_due_at == resolved + timedelta(hours=48)
    assert clock.exec_report_due_at == resolved + timedelta(hours=72)


def test_ack_remaining_counts_down_and_stops_once_acknowledged() -> None:
    policy = SlaPolicy()
    assert ack_remaining(incident(), policy, T0 + timedelta(minutes=1)) == timedelta(minutes=4)
    assert ack_remaining(incident(), policy, T0 + timedelta(minutes=6)) == timedelta(minutes=-1)
    acked = incident(status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=T0)
    assert ack_remaining(acked, policy, T0 + timedelta(minutes=6)) is None


def test_remaining_and_countdown_format() -> None:
    assert remaining(None, T0) is None
    assert format_countdown(timedelta(minutes=4, seconds=5)) == "4:05"
    assert format_countdown(timedelta(seconds=-80)) == "+1:20"
    assert format_countdown(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"
    assert format_countdown(timedelta(0)) == "0:00"


def test_policy_rejects_non_positive_durations() -> None:
    with pytest.raises(ValueError, match=r"sla\.ack"):
        SlaPolicy(ack=timedelta(0))


# --- every clock ---------------------------------------------------------------------------------------

M = timedelta(minutes=1)


def kinds(i: Incident, policy: SlaPolicy | None = None) -> list[ClockKind]:
    return [c.kind for c in running_clocks(i, policy or SlaPolicy())]


def test_which_clocks_run_when() -> None:
    assert kinds(incident()) == [ClockKind.ACK, ClockKind.ASSESSMENT, ClockKind.CUSTOMER_UPDATE]
    minor = incident(severity=Severity.MINOR)
    assert kinds(minor) == [ClockKind.ACK, ClockKind.ASSESSMENT]  # no customer involved, not loud
    assert kinds(incident(severity=Severity.MINOR, call_count=1))[-1] is ClockKind.CUSTOMER_UPDATE
    assert ClockKind.CUSTOMER_UPDATE in kinds(
        incident(severity=Severity.INFO, detected_by=DetectionSource.CUSTOMER)
    )
    acked = incident(status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=T0 + M)
    assert kinds(acked) == [ClockKind.ASSESSMENT, ClockKind.CUSTOMER_UPDATE]
    assessed = incident(status=IncidentStatus.ACKNOWLEDGED, assessed_at=T0 + 3 * M)
    assert kinds(assessed) == [ClockKind.CUSTOMER_UPDATE]


def test_reports_are_due_after_a_loud_or_customer_detected_resolution_unless_false_positive() -> None:
    resolved = T0 + timedelta(hours=1)
    done = {"status": IncidentStatus.RESOLVED, "resolved_at": resolved}
    clocks = running_clocks(incident(**done), SlaPolicy())
    assert [(c.kind, c.due_at) for c in clocks] == [
        (ClockKind.POSTMORTEM, resolved + timedelta(hours=48)),
        (ClockKind.EXEC_REPORT, resolved + timedelta(hours=72)),
    ]
    assert kinds(incident(severity=Severity.MINOR, **done)) == []
    customer = incident(severity=Severity.MINOR, detected_by=DetectionSource.CUSTOMER, **done)
    assert kinds(customer) == [ClockKind.POSTMORTEM, ClockKind.EXEC_REPORT]
    assert kinds(incident(false_positive=True, **done)) == []
    assert kinds(incident(postmortem_done_at=resolved + M, **done)) == [ClockKind.EXEC_REPORT]


def test_a_clock_is_amber_in_its_last_third_and_red_when_breached() -> None:
    (ack, *_rest) = running_clocks(incident(), SlaPolicy())
    assert ack.kind is ClockKind.ACK and ack.warning_at == T0 + timedelta(minutes=5) * 2 / 3
    assert ack.state(T0 + timedelta(minutes=3, seconds=19)) is ClockState.OK
    assert ack.state(T0 + timedelta(minutes=3, seconds=20)) is ClockState.WARNING
    assert ack.state(T0 + timedelta(minutes=5)) is ClockState.BREACHED
    assert [c.kind for c in breached_clocks(incident(), SlaPolicy(), T0 + timedelta(minutes=16))] == [
        ClockKind.ACK,
        ClockKind.ASSESSMENT,
    ]


def test_the_update_clock_restarts_from_the_last_update() -> None:
    later = T0 + timedelta(minutes=25)
    (update,) = [c for c in running_clocks(incident(last_customer_update_at=later), SlaPolicy())
                 if c.kind is ClockKind.CUSTOMER_UPDATE]  # fmt: skip
    assert update.started_at == later and update.due_at == later + timedelta(minutes=30)


def test_deadlines_are_absolute_across_dst_and_a_jump_after_sleep() -> None:
    """Detected two minutes before the clocks go forward in London: nothing moves but the display."""
    detected = datetime(2026, 3, 29, 0, 58, tzinfo=UTC)  # 00:58 GMT; at 01:00 UTC it is 02:00 BST
    i = incident(detected_at=detected, opened_at=detected)
    (ack, *_rest) = running_clocks(i, SlaPolicy())
    assert ack.due_at == datetime(2026, 3, 29, 1, 3, tzinfo=UTC)
    assert ack.remaining(detected + M) == timedelta(minutes=4)  # the wall clock jumped an hour; we did not
    london = ZoneInfo("Europe/London")
    assert f"{ack.due_at.astimezone(london):%H:%M %Z}" == "02:03 BST"
    assert f"{detected.astimezone(london):%H:%M %Z}" == "00:58 GMT"
    woke = detected + timedelta(hours=2)  # the screen slept two hours: breached, by exactly this much
    assert ack.state(woke) is ClockState.BREACHED and format_countdown(ack.remaining(woke)) == "+1:55:00"


def test_urgency_orders_breached_first_then_severity_then_the_next_deadline() -> None:
    policy, now = SlaPolicy(), T0 + timedelta(minutes=6)
    breached_minor = incident(id=1, severity=Severity.MINOR)
    fresh_critical = incident(id=2, detected_at=now, opened_at=now)
    later_critical = incident(id=3, detected_at=now + M, opened_at=now + M)
    fresh_major = incident(id=4, severity=Severity.MAJOR, detected_at=now, opened_at=now)
    ordered = sorted([fresh_major, later_critical, fresh_critical, breached_minor],
                     key=lambda i: urgency_key(i, policy, now))  # fmt: skip
    assert [i.id for i in ordered] == [1, 2, 3, 4]


def test_state_changes_are_the_amber_and_red_instants() -> None:
    changes = state_changes(incident(severity=Severity.MINOR), SlaPolicy())
    assert changes == (
        T0 + timedelta(minutes=5) * 2 / 3,
        T0 + timedelta(minutes=5),
        T0 + timedelta(minutes=10),
        T0 + timedelta(minutes=15),
    )
