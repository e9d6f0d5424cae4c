"""Who polls, since when, and whether that is fine: the footer line and the supervisor's re-check."""

from __future__ import annotations

import sys
from datetime import timedelta

from noc_console.engine.launch import PollerCommand
from noc_console.store.lease import PollerStatus
from noc_console.ui.poller_supervisor import PollerSupervisor
from noc_console.ui.status_widgets import local_hms, poller_footer
from tests.ui.conftest import T0, Clock


def status(beat_s: float = 0, lease_s: float = 5) -> PollerStatus:
    beat = T0 + timedelta(seconds=beat_s)
    return PollerStatus(
        "h", 4242, "wall-7", T0 - timedelta(minutes=30), beat, beat + timedelta(seconds=lease_s), 3
    )


def test_a_live_poller_says_who_and_since_when() -> None:
    text, ok = poller_footer(status(), T0 + timedelta(seconds=2), mine=False, can_poll=True)
    assert ok
    since = local_hms(T0 - timedelta(minutes=30))
    assert text == f"Polling: host wall-7 pid 4242 since {since} · lease renewed 2 s ago"
    text, ok = poller_footer(status(), T0, mine=True, can_poll=True)
    assert ok and text.startswith("Polling: this console's poller (host wall-7 pid 4242) since")


def test_an_expired_lease_is_loud() -> None:
    now = T0 + timedelta(seconds=603)
    text, ok = poller_footer(status(), now, mine=False, can_poll=True)
    assert not ok
    assert text == f"Poller on host wall-7 pid 4242 stopped renewing at {local_hms(T0)} — taking over"
    text, ok = poller_footer(status(), now, mine=False, can_poll=False)
    assert not ok and text.endswith("— incidents are NOT being updated")


def test_nobody_polling_is_loud_when_this_console_cannot_poll() -> None:
    text, ok = poller_footer(None, T0, mine=False, can_poll=False)
    assert not ok and "NOT being updated" in text


def test_supervisor_takes_over_when_the_lease_runs_out_with_nothing_new_read(qtbot) -> None:
    clock = Clock(T0)
    # The child waits on its standard input: it runs exactly as long as we keep that pipe open.
    supervisor = PollerSupervisor(
        PollerCommand([sys.executable, "-c", "import sys; sys.stdin.read()"]), clock=clock
    )
    try:
        supervisor.recheck()
        assert supervisor.starts == 0  # nothing read yet: nothing decided
        supervisor.update_poller_status(status(lease_s=5))
        assert supervisor.starts == 0
        clock.advance(4.9)
        supervisor.recheck()
        assert supervisor.starts == 0
        clock.advance(0.2)  # the holder never renewed: only time says so
        supervisor.recheck()
        assert supervisor.starts == 1
        child = supervisor._process
        assert child is not None
        with qtbot.assertNotEmitted(child.finished, wait=500):
            pass  # its standard input stays open, so it keeps running
        assert supervisor.child_running
    finally:
        supervisor.stop()
    assert not supervisor.child_running
