"""Every text the windows show goes through the translation.

A pseudo-translation wraps each string Qt's lupdate finds in the code in ⟦ ⟧. With it installed, the
operator window (every tab, on a realistic scene and on a quarter of history), the wall and the action
dialogs are walked widget by widget: labels, buttons, actions, menus, tabs, headers, cells, tooltips,
placeholders, accessible names. A word outside the brackets that is not data from the database (a
service, a title, a name someone typed) is a string that skipped the translation: it would stay English
in Spanish.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTranslator
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from sqlalchemy import String, Text, column, create_engine, inspect, select, table

from noc_console.domain.alerts import AlertState
from noc_console.domain.i18n import use_translator
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# Words that read the same in every language the console speaks: names of things and units.
SAME_IN_EVERY_LANGUAGE = {
    "UTC", "NOC", "Console", "MTTD", "MTTA", "MTTR", "SLA", "ID", "OK", "PagerDuty", "Opsgenie",
    "WhatsApp", "SMS", "Slack", "Teams", "Twilio", "Alertmanager", "Prometheus", "Zabbix", "Icinga",
    "Nagios", "Grafana", "JSON", "HTTP", "HTTPS", "URL", "CSV", "PDF", "PNG", "HTML", "Markdown", "TLS",
    "PostgreSQL", "SQLite", "Ctrl", "Shift", "Alt", "Esc", "Del", "min", "ms", "E.164",
}  # fmt: skip
# Values the code stores and shows through a translated label: never data to skip.
CODED = {
    str(member.value)
    for kind in (Severity, IncidentStatus, DetectionSource, AlertState)
    for member in kind  # type: ignore[attr-defined]
}
WORD = re.compile(r"[^\W\d_]{2,}")
INNERMOST = re.compile(r"⟦[^⟦⟧]*⟧")


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


MAKE = load(ROOT / "resources" / "make_translations.py", "make_translations")


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo")
    ts = folder / "pseudo.ts"
    MAKE.lupdate(ts, "es")
    tree = ET.parse(ts)
    for message in tree.iter("message"):
        translation = message.find("translation")
        assert translation is not None
        translation.text = f"⟦{message.findtext('source')}⟧"
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = folder / "pseudo.qm"
    MAKE.lrelease(ts, qm)
    return qm


@pytest.fixture
def pseudo(qapp: QApplication, pseudo_qm: Path) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    qapp.installTranslator(translator)
    use_translator(QCoreApplication.translate)
    try:
        yield
    finally:
        qapp.removeTranslator(translator)
        use_translator(None)


def stored_strings(db_url: str) -> set[str]:
    """Every string the database holds (and each line and each word-free piece of it): data, which
    is shown as it was stored."""
    engine = create_engine(db_url)
    found: set[str] = set()
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            for name in inspector.get_table_names():
                for info in inspector.get_columns(name):
                    if not isinstance(info["type"], String | Text):
                        continue
                    rows = connection.execute(select(column(info["name"])).select_from(table(name)))
                    for (value,) in rows:
                        if isinstance(value, str) and len(value) >= 2 and value not in CODED:
                            found.add(value)
                            found.update(line for line in value.splitlines() if len(line) >= 2)
    finally:
        engine.dispose()
    return found


def count(method: Callable[..., int]) -> int:
    """A model's rows or columns: some models take the parent, some do not, a list model has one column."""
    for args in ((), (QModelIndex(),)):
        try:
            return int(method(*args))
        except TypeError:
            continue
    return 1


