"""The incident table: a model fed by IncidentBoard events, and the filter proxy shown while a filter
is active (`noc_console.ui.incident_table` switches between them).

Sized for 100,000 open incidents. The boards own the order (loudest first, or a column the operator
clicked: one sort of its values per click); the proxy only filters, with `dynamicSortFilter` off, and is
invalidated when the filter changes. The 1 Hz tick touches the Age and Ack-due cells of the rows on
screen, nothing else: a dynamic proxy re-ran the filter for every row on each tick (236 ms at 10,000).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import IntEnum
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from noc_console.domain.board import (
    BoardEvent,
    Changed,
    IncidentBoard,
    Inserted,
    Removed,
)
from noc_console.domain.clock import utcnow
from noc_console.domain.filters import IncidentFilter
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.sla import SlaPolicy, ack_remaining, due_times, format_countdown
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_tooltip

log = logging.getLogger(__name__)

# Opt-in, for benchmarks/bench_end_to_end.py: the file this names gets "<incident id> <unix time>" the
# first time each incident's row enters the model. Unset (the default), nothing is kept or written.
TRACE_SHOWN_ENV = "NOC_CONSOLE_TRACE_SHOWN"

IncidentRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    SEVERITY = 0
    ID = 1
    TITLE = 2
    SERVICE = 3
    STATUS = 4
    DETECTED_BY = 5
    AGE = 6
    ACK_DUE = 7
    ALERTS = 8


# Translated where shown (headerData).
HEADERS = {
    Column.SEVERITY: QT_TRANSLATE_NOOP("ui.incident_model", "Severity"),
    Column.ID: QT_TRANSLATE_NOOP("ui.incident_model", "#ID"),
    Column.TITLE: QT_TRANSLATE_NOOP("ui.incident_model", "Title"),
    Column.SERVICE: QT_TRANSLATE_NOOP("ui.incident_model", "Service"),
    Column.STATUS: QT_TRANSLATE_NOOP("ui.incident_model", "Status"),
    Column.DETECTED_BY: QT_TRANSLATE_NOOP("ui.incident_model", "Detected by"),
    Column.AGE: QT_TRANSLATE_NOOP("ui.incident_model", "Age"),
    Column.ACK_DUE: QT_TRANSLATE_NOOP("ui.incident_model", "Ack due"),
    Column.ALERTS: QT_TRANSLATE_NOOP("ui.incident_model", "Alerts"),
}

# The roles the 1 Hz tick can change; FontRole because an overdue countdown turns bold.
TICK_ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.FontRole,
]
_ACKED_SORT = float(2**40)
_OPEN = IncidentStatus.OPEN
_ID = attrgetter("id")
_FIRING = attrgetter("firing_count")
_SELECTED_MARK = "▶ "
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset((Column.ID, Column.AGE, Column.ACK_DUE, Column.ALERTS))
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_COLUMNS = tuple(Column)
_COLUMN_COUNT = len(_COLUMNS)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_SERVED_ROLES = frozenset(
    (
        _DISPLAY,
        _FONT,
        _ALIGNMENT,
        _FOREGROUND,
        _BACKGROUND,
        IncidentRole,
        SortRole,
        int(Qt.ItemDataRole.ToolTipRole),
    )
)


def incident_notes(incident: Incident) -> str:
    """What the operator must know beyond the title: it is clearing, it flaps (held open), or nothing
    will ever resolve it."""
    notes = []
    if incident.orphaned:
        notes.append(translate("ui.incident_model", "ORPHANED — its source was removed from the config"))
    if incident.flapping_since is not None and incident.flapping:
        notes.append(
            translate(
                "ui.incident_model", "FLAPPING since {time} · held open, no new alarm until it settles"
            ).format(time=formats.clock(incident.flapping_since))
        )
    if incident.clearing_at is not None:
        notes.append(
            translate("ui.incident_model", "CLEARING · resolves {time} unless it fires again").format(
                time=formats.clock(incident.clearing_at)
            )
        )
    return " · ".join(notes)


def status_text(incident: Incident) -> str:
    """The Status cell: 'ORPHANED', 'FLAPPING', 'CLEARING 14:35' (local time), 'ACKED' or 'OPEN'."""
    if incident.orphaned:
        return translate("ui.incident_model", "ORPHANED")
    if incident.flapping:
        return translate("ui.incident_model", "FLAPPING")
    if incident.clearing_at is not None:
        return clearing_text(incident.clearing_at)
    if incident.status is IncidentStatus.ACKNOWLEDGED:
        return translate("ui.incident_model", "ACKED")
    return incident.status.display_label


def clearing_text(at: datetime) -> str:
    """The Status cell of an incident that resolves at `at` unless it fires again: 'CLEARING 14:35'."""
    return translate("ui.incident_model", "CLEARING {time}").format(time=formats.clock(at))


def status_texts() -> list[str]:
    """Every text the Status cell can show but a clearing time's (to size the column)."""
    shown = [
        translate("ui.incident_model", "ORPHANED"),
        translate("ui.incident_model", "FLAPPING"),
        translate("ui.incident_model", "ACKED"),
    ]
    return shown + [status.display_label for status in IncidentStatus]


