"""Post-mortem rules with hand-made incidents: who owes one, the draft, the checks, the early warnings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from noc_console.domain import postmortem as pmd
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus, TimelineEntry
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.report import PreventiveMeasure
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)


def incident(**kw: object) -> Incident:
    values: dict[str, object] = {
        "id": 7,
        "title": "Payments down",
        "severity": Severity.MAJOR,
        "status": IncidentStatus.RESOLVED,
        "service": "payments",
        "detected_by": DetectionSource.MONITORING,
        "source": "am",
        "opened_at": T0,
        "detected_at": T0,
        "resolved_at": T0 + timedelta(hours=2),
        "impact_started_at": T0 - timedelta(minutes=4),
        "monitoring_detected_at": T0,
    }
    values.update(kw)
    return Incident(**values)  # type: ignore[arg-type]


def finished_ready(**kw: object) -> pmd.PostMortem:
    values: dict[str, object] = {
        "incident_id": 7,
        "summary": "Card payments failed for 2 hours.",
        "timeline": (pmd.TimelineLine(T0, "alert fired"),),
        "root_cause": "A certificate expired.",
        "contributing_factors": "No expiry check.",
        "action_items": (pmd.ActionItem("Add expiry checks", "ops", TODAY + timedelta(days=7)),),
        "follow_up_on": TODAY + timedelta(days=21),
    }
    values.update(kw)
    return pmd.PostMortem(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "owed"),
    [
        ({}, True),
        ({"severity": Severity.CRITICAL}, True),
        ({"severity": Severity.MINOR}, False),
        ({"severity": Severity.MINOR, "detected_by": DetectionSource.CUSTOMER}, True),
        ({"false_positive": True}, False),
        ({"status": IncidentStatus.ACKNOWLEDGED, "resolved_at": None}, False),
    ],
)
def test_who_owes_a_postmortem(kw: dict[str, object], owed: bool) -> None:
    i = incident(**kw)
    assert pmd.owes_postmortem(i) is owed
    policy = SlaPolicy()
    assert pmd.due_at(i, policy) == (T0 + timedelta(hours=50) if owed else None)


def test_the_draft_is_made_from_the_incident() -> None:
    i = incident(users_affected=1200, services_affected="payments, checkout")
    timeline = [
        TimelineEntry(T0, "alert_fired", "am", "PaymentsDown fired"),
        TimelineEntry(T0 + timedelta(minutes=1), "alert_fired", "am", "second alert"),  # left out
        TimelineEntry(T0 + timedelta(minutes=2), "ack", "ana", "Acknowledged by ana"),
        TimelineEntry(T0 + timedelta(minutes=3), "page", "system", "paged"),  # left out
    ]
    pm = pmd.draft(i, timeline, TODAY)
    assert [line.text for line in pm.timeline] == [
        "alert fired: PaymentsDown fired (am)",
        "ack: Acknowledged by ana (ana)",
    ]
    assert pm.users_affected == 1200 and pm.services == "payments, checkout"
    assert pm.follow_up_on == TODAY + timedelta(weeks=3)
    assert pm.status is pmd.PostMortemStatus.DRAFT and pm.version == 0


def test_bad_input_names_its_field() -> None:
    with pytest.raises(InvalidInput, match=r"^action item 1: owner"):
        pmd.checked(finished_ready(action_items=(pmd.ActionItem("x", "  ", TODAY),)))
    with pytest.raises(InvalidInput, match=r"^root cause: at most"):
        pmd.checked(finished_ready(root_cause="x" * (pmd.MAX_TEXT + 1)))
    with pytest.raises(InvalidInput, match=r"^timeline line 1"):
        pmd.checked(finished_ready(timeline=(pmd.TimelineLine(T0, ""),)))
    with pytest.raises(InvalidInput, match=r"^users affected"):
        pmd.checked(finished_ready(users_affected=-1))
    with pytest.raises(InvalidInput, match=r"^action item 1: status"):
        pmd.checked(finished_ready(action_items=(pmd.ActionItem("x", "ops", TODAY, "later"),)))  # type: ignore[arg-type]
    cleaned = pmd.checked(finished_ready(summary="  spaced  ", service_credit="   "))
    assert cleaned.summary == "spaced" and cleaned.service_credit is None


def test_what_must_be_written_before_finishing() -> None:
    assert pmd.problems_to_finish(finished_ready(), incident(), TODAY) == []
    empty = pmd.PostMortem(incident_id=7)
    fields = [p.field for p in pmd.problems_to_finish(empty, incident(), TODAY)]
    assert fields == [
        "summary",
        "timeline",
        "root cause",
        "contributing factors",
        "action items",
        "follow-up date",
    ]
    # a customer told us first: "why didn't we detect it?" is required
    by_customer = incident(
        detected_by=DetectionSource.CUSTOMER, monitoring_detected_at=None, first_call_at=T0
    )
    assert [p.field for p in pmd.problems_to_finish(finished_ready(), by_customer, TODAY)] == [
        "why monitoring did not detect it"
    ]
    assert (
        pmd.problems_to_finish(
            finished_ready(why_not_detected="No check on cert expiry."), by_customer, TODAY
        )
        == []
    )
    # the earlier of monitoring and the first call wins, whatever detected_by says
    race_lost = incident(monitoring_detected_at=T0 + timedelta(minutes=5), first_call_at=T0)
    assert pmd.detected_by_customer(race_lost)


@pytest.mark.parametrize(("days", "ok"), [(13, False), (14, True), (28, True), (29, False)])
def test_the_follow_up_is_two_to_four_weeks_out(days: int, ok: bool) -> None:
    problems = pmd.problems_to_finish(
        finished_ready(follow_up_on=TODAY + timedelta(days=days)), incident(), TODAY
    )
    assert (problems == []) is ok
    if not ok:
        assert problems[0].field == "follow-up date" and "2026-12-05 to 2026-12-19" in problems[0].problem


def test_overdue_items_and_the_follow_up_reminder() -> None:
    items = (
        pmd.ActionItem("late", "ops", TODAY - timedelta(days=1)),
        pmd.ActionItem("due today", "ops", TODAY),
        pmd.ActionItem("late but done", "ops", TODAY - timedelta(days=3), pmd.ItemStatus.DONE),
        pmd.ActionItem("late but dropped", "ops", TODAY - timedelta(days=3), pmd.ItemStatus.DROPPED),
    )
    pm = finished_ready(action_items=items, status=pmd.PostMortemStatus.FINISHED, follow_up_on=TODAY)
    assert [i.what for i in pmd.overdue_items(pm, TODAY)] == ["late"]
    assert pmd.follow_up_due(pm, TODAY)
    assert not pmd.follow_up_due(pm, TODAY - timedelta(days=1))
    assert not pmd.follow_up_due(finished_ready(follow_up_on=TODAY), TODAY)  # a draft reminds of nothing
    held = finished_ready(status=pmd.PostMortemStatus.FINISHED, follow_up_on=TODAY, follow_up_done_at=T0)
    assert not pmd.follow_up_due(held, TODAY)
    line = pmd.owed_line(incident(), pm, SlaPolicy(), TODAY)
    assert line is not None and line.overdue_items == 1 and line.follow_up_due
    assert pmd.needs_attention(line, T0, TODAY)


def test_blameless_hints() -> None:
    text = "Human error: the operator should have checked. Human error again; nobody to blame."
    assert pmd.blame_hints(text) == ["human error", "should have", "to blame"]
    assert pmd.blame_hints("The expiry check was missing from the runbook.") == []


def _warning(minutes_before: float, service: str | None = "payments", **kw: object) -> pmd.EarlyWarning:
    values: dict[str, object] = {
        "source": "am",
        "name": "CertExpiringSoon",
        "severity": "info",
        "service": service,
        "starts_at": T0 - timedelta(minutes=4) - timedelta(minutes=minutes_before),
        "state": "resolved",
        "silenced": False,
        "summary": "",
        "incident_id": None,
    }
    values.update(kw)
    return pmd.EarlyWarning(**values)  # type: ignore[arg-type]


def test_early_warnings_are_the_24_hours_before_impact_on_affected_services() -> None:
    i = incident(services_affected="Checkout; payments")
    start = pmd.impact_start_of(i)
    assert start == T0 - timedelta(minutes=4)
    # a caller who says it started earlier moves the impact's start
    assert pmd.impact_start_of(i, T0 - timedelta(hours=1)) == T0 - timedelta(hours=1)
    services = pmd.affected_services(i, None)
    assert services == ["payments", "Checkout"]
    candidates = [
        _warning(24 * 60),  # exactly 24 h before: in
        _warning(24 * 60 + 1),  # just outside
        _warning(0),  # at impact start: the incident itself, out
        _warning(30, silenced=True, severity="warning"),
        _warning(60, service="CHECKOUT", state="firing"),
        _warning(10, service="dns"),
        _warning(5, service=None),
    ]
    kept = pmd.early_warnings(candidates, services, start)
    assert [(w.service, w.silenced) for w in kept] == [
        ("payments", False),
        ("CHECKOUT", False),
        ("payments", True),
    ]


def test_the_document_and_the_executive_report_inputs() -> None:
    pm = finished_ready(
        corrective_actions="- Renewed the certificate\n\n• Restarted the gateway",
        service_credit="5 % of November",
        action_items=(
            pmd.ActionItem("Add expiry checks", "ops", TODAY - timedelta(days=1)),
            pmd.ActionItem("Dropped idea", "ops", TODAY, pmd.ItemStatus.DROPPED),
        ),
    )
    doc = pmd.document(pm, incident(), calls=[], warnings=[_warning(30)], now=T0 + timedelta(days=1, hours=5))
    assert tuple(s.heading for s in doc.sections) == pmd.HEADINGS
    items = doc.section("Action items").table
    assert items is not None and items.rows[0][3] == "OVERDUE"
    assert "Not written yet" not in doc.section("Root cause").paragraphs[0]
    assert doc.section("Why didn't our monitoring detect this?").paragraphs == (
        "Our monitoring detected it first.",
    )
    early = doc.section("Early warning signs")
    assert early.table is not None and len(early.table.rows) == 1
    inputs = pmd.report_inputs(pm)
    assert inputs.corrective_actions == ("Renewed the certificate", "Restarted the gateway")
    assert inputs.preventive_measures == (
        PreventiveMeasure("Add expiry checks", "ops", TODAY - timedelta(days=1)),
    )
    assert inputs.root_cause == "A certificate expired." and inputs.service_credit == "5 % of November"


def test_the_walls_postmortem_note() -> None:
    from noc_console.domain.wall import postmortem_note

    policy = SlaPolicy()
    resolved = T0
    assert postmortem_note(0, None, None, policy, T0) == ("", False)
    assert postmortem_note(3, 12, resolved, policy, T0 + timedelta(hours=42, minutes=40)) == (
        "Post-mortems owed: 3 · #12 due in 5 h 20 min",
        False,
    )
    assert postmortem_note(1, 12, resolved, policy, T0 + timedelta(hours=1)) == (
        "Post-mortems owed: 1 · #12 due in 1 d 23 h",
        False,
    )
    assert postmortem_note(3, 12, resolved, policy, T0 + timedelta(hours=50, minutes=5)) == (
        "Post-mortem #12 OVERDUE by 2 h 5 min · 3 owed",
        True,
    )
