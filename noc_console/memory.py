"""Giving freed memory back to the system, for processes that run for weeks.

CPython frees objects into the C library's heap, which keeps most of it: after one large piece of work
(the first apply of 10,000 alerts, the window's first load), a process would hold its high-water mark
for good. On glibc, `malloc_trim(0)` returns the free pages (about 15 MB after a first apply of 10,000
alerts); elsewhere there is nothing to call and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


M_ARENA_MAX = -8  # glibc's mallopt parameter: how many heaps threads share
ARENAS = 2  # glibc's default is 8 per core, each a heap of its own that keeps its freed memory


def _libc_function(name: str) -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):  # not glibc (musl has neither malloc_trim nor these settings)
        return None


_TRIM = _libc_function("malloc_trim")
if _TRIM is not None:
    _TRIM.argtypes = [ctypes.c_size_t]
    _TRIM.restype = ctypes.c_int


def limit_arenas() -> bool:
    """Let every thread share `ARENAS` heaps: called first thing, before any thread starts. The window's
    threads each filled a heap of their own (17 MB of its 168 at start); locks on two shared heaps cost
    nothing measurable at a console's rate of allocation. False where the C library has no such setting."""
    mallopt = _libc_function("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, ARENAS))


def release_freed_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


class Trimmer:
    """Releases freed memory at most once every `every_s` seconds, or at once after large work."""

    def __init__(self, every_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s = every_s
        self._clock = clock
        self._last = clock()

    def tick(self, *, large: bool = False) -> bool:
        """Call often; releases when due (or `large`: a big piece of work just ended). True if it did."""
        now = self._clock()
        if not large and now - self._last < self.every_s:
            return False
        self._last = now
        return release_freed_memory()
