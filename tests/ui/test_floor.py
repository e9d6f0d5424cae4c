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
