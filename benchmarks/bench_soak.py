"""A soak: the real `noc-console gui` window on Xvfb and its poller child, for `--minutes`, against a real
Alertmanager whose 1,000 alerts churn (a fifth replaced by new ones every 5 s, as pods come and go).
Prints each minute's figures, then one JSON object on its last line (`cpu_pct_first`, `cpu_pct_last`,
`rss_mb_first`, `rss_mb_last`, `alive`, per-process figures, row counts, every minute).

Usage: python benchmarks/bench_soak.py [--minutes 10] [--alerts 1000] [--db URL]

- The Alertmanager (0.25, Debian's prometheus-alertmanager, started as tests/servers.py starts it, on
  127.0.0.1) gets `--alerts` alerts, 5 per host with distinct label sets, the host being their service:
  one incident per host. Every `--every-s` (5 s) a fifth of the hosts (`--replace-share`) goes and as
  many new ones come, posted the way Prometheus sends them: a new or still-firing alert with `endsAt`
  4 minutes ahead (4 x Prometheus' 1-minute resend delay), re-sent once a minute while it fires; a gone
  one once more with `endsAt` now, which resolves it (it leaves `GET /api/v2/alerts` at once).
- The window runs with a config of one Alertmanager source, `interval_s = 1`, and `resolve_after_s = 0`
  (`--resolve-after-s`): with the default 180, a source up for less than 3 minutes resolves nothing (its
  empty answer after a restart proves nothing), and 3 minutes of departed pods would count as firing;
  0 leaves the rule of 2 missed fetches, so what fires in the store is what fires in the Alertmanager.
  The database is SQLite in a temporary directory, or a schema of its own in the PostgreSQL `--db`,
  dropped at the end.
- Each minute: CPU of the window and of the poller (the window's child process), in % of one core,
  from utime + stime in /proc/PID/stat over the minute (clock ticks: SC_CLK_TCK); VmRSS of each from
  /proc/PID/status at the minute's end; the store's rows (incidents, alerts, timeline, changes, and the
  open and firing ones); how many alerts the Alertmanager holds; and the machine's load average, since
  other work on the machine slows the window down without counting in its CPU.
- Minute 1 is warm-up. "first" is minute 2, "last" the last minute; `cpu_pct_*` and `rss_mb_*` are
  the window plus the poller. `alive`: the window and the poller it started are both still running at
  the end (a poller the window had to restart is listed in `poller_pids`).

Every process it starts (Alertmanager, Xvfb, the window, its poller) is stopped at the end, on Ctrl+C
and on SIGTERM too; the figures measured until then are printed either way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live_console as live

ENDS_AHEAD = timedelta(minutes=4)
RESEND_S = 60.0


class Churn:
    """Replaces a share of the hosts every `every_s` on a fixed beat, in a thread of its own."""

    def __init__(self, url: str, hosts: int, share: float, every_s: float, seed: int) -> None:
        self.url = url
        self.every_s = every_s
        self.replace_count = max(1, round(hosts * share))
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.next_host = 0
        self.firing: dict[str, tuple[datetime, float]] = {}  # host -> (its alerts' start, last sent)
        self.created = self.resolved = self.steps = self.late_steps = 0
        self.errors: list[str] = []
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="churn", daemon=True)
        for _ in range(hosts):
            self._add_host(datetime.now(UTC), 0.0)

    def _add_host(self, now: datetime, sent: float) -> str:
        host = f"pod-{self.next_host:07d}"
        self.next_host += 1
        self.firing[host] = (now, sent)
        self.created += 5
        return host

    def initial_alerts(self) -> list[dict[str, Any]]:
        now, mono = datetime.now(UTC), time.monotonic()
        alerts = []
        for host, (starts, _) in list(self.firing.items()):
            alerts += live.host_alerts(host, starts, now + ENDS_AHEAD)
            self.firing[host] = (starts, mono)
        return alerts

    def step(self) -> None:
        now, mono = datetime.now(UTC), time.monotonic()
        gone = self.rng.sample(sorted(self.firing), self.replace_count)
        batch: list[dict[str, Any]] = []
        for host in gone:
            starts, _ = self.firing.pop(host)
            batch += live.host_alerts(host, starts, now)
            self.resolved += 5
        for _ in gone:
            host = self._add_host(now, mono)
            batch += live.host_alerts(host, now, now + ENDS_AHEAD)
        for host, (starts, sent) in list(self.firing.items()):
            if mono - sent >= RESEND_S:
                batch += live.host_alerts(host, starts, now + ENDS_AHEAD)
                self.firing[host] = (starts, mono)
        live.post_alerts(self.session, self.url, batch)
        self.steps += 1

    def _run(self) -> None:
        beat = time.monotonic()
        while not self.stop.wait(max(0.0, beat + self.every_s - time.monotonic())):
            beat += self.every_s
            try:
                self.step()
            except (requests.RequestException, live.BenchError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
            if time.monotonic() > beat + self.every_s:
                self.late_steps += 1
                beat = time.monotonic()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=30)
        self.session.close()


def active_in_alertmanager(session: requests.Session, url: str) -> int | None:
    try:
        response = session.get(f"{url}/api/v2/alerts", params={"active": "true"}, timeout=10)
        return len(response.json()) if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None


def summary(minutes: list[dict[str, Any]]) -> dict[str, Any]:
    """The first-after-warm-up and last minutes' figures, summed and per process."""
    if len(minutes) < 2:
        return {}
    first, last = minutes[1], minutes[-1]
    result: dict[str, Any] = {
        "cpu_pct_first": first["cpu_pct"],
        "cpu_pct_last": last["cpu_pct"],
        "rss_mb_first": first["rss_mb"],
        "rss_mb_last": last["rss_mb"],
    }
    if first["cpu_pct"]:
        result["cpu_change_pct"] = round((last["cpu_pct"] - first["cpu_pct"]) / first["cpu_pct"] * 100, 1)
    result["rss_change_mb"] = round(last["rss_mb"] - first["rss_mb"], 1)
    for name in ("gui", "poller"):
        result[name] = {
            "cpu_pct_first": first[name]["cpu_pct"],
            "cpu_pct_last": last[name]["cpu_pct"],
            "rss_mb_first": first[name]["rss_mb"],
            "rss_mb_last": last[name]["rss_mb"],
        }
    result["rows_first"] = first["rows"]
    result["rows_last"] = last["rows"]
    return result


