"""The lead's charts, offscreen: every plot item holds the figures of the Metrics it was given (built
by the pure formulas from hand-made incidents), items are reused, the range picker, exports read back,
and the hover read-outs."""

from __future__ import annotations

import csv
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QDate, QPointF, Qt
from PySide6.QtGui import QImage

from noc_console.domain.chart_range import ChartRange
from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.metrics import AlertSeen, Metrics, compute
from noc_console.domain.severity import Severity
from noc_console.ui import chart_series as cs
from noc_console.ui import formats
from noc_console.ui.charts import ChartsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
PCT = "\u00a0%"  # formats.percent: the number, a no-break space, the locale's percent sign

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)  # weeks start on Monday
SINCE, UNTIL = MONDAY, MONDAY + timedelta(weeks=3)
CATALOG = ServiceCatalog(
    (
        ServiceDef("payments", critical=True, match={"service": "payments"}),
        ServiceDef("dns"),
        ServiceDef("vpn", critical=True),
        ServiceDef("wiki"),
    )
)
SOURCES = ["am"]
ALERTS = [AlertSeen("dns", "am", silenced=False), AlertSeen("payments", "am", silenced=False)]


def incident(
    id: int,
    service: str,
    detected: datetime,
    by: DetectionSource,
    impact_min: float | None = None,
    ack_min: float | None = None,
    resolve_min: float | None = None,
    false_positive: bool = False,
) -> Incident:
    return Incident(
        id=id,
        title=f"incident {id}",
        severity=Severity.MAJOR,
        status=IncidentStatus.RESOLVED if resolve_min is not None else IncidentStatus.OPEN,
        service=service,
        detected_by=by,
        source="am" if by is not DetectionSource.CUSTOMER else None,
        opened_at=detected,
        detected_at=detected,
        impact_started_at=None if impact_min is None else detected - timedelta(minutes=impact_min),
        acknowledged_at=None if ack_min is None else detected + timedelta(minutes=ack_min),
        resolved_at=None if resolve_min is None else detected + timedelta(minutes=resolve_min),
        false_positive=false_positive,
    )


def three_weeks() -> Metrics:
    """Week 1: three incidents (one a customer told us of, one a false positive); week 2: none;
    week 3: a customer's on the unmonitored vpn, a synthetic check's on dns."""
    day = timedelta(days=1)
    incidents = [
        incident(1, "payments", MONDAY + day + timedelta(hours=10), DetectionSource.MONITORING, 3, 2, 60),
        incident(2, "payments", MONDAY + 2 * day + timedelta(hours=9), DetectionSource.CUSTOMER, None, 4),
        incident(3, "dns", MONDAY + 3 * day, DetectionSource.MONITORING, 1, 1, 5, false_positive=True),
        incident(4, "vpn", MONDAY + 15 * day, DetectionSource.CUSTOMER),
        incident(5, "dns", MONDAY + 16 * day, DetectionSource.SYNTHETIC, 2, 3),
    ]
    # The customer of #2 says it started 20 minutes before the call.
    callers = {2: incidents[1].detected_at - timedelta(minutes=20)}
    return compute(incidents, callers, ALERTS, CATALOG, SOURCES, SINCE, UNTIL, "week")


def two_weeks() -> Metrics:
    incidents = [
        incident(10, "dns", MONDAY + timedelta(days=8), DetectionSource.MONITORING, 4, 2, 30),
        incident(11, "wiki", MONDAY + timedelta(days=9), DetectionSource.CUSTOMER, 10, 6),
    ]
    return compute(incidents, {}, ALERTS, CATALOG, SOURCES, SINCE, SINCE + timedelta(weeks=2), "week")


@pytest.fixture
def view(qtbot, themed) -> ChartsView:
    chosen: list[str | None] = []
    widget = ChartsView(choose_file=lambda _name, _filter: chosen.pop(0))
    widget.chosen = chosen  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def nan_equal(got: Any, want: list[float | None], scale: float = 1.0) -> None:
    expected = np.array([math.nan if v is None else v * scale for v in want], dtype=float)
    np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=1e-9, equal_nan=True)


def centres(m: Metrics) -> list[float]:
    return [(b.start.timestamp() + b.end.timestamp()) / 2 for b in m.series]


