"""Qt-free poll scheduler: each source on its own interval, at most one fetch in flight per source."""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime

import requests

from noc_console.domain.alerts import AlertSnapshot, with_watchdog
from noc_console.domain.clock import utcnow
from noc_console.sources.base import SkipsUnchanged, Source, SourceConfig, SourceError, Unchanged

log = logging.getLogger(__name__)
WAKE_JUMP_S = 30.0
# A failing source is shown stale at once (domain.health); it is tried at its interval until it has
# failed BACKOFF_AFTER times in a row, then at twice the interval, four times... up to BACKOFF_MAX_S,
# with jitter so that many consoles do not hammer a recovering server in step. One success resets it;
# a wake from sleep tries every source at once.
BACKOFF_AFTER = 3
BACKOFF_MAX_S = 60.0


def retry_delay(interval_s: float, failures: int, jitter: float) -> float:
    """Seconds from the start of a fetch that failed (the `failures`-th in a row) to the next try;
    `jitter` is uniform in [0, 1). Never less than the interval, never more than BACKOFF_MAX_S (or the
    interval, if that is longer)."""
    if failures <= BACKOFF_AFTER:
        return float(interval_s)
    ceiling = max(float(interval_s), BACKOFF_MAX_S)
    base = min(interval_s * 2.0 ** min(failures - BACKOFF_AFTER, 16), ceiling)
    return min(ceiling, max(float(interval_s), base * (0.8 + 0.4 * jitter)))


