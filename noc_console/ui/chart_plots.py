"""The four charts of the lead's view, drawn with pyqtgraph: every plot item is made once, in the
constructor, and a new Metrics only changes its data (`setData` / `setOpts`), never the scene."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QDate, QLocale, QPointF, QRect, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.metrics import GOAL_INTERNAL_PCT, Metrics, ServiceCoverage
from noc_console.ui import chart_series as cs
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, set_text

INTERNAL = "#42a5f5"
CUSTOMER = "#ff7043"
GOAL = "#ffd54f"
MTTD = "#4dd0e1"
MTTA = "#ce93d8"
FALSE_POSITIVE = "#ffb74d"
UNMONITORED = "#e53935"
AXIS = "#5f6b76"


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """Type sizes and strokes: the desk's, or the wall's (read from a few metres)."""

    tick_pt: int
    label_pt: int
    title_pt: int
    value_pt: int
    headline_pt: int
    caption_pt: int
    pen_width: float
    symbol_size: int
    coverage_rows: int  # services shown, worst first (the CSV has them all)
    wall: bool = False


DESK = ChartStyle(13, 14, 17, 13, 34, 14, 3, 11, 10)
WALL = ChartStyle(19, 19, 24, 18, 48, 18, 5, 16, 7, wall=True)


def _font(pt: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(pt)
    font.setBold(bold)
    return font


def _pen(colour: str, width: float, dashed: bool = False) -> pg.QtGui.QPen:
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    return pg.mkPen(colour, width=width, style=style)


# pyqtgraph's date formats (strftime, in English whatever the language) -> Qt's, in the locale's words.
_DATE_FORMATS = {"%Y": "yyyy", "%b": "MMM", "%d": "d", "%a %d": "ddd d"}


class LocaleDateAxis(pg.DateAxisItem):  # type: ignore[misc]  # pyqtgraph: untyped
    """pyqtgraph's time axis (UTC) with its labels the locale's way: 'lun 2', 'nov', '9:00 p.m.'."""

    def __init__(self, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation, utcOffset=0)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None or (spec.format not in _DATE_FORMATS and spec.format != "%H:%M"):
            digits: list[str] = super().tickStrings(values, scale, spacing)  # seconds: digits only
            return digits
        locale = QLocale()
        texts = []
        for value in values:
            try:
                at = datetime.fromtimestamp(value, UTC)
            except (OverflowError, ValueError, OSError):
                texts.append("")
                continue
            if spec.format == "%H:%M":
                texts.append(
                    locale.toString(
                        QTime(at.hour, at.minute), locale.timeFormat(QLocale.FormatType.ShortFormat)
                    )
                )
            else:
                texts.append(locale.toString(QDate(at.year, at.month, at.day), _DATE_FORMATS[spec.format]))
        return texts


class ChartPanel(QWidget):
    """One chart: a title and plots in one pyqtgraph scene (so a PNG has its title), and buttons under it.

    Signals:
        hovered(str): the read-out for what the pointer is over ("" when nothing).
        exportRequested(str, str): this chart's name and "png" or "csv".
    """

    hovered = Signal(str)
    exportRequested = Signal(str, str)
    name = ""
    title = ""  # marked with QT_TRANSLATE_NOOP("ui.chart_plots", ...): `translated_title` shows it

    def __init__(self, style: ChartStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_style = style
        self.metrics: Metrics | None = None
        self.setObjectName("chartPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title_label = plain_label(self.translated_title, "chartTitle")
        # A long title is cut, never widening the panel past its share of the screen.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(theme.SURFACE.name())
        self.graphics.ci.setContentsMargins(4, 2, 12, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.graphics, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for kind, text in (
            ("png", translate("ui.chart_plots", "Save PNG…")),
            ("csv", translate("ui.chart_plots", "Save CSV…")),
        ):
            button = QPushButton(text)
            button.setObjectName("chartExport")
            button.setToolTip(
                translate("ui.chart_plots", "Save this chart as {format}").format(format=kind.upper())
            )
            button.clicked.connect(lambda _=False, k=kind: self.exportRequested.emit(self.name, k))
            buttons.addWidget(button)
            self.buttons[kind] = button
        self.button_row = QWidget()
        self.button_row.setLayout(buttons)
        self.button_row.setVisible(not style.wall)
        layout.addWidget(self.button_row)
        self.graphics.scene().sigMouseMoved.connect(self._on_moved)

    @property
    def translated_title(self) -> str:
        """The chart's title in the installed language."""
        return translate("ui.chart_plots", self.title) if self.title else ""

    def image(self) -> QPixmap:
        """The chart with its title, without the buttons under it (what a PNG export holds)."""
        self.ensurePolished()
        if self.button_row.isVisible():
            return self.grab(QRect(0, 0, self.width(), self.button_row.y()))
        return self.grab()

    def _set_title(self, text: str) -> None:
        set_text(self.title_label, text)

    def _plot(self, row: int, left: str, date_axis: bool = True) -> pg.PlotItem:
        """A plot that shows, without mouse zoom or menu (the range picker chooses what is shown)."""
        axes = {"bottom": LocaleDateAxis("bottom")} if date_axis else {}
        plot = self.graphics.addPlot(row=row, col=0, axisItems=axes)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()  # every update sets the ranges itself
        plot.hideButtons()
        plot.showGrid(x=False, y=True, alpha=0.25)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setTickFont(_font(self.chart_style.tick_pt))
            axis.setTextPen(theme.TEXT.name())
            axis.setPen(AXIS)
        if left:
            plot.setLabel(
                "left", left, color=theme.MUTED_TEXT.name(), **{"font-size": f"{self.chart_style.label_pt}pt"}
            )
        return plot

    def _legend(self, row: int) -> pg.LegendItem:
        """A legend on a row of its own above the plots, so that it never hides a bar or a point."""
        legend = pg.LegendItem(
            colCount=3, labelTextSize=f"{self.chart_style.label_pt}pt", labelTextColor=theme.TEXT.name()
        )
        self.graphics.addItem(legend, row=row, col=0)
        return legend

    def _goal_axis(self, plot: pg.PlotItem, side: str) -> pg.AxisItem:
        """The goal named on an axis of its own beside its line's end: the label never covers data."""
        plot.showAxis(side)
        axis = plot.getAxis(side)
        axis.setTickFont(_font(self.chart_style.label_pt, bold=True))
        axis.setTextPen(GOAL)
        axis.setPen(AXIS)
        axis.setStyle(hideOverlappingLabels=False)  # near the plot's edge, still shown
        return axis

    def _time_range(self, plots: list[pg.PlotItem], m: Metrics) -> None:
        if m.series:
            first, last = m.series[0].start.timestamp(), m.series[-1].end.timestamp()
        else:
            first, last = m.since.timestamp(), m.until.timestamp()
        for plot in plots:
            plot.setXRange(first, last, padding=0.01)

    def set_metrics(self, m: Metrics, described: str) -> None:
        """Show these figures; `described` names the range in the title (e.g. 'last 30 days')."""
        self.metrics = m
        self._update(m)
        self._set_title(self._title_for(m, described))

    def _title_for(self, m: Metrics, described: str) -> str:
        return " · ".join(part for part in (self.translated_title, described) if part)

    def _update(self, m: Metrics) -> None:
        raise NotImplementedError

    def table(self) -> cs.Table:
        """The figures this chart shows, as a header and rows for CSV."""
        raise NotImplementedError

    def text_at(self, scene_pos: QPointF) -> str:
        """The read-out for a point of the scene ('' when it is over nothing)."""
        raise NotImplementedError

    def _time_text(self, plots: list[pg.PlotItem], scene_pos: QPointF) -> str:
        m = self.metrics
        if m is None:
            return ""
        for plot in plots:
            if plot.vb.sceneBoundingRect().contains(scene_pos):
                bucket = cs.bucket_at(m.series, plot.vb.mapSceneToView(scene_pos).x())
                return "" if bucket is None else cs.bucket_text(bucket, m)
        return ""

    def _on_moved(self, scene_pos: QPointF) -> None:
        self.hovered.emit(self.text_at(scene_pos))


