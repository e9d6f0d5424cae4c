"""The simulated Alertmanager: scenario timing on a fake clock, and its real HTTP answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from noc_console.demo import DEFAULT_SCENARIO, ScenarioAlert, SimulatedAlertmanager
from noc_console.domain.severity import Severity
from noc_console.sources import AlertmanagerSource, SourceConfig, SourceUnreachable
from noc_console.sources.alertmanager import parse

STARTED = datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
GETTABLE_ALERT_KEYS = {
    "labels",
    "annotations",
    "startsAt",
    "endsAt",
    "updatedAt",
    "fingerprint",
    "generatorURL",
    "receivers",
    "status",
}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def names_at(sim: SimulatedAlertmanager, t: float) -> set[str]:
    return {a["labels"]["alertname"] for a in sim.alerts_at(t)}


def by_name(sim: SimulatedAlertmanager, t: float) -> dict[str, dict[str, object]]:
    return {a["labels"]["alertname"]: a for a in sim.alerts_at(t)}


def test_flap_and_resolve_rules() -> None:
    flapper = ScenarioAlert(offset_s=10, labels={"alertname": "F"}, flap_period_s=5)
    assert flapper.firing_since(9.9) is None
    assert flapper.firing_since(10) == 10
    assert flapper.firing_since(14.9) == 10
    assert flapper.firing_since(15) is None
    assert flapper.firing_since(20) == 20
    assert flapper.firing_since(26) is None
    once = ScenarioAlert(offset_s=1, labels={"alertname": "R"}, resolve_at_s=3)
    assert [once.firing_since(t) for t in (0, 1, 2.9, 3, 100)] == [None, 1, 1, None, None]


def test_default_scenario_opens_several_incidents_within_twenty_seconds() -> None:
    sim = SimulatedAlertmanager(clock=FakeClock(), started_at=STARTED)
    assert sim.alerts_at(0) == []
    first = min(a.offset_s for a in DEFAULT_SCENARIO)
    assert 2 <= first <= 6
    services = {a["labels"]["service"] for a in sim.alerts_at(20)}
    assert {"payments", "checkout", "database", "vpn", "dns"} <= services
    payments = [a for a in sim.alerts_at(20) if a["labels"]["service"] == "payments"]
    assert len(payments) == 2


def test_default_scenario_over_time() -> None:
    sim = SimulatedAlertmanager(clock=FakeClock(), started_at=STARTED)
    assert names_at(sim, 2.5) == {"PaymentsApi5xxRate"}
    assert "DnsResolverServfailRate" in names_at(sim, 44)
    assert "DnsResolverServfailRate" not in names_at(sim, 46)
    assert "PostgresReplicationLag" in names_at(sim, 60)
    assert "PostgresReplicationLag" not in names_at(sim, 80)
    assert "SmtpRelayDeferred" not in names_at(sim, 29)
    assert "SmtpRelayDeferred" in names_at(sim, 31)
    for t in (2.5, 60, 600, 36000):
        assert "PaymentsApi5xxRate" in names_at(sim, t)


def test_vpn_flaps_with_stable_fingerprint_and_fresh_start() -> None:
    sim = SimulatedAlertmanager(clock=FakeClock(), started_at=STARTED)
    seen = [("VpnTunnelDown" in names_at(sim, t)) for t in (7, 10, 22, 24, 37, 39, 52, 54)]
    assert seen == [False, True, True, False, False, True, True, False]
    first, again = by_name(sim, 10)["VpnTunnelDown"], by_name(sim, 40)["VpnTunnelDown"]
    assert first["fingerprint"] == again["fingerprint"]
    assert first["startsAt"] == "2024-05-14T09:00:08.000000000Z"
    assert again["startsAt"] == "2024-05-14T09:00:38.000000000Z"


def test_answer_has_gettable_alert_shape_and_parses() -> None:
    sim = SimulatedAlertmanager(clock=FakeClock(), started_at=STARTED)
    answer = sim.alerts_at(20)
    for item in answer:
        assert set(item) == GETTABLE_ALERT_KEYS
        assert {"alertname", "severity", "service", "instance", "job"} <= set(item["labels"])
        assert {"summary", "description"} <= set(item["annotations"])
        assert item["status"] == {"state": "active", "silencedBy": [], "inhibitedBy": []}
        assert item["receivers"] == [{"name": "noc"}]
        assert len(item["fingerprint"]) == 16
    alerts = {a.labels["alertname"]: a for a in parse(answer, source="demo")}
    pay = alerts["PaymentsApi5xxRate"]
    assert pay.severity is Severity.CRITICAL
    assert pay.summary == "Payments API 5xx rate above 5%"
    assert pay.starts_at == STARTED + timedelta(seconds=2)
    assert pay.ends_at is not None and pay.ends_at > STARTED + timedelta(seconds=20)
    assert alerts["CheckoutLatencyP99High"].severity is Severity.MAJOR
    assert alerts["PostgresReplicationLag"].severity is Severity.WARNING
    assert alerts["VpnTunnelDown"].severity is Severity.MINOR


def test_time_scale_speeds_the_scenario() -> None:
    clock = FakeClock()
    sim = SimulatedAlertmanager(clock=clock, time_scale=10, started_at=STARTED)
    with sim:
        clock.advance(2)
        assert sim.scenario_time() == pytest.approx(20)
    assert sim.wall_time(20) == STARTED + timedelta(seconds=2)
    with pytest.raises(ValueError, match="time_scale"):
        SimulatedAlertmanager(time_scale=0)


def test_fetch_over_real_http_follows_the_fake_clock() -> None:
    clock = FakeClock()
    with SimulatedAlertmanager(clock=clock, started_at=STARTED) as sim, requests.Session() as session:
        source = AlertmanagerSource(SourceConfig(name="demo", type="alertmanager", url=sim.url, timeout_s=2))
        now = datetime(2024, 5, 14, 9, 1, tzinfo=UTC)
        assert source.fetch(session, now).alerts == ()
        clock.advance(3)
        snapshot = source.fetch(session, now)
        assert [a.labels["alertname"] for a in snapshot.alerts] == ["PaymentsApi5xxRate"]
        assert snapshot.alerts[0].service == "payments"
        clock.advance(17)
        names = {a.labels["alertname"] for a in source.fetch(session, now).alerts}
        assert "VpnTunnelDown" in names and "PaymentsQueueBacklog" in names
        clock.advance(30)
        names = {a.labels["alertname"] for a in source.fetch(session, now).alerts}
        assert "DnsResolverServfailRate" not in names
        assert "PaymentsApi5xxRate" in names


def test_other_endpoints() -> None:
    with SimulatedAlertmanager(clock=FakeClock()) as sim, requests.Session() as session:
        with session.get(sim.url + "/-/ready", timeout=2) as ready:
            assert ready.status_code == 200
            assert ready.text == "OK"
        with session.get(sim.url + "/api/v2/status", timeout=2) as status:
            assert status.status_code == 200
            assert status.json()["cluster"]["status"] == "disabled"
        with session.get(sim.url + "/api/v2/alerts?active=true&silenced=false", timeout=2) as alerts:
            assert alerts.status_code == 200
            assert alerts.headers["Content-Type"] == "application/json"
            assert alerts.json() == []
        with session.get(sim.url + "/api/v1/alerts", timeout=2) as missing:
            assert missing.status_code == 404


def test_stop_closes_the_port_and_is_idempotent() -> None:
    sim = SimulatedAlertmanager(clock=FakeClock())
    with pytest.raises(RuntimeError, match="not running"):
        _ = sim.url
    assert "stopped" in repr(sim)
    sim.start()
    url = sim.url
    assert url.startswith("http://127.0.0.1:")
    assert sim.start() is sim
    sim.stop()
    sim.stop()
    source = AlertmanagerSource(SourceConfig(name="demo", type="alertmanager", url=url, timeout_s=1))
    with requests.Session() as session, pytest.raises(SourceUnreachable):
        source.fetch(session, STARTED)


def test_a_login_that_expires_makes_the_source_fail_as_blind() -> None:
    from noc_console.sources import SourceAuthError

    clock = FakeClock()
    with SimulatedAlertmanager(clock=clock, login_expires_at_s=45) as sim, requests.Session() as session:
        source = AlertmanagerSource(
            SourceConfig(name="branch", type="alertmanager", url=sim.url, timeout_s=2)
        )
        clock.advance(44)
        assert len(source.fetch(session, STARTED).alerts) > 0
        clock.advance(1)
        with pytest.raises(SourceAuthError, match="401"):
            source.fetch(session, STARTED)
        with session.get(sim.url + "/-/ready", timeout=2) as ready:
            assert ready.status_code == 200  # the server is up; only our login is refused
