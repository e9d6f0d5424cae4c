"""A floor's poller dies by SIGKILL while SLA clocks breach and an alert clears: another poller takes over
within one poll interval plus 5 s, and nothing is written twice (no breach, no resolve, no alert)."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from noc_console.domain import IncidentStatus, Severity
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.models import AlertRow, SlaBreachRow, TimelineRow
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, url_of, write_config
from tests.engine.test_poller_process import wait_for

INTERVAL_S = 1
CUSTOMERS = 10  # customer-reported incidents whose acknowledge clocks fall due one a second, around the kill


def holder_pid(store: Store) -> int | None:
    with store.read() as session:
        status = repo.poller_status(session)
    return status.pid if status is not None else None


def count(store: Store, query: sa.Select[tuple[int]]) -> int:
    with store.read() as session:
        return int(session.scalar(query) or 0)


def test_a_sigkilled_poller_is_replaced_in_time_and_nothing_is_doubled(pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url)
    with misbehaving_server([gettable_alert("a", "payments"), gettable_alert("b", "dns")]) as server:
        config = write_config(
            tmp_path / "c.toml",
            url_of(server),
            extra=f"interval_s = {INTERVAL_S}\nresolve_after_s = 0\n\n[sla]\nack_minutes = 0.5\n",
        )
        argv = [sys.executable, "-m", "noc_console", "--db", pg_url, "--config", str(config), "poller"]
        first = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        second: subprocess.Popen[bytes] | None = None
        try:
            wait_for(lambda: holder_pid(store) == first.pid)
            wait_for(lambda: len(list_open(store)) == 2)
            with store.session() as session:  # reported a while ago: their clocks breach from now on
                now = repo.db_now(session)
                customers = [
                    repo.open_customer_incident(
                        session,
                        title=f"customer report {k}",
                        service=f"shop-{k}",
                        severity=Severity.MINOR,
                        by="helpdesk",
                        now=now - timedelta(seconds=30) + timedelta(seconds=k - 1),
                    ).id
                    for k in range(CUSTOMERS)
                ]
            breaches = sa.select(sa.func.count()).select_from(SlaBreachRow)
            wait_for(lambda: count(store, breaches) >= 1)  # the first poller has started recording them
            server.alerts = [gettable_alert("a", "payments")]  # type: ignore[attr-defined]
            missed = sa.select(AlertRow.missed_fetches).where(AlertRow.fingerprint == "b")
            wait_for(lambda: count(store, missed) >= 1, timeout=10)  # b is clearing: one fetch missed it
            second = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            with store.read() as session:
                killed_at = repo.db_now(session)
            standby = second
            wait_for(lambda: holder_pid(store) == standby.pid, timeout=30)
            with store.read() as session:
                status = repo.poller_status(session)
            assert status is not None
            # The dead holder renewed at most a heartbeat before it died, so its lease (5 s for a 1 s
            # interval) ran out at most 5 s after; the standby tries once a second. A second of slack
            # for a busy machine.
            assert status.acquired_at - killed_at <= timedelta(seconds=INTERVAL_S + 5 + 1)

            def all_breached_and_b_resolved() -> bool:
                breached = sa.select(sa.func.count(sa.distinct(SlaBreachRow.incident_id))).where(
                    SlaBreachRow.incident_id.in_(customers)
                )
                with store.read() as session:
                    b = session.scalars(sa.select(AlertRow).where(AlertRow.fingerprint == "b")).one()
                    (incident,) = repo.get_incidents(session, [b.incident_id])
                return count(store, breached) == CUSTOMERS and incident.status is IncidentStatus.RESOLVED

            wait_for(all_breached_and_b_resolved, timeout=30)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    assert process.wait(timeout=15) == 0
    with store.read() as session:
        per_incident = session.execute(
            sa.select(TimelineRow.incident_id, TimelineRow.kind, sa.func.count())
            .group_by(TimelineRow.incident_id, TimelineRow.kind)
            .order_by(TimelineRow.incident_id, TimelineRow.kind)
        ).all()
        alert_rows = session.execute(
            sa.select(AlertRow.fingerprint, sa.func.count()).group_by(AlertRow.fingerprint)
        ).all()
        incidents = repo.list_incidents(session, include_resolved=True)
    store.close()
    doubled = [(i, kind, n) for i, kind, n in per_incident if n > 1]
    assert doubled == []  # no breach, resolve, opening or firing written twice
    breach_entries = {i for i, kind, _n in per_incident if kind == "sla_breach"}
    assert set(customers) <= breach_entries
    assert sorted(alert_rows) == [("a", 1), ("b", 1)]  # neither alert opened a second time
    assert len(incidents) == 2 + CUSTOMERS
    assert [i.status for i in incidents if i.service == "payments"] == [IncidentStatus.OPEN]


def list_open(store: Store) -> list[object]:
    with store.read() as session:
        return list(repo.list_incidents(session))
