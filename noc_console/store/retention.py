"""What the store keeps: history older than `[store] retention_days` (400 by default) is pruned by the
poller in small batches, each its own short transaction, never one long one that would hold the write
lock the poll needs.

Pruned, when older than the cut-off:
- the timeline entries of incidents resolved before the cut-off;
- those incidents' cleared alerts (once no timeline entry points at them);
- the change feed's entries (a follower further behind than that re-reads everything anyway);
- synthetic checks' runs (their learned latency reads only the last few weeks).
Never pruned: anything of an incident that is open, acknowledged, or resolved after the cut-off; a firing
or detached alert; the incidents themselves (the metrics count them, and their rollup keeps its cells:
nothing they are computed from is removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from noc_console.domain.alerts import AlertState
from noc_console.domain.incidents import IncidentStatus
from noc_console.store.check_runs import prune_runs
from noc_console.store.models import AlertRow, ChangeRow, IncidentRow, TimelineRow, WritebackRow

BATCH = 500  # rows per table per batch: a few milliseconds of writing


@dataclass(frozen=True, slots=True)
class Pruned:
    """How many rows one batch removed, per table."""

    timeline: int = 0
    alerts: int = 0
    changes: int = 0
    check_runs: int = 0

    @property
    def total(self) -> int:
        return self.timeline + self.alerts + self.changes + self.check_runs

    def more_left(self, batch: int) -> bool:
        """Whether a table filled its batch: there may be more to prune."""
        return max(self.timeline, self.alerts, self.changes, self.check_runs) >= batch

    def __add__(self, other: Pruned) -> Pruned:
        return Pruned(
            self.timeline + other.timeline,
            self.alerts + other.alerts,
            self.changes + other.changes,
            self.check_runs + other.check_runs,
        )


def prune_batch(session: Session, before: datetime, batch: int = BATCH) -> Pruned:
    """Remove at most `batch` rows of each kind older than `before` (see the module's rules)."""
    over = (
        select(IncidentRow.id)
        .where(IncidentRow.status == IncidentStatus.RESOLVED.value, IncidentRow.resolved_at < before)
        .scalar_subquery()
    )
    entries = list(
        session.scalars(
            select(TimelineRow.id)
            .where(TimelineRow.at < before, TimelineRow.incident_id.in_(over))
            .order_by(TimelineRow.id)
            .limit(batch)
        )
    )
    if entries:
        session.execute(delete(TimelineRow).where(TimelineRow.id.in_(entries)))
    pointed_at = select(TimelineRow.id).where(TimelineRow.alert_id == AlertRow.id)
    alerts = list(
        session.scalars(
            select(AlertRow.id)
            .where(
                AlertRow.state == AlertState.RESOLVED.value,
                AlertRow.incident_id.in_(over),
                AlertRow.first_seen_at < before,
                ~exists(pointed_at),
            )
            .order_by(AlertRow.id)
            .limit(batch)
        )
    )
    if alerts:
        session.execute(delete(WritebackRow).where(WritebackRow.alert_id.in_(alerts)))
        session.execute(delete(AlertRow).where(AlertRow.id.in_(alerts)))
    # The feed is written in time order: when its oldest entry is recent, nothing is to go, and the
    # search below (which would read the whole feed to find nothing) is not made.
    oldest = session.scalar(select(ChangeRow.at).order_by(ChangeRow.seq).limit(1))
    seqs: list[int] = []
    if oldest is not None and oldest < before:
        query = select(ChangeRow.seq).where(ChangeRow.at < before).order_by(ChangeRow.seq).limit(batch)
        seqs = list(session.scalars(query))
    if seqs:
        session.execute(delete(ChangeRow).where(ChangeRow.seq.in_(seqs)))
    return Pruned(len(entries), len(alerts), len(seqs), prune_runs(session, before, batch))
