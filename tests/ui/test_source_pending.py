"""The source strip shows how many of a source's alerts are pending (shown, opening nothing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from noc_console.domain.health import SourceHealth
from noc_console.ui.status_widgets import SourceStrip

NOW = datetime(2026, 11, 28, 5, 30, tzinfo=UTC)


def health(name: str, alerts: int, pending: int) -> SourceHealth:
    return SourceHealth(
        name, NOW - timedelta(seconds=4), None, None, 0, alerts, NOW, 10.0, pending_count=pending
    )


def test_a_source_with_pending_alerts_says_how_many(qtbot: QtBot) -> None:
    strip = SourceStrip()
    qtbot.addWidget(strip)
    strip.set_health([health("prom", 3, 2), health("am", 4, 0)], NOW)
    assert strip.chips["prom"].text() == "prom OK · 3 alerts · 4 s ago · 2 pending"
    assert "pending" not in strip.chips["am"].text()
    # when they fire (or end), the count goes
    strip.set_health([health("prom", 3, 0), health("am", 4, 0)], NOW)
    assert "pending" not in strip.chips["prom"].text()
