"""`noc-console poller` as a real process: it polls, holds the lease, and stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of, write_config


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_poller_polls_holds_the_lease_and_exits_cleanly(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        argv = [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "poller"]
        first = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        second = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:

            def opened() -> bool:
                with store.session() as session:
                    return len(repo.list_incidents(session)) == 1

            wait_for(opened)
            with store.session() as session:
                status = repo.poller_status(session)
            assert status is not None and status.pid in (first.pid, second.pid)
            holder = first if status.pid == first.pid else second
            standby = second if holder is first else first
            requests_before = len(server.requests)  # type: ignore[attr-defined]
            holder.send_signal(signal.SIGTERM)
            assert holder.wait(timeout=15) == 0

            def taken_over() -> bool:
                with store.session() as session:
                    current = repo.poller_status(session)
                return current is not None and current.pid == standby.pid

            wait_for(taken_over)  # the lease was released on a clean exit: the standby takes over at once
            wait_for(lambda: len(server.requests) > requests_before + 1)  # type: ignore[attr-defined]
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=15)
                assert process.stderr is not None
                process.stderr.close()
        assert standby.returncode == 0
    with store.session() as session:
        assert repo.poller_status(session) is None
        assert len(repo.list_incidents(session)) == 1  # stopping polling resolves nothing
    store.close()
