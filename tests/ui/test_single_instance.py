"""One console per desk and database: a second `noc-console gui` raises the first and exits without a
poller of its own; a console killed outright leaves nothing that stops the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of
from tests.ui.test_gui_process import (
    children_of,
    gui_env,
    gui_process,
    pid_alive,
    reaped,
    start_console,
    wait_for,
    wait_for_child_poller,
)


def second_start(config: Path, db_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "noc_console", "--config", str(config), "--db", db_url, "gui"],
        cwd=ROOT, env=gui_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


def test_a_second_start_raises_the_first_and_a_killed_one_blocks_nothing(tmp_path: Path) -> None:
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config, db_url, log = start_console(tmp_path, url_of(server))
        with gui_process(config, db_url, log) as first:
            poller = wait_for_child_poller(first, db_url, log)
            with reaped(poller):
                again = second_start(config, db_url)
                assert again.returncode == 0, again.stderr
                assert "already runs on this desk: its window was brought to the front" in again.stderr
                assert first.poll() is None and children_of(first.pid) == {poller}  # no second poller
                gui_log = Path(os.environ["XDG_STATE_HOME"]) / "noc-console" / "log" / "gui.log"
                wait_for(lambda: "a second start asked for this window" in gui_log.read_text(), 10, "raised")
                other_db = f"sqlite:///{tmp_path / 'other.db'}"  # another database: a console of its own
                with gui_process(config, other_db, tmp_path / "other.log") as other:
                    other_poller = wait_for_child_poller(other, other_db, tmp_path / "other.log")
                    with reaped(other_poller):
                        assert other.poll() is None
                        other.send_signal(signal.SIGTERM)
                        other.wait(timeout=30)
                os.kill(first.pid, signal.SIGKILL)  # no clean-up at all: its lock and socket stay
                first.wait(timeout=10)
                os.kill(poller, signal.SIGKILL)
                wait_for(lambda: not pid_alive(poller), 10, "the old poller is gone")
        with gui_process(config, db_url, tmp_path / "third.log") as third:
            third_poller = wait_for_child_poller(third, db_url, tmp_path / "third.log")
            with reaped(third_poller):
                assert third.poll() is None  # it took over the dead console's lock
                third.send_signal(signal.SIGTERM)
                assert third.wait(timeout=30) == 0
