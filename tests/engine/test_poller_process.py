"""`noc-console poller` as a real process: it polls, holds the lease, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
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


def _lease_holder_pid(store) -> int | None:  # type: ignore[no-untyped-def]
    with store.read() as session:
        status = repo.poller_status(session)
    return status.pid if status is not None else None


def _gone(pid: int) -> bool:
    """No such process any more, or only its zombie waiting for a parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_a_sigkilled_poller_is_replaced_within_the_lease(db_url: str, tmp_path: Path) -> None:
    """No clean exit, no released lease: the standby takes over once the dead one's lease expires."""
    store = open_store(db_url)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        argv = [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "poller"]
        first = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: _lease_holder_pid(store) == first.pid)
            second = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
                killed_at = time.monotonic()
                wait_for(lambda: _lease_holder_pid(store) == second.pid, timeout=30)
                # lease_seconds() is 5 s for a 1 s interval: one interval plus 5 s, with slack for a busy CI
                assert time.monotonic() - killed_at < 1 + 5 + 5
                with store.read() as session:
                    status = repo.poller_status(session)
                assert status is not None and status.epoch >= 2  # a new holder fences the dead one out
                before = len(server.requests)  # type: ignore[attr-defined]
                wait_for(lambda: len(server.requests) > before + 1)  # type: ignore[attr-defined]
            finally:
                second.send_signal(signal.SIGTERM)
                assert second.wait(timeout=15) == 0
        finally:
            if first.poll() is None:
                first.kill()
                first.wait(timeout=10)
    with store.read() as session:
        assert len(repo.list_incidents(session)) == 1  # nothing doubled by the handover
    store.close()


def test_a_poller_started_by_a_parent_stops_when_the_parent_is_killed(db_url: str, tmp_path: Path) -> None:
    """`poller --exit-with-parent` as a console starts it: SIGKILL of the parent leaves no poller behind."""
    store = open_store(db_url)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        argv = [
            sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config),
            "poller", "--exit-with-parent",
        ]  # fmt: skip
        # The parent holds the child's standard input, as the console's QProcess does.
        parent_code = (
            "import subprocess, sys, time\n"
            f"child = subprocess.Popen({argv!r}, stdin=subprocess.PIPE, cwd={str(ROOT)!r})\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(600)\n"
        )
        parent = subprocess.Popen(
            [sys.executable, "-c", parent_code], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True
        )
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        try:
            wait_for(lambda: _lease_holder_pid(store) == child)
            parent.send_signal(signal.SIGKILL)
            parent.wait(timeout=10)
            wait_for(lambda: _gone(child), timeout=5)
            wait_for(lambda: _lease_holder_pid(store) is None, timeout=5)  # it released the lease cleanly
        finally:
            parent.stdout.close()
            if not _gone(child):
                os.kill(child, signal.SIGKILL)
    store.close()


def test_a_poller_whose_standard_input_closes_exits_cleanly(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 1")
        argv = [
            sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config),
            "poller", "--exit-with-parent",
        ]  # fmt: skip
        child = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE)
        try:
            wait_for(lambda: _lease_holder_pid(store) == child.pid)
            assert child.stdin is not None
            child.stdin.close()
            assert child.wait(timeout=10) == 0
            assert _lease_holder_pid(store) is None
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    store.close()
