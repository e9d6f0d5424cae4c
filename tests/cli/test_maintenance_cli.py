"""`noc-console maintenance add|list|end`, and a window against the real Alertmanager, both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.sources.alertmanager_silences import get_silence
from noc_console.sources.base import SourceConfig
from tests.cli.helpers import run_cli, write_config
from tests.cli.test_poll_alertmanager import am_alert, poll

SERVICES = """
[operator]
name = "alice"

[[services]]
name = "payments"
critical = true
match = { service = "payments" }

[[services]]
name = "checkout"
match = { service = "checkout" }
"""

WINDOW_KEYS = {
    "id", "service", "state", "starts_at", "ends_at", "reason", "created_by", "created_at", "ended_at",
    "ended_by", "held_alerts", "silences",
}  # fmt: skip


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cli(config: Path, db_url: str, *args: str) -> Any:
    return run_cli("--db", db_url, "--config", str(config), *args)


def windows(config: Path, db_url: str, *extra: str) -> list[dict[str, Any]]:
    result = cli(config, db_url, "maintenance", "list", "--json", *extra)
    assert result.returncode == 0, result.stderr
    listed: list[dict[str, Any]] = json.loads(result.stdout)
    return listed


def test_a_window_holds_real_alertmanager_alerts_silences_them_and_lets_them_open_when_ended(
    alertmanager: Any, db_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "c.toml", alertmanager.url, extra=SERVICES)
    now = datetime.now(UTC)
    ends = (now + timedelta(hours=2)).replace(microsecond=0)
    began = iso(now - timedelta(minutes=1))
    added = cli(
        config, db_url, "maintenance", "add", "--service", "payments", "--from", began,
        "--to", iso(ends), "--reason", "database upgrade", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    window = json.loads(added.stdout)
    assert window["state"] == "active" and window["created_by"] == "alice"
    alertmanager.post_alerts([am_alert("payments", "critical"), am_alert("checkout", "major")])

    status, report = poll(config, db_url)
    assert status == 0, report
    assert len(report["opened"]) == 1  # checkout only
    incidents = json.loads(cli(config, db_url, "incidents", "--json").stdout)
    assert [i["service"] for i in incidents] == ["checkout"]

    [listed] = windows(config, db_url)
    assert set(listed) == WINDOW_KEYS and listed["id"] == window["id"]
    assert [h["summary"] for h in listed["held_alerts"]] == ["payments is failing"]
    [silence] = listed["silences"]
    assert silence["source"] == "am" and silence["state"] == "active" and silence["error"] is None
    source = SourceConfig(name="am", type="alertmanager", url=alertmanager.url)
    with requests.Session() as http:
        at_am = get_silence(http, source, silence["silence_id"])
    assert at_am["status"]["state"] == "active"
    assert [(m["name"], m["value"], m["isRegex"]) for m in at_am["matchers"]] == [
        ("service", "payments", False)
    ]
    assert datetime.fromisoformat(at_am["endsAt"].replace("Z", "+00:00")) == ends
    assert at_am["createdBy"] == "alice" and "database upgrade" in at_am["comment"]
    assert f"window {window['id']}" in at_am["comment"]

    ended = cli(config, db_url, "maintenance", "end", str(window["id"]))
    assert ended.returncode == 0, ended.stderr
    assert f"silence {silence['silence_id']} at am: expired" in ended.stdout
    with requests.Session() as http:
        assert get_silence(http, source, silence["silence_id"])["status"]["state"] == "expired"
    [over] = windows(config, db_url, "--all")
    assert over["state"] == "over" and over["ended_by"] == "alice"
    assert over["silences"][0]["state"] == "expired" and over["held_alerts"] == []

    # The maintenance did not fix it: the alert still fires, so it opens its incident now.
    status, report = poll(config, db_url)
    assert status == 0 and len(report["opened"]) == 1, report
    incidents = json.loads(cli(config, db_url, "incidents", "--json").stdout)
    assert sorted(i["service"] for i in incidents) == ["checkout", "payments"]
    assert windows(config, db_url) == []


def test_a_window_that_cannot_reach_alertmanager_keeps_the_error_and_still_holds_alerts(
    db_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9", timeout_s=1, extra=SERVICES)
    now = datetime.now(UTC)
    added = cli(
        config, db_url, "maintenance", "add", "--service", "payments", "--from", "now",
        "--to", iso(now + timedelta(hours=1)), "--reason", "rack move",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    status, _report = poll(config, db_url)
    assert status == 3  # the source is down; the silence could not be made either
    [listed] = windows(config, db_url)
    [silence] = listed["silences"]
    assert silence["state"] == "failed" and silence["silence_id"] is None
    assert "cannot connect" in silence["error"]
    poll(config, db_url)  # retried, never dropped
    [again] = windows(config, db_url)[0]["silences"]
    assert again["state"] == "failed" and "cannot connect" in again["error"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--service", "paymnets"], "--service"),
        (["--service", ""], "--service"),
        (["--from", "2026-11-28T10:00:00"], "--from"),
        (["--from", "yesterday"], "--from"),
        (["--to", "2026-11-28 09:00+00:00"], "--to"),  # before --from
        (["--to", "2020-01-01T00:00Z", "--from", "2019-01-01T00:00Z"], "--to"),  # past already
        (["--reason", "  "], "--reason"),
        (["--reason", "x" * 2001], "--reason"),
        (["--by", ""], "--by"),
    ],
)
def test_every_bad_input_of_add_exits_2_naming_the_field_and_writes_nothing(
    tmp_path: Path, args: list[str], flag: str
) -> None:
    db_url = f"sqlite:///{tmp_path}/noc.db"
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9", extra=SERVICES)
    given = {"--service": "payments", "--from": "2026-11-28T10:00:00Z", "--to": "2099-01-01T00:00Z",
             "--reason": "upgrade"}  # fmt: skip
    for name, value in zip(args[::2], args[1::2], strict=True):
        given[name] = value
    flat = [part for pair in given.items() for part in pair]
    result = cli(config, db_url, "maintenance", "add", *flat)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"noc-console: {flag}:"), result.stderr
    assert windows(config, db_url, "--all") == []


def test_end_refuses_an_unknown_or_ended_window_naming_id(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/noc.db"
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9", extra=SERVICES)
    for bad in ("7", "x", "0"):
        result = cli(config, db_url, "maintenance", "end", bad)
        assert result.returncode == 2 and result.stderr.startswith("noc-console: ID:"), result.stderr
    later = datetime.now(UTC) + timedelta(days=1)
    added = cli(
        config, db_url, "maintenance", "add", "--service", "checkout", "--from", iso(later),
        "--to", iso(later + timedelta(hours=1)), "--reason", "switch swap", "--by", "bob", "--json",
    )  # fmt: skip
    window = json.loads(added.stdout)
    assert window["state"] == "upcoming" and window["created_by"] == "bob"
    assert [w["id"] for w in windows(config, db_url)] == [window["id"]]
    assert cli(config, db_url, "maintenance", "end", str(window["id"])).returncode == 0
    again = cli(config, db_url, "maintenance", "end", str(window["id"]))
    assert again.returncode == 2 and "is over already" in again.stderr
    assert again.stderr.startswith("noc-console: ID:")
    assert windows(config, db_url) == []


def test_list_in_words(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/noc.db"
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9", extra=SERVICES)
    assert "no active or upcoming" in cli(config, db_url, "maintenance", "list").stdout
    cli(
        config, db_url, "maintenance", "add", "--service", "payments", "--from", "now",
        "--to", iso(datetime.now(UTC) + timedelta(hours=1)), "--reason", "<b>firmware</b>",
    )  # fmt: skip
    out = cli(config, db_url, "maintenance", "list").stdout
    assert "active" in out and "payments" in out and "by alice: <b>firmware</b>" in out
