"""Detection-coverage metrics over a million incidents, on SQLite and on PostgreSQL. Prints one JSON object.

Usage: python benchmarks/bench_metrics.py [--db URL] [--incidents 1000000] [--runs 3] [--no-charts]

Each backend gets the same generated data (seeded): `--incidents` incidents detected over the last 30
days (the whole of `metrics --since 30d`, the worst case: no row is left out by the range, and each day
holds 33,000 incidents), about 0.9 alerts and 0.3 calls per incident, some incidents with no alert,
callers' start times, ties. SQLite is a temporary file; PostgreSQL a schema of its own in the given
database, dropped at the end. The schema comes from the migrations (with their indexes); rows are
bulk-loaded (executemany on SQLite, COPY on PostgreSQL), then ANALYZEd.

Figures per backend:
- `rollup_build_s_*`: the first refresh of the rollup, which caches every closed day (once per database);
- then the floor goes on: 200 of the last two days' incidents are acknowledged and 50 resolved, through
  the store's own functions (so the change feed marks their days);
- `metrics_s_*_1m`: the median of `--runs` calls of what `noc-console metrics --since 30d` does
  (`store.metrics.current_metrics`: refresh the rollup, then compute), after those changes; the first
  call is reported too, as `_first` (it recomputes the changed days);
- `metrics_s_*_1m_uncached`: the same range computed from the incidents alone (no rollup), for scale.
Target: at most 1 s each for `metrics_s_*_1m`. `charts_redraw_ms` comes from bench_charts.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.store import metrics as store_metrics
from noc_console.store import open_store
from noc_console.store.models import IncidentRow
from noc_console.store.repository import acknowledge, resolve

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SERVICES = [f"service-{n:02d}" for n in range(40)]
CATALOG = ServiceCatalog(tuple(ServiceDef(name, critical=n < 10) for n, name in enumerate(SERVICES[:30])))
SOURCES = ["am", "checks"]
INCIDENT_COLUMNS = (
    "id", "title", "severity", "status", "service", "correlation_key", "detected_by", "source", "opened_at",
    "detected_at", "last_alert_at", "acknowledged_at", "resolved_at", "alert_count", "firing_count",
    "call_count", "impact_started_at", "suppressed_count", "orphaned", "false_positive", "needs_review",
    "monitoring_detected_at", "first_call_at",
)  # fmt: skip
ALERT_COLUMNS = (
    "id", "incident_id", "source", "fingerprint", "name", "labels", "summary", "description", "severity",
    "state", "service", "silenced", "inhibited", "starts_at", "first_seen_at", "last_seen_at",
    "missed_fetches", "fire_count",
)  # fmt: skip
CALL_COLUMNS = (
    "id", "incident_id", "received_at", "logged_at", "taken_by", "callback", "service", "summary",
    "started_at", "attached", "customer_ack_due_at",
)  # fmt: skip


def generate(count: int, now: datetime, seed: int = 7) -> tuple[list[tuple[Any, ...]], ...]:
    """Rows as tuples in the column orders above, times as aware UTC datetimes."""
    rng = random.Random(seed)
    incidents: list[tuple[Any, ...]] = []
    alerts: list[tuple[Any, ...]] = []
    calls: list[tuple[Any, ...]] = []
    span = 30 * 86400 - 60
    alert_id = 0
    for i in range(1, count + 1):
        detected = now - timedelta(seconds=rng.uniform(60, span))
        service = SERVICES[rng.randrange(len(SERVICES))]
        roll = rng.random()
        by = "monitoring" if roll < 0.75 else "synthetic" if roll < 0.85 else "customer"
        n_alerts = 0 if by == "customer" and rng.random() < 0.5 else rng.choice((1, 1, 1, 2))
        n_calls = 1 if rng.random() < 0.2 else 0
        impact = detected - timedelta(seconds=rng.uniform(0, 900)) if n_alerts else None
        monitoring = (
            detected + timedelta(seconds=rng.uniform(0, 120)) if n_alerts and by == "customer" else None
        )
        first_call = detected if by == "customer" else (detected + timedelta(minutes=3) if n_calls else None)
        acked = detected + timedelta(seconds=rng.uniform(0, 600)) if rng.random() < 0.9 else None
        resolved = detected + timedelta(seconds=rng.uniform(60, 14400)) if rng.random() < 0.8 else None
        incidents.append((
            i, f"incident {i}", "major", "resolved" if resolved else "open", service, f"service:{service}",
            by, "am", detected, detected, detected, acked, resolved, n_alerts, 0, n_calls, impact, 0, False,
            rng.random() < 0.05, False, monitoring if by == "customer" else detected, first_call,
        ))  # fmt: skip
        for a in range(n_alerts):
            alert_id += 1
            start = impact or detected
            alerts.append((
                alert_id, i, SOURCES[a % 2], f"fp-{alert_id}", "ServiceDown",
                json.dumps({"service": service}), "", "", "major", "resolved", service, rng.random() < 0.1,
                False, start, detected, detected, 0, 1,
            ))  # fmt: skip
        for _ in range(n_calls):
            started = detected - timedelta(seconds=rng.uniform(0, 1800)) if rng.random() < 0.6 else None
            calls.append((
                str(uuid.UUID(int=rng.getrandbits(128))), i, first_call, first_call, "desk", "no", service,
                "it is down", started, by != "customer", detected + timedelta(minutes=5),
            ))  # fmt: skip
    return incidents, alerts, calls


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy's SQLite DateTime and Boolean store."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def load_sqlite(url: str, data: tuple[list[tuple[Any, ...]], ...]) -> None:
    store = open_store(url)
    store.close()
    engine = sa.create_engine(url)
    raw: Any = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns, rows in zip(("incidents", "alerts", "calls"), _COLUMNS, data, strict=True):
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                ([_sqlite_value(v) for v in row] for row in rows),
            )
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def load_postgres(url: str, data: tuple[list[tuple[Any, ...]], ...]) -> None:
    store = open_store(url)
    store.close()
    engine = sa.create_engine(url)
    raw: Any = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns, rows in zip(("incidents", "alerts", "calls"), _COLUMNS, data, strict=True):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


_COLUMNS = (INCIDENT_COLUMNS, ALERT_COLUMNS, CALL_COLUMNS)


def time_uncached(url: str, now: datetime) -> float:
    store = open_store(url)
    try:
        started = time.perf_counter()
        with store.read() as session:
            store_metrics.summarize(
                store_metrics.live_cells(session, now - timedelta(days=30), now),
                {},
                CATALOG,
                SOURCES,
                now - timedelta(days=30),
                now,
            )
        return time.perf_counter() - started
    finally:
        store.close()


def build_rollup(url: str, now: datetime) -> float:
    store = open_store(url)
    try:
        started = time.perf_counter()
        with store.session() as session:
            store_metrics.refresh_rollup(session, now)
        return time.perf_counter() - started
    finally:
        store.close()


def floor_goes_on(url: str, now: datetime, seed: int = 11) -> None:
    """Acknowledge 200 and resolve 50 of the last two days' open incidents, as operators would."""
    rng = random.Random(seed)
    store = open_store(url)
    try:
        with store.session() as session:
            recent = sa.select(IncidentRow.id).where(
                IncidentRow.detected_at >= now - timedelta(days=2), IncidentRow.status == "open"
            )
            ids = sorted(session.scalars(recent))
            chosen = rng.sample(ids, min(250, len(ids)))
            for incident_id in chosen[:200]:
                acknowledge(session, incident_id, "bench", now)
            for incident_id in chosen[200:]:
                resolve(session, incident_id, "bench", now)
    finally:
        store.close()


