"""The operator window: header counters and clocks, loud banners, the incident table, source health."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain.clock import utcnow
from noc_console.domain.health import SourceHealth
from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import PollerCommand
from noc_console.store.lease import PollerStatus
from noc_console.ui import theme
from noc_console.ui.feed import FeedFollower
from noc_console.ui.incident_model import Column, IncidentFilterProxy, IncidentRole, IncidentTableModel
from noc_console.ui.poller_supervisor import PollerSupervisor
from noc_console.ui.status_widgets import HeaderBar, SourceStrip, stale_banner_text

log = logging.getLogger(__name__)

_COLUMN_WIDTHS = {
    Column.SEVERITY: 180,
    Column.ID: 90,
    Column.SERVICE: 230,
    Column.STATUS: 130,
    Column.DETECTED_BY: 165,
    Column.AGE: 130,
    Column.ACK_DUE: 290,
    Column.ALERTS: 100,
}


class SeverityRowDelegate(QStyledItemDelegate):
    """Keeps the severity tint on the selected row (a white outline marks it) and pads the text."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(option.rect, opt.backgroundBrush)
        opt.state &= ~(QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        opt.rect = option.rect.adjusted(10, 0, -10, 0)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if selected:
            painter.save()
            painter.setPen(QPen(theme.TEXT, 3))
            rect = option.rect.adjusted(0, 1, 0, -2)
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            painter.restore()


class MainWindow(QMainWindow):
    """What an operator watches all shift. All database work runs in the FeedFollower's thread.

    Signals:
        acknowledgeRequested(int, str): incident id and operator; queued to the feed's worker thread.
    """

    acknowledgeRequested = Signal(int, str)

    def __init__(
        self,
        db_url: str,
        sla: SlaPolicy,
        operator: str,
        poller: PollerCommand | None,
        clock: Callable[[], datetime] = utcnow,
        title: str = "NOC Console",
        warnings: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self._clock = clock
        self._operator = operator
        self._health: list[SourceHealth] = []
        self._poller: PollerStatus | None = None
        self._closed = False

        self.model = IncidentTableModel(sla, clock, self)
        self.proxy = IncidentFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        central = QWidget()
        central.setObjectName("central")
        root = QVBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.header = HeaderBar(title)
        root.addWidget(self.header)

        self.stale_banner = self._banner()
        self.store_banner = self._banner()
        root.addWidget(self.stale_banner)
        root.addWidget(self.store_banner)
        # Standing configuration risks (e.g. TLS verification off): amber, always visible.
        self.config_banner = self._banner()
        self.config_banner.setObjectName("warningBanner")
        if warnings:
            self.config_banner.setText("⚠ " + " · ".join(warnings))
            self.config_banner.show()
        root.addWidget(self.config_banner)

        body = QVBoxLayout()
        body.setContentsMargins(16, 12, 16, 12)
        body.setSpacing(10)
        tools = QHBoxLayout()
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter by title or service…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setMinimumWidth(460)
        self.filter_box.textChanged.connect(self.proxy.set_filter_text)
        tools.addWidget(self.filter_box)
        tools.addStretch(1)
        self.action_status = QLabel()
        self.action_status.setObjectName("actionStatus")
        tools.addWidget(self.action_status)
        self.ack_button = QPushButton("Acknowledge  [A]")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.ack_button.setEnabled(False)
        tools.addWidget(self.ack_button)
        body.addLayout(tools)

        self.table = self._make_table()
        body.addWidget(self.table, 1)

        footer = QHBoxLayout()
        self.sources = SourceStrip()
        footer.addWidget(self.sources, 1)
        self.poller_label = QLabel("Poller: waiting for the database…")
        self.poller_label.setObjectName("pollerStatus")
        self.poller_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.poller_label.setMinimumWidth(1)
        self.poller_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        footer.addWidget(self.poller_label)
        body.addLayout(footer)
        root.addLayout(body, 1)
        self.setCentralWidget(central)

        ack_action = QAction("Acknowledge", self)
        ack_action.setShortcut(QKeySequence(Qt.Key.Key_A))
        ack_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        ack_action.triggered.connect(self.acknowledge_selected)
        self.addAction(ack_action)

        self.feed = FeedFollower(db_url, clock)
        self.feed.snapshot.connect(self._on_snapshot)
        self.feed.incidentsChanged.connect(self._on_incidents)
        self.feed.healthChanged.connect(self._on_health)
        self.feed.pollerChanged.connect(self._on_poller)
        self.feed.storeError.connect(self._on_store_error)
        self.feed.storeRecovered.connect(self.store_banner.hide)
        self.feed.actionDone.connect(lambda text: self._set_action_status(text, ok=True))
        self.feed.actionFailed.connect(lambda text: self._set_action_status(text, ok=False))
        self.acknowledgeRequested.connect(self.feed.acknowledge)

        self.supervisor = PollerSupervisor(poller, clock=clock, parent=self)
        self.supervisor.statusChanged.connect(self._on_supervisor_status)

        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start()
        self.tick()
        self.feed.start()

    # --- layout helpers ------------------------------------------------------------------------
    def _banner(self) -> QLabel:
        banner = QLabel()
        banner.setObjectName("banner")
        banner.setWordWrap(True)
        banner.hide()
        return banner

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setItemDelegate(SeverityRowDelegate(table))
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setAlternatingRowColors(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(theme.TABLE_FONT_PT * 3)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.SEVERITY, Qt.SortOrder.AscendingOrder)
        table.selectionModel().selectionChanged.connect(self._update_ack_button)
        return table

    # --- feed results --------------------------------------------------------------------------
    @Slot(list, list, object)
    def _on_snapshot(self, incidents: list[Incident], health: list[SourceHealth], poller: object) -> None:
        self.model.replace_all(incidents)
        self._on_health(health)
        self._on_poller(poller)
        self._incidents_changed()

    @Slot(list, list)
    def _on_incidents(self, incidents: list[Incident], removed_ids: list[int]) -> None:
        self.model.apply(incidents, removed_ids)
        self._incidents_changed()

    def _incidents_changed(self) -> None:
        self.header.set_counts(self.model.incidents)
        self._update_ack_button()

    @Slot(list)
    def _on_health(self, health: list[SourceHealth]) -> None:
        self._health = list(health)
        self.sources.set_health(self._health, self._clock())
        text = stale_banner_text(self._health, self._clock())
        self.stale_banner.setText(text)
        self.stale_banner.setVisible(bool(text))

    @Slot(object)
    def _on_poller(self, poller: object) -> None:
        self._poller = poller if isinstance(poller, PollerStatus) else None
        self.supervisor.update_poller_status(self._poller)
        self._refresh_poller_label()

    @Slot(str)
    def _on_store_error(self, message: str) -> None:
        self.store_banner.setText(f"⚠ DATABASE ERROR — {message} — retrying; what you see may be out of date")
        self.store_banner.show()

    @Slot(str, bool)
    def _on_supervisor_status(self, text: str, ok: bool) -> None:
        self._refresh_poller_label()

    def _refresh_poller_label(self) -> None:
        now = self._clock()
        text, ok = self.supervisor.last_status
        if self._poller is not None:
            beat = max(0, int((now - self._poller.beat_at).total_seconds()))
            lease = f"Poller {self._poller.host} pid {self._poller.pid} · heartbeat {beat} s ago"
            text = f"{text} · {lease}" if text and not text.startswith("Poller run by") else lease
        elif not text:
            text, ok = "Poller: none has run yet", False
        colour = theme.MUTED_TEXT.name() if ok or self._poller else theme.ALARM_RED.name()
        self.poller_label.setStyleSheet(f"color: {colour};")
        self.poller_label.setText(text)

    # --- operator actions ----------------------------------------------------------------------
    def selected_incident(self) -> Incident | None:
        rows = self.table.selectionModel().selectedRows()
        index: QModelIndex = rows[0] if rows else self.table.currentIndex()
        if not index.isValid():
            return None
        incident = index.data(IncidentRole)
        return incident if isinstance(incident, Incident) else None

    def _update_ack_button(self) -> None:
        incident = self.selected_incident()
        self.ack_button.setEnabled(incident is not None and incident.status is IncidentStatus.OPEN)

    @Slot()
    def acknowledge_selected(self) -> None:
        incident = self.selected_incident()
        if incident is None:
            self._set_action_status("Select an incident to acknowledge", ok=False)
            return
        if incident.status is not IncidentStatus.OPEN:
            self._set_action_status(f"#{incident.id} is already acknowledged", ok=True)
            return
        self._set_action_status(f"Acknowledging #{incident.id}…", ok=True)
        self.acknowledgeRequested.emit(incident.id, self._operator)

    def _set_action_status(self, text: str, ok: bool) -> None:
        colour = theme.MUTED_TEXT.name() if ok else theme.ALARM_RED.name()
        self.action_status.setStyleSheet(f"color: {colour};")
        self.action_status.setText(text)

    # --- clock -----------------------------------------------------------------------------------
    @Slot()
    def tick(self) -> None:
        now = self._clock()
        self.model.tick(now)
        self.header.set_time(now)
        self.sources.refresh(now)
        self._refresh_poller_label()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the clock, the feed thread and our poller child. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._tick_timer.stop()
        self.feed.stop()
        self.supervisor.stop()
