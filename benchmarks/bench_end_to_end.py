"""The console measured as an outside measurer would: a real Alertmanager holding N alerts, the real
`noc-console gui` window on Xvfb polling it every second. Prints progress, then one JSON object on its
last line: `{"1000": {"cpu_pct": ..., "rss_mb": ..., "post_to_screen_s": ...}, "10000": {...}, ...}`.

Usage: python benchmarks/bench_end_to_end.py [--alerts 1000,10000,100000] [--window-s 60] [--db URL]

For each N, from scratch: an Alertmanager 0.25 (Debian's prometheus-alertmanager, started as
tests/servers.py starts it) on 127.0.0.1, given N alerts, 5 per host with distinct label sets, `endsAt`
24 h ahead; an Xvfb server (1920x1080x24, no TCP); `noc-console gui` on it with a config of one
Alertmanager source (`interval_s = 1`) and a database of its own (SQLite in a temporary directory, or a
schema of its own in the PostgreSQL `--db`, dropped afterwards). The host is each alert's `service`, so
every host is one incident: N/5 open incidents.

- steady state: the store holds N firing alerts and N/5 open incidents, the window's table model
  has shown every one of them, and (with the webhook) the Alertmanager has delivered every host's
  first notification and then made no webhook request for 10 s (`webhook`: its /metrics' requests,
  retries included, and notifications delivered). `settle_s` is the time from starting the window
  to that moment.
- cpu_pct: CPU of the window's process plus its poller child (found as the window's child process), in
  % of one core, from utime + stime in /proc/PID/stat over `--window-s` seconds of the steady state,
  after `--quiet-s` seconds more of it. Nothing changes in the Alertmanager meanwhile. The parts are
  printed too (`gui_cpu_pct`, `poller_cpu_pct`), and Xvfb's and Alertmanager's, which are not summed,
  and the machine's load average: other work on the machine delays the window without counting in it.
- rss_mb: VmRSS (/proc/PID/status) of the window plus the poller at the end of that window.
- post_to_screen_s: the median over `--probes` (5) of the time from posting one new critical alert (a
  new host, so a new incident) to its row entering the window's table model. Each probe is posted
  1 to 2 s (at random) after the last one was shown, so the posts fall at every phase of the poll cycle.
  The console is set up as README's "Pushed alerts" says for an Alertmanager: the poller's receiver
  on, and the Alertmanager's route sending every group (`group_by: [service]`, `group_wait: 0s`) to
  its webhook, `/push/bench-am`; it is still polled every second. Without it (`--no-push`) a new
  alert waits for the next poll answer, and at 100,000 alerts the Alertmanager itself takes 5 to 7 s
  to give one on a 2-core machine.
- post_to_screen_poll_only_s: the same median for probes that the Alertmanager's route keeps from the
  webhook (label `noc_bench_path="poll"`, routed to a receiver of no one): what polling alone gives.
  With `--no-push` it equals post_to_screen_s. Pushed and polled probes alternate.
- post_accepted_s and post_to_store_s: per path ("push", "poll"), for each probe, when the
  Alertmanager answered its POST and when its incident was first seen in the store (read from outside
  every 20 ms), in seconds from the POST: where the time to screen went.
  The moment the row entered the model comes from the window itself, through the opt-in test hook
  NOC_CONSOLE_TRACE_SHOWN=FILE (noc_console/ui/incident_model.py): the model appends
  "<incident id> <unix time>" to FILE the first time an incident's row is inserted; unset, it does
  nothing. The view schedules the row's repaint as it is inserted, and Qt paints it as soon as the
  slot that fed the model returns; the background has no critical incident, so the probe's row is
  among the first five rows, on screen. The incident's ID comes from the store (the incident whose
  service is the probe's host); both clocks are this machine's.

An N whose steady state is not reached within `--settle-timeout-s` (default: 120 s plus 10 ms per
alert) is reported with its error and the figures it got to; the benchmark goes on with the next N.
Every process it starts (Alertmanager, Xvfb, the window, its poller) is stopped at the end, on Ctrl+C
and on SIGTERM too.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live_console as live

from tests.servers import free_port


class ShownRows:
    """The window's NOC_CONSOLE_TRACE_SHOWN file, read as it grows: incident ID -> unix time shown."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown: dict[int, float] = {}
        self._offset = 0
        self._partial = ""

    def poll(self) -> dict[int, float]:
        try:
            with self.path.open(encoding="utf-8") as trace:
                trace.seek(self._offset)
                text = trace.read()
                self._offset = trace.tell()
        except FileNotFoundError:
            return self.shown
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()  # a line being written
        for line in lines:
            incident_id, at = line.split()
            self.shown.setdefault(int(incident_id), float(at))
        return self.shown