def http_session(config: SourceConfig) -> requests.Session:
    """One HTTP session per source. It ignores proxy variables and ~/.netrc unless the source says
    `trust_env = true`: a stray netrc entry must not send a password, nor a proxy see our traffic."""
    session = requests.Session()
    session.trust_env = config.trust_env
    return session


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What one fetch of one source produced: a snapshot, an answer identical to the one last applied,
    or the error that stopped it."""

    source: str
    finished_at: datetime
    snapshot: AlertSnapshot | None = None
    error: SourceError | None = None
    unchanged: Unchanged | None = None


class BrokenSource:
    """A source that could not be built (e.g. a missing credential): every fetch reports why."""

    def __init__(self, config: SourceConfig, error: SourceError) -> None:
        self.config = config
        self._error = error

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        raise self._error


def fetch_one(
    source: Source,
    session: requests.Session,
    clock: Callable[[], datetime] = utcnow,
    digest: str | None = None,
) -> FetchOutcome:
    """Run one fetch and turn every failure into an outcome; an unexpected exception is a bug, logged.

    `digest` names the answer last applied: a source that can tell it again leaves it unparsed.
    """
    name, watchdog = source.config.name, source.config.watchdog
    try:
        if digest is not None and isinstance(source, SkipsUnchanged):
            answer = source.fetch_if_changed(session, clock(), digest)
            if isinstance(answer, Unchanged):
                if watchdog:
                    parse = answer.parse
                    answer = replace(answer, parse=lambda: with_watchdog(parse(), watchdog))
                return FetchOutcome(source=name, finished_at=clock(), unchanged=answer)
            snapshot = answer
        else:
            snapshot = source.fetch(session, clock())
        if watchdog:
            snapshot = with_watchdog(snapshot, watchdog)
    except SourceError as exc:
        return FetchOutcome(source=name, finished_at=clock(), error=exc)
    except Exception as exc:
        log.exception("bug while fetching %s", name)
        return FetchOutcome(
            source=name,
            finished_at=clock(),
            error=SourceError(name, f"internal error ({type(exc).__name__})"),
        )
    return FetchOutcome(source=name, finished_at=clock(), snapshot=snapshot)


class PollScheduler:
    """Starts due fetches on a thread pool and hands finished outcomes back in order of completion.

    The caller owns the loop (`run_due()` then `results()`), so the store is written from one thread.
    `poll_all_now()` is the synchronous mode: fetch every source in parallel and wait. `known_digest`
    names, per source, the answer last applied (see engine.answers); read when a fetch starts.
    """

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        session_factory: Callable[[SourceConfig], requests.Session] = http_session,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], datetime] = utcnow,
        known_digest: Callable[[str], str | None] | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._sources = list(sources)
        self._jitter = jitter
        self._failures = {s.config.name: 0 for s in sources}
        self._known_digest = known_digest
        self._sessions = {s.config.name: session_factory(s.config) for s in self._sources}
        self._monotonic = monotonic
        self._clock = clock
        self._next_due = {s.config.name: 0.0 for s in self._sources}
        self._in_flight: set[str] = set()
        self._done: queue.SimpleQueue[FetchOutcome | None] = queue.SimpleQueue()  # None: a nudge
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(self._sources)), thread_name_prefix="fetch")
        self._lock = threading.Lock()
        self._wall_offset = self._clock().timestamp() - self._monotonic()

    def run_due(self) -> list[str]:
        """Start a fetch for every source that is due and has none in flight; return their names."""
        now = self._monotonic()
        self._check_wake(now)
        started = []
        for source in self._sources:
            name = source.config.name
            with self._lock:
                if name in self._in_flight or now < self._next_due[name]:
                    continue
                self._in_flight.add(name)
                self._next_due[name] = now + float(source.config.interval_s)
            self._submit(source, now)
            started.append(name)
        return started

    def seconds_to_next_due(self) -> float:
        now = self._monotonic()
        with self._lock:
            waiting = [due - now for name, due in self._next_due.items() if name not in self._in_flight]
        return max(0.0, min(waiting, default=1.0))

    def results(self, timeout: float = 0.0) -> list[FetchOutcome]:
        """Outcomes finished since the last call; waits up to `timeout` for the first one (or a nudge)."""
        outcomes: list[FetchOutcome] = []
        try:
            first = self._done.get(timeout=timeout) if timeout > 0 else self._done.get_nowait()
        except queue.Empty:
            return outcomes
        if first is not None:
            outcomes.append(first)
        while True:
            try:
                outcome = self._done.get_nowait()
            except queue.Empty:
                return outcomes
            if outcome is not None:
                outcomes.append(outcome)

    def nudge(self) -> None:
        """End the caller's wait in `results()` now (a push is waiting to be applied); any thread."""
        self._done.put(None)

    def poll_all_now(self) -> list[FetchOutcome]:
        """Fetch every source at once, in parallel, and wait for all: `poll --once` and tests."""
        futures = [
            self._pool.submit(fetch_one, s, self._sessions[s.config.name], self._clock) for s in self._sources
        ]
        wait(futures)
        return [f.result() for f in futures]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for session in self._sessions.values():
            session.close()

    def failures(self, name: str) -> int:
        """Failed fetches of source `name` in a row."""
        with self._lock:
            return self._failures.get(name, 0)

    def _submit(self, source: Source, started: float) -> None:
        name = source.config.name
        interval = float(source.config.interval_s)
        digest = self._known_digest(name) if self._known_digest is not None else None
        future = self._pool.submit(fetch_one, source, self._sessions[name], self._clock, digest)

        def finished(done: Future[FetchOutcome]) -> None:
            outcome = None if done.cancelled() else done.result()
            with self._lock:
                self._in_flight.discard(name)
                if outcome is not None and outcome.error is not None:
                    self._failures[name] += 1
                    delay = retry_delay(interval, self._failures[name], self._jitter())
                    self._next_due[name] = max(self._next_due[name], started + delay)
                elif outcome is not None:
                    self._failures[name] = 0
            if outcome is not None:
                self._done.put(outcome)

        future.add_done_callback(finished)

    def _check_wake(self, now: float) -> None:
        """After sleep or suspend the wall clock jumps ahead of the monotonic one: poll everything now."""
        offset = self._clock().timestamp() - now
        if abs(offset - self._wall_offset) > WAKE_JUMP_S:
            log.warning(
                "wall clock jumped %.0f s (sleep or clock change): polling every source now",
                offset - self._wall_offset,
            )
            with self._lock:
                for name in self._next_due:
                    self._next_due[name] = 0.0
        self._wall_offset = offset
