"""Operator actions from the command line, as scripts and chat bots use them: SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import gettable_alert, misbehaving_server, run_cli, url_of, write_config


@pytest.fixture
def seeded(db_url: str, tmp_path: Path) -> tuple[str, str]:
    """A database with incident 1 (critical, payments) and 2 (major, checkout), and the config."""
    with misbehaving_server(
        [gettable_alert("a1", "payments"), gettable_alert("b2", "checkout", "major")]
    ) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server)))
        polled = run_cli("--db", db_url, "--config", config, "poll", "--once")
        assert polled.returncode == 0, polled.stderr
    return db_url, config


def cli(seeded: tuple[str, str], *args: str):  # type: ignore[no-untyped-def]
    db_url, config = seeded
    return run_cli("--db", db_url, "--config", config, *args)


def test_every_action_lands_on_the_timeline_in_order(seeded: tuple[str, str]) -> None:
    steps = [
        ("ack", "1", "--by", "alice"),
        ("assign", "1", "--to", "bob", "--by", "alice"),
        (
            "assess",
            "1",
            "--users",
            "1200",
            "--services",
            "payments, checkout",
            "--impact",
            "degraded",
            "--by",
            "bob",
        ),
        (
            "update",
            "1",
            "--text",
            "Payments are slow; engineers are on it",
            "--channel",
            "status-page",
            "--by",
            "bob",
        ),
        ("note", "1", "Rolled back deploy 4711", "--by", "bob"),
        ("resolve", "1", "--note", "back to normal", "--by", "bob"),
    ]
    for step in steps:
        done = cli(seeded, *step)
        assert done.returncode == 0, (step, done.stderr)
    shown = json.loads(cli(seeded, "show", "1", "--json").stdout)
    assert [e["kind"] for e in shown["timeline"]] == [
        "opened", "alert_fired", "ack", "assign", "assessment", "customer_update", "note", "note", "resolve",
        "alerts_detached",
    ]  # fmt: skip
    by_kind = {e["kind"]: e for e in shown["timeline"]}
    assert by_kind["assign"]["text"] == "Assigned to bob by alice" and by_kind["assign"]["by"] == "alice"
    assert (
        "1,200 users affected" in by_kind["assessment"]["text"]
        and "degraded" in by_kind["assessment"]["text"]
    )
    assert (
        by_kind["customer_update"]["text"]
        == "Customer update (status-page): Payments are slow; engineers are on it"
    )
    assert shown["assigned_to"] == "bob" and shown["assessed_at"] is not None
    assert shown["assessment_due_at"] is None  # assessed: that clock stopped
    assert shown["status"] == "resolved" and shown["false_positive"] is False
    assert shown["postmortem_due_at"] is not None  # a resolved critical owes a post-mortem


def test_an_update_restarts_the_update_clock(seeded: tuple[str, str]) -> None:
    before = json.loads(cli(seeded, "show", "2", "--json").stdout)["next_customer_update_due_at"]
    done = cli(seeded, "update", "2", "--text", "Investigating", "--channel", "email")
    assert done.returncode == 0 and "next update due" in done.stdout
    after = json.loads(cli(seeded, "show", "2", "--json").stdout)["next_customer_update_due_at"]
    assert before is not None and after > before


def test_a_false_positive_is_recorded_and_owes_no_report(seeded: tuple[str, str]) -> None:
    done = cli(seeded, "resolve", "2", "--false-positive", "--by", "alice")
    assert done.returncode == 0 and "false positive" in done.stdout
    shown = json.loads(cli(seeded, "show", "2", "--json").stdout)
    assert shown["false_positive"] is True and shown["postmortem_due_at"] is None
    assert shown["timeline"][-2]["text"] == "Resolved by alice as a false positive"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["note", "1", "   "], "TEXT"),
        (["note", "1", "x" * 10_001], "TEXT"),
        (["assign", "1", "--to", ""], "--to"),
        (["update", "1", "--text", "hi", "--channel", "fax"], "--channel"),
        (["update", "1", "--text", ""], "--text"),
        (["assess", "1", "--impact", "catastrophic"], "--impact"),
        (["assess", "1", "--users", "-5"], "--users"),
        (["assess", "1"], "assess"),
        (["ack", "1", "--by", "x" * 201], "--by"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    seeded: tuple[str, str], args: list[str], field: str
) -> None:
    before = cli(seeded, "show", "1", "--json").stdout
    done = cli(seeded, *args)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert field in line
    assert cli(seeded, "show", "1", "--json").stdout == before


@pytest.mark.parametrize(
    "args",
    [
        ["note", "99", "x"],
        ["assign", "99", "--to", "bob"],
        ["update", "99", "--text", "x"],
        ["assess", "99", "--users", "1"],
    ],
)
def test_an_unknown_incident_exits_4(seeded: tuple[str, str], args: list[str]) -> None:
    done = cli(seeded, *args)
    assert done.returncode == 4 and "99" in done.stderr


def test_bad_input_never_creates_a_database(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    done = run_cli("--db", f"sqlite:///{db}", "note", "1", "")
    assert done.returncode == 2 and not db.exists()
