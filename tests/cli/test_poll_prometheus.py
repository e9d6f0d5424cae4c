"""A real Prometheus (tests.prometheus_server): its firing alert becomes an incident through
`poll --once`, clearing it at the source (the rule file rewritten, Prometheus reloaded) resolves it, and a
pending alert (`for: 1h`) is shown as pending and opens nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import run_cli
from tests.prometheus_server import QUIET_RULES, Prometheus


def config(path: Path, url: str) -> Path:
    # resolve_after_missed = 1 and resolve_after_s = 0: one fetch without the alert resolves it
    path.write_text(
        f'[[sources]]\nname = "prom"\ntype = "prometheus"\nurl = "{url}"\ntimeout_s = 5\n'
        "resolve_after_missed = 1\nresolve_after_s = 0\n"
    )
    return path


def cli(db_url: str, conf: Path, *args: str) -> Any:
    result = run_cli("--db", db_url, "--config", str(conf), *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_firing_alert_opens_an_incident_and_clearing_it_at_the_source_resolves_it(
    prometheus: Prometheus, db_url: str, tmp_path: Path
) -> None:
    prometheus.wait_for(
        lambda: prometheus.states() == {"CheckoutDown": "firing", "DiskFillingSlowly": "pending"}
    )
    conf = config(tmp_path / "c.toml", prometheus.url)

    report = cli(db_url, conf, "poll", "--once")
    assert report["sources"] == [{"name": "prom", "ok": True, "error": None, "alerts": 2, "stale": False}]
    assert len(report["opened"]) == 1 and report["resolved"] == []
    (incident,) = cli(db_url, conf, "incidents")
    assert (incident["service"], incident["severity"], incident["title"]) == (
        "checkout",
        "critical",
        "Checkout is down",
    )
    shown = cli(db_url, conf, "show", str(incident["id"]))
    assert [(a["labels"]["alertname"], a["state"], a["pending"]) for a in shown["alerts"]] == [
        ("CheckoutDown", "firing", False)
    ]

    prometheus.set_rules(QUIET_RULES)
    prometheus.reload()
    prometheus.wait_for(lambda: prometheus.states() == {})
    report = cli(db_url, conf, "poll", "--once")
    assert report["resolved"] == [incident["id"]] and report["opened"] == []
    shown = cli(db_url, conf, "show", str(incident["id"]))
    assert shown["status"] == "resolved" and [a["state"] for a in shown["alerts"]] == ["resolved"]


def test_a_pending_alert_is_shown_as_pending_and_opens_nothing(
    prometheus: Prometheus, db_url: str, tmp_path: Path
) -> None:
    prometheus.wait_for(lambda: prometheus.states().get("DiskFillingSlowly") == "pending")
    conf = config(tmp_path / "c.toml", prometheus.url)
    text = run_cli("--db", db_url, "--config", str(conf), "poll", "--once")
    assert text.returncode == 0, text.stderr
    assert "prom: ok, 2 alerts (1 pending: shown, opening nothing until they fire)" in text.stdout
    incidents = cli(db_url, conf, "incidents")
    assert [i["service"] for i in incidents] == ["checkout"]  # the firing one only: storage is pending
    store = open_store(db_url)
    try:
        with store.read() as session:
            (health,) = repo.list_source_health(session)
    finally:
        store.close()
    assert (health.name, health.alert_count, health.pending_count) == ("prom", 2, 1)


def test_a_restarted_prometheus_resolves_nothing_while_it_warms_up(
    prometheus: Prometheus, db_url: str, tmp_path: Path
) -> None:
    """Its alerts come back only once its rules run again: until it has been up resolve_after_s, the
    empty answer counts no absence (its startTime, from runtimeinfo)."""
    prometheus.wait_for(lambda: prometheus.states().get("CheckoutDown") == "firing")
    conf = tmp_path / "c.toml"
    conf.write_text(
        f'[[sources]]\nname = "prom"\ntype = "prometheus"\nurl = "{prometheus.url}"\ntimeout_s = 5\n'
        "resolve_after_missed = 1\nresolve_after_s = 600\n"
    )
    (opened,) = cli(db_url, conf, "poll", "--once")["opened"]
    prometheus.stop()
    prometheus.start(QUIET_RULES)  # same port and data; its rule no longer fires
    prometheus.wait_for(lambda: prometheus.states() == {})
    report = cli(db_url, conf, "poll", "--once")
    assert report["resolved"] == [] and report["sources"][0]["alerts"] == 0
    store = open_store(db_url)
    try:
        with store.read() as session:
            (row,) = repo.alerts_of(session, opened)
    finally:
        store.close()
    assert (row.state, row.missed_fetches, row.absent_since) == ("firing", 0, None)  # not even counted
