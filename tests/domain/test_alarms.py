"""The alarm rules, judged with an injected `now`: which alarm sounds, for how long, and the mute."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from noc_console.domain.alarms import (
    MUTE_MAX,
    STALE_SOUND_FOR,
    Alarm,
    AlarmKind,
    AlarmRules,
    Mute,
    UnacknowledgedIncidents,
    loudest_unacknowledged,
)
from noc_console.domain.health import SourceHealth
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Europe moves its clocks: UTC does not care


def incident(id: int, severity: Severity = Severity.MAJOR, minutes: float = 0, **changes: Any) -> Incident:
    at = T0 + timedelta(minutes=minutes)
    fields: dict[str, Any] = dict(
        id=id,
        title=f"Edge {id} down",
        severity=severity,
        status=IncidentStatus.OPEN,
        service="edge",
        detected_by=DetectionSource.MONITORING,
        source="am",
        opened_at=at,
        detected_at=at,
    )
    fields.update(changes)
    return Incident(**fields)


def health(name: str, ok_at: datetime, failed_at: datetime | None = None) -> SourceHealth:
    """A source polled every 10 s: stale when its last fetch failed or 30 s after its last success."""
    return SourceHealth(
        name=name,
        last_success_at=ok_at,
        last_error="HTTP 500" if failed_at else None,
        last_error_at=failed_at,
        consecutive_failures=1 if failed_at else 0,
        alert_count=0,
        updated_at=failed_at or ok_at,
        interval_s=10,
    )


def fresh(name: str, now: datetime) -> SourceHealth:
    return health(name, ok_at=now)


def failing(name: str, now: datetime) -> SourceHealth:
    return health(name, ok_at=now - timedelta(seconds=20), failed_at=now)


def kind_of(alarm: Alarm | None) -> AlarmKind | None:
    return None if alarm is None else alarm.kind


# --- which incident sounds -----------------------------------------------------------------------


def test_nothing_open_nothing_sounds() -> None:
    assert AlarmRules().decide([], [], None, T0) is None


@pytest.mark.parametrize(
    ("severity", "kind"),
    [
        (Severity.CRITICAL, AlarmKind.CRITICAL),
        (Severity.MAJOR, AlarmKind.MAJOR),
        (Severity.MINOR, AlarmKind.MINOR),
        (Severity.WARNING, AlarmKind.WARNING),
        (Severity.INFO, AlarmKind.INFO),
    ],
)
def test_each_severity_has_its_own_alarm(severity: Severity, kind: AlarmKind) -> None:
    alarm = AlarmRules().decide([incident(7, severity)], [], None, T0)
    assert alarm is not None
    assert (alarm.kind, alarm.incident_id, alarm.title, alarm.unacknowledged) == (kind, 7, "Edge 7 down", 1)


def test_a_customer_detected_incident_is_the_loudest_whatever_its_severity() -> None:
    critical = incident(1, Severity.CRITICAL)
    reported = incident(2, Severity.INFO, minutes=5, detected_by=DetectionSource.CUSTOMER)
    alarm = AlarmRules().decide([critical, reported], [], None, T0)
    assert alarm is not None and (alarm.kind, alarm.incident_id) == (AlarmKind.CUSTOMER, 2)
    assert alarm.unacknowledged == 2


def test_the_loudest_severity_wins_then_the_longest_waiting_then_the_lowest_id() -> None:
    minor = incident(1, Severity.MINOR, minutes=-30)
    critical_new = incident(2, Severity.CRITICAL, minutes=0)
    critical_old = incident(3, Severity.CRITICAL, minutes=-10)
    critical_twin = incident(4, Severity.CRITICAL, minutes=-10)
    best, count = loudest_unacknowledged([minor, critical_new, critical_twin, critical_old])
    assert (best, count) == (critical_old, 4)
    assert loudest_unacknowledged([minor, critical_new])[0] == critical_new
    assert loudest_unacknowledged([])[0] is None


def test_an_unacknowledged_incident_sounds_until_acknowledged_and_no_longer() -> None:
    rules = AlarmRules()
    open_critical = incident(1, Severity.CRITICAL)
    first = rules.decide([open_critical], [], None, T0)
    assert kind_of(first) is AlarmKind.CRITICAL
    # hours later, nobody acknowledged it: it still sounds, as the same decision (no new object)
    for hours in (1, 5, 48):
        assert rules.decide([open_critical], [], None, T0 + timedelta(hours=hours)) is first
    acked = replace(open_critical, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="cli")
    assert rules.decide([acked], [], None, T0 + timedelta(hours=49)) is None


def test_acknowledging_the_loudest_hands_the_alarm_to_the_next() -> None:
    rules = AlarmRules()
    critical = incident(1, Severity.CRITICAL)
    minor = incident(2, Severity.MINOR)
    assert kind_of(rules.decide([critical, minor], [], None, T0)) is AlarmKind.CRITICAL
    acked = replace(critical, status=IncidentStatus.ACKNOWLEDGED)
    alarm = rules.decide([acked, minor], [], None, T0)
    assert alarm is not None and (alarm.kind, alarm.incident_id, alarm.unacknowledged) == (
        AlarmKind.MINOR,
        2,
        1,
    )


def test_a_new_decision_object_only_when_something_shown_changes() -> None:
    rules = AlarmRules()
    one = incident(1, Severity.CRITICAL)
    first = rules.decide([one], [], None, T0)
    more = rules.decide([one, incident(2, Severity.MINOR)], [], None, T0)
    assert more is not first and more is not None and more.unacknowledged == 2
    renamed = rules.decide([replace(one, title="Edge 1 flapping"), incident(2, Severity.MINOR)], [], None, T0)
    assert renamed is not more and renamed is not None and renamed.title == "Edge 1 flapping"


def test_the_kinds_are_ranked_customer_critical_major_stale_minor_warning_info() -> None:
    ranked = sorted(AlarmKind, key=lambda k: k.rank)
    assert ranked == [
        AlarmKind.CUSTOMER,
        AlarmKind.CRITICAL,
        AlarmKind.MAJOR,
        AlarmKind.SOURCE_STALE,
        AlarmKind.MINOR,
        AlarmKind.WARNING,
        AlarmKind.INFO,
    ]


def test_descriptions_name_what_sounds() -> None:
    incident_alarm = Alarm(AlarmKind.CRITICAL, 12, "Checkout 5xx", unacknowledged=3)
    assert incident_alarm.describe() == "CRITICAL #12 Checkout 5xx — 3 unacknowledged"
    customer = Alarm(AlarmKind.CUSTOMER, 4, "VPN down", unacknowledged=1)
    assert customer.describe() == "CUSTOMER-DETECTED #4 VPN down — 1 unacknowledged"
    assert Alarm(AlarmKind.SOURCE_STALE, sources=("am", "icinga")).describe() == "SOURCE STALE: am, icinga"


def test_a_description_keeps_a_hostile_title_to_one_short_line() -> None:
    huge = Alarm(AlarmKind.MAJOR, 5, "x" * 100_000, unacknowledged=1).describe()
    assert huge == "MAJOR #5 " + "x" * 119 + "… — 1 unacknowledged"
    broken = Alarm(AlarmKind.MINOR, 6, "line one\nline two\r\n\tthree  ", unacknowledged=1).describe()
    assert broken == "MINOR #6 line one line two three — 1 unacknowledged"


# --- stale sources -------------------------------------------------------------------------------


def test_a_stale_source_sounds_once_per_time_it_goes_stale() -> None:
    rules = AlarmRules()
    assert rules.decide([], [fresh("am", T0)], None, T0) is None
    went_stale = T0 + timedelta(seconds=10)
    alarm = rules.decide([], [failing("am", went_stale)], None, went_stale)
    assert alarm is not None and (alarm.kind, alarm.sources) == (AlarmKind.SOURCE_STALE, ("am",))
    # it sounds for STALE_SOUND_FOR, then stops although the source stays stale
    still = went_stale + STALE_SOUND_FOR - timedelta(milliseconds=1)
    assert rules.decide([], [failing("am", went_stale)], None, still) is alarm
    after = went_stale + STALE_SOUND_FOR
    for seconds in (0, 1, 60, 3600):
        assert rules.decide([], [failing("am", went_stale)], None, after + timedelta(seconds=seconds)) is None
    # it recovers, then goes stale again: a new episode, heard again
    recovered = after + timedelta(hours=2)
    assert rules.decide([], [fresh("am", recovered)], None, recovered) is None
    again = recovered + timedelta(seconds=10)
    assert kind_of(rules.decide([], [failing("am", again)], None, again)) is AlarmKind.SOURCE_STALE


def test_a_source_goes_stale_by_time_passing_with_nothing_written() -> None:
    rules = AlarmRules()
    silent = health("am", ok_at=T0)  # the poller died: no error, no success, nothing written
    assert rules.decide([], [silent], None, T0 + timedelta(seconds=30)) is None
    assert kind_of(rules.decide([], [silent], None, T0 + timedelta(seconds=31))) is AlarmKind.SOURCE_STALE


def test_sources_stale_together_sound_as_one_alarm() -> None:
    rules = AlarmRules()
    both = [failing("icinga", T0), failing("am", T0)]
    alarm = rules.decide([], both, None, T0)
    assert alarm is not None and alarm.sources == ("am", "icinga")
    assert rules.decide([], both, None, T0 + STALE_SOUND_FOR) is None  # both heard at once


def test_a_stale_alarm_ranks_below_major_and_above_minor() -> None:
    rules = AlarmRules()
    stale = [failing("am", T0)]
    assert kind_of(rules.decide([incident(1, Severity.MAJOR)], stale, None, T0)) is AlarmKind.MAJOR
    alarm = rules.decide([incident(2, Severity.MINOR)], stale, None, T0)
    assert alarm is not None and alarm.kind is AlarmKind.SOURCE_STALE and alarm.unacknowledged == 1
    # heard: then the minor incident's own alarm returns
    later = T0 + STALE_SOUND_FOR
    assert kind_of(rules.decide([incident(2, Severity.MINOR)], stale, None, later)) is AlarmKind.MINOR


def test_a_stale_episode_drowned_by_a_louder_alarm_sounds_once_that_is_acknowledged() -> None:
    rules = AlarmRules()
    critical = incident(1, Severity.CRITICAL)
    stale = [failing("am", T0)]
    assert kind_of(rules.decide([critical], stale, None, T0)) is AlarmKind.CRITICAL
    later = T0 + timedelta(minutes=10)
    acked = replace(critical, status=IncidentStatus.ACKNOWLEDGED)
    assert kind_of(rules.decide([acked], stale, None, later)) is AlarmKind.SOURCE_STALE
    assert rules.decide([acked], stale, None, later + STALE_SOUND_FOR) is None


def test_a_source_that_leaves_the_config_is_forgotten() -> None:
    rules = AlarmRules()
    rules.decide([], [failing("am", T0)], None, T0)
    later = T0 + STALE_SOUND_FOR
    assert rules.decide([], [], None, later) is None
    # configured again and still failing: a new episode
    assert kind_of(rules.decide([], [failing("am", later)], None, later)) is AlarmKind.SOURCE_STALE


# --- mute ----------------------------------------------------------------------------------------


def test_mute_silences_every_alarm_and_ends_by_itself() -> None:
    rules = AlarmRules()
    mute = Mute.for_minutes(15, T0)
    assert mute.until == T0 + timedelta(minutes=15)
    reported = incident(1, Severity.CRITICAL, detected_by=DetectionSource.CUSTOMER)
    assert rules.decide([reported], [], mute, T0) is None
    assert rules.decide([reported], [], mute, mute.until - timedelta(microseconds=1)) is None
    assert mute.active(mute.until - timedelta(microseconds=1))
    assert not mute.active(mute.until)
    assert kind_of(rules.decide([reported], [], mute, mute.until)) is AlarmKind.CUSTOMER


def test_a_stale_episode_that_began_while_muted_sounds_when_the_mute_ends() -> None:
    rules = AlarmRules()
    mute = Mute.for_minutes(5, T0)
    went_stale = T0 + timedelta(minutes=1)
    stale = [failing("am", went_stale)]
    assert rules.decide([], stale, mute, went_stale) is None
    assert rules.decide([], stale, mute, went_stale + timedelta(minutes=2)) is None
    assert kind_of(rules.decide([], stale, mute, mute.until)) is AlarmKind.SOURCE_STALE
    assert rules.decide([], stale, mute, mute.until + STALE_SOUND_FOR) is None


def test_muting_a_stale_alarm_that_sounds_silences_it() -> None:
    rules = AlarmRules()
    stale = [failing("am", T0)]
    assert kind_of(rules.decide([], stale, None, T0)) is AlarmKind.SOURCE_STALE
    mute = Mute.for_minutes(1, T0 + timedelta(seconds=1))
    assert rules.decide([], stale, mute, T0 + timedelta(seconds=2)) is None
    # heard before the mute: it does not come back when the mute ends
    assert rules.decide([], stale, mute, mute.until) is None


@pytest.mark.parametrize("minutes", [1, 5, 15, 30, 60, 2.5])
def test_mute_accepts_one_to_sixty_minutes(minutes: float) -> None:
    assert Mute.for_minutes(minutes, T0).until == T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize("minutes", [0, 0.5, -5, 61, 600, math.nan, math.inf, True, "15", None])
def test_mute_refuses_other_durations_naming_the_field(minutes: Any) -> None:
    with pytest.raises(ValueError, match=r"^mute\.minutes: "):
        Mute.for_minutes(minutes, T0)


def test_a_mute_needs_a_time_zone() -> None:
    with pytest.raises(ValueError, match=r"^mute\.until: must carry a time zone"):
        Mute(datetime(2026, 3, 29, 1, 0))  # a naive time: the point of the test


def test_a_restored_mute_runs_to_its_time_is_gone_when_over_and_refused_past_the_maximum() -> None:
    until = T0 + timedelta(minutes=20)
    assert Mute.restored(until, T0) == Mute(until)
    assert Mute.restored(until, until) is None
    assert Mute.restored(until, until + timedelta(days=1)) is None
    assert Mute.restored(T0 + MUTE_MAX, T0) == Mute(T0 + MUTE_MAX)
    with pytest.raises(ValueError, match=r"^mute\.until: .* more than 60 minutes from now"):
        Mute.restored(T0 + MUTE_MAX + timedelta(seconds=1), T0)


class CountingTuple(tuple):  # type: ignore[type-arg]
    """A tuple that counts how often it is scanned."""

    scans = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).scans += 1
        return super().__iter__()


def test_the_same_tuple_of_incidents_is_not_scanned_again_but_a_list_always_is() -> None:
    rules = AlarmRules()
    incidents = CountingTuple([incident(1, Severity.MINOR)])
    CountingTuple.scans = 0
    for second in range(60):  # a minute of ticks with nothing changed
        rules.decide(incidents, [], None, T0 + timedelta(seconds=second))
    assert CountingTuple.scans == 1
    changed = CountingTuple([incident(1, Severity.MINOR), incident(2, Severity.CRITICAL)])
    assert kind_of(rules.decide(changed, [], None, T0)) is AlarmKind.CRITICAL
    assert CountingTuple.scans == 2
    # a list can change in place: it is scanned every time
    listed = [incident(3, Severity.INFO)]
    assert kind_of(rules.decide(listed, [], None, T0)) is AlarmKind.INFO
    listed.append(incident(4, Severity.MAJOR))
    assert kind_of(rules.decide(listed, [], None, T0)) is AlarmKind.MAJOR


# --- the index of unacknowledged incidents ---------------------------------------------------------


def random_change_set(
    rng: random.Random, live: dict[int, Incident], next_id: int
) -> tuple[list[Incident], list[int]]:
    """What the feed sends: acknowledged, re-opened, resolved, louder or quieter, renamed, reported by a
    customer, new, removed; the same id twice, removed and changed at once, and ids nobody knows."""
    changes: list[Incident] = []
    removed: list[int] = []
    for n in range(rng.randint(0, 40)):
        pick = rng.random()
        known = rng.choice(list(live.values())) if live else None
        if known is None or pick < 0.25:
            severity, minutes = rng.choice(list(Severity)), rng.choice([-5, 0, 0, 3])
            changes.append(
                incident(next_id + n, severity, minutes, detected_by=rng.choice(list(DetectionSource)))
            )
        elif pick < 0.45:
            changes.append(replace(known, status=rng.choice(list(IncidentStatus))))
        elif pick < 0.6:
            changes.append(replace(known, severity=rng.choice(list(Severity))))
        elif pick < 0.7:
            changes.append(replace(known, detected_by=rng.choice(list(DetectionSource))))
        elif pick < 0.78:
            changes.append(replace(known, title=f"renamed {rng.random()}"))
        elif pick < 0.84:
            changes.append(
                replace(known, detected_at=known.detected_at + timedelta(minutes=rng.choice([-1, 1])))
            )
        elif pick < 0.9:
            removed.append(known.id)
            if rng.random() < 0.3:  # removed and changed in the same set: the change wins
                changes.append(replace(known, title=f"back {rng.random()}"))
        else:
            removed.append(rng.choice([known.id, 10**9 + n]))
    return changes, removed


def follow(live: dict[int, Incident], changes: list[Incident], removed: list[int]) -> None:
    """What a board holds after the change set (the reference the index must agree with)."""
    latest = {i.id: i for i in changes}
    for gone in removed:
        if gone not in latest:
            live.pop(gone, None)
    for changed in latest.values():
        if changed.is_open:
            live[changed.id] = changed
        else:
            live.pop(changed.id, None)


def test_the_index_gives_the_decision_of_a_full_scan_after_random_change_sets() -> None:
    rng = random.Random(11)
    live = {i: incident(i, rng.choice(list(Severity)), minutes=rng.choice([-9, -3, 0])) for i in range(1, 60)}
    index = UnacknowledgedIncidents(live.values())
    from_index, from_scan = AlarmRules(), AlarmRules()
    now, next_id = T0, 1000
    for step in range(400):
        now += timedelta(seconds=1)
        changes, removed = random_change_set(rng, live, next_id)
        next_id += 100
        index.apply(changes, removed)
        follow(live, changes, removed)
        best, count = loudest_unacknowledged(live.values())
        found, found_count = index.loudest()
        assert (found, found_count) == (best, count), f"step {step}"
        assert sorted(i.id for i in index) == sorted(
            i.id for i in live.values() if i.status is IncidentStatus.OPEN
        )
        health = [failing("am", now)] if step % 50 < 3 else [fresh("am", now)]
        mute = Mute.for_minutes(1, now) if step % 97 == 5 else None
        assert from_index.decide(index, health, mute, now) == from_scan.decide(
            list(live.values()), health, mute, now
        )


def test_a_snapshot_replaces_what_the_index_held() -> None:
    index = UnacknowledgedIncidents([incident(1, Severity.CRITICAL), incident(2, Severity.MINOR)])
    assert index.loudest() == (incident(1, Severity.CRITICAL), 2)
    reported = incident(3, Severity.INFO, detected_by=DetectionSource.CUSTOMER)
    acked = incident(4, Severity.CRITICAL, status=IncidentStatus.ACKNOWLEDGED)
    index.replace_all([incident(2, Severity.MINOR), reported, acked])
    assert index.loudest() == (reported, 2)
    index.replace_all([])
    assert index.loudest() == (None, 0) and len(index) == 0


def test_deciding_from_the_index_looks_at_no_incident() -> None:
    class Unlistable(UnacknowledgedIncidents):
        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the alarm rules scanned the incidents")

    index = Unlistable([incident(i, Severity.MINOR, minutes=-i) for i in range(1, 1000)])
    alarm = AlarmRules().decide(index, [], None, T0)
    assert alarm is not None and (alarm.kind, alarm.incident_id, alarm.unacknowledged) == (
        AlarmKind.MINOR,
        999,
        999,
    )


def test_weeks_of_churn_keep_the_index_bounded() -> None:
    rng = random.Random(2)
    index = UnacknowledgedIncidents([incident(i) for i in range(1, 101)])
    for _ in range(20_000):  # acknowledged, re-opened, louder, quieter: each leaves a stale entry behind
        status = rng.choice(list(IncidentStatus))
        changed = incident(rng.randint(1, 100), rng.choice(list(Severity)), rng.uniform(-5, 5), status=status)
        index.apply([changed])
    assert index.heap_entries <= 2 * len(index) + 256
