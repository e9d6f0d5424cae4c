"""Flapping: an alert that fires and clears too often is held in one open incident instead of ringing.

Every change of an alert's state counts: it fires (the first time, or again), or it clears. An alert
that changes more than `threshold` times within `window` is flapping: its incident does not resolve
when it clears, and when it fires again it fires into that same incident (no new incident, no new
alarm, no SLA clock started again). It stops flapping once `window` has passed without a change; an
incident whose alerts are all clear by then resolves as it would have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_FLAP_THRESHOLD = 4  # fired, cleared, fired, cleared, fired again: the fifth change flaps
DEFAULT_FLAP_WINDOW = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class FlapRule:
    """More than `threshold` changes of state within `window` is flapping; `threshold` 0 turns it off."""

    threshold: int = DEFAULT_FLAP_THRESHOLD
    window: timedelta = DEFAULT_FLAP_WINDOW

    @property
    def on(self) -> bool:
        return self.threshold > 0

    def with_change(self, changes: Sequence[datetime], at: datetime) -> tuple[datetime, ...]:
        """`changes` with one more at `at`, oldest first: only those within `window` of the newest, and
        no more than the `threshold + 1` newest (all that deciding needs: what is kept stays small)."""
        kept = sorted((*changes, at))
        newest = kept[-1]
        recent = [change for change in kept if newest - change < self.window]
        return tuple(recent[-(self.threshold + 1) :])

    def flaps(self, changes: Sequence[datetime]) -> bool:
        """Whether these recent changes (as `with_change` keeps them) are too many."""
        return self.on and len(changes) > self.threshold

    def settled(self, changes: Sequence[datetime], now: datetime) -> bool:
        """Whether a flapping alert has been quiet long enough: no change within `window` of `now`."""
        return not changes or now - max(changes) >= self.window

    def describe(self, changes: Sequence[datetime]) -> str:
        """Why it flaps, for the timeline: '5 changes within 20 min'."""
        return f"{len(changes)} changes within {_minutes(self.window)} min"

    def describe_quiet(self) -> str:
        """Why it stopped, for the timeline: 'no change for 20 min'."""
        return f"no change for {_minutes(self.window)} min"


def _minutes(span: timedelta) -> str:
    return f"{span.total_seconds() / 60:g}"
