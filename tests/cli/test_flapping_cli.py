"""`show ID --json` and `incidents --json` say whether an incident is held open because it flaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from noc_console.cli import main
from noc_console.domain import AlertSnapshot
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from tests.engine.test_apply_rules import T0, S, alert
from tests.engine.test_flapping_apply import QUICK, RULE


def test_show_and_incidents_json_carry_the_flapping_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/noc.db"
    store = open_store(db)
    for minute in range(6):  # fired, cleared, fired, cleared, fired (flaps), cleared (held open)
        now = T0 + minute * 60 * S
        snapshot = AlertSnapshot.of("am", now, [alert("a")] if minute % 2 == 0 else [])
        with store.session() as session:
            apply_snapshot(session, snapshot, now=now, rule=RULE, rules=QUICK)
    store.close()
    assert main(["--db", db, "show", "3", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "open" and shown["flapping"] is True
    assert shown["flapping_since"] == "2026-11-27T12:04:00Z"
    assert [a["flapping_since"] for a in shown["alerts"]] == ["2026-11-27T12:04:00Z"]
    assert [e["kind"] for e in shown["timeline"]].count("flapping") == 1
    assert main(["--db", db, "incidents", "--all", "--json"]) == 0
    listed = {
        i["id"]: (i["flapping"], i["flapping_since"], i["status"])
        for i in json.loads(capsys.readouterr().out)
    }
    assert listed == {
        1: (False, None, "resolved"),
        2: (False, None, "resolved"),
        3: (True, "2026-11-27T12:04:00Z", "open"),
    }
    assert main(["--db", db, "incidents"]) == 0
    assert "FLAPPING" in capsys.readouterr().out
