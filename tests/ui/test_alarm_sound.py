"""Real sound: the console plays its alarm into a private PulseAudio server's null sink, `parec` records
the sink's monitor, and the samples say what was heard. QtMultimedia's own "playing" proves nothing.

The console runs as a child process: QtMultimedia reads PULSE_SERVER once, when its backend starts.
"""

from __future__ import annotations

import array
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import update

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.store.models import SourceHealthRow
from tests.servers import skip_or_fail

pytestmark = pytest.mark.sound

ROOT = Path(__file__).resolve().parents[2]
PULSE_MISSING = "pulseaudio is not installed (apt-get install pulseaudio pulseaudio-utils)"
RATE = 44_100
LOUD = 2_000  # the critical siren peaks at 29,490 (90 % of full scale)
SILENT = 64  # a null sink's monitor gives exact zeros when nothing plays


@dataclass
class PulseServer:
    """A private PulseAudio server with one null sink, `test_null`, reached through `server`."""

    root: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return self.root / "pulse" / "native"

    @property
    def server(self) -> str:
        return f"unix:{self.socket}"

    def client_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOC_CONSOLE_")}
        env["PULSE_SERVER"] = self.server
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
        return env

    def start(self) -> None:
        home, runtime = self.root / "home", self.root / "run"
        for directory in (home, runtime, self.socket.parent):
            directory.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
        env.pop("PULSE_SERVER", None)
        with (self.root / "pulseaudio.log").open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    "pulseaudio",
                    "-n",
                    "--daemonize=no",
                    "--exit-idle-time=-1",
                    "--system=false",
                    "--use-pid-file=no",
                    f"--load=module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
                    "--load=module-null-sink sink_name=test_null",
                ],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while self.pactl("info").returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log_text = (self.root / "pulseaudio.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"pulseaudio did not start:\n{log_text}")
            time.sleep(0.1)
        assert self.pactl("set-default-sink", "test_null").returncode == 0

    def pactl(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["pactl", *args], env=self.client_env(), capture_output=True, timeout=10, check=False
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    missing = [tool for tool in ("pulseaudio", "parec", "pactl") if shutil.which(tool) is None]
    if missing:
        skip_or_fail(f"{PULSE_MISSING}; missing: {', '.join(missing)}")
    server = PulseServer(tmp_path_factory.mktemp("pulse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Recording:
    """What `parec` hears on the sink's monitor: (arrival time, peak of the chunk) for every chunk."""

    chunks: list[tuple[float, int]] = field(default_factory=list)
    samples: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, data: bytes) -> None:
        samples = array.array("h", data[: len(data) - len(data) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        peak = max((abs(s) for s in samples), default=0)
        with self.lock:
            self.chunks.append((time.monotonic(), peak))
            self.samples += len(samples)

    def since(self, start: float, end: float = float("inf")) -> list[int]:
        with self.lock:
            return [peak for at, peak in self.chunks if start <= at < end]

    def last_loud_after(self, start: float) -> float | None:
        with self.lock:
            loud = [at for at, peak in self.chunks if at >= start and peak >= LOUD]
        return loud[-1] if loud else None


@contextmanager
def recording(pulse: PulseServer) -> Iterator[Recording]:
    """`parec` on test_null.monitor, read by a thread (needs --latency-msec, else it records nothing)."""
    parec = subprocess.Popen(
        [
            "parec",
            "-d",
            "test_null.monitor",
            "--format=s16le",
            "--channels=1",
            f"--rate={RATE}",
            "--raw",
            "--latency-msec=20",
        ],
        env=pulse.client_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert parec.stdout is not None
    fd = parec.stdout.fileno()
    result = Recording()

    def read() -> None:
        while True:
            data = os.read(fd, 8820)
            if not data:
                return
            result.add(data)

    reader = threading.Thread(target=read, name="parec-reader")
    reader.start()
    try:
        yield result
    finally:
        parec.terminate()
        parec.wait(timeout=10)
        reader.join(timeout=10)
        parec.stdout.close()


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.05)


def seed_open_critical(db_url: str) -> int:
    store = open_store(db_url)
    try:
        with store.session() as s:
            now = repo.db_now(s)
            alert = Alert(
                source="prod-am",
                fingerprint="core-down",
                labels={"alertname": "CoreRouterDown", "service": "backbone"},
                summary="Core router down",
                description="",
                severity=Severity.CRITICAL,
                starts_at=now,
                service="backbone",
            )
            apply_snapshot(s, AlertSnapshot.of("prod-am", now, [alert]), now=now)
            # an hourly source: it must not go stale (and sound its own alarm) while the test runs
            s.execute(update(SourceHealthRow).values(interval_s=3600))
            (incident,) = repo.list_incidents(s, include_resolved=False)
        return incident.id
    finally:
        store.close()


@contextmanager
def console(tmp_path: Path, db_url: str, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """`noc-console gui` with a config of no sources; SIGTERM at the end (SIGKILL if it hangs)."""
    config = tmp_path / "config.toml"
    config.write_text("")
    log = tmp_path / "gui.log"
    with log.open("wb") as out:
        gui = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "-v", "--config", str(config), "--db", db_url, "gui"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield gui
        finally:
            if gui.poll() is None:
                gui.send_signal(signal.SIGTERM)
                try:
                    gui.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    gui.kill()
                    gui.wait(timeout=10)


def test_an_open_critical_incident_is_heard_until_the_cli_acknowledges_it(
    pulse: PulseServer, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    incident_id = seed_open_critical(db_url)
    log = tmp_path / "gui.log"
    with recording(pulse) as heard:
        wait_for(lambda: heard.samples > RATE // 10, 15, "parec delivers samples")
        with console(tmp_path, db_url, pulse.client_env()) as gui:

            def sounding() -> bool:
                assert gui.poll() is None, f"the console exited:\n{log.read_text()[-3000:]}"
                return heard.last_loud_after(0) is not None

            wait_for(sounding, 60, "the alarm is heard")
            heard_at = heard.last_loud_after(0)
            assert heard_at is not None
            # it keeps sounding: nobody acknowledged it
            time.sleep(2.5)
            steady = heard.since(heard_at, heard_at + 2.5)
            assert steady and max(steady) >= LOUD
            assert sum(1 for p in steady if p >= LOUD) >= 0.8 * len(steady), "the siren has no pause"
            peak = max(heard.since(0))

            ack_started = time.monotonic()
            ack = subprocess.run(
                [sys.executable, "-m", "noc_console", "--db", db_url, "ack", str(incident_id), "--by", "cli"],
                cwd=ROOT,
                env=pulse.client_env(),
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            acked_at = time.monotonic()
            assert ack.returncode == 0, ack.stderr

            # the console follows the database: silent well within seconds, and silent it stays
            def quiet_for_2_s() -> bool:
                return time.monotonic() - max(heard.last_loud_after(0) or 0, acked_at) > 2

            wait_for(quiet_for_2_s, 15, "silence after the acknowledgement")
            last_loud = heard.last_loud_after(0) or acked_at
            time.sleep(3)
            later = heard.since(last_loud + 2, time.monotonic())
            assert len(later) > 10, "parec stopped delivering: silence proves nothing"
            assert max(later) <= SILENT, f"sound after the acknowledgement: peak {max(later)}"
            assert gui.poll() is None
    stopped_after = max(0.0, last_loud - acked_at)
    print(
        f"\nalarm sound: peak {peak}; the ack command took {acked_at - ack_started:.2f} s; last loud sample "
        f"{last_loud - ack_started:+.2f} s from its start, {last_loud - acked_at:+.2f} s from its end"
    )
    assert peak >= 20_000
    assert stopped_after < 5, f"still sounding {stopped_after:.1f} s after the acknowledgement"
    assert "NO AUDIO" not in log.read_text()


NO_AUDIO_PROBE = """
import json
import sys
from PySide6.QtWidgets import QApplication
from noc_console.domain.sla import SlaPolicy
from noc_console.ui.main_window import MainWindow

app = QApplication([])
window = MainWindow(sys.argv[1], SlaPolicy(), "ana", poller=None)
window.show()
app.processEvents()
banner = window.alarm_banners.no_audio_banner
print(json.dumps([banner.isVisible(), banner.text()]))
window.close()
"""


def probe_no_audio_banner(db_url: str, env: dict[str, str]) -> tuple[bool, str]:
    done = subprocess.run(
        [sys.executable, "-c", NO_AUDIO_PROBE, db_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    visible, text = json.loads(done.stdout.strip().splitlines()[-1])
    return visible, text


def test_with_no_sound_server_the_window_warns_no_audio(pulse: PulseServer, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    env = pulse.client_env()
    env["PULSE_SERVER"] = f"unix:{tmp_path / 'no-such-server'}"  # no sound server, no device
    assert probe_no_audio_banner(db_url, env) == (
        True,
        "⚠ NO AUDIO: alarms are visual only — no audio output device",
    )
    # and with the sound server there, no warning: the probe can tell the two apart
    assert probe_no_audio_banner(db_url, pulse.client_env()) == (False, "")