def acked_text(by: str | None) -> str:
    """The Ack-due cell of an acknowledged incident: 'acked by ana', or 'acked'."""
    if by:
        return translate("ui.incident_model", "acked by {who}").format(who=by)
    return translate("ui.incident_model", "acked")


def alerts_text(firing: int, total: int, silenced: int) -> str:
    """The Alerts cell: '2/3', or '2/3 · 1 silenced'."""
    counts = f"{formats.number(firing)}/{formats.number(total)}"
    if silenced:
        return translate("ui.incident_model", "{counts} · {silenced} silenced").format(
            counts=counts, silenced=formats.number(silenced)
        )
    return counts


def format_age(age: timedelta) -> str:
    """'42s', '4m 05s', '2h 03m', '3d 04h': precise while young, short when old."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours:02d}h"


class _Paint:
    """Brushes and fonts made once: `data()` runs for every cell of every paint and makes none."""

    def __init__(self) -> None:
        self.severity_fill = {s: QBrush(c) for s, c in theme.SEVERITY_COLOURS.items()}
        self.severity_text = {s: QBrush(c) for s, c in theme.SEVERITY_TEXT.items()}
        self.tint = {s: QBrush(c) for s, c in theme.SEVERITY_TINTS.items()}
        self.selected_tint = {s: QBrush(c) for s, c in theme.SEVERITY_SELECTED_TINTS.items()}
        self.text = QBrush(theme.TEXT)
        self.muted = QBrush(theme.MUTED_TEXT)
        self.alarm = QBrush(theme.ALARM_RED)
        self.alarm_dim = QBrush(theme.ALARM_RED.darker(250))  # the off beat of a breached clock's blink
        # OPEN in words, in the alarm's colour: lit up on the dark theme, as it is on the light one
        self.open_status = QBrush(
            theme.ALARM_RED.lighter(130) if theme.scheme.name == "dark" else theme.ALARM_RED
        )
        self.warn = QBrush(theme.WARN_AMBER)
        self.clearing = QBrush(theme.CLEARING_GREEN)
        self.font = theme.table_font(False)
        self.bold = theme.table_font(True)


class _ShownTrace:
    """Appends "<incident id> <unix time>" to a file the first time each incident's row is inserted."""

    def __init__(self, path: Path) -> None:
        self._path: Path | None = path
        self._seen: set[int] = set()

    def record(self, incidents: Iterable[Incident]) -> None:
        new = [incident.id for incident in incidents if incident.id not in self._seen]
        if not new or self._path is None:
            return
        self._seen.update(new)
        at = time.time()
        try:
            with self._path.open("a", encoding="utf-8") as out:
                out.writelines(f"{incident_id} {at:.6f}\n" for incident_id in new)
        except OSError as exc:
            log.warning("%s: cannot write %s (%s); tracing stops", TRACE_SHOWN_ENV, self._path, exc)
            self._path = None


def header_text(column: Column) -> str:
    """The column's header, in the window's language."""
    return translate("ui.incident_model", HEADERS[column])


