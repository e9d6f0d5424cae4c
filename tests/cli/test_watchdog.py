"""A source's watchdog (an alert that always fires, Prometheus's `Watchdog`): the watchdog itself opens
nothing, and its absence from a real Alertmanager's answer opens a critical incident that says the
alerting behind the source is broken; when it fires again, that incident resolves."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.config import ConfigError, parse_config
from noc_console.domain.alerts import Alert, AlertSnapshot, with_watchdog
from noc_console.domain.severity import Severity
from tests.cli.helpers import run_cli, write_config
from tests.cli.test_poll_alertmanager import am_alert, poll

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def alert(name: str) -> Alert:
    return Alert("am", name, {"alertname": name}, name, "", Severity.INFO, T0)


def test_the_watchdog_opens_nothing_and_its_absence_is_critical() -> None:
    present = with_watchdog(AlertSnapshot.of("am", T0, [alert("Watchdog"), alert("DiskFull")]), "Watchdog")
    assert [a.name for a in present.alerts] == ["DiskFull"]
    missing = with_watchdog(AlertSnapshot.of("am", T0, [alert("DiskFull")]), "Watchdog")
    disk, gone = missing.alerts
    assert disk.name == "DiskFull"
    assert (gone.fingerprint, gone.severity, gone.starts_at) == (
        "watchdog-missing:Watchdog",
        Severity.CRITICAL,
        T0,
    )
    assert "Watchdog alert missing from am" in gone.summary


def test_a_watchdog_must_be_an_alert_name() -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\] \(am\)\.watchdog: must be the name of an alert"):
        parse_config(
            {
                "sources": [
                    {"name": "am", "type": "alertmanager", "url": "http://127.0.0.1:9093", "watchdog": 1}
                ]
            }
        )


def watchdog_alert(ends_at: datetime | None = None) -> dict[str, Any]:
    alert: dict[str, Any] = {"labels": {"alertname": "Watchdog", "severity": "none"},
                             "annotations": {"summary": "the alerting pipeline works"}}  # fmt: skip
    if ends_at is not None:
        alert["endsAt"] = ends_at.isoformat().replace("+00:00", "Z")
    return alert


def incidents(config: Path, db_url: str) -> list[dict[str, Any]]:
    shown = run_cli("--db", db_url, "--config", str(config), "incidents", "--json")
    assert shown.returncode == 0, shown.stderr
    listed: list[dict[str, Any]] = json.loads(shown.stdout)
    return listed


def test_a_real_alertmanager_without_its_watchdog(alertmanager: Any, db_url: str, tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "c.toml", alertmanager.url, extra='watchdog = "Watchdog"\nresolve_after_s = 0'
    )
    alertmanager.post_alerts([watchdog_alert(), am_alert("payments", "critical")])
    status, report = poll(config, db_url)
    assert status == 0, report
    assert [i["title"] for i in incidents(config, db_url)] == ["payments is failing"]  # not the watchdog

    alertmanager.post_alerts([watchdog_alert(ends_at=datetime.now(UTC) - timedelta(seconds=1))])  # it stops
    status, report = poll(config, db_url)
    assert status == 0, report
    missing = [i for i in incidents(config, db_url) if i["title"] != "payments is failing"]
    assert [(i["severity"], i["title"]) for i in missing] == [
        ("critical", "Watchdog alert missing from am: the alerting behind it is broken")
    ]

    alertmanager.post_alerts([watchdog_alert()])  # the pipeline is back
    for _ in range(2):
        status, report = poll(config, db_url)
        assert status == 0, report
    assert [i["title"] for i in incidents(config, db_url)] == ["payments is failing"]
