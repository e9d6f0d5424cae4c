"""The database's clock as a window sees it: our clock plus the offset the feed measured; and a short
wait in seconds as the window says it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Slot

from noc_console.ui import formats


def seconds_text(seconds: float) -> str:
    """A short wait in seconds the locale's way, with as few decimals as it needs ("0.25", "0.5", "5")."""
    for decimals in range(3):
        if abs(seconds - round(seconds, decimals)) < 1e-9:
            return formats.number(seconds, decimals)
    return formats.number(seconds, 3)


class DbClock(QObject):
    """Every time in the store is the database's: ages, countdowns, staleness and leases are judged by
    `now()`. Connect `FeedFollower.clockOffset` to `set_offset`."""

    def __init__(self, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._clock() + self._offset

    @Slot(float)
    def set_offset(self, seconds: float) -> None:
        self._offset = timedelta(seconds=seconds)
