"""The helpdesk's worker: matches what the caller says against open incidents, suggests a service and a
severity, and saves calls — off the GUI thread, with a store of its own.

Every call goes to the desk's outbox first (on disk in milliseconds, before the form clears), then to
the database at once. When the database is away the call waits in the outbox and the desk retries every
few seconds; the call's own UUID makes each retry idempotent, so it is stored exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot

from noc_console.domain.calls import CallDraft
from noc_console.domain.i18n import translate
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.suggest import Suggester
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.calls import UnknownCall, acknowledge_caller, calls_of, candidates_for, fit_suggester
from noc_console.store.outbox import Outbox, sync
from noc_console.ui import formats
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

log = logging.getLogger(__name__)
SYNC_FIRST_RETRY_MS = 1000
SYNC_MAX_RETRY_MS = 4000  # a database that answers again is synced within this (well inside 10 s)
REFIT_AFTER_S = 600.0  # the suggester learns from new history this often


class CallDesk(StoreWorker):
    """`start()`/`stop()` from the GUI thread.

    Signals:
        matches(int, list, object): a match request's number, its Candidates (best first), and a
            Suggestion for a new incident (None when the database could not be read).
        saved(str, object, str): a call ID, its CallOutcome (stored in the database), and what to read
            out to the caller to acknowledge them.
        queued(str, str): a call ID saved on this desk only, and why (the database is away).
        failed(str, str): a call ID (or "") and why it cannot be stored as it is (it stays queued).
        outbox(int, str): calls waiting on this desk, and the last reason they could not be sent.
        callsLoaded(int, list): an incident ID and its calls (oldest first).
        ackDone(str): text to read out to a caller whose acknowledge clock was closed, or why not.
    """

    matches = Signal(int, list, object)
    saved = Signal(str, object, str)
    queued = Signal(str, str)
    failed = Signal(str, str)
    outbox = Signal(int, str)
    callsLoaded = Signal(int, list)
    ackDone = Signal(str, bool)

    _saveRequested = Signal(object)
    _matchRequested = Signal(int, object, str)
    _callsRequested = Signal(int)
    _ackRequested = Signal(str, str)

    def __init__(
        self,
        db_url: str,
        outbox_path: Path,
        policy: SlaPolicy,
        aliases: Mapping[str, Sequence[str]],
        store_factory: Callable[[str], Store] | None = None,
    ) -> None:
        super().__init__(db_url, "noc-call-desk", store_factory)
        self._outbox_path = outbox_path
        self._policy = policy
        self._aliases = dict(aliases)
        self._outbox: Outbox | None = None
        self._suggester: Suggester | None = None
        self._fitted_at = 0.0
        self._retry_ms = SYNC_FIRST_RETRY_MS
        self._timer: QTimer | None = None
        self._saveRequested.connect(self._save)
        self._matchRequested.connect(self._match)
        self._callsRequested.connect(self._load_calls)
        self._ackRequested.connect(self._ack)

    # --- GUI-thread API ------------------------------------------------------------------------
    def request_save(self, draft: CallDraft) -> None:
        self._saveRequested.emit(draft)

    def request_matches(self, number: int, service: str | None, summary: str) -> None:
        self._matchRequested.emit(number, service, summary)

    def request_calls(self, incident_id: int) -> None:
        self._callsRequested.emit(incident_id)

    def request_ack(self, call_id: str, by: str) -> None:
        self._ackRequested.emit(call_id, by)

    # --- worker thread -------------------------------------------------------------------------
    def _started(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._sync)
        try:
            self._outbox = Outbox(self._outbox_path)
        except Exception as exc:  # a desk that cannot keep an outbox must say so loudly
            log.exception("outbox")
            why = translate(
                "ui.call_desk", "This desk cannot keep unsent calls ({error}); calls need the database"
            )
            self.failed.emit("", why.format(error=exc))
            return
        self._sync()  # calls left from an earlier run (a crash, a database that was away)

    def _before_shutdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot(object)
    def _save(self, draft: CallDraft) -> None:
        if self._outbox is None:
            self._save_direct(draft)
            return
        try:
            self._outbox.put(draft, datetime.now(UTC))
        except Exception as exc:  # the disk refused: try the database before giving up
            log.exception("outbox write")
            self._save_direct(draft, str(exc))
            return
        self.queued.emit(draft.call_id, "")  # on disk: the form may clear
        self._sync()

    def _save_direct(self, draft: CallDraft, disk_error: str = "") -> None:
        """Straight to the database; `disk_error` says why the outbox refused the call, if it did."""
        try:
            with self._open().session() as session:
                from noc_console.store.calls import add_call

                outcome = add_call(
                    session, draft, repo.db_now(session), policy=self._policy, aliases=self._aliases
                )
        except Exception as exc:
            self._drop_store()
            if disk_error:
                why = translate("ui.call_desk", "NOT SAVED: {error} not saved on this desk ({disk_error})")
            else:
                why = translate("ui.call_desk", "NOT SAVED: {error}")
            self.failed.emit(draft.call_id, why.format(error=plain_error(exc), disk_error=disk_error).strip())
            return
        self.saved.emit(draft.call_id, outcome, self._read_out(outcome.call_id))

    @Slot()
    def _sync(self) -> None:
        if self._outbox is None:
            return
        try:
            result = sync(self._outbox, self._open, policy=self._policy, aliases=self._aliases)
        except Exception as exc:  # a bug: logged, shown, retried
            log.exception("outbox sync")
            self._drop_store()
            self._schedule_retry()
            self.outbox.emit(len(self._outbox), plain_error(exc))
            return
        for outcome in result.stored:
            self.saved.emit(outcome.call_id, outcome, self._read_out(outcome.call_id))
        for call_id, why, _error in result.refused:
            self.failed.emit(call_id, why)
        if result.unreachable:
            self._drop_store()
            self._schedule_retry()
        else:
            self._retry_ms = SYNC_FIRST_RETRY_MS
            if result.left and self._timer is not None:
                self._timer.start(SYNC_MAX_RETRY_MS)  # refused calls: tried again now and then
        self.outbox.emit(result.left, result.unreachable or (result.refused[0][1] if result.refused else ""))

    def _schedule_retry(self) -> None:
        if self._timer is not None:
            self._timer.start(self._retry_ms)
        self._retry_ms = min(self._retry_ms * 2, SYNC_MAX_RETRY_MS)

    def _read_out(self, call_id: str) -> str:
        """What the agent reads out (or sends) to acknowledge the caller."""
        from noc_console.domain.calls import acknowledgement_text
        from noc_console.domain.sla import due_times
        from noc_console.store.calls import find_call

        try:
            with self._open().read() as session:
                call = find_call(session, call_id)
                incidents = repo.get_incidents(session, [call.incident_id]) if call else []
        except KNOWN_ERRORS as exc:
            log.warning("reading a call back: %s", plain_error(exc))
            return ""
        if call is None or not incidents:
            return ""
        due = due_times(incidents[0], self._policy).next_customer_update_due_at
        return acknowledgement_text(call, incidents[0], due, formats.clock)

    @Slot(int, object, str)
    def _match(self, number: int, service: str | None, summary: str) -> None:
        try:
            with self._open().read() as session:
                now = repo.db_now(session)
                ranked = candidates_for(session, service, summary, now, self._aliases)
                if self._suggester is None or time.monotonic() - self._fitted_at > REFIT_AFTER_S:
                    self._suggester = fit_suggester(session)
                    self._fitted_at = time.monotonic()
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("matching a call")
            self._drop_store()
            self.matches.emit(number, [], None)
            return
        self.matches.emit(number, ranked, self._suggester.suggest(summary, service))

    @Slot(int)
    def _load_calls(self, incident_id: int) -> None:
        try:
            with self._open().read() as session:
                calls = calls_of(session, incident_id)
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("reading calls")
            self._drop_store()
            return
        self.callsLoaded.emit(incident_id, calls)

    @Slot(str, str)
    def _ack(self, call_id: str, by: str) -> None:
        from noc_console.domain.calls import acknowledgement_text
        from noc_console.domain.sla import due_times

        try:
            with self._open().session() as session:
                call, done = acknowledge_caller(session, call_id, by, repo.db_now(session))
                (incident,) = repo.get_incidents(session, [call.incident_id])
        except UnknownCall:
            self.ackDone.emit(
                translate("ui.call_desk", "That call is not in the database yet (it is still on this desk)"),
                False,
            )
            return
        except (InvalidInput, *KNOWN_ERRORS) as exc:
            self._drop_store()
            why = translate("ui.call_desk", "Could not acknowledge the caller: {error}")
            self.ackDone.emit(why.format(error=plain_error(exc)), False)
            return
        text = acknowledgement_text(
            call, incident, due_times(incident, self._policy).next_customer_update_due_at, formats.clock
        )
        if not done:
            already = translate("ui.call_desk", "(already acknowledged by {who}) {text}")
            text = already.format(who=call.customer_acked_by, text=text)
        self.ackDone.emit(text, True)
        self._load_calls(call.incident_id)
