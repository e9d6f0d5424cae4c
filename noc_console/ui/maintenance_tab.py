"""The "Maintenance" tab: active and upcoming maintenance windows, the alerts they hold (greyed: in
maintenance, no incident, no alarm), their Alertmanager silences, a form to schedule one and End.

All database work runs in `MaintenanceWorker`'s thread; the tab re-reads every few seconds while shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.maintenance import MaintenanceWindow, WindowState, checked_window
from noc_console.domain.severity import Severity
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.maintenance import HeldAlert, SilenceState
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, set_text
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

log = logging.getLogger(__name__)
REFRESH_MS = 5000

STATE_LABELS = {
    WindowState.UPCOMING: QT_TRANSLATE_NOOP("ui.maintenance_tab", "upcoming"),
    WindowState.ACTIVE: QT_TRANSLATE_NOOP("ui.maintenance_tab", "IN MAINTENANCE"),
    WindowState.OVER: QT_TRANSLATE_NOOP("ui.maintenance_tab", "over"),
}
SILENCE_LABELS = {
    "active": QT_TRANSLATE_NOOP("ui.maintenance_tab", "silenced at {source}"),
    "expired": QT_TRANSLATE_NOOP("ui.maintenance_tab", "silence at {source} expired"),
    "failed": QT_TRANSLATE_NOOP("ui.maintenance_tab", "⚠ no silence at {source}: {error} (retrying)"),
}

WINDOW_HEADERS = [
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "#"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "State"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Service"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "From"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Until"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Held"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "By"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Alertmanager"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Reason"),
]
HELD_HEADERS = [
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Service"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Severity"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Alert"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Source"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "Since"),
    QT_TRANSLATE_NOOP("ui.maintenance_tab", "State"),
]


@dataclass(frozen=True, slots=True)
class MaintenanceView:
    """What the tab shows, read in one go: windows not over, the alerts they hold, silences, when."""

    windows: list[MaintenanceWindow]
    held: list[HeldAlert]
    silences: list[SilenceState]
    now: datetime


class MaintenanceWorker(StoreWorker):
    """Reads the windows and writes new and ended ones, off the GUI thread.

    Signals:
        loaded(object): a MaintenanceView.
        done(str): a window was added or ended, in plain words.
        failed(str): refused (the field named) or failed, in plain words.
    """

    loaded = Signal(object)
    done = Signal(str)
    failed = Signal(str)

    _loadRequested = Signal()
    _addRequested = Signal(str, object, object, str, str)
    _endRequested = Signal(int, str)

    def __init__(
        self, db_url: str, services: Sequence[str], store_factory: Callable[[str], Store] | None = None
    ) -> None:
        super().__init__(db_url, "noc-maintenance", store_factory)
        self.services = list(services)
        self._loadRequested.connect(self._load)
        self._addRequested.connect(self._add)
        self._endRequested.connect(self._end)

    def request_load(self) -> None:
        self._loadRequested.emit()

    def request_add(self, service: str, starts: datetime, ends: datetime, reason: str, by: str) -> None:
        self._addRequested.emit(service, starts, ends, reason, by)

    def request_end(self, window_id: int, by: str) -> None:
        self._endRequested.emit(window_id, by)

    @Slot()
    def _load(self) -> None:
        from noc_console.store.maintenance import current_windows, held_alerts, silences

        try:
            with self._open().read() as session:
                now = repo.db_now(session)
                windows = current_windows(session, now)
                view = MaintenanceView(
                    windows, list(held_alerts(session)), list(silences(session, [w.id for w in windows])), now
                )
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("maintenance windows")
            self._drop_store()
            return  # the feed shows database trouble loudly already
        self.loaded.emit(view)

    @Slot(str, object, object, str, str)
    def _add(self, service: str, starts: datetime, ends: datetime, reason: str, by: str) -> None:
        from noc_console.store.maintenance import add_window

        try:
            with self._open().session() as session:
                now = repo.db_now(session)
                new = checked_window(service, starts, ends, reason, by, now=now, known_services=self.services)
                window = add_window(session, new, now)
        except InvalidInput as exc:
            self.failed.emit(translate("ui.maintenance_tab", "Not scheduled: {error}").format(error=exc))
            return
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("adding a maintenance window")
            self._drop_store()
            text = translate("ui.maintenance_tab", "Not scheduled: {error}")
            self.failed.emit(text.format(error=plain_error(exc)))
            return
        text = translate("ui.maintenance_tab", "Maintenance window {id} for {service} scheduled")
        self.done.emit(text.format(id=window.id, service=window.service))
        self._load()

    @Slot(int, str)
    def _end(self, window_id: int, by: str) -> None:
        from noc_console.store.maintenance import UnknownWindow, WindowOver, end_window

        try:
            with self._open().session() as session:
                window = end_window(session, window_id, repo.db_now(session), by)
        except (UnknownWindow, WindowOver) as exc:
            self.failed.emit(translate("ui.maintenance_tab", "Not ended: {error}").format(error=exc))
            self._load()
            return
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("ending a maintenance window")
            self._drop_store()
            self.failed.emit(
                translate("ui.maintenance_tab", "Not ended: {error}").format(error=plain_error(exc))
            )
            return
        text = translate(
            "ui.maintenance_tab",
            "Maintenance window {id} for {service} ended: its alerts open incidents again",
        )
        self.done.emit(text.format(id=window.id, service=window.service))
        self._load()


def _item(text: str, muted: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if len(text) > 40:  # a long reason or error is cut in its cell: whole on hover
        item.setToolTip(text)
    if muted:
        item.setForeground(theme.MUTED_TEXT)
    return item


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _severity_word(value: str) -> str:
    """The severity in the operator's language, as every other view writes it."""
    try:
        return Severity(value).word.upper()
    except ValueError:
        return value


