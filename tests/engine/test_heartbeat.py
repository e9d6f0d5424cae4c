"""The dead man's switch: only the lease holder calls, only while its poll loop turns, and every outcome
is on the lease row for the screens (domain.heartbeat judges it)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from noc_console.config import parse_config
from noc_console.config_heartbeat import HeartbeatConfig
from noc_console.domain.heartbeat import heartbeat_line
from noc_console.engine.heartbeat import Heartbeat, LoopProgress, declare
from noc_console.engine.poller import LeaseKeeper, Poller, new_holder
from noc_console.secrets import get_secret, set_secret
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.lease import PollerStatus, poller_status, release_poller_lease
from tests.cli.helpers import recording_server, url_of
from tests.engine.test_poller_process import wait_for

KEY = "gk-0123-secret"


def opsgenie(url: str, interval_s: float = 60) -> HeartbeatConfig:
    return HeartbeatConfig(
        url=f"{url}/v2/heartbeats/noc-floor/ping",
        method="POST",
        interval_s=interval_s,
        timeout_s=min(5.0, interval_s / 2),
        auth_header="Authorization",
        auth_scheme="GenieKey",
    )


def status_of(store: Store) -> PollerStatus:
    with store.read() as session:
        status = repo.poller_status(session)
    assert status is not None
    return status


def test_the_holder_pings_with_its_credential_and_records_sent_and_failed(store: Store) -> None:
    set_secret("heartbeat", KEY)
    keeper = LeaseKeeper(store, new_holder(), 10)
    fence = keeper.beat()
    assert fence is not None
    with recording_server() as server:
        beat = Heartbeat(store, opsgenie(url_of(server)), progress=lambda: 0.5, secret=get_secret)
        try:
            assert beat.tick((fence.holder, fence.epoch)).sent
            assert server.calls[0][:2] == ("POST", "/v2/heartbeats/noc-floor/ping")  # type: ignore[attr-defined]
            assert server.calls[0][2]["Authorization"] == f"GenieKey {KEY}"  # type: ignore[attr-defined]
            first = status_of(store).heartbeat
            assert first is not None and first.sent_at is not None and first.error is None
            assert first.interval_s == 60 and first.tried_at == first.sent_at

            server.status = 503  # type: ignore[attr-defined]
            failed = beat.tick((fence.holder, fence.epoch))
        finally:
            beat.close()
    assert not failed.sent and failed.error is not None and failed.error.startswith("HTTP 503")
    after = status_of(store).heartbeat
    assert after is not None and after.sent_at == first.sent_at  # the last one that went out
    assert after.error == failed.error and after.tried_at is not None and after.tried_at > first.sent_at
    text, ok = heartbeat_line(after, after.tried_at)
    assert not ok and text.startswith("Heartbeat NOT SENT: HTTP 503")
    assert KEY not in text


def test_a_stuck_poll_loop_holds_the_heartbeat_back(store: Store) -> None:
    """The ticker thread runs, but the poll loop has not turned for over two intervals: no call goes
    out, so the service outside alarms; the reason is recorded for the screens."""
    now = [1000.0]
    progress = LoopProgress(monotonic=lambda: now[0])
    keeper = LeaseKeeper(store, new_holder(), 10)
    fence = keeper.beat()
    assert fence is not None
    with recording_server() as server:
        config = replace(opsgenie(url_of(server), interval_s=30), auth_header=None, auth_scheme=None)
        beat = Heartbeat(store, config, progress=progress.age_s)
        try:
            now[0] += 59  # under two intervals since the last turn: alive
            assert beat.tick((fence.holder, fence.epoch)).sent
            now[0] += 2  # 61 s without a turn
            held = beat.tick((fence.holder, fence.epoch))
            progress.mark()  # the loop turns again: so do the calls
            again = beat.tick((fence.holder, fence.epoch))
        finally:
            beat.close()
        calls = len(server.calls)  # type: ignore[attr-defined]
    assert not held.sent and held.error == "held back: the poll loop has made no progress for 61 s"
    assert again.sent and calls == 2
    assert "Authorization" not in server.calls[0][2]  # type: ignore[attr-defined]


def test_a_holder_that_lost_the_lease_records_nothing(store: Store) -> None:
    first = LeaseKeeper(store, new_holder(), 10)
    fence = first.beat()
    assert fence is not None
    with store.session() as session:  # the lease expires and another process takes it over
        release_poller_lease(session, fence.holder)
    second = LeaseKeeper(store, new_holder(), 10)
    assert second.beat() is not None
    with recording_server() as server:
        config = replace(opsgenie(url_of(server)), auth_header=None, auth_scheme=None)
        beat = Heartbeat(store, config, progress=lambda: 0.0)
        try:
            beat.tick((fence.holder, fence.epoch))
        finally:
            beat.close()
    assert status_of(store).heartbeat is None  # the new holder has declared none; nothing was written


def test_only_the_lease_holder_pings_and_a_standby_takes_over(tmp_path: Path) -> None:
    """Two pollers on one database, each pinging its own endpoint: the standby's stays silent until
    the holder stops; then the standby holds the lease and pings."""
    store = open_store(f"sqlite:///{tmp_path}/noc.db")
    base = parse_config({})
    with recording_server() as first_server, recording_server() as second_server:
        first = Poller(store, replace(base, heartbeat=_quick(url_of(first_server))), sources=[])
        second = Poller(store, replace(base, heartbeat=_quick(url_of(second_server))), sources=[])
        threads = [threading.Thread(target=p.run, name=f"poller-{n}") for n, p in enumerate((first, second))]
        try:
            threads[0].start()
            wait_for(lambda: len(first_server.calls) >= 2)  # type: ignore[attr-defined]
            threads[1].start()
            turned = _turns(second)
            wait_for(lambda: turned() >= 20)  # the standby's loop and tickers run…
            assert second_server.calls == []  # type: ignore[attr-defined]  # …and it sends nothing
            assert status_of(store).holder == first.holder
            first.stop_event.set()
            threads[0].join(timeout=30)
            wait_for(lambda: len(second_server.calls) >= 1)  # type: ignore[attr-defined]
            status = status_of(store)
            assert status.holder == second.holder
            assert status.heartbeat is not None and status.heartbeat.error is None
        finally:
            for poller in (first, second):
                poller.stop_event.set()
            for thread in threads:
                thread.join(timeout=30)
            store.close()


def _quick(url: str) -> HeartbeatConfig:
    """A heartbeat every second (below the config's bounds, for a test that must not take minutes)."""
    return HeartbeatConfig(url=f"{url}/ping/5e1f", interval_s=1.0, timeout_s=0.5)


def _turns(poller: Poller):  # type: ignore[no-untyped-def]
    """A counter of the poller's completed loop turns, counted from now."""
    count = [0]
    mark = poller.progress.mark

    def counted() -> None:
        count[0] += 1
        mark()

    poller.progress.mark = counted  # type: ignore[method-assign]
    return lambda: count[0]


def test_the_holder_declares_its_heartbeat_on_taking_the_lease(store: Store) -> None:
    """A holder without [heartbeat] clears a former holder's, so the screens show none."""
    keeper = LeaseKeeper(store, new_holder(), 10)
    fence = keeper.beat()
    assert fence is not None
    config = HeartbeatConfig(url="https://hc-ping.example/5e1f", interval_s=120)
    declare(store, config, (fence.holder, fence.epoch))
    declared = status_of(store).heartbeat
    assert declared is not None and declared.interval_s == 120 and declared.sent_at is None
    text, ok = heartbeat_line(declared, declared.since + timedelta(seconds=241))
    assert (text, ok) == ("Heartbeat: none sent in 4 min", False)
    declare(store, None, (fence.holder, fence.epoch))
    assert status_of(store).heartbeat is None


def test_a_holder_whose_poll_loop_hangs_stops_renewing_so_a_standby_takes_over(store: Store) -> None:
    """The lease is renewed on a thread of its own, which runs on while the poll loop hangs: a loop
    without progress for four leases makes it stop renewing (the lease then expires, and a standby's
    next round takes it); once the loop moves again, it takes the lease again if it is free."""
    stalled = [0.0]
    keeper = LeaseKeeper(store, new_holder(), 10, stalled=lambda: stalled[0])
    fence = keeper.beat()
    assert fence is not None and keeper.fence == fence
    stalled[0] = 39.0  # under four leases of 10 s: still renewed
    assert keeper.beat() == fence
    with store.read() as session:
        renewed = poller_status(session)
    stalled[0] = 41.0
    assert keeper.beat() is None and keeper.fence is None
    with store.read() as session:
        kept = poller_status(session)
    assert renewed is not None and kept is not None
    assert (kept.holder, kept.beat_at, kept.expires_at) == (fence.holder, renewed.beat_at, renewed.expires_at)
    with store.session() as session:  # what the lease's expiry does, without waiting for it
        release_poller_lease(session, fence.holder)
    standby = LeaseKeeper(store, new_holder(), 10)
    taken = standby.beat()
    assert taken is not None and taken.epoch > fence.epoch
    stalled[0] = 0.0  # the hung loop moves again: the lease is held by the standby now
    assert keeper.beat() is None
