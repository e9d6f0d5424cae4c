"""Paging end to end through processes on PostgreSQL: a running `noc-console poller`, `page ID` from the
command line, a vendor (a signed webhook) answering 500 for a while, the poller SIGKILLed mid-way and
another taking over: every page arrives, and each idempotency key is accepted exactly once."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.store.paging import pages_of
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, run_cli, url_of
from tests.engine.test_poller_process import wait_for
from tests.paging.vendor_server import Recorded, Reply, vendor_server

SECRET = "hook-signing-key"


class Vendor:
    """Down (500) until told otherwise; then 202, noting each idempotency key it accepted."""

    def __init__(self) -> None:
        self.up = False
        self.accepted: list[str] = []
        self.refused = 0
        self.lock = threading.Lock()

    def __call__(self, request: Recorded) -> Reply:
        signature = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers.get("x-noc-signature") == signature
        with self.lock:
            if not self.up:
                self.refused += 1
                return Reply(500, "upstream unavailable")
            self.accepted.append(request.headers["x-noc-idempotency-key"])
        return Reply(202, {"ok": True})


@pytest.mark.postgres
@pytest.mark.slow  # about a minute: two processes, a 30 s level wait, retries backing off to a minute
@pytest.mark.timeout(300)
def test_every_page_arrives_once_through_an_outage_and_a_sigkilled_poller(
    pg_url: str, tmp_path: Path
) -> None:
    vendor = Vendor()
    with vendor_server() as hook, misbehaving_server([gettable_alert("a", "payments")]) as source:
        hook.default = vendor
        config = tmp_path / "c.toml"
        config.write_text(
            f'[[sources]]\nname = "am"\ntype = "alertmanager"\nurl = "{url_of(source)}"\ntimeout_s = 2\n'
            "interval_s = 1\n\n"
            f'[[providers]]\nname = "hook"\ntype = "webhook"\nurl = "{hook.url}/noc"\ntimeout_s = 2\n\n'
            '[[policies]]\nname = "payments"\nservices = ["payments"]\n\n'
            '[[policies.levels]]\ntargets = ["hook"]\nchannels = ["webhook"]\nwait_minutes = 0.5\n\n'
            '[[policies.levels]]\ntargets = ["hook"]\nchannels = ["webhook"]\nwait_minutes = 0.5\n'
        )
        env = {**os.environ, "NOC_CONSOLE_SECRET_PROVIDER_HOOK": SECRET}
        argv = [sys.executable, "-m", "noc_console", "--db", pg_url, "--config", str(config), "poller"]

        def poller() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )

        store = open_store(pg_url)
        first = poller()
        second: subprocess.Popen[bytes] | None = None
        try:
            wait_for(lambda: bool(list_open(store)), timeout=30)
            (incident_id,) = list_open(store)
            paged = run_cli("--db", pg_url, "--config", str(config), "page", str(incident_id))
            assert paged.returncode == 0, paged.stderr
            wait_for(lambda: vendor.refused >= 2, timeout=30)  # the vendor is down: retried, not lost
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = poller()
            wait_for(lambda: len(pages_in(store, incident_id)) == 2, timeout=60)  # level 2 after 30 s
            vendor.up = True
            back = time.monotonic()
            wait_for(lambda: all(p.status == "sent" for p in pages_in(store, incident_id)), timeout=150)
            assert time.monotonic() - back < 120  # what queued goes out within two minutes
            pages = pages_in(store, incident_id)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=20)
            store.close()
    keys = sorted(p.key for p in pages)
    assert (
        len(keys) == 2 and keys[0].endswith(":L1:hook:webhook:P0") and keys[1].endswith(":L2:hook:webhook:P0")
    )
    assert sorted(vendor.accepted) == keys  # each key accepted exactly once
    assert all(p.attempts >= 1 for p in pages)


def list_open(store) -> list[int]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return [i.id for i in repo.list_incidents(session)]


def pages_in(store, incident_id: int):  # type: ignore[no-untyped-def]
    with store.read() as session:
        return pages_of(session, incident_id)
