"""`noc-console gui` as a real process (offscreen): it survives live traffic, quits cleanly on SIGTERM,
and never leaves its poller child behind, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of, write_config


def pid_alive(pid: int) -> bool:
    """True while `pid` runs: a zombie (dead, not yet reaped by whoever adopted it) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


@contextmanager
def reaped(pid: int) -> Iterator[None]:
    """A poller child that a failing test left running is killed, not left behind on the machine."""
    try:
        yield
    finally:
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.1)


def gui_env() -> dict[str, str]:
    """The environment a console started by a test runs in: offscreen, no NOC_CONSOLE_ overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOC_CONSOLE_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@contextmanager
def gui_process(config: Path, db_url: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`noc-console gui` offscreen; killed at the end if the test left it running."""
    env = gui_env()
    with log.open("wb") as out:
        gui = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--config", str(config), "--db", db_url, "gui"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield gui
        finally:
            if gui.poll() is None:
                gui.kill()
                gui.wait(timeout=10)


def lease_holder_pid(db_url: str) -> int | None:
    store = open_store(db_url, schema="check")
    try:
        with store.read() as s:
            status = repo.poller_status(s)
            if status is None or status.expired(repo.db_now(s)):
                return None
            return status.pid
    finally:
        store.close()


def start_console(tmp_path: Path, source_url: str, extra: str = "interval_s = 1") -> tuple[Path, str, Path]:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    config = write_config(tmp_path / "c.toml", source_url, extra=extra)
    return config, db_url, tmp_path / "gui.log"


def wait_for_child_poller(gui: subprocess.Popen[bytes], db_url: str, log: Path) -> int:
    """The GUI's own poller child, once it holds the lease (so the GUI's event loop runs)."""

    def child_holds_lease() -> bool:
        assert gui.poll() is None, f"the GUI exited with {gui.returncode}:\n{log.read_text()[-3000:]}"
        if not Path(db_url.removeprefix("sqlite:///")).exists():
            return False
        try:
            holder = lease_holder_pid(db_url)
        except Exception:
            return False
        return holder is not None and holder in children_of(gui.pid)

    wait_for(child_holds_lease, 60, "the GUI's poller child takes the lease")
    pid = lease_holder_pid(db_url)
    assert pid is not None
    return pid


def test_sigterm_quits_the_gui_cleanly_and_stops_its_poller(tmp_path: Path) -> None:
    with misbehaving_server([gettable_alert("a1", "payments")]) as server:
        config, db_url, log = start_console(tmp_path, url_of(server))
        with gui_process(config, db_url, log) as gui:
            child = wait_for_child_poller(gui, db_url, log)
            with reaped(child):
                gui.send_signal(signal.SIGTERM)
                assert gui.wait(timeout=15) == 0, log.read_text()[-3000:]
                wait_for(lambda: not pid_alive(child), 5, "the poller child stops with its console")
        assert lease_holder_pid(db_url) is None  # released on the way out, not left to expire


def test_sigkilled_gui_leaves_no_poller_behind(tmp_path: Path) -> None:
    with misbehaving_server([gettable_alert("a1", "payments")]) as server:
        config, db_url, log = start_console(tmp_path, url_of(server))
        with gui_process(config, db_url, log) as gui:
            child = wait_for_child_poller(gui, db_url, log)
            with reaped(child):
                gui.send_signal(signal.SIGKILL)
                gui.wait(timeout=10)
                wait_for(lambda: not pid_alive(child), 5, "the orphaned poller child stops by itself")


class Churn:
    """Keeps five alerts firing in a real Alertmanager and replaces one of them every few seconds,
    as pods come and go."""

    def __init__(self, url: str, every_s: float = 3.0) -> None:
        self.url = url
        self.every_s = every_s
        self.stop = threading.Event()
        self.posts = 0
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="alert-churn", daemon=True)

    def _alert(self, n: int, ends_at: datetime | None = None) -> dict[str, Any]:
        # Seven services for five alerts: a replaced alert's incident resolves and a new one opens.
        service = ("checkout", "dns", "vpn", "mail", "storage", "wifi", "backup")[n % 7]
        alert: dict[str, Any] = {
            "labels": {
                "alertname": f"PodCrashLooping-{n}",
                "service": service,
                "pod": f"{service}-{n:05d}",
                "severity": ("critical", "major", "minor", "warning", "major")[n % 5],
            },
            "annotations": {"summary": f"pod {service}-{n:05d} is crash-looping"},
        }
        if ends_at is not None:
            alert["endsAt"] = ends_at.isoformat().replace("+00:00", "Z")
        return alert

    def _run(self) -> None:
        import requests

        firing = list(range(5))
        next_n = 5
        while not self.stop.is_set():
            try:
                batch = [self._alert(n) for n in firing]
                replaced = firing.pop(0)
                batch.append(self._alert(replaced, ends_at=datetime.now(UTC) - timedelta(seconds=1)))
                firing.append(next_n)
                batch.append(self._alert(next_n))
                next_n += 1
                requests.post(f"{self.url}/api/v2/alerts", json=batch, timeout=5).raise_for_status()
                self.posts += 1
            except Exception as exc:  # keep churning; the test looks at the errors at the end
                self.errors.append(repr(exc))
            self.stop.wait(self.every_s)

    def __enter__(self) -> Churn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join(timeout=15)


# Minutes of churn the console must survive; CI shortens it (NOC_TEST_SOAK_S) to keep within its budget.
SOAK_S = float(os.environ.get("NOC_TEST_SOAK_S") or 240)


@pytest.mark.slow
@pytest.mark.alertmanager
@pytest.mark.timeout(SOAK_S + 180)
def test_gui_survives_minutes_of_churning_alerts(alertmanager, tmp_path: Path) -> None:
    config, db_url, log = start_console(
        tmp_path, alertmanager.url, extra="interval_s = 1\nresolve_after_s = 0"
    )
    with ExitStack() as stack, Churn(alertmanager.url) as churn, gui_process(config, db_url, log) as gui:
        child = wait_for_child_poller(gui, db_url, log)
        stack.enter_context(reaped(child))
        deadline = time.monotonic() + SOAK_S
        while time.monotonic() < deadline:
            assert gui.poll() is None, f"the GUI died ({gui.returncode}):\n{log.read_text()[-3000:]}"
            assert pid_alive(child), f"the poller child died:\n{log.read_text()[-3000:]}"
            time.sleep(1)
        assert churn.posts > SOAK_S / churn.every_s / 2, churn.errors[-3:]
        store = open_store(db_url, schema="check")
        try:
            with store.read() as s:
                assert len(repo.list_incidents(s, include_resolved=True)) > 20  # it really churned
        finally:
            store.close()
        assert children_of(gui.pid) == {child}
        gui.send_signal(signal.SIGTERM)
        assert gui.wait(timeout=20) == 0, log.read_text()[-3000:]
        wait_for(lambda: not pid_alive(child), 5, "the poller child stops with its console")
    assert "Fatal Python error" not in log.read_text()
