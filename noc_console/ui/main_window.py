"""The operator window: header counters and clocks, loud banners, the filtered incident table, the
needs-review list, the selected incident's details and actions, source health and the tray."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from noc_console.config import default_outbox_path
from noc_console.domain.actions import ActionKind
from noc_console.domain.alarms import UnacknowledgedIncidents
from noc_console.domain.clock import utcnow
from noc_console.domain.figures import BoardFigures
from noc_console.domain.filters import IncidentFilter
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import plural, translate
from noc_console.domain.incidents import DetectionSource, Incident
from noc_console.domain.paging import OnCall
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import PollerCommand
from noc_console.memory import Trimmer
from noc_console.store import Store
from noc_console.store.lease import PollerStatus
from noc_console.ui import formats, layout, theme
from noc_console.ui.action_dialogs import PageDialog
from noc_console.ui.actions import ActionRunner
from noc_console.ui.alarm_player import AlarmPlayer
from noc_console.ui.alarm_widgets import AlarmBanners, AlarmControls
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.db_clock import DbClock
from noc_console.ui.details_pane import DetailsPane
from noc_console.ui.directory_tab import DirectoryTab
from noc_console.ui.feed import FeedFollower
from noc_console.ui.filter_bar import FilterBar
from noc_console.ui.helpdesk import Helpdesk
from noc_console.ui.incident_actions import IncidentActions
from noc_console.ui.incident_model import IncidentTableModel
from noc_console.ui.incident_table import IncidentTable
from noc_console.ui.layout import console_settings
from noc_console.ui.lead import LeadPages, LeadSettings
from noc_console.ui.maintenance_tab import MaintenanceTab, MaintenanceWorker
from noc_console.ui.plain import plain_label, set_style, set_text
from noc_console.ui.poller_supervisor import PollerSupervisor
from noc_console.ui.review_list import ReviewList
from noc_console.ui.status_widgets import (
    HeaderBar,
    SourceStrip,
    poller_footer,
    stale_banner_text,
    with_heartbeat,
)
from noc_console.ui.tray import ConsoleTray

log = logging.getLogger(__name__)
ON_CALL_EVERY_S = 30.0  # who is on call is re-read this often (hand-offs are on the minute)
TRIM_EVERY_S = 300.0  # freed memory given back to the system this often (noc_console.memory)


def scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def on_call_text(rows: Sequence[OnCall]) -> str:
    """'On call — primary: alice (bob from Mon 09:00) · nights: dan'"""
    parts = []
    for row in rows:
        now = row.now or translate("ui.main_window", "NOBODY")
        if row.next and row.next_at:
            when = f"{formats.weekday(row.next_at, with_date=False)} {formats.clock(row.next_at)}"
            text = translate("ui.main_window", "{schedule}: {now} ({next} from {when})")
            parts.append(text.format(schedule=row.schedule, now=now, next=row.next, when=when))
        else:
            parts.append(
                translate("ui.main_window", "{schedule}: {now}").format(schedule=row.schedule, now=now)
            )
    return translate("ui.main_window", "On call — {schedules}").format(schedules=" · ".join(parts))


class MainWindow(QMainWindow):
    """What an operator watches all shift. All database work runs in the FeedFollower's thread.

    Times in the store are the database's, so the window judges every age, countdown, stale source and
    lease by `db_now()`: our clock plus the offset the feed measures. The selected incident is tracked by
    its id, never by a row: rows move and go while the operator looks.

    Signals:
        acknowledgeRequested(int, str): incident id and operator; queued to the feed's worker thread.
        resolveOrphanedRequested(str): the operator; queued to the feed's worker thread.
    """

    acknowledgeRequested = Signal(int, str)
    resolveOrphanedRequested = Signal(str)

    def __init__(
        self,
        db_url: str,
        sla: SlaPolicy,
        operator: str,
        poller: PollerCommand | None,
        clock: Callable[[], datetime] = utcnow,
        title: str = "NOC Console",
        warnings: Sequence[str] = (),
        store_factory: Callable[[str], Store] | None = None,
        alarms: AlarmPlayer | None = None,
        settings: QSettings | None = None,
        helpdesk: HelpdeskSettings | None = None,
        outbox_path: Path | None = None,
        lead: LeadSettings | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self._clock = clock
        self.db_clock = DbClock(clock, self)
        self._operator = operator
        self._health: list[SourceHealth] = []
        self._poller: PollerStatus | None = None
        self._selected_id: int | None = None
        self._moving_rows = False  # the model or proxy is moving rows: Qt's current row means nothing
        self._closed = False
        self._review_due = True  # the needs-review list is re-read on the next tick after a change
        self.figures = BoardFigures()  # counts over the board, kept by change sets
        self._shown_details: int | None = None
        # Filters and the layout survive a restart (per desk, in the user's settings).
        self.settings = settings or console_settings()
        self.runner = ActionRunner(db_url, store_factory)
        self.incident_actions = IncidentActions(
            self, operator, self.current_incident, self._acknowledge_incident, self.runner.request
        )
        self.incident_actions.message.connect(self._set_action_status)

        self.model = IncidentTableModel(sla, self.db_now, self)
        # Alarms judge by the database's clock too; nothing is decided before the first snapshot.
        self.alarms = alarms if alarms is not None else AlarmPlayer(parent=self)
        # What can sound, by alarm kind, kept up to date from each change set: deciding reads no incident.
        self._unacknowledged = UnacknowledgedIncidents()
        self._alarm_ready = False  # set by the first snapshot

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
        self.alarm_banners = AlarmBanners(self.alarms)  # NO AUDIO, MUTED until, an unheard alarm
        root.addWidget(self.alarm_banners)

        body = QVBoxLayout()
        body.setContentsMargins(16, 12, 16, 12)
        body.setSpacing(10)
        body.addLayout(self._make_tools())
        self.table = self._make_table()
        self.review = ReviewList()
        self.review.view.selectionModel().currentChanged.connect(lambda *_: self._show_details())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, translate("ui.main_window", "Open incidents"))
        self.tabs.addTab(self.review, translate("ui.main_window", "Needs review"))
        self.details = DetailsPane(sla, list(self.incident_actions.actions.values()))
        self.helpdesk = Helpdesk(
            db_url, sla, operator, helpdesk or HelpdeskSettings(), outbox_path or default_outbox_path(),
            self.db_now, self.details, self.settings, store_factory, self,
        )  # fmt: skip
        # Pages taller than a 1080p screen leaves them scroll: the window always fits the screen.
        self.call_page = scrolling(self.helpdesk.form)
        self.tabs.addTab(self.call_page, translate("ui.main_window", "Phone report"))
        self.directory = DirectoryTab()
        self.directory_page = scrolling(self.directory)
        self.tabs.addTab(self.directory_page, translate("ui.main_window", "On call"))
        self.lead = LeadPages(db_url, sla, operator, lead, store_factory, parent=self)
        # Each page scrolls inside its tab (their own minimum heights would otherwise add to the window's).
        self.lead_tabs: dict[QWidget, QWidget] = {}
        for page, label in self.lead.pages:
            area = scrolling(page)
            self.lead_tabs[page] = area
            self.tabs.addTab(area, label)
        # Maintenance windows: the alerts they hold, greyed; schedule and end them here.
        self.maintenance_worker = MaintenanceWorker(
            db_url, (helpdesk or HelpdeskSettings()).services, store_factory
        )
        self.maintenance = MaintenanceTab(self.maintenance_worker, operator)
        self.maintenance_page = scrolling(self.maintenance)
        self.tabs.addTab(self.maintenance_page, translate("ui.main_window", "Maintenance"))
        pages = {area: page for page, area in self.lead_tabs.items()}
        self.tabs.currentChanged.connect(
            lambda _index: self.lead.page_shown(pages.get(self.tabs.currentWidget()))
        )
        self.tabs.setCornerWidget(self.filter_bar, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(lambda _index: self._show_details())
        # The helpdesk form and the on-call tab take the whole height: no incident's details below them.
        self.tabs.currentChanged.connect(
            lambda _index: self.details.setVisible(self.tabs.currentWidget() in (self.table, self.review))
        )
        # Until the first read of the database arrives (a large one takes a while), a moving bar says the
        # table is not empty but loading; the window answers meanwhile (the read runs in the feed's thread).
        self.loading = QProgressBar()
        self.loading.setObjectName("loadingIncidents")
        self.loading.setRange(0, 0)
        self.loading.setFormat(translate("ui.main_window", "Loading the incidents from the database…"))
        self.loading.setTextVisible(True)
        self.loading.setAccessibleName(translate("ui.main_window", "Loading the incidents"))
        body.addWidget(self.loading)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        body.addWidget(self.splitter, 1)

        # The footer: source chips, then who polls on a line of its own, so that a poller that stopped
        # renewing is never cut short by a row of chips.
        self.sources = SourceStrip()
        body.addWidget(self.sources)
        self.on_call_label = plain_label("", "onCall")
        self.on_call_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.on_call_label.hide()
        body.addWidget(self.on_call_label)
        self.poller_label = plain_label(
            translate("ui.main_window", "Poller: waiting for the database…"), "pollerStatus"
        )
        self.poller_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        body.addWidget(self.poller_label)
        root.addLayout(body, 1)
        self.setCentralWidget(central)

        self._name_for_screen_readers()
        self.ack_action = self.incident_actions.actions[ActionKind.ACKNOWLEDGE]
        self.addAction(self.alarm_controls.toggle_action)  # M: mute 15 min / unmute
        self._make_menus()
        self.tray = ConsoleTray(self)
        self.tray.activated.connect(self._raise)
        # Slots of this window, never lambdas: the runner and the feed emit from their own threads, and
        # a lambda would run there, touching widgets off the GUI thread (a hang, seen in a test run).
        self.runner.done.connect(self._action_done)
        self.runner.failed.connect(self._action_failed)
        self.runner.timelineLoaded.connect(self.details.set_timeline)
        self.runner.writebacksLoaded.connect(self.details.set_writebacks)
        self.runner.checkHistoryLoaded.connect(self.details.set_check_history)
        self.runner.needsReviewLoaded.connect(self._on_needs_review)
        self.runner.onCallLoaded.connect(self._on_on_call)
        self.runner.directoryLoaded.connect(self.directory.show_directory)
        self.runner.providers = tuple((helpdesk or HelpdeskSettings()).providers)
        self.directory.saveRequested.connect(self.runner.request_directory_save)
        self.runner.done.connect(self.directory.say_done)
        self.runner.failed.connect(self.directory.say_failed)
        PageDialog.policies = tuple((helpdesk or HelpdeskSettings()).policies)
        self._on_call_checked = 0.0
        self.filter_bar.restore(self.settings)
        self._restore_layout()

        self.feed = FeedFollower(db_url, clock, store_factory=store_factory)
        self.feed.clockOffset.connect(self.db_clock.set_offset)
        self.feed.snapshot.connect(self._on_snapshot)
        self.feed.incidentsChanged.connect(self._on_incidents)
        self.feed.incidentsChanged.connect(self.lead.incidents_changed)
        self.feed.healthChanged.connect(self._on_health)
        self.feed.pollerChanged.connect(self._on_poller)
        self.feed.storeError.connect(self._on_store_error)
        self.feed.storeRecovered.connect(self.store_banner.hide)
        self.feed.actionDone.connect(self._action_done)
        self.feed.actionFailed.connect(self._action_failed)
        self.acknowledgeRequested.connect(self.feed.acknowledge)
        self.resolveOrphanedRequested.connect(self.feed.resolve_orphaned)

        self.supervisor = PollerSupervisor(poller, clock=self.db_now, parent=self)
        self.supervisor.statusChanged.connect(self._on_supervisor_status)

        self._trimmer = Trimmer(every_s=TRIM_EVERY_S)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start()
        self.tick()
        self.runner.start()
        self.helpdesk.start()
        self.lead.start()
        self.maintenance_worker.start()
        self.feed.start()

    # --- clocks --------------------------------------------------------------------------------
    def db_now(self) -> datetime:
        """The database's clock, as last measured against ours: every time in the store is on it."""
        return self.db_clock.now()

    # --- layout helpers ------------------------------------------------------------------------
    def _banner(self) -> QLabel:
        banner = plain_label(object_name="banner")
        banner.setWordWrap(True)
        banner.hide()
        return banner

    def _make_tools(self) -> QHBoxLayout:
        tools = QHBoxLayout()
        # The filters sit in the tab bar's corner, beside the tabs they filter (see __init__).
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self._on_filter)
        self.filter_box = self.filter_bar.text
        # What the last action did: a long message is cut here, never widening the window past the screen.
        self.action_status = plain_label(object_name="actionStatus")
        self.action_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        tools.addWidget(self.action_status, 1)
        self.orphan_button = QPushButton()
        self.orphan_button.setObjectName("orphanButton")
        self.orphan_button.clicked.connect(self.resolve_orphaned)
        self.orphan_button.hide()
        tools.addWidget(self.orphan_button)
        self.alarm_controls = AlarmControls(self.alarms, self.db_now)
        self.alarm_controls.message.connect(self._set_action_status)
        tools.addWidget(self.alarm_controls)
        self.ack_button = QPushButton(translate("ui.main_window", "Acknowledge  [A]"))
        self.ack_button.clicked.connect(lambda: self.incident_actions.trigger(ActionKind.ACKNOWLEDGE))
        self.ack_button.setEnabled(False)
        tools.addWidget(self.ack_button)
        return tools

    def _make_menus(self) -> None:
        incident_menu = self.menuBar().addMenu(translate("ui.main_window", "&Incident"))
        for action in self.incident_actions.actions.values():
            incident_menu.addAction(action)
        incident_menu.addSeparator()
        incident_menu.addAction(self.alarm_controls.toggle_action)
        view = self.menuBar().addMenu(translate("ui.main_window", "&View"))
        find = QAction(translate("ui.main_window", "Filter…"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_filter)
        clear = QAction(translate("ui.main_window", "Clear filters"), self)
        clear.setShortcut(QKeySequence("Ctrl+Shift+F"))
        clear.triggered.connect(self.filter_bar.clear)
        incidents = QAction(translate("ui.main_window", "Open incidents"), self)
        incidents.setShortcut(QKeySequence("Ctrl+1"))
        incidents.triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        review = QAction(translate("ui.main_window", "Needs review"), self)
        review.setShortcut(QKeySequence("Ctrl+2"))
        review.triggered.connect(lambda: self.tabs.setCurrentIndex(1))
        call = QAction(translate("ui.main_window", "Log a phone report"), self)
        call.setShortcut(QKeySequence("Ctrl+L"))
        call.setToolTip(translate("ui.main_window", "Log a customer's phone report (Ctrl+L)"))
        call.triggered.connect(self.open_call_form)
        on_call = QAction(translate("ui.main_window", "On call"), self)
        on_call.setShortcut(QKeySequence("Ctrl+3"))
        on_call.triggered.connect(lambda: self.tabs.setCurrentWidget(self.directory_page))
        charts = QAction(translate("ui.main_window", "Charts"), self)
        charts.setShortcut(QKeySequence("Ctrl+4"))
        charts.triggered.connect(lambda: self.tabs.setCurrentWidget(self.lead_tabs[self.lead.charts]))
        postmortems = QAction(translate("ui.main_window", "Post-mortems"), self)
        postmortems.setShortcut(QKeySequence("Ctrl+5"))
        postmortems.triggered.connect(
            lambda: self.tabs.setCurrentWidget(self.lead_tabs[self.lead.postmortems])
        )
        maintenance = QAction(translate("ui.main_window", "Maintenance windows"), self)
        maintenance.setShortcut(QKeySequence("Ctrl+6"))
        maintenance.triggered.connect(lambda: self.tabs.setCurrentWidget(self.maintenance_page))
        for action in (find, clear, incidents, review, call, on_call, charts, postmortems, maintenance):
            view.addAction(action)
            self.addAction(action)
        view.addSeparator()
        self.light_theme = QAction(translate("ui.main_window", "Light theme (for bright rooms)"), self)
        self.light_theme.setCheckable(True)
        self.light_theme.setChecked(theme.scheme.name == "light")
        self.light_theme.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.light_theme.toggled.connect(lambda on: self.set_theme("light" if on else "dark"))
        view.addAction(self.light_theme)
        self.addAction(self.light_theme)
        postmortem = QAction(translate("ui.main_window", "Post-mortem and executive report…"), self)
        postmortem.setShortcut(QKeySequence("Ctrl+Shift+P"))
        postmortem.setToolTip(
            translate(
                "ui.main_window",
                "Open the post-mortem of the selected incident, with its executive report [Ctrl+Shift+P]",
            )
        )
        postmortem.triggered.connect(self._open_postmortem)
        incident_menu.addAction(postmortem)

    def set_theme(self, name: str) -> None:
        """Switch the whole window to theme `name` ("dark" or "light") now; this desk keeps it."""
        app = QApplication.instance()
        if isinstance(app, QApplication) and name != theme.scheme.name:
            theme.apply_theme(app, name)
            self.details.timeline.restyle()
            self.model.restyle()
            self._refresh_figures()  # the header's counters take the theme's colours
            self.tick()
        self.settings.setValue(layout.THEME, name)
        if self.light_theme.isChecked() != (name == "light"):
            self.light_theme.setChecked(name == "light")

    def _open_postmortem(self) -> None:
        incident = self.current_incident()
        if incident is None:
            self._set_action_status(translate("ui.main_window", "Select an incident first"), ok=False)
            return
        self.tabs.setCurrentWidget(self.lead_tabs[self.lead.postmortems])
        self.lead.open_postmortem(incident.id)

    def _make_table(self) -> IncidentTable:
        table = IncidentTable(self.model)
        table.cursorMoved.connect(self._on_cursor_moved)
        return table

    # --- feed results --------------------------------------------------------------------------
    @Slot(list, list, object)
    def _on_snapshot(self, incidents: list[Incident], health: list[SourceHealth], poller: object) -> None:
        self.loading.hide()
        self._moving_rows = True
        try:
            self.model.replace_all(incidents)
        finally:
            self._moving_rows = False
        self._unacknowledged.replace_all(incidents)
        self._alarm_ready = True
        self._on_health(health)
        self._on_poller(poller)
        self.tray.prime(incidents)
        self._trimmer.tick(large=True)  # the first load (or a reload after an outage) is done
        self.figures.replace(incidents)
        self._incidents_changed()

    @Slot(list, list)
    def _on_incidents(self, incidents: list[Incident], removed_ids: list[int]) -> None:
        self._moving_rows = True
        try:
            self.model.apply(incidents, removed_ids)
        finally:
            self._moving_rows = False
        self._unacknowledged.apply(incidents, removed_ids)
        self.figures.apply(incidents, removed_ids)
        self.tray.notice(incidents, removed_ids)
        self._incidents_changed({i.id for i in incidents})

    def _incidents_changed(self, changed_ids: set[int] | None = None) -> None:
        """After a change set: everything here costs the size of the change set, not of the board."""
        self._refresh_alarm(self.db_now())
        self._restore_selection()
        self._review_due = True
        self._show_details(reload=changed_ids is None or self._shown_details in changed_ids)
        self._refresh_figures()

    def _refresh_figures(self) -> None:
        """Header counts, filter choices, the tray badge and the orphans, from the kept figures."""
        figures = self.figures
        self.header.set_counts(figures)
        self.filter_bar.set_choices(figures.services, {h.name for h in self._health})
        self.tray.show_counts(figures)
        orphaned = figures.orphaned
        resolve = translate("ui.main_window", "Resolve {n} orphaned").format(n=formats.number(orphaned))
        set_text(self.orphan_button, resolve)
        if self.orphan_button.isHidden() == bool(orphaned):
            self.orphan_button.setVisible(bool(orphaned))

    @Slot(list)
    def _on_health(self, health: list[SourceHealth]) -> None:
        self._health = list(health)
        now = self.db_now()
        self.sources.set_health(self._health, now)
        self._refresh_stale_banner(now)

    def _refresh_stale_banner(self, now: datetime) -> None:
        # Judged every second: a source goes stale by time passing, with nothing written anywhere.
        text = stale_banner_text(self._health, now)
        set_text(self.stale_banner, text)
        if self.stale_banner.isHidden() == bool(text):
            self.stale_banner.setVisible(bool(text))

    @Slot(object)
    def _on_poller(self, poller: object) -> None:
        self._poller = poller if isinstance(poller, PollerStatus) else None
        self.supervisor.update_poller_status(self._poller)
        self._refresh_poller_label()

    @Slot(str)
    def _on_store_error(self, message: str) -> None:
        text = translate("ui.main_window", "⚠ DATABASE ERROR — {error}; what you see may be out of date")
        set_text(self.store_banner, text.format(error=message))
        self.store_banner.show()

    @Slot(str, bool)
    def _on_supervisor_status(self, text: str, ok: bool) -> None:
        self._refresh_poller_label()

    def _refresh_poller_label(self) -> None:
        now = self.db_now()
        footer = poller_footer(
            self._poller,
            now,
            mine=self.supervisor.is_mine(self._poller),
            can_poll=self.supervisor.can_poll,
            supervisor=self.supervisor.last_status,
        )
        text, ok = with_heartbeat(footer, self._poller, now)
        if ok:
            set_style(self.poller_label, f"color: {theme.MUTED_TEXT.name()};")
        else:  # loud: red on the wall from across the room
            set_style(self.poller_label, f"{theme.ALARM_STYLE} color: {theme.ALARM_RED.name()};")
        set_text(self.poller_label, text)

    # --- selection: by incident id -------------------------------------------------------------
    @Slot()
    def _on_cursor_moved(self) -> None:
        if self._moving_rows:
            return  # Qt moved the cursor because rows moved or the filter changed; the operator chose nothing
        incident = self.table.incident_at(self.table.currentIndex())
        self._select(incident.id if incident is not None else None)

    def select_incident(self, incident_id: int | None) -> None:
        """Select an incident by id (None: nothing); the table's cursor follows."""
        self._select(incident_id)
        self._restore_selection()

    def _select(self, incident_id: int | None) -> None:
        changed = incident_id != self._selected_id
        self._selected_id = incident_id
        self.model.set_selected(incident_id)
        if changed:
            self._show_details()
        self._update_actions()

    def _restore_selection(self) -> None:
        """Put the cursor back on the selected incident, or nowhere once it left the board or the filter."""
        target = self.table.index_of(self._selected_id) if self._selected_id is not None else QModelIndex()
        if self._selected_id is not None and not target.isValid():
            self._select(None)
        selection = self.table.selectionModel()
        current = selection.currentIndex()
        self._moving_rows = True
        try:
            if target.isValid() and current.row() != target.row():
                selection.setCurrentIndex(target, QItemSelectionModel.SelectionFlag.NoUpdate)
            elif not target.isValid() and current.isValid():
                selection.clearCurrentIndex()
        finally:
            self._moving_rows = False
        self._update_actions()

    @Slot(object)
    def _on_filter(self, incident_filter: IncidentFilter) -> None:
        self._moving_rows = True
        try:
            self.table.set_incident_filter(incident_filter)
        finally:
            self._moving_rows = False
        self._restore_selection()
        self.filter_bar.save(self.settings)

    def current_incident(self) -> Incident | None:
        """What the actions apply to: the needs-review selection on that tab, else the table's."""
        if self.tabs.currentWidget() is self.review:
            return self.review.selected()
        return self.selected_incident()

    def _show_details(self, reload: bool = True) -> None:
        """The details pane follows the current incident; its timeline is re-read when it changed."""
        incident = self.current_incident()
        self.details.show_incident(incident, self.db_now())
        incident_id = incident.id if incident is not None else None
        if incident_id is not None and (reload or incident_id != self._shown_details):
            self.runner.request_timeline(incident_id)
            self.helpdesk.show_calls(incident_id)
            if incident is not None and incident.detected_by is DetectionSource.SYNTHETIC and incident.source:
                self.runner.request_check_history(incident_id, incident.source)
        self._shown_details = incident_id
        self._update_actions()

    @Slot(list, int)
    def _on_needs_review(self, incidents: list[Incident], total: int) -> None:
        self.review.set_incidents(incidents, total)
        if total:
            label = translate("ui.main_window", "Needs review ({count})").format(count=formats.number(total))
        else:
            label = translate("ui.main_window", "Needs review")
        self.tabs.setTabText(1, label)
        if self.tabs.currentWidget() is self.review:
            self._show_details(reload=False)

    def open_call_form(self) -> None:
        self.tabs.setCurrentWidget(self.call_page)
        self.helpdesk.form.caller.setFocus()

    @Slot(list)
    def _on_on_call(self, rows: list[OnCall]) -> None:
        set_text(self.on_call_label, on_call_text(rows))
        self.on_call_label.setVisible(bool(rows))

    def _focus_filter(self) -> None:
        self.filter_bar.text.setFocus()
        self.filter_bar.text.selectAll()

    def _raise(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def selected_incident(self) -> Incident | None:
        """The incident the operator selected, as it is now; None when it left the board."""
        if self._selected_id is None:
            return None
        row = self.model.row_of(self._selected_id)
        return self.model.incident_at(row) if row is not None else None

    def _update_actions(self) -> None:
        self.incident_actions.refresh(self.current_incident())
        enabled = self.ack_action.isEnabled()
        if self.ack_button.isEnabled() != enabled:
            self.ack_button.setEnabled(enabled)

    # --- operator actions ----------------------------------------------------------------------
    @Slot()
    def acknowledge_selected(self) -> None:
        self.incident_actions.trigger(ActionKind.ACKNOWLEDGE)

    def _acknowledge_incident(self, incident: Incident) -> None:
        """Acknowledge (or, for one that cleared unseen, review) through the feed, which re-reads at once."""
        self._set_action_status(
            translate("ui.main_window", "Acknowledging #{id}…").format(id=incident.id), ok=True
        )
        self.acknowledgeRequested.emit(incident.id, self._operator)
        if incident.needs_review:
            self._review_due = True

    @Slot()
    def resolve_orphaned(self) -> None:
        count = sum(1 for i in self.model.incidents if i.orphaned)
        if not count:
            return
        text = plural(
            count,
            translate("ui.main_window", "Resolving {n} orphaned incident…"),
            translate("ui.main_window", "Resolving {n} orphaned incidents…"),
        )
        self._set_action_status(text.format(n=formats.number(count)), ok=True)
        self.resolveOrphanedRequested.emit(self._operator)

    @Slot(str)
    def _action_done(self, text: str) -> None:
        self._set_action_status(text, ok=True)

    @Slot(str)
    def _action_failed(self, text: str) -> None:
        self._set_action_status(text, ok=False)

    def _set_action_status(self, text: str, ok: bool) -> None:
        colour = theme.MUTED_TEXT.name() if ok else theme.ALARM_RED.name()
        set_style(self.action_status, f"color: {colour};")
        set_text(self.action_status, text)

    # --- clock -----------------------------------------------------------------------------------
    @Slot()
    def tick(self) -> None:
        """Once a second: countdowns, clocks, staleness, and whether the poller still renews its lease."""
        time.tzset()  # the machine's time zone changed (travel, DST rules, an admin): shown within a second
        self._trimmer.tick()
        now = self.db_now()
        self.model.tick(now, self.table.rows_on_screen())
        self.header.set_time(now)
        self.sources.refresh(now)
        self._refresh_stale_banner(now)
        self._refresh_alarm(now)
        self.alarm_banners.tick()
        self.details.tick(now)
        if self._review_due:
            self._review_due = False
            self.runner.request_needs_review()
        if time.monotonic() - self._on_call_checked >= ON_CALL_EVERY_S:
            self._on_call_checked = time.monotonic()
            self.runner.request_on_call()

        # A poller that died without a word changes nothing in the database: only time shows it.
        self.supervisor.recheck()
        self._refresh_poller_label()

    def _refresh_alarm(self, now: datetime) -> None:
        """Which alarm sounds: re-decided every second (a mute ends, a source goes stale by time) and
        at once when the incidents change (acknowledged elsewhere: silent within the feed's 250 ms)."""
        if self._alarm_ready:
            self.alarms.update(self._unacknowledged, self._health, now)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _name_for_screen_readers(self) -> None:
        """Accessible names (and descriptions) for the window's main parts, read out by screen readers."""
        names = {
            self.header: (
                translate("ui.main_window", "Severity counts and clock"),
                translate("ui.main_window", "How many open incidents of each severity; the time"),
            ),
            self.stale_banner: (
                translate("ui.main_window", "Stale sources warning"),
                translate("ui.main_window", "Sources whose data is out of date"),
            ),
            self.alarm_banners: (
                translate("ui.main_window", "Alarm state"),
                translate("ui.main_window", "Whether alarms sound, are muted, or cannot be heard"),
            ),
            self.table: (
                translate("ui.main_window", "Open incidents"),
                translate("ui.main_window", "Loudest first; A acknowledges the selected incident"),
            ),
            self.review: (
                translate("ui.main_window", "Incidents to review"),
                translate("ui.main_window", "Incidents that cleared before anyone acknowledged them"),
            ),
            self.tabs: (
                translate("ui.main_window", "Console pages"),
                translate("ui.main_window", "Incidents, review, phone report, on call, charts, post-mortems"),
            ),
            self.details: (
                translate("ui.main_window", "Selected incident"),
                translate("ui.main_window", "Its SLA clocks, actions and timeline"),
            ),
            self.filter_bar: (
                translate("ui.main_window", "Filters"),
                translate(
                    "ui.main_window", "Filter the incidents by text, severity, status, service or source"
                ),
            ),
            self.sources: (
                translate("ui.main_window", "Monitoring sources"),
                translate("ui.main_window", "Each source's health: OK, failing or stale"),
            ),
            self.on_call_label: (
                translate("ui.main_window", "On call now"),
                translate("ui.main_window", "Who is on call for each schedule"),
            ),
            self.poller_label: (
                translate("ui.main_window", "Poller"),
                translate("ui.main_window", "Which process polls the sources, and its heartbeats"),
            ),
            self.action_status: (
                translate("ui.main_window", "Last action"),
                translate("ui.main_window", "What the last action did, or why it did not"),
            ),
            self.loading: (
                translate("ui.main_window", "Loading the incidents"),
                translate("ui.main_window", "Shown until the first read of the database arrives"),
            ),
        }
        for widget, (name, description) in names.items():
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def _restore_layout(self) -> None:
        """The splitter, the table's columns and the last tab, as this desk left them."""
        splitter = self.settings.value(layout.SPLITTER)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.value(layout.TABLE)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        tab = self.settings.value(layout.TAB)
        if tab is not None and str(tab).isdigit() and int(str(tab)) < self.tabs.count():
            self.tabs.setCurrentIndex(int(str(tab)))

    def _save_layout(self) -> None:
        self.settings.setValue(layout.SPLITTER, self.splitter.saveState())
        self.settings.setValue(layout.TABLE, self.table.horizontalHeader().saveState())
        self.settings.setValue(layout.TAB, self.tabs.currentIndex())
        layout.save_window(self, self.settings)
        self.settings.sync()

    def shutdown(self) -> None:
        """Stop the clock, the feed thread and our poller child. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._tick_timer.stop()
        self._save_layout()
        self.alarms.stop()
        self.runner.stop()
        self.helpdesk.stop()
        self.lead.stop()
        self.maintenance.stop()
        self.maintenance_worker.stop()
        self.feed.stop()
        self.supervisor.stop()
