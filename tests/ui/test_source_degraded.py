"""A source answering only in part (an Alertmanager HA pair with one member down): amber with its
warning on the operator window's chip and on the wall, never red nor BLIND."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QColor

from noc_console.domain.health import SourceHealth
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.wall import WallBoard, degraded_sources, warning_summary
from noc_console.ui import theme
from noc_console.ui.status_widgets import SourceStrip, stale_banner_text
from noc_console.ui.wall_view import WallView
from tests.ui.conftest import T0

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
NOW = T0 + timedelta(minutes=10)
WARNING = "1 of 2 members not answering: http://127.0.0.1:9094: cannot connect: connection refused"


def pair(warning: str | None = WARNING, last_ok: timedelta = timedelta(seconds=4)) -> SourceHealth:
    return SourceHealth("am-pair", NOW - last_ok, None, None, 0, 3, NOW, 10.0, warning=warning)


def test_warning_summary_is_its_first_clause() -> None:
    assert warning_summary(WARNING) == "1 of 2 members not answering"
    assert warning_summary("x" * 100, max_len=10) == "x" * 9 + "…"


def test_degraded_only_while_answering() -> None:
    assert degraded_sources([pair()], NOW) == ["DEGRADED: am-pair, 1 of 2 members not answering"]
    assert degraded_sources([pair(warning=None)], NOW) == []
    stale = pair(last_ok=timedelta(minutes=5))
    assert degraded_sources([stale], NOW) == []  # stale is blind, said by the BLIND line instead
    assert stale_banner_text([pair()], NOW) == ""  # no red banner for a warning


def test_chip_is_amber_with_the_warning(qtbot) -> None:
    strip = SourceStrip()
    qtbot.addWidget(strip)
    strip.set_health([pair(), SourceHealth("dc2", NOW, None, None, 0, 7, NOW, 10.0)], NOW)
    chip = strip.chips["am-pair"]
    assert chip.text() == "am-pair DEGRADED · 1 of 2 members not answering"
    assert theme.WARN_AMBER.name() in chip.styleSheet()
    assert "#b71c1c" not in chip.styleSheet()
    assert "http://127.0.0.1:9094" in chip.toolTip()  # the whole warning, member and reason
    assert strip.chips["dc2"].text().startswith("dc2 OK")

    strip.set_health([pair(warning=None)], NOW)  # the member is back: green again
    assert chip.text().startswith("am-pair OK · 3 alerts")
    assert theme.OK_GREEN.name() in chip.styleSheet() and chip.toolTip() == ""

    strip.set_health([pair(last_ok=timedelta(minutes=5))], NOW)  # both down: red, STALE
    assert "STALE" in chip.text() and "#b71c1c" in chip.styleSheet()


def test_wall_shows_a_warning_line_not_blind(qtbot) -> None:
    view = WallView(WallBoard(SlaPolicy(), NOW), SlaPolicy(), NOW)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    view.set_health([pair(), SourceHealth("dc2", NOW, None, None, 0, 7, NOW, 10.0)])
    header = view.header_content()
    assert header.blind == ()
    assert header.degraded == ("DEGRADED: am-pair, 1 of 2 members not answering",)
    assert header.healthy == "OK: dc2"
    line = view.wall_layout.sources_line
    image = view.grab().toImage()
    amber = QColor(theme.WARN_AMBER)

    def near(color: QColor, want: QColor) -> bool:
        return all(abs(a - b) < 40 for a, b in zip(color.getRgb()[:3], want.getRgb()[:3], strict=True))

    ambers = sum(
        1
        for x in range(line.x(), line.x() + 500)
        for y in range(line.y(), line.bottom())
        if near(image.pixelColor(x, y), amber)
    )
    assert ambers > 100  # the DEGRADED line is drawn in amber, where the BLIND one would be
