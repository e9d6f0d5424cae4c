"""The charts as a page: a ChartsView fed by a MetricsWorker that computes in a thread of its own, so
the window never waits for the database. It recomputes on a new range at once, and when incidents
change at most once a minute."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from noc_console.domain.chart_range import REFRESH_EVERY_S, WALL_DAYS, ChartRange, RefreshThrottle
from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.i18n import translate
from noc_console.domain.metrics import Metrics
from noc_console.store import Store
from noc_console.store.lease import db_now
from noc_console.store.metrics import metrics as store_metrics
from noc_console.store.metrics import refresh_quietly
from noc_console.ui.files import ChooseFile
from noc_console.ui.store_worker import KNOWN_ERRORS, StoreWorker, plain_error

if TYPE_CHECKING:  # pyqtgraph and numpy (some 40 MB) load when the charts are first looked at
    from noc_console.ui.charts import ChartsView

log = logging.getLogger(__name__)


def load_metrics(
    store: Store, catalog: ServiceCatalog, source_names: Iterable[str], chart_range: ChartRange
) -> Metrics:
    """The figures of a range, computed in the database; "now" is the database's clock. The rollup of
    closed days is brought up to date first (a short write), so a year costs a few thousand cached rows."""
    refresh_quietly(store)
    with store.read() as session:
        since, until = chart_range.resolve(db_now(session))
        return store_metrics(session, catalog, source_names, since, until)


class MetricsWorker(StoreWorker):
    """Computes Metrics for the ranges asked of it, in its own thread with its own Store.

    Only the latest request counts: one that a newer one overtook while it waited is skipped, and its
    answer, if already under way, is dropped. Not started, it computes in the caller's thread.

    Signals:
        loaded(object): the Metrics of the latest request.
        failed(str): the database failed, in plain words; the next request opens it again.
    """

    loaded = Signal(object)
    failed = Signal(str)
    _requested = Signal(int, object)

    def __init__(
        self,
        db_url: str,
        catalog: ServiceCatalog,
        source_names: Iterable[str],
        store_factory: Callable[[str], Store] | None = None,
    ) -> None:
        super().__init__(db_url, "noc-metrics", store_factory)
        self._catalog = catalog
        self._source_names = tuple(source_names)
        self._latest = 0  # written by the GUI thread only; the worker compares (an int is read whole)
        self._requested.connect(self._load)

    def request(self, chart_range: ChartRange) -> None:
        """Compute this range (from the GUI thread); the answer comes as `loaded` or `failed`."""
        self._latest += 1
        self._requested.emit(self._latest, chart_range)

    def stop(self) -> None:
        super().stop()
        if not self._thread.isRunning():
            self._drop_store()  # never started: the store was opened in the caller's thread

    @Slot(int, object)
    def _load(self, number: int, chart_range: ChartRange) -> None:
        if number != self._latest:
            return  # a newer request is queued behind this one
        try:
            result = load_metrics(self._open(), self._catalog, self._source_names, chart_range)
        except Exception as exc:  # a known error is shown; a bug is logged too; never a crash
            if isinstance(exc, KNOWN_ERRORS):
                message = plain_error(exc)
                log.warning("metrics: %s", message)
            else:
                message = translate("ui.charts_page", "unexpected {error} (details in the log)").format(
                    error=type(exc).__name__
                )
                log.exception("metrics")
            self._drop_store()
            if number == self._latest:
                self.failed.emit(
                    translate("ui.charts_page", "Could not compute the metrics: {error}").format(
                        error=message
                    )
                )
            return
        if number == self._latest:
            self.loaded.emit(result)


class ChartsPage(QWidget):
    """The lead's charts on a database: `ChartsPage(db_url, catalog, source_names)`, then `start()`;
    `stop()` before the window closes. Connect the change feed's `incidentsChanged` (and `snapshot`)
    to `incidents_changed`: the charts are recomputed at most once every `refresh_every_s`.

    `clock` is monotonic seconds (for the once-a-minute limit); `wall=True` gives the wall's look.

    Signals:
        shown(object): the Metrics now on screen.
    """

    shown = Signal(object)

    def __init__(
        self,
        db_url: str,
        catalog: ServiceCatalog,
        source_names: Iterable[str],
        store_factory: Callable[[str], Store] | None = None,
        parent: QWidget | None = None,
        *,
        wall: bool = False,
        chart_range: ChartRange | None = None,
        choose_file: ChooseFile | None = None,
        clock: Callable[[], float] = time.monotonic,
        refresh_every_s: float = REFRESH_EVERY_S,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._started = False
        self.chart_range = chart_range or ChartRange.last(WALL_DAYS)
        self._view: ChartsView | None = None
        self._wall, self._choose_file = wall, choose_file
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.throttle = RefreshThrottle(refresh_every_s)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.timeout.connect(self.refresh)
        self.worker = MetricsWorker(db_url, catalog, source_names, store_factory)
        self.worker.loaded.connect(self._on_loaded)

    @property
    def view(self) -> ChartsView:
        """The charts themselves, made the first time they are needed (at `start()` at the latest)."""
        if self._view is None:
            from noc_console.ui.charts import ChartsView

            self._view = ChartsView(
                wall=self._wall, choose_file=self._choose_file, chart_range=self.chart_range
            )
            self._layout.addWidget(self._view)
            self.worker.failed.connect(self._view.show_error)
            self._view.rangeRequested.connect(self.set_range)
        return self._view

    @property
    def started(self) -> bool:
        return self._started

    def start(self) -> None:
        """Start the worker thread and compute the first range."""
        if self._started:
            return
        self._started = True
        self.view  # noqa: B018 (made now, before the first figures arrive)
        self.worker.start()
        self.refresh()

    def stop(self) -> None:
        """Stop the pending refresh and the worker thread (closing its store). Safe twice."""
        self.refresh_timer.stop()
        self.worker.stop()

    @Slot(object)
    def set_range(self, chart_range: ChartRange) -> None:
        """Show another range: computed at once, whatever the once-a-minute limit."""
        self.chart_range = chart_range
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Recompute the current range now."""
        self.refresh_timer.stop()
        self.throttle.refreshed(self._clock())
        self.worker.request(self.chart_range)

    def incidents_changed(self, *_args: object) -> None:
        """Incidents changed (any arguments of the feed's signal are ignored): recompute now if the last
        computation is a minute old, else once that minute is over."""
        wait = self.throttle.changed(self._clock())
        if wait is None:
            return  # already due: this change rides along
        if wait <= 0:
            self.refresh()
        else:
            self.refresh_timer.start(max(int(wait * 1000), 1))

    @Slot(object)
    def _on_loaded(self, m: Metrics) -> None:
        self.view.set_metrics(m)
        self.shown.emit(m)
