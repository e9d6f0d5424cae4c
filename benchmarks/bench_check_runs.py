"""Figures for synthetic checks after weeks of history: the work per run must not grow with it.
Prints one JSON object (last line).

Usage: python benchmarks/bench_check_runs.py [--db URL] [--interval 10] [--weeks 4]

One check run every `--interval` seconds for `--weeks` weeks is stored (SQLite in a temporary
directory unless `--db` names a database), then:
- load_baseline_s: rebuilding the check's learned latency from the store, what a poller does once per
  check when it starts or takes over. Target: under 2 s at a 10 s interval.
- judge_and_add_ms: judging one run against the in-memory baseline and adding it, p50/p95 over 2,000
  runs. Target: under 1 ms (it runs once per check run).
- chart_history_ms: reading the last 24 hours and their learned band for the chart (the console's
  worker), p50 over 20 reads. Target: under 300 ms.
- baseline_samples: runs the baseline holds (one a minute per hour of the week at most).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from noc_console.domain.latency_baseline import learned_alert
from noc_console.domain.synthetic import CheckRun, CheckStep, HttpCheck, StepResult
from noc_console.store import open_store
from noc_console.store.check_runs import check_history, load_baseline
from noc_console.store.models import CheckRunRow

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
CHECK = HttpCheck(steps=(CheckStep("request"),))


def fill(db_url: str, interval_s: float, weeks: int) -> int:
    store = open_store(db_url)
    rows = []
    at = NOW - timedelta(weeks=weeks)
    count = 0
    try:
        while at < NOW:
            ms = 300.0 + (count * 37 % 200)
            rows.append(
                {"source": "shop", "at": at, "minute": int(at.timestamp() // 60), "ok": count % 500 != 0,
                 "total_ms": ms, "status": 200, "error": None, "slow": None, "limit_ms": 2000.0,
                 "steps": [{"name": "request", "status": 200, "ms": ms, "error": None}]}
            )  # fmt: skip
            count += 1
            at += timedelta(seconds=interval_s)
            if len(rows) >= 20_000:
                with store.session() as session:
                    session.execute(insert(CheckRunRow), rows)
                rows = []
        if rows:
            with store.session() as session:
                session.execute(insert(CheckRunRow), rows)
    finally:
        store.close()
    return count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        runs = fill(db_url, args.interval, args.weeks)
        store = open_store(db_url)
        try:
            started = time.perf_counter()
            with store.read() as session:
                baseline = load_baseline(session, "shop", NOW)
            load_s = time.perf_counter() - started
            samples = sum(len(bucket) for bucket in baseline._buckets.values())
            timings = []
            for i in range(2_000):
                at = NOW + timedelta(seconds=i * args.interval)
                run = CheckRun("shop", at, (StepResult("request", 200, 420.0),), 420.0)
                started = time.perf_counter()
                learned_alert(CHECK, run, "shop", baseline)
                baseline.add(at, 420.0)
                timings.append((time.perf_counter() - started) * 1000)
            charts = []
            for _ in range(20):
                started = time.perf_counter()
                with store.read() as session:
                    check_history(session, "shop", NOW)
                charts.append((time.perf_counter() - started) * 1000)
        finally:
            store.close()
    timings.sort()
    result = {
        "runs_stored": runs,
        "load_baseline_s": round(load_s, 3),
        "judge_and_add_ms": {
            "p50": round(statistics.median(timings), 3),
            "p95": round(timings[int(len(timings) * 0.95)], 3),
        },
        "chart_history_ms": {"p50": round(statistics.median(charts), 1), "max": round(max(charts), 1)},
        "baseline_samples": samples,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
