from datetime import UTC, datetime, timedelta

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
from noc_console.domain.sla import ack_remaining

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
