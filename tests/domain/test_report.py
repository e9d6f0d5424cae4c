"""The executive report's builder: every number worked out by hand from the times below."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from noc_console.domain.calls import Call
from noc_console.domain.incidents import (
    BusinessImpact,
    DetectionSource,
    Incident,
    IncidentStatus,
    TimelineEntry,
)
from noc_console.domain.report import (
    HEADINGS,
    NOT_RECORDED,
    PageSent,
    PreventiveMeasure,
    RecordedBreach,
    Report,
    ReportInputs,
    Verdict,
    build_report,
    customers_affected,
    format_duration,
    key_entries,
)
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockKind, SlaPolicy

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def incident(**changes: object) -> Incident:
    """Payments: impact from 11:56, seen by monitoring at 12:00, first call 12:06, acknowledged 12:03:20,
    assessed 12:20 (1,200 users), resolved 13:30."""
    base: dict[str, object] = {
        "id": 7,
        "title": "Card payments failing",
        "severity": Severity.CRITICAL,
        "status": IncidentStatus.RESOLVED,
        "service": "payments",
        "detected_by": DetectionSource.MONITORING,
        "source": "prod-am",
        "opened_at": T0,
        "detected_at": T0,
        "impact_started_at": T0 - 4 * MIN,
        "monitoring_detected_at": T0,
        "first_call_at": T0 + 6 * MIN,
        "acknowledged_at": T0 + timedelta(minutes=3, seconds=20),
        "acknowledged_by": "alice",
        "assessed_at": T0 + 20 * MIN,
        "users_affected": 1200,
        "services_affected": "payments, checkout",
        "business_impact": BusinessImpact.DOWN,
        "resolved_at": T0 + 90 * MIN,
        "resolved_by": "bob",
        "call_count": 3,
    }
    base.update(changes)
    return Incident(**base)  # type: ignore[arg-type]


def call(n: int, organisation: str | None, received: datetime, acked: datetime | None) -> Call:
    return Call(
        id=f"00000000-0000-4000-8000-00000000000{n}",
        incident_id=7,
        received_at=received,
        logged_at=received,
        taken_by="desk",
        caller=f"caller {n}",
        organisation=organisation,
        phone="+447700900123",
        callback="phone",
        service="payments",
        summary="cannot pay",
        started_at=None,
        users_affected=None,
        impact=None,
        attached=True,
        customer_ack_due_at=received + 5 * MIN,
        customer_acked_at=acked,
        customer_acked_by="desk" if acked else None,
    )


CALLS = [
    call(1, "Acme Ltd", T0 + 6 * MIN, T0 + 8 * MIN),
    call(2, "Pereira Bakeries", T0 + 9 * MIN, T0 + 10 * MIN),
    call(3, "acme ltd ", T0 + 12 * MIN, T0 + 13 * MIN),
]
UPDATES = [
    TimelineEntry(T0 + 25 * MIN, "customer_update", "bob", "Customer update (email): working on it"),
    TimelineEntry(T0 + 50 * MIN, "customer_update", "bob", "Customer update (email): fix deploying"),
]


def report(
    subject: Incident | None = None,
    *,
    timeline: list[TimelineEntry] | None = None,
    calls: list[Call] | None = None,
    pages: list[PageSent] | None = None,
    breaches: list[RecordedBreach] | None = None,
    inputs: ReportInputs | None = None,
    now: datetime = T0 + 24 * 60 * MIN,
) -> Report:
    return build_report(
        subject or incident(),
        timeline=UPDATES if timeline is None else timeline,
        calls=CALLS if calls is None else calls,
        pages=pages or [],
        breaches=breaches or [],
        policy=SlaPolicy(),
        inputs=inputs or ReportInputs(),
        now=now,
    )


def facts(built: Report, heading: str) -> dict[str, str]:
    return dict(built.section(heading).facts)


def test_every_section_in_order() -> None:
    assert tuple(s.heading for s in report().sections) == HEADINGS


def test_summary_says_what_and_who_detected_it() -> None:
    shown = facts(report(), "Summary")
    assert shown["Title"] == "Card payments failing"
    assert (shown["Severity"], shown["Service"], shown["Status"]) == ("critical", "payments", "resolved")
    assert shown["Detected by"] == "our monitoring (prod-am)"
    assert shown["Acknowledged"] == "2026-11-27 12:03:20 UTC by alice"


def test_impact_duration_runs_from_impact_start_to_resolution() -> None:
    shown = facts(report(), "Quantified impact")
    # 11:56 to 13:30
    assert shown["Duration"] == "1 h 34 min (from impact start to resolution)"
    assert shown["Users affected"] == "1,200"
    assert shown["Services affected"] == "payments, checkout"
    assert shown["Business impact"] == "down"
    # Acme Ltd twice (spelt two ways) and Pereira Bakeries
    assert shown["Customers affected"] == "3 calls from 2 organisations"


def test_impact_without_a_known_start_counts_from_detection_and_an_open_one_so_far() -> None:
    still_open = incident(
        impact_started_at=None, status=IncidentStatus.ACKNOWLEDGED, resolved_at=None, resolved_by=None
    )
    shown = facts(report(still_open, now=T0 + 42 * MIN), "Quantified impact")
    assert shown["Duration"] == (
        "42 min so far, still acknowledged (from detection (the impact's start is not known))"
    )


def test_customers_affected_counts_calls_without_an_organisation() -> None:
    assert customers_affected([]) == "no customer called"
    one = [call(1, None, T0, None)]
    assert customers_affected(one) == "1 call from 0 organisations (1 call without an organisation)"
    assert customers_affected([*CALLS, call(4, None, T0, None)]) == (
        "4 calls from 2 organisations (1 call without an organisation)"
    )


def test_detection_monitoring_ahead_of_the_first_caller() -> None:
    section = report().section("Detection")
    assert section.paragraphs == ("Our monitoring was 6 min ahead of the first caller.",)
    shown = dict(section.facts)
    assert shown["Time to detect"] == "4 min after the impact began"
    assert shown["First customer call"] == "2026-11-27 12:06:00 UTC"


def test_detection_monitoring_behind_a_customer() -> None:
    late = incident(
        detected_by=DetectionSource.CUSTOMER,
        source=None,
        first_call_at=T0,
        monitoring_detected_at=T0 + 7 * MIN,
    )
    section = report(late).section("Detection")
    assert section.paragraphs == ("Our monitoring detected it 7 min after the first caller.",)
    assert dict(section.facts)["Detected first by"] == "a customer"


def test_detection_that_monitoring_never_saw() -> None:
    unseen = incident(detected_by=DetectionSource.CUSTOMER, monitoring_detected_at=None, source=None)
    assert report(unseen).section("Detection").paragraphs == (
        "A customer found it: our monitoring never detected it.",
    )


def test_sla_acknowledge_met_assessment_breached_updates_breached() -> None:
    built = report()
    shown = facts(built, "SLA clocks")
    assert shown["Acknowledge"] == "MET: acknowledged 3 min 20 s after detection (target 5 min)"
    assert shown["Assessment"] == "BREACHED: assessed 20 min after detection (target 15 min)"
    # updates at 12:25 and 12:50, resolved 13:30: gaps 25, 25 and 40 min against 30
    assert shown["Customer update"] == (
        "BREACHED: 2 updates sent, 1 deadline missed, longest gap 40 min (due every 30 min)"
    )
    assert shown["Caller acknowledge"] == "MET: 3 of 3 callers acknowledged within 5 min"
    assert built.section("SLA clocks").paragraphs == ("2 SLA clocks breached.",)


def test_sla_all_met() -> None:
    on_time = [
        *UPDATES,
        TimelineEntry(T0 + 75 * MIN, "customer_update", "bob", "Customer update (email): resolved soon"),
    ]
    built = report(incident(assessed_at=T0 + 15 * MIN), timeline=on_time)
    shown = facts(built, "SLA clocks")
    assert shown["Assessment"] == "MET: assessed 15 min after detection (target 15 min)"
    assert shown["Customer update"] == "MET: 3 updates sent, longest gap 25 min (due every 30 min)"
    assert built.section("SLA clocks").paragraphs == ("Every SLA clock was met.",)


def test_a_recorded_breach_counts_even_when_the_times_look_met() -> None:
    breach = RecordedBreach(ClockKind.ACK, T0 + 5 * MIN, T0 + 5 * MIN + timedelta(seconds=2))
    built = report(breaches=[breach])
    shown = facts(built, "SLA clocks")
    assert shown["Acknowledge"] == (
        "BREACHED: acknowledged 3 min 20 s after detection (target 5 min) (breach recorded)"
    )
    table = built.section("SLA clocks").table
    assert table is not None
    assert table.rows == (("Acknowledge", "2026-11-27 12:05:00 UTC", "2026-11-27 12:05:02 UTC"),)


def test_sla_of_an_open_incident_runs_then_breaches() -> None:
    fresh = incident(
        status=IncidentStatus.OPEN, acknowledged_at=None, acknowledged_by=None, assessed_at=None,
        resolved_at=None, resolved_by=None, first_call_at=None, call_count=0,
    )  # fmt: skip
    early = report(fresh, calls=[], timeline=[], now=T0 + 2 * MIN)
    assert facts(early, "SLA clocks")["Acknowledge"].startswith("RUNNING: not acknowledged yet, 2 min")
    late = report(fresh, calls=[], timeline=[], now=T0 + 10 * MIN)
    assert facts(late, "SLA clocks")["Acknowledge"].startswith("BREACHED: not acknowledged yet, 10 min")


def test_a_caller_acknowledged_late_breaches_the_caller_clock() -> None:
    slow = [call(1, "Acme Ltd", T0 + 6 * MIN, T0 + 12 * MIN), *CALLS[1:]]
    assert facts(report(calls=slow), "SLA clocks")["Caller acknowledge"] == (
        "BREACHED: 2 of 3 callers acknowledged within 5 min; 1 late or never"
    )


def test_updates_not_owed_for_a_quiet_incident_without_customers() -> None:
    quiet = incident(severity=Severity.MINOR, first_call_at=None, call_count=0)
    shown = facts(report(quiet, calls=[], timeline=[]), "SLA clocks")
    assert shown["Customer update"].startswith("NOT REQUIRED")
    assert "Caller acknowledge" not in shown


def test_missing_inputs_say_not_recorded_yet() -> None:
    built = report()
    for heading in ("Root cause", "Corrective actions", "Preventive measures", "Service credit"):
        section = built.section(heading)
        assert section.paragraphs == (NOT_RECORDED,), heading
        assert section.table is None


def test_missing_assessment_says_so() -> None:
    unassessed = incident(users_affected=None, services_affected=None, business_impact=None)
    shown = facts(report(unassessed), "Quantified impact")
    assert shown["Users affected"] == "not assessed"
    assert shown["Services affected"] == "not assessed (the incident's service: payments)"


def test_inputs_fill_their_sections() -> None:
    inputs = ReportInputs(
        root_cause="A certificate expired on the gateway.\n\nIts renewal job had failed silently.",
        corrective_actions=("Renewed the certificate", "  "),
        preventive_measures=(
            PreventiveMeasure("Alert 30 days before expiry", "carol", date(2026, 12, 15)),
            PreventiveMeasure("Monitor the renewal job"),
        ),
        service_credit="10 % of November's fee for affected customers",
    )
    built = report(inputs=inputs)
    assert built.section("Root cause").paragraphs == (
        "A certificate expired on the gateway.",
        "Its renewal job had failed silently.",
    )
    actions = built.section("Corrective actions").table
    assert actions is not None and actions.rows == (("1", "Renewed the certificate"),)
    measures = built.section("Preventive measures").table
    assert measures is not None
    assert measures.rows == (
        ("Alert 30 days before expiry", "carol", "2026-12-15"),
        ("Monitor the renewal job", "no owner yet", "no date yet"),
    )
    assert built.section("Service credit").paragraphs == ("10 % of November's fee for affected customers",)


def test_timeline_keeps_key_entries_and_pages_are_listed() -> None:
    entries = [
        TimelineEntry(T0, "opened", "system", "Opened"),
        TimelineEntry(T0, "alert_fired", "system", "first"),
        TimelineEntry(T0 + MIN, "alert_fired", "system", "second"),
        TimelineEntry(T0 + MIN, "page", "system", "paged alice"),
        TimelineEntry(T0 + 2 * MIN, "ack", "alice", "Acknowledged"),
    ]
    assert [e.text for e in key_entries(entries)] == ["Opened", "first", "Acknowledged"]
    page = PageSent(T0 + MIN, "trigger", "alice", "sms", "twilio", "sent", "delivered")
    built = report(timeline=entries, pages=[page])
    table = built.section("Pages sent").table
    assert table is not None
    assert table.rows == (
        ("2026-11-27 12:01:00 UTC", "trigger", "alice", "sms via twilio", "sent, delivered"),
    )
    assert report(pages=[]).section("Pages sent").paragraphs == ("Nobody was paged.",)


def test_format_duration() -> None:
    assert format_duration(timedelta(seconds=45)) == "45 s"
    assert format_duration(timedelta(minutes=12)) == "12 min"
    assert format_duration(timedelta(minutes=3, seconds=20)) == "3 min 20 s"
    assert format_duration(timedelta(hours=1, minutes=34, seconds=59)) == "1 h 34 min"
    assert format_duration(timedelta(days=2, hours=3)) == "2 d 3 h 0 min"


def test_verdict_values_are_what_the_report_prints() -> None:
    assert [v.value for v in Verdict] == ["met", "breached", "running", "not required"]
