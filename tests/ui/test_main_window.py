import sys
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot, record_failure
from noc_console.engine.launch import PollerCommand
from noc_console.store import repository as repo
from noc_console.ui.incident_model import IncidentRole
from noc_console.ui.main_window import MainWindow
from noc_console.ui.poller_supervisor import PollerSupervisor

# The offscreen platform says this whenever a window is shown; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def alert(fp: str, severity: Severity, service: str, summary: str, starts_at: datetime) -> Alert:
    return Alert(
        source="prod-am",
        fingerprint=fp,
        labels={"alertname": summary, "service": service},
        summary=summary,
        description="",
        severity=severity,
        starts_at=starts_at,
        service=service,
    )


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'noc.db'}"


@pytest.fixture
def window(qtbot, db_url, store):
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    yield window
    window.close()


def seed(store, now: datetime) -> None:
    snapshot = AlertSnapshot.of(
        "prod-am",
        now,
        [
            alert("a", Severity.MINOR, "dns", "DNS latency high", now - timedelta(minutes=3)),
            alert("b", Severity.CRITICAL, "checkout", "Checkout 5xx above 5%", now - timedelta(minutes=1)),
        ],
    )
    with store.session() as s:
        apply_snapshot(s, snapshot, now=now)


def shown_titles(window) -> list[str]:
    shown = window.table.model()
    return [shown.index(r, 0).data(IncidentRole).title for r in range(shown.rowCount())]


def test_window_shows_incidents_and_follows_changes(qtbot, window, store) -> None:
    now = datetime.now(UTC)
    seed(store, now)
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 2, timeout=5000)
    assert shown_titles(window)[0] == "Checkout 5xx above 5%"  # loudest first
    assert "CRITICAL 1" in window.header.counters[Severity.CRITICAL].text()
    assert window.header.unack.text() == "UNACKED 2"

    later = now + timedelta(seconds=5)
    more = AlertSnapshot.of("prod-am", later, [alert("c", Severity.MAJOR, "vpn", "VPN tunnel down", later)])
    with store.session() as s:
        apply_snapshot(s, more, now=later)
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
    window.filter_box.setText("vpn")
    assert shown_titles(window) == ["VPN tunnel down"]


def test_acknowledge_button_writes_to_the_store(qtbot, window, store) -> None:
    seed(store, datetime.now(UTC))
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 2, timeout=5000)
    window.table.selectRow(0)
    target = window.selected_incident()
    assert target is not None and window.ack_button.isEnabled()
    qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)

    def acknowledged_in_store() -> bool:
        with store.session() as s:
            (incident,) = repo.get_incidents(s, [target.id])
        return incident.status is IncidentStatus.ACKNOWLEDGED and incident.acknowledged_by == "ana"

    qtbot.waitUntil(acknowledged_in_store, timeout=5000)
    qtbot.waitUntil(lambda: "acknowledged by ana" in window.action_status.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.header.unack.text() == "UNACKED 1", timeout=5000)


def test_stale_source_shows_a_banner(qtbot, window, store) -> None:
    now = datetime.now(UTC)
    seed(store, now)
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 2, timeout=5000)
    assert window.stale_banner.isHidden()
    with store.session() as s:
        record_failure(s, "prod-am", "HTTP 500 Internal Server Error", now + timedelta(seconds=10))
    qtbot.waitUntil(window.stale_banner.isVisible, timeout=5000)
    text = window.stale_banner.text()
    assert "BLIND: prod-am, no data" in text
    assert "HTTP 500" in text
    assert "STALE" in window.sources.chips["prod-am"].text()


def test_store_error_is_shown_not_raised(qtbot, tmp_path) -> None:
    not_a_database = tmp_path / "noc.db"
    not_a_database.write_bytes(b"this is not an SQLite file" * 100)
    bad_url = f"sqlite:///{not_a_database}"
    window = MainWindow(bad_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(window.store_banner.isVisible, timeout=5000)
        assert "DATABASE ERROR" in window.store_banner.text()
    finally:
        window.close()
    assert not window.feed._thread.isRunning()


def test_supervisor_restarts_a_dying_poller_then_stops(qtbot) -> None:
    supervisor = PollerSupervisor(
        PollerCommand([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(1)"]),
        backoff_start_s=0.05,
        backoff_max_s=0.2,
    )
    statuses: list[tuple[str, bool]] = []
    supervisor.statusChanged.connect(lambda text, ok: statuses.append((text, ok)))
    try:
        supervisor.update_poller_status(None)
        qtbot.waitUntil(lambda: supervisor.starts >= 3, timeout=10000)
        assert any("Poller died (exit 1)" in text and "restarting" in text for text, _ in statuses)
    finally:
        supervisor.stop()
    assert not supervisor.child_running
    starts = supervisor.starts
    qtbot.wait(300)
    assert supervisor.starts == starts  # no restart after stop


def test_supervisor_leaves_a_live_poller_alone(qtbot) -> None:
    from noc_console.store.lease import PollerStatus

    now = datetime.now(UTC)
    supervisor = PollerSupervisor(PollerCommand([sys.executable, "-c", "pass"]))
    supervisor.update_poller_status(
        PollerStatus("other", 4242, "wall-7", now, now, now + timedelta(seconds=10), epoch=3)
    )
    assert supervisor.starts == 0
    assert supervisor.last_status == ("Poller run by another console on host wall-7 (pid 4242)", True)
    supervisor.stop()


def test_tls_verification_off_is_a_standing_warning_on_screen(qtbot, db_url, store) -> None:
    import tomllib

    from noc_console.config import config_warnings, parse_config

    config = parse_config(
        tomllib.loads(
            '[[sources]]\nname = "lab-am"\ntype = "alertmanager"\nurl = "https://lab:9093"\n'
            "verify_tls = false\n"
            '[[sources]]\nname = "prod-am"\ntype = "alertmanager"\nurl = "https://prod:9093"\n'
        )
    )
    warnings = config_warnings(config)
    assert len(warnings) == 1 and "lab-am" in warnings[0]
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None, warnings=warnings)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.config_banner.isVisible()
        assert "TLS verification is off for source lab-am" in window.config_banner.text()
    finally:
        window.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_tab_and_the_filters_fit_a_1920_pixel_screen(
    qtbot, themed, db_url, store, language, request
) -> None:
    """The tabs share their row with the filter bar: on a full-HD desk none may hide behind scroll
    arrows (the Maintenance tab once did). In the console's own theme, as on the floor; in English and
    in Spanish, whose words are longer."""
    if language == "es":
        request.getfixturevalue("spanish")
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitUntil(lambda: window.tabs.width() > 1800, timeout=5000)
    bar = window.tabs.tabBar()
    wanted = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
    assert wanted <= bar.width(), f"the tabs want {wanted} px and have {bar.width()} px"
    window.close()