def partial_buckets(m: Metrics) -> list[bool]:
    """Per bucket, whether the range holds only part of it (its first or last): its figures are partial."""
    return [b.start < m.since or b.end > m.until for b in m.series]


def set_line(line: pg.PlotDataItem, x: np.ndarray, y: np.ndarray, colour: str, partial: list[bool]) -> None:
    """A line with gaps where a figure is unknown and a hollow point for a partial bucket; no figure known
    at all is no line (pyqtgraph would warn measuring a line of nothing but gaps)."""
    if np.isfinite(y).any():
        fill = pg.mkBrush(colour)
        line.setData(x, y, symbolBrush=[pg.mkBrush(theme.SURFACE) if p else fill for p in partial])
    else:
        line.setData(np.zeros(0), np.zeros(0))


def goal_text(goal_pct: float) -> str:
    return translate("ui.chart_plots", "goal {goal}").format(goal=cs.goal_pct_text(goal_pct))


def _upper(values: np.ndarray, floor: float) -> float:
    """A top for the y axis with room above the highest value."""
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 0.0
    return max(top * 1.15, floor)


class DetectionChart(ChartPanel):
    """Incidents per bucket, detected internally (bottom) and by customers (stacked on top); under it
    the share detected internally against the goal line."""

    name = "detection"
    title = QT_TRANSLATE_NOOP("ui.chart_plots", "Detected internally vs by customers")

    def __init__(self, style: ChartStyle, parent: QWidget | None = None) -> None:
        super().__init__(style, parent)
        legend = self._legend(0)
        self.counts = self._plot(1, translate("ui.chart_plots", "incidents"))
        self.counts.hideAxis("bottom")  # the share plot under it shares and shows the time axis
        empty = np.zeros(0)
        self.internal_bars = pg.BarGraphItem(
            x=empty, y0=empty, height=empty, width=1.0, brush=INTERNAL, pen=None
        )
        self.customer_bars = pg.BarGraphItem(
            x=empty, y0=empty, height=empty, width=1.0, brush=CUSTOMER, pen=None
        )
        self.counts.addItem(self.internal_bars)
        self.counts.addItem(self.customer_bars)
        self._brushes = {
            colour: {False: pg.mkBrush(colour), True: QBrush(QColor(colour), Qt.BrushStyle.Dense3Pattern)}
            for colour in (INTERNAL, CUSTOMER)
        }
        legend.addItem(self.internal_bars, translate("ui.chart_plots", "detected internally"))
        legend.addItem(self.customer_bars, translate("ui.chart_plots", "by customers"))
        self.share = self._plot(2, "%")
        self.share.setXLink(self.counts)
        self.share.setYRange(0, 100, padding=0.04)
        self.share.getAxis("left").setTicks([[(v, formats.number(v)) for v in (0, 50, 100)]])
        # 0 and 100 sit at the plot's edges: drawn all the same (an axis with a grid would cut them).
        self.share.showGrid(x=False, y=False)
        self.share.getAxis("left").setStyle(hideOverlappingLabels=False)
        self.goal_axis = self._goal_axis(self.share, "right")
        self.goal_axis.setTicks([[(GOAL_INTERNAL_PCT, goal_text(GOAL_INTERNAL_PCT))]])
        self.share_line = self.share.plot(
            [], [], pen=_pen(INTERNAL, style.pen_width), symbol="o", symbolSize=style.symbol_size,
            symbolBrush=INTERNAL, symbolPen=_pen(INTERNAL, 2), connect="finite",
        )  # fmt: skip
        legend.addItem(self.share_line, translate("ui.chart_plots", "% internal"))
        # The same widths beside both plots, so that a bar stands right above its share.
        self.counts.showAxis("right")
        self.counts.getAxis("right").setStyle(showValues=False)
        self.counts.getAxis("right").setPen(theme.SURFACE.name())
        for plot in (self.counts, self.share):
            plot.getAxis("left").setWidth(style.tick_pt * 5)
            plot.getAxis("right").setWidth(style.label_pt * 9)
        self.goal = pg.InfiniteLine(
            pos=GOAL_INTERNAL_PCT, angle=0, pen=_pen(GOAL, max(style.pen_width - 1, 2), dashed=True)
        )
        self.share.addItem(self.goal)
        layout = self.graphics.ci.layout
        layout.setRowStretchFactor(1, 1)
        layout.setRowStretchFactor(2, 1)

    def _update(self, m: Metrics) -> None:
        a = cs.series_arrays(m)
        partial = partial_buckets(m)  # hatched bars
        self.internal_bars.setOpts(
            x=a.centre, y0=np.zeros_like(a.internal), height=a.internal, width=a.width,
            brushes=[self._brushes[INTERNAL][p] for p in partial],
        )  # fmt: skip
        self.customer_bars.setOpts(
            x=a.centre, y0=a.internal, height=a.customer, width=a.width,
            brushes=[self._brushes[CUSTOMER][p] for p in partial],
        )  # fmt: skip
        self.counts.setYRange(0, _upper(a.internal + a.customer, 1.0), padding=0)
        set_line(self.share_line, a.centre, a.internal_pct, INTERNAL, partial)
        self.goal.setValue(m.goal_pct)
        self.goal_axis.setTicks([[(m.goal_pct, goal_text(m.goal_pct))]])
        self._time_range([self.counts, self.share], m)

    def table(self) -> cs.Table:
        return cs.detection_table(self.metrics) if self.metrics else ([], [])

    def text_at(self, scene_pos: QPointF) -> str:
        return self._time_text([self.counts, self.share], scene_pos)


