"""The operator's incident table: the incident model shown as it is, or through the filter proxy only
while a filter is active.

A QSortFilterProxyModel keeps a map of its source's rows in C++ and rebuilds it on every insertion and
removal, however few rows they are (measured at 100,000 incidents: a change set of 100 scattered
incidents, up to 200 such events, took 42 ms through it, 75 ms when all of them moved), and after a
sort it asks the Python filter about every row again. With no filter there is nothing for it to do:
the view shows the model itself and the proxy is detached from it. A filter attaches it and shows it.
Either way the operator sees one table: the header keeps its state (column widths and order, the sort
indicator), and the incident at the top of the screen stays there when it is still shown.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from noc_console.domain.filters import IncidentFilter
from noc_console.domain.incidents import Incident
from noc_console.domain.severity import Severity
from noc_console.ui import theme
from noc_console.ui.incident_model import (
    Column,
    IncidentFilterProxy,
    IncidentTableModel,
    acked_text,
    alerts_text,
    clearing_text,
    header_text,
    status_texts,
)

AnyIndex = QModelIndex | QPersistentModelIndex

# Measured at the table's 17 pt plus the cell padding; the title takes what is left.
COLUMN_WIDTHS = {
    Column.SEVERITY: 170,  # "▶ CRITICAL" in bold
    Column.ID: 100,  # "#9999" in bold
    Column.SERVICE: 160,
    Column.STATUS: 225,  # "CLEARING 14:35"
    Column.DETECTED_BY: 160,
    Column.AGE: 130,
    Column.ACK_DUE: 245,  # "acked by m.okafor"
    Column.ALERTS: 230,  # "12/14 · 3 silenced"
}
CELL_PADDING = 18  # the least room the widths above leave around their English texts ("▶ WARNING")
HEADER_PADDING = 20 + 24  # the header's 10 px each side (theme.py) and the sort arrow
HEADER_FONT_PT = 15  # QHeaderView::section in theme.py, bold


def fitted_widths() -> dict[Column, int]:
    """`COLUMN_WIDTHS`, widened where the window's language needs more room for a column's longest
    text (a Spanish severity or status is longer than the English one)."""
    bold, plain = QFontMetrics(theme.table_font(True)), QFontMetrics(theme.table_font(False))
    late = datetime.now().astimezone().replace(hour=12, minute=55)  # a wide time: "12:55 p.m."
    longest = {
        Column.SEVERITY: max(bold.horizontalAdvance(f"▶ {s.display_label}") for s in Severity),
        Column.STATUS: max(plain.horizontalAdvance(t) for t in [*status_texts(), clearing_text(late)]),
        Column.ACK_DUE: plain.horizontalAdvance(acked_text("m.okafor")),
        Column.ALERTS: plain.horizontalAdvance(alerts_text(12, 14, 3)),
    }
    header_font = QFont()
    header_font.setPointSize(HEADER_FONT_PT)
    header_font.setBold(True)
    header = QFontMetrics(header_font)
    return {
        column: max(
            width,
            longest.get(column, 0) + CELL_PADDING,
            header.horizontalAdvance(header_text(column)) + HEADER_PADDING,
        )
        for column, width in COLUMN_WIDTHS.items()
    }


class IncidentTable(QTableView):
    """The incident table, loudest first until a header is clicked. `model()` is what it shows now:
    the `IncidentTableModel` itself, or `proxy` while a filter is active; rows and indexes given to or
    returned by `incident_at`, `index_of` and `rows_on_screen` take that into account.

    Signals:
        cursorMoved(): the current index moved, whichever model is shown: by the operator, or because
            rows moved or the filter changed (the window tells these apart, and reads `currentIndex()`
            only when it is the operator: while rows move, a proxy's rows are not to be mapped).
    """

    cursorMoved = Signal()

    def __init__(self, incidents: IncidentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incidents = incidents
        self.proxy = IncidentFilterProxy(self)  # detached while no filter is active
        self.setModel(incidents)
        self._drop_selection_models()
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        # The model draws the selected incident (by id): Qt's own selection would follow rows, not
        # incidents, and painting it our way would need Python code for every cell of every paint.
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(theme.TABLE_FONT_PT * 3)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in fitted_widths().items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        self.setSortingEnabled(True)
        self.sortByColumn(Column.SEVERITY, Qt.SortOrder.AscendingOrder)

    @property
    def incident_filter(self) -> IncidentFilter:
        return self.proxy.incident_filter

    def set_incident_filter(self, incident_filter: IncidentFilter) -> None:
        """Show the incidents `incident_filter` accepts: through the proxy while it is active (one
        re-filter), else the model itself (the proxy is detached: it costs nothing)."""
        proxy = self.proxy
        if incident_filter == proxy.incident_filter:
            return
        if self.model() is proxy and incident_filter.active:
            proxy.set_incident_filter(incident_filter)  # one layout change
            return
        if incident_filter.active:
            proxy.set_incident_filter(incident_filter)  # detached: nothing to filter yet
            proxy.setSourceModel(self._incidents)
            self._show(proxy)  # the view asks it for rows: each row is filtered once
        else:
            self._show(self._incidents)
            proxy.setSourceModel(None)  # it no longer follows every insertion and removal
            proxy.set_incident_filter(incident_filter)

    def incident_at(self, index: AnyIndex) -> Incident | None:
        """The incident on a row of the model shown (None for an invalid index)."""
        if not index.isValid():
            return None
        row = self.proxy.mapToSource(index).row() if self.model() is self.proxy else index.row()
        return self._incidents.incident_at(row)

    def index_of(self, incident_id: int, column: int = 0) -> QModelIndex:
        """Where the table shows this incident (invalid when it is not on the board or filtered out)."""
        row = self._incidents.row_of(incident_id)
        if row is None:
            return QModelIndex()
        index = self._incidents.index(row, column)
        return self.proxy.mapFromSource(index) if self.model() is self.proxy else index

    def rows_on_screen(self) -> tuple[int, int]:
        """The model's rows the table shows, first to last ((0, -1): none). The proxy keeps the model's
        order, so the rows between them are the ones on screen plus any the filter hides."""
        shown = self.model()
        count = shown.rowCount()
        first = self.rowAt(0)
        if not count or first < 0:
            return (0, -1)
        last = self.rowAt(self.viewport().height() - 1)
        last = count - 1 if last < 0 else last
        if shown is not self.proxy:
            return (first, last)
        proxy = self.proxy
        return (proxy.mapToSource(proxy.index(first, 0)).row(), proxy.mapToSource(proxy.index(last, 0)).row())

    def currentChanged(self, current: AnyIndex, previous: AnyIndex) -> None:
        # Called by whichever selection model the view has: one per model shown.
        super().currentChanged(current, previous)
        self.cursorMoved.emit()

    def _show(self, model: IncidentTableModel | IncidentFilterProxy) -> None:
        """Show another model, the operator's layout and place kept."""
        header = self.horizontalHeader()
        state = header.saveState()  # widths, order, resize modes, the sort indicator
        top = self.incident_at(self.model().index(self.rowAt(0), 0)) if self.rowAt(0) >= 0 else None
        left = max(self.columnAt(0), 0)
        self.setModel(model)
        self._drop_selection_models()
        header.restoreState(state)
        if top is not None:
            index = self.index_of(top.id, left)
            if index.isValid():
                self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)

    def _drop_selection_models(self) -> None:
        """setModel makes a selection model for the view and one for each header (which then take the
        view's), and deletes none of them until the model goes: each one left would follow every
        change of the model for as long as the window lives."""
        in_use = {
            self.selectionModel(),
            self.horizontalHeader().selectionModel(),
            self.verticalHeader().selectionModel(),
        }
        for selection in self.findChildren(QItemSelectionModel):
            if selection not in in_use:
                selection.deleteLater()
