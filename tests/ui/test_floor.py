"""A floor on one PostgreSQL: an acknowledgement made elsewhere shows on a console within a second, and
a console whose connections are cut is in step again soon after the database answers."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.ui.main_window import MainWindow
from tests.cli.helpers import run_cli
from tests.servers import CuttableProxy

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.postgres,
]


def alert(fp: str, service: str, at: datetime) -> Alert:
    labels = {"alertname": fp, "service": service}
    return Alert("am", fp, labels, f"{service} down", "", Severity.CRITICAL, at, service=service)


def test_an_ack_from_another_process_shows_within_a_second(qtbot, pg_url: str) -> None:
    store = open_store(pg_url)
    now = datetime.now(UTC)
    with store.session() as s:
        (incident_id,) = apply_snapshot(
            s, AlertSnapshot.of("am", now, [alert("a", "payments", now)]), now=now
        ).opened
    window = MainWindow(pg_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        done = run_cli("--db", pg_url, "ack", str(incident_id), "--by", "bob")  # another process: the CLI
        assert done.returncode == 0, done.stderr
        acked = time.monotonic()
        qtbot.waitUntil(
            lambda: window.model.incidents[0].status is IncidentStatus.ACKNOWLEDGED, timeout=1000
        )  # within a second of the other process's commit
        assert time.monotonic() - acked < 1.0
        assert window.header.unack.text() == "UNACKED 0"
    finally:
        window.close()
        store.close()


def test_a_console_cut_off_from_the_database_is_in_step_again_soon_after(
    qtbot, pg_url: str, postgres_server: str
) -> None:
    store = open_store(pg_url)
    now = datetime.now(UTC)
    app = f"noc-console-{uuid.uuid4().hex[:8]}"
    window_url = f"{pg_url}&application_name={app}"
    window = MainWindow(window_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()
    admin = sa.create_engine(postgres_server, poolclass=sa.pool.NullPool)
    try:
        qtbot.waitUntil(lambda: window.feed._store is not None, timeout=10_000)
        with admin.connect() as conn:
            killed = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :a"
                ),
                {"a": app},
            ).scalar_one()
        assert killed >= 2  # the follower's reading connection and its LISTEN connection
        with store.session() as s:  # changes made while the console's connections are gone
            both = [alert("a", "payments", now), alert("b", "dns", now)]
            apply_snapshot(s, AlertSnapshot.of("am", now, both), now=now)
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
        with store.read() as r:
            assert {i.id for i in repo.list_incidents(r)} == {i.id for i in window.model.incidents}
    finally:
        window.close()
        admin.dispose()
        store.close()


def test_a_console_says_reconnecting_while_the_database_is_away_and_is_in_step_within_5s_of_its_return(
    qtbot, pg_url: str, pg_proxy: CuttableProxy
) -> None:
    """The database host goes away (connections drop, new ones are refused) for long enough that the
    console's retries have backed off to their longest; changes are made meanwhile."""
    store = open_store(pg_url)
    now = datetime.now(UTC)
    with store.session() as s:
        (first,) = apply_snapshot(
            s, AlertSnapshot.of("am", now, [alert("a", "payments", now)]), now=now
        ).opened
    window = MainWindow(pg_proxy.url_for(pg_url), SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        pg_proxy.cut()
        with store.session() as s:  # made while the console cannot see the database
            repo.acknowledge(s, first, "bob", now)
            both = [alert("a", "payments", now), alert("b", "dns", now)]
            apply_snapshot(s, AlertSnapshot.of("am", now, both), now=now)
        qtbot.waitUntil(lambda: "reconnecting, next try in 5 s" in window.store_banner.text(), timeout=30_000)
        assert window.store_banner.isVisible()
        assert "out of date" in window.store_banner.text()
        pg_proxy.restore()
        back = time.monotonic()

        def in_step() -> bool:
            with store.read() as r:
                stored = {(i.id, i.status) for i in repo.list_incidents(r)}
            return stored == {(i.id, i.status) for i in window.model.incidents}

        qtbot.waitUntil(in_step, timeout=5000)
        assert time.monotonic() - back < 5.0
        qtbot.waitUntil(lambda: not window.store_banner.isVisible(), timeout=1000)
        assert window.model.rowCount() == 2
    finally:
        window.close()
        store.close()


def test_two_consoles_an_ack_pressed_in_one_shows_in_the_other_within_a_second(qtbot, pg_url: str) -> None:
    """Two operator windows, each with its own connections, as on two desks."""
    from PySide6.QtCore import Qt

    store = open_store(pg_url)
    now = datetime.now(UTC)
    with store.session() as s:
        (incident_id,) = apply_snapshot(
            s, AlertSnapshot.of("am", now, [alert("a", "payments", now)]), now=now
        ).opened
    desks = [MainWindow(pg_url, SlaPolicy(), name, poller=None) for name in ("ana", "bob")]
    for window in desks:
        qtbot.addWidget(window)
        window.show()
    ana, bob = desks
    try:
        for window in desks:
            qtbot.waitUntil(lambda w=window: w.model.rowCount() == 1, timeout=10_000)
        ana.activateWindow()  # the A shortcut belongs to the window the operator is in
        qtbot.waitUntil(ana.isActiveWindow, timeout=5000)
        table = ana.table
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=table.visualRect(table.model().index(0, 2)).center(),
        )
        assert ana.selected_incident().id == incident_id
        qtbot.keyClick(table, Qt.Key.Key_A)
        pressed = time.monotonic()
        qtbot.waitUntil(lambda: bob.model.incidents[0].status is IncidentStatus.ACKNOWLEDGED, timeout=1000)
        assert time.monotonic() - pressed < 1.0
        assert bob.header.unack.text() == "UNACKED 0"
        with store.read() as r:
            (stored,) = repo.get_incidents(r, [incident_id])
        assert stored.acknowledged_by == "ana"
        # The acknowledging console reads its own change from the feed too, as every console does.
        qtbot.waitUntil(lambda: ana.model.incidents[0].status is IncidentStatus.ACKNOWLEDGED, timeout=1000)
    finally:
        for window in desks:
            window.close()
        store.close()
