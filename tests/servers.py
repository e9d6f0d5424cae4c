"""Real servers for the tests: Alertmanager and PostgreSQL.

A pytest plugin (``pytest_plugins = ["tests.servers"]`` in the conftest). Missing software skips the
tests that need it, with the apt-get line that fixes it; under ``CI=true`` it fails instead, so CI
can never go green by skipping.

PostgreSQL, in order: ``NOC_TEST_POSTGRES_URL``; a server on 127.0.0.1:5432 accepting ``postgres``
without a password; a throwaway cluster started for the session (``NOC_TEST_FORCE_THROWAWAY_PG=1``
forces this last path).
"""

from __future__ import annotations

import contextlib
import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import requests

if TYPE_CHECKING:
    from noc_console.store import Store

ALERTMANAGER_MISSING = "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail under CI=true, where every test must really run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required, not skipped)", pytrace=False)
    pytest.skip(reason)


PORTS_BELOW_EPHEMERAL = 12_000  # how many ports under the kernel's ephemeral range free_port draws from


def _ephemeral_low() -> int:
    """The first port of the kernel's ephemeral range (Linux: ip_local_port_range), 32768 if unknown."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago, drawn at random below the kernel's ephemeral
    range. A port the kernel picks (bind to 0) is in that range, where an outgoing connection of any
    process (the test parts run side by side, each with its database and HTTP clients) may take it
    before the server it was picked for binds it: the server then exits with "address in use"."""
    low = _ephemeral_low()
    for _ in range(200):
        port = random.randrange(max(1024, low - PORTS_BELOW_EPHEMERAL), low)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:  # all taken: let the kernel choose
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[bytes] | None, log: IO[bytes] | None, grace_s: float = 10.0) -> None:
    """Stop a server the tests started: SIGTERM, SIGKILL after `grace_s`; then close its log."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if log is not None:
        log.close()


def _wait_until(check: Any, timeout: float, what: str, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with status {proc.returncode}")
        with contextlib.suppress(Exception):
            if check():
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


# --- Alertmanager ------------------------------------------------------------------------------

AM_CONFIG = """\
route:
  receiver: "null"
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
"""


@dataclass
class Alertmanager:
    """A running Alertmanager on 127.0.0.1."""

    binary: str
    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None
    config_text: str = AM_CONFIG  # alertmanager.yml (e.g. a webhook receiver instead of "null")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "alertmanager.log"

    def start(self, timeout: float = 10.0) -> None:
        config = self.workdir / "alertmanager.yml"
        config.write_text(self.config_text)
        storage = self.workdir / "data"
        storage.mkdir(exist_ok=True)
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                self.binary,
                f"--config.file={config}",
                f"--storage.path={storage}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--cluster.listen-address=",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until(
                lambda: requests.get(f"{self.url}/-/ready", timeout=1).status_code == 200,
                timeout,
                f"Alertmanager on {self.url} (log: {self.log_path})",
                self.proc,
            )
        except Exception:
            self.stop()
            raise

    def post_alerts(self, alerts: list[dict[str, Any]]) -> None:
        response = requests.post(f"{self.url}/api/v2/alerts", json=alerts, timeout=5)
        response.raise_for_status()

    def get_alerts(self) -> list[dict[str, Any]]:
        response = requests.get(f"{self.url}/api/v2/alerts", timeout=5)
        response.raise_for_status()
        result: list[dict[str, Any]] = response.json()
        return result

    def kill(self) -> None:
        """SIGKILL: the server vanishes mid-flight, as in a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.proc, self._log)
        self._log = None


@pytest.fixture(scope="session")
def alertmanager_binary() -> str:
    """Path of the real Alertmanager binary (Debian's prometheus-alertmanager)."""
    for candidate in ("prometheus-alertmanager", "alertmanager"):
        found = shutil.which(candidate)
        if found:
            return found
    if os.access("/usr/bin/prometheus-alertmanager", os.X_OK):
        return "/usr/bin/prometheus-alertmanager"
    skip_or_fail(ALERTMANAGER_MISSING)
    raise AssertionError("unreachable")