class IncidentTableModel(QAbstractTableModel):
    """Visible incidents, loudest first; rows move by insert/remove, times refresh through `tick`.

    The selected incident (`set_selected`) is drawn by the model itself, by id: it stays marked when its
    row moves, and no delegate code runs per cell.
    """

    def __init__(
        self,
        sla: SlaPolicy,
        clock: Callable[[], datetime] = utcnow,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sla = sla
        self._amber = sla.ack / 3  # a clock is amber in its last third (domain/sla.py)
        self._clock = clock
        self._now = clock()
        # Loudest first, always; while another column orders the rows, a second board holds that
        # order, made from this one in one sort and then fed every change set too.
        self._loudest = IncidentBoard()
        self._by_column: IncidentBoard | None = None
        self._rows: list[Incident] = []  # replays the board's events, so begin/end calls stay exact
        self._selected_id: int | None = None
        self._sorted_by: tuple[int, bool] = (Column.SEVERITY, False)  # the board's own order
        self._paint = _Paint()
        trace_path = os.environ.get(TRACE_SHOWN_ENV)
        self._shown_trace = _ShownTrace(Path(trace_path)) if trace_path else None

    @property
    def _board(self) -> IncidentBoard:
        """The board in the order shown."""
        return self._loudest if self._by_column is None else self._by_column

    # --- feeding -------------------------------------------------------------------------------
    def apply(self, incidents: Iterable[Incident], removed_ids: Iterable[int] = ()) -> None:
        self._now = self._clock()
        changes, removed = list(incidents), list(removed_ids)
        events = self._loudest.apply(changes, removed)
        if self._by_column is not None:
            events = self._by_column.apply(changes, removed)
        self._replay(events)

    def replace_all(self, incidents: Iterable[Incident]) -> None:
        """A full snapshot: incidents not in it are removed, the rest inserted or updated.

        On an empty table (the first snapshot) that is one insertion of every row.
        """
        self._now = self._clock()
        snapshot = list(incidents)
        events = self._loudest.replace_all(snapshot)
        if self._by_column is not None:
            events = self._by_column.replace_all(snapshot)
        self._replay(events)

    def _replay(self, events: list[BoardEvent]) -> None:
        for event in events:
            if isinstance(event, Inserted):
                self.beginInsertRows(QModelIndex(), event.row, event.row + event.count - 1)
                self._rows[event.row : event.row] = event.incidents
                self.endInsertRows()
                if self._shown_trace is not None:
                    self._shown_trace.record(event.incidents)
            elif isinstance(event, Removed):
                self.beginRemoveRows(QModelIndex(), event.row, event.row + event.count - 1)
                del self._rows[event.row : event.row + event.count]
                self.endRemoveRows()
            elif isinstance(event, Changed):
                self._rows[event.row] = event.incident
                self.dataChanged.emit(self.index(event.row, 0), self.index(event.row, len(Column) - 1), [])

    def restyle(self) -> None:
        """Every cell again, in the theme's colours now (after a switch of theme)."""
        self._paint = _Paint()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1), [])

    def tick(self, now: datetime | None = None, rows: tuple[int, int] | None = None) -> None:
        """Refresh the Age and Ack-due cells (adjacent columns: one range) of `rows`, first to last
        inclusive (the rows on screen), or of every row when not given."""
        self._now = now or self._clock()
        first, last = (0, len(self._rows) - 1) if rows is None else rows
        first, last = max(first, 0), min(last, len(self._rows) - 1)
        if first <= last:
            self.dataChanged.emit(self.index(first, Column.AGE), self.index(last, Column.ACK_DUE), TICK_ROLES)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column (one sort of its values; the same column the other way round and
        the Severity column, the loudest-first order the model always keeps, need none). Rows keep
        this order as incidents come and go."""
        if not 0 <= column < len(Column):
            column = Column.SEVERITY  # no column: the board's own order
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == self._sorted_by:
            return  # a view may ask twice (the header's indicator, then sortByColumn); it stays sorted
        same_column = column == self._sorted_by[0]
        self._sorted_by = (column, descending)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[index.row()].id for index in persistent]
        if same_column:
            self._board.set_order(self._board.key, descending)  # its own key: the direction only
            self._rows.reverse()
        else:
            if column == Column.SEVERITY:
                self._by_column = None
            else:
                self._by_column = self._loudest.ordered_by(self._order_value(Column(column)))
            self._board.set_order(self._board.key, descending)
            self._rows = self._board.head(len(self._board))
        moved = []
        for index, incident_id in zip(persistent, ids, strict=True):
            row = self._board.row_of(incident_id)
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _order_value(self, column: Column) -> Callable[[Incident], Any]:
        """What a column orders by: one string or number per incident (made 100,000 at a time, sorted
        as they are, no tuples); ties keep the loudest-first order (`IncidentBoard.ordered_by`)."""
        ack_s = self._sla.ack.total_seconds()
        match column:
            case Column.ID:
                return _ID
            case Column.AGE:  # ascending: the youngest first
                return lambda i: -i.detected_at.timestamp()
            case Column.TITLE:
                return lambda i: i.title.casefold()
            case Column.SERVICE:
                return lambda i: (i.service or "").casefold()
            case Column.DETECTED_BY:  # as shown, in the window's language
                sources = {source: source.display_label.casefold() for source in DetectionSource}
                return lambda i: sources[i.detected_by]
            case Column.ACK_DUE:
                return lambda i: i.detected_at.timestamp() + ack_s if i.status is _OPEN else _ACKED_SORT
            case Column.ALERTS:
                return _FIRING
            case Column.STATUS:  # as shown: each fixed text translated once, not once per incident
                orphaned = translate("ui.incident_model", "ORPHANED").casefold()
                flapping = translate("ui.incident_model", "FLAPPING").casefold()
                acked = translate("ui.incident_model", "ACKED").casefold()
                statuses = {status: status.display_label.casefold() for status in IncidentStatus}

                def status_order(i: Incident) -> str:
                    if i.orphaned:
                        return orphaned
                    if i.flapping:
                        return flapping
                    if i.clearing_at is not None:
                        return status_text(i).casefold()
                    return acked if i.status is IncidentStatus.ACKNOWLEDGED else statuses[i.status]

                return status_order
            case _:
                return lambda i: self._display(i, column).casefold()

    def set_selected(self, incident_id: int | None) -> None:
        """Mark this incident's row as the selected one (None: no row)."""
        if incident_id == self._selected_id:
            return
        before, self._selected_id = self._selected_id, incident_id
        for changed in (before, incident_id):
            row = self.row_of(changed) if changed is not None else None
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1), [])

    @property
    def selected_id(self) -> int | None:
        return self._selected_id

    @property
    def incidents(self) -> tuple[Incident, ...]:
        return tuple(self._rows)

    def incident_at(self, row: int) -> Incident:
        return self._rows[row]

    def row_of(self, incident_id: int) -> int | None:
        return self._board.row_of(incident_id)

    # --- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return header_text(Column(section))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags  # asked for every cell painted

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        # Runs for every cell of every paint, seven roles each (1,323 calls a screen): roles are
        # plain ints, the column a tuple lookup, and the roles nobody serves return first.
        if role not in _SERVED_ROLES:
            return None
        row, column_number = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= column_number < _COLUMN_COUNT:
            return None  # an invalid index has row -1
        incident = self._rows[row]
        column = _COLUMNS[column_number]
        paint = self._paint
        if role == _FONT:
            bold = (
                column is Column.SEVERITY
                or column is Column.ID
                or (column is Column.TITLE and incident.id == self._selected_id)
                or (column is Column.ACK_DUE and self._overdue(incident))
            )
            return paint.bold if bold else paint.font
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_ALIGNED else _LEFT
        if role == _FOREGROUND:
            return self._foreground(incident, column)
        if role == _DISPLAY:
            text = self._display(incident, column)
            if column is Column.SEVERITY and incident.id == self._selected_id:
                return _SELECTED_MARK + text
            return text
        if role == _BACKGROUND:
            if column is Column.SEVERITY:
                return paint.severity_fill[incident.severity]
            if incident.id == self._selected_id:
                return paint.selected_tint[incident.severity]
            return paint.tint[incident.severity]
        if role == IncidentRole:
            return incident
        if role == SortRole:
            return self._sort_value(incident, column)
        return self._tooltip(incident, column)  # the one role left

    # --- cell contents -------------------------------------------------------------------------
    def _ack_left(self, incident: Incident) -> timedelta | None:
        return ack_remaining(incident, self._sla, self._now)

    def _overdue(self, incident: Incident) -> bool:
        left = self._ack_left(incident)
        return left is not None and left.total_seconds() < 0

    def _display(self, incident: Incident, column: Column) -> str:
        match column:
            case Column.SEVERITY:
                return incident.severity.display_label
            case Column.ID:
                return f"#{incident.id}"
            case Column.TITLE:
                notes = incident_notes(incident)
                return f"{incident.title}  —  {notes}" if notes else incident.title
            case Column.SERVICE:
                return incident.service or "—"
            case Column.STATUS:
                return status_text(incident)
            case Column.DETECTED_BY:
                return incident.detected_by.display_label
            case Column.AGE:
                return format_age(self._now - incident.detected_at)
            case Column.ACK_DUE:
                if incident.status is IncidentStatus.ACKNOWLEDGED:
                    return acked_text(incident.acknowledged_by)
                left = self._ack_left(incident)
                return format_countdown(left) if left is not None else ""
            case Column.ALERTS:
                return alerts_text(incident.firing_count, incident.alert_count, incident.suppressed_count)

    def _tooltip(self, incident: Incident, column: Column) -> str | None:
        if column is Column.TITLE or column is Column.STATUS:
            notes = incident_notes(incident)
            return plain_tooltip(f"{incident.title}\n{notes}" if notes else incident.title)
        if column is Column.ALERTS:
            total, silenced = incident.alert_count, incident.suppressed_count
            text = plural(
                total,
                translate("ui.incident_model", "{firing} firing of {total} alert"),
                translate("ui.incident_model", "{firing} firing of {total} alerts"),
            ).format(firing=formats.number(incident.firing_count), total=formats.number(total))
            if silenced:
                more = plural(
                    silenced,
                    translate("ui.incident_model", "{n} firing alert silenced or inhibited at the source"),
                    translate("ui.incident_model", "{n} firing alerts silenced or inhibited at the source"),
                ).format(n=formats.number(silenced))
                text = f"{text}; {more}"
            return plain_tooltip(text)
        return None

    def _foreground(self, incident: Incident, column: Column) -> QBrush:
        paint = self._paint
        if column is Column.SEVERITY:
            return paint.severity_text[incident.severity]
        if column is Column.ACK_DUE:
            left = self._ack_left(incident)
            if left is None:
                return paint.muted
            if left.total_seconds() < 0:  # breached: red, blinking with the second
                return paint.alarm if int(self._now.timestamp()) % 2 == 0 else paint.alarm_dim
            if left <= self._amber:  # the last third of the clock
                return paint.warn
        if column is Column.STATUS:
            if incident.orphaned or incident.flapping:
                return paint.warn
            if incident.clearing_at is not None:
                return paint.clearing
            if incident.status is IncidentStatus.OPEN:
                return paint.open_status
        return paint.text

    def _sort_value(self, incident: Incident, column: Column) -> Any:
        match column:
            case Column.SEVERITY:
                # Stable sort on this keeps the board's order within one severity and status.
                return incident.severity.rank * 2 + (incident.status is IncidentStatus.ACKNOWLEDGED)
            case Column.ID:
                return incident.id
            case Column.AGE:
                return -incident.detected_at.timestamp()
            case Column.ACK_DUE:
                due = due_times(incident, self._sla).ack_due_at
                return _ACKED_SORT if due is None else due.timestamp()
            case Column.ALERTS:
                return incident.firing_count
            case _:
                return self._display(incident, column).lower()


