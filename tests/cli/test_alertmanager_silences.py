"""End to end: silences in the real Alertmanager, through `noc-console poll --once` and `show --json`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from tests.cli.helpers import run_cli, write_config
from tests.cli.test_poll_alertmanager import am_alert, poll


def silence(alertmanager: Any, alertname: str) -> str:
    """Silence every alert of this name for an hour; returns the silence's ID."""
    now = datetime.now(UTC)
    body = {
        "matchers": [{"name": "alertname", "value": alertname, "isRegex": False, "isEqual": True}],
        "startsAt": now.isoformat(),
        "endsAt": (now + timedelta(hours=1)).isoformat(),
        "createdBy": "noc-console tests",
        "comment": "maintenance window",
    }
    response = requests.post(f"{alertmanager.url}/api/v2/silences", json=body, timeout=5)
    response.raise_for_status()
    silence_id: str = response.json()["silenceID"]
    return silence_id


def show(config: Path, db_url: str, incident_id: int) -> dict[str, Any]:
    result = run_cli("--db", db_url, "--config", str(config), "show", str(incident_id), "--json")
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def test_silenced_alerts_open_nothing_and_stay_on_their_open_incident(
    alertmanager: Any, db_url: str, tmp_path: Path
) -> None:
    # resolve_after_s = 0: two fetches without an alert resolve it (the default would also wait out the
    # young Alertmanager's first three minutes), so an alert counted absent would show here.
    config = write_config(tmp_path / "c.toml", alertmanager.url, extra="resolve_after_s = 0")
    alertmanager.post_alerts([am_alert("payments", "critical"), am_alert("backup", "warning")])
    silence(alertmanager, "BackupDown")  # a maintenance window, set before we ever saw the alert

    status, report = poll(config, db_url)
    assert status == 0, report
    (incident_id,) = report["opened"]
    assert show(config, db_url, incident_id)["service"] == "payments"  # the silenced one opened nothing

    silence_id = silence(alertmanager, "PaymentsDown")  # now the open incident's own alert is silenced
    for _ in range(2):
        status, report = poll(config, db_url)
        assert status == 0 and report["opened"] == [] and report["resolved"] == []
    shown = show(config, db_url, incident_id)
    assert shown["status"] == "open" and shown["clearing_at"] is None  # not counted absent
    (alert,) = shown["alerts"]
    assert alert["labels"]["alertname"] == "PaymentsDown"
    assert alert["state"] == "firing" and alert["silenced"] is True

    requests.delete(f"{alertmanager.url}/api/v2/silence/{silence_id}", timeout=5).raise_for_status()
    status, report = poll(config, db_url)
    assert status == 0 and report["opened"] == []
    (alert,) = show(config, db_url, incident_id)["alerts"]
    assert alert["state"] == "firing" and alert["silenced"] is False
