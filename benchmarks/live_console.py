"""What bench_soak.py and bench_end_to_end.py share: the real console measured from outside.

An Xvfb server, `noc-console gui` on it with its poller child, a real Alertmanager (tests/servers.py),
CPU and memory of a process read from /proc, and the store's row counts. Every process started here runs
in a session of its own and is stopped, its whole process group with it, when its context exits,
however it exits (Ctrl+C and SIGTERM included: see `exit_on_signals`).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import AM_CONFIG, Alertmanager  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SEVERITIES = ("major", "minor", "warning", "major", "minor")  # the background; probes are critical
PROBLEMS = ("HighCpuLoad", "MemoryPressure", "DiskAlmostFull", "PacketLoss", "HighLatencyP99")


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why in plain words."""


def exit_on_signals() -> None:
    """Ctrl+C, SIGTERM and SIGHUP unwind as KeyboardInterrupt, so every `finally` stops what it
    started; once unwinding, further ones are ignored so that they cannot cut the clean-up short
    (it is bounded by its own timeouts)."""

    def unwind(signum: int, _frame: object) -> None:
        for ignored in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(ignored, signal.SIG_IGN)
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for handled in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(handled, unwind)


# --- /proc ---------------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process (all its threads, not its children), in clock ticks; None once gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses
    if fields[0] == "Z":
        return None
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), counted from the state


def rss_mb(pid: int) -> float | None:
    """Resident memory (VmRSS) in MB (10^6 bytes); None once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def load_average() -> float:
    """The machine's 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def alive(pid: int) -> bool:
    return cpu_ticks(pid) is not None


def children_of(pid: int) -> set[int]:
    """Direct children: /proc/PID/task/*/children where the kernel has it, else a scan for the ppid."""
    found: set[int] = set()
    tasks = list(Path(f"/proc/{pid}/task").glob("*"))
    if tasks and (tasks[0] / "children").exists():
        for task in tasks:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                found.update(int(p) for p in (task / "children").read_text().split())
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except (FileNotFoundError, ProcessLookupError):
        return []


class CpuMeter:
    """CPU of some processes over a window, in % of one core, from their utime + stime deltas."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = dict(pids)
        self._start = time.monotonic()
        self._ticks = {name: cpu_ticks(pid) for name, pid in self.pids.items()}

    def read(self) -> dict[str, float | None]:
        """% of one core of each process since the last read (None: it died meanwhile); restarts."""
        now = time.monotonic()
        ticks = {name: cpu_ticks(pid) for name, pid in self.pids.items()}
        elapsed = now - self._start
        result: dict[str, float | None] = {}
        for name, after in ticks.items():
            before = self._ticks.get(name)
            result[name] = (
                None
                if before is None or after is None or elapsed <= 0
                else round((after - before) / CLOCK_TICKS / elapsed * 100, 1)
            )
        self._start, self._ticks = now, ticks
        return result


# --- Xvfb and the console --------------------------------------------------------------------------


def stop_group(proc: subprocess.Popen[bytes], grace_s: float) -> None:
    """SIGTERM the process, give it `grace_s`, then SIGKILL its whole process group."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # its session's group: children that outlived it too
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


@contextlib.contextmanager
def xvfb(workdir: Path) -> Iterator[tuple[str, int]]:
    """A 1920x1080x24 X server on a free display, no TCP; yields (DISPLAY, its pid)."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise BenchError("Xvfb is not installed (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    log = (workdir / "xvfb.log").open("wb")
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_end), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, pass_fds=(write_end,),
        start_new_session=True,
    )  # fmt: skip
    os.close(write_end)
    try:
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                raise BenchError(f"Xvfb did not start within 15 s (log: {workdir / 'xvfb.log'})")
            chunk = os.read(read_end, 16)
            if not chunk:
                raise BenchError(f"Xvfb exited: {(workdir / 'xvfb.log').read_text(errors='replace')[-500:]}")
            number += chunk
        yield f":{int(number)}", proc.pid
    finally:
        os.close(read_end)
        stop_group(proc, 5)
        log.close()


def write_config(path: Path, alertmanager_url: str, *, interval_s: float, extra: str = "") -> Path:
    """One Alertmanager source, as README's Configuration section has it."""
    path.write_text(
        "[[sources]]\n"
        'name = "bench-am"\n'
        'type = "alertmanager"\n'
        f'url = "{alertmanager_url}"\n'
        f"interval_s = {interval_s}\n"
        f"{extra}\n"
    )
    return path


@dataclass
class Console:
    """`noc-console gui` and the poller child it started."""

    gui: subprocess.Popen[bytes]
    poller_pid: int
    log_path: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def check_alive(self) -> None:
        if self.gui.poll() is not None:
            raise BenchError(f"the GUI exited with status {self.gui.returncode}; its log:\n{self.log_tail()}")
        if not alive(self.poller_pid):
            raise BenchError(
                f"the poller child (pid {self.poller_pid}) died; the GUI's log:\n{self.log_tail()}"
            )


