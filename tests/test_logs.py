"""The log file: rotated at midnight and past its size, a week and a bounded number kept, at INFO even
when standard error shows only warnings; -v and -vv raise both."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from noc_console.logs import DailyFile, current_log, log_dir, setup_logging
from tests.cli.helpers import ROOT

DAY = 86400.0


@pytest.fixture
def clean_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def record(text: str) -> logging.LogRecord:
    return logging.LogRecord("noc", logging.INFO, __file__, 1, text, None, None)


def test_a_file_rotates_past_its_size_and_keeps_every_line(tmp_path: Path) -> None:
    now = [time.mktime((2026, 11, 27, 10, 0, 0, 0, 0, -1))]
    handler = DailyFile(tmp_path / "gui.log", max_bytes=2000, clock=lambda: now[0])
    handler.setFormatter(logging.Formatter("%(message)s"))
    for number in range(100):
        handler.emit(record(f"line {number:03d} " + "x" * 40))
        now[0] += 0.2  # several rotations within one second get names of their own
    handler.close()
    files = [tmp_path / "gui.log", *handler.rotated()]
    assert len(files) > 2 and all(f.stat().st_size <= 2000 for f in files)
    lines = sorted(line for f in files for line in f.read_text().splitlines())
    assert [line[:8] for line in lines] == [f"line {n:03d}" for n in range(100)]  # none lost


def test_a_file_rotates_at_midnight_and_keeps_a_week(tmp_path: Path) -> None:
    start = time.mktime((2026, 11, 20, 23, 59, 0, 0, 0, -1))
    now = [start]
    handler = DailyFile(tmp_path / "poller.log", clock=lambda: now[0], keep=timedelta(days=7))
    handler.setFormatter(logging.Formatter("%(message)s"))
    for day in range(10):  # ten days, a line just before and after each midnight
        now[0] = start + day * DAY
        handler.emit(record(f"before midnight {day}"))
        stamp = handler.path.stat().st_mtime
        os.utime(handler.path, (stamp, now[0]))
        now[0] += 120
        handler.emit(record(f"after midnight {day}"))
    handler.close()
    rotated = handler.rotated()
    assert 6 <= len(rotated) <= 8  # a week of days, each rotated once at its midnight
    for old in rotated:
        assert now[0] - old.stat().st_mtime <= 7 * DAY + 300
    assert "after midnight 9" in (tmp_path / "poller.log").read_text()


def test_at_most_max_files_are_kept(tmp_path: Path) -> None:
    now = [time.mktime((2026, 11, 27, 10, 0, 0, 0, 0, -1))]
    handler = DailyFile(tmp_path / "wall.log", max_bytes=200, max_files=5, clock=lambda: now[0])
    for number in range(60):
        handler.emit(record("y" * 150 + str(number)))
        now[0] += 1
    handler.close()
    assert len(handler.rotated()) == 5


def test_the_file_gets_info_while_stderr_shows_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_root: None
) -> None:
    monkeypatch.setenv("NOC_CONSOLE_LOG_DIR", str(tmp_path / "logs"))
    path = setup_logging(0, "gui.log")
    assert path == log_dir() / "gui.log" == current_log()
    logging.getLogger("noc_console.test").info("an info line")
    logging.getLogger("noc_console.test").debug("a debug line")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert "an info line" in text and "a debug line" not in text
    setup_logging(2, "gui.log")  # -vv: the file gets DEBUG too, and only one file handler is kept
    logging.getLogger("noc_console.test").debug("now debug")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "now debug" in path.read_text()
    assert sum(isinstance(h, DailyFile) for h in logging.getLogger().handlers) == 1


def test_a_log_dir_that_cannot_be_written_leaves_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_root: None
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the directory should be")
    monkeypatch.setenv("NOC_CONSOLE_LOG_DIR", str(blocked / "logs"))
    assert setup_logging(0, "gui.log") is None and current_log() is None


def test_a_process_logs_to_its_file_and_v_raises_stderr(tmp_path: Path) -> None:
    code = (
        "import logging, sys; from noc_console.logs import setup_logging; "
        "setup_logging(int(sys.argv[1]), 'poller.log'); "
        "logging.getLogger('noc_console.x').info('started polling')"
    )
    env = {**os.environ, "NOC_CONSOLE_LOG_DIR": str(tmp_path)}
    quiet = subprocess.run(
        [sys.executable, "-c", code, "0"], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert quiet.returncode == 0 and "started polling" not in quiet.stderr
    loud = subprocess.run(
        [sys.executable, "-c", code, "1"], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert "started polling" in loud.stderr
    assert (tmp_path / "poller.log").read_text().count("started polling") == 2
