"""Acknowledge write-back end to end, against the real Alertmanager and the real Icinga 2.

A poll opens the incident (`noc-console poll --once`), `noc-console ack` acknowledges it, the poller's
write-back worker performs the job, and the test reads the result back from the server itself.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from noc_console.config import load_config
from noc_console.engine.writeback import Writeback
from noc_console.sources.alertmanager_silences import get_silence
from noc_console.store import Store
from noc_console.store import writeback as jobs
from tests.cli.helpers import run_cli
from tests.cli.test_poll_alertmanager import am_alert, poll
from tests.icinga_server import API_PASSWORD, API_USER, Icinga2


def show(config: Path, db_url: str, incident_id: int) -> dict[str, Any]:
    result = run_cli("--db", db_url, "--config", str(config), "show", str(incident_id), "--json")
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def ack(config: Path, db_url: str, incident_id: int, by: str = "alice") -> None:
    result = run_cli("--db", db_url, "--config", str(config), "ack", str(incident_id), "--by", by)
    assert result.returncode == 0, result.stderr


def worker(store: Store, config: Path, secrets: dict[str, str] | None = None) -> Writeback:
    sources = {s.name: s for s in load_config(config).sources}
    return Writeback(store, sources, secret=(secrets or {}).__getitem__, jitter=lambda: 0.5)


def am_config(path: Path, url: str) -> Path:
    path.write_text(
        f'[[sources]]\nname = "am-prod"\ntype = "alertmanager"\nurl = "{url}"\ntimeout_s = 2\n'
        "resolve_after_s = 0\nack_writeback = true\n"
    )
    return path


def texts(shown: dict[str, Any]) -> list[str]:
    return [entry["text"] for entry in shown["timeline"] if entry["kind"] == "writeback"]


def test_an_ack_silences_the_alert_in_alertmanager_until_it_clears(
    alertmanager: Any, db_url: str, store: Store, tmp_path: Path
) -> None:
    config = am_config(tmp_path / "c.toml", alertmanager.url)
    alertmanager.post_alerts([am_alert("payments", "critical")])
    status, report = poll(config, db_url)
    assert status == 0, report
    (incident_id,) = report["opened"]  # type: ignore[misc]
    assert worker(store, config).tick(None) == 0  # nothing acknowledged yet: nothing to write back

    ack(config, db_url, incident_id)
    assert worker(store, config).tick(None) == 1
    with store.read() as session:
        (state,) = jobs.writebacks_of(session, incident_id)
    assert state.status.value == "done" and state.remote_id

    silence = get_silence(requests.Session(), load_config(config).sources[0], state.remote_id)
    assert silence["status"]["state"] == "active"
    assert silence["createdBy"] == "alice"
    assert f"#{incident_id}" in silence["comment"]
    labels = {"alertname": "PaymentsDown", "service": "payments", "severity": "critical"}
    assert sorted((m["name"], m["value"], m["isEqual"], m["isRegex"]) for m in silence["matchers"]) == sorted(
        (name, value, True, False) for name, value in labels.items()
    )
    ends = datetime.fromisoformat(silence["endsAt"].replace("Z", "+00:00"))
    assert timedelta(hours=3) < ends - datetime.now(UTC) <= timedelta(hours=4, minutes=1)
    shown = show(config, db_url, incident_id)
    assert texts(shown) == [f"Acknowledged at am-prod (silence {state.remote_id})"]
    plain = run_cli("--db", db_url, "--config", str(config), "show", str(incident_id))
    assert f"write-back am-prod (PaymentsDown): acknowledged (silence {state.remote_id})" in plain.stdout

    # The alert clears at the source; the poll resolves it, and the silence is expired.
    alertmanager.post_alerts(
        [am_alert("payments", "critical", ends_at=datetime.now(UTC) - timedelta(minutes=1))]
    )
    for _ in range(2):
        assert poll(config, db_url)[0] == 0
    assert show(config, db_url, incident_id)["alerts"][0]["state"] == "resolved"
    assert worker(store, config).tick(None) == 1
    expired = get_silence(requests.Session(), load_config(config).sources[0], state.remote_id)
    assert expired["status"]["state"] == "expired"
    assert texts(show(config, db_url, incident_id))[-1] == "Silence at am-prod expired: the alert cleared"
    assert worker(store, config).tick(None) == 0  # and nothing is left to do


def test_a_silence_is_extended_while_its_alert_still_fires(
    alertmanager: Any, db_url: str, store: Store, tmp_path: Path
) -> None:
    config = am_config(tmp_path / "c.toml", alertmanager.url)
    alertmanager.post_alerts([am_alert("payments", "critical")])
    (incident_id,) = poll(config, db_url)[1]["opened"]  # type: ignore[misc]
    ack(config, db_url, incident_id)
    assert worker(store, config).tick(None) == 1
    with store.read() as session:
        (first,) = jobs.writebacks_of(session, incident_id)

    later = datetime.now(UTC) + timedelta(hours=3, minutes=30)  # within the hour before it ends
    extender = Writeback(
        store, {s.name: s for s in load_config(config).sources}, secret={}.__getitem__, clock=lambda _s: later
    )
    assert extender.tick(None) == 1
    with store.read() as session:
        (extended,) = jobs.writebacks_of(session, incident_id)
    assert extended.status.value == "done" and extended.remote_id
    silence = get_silence(requests.Session(), load_config(config).sources[0], extended.remote_id)
    ends = datetime.fromisoformat(silence["endsAt"].replace("Z", "+00:00"))
    assert ends - later > timedelta(hours=3, minutes=50)
    assert silence["status"]["state"] == "active"
    assert first.remote_id is not None


def icinga_config(path: Path, server: Icinga2) -> Path:
    path.write_text(
        f'[[sources]]\nname = "icinga-prod"\ntype = "icinga2"\nurl = "{server.url}"\n'
        f'username = "{API_USER}"\n'
        f'ca_file = "{server.ca_file}"\nresolve_after_missed = 1\nresolve_after_s = 0\nack_writeback = true\n'
    )
    return path


def test_an_ack_acknowledges_the_service_in_icinga2(
    icinga2: Icinga2, db_url: str, store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    config = icinga_config(tmp_path / "c.toml", icinga2)
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_ICINGA_PROD", API_PASSWORD)
    icinga2.set_state("web-1", "https", 2, "HTTP CRITICAL: 503 Service Unavailable")
    polled = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
    assert polled.returncode == 0, polled.stderr
    (incident_id,) = json.loads(polled.stdout)["opened"]

    ack(config, db_url, incident_id, by="bob")
    assert worker(store, config, {"source:icinga-prod": API_PASSWORD}).tick(None) == 1

    answer = icinga2.api("GET", "/v1/objects/services?service=web-1!https&attrs=acknowledgement")
    assert answer.status_code == 200, answer.text
    (service,) = answer.json()["results"]
    assert service["attrs"]["acknowledgement"] == 2  # sticky
    comments = icinga2.api("GET", "/v1/objects/comments?attrs=author&attrs=text&attrs=entry_type").json()
    (comment,) = [c["attrs"] for c in comments["results"] if c["attrs"]["entry_type"] == 4]
    assert comment["author"] == "bob" and f"#{incident_id}" in comment["text"]
    assert texts(show(config, db_url, incident_id)) == ["Acknowledged at icinga-prod"]

    # A poll after the acknowledge keeps the incident (the problem is held back, not gone).
    polled = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
    assert polled.returncode == 0 and json.loads(polled.stdout)["resolved"] == []


def test_a_host_problem_is_acknowledged_as_a_host(
    icinga2: Icinga2, db_url: str, store: Store, tmp_path: Path, monkeypatch: Any
) -> None:
    config = icinga_config(tmp_path / "c.toml", icinga2)
    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_ICINGA_PROD", API_PASSWORD)
    icinga2.set_state("edge-1", None, 1, "PING CRITICAL - Packet loss = 100%")
    env_poll = run_cli("--db", db_url, "--config", str(config), "poll", "--once", "--json")
    (incident_id,) = json.loads(env_poll.stdout)["opened"]
    ack(config, db_url, incident_id)
    assert worker(store, config, {"source:icinga-prod": API_PASSWORD}).tick(None) == 1
    (host,) = icinga2.api("GET", "/v1/objects/hosts?host=edge-1&attrs=acknowledgement").json()["results"]
    assert host["attrs"]["acknowledgement"] == 2


def test_a_poller_killed_before_recording_its_silence_leaves_no_second_one(
    alertmanager: Any, db_url: str, store: Store, tmp_path: Path
) -> None:
    config = am_config(tmp_path / "c.toml", alertmanager.url)
    alertmanager.post_alerts([am_alert("payments", "critical")])
    (incident_id,) = poll(config, db_url)[1]["opened"]  # type: ignore[misc]
    ack(config, db_url, incident_id)
    dead = worker(store, config)
    with store.session() as session:
        (job,) = jobs.claim_due(session, datetime.now(UTC))
    made = dead.perform(job).remote_id  # the request went out; the poller died before recording it

    later = datetime.now(UTC) + timedelta(minutes=3)  # the claim is stale: another poller takes it over
    heir = Writeback(
        store, {s.name: s for s in load_config(config).sources}, secret={}.__getitem__, clock=lambda _s: later
    )
    assert heir.tick(None) == 1
    with store.read() as session:
        (state,) = jobs.writebacks_of(session, incident_id)
    assert state.status.value == "done" and state.remote_id == made
    listed = requests.get(f"{alertmanager.url}/api/v2/silences", timeout=5).json()
    assert [s["id"] for s in listed if s["status"]["state"] == "active"] == [made]
