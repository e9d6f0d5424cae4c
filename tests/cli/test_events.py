"""`noc-console events`: the change feed for scripts, every change once and in commit order, also across
interleaved writers and a lost connection."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.feed import record_change
from tests.cli.helpers import ROOT, run_cli
from tests.servers import CuttableProxy

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def alert(fp: str, service: str) -> Alert:
    return Alert("am", fp, {"alertname": fp, "service": service}, f"{service} down", "", Severity.MAJOR, T0,
                 service=service)  # fmt: skip


class Follower:
    """`noc-console events --follow --json` as a running process; its lines arrive on a queue."""

    def __init__(self, db_url: str, *extra: str, app_name: str | None = None) -> None:
        env = {**os.environ, "PGAPPNAME": app_name} if app_name else None
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--db", db_url, "events", "--follow", "--json", *extra],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env,
        )  # fmt: skip
        self.lines: queue.Queue[dict[str, object]] = queue.Queue()
        self.complaints: queue.Queue[str] = queue.Queue()  # what it says on stderr, line by line
        self._said: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_err, daemon=True)
        self._err_reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._said.append(line)
            self.complaints.put(line)

    def says(self, text: str, timeout: float = 15) -> str:
        """The next stderr line containing `text`, waited for."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"the follower never said {text!r}"
            line = self.complaints.get(timeout=left)
            if text in line:
                return line

    def take(self, count: int, timeout: float = 15) -> list[dict[str, object]]:
        deadline = time.monotonic() + timeout
        got = []
        while len(got) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"only {len(got)} of {count} changes arrived: {got}"
            got.append(self.lines.get(timeout=left))
        return got

    def nothing_more(self, wait: float = 1.0) -> bool:
        try:
            extra = self.lines.get(timeout=wait)
        except queue.Empty:
            return True
        raise AssertionError(f"an extra change arrived: {extra}")

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        self._err_reader.join(timeout=5)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()
        return self.proc.returncode, "".join(self._said)


def follow(db_url: str, store: Store, app_name: str | None = None) -> Follower:
    """A follower from the newest change on, that is surely listening: its first line has arrived."""
    with store.read() as session:
        since = repo.latest_change_seq(session)
    follower = Follower(db_url, "--since", str(since), app_name=app_name)
    with store.session() as session:
        record_change(session, "poller", T0)
    follower.take(1)
    return follower


def test_events_prints_the_feed_and_follows_it(store: Store, db_url: str) -> None:
    with store.session() as session:
        (incident_id,) = apply_snapshot(
            session, AlertSnapshot.of("am", T0, [alert("a", "payments")]), now=T0
        ).opened
    done = run_cli("--db", db_url, "events", "--json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [set(line) for line in lines] == [{"seq", "at", "kind", "incident_id", "source"}] * len(lines)
    assert {line["kind"] for line in lines} == {"incident", "source"}
    last = max(int(line["seq"]) for line in lines)  # type: ignore[call-overload]
    assert run_cli("--db", db_url, "events", "--since", str(last)).stdout == ""
    follower = follow(db_url, store)
    try:
        with store.session() as session:
            repo.acknowledge(session, incident_id, "ana", T0)
        (change,) = follower.take(1)
        assert change["kind"] == "incident" and change["incident_id"] == incident_id
        assert follower.nothing_more(0.5)
    finally:
        status, err = follower.stop()
    assert status == 0, err  # SIGTERM is a clean exit


@pytest.mark.postgres
def test_a_slow_writer_and_fast_writers_interleaved_reach_a_follower_once_each_in_commit_order(
    pg_url: str,
) -> None:
    """The poller's long transaction writes first and commits last; acks commit meanwhile."""
    store = open_store(pg_url)
    with store.session() as session:
        opened = apply_snapshot(
            session, AlertSnapshot.of("am", T0, [alert(f"f{i}", f"svc{i}") for i in range(6)]), now=T0
        ).opened
    follower = follow(pg_url, store)
    try:
        with store.session() as slow:
            record_change(slow, "incident", T0, incident_id=opened[0])
            slow.flush()
            for incident_id in opened[1:]:  # five fast writers commit while the slow one is open
                with store.session() as fast:
                    repo.acknowledge(fast, incident_id, "ana", T0)
            fast_seen = follower.take(5)
        slow_seen = follower.take(1)
        assert follower.nothing_more()
    finally:
        follower.stop()
        store.close()
    seqs = [int(line["seq"]) for line in fast_seen + slow_seen]  # type: ignore[call-overload]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6
    assert [line["incident_id"] for line in fast_seen] == opened[1:]
    assert slow_seen[0]["incident_id"] == opened[0]  # delivered after the fast ones, never skipped


@pytest.mark.postgres
def test_a_follower_whose_connections_are_killed_misses_nothing(pg_url: str, postgres_server: str) -> None:
    """pg_terminate_backend on every connection of the follower; changes are made while it is away."""
    app = f"noc-events-{uuid.uuid4().hex[:8]}"
    store = open_store(pg_url)
    follower = follow(pg_url, store, app_name=app)
    admin = sa.create_engine(postgres_server, poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            killed = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :a"
                ),
                {"a": app},
            ).scalar_one()
        assert killed >= 1  # at least its LISTEN connection
        for n in range(5):
            with store.session() as session:
                record_change(session, "source", T0, source=f"s{n}")
        got = follower.take(5, timeout=10)  # in step again within seconds of the database answering
        assert [line["source"] for line in got] == [f"s{n}" for n in range(5)]
        assert follower.nothing_more()
    finally:
        status, err = follower.stop()
        admin.dispose()
        store.close()
    assert status == 0, err


@pytest.mark.postgres
def test_a_follower_says_reconnecting_while_the_database_is_away_and_then_prints_what_it_missed(
    pg_url: str, pg_proxy: CuttableProxy
) -> None:
    """The database host goes away (connections drop, new ones are refused); changes are made meanwhile."""
    store = open_store(pg_url)
    follower = follow(pg_proxy.url_for(pg_url), store)
    try:
        pg_proxy.cut()
        assert "reconnecting" in follower.says("reconnecting")
        for n in range(5):
            with store.session() as session:
                record_change(session, "source", T0, source=f"s{n}")
        assert follower.nothing_more(0.5)  # it cannot see them yet
        pg_proxy.restore()
        back = time.monotonic()
        got = follower.take(5, timeout=5)  # fully in step within 5 s of the database answering
        assert time.monotonic() - back < 5.0
        assert [line["source"] for line in got] == [f"s{n}" for n in range(5)]
        assert follower.nothing_more()
        follower.says("the database answers again")
    finally:
        status, err = follower.stop()
        store.close()
    assert status == 0, err


def test_since_must_be_a_change_number(tmp_path: Path) -> None:
    done = run_cli("--db", f"sqlite:///{tmp_path}/x.db", "events", "--since", "yesterday")
    assert done.returncode == 2 and "--since" in done.stderr and not (tmp_path / "x.db").exists()
