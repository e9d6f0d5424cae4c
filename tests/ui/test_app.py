"""SIGTERM and SIGINT reach the event loop at once, through Python's wakeup fd (no polling timer)."""

from __future__ import annotations

import os
import signal

import pytest

from noc_console.ui.app import QuitOnSignal


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_quit_signal_calls_back_in_the_event_loop_and_handlers_are_restored(qtbot, signum) -> None:
    previous = signal.getsignal(signum)
    received: list[int] = []
    quitter = QuitOnSignal(received.append)
    try:
        os.kill(os.getpid(), signum)
        qtbot.waitUntil(lambda: received == [signum], timeout=5000)
    finally:
        quitter.close()
    assert signal.getsignal(signum) is previous
