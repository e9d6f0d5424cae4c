"""The operator console as a whole: details that follow the selection, actions by key through their
forms, the needs-review list, filters that survive a restart, and menus that show every shortcut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from noc_console.domain.actions import ActionKind
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.correlation import SourceRules
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.ui.action_dialogs import ActionDialog, AssessmentDialog, AssignDialog, ResolveDialog
from noc_console.ui.incident_model import IncidentRole
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def alert(fp: str, severity: Severity, service: str, at: datetime) -> Alert:
    return Alert("prod-am", fp, {"alertname": f"{service} trouble", "service": service}, f"{service} trouble",
                 "", severity, at, service=service)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    yield store
    store.close()


def open_window(qtbot, store: Store, settings: QSettings | None = None) -> MainWindow:
    window = MainWindow(
        store.engine.url.render_as_string(), SlaPolicy(), "ana", poller=None, settings=settings
    )
    qtbot.addWidget(window)
    window.resize(1800, 1000)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def seed(store: Store, now: datetime) -> dict[str, int]:
    alerts = [alert("a", Severity.CRITICAL, "payments", now), alert("b", Severity.MINOR, "dns", now),
              alert("c", Severity.MAJOR, "vpn", now)]  # fmt: skip
    with store.session() as s:
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, alerts), now=now)
        return {i.service or "": i.id for i in repo.list_incidents(s)}


def select(window: MainWindow, incident_id: int) -> None:
    window.select_incident(incident_id)


def answering(fill):  # type: ignore[no-untyped-def]
    """Stand in for the operator at a form: fill it in, press OK."""

    def open_dialog(dialog: ActionDialog) -> int:
        fill(dialog)
        dialog.accept()
        return int(dialog.result())

    return open_dialog


def test_details_follow_the_selection_and_actions_by_key_reach_the_timeline(qtbot, store: Store) -> None:
    ids = seed(store, datetime.now(UTC))
    window = open_window(qtbot, store)
    try:
        qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
        assert window.details.title.text().startswith("Select an incident")
        select(window, ids["payments"])
        assert window.details.title.text() == f"#{ids['payments']} payments trouble"
        qtbot.waitUntil(lambda: window.details.timeline.rowCount() == 2, timeout=5000)  # opened, fired
        assert window.details.clocks.text().startswith("Acknowledge 4:")

        def assign(dialog: ActionDialog) -> None:
            assert isinstance(dialog, AssignDialog)
            dialog.to.setText("bob")

        window.incident_actions._open_dialog = answering(assign)
        qtbot.keyClick(window.table, Qt.Key.Key_G)
        qtbot.waitUntil(lambda: "assigned to bob" in window.action_status.text(), timeout=5000)
        qtbot.waitUntil(lambda: "Assigned to bob by ana" in window.details.timeline.index(
            window.details.timeline.rowCount() - 1).data(), timeout=5000)  # fmt: skip
        qtbot.waitUntil(lambda: "owner bob" in window.details.meta.text(), timeout=5000)

        def assess(dialog: ActionDialog) -> None:
            assert isinstance(dialog, AssessmentDialog)
            dialog.users.setValue(300)

        window.incident_actions._open_dialog = answering(assess)
        qtbot.keyClick(window.table, Qt.Key.Key_E)
        qtbot.waitUntil(lambda: "300 users affected" in window.details.assessment.text(), timeout=5000)
        assert "Assessment" not in window.details.clocks.text()  # that clock stopped

        def resolve(dialog: ActionDialog) -> None:
            assert isinstance(dialog, ResolveDialog)
            dialog.false_positive.setChecked(True)

        window.incident_actions._open_dialog = answering(resolve)
        qtbot.keyClick(window.table, Qt.Key.Key_R)
        qtbot.waitUntil(lambda: window.table.model().rowCount() == 2, timeout=5000)
        with store.read() as r:
            (done,) = repo.get_incidents(r, [ids["payments"]])
        assert done.false_positive and done.assigned_to == "bob" and done.users_affected == 300
    finally:
        window.close()


def test_a_cancelled_form_does_nothing(qtbot, store: Store) -> None:
    ids = seed(store, datetime.now(UTC))
    window = open_window(qtbot, store)
    try:
        qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
        select(window, ids["dns"])
        window.incident_actions._open_dialog = lambda dialog: QDialog.DialogCode.Rejected
        window.incident_actions.trigger(ActionKind.NOTE)
        qtbot.wait(300)  # nothing is sent: there is nothing to wait for
        with store.read() as r:
            assert [e.kind for e in repo.timeline(r, ids["dns"])] == ["opened", "alert_fired"]
    finally:
        window.close()


def test_an_incident_that_cleared_unseen_waits_in_needs_review_until_acknowledged(
    qtbot, store: Store
) -> None:
    now = datetime.now(UTC)
    ids = seed(store, now)
    later = now + timedelta(seconds=1)
    with store.session() as s:  # dns clears before anyone looked
        rules = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))
        apply_snapshot(s, AlertSnapshot.of("prod-am", later, [alert("a", Severity.CRITICAL, "payments", now),
                       alert("c", Severity.MAJOR, "vpn", now)]), now=later, rules=rules)  # fmt: skip
    window = open_window(qtbot, store)
    try:
        qtbot.waitUntil(lambda: window.review.model.rowCount() == 1, timeout=5000)
        assert window.tabs.tabText(1) == "Needs review (1)"
        window.tabs.setCurrentIndex(1)
        window.review.view.setCurrentIndex(window.review.model.index(0))
        assert window.details.title.text().startswith(f"#{ids['dns']} ")
        assert "NEEDS REVIEW" in window.details.meta.text()
        assert window.ack_action.isEnabled()
        qtbot.keyClick(window.review.view, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: window.review.model.rowCount() == 0, timeout=5000)
        assert window.tabs.tabText(1) == "Needs review"
    finally:
        window.close()


def test_filters_and_the_layout_survive_a_restart(qtbot, store: Store, tmp_path: Path) -> None:
    seed(store, datetime.now(UTC))
    settings_file = str(tmp_path / "console.ini")
    window = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
    major = next(a for a, v in window.filter_bar.choices("Severity") if v is Severity.MAJOR)
    major.setChecked(True)
    assert window.table.model().rowCount() == 1
    window.splitter.setSizes([700, 300])
    window.close()

    again = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
    try:
        qtbot.waitUntil(lambda: again.model.rowCount() == 3, timeout=5000)
        assert again.table.model().rowCount() == 1
        assert again.table.model().index(0, 0).data(IncidentRole).service == "vpn"
        assert again.filter_bar.menus["Severity"].text() == "Severity (1)"
        top, bottom = again.splitter.sizes()
        assert top > bottom
    finally:
        again.close()


def test_every_action_is_in_the_menu_with_its_shortcut_in_the_tooltip(qtbot, store: Store) -> None:
    window = open_window(qtbot, store)
    try:
        (incident_menu,) = [m.menu() for m in window.menuBar().actions() if m.text() == "&Incident"]
        keys = {a.text(): a.shortcut().toString() for a in incident_menu.actions() if not a.isSeparator()}
        mute = window.alarm_controls.toggle_action.text()
        assert keys == {"Acknowledge": "A", "Assign…": "G", "Note…": "N", "Assessment…": "E",
                        "Customer update…": "U", "Resolve…": "R", "Page…": "P", mute: "M",
                        "Post-mortem and executive report…": "Ctrl+Shift+P"}  # fmt: skip
        for action in window.incident_actions.actions.values():
            assert f"[{action.shortcut().toString()}]" in action.toolTip()
        assert not any(a.isEnabled() for a in window.incident_actions.actions.values())  # nothing selected
    finally:
        window.close()


def test_the_console_fits_a_1920_pixel_screen(qtbot, themed, store: Store) -> None:
    """No window manager on a wall or kiosk: a window wider than the screen is cut off, not squeezed."""
    window = open_window(qtbot, store)
    try:
        window.orphan_button.setText("Resolve 12 orphaned")
        window.orphan_button.show()
        window._set_action_status(
            "#1234 had already resolved at 2026-11-27T14:05:00Z (monitoring): " * 3, ok=True
        )
        assert window.minimumSizeHint().width() <= 1920
        assert window.minimumSizeHint().height() <= 1080  # every tall page scrolls inside its tab
    finally:
        window.close()


def test_local_times_follow_a_time_zone_change_within_a_tick(qtbot, store: Store, monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    fixed = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    window = MainWindow(
        store.engine.url.render_as_string(), SlaPolicy(), "ana", poller=None, clock=lambda: fixed
    )
    qtbot.addWidget(window)
    try:
        window.tick()
        assert window.header.clock_local.text().endswith("local 13:00:00")  # BST
        monkeypatch.setenv("TZ", "Asia/Tokyo")
        window.tick()
        assert window.header.clock_local.text().endswith("local 21:00:00")
        assert window.header.clock_utc.text() == "12:00:00 UTC"
    finally:
        window.close()
        monkeypatch.undo()
        time.tzset()