def texts_of(root: QWidget, cell_rows: int = 40) -> Iterator[tuple[str, str]]:
    """(where, text) of everything `root` and its children show or say."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QHeaderView):
            continue  # its texts are its view's headers, read there
        if isinstance(widget.parent(), QTabBar) or (
            isinstance(widget, QPushButton)
            and isinstance(box := widget.parent(), QDialogButtonBox)
            and box.standardButton(widget) != QDialogButtonBox.StandardButton.NoButton
        ):
            continue  # Qt's own scroll and standard buttons: qtbase names them (test_language.py)
        where = f"{type(widget).__name__}#{widget.objectName()}"
        found = [
            ("toolTip", widget.toolTip()),
            ("accessibleName", widget.accessibleName()),
            ("accessibleDescription", widget.accessibleDescription()),
            ("statusTip", widget.statusTip()),
        ]
        if widget.isWindow():
            found.append(("windowTitle", widget.windowTitle()))
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(("text", widget.text()))
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            found.append(("placeholder", widget.placeholderText()))
        if isinstance(widget, QGroupBox):
            found.append(("title", widget.title()))
        if isinstance(widget, QMenu):
            found.append(("title", widget.title()))
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                found += [(f"tab {i}", widget.tabText(i)), (f"tab {i} tip", widget.tabToolTip(i))]
        if isinstance(widget, QComboBox):
            found += [(f"item {i}", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for c in range(count(model.columnCount)):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    found.append(
                        (f"header {c}", str(model.headerData(c, Qt.Orientation.Horizontal, role) or ""))
                    )
            for r in range(min(count(model.rowCount), cell_rows)):
                for c in range(count(model.columnCount)):
                    index = model.index(r, c, QModelIndex())
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(index, role)
                        if isinstance(value, str):
                            found.append((f"cell {r},{c}", value))
        for action in widget.actions():
            found += [("action", action.text()), ("action tip", action.toolTip())]
            menu = action.menu()
            if isinstance(menu, QMenu):
                found.append(("submenu", menu.title()))
        for what, text in found:
            if text:
                yield f"{where} {what}", text


def untranslated(text: str, data: set[str]) -> list[str]:
    """The words of `text` that are neither inside ⟦ ⟧ nor data nor the same in every language."""
    if "<" in text and ">" in text:
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    while INNERMOST.search(text):
        text = INNERMOST.sub(" ", text)
    for value in sorted((d for d in data if d in text), key=len, reverse=True):
        text = text.replace(value, " ")
    return [word for word in WORD.findall(text) if word not in SAME_IN_EVERY_LANGUAGE]


def settle(app: QApplication, done: object = None, seconds: float = 10) -> None:
    deadline = datetime.now(UTC) + timedelta(seconds=seconds)
    while callable(done) and not done() and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()


def leaks(root: QWidget, data: set[str]) -> list[str]:
    found = []
    for where, text in texts_of(root):
        words = untranslated(text, data)
        if words:
            found.append(f"{where}: {text!r} -> {words}")
    return sorted(set(found))


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load(ROOT / "docs" / "make_screenshots.py", "make_screenshots")


def test_every_tab_of_the_operator_window_is_translated(
    qtbot, qapp, pseudo, scene: ModuleType, tmp_path: Path
) -> None:
    from noc_console.domain.sla import SlaPolicy
    from noc_console.ui.call_form import HelpdeskSettings
    from noc_console.ui.main_window import MainWindow

    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    scene.build_scene(db_url)
    helpdesk = HelpdeskSettings("GB", ["checkout", "core-router", "vpn", "dns", "mail"], {})
    window = MainWindow(
        db_url, SlaPolicy(), "j.doe", poller=None, helpdesk=helpdesk, outbox_path=tmp_path / "outbox.db"
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    settle(qapp, lambda: window.model.rowCount() >= len(scene.ALERTS))
    window.select_incident(window.model.incident_at(0).id)
    window.tick()
    settle(qapp, lambda: window.details.timeline.rowCount() >= 4)
    # Data: what the database holds, and the names the config gave (services, paging targets, channels)
    data = stored_strings(db_url) | {
        "j.doe",
        *helpdesk.services,
        *re.findall(r'"([^"]+)"', scene.SCENE_PAGING),
    }
    found: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(qapp)
        found += leaks(window, data)
    window.close()
    assert not sorted(set(found)), "\n".join(sorted(set(found)))


def test_the_wall_is_translated(qtbot, qapp, pseudo, scene: ModuleType, tmp_path: Path) -> None:
    from noc_console.domain.sla import SlaPolicy
    from noc_console.ui.wall import WallWindow

    db_url = f"sqlite:///{tmp_path / 'noc.db'}"
    scene.build_scene(db_url)
    wall = WallWindow(db_url, SlaPolicy(), "j.doe", poller=None)
    qtbot.addWidget(wall)
    wall.resize(1920, 1080)
    wall.show()
    settle(qapp, lambda: len(wall.board.incidents()) >= len(scene.ALERTS) - 1)
    data = stored_strings(db_url)
    view = wall.view
    said = [("window", text) for text in (view.all_clear_note(), view.hidden_text())]
    header = view.header_content()
    said += [("header", text) for text in (header.oldest, *header.blind, header.healthy, header.share)]
    for incident in wall.board.incidents():
        row = view.row_content(incident)
        said += [(f"row #{incident.id}", text) for text in (row.title, row.detail, row.owner)]
        said += [(f"clock #{incident.id}", clock.label) for clock in row.clocks]
    found = [f"{where}: {text!r} -> {words}" for where, text in said if (words := untranslated(text, data))]
    found += leaks(wall, data)
    wall.close()
    assert len(said) > 30
    assert not found, "\n".join(found)


def test_the_action_dialogs_are_translated(qtbot, qapp, pseudo) -> None:
    from noc_console.ui import action_dialogs
    from tests.ui.conftest import make_incident

    incident = make_incident(7, title="Packet loss on edge 7", service="checkout")
    data = {incident.title, "checkout", "prod-am", "ana"}
    found: list[str] = []
    kinds = [
        action_dialogs.AssignDialog, action_dialogs.NoteDialog, action_dialogs.AssessmentDialog,
        action_dialogs.UpdateDialog, action_dialogs.ResolveDialog, action_dialogs.PageDialog,
    ]  # fmt: skip
    for kind in kinds:
        dialog = kind(incident, "ana")
        qtbot.addWidget(dialog)
        found += leaks(dialog, data)
        dialog.close()
    assert not found, "\n".join(found)


def test_the_lead_pages_on_a_history_are_translated(qtbot, qapp, pseudo, tmp_path: Path) -> None:
    """The charts and the post-mortems, with one opened, on two months of the demo's history."""
    from noc_console.demo.history import seed_history
    from noc_console.domain.sla import SlaPolicy
    from noc_console.store import open_store
    from noc_console.ui.main_window import MainWindow

    db_url = f"sqlite:///{tmp_path / 'history.db'}"
    store = open_store(db_url)
    try:
        with store.session() as session:
            seed_history(session, datetime.now(UTC), days=60)
    finally:
        store.close()
    window = MainWindow(db_url, SlaPolicy(), "j.doe", poller=None, outbox_path=tmp_path / "outbox.db")
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    data = stored_strings(db_url) | {"j.doe"}
    found: list[str] = []
    postmortems = window.lead.postmortems
    for page, area in window.lead_tabs.items():
        window.tabs.setCurrentWidget(area)
        if page is postmortems:
            settle(qapp, lambda: bool(postmortems.lines))
            row = next((n for n, line in enumerate(postmortems.lines) if not line.finished), 0)
            postmortems.list.selectRow(row)
            settle(qapp, lambda: postmortems.opened is not None)
        else:
            settle(qapp, seconds=3)
        found += leaks(window, data)
    window.close()
    assert len(window.lead_tabs) >= 2
    assert not sorted(set(found)), "\n".join(sorted(set(found)))
