"""Painting the incident table costs no reference to None, True or False.

PySide6 6.12 on Python 3.11 returns None without a reference from a getter whose C++ pointer is null
(`QStyleOptionViewItem.widget`) and from every method returning void, and True from `Signal.emit`; a
window that made such calls per cell died of `none_dealloc` after minutes of live traffic. Thousands
of paints must leave their reference counts where they were.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.ui.main_window import MainWindow
from tests.ui.conftest import make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PAINTS = 3000
CHUNK = 50
# None's count moves a little with objects that come and go; a leak moves it by hundreds per paint.
SLACK = 200


def test_painting_the_table_thousands_of_times_keeps_nones_refcount(qtbot, themed, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 700)
    window.show()
    window.feed.stop()  # nothing else runs in this process while it paints
    window.model.apply(
        [
            make_incident(1, Severity.CRITICAL),
            make_incident(2, Severity.MAJOR, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana"),
            make_incident(3, Severity.MINOR, suppressed_count=1),
            make_incident(4, Severity.WARNING, minutes=-90),
            make_incident(5, Severity.INFO, orphaned=True),
        ]
    )
    table = window.table
    # A selected row and a current cell: the paths that draw the selection run too.
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(1, 2)).center()
    )
    viewport = table.viewport()
    for _ in range(20):  # caches fill on the first paints
        viewport.grab()
    singletons = (None, True, False)
    before = [sys.getrefcount(s) for s in singletons]
    for painted in range(0, PAINTS, CHUNK):
        for _ in range(CHUNK):
            viewport.grab()
        # Checked as it goes: a leak must fail this test, not abort the interpreter running it.
        for singleton, count in zip(singletons, before, strict=True):
            lost = count - sys.getrefcount(singleton)
            assert lost <= SLACK, f"{singleton} lost {lost} references in {painted + CHUNK} paints"
    window.close()
