"""A real Prometheus for the tests (Debian's prometheus), a pytest plugin like tests.servers.

Each test gets its own: a private TSDB directory, a config that evaluates its rule file every second
and scrapes nothing, the web API on a free port of 127.0.0.1 with `--web.enable-lifecycle`, so that
`set_rules()` rewrites the rule file and `reload()` makes Prometheus read it again (POST /-/reload).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from tests.servers import free_port, skip_or_fail, stop_process

PROMETHEUS_MISSING = "prometheus is not installed (apt-get install prometheus)"

CONFIG = """
global:
  evaluation_interval: 1s
  scrape_interval: 1m
rule_files:
  - {rules}
"""

# A rule that fires at the first evaluation, one that stays pending for an hour, and a quiet one.
FIRING_RULES = """
groups:
  - name: noc-test
    interval: 1s
    rules:
      - alert: CheckoutDown
        expr: vector(1)
        labels: {service: checkout, severity: critical}
        annotations: {summary: "Checkout is down", description: "Every probe of checkout fails."}
      - alert: DiskFillingSlowly
        expr: vector(1)
        for: 1h
        labels: {service: storage, severity: warning}
        annotations: {summary: "Disk filling slowly"}
"""
QUIET_RULES = """
groups:
  - name: noc-test
    interval: 1s
    rules:
      - alert: CheckoutDown
        expr: vector(1) == 0
        labels: {service: checkout, severity: critical}
"""


@dataclass
class Prometheus:
    """A running Prometheus with its API on http://127.0.0.1:PORT."""

    workdir: Path
    binary: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def rules_path(self) -> Path:
        return self.workdir / "rules.yml"

    @property
    def log_path(self) -> Path:
        return self.workdir / "prometheus.log"

    def start(self, rules: str, timeout: float = 30.0) -> None:
        self.set_rules(rules)
        config = self.workdir / "prometheus.yml"
        config.write_text(CONFIG.format(rules=self.rules_path))
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                self.binary, f"--config.file={config}", f"--storage.tsdb.path={self.workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-lifecycle",
            ],
            cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_for(lambda: requests.get(self.url + "/-/ready", timeout=2).status_code == 200, timeout)

    def set_rules(self, rules: str) -> None:
        self.rules_path.write_text(rules)

    def reload(self) -> None:
        """Read the config and rule files again (the rules' alerts are re-evaluated from then on)."""
        answer = requests.post(self.url + "/-/reload", timeout=10)
        assert answer.status_code == 200, answer.text

    def alerts(self) -> list[dict[str, Any]]:
        answer = requests.get(self.url + "/api/v1/alerts", timeout=5)
        answer.raise_for_status()
        return list(answer.json()["data"]["alerts"])

    def states(self) -> dict[str, str]:
        """alertname -> state of every listed alert."""
        return {a["labels"]["alertname"]: a["state"] for a in self.alerts()}

    def wait_for(self, check: Callable[[], bool], timeout: float = 30.0) -> None:
        """Until `check()` holds (its errors count as not yet), or fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if check():
                    return
            except (requests.RequestException, KeyError, ValueError):
                pass
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"Prometheus exited with status {self.proc.returncode} ({self.log_path})")
            if time.monotonic() > deadline:
                raise AssertionError(f"Prometheus: condition not met within {timeout:g} s ({self.log_path})")
            time.sleep(0.1)

    def stop(self) -> None:
        stop_process(self.proc, self._log, grace_s=20)
        self._log = None


@pytest.fixture(scope="session")
def prometheus_binary() -> str:
    found = shutil.which("prometheus")
    if found is None:
        skip_or_fail(PROMETHEUS_MISSING)
        raise AssertionError("unreachable")
    return found


@pytest.fixture
def prometheus(prometheus_binary: str, tmp_path: Path) -> Iterator[Prometheus]:
    """A fresh Prometheus for one test, with FIRING_RULES; `.url`, `.set_rules()`, `.reload()`."""
    workdir = tmp_path / "prometheus"
    workdir.mkdir()
    server = Prometheus(workdir, prometheus_binary)
    server.start(FIRING_RULES)
    try:
        yield server
    finally:
        server.stop()
