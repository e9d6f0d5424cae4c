"""Synthetic checks' runs: written by the poller with the apply of each run, read for the chart and to
rebuild a check's learned latency (domain.latency_baseline) when a poller starts or takes over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from noc_console.domain.latency_baseline import WEEK, WEEKS, Band, LatencyBaseline, bands_over
from noc_console.domain.synthetic import CheckRun
from noc_console.store.models import CheckRunRow

MAX_TEXT = 2_000


@dataclass(frozen=True, slots=True)
class StoredRun:
    """One stored run as a chart reads it."""

    at: datetime
    ok: bool
    total_ms: float | None
    status: int | None
    error: str | None
    slow: str | None
    limit_ms: float | None


def record_run(session: Session, run: CheckRun, slow: str | None = None) -> None:
    """Add one run (in the caller's transaction). `slow` is what was far outside its normal, if anything."""
    notes = [note for note in (run.slow, slow) if note]
    session.add(
        CheckRunRow(
            source=run.check,
            at=run.at,
            minute=int(run.at.timestamp() // 60),
            ok=run.ok,
            total_ms=run.total_ms,
            status=run.status,
            error=run.error[:MAX_TEXT] if run.error else None,
            slow="; ".join(notes)[:MAX_TEXT] if notes else None,
            limit_ms=run.limit_ms,
            steps=[step.as_json() for step in run.steps],
        )
    )


def runs_between(session: Session, source: str, start: datetime, end: datetime) -> list[StoredRun]:
    """A check's runs from `start` to `end`, oldest first."""
    rows = session.execute(
        select(
            CheckRunRow.at, CheckRunRow.ok, CheckRunRow.total_ms, CheckRunRow.status,
            CheckRunRow.error, CheckRunRow.slow, CheckRunRow.limit_ms,
        )
        .where(CheckRunRow.source == source, CheckRunRow.at >= start, CheckRunRow.at <= end)
        .order_by(CheckRunRow.at, CheckRunRow.id)
    )  # fmt: skip
    return [StoredRun(*row) for row in rows]


def load_baseline(session: Session, source: str, now: datetime, weeks: int = WEEKS) -> LatencyBaseline:
    """A check's learned latency rebuilt from its successful runs of the last `weeks` weeks."""
    return LatencyBaseline(weeks).add_all(_first_each_minute(session, source, now - weeks * WEEK, now))


def _first_each_minute(
    session: Session, source: str, start: datetime, end: datetime
) -> list[tuple[datetime, float]]:
    """The first successful run of each minute from `start` to `end` (what a baseline keeps at most),
    thinned in the database: a check every 10 s for four weeks reads 40,320 rows, not 241,920."""
    first = (
        select(func.min(CheckRunRow.id))
        .where(
            CheckRunRow.source == source,
            CheckRunRow.ok.is_(True),
            CheckRunRow.total_ms.is_not(None),
            CheckRunRow.at >= start,
            CheckRunRow.at <= end,
        )
        .group_by(CheckRunRow.minute)
    )
    rows = session.execute(
        select(CheckRunRow.minute, CheckRunRow.total_ms)
        .where(CheckRunRow.id.in_(first))
        .order_by(CheckRunRow.minute)
    )
    return [(datetime.fromtimestamp(minute * 60, UTC), ms) for minute, ms in rows if ms is not None]


@dataclass(frozen=True, slots=True)
class CheckHistory:
    """What the console charts of a check: its runs from `start` to `end` and its learned band each hour."""

    source: str
    start: datetime
    end: datetime
    runs: list[StoredRun]
    bands: list[tuple[datetime, Band]]

    @property
    def limit_ms(self) -> float | None:
        """The static limit on the whole run, as the newest run had it."""
        return self.runs[-1].limit_ms if self.runs else None


def check_history(
    session: Session, source: str, end: datetime, span: timedelta = timedelta(hours=24)
) -> CheckHistory:
    """A check's last `span` of runs, and the band learned from the same hours of the weeks before.

    Only those hours of the earlier weeks are read (index range scans), never the whole history.
    """
    start = end - span
    baseline = LatencyBaseline()
    for week in range(WEEKS, 0, -1):
        window = (start - week * WEEK - timedelta(hours=1), end - week * WEEK + timedelta(hours=1))
        baseline.add_all(_first_each_minute(session, source, *window))
    return CheckHistory(
        source, start, end, _chart_runs(session, source, start, end), bands_over(baseline, start, end)
    )


def _chart_runs(session: Session, source: str, start: datetime, end: datetime) -> list[StoredRun]:
    """The runs a chart draws: every failed or slow one, and the first of each minute of the others
    (a check every 10 s makes 8,640 runs a day; a chart a few hundred pixels wide shows 1,440 as well)."""
    first = (
        select(func.min(CheckRunRow.id))
        .where(CheckRunRow.source == source, CheckRunRow.at >= start, CheckRunRow.at <= end)
        .group_by(CheckRunRow.minute)
    )
    rows = session.execute(
        select(
            CheckRunRow.at, CheckRunRow.ok, CheckRunRow.total_ms, CheckRunRow.status,
            CheckRunRow.error, CheckRunRow.slow, CheckRunRow.limit_ms,
        )
        .where(
            CheckRunRow.source == source,
            CheckRunRow.at >= start,
            CheckRunRow.at <= end,
            CheckRunRow.id.in_(first) | CheckRunRow.ok.is_(False) | CheckRunRow.slow.is_not(None),
        )
        .order_by(CheckRunRow.at, CheckRunRow.id)
    )  # fmt: skip
    return [StoredRun(*row) for row in rows]


def prune_runs(session: Session, before: datetime, batch: int) -> int:
    """Remove at most `batch` runs older than `before`; how many."""
    ids = list(
        session.scalars(
            select(CheckRunRow.id).where(CheckRunRow.at < before).order_by(CheckRunRow.id).limit(batch)
        )
    )
    if ids:
        session.execute(delete(CheckRunRow).where(CheckRunRow.id.in_(ids)))
    return len(ids)
