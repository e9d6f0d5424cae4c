"""A console takes over polling when the poller of another console dies without a word (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import poller_command
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.ui import theme
from noc_console.ui.main_window import MainWindow
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of, write_config

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

LEASE_S = 5  # engine.poller.lease_seconds for sources polled every second


def holder_pid(store) -> int | None:
    with store.read() as s:
        status = repo.poller_status(s)
        if status is None or status.expired(repo.db_now(s)):
            return None
        return status.pid


def test_window_takes_over_from_a_poller_that_was_killed(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    with misbehaving_server([gettable_alert("a1", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        external = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "poller"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        window = None
        try:
            qtbot.waitUntil(lambda: holder_pid(store) == external.pid, timeout=30_000)
            window = MainWindow(db_url, SlaPolicy(), "ana", poller_command(config, db_url))
            qtbot.addWidget(window)
            window.resize(1600, 900)
            window.show()
            label = window.poller_label
            qtbot.waitUntil(lambda: f"pid {external.pid}" in label.text(), timeout=10_000)
            qtbot.wait(2500)  # a few ticks: a live poller elsewhere means this console stands by
            assert window.supervisor.starts == 0
            assert not window.supervisor.child_running
            assert theme.ALARM_RED.name() not in label.styleSheet()

            os.kill(external.pid, signal.SIGKILL)
            external.wait(timeout=10)
            killed_at = time.monotonic()

            def loud() -> bool:
                return "stopped renewing" in label.text() and theme.ALARM_RED.name() in label.styleSheet()

            qtbot.waitUntil(loud, timeout=(LEASE_S + 5) * 1000)
            assert f"pid {external.pid}" in label.text()
            assert "taking over" in label.text()
            qtbot.waitUntil(lambda: window.supervisor.child_running, timeout=10_000)
            child = window.supervisor._process
            assert child is not None
            qtbot.waitUntil(lambda: holder_pid(store) == child.processId(), timeout=20_000)
            assert time.monotonic() - killed_at < LEASE_S + 10
            qtbot.waitUntil(lambda: theme.ALARM_RED.name() not in label.styleSheet(), timeout=5000)
            assert "this console" in label.text()
        finally:
            if window is not None:
                window.close()
            if external.poll() is None:
                external.kill()
                external.wait(timeout=10)
    store.close()
