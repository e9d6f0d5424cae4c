"""The shift lead's pages of the console: charts of detection coverage, and post-mortems (with the
executive report).

One object owns the pages, their workers and the writing of exported documents, so the main window only
adds the tabs, forwards the change feed and says which page is on screen. Nothing is read before a page is
first shown: an operator's console or a wall that never opens them never computes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

from noc_console.config import Config
from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.i18n import translate
from noc_console.domain.report import Report
from noc_console.domain.sla import SlaPolicy
from noc_console.report_render import write_report
from noc_console.store import Store
from noc_console.ui.charts_page import ChartsPage
from noc_console.ui.files import ChooseFile
from noc_console.ui.postmortem_desk import EXEC_REPORT, PostMortemDesk
from noc_console.ui.postmortems import PostMortemsTab

log = logging.getLogger(__name__)

# A change to some incident re-reads the post-mortem list at most this often (it is a few rows).
LIST_REFRESH_MS = 2_000


@dataclass(frozen=True)
class LeadSettings:
    """What the lead's pages need from the configuration."""

    catalog: ServiceCatalog = field(default_factory=lambda: ServiceCatalog(()))
    source_names: Sequence[str] = ()

    @classmethod
    def of(cls, config: Config) -> LeadSettings:
        return cls(config.catalog, tuple(s.name for s in config.sources))


class LeadPages(QObject):
    """The charts and post-mortems tabs and their workers; `start()`/`stop()` from the GUI thread, and
    `page_shown(widget)` when the window's current tab changes."""

    def __init__(
        self,
        db_url: str,
        sla: SlaPolicy,
        operator: str,
        settings: LeadSettings | None = None,
        store_factory: Callable[[str], Store] | None = None,
        choose_file: ChooseFile | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or LeadSettings()
        self.charts = ChartsPage(
            db_url, self.settings.catalog, self.settings.source_names, store_factory, choose_file=choose_file
        )
        self.postmortems = PostMortemsTab(sla, choose_file)
        self.desk = PostMortemDesk(db_url, sla, operator, store_factory)
        tab, desk = self.postmortems, self.desk
        tab.listRequested.connect(desk.request_list)
        tab.openRequested.connect(desk.request_open)
        tab.saveRequested.connect(desk.request_save)
        tab.followUpRequested.connect(desk.request_follow_up)
        tab.documentRequested.connect(desk.request_document)
        tab.sentRequested.connect(desk.request_exec_report_sent)
        desk.listLoaded.connect(tab.show_list)
        desk.opened.connect(tab.show_opened)
        desk.saved.connect(tab.show_saved)
        desk.failed.connect(tab.say_failed)  # a slot: the desk emits from its own thread
        desk.documentReady.connect(self._write_document)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(LIST_REFRESH_MS)
        self._refresh.timeout.connect(desk.request_list)
        self._started = False
        self._list_shown = False

    @property
    def pages(self) -> list[tuple[QWidget, str]]:
        return [
            (self.charts, translate("ui.lead", "Charts")),
            (self.postmortems, translate("ui.lead", "Post-mortems")),
        ]

    def start(self) -> None:
        self.desk.start()
        self._started = True

    def stop(self) -> None:
        self._refresh.stop()
        self.postmortems.stop_clock()
        self.charts.stop()
        self.desk.stop()

    def page_shown(self, page: QWidget | None) -> None:
        """A tab came on screen: the first time, its figures are read."""
        if not self._started:
            return
        if page is self.charts:
            self.charts.start()  # once; it follows the feed from then on
        elif page is self.postmortems and not self._list_shown:
            self._list_shown = True
            self.desk.request_list()

    @Slot(list, list)
    def incidents_changed(self, *_changes: object) -> None:
        """Some incident changed (the change feed, connected to this slot so that it runs in the GUI
        thread): the list is re-read soon, once for a burst, and the charts within their minute."""
        if self._list_shown and not self._refresh.isActive():
            self._refresh.start()
        if self.charts.started:
            self.charts.incidents_changed()

    def open_postmortem(self, incident_id: int) -> None:
        self.page_shown(self.postmortems)
        self.postmortems.open_incident(incident_id)

    def _write_document(self, report: Report, path: str, kind: str) -> None:
        """Render on the GUI thread (Qt's PDF writer wants the application's thread)."""
        executive = kind == EXEC_REPORT
        try:
            write_report(report, Path(path))
        except (OSError, ValueError) as exc:
            error = getattr(exc, "strerror", None) or exc
            if executive:
                failed = translate("ui.lead", "Executive report not written: {error}")
            else:
                failed = translate("ui.lead", "Post-mortem not written: {error}")
            self.postmortems.say(failed.format(error=error), False)
            return
        if executive:
            written = translate("ui.lead", "Executive report of #{id} written to {path}")
        else:
            written = translate("ui.lead", "Post-mortem of #{id} written to {path}")
        self.postmortems.say(written.format(id=report.incident_id, path=path), True)
