"""Nagios Core 4's statusjson.cgi: the pure parse of recorded answers (written to Nagios's source), and
the real fetch() over HTTP with basic auth against a local server that answers like statusjson,
including a Nagios daemon that stopped updating its status, and `poll --once` end to end."""

from __future__ import annotations

import base64
import copy
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.severity import Severity
from noc_console.sources import NagiosSource, SourceAuthError, SourceConfig, SourceError, SourceShapeError
from noc_console.sources.nagios import CGI_PATH, STALE_STATUS_S, check_fresh, daemon_times, parse
from tests.cli.helpers import run_cli
from tests.paging.vendor_server import Recorded, Reply, VendorServer, vendor_server

DATA = Path(__file__).resolve().parents[1] / "data" / "nagios"
PASSWORD = "test-only-password"
UPDATED = datetime.fromtimestamp(1795838395, UTC)  # last_data_update of the recorded answers


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def test_parse_service_problems() -> None:
    alerts = {a.fingerprint: a for a in parse(recorded("servicelist.json"), kind="service", source="nagios")}
    assert set(alerts) == {
        "service:web-1/HTTPS",
        "service:web-1/Disk /var",
        "service:db-1/Load",
    }  # soft one out
    https = alerts["service:web-1/HTTPS"]
    assert https.severity is Severity.CRITICAL
    assert https.summary.startswith("HTTPS on web-1: HTTP CRITICAL: HTTP/1.1 503 Service Unavailable")
    assert https.description.endswith("upstream: checkout-api timed out")
    assert https.starts_at == datetime.fromtimestamp(1795838220, UTC)  # the hard state change, from ms
    assert https.labels == {
        "host": "web-1",
        "state": "CRITICAL",
        "description": "HTTPS",
        "alertname": "HTTPS",
    }
    assert https.service is None and not https.suppressed
    assert alerts["service:web-1/Disk /var"].inhibited  # acknowledged in Nagios
    assert alerts["service:db-1/Load"].silenced  # in a scheduled downtime


def test_parse_host_problems_and_service_label_host() -> None:
    alerts = {a.fingerprint: a for a in parse(recorded("hostlist.json"), kind="host", source="nagios",
                                               service_label="host")}  # fmt: skip
    assert alerts["host:edge-1"].severity is Severity.CRITICAL
    assert alerts["host:edge-1"].summary == "edge-1: PING CRITICAL - Packet loss = 100%"
    assert (alerts["host:branch-7"].severity, alerts["host:branch-7"].summary) == (
        Severity.MAJOR,
        "branch-7: UNREACHABLE",
    )
    assert alerts["host:edge-1"].service == "edge-1"


def test_a_refused_query_is_an_error_naming_what_nagios_said() -> None:
    with pytest.raises(SourceError, match="refused the query: The servicestatus option value"):
        parse(recorded("refused.json"), kind="service", source="nagios")


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda p: p.pop("result"), "servicelist: expected an object with a result"),
        (lambda p: p["data"].update(servicelist=[]), "servicelist.data.servicelist: expected an object"),
        (lambda p: p["data"]["servicelist"].update({"web-1": 3}), "servicelist.web-1: expected an object"),
        (lambda p: p["data"]["servicelist"]["web-1"]["HTTPS"].update(status="16"),
         "HTTPS.status: expected a number"),
        (lambda p: p["data"]["servicelist"]["web-1"]["HTTPS"].update(last_hard_state_change="x"),
         "HTTPS.last_hard_state_change: expected milliseconds"),
        (lambda p: p["data"]["servicelist"]["web-1"].update(HTTPS="critical"),
         "HTTPS: expected an object \\(ask with details=true\\)"),
    ],
)  # fmt: skip
def test_shape_errors_name_the_field(mutate: Any, where: str) -> None:
    payload = copy.deepcopy(recorded("servicelist.json"))
    mutate(payload)
    with pytest.raises(SourceShapeError, match=where):
        parse(payload, kind="service", source="nagios")


