"""Paging from the console: P starts a policy (its own or a chosen one); who is on call is in the footer."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from noc_console.config import parse_config
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store.models import EscalationRow
from noc_console.store.paging import import_directory
from noc_console.ui.action_dialogs import ActionDialog, PageDialog
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.main_window import MainWindow, on_call_text
from tests.cli.test_paging_cli import CONFIG

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
EXTRA_POLICY = """
[[policies]]
name = "everyone"

[[policies.levels]]
targets = ["alice", "bob"]
channels = ["sms", "email"]
wait_minutes = 5
"""


def test_p_pages_with_the_chosen_policy_and_the_footer_says_who_is_on_call(qtbot, tmp_path: Path) -> None:
    config = parse_config(tomllib.loads(CONFIG + EXTRA_POLICY))
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    now = datetime.now(UTC)
    labels = {"alertname": "a", "service": "payments"}
    alert = Alert("am", "a", labels, "Payments down", "", Severity.CRITICAL, now, service="payments")
    with store.session() as s:
        (incident_id,) = apply_snapshot(s, AlertSnapshot.of("am", now, [alert]), now=now).opened
        paging = config.paging
        import_directory(s, paging.people, paging.schedules, paging.policies, now)
    window = MainWindow(db_url, SlaPolicy(), "ana", None, helpdesk=HelpdeskSettings.of(config),
                        outbox_path=tmp_path / "outbox.db")  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
        qtbot.waitUntil(window.on_call_label.isVisible, timeout=5000)
        assert window.on_call_label.text().startswith("On call — primary: ")
        window.select_incident(incident_id)
        chosen: list[tuple[str | None, ...]] = []

        def choose(dialog: ActionDialog) -> int:
            assert isinstance(dialog, PageDialog)
            chosen.append(tuple(dialog.policy.itemData(i) for i in range(dialog.policy.count())))
            dialog.policy.setCurrentIndex(dialog.policy.findData("everyone"))
            dialog.accept()
            return int(dialog.result())

        window.incident_actions._open_dialog = choose
        qtbot.keyClick(window.table, Qt.Key.Key_P)
        assert chosen == [(None, "payments", "everyone")]
        qtbot.waitUntil(lambda: "paging with everyone" in window.action_status.text(), timeout=5000)
        with store.read() as s:
            (escalation,) = s.scalars(sa.select(EscalationRow)).all()
        assert (escalation.policy, escalation.started_by, escalation.reason) == ("everyone", "ana", "manual")
        qtbot.keyClick(window.table, Qt.Key.Key_P)  # again: already paging, said so, nothing new
        qtbot.waitUntil(lambda: "already paging" in window.action_status.text(), timeout=5000)
        with store.read() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(EscalationRow)) == 1
    finally:
        window.close()
        store.close()


def test_the_on_call_line_reads_plainly() -> None:
    from noc_console.domain.paging import OnCall

    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    text = on_call_text([OnCall("primary", "alice", "bob", monday), OnCall("nights", None, None, None)])
    assert text.startswith("On call — primary: alice (bob from Mon ")
    assert text.endswith(" · nights: NOBODY")
