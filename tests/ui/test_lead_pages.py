"""The lead's tabs in the operator window: nothing read until shown, then the charts agree with
`noc-console metrics --json` on the demo's seeded year, and the post-mortem list is there."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from noc_console.demo.history import seed_history
from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.ui.lead import LeadSettings
from noc_console.ui.main_window import MainWindow
from tests.cli.helpers import run_cli

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_charts_tab_shows_what_metrics_json_says(qtbot: Any, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    try:
        with store.session() as session:
            assert seed_history(session, datetime.now(UTC), days=120) > 0
    finally:
        store.close()
    config = tmp_path / "c.toml"
    config.write_text('[[services]]\nname = "webshop"\ncritical = true\nmatch = {}\n', encoding="utf-8")
    done = run_cli("--db", db_url, "--config", str(config), "metrics", "--since", "30d", "--json")
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    catalog = ServiceCatalog((ServiceDef("webshop", critical=True, match={}),))
    window = MainWindow(db_url, SlaPolicy(), "lead", poller=None, lead=LeadSettings(catalog, ()))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    shown: list[Any] = []
    try:
        window.lead.charts.shown.connect(shown.append)
        qtbot.wait(300)
        assert not window.lead.charts.started and shown == []  # not read before it is looked at
        window.tabs.setCurrentWidget(window.lead_tabs[window.lead.charts])
        qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
        charts = shown[-1]
        # the same last 30 days, by the same database clock a moment apart: the same incidents
        assert charts.incidents == cli["incidents"]
        assert round(charts.detected_internally_pct, 1) == cli["detected_internally_pct"]
        assert [g["service"] for g in cli["gaps"]] == [g.service for g in charts.gaps] == ["webshop"]
        window.tabs.setCurrentWidget(window.lead_tabs[window.lead.postmortems])
        qtbot.waitUntil(lambda: bool(window.lead.postmortems.lines), timeout=15_000)
    finally:
        window.close()
