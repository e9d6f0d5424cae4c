"""The demo's seeded history: deterministic, shaped as written down, consistent, and what the metrics read."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from noc_console.cli import build_parser
from noc_console.config import load_config
from noc_console.demo import history_catalog
from noc_console.demo.actor import DEMO_SERVICES, DEMO_SLA
from noc_console.demo.history import (
    CUSTOMER_SHARE_END,
    CUSTOMER_SHARE_START,
    plan_history,
    seed_history,
)
from noc_console.demo.history_story import PlannedIncident
from noc_console.demo.runner import seed_demo_history, write_demo_config
from noc_console.domain import metrics as pure
from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.sla_ticker import record_breaches
from noc_console.store import Store, open_store
from noc_console.store import metrics as sql
from noc_console.store import repository as repo
from noc_console.store.calls import calls_of
from noc_console.store.models import (
    ActionItemRow,
    AlertRow,
    CallRow,
    CallUpdateRow,
    ChangeRow,
    IncidentRow,
    PostMortemRow,
    SlaBreachRow,
    TimelineRow,
)
from noc_console.store.postmortems import owed_postmortems
from tests.store.test_metrics_sql import assert_same

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
CATALOG = ServiceCatalog(DEMO_SERVICES)
SOURCES = [history_catalog.DEMO_SOURCE, history_catalog.BRANCH_SOURCE]
TABLES = (
    IncidentRow, AlertRow, TimelineRow, CallRow, CallUpdateRow, SlaBreachRow, PostMortemRow, ActionItemRow,
)  # fmt: skip


@pytest.fixture(scope="module")
def year() -> list[dict[str, Any]]:
    """A year's incidents as planned (no database): the distributions are checked on these."""
    return [p.incident for p in plan_history(NOW)]


@pytest.fixture
def store(db_url: str) -> Any:
    opened = open_store(db_url)
    yield opened
    opened.close()


def _seed(store: Store, days: int, **kw: Any) -> int:
    with store.session() as session:
        return seed_history(session, NOW, days=days, **kw)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def _values(row: Any) -> tuple[Any, ...]:
    return tuple(getattr(row, column.key) for column in row.__table__.columns)


def test_the_plan_is_the_same_for_a_seed_and_differs_for_another() -> None:
    first, again = plan_history(NOW, days=20, seed=7), plan_history(NOW, days=20, seed=7)
    assert first == again
    assert [p.incident for p in plan_history(NOW, days=20, seed=8)] != [p.incident for p in first]


def test_a_year_has_the_volume_and_the_weekly_rhythm_written_down(year: list[dict[str, Any]]) -> None:
    # 7 a weekday and 3 a weekend day: about 2,100 a year
    assert 1800 <= len(year) <= 2500
    per_day = Counter(i["detected_at"].date() for i in year)
    weekday = [n for d, n in per_day.items() if d.weekday() < 5]
    weekend = [n for d, n in per_day.items() if d.weekday() >= 5]
    assert statistics.mean(weekday) > 1.8 * statistics.mean(weekend)
    office = [i for i in year if i["detected_at"].weekday() < 5]
    in_hours = sum(8 <= i["detected_at"].hour < 18 for i in office) / len(office)
    assert 0.6 < in_hours < 0.85  # 40 of 54 weighted hours: 74 %
    severities = Counter(i["severity"] for i in year)
    assert 0.05 < severities[Severity.CRITICAL.value] / len(year) < 0.11
    assert 0.35 < severities[Severity.MINOR.value] / len(year) < 0.45


def test_customers_detect_less_as_the_year_goes_on(year: list[dict[str, Any]]) -> None:
    quarter = len(year) // 4

    def customer_share(incidents: list[dict[str, Any]]) -> float:
        return sum(i["detected_by"] == DetectionSource.CUSTOMER.value for i in incidents) / len(incidents)

    first, last = customer_share(year[:quarter]), customer_share(year[-quarter:])
    assert first > last
    # the first quarter averages 20 % to 16.75 %, the last 10.25 % to 7 %
    assert CUSTOMER_SHARE_END + 0.07 < first < CUSTOMER_SHARE_START + 0.03
    assert CUSTOMER_SHARE_END - 0.03 < last < CUSTOMER_SHARE_END + 0.06
    by = Counter(i["detected_by"] for i in year)
    assert by[DetectionSource.SYNTHETIC.value] > 50
    unmonitored = [i for i in year if i["service"] == "webshop"]
    assert unmonitored and all(i["detected_by"] == DetectionSource.CUSTOMER.value for i in unmonitored)


