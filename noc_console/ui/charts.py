"""The shift lead's detection-coverage charts: big headline figures, the range picker, four charts
(detection by whom against the 90 % goal, MTTD and MTTA, coverage per service, false positives), a
read-out of what the pointer is over, and each chart's export to PNG and CSV."""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain.chart_range import PRESET_DAYS, WALL_DAYS, ChartRange, RangeError
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.metrics import Metrics
from noc_console.ui import chart_series as cs
from noc_console.ui import formats, theme
from noc_console.ui.chart_plots import (
    DESK,
    WALL,
    ChartPanel,
    ChartStyle,
    CoverageChart,
    DetectionChart,
    FalsePositiveChart,
    ResponseChart,
)
from noc_console.ui.files import ChooseFile, save_dialog
from noc_console.ui.plain import plain_label, set_text

# (suggested file name, filter) -> the chosen path, or None when the lead cancelled. Shown as
# `translate("ui.charts", ...)`.
FILTERS = {
    "png": QT_TRANSLATE_NOOP("ui.charts", "PNG image (*.png)"),
    "csv": QT_TRANSLATE_NOOP("ui.charts", "CSV table (*.csv)"),
}
HOVER_HINT = QT_TRANSLATE_NOOP(
    "ui.charts",
    "Point at a bar or a point to read its figures. "
    "Hatched bars and hollow points: the range holds only part of that day or week.",
)


def hover_hint() -> str:
    return translate("ui.charts", HOVER_HINT)


def _stylesheet(style: ChartStyle) -> str:
    return f"""
QLabel#figureCaption {{ font-size: {style.caption_pt}pt; color: {theme.MUTED_TEXT.name()}; }}
QLabel#figureValue {{ font-size: {style.headline_pt}pt; font-weight: 800; }}
QLabel#figureNote {{ font-size: {style.caption_pt}pt; color: {theme.MUTED_TEXT.name()}; }}
QLabel#figureNoteBad {{ font-size: {style.caption_pt}pt; font-weight: 800; color: {theme.ALARM_RED.name()}; }}
QWidget#chartPanel {{ background: {theme.SURFACE.name()}; border-radius: 6px; }}
QLabel#chartTitle {{ font-size: {style.title_pt}pt; font-weight: 800; }}
QWidget#figure {{ background: {theme.SURFACE.name()}; border-radius: 8px; }}
QLabel#chartsTitle {{ font-size: {style.title_pt + 4}pt; font-weight: 800; }}
QLabel#chartsStatus, QLabel#hoverReadout {{ font-size: {style.caption_pt}pt;
    color: {theme.MUTED_TEXT.name()}; }}
QLabel#chartsError {{ background: {theme.scheme.alarm_band}; border: 2px solid {theme.ALARM_RED.name()};
    font-size: {style.caption_pt + 1}pt; font-weight: 700; padding: 4px 10px; }}
QLabel#gaps {{ background: {theme.scheme.alarm_band}; border-left: 6px solid {theme.ALARM_RED.name()};
    font-size: {style.caption_pt + 1}pt; font-weight: 700; padding: 4px 10px; }}
QPushButton#rangePreset {{ background: {theme.scheme.raised}; color: {theme.TEXT.name()}; padding: 6px 16px;
    font-size: 15pt; }}
QPushButton#rangePreset:checked {{ background: #1565c0; color: white; }}
QPushButton#chartExport {{ background: {theme.scheme.raised}; color: {theme.TEXT.name()}; padding: 3px 12px;
    font-size: 12pt; font-weight: 600; }}
QDateEdit {{ font-size: 15pt; padding: 4px 8px; }}
"""


