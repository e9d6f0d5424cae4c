"""Grafana unified alerting through the real `fetch()` over HTTP: Grafana's paths, its service-account
token as `Authorization: Bearer` (or basic auth), its answers read by the Alertmanager parser, and the
command line's `poll --once` opening incidents from it."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.config import parse_config
from noc_console.domain.severity import Severity
from noc_console.sources import (
    GrafanaSource,
    SourceAuthError,
    SourceConfig,
    SourceCredentialError,
    make_source,
)
from tests.cli.helpers import run_cli
from tests.paging.vendor_server import Recorded, Reply, VendorServer, vendor_server

DATA = Path(__file__).resolve().parents[1] / "data" / "grafana"
TOKEN = "glsa_testTokenOnly_0123456789abcdef"  # a made-up service-account token
ALERTS_PATH = "/api/alertmanager/grafana/api/v2/alerts"
STATUS_PATH = "/api/alertmanager/grafana/api/v2/status"
NOW = datetime(2026, 11, 27, 12, 10, 30, tzinfo=UTC)


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text())


def grafana(server: VendorServer, token: str = TOKEN) -> None:
    """Answer like Grafana: 401 without the token (or the right basic auth), the alerts as the filters
    ask (the silenced one only with `silenced=true`), the status with its uptime."""
    basic = "Basic " + base64.b64encode(b"noc-reader:s3cret").decode()

    def reply(request: Recorded) -> Reply:
        if request.headers.get("authorization") not in (f"Bearer {token}", basic):
            return Reply(
                401, {"message": "Unauthorized", "messageId": "auth.unauthorized", "statusCode": 401}
            )
        if request.path == STATUS_PATH:
            return Reply(200, recorded("status.json"))
        if request.path != ALERTS_PATH:
            return Reply(404, {"message": "Not found"})
        silenced = request.query.get("silenced") == ["true"]
        active = request.query.get("active") != ["false"]
        alerts = [
            a
            for a in recorded("alerts.json")
            if (a["status"]["state"] == "active" and active) or (a["status"]["silencedBy"] and silenced)
        ]
        return Reply(200, alerts)

    server.default = reply


def source_config(url: str, **kwargs: Any) -> SourceConfig:
    return SourceConfig("grafana-prod", "grafana", url, timeout_s=2, **kwargs)


def test_fetch_reads_grafanas_alertmanager_with_the_token() -> None:
    with vendor_server() as server, requests.Session() as session:
        grafana(server)
        snapshot = GrafanaSource(source_config(server.url), token=TOKEN).fetch(session, NOW)
        paths = {r.path for r in server.requests}
        assert paths == {ALERTS_PATH, STATUS_PATH}
        assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {TOKEN}"}
    by_name = {a.name: a for a in snapshot.alerts}
    bgp = by_name["BGPSessionDown"]
    assert (bgp.severity, bgp.service, bgp.fingerprint) == (
        Severity.CRITICAL,
        "core-router",
        "a7c3e1f09b2d4c55",
    )
    assert bgp.summary == "BGP session down: ams-edge-1 to AS1299"
    assert bgp.starts_at == datetime(2026, 11, 27, 12, 3, tzinfo=UTC) and not bgp.silenced
    disk = by_name["DiskAlmostFull"]  # held back by a silence: seen, flagged, opens nothing
    assert disk.silenced and disk.severity is Severity.WARNING
    assert snapshot.source_started_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_basic_auth_when_the_source_names_a_user() -> None:
    with vendor_server() as server, requests.Session() as session:
        grafana(server)
        config = source_config(server.url, username="noc-reader")
        snapshot = make_source(config, {"source:grafana-prod": "s3cret"}.__getitem__).fetch(session, NOW)
        assert {r.headers["authorization"][:6] for r in server.requests} == {"Basic "}
    assert len(snapshot.alerts) == 2


def test_a_wrong_token_is_an_auth_error_that_never_shows_the_token() -> None:
    source = GrafanaSource(source_config("http://127.0.0.1:9"), token=TOKEN)
    assert TOKEN not in repr(source)
    with vendor_server() as server, requests.Session() as session:
        grafana(server, token="glsa_theOtherToken")
        wrong = GrafanaSource(source_config(server.url), token=TOKEN)
        with pytest.raises(SourceAuthError) as failed:
            wrong.fetch(session, NOW)
    assert "401" in str(failed.value) and TOKEN not in str(failed.value)


def test_a_grafana_source_needs_its_token() -> None:
    with pytest.raises(SourceCredentialError, match="source:grafana-prod"):
        make_source(source_config("http://127.0.0.1:9"), None)


def test_the_config_accepts_a_grafana_source() -> None:
    config = parse_config(
        {"sources": [{"name": "grafana-prod", "type": "grafana", "url": "https://grafana.example:3000"}]}
    )
    (source,) = config.sources
    assert (source.type, source.credential_name) == ("grafana", "source:grafana-prod")


def test_poll_once_opens_incidents_from_grafana(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line, end to end: the token from the environment, the firing alert an incident, the
    silenced one none."""
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_GRAFANA_PROD", TOKEN)
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    with vendor_server() as server:
        grafana(server)
        config = tmp_path / "noc.toml"
        config.write_text(f'[[sources]]\nname = "grafana-prod"\ntype = "grafana"\nurl = "{server.url}"\n')
        polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
        assert polled.returncode == 0, polled.stderr
        assert len(json.loads(polled.stdout)["opened"]) == 1
    shown = run_cli("--db", db, "--config", str(config), "incidents", "--json")
    (incident,) = json.loads(shown.stdout)
    assert (incident["severity"], incident["service"], incident["source"]) == (
        "critical",
        "core-router",
        "grafana-prod",
    )
