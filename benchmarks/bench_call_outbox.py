"""Figures for "never lose a report": a call saved on the desk, and synced once the database answers.
Prints one JSON object.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/bench_call_outbox.py [--db URL] [--puts 300]

- outbox_put: `Outbox.put` of one checked call (an SQLite file, synchronous=FULL: on disk when it
  returns), p50/p95/max over `--puts` calls. Target: under 100 ms.
- sync_after_return: the console's helpdesk worker (`ui.call_desk.CallDesk`, as the console runs it)
  on PostgreSQL through a TCP proxy. The proxy is cut (the database host is gone), calls are saved
  (each on disk at once), the database stays away for a while (2 s, 8 s, 20 s: long enough for the
  retries to back off to their longest), then comes back; the figure is the time from its return to
  the desk's outbox being empty. Target: within 10 s. Every call must then be in PostgreSQL once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlalchemy as sa
from PySide6.QtCore import QCoreApplication

from noc_console.domain.calls import CallDraft, new_call_id
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.store.models import CallRow
from noc_console.store.outbox import Outbox
from noc_console.ui.call_desk import CallDesk
from tests.servers import CuttableProxy

DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def draft(n: int) -> CallDraft:
    return CallDraft(
        call_id=new_call_id(), caller=f"Caller {n}", phone="+44 20 7946 0018", service="vpn",
        summary=f"VPN drops every few minutes (call {n})", taken_by="bench", received_at=datetime.now(UTC),
    ).checked("GB")  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def outbox_put(puts: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        outbox = Outbox(Path(tmp) / "outbox.db")
        times = []
        for n in range(puts):
            call = draft(n)
            started = time.perf_counter()
            outbox.put(call, datetime.now(UTC))
            times.append((time.perf_counter() - started) * 1000)
    return {
        "outbox_put_p50_ms": round(statistics.median(times), 2),
        "outbox_put_p95_ms": round(percentile(times, 0.95), 2),
        "outbox_put_max_ms": round(max(times), 2),
        "outbox_put_target_ms": 100,
    }


def wait(app: QCoreApplication, what: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.005)
    return True


def sync_after_return(db_url: str, outages: list[float], calls_each: int) -> dict[str, Any]:
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    schema = f"bench_outbox_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in db_url else "?"
    url = f"{db_url}{separator}options={quote(f'-csearch_path={schema}', safe='')}"
    store = open_store(url)
    parsed = sa.make_url(db_url)
    proxy = CuttableProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    seconds: list[float] = []
    saved: list[str] = []
    waiting = {"n": -1}
    with tempfile.TemporaryDirectory() as tmp:
        desk = CallDesk(proxy.url_for(url), Path(tmp) / "outbox.db", SlaPolicy(), {})
        desk.outbox.connect(lambda n, _why: waiting.__setitem__("n", n))
        queued: set[str] = set()
        desk.queued.connect(lambda call_id, _why: queued.add(call_id))
        desk.start()
        try:
            for outage in outages:
                proxy.cut()
                for _ in range(calls_each):
                    call = draft(len(saved))
                    saved.append(call.call_id)
                    desk.request_save(call)
                if not wait(app, lambda: set(saved) <= queued and waiting["n"] == calls_each, timeout=60):
                    raise RuntimeError("the calls were not saved on the desk")
                time.sleep(outage)  # the database host stays away; the desk keeps retrying
                app.processEvents()
                proxy.restore()
                back = time.perf_counter()
                if not wait(app, lambda: waiting["n"] == 0, timeout=60):
                    raise RuntimeError("the outbox never emptied")
                seconds.append(time.perf_counter() - back)
        finally:
            desk.stop()
            proxy.close()
    with store.read() as session:
        stored = session.scalars(sa.select(CallRow.id)).all()
    store.close()
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()
    return {
        "outages_s": outages,
        "calls_per_outage": calls_each,
        "sync_after_return_s": [round(s, 2) for s in seconds],
        "sync_after_return_max_s": round(max(seconds), 2),
        "sync_target_s": 10,
        "calls_saved": len(saved),
        "calls_in_database": len(stored),
        "each_exactly_once": sorted(stored) == sorted(saved),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("NOC_BENCH_POSTGRES_URL", DEFAULT_DB))
    parser.add_argument("--puts", type=int, default=300)
    parser.add_argument("--calls", type=int, default=5, help="calls saved during each outage")
    args = parser.parse_args()
    figures: dict[str, Any] = {"benchmark": "call_outbox"}
    figures.update(outbox_put(args.puts))
    figures.update(sync_after_return(args.db, [2.0, 8.0, 20.0], args.calls))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
