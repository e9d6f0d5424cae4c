"""A progress bar on the command line, for long work (seeding the demo's history, a sync of many calls).

Drawn on standard error, and only when it is a terminal: a script or a log file reading the output gets
no carriage returns, only the command's own lines. At most ten redraws a second, and always the last.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30  # characters of the bar itself


class TerminalProgress:
    """`progress(done, total)`, e.g. `TerminalProgress("seeding history")(540, 2150)`:
    `seeding history [#######                       ]    540/2,150  25 %`."""

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        *,
        every_s: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.every_s = every_s
        self._clock = clock
        self._drawn_at: float | None = None
        self._open = False
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self._clock()
        finished = total > 0 and done >= total
        if not finished and self._drawn_at is not None and now - self._drawn_at < self.every_s:
            return
        self._drawn_at = now
        self.stream.write("\r" + line(self.label, done, total))
        self._open = True
        if finished:
            self.close()
        else:
            self.stream.flush()

    def close(self) -> None:
        """End the bar's line (once), so what is printed next starts on a line of its own."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


def line(label: str, done: int, total: int) -> str:
    """One drawing of the bar; a total of 0 shows the count alone."""
    if total <= 0:
        return f"{label} {done:,}"
    share = min(max(done / total, 0.0), 1.0)
    filled = round(share * WIDTH)
    count = f"{done:>{len(f'{total:,}')},}/{total:,}"
    return f"{label} [{'#' * filled}{' ' * (WIDTH - filled)}] {count} {share * 100:3.0f} %"
