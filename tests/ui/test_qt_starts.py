"""The conftest check that fails a test leaving Qt running: it must see what it is there to see."""

from __future__ import annotations

from PySide6.QtCore import QThread, QTimer

from tests.ui.qt_starts import QtStarts


def test_an_active_timer_is_named_with_where_it_was_started(qtbot) -> None:
    with QtStarts() as starts:
        timer = QTimer()
        timer.start(60_000)
    (leftover,) = starts.leftovers()
    assert "QTimer started at" in leftover and "test_qt_starts.py" in leftover
    timer.stop()
    assert starts.leftovers() == []


def test_a_running_thread_is_named(qtbot) -> None:
    with QtStarts(thread_wait_ms=50) as starts:
        thread = QThread()
        thread.setObjectName("forgotten")
        thread.start()
    try:
        (leftover,) = starts.leftovers()
        assert "QThread 'forgotten'" in leftover
    finally:
        thread.quit()
        thread.wait()
    assert starts.leftovers() == []


def test_starts_are_no_longer_recorded_after_exit(qtbot) -> None:
    with QtStarts() as starts:
        pass
    timer = QTimer()
    timer.start(60_000)
    try:
        assert starts.leftovers() == []
    finally:
        timer.stop()
