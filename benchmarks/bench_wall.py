"""Figures for the incident wall and the operator table with 10,000 and 100,000 open incidents. Prints
one JSON object.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/bench_wall.py [--ticks N] [--sizes 10000,100000]

Everything is built in memory (no database): the wall is a WallBoard drawn by a 1920x1080 WallView, the
table an IncidentTableModel in a 1920x1080 IncidentTable (the model itself shown while no filter is
active, the IncidentFilterProxy while one is), as the windows have them. Times are GUI-thread time:
CPU time of this thread (`time.thread_time`), so that other work on a shared machine does not count;
the wall-clock figures are printed beside them (`*_wall_ms`).

- tick: what the wall does each second (re-read the time zone, re-sort the incidents whose clocks
  changed state, ask the alarm rules again, redraw the whole 1920x1080 wall) and each half second
  (redraw the blinking countdowns); one tick per simulated second over `--ticks` seconds.
- apply100: a change set of 100 incidents (40 changed in place, 20 acknowledged, 20 new, 20 resolved)
  applied to the wall and drawn. The same on the operator table (`table_apply100_*`), also with 100
  moves (severity changes), and both again while a filter (critical and major) is active
  (`*_filtered`: the proxy is shown then, and pays O(rows) for every insertion and removal).
- tick_after_change: the tick of a second in which a change set arrived, with the alarm rules' decision
  on its own (`alarm_decide_after_change`): they read the board's index of unacknowledged incidents by
  alarm kind, which each change set keeps up to date (its cost is in apply100).
- table alarm_after_change: what the console does about alarms after each table change set: its index
  of unacknowledged incidents follows the change set, then the alarm rules decide from it.
- filter: a filter text typed and cleared twice (filter_each), drawn; the longest. sort: a click on a
  column header, drawn (the longest of Title, Age descending and back to Severity); sort_by_column:
  then a click on every column in turn, each from the one before, and one on the same column again
  (the other way round); its longest is sort_any_column; sort_filtered: Title while a filter is active.
- snapshot_load: a snapshot of every incident into an empty wall and an empty table, drawn.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from noc_console.domain.alarms import AlarmRules, UnacknowledgedIncidents
from noc_console.domain.filters import IncidentFilter
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.wall import WallBoard
from noc_console.ui.incident_model import Column, IncidentTableModel
from noc_console.ui.incident_table import IncidentTable
from noc_console.ui.theme import apply_theme
from noc_console.ui.wall_view import WallView

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
POLICY = SlaPolicy()
SEVERITIES = list(Severity)
SERVICES = [f"svc-{n}" for n in range(60)]
PROBLEMS = ["Packet loss", "Latency p99 high", "5xx rate above 5 %", "Disk full", "BGP session down"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def make_incident(rng: random.Random, incident_id: int, now: datetime) -> Incident:
    """Detected within the last hour (so many clocks are still running and change state), a third
    acknowledged, one in twenty reported by a customer, some assessed or updated."""
    detected = now - timedelta(seconds=rng.uniform(0, 3600))
    status = IncidentStatus.ACKNOWLEDGED if rng.random() < 0.33 else IncidentStatus.OPEN
    customer = rng.random() < 0.05
    return Incident(
        id=incident_id,
        title=f"{rng.choice(PROBLEMS)} on {rng.choice(SERVICES)} node {incident_id}",
        severity=rng.choice(SEVERITIES),
        status=status,
        service=rng.choice(SERVICES),
        detected_by=DetectionSource.CUSTOMER if customer else DetectionSource.MONITORING,
        source="prod-am",
        opened_at=detected,
        detected_at=detected,
        acknowledged_at=detected + timedelta(minutes=2) if status is IncidentStatus.ACKNOWLEDGED else None,
        acknowledged_by="ana" if status is IncidentStatus.ACKNOWLEDGED else None,
        assessed_at=detected + timedelta(minutes=5) if rng.random() < 0.3 else None,
        call_count=1 if customer else 0,
        alert_count=3,
        firing_count=2,
    )


def p99(samples: list[float]) -> float:
    """The 99th percentile (nearest rank): of 300 samples the third largest, of 50 the largest."""
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2)


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(GUI-thread CPU ms, wall-clock ms) of one call."""
    cpu, wall = time.thread_time(), time.perf_counter()
    work()
    return (time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def change_set(
    rng: random.Random, current: list[Incident], next_id: int, now: datetime, moves_only: bool
) -> tuple[list[Incident], list[int]]:
    picked = rng.sample(current, 100)
    if moves_only:
        return [
            replace(i, severity=rng.choice([s for s in SEVERITIES if s is not i.severity])) for i in picked
        ], []
    changed = [replace(i, firing_count=i.firing_count + 1, title=i.title + ".") for i in picked[:40]]
    changed += [
        replace(i, status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by="bob")
        if i.status is IncidentStatus.OPEN
        else replace(i, severity=Severity.CRITICAL)
        for i in picked[40:60]
    ]
    changed += [make_incident(rng, next_id + n, now) for n in range(20)]
    changed += [replace(i, status=IncidentStatus.RESOLVED, resolved_at=now) for i in picked[60:80]]
    return changed, []


def bench_wall(
    app: QApplication, incidents: list[Incident], ticks: int, rng: random.Random
) -> dict[str, float]:
    board = WallBoard(POLICY, NOW)
    view = WallView(board, POLICY, NOW)
    view.resize(1920, 1080)
    view.set_detection_share(90, 100)
    view.show()
    app.processEvents()

    def load() -> None:
        board.replace_all(incidents)
        view.repaint()

    load_cpu, load_wall = timed(load)
    rules = AlarmRules()
    rules.decide(board.unacknowledged_incidents(), [], None, NOW)
    tick_cpu, tick_wall, blink_cpu, rekeyed = [], [], [], []
    now = NOW
    for _ in range(ticks):
        now += timedelta(seconds=1)

        def second(at: datetime = now) -> None:
            time.tzset()
            board.tick(at)
            rules.decide(board.unacknowledged_incidents(), [], None, at)  # the same tuple: no scan
            view.set_now(at)
            view.repaint()

        cpu, wall = timed(second)
        tick_cpu.append(cpu)
        tick_wall.append(wall)
        rekeyed.append(board.rekeyed)

        def half(at: datetime = now + timedelta(milliseconds=500)) -> None:
            view.set_now(at)
            app.processEvents()  # only the blinking boxes were marked for repaint

        blink_cpu.append(timed(half)[0])
        view.set_now(now)
    # Then 200 seconds as the wall lives them under churn: a change set, then that second's tick, which
    # asks the alarm rules about a new tuple of incidents (they scan all of them).
    apply_cpu, apply_wall, busy_tick_cpu, decide_cpu = [], [], [], []
    live = [i.id for i in board.incidents()]
    next_id = 10_000_000
    for _ in range(200):
        picked = [board.get(incident_id) for incident_id in rng.sample(live, 100)]
        changes, removed = change_set(
            rng, [i for i in picked if i is not None], next_id, now, moves_only=False
        )
        next_id += 100

        def apply(changes: list[Incident] = changes, removed: list[int] = removed) -> None:
            board.apply(changes, removed)
            view.repaint()

        cpu, wall = timed(apply)
        apply_cpu.append(cpu)
        apply_wall.append(wall)
        gone = {i.id for i in changes if not i.is_open}
        live = [i for i in live if i not in gone] + list(range(next_id - 100, next_id - 80))  # the new ones
        now += timedelta(seconds=1)

        def busy_second(at: datetime = now) -> None:
            time.tzset()
            board.tick(at)
            decide_cpu.append(timed(lambda: rules.decide(board.unacknowledged_incidents(), [], None, at))[0])
            view.set_now(at)
            view.repaint()

        busy_tick_cpu.append(timed(busy_second)[0])
    view.close()
    return {
        "tick_p99_ms": p99(tick_cpu),
        "tick_p99_wall_ms": p99(tick_wall),
        "tick_median_ms": round(sorted(tick_cpu)[len(tick_cpu) // 2], 2),
        "blink_p99_ms": p99(blink_cpu),
        "rekeyed_per_tick_max": max(rekeyed),
        "apply100_p99_ms": p99(apply_cpu),
        "apply100_p99_wall_ms": p99(apply_wall),
        "alarm_decide_after_change_p99_ms": p99(decide_cpu),
        "tick_after_change_p99_ms": p99(busy_tick_cpu),
        "snapshot_load_ms": round(load_cpu, 1),
        "snapshot_load_wall_ms": round(load_wall, 1),
        "rows_shown": view.slots,
    }


def bench_table(app: QApplication, incidents: list[Incident], rng: random.Random) -> dict[str, Any]:
    model = IncidentTableModel(POLICY, lambda: NOW)
    table = IncidentTable(model)  # as the window has it: no proxy while no filter is active
    table.resize(1920, 1080)
    table.show()
    app.processEvents()

    unacknowledged = UnacknowledgedIncidents()
    rules = AlarmRules()

    def load() -> None:
        model.replace_all(incidents)
        unacknowledged.replace_all(incidents)
        app.processEvents()

    load_cpu, load_wall = timed(load)
    figures: dict[str, Any] = {
        "snapshot_load_ms": round(load_cpu, 1),
        "snapshot_load_wall_ms": round(load_wall, 1),
    }
    alarm_cpu = []
    next_id = 20_000_000

    def change_sets(label: str, moves_only: bool) -> None:
        nonlocal next_id
        samples = []
        for _ in range(50):
            current = [model.incident_at(r) for r in rng.sample(range(model.rowCount()), 200)]
            changes, removed = change_set(rng, current, next_id, NOW, moves_only)
            next_id += 100

            def apply(changes: list[Incident] = changes, removed: list[int] = removed) -> None:
                model.apply(changes, removed)
                app.processEvents()

            samples.append(timed(apply)[0])

            def alarm(changes: list[Incident] = changes, removed: list[int] = removed) -> None:
                unacknowledged.apply(changes, removed)
                rules.decide(unacknowledged, [], None, NOW)

            alarm_cpu.append(timed(alarm)[0])
        figures[f"{label}_p99_ms"] = p99(samples)

    change_sets("apply100", moves_only=False)
    change_sets("apply100_moves", moves_only=True)
    figures["alarm_after_change_p99_ms"] = p99(alarm_cpu)
    # The same while a filter is active: the proxy is shown, and pays for every insertion and removal.
    louder = IncidentFilter(severities=frozenset({Severity.CRITICAL, Severity.MAJOR}))
    table.set_incident_filter(louder)
    change_sets("apply100_filtered", moves_only=False)
    change_sets("apply100_moves_filtered", moves_only=True)
    table.set_incident_filter(IncidentFilter())
    filters: dict[str, float] = {}
    for text in ("svc-7", "", "node 4", ""):

        def set_filter(text: str = text) -> None:
            table.set_incident_filter(table.incident_filter.with_text(text))
            app.processEvents()

        filters[f"{len(filters)}:{text or 'none'}"] = round(timed(set_filter)[0], 1)
    figures["filter_each_ms"] = filters
    figures["filter_ms"] = max(filters.values())
    sorts = []
    for column, order in (
        (Column.TITLE, Qt.SortOrder.AscendingOrder),
        (Column.AGE, Qt.SortOrder.DescendingOrder),
        (Column.SEVERITY, Qt.SortOrder.AscendingOrder),
    ):

        def sort(column: Column = column, order: Qt.SortOrder = order) -> None:
            table.sortByColumn(column, order)
            app.processEvents()

        sorts.append(timed(sort)[0])
    figures["sort_ms"] = round(max(sorts), 1)
    by_column: dict[str, float] = {}
    for column, order in [
        *((c, Qt.SortOrder.AscendingOrder) for c in Column),
        (Column.ALERTS, Qt.SortOrder.DescendingOrder),
    ]:

        def sort(column: Column = column, order: Qt.SortOrder = order) -> None:
            table.sortByColumn(column, order)
            app.processEvents()

        label = column.name.lower() + ("_descending" if order == Qt.SortOrder.DescendingOrder else "")
        by_column[label] = round(timed(sort)[0], 1)
    figures["sort_by_column_ms"] = by_column
    figures["sort_any_column_ms"] = max(by_column.values())
    table.set_incident_filter(louder)

    def sort_filtered() -> None:
        table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
        app.processEvents()

    figures["sort_filtered_ms"] = round(timed(sort_filtered)[0], 1)  # and the proxy filters every row again
    table.set_incident_filter(IncidentFilter())
    table.sortByColumn(Column.SEVERITY, Qt.SortOrder.AscendingOrder)
    ticks = []
    for n in range(60):
        at = NOW + timedelta(seconds=n)
        rows = table.rows_on_screen()

        def tick(at: datetime = at, rows: tuple[int, int] = rows) -> None:
            model.tick(at, rows)
            app.processEvents()  # the view redraws the cells that changed

        ticks.append(timed(tick)[0])
    figures["tick_p99_ms"] = p99(ticks)
    table.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ticks", type=int, default=300, help="simulated seconds of wall ticks per size")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    result: dict[str, object] = {
        "cpu_model": cpu_model(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM"),
        "rows": [],
        "time": "GUI-thread CPU ms (time.thread_time); *_wall_ms: wall clock",
    }
    for size in (int(n) for n in args.sizes.split(",")):
        rng = random.Random(size)
        incidents = [make_incident(rng, n, NOW) for n in range(1, size + 1)]
        tag = f"{size // 1000}k"
        gc.collect()
        wall = bench_wall(app, incidents, args.ticks, rng)
        gc.collect()
        table = bench_table(app, incidents, rng)
        result["rows"].append(size)  # type: ignore[attr-defined]
        result[f"tick_p99_ms_{tag}"] = wall["tick_p99_ms"]
        result[f"apply100_p99_ms_{tag}"] = wall["apply100_p99_ms"]
        result[f"filter_ms_{tag}"] = table["filter_ms"]
        result[f"snapshot_load_ms_{tag}"] = max(wall["snapshot_load_ms"], table["snapshot_load_ms"])
        result[f"sort_ms_{tag}"] = table["sort_ms"]
        result[f"sort_any_column_ms_{tag}"] = table["sort_any_column_ms"]
        result[f"table_apply100_p99_ms_{tag}"] = table["apply100_p99_ms"]
        result[f"table_apply100_moves_p99_ms_{tag}"] = table["apply100_moves_p99_ms"]
        result[f"table_apply100_filtered_p99_ms_{tag}"] = table["apply100_filtered_p99_ms"]
        result[f"table_apply100_moves_filtered_p99_ms_{tag}"] = table["apply100_moves_filtered_p99_ms"]
        result[f"alarm_decide_after_change_p99_ms_{tag}"] = wall["alarm_decide_after_change_p99_ms"]
        result[f"tick_after_change_p99_ms_{tag}"] = wall["tick_after_change_p99_ms"]
        result[f"table_alarm_after_change_p99_ms_{tag}"] = table["alarm_after_change_p99_ms"]
        result[f"wall_{tag}"] = wall
        result[f"table_{tag}"] = table
    print(json.dumps(result))


if __name__ == "__main__":
    main()
