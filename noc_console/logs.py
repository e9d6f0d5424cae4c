"""Where the console's long-running processes log: a file per process kind in the platform's log
directory (platformdirs: ~/.local/state/noc-console/log on Linux), beside standard error.

A file is rotated at local midnight and whenever it passes `MAX_BYTES`; rotated files are kept a week and
at most `MAX_FILES` of them, so a console left on a wall for a year holds a bounded, recent history.
`-v` logs INFO and `-vv` DEBUG, to both; the file always gets at least INFO. Short commands (`incidents`,
`show` ...) log to standard error only.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from logging.handlers import BaseRotatingHandler
from pathlib import Path

import platformdirs

APP_NAME = "noc-console"
MAX_BYTES = 10 * 2**20
KEEP = timedelta(days=7)
MAX_FILES = 40
FORMAT = "%(asctime)s %(levelname)s %(process)d %(threadName)s %(name)s: %(message)s"


def log_dir() -> Path:
    """The platform's log directory for the console ($NOC_CONSOLE_LOG_DIR overrides it)."""
    override = os.environ.get("NOC_CONSOLE_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def current_log() -> Path | None:
    """The file this process logs to, if it logs to one (for the crash dialog)."""
    found = [h.path for h in logging.getLogger().handlers if isinstance(h, DailyFile)]
    return found[0] if found else None


class DailyFile(BaseRotatingHandler):
    """A log file rotated at local midnight or past `max_bytes`; rotated files older than `keep`, and
    beyond the newest `max_files`, are deleted. Rotated names carry when they were rotated:
    `gui.log` -> `gui.2026-11-27T23-59-59.log`."""

    def __init__(
        self,
        path: Path,
        *,
        max_bytes: int = MAX_BYTES,
        keep: timedelta = KEEP,
        max_files: int = MAX_FILES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        super().__init__(str(path), "a", encoding="utf-8", delay=False)
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self.max_files = max_files
        self._clock = clock
        started = path.stat().st_mtime if path.exists() and path.stat().st_size else clock()
        self._day = _local_day(started)
        self.prune()

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if _local_day(self._clock()) != self._day:
            return True
        if self.stream is None:
            return False
        return self.stream.tell() + len(self.format(record)) + 1 > self.max_bytes

    def doRollover(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        stamp = time.strftime("%Y-%m-%dT%H-%M-%S", time.localtime(self._clock()))
        target = self.path.with_name(f"{self.path.stem}.{stamp}{self.path.suffix}")
        number = 1
        while target.exists():  # two rotations within a second (a burst past max_bytes)
            number += 1
            target = self.path.with_name(f"{self.path.stem}.{stamp}-{number}{self.path.suffix}")
        if self.path.exists():
            self.path.rename(target)
        self._day = _local_day(self._clock())
        self.prune()
        self.stream = self._open()

    def rotated(self) -> list[Path]:
        """This log's rotated files, oldest first."""
        found = self.path.parent.glob(f"{self.path.stem}.*{self.path.suffix}")
        return sorted((p for p in found if p != self.path), key=lambda p: p.stat().st_mtime)

    def prune(self) -> None:
        """Delete rotated files older than `keep`, then the oldest beyond `max_files`."""
        cutoff = self._clock() - self.keep.total_seconds()
        files = self.rotated()
        for old in files:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        files = [p for p in files if p.exists()]
        for extra in files[: max(0, len(files) - self.max_files)]:
            extra.unlink(missing_ok=True)


def _local_day(at: float) -> tuple[int, int, int]:
    moment = time.localtime(at)
    return moment.tm_year, moment.tm_mon, moment.tm_mday


def setup_logging(verbose: int, file_name: str | None = None) -> Path | None:
    """Log to standard error at the level `-v` asks, and with `file_name` also to that file of the log
    directory (at least INFO). Returns the file's path, or None when it cannot be written (said on
    standard error: a console whose log directory is read-only still runs). Logging already set up by
    someone else (a test runner) keeps its handlers and levels; only the file is added."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, DailyFile)]:
        root.removeHandler(handler)
        handler.close()
    if not root.handlers:
        stderr = logging.StreamHandler(sys.stderr)
        stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        stderr.setLevel(level)
        root.addHandler(stderr)
        root.setLevel(level)
    if file_name is None:
        return None
    path = log_dir() / file_name
    try:
        file_handler = DailyFile(path)
    except OSError as exc:
        logging.getLogger(__name__).warning(
            "cannot write the log file %s (%s): logging to stderr only", path, exc
        )
        return None
    file_handler.setLevel(min(level, logging.INFO))
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    root.setLevel(min(root.level or logging.WARNING, level, logging.INFO))
    return path
