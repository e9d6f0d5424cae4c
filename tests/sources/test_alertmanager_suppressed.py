"""Silenced and inhibited alerts: left out of the answer that opens incidents, fetched apart so an open
incident's alert that gets silenced is shown as silenced instead of being counted absent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.demo import ScenarioAlert, SimulatedAlertmanager
from noc_console.domain.alerts import AlertSnapshot
from noc_console.sources import AlertmanagerSource, SourceConfig, SourceHTTPError
from noc_console.sources.alertmanager import merge_suppressed, parse
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SUPPRESSED_ONLY = "/api/v2/alerts?active=false&silenced=true&inhibited=true&unprocessed=false"


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def suppressed(fingerprint: str, service: str, *, silenced: bool, inhibited: bool) -> dict[str, Any]:
    alert = gettable_alert(fingerprint, service)
    alert["status"] = {
        "state": "suppressed",
        "silencedBy": ["0f3c2b1a-silence"] if silenced else [],
        "inhibitedBy": ["3669362bc211d363"] if inhibited else [],
    }
    return alert


ALERTS = [
    gettable_alert("active", "payments"),
    suppressed("silenced", "backup", silenced=True, inhibited=False),
    suppressed("inhibited", "checkout", silenced=False, inhibited=True),
    suppressed("both", "dns", silenced=True, inhibited=True),
]


def fetch(url: str, **config: Any) -> AlertSnapshot:
    cfg = SourceConfig(name="am", type="alertmanager", url=url, timeout_s=2.0, **config)
    with requests.Session() as session:
        return AlertmanagerSource(cfg).fetch(session, NOW)


def flags(snapshot: AlertSnapshot) -> dict[str, tuple[bool, bool]]:
    return {a.fingerprint: (a.silenced, a.inhibited) for a in snapshot.alerts}


EVERY_ALERT = {
    "active": (False, False),
    "silenced": (True, False),
    "inhibited": (False, True),
    "both": (True, True),
}


@pytest.mark.parametrize(
    ("config", "paths"),
    [
        (
            {},
            ["/api/v2/alerts?silenced=false&inhibited=false", SUPPRESSED_ONLY, "/api/v2/status"],
        ),
        (
            {"silenced": True},
            ["/api/v2/alerts?silenced=true&inhibited=false", SUPPRESSED_ONLY, "/api/v2/status"],
        ),
        (
            {"inhibited": True},
            ["/api/v2/alerts?silenced=false&inhibited=true", SUPPRESSED_ONLY, "/api/v2/status"],
        ),
        (
            {"silenced": True, "inhibited": True},
            ["/api/v2/alerts?silenced=true&inhibited=true", "/api/v2/status"],
        ),
    ],
)
def test_the_exact_requests_and_every_alert_in_the_snapshot_with_its_flags(
    config: dict[str, bool], paths: list[str]
) -> None:
    with misbehaving_server(ALERTS) as server:
        snapshot = fetch(url_of(server), **config)
        assert server.paths == paths  # type: ignore[attr-defined]
    assert flags(snapshot) == EVERY_ALERT


def test_without_the_suppressed_answer_the_fetch_fails_rather_than_lose_them() -> None:
    """A failed fetch resolves nothing; a snapshot missing silenced alerts would count them absent."""
    refused: list[str] = []
    with misbehaving_server(ALERTS) as server:
        plain = server.RequestHandlerClass

        def do_get(handler: Any) -> None:
            if "active=false" in handler.path:
                refused.append(handler.path)
                handler._send(500, "oops")
            else:
                plain.do_GET(handler)  # type: ignore[attr-defined]

        server.RequestHandlerClass = type("RefusesSuppressed", (plain,), {"do_GET": do_get})
        with pytest.raises(SourceHTTPError):
            fetch(url_of(server))
    assert refused == [SUPPRESSED_ONLY]


def test_merge_adds_only_the_kinds_left_out() -> None:
    main = parse([ALERTS[0], ALERTS[2]], source="am")  # inhibited included by config
    extra = parse(ALERTS[1:], source="am")
    merged = merge_suppressed(main, extra, silenced=False, inhibited=True)
    assert [a.fingerprint for a in merged] == ["active", "inhibited", "silenced", "both"]
    only_silenced_left_out = merge_suppressed([], extra, silenced=False, inhibited=True)
    assert [a.fingerprint for a in only_silenced_left_out] == ["silenced", "both"]
    assert merge_suppressed(main, extra, silenced=True, inhibited=True) == main


def test_recorded_answers_of_alertmanager_0_25() -> None:
    """Recorded from the real binary with one silence and one inhibit rule in force."""
    shown = parse(load("alerts_unsuppressed.json"), source="am")
    hidden = parse(load("alerts_suppressed.json"), source="am")
    assert {a.name for a in shown} == {"PaymentsDatacenterDown", "DnsResolverServfailRate"}
    assert not any(a.suppressed for a in shown)
    by_name = {a.name: a for a in hidden}
    assert by_name["PaymentsApi5xxRate"].inhibited and not by_name["PaymentsApi5xxRate"].silenced
    assert by_name["BackupJobFailed"].silenced and not by_name["BackupJobFailed"].inhibited
    merged = merge_suppressed(shown, hidden, silenced=False, inhibited=False)
    assert len(merged) == 4


def test_the_simulator_honours_the_filters_like_alertmanager() -> None:
    scenario = (
        ScenarioAlert(0, {"alertname": "Up", "service": "payments"}),
        ScenarioAlert(0, {"alertname": "Quiet", "service": "backup"}, silenced=True),
        ScenarioAlert(0, {"alertname": "Masked", "service": "checkout"}, inhibited=True),
    )
    started = NOW - timedelta(hours=1)
    with SimulatedAlertmanager(scenario, started_at=started) as sim, requests.Session() as session:

        def names(query: str) -> set[str]:
            with session.get(f"{sim.url}/api/v2/alerts?{query}", timeout=2) as answer:
                return {a["labels"]["alertname"] for a in answer.json()}

        assert names("") == {"Up", "Quiet", "Masked"}
        assert names("silenced=false&inhibited=false") == {"Up"}
        assert names("silenced=false") == {"Up", "Masked"}
        assert names("active=false&silenced=true&inhibited=true&unprocessed=false") == {"Quiet", "Masked"}
        snapshot = AlertmanagerSource(
            SourceConfig(name="demo", type="alertmanager", url=sim.url, timeout_s=2)
        ).fetch(session, NOW)
    assert {a.name: (a.silenced, a.inhibited) for a in snapshot.alerts} == {
        "Up": (False, False),
        "Quiet": (True, False),
        "Masked": (False, True),
    }
    assert snapshot.source_started_at == started
    uptime = snapshot.source_uptime
    assert uptime is not None and timedelta(0) <= uptime < timedelta(minutes=1)  # by its own clock