def find_poller(gui: subprocess.Popen[bytes], log_path: Path, timeout_s: float = 60) -> int:
    """The gui's child process running `noc-console ... poller`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if gui.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:]
            raise BenchError(f"the GUI exited with status {gui.returncode} while starting; its log:\n{log}")
        for pid in children_of(gui.pid):
            if "poller" in cmdline(pid):
                return pid
        time.sleep(0.1)
    raise BenchError(f"the GUI started no poller child within {timeout_s:.0f} s (log: {log_path})")


@contextlib.contextmanager
def console(
    workdir: Path, display: str, config: Path, db_url: str, env_extra: dict[str, str] | None = None
) -> Iterator[Console]:
    """`noc-console gui` on `display` (xcb), with config, data and runtime dirs of its own under
    `workdir` and no sound server; SIGTERM at the end (it stops its poller), then SIGKILL of the group."""
    home = workdir / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOC_CONSOLE_", "XDG_", "QT_"))}
    for sub in ("config", "data", "cache", "runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "runtime").chmod(0o700)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_LOGGING_RULES="qt.multimedia.*=false",
        PULSE_SERVER=f"unix:{home / 'runtime' / 'no-sound-server'}",  # alarms ring into nothing
        NOC_CONSOLE_DB=db_url,  # not on the command line, where a password would show in `ps`
        **(env_extra or {}),
    )
    log_path = workdir / "gui.log"
    with log_path.open("wb") as log:
        gui = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--config", str(config), "gui"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield Console(gui, find_poller(gui, log_path), log_path)
        finally:
            stop_group(gui, 20)


# --- Alertmanager -----------------------------------------------------------------------------------


def alertmanager_binary() -> str:
    for candidate in ("prometheus-alertmanager", "alertmanager"):
        found = shutil.which(candidate)
        if found:
            return found
    raise BenchError("Alertmanager is not installed (apt-get install prometheus-alertmanager)")


@contextlib.contextmanager
def alertmanager(workdir: Path, config_text: str | None = None) -> Iterator[Alertmanager]:
    """A fresh Alertmanager on 127.0.0.1 (tests/servers.py), stopped at the end; `config_text` is its
    alertmanager.yml (default: tests/servers.py's, which notifies nobody)."""
    workdir.mkdir(parents=True, exist_ok=True)
    server = Alertmanager(alertmanager_binary(), workdir, config_text=config_text or AM_CONFIG)
    try:
        server.start()
    except (RuntimeError, TimeoutError) as exc:
        raise BenchError(f"Alertmanager did not start: {exc}") from None
    try:
        yield server
    finally:
        server.stop()


def rfc3339(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def host_alerts(host: str, starts_at: datetime, ends_at: datetime) -> list[dict[str, Any]]:
    """Five alerts of one host, distinct label sets; the host is their service (one incident each)."""
    return [
        {
            "labels": {
                "alertname": problem,
                "service": host,
                "host": host,
                "instance": f"{host}:9100",
                "job": "node",
                "severity": severity,
            },
            "annotations": {"summary": f"{problem} on {host}"},
            "startsAt": rfc3339(starts_at),
            "endsAt": rfc3339(ends_at),
        }
        for problem, severity in zip(PROBLEMS, SEVERITIES, strict=True)
    ]


def post_alerts(session: requests.Session, url: str, alerts: list[dict[str, Any]], batch: int = 2000) -> None:
    """POST /api/v2/alerts in batches (a 100,000-alert body in one request is 30 MB)."""
    for start in range(0, len(alerts), batch):
        response = session.post(f"{url}/api/v2/alerts", json=alerts[start : start + batch], timeout=60)
        if response.status_code != 200:
            raise BenchError(
                f"Alertmanager refused the alerts: HTTP {response.status_code} {response.text[:200]}"
            )


# --- the store ---------------------------------------------------------------------------------------

COUNTS = {
    "incidents": "SELECT count(*) FROM incidents",
    "incidents_open": "SELECT count(*) FROM incidents WHERE status <> 'resolved'",
    "alerts": "SELECT count(*) FROM alerts",
    "alerts_firing": "SELECT count(*) FROM alerts WHERE state = 'firing'",
    "timeline": "SELECT count(*) FROM timeline",
    "changes": "SELECT count(*) FROM changes",
}


def row_counts(engine: sa.Engine) -> dict[str, int] | None:
    """The store's row counts; None while its tables do not exist yet (the console creates them)."""
    try:
        with engine.connect() as conn:
            return {name: int(conn.execute(sa.text(sql)).scalar_one()) for name, sql in COUNTS.items()}
    except (sa.exc.OperationalError, sa.exc.ProgrammingError):
        return None


@contextlib.contextmanager
def database(workdir: Path, db_url: str | None) -> Iterator[str]:
    """SQLite in `workdir`, or a schema of its own in the PostgreSQL `db_url`, dropped afterwards."""
    if db_url is None:
        yield f"sqlite:///{workdir / 'noc.db'}"
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_floor import own_schema

    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(own_schema(db_url))
        except (sa.exc.OperationalError, sa.exc.ArgumentError) as exc:
            shown = sa.make_url(db_url).render_as_string(hide_password=True)
            raise BenchError(f"--db: cannot use {shown}: {str(getattr(exc, 'orig', exc)).strip()}") from None
        yield url


def timestamp() -> str:
    return datetime.now(UTC).astimezone().strftime("%H:%M:%S")


def in_the_future(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
