"""`noc-console wall`: the incident wall, full screen on one monitor, following the store's change feed.

It runs for weeks: nothing here grows with time. The board keeps one entry per open incident (and its
heaps are compacted), the view caches the elided titles of the rows on screen only, and every age and
countdown is judged by the database's clock (ours plus the offset the feed measures).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from noc_console.domain.alarms import MUTE_DEFAULT_MINUTES
from noc_console.domain.chart_range import WALL_DAYS, ChartRange
from noc_console.domain.clock import utcnow
from noc_console.domain.health import SourceHealth
from noc_console.domain.heartbeat import heartbeat_line
from noc_console.domain.i18n import translate
from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.wall import WallBoard
from noc_console.engine.launch import PollerCommand
from noc_console.store import Store
from noc_console.store.lease import PollerStatus
from noc_console.ui import formats
from noc_console.ui.alarm_player import AlarmPlayer
from noc_console.ui.db_clock import DbClock
from noc_console.ui.feed import FeedFollower
from noc_console.ui.poller_supervisor import PollerSupervisor
from noc_console.ui.status_widgets import poller_footer
from noc_console.ui.wall_rotation import WallCharts, WallRotation
from noc_console.ui.wall_view import WallView

if TYPE_CHECKING:
    from noc_console.ui.charts_page import ChartsPage

log = logging.getLogger(__name__)

TICK_MS = 500  # each second is drawn once, and the breached countdowns blink in its second half
FIGURES_EVERY_S = 60.0  # today's detection share


class NoSuchScreen(ValueError):
    """The screen asked for is not there."""


def pick_screen(index: int) -> QScreen:
    """Screen `index`: 0 is the primary, the others follow in the order the system lists them.

    Creates the QApplication if there is none yet. NoSuchScreen names what there is.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    primary = app.primaryScreen()
    screens = [primary, *(s for s in app.screens() if s is not primary)] if primary is not None else []
    if not 0 <= index < len(screens):
        count = len(screens)
        raise NoSuchScreen(
            f"no screen {index}: this machine has {count} screen{'s' if count != 1 else ''} "
            f"(0 is the primary{f', up to {count - 1}' if count > 1 else ''})"
        )
    return screens[index]


