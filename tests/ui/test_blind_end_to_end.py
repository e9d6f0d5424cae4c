"""End to end, blindness is the loudest thing on the screen: a real `noc-console poller` process polls
three sources (one that misbehaves on request, one that keeps answering, a real Alertmanager) into the
store, and an operator window reads the store as it would on the floor.

Each way of failing (401, 404, 500, garbage, a truncated body, a hang) makes the failing source named
in the red banner, with its reason, within one second of the poller knowing of the failure; meanwhile
the other sources keep updating the window, and nothing resolves. The real Alertmanager stopped is named
the same way; restarted, it answers an empty list, and still nothing resolves."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.ui.incident_model import IncidentRole
from noc_console.ui.main_window import MainWindow
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, run_cli, url_of
from tests.cli.test_poll_alertmanager import am_alert

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# (mode of the misbehaving server, what the banner must say of it)
FAILURES = [
    ("401", "HTTP 401"),
    ("404", "HTTP 404"),
    ("500", "HTTP 500"),
    ("invalid", "not valid JSON"),
    ("truncated", "cut off"),
    ("hang", "no answer within 1 s"),
]
SHOWN_WITHIN = timedelta(seconds=1)


def source(name: str, url: str) -> str:
    return (
        f'[[sources]]\nname = "{name}"\ntype = "alertmanager"\nurl = "{url}"\ninterval_s = 1\ntimeout_s = 1\n'
    )


@pytest.fixture
def poller(tmp_path: Path, db_url: str) -> Iterator[Any]:
    """Starts `noc-console poller` on a config given later (`poller(config)`), stops it at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(config: Path) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "poller"]
        log = (tmp_path / "poller.log").open("wb")
        started.append(subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
        log.close()
        return started[-1]

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def titles(window: MainWindow) -> set[str]:
    model = window.table.model()
    return {model.index(row, 0).data(IncidentRole).title for row in range(model.rowCount())}


def banner_names(window: MainWindow, name: str, reason: str) -> bool:
    text = window.stale_banner.text() if window.stale_banner.isVisible() else ""
    return any(line.startswith(f"⚠ BLIND: {name},") and reason in line for line in text.splitlines())


def banner_free_of(window: MainWindow, name: str) -> bool:
    return f"BLIND: {name}," not in (window.stale_banner.text() if window.stale_banner.isVisible() else "")


def shown_after_failure(db_url: str, name: str) -> timedelta:
    """How long after the poller recorded the source's failure the banner named it (called just then)."""
    seen = datetime.now(UTC)
    store = open_store(db_url)
    try:
        with store.read() as session:
            (health,) = [h for h in repo.list_source_health(session) if h.name == name]
    finally:
        store.close()
    assert health.last_error_at is not None and health.last_fetch_failed()
    return seen - health.last_error_at


def test_every_failure_is_named_on_screen_within_a_second_and_resolves_nothing(
    qtbot: Any, tmp_path: Path, db_url: str, alertmanager: Any, poller: Any
) -> None:
    alertmanager.post_alerts([am_alert("dns", "critical")])
    steady_alerts = [gettable_alert("s0", "checkout")]
    with (
        misbehaving_server([gettable_alert("f1", "payments", "major")]) as flaky,
        misbehaving_server(steady_alerts) as steady,
    ):
        config = tmp_path / "noc.toml"
        config.write_text(
            source("flaky", url_of(flaky))
            + source("steady", url_of(steady))
            + source("real-am", alertmanager.url)
        )
        poller(config)
        window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
        qtbot.addWidget(window)
        window.resize(1600, 900)
        window.show()
        qtbot.waitUntil(lambda: len(titles(window)) == 3, timeout=30_000)
        opened = titles(window)
        assert window.stale_banner.isHidden()

        lags: dict[str, float] = {}
        for number, (mode, reason) in enumerate(FAILURES, start=1):
            flaky.mode = mode  # type: ignore[attr-defined]
            qtbot.waitUntil(lambda r=reason: banner_names(window, "flaky", r), timeout=15_000)
            lag = shown_after_failure(db_url, "flaky")
            lags[mode] = round(lag.total_seconds(), 3)
            assert lag <= SHOWN_WITHIN, f"{mode}: the banner named the source {lag} after the failure"
            # The others keep updating: a new alert at the steady source becomes a row meanwhile.
            steady_alerts.append(gettable_alert(f"s{number}", f"service-{number}"))
            qtbot.waitUntil(lambda n=number: any(f"service-{n}" in t for t in titles(window)), timeout=15_000)
            assert banner_names(window, "flaky", reason), f"{mode}: the source is no longer named"
            assert banner_free_of(window, "steady") and banner_free_of(window, "real-am")
            flaky.mode = "ok"  # type: ignore[attr-defined]
            qtbot.waitUntil(window.stale_banner.isHidden, timeout=30_000)
        print(json.dumps({"banner_after_failure_s": lags}))

        alertmanager.stop()
        qtbot.waitUntil(lambda: banner_names(window, "real-am", "cannot connect"), timeout=15_000)
        assert shown_after_failure(db_url, "real-am") <= SHOWN_WITHIN
        alertmanager.start()  # a fresh process: its list is empty until Prometheus sends again
        qtbot.waitUntil(window.stale_banner.isHidden, timeout=30_000)
        qtbot.wait(3000)  # three more polls of the empty list
        assert opened <= titles(window)

        listing = run_cli("--db", db_url, "incidents", "--all", "--json")
        assert listing.returncode == 0, listing.stderr
        incidents = json.loads(listing.stdout)
        assert len(incidents) == 3 + len(FAILURES)
        assert {i["status"] for i in incidents} == {"open"}, "a failed fetch or a restart resolved something"
        assert all(i["clearing_at"] is None for i in incidents)
        window.close()
