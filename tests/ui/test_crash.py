"""An unexpected error in a slot or a worker thread is logged and shown in one dialog naming the log
file, and the console keeps running."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from noc_console.logs import DailyFile
from noc_console.ui.crash import CrashReporter

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "gui.log"
    handler = DailyFile(path)
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    handler.close()


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_one_dialog_with_the_log_and_the_console_runs_on(qtbot, logged: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    reporter = CrashReporter(logged, window)
    hooks = (sys.excepthook, threading.excepthook)
    reporter.install()
    try:

        def broken() -> None:
            raise ZeroDivisionError("the figures divided by nothing")

        ticks: list[int] = []
        QTimer.singleShot(0, broken)
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000)
        assert reporter.dialog is not None
        text = reporter.dialog.text()
        assert "ZeroDivisionError: the figures divided by nothing" in text and str(logged) in text
        assert "keeps running" in text
        QTimer.singleShot(0, broken)  # again while it is open: counted, not a second dialog
        QTimer.singleShot(50, lambda: ticks.append(1))  # and the event loop goes on
        qtbot.waitUntil(lambda: reporter.count == 2 and ticks == [1], timeout=5000)
        assert "(and 1 more since)" in reporter.dialog.text()
        assert len(window.findChildren(type(reporter.dialog), "crashDialog")) == 1

        worker = threading.Thread(target=lambda: {}["missing key"], name="noc-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.count == 3, timeout=5000)
        reporter.dialog.accept()
        qtbot.waitUntil(lambda: reporter.dialog is None, timeout=5000)
        for handler in logging.getLogger().handlers:
            handler.flush()
        log = logged.read_text()
        assert log.count("ZeroDivisionError: the figures divided by nothing") >= 2
        assert "Traceback (most recent call last)" in log and "in thread noc-worker" in log
    finally:
        reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == hooks


def test_without_a_log_file_the_dialog_says_where_the_details_went(qtbot) -> None:
    reporter = CrashReporter(None)
    reporter._show("RuntimeError: boom")
    assert reporter.dialog is not None
    assert "standard error" in reporter.dialog.text()
    reporter.dialog.accept()
    qtbot.waitUntil(lambda: reporter.dialog is None, timeout=5000)
