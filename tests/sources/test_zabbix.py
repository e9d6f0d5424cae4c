"""Zabbix: the pure parse of problem.get and trigger.get results, and the real fetch() over HTTP against
a local server that speaks Zabbix's JSON-RPC exactly as documented: an API token as
`Authorization: Bearer` (never the old `auth` member), `user.login` with the right parameter and the
session where each version wants it, a session that ended, and `poll --once` end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.severity import Severity
from noc_console.sources import SourceAuthError, SourceConfig, SourceShapeError, ZabbixSource, make_source
from noc_console.sources.base import SourceError
from noc_console.sources.zabbix import API_PATH, parse, rpc_result
from tests.cli.helpers import run_cli
from tests.paging.vendor_server import Recorded, Reply, VendorServer, vendor_server

DATA = Path(__file__).resolve().parents[1] / "data" / "zabbix"
TOKEN = "b2f1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345"  # made up
PASSWORD = "test-only-password"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text())["result"]


def test_parse_problems_with_their_hosts_and_tags() -> None:
    alerts = {
        a.fingerprint: a
        for a in parse(recorded("problem.get.json"), recorded("trigger.get.json"), source="zbx")
    }
    agent = alerts["event:9123456"]
    assert (agent.severity, agent.service, agent.labels["host"]) == (Severity.MAJOR, "payments", "DB 1")
    assert agent.summary == "Zabbix agent is not available (for 3m) on DB 1"
    assert agent.starts_at == datetime.fromtimestamp(1795836000, UTC) and not agent.suppressed
    cpu = alerts["event:9123460"]
    assert (cpu.severity, cpu.service, cpu.description) == (
        Severity.WARNING,
        "checkout",
        "Current utilization: 97.12 %",
    )
    assert cpu.inhibited  # acknowledged in Zabbix
    disk = alerts["event:9123477"]
    assert disk.severity is Severity.CRITICAL and disk.silenced and disk.service is None  # in a maintenance


@pytest.mark.parametrize(
    ("code", "severity"), [("0", Severity.INFO), ("1", Severity.INFO), ("3", Severity.MINOR)]
)
def test_severity_codes(code: str, severity: Severity) -> None:
    problem = {**recorded("problem.get.json")[0], "severity": code}
    (alert,) = parse([problem], [], source="zbx")
    assert alert.severity is severity and "host" not in alert.labels


@pytest.mark.parametrize(
    ("problems", "where"),
    [
        ({}, "problem.get: expected a list"),
        ([3], r"problem.get\[0\]: expected an object"),
        ([{"eventid": 1}], r"problem.get\[0\].eventid: expected a string"),
        (
            [{"eventid": "1", "name": "x", "severity": "high", "clock": "1"}],
            r"problem.get\[0\].severity: 'high'",
        ),
        ([{"eventid": "1", "name": "x", "severity": "2", "clock": "-5"}], r"problem.get\[0\].clock"),
    ],
)
def test_shape_errors_name_the_field(problems: object, where: str) -> None:
    with pytest.raises(SourceShapeError, match=where):
        parse(problems, [], source="zbx")


def test_errors_say_what_zabbix_said() -> None:
    with pytest.raises(SourceAuthError, match="Not authorized"):
        rpc_result({"error": {"code": -32602, "message": "Invalid params.", "data": "Not authorized."}},
                   source="zbx", method="problem.get")  # fmt: skip
    with pytest.raises(SourceError, match=r"Zabbix said: Invalid params\. Incorrect method"):
        rpc_result({"error": {"code": -32602, "message": "Invalid params.", "data": "Incorrect method"}},
                   source="zbx", method="x.get")  # fmt: skip


def error(data: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params.", "data": data}, "id": 1}


class FakeZabbix:
    """Zabbix's JSON-RPC as documented, for one `version`: tokens and sessions in the Bearer header
    from 6.4 (7.2 refuses `auth`), sessions in `auth` before; user.login's `username` from 5.4."""

    def __init__(self, server: VendorServer, version: str = "7.0.5") -> None:
        self.version = version
        self.sessions: set[str] = set()
        self.logins = 0
        server.default = self.reply

    def major_minor(self) -> tuple[int, int]:
        major, minor = self.version.split(".")[:2]
        return int(major), int(minor)

    def reply(self, request: Recorded) -> Reply:
        if request.method != "POST" or request.path != API_PATH:
            return Reply(404, "Not Found")
        assert request.headers["content-type"] == "application/json-rpc"
        body = request.json()
        answer: dict[str, Any]
        method, params = body["method"], body["params"]
        if method == "apiinfo.version":
            answer = {"jsonrpc": "2.0", "result": self.version, "id": body["id"]}
        elif method == "user.login":
            key = "username" if self.major_minor() >= (5, 4) else "user"
            if params.get(key) != "noc-reader" or params.get("password") != PASSWORD:
                answer = error("Incorrect user name or password or account is temporarily blocked.")
            else:
                self.logins += 1
                session = f"session-{self.logins:04d}"
                self.sessions.add(session)
                answer = {"jsonrpc": "2.0", "result": session, "id": body["id"]}
        else:
            answer = self._signed(request, body)
        return Reply(200, answer, {"Content-Type": "application/json"})

    def _signed(self, request: Recorded, body: dict[str, Any]) -> dict[str, Any]:
        header = request.headers.get("authorization", "")
        if "auth" in body and self.major_minor() >= (7, 2):
            return error('Invalid parameter "/": unexpected parameter "auth".')
        credential = header.removeprefix("Bearer ") if header else body.get("auth")
        if self.major_minor() < (6, 4) and header and credential != TOKEN:
            credential = None  # before 6.4 a session in the header is not read
        if credential != TOKEN and credential not in self.sessions:
            return error("Session terminated, re-login, please." if credential else "Not authorized.")
        if body["method"] == "problem.get":
            return {"jsonrpc": "2.0", "result": recorded("problem.get.json"), "id": body["id"]}
        assert body["params"]["triggerids"] == ["23661", "23702"]
        return {"jsonrpc": "2.0", "result": recorded("trigger.get.json"), "id": body["id"]}