def wait_for_steady_state(
    n: int, engine: sa.Engine, shown: ShownRows, console: live.Console, timeout_s: float
) -> dict[str, int]:
    deadline = time.monotonic() + timeout_s
    last_print = 0.0
    counts: dict[str, int] | None = None
    while True:
        console.check_alive()
        counts = live.row_counts(engine)
        on_screen = len(shown.poll())
        if (
            counts is not None
            and counts["alerts_firing"] == n
            and counts["incidents_open"] == n // 5
            and on_screen >= n // 5
        ):
            return counts
        if time.monotonic() > deadline:
            raise live.BenchError(
                f"no steady state within {timeout_s:.0f} s: the store has {counts}, "
                f"the window has shown {on_screen} of {n // 5} incidents"
            )
        if time.monotonic() - last_print >= 10:
            last_print = time.monotonic()
            print(f"  {live.timestamp()} waiting: store {counts}, shown {on_screen}", flush=True)
        time.sleep(1)


def webhook_counts(am_url: str, session: requests.Session) -> dict[str, int]:
    """The Alertmanager's own webhook figures (/metrics): `requests` made (retries included), and
    notifications `delivered` (attempted minus failed; a failed one is tried again a group interval
    later)."""
    text = session.get(f"{am_url}/metrics", timeout=30).text
    sums = {"requests": 0.0, "notified": 0.0, "failed": 0.0}
    names = {
        "alertmanager_notification_requests_total{": "requests",
        "alertmanager_notifications_total{": "notified",
        "alertmanager_notifications_failed_total{": "failed",
    }
    for line in text.splitlines():
        for prefix, key in names.items():
            if line.startswith(prefix) and 'integration="webhook"' in line:
                sums[key] += float(line.rsplit(" ", 1)[1])
    return {"requests": int(sums["requests"]), "delivered": int(sums["notified"] - sums["failed"])}


def notifications_settled(
    groups: int,
    am_url: str,
    session: requests.Session,
    console: live.Console,
    timeout_s: float,
    quiet_s: float = 10.0,
) -> dict[str, int]:
    """Wait until the Alertmanager has delivered one notification per group (host) and then made no
    webhook request for `quiet_s`: nothing is changing any more. Returns its figures."""
    deadline = time.monotonic() + timeout_s
    last, since = {"requests": -1, "delivered": 0}, time.monotonic()
    while last["delivered"] < groups or time.monotonic() - since < quiet_s:
        console.check_alive()
        if time.monotonic() > deadline:
            raise live.BenchError(f"the Alertmanager notifies on after {timeout_s:.0f} s: {last}")
        try:
            now = webhook_counts(am_url, session)
        except requests.RequestException:  # too busy notifying to answer in time: not settled
            since = time.monotonic()
            continue
        if now["requests"] != last["requests"]:
            since = time.monotonic()
        last = now
        time.sleep(1)
    print(f"  {live.timestamp()} the Alertmanager's webhook is done: {last}", flush=True)
    return last


def incident_of(engine: sa.Engine, host: str) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT id FROM incidents WHERE service = :s"), {"s": host}).first()
    return None if found is None else int(found[0])


SOURCE = "bench-am"
POLL_ONLY = "poll"  # the value of a probe's noc_bench_path label that keeps it from the webhook

PUSH_CONFIG = """\
route:
  receiver: noc-console
  group_by: [service]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 24h
  routes:
    - receiver: "null"
      matchers: ['noc_bench_path="{poll_only}"']
receivers:
  - name: "null"
  - name: noc-console
    webhook_configs:
      - url: {receiver}/push/{source}
        send_resolved: true
        http_config:
          authorization:
            credentials: {token}
"""


@dataclass(frozen=True)
class Probe:
    """One probe's times, in seconds from the start of its POST."""

    accepted_s: float  # the Alertmanager answered the POST
    stored_s: float  # its incident was first seen in the store (read every 20 ms from outside)
    shown_s: float  # its row entered the window's table model (the window's own stamp)


