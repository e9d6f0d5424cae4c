"""What the workers say (done, failed, the store is back) reaches the windows in the GUI thread.

The action runner, the feed and the post-mortem desk emit from their own threads. A signal connected
to a lambda runs the lambda in the emitting thread, so a window's widgets were touched off the GUI
thread: a test run hung that way. Each is now a slot of a window; these tests emit from a thread of
their own and check where the window's code ran.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.sla import SlaPolicy
from noc_console.ui.main_window import MainWindow
from noc_console.ui.wall import WallWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def emit_from_a_thread(emit: Callable[[], None]) -> None:
    worker = threading.Thread(target=emit, name="test-worker")
    worker.start()
    worker.join(timeout=5)


def spy(target: Any, name: str, threads: list[str]) -> None:
    """Record the thread each call of `target.name` runs in, and still do it."""
    original = getattr(target, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    setattr(target, name, recording)


def sqlite_url(tmp_path: Path) -> str:
    """SQLite: the property is Qt's, not the database's; a PostgreSQL window opened and closed within a
    tenth of a second can leave its LISTEN connection behind (noted, left for the feed's own work)."""
    return f"sqlite:///{tmp_path / 'noc.db'}"


def test_the_operator_window_hears_its_workers_in_the_gui_thread(qtbot, tmp_path: Path) -> None:
    window = MainWindow(sqlite_url(tmp_path), SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()  # so that qtbot's close at the end shuts it down even when the test fails
    shown: list[str] = []
    said: list[str] = []
    spy(window, "_set_action_status", shown)
    spy(window.directory, "say", said)
    emit_from_a_thread(lambda: window.runner.done.emit("#1 acknowledged by ana"))
    emit_from_a_thread(lambda: window.runner.failed.emit("#2 was already resolved"))
    emit_from_a_thread(lambda: window.feed.actionDone.emit("#3 acknowledged by ana"))
    emit_from_a_thread(lambda: window.feed.actionFailed.emit("#4 is resolved"))
    qtbot.waitUntil(lambda: len(shown) == 4 and len(said) == 2, timeout=5000)
    assert set(shown) == set(said) == {threading.main_thread().name}
    assert window.action_status.text() == "#4 is resolved"
    window.shutdown()  # (close() on a window never shown sends no close event: its threads would stay)


def test_the_lead_pages_hear_the_desk_in_the_gui_thread(qtbot, tmp_path: Path) -> None:
    window = MainWindow(sqlite_url(tmp_path), SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()  # so that qtbot's close at the end shuts it down even when the test fails
    said: list[str] = []
    tab = window.lead.postmortems
    spy(tab, "say", said)
    emit_from_a_thread(lambda: window.lead.desk.failed.emit("Not exported: no such incident"))
    qtbot.waitUntil(lambda: len(said) == 1, timeout=5000)
    assert said == [threading.main_thread().name]
    window.shutdown()


def test_the_wall_hears_its_feed_in_the_gui_thread(qtbot, tmp_path: Path) -> None:
    wall = WallWindow(sqlite_url(tmp_path), SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(wall)
    wall.resize(1280, 720)
    wall.show()
    threads: list[str] = []
    spy(wall.view, "set_status", threads)
    emit_from_a_thread(lambda: wall.feed.actionDone.emit("#1 acknowledged by ana"))
    emit_from_a_thread(lambda: wall.feed.actionFailed.emit("#2 is resolved"))
    emit_from_a_thread(wall.feed.storeRecovered.emit)
    qtbot.waitUntil(lambda: len(threads) >= 3, timeout=5000)
    assert set(threads) == {threading.main_thread().name}
    wall.shutdown()