def soak(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Run the soak, filling `report` as figures come so that an interruption keeps them."""
    minutes: list[dict[str, Any]] = report.setdefault("minutes", [])
    with tempfile.TemporaryDirectory(prefix="noc-bench-soak-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        am = stack.enter_context(live.alertmanager(workdir / "alertmanager"))
        churn = Churn(am.url, args.alerts // 5, args.replace_share, args.every_s, args.seed)
        stack.callback(churn.close)
        live.post_alerts(churn.session, am.url, churn.initial_alerts())
        display, _ = stack.enter_context(live.xvfb(workdir))
        db_url = stack.enter_context(live.database(workdir, args.db))
        config = live.write_config(
            workdir / "config.toml", am.url, interval_s=1, extra=f"resolve_after_s = {args.resolve_after_s:g}"
        )
        engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        stack.callback(engine.dispose)
        console = stack.enter_context(live.console(workdir, display, config, db_url))
        report["poller_pids"] = [console.poller_pid]
        deadline = time.monotonic() + 120
        while (counts := live.row_counts(engine)) is None or counts["alerts_firing"] < args.alerts:
            console.check_alive()
            if time.monotonic() > deadline:
                raise live.BenchError(
                    f"the first {args.alerts} alerts are not in the store after 120 s: {counts}"
                )
            time.sleep(0.5)
        print(f"{live.timestamp()} the store holds the first {args.alerts} alerts; churn starts", flush=True)
        churn.start()
        poller = console.poller_pid
        meter = live.CpuMeter({"gui": console.gui.pid, "poller": poller})
        for minute in range(1, args.minutes + 1):
            end = time.monotonic() + 60
            while (left := end - time.monotonic()) > 0:
                if console.gui.poll() is not None:
                    raise live.BenchError(
                        f"the window exited ({console.gui.returncode}):\n{console.log_tail()}"
                    )
                time.sleep(min(1.0, left))
            cpu = meter.read()
            rss = {name: live.rss_mb(pid) for name, pid in meter.pids.items()}
            figures: dict[str, Any] = {
                "minute": minute,
                **{name: {"cpu_pct": cpu[name], "rss_mb": _round(rss[name])} for name in ("gui", "poller")},
                "cpu_pct": round((cpu["gui"] or 0) + (cpu["poller"] or 0), 1),
                "rss_mb": round((rss["gui"] or 0) + (rss["poller"] or 0), 1),
                "rows": live.row_counts(engine),
                "alertmanager_active": active_in_alertmanager(churn.session, am.url),
                "alerts_created": churn.created,
                "alerts_resolved": churn.resolved,
                "load_average": live.load_average(),
            }
            minutes.append(figures)
            print(_minute_line(figures, args.minutes), flush=True)
            if not live.alive(poller):  # the window restarts a poller that died: follow the new one
                found = [p for p in live.children_of(console.gui.pid) if "poller" in live.cmdline(p)]
                if found:
                    poller = found[0]
                    report["poller_pids"].append(poller)
                    meter = live.CpuMeter({"gui": console.gui.pid, "poller": poller})
        report["alive"] = console.gui.poll() is None and live.alive(console.poller_pid)
        report["churn"] = {
            "steps": churn.steps,
            "late_steps": churn.late_steps,
            "errors": len(churn.errors),
            "last_error": churn.errors[-1] if churn.errors else None,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _minute_line(f: dict[str, Any], of: int) -> str:
    rows = f["rows"] or {}
    return (
        f"{live.timestamp()} minute {f['minute']}/{of}{' (warm-up)' if f['minute'] == 1 else ''}: "
        f"CPU gui {f['gui']['cpu_pct']} + poller {f['poller']['cpu_pct']} = {f['cpu_pct']} % of one core; "
        f"RSS gui {f['gui']['rss_mb']} + poller {f['poller']['rss_mb']} = {f['rss_mb']} MB; "
        f"rows: incidents {rows.get('incidents')} ({rows.get('incidents_open')} open), "
        f"alerts {rows.get('alerts')} ({rows.get('alerts_firing')} firing), "
        f"timeline {rows.get('timeline')}, changes {rows.get('changes')}; "
        f"Alertmanager holds {f['alertmanager_active']}; load {f['load_average']}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--minutes", type=int, default=10, help="length, warm-up minute included (default 10)"
    )
    parser.add_argument(
        "--alerts", type=int, default=1000, help="live alerts, a multiple of 5 (default 1000)"
    )
    parser.add_argument("--every-s", type=float, default=5, help="seconds between replacements (default 5)")
    parser.add_argument("--replace-share", type=float, default=0.2, help="share replaced each time (0.2)")
    parser.add_argument("--resolve-after-s", type=float, default=0, help="the source's resolve_after_s (0)")
    parser.add_argument("--seed", type=int, default=11, help="which hosts go, reproducibly (default 11)")
    parser.add_argument("--db", help="a PostgreSQL URL (default: SQLite in a temporary directory)")
    args = parser.parse_args()
    if args.minutes < 2:
        parser.error("--minutes must be 2 or more (minute 1 is warm-up)")
    if args.alerts < 5 or args.alerts % 5:
        parser.error("--alerts must be a positive multiple of 5 (5 per host)")
    if not 0 < args.replace_share <= 1 or args.every_s <= 0:
        parser.error("--replace-share must be in (0, 1] and --every-s positive")
    return args


def main() -> int:
    args = parse_args()
    live.exit_on_signals()
    report: dict[str, Any] = {"alive": False}
    status = 0
    try:
        soak(args, report)
    except live.BenchError as exc:
        print(f"bench_soak: {exc}", file=sys.stderr, flush=True)
        report["error"] = str(exc).splitlines()[0]
        status = 1
    except KeyboardInterrupt:
        print("bench_soak: interrupted; everything it started is stopped", file=sys.stderr)
        report["interrupted"] = True
        status = 130
    minutes = report.pop("minutes", [])
    settings = {
        k: getattr(args, k) for k in ("minutes", "alerts", "every_s", "replace_share", "resolve_after_s")
    }
    print(json.dumps({**summary(minutes), **report, "settings": settings, "minutes": minutes}))
    return status


if __name__ == "__main__":
    sys.exit(main())
