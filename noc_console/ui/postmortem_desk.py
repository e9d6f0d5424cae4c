"""Reads and writes post-mortems off the GUI thread, with a store of its own (the Post-mortems tab's
worker). Documents are built here and rendered on the GUI thread (Qt's PDF writer wants it)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal, Slot

from noc_console.domain.i18n import translate
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.postmortem import PostMortem, document
from noc_console.domain.report import ReportInputs
from noc_console.domain.sla import SlaPolicy
from noc_console.store import Store
from noc_console.store import postmortems as spm
from noc_console.store import repository as repo
from noc_console.store.reports import load_report
from noc_console.ui import formats
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

log = logging.getLogger(__name__)

POSTMORTEM, EXEC_REPORT = "postmortem", "exec"


class PostMortemDesk(StoreWorker):
    """`start()`/`stop()` from the GUI thread; the request_* methods may be called from it at any time.

    Signals:
        listLoaded(list, object): the lead's list (domain.postmortem.Owed) and the database's time.
        opened(object): a store.postmortems.Opened for the editor.
        saved(object, str): the post-mortem as stored now, and one line saying what was done.
        failed(str): refused or failed, in plain words (a field named for bad input, who saved first).
        documentReady(object, str, str): a domain.report.Report, the file to write, and its kind.
    """

    listLoaded = Signal(list, object)
    opened = Signal(object)
    saved = Signal(object, str)
    failed = Signal(str)
    documentReady = Signal(object, str, str)

    _listRequested = Signal()
    _openRequested = Signal(int)
    _saveRequested = Signal(object, bool)
    _followUpRequested = Signal(int)
    _documentRequested = Signal(int, str, str)
    _sentRequested = Signal(int)

    def __init__(
        self,
        db_url: str,
        policy: SlaPolicy,
        operator: str,
        store_factory: Callable[[str], Store] | None = None,
    ) -> None:
        super().__init__(db_url, "noc-postmortems", store_factory)
        self.policy = policy
        self.operator = operator
        self._listRequested.connect(self._load_list)
        self._openRequested.connect(self._open_one)
        self._saveRequested.connect(self._save)
        self._followUpRequested.connect(self._follow_up)
        self._documentRequested.connect(self._document)
        self._sentRequested.connect(self._sent)

    # --- GUI-thread API ------------------------------------------------------------------------
    def request_list(self) -> None:
        self._listRequested.emit()

    def request_open(self, incident_id: int) -> None:
        self._openRequested.emit(incident_id)

    def request_save(self, pm: PostMortem, finish: bool) -> None:
        self._saveRequested.emit(pm, finish)

    def request_follow_up(self, incident_id: int) -> None:
        self._followUpRequested.emit(incident_id)

    def request_document(self, incident_id: int, kind: str, path: str) -> None:
        self._documentRequested.emit(incident_id, kind, path)

    def request_exec_report_sent(self, incident_id: int) -> None:
        self._sentRequested.emit(incident_id)

    # --- worker thread -------------------------------------------------------------------------
    def _fail(self, what: str, message: str, exc: Exception, **values: object) -> None:
        """`what` failed (for the log); `message` says so to the lead, the error in its `{error}` and
        `values` in its other placeholders."""
        if not isinstance(exc, KNOWN_ERRORS):
            log.exception("%s", what)
        self._drop_store()
        self.failed.emit(message.format(error=plain_error(exc), **values))

    @staticmethod
    def _no_incident(incident_id: int) -> str:
        return translate("ui.postmortem_desk", "Incident #{id} does not exist").format(id=incident_id)

    @Slot()
    def _load_list(self) -> None:
        try:
            with self._open().read() as session:
                now = repo.db_now(session)
                lines = spm.owed_postmortems(session, self.policy, now)
        except Exception as exc:
            self._fail(
                "read the post-mortems",
                translate("ui.postmortem_desk", "Could not read the post-mortems: {error}"),
                exc,
            )
            return
        self.listLoaded.emit(lines, now)

    @Slot(int)
    def _open_one(self, incident_id: int) -> None:
        try:
            with self._open().read() as session:
                opened = spm.open_postmortem(session, incident_id, repo.db_now(session).date())
        except (spm.NotOwed, repo.UnknownIncident) as exc:
            self.failed.emit(str(exc) if isinstance(exc, spm.NotOwed) else self._no_incident(incident_id))
            return
        except Exception as exc:
            self._fail(
                f"open the post-mortem of #{incident_id}",
                translate("ui.postmortem_desk", "Could not open the post-mortem of #{id}: {error}"),
                exc,
                id=incident_id,
            )
            return
        self.opened.emit(opened)

    @Slot(object, bool)
    def _save(self, pm: PostMortem, finish: bool) -> None:
        try:
            with self._open().session() as session:
                now = repo.db_now(session)
                if finish:
                    stored = spm.finish_postmortem(session, pm, self.operator, now)
                else:
                    stored = spm.save_postmortem(session, pm, self.operator, now)
        except InvalidInput as exc:
            self.failed.emit(translate("ui.postmortem_desk", "Not saved: {error}").format(error=exc))
            return
        except spm.CannotFinish as exc:
            self.failed.emit(
                translate("ui.postmortem_desk", "Not finished, still to write: {problems}").format(
                    problems="; ".join(str(p) for p in exc.problems)
                )
            )
            return
        except (spm.PostMortemConflict, spm.NotOwed) as exc:
            self.failed.emit(translate("ui.postmortem_desk", "Not saved: {error}").format(error=exc))
            return
        except Exception as exc:
            self._fail(
                f"save the post-mortem of #{pm.incident_id}",
                translate("ui.postmortem_desk", "Could not save the post-mortem of #{id}: {error}"),
                exc,
                id=pm.incident_id,
            )
            return
        when = formats.utc_clock(now, seconds=True)
        if finish:
            text = translate("ui.postmortem_desk", "Post-mortem of #{id} finished at {time}").format(
                id=pm.incident_id, time=when
            )
        else:
            text = translate("ui.postmortem_desk", "Draft saved at {time}").format(time=when)
        self.saved.emit(stored, text)
        self._load_list()

    @Slot(int)
    def _follow_up(self, incident_id: int) -> None:
        try:
            with self._open().session() as session:
                held = spm.hold_follow_up(session, incident_id, self.operator, repo.db_now(session))
        except spm.NotOwed as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            self._fail(
                f"record the follow-up of #{incident_id}",
                translate("ui.postmortem_desk", "Could not record the follow-up of #{id}: {error}"),
                exc,
                id=incident_id,
            )
            return
        self.saved.emit(
            held, translate("ui.postmortem_desk", "Follow-up review of #{id} recorded").format(id=incident_id)
        )
        self._load_list()

    @Slot(int, str, str)
    def _document(self, incident_id: int, kind: str, path: str) -> None:
        try:
            with self._open().read() as session:
                if kind == EXEC_REPORT:
                    report = load_report(
                        session, incident_id, self.policy, ReportInputs(), number=formats.number
                    )
                else:
                    now = repo.db_now(session)
                    opened = spm.open_postmortem(session, incident_id, now.date())
                    report = document(
                        opened.postmortem,
                        opened.incident,
                        calls=opened.calls,
                        warnings=opened.warnings,
                        now=now,
                        number=formats.number,
                    )
        except (spm.NotOwed, repo.UnknownIncident) as exc:
            self.failed.emit(translate("ui.postmortem_desk", "Not exported: {error}").format(error=exc))
            return
        except Exception as exc:
            self._fail(
                f"export #{incident_id}",
                translate("ui.postmortem_desk", "Could not export #{id}: {error}"),
                exc,
                id=incident_id,
            )
            return
        self.documentReady.emit(report, path, kind)

    @Slot(int)
    def _sent(self, incident_id: int) -> None:
        try:
            with self._open().session() as session:
                first = spm.mark_exec_report_sent(session, incident_id, self.operator, repo.db_now(session))
        except repo.UnknownIncident:
            self.failed.emit(self._no_incident(incident_id))
            return
        except Exception as exc:
            self._fail(
                f"mark the executive report of #{incident_id} sent",
                translate("ui.postmortem_desk", "Could not mark the executive report of #{id} sent: {error}"),
                exc,
                id=incident_id,
            )
            return
        if first:
            self.saved.emit(
                None,
                translate(
                    "ui.postmortem_desk", "Executive report of #{id} marked sent: its 72-hour clock stopped"
                ).format(id=incident_id),
            )
        else:
            self.failed.emit(
                translate(
                    "ui.postmortem_desk", "The executive report of #{id} was already marked sent"
                ).format(id=incident_id)
            )
        self._load_list()
