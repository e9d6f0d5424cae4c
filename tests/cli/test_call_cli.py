"""`noc-console call add|ack|erase` and `show --json`'s calls, as child processes, on both databases; the
attach case against a real Alertmanager polled with `poll --once`."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import platformdirs
import pytest
import sqlalchemy as sa

from noc_console.store import open_store
from noc_console.store.models import CallRow, IncidentRow
from noc_console.store.outbox import Outbox
from tests.cli.helpers import run_cli, write_config

HELPDESK = """\
[helpdesk]
default_region = "GB"

[[services]]
name = "payments"
aliases = ["card payments", "checkout"]
"""
ANA = ("--caller", "Ana Pereira", "--org", "Pereira Bakeries", "--phone", "07911 123456")
PHONE = "+447911123456"


def config_without_sources(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(HELPDESK)
    return path


def cli(db_url: str, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--db", db_url, "--config", str(config), *args)


def call_add(db_url: str, config: Path, *args: str) -> dict[str, Any]:
    result = cli(db_url, config, "call", "add", *args, "--json")
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def show(db_url: str, config: Path, incident_id: int) -> dict[str, Any]:
    result = cli(db_url, config, "show", str(incident_id), "--json")
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def polled_payments_incident(alertmanager: Any, db_url: str, tmp_path: Path) -> tuple[Path, int]:
    """Card payments fail, says the real Alertmanager; `poll --once` opens the incident."""
    config = write_config(tmp_path / "c.toml", alertmanager.url, extra=f"\n{HELPDESK}")
    alertmanager.post_alerts(
        [
            {
                "labels": {"alertname": "PaymentsErrors", "service": "payments", "severity": "critical"},
                "annotations": {
                    "summary": "Card payments failing: gateway timeouts",
                    "description": "5xx at 20 %",
                },
            }
        ]
    )
    result = cli(db_url, config, "poll", "--once", "--json")
    assert result.returncode == 0, result.stderr
    (incident_id,) = json.loads(result.stdout)["opened"]
    return config, incident_id


def test_a_call_about_a_polled_incident_attaches_and_show_lists_it(
    alertmanager: Any, db_url: str, tmp_path: Path
) -> None:
    config, incident_id = polled_payments_incident(alertmanager, db_url, tmp_path)
    before = datetime.now(UTC)

    added = call_add(
        db_url, config, *ANA, "--service", "payments",
        "--summary", "Card payments failing, gateway timeouts at the checkout",
        "--users-affected", "12", "--impact", "down", "--by", "desk-1",
    )  # fmt: skip

    assert added["incident_id"] == incident_id
    assert added["attached"] is True and added["queued"] is False
    shown = show(db_url, config, incident_id)
    assert shown["detected_by"] == "monitoring" and shown["call_count"] == 1
    (call,) = shown["calls"]
    assert call["call_id"] == added["call_id"]
    assert (call["caller"], call["organisation"], call["phone"]) == ("Ana Pereira", "Pereira Bakeries", PHONE)
    assert call["summary"] == "Card payments failing, gateway timeouts at the checkout"
    assert call["attached"] is True and call["taken_by"] == "desk-1"
    assert (call["users_affected"], call["impact"], call["callback"]) == (12, "down", "phone")
    assert call["customer_acked_at"] is None and call["anonymised"] is False and call["told"] == []
    received = when(call["received_at"])
    assert received is not None and before - timedelta(seconds=1) <= received <= datetime.now(UTC)
    assert when(call["customer_ack_due_at"]) == received + timedelta(minutes=5)
    kinds = [e["kind"] for e in shown["timeline"]]
    assert kinds.count("call") == 1 and kinds.count("detection_race") == 1
    assert all("Ana" not in e["text"] and "7911" not in e["text"] for e in shown["timeline"])


def test_a_call_about_an_unrelated_service_opens_a_customer_detected_incident(
    alertmanager: Any, db_url: str, tmp_path: Path
) -> None:
    config, payments = polled_payments_incident(alertmanager, db_url, tmp_path)
    started = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)

    added = call_add(
        db_url, config, *ANA, "--service", "vpn", "--summary", "VPN drops every few minutes",
        "--started-at", started.isoformat().replace("+00:00", "Z"),
    )  # fmt: skip

    assert added["attached"] is False and added["incident_id"] not in (None, payments)
    shown = show(db_url, config, added["incident_id"])
    (call,) = shown["calls"]
    assert shown["detected_by"] == "customer" and shown["source"] is None
    assert shown["service"] == "vpn" and shown["title"] == "VPN drops every few minutes"
    assert when(shown["detected_at"]) == when(call["received_at"])
    assert when(shown["impact_started_at"]) == started == when(call["started_at"])
    assert call["attached"] is False and shown["call_count"] == 1
    assert show(db_url, config, payments)["calls"] == []


INVALID = [
    (("--phone", "12"), "--phone"),
    (("--phone", "not a number"), "--phone"),
    (("--summary", ""), "--summary"),
    (("--summary", "   "), "--summary"),
    (("--summary", "x" * 5_001), "--summary"),
    (("--caller", ""), "--caller"),
    (("--users-affected=-3",), "--users-affected"),
    (("--users-affected", "many"), "--users-affected"),
    (("--impact", "catastrophic"), "--impact"),
    (("--started-at", "yesterday"), "--started-at"),
    (("--started-at", "2999-01-01T00:00:00Z"), "--started-at"),  # after the call
    (("--callback", "pigeon"), "--callback"),
    (("--severity", "apocalyptic"), "--severity"),
    (("--attach-to", "0"), "--attach-to"),
]


@pytest.mark.parametrize(("bad", "option"), INVALID, ids=[f"{o}-{i}" for i, (_, o) in enumerate(INVALID)])
def test_invalid_input_exits_2_naming_the_option_and_writes_nothing(
    tmp_path: Path, bad: tuple[str, ...], option: str
) -> None:
    db_url = f"sqlite:///{tmp_path}/noc.db"
    config = config_without_sources(tmp_path)
    good = {"--phone": "07911 123456", "--caller": "Ana", "--service": "payments", "--summary": "it fails"}
    overridden = {arg.split("=")[0] for arg in bad if arg.startswith("--")}
    args = [value for flag, text in good.items() if flag not in overridden for value in (flag, text)]

    result = cli(db_url, config, "call", "add", *args, *bad, "--json")

    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"noc-console: {option}: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    store = open_store(db_url)
    try:
        with store.read() as r:
            assert r.scalar(sa.select(sa.func.count()).select_from(CallRow)) == 0
            assert r.scalar(sa.select(sa.func.count()).select_from(IncidentRow)) == 0
    finally:
        store.close()
    outbox = Path(platformdirs.user_data_dir("noc-console")) / "outbox.db"
    assert not outbox.exists() or len(Outbox(outbox)) == 0


def test_erase_anonymises_every_call_from_a_number(db_url: str, tmp_path: Path) -> None:
    config = config_without_sources(tmp_path)
    first = call_add(
        db_url, config, *ANA, "--service", "payments", "--summary", "Card payments fail", "--new"
    )
    incident_id = first["incident_id"]
    again = call_add(
        db_url, config, "--caller", "Ana Pereira", "--phone", "+44 7911 123456", "--service", "payments",
        "--summary", "Still failing", "--attach-to", str(incident_id),
    )  # fmt: skip
    other = call_add(
        db_url, config, "--caller", "Bo Lind", "--phone", "020 7946 0958", "--service", "payments",
        "--summary", "Checkout broken", "--attach-to", str(incident_id),
    )  # fmt: skip

    erased = cli(db_url, config, "call", "erase", "--phone", "+44 (0)7911 123456")

    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.strip() == f"2 call(s) from {PHONE} anonymised."
    calls = {c["call_id"]: c for c in show(db_url, config, incident_id)["calls"]}
    for call_id in (first["call_id"], again["call_id"]):
        call = calls[call_id]
        assert (call["caller"], call["organisation"], call["phone"]) == (None, None, None)
        assert call["anonymised"] is True and call["summary"] in ("Card payments fail", "Still failing")
    assert (
        calls[other["call_id"]]["caller"] == "Bo Lind" and calls[other["call_id"]]["phone"] == "+442079460958"
    )
    plain = cli(db_url, config, "show", str(incident_id))
    assert plain.returncode == 0 and "Ana" not in plain.stdout and "7911" not in plain.stdout
    assert "Bo Lind" in plain.stdout  # the other caller's data stays

    repeat = cli(db_url, config, "call", "erase", "--phone", "07911 123456")
    assert repeat.returncode == 0 and repeat.stdout.strip() == f"0 call(s) from {PHONE} anonymised."
    bad = cli(db_url, config, "call", "erase", "--phone", "12")
    assert bad.returncode == 2 and bad.stderr.startswith("noc-console: --phone: ")


def test_ack_prints_what_to_tell_the_caller_and_closes_their_clock_once(db_url: str, tmp_path: Path) -> None:
    config = config_without_sources(tmp_path)
    added = call_add(
        db_url,
        config,
        *ANA,
        "--service",
        "payments",
        "--summary",
        "Card payments fail",
        "--severity",
        "major",
    )

    acked = cli(db_url, config, "call", "ack", added["call_id"], "--by", "desk-2")

    assert acked.returncode == 0, acked.stderr
    text = acked.stdout
    assert text.startswith("Hello Ana Pereira, thank you for calling.")
    assert f"incident #{added['incident_id']}: Card payments fail" in text
    assert "We will update you by phone by " in text
    shown = show(db_url, config, added["incident_id"])
    (call,) = shown["calls"]
    assert call["customer_acked_by"] == "desk-2" and when(call["customer_acked_at"]) is not None

    again = cli(db_url, config, "call", "ack", added["call_id"], "--by", "desk-3")
    assert again.returncode == 0 and "already acknowledged by desk-2" in again.stderr
    shown = show(db_url, config, added["incident_id"])
    assert shown["calls"][0]["customer_acked_by"] == "desk-2"
    assert [e["kind"] for e in shown["timeline"]].count("caller_ack") == 1

    unknown = cli(db_url, config, "call", "ack", "00000000-0000-4000-8000-000000000000")
    assert unknown.returncode == 4 and unknown.stderr.startswith("noc-console: CALL_ID: ")


def test_a_customer_update_is_told_to_every_caller(db_url: str, tmp_path: Path) -> None:
    config = config_without_sources(tmp_path)
    first = call_add(
        db_url, config, *ANA, "--service", "payments", "--summary", "Card payments fail", "--new"
    )
    incident_id = first["incident_id"]
    call_add(
        db_url, config, "--caller", "Bo Lind", "--phone", "020 7946 0958", "--service", "payments",
        "--summary", "Checkout broken", "--attach-to", str(incident_id), "--callback", "sms",
    )  # fmt: skip

    update = cli(db_url, config, "update", str(incident_id), "--text", "Rolling back now", "--by", "lead")

    assert update.returncode == 0, update.stderr
    shown = show(db_url, config, incident_id)
    assert len(shown["calls"]) == 2
    for call in shown["calls"]:
        assert [(t["channel"], t["text"], t["by"]) for t in call["told"]] == [
            ("phone", "Rolling back now", "lead")
        ]
        assert call["customer_acked_by"] == "lead"
    updates = [e["text"] for e in shown["timeline"] if e["kind"] == "customer_update"]
    assert updates == ["Customer update (phone) (told 2 callers): Rolling back now"]


def test_a_start_typed_with_an_offset_is_stated_in_utc(tmp_path: Path) -> None:
    """The agent types when it started as the caller said it, in their zone (+02:00)."""
    db_url = f"sqlite:///{tmp_path}/noc.db"
    config = config_without_sources(tmp_path)
    started = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    typed = started.astimezone(timezone(timedelta(hours=2))).isoformat()

    added = call_add(
        db_url, config, *ANA, "--service", "vpn", "--summary", "VPN drops", "--started-at", typed, "--new"
    )

    shown = show(db_url, config, added["incident_id"])
    assert when(shown["calls"][0]["started_at"]) == started == when(shown["impact_started_at"])
    (said,) = [e["text"] for e in shown["timeline"] if e["kind"] == "call"]
    assert said.endswith(f"(started for them at {started:%H:%M} UTC)"), said
