"""The lease holder's background work: one function called every few seconds on a thread of the
poller process, only while this process holds the lease, so that slow calls to the world (a pager, a
source's API) never stall the poll loop. The pager, the acknowledge write-back and the maintenance
silences each run on one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

Fence = tuple[str, int]  # (holder, epoch) of the poller lease

log = logging.getLogger(__name__)


class FencedTicker:
    """`tick(fence)` every `interval_s` while `fence()` says this process holds the lease; `after()`, if
    given, once when the thread ends (to close what the ticks opened)."""

    def __init__(
        self,
        name: str,
        tick: Callable[[Fence], Any],
        fence: Callable[[], Fence | None],
        interval_s: float,
        *,
        after: Callable[[], None] | None = None,
    ) -> None:
        self._tick = tick
        self._fence = fence
        self._interval_s = interval_s
        self._after = after
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._once()
                self._stop.wait(self._interval_s)
        finally:
            if self._after is not None:
                self._after()

    def _once(self) -> None:
        """One tick. An error no tick expected (a bug) is logged with its traceback, and the next tick
        comes as usual: a pager that stopped for good on one bad row would page nobody, silently."""
        try:
            fence = self._fence()
            if fence is not None:
                self._tick(fence)
        except Exception:
            log.exception(
                "%s: unexpected error; the next tick comes in %g s", self._thread.name, self._interval_s
            )
