"""`noc-console metrics`: the JSON shape, --since checked, the goal line and gaps for critical services."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from noc_console.cli_metrics import SinceError, parse_since
from noc_console.store import open_store
from noc_console.store.models import AlertRow, IncidentRow
from tests.cli.helpers import run_cli

CONFIG = """
[[sources]]
name = "am"
type = "alertmanager"
url = "http://127.0.0.1:9"

[[services]]
name = "payments"
critical = true

[[services]]
name = "dns"
critical = true
match = {}
"""
TOP = {
    "incidents",
    "detected_internally_pct",
    "mttd_s",
    "mtta_s",
    "mttr_s",
    "false_positive_pct",
    "by_service",
}
PER_SERVICE = {"service", "incidents", "customer_reported", "detected_internally_pct", "monitored"}


def _seed(url: str) -> None:
    now = datetime.now(UTC)
    rows = []
    for i, (service, by) in enumerate(
        [
            ("payments", "monitoring"),
            ("payments", "monitoring"),
            ("payments", "customer"),
            ("dns", "customer"),
        ],
        start=1,
    ):
        at = now - timedelta(days=i)
        rows.append(
            {
                "id": i,
                "title": f"t{i}",
                "severity": "major",
                "status": "acknowledged",
                "service": service,
                "correlation_key": f"service:{service}",
                "detected_by": by,
                "source": "am",
                "opened_at": at,
                "detected_at": at,
                "last_alert_at": at,
                "impact_started_at": at - timedelta(minutes=5),
                "acknowledged_at": at + timedelta(minutes=2),
            }
        )
    store = open_store(url)
    try:
        with store.session() as session:
            session.execute(insert(IncidentRow), rows)
            session.execute(
                insert(AlertRow),
                [
                    {
                        "incident_id": 1,
                        "source": "am",
                        "fingerprint": "f1",
                        "name": "Down",
                        "labels": {"service": "payments"},
                        "summary": "",
                        "description": "",
                        "severity": "major",
                        "state": "resolved",
                        "service": "payments",
                        "silenced": False,
                        "starts_at": rows[0]["impact_started_at"],
                        "first_seen_at": rows[0]["detected_at"],
                        "last_seen_at": rows[0]["detected_at"],
                    }
                ],
            )
    finally:
        store.close()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, str]:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    url = f"sqlite:///{tmp_path}/noc.db"
    _seed(url)
    return config, url


def test_json_has_the_documented_keys_and_a_gap_for_an_unmonitored_critical_service(
    setup: tuple[Path, str],
) -> None:
    config, url = setup
    done = run_cli("--config", str(config), "--db", url, "metrics", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) >= TOP
    assert data["incidents"] == 4
    assert data["detected_internally_pct"] == 50.0
    assert data["mttd_s"] == 300.0
    assert data["mtta_s"] == 120.0
    assert data["mttr_s"] is None  # nothing resolved: null, not 0
    assert data["false_positive_pct"] == 0.0
    for row in data["by_service"]:
        assert set(row) >= PER_SERVICE
    services = {row["service"]: row for row in data["by_service"]}
    assert services["payments"]["monitored"] is True
    assert services["payments"]["customer_reported"] == 1
    assert services["dns"]["monitored"] is False
    assert services["dns"]["detected_internally_pct"] == 0.0
    assert data["gaps"] == [
        {"service": "dns", "kind": "unmonitored", "reason": "no configured source or check maps to it"}
    ]
    assert len(data["series"]) in (31, 32)
    assert sum(b["incidents"] for b in data["series"]) == 4


def test_human_output_has_the_goal_line_and_the_gap(setup: tuple[Path, str]) -> None:
    config, url = setup
    done = run_cli("--config", str(config), "--db", url, "metrics", "--since", "2d")
    assert done.returncode == 0, done.stderr
    assert "detected internally 100 % (goal 90 %)" in done.stdout  # only #1 is within 2 days
    assert "GAP: critical service dns: no configured source or check maps to it" in done.stdout


def test_an_empty_range_prints_nulls(setup: tuple[Path, str]) -> None:
    config, url = setup
    done = run_cli("--config", str(config), "--db", url, "metrics", "--since", "1h", "--json")
    data = json.loads(done.stdout)
    assert data["incidents"] == 0
    assert data["detected_internally_pct"] is None and data["mttd_s"] is None


@pytest.mark.parametrize("since", ["yesterday", "30x", "0d", "2999-01-01", "-3d", ""])
def test_a_bad_since_exits_2_naming_it(setup: tuple[Path, str], since: str) -> None:
    config, url = setup
    done = run_cli("--config", str(config), "--db", url, "metrics", "--since", since)
    assert done.returncode == 2
    assert "--since" in done.stderr
    assert done.stdout == ""


def test_since_forms() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert parse_since("30d", now) == now - timedelta(days=30)
    assert parse_since("12h", now) == now - timedelta(hours=12)
    assert parse_since("2W", now) == now - timedelta(weeks=2)
    assert parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_since("2026-11-01T06:00:00+01:00", now) == datetime(2026, 11, 1, 5, tzinfo=UTC)
    with pytest.raises(SinceError):
        parse_since("2026-11-28", now)
