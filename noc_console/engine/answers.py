"""An unchanged answer costs almost nothing: per source, the poller remembers the answer it last applied
in full, and a next answer that is byte for byte the same is neither parsed nor applied.

Such an answer still stamps the source's health (its last success, in one short transaction). What it
skips can be skipped only because applying the same answer again would change nothing: the apply has
no clock of its own except for alerts the answer leaves out (absence is counted per fetch, and they
clear after a wait), so an answer is remembered only when none is left out. It is remembered with the
hold of the lease and the source's settings it was applied under, and with the change feed's position:
an incident of the source changed since by anyone else (an operator's resolve detaches its alerts, and
they must open a new incident at the next fetch) sends the next answer through the full apply. A failed
fetch or write forgets it; memory only, so a restart forgets everything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from noc_console.engine.correlator import record_unchanged
from noc_console.engine.scheduler import FetchOutcome
from noc_console.sources.base import SourceConfig, SourceError, Unchanged
from noc_console.store.feed import incident_changed_for_source, latest_change_seq
from noc_console.store.maintenance import held_services_at

if TYPE_CHECKING:
    from noc_console.engine.poller import Fence

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Applied:
    """The answer a source's last full apply came from, and what that apply was made under."""

    source: str
    digest: str
    fence: Fence | None  # the hold of the poller lease it was written under
    config: SourceConfig  # the source's settings it was parsed and applied with
    seen: int  # the change feed's newest number before the apply read the store
    own: tuple[int, int] | None = None  # the numbers of the apply's own changes
    held: frozenset[str] = frozenset()  # the services in maintenance it was applied under

    def matches(self, unchanged: Unchanged, fence: Fence | None, config: SourceConfig) -> bool:
        """Whether `unchanged` is this answer, under the same hold of the lease and the same settings."""
        return unchanged.digest == self.digest and fence == self.fence and config == self.config


class AnswerMemory:
    """The last answer applied in full, per source."""

    def __init__(self) -> None:
        self._applied: dict[str, Applied] = {}

    def digest(self, source: str) -> str | None:
        """What the next fetch of `source` may compare its answer with (read by the scheduler)."""
        applied = self._applied.get(source)
        return applied.digest if applied is not None else None

    def take(self, source: str) -> Applied | None:
        """The remembered answer, forgotten until a write puts it (or a newer one) back."""
        return self._applied.pop(source, None)

    def keep(self, applied: Applied) -> None:
        self._applied[applied.source] = applied

    def clear(self) -> None:
        self._applied.clear()


def stamp_unchanged(session: Session, applied: Applied, now: datetime) -> int | None:
    """Record a successful fetch of `applied`'s answer again: the source's health only.

    Returns the change feed's position the answer is now current at; None (and nothing written) when
    an incident of the source changed since the apply, so that the answer must be applied in full.
    Changes numbered later than the position read here commit later too (store.feed), so the next
    check starts from it and misses none.
    """
    if held_services_at(session, now) != applied.held:
        return None  # a window began or ended: alerts it held (or will hold) are planned afresh
    latest = latest_change_seq(session)
    if incident_changed_for_source(session, applied.source, applied.seen, latest, skip=applied.own):
        return None
    return latest if record_unchanged(session, applied.source, now) else None


def parse_after_all(outcome: FetchOutcome) -> FetchOutcome:
    """An unchanged answer that must be applied in full after all: parsed now, as the fetch would have."""
    unchanged = outcome.unchanged
    if unchanged is None:
        return outcome
    try:
        snapshot = unchanged.parse()
    except SourceError as exc:
        return FetchOutcome(outcome.source, outcome.finished_at, error=exc)
    except Exception as exc:
        log.exception("bug while parsing %s", outcome.source)
        error = SourceError(outcome.source, f"internal error ({type(exc).__name__})")
        return FetchOutcome(outcome.source, outcome.finished_at, error=error)
    return FetchOutcome(outcome.source, outcome.finished_at, snapshot=snapshot)
