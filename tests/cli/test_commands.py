"""The command line's contract: failure modes (exit 3), bad input (exit 2), unknown IDs (exit 4)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from noc_console.cli import main
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of, write_config

ALERTS = [gettable_alert("a1", "payments"), gettable_alert("b2", "checkout", "major")]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "HTTP 500"),
        ("invalid", "not valid JSON"),
        ("object", "expected a JSON list"),
        ("hang", "within 0.5 s"),
    ],
)
def test_a_failing_source_exits_3_and_resolves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mode: str, message: str
) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server), timeout_s=0.5))
        status, out, _ = run(capsys, "--db", db, "--config", config, "poll", "--once", "--json")
        assert status == 0 and len(json.loads(out)["opened"]) == 2
        server.mode = mode  # type: ignore[attr-defined]
        for _ in range(3):
            status, out, _ = run(capsys, "--db", db, "--config", config, "poll", "--once", "--json")
            assert status == 3
            report = json.loads(out)
            (source,) = report["sources"]
            assert source["stale"] and not source["ok"] and message.lower() in source["error"].lower()
            assert report["resolved"] == []
    status, out, _ = run(capsys, "--db", db, "--config", config, "incidents", "--json")
    assert [i["status"] for i in json.loads(out)] == ["open", "open"]


def test_ack_and_resolve_by_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server)))
        run(capsys, "--db", db, "--config", config, "poll", "--once")
    status, out, _ = run(capsys, "--db", db, "--config", config, "ack", "1", "--by", "alice")
    assert status == 0 and "acknowledged" in out
    status, out, _ = run(capsys, "--db", db, "--config", config, "resolve", "2", "--note", "fixed")
    assert status == 0 and "resolved" in out
    status, out, _ = run(capsys, "--db", db, "--config", config, "incidents", "--all", "--json")
    by_id = {i["id"]: i for i in json.loads(out)}
    assert by_id[1]["status"] == "acknowledged" and by_id[1]["acknowledged_at"]
    assert by_id[2]["status"] == "resolved"
    status, _, err = run(capsys, "--db", db, "--config", config, "ack", "99")
    assert status == 4 and "99" in err


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["ack", "abc"], "id"),
        (["ack", "-3"], "id"),
        (["demo", "--headless", "0"], "--headless"),
        (["--db", "mysql://x/y", "incidents"], "--db"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_invalid_input_exits_2_with_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]


def test_bad_config_exits_2_naming_the_field_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[sla]\nack_minutes = "soon"\n')
    status, _, err = run(
        capsys, "--db", f"sqlite:///{tmp_path}/x.db", "--config", str(config), "poll", "--once"
    )
    assert status == 2 and "sla.ack_minutes" in err
    assert not (tmp_path / "x.db").exists()


def test_check_config_reaches_every_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with misbehaving_server(ALERTS) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server)))
        status, out, _ = run(capsys, "--db", f"sqlite:///{tmp_path}/x.db", "--config", config, "check-config")
        assert status == 0 and re.search(r"^am: ok, \d+ ms · 2 alerts: 2 firing, ", out, re.MULTILINE)
        server.mode = "500"  # type: ignore[attr-defined]
        status, out, _ = run(capsys, "--db", f"sqlite:///{tmp_path}/x.db", "--config", config, "check-config")
        assert status == 3 and re.search(r"^am: FAILED after \d+ ms: HTTP 500", out, re.MULTILINE)


def test_poller_command_keeps_a_database_password_off_the_command_line_and_our_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from noc_console.engine.launch import EXIT_WITH_PARENT, poller_command

    plain = poller_command(Path("c.toml"), "sqlite:///x.db")
    assert plain.argv[-4:] == ["--db", "sqlite:///x.db", "poller", EXIT_WITH_PARENT] and plain.env == {}
    monkeypatch.delenv("NOC_CONSOLE_DB", raising=False)
    url = "postgresql+psycopg://noc:hunter2-canary@db/noc"
    command = poller_command(Path("c.toml"), url)
    assert not any("hunter2-canary" in part for part in command.argv)
    assert command.argv[-2:] == ["poller", EXIT_WITH_PARENT]
    assert command.env == {"NOC_CONSOLE_DB": url}  # for that one child only
    assert "NOC_CONSOLE_DB" not in os.environ