def test_response_times_and_false_positives_are_as_written_down(year: list[dict[str, Any]]) -> None:
    ack = [(i["acknowledged_at"] - i["detected_at"]).total_seconds() for i in year]
    assert 60 <= statistics.median(ack) <= 300
    assert 0.03 < sum(a > 300 for a in ack) / len(ack) < 0.15  # a tail past the 5-minute SLA
    resolve = sorted((i["resolved_at"] - i["detected_at"]).total_seconds() / 60 for i in year)
    assert 25 <= statistics.median(resolve) <= 90
    assert resolve[len(resolve) * 95 // 100] > 120  # some take hours
    internal = [i for i in year if i["detected_by"] != DetectionSource.CUSTOMER.value]
    assert 0.025 < sum(i["false_positive"] for i in internal) / len(internal) < 0.08
    assert not any(i["false_positive"] for i in year if i not in internal)


def test_calls_are_as_written_down() -> None:
    plans = plan_history(NOW, days=120)
    customer = [p for p in plans if p.incident["detected_by"] == DetectionSource.CUSTOMER.value]
    assert customer and all(1 <= len(p.calls) <= 4 for p in customer)
    assert {len(p.calls) for p in customer} == {1, 2, 3, 4}
    called_about = [p for p in plans if p.calls and p not in customer]
    assert called_about  # some we detected, and customers called as well
    assert all(min(c["received_at"] for c in p.calls) > p.incident["detected_at"] for p in called_about)
    before = [
        c for p in plans for c in p.calls if c["started_at"] and c["started_at"] < p.incident["detected_at"]
    ]
    assert len(before) > 20  # callers often say it began before we detected it


def test_critical_services_match_the_demo_config(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path, "http://127.0.0.1:9", "http://127.0.0.1:10"))
    assert config.catalog == CATALOG
    assert {s.name for s in DEMO_SERVICES} == set(history_catalog.SERVICES)
    assert {s.name for s in config.sources} == set(SOURCES)
    for service in DEMO_SERVICES:  # no match labels exactly where the history has no monitoring
        assert (not service.match) == (history_catalog.SERVICES[service.name].source is None)
    assert any(s.critical and not s.match for s in DEMO_SERVICES)


def test_seeding_writes_the_same_rows_for_a_seed(tmp_path: Path) -> None:
    rows = []
    for name in ("a", "b"):
        store = open_store(f"sqlite:///{tmp_path / name}.db")
        try:
            assert _seed(store, 10, seed=11) > 0
            with store.read() as session:
                rows.append([[_values(row) for row in session.scalars(select(t))] for t in TABLES])
        finally:
            store.close()
    assert rows[0] == rows[1]


def test_the_history_is_resolved_ordered_and_consistent(store: Store) -> None:
    seeded = _seed(store, 45)
    with store.read() as session:
        incidents = repo.list_incidents(session, include_resolved=True)
        assert len(incidents) == seeded > 100
        assert repo.list_incidents(session) == []  # none open
        assert repo.list_needs_review(session) == []
        assert session.scalar(select(func.count()).select_from(ChangeRow)) == 0  # not news for live screens
        for incident in incidents:
            calls = calls_of(session, incident.id)
            alerts = repo.alerts_of(session, incident.id)
            timeline = repo.timeline_entries(session, incident.id)
            started = min((c.started_at for c in calls if c.started_at), default=None)
            impact = pure.impact_start(incident, started)
            assert incident.status is IncidentStatus.RESOLVED
            assert impact is not None and incident.acknowledged_at and incident.resolved_at
            assert impact <= incident.detected_at <= incident.acknowledged_at <= incident.resolved_at < NOW
            assert incident.detected_at <= incident.opened_at
            assert (incident.call_count, incident.alert_count) == (len(calls), len(alerts))
            assert incident.first_call_at == min((c.received_at for c in calls), default=None)
            if incident.detected_by is DetectionSource.CUSTOMER:
                assert incident.first_call_at == incident.detected_at
                assert (
                    incident.monitoring_detected_at is None
                    or incident.monitoring_detected_at > incident.detected_at
                )
                assert not pure.detected_internally(incident)
            else:
                assert incident.monitoring_detected_at == incident.detected_at
                assert alerts and min(a.starts_at for a in alerts) == incident.impact_started_at
                assert pure.detected_internally(incident)
            assert all(a.state == "resolved" and a.resolved_at <= incident.resolved_at for a in alerts)
            assert timeline[0].kind == "opened" and timeline[0].at == incident.opened_at
            assert all(e.at < NOW for e in timeline)
            assert [e.at for e in timeline] == sorted(e.at for e in timeline)
            assert all(c.received_at <= incident.resolved_at and c.logged_at >= c.received_at for c in calls)
        finished = session.scalars(select(PostMortemRow).where(PostMortemRow.status == "finished")).all()
        assert finished  # the reports have something to show
        done = {i.id for i in incidents if i.postmortem_done_at is not None}
        assert {pm.incident_id for pm in finished} == done