class ResponseChart(ChartPanel):
    """Mean time to detect and to acknowledge per bucket, in minutes."""

    name = "response"
    title = QT_TRANSLATE_NOOP("ui.chart_plots", "MTTD and MTTA, minutes")

    def __init__(self, style: ChartStyle, parent: QWidget | None = None) -> None:
        super().__init__(style, parent)
        legend = self._legend(0)
        self.plot = self._plot(1, translate("ui.chart_plots", "minutes"))
        w, size = style.pen_width, style.symbol_size
        self.mttd_line = self.plot.plot(
            [], [], pen=_pen(MTTD, w), symbol="o", symbolSize=size, symbolBrush=MTTD, symbolPen=_pen(MTTD, 2),
            connect="finite",
        )  # fmt: skip
        self.mtta_line = self.plot.plot(
            [], [], pen=_pen(MTTA, w, dashed=True), symbol="s", symbolSize=size, symbolBrush=MTTA,
            symbolPen=_pen(MTTA, 2), connect="finite",
        )  # fmt: skip
        legend.addItem(self.mttd_line, translate("ui.chart_plots", "MTTD: impact start to detection"))
        legend.addItem(self.mtta_line, translate("ui.chart_plots", "MTTA: detection to acknowledge"))

    def _update(self, m: Metrics) -> None:
        a = cs.series_arrays(m)
        partial = partial_buckets(m)
        set_line(self.mttd_line, a.centre, a.mttd_min, MTTD, partial)
        set_line(self.mtta_line, a.centre, a.mtta_min, MTTA, partial)
        self.plot.setYRange(0, _upper(np.concatenate([a.mttd_min, a.mtta_min]) * 1.25, 1.0), padding=0)
        self._time_range([self.plot], m)

    def table(self) -> cs.Table:
        return cs.response_table(self.metrics) if self.metrics else ([], [])

    def text_at(self, scene_pos: QPointF) -> str:
        return self._time_text([self.plot], scene_pos)


