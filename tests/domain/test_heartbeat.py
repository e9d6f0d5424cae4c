"""What the screens say of the dead man's switch, judged from time with an explicit `now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from noc_console.domain.heartbeat import HeartbeatStatus, heartbeat_line

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def beat(**changes: object) -> HeartbeatStatus:
    values: dict[str, object] = {"interval_s": 60.0, "since": T0 - timedelta(hours=1), "sent_at": T0}
    values.update(changes)
    return HeartbeatStatus(**values)  # type: ignore[arg-type]


def test_no_heartbeat_configured_says_nothing() -> None:
    assert heartbeat_line(None, T0) == ("", True)


def test_a_recent_heartbeat_says_how_long_ago() -> None:
    assert heartbeat_line(beat(tried_at=T0), T0 + timedelta(seconds=12)) == ("Heartbeat sent 12 s ago", True)
    assert heartbeat_line(beat(), T0 + timedelta(seconds=120)) == ("Heartbeat sent 2 min ago", True)


def test_none_sent_for_two_intervals_is_red_though_nothing_was_written() -> None:
    """A poller that hung or died writes nothing: only time shows it."""
    assert heartbeat_line(beat(), T0 + timedelta(seconds=121)) == ("Heartbeat sent 2 min ago", False)
    assert heartbeat_line(beat(), T0 + timedelta(hours=3, minutes=5)) == (
        "Heartbeat sent 3 h 05 min ago",
        False,
    )


def test_a_failed_or_held_back_heartbeat_is_red_with_its_reason() -> None:
    failed = beat(tried_at=T0 + timedelta(seconds=60), error="HTTP 503: unavailable\nmore detail")
    text, ok = heartbeat_line(failed, T0 + timedelta(seconds=61))
    assert (text, ok) == ("Heartbeat NOT SENT: HTTP 503: unavailable · last sent 1 min ago", False)
    assert heartbeat_line(failed, T0 + timedelta(seconds=61), reason=False) == (
        "Heartbeat NOT SENT for 1 min",
        False,
    )
    held = beat(sent_at=None, error="held back: the poll loop has made no progress for " + "9" * 200)
    text, ok = heartbeat_line(held, T0)
    assert not ok and text.endswith("… · none sent yet") and len(text) < 120
    assert heartbeat_line(held, T0, reason=False) == ("Heartbeat NOT SENT", False)


def test_a_new_holder_has_two_intervals_for_its_first_heartbeat() -> None:
    fresh = beat(sent_at=None, since=T0)
    assert heartbeat_line(fresh, T0 + timedelta(seconds=119)) == ("Heartbeat: none sent yet", True)
    assert heartbeat_line(fresh, T0 + timedelta(seconds=121)) == ("Heartbeat: none sent in 2 min", False)
