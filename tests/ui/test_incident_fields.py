"""What the operator table says of clearing, silenced and orphaned incidents, and the one action that
resolves every orphaned incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot, reconcile_sources
from noc_console.sources.base import SourceConfig
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.ui.incident_model import Column, IncidentRole, IncidentTableModel
from noc_console.ui.main_window import MainWindow
from tests.ui.conftest import T0, Clock, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def shown(model: IncidentTableModel, column: Column, row: int = 0) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_clearing_silenced_and_orphaned_are_spelled_out(qtbot, qtmodeltester) -> None:
    model = IncidentTableModel(SlaPolicy(), Clock(T0))
    clears_at = T0 + timedelta(minutes=3)
    local = f"{clears_at.astimezone():%H:%M}"
    model.apply([make_incident(1, Severity.CRITICAL, clearing_at=clears_at, suppressed_count=1)])
    assert f"CLEARING · resolves {local} unless it fires again" in shown(model, Column.TITLE)
    assert shown(model, Column.STATUS) == f"CLEARING {local}"
    assert shown(model, Column.ALERTS) == "2/3 · 1 silenced"

    model.apply([make_incident(2, Severity.MINOR, orphaned=True)])
    assert "ORPHANED — its source was removed from the config" in shown(model, Column.TITLE, row=1)
    assert shown(model, Column.STATUS, row=1) == "ORPHANED"
    assert shown(model, Column.ALERTS, row=1) == "2/3"
    qtmodeltester.check(model)
    # The selected row is drawn by the model, by id: marked, and still marked after its row moves.
    model.set_selected(2)
    assert shown(model, Column.SEVERITY, row=1) == "▶ MINOR"
    model.apply([make_incident(2, Severity.CRITICAL, minutes=-5, orphaned=True)])
    assert model.row_of(2) == 0
    assert shown(model, Column.SEVERITY, row=0) == "▶ CRITICAL"
    assert shown(model, Column.SEVERITY, row=1) == "CRITICAL"
    model.set_selected(None)
    assert shown(model, Column.SEVERITY, row=0) == "CRITICAL"


def alert(fp: str, source: str, service: str, at: datetime) -> Alert:
    return Alert(
        source=source,
        fingerprint=fp,
        labels={"alertname": f"{service} down", "service": service},
        summary=f"{service} down",
        description="",
        severity=Severity.MAJOR,
        starts_at=at,
        service=service,
    )


def test_resolve_orphaned_button_resolves_them_all_in_one_action(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    now = datetime.now(UTC)
    with store.session() as s:
        apply_snapshot(s, AlertSnapshot.of("old-am", now, [alert("a", "old-am", "dns", now)]), now=now)
        apply_snapshot(
            s,
            AlertSnapshot.of(
                "old-am", now, [alert("a", "old-am", "dns", now), alert("b", "old-am", "vpn", now)]
            ),
            now=now,
        )
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, [alert("c", "prod-am", "mail", now)]), now=now)
        config = [SourceConfig("prod-am", "alertmanager", "http://127.0.0.1:1", interval_s=10)]
        orphaned = reconcile_sources(s, config, now + timedelta(seconds=1))
    assert len(orphaned) == 2
    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.table.model().rowCount() == 3, timeout=5000)
        assert window.orphan_button.isVisible()
        assert window.orphan_button.text() == "Resolve 2 orphaned"
        qtbot.mouseClick(window.orphan_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.table.model().rowCount() == 1, timeout=5000)
        assert window.table.model().index(0, 0).data(IncidentRole).service == "mail"
        qtbot.waitUntil(lambda: "Resolved 2 orphaned" in window.action_status.text(), timeout=5000)
        assert not window.orphan_button.isVisible()
    finally:
        window.close()
    with store.read() as s:
        for incident_id in orphaned:
            (incident,) = repo.get_incidents(s, [incident_id])
            assert incident.status is IncidentStatus.RESOLVED and incident.resolved_by == "ana"
    store.close()
