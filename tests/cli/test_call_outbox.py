"""The desk's outbox on PostgreSQL: calls taken while the database is really away (a cut TCP proxy) are
queued on the desk and reach the database exactly once, also when `call sync` is SIGKILLed mid-way or
crashed between the commit and the removal."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.calls import CallDraft, new_call_id
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store, open_store
from noc_console.store.calls import add_call
from noc_console.store.lease import db_now
from noc_console.store.models import CallRow, IncidentRow, TimelineRow
from noc_console.store.outbox import Outbox
from tests.cli.helpers import ROOT, run_cli
from tests.servers import CuttableProxy

CONFIG = '[helpdesk]\ndefault_region = "GB"\n'
# `call add` end to end with the database away must not wait for the 10 s connect timeout. A Python start
# with its imports is 1.5 s on a quiet 2-core machine and 3 to 5 s while CI's slow tests build a bundle
# beside it, so the bound leaves that room and still fails a command that waits for the timeout.
QUICK_S = 7.0


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This desk's outbox file, where every `noc-console` child of this test keeps queued calls."""
    path = tmp_path / "desk" / "outbox.db"
    monkeypatch.setenv("NOC_CONSOLE_OUTBOX", str(path))
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    store = open_store(pg_url)
    yield store
    store.close()


def payments_incident(store: Store) -> int:
    """An open incident our monitoring opened just now, by the database's clock."""
    with store.read() as r:
        now = db_now(r)
    alert = Alert(
        source="am",
        fingerprint="pay",
        labels={"alertname": "PaymentsErrors", "service": "payments"},
        summary="Card payments failing: gateway timeouts",
        description="",
        severity=Severity.CRITICAL,
        starts_at=now,
        service="payments",
    )
    with store.session() as session:
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of("am", now, [alert]), now=now).opened
    return incident_id


def stored_calls(store: Store) -> dict[str, CallRow]:
    with store.read() as r:
        rows = r.scalars(sa.select(CallRow)).all()
        r.expunge_all()
    return {row.id: row for row in rows}


def totals(store: Store) -> tuple[int, int, int, int]:
    """(calls, incidents, the incidents' call counts summed, "call" timeline entries)."""
    with store.read() as r:
        calls = r.scalar(sa.select(sa.func.count()).select_from(CallRow)) or 0
        incidents = r.scalar(sa.select(sa.func.count()).select_from(IncidentRow)) or 0
        counted = r.scalar(sa.select(sa.func.coalesce(sa.func.sum(IncidentRow.call_count), 0))) or 0
        entries = r.scalar(
            sa.select(sa.func.count()).select_from(TimelineRow).where(TimelineRow.kind == "call")
        )
    return int(calls), int(incidents), int(counted), int(entries or 0)


def assert_each_call_once(store: Store, monitoring_incidents: int) -> int:
    """Every stored call counted once on its incident and once on a timeline, and every incident a call
    opened belongs to a stored call (no orphan left by a transaction that died). Returns the calls."""
    calls, incidents, counted, entries = totals(store)
    opened_by_calls = sum(1 for row in stored_calls(store).values() if not row.attached)
    assert counted == calls and entries == calls
    assert incidents == monitoring_incidents + opened_by_calls
    return calls


def queued_ids(path: Path) -> set[str]:
    return {draft.call_id for draft in Outbox(path).queued()} if path.exists() else set()


def a_draft(n: int, received_at: datetime) -> CallDraft:
    """Every third call is about the payments incident (the best match); the others open incidents of
    their own (the agent chose "new")."""
    about_payments = n % 3 == 0
    service, summary = (
        ("payments", f"Card payments failing, gateway timeouts (shop {n})")
        if about_payments
        else (f"service-{n}", f"Nothing loads on service {n}")
    )
    return CallDraft(
        call_id=new_call_id(),
        caller=f"Caller {n}",
        phone="07911 123456",
        service=service,
        summary=summary,
        taken_by="desk-1",
        received_at=received_at + timedelta(seconds=n),
        severity=None if n % 2 else "minor",
        placement="best-match" if about_payments else "new",
    ).checked("GB")


