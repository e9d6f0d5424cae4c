"""A real Icinga 2 for the tests (Debian's icinga2), a pytest plugin like tests.servers.

Each test gets its own: a CA and a certificate made with `icinga2 pki` in a private directory, a config
of its own (every path defined on the command line, so nothing under /etc or /var is touched), the API
on a free port of 127.0.0.1, an API user. Objects take no active checks: `set_state()` posts a check
result (`/v1/actions/process-check-result`), and one attempt makes a state hard.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from tests.servers import free_port, skip_or_fail, stop_process

ICINGA2_MISSING = "icinga2 is not installed (apt-get install icinga2)"
API_USER, API_PASSWORD = "noc-reader", "test-only-password"
NODE = "localhost"  # the certificate's name, so that TLS verification of https://localhost passes
CLIENT = "noc-console-client"  # the client certificate's name: the ApiUser "noc-by-certificate" is it

CONFIG = """
const PluginDir = "/usr/lib/nagios/plugins"
const NodeName = "{node}"
const ZoneName = "{node}"
include <itl>
object Endpoint NodeName {{}}
object Zone ZoneName {{ endpoints = [ NodeName ] }}
object ApiListener "api" {{
  bind_host = "127.0.0.1"
  bind_port = {port}
  accept_config = false
  accept_commands = true
}}
object ApiUser "{user}" {{ password = "{password}", permissions = [ "*" ] }}
object ApiUser "noc-by-certificate" {{
  client_cn = "{client}"
  permissions = [ "objects/query/*", "status/query" ]
}}
template Host "noc-test-host" {{
  check_command = "dummy"
  enable_active_checks = false
  max_check_attempts = 1
}}
template Service "noc-test-service" {{
  check_command = "dummy"
  enable_active_checks = false
  max_check_attempts = 1
}}
{objects}
"""


@dataclass
class Icinga2:
    """A running Icinga 2 with its API on https://localhost:PORT (verified against `ca_file`)."""

    workdir: Path
    objects: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://{NODE}:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.workdir / "lib" / "certs" / "ca.crt"

    @property
    def client_cert(self) -> Path:
        """A client certificate signed by the CA, for the ApiUser that authenticates by certificate."""
        return self.workdir / "client" / f"{CLIENT}.crt"

    @property
    def client_key(self) -> Path:
        return self.workdir / "client" / f"{CLIENT}.key"

    @property
    def log_path(self) -> Path:
        return self.workdir / "icinga2.log"

    def _defines(self) -> list[str]:
        d = self.workdir
        return [
            f"-DConfigDir={d / 'etc'}", f"-DDataDir={d / 'lib'}", f"-DLogDir={d / 'log'}",
            f"-DCacheDir={d / 'cache'}", f"-DSpoolDir={d / 'spool'}", f"-DInitRunDir={d / 'run'}",
            "-DRunAsUser=root", "-DRunAsGroup=root",
        ]  # fmt: skip

    def _pki(self, *args: str) -> None:
        subprocess.run(
            ["icinga2", "pki", *args, *self._defines()],
            check=True, cwd=self.workdir, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
        )  # fmt: skip

    def start(self, timeout: float = 30.0) -> None:
        for name in ("etc", "lib/certs", "log", "cache", "spool", "run"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        certs = self.workdir / "lib" / "certs"
        if not self.ca_file.exists():
            self._pki("new-ca")
            key, csr, crt = (certs / f"{NODE}.{ext}" for ext in ("key", "csr", "crt"))
            self._pki("new-cert", "--cn", NODE, "--key", str(key), "--csr", str(csr))
            self._pki("sign-csr", "--csr", str(csr), "--cert", str(crt))
            shutil.copy(self.workdir / "lib" / "ca" / "ca.crt", self.ca_file)
            self.client_cert.parent.mkdir()
            csr = self.client_cert.with_suffix(".csr")
            self._pki("new-cert", "--cn", CLIENT, "--key", str(self.client_key), "--csr", str(csr))
            self._pki("sign-csr", "--csr", str(csr), "--cert", str(self.client_cert))
        config = self.workdir / "etc" / "icinga2.conf"
        config.write_text(
            CONFIG.format(
                node=NODE,
                port=self.port,
                user=API_USER,
                password=API_PASSWORD,
                client=CLIENT,
                objects=self.objects,
            )
        )
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            ["icinga2", "daemon", "-c", str(config), *self._defines()],
            cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.api("GET", "/v1/status/IcingaApplication").status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Icinga 2 did not start on {self.url} (log: {self.log_path})")
            time.sleep(0.1)

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return requests.request(
            method, self.url + path, json=body, auth=(API_USER, API_PASSWORD), verify=str(self.ca_file),
            headers={"Accept": "application/json"}, timeout=10,
        )  # fmt: skip

    def set_state(self, host: str, service: str | None, exit_status: int, output: str) -> None:
        """One check result: with max_check_attempts 1, the state is hard at once."""
        if service is None:
            target = {"type": "Host", "filter": f'host.name=="{host}"'}
        else:
            target = {"type": "Service", "filter": f'host.name=="{host}" && service.name=="{service}"'}
        answer = self.api(
            "POST",
            "/v1/actions/process-check-result",
            {**target, "exit_status": exit_status, "plugin_output": output},
        )
        assert answer.status_code == 200, answer.text

    def acknowledge(self, host: str, service: str, comment: str = "on it") -> None:
        answer = self.api(
            "POST",
            "/v1/actions/acknowledge-problem",
            {
                "type": "Service",
                "filter": f'host.name=="{host}" && service.name=="{service}"',
                "author": "icinga-admin",
                "comment": comment,
            },
        )
        assert answer.status_code == 200, answer.text

    def stop(self) -> None:
        stop_process(self.proc, self._log, grace_s=20)
        self._log = None


# Three hosts, two services each with a NOC service name, and one service with none.
OBJECTS = """
object Host "web-1" { import "noc-test-host"; address = "127.0.0.1"; display_name = "Web 1" }
object Host "db-1" { import "noc-test-host"; address = "127.0.0.1" }
object Host "edge-1" { import "noc-test-host"; address = "127.0.0.1"; vars.service = "core-router" }
object Service "https" { import "noc-test-service"; host_name = "web-1"; display_name = "HTTPS";
  vars.service = "checkout" }
object Service "postgres" { import "noc-test-service"; host_name = "db-1"; vars.service = "payments";
  vars.severity = "major" }
object Service "ntp" { import "noc-test-service"; host_name = "db-1" }
"""


@pytest.fixture(scope="session")
def icinga2_binary() -> str:
    found = shutil.which("icinga2")
    if found is None:
        skip_or_fail(ICINGA2_MISSING)
        raise AssertionError("unreachable")
    return found


@pytest.fixture
def icinga2(icinga2_binary: str, tmp_path: Path) -> Iterator[Icinga2]:
    """A fresh Icinga 2 for one test, with OBJECTS; `.url`, `.ca_file`, `.set_state()`, `.acknowledge()`."""
    workdir = tmp_path / "icinga2"
    workdir.mkdir()
    server = Icinga2(workdir, OBJECTS)
    server.start()
    try:
        yield server
    finally:
        server.stop()
