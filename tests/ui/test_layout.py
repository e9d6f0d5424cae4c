"""The operator's layout survives a restart, `--reset-layout` forgets it (not the filters), and a window
remembered on a screen that is gone comes back onto one that is there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from noc_console.store import open_store
from noc_console.ui import layout
from tests.ui.test_console import open_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_window_remembered_off_every_screen_is_brought_back(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(9000, 7000, 700, 500)  # where a monitor that was unplugged used to be
    layout.save_window(window, settings)
    again = QWidget()
    qtbot.addWidget(again)
    assert layout.restore_window(again, settings)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.intersects(again.geometry()) and screen.contains(again.geometry().center())
    assert (again.width(), again.height()) == (700, 500)
    fine = QWidget()
    qtbot.addWidget(fine)
    fine.setGeometry(screen.x() + 20, screen.y() + 30, 400, 300)
    assert not layout.keep_on_screen(fine)  # on a screen already: left alone


def test_columns_tab_and_place_survive_a_restart_and_reset_layout_keeps_filters(
    qtbot, tmp_path: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    settings_file = str(tmp_path / "console.ini")
    try:
        window = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
        header = window.table.horizontalHeader()
        header.resizeSection(3, 333)  # the service column (the title stretches)
        header.moveSection(1, 4)
        window.tabs.setCurrentIndex(2)
        window.filter_bar.text.setText("payments")
        window.close()
        again = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
        header = again.table.horizontalHeader()
        assert header.sectionSize(3) == 333 and header.visualIndex(1) == 4
        assert again.tabs.currentIndex() == 2
        saved = QSettings(settings_file, QSettings.Format.IniFormat)
        assert saved.value(layout.GEOMETRY) is not None
        again.close()

        layout.reset_layout(saved)
        assert all(saved.value(key) is None for key in layout.LAYOUT_KEYS)
        third = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
        assert third.tabs.currentIndex() == 0 and third.filter_bar.text.text() == "payments"
        third.close()
    finally:
        store.close()


def test_the_wall_finds_its_remembered_screen_or_none_when_it_is_gone(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from noc_console.ui.wall import remembered_screen

    class Screen:
        def __init__(self, name: str) -> None:
            self._name = name

        def name(self) -> str:
            return self._name

    left, right = Screen("DP-1"), Screen("HDMI-2")
    monkeypatch.setattr(QApplication, "screens", staticmethod(lambda: [left, right]))
    assert remembered_screen("HDMI-2") is right
    assert remembered_screen("HDMI-9") is None and remembered_screen("") is None  # gone: screen 0 then


def test_the_table_says_it_is_loading_until_the_first_read_arrives(qtbot, tmp_path: Path) -> None:
    from noc_console.domain.sla import SlaPolicy
    from noc_console.ui.main_window import MainWindow

    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    try:
        window = MainWindow(store.engine.url.render_as_string(), SlaPolicy(), "ana", poller=None)
        qtbot.addWidget(window)
        assert not window.loading.isHidden() and window.loading.maximum() == 0  # a moving bar, at once
        window.show()
        qtbot.waitUntil(window.loading.isHidden, timeout=10_000)  # the first read came
        window.close()
    finally:
        store.close()


def test_every_menu_action_has_a_key_and_the_main_parts_have_accessible_names(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMenu

    from noc_console.domain.sla import SlaPolicy
    from noc_console.ui.main_window import MainWindow

    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    try:
        window = MainWindow(store.engine.url.render_as_string(), SlaPolicy(), "ana", poller=None)
        qtbot.addWidget(window)
        menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
        assert menus and all("&" in menu.title() for menu in menus)  # Alt+I, Alt+V open them
        keyless = [
            action.text()
            for menu in menus
            for action in menu.actions()
            if not action.isSeparator() and action.shortcut().isEmpty()
        ]
        assert keyless == []
        parts = [window.header, window.table, window.details, window.tabs, window.filter_bar, window.sources]
        assert all(part.accessibleName() for part in parts)
        window.close()
    finally:
        store.close()
