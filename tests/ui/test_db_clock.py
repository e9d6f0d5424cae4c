"""The window judges leases, stale sources and ages by the database's clock, not by its own.

This computer's clock is set ten minutes wrong, one way or the other; what the window says must not
change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.clock import utcnow
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import repository as repo
from noc_console.store.lease import take_poller_lease
from noc_console.ui import theme
from noc_console.ui.incident_model import Column
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SKEW = timedelta(minutes=10)


def skewed(by: timedelta):
    return lambda: utcnow() + by


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'noc.db'}"


def seed(store, lease_s: float) -> datetime:
    with store.session() as s:
        now = repo.db_now(s)
        alert = Alert(
            source="prod-am",
            fingerprint="a",
            labels={"alertname": "down", "service": "dns"},
            summary="DNS down",
            description="",
            severity=Severity.MAJOR,
            starts_at=now,
            service="dns",
        )
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, [alert]), now=now)
        take_poller_lease(s, "elsewhere:1:poller:x", 4242, "wall-7", lease_s)
    return now


def open_window(qtbot, db_url: str, clock) -> MainWindow:
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None, clock=clock)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 1 and bool(window.sources.chips), timeout=5000)
    return window


def test_a_fast_local_clock_sees_a_live_poller_and_fresh_sources(qtbot, db_url, store) -> None:
    seed(store, lease_s=60)
    window = open_window(qtbot, db_url, skewed(SKEW))
    try:
        window.tick()
        label = window.poller_label
        assert label.text().startswith("Polling: host wall-7 pid 4242 since"), label.text()
        assert theme.ALARM_RED.name() not in label.styleSheet()
        assert "STALE" not in window.sources.chips["prod-am"].text()
        assert window.stale_banner.isHidden()
        age = window.table.model().index(0, Column.AGE).data()
        assert age.endswith("s") and "m" not in age, age  # seconds old, not ten minutes
        assert window.header.clock_utc.text() == f"{window.db_now():%H:%M:%S} UTC"
    finally:
        window.close()


def test_a_slow_local_clock_sees_a_lease_expire(qtbot, db_url, store) -> None:
    seed(store, lease_s=1)
    window = open_window(qtbot, db_url, skewed(-SKEW))
    try:
        label = window.poller_label

        def loud() -> bool:
            return "stopped renewing" in label.text() and theme.ALARM_RED.name() in label.styleSheet()

        qtbot.waitUntil(loud, timeout=5000)
        assert "incidents are NOT being updated" in label.text()
    finally:
        window.close()
