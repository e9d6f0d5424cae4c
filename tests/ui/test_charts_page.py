"""ChartsPage on a real store (SQLite and PostgreSQL): the charts show what `store.metrics.metrics`
computes for the same range, a new range is computed at once, changed incidents at most once a minute,
and a database that fails is a line on the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert

from noc_console.domain.chart_range import ChartRange
from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.metrics import Metrics
from noc_console.store import StoreError, open_store
from noc_console.store.metrics import metrics as store_metrics
from noc_console.store.models import AlertRow, IncidentRow
from noc_console.ui.charts_page import ChartsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CATALOG = ServiceCatalog(
    (
        ServiceDef("payments", critical=True, match={"service": "payments"}),
        ServiceDef("dns"),
        ServiceDef("vpn", critical=True),
    )
)
SOURCES = ["am"]


def seed(db_url: str) -> None:
    """Forty incidents over the last 40 days (now by this machine's clock, as the database's)."""
    now = datetime.now(UTC).replace(microsecond=0)
    incidents, alerts = [], []
    for i in range(1, 41):
        detected = now - timedelta(days=i) + timedelta(hours=1 + i % 5)
        service = ("payments", "dns", "vpn")[i % 3]
        customer = service == "vpn" or i % 7 == 0
        incidents.append(
            {
                "id": i, "title": f"incident {i}", "severity": "major", "status": "resolved",
                "service": service, "correlation_key": f"service:{service}",
                "detected_by": "customer" if customer else "monitoring", "source": "am",
                "opened_at": detected, "detected_at": detected, "last_alert_at": detected,
                "acknowledged_at": detected + timedelta(minutes=i % 9 + 1),
                "resolved_at": detected + timedelta(hours=2),
                "impact_started_at": detected - timedelta(minutes=i % 4 + 1),
                "false_positive": i % 5 == 0, "call_count": 0,
            }
        )  # fmt: skip
        if not customer:
            alerts.append(
                {
                    "incident_id": i, "source": "am", "fingerprint": f"f{i}", "name": "Down",
                    "labels": {"service": service}, "summary": "", "description": "", "severity": "major",
                    "state": "resolved", "service": service, "silenced": False, "starts_at": detected,
                    "first_seen_at": detected, "last_seen_at": detected,
                }
            )  # fmt: skip
    store = open_store(db_url)
    try:
        with store.session() as session:
            session.execute(insert(IncidentRow), incidents)
            session.execute(insert(AlertRow), alerts)
    finally:
        store.close()


def computed_by_the_store(db_url: str, shown: Metrics) -> Metrics:
    store = open_store(db_url)
    try:
        with store.read() as session:
            return store_metrics(session, CATALOG, SOURCES, shown.since, shown.until)
    finally:
        store.close()


def test_the_page_shows_what_the_store_computes_for_the_range(qtbot, themed, db_url) -> None:
    seed(db_url)
    page = ChartsPage(db_url, CATALOG, SOURCES)
    qtbot.addWidget(page)
    page.resize(1920, 1080)
    page.show()
    try:
        with qtbot.waitSignal(page.shown, timeout=10000) as first:
            page.start()
        shown: Metrics = first.args[0]
        assert shown.until - shown.since == timedelta(days=30)  # the default range
        assert shown.incidents == 30 and shown.granularity == "day"
        assert shown == computed_by_the_store(db_url, shown)
        view = page.view
        detection = view.panels["detection"]
        np.testing.assert_allclose(
            detection.internal_bars.opts["height"], [b.incidents - b.customer_reported for b in shown.series]
        )
        np.testing.assert_allclose(
            detection.customer_bars.opts["height"], [b.customer_reported for b in shown.series]
        )
        assert view.figures[-1].value.text() == "30"
        assert view.panels["coverage"].shown[0].service == "vpn"  # only customers saw it

        with qtbot.waitSignal(page.shown, timeout=10000) as second:
            qtbot.mouseClick(view.presets[90], Qt.MouseButton.LeftButton)
        wider: Metrics = second.args[0]
        assert wider.until - wider.since == timedelta(days=90) and wider.granularity == "week"
        assert wider.incidents == 40
        assert wider == computed_by_the_store(db_url, wider)
        assert view.figures[-1].value.text() == "40"
    finally:
        page.stop()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_changed_incidents_recompute_at_most_once_a_minute(qtbot, themed, tmp_path) -> None:
    """The worker is not started here: each request is recorded instead of computed."""
    clock = FakeClock()
    page = ChartsPage(f"sqlite:///{tmp_path / 'noc.db'}", CATALOG, SOURCES, clock=clock)
    qtbot.addWidget(page)
    asked: list[ChartRange] = []
    page.worker.request = asked.append  # type: ignore[method-assign]
    try:
        page.refresh()  # what start() does first
        assert asked == [ChartRange.last(30)]
        clock.now += 10
        page.incidents_changed([], [])
        assert len(asked) == 1  # 10 s after the last: put off
        assert page.refresh_timer.isActive() and page.refresh_timer.interval() == 50_000
        clock.now += 20
        page.incidents_changed([], [1])  # rides along with the one due
        assert len(asked) == 1 and page.refresh_timer.interval() == 50_000
        clock.now += 30
        page.refresh_timer.stop()
        page.refresh_timer.timeout.emit()  # the minute is over
        assert asked == [ChartRange.last(30)] * 2
        clock.now += 61
        page.incidents_changed([], [])  # a minute since the last: at once
        assert len(asked) == 3 and not page.refresh_timer.isActive()
        clock.now += 5
        page.incidents_changed([], [])
        assert page.refresh_timer.isActive()
        page.view.pick_days(7)  # a new range: at once, whatever the limit, and nothing left pending
        assert asked[-1] == ChartRange.last(7) and len(asked) == 4
        assert not page.refresh_timer.isActive()
    finally:
        page.stop()


def test_a_database_that_fails_is_a_line_on_the_page(qtbot, themed, tmp_path) -> None:
    def broken(_url: str) -> Any:
        raise StoreError("database: this database was made by a newer release (schema 0099)")

    page = ChartsPage(f"sqlite:///{tmp_path / 'noc.db'}", CATALOG, SOURCES, store_factory=broken)
    qtbot.addWidget(page)
    try:
        page.start()
        # (not waitSignal on `failed`: the worker thread emits it, and the blocker would stop its timer there)
        qtbot.waitUntil(lambda: page.view.error.text() != "", timeout=10000)
        assert page.view.error.text() == (
            "Could not compute the metrics: this database was made by a newer release (schema 0099)"
        )
        assert page.view.metrics is None
    finally:
        page.stop()


def test_a_refresh_after_the_page_stopped_opens_no_store(qtbot, themed, tmp_path) -> None:
    """A refresh already queued when the page stops (the feed said incidents changed) would run in the
    GUI thread, on a store that nobody closes: after stop(), the worker takes no more work."""
    opened: list[Any] = []

    def counting(url: str) -> Any:
        store = open_store(url)
        opened.append(store)
        return store

    page = ChartsPage(f"sqlite:///{tmp_path / 'noc.db'}", CATALOG, SOURCES, store_factory=counting)
    qtbot.addWidget(page)
    try:
        with qtbot.waitSignal(page.shown, timeout=10000):
            page.start()
    finally:
        page.stop()
    assert len(opened) == 1
    page.refresh()  # e.g. a queued incidentsChanged delivered after the stop
    page.worker.request(page.chart_range)
    qtbot.wait(50)
    assert len(opened) == 1, "a stopped page opened a store nobody will close"