def test_every_chart_holds_the_figures_of_the_range(view) -> None:
    m = three_weeks()
    assert [b.incidents for b in m.series] == [3, 0, 2]  # the hand-made history, as intended
    view.set_metrics(m)
    detection = view.panels["detection"]
    internal = [b.incidents - b.customer_reported for b in m.series]
    customer = [b.customer_reported for b in m.series]
    assert internal == [2, 0, 1] and customer == [1, 0, 1]
    np.testing.assert_allclose(detection.internal_bars.opts["x"], centres(m))
    np.testing.assert_allclose(detection.internal_bars.opts["height"], internal)
    np.testing.assert_allclose(detection.internal_bars.opts["y0"], [0, 0, 0])
    # customers' stacked on top of ours
    np.testing.assert_allclose(detection.customer_bars.opts["y0"], internal)
    np.testing.assert_allclose(detection.customer_bars.opts["height"], customer)
    x, share = detection.share_line.getData()
    np.testing.assert_allclose(x, centres(m))
    nan_equal(share, [b.detected_internally_pct for b in m.series])
    assert detection.goal.value() == 90.0
    assert detection.goal_axis._tickLevels == [[(90.0, f"goal 90{PCT}")]]

    response = view.panels["response"]
    nan_equal(response.mttd_line.getData()[1], [b.mttd_s for b in m.series], 1 / 60)
    nan_equal(response.mtta_line.getData()[1], [b.mtta_s for b in m.series], 1 / 60)
    assert response.mttd_line.getData()[1][0] == pytest.approx(8.0)  # (3 + 20 + 1) / 3 minutes

    fp = view.panels["false_positives"]
    nan_equal(fp.line.getData()[1], [b.false_positive_pct for b in m.series])
    assert fp.line.getData()[1][0] == pytest.approx(50.0)  # #3 of #1 and #3

    coverage = view.panels["coverage"]
    worst = cs.coverage_order(m.by_service)
    assert [s.service for s in worst] == ["vpn", "payments", "dns", "wiki"]
    np.testing.assert_allclose(coverage.bars.opts["width"], [0.0, 50.0, 100.0, 0.0])
    labels = [text for _pos, text in coverage.plot.getAxis("left")._tickLevels[0]]
    assert labels == ["vpn (critical) · UNMONITORED", "payments (critical)", "dns", "wiki · UNMONITORED"]
    values = [t.toPlainText() for t in coverage.values if t.isVisible()]
    # toPlainText gives the no-break space back as a space
    assert values == ["0.0 % of 1", "50.0 % of 2", "100.0 % of 2", "no incidents"]

    figures = {box.caption.text(): (box.value.text(), box.note.text()) for box in view.figures}
    assert figures["Detected internally"] == (f"60.0{PCT}", f"BELOW the 90{PCT} goal")
    assert figures["Incidents"] == ("5", "2 reported by customers")
    assert figures["False positives"][0] == f"33.3{PCT}"  # 1 of the 3 we detected
    assert view.gaps.isVisible() and "vpn (critical)" in view.gaps.text()


def test_new_figures_reuse_the_same_plot_items(view) -> None:
    view.set_metrics(three_weeks())

    def items() -> list[Any]:
        found = []
        for panel in view.panels.values():
            for plot in panel.graphics.ci.items:
                found.extend(getattr(plot, "items", []))
        return found

    before = items()
    assert len(before) >= 10
    second = two_weeks()
    view.set_metrics(second)
    after = items()
    assert len(after) == len(before) and all(a is b for a, b in zip(after, before, strict=True))
    detection = view.panels["detection"]
    np.testing.assert_allclose(detection.internal_bars.opts["height"], [0, 1])  # the new figures
    view.set_metrics(three_weeks())
    assert all(a is b for a, b in zip(items(), before, strict=True))
    np.testing.assert_allclose(detection.internal_bars.opts["height"], [2, 0, 1])


def test_the_range_picker_asks_for_presets_and_custom_days(view, qtbot) -> None:
    asked: list[ChartRange] = []
    view.rangeRequested.connect(asked.append)
    qtbot.mouseClick(view.presets[7], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.presets[90], Qt.MouseButton.LeftButton)
    assert asked == [ChartRange.last(7), ChartRange.last(90)]
    assert view.presets[90].isChecked() and not view.presets[7].isChecked()
    view.from_edit.setDate(QDate(2026, 11, 2))
    view.to_edit.setDate(QDate(2026, 11, 22))
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == ChartRange.between(date(2026, 11, 2), date(2026, 11, 22))
    assert asked[-1].resolve(datetime.now(UTC)) == (SINCE, UNTIL)  # both days included
    assert not any(button.isChecked() for button in view.presets.values())