def test_calls_taken_while_the_database_is_away_are_queued_then_synced_once(
    pg_url: str, pg_proxy: CuttableProxy, desk: Path, config: Path, store: Store
) -> None:
    payments = payments_incident(store)
    through_proxy = pg_proxy.url_for(pg_url)
    pg_proxy.cut()

    queued = []
    for service, summary in (
        ("payments", "Card payments failing, gateway timeouts at the checkout"),
        ("vpn", "VPN drops every few minutes"),
        ("mail", "No mail since nine"),
    ):
        started = time.monotonic()
        result = run_cli(
            "--db", through_proxy, "--config", str(config), "call", "add", "--caller", "Ana Pereira",
            "--phone", "07911 123456", "--service", service, "--summary", summary, "--json",
        )  # fmt: skip
        took = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        shown = json.loads(result.stdout)
        assert shown["queued"] is True and shown["incident_id"] is None and shown["attached"] is False
        assert "saved on this desk" in result.stderr
        assert took < QUICK_S, f"call add took {took:.1f} s with the database away"
        queued.append(shown["call_id"])
    assert stat.S_IMODE(desk.stat().st_mode) == 0o600  # callers' numbers: owner-only
    assert queued_ids(desk) == set(queued)
    assert stored_calls(store) == {}

    still_away = run_cli("--db", through_proxy, "--config", str(config), "call", "sync")
    assert still_away.returncode == 3, still_away.stderr
    assert "3 call(s) still queued" in still_away.stderr
    assert queued_ids(desk) == set(queued)

    pg_proxy.restore()
    with store.read() as r:
        back_at = db_now(r)
    synced = run_cli("--db", through_proxy, "--config", str(config), "call", "sync")
    assert synced.returncode == 0, synced.stderr
    assert sorted(line.split(":")[0] for line in synced.stdout.splitlines()) == sorted(
        f"Call {call_id}" for call_id in queued
    )
    stored = stored_calls(store)
    assert set(stored) == set(queued) and queued_ids(desk) == set()
    assert all(row.received_at < back_at for row in stored.values())  # when it was taken, not synced
    assert stored[queued[0]].incident_id == payments and stored[queued[0]].attached is True
    assert {stored[c].attached for c in queued[1:]} == {False}
    assert stored[queued[0]].phone == "+447911123456"
    assert assert_each_call_once(store, monitoring_incidents=1) == 3
    before = totals(store)

    again = run_cli("--db", through_proxy, "--config", str(config), "call", "sync")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "Nothing queued on this desk."
    assert totals(store) == before


def test_a_call_committed_before_a_crash_is_not_stored_again(
    pg_url: str, desk: Path, config: Path, store: Store
) -> None:
    """The sync committed the call and died before removing it from the outbox."""
    payments = payments_incident(store)
    with store.read() as r:
        now = db_now(r)
    call = a_draft(0, now - timedelta(minutes=2))
    Outbox(desk).put(call, now)
    with store.session() as session:
        first = add_call(session, call, db_now(session), policy=SlaPolicy())
    assert first.incident_id == payments and first.attached
    before = totals(store)

    result = run_cli("--db", pg_url, "--config", str(config), "call", "sync")

    assert result.returncode == 0, result.stderr
    assert totals(store) == before == (1, 1, 1, 1)
    assert queued_ids(desk) == set()
    assert stat.S_IMODE(desk.stat().st_mode) == 0o600


