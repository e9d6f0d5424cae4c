"""The wall's board: most urgent first, re-sorted only when a clock changes state, with an injected now."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from noc_console.domain.health import SourceHealth
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy, state_changes, urgency_key
from noc_console.domain.wall import (
    WallBoard,
    blind_sources,
    detection_share_text,
    local_midnight,
    wall_age,
    wall_countdown,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
POLICY = SlaPolicy()  # ack 5 min, assessment 15 min, customer update 30 min


def incident(
    id: int,
    severity: Severity = Severity.MAJOR,
    minutes: float = 0,
    status: IncidentStatus = IncidentStatus.OPEN,
    **kw: object,
) -> Incident:
    at = T0 + timedelta(minutes=minutes)
    fields: dict[str, object] = dict(
        id=id,
        title=f"incident {id}",
        severity=severity,
        status=status,
        service="web",
        detected_by=DetectionSource.MONITORING,
        source="am",
        opened_at=at,
        detected_at=at,
    )
    fields.update(kw)
    return Incident(**fields)  # type: ignore[arg-type]


def ids(incidents: list[Incident]) -> list[int]:
    return [i.id for i in incidents]


def fresh_order(incidents: list[Incident], now: datetime) -> list[int]:
    """What a full sort by the SLA rules says at `now`: the board must always agree."""
    return ids(sorted((i for i in incidents if i.is_open), key=lambda i: urgency_key(i, POLICY, now)))


def test_breached_first_then_severity_then_the_next_deadline() -> None:
    now = T0 + timedelta(minutes=6)
    incidents = [
        incident(1, Severity.CRITICAL, minutes=3),  # ack due in 2 min
        incident(2, Severity.INFO, minutes=0),  # ack breached a minute ago: above any critical
        incident(3, Severity.CRITICAL, minutes=4),  # ack due in 3 min
        incident(4, Severity.MAJOR, minutes=5.5, status=IncidentStatus.ACKNOWLEDGED),
        incident(
            5, Severity.CRITICAL, minutes=-20, status=IncidentStatus.ACKNOWLEDGED
        ),  # assessment breached
        incident(6, Severity.MINOR, minutes=5, status=IncidentStatus.RESOLVED),  # not on the wall
    ]
    board = WallBoard(POLICY, now)
    board.replace_all(incidents)
    assert ids(board.top(10)) == [5, 2, 1, 3, 4]
    assert ids(board.top(10)) == fresh_order(incidents, now)
    assert ids(board.top(2)) == [5, 2]
    assert len(board) == 5
    assert board.hidden(2) == 3
    assert board.hidden(5) == 0
    assert board.hidden(9) == 0


def test_an_incident_moves_up_the_second_its_clock_breaches_and_not_before() -> None:
    board = WallBoard(POLICY, T0)
    loud = incident(1, Severity.CRITICAL, minutes=0)
    quiet = incident(2, Severity.INFO, minutes=-4)  # ack due at T0 + 1 min
    board.replace_all([loud, quiet])
    assert ids(board.top(2)) == [1, 2]
    for second in range(1, 60):
        assert not board.tick(T0 + timedelta(seconds=second))
        assert ids(board.top(2)) == [1, 2]
    assert board.tick(T0 + timedelta(seconds=60))
    assert ids(board.top(2)) == [2, 1]


def test_ticks_between_state_changes_look_at_nothing() -> None:
    board = WallBoard(POLICY, T0)
    incidents = [incident(i, list(Severity)[i % 5], minutes=-i / 10) for i in range(1, 501)]
    board.replace_all(incidents)
    changes = {i.id: state_changes(i, POLICY) for i in incidents}
    # Each second, the tick looks again at the incidents with a state change in that second, no others.
    looked_at = 0
    for second in range(1, 2000):
        now = T0 + timedelta(seconds=second)
        expected = sum(
            1 for times in changes.values() if any(now - timedelta(seconds=1) < t <= now for t in times)
        )
        board.tick(now)
        assert board.rekeyed == expected
        looked_at += board.rekeyed
    assert 0 < looked_at <= sum(len(times) for times in changes.values())
    assert ids(board.top(len(board))) == fresh_order(incidents, now)


def random_incident(rng: random.Random, incident_id: int, now: datetime) -> Incident:
    minutes = rng.uniform(-40, 2)
    status = rng.choice([IncidentStatus.OPEN, IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED])
    detected_by = rng.choice([DetectionSource.MONITORING, DetectionSource.CUSTOMER])
    found = incident(
        incident_id,
        rng.choice(list(Severity)),
        minutes=(now - T0).total_seconds() / 60 + minutes,
        status=status,
        detected_by=detected_by,
        call_count=rng.choice([0, 0, 1]),
    )
    if rng.random() < 0.3:
        found = replace(found, assessed_at=found.detected_at + timedelta(minutes=2))
    if rng.random() < 0.3:
        found = replace(
            found, last_customer_update_at=found.detected_at + timedelta(minutes=rng.uniform(0, 20))
        )
    return found


def test_the_order_always_equals_a_fresh_sort_through_changes_and_jumps() -> None:
    rng = random.Random(3)
    now = T0
    live = {i: random_incident(rng, i, now) for i in range(1, 400)}
    board = WallBoard(POLICY, now)
    board.replace_all(live.values())
    next_id = 400
    for step in range(300):
        what = rng.random()
        if what < 0.05:
            now += timedelta(hours=rng.uniform(0.5, 3))  # the machine slept
        elif what < 0.07:
            now -= timedelta(minutes=rng.uniform(1, 20))  # the clock was put right
        else:
            now += timedelta(seconds=rng.choice([1, 1, 1, 7, 60]))
        board.tick(now)
        if step % 5 == 0:
            changes = []
            removed = []
            for _ in range(rng.randint(1, 30)):
                pick = rng.random()
                if pick < 0.4:
                    changes.append(random_incident(rng, next_id, now))
                    next_id += 1
                elif pick < 0.7 and live:
                    current = live[rng.choice(list(live))]
                    changes.append(
                        replace(
                            current,
                            status=rng.choice(list(IncidentStatus)),
                            severity=rng.choice(list(Severity)),
                        )
                    )
                elif live:
                    removed.append(rng.choice(list(live)))
            board.apply(changes, removed)
            for gone in removed:
                live.pop(gone, None)
            for changed in changes:
                live[changed.id] = changed
            live = {i: x for i, x in live.items() if x.is_open}
        assert ids(board.top(len(board))) == fresh_order(list(live.values()), now), f"step {step}"
        opened = [i for i in live.values() if i.status is IncidentStatus.OPEN]
        oldest = board.oldest_unacknowledged()
        if opened:
            assert oldest is not None
            assert oldest.detected_at == min(i.detected_at for i in opened)
        else:
            assert oldest is None
        assert board.unacknowledged == len(opened)
        assert board.counts == {s: sum(1 for i in live.values() if i.severity is s) for s in Severity}


def test_keys_and_instants_agree_with_the_sla_rules() -> None:
    rng = random.Random(11)
    for n in range(300):
        now = T0 + timedelta(minutes=rng.uniform(0, 60))
        found = random_incident(rng, n + 1, now)
        board = WallBoard(POLICY, now)
        key = board._urgency(found)
        assert key == urgency_key(found, POLICY, now)
        upcoming = [t.timestamp() for t in state_changes(found, POLICY) if t > now]
        expected = upcoming[0] if upcoming else float("inf")
        assert board._next_change[found.id] == pytest.approx(expected, abs=1e-6)


def test_a_jump_forward_after_sleep_breaches_everything_due_meanwhile_at_once() -> None:
    board = WallBoard(POLICY, T0)
    done = dict(status=IncidentStatus.ACKNOWLEDGED, assessed_at=T0)
    incidents = [
        incident(1, Severity.CRITICAL, **done),  # customer update due at T0 + 30 min
        incident(2, Severity.INFO),  # acknowledge due at T0 + 5 min
        incident(3, Severity.WARNING, **done),  # no clock runs
    ]
    board.replace_all(incidents)
    assert ids(board.top(3)) == [1, 3, 2]  # nothing breached: by severity
    after_nap = T0 + timedelta(minutes=10)  # the screen slept through the acknowledge deadline
    assert board.tick(after_nap)
    assert ids(board.top(3)) == [2, 1, 3] == fresh_order(incidents, after_nap)
    after_night = T0 + timedelta(hours=9)
    assert board.tick(after_night)
    assert ids(board.top(3)) == [1, 2, 3] == fresh_order(incidents, after_night)
    # Every clock is breached: nothing is left to wait for, nothing is scheduled.
    assert board.tick(after_night + timedelta(hours=1)) is False
    assert board.rekeyed == 0
    assert board._scheduled == {}


@pytest.fixture
def london() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_across_the_spring_dst_change_deadlines_stay_where_they_were(london: None) -> None:
    # Europe/London: at 01:00 UTC on 31 March 2024 local time jumps from 01:00 GMT to 02:00 BST.
    change = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    early = incident(1, Severity.INFO, detected_at=change - timedelta(minutes=3), opened_at=change)
    loud = incident(2, Severity.CRITICAL, detected_at=change - timedelta(minutes=1), opened_at=change)
    board = WallBoard(POLICY, change - timedelta(seconds=30))
    board.replace_all([early, loud])
    assert ids(board.top(2)) == [2, 1]
    board.tick(change + timedelta(seconds=30))  # local clocks now read an hour later: nothing breached
    assert ids(board.top(2)) == [2, 1]
    assert f"{(change + timedelta(seconds=30)).astimezone():%H:%M}" == "02:00"
    left = early.detected_at + POLICY.ack - (change + timedelta(seconds=30))
    assert wall_countdown(left) == "1:30"  # not 61:30
    assert board.tick(change + timedelta(minutes=2))  # early's ack deadline: 5 min after detection
    assert ids(board.top(2)) == [1, 2]
    assert local_midnight(change + timedelta(hours=5)) == datetime(2024, 3, 31, 0, 0, tzinfo=UTC)
    assert local_midnight(datetime(2024, 4, 1, 12, 0, tzinfo=UTC)) == datetime(2024, 3, 31, 23, 0, tzinfo=UTC)


def test_across_the_autumn_dst_change_the_repeated_hour_counts_once(london: None) -> None:
    # At 01:00 UTC on 27 October 2024 local time goes back from 02:00 BST to 01:00 GMT.
    change = datetime(2024, 10, 27, 1, 0, tzinfo=UTC)
    found = incident(1, Severity.MAJOR, detected_at=change - timedelta(minutes=4), opened_at=change)
    board = WallBoard(POLICY, change - timedelta(minutes=1))
    board.replace_all([found, incident(2, Severity.CRITICAL, detected_at=change, opened_at=change)])
    assert ids(board.top(2)) == [2, 1]
    assert board.tick(change + timedelta(minutes=1))  # one real minute later, though local time went back
    assert ids(board.top(2)) == [1, 2]
    # That day began at midnight BST, 23:00 UTC the day before; the next one at midnight GMT.
    assert local_midnight(change + timedelta(hours=12)) == datetime(2024, 10, 26, 23, 0, tzinfo=UTC)
    assert local_midnight(change + timedelta(days=1)) == datetime(2024, 10, 28, 0, 0, tzinfo=UTC)


def test_counts_and_the_oldest_unacknowledged_follow_acks_and_resolves() -> None:
    board = WallBoard(POLICY, T0)
    first = incident(1, Severity.MINOR, minutes=-14)
    second = incident(2, Severity.CRITICAL, minutes=-3)
    third = incident(3, Severity.CRITICAL, minutes=-20, status=IncidentStatus.ACKNOWLEDGED)
    board.replace_all([first, second, third])
    assert board.counts[Severity.CRITICAL] == 2 and board.counts[Severity.MINOR] == 1
    assert board.unacknowledged == 2
    assert board.oldest_unacknowledged() == first
    board.apply([replace(first, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana")])
    assert board.oldest_unacknowledged() == second
    assert board.unacknowledged == 1
    board.apply([replace(second, status=IncidentStatus.RESOLVED)], removed_ids=[3])
    assert board.oldest_unacknowledged() is None
    assert board.counts == {**dict.fromkeys(Severity, 0), Severity.MINOR: 1}
    assert len(board) == 1


def test_churn_keeps_the_heaps_bounded() -> None:
    board = WallBoard(POLICY, T0)
    board.replace_all([incident(i, minutes=0) for i in range(1, 101)])
    rng = random.Random(5)
    for _ in range(5000):
        changed = incident(rng.randint(1, 100), rng.choice(list(Severity)), minutes=rng.uniform(-1, 1))
        board.apply([changed])
    assert len(board._due) <= 2 * len(board._scheduled) + 256
    assert len(board._unacked) <= 2 * board.unacknowledged + 256
    assert len(board._open) == board.unacknowledged


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (245, "4:05"),
        (0, "0:00"),
        (-80, "+1:20"),
        (3599, "59:59"),
        (3600 + 300, "1h05"),
        (-(2 * 3600 + 300), "+2h05"),
        (-(3 * 86400 + 4 * 3600), "+3d04h"),
    ],
)
def test_wall_countdown(seconds: int, expected: str) -> None:
    assert wall_countdown(timedelta(seconds=seconds)) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (40, "40 s"),
        (14 * 60 + 59, "14 min"),
        (2 * 3600 + 300, "2 h 05 min"),
        (3 * 86400 + 4 * 3600, "3 d 4 h"),
        (-5, "0 s"),
    ],
)
def test_wall_age(seconds: int, expected: str) -> None:
    assert wall_age(timedelta(seconds=seconds)) == expected


def health(name: str, **kw: object) -> SourceHealth:
    fields: dict[str, object] = dict(
        name=name,
        last_success_at=T0,
        last_error=None,
        last_error_at=None,
        consecutive_failures=0,
        alert_count=3,
        updated_at=T0,
        interval_s=10.0,
    )
    fields.update(kw)
    return SourceHealth(**fields)  # type: ignore[arg-type]


def test_blind_sources_are_named_with_how_long_and_why() -> None:
    now = T0 + timedelta(minutes=3)
    sources = [
        health("prod-am", last_error="401 Unauthorized\nbody…", last_error_at=now, consecutive_failures=9),
        health("dc2", last_success_at=now - timedelta(seconds=5)),  # fresh
        health("lab", last_success_at=T0 - timedelta(minutes=11)),  # quiet too long, no error recorded
        health("new", last_success_at=None, last_error="connection refused", last_error_at=now),
        health("long", last_error="x" * 500, last_error_at=now),
    ]
    lines = blind_sources(sources, now)
    assert lines[0] == "BLIND: prod-am, no data for 3 min: 401 Unauthorized"
    assert lines[1] == "BLIND: lab, no data for 14 min"
    assert lines[2] == "BLIND: new, no data yet: connection refused"
    assert lines[3].startswith("BLIND: long, no data for 3 min: xxx") and lines[3].endswith("…")
    assert len(lines) == 4
    assert blind_sources([sources[1]], now) == []


def test_detection_share_text() -> None:
    assert detection_share_text(23, 25) == "Detected by us today: 92 % (23 of 25)"
    assert detection_share_text(0, 0) == "Detected by us today: no incidents yet"


def test_the_alarm_rules_get_the_unacknowledged_incidents_kept_up_to_date_by_each_change() -> None:
    from noc_console.domain.alarms import loudest_unacknowledged

    rng = random.Random(4)
    live = {i: random_incident(rng, i, T0) for i in range(1, 200)}
    board = WallBoard(POLICY, T0)
    board.replace_all(live.values())
    index = board.unacknowledged_incidents()
    assert index.loudest() == loudest_unacknowledged(live.values())  # the same decision
    assert {i.id for i in index} == {i.id for i in live.values() if i.status is IncidentStatus.OPEN}
    now, next_id = T0, 200
    for step in range(100):
        now += timedelta(minutes=rng.choice([1, 1, 5, -3]))  # clocks change state, or are put back
        board.tick(now)
        changes = [random_incident(rng, next_id + n, now) for n in range(3)]
        next_id += 3
        for incident_id in rng.sample(sorted(live), 5):
            status = rng.choice(list(IncidentStatus))
            changes.append(replace(live[incident_id], status=status, severity=rng.choice(list(Severity))))
        removed = rng.sample(sorted(live), 1)
        board.apply(changes, removed)
        for gone in removed:
            live.pop(gone)
        live.update((i.id, i) for i in changes)
        live = {i: x for i, x in live.items() if x.is_open}
        assert board.unacknowledged_incidents() is index  # one index, kept up to date: never rebuilt
        assert index.loudest() == loudest_unacknowledged(live.values()), f"step {step}"
