"""The poll scheduler: sources on their own intervals, one fetch in flight each, slow ones isolated."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import requests

from noc_console.domain import AlertSnapshot
from noc_console.engine.scheduler import BACKOFF_MAX_S, PollScheduler, retry_delay
from noc_console.sources.base import SourceConfig, SourceTimeout

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class FakeSource:
    def __init__(self, name: str, interval_s: float, gate: threading.Event | None = None, fail: bool = False):
        self.config = SourceConfig(
            name=name, type="alertmanager", url="http://127.0.0.1:1", interval_s=interval_s
        )
        self.gate = gate
        self.fail = fail
        self.calls = 0

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        self.calls += 1
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.fail:
            raise SourceTimeout(self.config.name, "no answer within 5 s")
        return AlertSnapshot.of(self.config.name, now, [])


class ManualClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_slow_source_never_delays_another_and_has_one_fetch_in_flight() -> None:
    gate = threading.Event()
    slow, fast = FakeSource("slow", 1, gate), FakeSource("fast", 1)
    clock = ManualClock()
    scheduler = PollScheduler([slow, fast], monotonic=clock, clock=lambda: T0)
    try:
        assert scheduler.run_due() == ["slow", "fast"]
        first = scheduler.results(timeout=5)
        assert [o.source for o in first] == ["fast"]
        for _ in range(3):
            clock.t += 1
            assert scheduler.run_due() == ["fast"]  # slow is still in flight: not started again
            assert [o.source for o in scheduler.results(timeout=5)] == ["fast"]
        assert slow.calls == 1 and fast.calls == 4
        gate.set()
        assert [o.source for o in scheduler.results(timeout=5)] == ["slow"]
    finally:
        gate.set()
        scheduler.close()


def test_each_source_keeps_its_own_interval() -> None:
    every_second, every_ten = FakeSource("a", 1), FakeSource("b", 10)
    clock = ManualClock()
    scheduler = PollScheduler([every_second, every_ten], monotonic=clock, clock=lambda: T0)
    try:
        for _ in range(10):
            scheduler.run_due()
            scheduler.results(timeout=2)
            scheduler.results(timeout=0.05)
            clock.t += 1
        assert every_second.calls == 10 and every_ten.calls == 1
    finally:
        scheduler.close()


def test_failures_become_outcomes_not_exceptions() -> None:
    scheduler = PollScheduler([FakeSource("bad", 1, fail=True), FakeSource("good", 1)], clock=lambda: T0)
    try:
        bad, good = scheduler.poll_all_now()
    finally:
        scheduler.close()
    assert bad.error is not None and bad.error.kind == "timeout" and bad.snapshot is None
    assert good.error is None and good.snapshot is not None


def test_wall_clock_jump_polls_everything_at_once() -> None:
    source = FakeSource("a", 60)
    mono = ManualClock()
    wall = {"now": T0}
    scheduler = PollScheduler([source], monotonic=mono, clock=lambda: wall["now"])
    try:
        scheduler.run_due()
        scheduler.results(timeout=2)
        mono.t += 5
        assert scheduler.run_due() == []
        from datetime import timedelta

        wall["now"] = T0 + timedelta(hours=2)  # the machine slept; the monotonic clock did not move
        mono.t += 1
        assert scheduler.run_due() == ["a"]
        scheduler.results(timeout=2)
    finally:
        scheduler.close()


def test_retry_delay_backs_off_after_three_failures_with_jitter_and_a_ceiling() -> None:
    assert [retry_delay(10, n, 0.5) for n in (1, 2, 3)] == [10, 10, 10]  # stale by then, named on screen
    assert [retry_delay(10, n, 0.5) for n in (4, 5, 6, 7, 50)] == [20, 40, 60, 60, 60]
    assert 16 <= retry_delay(10, 4, 0.0) < retry_delay(10, 4, 0.999) <= 24  # jitter: ±20 %
    assert retry_delay(120, 9, 0.0) == 120  # never less than the interval, even past the ceiling
    assert retry_delay(1, 4, 0.0) == 1.6 and retry_delay(1, 30, 0.999) == BACKOFF_MAX_S


def test_a_failing_source_is_tried_less_often_until_it_answers_again() -> None:
    source = FakeSource("flaky", 1, fail=True)
    clock = ManualClock()
    scheduler = PollScheduler([source], monotonic=clock, clock=lambda: T0, jitter=lambda: 0.5)
    started_at: list[float] = []
    try:
        for _ in range(30):
            if scheduler.run_due():
                started_at.append(clock.t - 1000)
                assert scheduler.results(timeout=5)
            clock.t += 1
        # tries at the interval three times, then after 2, 4, 8, 16 s
        assert started_at[:7] == [0, 1, 2, 3, 5, 9, 17]
        assert scheduler.failures("flaky") == 7
        source.fail = False
        clock.t = 1000 + 17 + 16  # its next try
        assert scheduler.run_due() == ["flaky"]
        assert scheduler.results(timeout=5)[0].error is None
        assert scheduler.failures("flaky") == 0
        clock.t += 1
        assert scheduler.run_due() == ["flaky"]  # back to its interval
        scheduler.results(timeout=5)
    finally:
        scheduler.close()
