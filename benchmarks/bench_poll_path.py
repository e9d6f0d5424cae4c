"""Figures for the poll path: parse an Alertmanager answer, apply it to SQLite. Prints JSON, last line.

For `--alerts` (5,000 by default): `parse_s` and `parse_peak_mib` (the answer's bytes to alerts),
`first_apply_s` and `steady_apply_s` (the same answer applied again, in full). For each of `--sizes`
(1,000, 10,000 and 100,000 by default), in milliseconds, each the median of several runs:
- `parse_ms_N`: the answer's bytes to alerts, as the fetch does it;
- `apply_unchanged_ms_N`: a poll whose answer is byte for byte the last one applied: the answer's
  SHA-256 (the fetch takes it while reading), the comparison, and the poller's write of the source's
  health (lease check, change feed check, health stamp), against a database holding the N alerts;
- `apply_1pct_ms_N`: the full apply of an answer in which 1 % of the alerts have a new summary.
The alerts share their times (startsAt, endsAt, updatedAt), as alerts of one evaluation do.

Usage: python benchmarks/bench_poll_path.py [--alerts N] [--services N] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noc_console.config import Config
from noc_console.domain import AlertSnapshot
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.poller import Poller
from noc_console.engine.scheduler import FetchOutcome
from noc_console.sources.alertmanager import parse
from noc_console.sources.base import SourceConfig, Unchanged
from noc_console.store import open_store

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def payload(count: int, services: int, changed: int = 0) -> list[dict[str, object]]:
    """`count` firing alerts; the first `changed` of them with another summary."""
    return [
        {
            "labels": {
                "alertname": f"Alert{i % 97}",
                "service": f"svc-{i % services}",
                "severity": ("critical", "major", "minor", "warning", "info")[i % 5],
                "instance": f"host-{i}.example:9100",
                "job": "node",
            },
            "annotations": {
                "summary": f"Alert {i} is {'still ' if i < changed else ''}firing",
                "description": "x" * 200,
            },
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


def median_ms(run: Callable[[], object], times: int) -> float:
    """The median wall time of `times` runs, in milliseconds; what a run returns is dropped untimed."""
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        result = run()
        timings.append(time.perf_counter() - start)
        del result
    return round(statistics.median(timings) * 1000, 1)


def snapshot_of(raw: bytes, at: datetime) -> AlertSnapshot:
    alerts = parse(raw, source="am")
    return AlertSnapshot.of("am", at, alerts, digest=hashlib.sha256(raw).hexdigest())


def existing_figures(count: int, services: int) -> dict[str, object]:
    """The first figures of this benchmark, kept comparable: parse, first and steady apply."""
    raw = json.dumps(payload(count, services)).encode()
    tracemalloc.start()
    start = time.perf_counter()
    alerts = parse(raw, source="am")
    parse_s = time.perf_counter() - start
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        timings = []
        for round_ in range(3):
            at = NOW + timedelta(seconds=10 * round_)
            start = time.perf_counter()
            with store.session() as session:
                result = apply_snapshot(session, AlertSnapshot.of("am", at, alerts), now=at)
            timings.append(time.perf_counter() - start)
            if round_ == 0:
                opened = len(result.opened)
        store.close()
    return {
        "alerts": count,
        "payload_mib": round(len(raw) / 2**20, 2),
        "parse_s": round(parse_s, 3),
        "parse_peak_mib": round(parse_peak / 2**20, 1),
        "first_apply_s": round(timings[0], 3),
        "steady_apply_s": round(min(timings[1:]), 3),
        "incidents_opened": opened,
    }


def size_figures(count: int, services: int) -> dict[str, object]:
    """parse, unchanged poll and 1 % apply for `count` alerts; the key suffix is 10k, 100k …"""
    suffix = f"{count // 1000}k" if count % 1000 == 0 else str(count)
    raw = json.dumps(payload(count, services)).encode()
    changed = json.dumps(payload(count, services, changed=count // 100)).encode()
    figures: dict[str, object] = {f"payload_mib_{suffix}": round(len(raw) / 2**20, 1)}
    figures[f"parse_ms_{suffix}"] = median_ms(lambda: parse(raw, source="am"), 7 if count <= 10_000 else 3)
    settings = SourceConfig(name="am", type="alertmanager", url="http://127.0.0.1:9093")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        poller = Poller(store, Config(path=None, sources=(settings,)), sources=[])
        try:
            assert poller.keeper.beat() is not None, "could not take the poller lease"
            start = time.perf_counter()
            poller.apply(FetchOutcome("am", NOW, snapshot=snapshot_of(raw, NOW)), NOW)
            figures[f"first_apply_s_{suffix}"] = round(time.perf_counter() - start, 1)
            known = poller.answers.digest("am")
            assert known is not None, "the first answer was not remembered"

            def never_parsed() -> AlertSnapshot:
                raise AssertionError("the unchanged answer was parsed")

            def unchanged_poll() -> None:
                digest = hashlib.sha256(raw).hexdigest()
                assert digest == known
                outcome = FetchOutcome("am", NOW, unchanged=Unchanged("am", NOW, digest, never_parsed))
                poller.apply(outcome, NOW + timedelta(seconds=1))
                assert poller.answers.digest("am") == known, "the unchanged answer was not taken as such"

            figures[f"apply_unchanged_ms_{suffix}"] = median_ms(unchanged_poll, 9)
            rounds = []
            for round_, body in enumerate((changed, raw, changed)):
                at = NOW + timedelta(seconds=10 * (round_ + 1))
                snapshot = snapshot_of(body, at)
                start = time.perf_counter()
                poller.apply(FetchOutcome("am", at, snapshot=snapshot), at)
                rounds.append(time.perf_counter() - start)
            figures[f"apply_1pct_ms_{suffix}"] = round(statistics.median(rounds) * 1000, 1)
        finally:
            poller.keeper.stop()
            store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=5000)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated alert counts")
    args = parser.parse_args()
    figures = existing_figures(args.alerts, args.services)
    for count in (int(size) for size in args.sizes.split(",") if size):
        figures.update(size_figures(count, args.services))
        print(json.dumps(figures), file=sys.stderr, flush=True)  # progress: the 100,000 apply is long
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