def test_a_custom_range_that_ends_before_it_starts_is_refused_naming_the_field(view, qtbot) -> None:
    asked: list[ChartRange] = []
    view.rangeRequested.connect(asked.append)
    view.from_edit.setDate(QDate(2026, 11, 20))
    view.to_edit.setDate(QDate(2026, 11, 2))
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert asked == []
    assert view.error.isVisible()
    assert view.error.text() == "To: 2026-11-02 is before From (2026-11-20)"
    view.to_edit.setDate(QDate(2026, 11, 20))  # one day is a range
    qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert asked == [ChartRange.between(date(2026, 11, 20), date(2026, 11, 20))]
    assert not view.error.isVisible()


@pytest.mark.parametrize("name", ["detection", "response", "coverage", "false_positives"])
def test_each_chart_exports_a_png_that_reads_back(view, qtbot, tmp_path, name) -> None:
    view.set_metrics(three_weeks())
    path = tmp_path / f"{name}.png"
    view.chosen.append(str(path))
    qtbot.mouseClick(view.panels[name].buttons["png"], Qt.MouseButton.LeftButton)
    image = QImage(str(path))
    assert not image.isNull()
    panel = view.panels[name]
    assert image.width() == panel.width() and 250 < image.height() < panel.height()  # no buttons
    assert (
        len({image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}) > 20
    )
    assert view.hover.text() == f"Saved {path}"


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.reader(source))


def number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def test_each_chart_exports_its_figures_as_csv(view, tmp_path) -> None:
    m = three_weeks()
    view.set_metrics(m)
    files = {}
    for name in view.panels:
        files[name] = tmp_path / f"{name}.csv"
        view.chosen.append(str(files[name]))
        assert view.export(name, "csv") == files[name]

    header, *rows = read_csv(files["detection"])
    assert header[:6] == [
        "bucket_start", "bucket_end", "incidents", "detected_internally", "customer_reported",
        "detected_internally_pct",
    ]  # fmt: skip
    assert [r[0] for r in rows] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    for row, bucket in zip(rows, m.series, strict=True):
        assert int(row[2]) == bucket.incidents and int(row[4]) == bucket.customer_reported
        assert int(row[3]) == bucket.incidents - bucket.customer_reported
        assert number(row[5]) == pytest.approx(bucket.detected_internally_pct, abs=1e-3)

    header, *rows = read_csv(files["response"])
    assert header == ["bucket_start", "bucket_end", "incidents", "mttd_min", "mtta_min"]
    for row, bucket in zip(rows, m.series, strict=True):
        for cell, seconds in ((row[3], bucket.mttd_s), (row[4], bucket.mtta_s)):
            assert number(cell) == (None if seconds is None else pytest.approx(seconds / 60, abs=1e-3))

    header, *rows = read_csv(files["coverage"])
    assert header[0] == "service" and len(rows) == len(m.by_service)
    by_name = {s.service: s for s in m.by_service}
    for row in rows:
        s = by_name[row[0]]
        assert row[1:5] == [str(s.critical).lower(), str(s.monitored).lower(), str(s.incidents),
                            str(s.customer_reported)]  # fmt: skip
        want = s.detected_internally_pct
        assert number(row[5]) == (None if want is None else pytest.approx(want, abs=1e-3))
    assert rows[0][:3] == ["vpn", "true", "false"]

    header, *rows = read_csv(files["false_positives"])
    assert header == ["bucket_start", "bucket_end", "incidents", "false_positive_pct"]
    assert [number(r[3]) for r in rows] == [pytest.approx(50.0), None, pytest.approx(0.0)]
    for path in files.values():  # numbers only: no unit in any cell
        assert "%" not in path.read_text() and "min" not in path.read_text().split("\n", 1)[1]


class Unprintable:
    def __str__(self) -> str:
        raise ValueError("no text")


def test_an_export_that_cannot_be_written_says_so_and_a_cancel_writes_nothing(view, tmp_path) -> None:
    view.set_metrics(three_weeks())
    view.chosen.append(None)
    assert view.export("coverage", "csv") is None
    assert not view.error.isVisible()
    target = tmp_path / "missing" / "coverage.csv"
    view.chosen.append(str(target))
    assert view.export("coverage", "csv") is None
    assert view.error.isVisible()
    assert view.error.text().startswith(
        f"Could not save the coverage per service chart to {target}: No such file"
    )
    target = tmp_path / "coverage.csv"
    target.write_text("kept")
    view.chosen.append(str(target))
    view.panels["coverage"].table = lambda: (["service"], [[Unprintable()]])  # type: ignore[method-assign]
    with pytest.raises(ValueError, match="no text"):  # a bug is not swallowed; what was there stays
        view.export("coverage", "csv")
    assert target.read_text() == "kept" and [p.name for p in tmp_path.iterdir()] == ["coverage.csv"]


