"""How long the charts view takes to show a new Metrics and repaint. Prints one JSON object.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/bench_charts.py [--runs 20]

A year of history (seeded): 52 weekly buckets and 40 services, about 4,000 incidents, built in memory
and summed by `domain.metrics.compute` (the database is not measured here; bench_metrics.py does that).
Two such years with different seeds alternate, so that every run changes every figure. One run is
`ChartsView.set_metrics` followed by `QApplication.processEvents()` and `grab()` of the 1920x1080 view
(a full repaint of all four charts and the headline), as the window does on a new range.
`charts_redraw_ms` is the median of `--runs` runs, wall-clock time. Target: at most 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.metrics import AlertSeen, Metrics, compute
from noc_console.domain.severity import Severity

UNTIL = datetime(2026, 11, 30, tzinfo=UTC)  # a Monday: 52 whole weeks before it
SINCE = UNTIL - timedelta(weeks=52)
SOURCES = ("prod-alertmanager", "synthetic-checks")
TARGET_MS = 300.0


def catalog(services: int = 40) -> ServiceCatalog:
    """`services` services; every fifth critical; every seventh with no monitoring at all."""
    return ServiceCatalog(
        tuple(
            ServiceDef(
                f"service-{i:02d}",
                critical=i % 5 == 0,
                match={} if i % 7 == 3 else {"service": f"service-{i:02d}"},
            )
            for i in range(services)
        )
    )


def history(seed: int, services: int = 40, per_week: int = 78) -> tuple[list[Incident], list[AlertSeen]]:
    """A year of incidents: services detected internally 60-99 % of the time (unmonitored ones only by
    customers), MTTD of minutes, MTTA of a few minutes, MTTR of hours, about 4 % false positives."""
    rng = random.Random(seed)
    incidents: list[Incident] = []
    alerts: list[AlertSeen] = []
    for i in range(services):
        if i % 7 != 3:
            alerts.append(AlertSeen(f"service-{i:02d}", SOURCES[0], silenced=False))
    internal_share = {i: 0.0 if i % 7 == 3 else rng.uniform(0.6, 0.99) for i in range(services)}
    span = (UNTIL - SINCE).total_seconds()
    for n in range(per_week * 52):
        service = min(int(rng.expovariate(1 / 9)), services - 1)
        detected = SINCE + timedelta(seconds=rng.uniform(0, span))
        internal = rng.random() < internal_share[service]
        impact = detected - timedelta(seconds=rng.lognormvariate(5.0 if internal else 6.5, 0.8))
        acked = detected + timedelta(seconds=rng.lognormvariate(5.0, 0.7))
        resolved = acked + timedelta(seconds=rng.lognormvariate(8.5, 1.0))
        incidents.append(
            Incident(
                id=n + 1,
                title=f"incident {n + 1}",
                severity=rng.choice(list(Severity)),
                status=IncidentStatus.RESOLVED,
                service=f"service-{service:02d}",
                detected_by=DetectionSource.MONITORING if internal else DetectionSource.CUSTOMER,
                source=SOURCES[0] if internal else None,
                opened_at=detected,
                detected_at=detected,
                acknowledged_at=acked,
                resolved_at=resolved,
                impact_started_at=impact,
                false_positive=internal and rng.random() < 0.04,
            )
        )
    return incidents, alerts


def year_of_metrics(seed: int) -> Metrics:
    incidents, alerts = history(seed)
    return compute(incidents, {}, alerts, catalog(), SOURCES, SINCE, UNTIL, "week")


def measure_redraw_ms(runs: int = 20) -> float:
    """The median time, in ms, for the charts view to take a new year of Metrics and repaint (creates
    the QApplication if there is none; offscreen unless QT_QPA_PLATFORM says otherwise)."""
    from PySide6.QtWidgets import QApplication

    from noc_console.ui.charts import ChartsView
    from noc_console.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    years = (year_of_metrics(1), year_of_metrics(2))
    for m in years:
        assert len(m.series) == 52 and len(m.by_service) == 40, (len(m.series), len(m.by_service))
    view = ChartsView()
    view.resize(1920, 1080)
    view.show()
    view.set_metrics(years[1])
    app.processEvents()
    view.grab()
    times = []
    for run in range(runs):
        started = time.perf_counter()
        view.set_metrics(years[run % 2])
        app.processEvents()
        view.grab()
        times.append((time.perf_counter() - started) * 1000)
    view.close()
    view.deleteLater()
    app.processEvents()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    redraw_ms = measure_redraw_ms(args.runs)
    figures = {
        "benchmark": "charts",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "weeks": 52,
        "services": 40,
        "runs": args.runs,
        "charts_redraw_ms": round(redraw_ms, 1),
        "target_ms": TARGET_MS,
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
