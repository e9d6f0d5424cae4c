"""The light theme: the whole window switches at once (palette, rows, timeline), the desk remembers
it, and every severity is written in words, so colour never carries it alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.ui import layout, theme
from noc_console.ui.incident_model import Column
from tests.ui.test_console import open_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def dark_again():
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "dark")  # the other tests expect the default


def test_switching_to_light_restyles_the_window_and_is_remembered(qtbot, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    with store.session() as session:
        apply_snapshot(
            session,
            AlertSnapshot.of("am", NOW, [
                Alert(source="am", fingerprint="a", labels={"service": "payments"}, summary="Payments down",
                      description="", severity=Severity.CRITICAL, starts_at=NOW - timedelta(minutes=2),
                      service="payments"),
            ]),
            now=NOW,
        )  # fmt: skip
    settings_file = str(tmp_path / "console.ini")
    try:
        window = open_window(qtbot, store, QSettings(settings_file, QSettings.Format.IniFormat))
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        index = window.model.index(0, Column.TITLE)
        dark_tint = window.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name()
        assert dark_tint == theme.DARK.tints[0]
        window.light_theme.trigger()  # View > Light theme
        app = QApplication.instance()
        assert app.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT.background
        assert window.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == theme.LIGHT.tints[0]
        assert window.model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == theme.LIGHT.text
        severity = window.model.data(window.model.index(0, Column.SEVERITY), Qt.ItemDataRole.DisplayRole)
        assert "CRITICAL" in severity.upper()  # in words, whatever the colours
        assert QSettings(settings_file, QSettings.Format.IniFormat).value(layout.THEME) == "light"
        window.light_theme.trigger()
        assert app.palette().color(QPalette.ColorRole.Window).name() == theme.DARK.background
        assert window.model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == theme.DARK.tints[0]
        window.close()
    finally:
        store.close()


def test_both_themes_keep_text_readable_on_their_backgrounds() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for scheme in (theme.DARK, theme.LIGHT):
        for background in (scheme.background, scheme.surface, *scheme.tints):
            assert contrast(scheme.text, background) >= 7, (scheme.name, background)  # WCAG AAA
        for colour in (scheme.alarm_red, scheme.warn_amber, scheme.muted_text):
            assert contrast(colour, scheme.surface) >= 4.5, (scheme.name, colour)  # WCAG AA
