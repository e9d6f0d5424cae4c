"""Pushes on their way from the receiver's threads to the poller's loop, the one writer of the process.

The receiver parses a push on its own thread, `submit`s it and waits (bounded) for the loop to commit
it; the loop takes `batch`es and answers each push through `Push.finish`. The queue is bounded: a burst
beyond it is refused at once (503, the sender retries) instead of piling up work that would stall the
polls. A batch is consecutive pushes of one source whose alerts do not repeat, applied in one
transaction: a burst of pushes costs a few commits, and an alert pushed firing then resolved is still
applied in that order (it opens its incident, then resolves it).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from noc_console.domain.alerts import AlertSnapshot

QUEUE_LIMIT = 256  # pushes waiting for the loop; more are refused with 503
BATCH_LIMIT = 64  # pushes applied in one transaction at most: one batch never holds the loop for long


@dataclass(eq=False)
class Push:
    """One parsed push and, once the loop has dealt with it, the HTTP answer for its sender."""

    snapshot: AlertSnapshot
    status: int = 0
    text: str = ""
    done: threading.Event = field(default_factory=threading.Event)

    def finish(self, status: int, text: str) -> None:
        self.status, self.text = status, text
        self.done.set()


class PushQueue:
    """A bounded queue of pushes; `wake` (set by the loop) ends the loop's wait when one arrives."""

    def __init__(self, limit: int = QUEUE_LIMIT) -> None:
        self.limit = limit
        self.wake: Callable[[], None] | None = None
        self._waiting: deque[Push] = deque()
        self._lock = threading.Lock()
        self.refused = 0  # pushes refused because the queue was full, since start

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)

    def submit(self, snapshot: AlertSnapshot) -> Push | None:
        """Queue a push for the loop; None (nothing queued) when the queue is full."""
        push = Push(snapshot)
        with self._lock:
            if len(self._waiting) >= self.limit:
                self.refused += 1
                return None
            self._waiting.append(push)
        if self.wake is not None:
            self.wake()
        return push

    def batch(self, limit: int = BATCH_LIMIT) -> list[Push]:
        """The oldest waiting pushes that can be applied as one: one source, no alert twice."""
        taken: list[Push] = []
        seen: set[str] = set()
        with self._lock:
            while self._waiting and len(taken) < limit:
                push = self._waiting[0]
                fingerprints = {a.fingerprint for a in push.snapshot.alerts}
                if taken and (push.snapshot.source != taken[0].snapshot.source or fingerprints & seen):
                    break
                taken.append(self._waiting.popleft())
                seen |= fingerprints
        return taken

    def refuse_all(self, status: int, text: str) -> int:
        """Answer every waiting push with `status` (the loop is stopping); how many there were."""
        with self._lock:
            waiting, self._waiting = list(self._waiting), deque()
        for push in waiting:
            push.finish(status, text)
        return len(waiting)


def merged(batch: list[Push]) -> AlertSnapshot:
    """One partial snapshot of a batch's alerts (their fingerprints do not repeat)."""
    first = batch[0].snapshot
    alerts = [alert for push in batch for alert in push.snapshot.alerts]
    return AlertSnapshot.of(first.source, first.fetched_at, alerts, pushed=True)
