"""`A` acknowledges the incident the operator selected, never a neighbour that slid into its row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.ui.incident_model import IncidentRole
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def alert(fp: str, severity: Severity, service: str, at: datetime) -> Alert:
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


def shown_ids(window: MainWindow) -> list[int]:
    shown = window.table.model()
    return [shown.index(r, 0).data(IncidentRole).id for r in range(shown.rowCount())]


def row_of(window: MainWindow, incident_id: int) -> int:
    return shown_ids(window).index(incident_id)


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store.engine.url.render_as_string(), SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield window
    window.close()


def test_a_acknowledges_the_selected_incident_after_it_moves_and_nothing_after_it_leaves(
    qtbot, window, store
) -> None:
    now = datetime.now(UTC)
    alerts = {
        "a": alert("a", Severity.MAJOR, "dns", now),
        "x": alert("x", Severity.MINOR, "vpn", now),
        "c": alert("c", Severity.WARNING, "mail", now),
    }
    with store.session() as s:
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, list(alerts.values())), now=now)
        by_service = {i.service: i.id for i in repo.list_incidents(s)}
    x = by_service["vpn"]
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
    assert row_of(window, x) == 1

    table = window.table
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(window.table.model().index(1, 2)).center(),
    )
    assert window.selected_incident().id == x
    acks: list[int] = []
    window.acknowledgeRequested.connect(lambda incident_id, by: acks.append(incident_id))

    # X turns critical: the board removes its row and inserts it at the top.
    later = now + timedelta(seconds=5)
    alerts["x"] = alert("x", Severity.CRITICAL, "vpn", now)
    with store.session() as s:
        apply_snapshot(s, AlertSnapshot.of("prod-am", later, list(alerts.values())), now=later)
    qtbot.waitUntil(lambda: row_of(window, x) == 0, timeout=5000)
    assert window.selected_incident().id == x
    assert window.ack_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert acks == [x]

    def acknowledged(incident_id: int) -> bool:
        with store.read() as s:
            (incident,) = repo.get_incidents(s, [incident_id])
        return incident.status is IncidentStatus.ACKNOWLEDGED

    qtbot.waitUntil(lambda: acknowledged(x), timeout=5000)
    assert not any(acknowledged(i) for i in by_service.values() if i != x)

    # X is resolved elsewhere: it leaves the board, and nothing is selected in its place.
    with store.session() as s:
        repo.resolve(s, x, "bob", repo.db_now(s))
    qtbot.waitUntil(lambda: x not in shown_ids(window), timeout=5000)
    assert window.selected_incident() is None
    assert not window.ack_button.isEnabled()
    ack_actions = [a for a in window.actions() if a.shortcut().toString() == "A"]
    assert ack_actions and not any(a.isEnabled() for a in ack_actions)
    qtbot.keyClick(table, Qt.Key.Key_A)
    qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
    assert acks == [x]
    assert not any(acknowledged(i) for i in by_service.values() if i != x)


def test_the_selected_incident_stays_selected_as_a_filter_comes_and_goes(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QApplication

    from noc_console.domain.filters import IncidentFilter
    from tests.ui.conftest import make_incident

    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 800)
    window.show()
    try:
        window.feed.stop()
        QApplication.processEvents()  # the (empty) snapshot the feed may have sent is in before ours
        severities = list(Severity)
        window.model.replace_all([make_incident(i, severities[i % 5], minutes=-i) for i in range(1, 301)])
        chosen = window.model.incident_at(40).id  # service "dns" (an even id): the filter keeps it
        assert chosen % 2 == 0
        window.select_incident(chosen)
        table = window.table
        for services in ({"dns"}, set(), {"dns"}, set()):
            window.filter_bar.set_filter(IncidentFilter(services=frozenset(services)))
            assert (table.model() is table.proxy) == bool(services)
            assert window.selected_incident().id == chosen
            assert table.incident_at(table.currentIndex()).id == chosen  # the cursor is on it
            assert window.details.title.text().startswith(f"#{chosen} ")
        window.filter_bar.set_filter(IncidentFilter(services=frozenset({"checkout"})))  # hides it
        assert window.selected_incident() is None and not table.currentIndex().isValid()
    finally:
        window.close()