def test_old_status_data_means_the_daemon_stopped() -> None:
    started, updated = daemon_times(recorded("servicelist.json"), source="nagios")
    assert (started, updated) == (datetime.fromtimestamp(1795820000, UTC), UPDATED)
    check_fresh(updated, UPDATED + timedelta(seconds=STALE_STATUS_S), source="nagios")
    with pytest.raises(SourceError, match="Nagios status data is 3 min old"):
        check_fresh(updated, UPDATED + timedelta(minutes=3), source="nagios")


def nagios(server: VendorServer, behind: timedelta = timedelta(seconds=5)) -> None:
    """Answer like statusjson.cgi behind Apache's basic auth (at /<anything>/cgi-bin/statusjson.cgi),
    with status data `behind` the server's clock (its Date header): a live daemon writes it every 10 s."""
    good = "Basic " + base64.b64encode(f"noc-reader:{PASSWORD}".encode()).decode()

    def reply(request: Recorded) -> Reply:
        if request.headers.get("authorization") != good:
            return Reply(401, "Authorization Required", {"WWW-Authenticate": 'Basic realm="Nagios Access"'})
        if not request.path.endswith(CGI_PATH):
            return Reply(404, "Not Found")
        query = request.query.get("query")
        if query == ["servicelist"] and request.query.get("servicestatus") == ["warning critical unknown"]:
            payload = recorded("servicelist.json")
        elif query == ["hostlist"] and request.query.get("hoststatus") == ["down unreachable"]:
            payload = recorded("hostlist.json")
        else:
            return Reply(200, recorded("refused.json"))
        payload["result"]["last_data_update"] = round((time.time() - behind.total_seconds()) * 1000)
        return Reply(200, payload)

    server.default = reply


def source_config(url: str) -> SourceConfig:
    return SourceConfig("nagios", "nagios", url, timeout_s=2, username="noc-reader")


def test_fetch_over_http_with_basic_auth() -> None:
    with vendor_server() as server, requests.Session() as session:
        nagios(server)
        snapshot = NagiosSource(source_config(server.url + "/nagios4"), PASSWORD).fetch(
            session, datetime.now(UTC)
        )
        assert {r.path for r in server.requests} == {"/nagios4" + CGI_PATH}
        assert {r.query["query"][0] for r in server.requests} == {"servicelist", "hostlist"}
        assert all(r.query["details"] == ["true"] for r in server.requests)
    assert len(snapshot.alerts) == 5
    assert snapshot.source_started_at == datetime.fromtimestamp(1795820000, UTC)


def test_a_wrong_password_and_a_stopped_daemon_fail_loudly() -> None:
    with vendor_server() as server, requests.Session() as session:
        nagios(server)
        with pytest.raises(SourceAuthError):
            NagiosSource(source_config(server.url), "not-it").fetch(session, UPDATED)
        # the daemon stopped ten minutes ago; the web server still answers from the file it left behind
        nagios(server, behind=timedelta(minutes=10))
        with pytest.raises(SourceError, match="10 min old"):
            NagiosSource(source_config(server.url), PASSWORD).fetch(session, UPDATED)


def test_poll_once_opens_incidents_from_nagios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_NAGIOS", PASSWORD)
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    with vendor_server() as server:
        nagios(server)
        config = tmp_path / "noc.toml"
        config.write_text(
            f'[[sources]]\nname = "nagios"\ntype = "nagios"\nurl = "{server.url}"\nusername = "noc-reader"\n'
            'service_label = "host"\n'
        )
        polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
        assert polled.returncode == 0, polled.stderr
    # web-1's HTTPS (its Disk is acknowledged), edge-1 and branch-7 open incidents; db-1's Load is in a
    # downtime and its PostgreSQL only soft
    shown = json.loads(run_cli("--db", db, "--config", str(config), "incidents", "--json").stdout)
    assert sorted((i["service"], i["severity"]) for i in shown) == [
        ("branch-7", "major"), ("edge-1", "critical"), ("web-1", "critical"),
    ]  # fmt: skip
