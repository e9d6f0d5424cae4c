"""The lease holder's background ticks: only while the lease is held, and never stopped by one bad tick."""

from __future__ import annotations

import logging
import threading

import pytest

from noc_console.engine.ticker import Fence, FencedTicker


def test_a_tick_that_raises_is_logged_and_the_next_tick_comes(caplog: pytest.LogCaptureFixture) -> None:
    ticks: list[Fence] = []
    third = threading.Event()

    def tick(fence: Fence) -> None:
        ticks.append(fence)
        if len(ticks) == 1:
            raise KeyError("a row no tick expected")
        if len(ticks) == 3:
            third.set()

    ticker = FencedTicker("noc-test", tick, lambda: ("me", 7), 0.01)
    with caplog.at_level(logging.ERROR, logger="noc_console.engine.ticker"):
        ticker.start()
        try:
            assert third.wait(10), "the ticker stopped after a tick raised"
        finally:
            ticker.stop()
    assert ticks[:3] == [("me", 7)] * 3
    (record,) = [r for r in caplog.records if "unexpected error" in r.getMessage()]
    assert record.exc_info is not None and "noc-test" in record.getMessage()


def test_no_tick_without_the_lease_and_after_runs_once_at_the_end() -> None:
    held: list[Fence | None] = [None]
    ticks: list[Fence] = []
    ended: list[bool] = []
    ticked = threading.Event()

    def tick(fence: Fence) -> None:
        ticks.append(fence)
        ticked.set()

    ticker = FencedTicker("noc-test", tick, lambda: held[0], 0.01, after=lambda: ended.append(True))
    ticker.start()
    try:
        assert not ticked.wait(0.2)  # standing by: nothing
        held[0] = ("me", 1)
        assert ticked.wait(10)
    finally:
        ticker.stop()
    assert set(ticks) == {("me", 1)} and ended == [True]
