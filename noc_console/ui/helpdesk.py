"""The helpdesk in the console: the call form as a tab of its own, its worker, and the callers of the
selected incident in the details pane."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings

from noc_console.domain.sla import SlaPolicy
from noc_console.store import Store
from noc_console.ui.call_desk import CallDesk
from noc_console.ui.call_form import CallForm, HelpdeskSettings
from noc_console.ui.details_pane import DetailsPane


class Helpdesk(QObject):
    """`form` goes into a tab; `start()` and `stop()` run the worker; `show_calls(id)` asks for an
    incident's callers for the details pane."""

    def __init__(
        self,
        db_url: str,
        sla: SlaPolicy,
        operator: str,
        settings: HelpdeskSettings,
        outbox_path: Path,
        now: Callable[[], datetime],
        details: DetailsPane,
        kept: QSettings,
        store_factory: Callable[[str], Store] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = CallForm(settings, operator, now, kept)
        self.desk = CallDesk(db_url, outbox_path, sla, settings.aliases, store_factory)
        self.form.matchRequested.connect(self.desk.request_matches)
        self.form.saveRequested.connect(self.desk.request_save)
        self.form.ackRequested.connect(lambda call_id: self.desk.request_ack(call_id, operator))
        self.desk.matches.connect(self.form.show_matches)
        self.desk.queued.connect(self.form.on_queued)
        self.desk.saved.connect(self._on_saved)
        self.desk.failed.connect(self.form.on_failed)
        self.desk.outbox.connect(self.form.on_outbox)
        self.desk.ackDone.connect(self.form.on_ack)
        self.desk.callsLoaded.connect(details.set_calls)
        self._details = details
        self.outbox_waiting = 0
        self.desk.outbox.connect(self._on_outbox)

    def start(self) -> None:
        self.desk.start()

    def stop(self) -> None:
        self.form.stop()
        self.desk.stop()

    def show_calls(self, incident_id: int) -> None:
        self.desk.request_calls(incident_id)

    def _on_saved(self, call_id: str, outcome: object, read_out: str) -> None:
        self.form.on_saved(call_id, outcome, read_out)  # type: ignore[arg-type]
        incident = self._details.incident
        if incident is not None:
            self.desk.request_calls(incident.id)

    def _on_outbox(self, waiting: int, _why: str) -> None:
        self.outbox_waiting = waiting