class FigureBox(QWidget):
    """One headline figure: a caption, the value in big type, a note under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(0)
        self.caption = plain_label("", "figureCaption")
        self.value = plain_label(cs.not_known(), "figureValue")
        self.note = plain_label("", "figureNote")
        self.note.setWordWrap(True)
        for label in (self.caption, self.value, self.note):
            # Six figures share the width of the screen: a long one is cut, never widening the view.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            layout.addWidget(label)
        layout.addStretch(1)

    def show_figure(self, figure: cs.Figure) -> None:
        set_text(self.caption, figure.caption)
        set_text(self.value, figure.value)
        set_text(self.note, figure.note)
        name = "figureNoteBad" if figure.bad else "figureNote"
        if self.note.objectName() != name:
            self.note.setObjectName(name)
            self.note.style().unpolish(self.note)
            self.note.style().polish(self.note)


class ChartsView(QWidget):
    """Shows one Metrics at a time; asks for another range through `rangeRequested`.

    `wall=True`: the wall's look (bigger type, no range picker, no export buttons, no read-out).
    `choose_file(suggested_name, filter)` picks where an export goes (a save dialog unless given).

    Signals:
        rangeRequested(object): the ChartRange the lead picked (a preset, or a custom range that is one).
    """

    rangeRequested = Signal(object)

    def __init__(
        self,
        wall: bool = False,
        choose_file: ChooseFile | None = None,
        chart_range: ChartRange | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.chart_style = WALL if wall else DESK
        self.setStyleSheet(_stylesheet(self.chart_style))
        self._choose_file = choose_file or save_dialog(self, translate("ui.charts", "Save chart"))
        self.chart_range = chart_range or ChartRange.last(WALL_DAYS)
        self.metrics: Metrics | None = None
        self._computing = False  # the status line says a range is being computed
        root = QVBoxLayout(self)
        margin = 24 if wall else 12
        root.setContentsMargins(margin, margin // 2, margin, margin // 2)
        root.setSpacing(8)

        top = QHBoxLayout()
        self.title = plain_label(translate("ui.charts", "Detection coverage"), "chartsTitle")
        top.addWidget(self.title)
        self.range_bar = self._make_range_bar()
        top.addWidget(self.range_bar)
        self.status = plain_label("", "chartsStatus")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.status, 1)
        root.addLayout(top)
        self.error = plain_label("", "chartsError")
        self.error.setWordWrap(True)
        self.error.hide()
        root.addWidget(self.error)

        figures = QHBoxLayout()
        figures.setSpacing(10)
        self.figures = [FigureBox() for _ in range(6)]
        for box in self.figures:
            figures.addWidget(box, 1)
        root.addLayout(figures)
        self.gaps = plain_label("", "gaps")
        self.gaps.setWordWrap(True)
        self.gaps.hide()
        root.addWidget(self.gaps)

        grid = QGridLayout()
        grid.setSpacing(10)
        style = self.chart_style
        self.panels: dict[str, ChartPanel] = {}
        for index, panel in enumerate(
            (DetectionChart(style), ResponseChart(style), CoverageChart(style), FalsePositiveChart(style))
        ):
            self.panels[panel.name] = panel
            grid.addWidget(panel, index // 2, index % 2)
            panel.hovered.connect(self._on_hovered)
            panel.exportRequested.connect(self.export)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        root.addLayout(grid, 1)
        self.hover = plain_label(hover_hint(), "hoverReadout")
        self.hover.setVisible(not wall)
        root.addWidget(self.hover)
        if wall:
            self.range_bar.hide()
        self._show_range(self.chart_range)

    # --- range picker ----------------------------------------------------------------------------
    def _make_range_bar(self) -> QWidget:
        bar = QWidget()
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 0, 16, 0)
        self.presets: dict[int, QPushButton] = {}
        self.preset_group = QButtonGroup(self)
        for days in PRESET_DAYS:
            button = QPushButton(
                plural(days, translate("ui.charts", "{n} day"), translate("ui.charts", "{n} days")).format(
                    n=formats.number(days)
                )
            )
            button.setObjectName("rangePreset")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, d=days: self.pick_days(d))
            self.preset_group.addButton(button)
            self.presets[days] = button
            layout.addWidget(button)
        layout.addSpacing(18)
        today = datetime.now(UTC).date()
        self.from_edit = self._date_edit(today - timedelta(days=29))
        self.to_edit = self._date_edit(today)
        for caption, edit in (
            (translate("ui.charts", "From"), self.from_edit),
            (translate("ui.charts", "To"), self.to_edit),
        ):
            layout.addWidget(QLabel(caption))
            layout.addWidget(edit)
        self.apply_button = QPushButton(translate("ui.charts", "Apply"))
        self.apply_button.setObjectName("rangePreset")
        self.apply_button.clicked.connect(self.apply_custom)
        layout.addWidget(self.apply_button)
        return bar

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")  # typed as such, whatever the language
        edit.setMinimumDate(QDate(2000, 1, 1))
        return edit

    @Slot(int)
    def pick_days(self, days: int) -> None:
        self._request(ChartRange.last(days))

    @Slot()
    def apply_custom(self) -> None:
        """The From and To days (UTC, both included) as the range, unless To is before From."""
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        try:
            chart_range = ChartRange.between(first, last)
        except RangeError as exc:
            self.show_error(str(exc))
            return
        self._request(chart_range)

    def _request(self, chart_range: ChartRange) -> None:
        self.error.hide()
        self._show_range(chart_range)
        set_text(
            self.status, translate("ui.charts", "Computing {range}…").format(range=chart_range.describe())
        )
        self._computing = True
        self.rangeRequested.emit(chart_range)

    def _show_range(self, chart_range: ChartRange) -> None:
        self.chart_range = chart_range
        self.preset_group.setExclusive(False)  # a custom range leaves every preset unchecked
        for days, button in self.presets.items():
            button.setChecked(chart_range.days == days)
        self.preset_group.setExclusive(True)
        if self.chart_style.wall:
            set_text(
                self.title,
                translate("ui.charts", "Detection coverage — {range}").format(range=chart_range.describe()),
            )

    # --- figures ---------------------------------------------------------------------------------
    def set_metrics(self, m: Metrics) -> None:
        """Show new figures: every chart updates the items it already has."""
        self.metrics = m
        self.error.hide()
        for box, figure in zip(self.figures, cs.headline(m), strict=True):
            box.show_figure(figure)
        gaps = cs.gaps_text(m)
        set_text(self.gaps, gaps)
        self.gaps.setVisible(bool(gaps))
        # The wall names the range once, in its title.
        described = "" if self.chart_style.wall else self.chart_range.describe()
        for panel in self.panels.values():
            panel.set_metrics(m, described)
        if m.granularity == "week":
            status = translate("ui.charts", "{since} to {until} UTC, per week · as of {time}")
        else:
            status = translate("ui.charts", "{since} to {until} UTC, per day · as of {time}")
        set_text(
            self.status,
            status.format(
                since=_utc_moment(m.since), until=_utc_moment(m.until), time=formats.clock(m.until)
            ),
        )
        self._computing = False

    @Slot(str)
    def show_error(self, message: str) -> None:
        """A plain error line above the figures (the last figures stay, and the line says so)."""
        if self.metrics is not None:
            message = translate(
                "ui.charts", "{message} — the figures below are the last ones computed"
            ).format(message=message)
        set_text(self.error, message)
        self.error.show()
        if self._computing:
            self._computing = False
            set_text(self.status, "")

    @Slot(str)
    def _on_hovered(self, text: str) -> None:
        set_text(self.hover, text or hover_hint())

    # --- export ----------------------------------------------------------------------------------
    @Slot(str, str)
    def export(self, name: str, kind: str) -> Path | None:
        """Save chart `name` as "png" or "csv" where the lead chooses; returns the path written."""
        panel = self.panels[name]
        stamp = self.metrics.until.strftime("%Y-%m-%d") if self.metrics else "empty"
        chosen = self._choose_file(f"noc-{name}-{stamp}.{kind}", translate("ui.charts", FILTERS[kind]))
        if chosen is None:
            return None
        path = Path(chosen)
        try:
            write_atomically(path, lambda temporary: self._write(panel, kind, temporary))
        except OSError as exc:
            self.show_error(
                translate("ui.charts", "Could not save the {chart} chart to {path}: {error}").format(
                    chart=_in_sentence(panel.translated_title), path=path, error=exc.strerror or exc
                )
            )
            return None
        set_text(self.hover, translate("ui.charts", "Saved {path}").format(path=path))
        return path

    @staticmethod
    def _write(panel: ChartPanel, kind: str, path: Path) -> None:
        if kind == "png":
            if not panel.image().save(str(path), "PNG"):
                raise OSError(translate("ui.charts", "Qt could not write a PNG to {path}").format(path=path))
            return
        header, rows = panel.table()
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)


def _utc_moment(at: datetime) -> str:
    """The UTC day and time of `at` the locale's way, without saying UTC (the sentence says it once)."""
    return f"{formats.day(at, utc=True)} {formats.utc_clock(at).removesuffix(' UTC')}"


def _in_sentence(title: str) -> str:
    """A chart's title inside a sentence: lower case, unless it starts with an abbreviation (MTTD)."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """`write` a temporary file beside `path`, then rename it: a reader never sees half a file, and a
    failure leaves what was there alone."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
