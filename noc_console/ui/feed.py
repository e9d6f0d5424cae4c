"""Follows the store's change sequence in a worker thread and hands results to the GUI by signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QTimer, Signal, Slot
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from noc_console.domain.clock import utcnow
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import plural, translate
from noc_console.domain.wall import local_midnight
from noc_console.store import Store, make_engine
from noc_console.store import repository as repo
from noc_console.store.lease import PollerStatus
from noc_console.store.listen import ChangeListener
from noc_console.store.postmortems import Unwritten, unwritten_postmortems
from noc_console.ui import formats
from noc_console.ui.db_clock import seconds_text
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

log = logging.getLogger(__name__)

HEALTH_EVERY_TICKS = 8  # 2 s at the default 250 ms
RETRY_MAX_MS = 5000
LISTENING_INTERVAL_MS = 1000  # PostgreSQL: changes wake the follower; this only refreshes lease and health
# The database's clock against ours moves by less than this between two readings: not worth a signal.
OFFSET_JITTER_S = 0.2


@dataclass(slots=True)
class Figures:
    """What a read found of the wall's figures; None where it was not due."""

    share: tuple[int, int] | None = None
    postmortems: Unwritten | None = None
    last: tuple[datetime | None] | None = None


class FeedFollower(StoreWorker):
    """Reads the store in its own QThread with its own Store; the GUI thread never touches the database.

    Call `start()` from the GUI thread, `stop()` before the application quits. Operator actions
    (`acknowledge`) are queued to the worker thread through a connected signal or `request_acknowledge`.

    Signals:
        snapshot(list, list, object): all open incidents, all source health, PollerStatus or None;
            sent once the store opens (and again after it recovers from an error).
        clockOffset(float): the database's clock minus ours, in seconds; sent before the first snapshot
            and whenever it moves. Every time in the store is the database's.
        incidentsChanged(list, list): changed incidents, ids to remove (resolved or gone).
        healthChanged(list): every source's SourceHealth, after any of them changed.
        pollerChanged(object): PollerStatus or None, whenever the lease holder or heartbeat changes.
        storeError(str): the database failed, in plain words; the follower tries again after 250 ms,
            then less and less often, down to every 5 s.
        storeRecovered(): the database answers again after a storeError.
        actionDone(str): an operator action succeeded, in plain words.
        actionFailed(str): an operator action failed, in plain words.
        detectionShare(int, int): incidents detected since local midnight by our monitoring or checks,
            and in all; sent after the snapshot and every `figures_every_s`, when that is given.
        lastSuccess(object): the latest successful fetch of any source (datetime or None), when
            `figures_every_s` is given; sent after the snapshot and whenever it moves.
        postmortemsOwed(int, object, object): post-mortems owed and not finished, the ID of the one due
            first and its resolve time (None, None when none is owed); with the detection share.
    """

    snapshot = Signal(list, list, object)
    clockOffset = Signal(float)
    incidentsChanged = Signal(list, list)
    healthChanged = Signal(list)
    pollerChanged = Signal(object)
    storeError = Signal(str)
    storeRecovered = Signal()
    actionDone = Signal(str)
    actionFailed = Signal(str)
    detectionShare = Signal(int, int)
    postmortemsOwed = Signal(int, object, object)
    lastSuccess = Signal(object)

    _wake = Signal()
    _acknowledgeRequested = Signal(int, str)
    _resolveOrphanedRequested = Signal(str)

    def __init__(
        self,
        db_url: str,
        clock: Callable[[], datetime] = utcnow,
        interval_ms: int = 250,
        store_factory: Callable[[str], Store] | None = None,
        figures_every_s: float | None = None,
    ) -> None:
        super().__init__(db_url, "noc-feed", store_factory)
        # The wall's figures (detection share, last successful fetch): read only for those who ask.
        self._figures_every_s = figures_every_s
        self._figures_at: datetime | None = None
        self._last_success: datetime | None = None
        self._db_now: datetime | None = None
        self._clock = clock
        self._interval_ms = interval_ms
        self._timer: QTimer | None = None
        self._seq = 0
        self._poller: PollerStatus | None = None
        self._health: list[SourceHealth] = []
        self._ticks_since_health = 0
        self._failing = False
        self._retry_ms = interval_ms
        self._offset_s: float | None = None
        self._acknowledgeRequested.connect(self.acknowledge)
        self._resolveOrphanedRequested.connect(self.resolve_orphaned)
        self._wake.connect(self._poll)
        self._listening: threading.Thread | None = None
        self._stop_listening = threading.Event()

    # --- GUI-thread API ------------------------------------------------------------------------
    def request_acknowledge(self, incident_id: int, by: str) -> None:
        """Queue an acknowledgement to the worker thread; the answer comes as actionDone/actionFailed."""
        self._acknowledgeRequested.emit(incident_id, by)

    def request_resolve_orphaned(self, by: str) -> None:
        """Queue resolving every orphaned incident; the answer comes as actionDone/actionFailed."""
        self._resolveOrphanedRequested.emit(by)

    # --- worker thread -------------------------------------------------------------------------
    def _started(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval_ms)
        self._timer.timeout.connect(self._poll)
        if make_url(self._db_url).get_backend_name() == "postgresql":
            # Woken by NOTIFY at each commit: the timer only keeps the lease and health fresh.
            self._timer.setInterval(max(self._interval_ms, LISTENING_INTERVAL_MS))
            self._listening = threading.Thread(target=self._listen, name="noc-feed-listen", daemon=True)
            self._listening.start()
        self._timer.start()
        self._poll()

    def _listen(self) -> None:
        """Off every Qt thread: wait for NOTIFY on a connection of its own and wake the follower."""
        engine = make_engine(self._db_url)
        listener = ChangeListener(engine)
        try:
            while not self._stop_listening.is_set():
                if listener.wait(1.0):
                    self._wake.emit()  # queued to the follower's thread: it reads what changed
        finally:
            listener.close()
            engine.dispose()

    def _before_shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()  # a stopped child timer may move threads with its parent
        self._stop_listening.set()
        if self._listening is not None:
            self._listening.join(timeout=5)

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, KNOWN_ERRORS):
            message = plain_error(exc)
            log.warning("database: %s", message)
        else:
            message = translate("ui.feed", "unexpected {error} (details in the log)").format(
                error=type(exc).__name__
            )
            log.exception("database")
        self._drop_store()
        # Back off: a database that refuses us (a newer schema, a server that is down) is asked again
        # after 250 ms, 500 ms, 1 s … then every 5 s, never hammered four times a second.
        self._retry_ms = min(self._retry_ms * 2, RETRY_MAX_MS) if self._failing else self._interval_ms
        self._failing = True
        if self._timer is not None:
            self._timer.start(self._retry_ms)
        seconds = seconds_text(self._retry_ms / 1000)
        text = translate("ui.feed", "{error} — reconnecting, next try in {seconds} s")
        self.storeError.emit(text.format(error=message, seconds=seconds))

    @Slot()
    def _poll(self) -> None:
        try:
            if self._store is None:
                self._load_snapshot()
            else:
                self._follow()
        except Exception as exc:  # a known error is shown; a bug is logged too; never a crash
            self._fail(exc)
            return
        if self._failing:
            self._failing = False
            self._retry_ms = self._interval_ms
            if self._timer is not None:
                self._timer.start(self._interval_ms)
            self.storeRecovered.emit()

    def _load_snapshot(self) -> None:
        self._store = self._open()
        with self._store.read() as s:
            self._read_clock(s, force=True)
            seq = repo.latest_change_seq(s)
            incidents = repo.list_incidents(s, include_resolved=False)
            health = repo.list_source_health(s)
            poller = repo.poller_status(s)
            self._figures_at = None
            figures = self._read_figures(s, health_read=True)
        self._seq = seq
        self._poller = poller
        self._health = health
        self.snapshot.emit(incidents, health, poller)
        self._emit_figures(figures, snapshot=True)

    def _follow(self) -> None:
        assert self._store is not None
        with self._store.read() as s:
            self._read_clock(s)
            changes = repo.changes_since(s, self._seq)
            incident_ids = {c.incident_id for c in changes if c.kind == "incident" and c.incident_id}
            incidents = repo.get_incidents(s, incident_ids) if incident_ids else []
            # A successful fetch that changes nothing on screen is not in the change sequence either:
            # re-read health every couple of seconds so "last success" never looks older than it is.
            self._ticks_since_health += 1
            if any(c.kind == "source" for c in changes) or self._ticks_since_health >= HEALTH_EVERY_TICKS:
                self._ticks_since_health = 0
                health = repo.list_source_health(s)
            else:
                health = None
            # The heartbeat is not in the change sequence: read the lease every tick (a primary-key get).
            poller = repo.poller_status(s)
            figures = self._read_figures(s, health_read=health is not None)
        if changes:
            self._seq = changes[-1].seq
        if incident_ids:
            found = {i.id for i in incidents}
            open_incidents = [i for i in incidents if i.is_open]
            removed = sorted((incident_ids - found) | {i.id for i in incidents if not i.is_open})
            self.incidentsChanged.emit(open_incidents, removed)
        if health is not None and health != self._health:
            self._health = health
            self.healthChanged.emit(health)
        if poller != self._poller:
            self._poller = poller
            self.pollerChanged.emit(poller)
        self._emit_figures(figures)

    def _read_figures(self, session: Session, health_read: bool) -> Figures:
        """The detection share and the post-mortems owed when due, the last success when health was read
        (wall only)."""
        every, now = self._figures_every_s, self._db_now
        if every is None or now is None:
            return Figures()
        figures = Figures()
        if self._figures_at is None or (now - self._figures_at).total_seconds() >= every:
            self._figures_at = now
            figures.share = repo.detection_share(session, since=local_midnight(now))
            figures.postmortems = unwritten_postmortems(session, now)
        if health_read:
            figures.last = (repo.last_success(session),)
        return figures

    def _emit_figures(self, figures: Figures, snapshot: bool = False) -> None:
        if figures.share is not None:
            self.detectionShare.emit(*figures.share)
        if figures.postmortems is not None:
            owed = figures.postmortems
            self.postmortemsOwed.emit(owed.count, owed.first_id, owed.first_resolved_at)
        last = figures.last
        if last is not None and (snapshot or last[0] != self._last_success):
            self._last_success = last[0]
            self.lastSuccess.emit(last[0])

    def _read_clock(self, session: Session, force: bool = False) -> None:
        """Publish how far the database's clock is from ours (leases, health and incidents use it)."""
        db_now = repo.db_now(session)
        self._db_now = db_now
        offset = (db_now - self._clock()).total_seconds()
        if force or self._offset_s is None or abs(offset - self._offset_s) > OFFSET_JITTER_S:
            self._offset_s = offset
            self.clockOffset.emit(offset)

    @Slot(int, str)
    def acknowledge(self, incident_id: int, by: str) -> None:
        """Acknowledge an incident (runs in the worker thread), then pick up the change at once."""
        try:
            if self._store is None:
                self._load_snapshot()
            assert self._store is not None
            with self._store.session() as s:
                outcome = repo.acknowledge(s, incident_id, by, repo.db_now(s))
        except repo.UnknownIncident:
            self.actionFailed.emit(
                translate("ui.feed", "Incident #{id} no longer exists").format(id=incident_id)
            )
            return
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("acknowledge #%s", incident_id)
            text = translate("ui.feed", "Could not acknowledge #{id}: {error}")
            self.actionFailed.emit(text.format(id=incident_id, error=plain_error(exc)))
            return
        self.actionDone.emit(outcome.describe("acknowledged"))
        self._poll()

    @Slot(str)
    def resolve_orphaned(self, by: str) -> None:
        """Resolve every incident whose source was removed from the config (runs in the worker thread)."""
        try:
            if self._store is None:
                self._load_snapshot()
            assert self._store is not None
            with self._store.session() as s:
                resolved = repo.resolve_orphaned(s, by, repo.db_now(s))
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("resolve orphaned incidents")
            text = translate("ui.feed", "Could not resolve the orphaned incidents: {error}")
            self.actionFailed.emit(text.format(error=plain_error(exc)))
            return
        if resolved:
            ids = ", ".join(f"#{i}" for i in resolved)
            text = plural(
                len(resolved),
                translate("ui.feed", "Resolved {n} orphaned incident by {by}: {ids}"),
                translate("ui.feed", "Resolved {n} orphaned incidents by {by}: {ids}"),
            )
            self.actionDone.emit(text.format(n=formats.number(len(resolved)), by=by, ids=ids))
        else:
            self.actionDone.emit(translate("ui.feed", "No orphaned incident was left to resolve"))
        self._poll()
