"""Maintenance windows in the poller's applies, on SQLite and PostgreSQL: held alerts are stored and
open nothing; when the window ends, by time or by hand, the same unchanged answer opens their incident."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from noc_console.domain.maintenance import NewWindow
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.feed import changes_since
from noc_console.store.maintenance import (
    UnknownWindow,
    WindowOver,
    add_window,
    all_windows,
    current_windows,
    end_window,
    held_alerts,
    held_services_at,
)
from tests.engine.test_unchanged_answers import T0, Rig, StandIn, am_alert
from tests.sources.test_alertmanager import http_server

S = timedelta(seconds=1)


@pytest.fixture
def rig(store: Store) -> Iterator[Rig]:
    """A poller fed synchronously from an Alertmanager stand-in: payments and checkout each fire."""
    with http_server(StandIn(am_alert("Down", "payments"), am_alert("Slow", "checkout"))) as url:
        polling = Rig(store, url)
        yield polling
        polling.close()


def schedule(store: Store, service: str = "payments", start=T0 - S, end=T0 + 10 * S) -> int:  # type: ignore[no-untyped-def]
    with store.session() as session:
        window = add_window(session, NewWindow(service, start, end, "upgrade", "alice"), T0 - 60 * S)
    return window.id


def open_services(store: Store) -> list[str | None]:
    with store.read() as session:
        return sorted(i.service or "" for i in repo.list_incidents(session))


def test_a_window_holds_alerts_until_its_end_even_when_the_answer_never_changes(
    rig: Rig, store: Store
) -> None:
    schedule(store)
    _, result = rig.poll(T0)
    assert len(result.opened) == 1 and open_services(store) == ["checkout"]
    with store.read() as session:
        assert [(h.service, h.summary) for h in held_alerts(session)] == [("payments", "Down on payments")]
        assert held_services_at(session, T0) == {"payments"}
    assert rig.shortcut(T0 + S)  # same answer, same window: nothing to do

    outcome, result = rig.poll(T0 + 10 * S)  # the window is over; the answer is the same
    assert outcome.unchanged is not None and rig.in_full
    assert len(result.opened) == 1 and open_services(store) == ["checkout", "payments"]
    with store.read() as session:
        assert held_alerts(session) == [] and held_services_at(session, T0 + 10 * S) == frozenset()


def test_a_window_that_begins_later_holds_nothing_before_it_and_ending_it_early_releases(
    rig: Rig, store: Store
) -> None:
    window_id = schedule(store, "payments", T0 + 5 * S, T0 + 60 * S)
    schedule(store, "checkout")
    _, result = rig.poll(T0)
    assert open_services(store) == ["payments"]  # payments' window has not begun
    with store.session() as session:
        end_window(session, window_id, T0 + 6 * S, "bob")
    with store.read() as session:
        assert [w.service for w in current_windows(session, T0 + 6 * S)] == ["checkout"]
    _, result = rig.poll(T0 + 7 * S)
    assert result.opened == [] and open_services(store) == ["payments"]


def test_ending_an_unknown_or_ended_window_is_refused_and_changes_nothing(store: Store) -> None:
    window_id = schedule(store)
    with store.session() as session, pytest.raises(UnknownWindow):
        end_window(session, window_id + 100, T0, "bob")
    with store.session() as session:
        ended = end_window(session, window_id, T0, "bob")
    assert ended.ended_at == T0 and ended.ended_by == "bob"
    with store.session() as session, pytest.raises(WindowOver, match="over already"):
        end_window(session, window_id, T0 + S, "carol")
    late = schedule(store, "dns", T0 - 60 * S, T0 - 30 * S)
    with store.session() as session, pytest.raises(WindowOver):
        end_window(session, late, T0, "bob")  # its time is up already
    with store.read() as session:
        assert current_windows(session, T0 - 2 * S) == []  # ended, so neither active nor upcoming
        assert [w.ended_by for w in all_windows(session)] == [None, "bob"]
        kinds = [c.kind for c in changes_since(session, 0)]
    assert kinds.count("maintenance") == 3  # two windows added, one ended; refusals write nothing


def test_two_operators_ending_one_window_at_once_end_it_once(store: Store) -> None:
    window_id = schedule(store)
    with store.session() as first:
        end_window(first, window_id, T0, "bob")
        # the second waits for the first's row lock on PostgreSQL (SQLite serialises writers): it
        # must see the window ended, not end it again
    with store.session() as second, pytest.raises(WindowOver):
        end_window(second, window_id, T0 + S, "carol")