class MaintenanceTab(QWidget):
    """Windows, held alerts, and the form. `operator` is who schedules and ends."""

    def __init__(self, worker: MaintenanceWorker, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.operator = operator
        self.view: MaintenanceView | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        # Scheduling takes one row above the lists, so that the lists keep the height.
        self.service = QComboBox()
        self.service.setEditable(True)
        self.service.addItems(worker.services)
        self.service.setMinimumWidth(180)
        self.service.setAccessibleName(translate("ui.maintenance_tab", "Service"))
        self.starts = QDateTimeEdit()
        self.ends = QDateTimeEdit()
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts.setAccessibleName(translate("ui.maintenance_tab", "From (local time)"))
        self.ends.setAccessibleName(translate("ui.maintenance_tab", "Until (local time)"))
        self.reset_form()
        self.reason = QLineEdit()
        self.reason.setMaxLength(2000)
        self.reason.setAccessibleName(translate("ui.maintenance_tab", "Reason"))
        self.reason.setPlaceholderText(
            translate("ui.maintenance_tab", "Reason: shown to operators and in the Alertmanager silence")
        )
        self.add_button = QPushButton(translate("ui.maintenance_tab", "&Schedule maintenance"))
        self.add_button.clicked.connect(self._add)
        form = QHBoxLayout()
        form.addWidget(plain_label(translate("ui.maintenance_tab", "Service")))
        form.addWidget(self.service)
        form.addWidget(plain_label(translate("ui.maintenance_tab", "from")))
        form.addWidget(self.starts)
        form.addWidget(plain_label(translate("ui.maintenance_tab", "until")))
        form.addWidget(self.ends)
        form.addWidget(self.reason, 1)
        form.addWidget(self.add_button)
        layout.addLayout(form)
        self.message = plain_label("", "maintenanceMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.windows = _table([translate("ui.maintenance_tab", h) for h in WINDOW_HEADERS])
        self.windows.setAccessibleName(translate("ui.maintenance_tab", "Maintenance windows"))
        layout.addWidget(self.windows, 2)
        buttons = QHBoxLayout()
        self.end_button = QPushButton(translate("ui.maintenance_tab", "&End the selected window now"))
        self.end_button.clicked.connect(self._end_selected)
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        held_title = plain_label(
            translate(
                "ui.maintenance_tab",
                "Held alerts: no incident, no alarm; still firing at the end, they open one",
            ),
            "sectionTitle",
        )
        held_title.setWordWrap(True)
        layout.addWidget(held_title)
        self.held = _table([translate("ui.maintenance_tab", h) for h in HELD_HEADERS])
        self.held.setAccessibleName(translate("ui.maintenance_tab", "Alerts held by maintenance"))
        layout.addWidget(self.held, 2)

        worker.loaded.connect(self.show_view)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._refresh)

    def reset_form(self) -> None:
        start = QDateTime.currentDateTime()
        self.starts.setDateTime(start)
        self.ends.setDateTime(start.addSecs(2 * 3600))

    def showEvent(self, event: object) -> None:
        self.worker.request_load()
        self.timer.start()
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: object) -> None:
        self.timer.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.timer.stop()

    def _refresh(self) -> None:
        if self.isVisible():
            self.worker.request_load()

    @Slot(object)
    def show_view(self, view: MaintenanceView) -> None:
        self.view = view
        selected = self.selected_window_id()
        now = view.now
        held_by: dict[str, int] = {}
        active = {w.service for w in view.windows if w.active_at(now)}
        for held in view.held:
            held_by[held.service] = held_by.get(held.service, 0) + 1
        self.windows.setRowCount(len(view.windows))
        for row, window in enumerate(view.windows):
            state = window.state(now)
            muted = state is not WindowState.ACTIVE
            silences = [s for s in view.silences if s.window_id == window.id]
            cells = [
                str(window.id),
                translate("ui.maintenance_tab", STATE_LABELS[state]),
                window.service,
                formats.moment(window.starts_at),
                formats.moment(window.effective_end),
                str(held_by.get(window.service, 0)) if state is WindowState.ACTIVE else "",
                window.created_by,
                "; ".join(
                    translate(
                        "ui.maintenance_tab", SILENCE_LABELS.get(s.state, SILENCE_LABELS["failed"])
                    ).format(source=s.source, error=s.last_error or "")
                    for s in silences
                ),
                window.reason,
            ]
            for column, text in enumerate(cells):
                item = _item(text, muted)
                if column == 7 and any(s.last_error for s in silences):
                    item.setForeground(theme.ALARM_RED)
                self.windows.setItem(row, column, item)
            if window.id == selected:
                self.windows.selectRow(row)
        shown = [h for h in view.held if h.service in active]
        self.held.setRowCount(len(shown))
        in_maintenance = translate("ui.maintenance_tab", "in maintenance")
        for row, held in enumerate(shown):
            cells = [
                held.service,
                _severity_word(held.severity),
                held.summary or held.name,
                held.source,
                formats.moment(held.starts_at),
                in_maintenance,
            ]
            for column, text in enumerate(cells):
                self.held.setItem(row, column, _item(text, muted=True))
        self.end_button.setEnabled(bool(view.windows))

    def selected_window_id(self) -> int | None:
        rows = self.windows.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.windows.item(rows[0].row(), 0)
        return int(item.text()) if item is not None else None

    def _add(self) -> None:
        starts = datetime.fromtimestamp(self.starts.dateTime().toSecsSinceEpoch(), UTC)
        ends = datetime.fromtimestamp(self.ends.dateTime().toSecsSinceEpoch(), UTC)
        # A start a few minutes in the past means "now": the form was filled in a while ago.
        now = self.view.now if self.view else None
        if now is not None and now - timedelta(minutes=5) <= starts < now:
            starts = now
        self.worker.request_add(self.service.currentText(), starts, ends, self.reason.text(), self.operator)

    def _end_selected(self) -> None:
        window_id = self.selected_window_id()
        if window_id is None:
            self._failed(translate("ui.maintenance_tab", "Select the window to end first"))
            return
        self.worker.request_end(window_id, self.operator)

    @Slot(str)
    def _done(self, text: str) -> None:
        self.message.setStyleSheet("")
        set_text(self.message, text)
        self.reason.clear()

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {theme.ALARM_RED.name()}; font-weight: 700;")
        set_text(self.message, text)