def start_sync(db_url: str, config: Path, *, stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "call", "sync"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip


def kill_when(proc: subprocess.Popen[bytes], store: Store, *, delay: float | None, after_calls: int) -> None:
    """SIGKILL after `delay` seconds, or (no delay) as soon as more than `after_calls` calls are committed."""
    deadline = time.monotonic() + (delay if delay is not None else 30)
    while time.monotonic() < deadline and proc.poll() is None:
        if delay is None and totals(store)[0] > after_calls:
            break
        time.sleep(0.005 if delay is None else min(0.01, max(0.0, deadline - time.monotonic())))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_sync_killed_at_any_point_stores_each_call_exactly_once(
    pg_url: str, desk: Path, config: Path, store: Store
) -> None:
    payments_incident(store)
    with store.read() as r:
        now = db_now(r)
    drafts = [a_draft(n, now - timedelta(minutes=5)) for n in range(24)]
    outbox = Outbox(desk)
    for draft in drafts:
        outbox.put(draft, now)
    everything = {d.call_id for d in drafts}
    chance = random.Random(20261127)

    kills = 0
    for round_ in range(10):
        if not queued_ids(desk):
            break
        calls_before = totals(store)[0]
        proc = start_sync(pg_url, config)
        # Alternate: a random moment (in the start-up, the connect, or the middle of storing), and the
        # moment just after a commit, which is when the outbox still holds a call the database has.
        delay = chance.uniform(0.0, 2.0) if round_ % 2 else None
        kill_when(proc, store, delay=delay, after_calls=calls_before)
        kills += proc.returncode == -signal.SIGKILL
        # Never lost, never twice: each call is in the database, or still queued on the desk, or both.
        assert set(stored_calls(store)) | queued_ids(desk) == everything
        assert_each_call_once(store, monitoring_incidents=1)
    assert kills >= 3, "the sync finished before it could be killed: nothing was tested"

    final = run_cli("--db", pg_url, "--config", str(config), "call", "sync")
    assert final.returncode == 0, final.stderr
    assert set(stored_calls(store)) == everything and queued_ids(desk) == set()
    assert assert_each_call_once(store, monitoring_incidents=1) == len(drafts)
    attached = {row.id for row in stored_calls(store).values() if row.attached}
    assert attached == {d.call_id for d in drafts if d.service == "payments"}


def test_two_syncs_of_one_desk_at_once_store_each_call_once(
    pg_url: str, desk: Path, config: Path, store: Store
) -> None:
    """The console's own sync and a script's `call sync` start together on the same outbox."""
    payments_incident(store)
    with store.read() as r:
        now = db_now(r)
    drafts = [a_draft(n, now - timedelta(minutes=5)) for n in range(12)]
    outbox = Outbox(desk)
    for draft in drafts:
        outbox.put(draft, now)

    procs = [start_sync(pg_url, config, stderr=subprocess.PIPE) for _ in range(2)]
    errors: list[Any] = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        errors.append((proc.returncode, err.decode(errors="replace")))

    assert [code for code, _ in errors] == [0, 0], errors
    assert set(stored_calls(store)) == {d.call_id for d in drafts} and queued_ids(desk) == set()
    assert assert_each_call_once(store, monitoring_incidents=1) == len(drafts)


def test_sync_with_an_empty_outbox_says_so_without_the_database(
    pg_proxy: CuttableProxy, pg_url: str, desk: Path, config: Path
) -> None:
    pg_proxy.cut()
    result = run_cli("--db", pg_proxy.url_for(pg_url), "--config", str(config), "call", "sync")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Nothing queued on this desk."


def test_the_outbox_keeps_a_call_exactly_as_taken(desk: Path) -> None:
    received = datetime(2026, 11, 27, 12, 2, 3, 456789, tzinfo=UTC)
    call = CallDraft(
        call_id=new_call_id(),
        caller="ليلى حداد Zoe\u0308",
        phone="07911 123456",
        service="payments",
        summary="\U0001f469\u200d\U0001f4bb '; DROP TABLE queued; -- <b>x</b>\nשורה שנייה",  # noqa: RUF001
        taken_by="desk-1",
        received_at=received,
        organisation='שלום בע"מ',
        started_at=received - timedelta(minutes=20),
        users_affected=0,
        impact="down",
        placement="attach",
        attach_to=7,
        severity="critical",
        title="Payments",
    ).checked("GB")
    outbox = Outbox(desk)
    outbox.put(call, received)
    outbox.put(call, received + timedelta(seconds=1))  # queueing it again keeps one
    assert Outbox(desk).queued() == [call] and len(outbox) == 1
    assert stat.S_IMODE(desk.stat().st_mode) == 0o600
    outbox.remove(call.call_id)
    assert Outbox(desk).queued() == []


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts connections and never answers: a database host that hangs."""
    import socket
    import threading

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join(timeout=5)
    listener.close()
    for conn in held:
        conn.close()


def test_a_call_add_killed_while_the_database_hangs_loses_nothing(
    store: Store, pg_url: str, desk: Path, config: Path, silent_server: int
) -> None:
    """The call is on the desk's disk before the database is even asked: SIGKILL while it waits for a
    database host that never answers, then `call sync` to the real one stores it, once."""
    hanging = (
        sa.make_url(pg_url).set(host="127.0.0.1", port=silent_server).render_as_string(hide_password=False)
    )
    argv = [sys.executable, "-m", "noc_console", "--db", hanging, "--config", str(config), "call", "add",
            "--phone", "07911 123456", "--caller", "Zoë Ó Briain", "--service", "vpn",
            "--summary", "VPN drops every few minutes", "--json"]  # fmt: skip
    add = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 20
    while not queued_ids(desk) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert add.poll() is None  # still waiting for the database that never answers
    add.send_signal(signal.SIGKILL)
    add.wait(timeout=10)
    (call_id,) = queued_ids(desk)
    done = run_cli("--db", pg_url, "--config", str(config), "call", "sync")
    assert done.returncode == 0, done.stderr
    stored = stored_calls(store)
    assert list(stored) == [call_id] and stored[call_id].caller == "Zoë Ó Briain"
    assert queued_ids(desk) == set()


def test_attach_to_an_incident_that_does_not_exist_writes_nothing(
    store: Store, pg_url: str, desk: Path, config: Path
) -> None:
    fields = ["--phone", "07911 123456", "--caller", "Ann", "--service", "vpn", "--summary", "VPN down"]
    done = run_cli("--db", pg_url, "--config", str(config), "call", "add", *fields, "--attach-to", "999")
    assert done.returncode == 4
    assert done.stderr.startswith("noc-console: --attach-to: ") and done.stderr.count("\n") == 1, done.stderr
    assert totals(store) == (0, 0, 0, 0)
    assert queued_ids(desk) == set()
