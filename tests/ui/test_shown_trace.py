"""NOC_CONSOLE_TRACE_SHOWN: the opt-in record of when each incident's row first entered the table model
(read by benchmarks/bench_end_to_end.py); off, it writes nothing."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.ui.incident_model import TRACE_SHOWN_ENV, IncidentTableModel
from tests.ui.conftest import T0, Clock, make_incident, moved


def traced(path: Path) -> list[tuple[int, float]]:
    return [(int(i), float(t)) for i, t in (line.split() for line in path.read_text().splitlines())]


def test_each_incident_is_traced_once_when_its_row_first_enters_the_model(
    qtmodeltester: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = tmp_path / "shown.txt"
    monkeypatch.setenv(TRACE_SHOWN_ENV, str(trace))
    model = IncidentTableModel(SlaPolicy(ack=timedelta(minutes=5)), Clock(T0))
    qtmodeltester.check(model)

    before = time.time()
    model.replace_all([make_incident(1, Severity.MAJOR), make_incident(2, Severity.MINOR)])
    after = time.time()
    lines = traced(trace)
    assert sorted(i for i, _ in lines) == [1, 2]
    assert all(before <= at <= after for _, at in lines)

    # A row that moves (louder now), leaves and comes back is not shown for the first time again.
    model.apply([moved(make_incident(2, Severity.MINOR), severity=Severity.CRITICAL)])
    model.apply([], [1])
    model.apply([make_incident(1, Severity.MAJOR)])
    assert [i for i, _ in traced(trace)] == [i for i, _ in lines]

    model.apply([make_incident(3, Severity.WARNING)])
    assert [i for i, _ in traced(trace)][len(lines) :] == [3]


def test_nothing_is_written_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    model = IncidentTableModel(SlaPolicy(), Clock(T0))
    model.replace_all([make_incident(1), make_incident(2)])
    assert model._shown_trace is None
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_trace_file_stops_the_trace_not_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(TRACE_SHOWN_ENV, str(tmp_path / "no-such-dir" / "shown.txt"))
    model = IncidentTableModel(SlaPolicy(), Clock(T0))
    model.replace_all([make_incident(1)])
    model.apply([make_incident(2)])
    assert model.rowCount() == 2
    warnings = [r.getMessage() for r in caplog.records if TRACE_SHOWN_ENV in r.getMessage()]
    assert len(warnings) == 1  # said once, then silent
    assert warnings[0].endswith("tracing stops")
