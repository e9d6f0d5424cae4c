"""The wall's header and the console's status bar say when the heartbeat last went out, red when it
failed or stopped, and nothing when none is configured."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtGui import QColor

from noc_console.domain.heartbeat import HeartbeatStatus
from noc_console.store import lease, open_store
from noc_console.store.lease import PollerStatus
from noc_console.ui.status_widgets import with_heartbeat
from noc_console.ui.wall import WallWindow
from noc_console.ui.wall_view import WallView
from tests.ui.conftest import T0
from tests.ui.test_wall import POLICY

HOLDER = "floor:1"


def red_in_info_line(view: WallView) -> int:
    """Pixels of the wall's red in the header's second line (oldest unacknowledged, heartbeat, share)."""
    image = view.grab().toImage()
    line = view.wall_layout.info_line
    red = QColor(view._paint.red.color())
    return sum(
        1
        for x in range(line.left(), line.right(), 2)
        for y in range(line.top(), line.bottom(), 2)
        if image.pixelColor(x, y) == red
    )


def test_the_wall_header_shows_the_heartbeat_and_turns_red_when_it_fails(qtbot, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(url)
    with store.session() as s:
        epoch = lease.take_poller_lease(s, HOLDER, 4242, "poller-host", lease_s=600)
    assert epoch is not None
    window = WallWindow(url, POLICY, "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    try:
        qtbot.waitUntil(
            lambda: window.view.poller_line[0].startswith("Polling: host poller-host"), timeout=5000
        )
        assert window.view.heartbeat_line == ("", True)  # none configured: nothing said
        with store.session() as s:
            lease.record_heartbeat(s, HOLDER, epoch, 60.0, sent=True, error=None)
        qtbot.waitUntil(lambda: window.view.heartbeat_line[0].startswith("Heartbeat sent"), timeout=5000)
        assert window.view.heartbeat_line[0].endswith(" s ago") and window.view.heartbeat_line[1]
        assert red_in_info_line(window.view) == 0
        with store.session() as s:
            lease.record_heartbeat(s, HOLDER, epoch, 60.0, sent=False, error="HTTP 503: try later")
        qtbot.waitUntil(lambda: not window.view.heartbeat_line[1], timeout=5000)
        assert window.view.heartbeat_line[0].startswith(
            "Heartbeat NOT SENT for "
        )  # the cause: in the console
        window.view.repaint()
        assert red_in_info_line(window.view) > 0
    finally:
        window.close()
        store.close()


def test_the_status_bar_line_puts_the_heartbeat_first_and_is_red_with_it() -> None:
    beat = HeartbeatStatus(interval_s=60, since=T0 - timedelta(hours=1), sent_at=T0)
    status = PollerStatus(HOLDER, 4242, "h", T0 - timedelta(hours=1), T0, T0 + timedelta(seconds=5), 3, beat)
    polling = ("Polling: host h pid 4242", True)
    assert with_heartbeat(polling, status, T0 + timedelta(seconds=12)) == (
        "Heartbeat sent 12 s ago · Polling: host h pid 4242", True
    )  # fmt: skip
    assert with_heartbeat(polling, status, T0 + timedelta(seconds=121))[1] is False
    failed = replace(status, heartbeat=replace(beat, error="HTTP 503: try later"))
    assert with_heartbeat(polling, failed, T0 + timedelta(seconds=61)) == (
        "Heartbeat NOT SENT: HTTP 503: try later · last sent 1 min ago · Polling: host h pid 4242", False
    )  # fmt: skip
    assert with_heartbeat(polling, None, T0) == polling
    without = PollerStatus(HOLDER, 4242, "h", T0, T0, T0 + timedelta(seconds=5), 3)
    assert with_heartbeat(polling, without, T0) == polling