class IncidentFilterProxy(QSortFilterProxyModel):
    """Shows the incidents an `IncidentFilter` accepts (severity, status, service, source, text);
    rows keep the source's order.

    `dynamicSortFilter` is off: nothing is re-filtered or re-sorted when rows change or the clock
    ticks. A new filter invalidates the proxy once (one layout change, not a signal per run of rows);
    sorting asks the source model to order itself (`IncidentTableModel.sort`), since sorting here
    would call Python for every comparison. A row whose title changes stays until the next filter
    change; new rows are filtered as they arrive.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = IncidentFilter()
        self._active = False  # `IncidentFilter.active` once per filter, not once per row
        self._incident_at: Callable[[int], Incident] | None = None
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: QAbstractItemModel | None) -> None:
        """None detaches it (Qt takes a null model; the type stubs do not say so)."""
        # Read straight from our own model: filterAcceptsRow runs for every row of a new filter.
        self._incident_at = model.incident_at if isinstance(model, IncidentTableModel) else None
        super().setSourceModel(model)  # type: ignore[arg-type]

    @property
    def filter_text(self) -> str:
        return self._filter.text.strip().casefold()

    @property
    def incident_filter(self) -> IncidentFilter:
        return self._filter

    def set_filter_text(self, text: str) -> None:
        self.set_incident_filter(self._filter.with_text(text))

    def set_incident_filter(self, incident_filter: IncidentFilter) -> None:
        if incident_filter == self._filter:
            return
        self._filter = incident_filter
        self._active = incident_filter.active
        self.invalidate()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._active:
            return True
        if self._incident_at is not None:
            incident = self._incident_at(source_row)
        else:
            model = self.sourceModel()
            incident = model.data(model.index(source_row, 0, source_parent), IncidentRole)
        return isinstance(incident, Incident) and self._filter.matches(incident)