def config(url: str, username: str | None = None) -> SourceConfig:
    return SourceConfig("zabbix", "zabbix", url, timeout_s=2, username=username)


def test_an_api_token_goes_in_the_bearer_header_only() -> None:
    with vendor_server() as server, requests.Session() as session:
        FakeZabbix(server, "7.2.1")  # refuses the old auth member
        snapshot = ZabbixSource(config(server.url), TOKEN).fetch(session, NOW)
        methods = [r.json()["method"] for r in server.requests]
        assert methods == ["problem.get", "trigger.get"]
        assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
        assert all("auth" not in r.json() for r in server.requests)
    assert len(snapshot.alerts) == 3


@pytest.mark.parametrize(
    ("version", "login_key", "in_header"),
    [("7.0.5", "username", True), ("6.0.25", "username", False), ("5.0.30", "user", False)],
)
def test_a_user_signs_in_once_the_way_its_version_wants(
    version: str, login_key: str, in_header: bool
) -> None:
    with vendor_server() as server, requests.Session() as session:
        fake = FakeZabbix(server, version)
        source = make_source(config(server.url, "noc-reader"), {"source:zabbix": PASSWORD}.__getitem__)
        source.fetch(session, NOW)
        source.fetch(session, NOW)  # the session is kept
        assert fake.logins == 1
        login = next(r.json() for r in server.requests if r.json()["method"] == "user.login")
        assert login_key in login["params"] and "auth" not in login
        reads = [r for r in server.requests if r.json()["method"] == "problem.get"]
        assert all(("authorization" in r.headers) is in_header for r in reads)
        assert all(("auth" in r.json()) is not in_header for r in reads)


def test_an_ended_session_signs_in_again_once() -> None:
    with vendor_server() as server, requests.Session() as session:
        fake = FakeZabbix(server)
        source = ZabbixSource(config(server.url, "noc-reader"), PASSWORD)
        source.fetch(session, NOW)
        fake.sessions.clear()  # Zabbix restarted, or the session timed out
        assert len(source.fetch(session, NOW).alerts) == 3
        assert fake.logins == 2


def test_a_wrong_token_is_an_auth_error_that_never_shows_it() -> None:
    source = ZabbixSource(config("http://127.0.0.1:9"), TOKEN)
    assert TOKEN not in repr(source)
    with vendor_server() as server, requests.Session() as session:
        FakeZabbix(server)
        with pytest.raises(SourceAuthError) as failed:
            ZabbixSource(config(server.url), "not-the-token").fetch(session, NOW)
        with pytest.raises(SourceError, match="Incorrect user name or password"):
            ZabbixSource(config(server.url, "noc-reader"), "wrong").fetch(session, NOW)
    assert "not-the-token" not in str(failed.value)


def test_poll_once_opens_incidents_from_zabbix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_ZABBIX", TOKEN)
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    with vendor_server() as server:
        FakeZabbix(server)
        path = tmp_path / "noc.toml"
        path.write_text(f'[[sources]]\nname = "zabbix"\ntype = "zabbix"\nurl = "{server.url}"\n')
        polled = run_cli("--db", db, "--config", str(path), "poll", "--once", "--json")
        assert polled.returncode == 0, polled.stderr
    shown = json.loads(run_cli("--db", db, "--config", str(path), "incidents", "--json").stdout)
    # the acknowledged and the suppressed problems open nothing
    assert [(i["service"], i["severity"]) for i in shown] == [("payments", "major")]
