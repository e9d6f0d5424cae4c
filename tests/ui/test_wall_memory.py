"""A wall runs for weeks: thousands of ticks and change sets with incidents coming and going leave the
Python heap, the number of objects and the reference counts of None, True and False where they were."""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc
from dataclasses import replace
from datetime import timedelta

import pytest

from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.wall import WallBoard
from noc_console.ui.wall_view import WallView
from tests.ui.conftest import T0, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
POLICY = SlaPolicy()
LIVE = 300  # open incidents at any time
ROUNDS = 3000  # seconds of wall time, each with a change set
PAINT_EVERY = 5


class Churn:
    """Each second: a few new incidents, a few resolved, a few acknowledged or re-titled."""

    def __init__(self, board: WallBoard) -> None:
        self.rng = random.Random(9)
        self.board = board
        self.next_id = 1
        self.now = T0

    def new(self):
        incident = make_incident(
            self.next_id,
            self.rng.choice(list(Severity)),
            minutes=(self.now - T0).total_seconds() / 60 - self.rng.uniform(0, 20),
            title=f"incident {self.next_id} " + "x" * self.rng.randint(0, 80),
        )
        self.next_id += 1
        return incident

    def second(self, view: WallView | None) -> None:
        self.now += timedelta(seconds=1)
        live = self.board.incidents()
        changes = [self.new() for _ in range(3)]
        gone = [i.id for i in self.rng.sample(live, 3)] if len(live) > LIVE else []
        for incident in self.rng.sample(live, min(3, len(live))):
            if incident.id not in gone:
                changes.append(
                    replace(incident, status=IncidentStatus.ACKNOWLEDGED, title=incident.title + "!")
                )
        self.board.apply(changes, gone)
        self.board.tick(self.now)
        if view is not None:
            view.set_now(self.now)
            view.grab()


def test_ticks_and_change_sets_for_hours_keep_memory_flat(qtbot) -> None:
    board = WallBoard(POLICY, T0)
    view = WallView(board, POLICY, T0)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    churn = Churn(board)
    tracemalloc.start()
    try:
        # Warm up: the board fills to LIVE and every incident on it is replaced; caches and heaps
        # reach their size. Everything alive from here on was allocated while traced.
        for n in range(ROUNDS // 2):
            churn.second(view if n % PAINT_EVERY == 0 else None)
        gc.collect()
        singletons = (None, True, False)
        refs_before = [sys.getrefcount(s) for s in singletons]
        objects_before = len(gc.get_objects())
        heap_before = tracemalloc.get_traced_memory()[0]
        for n in range(ROUNDS):
            churn.second(view if n % PAINT_EVERY == 0 else None)
        gc.collect()
        heap_after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    objects_after = len(gc.get_objects())
    assert len(board) > LIVE // 2
    assert churn.next_id > 3 * ROUNDS  # incidents really came and went
    assert board.get(1) is None
    # Free lists, heap arrays and dict sizes move by about ±30 kB between two such windows; 9,000
    # incidents came and went meanwhile, so keeping as little as 12 bytes of each would show.
    assert heap_after - heap_before < 100_000, f"the heap grew by {heap_after - heap_before} bytes"
    assert objects_after - objects_before < 500, f"{objects_after - objects_before} more objects"
    for singleton, before in zip(singletons, refs_before, strict=True):
        assert before - sys.getrefcount(singleton) < 200, f"{singleton} lost references while painting"
    assert len(view._elided) <= 2 * view.slots
    assert len(board._due) <= 2 * len(board._scheduled) + 256
