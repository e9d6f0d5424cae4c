"""The wall, offscreen: most urgent first, blinking breaches, the customer marker, BLIND sources,
All clear with the last poll, +N hidden, type sizes, and A acknowledging through a real store."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.health import SourceHealth
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockState, SlaPolicy
from noc_console.domain.wall import WallBoard
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.store.models import PollerLeaseRow
from noc_console.ui.wall import WallWindow
from noc_console.ui.wall_layout import BREACHED_DARK, BREACHED_LIT, CUSTOMER
from noc_console.ui.wall_view import ClockCell, WallView
from tests.ui.conftest import T0, Clock, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
POLICY = SlaPolicy()
# On the second: the breached countdowns are lit (dark in the second half of each second).
NOW = T0 + timedelta(minutes=10, seconds=30)


@pytest.fixture
def utc_zone() -> Iterator[None]:
    """Local time is UTC for the test (and back to what it was after), so times read predictably."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def wall(qtbot, incidents, now: datetime = NOW, size: tuple[int, int] = (1920, 1080)) -> WallView:
    board = WallBoard(POLICY, now)
    board.replace_all(incidents)
    view = WallView(board, POLICY, now)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    return view


def scene() -> list:
    return [
        make_incident(1, Severity.CRITICAL, minutes=6.5),  # ack due in 1:00: amber (its last third)
        make_incident(2, Severity.INFO, minutes=0),  # ack breached 5:30 ago: above every critical
        make_incident(3, Severity.MAJOR, minutes=9.5, detected_by=DetectionSource.CUSTOMER, call_count=1),
        make_incident(
            4, Severity.MAJOR, minutes=9, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana"
        ),
        make_incident(5, Severity.WARNING, minutes=9, assigned_to="j.doe"),
    ]


def pixel(view: WallView, point: QPoint) -> QColor:
    image: QImage = view.grab().toImage()
    return image.pixelColor(point)


def test_rows_are_most_urgent_first_with_who_has_it_and_every_clock(qtbot, utc_zone) -> None:
    view = wall(qtbot, scene())
    assert [i.id for i in view.shown()] == [2, 1, 3, 4, 5]
    breached = view.row_content(view.shown()[0])
    assert breached.title == "#2  Packet loss on edge 2"
    assert breached.detail == "INFO · dns · 10 min"
    assert breached.owner == "no owner"
    assert [(c.label, c.countdown, c.state) for c in breached.clocks] == [
        ("ACKNOWLEDGE", "+5:30", ClockState.BREACHED),
        ("ASSESSMENT", "4:30", ClockState.WARNING),
    ]
    amber = view.row_content(view.shown()[1])
    assert amber.clocks[0] == ClockCell("ACKNOWLEDGE", "1:00", ClockState.WARNING)
    assert [c.state for c in amber.clocks[1:]] == [ClockState.OK, ClockState.OK]
    acked = view.row_content(view._board.get(4))
    assert acked.owner == "acked · ana"
    assert "ACKNOWLEDGE" not in [c.label for c in acked.clocks]
    assert view.row_content(view._board.get(5)).owner == "with j.doe"


