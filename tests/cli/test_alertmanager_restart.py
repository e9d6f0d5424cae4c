"""End to end: the real Alertmanager restarts (alerts live in its memory) and answers `200 []` for a while;
`noc-console poll --once` must resolve nothing, nor even start counting the alerts absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.helpers import run_cli, write_config
from tests.cli.test_poll_alertmanager import am_alert, poll


def incidents(config: Path, db_url: str) -> list[dict[str, Any]]:
    listing = run_cli("--db", db_url, "--config", str(config), "incidents", "--all", "--json")
    assert listing.returncode == 0, listing.stderr
    result: list[dict[str, Any]] = json.loads(listing.stdout)
    return result


def test_a_restarted_alertmanager_resolves_nothing(alertmanager: Any, db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.toml", alertmanager.url)  # resolve_after_s: the default
    alerts = [am_alert("payments", "critical"), am_alert("vpn", "minor")]
    alertmanager.post_alerts(alerts)
    status, report = poll(config, db_url)
    assert status == 0 and len(report["opened"]) == 2
    opened = sorted(report["opened"])

    alertmanager.stop()
    alertmanager.start()  # a fresh process on the same port: its alerts are gone
    for _ in range(3):
        status, report = poll(config, db_url)
        assert status == 0, report
        assert report["sources"][0]["ok"] and report["sources"][0]["alerts"] == 0
        assert report["resolved"] == []
    shown = incidents(config, db_url)
    assert sorted(i["id"] for i in shown) == opened
    for incident in shown:
        assert incident["status"] == "open"
        assert incident["clearing_at"] is None, "an empty answer of a young Alertmanager counted as absence"

    alertmanager.post_alerts(alerts)  # Prometheus sends them again on its next evaluation
    status, report = poll(config, db_url)
    assert status == 0 and report["sources"][0]["alerts"] == 2
    assert report["opened"] == [] and report["resolved"] == []
    assert sorted(i["id"] for i in incidents(config, db_url) if i["status"] == "open") == opened
