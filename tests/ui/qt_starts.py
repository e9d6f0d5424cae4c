"""Which QThreads and QTimers a test started, and which of them it left running (after napari's
`_dangling_qthreads` check). Imports PySide6: only import this where Qt may be imported."""

from __future__ import annotations

import traceback
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QThread, QTimer


def _caller() -> str:
    """Where the start was called from: the innermost frame outside this module."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename != __file__:
            return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "?"


class QtStarts:
    """While entered, every `QThread.start` and `QTimer.start` called from Python is remembered."""

    def __init__(self, thread_wait_ms: int = 3000) -> None:
        self.thread_wait_ms = thread_wait_ms
        self._started: list[tuple[weakref.ref[Any], str]] = []
        self._originals: dict[type, Callable[..., Any]] = {}

    def __enter__(self) -> QtStarts:
        for cls in (QThread, QTimer):
            original = cls.start
            self._originals[cls] = original
            cls.start = self._recording(original)  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        for cls, original in self._originals.items():
            cls.start = original  # type: ignore[method-assign]
        self._originals.clear()

    def _recording(self, original: Callable[..., Any]) -> Callable[..., Any]:
        started = self._started

        def start(obj: Any, *args: Any, **kwargs: Any) -> Any:
            started.append((weakref.ref(obj), _caller()))
            return original(obj, *args, **kwargs)

        return start

    def leftovers(self) -> list[str]:
        """'QTimer started at file:line in f', for each one still active or running now."""
        found: dict[int, str] = {}
        for ref, where in self._started:
            obj = ref()
            if obj is None or not shiboken6.isValid(obj) or id(obj) in found:
                continue
            if isinstance(obj, QThread):
                if obj.isRunning() and not obj.wait(self.thread_wait_ms):
                    found[id(obj)] = f"QThread {obj.objectName()!r} started at {where} is still running"
            elif isinstance(obj, QTimer) and obj.isActive():
                found[id(obj)] = f"QTimer started at {where} is still active"
        return list(found.values())