class FalsePositiveChart(ChartPanel):
    """The share of internally detected incidents resolved as false positives, per bucket."""

    name = "false_positives"
    title = QT_TRANSLATE_NOOP("ui.chart_plots", "False positives, % of internally detected")

    def __init__(self, style: ChartStyle, parent: QWidget | None = None) -> None:
        super().__init__(style, parent)
        self.plot = self._plot(0, "%")
        self.line = self.plot.plot(
            [], [], pen=_pen(FALSE_POSITIVE, style.pen_width), symbol="d", symbolSize=style.symbol_size + 2,
            symbolBrush=FALSE_POSITIVE, symbolPen=_pen(FALSE_POSITIVE, 2), connect="finite",
        )  # fmt: skip

    def _update(self, m: Metrics) -> None:
        a = cs.series_arrays(m)
        set_line(self.line, a.centre, a.false_positive_pct, FALSE_POSITIVE, partial_buckets(m))
        self.plot.setYRange(0, min(_upper(a.false_positive_pct, 5.0), 100.0), padding=0)
        self._time_range([self.plot], m)

    def table(self) -> cs.Table:
        return cs.false_positive_table(self.metrics) if self.metrics else ([], [])

    def text_at(self, scene_pos: QPointF) -> str:
        return self._time_text([self.plot], scene_pos)


