"""The whole one-seat pipeline: the window starts its own poller process, shows what it finds, and
restarts it when it dies, saying so on screen."""

from __future__ import annotations

import os
import signal

import pytest

from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import poller_command
from noc_console.store import open_store
from noc_console.ui.main_window import MainWindow
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of, write_config

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_window_runs_its_poller_and_restarts_it_when_it_dies(qtbot, tmp_path) -> None:
    alerts = [gettable_alert("a1", "payments"), gettable_alert("b2", "checkout", "major")]
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    with misbehaving_server(alerts) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        window = MainWindow(db_url, SlaPolicy(), "ana", poller_command(config, db_url))
        qtbot.addWidget(window)
        statuses: list[tuple[str, bool]] = []
        window.supervisor.statusChanged.connect(lambda text, ok: statuses.append((text, ok)))
        window.show()
        try:
            qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=30_000)
            assert window.supervisor.starts == 1
            first = window.supervisor._process
            assert first is not None
            os.kill(first.processId(), signal.SIGKILL)
            qtbot.waitUntil(lambda: any("Poller died" in text for text, _ in statuses), timeout=10_000)
            assert any(not ok for text, ok in statuses if "Poller died" in text)
            qtbot.waitUntil(
                lambda: window.supervisor.starts == 2 and window.supervisor.child_running, timeout=15_000
            )
            # The restarted poller takes the lease over once the dead one's heartbeat expires, and polls.
            requests_before = len(server.requests)  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda: len(server.requests) > requests_before + 1, timeout=30_000)  # type: ignore[attr-defined]
            assert window.model.rowCount() == 2  # a dead poller resolved nothing
        finally:
            window.close()
        assert not window.supervisor.child_running
