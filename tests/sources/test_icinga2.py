"""Icinga 2: the pure parse of its objects' answers, and the real fetch() against a real Icinga 2 over
verified TLS: a service or host problem set at the server becomes an alert, an acknowledged one is held
back, and `poll --once` opens and resolves incidents from it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.config import load_config
from noc_console.domain.severity import Severity
from noc_console.sources import (
    Icinga2Source,
    SourceAuthError,
    SourceConfig,
    SourceShapeError,
    SourceUnreachable,
    make_source,
)
from noc_console.sources.base import Answer, SourceHTTPError
from noc_console.sources.icinga2 import objects_of, parse, parse_started_at
from tests.cli.helpers import run_cli
from tests.icinga_server import API_PASSWORD, API_USER, Icinga2

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def service(name: str = "web-1!https", state: int = 2, **attrs: Any) -> dict[str, Any]:
    host, _, short = name.partition("!")
    base = {
        "name": short, "display_name": short.upper(), "host_name": host, "state": state, "state_type": 1,
        "last_hard_state_change": 1795833600.5, "acknowledgement": 0, "downtime_depth": 0,
        "vars": {"service": "checkout"},
        "last_check_result": {"output": "HTTP CRITICAL: 503 Service Unavailable\nbody: upstream timeout",
                              "execution_end": 1795833601.25},
    }  # fmt: skip
    base.update(attrs)
    return {"name": name, "type": "Service", "attrs": base, "joins": {"host": {"display_name": "Web 1"}}}


def test_parse_a_service_problem() -> None:
    (alert,) = parse({"results": [service()]}, kind="service", source="icinga")
    assert alert.fingerprint == "service:web-1!https"
    assert (alert.severity, alert.service) == (Severity.CRITICAL, "checkout")
    assert alert.summary == "HTTPS on Web 1: HTTP CRITICAL: 503 Service Unavailable"
    assert alert.description.endswith("upstream timeout")
    assert alert.labels["host"] == "web-1" and alert.labels["state"] == "CRITICAL"
    assert alert.starts_at == datetime.fromtimestamp(1795833600.5, UTC)
    assert not alert.suppressed


@pytest.mark.parametrize(
    ("state", "severity"),
    [(1, Severity.WARNING), (2, Severity.CRITICAL), (3, Severity.MINOR), (7, Severity.WARNING)],
)
def test_service_states_map_to_severities(state: int, severity: Severity) -> None:
    (alert,) = parse({"results": [service(state=state, vars=None)]}, kind="service", source="icinga")
    assert alert.severity is severity and alert.service is None


def test_a_severity_variable_overrides_the_state() -> None:
    payload = {"results": [service(vars={"severity": "major", "service": "payments"})]}
    (alert,) = parse(payload, kind="service", source="icinga")
    assert (alert.severity, alert.service) == (Severity.MAJOR, "payments")


def test_ok_soft_and_unchecked_objects_are_no_problem() -> None:
    payload = {
        "results": [
            service(state=0),
            service(state_type=0),
            service(last_check_result=None),
        ]
    }
    assert parse(payload, kind="service", source="icinga") == []


def test_acknowledged_and_downtime_problems_are_held_back() -> None:
    payload = {"results": [service("a!x", acknowledgement=1), service("b!y", downtime_depth=1)]}
    acked, down = parse(payload, kind="service", source="icinga")
    assert acked.inhibited and not acked.silenced
    assert down.silenced and not down.inhibited


def test_a_host_down_is_critical() -> None:
    host = {"name": "edge-1", "type": "Host", "attrs": {
        "name": "edge-1", "display_name": "edge-1", "state": 1, "state_type": 1, "last_hard_state_change": 0,
        "acknowledgement": 0, "downtime_depth": 0, "vars": {"service": "core-router"},
        "last_check_result": {"output": "PING CRITICAL - Packet loss = 100%", "execution_end": 1795833601.0},
    }}  # fmt: skip
    (alert,) = parse({"results": [host]}, kind="host", source="icinga")
    assert (alert.fingerprint, alert.severity, alert.service) == (
        "host:edge-1",
        Severity.CRITICAL,
        "core-router",
    )
    assert alert.summary == "edge-1: PING CRITICAL - Packet loss = 100%"
    assert alert.starts_at == datetime.fromtimestamp(1795833601.0, UTC)  # no hard change known: the check


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ([], "services: expected an object"),
        ({"results": [1]}, "services.results[0]: expected an object with attrs"),
        ({"results": [service(state="2")]}, "services.results[0].attrs.state: expected a number"),
        ({"results": [service(last_check_result="x")]}, "last_check_result: expected an object or null"),
        ({"results": [service(vars=["x"])]}, "services.results[0].attrs.vars"),
        ({"results": [service(last_hard_state_change=1e300)]}, "last_hard_state_change"),
        ({"results": [{"name": "", "attrs": {"state": 2}}]}, "services.results[0].name"),
    ],
)
def test_shape_errors_name_the_field(payload: object, where: str) -> None:
    with pytest.raises(SourceShapeError, match=where.replace("[", r"\[").replace("]", r"\]")):
        parse(payload, kind="service", source="icinga")


def test_no_objects_is_an_empty_list_and_another_404_an_error() -> None:
    empty = Answer(b'{"error":404,"status":"No objects found."}', "d", status=404)
    assert parse(objects_of(empty, "service", "icinga"), kind="service", source="icinga") == []
    with pytest.raises(SourceHTTPError, match="404"):
        objects_of(Answer(b"<html>Not Found</html>", "d", status=404), "service", "icinga")


def test_parse_started_at() -> None:
    payload = {"results": [{"status": {"icingaapplication": {"app": {"program_start": 1795834615.625}}}}]}
    assert parse_started_at(payload, source="icinga") == datetime.fromtimestamp(1795834615.625, UTC)
    with pytest.raises(SourceShapeError, match="program_start"):
        parse_started_at({"results": [{"status": {"icingaapplication": {"app": {}}}}]}, source="icinga")


# --- the real Icinga 2 ---------------------------------------------------------------------------


def source_config(server: Icinga2, **kwargs: Any) -> SourceConfig:
    return SourceConfig(
        "icinga", "icinga2", server.url, timeout_s=5, username=API_USER, ca_file=str(server.ca_file), **kwargs
    )


def fetch(server: Icinga2, **kwargs: Any) -> Any:
    source = make_source(source_config(server, **kwargs), {"source:icinga": API_PASSWORD}.__getitem__)
    with requests.Session() as session:
        return source.fetch(session, NOW)


def test_real_problems_become_alerts_over_verified_tls(icinga2: Icinga2) -> None:
    assert fetch(icinga2).alerts == ()  # nothing checked yet: no problem, and no error for "no objects"
    icinga2.set_state("web-1", "https", 2, "HTTP CRITICAL: 503 Service Unavailable")
    icinga2.set_state("db-1", "postgres", 1, "POSTGRES WARNING: 80 connections")
    icinga2.set_state("edge-1", None, 1, "PING CRITICAL - Packet loss = 100%")
    icinga2.set_state("db-1", "ntp", 0, "NTP OK")
    snapshot = fetch(icinga2)
    by_fingerprint = {a.fingerprint: a for a in snapshot.alerts}
    assert set(by_fingerprint) == {"service:web-1!https", "service:db-1!postgres", "host:edge-1"}
    https = by_fingerprint["service:web-1!https"]
    assert (https.severity, https.service) == (Severity.CRITICAL, "checkout")
    assert https.summary == "HTTPS on Web 1: HTTP CRITICAL: 503 Service Unavailable"
    assert by_fingerprint["service:db-1!postgres"].severity is Severity.MAJOR  # vars.severity
    assert by_fingerprint["host:edge-1"].service == "core-router"
    assert snapshot.source_started_at is not None and snapshot.source_started_at < datetime.now(UTC)


def test_an_acknowledgement_at_icinga_holds_the_problem_back(icinga2: Icinga2) -> None:
    icinga2.set_state("web-1", "https", 2, "HTTP CRITICAL")
    icinga2.acknowledge("web-1", "https")
    (alert,) = fetch(icinga2).alerts
    assert alert.inhibited


def test_a_wrong_password_and_an_unknown_ca_fail_loudly(icinga2: Icinga2, tmp_path: Path) -> None:
    with requests.Session() as session:
        with pytest.raises(SourceAuthError):
            Icinga2Source(source_config(icinga2), password="not-it").fetch(session, NOW)
        other_ca = tmp_path / "other-ca.crt"
        other_ca.write_text(Path(requests.certs.where()).read_text())  # public CAs, none of them Icinga's
        stranger = Icinga2Source(replace(source_config(icinga2), ca_file=str(other_ca)), API_PASSWORD)
        with pytest.raises(SourceUnreachable, match="TLS verification failed"):
            stranger.fetch(session, NOW)


def test_a_client_certificate_is_the_login_where_icinga_takes_one(icinga2: Icinga2, tmp_path: Path) -> None:
    """An ApiUser with `client_cn`: the certificate alone signs in; without it, no password, no entry."""
    icinga2.set_state("web-1", "https", 2, "HTTP CRITICAL")
    by_certificate = replace(
        source_config(icinga2), username=None, client_cert=str(icinga2.client_cert),
        client_key=str(icinga2.client_key),
    )  # fmt: skip
    with requests.Session() as session:
        (alert,) = Icinga2Source(by_certificate, None).fetch(session, NOW).alerts
        assert alert.fingerprint == "service:web-1!https"
        anonymous = replace(by_certificate, client_cert=None, client_key=None)
        with pytest.raises(SourceAuthError):
            Icinga2Source(anonymous, None).fetch(session, NOW)
    config = tmp_path / "noc.toml"
    config.write_text(
        f'[[sources]]\nname = "icinga"\ntype = "icinga2"\nurl = "{icinga2.url}"\n'
        f'ca_file = "{icinga2.ca_file}"\nclient_cert = "{icinga2.client_cert}"\n'
        f'client_key = "{icinga2.client_key}"\n'
    )
    (loaded,) = load_config(config).sources
    assert loaded.tls_client == (str(icinga2.client_cert), str(icinga2.client_key))


def test_poll_once_opens_and_resolves_incidents_from_a_real_icinga(
    icinga2: Icinga2, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_ICINGA", API_PASSWORD)
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    config = tmp_path / "noc.toml"
    config.write_text(
        f'[[sources]]\nname = "icinga"\ntype = "icinga2"\nurl = "{icinga2.url}"\nusername = "{API_USER}"\n'
        f'ca_file = "{icinga2.ca_file}"\nresolve_after_missed = 1\nresolve_after_s = 0\n'
    )
    icinga2.set_state("web-1", "https", 2, "HTTP CRITICAL: 503 Service Unavailable")
    polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
    assert polled.returncode == 0, polled.stderr
    assert len(json.loads(polled.stdout)["opened"]) == 1
    shown = json.loads(run_cli("--db", db, "--config", str(config), "incidents", "--json").stdout)
    assert [(i["service"], i["severity"], i["source"]) for i in shown] == [("checkout", "critical", "icinga")]
    icinga2.set_state("web-1", "https", 0, "HTTP OK")  # cleared at the source: the incident resolves
    polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
    assert polled.returncode == 0, polled.stderr
    assert len(json.loads(polled.stdout)["resolved"]) == 1
    assert json.loads(run_cli("--db", db, "--config", str(config), "incidents", "--json").stdout) == []
