"""`noc-console page`, `oncall` and the paging config from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import run_cli

CONFIG = """
[[people]]
name = "alice"
phone = "+447911123456"

[[people]]
name = "bob"
email = "bob@example.com"

[[schedules]]
name = "primary"
time_zone = "Europe/London"
rotation = "daily"
handoff = "09:00"
people = ["alice", "bob"]

[[providers]]
name = "hook"
type = "webhook"
url = "http://127.0.0.1:9/noc"

[[policies]]
name = "payments"
services = ["payments"]

[[policies.levels]]
targets = ["hook"]
channels = ["webhook"]
wait_minutes = 5
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


def incident(db_url: str, service: str) -> int:
    store = open_store(db_url)
    now = datetime.now(UTC)
    labels = {"alertname": "a", "service": service}
    alert = Alert("am", "a", labels, f"{service} down", "", Severity.MAJOR, now, service=service)
    with store.session() as s:
        (incident_id,) = apply_snapshot(s, AlertSnapshot.of("am", now, [alert]), now=now).opened
    store.close()
    return incident_id


def test_oncall_says_who_is_on_call_now_and_next(db_url: str, tmp_path: Path) -> None:
    config = write(tmp_path, CONFIG)
    done = run_cli("--db", db_url, "--config", str(config), "oncall", "--json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert set(row) == {"schedule", "now", "next", "next_at"}
    assert row["schedule"] == "primary" and {row["now"], row["next"]} == {"alice", "bob"}
    assert row["next_at"].endswith("Z")
    text = run_cli("--db", db_url, "--config", str(config), "oncall")
    assert text.stdout.startswith(f"primary: {row['now']} now; next {row['next']} from ")


def test_page_starts_the_policy_once_and_show_lists_the_escalation(db_url: str, tmp_path: Path) -> None:
    config = write(tmp_path, CONFIG)
    incident_id = incident(db_url, "payments")
    first = run_cli("--db", db_url, "--config", str(config), "page", str(incident_id), "--by", "ana")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"#{incident_id}: escalation policy payments started")
    assert "no poller is running" in first.stderr
    again = run_cli("--db", db_url, "--config", str(config), "page", str(incident_id), "--policy", "payments")
    assert again.returncode == 0 and "already running since" in again.stdout
    shown = json.loads(
        run_cli("--db", db_url, "--config", str(config), "show", str(incident_id), "--json").stdout
    )
    assert shown["pages"] == []  # the poller writes and sends them
    entries = [e["text"] for e in shown["timeline"] if e["kind"] == "escalation"]
    assert entries == ["Escalation policy payments started: paged by ana"]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("page", "999"), 4, "noc-console: ID: no incident #999"),
        (("page", "{id}", "--policy", "nope"), 2, "noc-console: --policy: no policy 'nope' (payments)"),
        (("page", "0"), 2, "noc-console: argument id: '0' is not an incident ID"),
    ],
)
def test_page_refuses_what_does_not_exist(db_url: str, tmp_path: Path, args: tuple[str, ...], status: int,
                                          message: str) -> None:  # fmt: skip
    config = write(tmp_path, CONFIG)
    incident_id = incident(db_url, "dns")
    done = run_cli("--db", db_url, "--config", str(config), *(a.format(id=incident_id) for a in args))
    assert done.returncode == status
    assert done.stderr.startswith(message), done.stderr


def test_an_acknowledged_incident_is_not_paged(db_url: str, tmp_path: Path) -> None:
    config = write(tmp_path, CONFIG)
    incident_id = incident(db_url, "payments")
    assert run_cli("--db", db_url, "ack", str(incident_id), "--by", "bob").returncode == 0
    done = run_cli("--db", db_url, "--config", str(config), "page", str(incident_id))
    assert done.returncode == 1 and f"#{incident_id} is acknowledged by bob" in done.stderr


def test_a_service_without_a_policy_needs_one_named(db_url: str, tmp_path: Path) -> None:
    config = write(tmp_path, CONFIG)
    incident_id = incident(db_url, "dns")
    done = run_cli("--db", db_url, "--config", str(config), "page", str(incident_id))
    assert done.returncode == 2 and "no policy applies to" in done.stderr
    store = open_store(db_url)
    with store.read() as s:
        assert [e.kind for e in repo.timeline_entries(s, incident_id)].count("escalation") == 0
    store.close()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('phone = "+447911123456"', 'phone = "12"'), "people[0].phone"),
        (('email = "bob@example.com"', 'email = "bob-at-example"'), "people[1].email"),
        (('time_zone = "Europe/London"', 'time_zone = "Europe/Atlantis"'), "schedules[0].time_zone"),
        (('handoff = "09:00"', 'handoff = "9am"'), "schedules[0].handoff"),
        (('people = ["alice", "bob"]', 'people = ["alice", "carol"]'), "schedules[0].people"),
        (('targets = ["hook"]', 'targets = ["hoook"]'), "policies[0].levels[0].targets"),
        (('channels = ["webhook"]', 'channels = ["pigeon"]'), "policies[0].levels[0].channels"),
        (("wait_minutes = 5", "wait_minutes = 0"), "policies[0].levels[0].wait_minutes"),
        (('type = "webhook"', 'type = "fax"'), "providers[0].type"),
        (('url = "http://127.0.0.1:9/noc"', 'url = "ftp://x"'), "providers[0].url"),
    ],
)
def test_bad_paging_config_is_refused_naming_the_field(db_url: str, tmp_path: Path, change: tuple[str, str],
                                                       field: str) -> None:  # fmt: skip
    assert change[0] in CONFIG
    config = write(tmp_path, CONFIG.replace(change[0], change[1], 1))
    done = run_cli("--db", db_url, "--config", str(config), "oncall")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"noc-console: {field}: "), done.stderr