def test_hovering_a_bucket_or_a_service_reads_out_its_figures(view, qtbot) -> None:
    m = three_weeks()
    view.set_metrics(m)
    qtbot.wait(1)  # the layout settles before mapping points to the screen
    detection = view.panels["detection"]
    first = m.series[0]
    scene = detection.counts.vb.mapViewToScene(QPointF(centres(m)[0], 1.0))
    detection.graphics.scene().sigMouseMoved.emit(scene)
    text = view.hover.text()
    assert text == cs.bucket_text(first, m)
    first_week, second_week = formats.day(date(2026, 11, 2)), formats.day(date(2026, 11, 9))
    assert text.startswith(
        f"week of {first_week}: 3 incidents, 66.7{PCT} internal, 1 by customers, MTTD 8.0 min"
    )
    part = compute([], {}, [], CATALOG, SOURCES, SINCE + timedelta(days=2), UNTIL, "week")
    assert (
        cs.bucket_text(part.series[0], part)
        == f"week of {first_week} (only part of it in the range): no incidents"
    )
    share = detection.share.vb.mapViewToScene(QPointF(centres(m)[1], 50.0))
    assert detection.text_at(share) == f"week of {second_week}: no incidents"

    coverage = view.panels["coverage"]
    row = coverage.plot.vb.mapViewToScene(QPointF(20.0, 0.0))
    coverage.graphics.scene().sigMouseMoved.emit(row)
    assert view.hover.text() == (
        "vpn (critical), UNMONITORED (no source or check maps to it): 1 incident, 1 by customers, "
        f"0.0{PCT} internal, MTTD n/a"
    )
    outside = coverage.plot.vb.mapViewToScene(QPointF(20.0, 40.0))
    coverage.graphics.scene().sigMouseMoved.emit(outside)
    assert view.hover.text().startswith("Point at a bar")


def test_a_loading_error_is_a_line_on_the_view_and_the_last_figures_stay(view) -> None:
    view.set_metrics(three_weeks())
    view.show_error("Could not compute the metrics: database is locked")
    assert view.error.isVisible()
    assert view.error.text().startswith("Could not compute the metrics: database is locked")
    assert "last ones computed" in view.error.text()
    assert view.figures[-1].value.text() == "5"
    view.set_metrics(two_weeks())
    assert not view.error.isVisible()


def test_a_range_with_no_incidents_draws_empty_charts(view) -> None:
    empty = compute([], {}, [], CATALOG, SOURCES, SINCE, UNTIL, "week")
    view.set_metrics(empty)
    view.grab()
    x, _y = view.panels["response"].mttd_line.getData()
    assert x is None or len(x) == 0  # nothing known: no line
    np.testing.assert_allclose(view.panels["detection"].internal_bars.opts["height"], [0, 0, 0])
    assert view.figures[0].value.text() == "n/a" and view.figures[-1].value.text() == "0"
    view.set_metrics(three_weeks())
    assert len(view.panels["response"].mttd_line.getData()[0]) == 3


def test_buckets_the_range_holds_only_part_of_are_hatched(view) -> None:
    day = timedelta(days=1)
    incidents = [
        incident(1, "dns", MONDAY + 3 * day, DetectionSource.MONITORING, 1, 1),
        incident(2, "dns", MONDAY + 9 * day, DetectionSource.MONITORING, 1, 1),
    ]
    m = compute(incidents, {}, ALERTS, CATALOG, SOURCES, MONDAY + 2 * day, UNTIL, "week")
    view.set_metrics(m)
    bars = view.panels["detection"].internal_bars.opts["brushes"]
    assert [b.style() for b in bars] == [Qt.BrushStyle.Dense3Pattern] + [Qt.BrushStyle.SolidPattern] * 2
    assert "Hatched bars" in view.hover.text()


def test_the_wall_look_has_bigger_type_and_no_controls(qtbot, themed) -> None:
    wall = ChartsView(wall=True)
    desk = ChartsView()
    for widget in (wall, desk):
        qtbot.addWidget(widget)
        widget.resize(1920, 1080)
        widget.show()
        widget.set_metrics(three_weeks())
    assert wall.figures[0].value.font().pointSize() >= 1.3 * desk.figures[0].value.font().pointSize()
    assert wall.panels["detection"].title_label.font().pointSize() > 20
    assert wall.panels["coverage"].plot.getAxis("left").style["tickFont"].pointSize() >= 18
    assert not wall.range_bar.isVisible() and not wall.hover.isVisible()
    assert not wall.panels["detection"].button_row.isVisible()
    assert wall.title.text() == "Detection coverage — last 30 days"
    assert wall.minimumSizeHint().width() <= 1920
