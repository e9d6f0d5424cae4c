"""End to end: the real Alertmanager, `noc-console poll --once --json` as a child process, both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.helpers import run_cli, write_config

INCIDENT_KEYS = {
    "id", "title", "severity", "status", "service", "detected_by", "source", "opened_at", "detected_at",
    "acknowledged_at", "resolved_at", "ack_due_at", "assessment_due_at", "next_customer_update_due_at",
    "alert_count", "call_count", "impact_started_at", "clearing_at", "orphaned", "acknowledged_by",
    "assigned_to", "assessed_at", "false_positive", "needs_review", "postmortem_due_at", "exec_report_due_at",
    "flapping", "flapping_since",
}  # fmt: skip


def am_alert(service: str, severity: str, ends_at: datetime | None = None) -> dict[str, object]:
    alert: dict[str, object] = {
        "labels": {"alertname": f"{service.title()}Down", "service": service, "severity": severity},
        "annotations": {"summary": f"{service} is failing", "description": "from the test"},
    }
    if ends_at is not None:
        alert["endsAt"] = ends_at.isoformat().replace("+00:00", "Z")
    return alert


def poll(config: Path, db_url: str) -> tuple[int, dict[str, object]]:
    result = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_three_services_open_three_incidents_that_resolve(alertmanager, db_url: str, tmp_path: Path) -> None:
    # resolve_after_s = 0: absence from two fetches alone resolves (the default also waits 3 minutes)
    config = write_config(tmp_path / "c.toml", alertmanager.url, extra="resolve_after_s = 0")
    services = [("payments", "critical"), ("checkout", "major"), ("dns", "sev-banana")]
    alertmanager.post_alerts([am_alert(s, sev) for s, sev in services])

    status, report = poll(config, db_url)
    assert status == 0, report
    assert report["sources"] == [{"name": "am", "ok": True, "error": None, "alerts": 3, "stale": False}]
    assert len(report["opened"]) == 3 and report["resolved"] == []

    listing = run_cli("--db", db_url, "--config", str(config), "incidents", "--json")
    assert listing.returncode == 0, listing.stderr
    incidents = json.loads(listing.stdout)
    assert len(incidents) == 3
    for incident in incidents:
        assert set(incident) == INCIDENT_KEYS
        assert incident["status"] == "open" and incident["detected_by"] == "monitoring"
        assert incident["source"] == "am" and incident["alert_count"] == 1 and incident["call_count"] == 0
        ack_due = datetime.fromisoformat(incident["ack_due_at"])
        assert ack_due - datetime.fromisoformat(incident["detected_at"]) == timedelta(minutes=5)
    by_service = {i["service"]: i for i in incidents}
    assert by_service["payments"]["severity"] == "critical"
    assert by_service["dns"]["severity"] == "warning"  # unknown severity: kept, mapped to the default
    assert incidents[0]["service"] == "payments"  # loudest first

    past = datetime.now(UTC) - timedelta(minutes=1)
    alertmanager.post_alerts([am_alert(s, sev, ends_at=past) for s, sev in services])
    # They resolve at the second successful answer without them, not before. (A poll that fails, or
    # comes before Alertmanager processed the post, under a loaded CI machine, counts for nothing.)
    empty_answers, resolved = 0, []
    for _ in range(6):
        status, report = poll(config, db_url)
        (source,) = report["sources"]  # type: ignore[misc]
        empty_answers += status == 0 and source["ok"] and source["alerts"] == 0
        resolved += report["resolved"]  # type: ignore[operator]
        if resolved:
            break
    assert empty_answers == 2 and len(resolved) == 3, report
    listing = json.loads(
        run_cli("--db", db_url, "--config", str(config), "incidents", "--all", "--json").stdout
    )
    assert {i["status"] for i in listing} == {"resolved"}
    assert all(i["resolved_at"] for i in listing)
    assert json.loads(run_cli("--db", db_url, "--config", str(config), "incidents", "--json").stdout) == []


def test_alertmanager_killed_mid_run_resolves_nothing(alertmanager, db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.toml", alertmanager.url)
    alertmanager.post_alerts([am_alert("payments", "critical"), am_alert("vpn", "minor")])
    status, report = poll(config, db_url)
    assert status == 0 and len(report["opened"]) == 2

    alertmanager.kill()
    for _ in range(3):  # more failures than it takes absences to resolve: still nothing resolves
        status, report = poll(config, db_url)
        assert status == 3
        (source,) = report["sources"]
        assert source["ok"] is False and source["stale"] is True and "cannot connect" in source["error"]
        assert report["resolved"] == [] and report["opened"] == []

    incidents = json.loads(run_cli("--db", db_url, "--config", str(config), "incidents", "--json").stdout)
    assert len(incidents) == 2 and {i["status"] for i in incidents} == {"open"}