@pytest.fixture
def alertmanager(alertmanager_binary: str, tmp_path: Path) -> Iterator[Alertmanager]:
    """A fresh Alertmanager for one test; `.url`, `.post_alerts()`, `.kill()`, `.stop()`."""
    workdir = tmp_path / "alertmanager"
    workdir.mkdir()
    server = Alertmanager(alertmanager_binary, workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- PostgreSQL --------------------------------------------------------------------------------


def _can_connect(url: str) -> str | None:
    """None when `url` accepts a connection, else the reason it does not."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url
    except ImportError as exc:
        return f"psycopg is not installed: {exc}"
    u = make_url(url)
    try:
        with psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            password=u.password,
            dbname=u.database or "postgres",
            connect_timeout=2,
        ) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip()}"
    return None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, trust auth, on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        bindirs = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        )
        bindirs = [d for d in bindirs if (Path(d) / "initdb").exists()]
        if not bindirs:
            on_path = shutil.which("initdb")
            if on_path is None:
                raise RuntimeError("no initdb found (apt-get install postgresql)")
            bindirs = [str(Path(on_path).parent)]
        self.bindir = Path(bindirs[-1])
        self.root = Path(tempfile.mkdtemp(prefix="noc-test-pg-"))
        self.datadir = self.root / "data"
        self.sockdir = self.root / "sock"
        self.logfile = self.root / "postgres.log"
        self.port = free_port()
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self.started = False

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            # PostgreSQL refuses to run as root: run its tools as the postgres user.
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(
            cmd, check=False, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise RuntimeError(
                f"{' '.join(cmd)} exited with {result.returncode}: {result.stderr.strip()}\n{log}"
            )

    def start(self) -> str:
        self.sockdir.mkdir(parents=True)
        if self.as_root:
            self.root.chmod(0o755)
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockdir, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.datadir),
            "--auth=trust",
            "-U", "postgres",
            "--encoding=UTF8",
            "--no-sync",
        )  # fmt: skip
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.datadir),
            "-l", str(self.logfile),
            "-o", f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "-t", "30",
            "start",
        )  # fmt: skip
        self.started = True
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"
                )
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base SQLAlchemy URL of a PostgreSQL server where `postgres` may create schemas."""
    env_url = os.environ.get("NOC_TEST_POSTGRES_URL")
    if env_url:
        reason = _can_connect(env_url)
        if reason is not None:
            skip_or_fail(f"NOC_TEST_POSTGRES_URL={env_url} does not accept connections: {reason}")
        yield env_url
        return

    reasons: list[str] = []
    if os.environ.get("NOC_TEST_FORCE_THROWAWAY_PG") != "1":
        reason = _can_connect(DEFAULT_PG_URL)
        if reason is None:
            yield DEFAULT_PG_URL
            return
        reasons.append(f"127.0.0.1:5432: {reason}")

    cluster: ThrowawayPostgres | None = None
    try:
        cluster = ThrowawayPostgres()
        url = cluster.start()
    except Exception as exc:
        if cluster is not None:
            cluster.stop()
        reasons.append(f"throwaway cluster: {exc}")
        skip_or_fail("no PostgreSQL available (apt-get install postgresql): " + "; ".join(reasons))
        return
    try:
        yield url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    """URL of a fresh, empty schema of its own; dropped after the test."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server, poolclass=sa.pool.NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in postgres_server else "?"
        yield f"{postgres_server}{separator}options={quote(f'-csearch_path={schema}', safe='')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on SQLite and on PostgreSQL (a fresh schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/noc.db"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store on `db_url` (SQLite, then PostgreSQL), closed after the test."""
    from noc_console.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()


# --- markers ------------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by the real servers it uses, so `-m postgres` or `-m "not alertmanager"` selects
    by what a test needs, not by what its author remembered to mark."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec is not None else None
        if fixtures & {"pg_url", "postgres_server", "pg_store"} or backend == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if fixtures & {"alertmanager", "alertmanager_binary"}:
            item.add_marker(pytest.mark.alertmanager)
        if fixtures & {"icinga2", "icinga2_binary"}:
            item.add_marker(pytest.mark.icinga2)
        if fixtures & {"prometheus", "prometheus_binary"}:
            item.add_marker(pytest.mark.prometheus)


__all__ = [
    "Alertmanager",
    "ThrowawayPostgres",
    "alertmanager",
    "alertmanager_binary",
    "db_url",
    "free_port",
    "in_ci",
    "pg_url",
    "postgres_server",
    "skip_or_fail",
    "store",
]


class CuttableProxy:
    """A TCP proxy on 127.0.0.1 to a server, to make the server go away and come back for real.

    `cut()` closes the listening socket and every connection through it: clients see their connections
    drop and new ones refused, as when the database host goes down. `restore()` listens again on the
    same port. `url_for(url)` is a SQLAlchemy URL with its host and port replaced by the proxy's.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.restore()

    def url_for(self, url: str) -> str:
        import sqlalchemy as sa

        return sa.make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self.port = int(listener.getsockname()[1])
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._open = self._open, set()
        if listener is not None:
            listener.close()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def close(self) -> None:
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, sink):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
                with self._lock:
                    self._open.discard(conn)


@pytest.fixture
def pg_proxy(postgres_server: str) -> Iterator[CuttableProxy]:
    """A cuttable TCP proxy to the test PostgreSQL server (`url_for(pg_url)` goes through it)."""
    import sqlalchemy as sa

    url = sa.make_url(postgres_server)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy
    proxy.close()
