"""`wall --rotate`: the wall alternates incidents and charts on each tick of its timer (called here,
never waited for), stays on the incidents while one is unacknowledged, and goes back to them at once
when one arrives."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.ui.wall import WallWindow
from noc_console.ui.wall_rotation import WallCharts, WallRotation
from tests.cli.helpers import run_cli
from tests.ui.conftest import make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_rotation_toggles_on_each_tick_and_pauses_for_an_unacknowledged_incident(qtbot) -> None:
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    incidents, charts = QWidget(), QWidget()
    stack.addWidget(incidents)
    stack.addWidget(charts)
    waiting = [False]
    rotation = WallRotation(stack, incidents, charts, 30, lambda: waiting[0])
    pages: list[str] = []
    rotation.pageChanged.connect(pages.append)
    rotation.start()
    try:
        assert rotation.timer.interval() == 30_000 and rotation.timer.isActive()
        assert rotation.page == "incidents"
        rotation.tick()
        assert rotation.page == "charts"
        rotation.tick()
        assert rotation.page == "incidents"
        waiting[0] = True  # an incident nobody acknowledged: the ticks change nothing
        rotation.tick()
        rotation.tick()
        assert rotation.page == "incidents"
        waiting[0] = False
        rotation.tick()
        assert rotation.page == "charts"
        waiting[0] = True
        rotation.check()  # a change set brought one: back at once, not at the next tick
        assert rotation.page == "incidents"
        assert pages == ["charts", "incidents", "charts", "incidents"]
    finally:
        rotation.stop()


@pytest.fixture
def wall(qtbot, themed, tmp_path):
    url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(url).close()
    catalog = ServiceCatalog((ServiceDef("checkout", critical=True), ServiceDef("dns")))
    window = WallWindow(url, SlaPolicy(), "ana", poller=None, charts=WallCharts(catalog, ("prod-am",), 45))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    yield window
    window.close()


def test_the_wall_shows_the_charts_until_an_incident_waits_for_someone(wall, qtbot) -> None:
    rotation = wall.rotation
    assert rotation is not None and wall.charts is not None
    assert rotation.timer.isActive() and rotation.timer.interval() == 45_000
    assert wall.charts.view.chart_style.wall
    qtbot.waitUntil(lambda: wall.charts.view.metrics is not None, timeout=10000)  # computed in its thread
    shown = wall.charts.view.metrics
    assert shown.until - shown.since == timedelta(days=30) and shown.incidents == 0
    assert wall.stack.currentWidget() is wall.view
    rotation.tick()
    assert wall.stack.currentWidget() is wall.charts

    new = make_incident(1, Severity.MAJOR, service="checkout")
    wall._on_incidents([new], [])  # the feed's change set: nobody acknowledged it
    assert wall.stack.currentWidget() is wall.view
    rotation.tick()
    assert wall.stack.currentWidget() is wall.view  # paused while it waits

    wall._on_incidents([replace(new, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana")], [])
    rotation.tick()
    assert wall.stack.currentWidget() is wall.charts
    qtbot.keyClick(wall, Qt.Key.Key_Down)  # a key at the wall is about incidents: they come back
    assert wall.stack.currentWidget() is wall.view


def test_a_wall_without_rotate_has_no_charts(qtbot, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(url).close()
    window = WallWindow(url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    try:
        assert window.rotation is None and window.charts is None
    finally:
        window.close()


@pytest.mark.parametrize("value", ["5", "9.9", "soon", "nan", "100000"])
def test_rotate_outside_10_s_to_a_day_is_refused_naming_the_option(tmp_path, value) -> None:
    database = tmp_path / "noc.db"
    result = run_cli("--db", f"sqlite:///{database}", "wall", "--rotate", value)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("noc-console: argument --rotate: ")
    assert not database.exists()
