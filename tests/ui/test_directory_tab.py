"""The On call tab: people, schedules and policies edited in the console, checked like the config."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from noc_console.config import parse_config
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.store.paging import import_directory, load_directory
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.directory_tab import OverrideForm, PersonForm, PolicyForm, parse_levels
from noc_console.ui.main_window import MainWindow
from tests.cli.test_paging_cli import CONFIG

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def desk(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    config = parse_config(tomllib.loads(CONFIG))
    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(db_url)
    with store.session() as s:
        paging = config.paging
        import_directory(s, paging.people, paging.schedules, paging.policies, datetime.now(UTC))
    window = MainWindow(db_url, SlaPolicy(), "ana", None, helpdesk=HelpdeskSettings.of(config),
                        outbox_path=tmp_path / "outbox.db")  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    yield window, store
    window.close()
    store.close()


def filling(fill):  # type: ignore[no-untyped-def]
    """Stand in for the operator at a form: fill it in, press OK (it stays open if a field is wrong)."""

    def open_form(form: QDialog) -> int:
        fill(form)
        form.accept()
        return int(form.result())

    return open_form


def test_people_schedules_and_policies_are_shown_and_edited(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, store = desk
    tab = window.directory
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.directory_page and window.directory_page.widget() is tab
    qtbot.waitUntil(
        lambda: tab.schedule_table.rowCount() == 1 and tab.people_table.rowCount() == 2, timeout=5000
    )
    assert tab.schedule_table.item(0, 0).text() == "primary"
    assert tab.schedule_table.item(0, 1).text() in {"alice", "bob"}
    assert tab.policy_table.item(0, 5).text() == "hook | webhook | 5"

    def carol(form: PersonForm) -> None:
        form.name.setText("carol")
        form.phone.setText("+44 7911 222333")

    tab._open = filling(carol)
    tab._add_person()
    qtbot.waitUntil(lambda: tab.people_table.rowCount() == 3, timeout=5000)
    with store.read() as s:
        assert load_directory(s).people["carol"].phone == "+447911222333"

    tab.schedule_table.setCurrentCell(0, 0)

    def cover(form: OverrideForm) -> None:
        form.person.setCurrentText("carol")
        form.hours.setValue(4)

    tab._open = filling(cover)
    tab._override()
    qtbot.waitUntil(lambda: tab.schedule_table.item(0, 1).text() == "carol", timeout=5000)  # on call now

    tab.people_table.setCurrentCell(2, 0)  # carol covers a shift: she cannot be removed
    tab._remove_person()
    qtbot.waitUntil(lambda: "carol is still on schedule primary" in tab.status.text(), timeout=5000)

    tab.policy_table.setCurrentCell(0, 0)

    def widen(form: PolicyForm) -> None:
        form.levels.setPlainText("hook | webhook | 5\nschedule:primary | sms | 10")
        form.auto.setChecked(True)

    tab._open = filling(widen)
    tab._edit_policy()
    qtbot.waitUntil(lambda: "schedule:primary | sms | 10" in tab.policy_table.item(0, 5).text(), timeout=5000)
    with store.read() as s:
        (policy,) = load_directory(s).policies
    assert policy.auto and len(policy.levels) == 2


def test_a_form_names_the_field_that_is_wrong(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, _store = desk
    form = PersonForm(None, window)
    form.name.setText("dave")
    form.phone.setText("12")
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted and form.error.text().startswith("phone: ")
    form.phone.setText("")
    form.email.setText("not-an-address")
    form.accept()
    assert form.error.text().startswith("email: ")
    with pytest.raises(Exception, match="levels line 1"):
        parse_levels("hook | pigeon | 5")
    with pytest.raises(Exception, match="levels line 2"):
        parse_levels("hook | webhook | 5\nhook | webhook | soon")


def test_a_policy_naming_nobody_known_is_not_saved(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, store = desk
    tab = window.directory
    qtbot.waitUntil(lambda: tab.policy_table.rowCount() == 1, timeout=5000)

    def bad(form: PolicyForm) -> None:
        form.name.setText("typo")
        form.levels.setPlainText("alicia | sms | 5")

    tab._open = filling(bad)
    tab._add_policy()
    qtbot.waitUntil(lambda: tab.status.text().startswith("Not saved: levels: 'alicia' is not"), timeout=5000)
    with store.read() as s:
        assert [p.name for p in load_directory(s).policies] == ["payments"]