def remembered_screen(name: str) -> QScreen | None:
    """The screen called `name` (as the system names it), if it is still connected."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return next((screen for screen in app.screens() if name and screen.name() == name), None)


class WallWindow(QWidget):
    """The wall: a WallView fed by a FeedFollower, with its own poller child like the console.

    Keys: Up/Down (or Left/Right) select an incident on screen, A acknowledges it, M mutes this wall's
    alarms for 15 minutes (or unmutes them). The wall sounds alarms like the console (an AlarmPlayer of
    its own) and says in its header when they are muted or cannot be heard.

    With `charts`, the wall alternates between the incidents and the last 30 days' charts every
    `charts.rotate_s` seconds, and stays on (or goes back to) the incidents while any is unacknowledged.

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
        store_factory: Callable[[str], Store] | None = None,
        alarms: AlarmPlayer | None = None,
        tick_ms: int = TICK_MS,
        charts: WallCharts | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(translate("ui.wall", "NOC Console — wall"))
        self._clock = clock
        self.db_clock = DbClock(clock, self)
        self._poller: PollerStatus | None = None
        self._operator = operator
        self._health: list[SourceHealth] = []
        self._second = -1
        self._closed = False
        now = clock()
        self.board = WallBoard(sla, now)
        self.view = WallView(self.board, sla, now, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.charts: ChartsPage | None = None
        self.rotation: WallRotation | None = None
        if charts is None:
            layout.addWidget(self.view)
        else:
            from noc_console.ui.charts_page import ChartsPage  # pyqtgraph only on a wall that rotates

            self.charts = ChartsPage(
                db_url, charts.catalog, charts.source_names, store_factory, wall=True,
                chart_range=ChartRange.last(WALL_DAYS),
            )  # fmt: skip
            self.stack = QStackedWidget()
            self.stack.addWidget(self.view)
            self.stack.addWidget(self.charts)
            layout.addWidget(self.stack)
            self.rotation = WallRotation(
                self.stack, self.view, self.charts, charts.rotate_s, self._incident_waits, self
            )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.alarms = alarms if alarms is not None else AlarmPlayer(parent=self)

        for keys, slot in (
            ((Qt.Key.Key_Down, Qt.Key.Key_Right), lambda: self._move_selection(1)),
            ((Qt.Key.Key_Up, Qt.Key.Key_Left), lambda: self._move_selection(-1)),
            ((Qt.Key.Key_A,), self.acknowledge_selected),
            ((Qt.Key.Key_M,), self.toggle_mute),
        ):
            action = QAction(self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        self.feed = FeedFollower(db_url, clock, store_factory=store_factory, figures_every_s=FIGURES_EVERY_S)
        self.feed.clockOffset.connect(self.db_clock.set_offset)
        self.feed.snapshot.connect(self._on_snapshot)
        self.feed.incidentsChanged.connect(self._on_incidents)
        self.feed.healthChanged.connect(self._on_health)
        self.feed.pollerChanged.connect(self._on_poller)
        self.feed.detectionShare.connect(self.view.set_detection_share)
        self.feed.postmortemsOwed.connect(self.view.set_postmortems)
        self.feed.lastSuccess.connect(self.view.set_last_success)
        self.feed.storeError.connect(self._on_store_error)
        # Slots of this window, never lambdas: the feed emits from its own thread (see MainWindow).
        self.feed.storeRecovered.connect(self._store_recovered)
        self.feed.actionDone.connect(self._action_done)
        self.feed.actionFailed.connect(self._action_failed)
        self.acknowledgeRequested.connect(self.feed.acknowledge)
        if self.charts is not None:
            self.feed.snapshot.connect(self.charts.incidents_changed)
            self.feed.incidentsChanged.connect(self.charts.incidents_changed)

        self.supervisor = PollerSupervisor(poller, clock=self.db_now, parent=self)
        self.supervisor.statusChanged.connect(self._on_supervisor_status)

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()
        self.feed.start()
        if self.charts is not None and self.rotation is not None:
            self.charts.start()
            self.rotation.start()

    # --- clocks --------------------------------------------------------------------------------
    def db_now(self) -> datetime:
        """The database's clock, as last measured against ours: every time in the store is on it."""
        return self.db_clock.now()

    @Slot()
    def tick(self) -> None:
        """Twice a second: a new second re-sorts what changed state, re-reads the time zone (a zone
        changed on the machine shows within a second) and redraws; the half second blinks."""
        now = self.db_now()
        second = int(now.timestamp())
        if second != self._second:
            self._second = second
            time.tzset()
            self.board.tick(now)
            # A poller that died without a word changes nothing in the database: only time shows it.
            self.supervisor.recheck()
            self.view.set_poller_line(
                *poller_footer(
                    self._poller,
                    now,
                    mine=self.supervisor.is_mine(self._poller),
                    can_poll=self.supervisor.can_poll,
                    supervisor=self.supervisor.last_status,
                )
            )
            self._refresh_heartbeat(now)
            self._refresh_alarm(now)
        self.view.set_now(now)

    def _refresh_alarm(self, now: datetime) -> None:
        """Which alarm sounds, decided on the database's clock; the header says what nobody can hear."""
        alarms = self.alarms
        # Only unacknowledged incidents sound; the board keeps them by alarm kind, so this scans none.
        alarms.update(self.board.unacknowledged_incidents(), self._health, now)
        until = alarms.muted_until
        if not alarms.audio_available and alarms.alarm is not None:
            note = translate("ui.wall", "ALARM, NO SOUND: {alarm}").format(alarm=alarms.alarm.describe())
            loud = True
        elif until is not None:
            note = translate("ui.wall", "ALARMS MUTED until {time}").format(time=formats.clock(until))
            loud = False
        elif not alarms.audio_available:
            note = translate("ui.wall", "NO AUDIO: {problem}").format(problem=alarms.audio_problem)
            loud = False
        else:
            note, loud = "", False
        self.view.set_alarm_note(note, loud)

    # --- feed results --------------------------------------------------------------------------
    @Slot(list, list, object)
    def _on_snapshot(self, incidents: list[Incident], health: list[SourceHealth], poller: object) -> None:
        self.board.tick(self.db_now())
        self.board.replace_all(incidents)
        self._on_health(health)
        self._on_poller(poller)
        self._refresh_alarm(self.db_now())
        self._back_to_incidents_if_waiting()
        self.view.update()

    @Slot(list, list)
    def _on_incidents(self, incidents: list[Incident], removed_ids: list[int]) -> None:
        self.board.apply(incidents, removed_ids)
        self._refresh_alarm(self.db_now())  # acknowledged elsewhere: silent now, not at the next second
        self._back_to_incidents_if_waiting()
        self.view.update()

    def _incident_waits(self) -> bool:
        """Any incident unacknowledged (each of them sounds its alarm until someone acknowledges it)."""
        return self.board.unacknowledged > 0

    def _back_to_incidents_if_waiting(self) -> None:
        """A new incident nobody acknowledged is on the wall at once, never behind the charts."""
        if self.rotation is not None:
            self.rotation.check()

    @Slot(list)
    def _on_health(self, health: list[SourceHealth]) -> None:
        self._health = list(health)
        self.view.set_health(self._health)

    @Slot(object)
    def _on_poller(self, poller: object) -> None:
        self._poller = poller if isinstance(poller, PollerStatus) else None
        self.supervisor.update_poller_status(self._poller)
        self._refresh_heartbeat(self.db_now())  # a failed heartbeat shows at once, not at the next second

    def _refresh_heartbeat(self, now: datetime) -> None:
        """The dead man's switch, judged on the database's clock: time alone turns it red."""
        beat = self._poller.heartbeat if self._poller is not None else None
        self.view.set_heartbeat_line(*heartbeat_line(beat, now, reason=False))  # its cause: in the console

    @Slot()
    def _store_recovered(self) -> None:
        self.view.set_status("", ok=True)

    @Slot(str)
    def _action_done(self, text: str) -> None:
        self.view.set_status(text, ok=True)

    @Slot(str)
    def _action_failed(self, text: str) -> None:
        self.view.set_status(text, ok=False)

    @Slot(str)
    def _on_store_error(self, message: str) -> None:
        text = translate("ui.wall", "DATABASE ERROR — {message}; what you see may be out of date")
        self.view.set_status(text.format(message=message), ok=False)

    @Slot(str, bool)
    def _on_supervisor_status(self, text: str, ok: bool) -> None:
        if not ok:
            self.view.set_status(text, ok=False)

    # --- keys ----------------------------------------------------------------------------------
    def _show_incidents(self) -> None:
        """A key at the wall is about the incidents: show them (for a whole period) first."""
        if self.rotation is not None:
            self.rotation.show_incidents()

    def _move_selection(self, step: int) -> None:
        self._show_incidents()
        self.view.move_selection(step)

    @Slot()
    def acknowledge_selected(self) -> None:
        self._show_incidents()
        incident = self.view.selected()
        if incident is None:
            self.view.set_status(
                translate("ui.wall", "Select an incident with the arrow keys, then press A"), ok=False
            )
            return
        if incident.status is not IncidentStatus.OPEN:
            self.view.set_status(
                translate("ui.wall", "#{id} is already acknowledged").format(id=incident.id), ok=True
            )
            return
        self.view.set_status(translate("ui.wall", "Acknowledging #{id}…").format(id=incident.id), ok=True)
        self.acknowledgeRequested.emit(incident.id, self._operator)

    @Slot()
    def toggle_mute(self) -> None:
        """M: mute this wall's alarms for 15 minutes, or unmute them."""
        if self.alarms.muted_until is None:
            until = self.alarms.mute(MUTE_DEFAULT_MINUTES, self.db_now())
            text = translate("ui.wall", "Alarms muted until {time}").format(time=formats.clock(until))
            self.view.set_status(text, ok=True)
        else:
            self.alarms.unmute()
            self.view.set_status(translate("ui.wall", "Alarms unmuted"), ok=True)
        self._refresh_alarm(self.db_now())

    # --- lifetime ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the clock, the feed thread, the alarm and our poller child. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        if self.rotation is not None and self.charts is not None:
            self.rotation.stop()
            self.charts.stop()
        self.alarms.stop()
        self.feed.stop()
        self.supervisor.stop()


def run_wall(
    db_url: str,
    sla: SlaPolicy,
    operator: str,
    poller: PollerCommand | None,
    screen: QScreen,
    headless_seconds: float | None = None,
    charts: WallCharts | None = None,
    language: str | None = None,
) -> int:
    """Run the wall full screen on `screen` until it closes (SIGTERM and SIGINT close it cleanly);
    with `charts`, alternating with the charts (`wall --rotate`). `language` is `--lang` (else the
    system's locale chooses, see `ui.language`)."""
    from noc_console.logs import current_log
    from noc_console.ui.app import APP_NAME, QuitOnSignal, app_icon, speak
    from noc_console.ui.crash import CrashReporter
    from noc_console.ui.refcount_guard import RefcountGuard
    from noc_console.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)  # pick_screen made it
    speak(app, language)  # before any text is made (LanguageError: the command line says it, exit 2)
    guard = RefcountGuard()
    guard.start()
    windows: list[WallWindow] = []

    def quit_cleanly(_signum: int) -> None:
        for window in windows:
            window.close()
        app.quit()

    quitter = QuitOnSignal(quit_cleanly)
    crashes = CrashReporter(current_log())
    crashes.install()
    try:
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName(translate("ui.wall", "{app} wall").format(app=APP_NAME))
        icon = app_icon()
        if icon is not None:
            app.setWindowIcon(icon)
        apply_theme(app)
        window = WallWindow(db_url, sla, operator, poller, charts=charts)
        windows.append(window)
        window.setScreen(screen)
        # Without a window manager (a kiosk) full screen alone does nothing: place and size it too.
        window.setGeometry(screen.geometry())
        window.showFullScreen()
        window.activateWindow()
        if headless_seconds is not None:
            QTimer.singleShot(int(headless_seconds * 1000), window.close)
        return int(app.exec())
    finally:
        for window in windows:
            window.shutdown()
        crashes.uninstall()
        quitter.close()
        guard.stop()
