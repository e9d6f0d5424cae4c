"""A synthetic check's last 24 hours, in the details pane of its incident: each run's latency, the band
it usually stays in at that hour (learned, domain.latency_baseline), the static limit, and every failed
run marked red at the top. Plot items are made once; a new history only changes their data."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from noc_console.domain.i18n import translate
from noc_console.domain.synthetic import seconds
from noc_console.store.check_runs import CheckHistory
from noc_console.ui import theme
from noc_console.ui.chart_plots import AXIS, DESK, INTERNAL, LocaleDateAxis, _font
from noc_console.ui.plain import plain_label, set_text

BAND = "#4dd0e1"
LIMIT = "#ffd54f"
HOUR_S = 3600.0


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=float)


class CheckChart(QWidget):
    """The latency history of one synthetic check (see the module); hidden until it has one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkChart")
        self.history: CheckHistory | None = None
        self.incident_id: int | None = None
        style = DESK
        self.title = plain_label(object_name="chartTitle")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary = plain_label(object_name="detailsMeta")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.graphics = pg.PlotWidget(axisItems={"bottom": LocaleDateAxis("bottom")})
        self.graphics.setBackground(theme.SURFACE.name())
        self.graphics.setMinimumHeight(120)
        plot = self.plot = self.graphics.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()
        plot.hideButtons()
        plot.showGrid(x=False, y=True, alpha=0.25)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setTickFont(_font(style.tick_pt))
            axis.setTextPen(theme.TEXT.name())
            axis.setPen(AXIS)
        plot.setLabel(
            "left",
            translate("ui.check_chart", "ms"),
            color=theme.MUTED_TEXT.name(),
            **{"font-size": f"{style.label_pt}pt"},
        )
        band_colour = pg.mkColor(BAND)
        band_colour.setAlpha(70)
        self.band_low = pg.PlotDataItem(pen=pg.mkPen(None), stepMode="right")
        self.band_high = pg.PlotDataItem(
            pen=pg.mkPen(BAND, width=1, style=Qt.PenStyle.DotLine), stepMode="right"
        )
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=band_colour)
        self.median = pg.PlotDataItem(pen=pg.mkPen(BAND, width=2), stepMode="right")
        self.latency = pg.PlotDataItem(pen=pg.mkPen(INTERNAL, width=style.pen_width))
        self.slow_marks = pg.ScatterPlotItem(
            symbol="o", size=style.symbol_size + 4, pen=pg.mkPen(theme.WARN_AMBER.name(), width=3), brush=None
        )
        self.failures = pg.ScatterPlotItem(
            symbol="x", size=style.symbol_size + 6, pen=pg.mkPen(theme.ALARM_RED.name(), width=3),
            brush=pg.mkBrush(theme.ALARM_RED.name()),
        )  # fmt: skip
        self.limit = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen(LIMIT, width=2, style=Qt.PenStyle.DashLine)
        )
        for item in (
            self.band,
            self.band_low,
            self.band_high,
            self.median,
            self.latency,
            self.slow_marks,
            self.failures,
            self.limit,
        ):
            plot.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.graphics, 1)
        self.hide()

    def clear(self) -> None:
        """No synthetic incident shown: nothing to chart."""
        self.history = None
        self.incident_id = None
        self.hide()

    def set_history(self, history: CheckHistory) -> None:
        """Show this history (the items keep their identity: only their data changes)."""
        self.history = history
        runs = history.runs
        # Successful runs joined by a line (a failure between two is marked red, not a gap that would
        # hide a lone run); runs that were slow by the limit or by their usual band ringed in amber.
        good = [r for r in runs if r.ok and r.total_ms is not None]
        xs = np.fromiter((r.at.timestamp() for r in good), dtype=float, count=len(good))
        ys = np.fromiter((r.total_ms or 0.0 for r in good), dtype=float, count=len(good))
        slow = [r for r in good if r.slow]
        failed = [r for r in runs if not r.ok]
        limit = history.limit_ms
        tops = [float(ys.max()) if ys.size else 0.0, limit or 0.0]
        tops += [band.upper_ms for _, band in history.bands]
        top = max(max(tops) * 1.15, 100.0)
        self.latency.setData(xs, ys)
        self.slow_marks.setData(
            np.fromiter((r.at.timestamp() for r in slow), dtype=float, count=len(slow)),
            np.fromiter((r.total_ms or 0.0 for r in slow), dtype=float, count=len(slow)),
        )
        self.failures.setData(
            np.fromiter((r.at.timestamp() for r in failed), dtype=float, count=len(failed)),
            np.full(len(failed), top * 0.96),
        )
        if history.bands:
            # each hour's band holds to the next hour (stepMode "right"): the last one repeats to its end
            hours = [at.timestamp() for at, _ in history.bands]
            bx = np.array([*hours, hours[-1] + HOUR_S], dtype=float)
            medians = [b.median_ms for _, b in history.bands]
            uppers = [b.upper_ms for _, b in history.bands]
            self.band_low.setData(bx, np.array([*medians, medians[-1]], dtype=float))
            self.band_high.setData(bx, np.array([*uppers, uppers[-1]], dtype=float))
            self.median.setData(bx, np.array([*medians, medians[-1]], dtype=float))
        else:
            for item in (self.band_low, self.band_high, self.median):
                item.setData(_empty(), _empty())
        self.limit.setVisible(limit is not None)
        if limit is not None:
            self.limit.setValue(limit)
        self.plot.setXRange(history.start.timestamp(), history.end.timestamp(), padding=0.01)
        self.plot.setYRange(0, top, padding=0)
        set_text(
            self.title,
            translate("ui.check_chart", "{check}: latency, last 24 hours").format(check=history.source),
        )
        set_text(self.summary, summary_text(history))
        self.show()


def summary_text(history: CheckHistory) -> str:
    """One line under the title: runs, failures, the latest latency, the usual band and the limit."""
    runs = history.runs
    parts = [
        translate("ui.check_chart", "{runs} runs, {failed} failed").format(
            runs=len(runs), failed=sum(1 for r in runs if not r.ok)
        )
    ]
    latest = runs[-1] if runs else None
    if latest is not None and latest.total_ms is not None:
        parts.append(translate("ui.check_chart", "latest {latency}").format(latency=seconds(latest.total_ms)))
    if history.bands:
        band = history.bands[-1][1]
        parts.append(
            translate("ui.check_chart", "usually {median} (band up to {upper})").format(
                median=seconds(band.median_ms), upper=seconds(band.upper_ms)
            )
        )
    else:
        parts.append(translate("ui.check_chart", "still learning what is usual"))
    if history.limit_ms is not None:
        parts.append(translate("ui.check_chart", "limit {limit}").format(limit=seconds(history.limit_ms)))
    return " · ".join(parts)
