"""Gives back the references to None, True and False that PySide6 6.12's bindings take on Python 3.11.

Measured here (PySide6 6.12.0, CPython 3.11): every call of a wrapped method that returns void
(`QLabel.setText`, `QPainter.drawLine`, `QTimer.start` …) and every getter whose C++ pointer is null
(`QStyleOptionViewItem.widget`, `QObject.parent()` of a top-level object, `QModelIndex.data()` of an
invalid index …) returns None without taking a reference; every `Signal.emit()` does the same with
True. Each such call lowers that object's reference count for good; when it reaches zero CPython aborts
(`Fatal Python error: none_dealloc` / `bool_dealloc`). Python 3.12 made these objects immortal, so the
fault only shows before it.

pyproject.toml keeps 6.12 out before Python 3.12 (6.11.3, measured, drops none). This guard stays as the
second line: should such bindings be installed anyway (a distribution's package, a later release with
the same fault), a console that runs for weeks would die of it. It notes each object's count when it
starts and, once a second, adds back whatever was lost below it. Too many references to None, True or
False are harmless (they are never freed); too few are fatal. Code that runs per cell makes no binding
call it can avoid in any case (see `incident_model.py`).
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer, Slot

log = logging.getLogger(__name__)

NEEDED = sys.implementation.name == "cpython" and sys.version_info < (3, 12)
GUARDED: tuple[object, ...] = (None, True, False)
# A cushion for bursts between two checks: at about 0.15 µs each, it costs ~50 ms once, at start.
RESERVE = 100_000

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def add_references(obj: object, count: int) -> None:
    """Give `obj` `count` more references (none of them ever released)."""
    for _ in range(count):
        _incref(obj)


def _count(obj: object) -> int:
    return sys.getrefcount(obj)


class RefcountGuard(QObject):
    """Keeps the reference counts of None, True and False from running down; idle where they are immortal.

    `check()` adds back what was lost since the last check and returns how many; a QTimer calls it
    every `interval_ms` between `start()` and `stop()`.
    """

    def __init__(
        self, interval_ms: int = 1000, reserve: int = RESERVE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.active = NEEDED
        self.restored = 0
        self._floors: list[int] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        if self.active:
            for obj in GUARDED:
                add_references(obj, reserve)
            self._floors = [0] * len(GUARDED)
            for index, obj in enumerate(GUARDED):  # the same loop as check(): the same transient refs
                self._floors[index] = _count(obj)

    def start(self) -> None:
        if self.active:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def check(self) -> int:
        if not self.active:
            return 0
        restored = 0
        for index, obj in enumerate(GUARDED):
            lost = self._floors[index] - _count(obj)
            if lost > 0:
                add_references(obj, lost)
                restored += lost
        if restored:
            self.restored += restored
            log.debug("gave None, True and False back %d references (%d in all)", restored, self.restored)
        return restored