def test_the_metrics_over_the_history_equal_the_pure_formulas(store: Store) -> None:
    with store.session() as session:  # a rollup cached before the history must not hide it
        sql.refresh_rollup(session, NOW)
    _seed(store, 90)
    since, until = NOW - timedelta(days=90), NOW
    with store.read() as session:
        incidents = repo.list_incidents(session, include_resolved=True)
        first_started: dict[int, datetime] = {}
        alerts = []
        for incident in incidents:
            started = [c.started_at for c in calls_of(session, incident.id) if c.started_at is not None]
            if started:
                first_started[incident.id] = min(started)
            alerts += [
                pure.AlertSeen(a.service, a.source, a.silenced) for a in repo.alerts_of(session, incident.id)
            ]
        want = pure.compute(incidents, first_started, alerts, CATALOG, SOURCES, since, until, "week")
        got = sql.metrics(session, CATALOG, SOURCES, since, until, "week")
    assert_same(got, want)
    assert got.incidents == len(incidents)
    assert got.mttd_s and got.mtta_s and got.mttr_s and got.false_positive_pct is not None
    assert [(g.service, g.kind) for g in got.gaps] == [("webshop", "unmonitored")]
    assert {s.service for s in got.by_service if s.critical and s.monitored} == {
        "payments", "checkout", "database", "dns",
    }  # fmt: skip
    with store.session() as session:
        sql.refresh_rollup(session, NOW)
    with store.read() as session:
        assert_same(sql.metrics(session, CATALOG, SOURCES, since, until, "week"), want)


def test_a_second_call_seeds_nothing(store: Store) -> None:
    assert _seed(store, 5) > 0
    before = _counts(store)
    assert _seed(store, 5) == 0
    assert _seed(store, 30, seed=99) == 0
    assert _counts(store) == before


def test_a_store_with_incidents_gets_no_history(store: Store) -> None:
    with store.session() as session:
        repo.open_customer_incident(
            session, title="Checkout down", service="checkout", severity=Severity.MAJOR, by="desk", now=NOW
        )
    assert _seed(store, 5) == 0
    with store.read() as session:
        assert len(repo.list_incidents(session, include_resolved=True)) == 1


def test_progress_goes_from_zero_to_the_total(store: Store) -> None:
    seen: list[tuple[int, int]] = []
    seeded = _seed(store, 120, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, seeded) and seen[-1] == (seeded, seeded)
    assert len(seen) > 2 and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_year_seeds_in_seconds(store: Store) -> None:
    started = time.perf_counter()
    seeded = _seed(store, 365)
    took = time.perf_counter() - started
    assert 1800 <= seeded <= 2500
    assert took < 30, f"a year took {took:.1f} s"  # a few seconds here; room for a loaded CI machine
    with store.read() as session:
        oldest = session.scalar(select(func.min(IncidentRow.detected_at)))
    assert oldest is not None and NOW - timedelta(days=366) < oldest < NOW - timedelta(days=364)


def test_planned_incidents_keep_their_timeline_pointing_at_their_alerts() -> None:
    plans: list[PlannedIncident] = plan_history(NOW, days=15)
    for plan in plans:
        pointed = {e[4] for e in plan.timeline if e[4] is not None}
        assert pointed <= set(range(len(plan.alerts)))
        assert all(e[1] in ("alert_fired", "alert_cleared") for e in plan.timeline if e[4] is not None)


def test_the_demo_seeds_on_its_first_start_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        live_since = seed_demo_history(store)
        said = capsys.readouterr().out
        with store.read() as session:
            seeded = repo.list_incidents(session, include_resolved=True)
        assert f"seeding a year of history ({len(seeded):,} incidents)…" in said
        assert all(i.detected_at < live_since for i in seeded)
        seed_demo_history(store)  # a second start: nothing to seed, nothing said
        assert "seeding" not in capsys.readouterr().out
    finally:
        store.close()


def test_the_demo_command_takes_no_history() -> None:
    assert build_parser().parse_args(["demo", "--no-history"]).no_history is True
    assert build_parser().parse_args(["demo"]).no_history is False


def test_the_engine_finds_no_breach_of_the_history_left_to_record(store: Store) -> None:
    _seed(store, 60)
    with store.session() as session:
        assert record_breaches(session, SlaPolicy(), NOW) == []
        assert record_breaches(session, DEMO_SLA, NOW) == []  # the demo's short clocks stop the same way
    with store.read() as session:
        owed = owed_postmortems(session, SlaPolicy(), NOW)
    # only what is not yet due (or not finished yet) is left on the lead's list, none of it unwritten and late
    assert all(line.finished or line.due_at > NOW - timedelta(days=3) for line in owed)
