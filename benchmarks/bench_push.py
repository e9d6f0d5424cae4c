"""How fast a pushed alert becomes an incident a console sees: webhook POST to the change feed.

Usage: python benchmarks/bench_push.py [--db URL] [--pushes 200] [--warm-up 10]

A real `noc-console poller` process runs with the receiver on 127.0.0.1 (`[receiver] listen`, its
bearer token from NOC_CONSOLE_SECRET_RECEIVER) and one Alertmanager source that is polled once a minute
(at a port where nothing listens: its polls fail quickly, as they may on a floor). A follower,
`noc-console events --follow --json` in its own process (as bench_floor.py follows the feed: on
PostgreSQL it LISTENs, on SQLite it reads the feed a few times a second, as the console's windows do),
prints every change. One at a time, this process POSTs an Alertmanager webhook carrying one new firing
alert of a new service (so each push opens an incident) to `/push/<source>` and stamps the moment it
began; the follower's reader thread stamps the moment the incident's first change arrived on its pipe.

- push_to_feed_ms: that arrival minus the start of the POST (p50, p95, max over `--pushes`).
- push_committed_ms: the POST's own round trip: the receiver answers 200 only once the push committed.

The database is SQLite in a temporary directory, or a schema of its own in the PostgreSQL `--db`,
dropped at the end. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_floor import Follower, own_schema, percentile

from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-push-token-" + os.urandom(8).hex()


def webhook(k: int) -> dict[str, Any]:
    """Alertmanager's webhook body with one new firing alert of a service of its own."""
    alert = {
        "status": "firing",
        "labels": {"alertname": "BenchDown", "service": f"bench-{k}", "severity": "critical"},
        "annotations": {"summary": f"Bench service {k} down"},
        "startsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://127.0.0.1:9090/graph",
        "fingerprint": f"bench{k:012x}",
    }
    return {"receiver": "noc-console", "status": "firing", "alerts": [alert], "groupLabels": {},
            "commonLabels": alert["labels"], "commonAnnotations": {}, "externalURL": "http://127.0.0.1:9093",
            "version": "4", "groupKey": f"{{}}:{{service=\"bench-{k}\"}}", "truncatedAlerts": 0}  # fmt: skip


def start_poller(workdir: Path, db_url: str, port: int) -> subprocess.Popen[bytes]:
    config = workdir / "config.toml"
    config.write_text(
        f'[receiver]\nlisten = "127.0.0.1:{port}"\n\n'
        f'[[sources]]\nname = "am"\ntype = "alertmanager"\nurl = "http://127.0.0.1:{free_port()}"\n'
        "interval_s = 60\n"
    )
    log = (workdir / "poller.log").open("ab")
    env = {**os.environ, "NOC_CONSOLE_SECRET_RECEIVER": TOKEN, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "noc_console", "--config", str(config), "--db", db_url, "poller"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def wait_ready(
    http: requests.Session, url: str, poller: subprocess.Popen[bytes], timeout_s: float = 60.0
) -> None:
    """Until a push of no alerts is committed: the receiver listens and its poller holds the lease."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if poller.poll() is not None:
            raise RuntimeError(f"the poller exited with status {poller.returncode}")
        try:
            if http.post(url, json={"alerts": []}, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the poller's receiver never committed a push")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(db_url: str, pushes: int, warm_up: int, workdir: Path) -> dict[str, Any]:
    open_store(db_url).close()  # migrated before the poller starts
    port = free_port()
    url = f"http://127.0.0.1:{port}/push/am"
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {TOKEN}"
    with ExitStack() as stack:
        poller = start_poller(workdir, db_url, port)
        stack.callback(stop, poller)
        wait_ready(http, url, poller)
        store = open_store(db_url)
        with store.read() as session:
            since = repo.latest_change_seq(session)
        store.close()
        follower = Follower(db_url, since)
        stack.callback(follower.stop)
        to_feed: list[float] = []
        committed: list[float] = []
        for k in range(warm_up + pushes):
            body = json.dumps(webhook(k))
            started = time.perf_counter()
            answer = http.post(url, data=body, timeout=30)
            answered = time.perf_counter()
            if answer.status_code != 200:
                raise RuntimeError(f"push {k}: HTTP {answer.status_code} {answer.text[:200]}")
            (incident_id,) = answer.json()["opened"]
            arrived = follower.arrival_of(incident_id)
            if k >= warm_up:
                to_feed.append((arrived - started) * 1000)
                committed.append((answered - started) * 1000)
            print(f"push {k}: committed in {(answered - started) * 1000:.1f} ms, "
                  f"in the feed after {(arrived - started) * 1000:.1f} ms", file=sys.stderr)  # fmt: skip
    return {
        "push_to_feed_p50_ms": round(statistics.median(to_feed), 1),
        "push_to_feed_p95_ms": round(percentile(to_feed, 0.95), 1),
        "push_to_feed_max_ms": round(max(to_feed), 1),
        "push_committed_p50_ms": round(statistics.median(committed), 1),
        "push_committed_p95_ms": round(percentile(committed, 0.95), 1),
        "n": len(to_feed),
        "database": "postgresql" if db_url.startswith("postgresql") else "sqlite",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="PostgreSQL URL to work in (a schema of its own); default SQLite")
    parser.add_argument("--pushes", type=int, default=200, help="pushes measured (default 200)")
    parser.add_argument("--warm-up", type=int, default=10, help="pushes first, not measured (default 10)")
    args = parser.parse_args()
    with TemporaryDirectory(prefix="bench-push-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        db_url = stack.enter_context(own_schema(args.db)) if args.db else f"sqlite:///{workdir / 'noc.db'}"
        try:
            result = run(db_url, args.pushes, args.warm_up, workdir)
        except RuntimeError as exc:
            log = workdir / "poller.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            print(f"bench_push: {exc}\n{tail}", file=sys.stderr)
            return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
