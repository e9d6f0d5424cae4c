"""Carries out operator actions and reads timelines off the GUI thread, with a store of its own.

The window sends an `OperatorAction` (acknowledge, assign, note, assessment, customer update, resolve);
the runner checks it with the store's own rules, writes it in one transaction, and answers with one line
in plain words. The change reaches every screen through the change feed, as any other writer's does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal, Slot

from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.inputs import InvalidInput
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.actions import carry_out
from noc_console.store.check_runs import check_history
from noc_console.store.writeback import writebacks_of
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

log = logging.getLogger(__name__)
REVIEW_SHOWN = 200  # the newest incidents waiting for a review that the list shows (all are counted)
# What the operator reads when an action failed, by kind (translated where it is shown).
_COULD_NOT = {
    ActionKind.ACKNOWLEDGE: QT_TRANSLATE_NOOP("ui.actions", "Could not acknowledge #{id}: {error}"),
    ActionKind.ASSIGN: QT_TRANSLATE_NOOP("ui.actions", "Could not assign #{id}: {error}"),
    ActionKind.NOTE: QT_TRANSLATE_NOOP("ui.actions", "Could not note #{id}: {error}"),
    ActionKind.ASSESS: QT_TRANSLATE_NOOP("ui.actions", "Could not assess #{id}: {error}"),
    ActionKind.UPDATE: QT_TRANSLATE_NOOP("ui.actions", "Could not update #{id}: {error}"),
    ActionKind.RESOLVE: QT_TRANSLATE_NOOP("ui.actions", "Could not resolve #{id}: {error}"),
    ActionKind.PAGE: QT_TRANSLATE_NOOP("ui.actions", "Could not page #{id}: {error}"),
}
# What a directory save says when it worked, by what was saved.
_SAVED = {
    "person": QT_TRANSLATE_NOOP("ui.actions", "person: {name} saved"),
    "schedule": QT_TRANSLATE_NOOP("ui.actions", "schedule: {name} saved"),
    "policy": QT_TRANSLATE_NOOP("ui.actions", "policy: {name} saved"),
}


class ActionRunner(StoreWorker):
    """A worker thread for writes and detail reads. `start()` and `stop()` from the GUI thread.

    Signals:
        done(str): an action succeeded, in plain words.
        failed(str): an action was refused or failed, in plain words (a field named for bad input), or
            changed nothing because another operator's change came first (who, and what it is now).
        timelineLoaded(int, list): an incident's id and its TimelineEntry list, oldest first.
        writebacksLoaded(int, list): an incident's id and its acknowledge write-backs (WritebackState),
            read with its timeline.
        needsReviewLoaded(list, int): the newest REVIEW_SHOWN incidents that cleared while nobody
            acknowledged them, and how many there are in all.
        onCallLoaded(list): who is on call now and next (OnCall), one per schedule.
        checkHistoryLoaded(int, object): an incident's id and its synthetic check's CheckHistory.
    """

    done = Signal(str)
    failed = Signal(str)
    timelineLoaded = Signal(int, list)
    writebacksLoaded = Signal(int, list)
    needsReviewLoaded = Signal(list, int)
    onCallLoaded = Signal(list)
    checkHistoryLoaded = Signal(int, object)
    directoryLoaded = Signal(list, list, list, list)

    _performRequested = Signal(object)
    _timelineRequested = Signal(int)
    _checkHistoryRequested = Signal(int, str)
    _reviewRequested = Signal()
    _onCallRequested = Signal()
    _directorySaveRequested = Signal(str, object, object)

    def __init__(self, db_url: str, store_factory: Callable[[str], Store] | None = None) -> None:
        super().__init__(db_url, "noc-actions", store_factory)
        self._performRequested.connect(self._perform)
        self._timelineRequested.connect(self._load_timeline)
        self._checkHistoryRequested.connect(self._load_check_history)
        self._reviewRequested.connect(self._load_needs_review)
        self._onCallRequested.connect(self._load_on_call)
        self._directorySaveRequested.connect(self._save_directory)
        self.providers: tuple[str, ...] = ()  # the configured providers' names, for checking policies

    # --- GUI-thread API ------------------------------------------------------------------------
    def request(self, action: OperatorAction) -> None:
        self._performRequested.emit(action)

    def request_timeline(self, incident_id: int) -> None:
        self._timelineRequested.emit(incident_id)

    def request_check_history(self, incident_id: int, source: str) -> None:
        """The last 24 hours of the synthetic check `source` behind incident `incident_id`."""
        self._checkHistoryRequested.emit(incident_id, source)

    def request_needs_review(self) -> None:
        self._reviewRequested.emit()

    def request_on_call(self) -> None:
        """Who is on call (onCallLoaded) and the whole directory (directoryLoaded)."""
        self._onCallRequested.emit()

    def request_directory_save(self, what: str, value: object, former: object) -> None:
        self._directorySaveRequested.emit(what, value, former)

    # --- worker thread -------------------------------------------------------------------------
    @Slot(object)
    def _perform(self, action: OperatorAction) -> None:
        try:
            action.validate()
            with self._open().session() as session:
                performed = carry_out(session, action, repo.db_now(session))
        except InvalidInput as exc:
            self.failed.emit(translate("ui.actions", "Not done: {error}").format(error=exc))
            return
        except repo.UnknownIncident:
            self.failed.emit(
                translate("ui.actions", "Incident #{id} no longer exists").format(id=action.incident_id)
            )
            return
        except Exception as exc:  # a known error is shown; a bug is logged too; never a crash
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("%s #%s", action.kind, action.incident_id)
            self._drop_store()
            text = translate("ui.actions", _COULD_NOT[action.kind])
            self.failed.emit(text.format(id=action.incident_id, error=plain_error(exc)))
            return
        # Not done: someone else's change came first; the operator is told whose, and it shows.
        (self.done if performed.done else self.failed).emit(performed.text)
        self._load_timeline(action.incident_id)
        self._load_needs_review()

    @Slot(int)
    def _load_timeline(self, incident_id: int) -> None:
        try:
            with self._open().read() as session:
                entries = repo.timeline_entries(session, incident_id)
                writebacks = writebacks_of(session, incident_id)
        except repo.UnknownIncident:
            entries, writebacks = [], []
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("timeline of #%s", incident_id)
            self._drop_store()
            text = translate("ui.actions", "Could not read the timeline of #{id}: {error}")
            self.failed.emit(text.format(id=incident_id, error=plain_error(exc)))
            return
        self.timelineLoaded.emit(incident_id, entries)
        self.writebacksLoaded.emit(incident_id, writebacks)

    @Slot(int, str)
    def _load_check_history(self, incident_id: int, source: str) -> None:
        try:
            with self._open().read() as session:
                history = check_history(session, source, repo.db_now(session))
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("check history of %s", source)
            self._drop_store()
            text = translate("ui.actions", "Could not read the history of check {check}: {error}")
            self.failed.emit(text.format(check=source, error=plain_error(exc)))
            return
        self.checkHistoryLoaded.emit(incident_id, history)

    @Slot()
    def _load_needs_review(self) -> None:
        try:
            with self._open().read() as session:
                incidents = repo.list_needs_review(session, REVIEW_SHOWN)
                total = repo.count_needs_review(session) if len(incidents) == REVIEW_SHOWN else len(incidents)
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("needs review")
            self._drop_store()
            return  # the feed shows database trouble loudly already
        self.needsReviewLoaded.emit(incidents, total)

    @Slot()
    def _load_on_call(self) -> None:
        from noc_console.domain.paging import on_call
        from noc_console.store.paging import load_directory

        try:
            with self._open().read() as session:
                now = repo.db_now(session)
                directory = load_directory(session)
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("on call")
            self._drop_store()
            return
        rows = [on_call(schedule, now) for schedule in directory.schedules.values()]
        self.onCallLoaded.emit(rows)
        self.directoryLoaded.emit(
            list(directory.people.values()), list(directory.schedules.values()), directory.policies, rows
        )

    @Slot(str, object, object)
    def _save_directory(self, what: str, value: object, former: object) -> None:
        from noc_console.store import paging

        try:
            with self._open().session() as session:
                now = repo.db_now(session)
                if what == "person":
                    paging.save_person(session, value, now, original=former)  # type: ignore[arg-type]
                elif what == "person-delete":
                    paging.delete_person(session, str(value), now)
                elif what == "schedule":
                    paging.save_schedule(session, value, now)  # type: ignore[arg-type]
                else:
                    paging.save_policy(session, value, self.providers, now)  # type: ignore[arg-type]
        except paging.DirectoryConflict as exc:
            self.failed.emit(translate("ui.actions", "Not saved: {error}").format(error=exc))
            return
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("saving the directory")
            self._drop_store()
            self.failed.emit(translate("ui.actions", "Not saved: {error}").format(error=plain_error(exc)))
            return
        name = getattr(value, "name", value)
        if what == "person-delete":
            self.done.emit(translate("ui.actions", "{name} removed").format(name=name))
        else:
            self.done.emit(translate("ui.actions", _SAVED.get(what, _SAVED["policy"])).format(name=name))
        self._load_on_call()
