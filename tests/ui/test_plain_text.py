"""Text from a source (titles, error messages) is shown exactly as sent, never as Qt rich text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot, record_failure
from noc_console.ui.incident_model import Column, IncidentRole
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HOSTILE = "<img src=x><b>boom</b>"


def as_shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt draws for `text`: QLabel and QToolTip treat AutoText as rich when it looks like HTML."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label: QLabel) -> str:
    return as_shown(label.text(), label.textFormat())


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'noc.db'}"


@pytest.fixture
def window(qtbot, db_url, store):
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None, warnings=[f"source {HOSTILE}: TLS off"])
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    yield window
    window.close()


def test_source_error_and_title_are_shown_literally(qtbot, window, store) -> None:
    now = datetime.now(UTC)
    snapshot = AlertSnapshot.of(
        "prod-am",
        now,
        [
            Alert(
                source="prod-am",
                fingerprint="f1",
                labels={"alertname": "x", "service": "checkout"},
                summary=HOSTILE,
                description="",
                severity=Severity.CRITICAL,
                starts_at=now,
                service="checkout",
            )
        ],
    )
    with store.session() as s:
        apply_snapshot(s, snapshot, now=now)
        record_failure(s, "prod-am", f"{HOSTILE}\nsecond line", now + timedelta(seconds=1))
    qtbot.waitUntil(
        lambda: window.table.model().rowCount() == 1 and window.stale_banner.isVisible(), timeout=5000
    )

    assert HOSTILE in label_shows(window.stale_banner)
    assert HOSTILE in label_shows(window.config_banner)
    chip = window.sources.chips["prod-am"]
    assert "prod-am" in label_shows(chip)
    assert as_shown(chip.toolTip()).startswith(HOSTILE)
    assert "second line" in as_shown(chip.toolTip())

    title = window.table.model().index(0, Column.TITLE)
    assert title.data(IncidentRole).title == HOSTILE
    assert title.data(Qt.ItemDataRole.DisplayRole).startswith(HOSTILE)  # item views draw plain text
    assert as_shown(title.data(Qt.ItemDataRole.ToolTipRole)).startswith(HOSTILE)


def test_every_label_that_can_show_remote_text_is_plain(window) -> None:
    """Labels are plain text from the start: one set later cannot be HTML for a moment."""
    labels = [
        window.stale_banner,
        window.store_banner,
        window.config_banner,
        window.action_status,
        window.poller_label,
        window.header.title,
    ]
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_store_error_banner_is_literal(qtbot, tmp_path) -> None:
    def factory(url: str):
        raise OSError(f"disk says {HOSTILE}")

    window = MainWindow(
        f"sqlite:///{tmp_path / 'x.db'}", SlaPolicy(), "ana", poller=None, store_factory=factory
    )
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(window.store_banner.isVisible, timeout=5000)
        assert HOSTILE in label_shows(window.store_banner)
    finally:
        window.close()
