"""The guard that gives None, True and False back the references PySide6 6.12's bindings took away
on Python 3.11 (void methods and null getters returned None without one, Signal.emit True), and a check
that the bindings installed now do not."""

from __future__ import annotations

import ctypes
import sys

import pytest

from noc_console.ui import refcount_guard
from noc_console.ui.refcount_guard import RefcountGuard

needed = pytest.mark.skipif(not refcount_guard.NEEDED, reason="immortal on this Python: nothing to guard")

_decref = ctypes.pythonapi.Py_DecRef
_decref.argtypes = [ctypes.py_object]
_decref.restype = None


@needed
@pytest.mark.parametrize("singleton", [None, True, False], ids=repr)
def test_check_gives_back_what_was_taken(qtbot, singleton: object) -> None:
    guard = RefcountGuard(reserve=10_000)  # the cushion keeps what this test takes away from mattering
    before = sys.getrefcount(singleton)
    for _ in range(5000):  # what 5,000 void calls (None) or emits (True) do to it
        _decref(singleton)
    assert sys.getrefcount(singleton) <= before - 4900
    assert guard.check() >= 4900
    assert sys.getrefcount(singleton) >= before - 50
    assert guard.check() <= 50  # nothing more was lost


@needed
def test_the_reserve_is_added_once_and_the_timer_runs_until_stopped(qtbot) -> None:
    before = [sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)]
    guard = RefcountGuard(interval_ms=10, reserve=1000)
    after = [sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)]
    assert all(a >= b + 990 for a, b in zip(after, before, strict=True))
    guard.start()
    with qtbot.waitSignal(guard._timer.timeout, timeout=2000):
        pass
    guard.stop()
    assert not guard._timer.isActive()


def test_the_installed_bindings_keep_none_and_true_alive(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 took a reference from None on every void call and from True on every
    emit; pyproject.toml keeps it out. This fails if such bindings come back (the guard would then be
    all that keeps a wall alive)."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel

    if not refcount_guard.NEEDED:
        pytest.skip("immortal on this Python")

    class Emitter(QObject):
        ping = Signal()

    label, emitter = QLabel(), Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("x")
        emitter.ping.emit()
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    if lost_none > 0 or lost_true > 0:
        RefcountGuard(reserve=4000)  # give them back before anything else notices, then fail
    assert lost_none < 100 and lost_true < 100, (lost_none, lost_true)
