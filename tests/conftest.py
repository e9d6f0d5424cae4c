"""Every test gets its own config and data dirs, an in-memory keyring, and Qt offscreen."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
# No test window sounds a real alarm on a developer's speakers: the sound tests start a sound server of
# their own and hand its address to the console they run.
os.environ["PULSE_SERVER"] = "unix:/nonexistent/noc-console-tests/native"

pytest_plugins = ["tests.servers", "tests.icinga_server", "tests.prometheus_server"]


class InMemoryKeyring(KeyringBackend):
    """A keyring that lives and dies with one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    for variable, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),  # the log files (noc_console.logs)
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(variable, str(home / sub))
    for variable in list(os.environ):
        if variable.startswith("NOC_CONSOLE_"):
            monkeypatch.delenv(variable)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[InMemoryKeyring]:
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a non-daemon thread running (a fetch pool, a poller)."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leftover:
        thread.join(timeout=3)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture(autouse=True)
def no_dangling_qt() -> Iterator[None]:
    """Fail a test that leaves a QThread running or a QTimer active (napari's `_dangling_qthreads`).

    Qt is imported here only where it can be: the Qt-free core also runs with PySide6 unimportable.
    """
    try:
        from tests.ui.qt_starts import QtStarts
    except ImportError:
        yield
        return
    with QtStarts() as starts:
        yield
    leftover = starts.leftovers()
    assert not leftover, "test left Qt running:\n" + "\n".join(leftover)


@pytest.fixture(autouse=True)
def no_leftover_log_files() -> Iterator[None]:
    """A command run in-process may add its log file to the root logger: it goes with the test."""
    import logging

    root = logging.getLogger()
    level = root.level
    yield
    from noc_console.logs import DailyFile

    for handler in [h for h in root.handlers if isinstance(h, DailyFile)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture(autouse=True)
def no_unclosed_connections() -> Iterator[None]:
    """With NOC_TEST_LEAKS=1: collect garbage after each test and fail it when a database connection it
    left open is collected (the warning otherwise surfaces in whichever later test the collector runs)."""
    if os.environ.get("NOC_TEST_LEAKS") != "1":
        yield
        return
    import gc
    import warnings

    yield
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaks, "test left connections open:\n" + "\n".join(leaks)


# With NOC_TEST_CPU=N: the N tests and the N files that cost the most CPU (this process and the children
# it waited for), beside --durations' wall times: on a shared CI machine, CPU is what the suite's time is.
_CPU_SPENT: dict[str, float] = {}


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    if not os.environ.get("NOC_TEST_CPU"):
        return (yield)
    start = _cpu_seconds()
    try:
        return (yield)
    finally:
        _CPU_SPENT[item.nodeid] = _cpu_seconds() - start


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = int(os.environ.get("NOC_TEST_CPU") or 0)
    if not count or not _CPU_SPENT:
        return
    files: dict[str, float] = {}
    for nodeid, spent in _CPU_SPENT.items():
        files[nodeid.split("::")[0]] = files.get(nodeid.split("::")[0], 0.0) + spent
    write = terminalreporter.write_line
    terminalreporter.section(f"CPU: {sum(_CPU_SPENT.values()):.0f} s in all; the costliest {count} tests")
    for nodeid, spent in sorted(_CPU_SPENT.items(), key=lambda kv: -kv[1])[:count]:
        write(f"{spent:8.2f}s  {nodeid}")
    terminalreporter.section(f"CPU: the costliest {count} files")
    for path, spent in sorted(files.items(), key=lambda kv: -kv[1])[:count]:
        write(f"{spent:8.2f}s  {path}")
