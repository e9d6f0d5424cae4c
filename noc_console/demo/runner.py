"""`noc-console demo`: the real pipeline (poller process, store, console) fed by the simulated API."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from noc_console.demo.simulator import SimulatedAlertmanager
from noc_console.engine.launch import PollerCommand, poller_command

DEMO_SOURCE = "demo-alertmanager"


def write_demo_config(directory: Path, url: str) -> Path:
    """A config with one Alertmanager source: the simulator, polled every 2 seconds."""
    path = directory / "config.toml"
    path.write_text(
        "[operator]\n"
        'name = "demo-operator"\n\n'
        "[[sources]]\n"
        f'name = "{DEMO_SOURCE}"\n'
        'type = "alertmanager"\n'
        f'url = "{url}"\n'
        "interval_s = 2\n"
        "timeout_s = 2\n"
        "resolve_after_s = 10\n\n"
        "[[services]]\n"
        'name = "payments"\n'
        "critical = true\n\n"
        "[[services]]\n"
        'name = "checkout"\n'
        "critical = true\n",
        encoding="utf-8",
    )
    return path


def run_demo(headless_seconds: float | None) -> int:
    """Run the demo; with `headless_seconds`, no window: poll for that long and print a summary."""
    with tempfile.TemporaryDirectory(prefix="noc-console-demo-") as tmp, SimulatedAlertmanager() as simulator:
        directory = Path(tmp)
        config_path = write_demo_config(directory, simulator.url)
        db_url = f"sqlite:///{directory / 'demo.db'}"
        command = poller_command(config_path, db_url)
        print(
            f"demo: simulated Alertmanager at {simulator.url}; database {directory / 'demo.db'}", flush=True
        )
        if headless_seconds is None:
            from noc_console.config import load_config
            from noc_console.store import open_store
            from noc_console.ui.app import run_gui

            config = load_config(config_path)
            open_store(db_url).close()  # migrate before the window and the poller both open it
            return int(run_gui(db_url, config.sla, config.operator, command, title="NOC · DEMO"))
        return _headless(command, db_url, headless_seconds)


def _start(command: PollerCommand) -> subprocess.Popen[bytes]:
    """The poller child, holding a pipe from us on its standard input: it stops when we go away."""
    env = {**os.environ, **command.env}
    return subprocess.Popen(command.argv, stdin=subprocess.PIPE, env=env)  # noqa: S603 - our own executable


def _headless(command: PollerCommand, db_url: str, seconds: float) -> int:
    from noc_console.store import open_store
    from noc_console.store import repository as repo

    store = open_store(db_url)
    process = _start(command)
    deadline = time.monotonic() + seconds
    restarts = 0
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                restarts += 1
                print(f"demo: poller exited with status {process.returncode}; restarting", file=sys.stderr)
                process = _start(command)
            time.sleep(0.2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdin is not None:
            process.stdin.close()
    with store.read() as session:
        everything = repo.list_incidents(session, include_resolved=True)
        health = repo.list_source_health(session)
        changes = repo.latest_change_seq(session)
        now = repo.db_now(session)
    store.close()
    open_now = [i for i in everything if i.is_open]
    print(
        f"demo summary after {seconds:g} s: opened {len(everything)} incidents, "
        f"{len(open_now)} still open, {len(everything) - len(open_now)} resolved; "
        f"{changes} changes; poller restarts {restarts}"
    )
    for incident in everything:
        print(
            f"  #{incident.id} {incident.severity.value:<8} {incident.status.value:<12} "
            f"{incident.service or '-':<10} {incident.title} ({incident.alert_count} alerts)"
        )
    for source in health:
        stale = source.is_stale(now)
        state = "STALE: " + (source.last_error or "no data") if stale else f"ok, {source.alert_count} alerts"
        print(f"  source {source.name}: {state}")
    if not everything:
        print("demo: no incident was opened; the pipeline is not working", file=sys.stderr)
        return 1
    return 0
