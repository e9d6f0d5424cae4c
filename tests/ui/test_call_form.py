"""The helpdesk's call form in the console: keyboard only, inline validation, the match list following
what is typed, and calls that survive a database that is away."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.incidents import DetectionSource
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.calls import calls_of
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.main_window import MainWindow
from tests.servers import CuttableProxy

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
HELPDESK = HelpdeskSettings("GB", ["payments", "dns", "mail"], {"payments": ("card payments", "checkout")})


def alert(fp: str, service: str, summary: str, at: datetime) -> Alert:
    labels = {"alertname": fp, "service": service}
    return Alert("am", fp, labels, summary, "", Severity.MAJOR, at, service=service)


def monitoring_incident(store: Store, service: str, summary: str) -> int:
    now = datetime.now(UTC)
    with store.session() as s:
        (incident_id,) = apply_snapshot(s, AlertSnapshot.of("am", now, [alert("a", service, summary, now)]),
                                        now=now).opened  # fmt: skip
    return incident_id


def console(qtbot, db_url: str, tmp_path: Path, name: str = "ana") -> MainWindow:
    window = MainWindow(
        db_url, SlaPolicy(), name, poller=None, helpdesk=HELPDESK, outbox_path=tmp_path / "outbox.db"
    )
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def type_call(qtbot, window: MainWindow, *, service: str, summary: str, phone: str = "07700 900123") -> None:
    """Everything from the keyboard: Ctrl+L, then each field, Enter or Tab to move on."""
    form = window.helpdesk.form
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.call_page and window.call_page.widget() is form
    qtbot.waitUntil(form.caller.hasFocus, timeout=2000)
    qtbot.keyClicks(form.caller, "Ana Ruiz")
    qtbot.keyClick(form.caller, Qt.Key.Key_Return)
    assert form.org.hasFocus()
    qtbot.keyClicks(form.org, "ACME Ltd")
    qtbot.keyClick(form.org, Qt.Key.Key_Return)
    assert form.phone.hasFocus()
    qtbot.keyClicks(form.phone, phone)
    qtbot.keyClick(form.phone, Qt.Key.Key_Return)
    assert form.callback.hasFocus()
    qtbot.keyClick(form.callback, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.service.lineEdit(), service)
    qtbot.keyClick(form.service, Qt.Key.Key_Tab)
    assert form.summary.hasFocus()
    qtbot.keyClicks(form.summary, summary)
    qtbot.keyClick(form.summary, Qt.Key.Key_Tab)
    assert form.started.hasFocus()
    qtbot.keyClicks(form.started, "25 min ago")
    qtbot.keyClick(form.started, Qt.Key.Key_Return)
    qtbot.keyClicks(form.users, "40")
    qtbot.keyClick(form.users, Qt.Key.Key_Return)
    assert form.impact.hasFocus()


def test_a_call_typed_from_the_keyboard_attaches_to_the_incident_the_list_offers(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    incident_id = monitoring_incident(store, "payments", "Card payments failing with 5xx")
    window = console(qtbot, db_url, tmp_path)
    form = window.helpdesk.form
    try:
        type_call(qtbot, window, service="paymnets", summary="card payment keeps failing at checkout")
        # The match list followed the typing: the incident we have is offered first, and chosen.
        qtbot.waitUntil(lambda: form.matches.count() >= 2, timeout=5000)
        first = form.matches.item(0).text()
        assert first.startswith(f"#{incident_id} MAJOR · payments")
        assert "NOT yet acknowledged" in first
        assert form.save_button.text() == f"Save call — attach to #{incident_id}"
        started = time.monotonic()
        qtbot.keyClick(form.impact, Qt.Key.Key_Return)  # Enter on the last field saves
        qtbot.waitUntil(lambda: form.status.text().startswith("Logged: attached"), timeout=5000)
        assert time.monotonic() - started < 5
        assert f"#{incident_id}" in form.status.text()
        assert form.caller.text() == "" and form.summary.toPlainText() == ""  # cleared for the next caller
        assert form.caller.hasFocus()
        assert "Ana Ruiz" in form.read_out.toPlainText()
        with store.read() as s:
            (call,) = calls_of(s, incident_id)
        assert call.phone == "+447700900123" and call.caller == "Ana Ruiz" and call.organisation == "ACME Ltd"
        assert call.users_affected == 40 and call.started_at is not None
        assert call.customer_acked_at is None
        qtbot.keyClick(form, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # the caller was told
        qtbot.waitUntil(lambda: "Caller acknowledged" in form.status.text(), timeout=5000)
        with store.read() as s:
            (call,) = calls_of(s, incident_id)
        assert call.customer_acked_by == "ana"
    finally:
        window.close()
        store.close()


def test_a_new_customer_detected_incident_with_the_suggested_severity(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    monitoring_incident(store, "payments", "Card payments failing with 5xx")
    window = console(qtbot, db_url, tmp_path)
    form = window.helpdesk.form
    try:
        type_call(qtbot, window, service="mail", summary="nobody in the office can send e-mail since 9")
        qtbot.waitUntil(lambda: form.save_button.text() == "Save call — new incident", timeout=5000)
        assert form.matches.currentItem().text().startswith("+ New customer-detected incident")
        qtbot.keyClick(form.impact, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "new customer-detected incident" in form.status.text(), timeout=5000)
        with store.read() as s:
            mail = [i for i in repo.list_incidents(s) if i.service == "mail"]
        assert len(mail) == 1 and mail[0].detected_by is DetectionSource.CUSTOMER
        assert mail[0].call_count == 1
    finally:
        window.close()
        store.close()


def test_bad_fields_are_named_inline_and_nothing_is_saved(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    window = console(qtbot, db_url, tmp_path)
    form = window.helpdesk.form
    try:
        type_call(qtbot, window, service="dns", summary="websites do not open", phone="12")
        qtbot.keyClick(form.impact, Qt.Key.Key_Return)
        assert form.errors["phone"].isVisible()
        assert "not a valid" in form.errors["phone"].text() or "not a phone" in form.errors["phone"].text()
        assert form.phone.hasFocus()
        assert form.status.text() == "Not saved: check phone"
        assert form.caller.text() == "Ana Ruiz"  # nothing typed is lost
        form.users.setText("-3")
        form.phone.setText("+44 7700 900123")
        form.save()
        assert form.errors["users_affected"].isVisible()
        form.users.setText("3")
        form.summary.setPlainText("x" * 5001)
        form.save()
        assert "at most 5,000" in form.errors["summary"].text()
        with store.read() as s:
            assert repo.list_incidents(s, include_resolved=True) == []
    finally:
        window.close()
        store.close()


def test_what_is_typed_survives_closing_the_console(qtbot, tmp_path) -> None:
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    open_store(db_url).close()
    settings_path = tmp_path / "console.ini"

    def desk() -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        outbox = tmp_path / "o.db"
        return MainWindow(
            db_url, SlaPolicy(), "ana", None, helpdesk=HELPDESK, outbox_path=outbox, settings=settings
        )

    first = desk()
    qtbot.addWidget(first)
    first.helpdesk.form.caller.setText("Zoë Ñúñez")
    first.helpdesk.form.summary.setPlainText("كل شيء متوقف 🙈 <b>not bold</b>")
    first.close()
    second = desk()
    qtbot.addWidget(second)
    try:
        assert second.helpdesk.form.caller.text() == "Zoë Ñúñez"
        assert second.helpdesk.form.summary.toPlainText() == "كل شيء متوقف 🙈 <b>not bold</b>"
        assert "Restored" in second.helpdesk.form.status.text()
    finally:
        second.close()


@pytest.mark.postgres
def test_calls_saved_while_the_database_is_away_sync_once_it_answers(
    qtbot, tmp_path, pg_url: str, pg_proxy: CuttableProxy
) -> None:
    store = open_store(pg_url)
    window = console(qtbot, pg_proxy.url_for(pg_url), tmp_path)
    form = window.helpdesk.form
    try:
        qtbot.waitUntil(lambda: window.feed._store is not None, timeout=10_000)
        pg_proxy.cut()
        for n in range(2):
            form.caller.setText(f"Caller {n}")
            form.phone.setText("+447700900123")
            form.service.setEditText("vpn")
            form.summary.setPlainText(f"VPN drops every few minutes ({n})")
            form.save()
            qtbot.waitUntil(lambda: form.caller.text() == "", timeout=5000)  # on this desk's disk: cleared
            assert form._saving is None
        qtbot.waitUntil(lambda: "saved on this desk, will sync" in form.status.text(), timeout=15_000)
        assert window.helpdesk.outbox_waiting == 2
        with store.read() as s:
            assert repo.list_incidents(s) == []
        pg_proxy.restore()
        back = time.monotonic()
        qtbot.waitUntil(lambda: window.helpdesk.outbox_waiting == 0, timeout=10_000)
        assert time.monotonic() - back < 10
        with store.read() as s:
            incidents = repo.list_incidents(s)
            calls = [c for i in incidents for c in calls_of(s, i.id)]
        assert sorted(c.caller for c in calls) == ["Caller 0", "Caller 1"]  # each exactly once
        assert sum(i.call_count for i in incidents) == 2
    finally:
        window.close()
        store.close()
