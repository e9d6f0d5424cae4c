"""End to end: an Alertmanager HA pair (`urls`) of two real Alertmanagers, `noc-console poll --once` as a
child process, both databases: every alert once, one member down a stored warning, both down blind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.cli.test_poll_alertmanager import am_alert
from tests.servers import Alertmanager


@pytest.fixture
def second_alertmanager(alertmanager_binary: str, tmp_path: Path) -> Iterator[Alertmanager]:
    """The pair's other member: its own process, port and storage (the pair does not gossip here, so
    each member holds only what was posted to it, as when the cluster is split)."""
    workdir = tmp_path / "alertmanager-b"
    workdir.mkdir()
    server = Alertmanager(alertmanager_binary, workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pair_config(path: Path, *urls: str) -> Path:
    listed = ", ".join(f'"{url}"' for url in urls)
    path.write_text(
        '[[sources]]\nname = "am-pair"\ntype = "alertmanager"\n'
        f"urls = [{listed}]\ntimeout_s = 2\nresolve_after_s = 0\n"
    )
    return path


def cli(config: Path, db_url: str, *args: str) -> tuple[int, str]:
    result = run_cli("--db", db_url, "--config", str(config), *args)
    return result.returncode, result.stdout or result.stderr


def poll(config: Path, db_url: str) -> tuple[int, dict[str, object]]:
    status, out = cli(config, db_url, "poll", "--once", "--json")
    return status, json.loads(out)


def stored_health(db_url: str) -> tuple[int, str | None, int]:
    """(consecutive failures, warning, alert count) of the pair as the store holds them."""
    from noc_console.store import open_store
    from noc_console.store import repository as repo

    store = open_store(db_url)
    try:
        with store.read() as session:
            (health,) = [h for h in repo.list_source_health(session) if h.name == "am-pair"]
    finally:
        store.close()
    return health.consecutive_failures, health.warning, health.alert_count


def test_ha_pair_shows_every_alert_once_and_survives_one_member_down(
    alertmanager: Alertmanager, second_alertmanager: Alertmanager, db_url: str, tmp_path: Path
) -> None:
    a, b = alertmanager, second_alertmanager
    config = pair_config(tmp_path / "c.toml", a.url, b.url)
    both = [am_alert("payments", "critical"), am_alert("checkout", "major")]
    a.post_alerts(both)
    b.post_alerts([*both, am_alert("dns", "minor")])  # dns reached only member b

    status, report = poll(config, db_url)
    assert status == 0, report
    assert report["sources"] == [{"name": "am-pair", "ok": True, "error": None, "alerts": 3, "stale": False}]
    assert len(report["opened"]) == 3 and report["resolved"] == []
    assert stored_health(db_url) == (0, None, 3)

    status, out = cli(config, db_url, "incidents", "--json")
    incidents = json.loads(out)
    assert sorted(i["service"] for i in incidents) == ["checkout", "dns", "payments"]
    assert all(i["alert_count"] == 1 and i["source"] == "am-pair" for i in incidents)
    for incident in incidents:
        status, out = cli(config, db_url, "show", str(incident["id"]), "--json")
        assert status == 0, out
        alerts = json.loads(out)["alerts"]
        assert len(alerts) == 1 and alerts[0]["labels"]["service"] == incident["service"]

    b.stop()  # the member holding dns alone: a still answers
    for _ in range(3):  # more polls than it takes absences to resolve
        status, report = poll(config, db_url)
        assert status == 0, report
        (source,) = report["sources"]
        assert source["ok"] is True and source["stale"] is False and source["error"] is None
        assert report["resolved"] == [] and report["opened"] == []
    failures, warning, _count = stored_health(db_url)
    assert failures == 0
    assert warning is not None and warning.startswith("1 of 2 members not answering: ")
    assert b.url in warning and a.url not in warning
    status, text = cli(config, db_url, "poll", "--once")
    assert status == 0 and "am-pair: ok" in text and "WARNING: 1 of 2 members not answering" in text, text

    a.stop()  # both down: blind, and still nothing resolves
    for _ in range(3):
        status, report = poll(config, db_url)
        assert status == 3, report
        (source,) = report["sources"]
        assert source["ok"] is False and source["stale"] is True
        assert "every member of the HA pair failed" in str(source["error"])
        assert a.url in str(source["error"]) and b.url in str(source["error"])
        assert report["resolved"] == []
    assert stored_health(db_url)[0] >= 3

    status, out = cli(config, db_url, "incidents", "--json")
    incidents = json.loads(out)
    assert len(incidents) == 3 and {i["status"] for i in incidents} == {"open"}


def test_member_back_clears_the_warning(
    alertmanager: Alertmanager, second_alertmanager: Alertmanager, db_url: str, tmp_path: Path
) -> None:
    a, b = alertmanager, second_alertmanager
    config = pair_config(tmp_path / "c.toml", a.url, b.url)
    a.post_alerts([am_alert("vpn", "minor")])
    b.post_alerts([am_alert("vpn", "minor")])
    b.stop()
    status, report = poll(config, db_url)
    assert status == 0 and len(report["opened"]) == 1, report
    assert stored_health(db_url)[1] is not None

    b.start()
    b.post_alerts([am_alert("vpn", "minor")])
    status, report = poll(config, db_url)
    assert status == 0 and report["opened"] == [] and report["resolved"] == [], report
    assert stored_health(db_url) == (0, None, 1)
