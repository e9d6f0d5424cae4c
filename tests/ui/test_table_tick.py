"""The window's 1 Hz tick redraws the countdowns of the rows on screen only, through a static proxy."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.ui.incident_model import Column
from noc_console.ui.main_window import MainWindow
from tests.ui.conftest import make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_tick_redraws_only_the_rows_on_screen(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    window.feed.stop()
    QApplication.processEvents()  # the (empty) snapshot the feed may have sent is in before ours
    try:
        severities = list(Severity)
        window.model.replace_all([make_incident(i, severities[i % 5], minutes=-i) for i in range(1, 2001)])
        window.filter_box.setText("edge 1")  # the proxy hides rows between those on screen
        table = window.table
        qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 300)
        table.verticalScrollBar().setValue(300)
        first, last = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
        proxy = window.table.proxy
        assert window.table.model() is proxy  # shown while a filter is active
        assert 0 < first < last < proxy.rowCount() - 1
        seen: list[tuple[int, int, int, int]] = []
        window.model.dataChanged.connect(
            lambda tl, br, _roles: seen.append((tl.row(), br.row(), tl.column(), br.column()))
        )
        window.tick()
        source = [proxy.mapToSource(proxy.index(r, 0)).row() for r in (first, last)]
        assert seen == [(source[0], source[1], Column.AGE, Column.ACK_DUE)]
        assert source[1] - source[0] < 400  # a screenful (and the rows filtered out between), not 2,000
    finally:
        window.close()