def probe(
    k: int,
    am_url: str,
    session: requests.Session,
    engine: sa.Engine,
    shown: ShownRows,
    console: live.Console,
    path: str = "push",
) -> Probe:
    """Post one critical alert of a new host and time its way to the screen. `path` "poll" labels it
    so that the Alertmanager's route keeps it from the webhook."""
    host = f"probe-{path}-{k:02d}-{random.randrange(16**6):06x}"
    alert = live.host_alerts(host, live.in_the_future(0), live.in_the_future(86400))[0]
    alert["labels"]["severity"] = "critical"
    alert["labels"]["alertname"] = "ProbeServiceDown"
    alert["labels"]["noc_bench_path"] = path
    alert["annotations"]["summary"] = f"{host} is down"
    posted_at = time.time()
    live.post_alerts(session, am_url, [alert])
    accepted_s = time.time() - posted_at
    deadline = time.monotonic() + 120
    incident_id: int | None = None
    stored_s = 0.0
    while time.monotonic() < deadline:
        console.check_alive()
        if incident_id is None:
            incident_id = incident_of(engine, host)
            stored_s = time.time() - posted_at
        if incident_id is not None and incident_id in shown.poll():
            return Probe(
                round(accepted_s, 3), round(stored_s, 3), round(shown.shown[incident_id] - posted_at, 3)
            )
        time.sleep(0.02)
    where = "the store has no incident for it" if incident_id is None else f"#{incident_id} is in the store"
    raise live.BenchError(f"probe {host}: not on screen within 120 s ({where})")


