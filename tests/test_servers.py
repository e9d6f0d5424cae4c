"""The test servers themselves work: a real Alertmanager, and PostgreSQL schemas isolated per test."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
import sqlalchemy as sa

from tests.servers import Alertmanager, free_port

# The conftest registers this plugin too; registering it here as well keeps this file runnable alone.
pytest_plugins = ["tests.servers"]


def test_free_port_is_bindable() -> None:
    import socket

    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


@pytest.mark.alertmanager
def test_alertmanager_accepts_and_lists_a_posted_alert(alertmanager: Alertmanager) -> None:
    assert requests.get(f"{alertmanager.url}/-/ready", timeout=5).status_code == 200
    starts = dt.datetime.now(dt.UTC).isoformat()
    alertmanager.post_alerts(
        [
            {
                "labels": {"alertname": "LinkDown", "service": "payments", "severity": "critical"},
                "annotations": {"summary": "uplink down"},
                "startsAt": starts,
            }
        ]
    )
    alerts = alertmanager.get_alerts()
    assert [a["labels"]["alertname"] for a in alerts] == ["LinkDown"]
    assert alerts[0]["status"]["state"] == "active"


@pytest.mark.alertmanager
def test_alertmanager_kill_makes_it_unreachable(alertmanager: Alertmanager) -> None:
    alertmanager.kill()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{alertmanager.url}/-/ready", timeout=2)


@pytest.mark.postgres
def test_pg_url_is_an_isolated_schema(pg_url: str, postgres_server: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    default = sa.create_engine(postgres_server, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            assert schema.startswith("t_")
            conn.execute(sa.text("CREATE TABLE isolation_probe (id integer PRIMARY KEY)"))
            conn.execute(sa.text("INSERT INTO isolation_probe VALUES (1)"))
        assert "isolation_probe" in sa.inspect(engine).get_table_names()
        assert "isolation_probe" not in sa.inspect(default).get_table_names()
    finally:
        engine.dispose()
        default.dispose()


def test_db_url_opens(db_url: str) -> None:
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE probe (id integer PRIMARY KEY)"))
            assert conn.execute(sa.text("SELECT count(*) FROM probe")).scalar_one() == 0
    finally:
        engine.dispose()


def test_markers_select_tests_by_the_servers_they_use() -> None:
    """`-m postgres` picks exactly the PostgreSQL runs (and `-m alertmanager` the real-server tests),
    whether or not their authors remembered the marker."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def collected(marker: str, path: str) -> list[str]:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                "-m",
                marker,
                path,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return [line for line in result.stdout.splitlines() if "::" in line]

    postgres = collected("postgres", "tests/store/test_store.py")
    assert postgres and all(name.endswith("[postgresql]") for name in postgres)
    not_postgres = collected("not postgres", "tests/store/test_store.py")
    assert not_postgres and not any("[postgresql]" in name for name in not_postgres)
    real = collected("alertmanager", "tests/cli/test_poll_alertmanager.py")
    assert len(real) == 4  # two tests, each on both backends
