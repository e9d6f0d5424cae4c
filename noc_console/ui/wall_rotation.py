"""`wall --rotate SECONDS`: the wall alternates between its incidents and the charts, but never looks
away from an incident nobody has acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QStackedWidget, QWidget

from noc_console.domain.correlation import ServiceCatalog


@dataclass(frozen=True, slots=True)
class WallCharts:
    """What the wall needs to show the charts: the services, the configured sources, and how long each
    page stays (at least `ROTATE_MIN_S`, which the command line checks)."""

    catalog: ServiceCatalog
    source_names: tuple[str, ...]
    rotate_s: float


class WallRotation(QObject):
    """Every `every_s` the stack shows the other page, unless `unacknowledged()` says an incident waits:
    then the incidents stay. `check()` (after every change set) brings them back at once.

    Signals:
        pageChanged(str): "incidents" or "charts", when the wall changes page.
    """

    pageChanged = Signal(str)

    def __init__(
        self,
        stack: QStackedWidget,
        incidents: QWidget,
        charts: QWidget,
        every_s: float,
        unacknowledged: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stack = stack
        self._incidents = incidents
        self._charts = charts
        self._unacknowledged = unacknowledged
        self.timer = QTimer(self)
        self.timer.setInterval(int(every_s * 1000))
        self.timer.timeout.connect(self.tick)

    @property
    def page(self) -> str:
        return "charts" if self._stack.currentWidget() is self._charts else "incidents"

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @Slot()
    def tick(self) -> None:
        """The period is over: the other page, unless an incident waits for someone."""
        if self._unacknowledged() or self.page == "charts":
            self._show(self._incidents)
        else:
            self._show(self._charts)

    def check(self) -> None:
        """Incidents changed: one that nobody acknowledged is shown now, for a whole period at least."""
        if self.page == "charts" and self._unacknowledged():
            self.show_incidents()

    def show_incidents(self) -> None:
        """The incidents, now, for a whole period (an operator at the wall pressed a key, or one waits)."""
        if self.timer.isActive():
            self.timer.start()  # the period starts again
        self._show(self._incidents)

    def _show(self, page: QWidget) -> None:
        if self._stack.currentWidget() is not page:
            self._stack.setCurrentWidget(page)
            self.pageChanged.emit(self.page)