def time_metrics(url: str, runs: int) -> tuple[list[float], int]:
    store = open_store(url)
    timings, incidents = [], 0
    try:
        for _ in range(runs):
            started = time.perf_counter()
            result = store_metrics.current_metrics(
                store, CATALOG, SOURCES, lambda now: now - timedelta(days=30)
            )
            timings.append(time.perf_counter() - started)
            incidents = result.incidents
    finally:
        store.close()
    return timings, incidents


def measure(url: str, now: datetime, runs: int, backend: str, label: str, figures: dict[str, Any]) -> None:
    figures[f"metrics_s_{backend}_{label}_uncached"] = round(time_uncached(url, now), 3)
    figures[f"rollup_build_s_{backend}"] = round(build_rollup(url, now), 3)
    floor_goes_on(url, now)
    timings, counted = time_metrics(url, runs)
    figures[f"metrics_s_{backend}_{label}"] = round(statistics.median(timings), 3)
    figures[f"metrics_s_{backend}_{label}_first"] = round(timings[0], 3)
    figures[f"counted_{backend}"] = counted


@contextmanager
def own_schema(db_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"bench_metrics_{uuid.uuid4().hex[:10]}"
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
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-charts", action="store_true", help="leave out charts_redraw_ms (needs Qt)")
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    data = generate(args.incidents, now)
    label = "1m" if args.incidents == 1_000_000 else str(args.incidents)
    figures: dict[str, Any] = {
        "benchmark": "metrics",
        "postgresql_version": server_version(args.db),
        "sqlite_version": __import__("sqlite3").sqlite_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "incidents": len(data[0]),
        "alerts": len(data[1]),
        "calls": len(data[2]),
        "generate_s": round(time.perf_counter() - started, 1),
    }
    with TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        started = time.perf_counter()
        load_sqlite(url, data)
        figures["load_s_sqlite"] = round(time.perf_counter() - started, 1)
        measure(url, now, args.runs, "sqlite", label, figures)
    with own_schema(args.db) as url:
        started = time.perf_counter()
        load_postgres(url, data)
        figures["load_s_postgres"] = round(time.perf_counter() - started, 1)
        measure(url, now, args.runs, "postgres", label, figures)
    if not args.no_charts:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_charts import measure_redraw_ms

        figures["charts_redraw_ms"] = round(measure_redraw_ms(), 1)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
