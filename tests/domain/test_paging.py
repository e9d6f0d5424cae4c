"""On-call schedules and the escalation planner, with `now` as an argument."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.paging import (
    Channel,
    Directory,
    Level,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    check_handoff,
    check_policy_targets,
    check_time_zone,
    due_steps,
    next_step_at,
    on_call,
    plan_pages,
    policy_for,
)
from noc_console.domain.severity import Severity

LONDON = "Europe/London"
WEEKLY = Schedule("primary", LONDON, Rotation.WEEKLY, time(9, 0), ("alice", "bob", "carol"))
DAILY = Schedule("nights", "America/New_York", Rotation.DAILY, time(18, 30), ("dan", "eve"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_weekly_rotation_hands_off_on_monday_at_the_local_time() -> None:
    monday = at("2026-11-23T09:00:00+00:00")  # London is on UTC in November
    before, after = WEEKLY.person_at(monday - timedelta(seconds=1)), WEEKLY.person_at(monday)
    assert before != after
    order = [WEEKLY.person_at(monday + timedelta(weeks=k)) for k in range(4)]
    assert order[3] == order[0] and len(set(order[:3])) == 3  # alice, bob, carol in turn
    now = on_call(WEEKLY, monday + timedelta(days=2))
    assert now.now == after and now.next_at == at("2026-11-30T09:00:00+00:00")
    assert now.next == WEEKLY.person_at(now.next_at)


def test_hand_offs_follow_daylight_saving_time() -> None:
    # London moves to BST on 2026-03-29: the 09:00 hand-off is 09:00 UTC before and 08:00 UTC after.
    assert WEEKLY.shift_start(at("2026-03-25T12:00:00+00:00")) == at("2026-03-23T09:00:00+00:00")
    assert WEEKLY.shift_start(at("2026-04-01T12:00:00+00:00")) == at("2026-03-30T08:00:00+00:00")
    # New York: 18:30 local is 23:30 UTC in winter, 22:30 UTC in summer.
    assert DAILY.next_handoff(at("2026-01-10T12:00:00+00:00")) == at("2026-01-10T23:30:00+00:00")
    assert DAILY.next_handoff(at("2026-07-10T12:00:00+00:00")) == at("2026-07-10T22:30:00+00:00")


def test_a_daily_rotation_before_the_hand_off_is_yesterdays_shift() -> None:
    evening = at("2026-11-27T23:35:00+00:00")  # 18:35 in New York: the new shift
    assert DAILY.person_at(evening) != DAILY.person_at(evening - timedelta(minutes=10))
    assert DAILY.person_at(evening) == DAILY.person_at(evening + timedelta(hours=23))


def test_an_override_wins_while_it_lasts_and_says_who_is_next() -> None:
    start, end = at("2026-11-25T12:00:00+00:00"), at("2026-11-25T20:00:00+00:00")
    schedule = Schedule("primary", LONDON, Rotation.WEEKLY, time(9, 0), ("alice", "bob"),
                        (Override("zoe", start, end),))  # fmt: skip
    regular = schedule.rotation_person(start)
    assert schedule.person_at(start - timedelta(minutes=1)) == regular
    assert on_call(schedule, start - timedelta(minutes=1)) == on_call(schedule, start - timedelta(minutes=1))
    assert on_call(schedule, start - timedelta(minutes=1)).next == "zoe"
    during = on_call(schedule, start + timedelta(hours=1))
    assert (during.now, during.next, during.next_at) == ("zoe", regular, end)


def test_a_rotation_of_one_has_nobody_next() -> None:
    alone = Schedule("solo", LONDON, Rotation.DAILY, time(9, 0), ("alice",))
    assert on_call(alone, at("2026-11-27T10:00:00+00:00")) == on_call(alone, at("2026-11-27T10:00:00+00:00"))
    assert on_call(alone, at("2026-11-27T10:00:00+00:00")).next is None


T0 = at("2026-11-27T10:00:00+00:00")
TWO_LEVELS = Policy(
    "payments-critical",
    (
        Level(("schedule:primary",), (Channel.SMS, Channel.VOICE), timedelta(minutes=10)),
        Level(("pd",), (Channel.PAGERDUTY,), timedelta(minutes=5)),
    ),
    repeat=1,
    services=("payments",),
    severities=(Severity.CRITICAL,),
    auto=True,
)


def test_level_two_is_due_exactly_after_level_ones_wait_and_passes_stop_at_the_count() -> None:
    assert due_steps(TWO_LEVELS, T0, T0) == [Step(T0, 0, 0)]
    just_before = T0 + timedelta(minutes=10) - timedelta(microseconds=1)
    assert [s.level for s in due_steps(TWO_LEVELS, T0, just_before)] == [0]
    assert due_steps(TWO_LEVELS, T0, T0 + timedelta(minutes=10))[-1] == Step(T0 + timedelta(minutes=10), 0, 1)
    second_pass = T0 + timedelta(minutes=15)
    assert due_steps(TWO_LEVELS, T0, second_pass)[-1] == Step(second_pass, 1, 0)
    everything = due_steps(TWO_LEVELS, T0, T0 + timedelta(days=1))
    assert [(s.pass_, s.level) for s in everything] == [(0, 0), (0, 1), (1, 0), (1, 1)]  # then it stops
    assert next_step_at(TWO_LEVELS, T0, T0) == T0 + timedelta(minutes=10)
    assert next_step_at(TWO_LEVELS, T0, T0 + timedelta(days=1)) is None


def test_the_steps_due_are_the_same_whenever_they_are_asked() -> None:
    """A restart mid-policy asks again: the answer only grows with time, never skips or repeats."""
    seen: list[Step] = []
    for minute in range(0, 40):
        steps = due_steps(TWO_LEVELS, T0, T0 + timedelta(minutes=minute))
        assert steps[: len(seen)] == seen
        seen = steps
    assert len(seen) == 4


def incident(service: str, severity: Severity) -> Incident:
    return Incident(1, "x", severity, IncidentStatus.OPEN, service, DetectionSource.MONITORING, "am", T0, T0)


def test_the_most_specific_policy_applies() -> None:
    anything = Policy("default", TWO_LEVELS.levels)
    by_severity = Policy("criticals", TWO_LEVELS.levels, severities=(Severity.CRITICAL,))
    policies = [anything, by_severity, TWO_LEVELS]
    assert policy_for(policies, incident("payments", Severity.CRITICAL)) is TWO_LEVELS
    assert policy_for(policies, incident("dns", Severity.CRITICAL)) is by_severity
    assert policy_for(policies, incident("dns", Severity.MINOR)) is anything
    assert policy_for(policies, incident("dns", Severity.MINOR), auto_only=True) is None


PEOPLE = {
    "alice": Person("alice", phone="+447911123456", email="alice@example.com"),
    "bob": Person("bob", phone=None, email="bob@example.com"),
}
SCHEDULE = Schedule("primary", LONDON, Rotation.DAILY, time(9, 0), ("alice", "bob"))
DIRECTORY = Directory(
    PEOPLE,
    {"primary": SCHEDULE},
    {"twilio": frozenset({Channel.SMS, Channel.VOICE}), "pd": frozenset({Channel.PAGERDUTY})},
)


def test_the_pages_of_a_step_resolve_schedules_to_people_and_keep_one_key_each() -> None:
    assert SCHEDULE.person_at(T0) == "bob"  # shifts count from a fixed Monday: the same on every machine
    pages = plan_pages(7, TWO_LEVELS, Step(T0, 0, 0), DIRECTORY, T0)
    assert [(p.channel, p.person) for p in pages] == [(Channel.SMS, "bob"), (Channel.VOICE, "bob")]
    assert [p.key for p in pages] == ["esc7:L1:schedule:primary:sms:P0", "esc7:L1:schedule:primary:voice:P0"]
    assert [p.problem for p in pages] == ["bob has no sms address", "bob has no voice address"]
    tomorrow = T0 + timedelta(days=1)
    pages = plan_pages(7, TWO_LEVELS, Step(tomorrow, 0, 0), DIRECTORY, tomorrow)
    assert [(p.person, p.address, p.provider, p.problem) for p in pages] == [
        ("alice", "+447911123456", "twilio", None)
    ] * 2
    (pd,) = plan_pages(7, TWO_LEVELS, Step(T0, 1, 1), DIRECTORY, T0)
    assert (pd.provider, pd.key, pd.problem) == ("pd", "esc7:L2:pd:pagerduty:P1", None)


def test_a_page_that_cannot_go_out_says_why() -> None:
    policy = Policy("p", (Level(("carol", "schedule:none"), (Channel.EMAIL,), timedelta(minutes=5)),))
    pages = plan_pages(1, policy, Step(T0, 0, 0), DIRECTORY, T0)
    assert [p.problem for p in pages] == ["no person 'carol'", "no schedule 'none'"]


def test_targets_and_settings_are_checked_at_entry() -> None:
    bad = Policy("p", (Level(("alicia",), (Channel.SMS,), timedelta(minutes=5)),))
    with pytest.raises(InvalidInput) as refused:
        check_policy_targets("policies[0]", bad, list(PEOPLE), ["primary"], DIRECTORY.providers)
    assert refused.value.field == "policies[0].levels[0].targets" and "'alicia'" in str(refused.value)
    check_policy_targets("policies[0]", TWO_LEVELS, list(PEOPLE), ["primary"], DIRECTORY.providers)
    with pytest.raises(InvalidInput, match="not a time zone"):
        check_time_zone("schedules[0].time_zone", "Mars/Olympus")
    with pytest.raises(InvalidInput, match="HH:MM"):
        check_handoff("schedules[0].handoff", "25:00")
