"""The command line where it meets other writers and secrets: poll --once under the lease, show, orphans,
and credentials that must never be echoed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from noc_console.cli import main
from noc_console.store import open_store
from noc_console.store import repository as repo
from tests.cli.helpers import ROOT, gettable_alert, misbehaving_server, run_cli, url_of, write_config

ALERTS = [gettable_alert("a1", "payments"), gettable_alert("b2", "checkout", "major")]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_poll_once_refuses_politely_while_a_poller_holds_the_lease(db_url: str, tmp_path: Path) -> None:
    with misbehaving_server(ALERTS) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra="interval_s = 60")
        poller = subprocess.Popen(
            [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config), "poller"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            store = open_store(db_url)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with store.read() as r:
                    if repo.poller_status(r) is not None and repo.list_incidents(r):
                        break
                time.sleep(0.1)
            store.close()
            refused = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
            assert refused.returncode == 1 and refused.stdout == ""
            assert f"pid {poller.pid}" in refused.stderr and "already polling" in refused.stderr
        finally:
            poller.send_signal(signal.SIGTERM)
            assert poller.wait(timeout=30) == 0
            assert poller.stderr is not None
            poller.stderr.close()
        done = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["opened"] == []  # the poller had opened them; nothing doubled
    store = open_store(db_url)
    with store.read() as r:
        assert len(repo.list_incidents(r)) == 2
        assert repo.poller_status(r) is None  # poll --once gave the lease back
    store.close()


def test_show_json_has_the_timeline_and_alerts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server)))
        run(capsys, "--db", db, "--config", config, "poll", "--once")
        status, out, _ = run(capsys, "--db", db, "--config", config, "ack", "1", "--by", "alice")
        assert status == 0 and "#1 acknowledged by alice" in out
        status, out, _ = run(capsys, "--db", db, "--config", config, "show", "1", "--json")
    assert status == 0
    shown = json.loads(out)
    assert shown["status"] == "acknowledged" and shown["calls"] == [] and shown["pages"] == []
    assert [e["kind"] for e in shown["timeline"]] == ["opened", "alert_fired", "ack"]
    assert shown["timeline"][-1]["by"] == "alice"
    (alert,) = shown["alerts"]
    assert alert["fingerprint"] == "a1" and alert["state"] == "firing" and alert["silenced"] is False
    assert alert["labels"]["service"] == "payments"
    status, _, err = run(capsys, "--db", db, "--config", config, "show", "99", "--json")
    assert status == 4 and "99" in err


def test_resolving_a_resolved_incident_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = str(write_config(tmp_path / "c.toml", url_of(server)))
        run(capsys, "--db", db, "--config", config, "poll", "--once")
    assert run(capsys, "--db", db, "--config", config, "resolve", "2", "--by", "bob")[0] == 0
    status, out, _ = run(capsys, "--db", db, "--config", config, "ack", "2", "--by", "alice")
    assert status == 0 and "#2 was already resolved at" in out and "by bob" in out


def test_removing_a_source_from_the_config_orphans_its_incidents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = write_config(tmp_path / "c.toml", url_of(server))
        run(capsys, "--db", db, "--config", str(config), "poll", "--once")
        config.write_text(  # "am" is gone; another source is configured instead
            f'[[sources]]\nname = "other"\ntype = "alertmanager"\nurl = "{url_of(server)}/other"\n'
        )
        run(capsys, "--db", db, "--config", str(config), "poll", "--once")
    status, out, _ = run(capsys, "--db", db, "--config", str(config), "incidents", "--json")
    assert status == 0 and {i["orphaned"] for i in json.loads(out)} == {True}
    store = open_store(db)
    with store.read() as r:
        assert [h.name for h in repo.list_source_health(r)] == ["other"]
    store.close()


# --- 17: credentials -----------------------------------------------------------------------------------


def test_a_password_in_the_database_url_of_the_file_is_refused_without_echoing_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[database]\nurl = "postgresql://noc:hunter2-canary@db.example/noc"\n')
    status, out, err = run(capsys, "--config", str(config), "incidents")
    assert status == 2 and out == ""
    assert "database.url" in err and "secret set database" in err and "hunter2-canary" not in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://noc:hunter2-canary@db.example:notaport/noc", 2),  # not a URL: exit 2, names --db
        ("mysql://noc:hunter2-canary@db.example/noc", 2),
        ("postgresql://noc:hunter2-canary@[db.invalid/noc", 1),  # parses, but cannot be reached: exit 1
    ],
)
def test_a_bad_database_url_is_never_echoed_with_its_password(
    capsys: pytest.CaptureFixture[str], url: str, expected: int
) -> None:
    status, out, err = run(capsys, "--db", url, "incidents")
    assert status == expected and out == "" and len(err.strip().splitlines()) == 1
    assert "--db" in err or "cannot open" in err
    assert "hunter2-canary" not in err


@pytest.mark.postgres
def test_the_database_password_comes_from_the_database_credential(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A URL that names a user and no password gets the `database` credential at connect time."""
    from noc_console.secrets import optional_secret
    from noc_console.store.db import with_credential

    asked: list[str] = []

    def lookup(name: str) -> str | None:
        asked.append(name)
        return "s3cret"

    with_user = pg_url.replace("postgres@", "postgres@", 1)
    assert "s3cret" in with_credential(with_user, lookup) and asked == ["database"]
    assert with_credential("sqlite:///x.db", lookup) == "sqlite:///x.db"
    assert optional_secret("database") is None  # none stored: a database that needs none is fine
    monkeypatch.setenv("NOC_CONSOLE_SECRET_DATABASE", "from-env")
    assert optional_secret("database") == "from-env"
    # trust auth ignores the password: the command still works end to end
    status, _, err = run(capsys, "--db", pg_url, "incidents", "--json")
    assert status == 0, err


def test_basic_auth_over_plain_http_is_a_standing_warning() -> None:
    from noc_console.config import config_warnings, parse_config

    config = parse_config(
        {
            "sources": [
                {"name": "lab", "type": "alertmanager", "url": "http://lab:9093", "username": "noc"},
                {"name": "prod", "type": "alertmanager", "url": "https://prod:9093", "username": "noc"},
                {"name": "open", "type": "alertmanager", "url": "http://open:9093"},
            ]
        }
    )
    (warning,) = config_warnings(config)
    assert "lab" in warning and "plain http://" in warning


def test_a_config_without_sources_orphans_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A console's config (no [[sources]]) running `poll --once` must not declare the floor's sources gone."""
    db = f"sqlite:///{tmp_path}/x.db"
    with misbehaving_server(ALERTS) as server:
        config = write_config(tmp_path / "c.toml", url_of(server))
        run(capsys, "--db", db, "--config", str(config), "poll", "--once")
    empty = tmp_path / "empty.toml"
    empty.write_text("[sla]\nack_minutes = 5\n")
    status, _, err = run(capsys, "--db", db, "--config", str(empty), "poll", "--once")
    assert status == 0 and "no sources are configured" in err
    status, out, _ = run(capsys, "--db", db, "--config", str(empty), "incidents", "--json")
    assert {i["orphaned"] for i in json.loads(out)} == {False}
    store = open_store(db)
    with store.read() as r:
        assert [h.name for h in repo.list_source_health(r)] == ["am"]
    store.close()
