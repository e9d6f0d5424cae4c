"""The Maintenance tab: windows, the alerts they hold (greyed, "in maintenance"), schedule and end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt

from noc_console.domain.alerts import Alert
from noc_console.domain.maintenance import NewWindow
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.store.maintenance import add_window, all_windows, write_held
from noc_console.ui import theme
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def desk(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    now = datetime.now(UTC)
    with store.session() as s:
        add_window(s, NewWindow("payments", now - timedelta(minutes=5), now + timedelta(hours=1),
                                "card switch firmware", "alice"), now)  # fmt: skip
        held = Alert(
            source="am", fingerprint="f1", labels={"service": "payments"}, summary="Card auth failing",
            description="", severity=Severity.CRITICAL, starts_at=now - timedelta(minutes=2),
            service="payments",
        )  # fmt: skip
        write_held(s, "am", [held], ["payments"], now)
    window = MainWindow(db_url, SlaPolicy(), "ana", None,
                        helpdesk=HelpdeskSettings(services=("payments", "checkout")),
                        outbox_path=tmp_path / "outbox.db")  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield window, store
    window.close()
    store.close()


def test_windows_and_held_alerts_are_shown_greyed_and_an_operator_schedules_and_ends(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, store = desk
    tab = window.maintenance
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.maintenance_page
    qtbot.waitUntil(lambda: tab.windows.rowCount() == 1 and tab.held.rowCount() == 1, timeout=5000)
    assert tab.windows.item(0, 1).text() == "IN MAINTENANCE"
    assert tab.windows.item(0, 2).text() == "payments" and tab.windows.item(0, 5).text() == "1"
    assert tab.windows.item(0, 8).text() == "card switch firmware"
    assert [tab.held.item(0, c).text() for c in (0, 1, 2, 5)] == [
        "payments", "CRITICAL", "Card auth failing", "in maintenance"
    ]  # fmt: skip
    assert tab.held.item(0, 2).foreground().color() == theme.MUTED_TEXT  # greyed: no incident, no alarm

    # A bad form names the field and schedules nothing.
    tab.service.setCurrentText("paymnets")
    tab.reason.setText("core switch")
    tab.add_button.click()
    qtbot.waitUntil(lambda: "service" in tab.message.text(), timeout=5000)
    assert "Not scheduled" in tab.message.text()

    tab.service.setCurrentText("checkout")
    start = QDateTime.currentDateTime().addSecs(3600)
    tab.starts.setDateTime(start)
    tab.ends.setDateTime(start.addSecs(1800))
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.windows.rowCount() == 2, timeout=5000)
    assert "scheduled" in tab.message.text()
    assert tab.windows.item(1, 1).text() == "upcoming" and tab.windows.item(1, 6).text() == "ana"
    assert tab.windows.item(1, 1).foreground().color() == theme.MUTED_TEXT

    tab.windows.selectRow(0)
    tab.end_button.click()
    qtbot.waitUntil(lambda: tab.windows.rowCount() == 1 and tab.held.rowCount() == 0, timeout=5000)
    assert "ended" in tab.message.text()
    with store.read() as s:
        ended = {w.service: w for w in all_windows(s)}
    assert ended["payments"].ended_by == "ana" and ended["checkout"].ended_at is None
    assert ended["checkout"].created_by == "ana" and ended["checkout"].reason == "core switch"