def measure(n: int, args: argparse.Namespace, result: dict[str, Any]) -> None:
    """Fill `result` as the figures come, so that an error leaves what was measured before it."""
    with tempfile.TemporaryDirectory(prefix="noc-bench-e2e-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        token = "bench-e2e-" + secrets.token_hex(12)
        receiver = f"127.0.0.1:{free_port()}"
        am_config = (
            PUSH_CONFIG.format(receiver=f"http://{receiver}", source=SOURCE, token=token, poll_only=POLL_ONLY)
            if args.push
            else None
        )
        am = stack.enter_context(live.alertmanager(workdir / "alertmanager", am_config))
        session = stack.enter_context(requests.Session())
        started = live.in_the_future(-60)
        alerts = [
            alert
            for host in range(n // 5)
            for alert in live.host_alerts(f"host-{host:06d}", started, live.in_the_future(86400))
        ]
        t = time.monotonic()
        live.post_alerts(session, am.url, alerts)
        del alerts
        print(f"  {live.timestamp()} posted {n} alerts in {time.monotonic() - t:.1f} s", flush=True)
        display, xvfb_pid = stack.enter_context(live.xvfb(workdir))
        db_url = stack.enter_context(live.database(workdir, args.db))
        extra = f"timeout_s = {args.timeout_s}\n"
        if args.push:
            extra += f'\n[receiver]\nlisten = "{receiver}"\n'
        config = live.write_config(workdir / "config.toml", am.url, interval_s=1, extra=extra)
        shown = ShownRows(workdir / "shown.txt")
        engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        stack.callback(engine.dispose)
        t = time.monotonic()
        console = stack.enter_context(
            live.console(
                workdir,
                display,
                config,
                db_url,
                {"NOC_CONSOLE_TRACE_SHOWN": str(shown.path), "NOC_CONSOLE_SECRET_RECEIVER": token},
            )
        )
        timeout_s = args.settle_timeout_s if args.settle_timeout_s else 120 + n / 100
        result["rows"] = wait_for_steady_state(n, engine, shown, console, timeout_s)
        if args.push:
            result["webhook"] = notifications_settled(n // 5, am.url, session, console, timeout_s)
        result["settle_s"] = round(time.monotonic() - t, 1)
        print(f"  {live.timestamp()} steady after {result['settle_s']} s: {result['rows']}", flush=True)

        time.sleep(args.quiet_s)
        pids = {"gui": console.gui.pid, "poller": console.poller_pid, "xvfb": xvfb_pid}
        if am.proc is not None:
            pids["alertmanager"] = am.proc.pid
        meter = live.CpuMeter(pids)
        deadline = time.monotonic() + args.window_s
        while time.monotonic() < deadline:
            console.check_alive()
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        cpu = meter.read()
        console.check_alive()
        rss = {name: live.rss_mb(pid) for name, pid in pids.items()}
        gui_cpu, poller_cpu = cpu["gui"] or 0.0, cpu["poller"] or 0.0
        gui_rss, poller_rss = rss["gui"] or 0.0, rss["poller"] or 0.0
        result |= {
            "cpu_pct": round(gui_cpu + poller_cpu, 1),
            "rss_mb": round(gui_rss + poller_rss, 1),
            "gui_cpu_pct": gui_cpu,
            "poller_cpu_pct": poller_cpu,
            "gui_rss_mb": round(gui_rss, 1),
            "poller_rss_mb": round(poller_rss, 1),
            "xvfb_cpu_pct": cpu["xvfb"],
            "alertmanager_cpu_pct": cpu.get("alertmanager"),
            "window_s": args.window_s,
            "load_average": live.load_average(),
        }
        print(
            f"  {live.timestamp()} over {args.window_s:g} s: CPU {result['cpu_pct']} % of one core "
            f"(gui {gui_cpu}, poller {poller_cpu}), RSS {result['rss_mb']} MB "
            f"(gui {result['gui_rss_mb']}, poller {result['poller_rss_mb']})",
            flush=True,
        )

        paths = ("push", POLL_ONLY) if args.push else (POLL_ONLY,)
        probes: dict[str, list[Probe]] = {path: [] for path in paths}
        for k in range(args.probes):
            for path in paths:
                time.sleep(random.uniform(1.0, 2.0))
                done = probe(k, am.url, session, engine, shown, console, path)
                probes[path].append(done)
                print(
                    f"  {live.timestamp()} probe {k + 1} ({path}): {done.shown_s} s POST to screen "
                    f"(POST answered in {done.accepted_s} s, in the store after {done.stored_s} s)",
                    flush=True,
                )
        for path, key in ((paths[0], "post_to_screen"), (POLL_ONLY, "post_to_screen_poll_only")):
            result[f"{key}_s"] = round(statistics.median(p.shown_s for p in probes[path]), 3)
            result[f"{key}_samples_s"] = [p.shown_s for p in probes[path]]
        result["post_to_store_s"] = {path: [p.stored_s for p in probes[path]] for path in paths}
        result["post_accepted_s"] = {path: [p.accepted_s for p in probes[path]] for path in paths}
        result["push"] = args.push


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--alerts",
        default="1000,10000,100000",
        help="comma-separated alert counts, each a multiple of 5 (default 1000,10000,100000)",
    )
    parser.add_argument("--window-s", type=float, default=60, help="CPU window in seconds (default 60)")
    parser.add_argument("--quiet-s", type=float, default=5, help="steady seconds before it (default 5)")
    parser.add_argument("--probes", type=int, default=5, help="critical alerts posted one by one (default 5)")
    parser.add_argument("--settle-timeout-s", type=float, help="default: 120 s plus 10 ms per alert")
    parser.add_argument(
        "--timeout-s", type=float, default=30, help="the source's timeout_s (default 30: 100,000 is 70 MB)"
    )
    parser.add_argument("--db", help="a PostgreSQL URL (default: SQLite in a temporary directory)")
    parser.add_argument(
        "--no-push",
        dest="push",
        action="store_false",
        help="no webhook from the Alertmanager: new alerts come by polling alone",
    )
    args = parser.parse_args()
    try:
        args.counts = [int(part.replace("_", "")) for part in args.alerts.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--alerts {args.alerts!r}: expected numbers separated by commas")
    if not args.counts or any(n <= 0 or n % 5 for n in args.counts):
        parser.error(f"--alerts {args.alerts!r}: each count must be a positive multiple of 5 (5 per host)")
    if args.window_s <= 0 or args.probes <= 0:
        parser.error("--window-s and --probes must be positive")
    return args


def main() -> int:
    args = parse_args()
    live.exit_on_signals()
    results: dict[str, Any] = {}
    status = 0
    try:
        for n in args.counts:
            print(f"{live.timestamp()} {n} alerts", flush=True)
            result: dict[str, Any] = {"alerts": n}
            results[str(n)] = result
            try:
                measure(n, args, result)
            except live.BenchError as exc:
                print(f"bench_end_to_end: {n} alerts: {exc}", file=sys.stderr, flush=True)
                result["error"] = str(exc).splitlines()[0]
                status = 1
    except KeyboardInterrupt:
        print("bench_end_to_end: interrupted; everything it started is stopped", file=sys.stderr)
        results["interrupted"] = True
        status = 130
    print(json.dumps(results))
    return status


if __name__ == "__main__":
    sys.exit(main())