def test_a_breached_countdown_blinks_at_one_hertz(qtbot) -> None:
    view = wall(qtbot, scene())
    box = view.wall_layout.clock_boxes[0][1]  # row 0 (#2): acknowledge, breached; right-aligned clocks
    corner = box.topLeft() + QPoint(3, 3)
    assert pixel(view, corner) == BREACHED_LIT  # on the second
    view.set_now(NOW + timedelta(seconds=0.5))
    assert pixel(view, corner) == BREACHED_DARK
    view.set_now(NOW + timedelta(seconds=1))
    assert pixel(view, corner) == BREACHED_LIT
    amber_box = view.wall_layout.clock_boxes[1][0]  # row 1 (#1): acknowledge, amber: never blinks
    inside = amber_box.center() + QPoint(0, amber_box.height() // 2 - 8)
    colours = {pixel(view, inside).name()}
    view.set_now(NOW + timedelta(seconds=1.5))
    colours.add(pixel(view, inside).name())
    assert len(colours) == 1


def test_a_customer_reported_incident_is_marked_unmistakably(qtbot) -> None:
    view = wall(qtbot, scene())
    row = [i.id for i in view.shown()].index(3)
    assert view.row_content(view.shown()[row]).customer
    rect = view.wall_layout.rows[row]
    border = rect.topLeft() + QPoint(rect.width() // 2, 1)
    assert pixel(view, border) == CUSTOMER
    badge = view.wall_layout.details[row].topLeft() + QPoint(4, 4)
    assert pixel(view, badge) == CUSTOMER
    plain = view.wall_layout.rows[0]
    assert pixel(view, plain.topLeft() + QPoint(plain.width() // 2, 1)) != CUSTOMER


def test_the_header_names_a_blind_source_in_red_and_counts(qtbot) -> None:
    view = wall(qtbot, scene())
    view.set_health(
        [
            SourceHealth("prod-am", NOW - timedelta(minutes=3), "401 Unauthorized", NOW, 18, 0, NOW, 10.0),
            SourceHealth("dc2", NOW - timedelta(seconds=4), None, None, 0, 7, NOW, 10.0),
        ]
    )
    view.set_detection_share(23, 25)
    header = view.header_content()
    assert header.blind == ("BLIND: prod-am, no data for 3 min: 401 Unauthorized",)
    assert header.healthy == "OK: dc2"
    assert header.oldest == "Oldest unacked: #2, 10 min"
    assert header.share == "Detected by us today: 92 % (23 of 25)"
    line = view.wall_layout.sources_line
    image = view.grab().toImage()
    reds = sum(
        1
        for x in range(line.x(), line.x() + 400)
        for y in range(line.y(), line.bottom())
        if image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).green() < 120
    )
    assert reds > 200  # the BLIND line is drawn in red
    counts = view._board.counts
    assert counts[Severity.MAJOR] == 2 and counts[Severity.CRITICAL] == 1


def test_an_empty_wall_says_all_clear_with_the_last_successful_poll(qtbot, utc_zone) -> None:
    view = wall(qtbot, [])
    assert view.all_clear_note() == "no successful poll yet"
    view.set_last_success(datetime(2024, 5, 1, 14, 35, 12, tzinfo=UTC))
    assert view.all_clear_note() == "last successful poll 14:35:12"
    assert view.shown() == []
    title = view.wall_layout.clear_title
    image = view.grab().toImage()
    greens = sum(
        1
        for x in range(title.center().x() - 300, title.center().x() + 300, 3)
        for y in range(title.y(), title.bottom(), 3)
        if image.pixelColor(x, y).green() > 200 and image.pixelColor(x, y).red() < 180
    )
    assert greens > 100  # a big green "All clear" is drawn


def test_more_incidents_than_fit_say_how_many_are_hidden(qtbot) -> None:
    incidents = [make_incident(i, Severity.MINOR, minutes=i / 10) for i in range(1, 21)]
    view = wall(qtbot, incidents)
    assert view.slots == 6
    assert view.hidden_text() == "+14 more not shown"
    view.resize(1920, 2160)  # a taller screen shows more
    assert view.hidden_text() == f"+{20 - view.slots} more not shown"
    view._board.apply([], removed_ids=[i.id for i in incidents[view.slots :]])
    assert view.hidden_text() == ""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160), (1280, 720)])
def test_type_is_scaled_to_the_screen(qtbot, width: int, height: int) -> None:
    view = wall(qtbot, scene(), size=(width, height))
    layout = view.wall_layout
    title = QFontMetrics(layout.title_font).tightBoundingRect("H").height()
    digits = QFontMetrics(layout.countdown_font).tightBoundingRect("0123456789").height()
    assert title >= 28 * height / 1080 - 1
    assert digits >= 40 * height / 1080 - 1
    if height == 1080:
        assert title >= 28 and digits >= 40
    # The widest countdowns fit their box at full height (weeks overdue is narrowed, not cut).
    box = layout.clock_texts[0][0]
    assert QFontMetrics(layout.countdown_font).horizontalAdvance("+23h59") <= box.width()


