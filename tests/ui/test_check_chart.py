"""The synthetic check's chart in the details pane: the last 24 hours read from a real store (latency,
the learned band per hour, the static limit, failures marked), items reused, shown only for its incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.incidents import DetectionSource
from noc_console.domain.latency_baseline import WEEKS
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.synthetic import CheckRun, StepResult
from noc_console.store import Store, open_store
from noc_console.store.check_runs import CheckHistory, check_history, record_run
from noc_console.ui.check_chart import CheckChart, summary_text
from noc_console.ui.details_pane import DetailsPane
from tests.ui.conftest import make_incident

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def a_run(at: datetime, ms: float, ok: bool = True) -> CheckRun:
    step = StepResult("request", 200 if ok else 503, ms, None if ok else "HTTP 503 (expected 2xx)")
    return CheckRun("shop", at, (step,), ms, limit_ms=2000.0)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_store(f"sqlite:///{tmp_path}/noc.db")
    yield opened
    opened.close()


def fill(store: Store) -> None:
    """Four weeks of 400 ms every 10 minutes, then a last day with a failure and a slow run."""
    with store.session() as session:
        at = NOW - timedelta(weeks=WEEKS, hours=1)
        while at < NOW - timedelta(hours=24):
            record_run(session, a_run(at, 400.0))
            at += timedelta(minutes=10)
        at = NOW - timedelta(hours=24)
        while at <= NOW:
            record_run(session, a_run(at, 420.0))
            at += timedelta(minutes=30)
        record_run(session, a_run(NOW - timedelta(hours=3), 80.0, ok=False))
        record_run(
            session, a_run(NOW - timedelta(hours=2, minutes=10), 1900.0), "shop: 1.9 s, usually 400 ms"
        )


def history(store: Store) -> CheckHistory:
    with store.read() as session:
        return check_history(session, "shop", NOW)


def test_the_history_holds_the_day_and_a_band_per_hour(store: Store) -> None:
    fill(store)
    got = history(store)
    assert got.start == NOW - timedelta(hours=24) and got.limit_ms == 2000.0
    assert len(got.runs) == 49 + 2 and sum(1 for r in got.runs if not r.ok) == 1
    assert len(got.bands) == 25 and all(b.median_ms == 400.0 for _, b in got.bands)
    assert summary_text(got).startswith("51 runs, 1 failed · latest 420 ms · usually 400 ms (band up to ")
    assert summary_text(got).endswith(" · limit 2.0 s")


def test_the_chart_draws_latency_band_limit_and_failures_and_reuses_its_items(
    qtbot: Any, store: Store
) -> None:
    fill(store)
    chart = CheckChart()
    qtbot.addWidget(chart)
    assert chart.isHidden()
    items = (chart.latency, chart.failures, chart.band_high, chart.limit)
    assert all(item in chart.plot.items for item in (*items, chart.slow_marks, chart.median, chart.band))
    got = history(store)
    chart.set_history(got)
    assert not chart.isHidden()
    xs, ys = chart.latency.getData()
    assert len(xs) == 50 and ys.max() == 1900.0  # the failed run has no latency to draw
    assert list(xs) == sorted(xs)
    (slow,) = chart.slow_marks.data  # ringed: far outside its usual band
    assert (slow["x"], slow["y"]) == ((NOW - timedelta(hours=2, minutes=10)).timestamp(), 1900.0)
    (failure,) = chart.failures.data
    assert failure["x"] == (NOW - timedelta(hours=3)).timestamp()
    assert chart.limit.value() == 2000.0 and chart.limit.isVisible()
    bx, by = chart.band_high.getData()
    assert len(bx) == 26 and by[0] == got.bands[0][1].upper_ms
    assert chart.title.text() == "shop: latency, last 24 hours"
    chart.set_history(CheckHistory("shop", got.start, got.end, [], []))
    assert (chart.latency, chart.failures, chart.band_high, chart.limit) == items
    assert len(chart.latency.getData()[0] or []) == 0 and not chart.limit.isVisible()
    assert "still learning what is usual" in chart.summary.text()


def test_the_pane_shows_it_only_for_the_incident_it_was_read_for(qtbot: Any, store: Store) -> None:
    fill(store)
    pane = DetailsPane(SlaPolicy(), [])
    qtbot.addWidget(pane)
    incident = make_incident(7, detected_by=DetectionSource.SYNTHETIC, source="shop")
    pane.show_incident(incident, NOW)
    pane.set_check_history(8, history(store))  # late, for another incident
    assert pane.check_chart is None  # not even made: pyqtgraph waits for a first chart
    pane.set_check_history(7, history(store))
    assert pane.check_chart is not None and not pane.check_chart.isHidden()
    pane.show_incident(make_incident(9), NOW)
    assert pane.check_chart.isHidden() and pane.check_chart.history is None
    pane.show_incident(incident, NOW)
    pane.set_check_history(7, history(store))  # the same chart again, not a second one
    assert not pane.check_chart.isHidden() and len(pane.findChildren(CheckChart)) == 1
