"""Synthetic checks' runs in the store: written with their apply, read back for the chart and to rebuild
the learned latency, judged by the poller from memory or from the store after a takeover, and pruned
with the retention. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from noc_console.config import Config
from noc_console.domain import AlertSnapshot
from noc_console.domain.latency_baseline import MIN_SAMPLES
from noc_console.domain.synthetic import CheckRun, CheckStep, HttpCheck, StepResult, run_alerts
from noc_console.engine.poller import Poller, apply_outcome
from noc_console.engine.scheduler import FetchOutcome
from noc_console.sources.base import SourceConfig
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.check_runs import check_history, load_baseline, record_run, runs_between
from noc_console.store.models import CheckRunRow, IncidentRow
from noc_console.store.retention import prune_batch

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CHECK = HttpCheck(steps=(CheckStep("request", expect_status=(200,)),), service="checkout")
SETTINGS = SourceConfig(name="shop", type="http_check", url="http://127.0.0.1:9/", check=CHECK)
CONFIG = Config(path=None, sources=(SETTINGS,))


def a_run(at: datetime, ms: float, status: int = 200) -> CheckRun:
    error = None if status == 200 else f"HTTP {status} (expected 200)"
    return CheckRun("shop", at, (StepResult("request", status, ms, error),), ms)


def outcome(run: CheckRun) -> FetchOutcome:
    snapshot = AlertSnapshot.of("shop", run.at, run_alerts(CHECK, run, "shop"))
    return FetchOutcome("shop", run.at, snapshot=replace(snapshot, check_run=run))


def usual_mondays(store: Store, weeks: int = 4, per_week: int = 5) -> None:
    """Monday runs from 09:20 on, of the last `weeks` weeks, about 400 ms each."""
    with store.session() as session:
        for week in range(weeks, 0, -1):
            for minute in range(per_week):
                at = MONDAY_9 - timedelta(weeks=week) + timedelta(minutes=20 + minute)
                record_run(session, a_run(at, 390.0 + minute * 5))


def test_runs_are_stored_and_read_back(store: Store) -> None:
    failing = a_run(MONDAY_9, 120.0, status=503)
    with store.session() as session:
        record_run(session, a_run(MONDAY_9 - timedelta(minutes=1), 400.0))
        record_run(session, failing, "ignored when given")
    with store.read() as session:
        runs = runs_between(session, "shop", MONDAY_9 - timedelta(hours=1), MONDAY_9)
        other = runs_between(session, "elsewhere", MONDAY_9 - timedelta(hours=1), MONDAY_9)
        steps = session.scalars(sa.select(CheckRunRow.steps).order_by(CheckRunRow.id)).all()
    assert [(r.ok, r.total_ms, r.status, r.error) for r in runs] == [
        (True, 400.0, 200, None), (False, 120.0, 503, "request: HTTP 503 (expected 200)"),
    ]  # fmt: skip
    assert runs[0].at == MONDAY_9 - timedelta(minutes=1) and other == []
    assert steps[1] == [{"name": "request", "status": 503, "ms": 120.0, "error": "HTTP 503 (expected 200)"}]


def test_the_baseline_is_rebuilt_from_successful_runs_only(store: Store) -> None:
    usual_mondays(store)
    with store.session() as session:
        record_run(session, a_run(MONDAY_9 - timedelta(weeks=1, minutes=-30), 30_000.0, status=504))
    with store.read() as session:
        band = load_baseline(session, "shop", MONDAY_9 + timedelta(minutes=20)).band(MONDAY_9)
    assert band is not None and band.samples == 20 and band.median_ms == 400.0


def test_poll_once_judges_a_slow_run_against_the_stored_history(store: Store) -> None:
    """`apply_outcome` (what `poll --once` uses) has no memory: it rebuilds the baseline from the store."""
    usual_mondays(store)
    result = apply_outcome(
        store, CONFIG, outcome(a_run(MONDAY_9 + timedelta(minutes=20), 1900.0)), None, MONDAY_9
    )
    (opened,) = result.opened
    with store.read() as session:
        (incident,) = repo.get_incidents(session, [opened])
        stored = runs_between(session, "shop", MONDAY_9, MONDAY_9 + timedelta(hours=1))
    assert incident is not None
    assert incident.title == "shop: 1.9 s, usually 400 ms at this hour"
    assert incident.severity.value == "warning" and incident.detected_by.value == "synthetic"
    assert [(r.ok, r.slow) for r in stored] == [(True, "shop: 1.9 s, usually 400 ms at this hour")]


def test_too_little_history_judges_nothing(store: Store) -> None:
    usual_mondays(store, weeks=1, per_week=MIN_SAMPLES - 1)
    result = apply_outcome(
        store, CONFIG, outcome(a_run(MONDAY_9 + timedelta(minutes=20), 9000.0)), None, MONDAY_9
    )
    assert result.opened == []


def test_the_poller_keeps_the_baseline_in_memory_and_forgets_it_on_a_new_hold(store: Store) -> None:
    usual_mondays(store)
    poller = Poller(store, CONFIG, sources=[], holder="poller-1")
    assert poller.keeper.beat() is not None
    at = MONDAY_9 + timedelta(minutes=20)
    poller.apply(outcome(a_run(at, 410.0)), at)
    kept = poller.baselines["shop"]
    band = kept.band(at)
    assert band is not None and band.samples == 21  # the stored 20 and this run
    # a run that fails the check is an incident of its own (critical); its latency teaches nothing
    failed = poller.apply(outcome(a_run(at + timedelta(minutes=1), 5.0, status=500)), at)
    assert failed.opened and poller.baselines["shop"] is kept
    band = kept.band(at)
    assert band is not None and band.samples == 21
    with store.read() as session:
        titles = session.scalars(sa.select(IncidentRow.title).where(IncidentRow.id.in_(failed.opened))).all()
    assert titles == ["shop: HTTP 500 (expected 200)"]
    poller._follow_fence(None)  # lost the lease: whatever it remembers may be stale
    assert poller.baselines == {}


def test_runs_are_pruned_with_the_retention(store: Store) -> None:
    with store.session() as session:
        for day in range(5):
            record_run(session, a_run(MONDAY_9 - timedelta(days=day * 100), 400.0))
    with store.session() as session:
        pruned = prune_batch(session, MONDAY_9 - timedelta(days=150), batch=2)
    assert pruned.check_runs == 2 and pruned.more_left(2)
    with store.session() as session:
        assert prune_batch(session, MONDAY_9 - timedelta(days=150), batch=2).check_runs == 1
    with store.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(CheckRunRow)) == 2


def test_a_run_is_stored_on_the_database_clock(store: Store) -> None:
    """The poller's clock runs 7 minutes ahead: the chart, which reads up to the database's now, must
    still show its newest run."""
    ahead = a_run(MONDAY_9 + timedelta(minutes=7), 400.0)
    apply_outcome(store, CONFIG, outcome(ahead), None, MONDAY_9)
    with store.read() as session:
        (stored,) = runs_between(session, "shop", MONDAY_9 - timedelta(hours=1), MONDAY_9)
    assert stored.at == MONDAY_9


def test_the_chart_reads_one_run_a_minute_but_every_failed_or_slow_one(store: Store) -> None:
    """A check every 10 s: the chart's history keeps the first run of each minute, and every run that
    failed or was slow; the band is learned from the same thinning of earlier weeks."""
    with store.session() as session:
        for week in (2, 1, 0):
            for second in range(0, 600, 10):  # ten minutes at 10 s, 60 runs
                at = MONDAY_9 - timedelta(weeks=week) + timedelta(seconds=second)
                if week == 0 and second == 130:
                    record_run(session, a_run(at, 90.0, status=502))
                elif week == 0 and second == 250:
                    record_run(session, a_run(at, 2400.0), "shop: 2.4 s, usually 400 ms at this hour")
                else:
                    record_run(session, a_run(at, 400.0))
    with store.read() as session:
        got = check_history(session, "shop", MONDAY_9 + timedelta(minutes=10))
    assert [r.at for r in got.runs if r.ok and not r.slow] == [
        MONDAY_9 + timedelta(minutes=m) for m in range(10)
    ]
    assert [(r.at, r.ok, r.slow is not None) for r in got.runs if not r.ok or r.slow] == [
        (MONDAY_9 + timedelta(seconds=130), False, False),
        (MONDAY_9 + timedelta(seconds=250), True, True),
    ]
    (band,) = [b for at, b in got.bands if at == MONDAY_9]
    assert band.samples == 20 and band.median_ms == 400.0  # ten a week, from the two weeks before