def test_titles_from_outside_are_cut_and_plain(qtbot) -> None:
    hostile = make_incident(9, Severity.CRITICAL, title="<b>bold</b> " + "x" * 100_000)
    view = wall(qtbot, [hostile])
    content = view.row_content(hostile)
    assert content.title.startswith("#9  <b>bold</b> xxx")
    assert len(content.title) < 400
    view.grab()  # drawn without trouble


def store_alert(fp: str, severity: Severity, service: str, at: datetime) -> Alert:
    return Alert(
        source="prod-am",
        fingerprint=fp,
        labels={"alertname": f"{service} trouble", "service": service},
        summary=f"{service} trouble",
        description="",
        severity=severity,
        starts_at=at,
        service=service,
    )


def test_arrows_and_a_acknowledge_the_selected_incident_in_the_store(qtbot, tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    now = datetime.now(UTC)
    with store.session() as s:
        alerts = [
            store_alert("a", Severity.CRITICAL, "checkout", now),
            store_alert("b", Severity.MAJOR, "dns", now),
            store_alert("c", Severity.MINOR, "vpn", now),
        ]
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, alerts), now=now)
        ids = {i.service: i.id for i in repo.list_incidents(s)}
    window = WallWindow(store.engine.url.render_as_string(), POLICY, "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    window.activateWindow()
    try:
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        qtbot.waitUntil(lambda: len(window.board) == 3, timeout=5000)
        assert [i.service for i in window.view.shown()] == ["checkout", "dns", "vpn"]
        qtbot.keyClick(window, Qt.Key.Key_A)  # nothing selected: nothing happens
        assert "Select an incident" in window.view.status[0]
        qtbot.keyClick(window, Qt.Key.Key_Down)
        qtbot.keyClick(window, Qt.Key.Key_Down)
        assert window.view.selected_id == ids["dns"]
        qtbot.keyClick(window, Qt.Key.Key_A)

        def acknowledged(incident_id: int) -> bool:
            with store.read() as s:
                (incident,) = repo.get_incidents(s, [incident_id])
            return incident.status is IncidentStatus.ACKNOWLEDGED and incident.acknowledged_by == "ana"

        qtbot.waitUntil(lambda: acknowledged(ids["dns"]), timeout=5000)
        assert not acknowledged(ids["checkout"]) and not acknowledged(ids["vpn"])
        qtbot.waitUntil(lambda: "acknowledged by ana" in window.view.status[0], timeout=5000)
        qtbot.waitUntil(lambda: window.board.unacknowledged == 2, timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_M)
        assert window.alarms.muted_until is not None
        assert (
            "ALARMS MUTED until" in window.view.alarm_note[0]
            or "ALARM, NO SOUND" in window.view.alarm_note[0]
        )
        qtbot.keyClick(window, Qt.Key.Key_M)
        assert window.alarms.muted_until is None
    finally:
        window.close()
        store.close()


def test_the_time_zone_of_the_machine_is_read_again_every_second(qtbot, tmp_path, utc_zone) -> None:
    clock = Clock(datetime(2024, 5, 1, 12, 0, 5, tzinfo=UTC))
    open_store(f"sqlite:///{tmp_path / 'noc.db'}").close()
    window = WallWindow(f"sqlite:///{tmp_path / 'noc.db'}", POLICY, "ana", poller=None, clock=clock)
    qtbot.addWidget(window)
    try:
        window.feed.stop()
        assert window.view.header_content().clock == "12:00:05"
        os.environ["TZ"] = "Asia/Tokyo"  # the machine's zone changes (tzset is the wall's to call)
        clock.advance(1)
        window.tick()
        assert window.view.header_content().clock == "21:00:06"
    finally:
        window.close()


def test_the_wall_shows_who_polls_and_a_poller_that_stopped_renewing(qtbot, tmp_path) -> None:
    from noc_console.store import lease

    url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(url)
    with store.session() as s:
        lease.take_poller_lease(s, "floor:1", 4242, "poller-host", lease_s=5)
    window = WallWindow(url, POLICY, "ana", poller=None)
    qtbot.addWidget(window)
    try:
        expected = "Polling: host poller-host pid 4242 since"
        qtbot.waitUntil(lambda: window.view.poller_line[0].startswith(expected), timeout=5000)
        assert window.view.poller_line[1]
        with store.session() as s:  # the holder died: its lease runs out, nothing else changes
            s.execute(sa.update(PollerLeaseRow).values(expires_at=lease.db_now(s) - timedelta(seconds=1)))
        qtbot.waitUntil(lambda: "stopped renewing" in window.view.poller_line[0], timeout=5000)
        assert "NOT being updated" in window.view.poller_line[0] and not window.view.poller_line[1]
    finally:
        window.close()
        store.close()


def test_the_wall_counts_down_to_the_first_postmortem_due(qtbot, tmp_path) -> None:
    """A resolved major incident owes a post-mortem 48 h after: the footer counts down, red once over."""
    from noc_console.store.lease import db_now
    from noc_console.store.models import IncidentRow

    url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(url)
    with store.session() as s:
        now = db_now(s)
        for n, (hours_ago, severity) in enumerate([(47.0, "major"), (3.0, "critical"), (1.0, "minor")], 1):
            resolved = now - timedelta(hours=hours_ago)
            s.add(IncidentRow(
                id=n, title=f"incident {n}", severity=severity, status="resolved", service="dns",
                correlation_key="service:dns", detected_by="monitoring", source="am", opened_at=resolved,
                detected_at=resolved, last_alert_at=resolved, resolved_at=resolved,
            ))  # fmt: skip
    window = WallWindow(url, POLICY, "ana", poller=None)
    qtbot.addWidget(window)
    try:
        # the minor one owes nothing; the major one resolved 47 h ago is due in about an hour
        qtbot.waitUntil(
            lambda: window.view.postmortem_note()[0].startswith("Post-mortems owed: 2 · #1 due in")
        )
        assert not window.view.postmortem_note()[1]
        window.view.set_now(window.view._now + timedelta(hours=2))
        text, loud = window.view.postmortem_note()
        assert text.startswith("Post-mortem #1 OVERDUE by 1 h") and text.endswith("· 2 owed") and loud
        window.resize(1920, 1080)
        window.show()  # as a wall is: a view never shown is not painted
        image = window.view.grab().toImage()  # the footer paints it, in red
        assert not image.isNull()
    finally:
        window.close()
        store.close()


def test_a_flapping_incident_wears_an_amber_badge_after_the_customer_one(qtbot) -> None:
    from noc_console.ui.theme import WARN_AMBER

    flapping = make_incident(6, Severity.CRITICAL, minutes=9.8, flapping_since=T0)
    both = make_incident(
        7,
        Severity.CRITICAL,
        minutes=9.9,
        flapping_since=T0,
        detected_by=DetectionSource.CUSTOMER,
        call_count=1,
    )
    view = wall(qtbot, [*scene(), flapping, both])
    shown = [i.id for i in view.shown()]
    assert view.row_content(view._board.get(6)).flapping and not view.row_content(view._board.get(1)).flapping
    details = view.wall_layout.details
    assert pixel(view, details[shown.index(6)].topLeft() + QPoint(4, 4)) == WARN_AMBER
    assert pixel(view, details[shown.index(1)].topLeft() + QPoint(4, 4)) != WARN_AMBER
    line = details[shown.index(7)]
    assert pixel(view, line.topLeft() + QPoint(4, 4)) == CUSTOMER
    customer_w = (
        view.wall_layout.badge_metrics.horizontalAdvance("CUSTOMER REPORTED") + 2 * view.wall_layout.pad
    )
    after = line.topLeft() + QPoint(customer_w + view.wall_layout.pad + 4, 4)
    assert pixel(view, after) == WARN_AMBER