class CoverageChart(ChartPanel):
    """Per service, the share of its incidents detected internally, worst first, as horizontal bars;
    an unmonitored service says so in words beside its name and is drawn in red."""

    name = "coverage"
    title = QT_TRANSLATE_NOOP("ui.chart_plots", "Coverage per service")
    X_MAX = 108.0
    INSIDE_FROM = 55.0  # a bar longer than this has its value inside it, shorter ones beside it

    def __init__(self, style: ChartStyle, parent: QWidget | None = None) -> None:
        super().__init__(style, parent)
        self.shown: list[ServiceCoverage] = []
        self.plot = self._plot(0, "", date_axis=False)
        self.plot.invertY(True)  # the worst at the top
        # No grid: the goal line is the reference, and an axis with a grid would cut 0 % and 100 %.
        self.plot.showGrid(x=False, y=False)
        self.plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self.plot.setXRange(0, self.X_MAX, padding=0)
        steps = (0, 50, 100) if style.wall else (0, 25, 50, 75, 100)
        self.plot.getAxis("bottom").setTicks([[(v, formats.percent(v, 0) if v else "0") for v in steps]])
        empty = np.zeros(0)
        self.bars = pg.BarGraphItem(x0=empty, y=empty, width=empty, height=0.7, brushes=[], pen=None)
        self.plot.addItem(self.bars)
        self.goal = pg.InfiniteLine(
            pos=GOAL_INTERNAL_PCT, angle=90, pen=_pen(GOAL, max(style.pen_width - 1, 2), dashed=True)
        )
        self.goal.setZValue(-1)  # under the bars and their values: it never crosses a figure
        self.plot.addItem(self.goal)
        self.goal_axis = self._goal_axis(self.plot, "top")
        self.goal_axis.setTicks([[(GOAL_INTERNAL_PCT, goal_text(GOAL_INTERNAL_PCT))]])
        # One value label per row that can be shown, made once; rows not shown hide theirs.
        self.values: list[pg.TextItem] = []
        for _ in range(style.coverage_rows):
            text = pg.TextItem("", color=theme.TEXT.name(), anchor=(0, 0.5))
            text.setFont(_font(style.value_pt, bold=True))
            self.plot.addItem(text)
            self.values.append(text)

    def _update(self, m: Metrics) -> None:
        ordered = cs.coverage_order(m.by_service)
        shown = ordered[: self.chart_style.coverage_rows]
        self.shown = shown
        widths = np.array([s.detected_internally_pct or 0.0 for s in shown], dtype=np.float64)
        rows = np.arange(len(shown), dtype=np.float64)
        brushes = [pg.mkBrush(UNMONITORED if cs.unmonitored(s) else INTERNAL) for s in shown]
        self.bars.setOpts(x0=np.zeros_like(rows), y=rows, width=widths, brushes=brushes)
        self.goal.setValue(m.goal_pct)
        self.goal_axis.setTicks([[(m.goal_pct, goal_text(m.goal_pct))]])
        self.plot.getAxis("left").setTicks([[(float(i), cs.service_label(s)) for i, s in enumerate(shown)]])
        self.plot.setYRange(-0.6, max(len(shown), 1) - 0.4, padding=0)
        for i, text in enumerate(self.values):
            if i >= len(shown):
                text.setVisible(False)
                continue
            s, width = shown[i], float(widths[i])
            text.setText(
                translate("ui.chart_plots", "{pct} of {n}").format(
                    pct=cs.pct_text(s.detected_internally_pct), n=formats.number(s.incidents)
                )
                if s.incidents
                else translate("ui.chart_plots", "no incidents")
            )
            if width > self.INSIDE_FROM:  # inside the end of a long bar, dark on the bar's colour
                text.setAnchor((1, 0.5))
                text.setColor(theme.BACKGROUND)
                text.setPos(width - 1.0, float(i))
            else:
                text.setAnchor((0, 0.5))
                text.setColor(theme.TEXT)
                text.setPos(width + 1.0, float(i))
            text.setVisible(True)

    def _title_for(self, m: Metrics, described: str) -> str:
        total, shown = len(m.by_service), len(self.shown)
        which = (
            translate("ui.chart_plots", "worst {shown} of {total}").format(
                shown=formats.number(shown), total=formats.number(total)
            )
            if total > shown
            else translate("ui.chart_plots", "worst first")
        )
        return " · ".join(part for part in (self.translated_title, described, which) if part)

    def table(self) -> cs.Table:
        return cs.coverage_table(self.metrics) if self.metrics else ([], [])

    def text_at(self, scene_pos: QPointF) -> str:
        vb = self.plot.vb
        if not self.shown or not vb.sceneBoundingRect().contains(scene_pos):
            return ""
        row = vb.mapSceneToView(scene_pos).y()
        index = math.floor(row + 0.5)
        return cs.service_text(self.shown[index]) if 0 <= index < len(self.shown) else ""
