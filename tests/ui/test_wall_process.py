"""`noc-console wall` as a real process (offscreen): full screen with its own poller child, and SIGTERM
quits it cleanly with the child gone and the lease given up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of
from tests.ui.test_gui_process import (
    lease_holder_pid,
    pid_alive,
    reaped,
    start_console,
    wait_for,
    wait_for_child_poller,
)


def test_the_wall_runs_with_its_poller_and_sigterm_quits_it_cleanly(tmp_path: Path) -> None:
    with misbehaving_server([gettable_alert("a1", "payments")]) as server:
        config, db_url, log = start_console(tmp_path, url_of(server))
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOC_CONSOLE_")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        with log.open("wb") as out:
            wall = subprocess.Popen(
                [sys.executable, "-m", "noc_console", "--config", str(config), "--db", db_url, "wall"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            child = wait_for_child_poller(wall, db_url, log)
            with reaped(child):
                wall.send_signal(signal.SIGTERM)
                assert wall.wait(timeout=15) == 0, log.read_text()[-3000:]
                wait_for(lambda: not pid_alive(child), 5, "the poller child stops with its wall")
        finally:
            if wall.poll() is None:
                wall.kill()
                wall.wait(timeout=10)
        assert lease_holder_pid(db_url) is None
    assert "Traceback" not in log.read_text()
