"""Figures for the poll path: parse an Alertmanager answer, apply it to SQLite. Prints JSON.

Usage: python benchmarks/bench_poll_path.py [--alerts N] [--services N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noc_console.domain import AlertSnapshot
from noc_console.engine.correlator import apply_snapshot
from noc_console.sources.alertmanager import parse
from noc_console.store import open_store


def payload(count: int, services: int) -> list[dict[str, object]]:
    return [
        {
            "labels": {
                "alertname": f"Alert{i % 97}",
                "service": f"svc-{i % services}",
                "severity": ("critical", "major", "minor", "warning", "info")[i % 5],
                "instance": f"host-{i}.example:9100",
                "job": "node",
            },
            "annotations": {"summary": f"Alert {i} is firing", "description": "x" * 200},
            "startsAt": "2026-11-27T11:00:00.123456789Z",
            "endsAt": "2026-11-27T13:00:00Z",
            "updatedAt": "2026-11-27T12:00:00Z",
            "fingerprint": f"{i:016x}",
            "generatorURL": "http://prometheus/graph",
            "receivers": [{"name": "noc"}],
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
        }
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=5000)
    parser.add_argument("--services", type=int, default=50)
    args = parser.parse_args()
    raw = json.dumps(payload(args.alerts, args.services)).encode()
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    tracemalloc.start()
    start = time.perf_counter()
    alerts = parse(json.loads(raw), source="am")
    parse_s = time.perf_counter() - start
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        timings = []
        for round_ in range(3):
            at = now + timedelta(seconds=10 * round_)
            start = time.perf_counter()
            with store.session() as session:
                result = apply_snapshot(session, AlertSnapshot.of("am", at, alerts), now=at)
            timings.append(time.perf_counter() - start)
            if round_ == 0:
                opened = len(result.opened)
        store.close()
    print(
        json.dumps(
            {
                "alerts": args.alerts,
                "payload_mib": round(len(raw) / 2**20, 2),
                "parse_s": round(parse_s, 3),
                "parse_peak_mib": round(parse_peak / 2**20, 1),
                "first_apply_s": round(timings[0], 3),
                "steady_apply_s": round(min(timings[1:]), 3),
                "incidents_opened": opened,
            }
        )
    )


if __name__ == "__main__":
    main()
