"""Schema changes: once, under a lock, with one backup; a newer database refused before anything else."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from noc_console.store import SchemaError, open_store
from noc_console.store import repository as repo
from noc_console.store.db import SCHEMA_HEAD, _alembic_config, make_engine, schema_revision, writer
from tests.cli.helpers import ROOT, run_cli, write_config

HEAD = "0014"


def test_the_schema_head_a_start_compares_with_is_the_newest_migration() -> None:
    """A start skips alembic when the database is at SCHEMA_HEAD: a new migration must move it too."""
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == SCHEMA_HEAD == HEAD


def test_a_start_at_the_head_does_not_import_alembic(tmp_path: Path) -> None:
    open_store(f"sqlite:///{tmp_path}/noc.db").close()
    code = (
        "import sys; from noc_console.store import open_store; "
        f"open_store('sqlite:///{tmp_path}/noc.db').close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def at_revision(url: str, revision: str) -> None:
    """A database as an older release left it: schema at `revision`, with an incident and its alerts.

    Two firing rows for one alert, as two writers at once could leave them before the unique index.
    """
    engine = make_engine(url)
    config = _alembic_config()
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.execute(
            sa.text(
                "INSERT INTO incidents (id, title, severity, status, service, correlation_key, "
                "detected_by, source, opened_at, detected_at, last_alert_at, alert_count, firing_count, "
                "call_count) VALUES (1, 'payments down', 'critical', 'open', 'payments', "
                "'service:payments', 'monitoring', 'am', :t, :t, :t, 2, 2, 0)"
            ),
            {"t": "2026-11-27 12:00:00"},
        )
        for alert_id in (1, 2):
            connection.execute(
                sa.text(
                    "INSERT INTO alerts (id, incident_id, source, fingerprint, name, labels, summary, "
                    "description, severity, state, silenced, inhibited, starts_at, first_seen_at, "
                    "last_seen_at, missed_fetches, fire_count) VALUES (:id, 1, 'am', 'f1', 'Down', '{}', "
                    "'down', '', 'critical', 'firing', false, false, :s, :t, :t, 0, 1)"
                ),
                {"id": alert_id, "s": "2026-11-27 11:58:00", "t": "2026-11-27 12:00:00"},
            )
        connection.execute(
            sa.text("INSERT INTO changes (seq, at, kind, incident_id) VALUES (41, :t, 'incident', 1)"),
            {"t": "2026-11-27 12:00:00"},
        )
    engine.dispose()


def set_revision(url: str, revision: str) -> None:
    engine = make_engine(url)
    with writer(engine).begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_an_older_sqlite_file_is_backed_up_once_and_migrated_with_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/noc.db"
    at_revision(url, "0001")
    store = open_store(url)
    backups = list(tmp_path.glob("noc.db.0001.*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600  # a copy of the data, owner-only
    open_store(url).close()  # current now: no second backup
    assert len(list(tmp_path.glob("*.bak"))) == 1
    with store.read() as r:
        (incident,) = repo.list_incidents(r)
        alerts = repo.alerts_of(r, incident.id)
        assert repo.latest_change_seq(r) == 41  # the feed continues from where it was
    assert incident.impact_started_at is not None and incident.impact_started_at.hour == 11
    assert sorted(a.state for a in alerts) == ["firing", "resolved"]  # the duplicate is settled
    with store.session() as session:
        repo.acknowledge(session, incident.id, "ana", repo.db_now(session))
    with store.read() as r:
        assert [c.seq for c in repo.changes_since(r, 41)] == [42]
    store.close()


def test_a_newer_database_is_refused_cleanly_without_a_backup(db_url: str, tmp_path: Path) -> None:
    open_store(db_url).close()
    set_revision(db_url, "ffff")
    for schema in ("auto", "migrate", "check"):
        with pytest.raises(SchemaError, match=r"written by a newer NOC Console \(schema revision ffff"):
            open_store(db_url, schema=schema)  # type: ignore[arg-type]
    assert list(tmp_path.glob("*.bak")) == []
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9")
    result = run_cli("--db", db_url, "--config", str(config), "incidents", "--json")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "newer NOC Console" in lines[0] and "Traceback" not in result.stderr
    assert list(tmp_path.glob("*.bak")) == []


@pytest.mark.postgres
def test_an_older_shared_schema_waits_for_an_explicit_migrate(pg_url: str, tmp_path: Path) -> None:
    at_revision(pg_url, "0001")
    with pytest.raises(SchemaError, match="noc-console migrate"):
        open_store(pg_url)  # a console never alters a floor's shared schema by itself
    engine = make_engine(pg_url)
    assert schema_revision(engine) == "0001"
    engine.dispose()
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9")
    refused = run_cli("--db", pg_url, "--config", str(config), "incidents")
    assert refused.returncode == 1 and "noc-console migrate" in refused.stderr
    done = run_cli("--db", pg_url, "--config", str(config), "migrate")
    assert done.returncode == 0, done.stderr
    assert f"from schema revision 0001 to {HEAD}" in done.stdout
    again = run_cli("--db", pg_url, "--config", str(config), "migrate")
    assert again.returncode == 0 and "up to date" in again.stdout
    store = open_store(pg_url)
    with store.read() as r:
        assert len(repo.list_incidents(r)) == 1
    store.close()


def test_the_gui_check_never_changes_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/noc.db"
    at_revision(url, "0001")
    with pytest.raises(SchemaError, match="revision 0001"):
        open_store(url, schema="check")
    engine = make_engine(url)
    assert schema_revision(engine) == "0001"
    engine.dispose()
    assert list(tmp_path.glob("*.bak")) == []


def test_processes_starting_together_on_a_new_database_migrate_once(db_url: str, tmp_path: Path) -> None:
    """A poller and three `incidents --json` started at once on a database with no tables yet."""
    config = write_config(tmp_path / "c.toml", "http://127.0.0.1:9", extra="interval_s = 60")
    base = [sys.executable, "-m", "noc_console", "--db", db_url, "--config", str(config)]
    spawn = {"cwd": ROOT, "stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    poller = subprocess.Popen([*base, "poller"], **spawn)  # type: ignore[call-overload]
    readers = [subprocess.Popen([*base, "incidents", "--json"], **spawn) for _ in range(3)]  # type: ignore[call-overload]
    try:
        for reader in readers:
            out, err = reader.communicate(timeout=60)
            assert reader.returncode == 0, err.decode()
            assert out.decode().strip() == "[]"
        assert poller.poll() is None, poller.communicate()[1].decode()
    finally:
        poller.send_signal(signal.SIGTERM)
        _, err = poller.communicate(timeout=30)
    assert poller.returncode == 0, err.decode()
    assert "already exists" not in err.decode()
    engine = make_engine(db_url)
    assert schema_revision(engine) == HEAD
    engine.dispose()


def test_a_new_sqlite_file_is_owner_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        store = open_store(f"sqlite:///{tmp_path}/data/noc.db")
        with store.session() as session:
            repo.record_change(session, "poller", repo.db_now(session))
        for name in ("noc.db", "noc.db-wal"):
            path = tmp_path / "data" / name
            if path.exists():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
        store.close()
    finally:
        os.umask(previous)


def test_the_migrated_schema_is_the_models_schema(db_url: str) -> None:
    """No drift: what the revisions build is exactly what the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from noc_console.store.models import Base

    open_store(db_url).close()
    engine = make_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
