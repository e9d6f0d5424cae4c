"""Figures for a NOC floor on one PostgreSQL: how fast an acknowledge reaches every console, and how fast
a standby poller takes over from one that was SIGKILLed. Prints one JSON object.

Usage: python benchmarks/bench_floor.py [--db URL] [--followers 5] [--changes 200] [--failovers 3]

The benchmark works in a schema of its own in the given database (default: the local server's
`postgres` database), dropped at the end.

- propagation: `--followers` headless followers (`noc-console events --follow --json`, separate
  processes, each LISTENing on its own connection) follow the feed. This process acknowledges one open
  incident at a time, through the same `store.actions.perform` the console and the command line use,
  and stamps the moment it began; a reader thread per follower stamps the moment the follower's line
  for that incident arrived on its pipe. A change's propagation is the latest of the followers'
  arrivals minus the start of the acknowledge (so it includes the acknowledge's own transaction).
  The next acknowledge starts 0 to 20 ms after every follower has the last one.
- failover: a `noc-console poller` holds the lease with the default poll interval; a second one waits
  as a standby. The holder is SIGKILLed; failover is the time from the kill to the lease row naming
  the standby, read every 20 ms. Repeated `--failovers` times, the standby of one round being the
  holder of the next. The limit is the poll interval plus 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noc_console.config import load_config
from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.severity import Severity
from noc_console.engine.poller import lease_seconds
from noc_console.store import Store, actions, open_store
from noc_console.store import repository as repo

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextmanager
def own_schema(db_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"bench_floor_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in db_url else "?"
    try:
        yield f"{db_url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


class Follower:
    """`noc-console events --follow --json` in its own process; a thread stamps each line's arrival."""

    def __init__(self, db_url: str, since: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--db", db_url, "events", "--follow", "--json",
             "--since", str(since)],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        self.arrivals: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.arrivals.put((time.perf_counter(), json.loads(line)))

    def arrival_of(self, incident_id: int, timeout: float = 30) -> float:
        """When this follower printed a change of the incident (earlier lines are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"a follower never printed a change of #{incident_id}")
            at, change = self.arrivals.get(timeout=left)
            if change["incident_id"] == incident_id:
                return at

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def open_incidents(store: Store, count: int) -> list[int]:
    with store.session() as session:
        now = repo.db_now(session)
        return [
            repo.open_customer_incident(
                session, title=f"bench {k}", service=f"svc-{k}", severity=Severity.MAJOR, by="bench", now=now
            ).id
            for k in range(count)
        ]


def acknowledge(store: Store, incident_id: int) -> None:
    with store.session() as session:
        actions.perform(
            session, OperatorAction(ActionKind.ACKNOWLEDGE, incident_id, by="bench"), repo.db_now(session)
        )


def propagation(db_url: str, followers: int, changes: int, warm_up: int = 10) -> dict[str, Any]:
    store = open_store(db_url)
    ids = open_incidents(store, warm_up + changes)
    with store.read() as session:
        since = repo.latest_change_seq(session)
    running = [Follower(db_url, since) for _ in range(followers)]
    latencies_ms: list[float] = []
    ack_ms: list[float] = []
    try:
        for n, incident_id in enumerate(ids):
            started = time.perf_counter()
            acknowledge(store, incident_id)
            committed = time.perf_counter()
            arrivals = [f.arrival_of(incident_id, timeout=60 if n < warm_up else 30) for f in running]
            if n >= warm_up:  # the first ones also wait for every follower to start and LISTEN
                latencies_ms.append((max(arrivals) - started) * 1000)
                ack_ms.append((committed - started) * 1000)
            time.sleep(random.uniform(0, 0.02))
    finally:
        for follower in running:
            follower.stop()
        store.close()
    return {
        "followers": followers,
        "changes": len(latencies_ms),
        "propagation_p50_ms": round(statistics.median(latencies_ms), 2),
        "propagation_p95_ms": round(percentile(latencies_ms, 0.95), 2),
        "propagation_max_ms": round(max(latencies_ms), 2),
        "acknowledge_p50_ms": round(statistics.median(ack_ms), 2),
        "propagation_target_p95_ms": 1000,
    }


class EmptyAlertmanager(BaseHTTPRequestHandler):
    """An Alertmanager with no alerts firing; its status page is not there (as behind a proxy)."""

    def do_GET(self) -> None:
        path = self.path.partition("?")[0].rstrip("/")
        status, body = (200, b"[]") if path == "/api/v2/alerts" else (404, b"404 page not found\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def wait_until(what: Callable[[], bool], timeout: float, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(step)


def failover(db_url: str, rounds: int) -> dict[str, Any]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EmptyAlertmanager)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = open_store(db_url)
    pollers: list[subprocess.Popen[bytes]] = []
    times: list[float] = []

    def holder() -> int | None:
        with store.read() as session:
            status = repo.poller_status(session)
        return status.pid if status is not None else None

    with TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "floor.toml"
        host, port = server.server_address[:2]
        config_path.write_text(
            f'[[sources]]\nname = "am"\ntype = "alertmanager"\nurl = "http://{host!s}:{port}"\n'
        )
        config = load_config(config_path)
        interval_s = min(s.interval_s for s in config.sources)
        argv = [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config_path), "poller"]

        def start() -> subprocess.Popen[bytes]:
            process = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pollers.append(process)
            return process

        try:
            current = start()
            wait_until(lambda pid=current.pid: holder() == pid, timeout=30)
            for _ in range(rounds):
                standby = start()
                time.sleep(2)  # the standby is up and has tried the lease at least once
                current.send_signal(signal.SIGKILL)
                killed = time.perf_counter()
                current.wait()
                wait_until(lambda pid=standby.pid: holder() == pid, timeout=interval_s + 60)
                times.append(time.perf_counter() - killed)
                current = standby
        finally:
            for process in pollers:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
            server.shutdown()
            store.close()
    return {
        "failover_s": round(max(times), 2),
        "failover_each_s": [round(t, 2) for t in times],
        "poll_interval_s": interval_s,
        "lease_s": lease_seconds(config),
        "failover_limit_s": interval_s + 5,
    }


def server_version(db_url: str) -> str:
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return str(conn.scalar(sa.text("SHOW server_version")))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("NOC_BENCH_POSTGRES_URL", DEFAULT_DB))
    parser.add_argument("--followers", type=int, default=5)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--failovers", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "benchmark": "floor",
        "postgresql_version": server_version(args.db),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    with own_schema(args.db) as url:
        figures.update(propagation(url, args.followers, args.changes))
    if args.failovers > 0:
        with own_schema(args.db) as url:
            figures.update(failover(url, args.failovers))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
