"""The `noc-console poller` process: polls, applies, keeps the lease, until told to stop."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from noc_console.config import Config
from noc_console.domain.incidents import DetectionSource
from noc_console.engine.correlator import SYNTHETIC_SOURCE_TYPES, ApplyResult, apply_snapshot, record_failure
from noc_console.engine.scheduler import BrokenSource, FetchOutcome, PollScheduler, utcnow
from noc_console.secrets import SecretError, get_secret
from noc_console.sources import make_source
from noc_console.sources.base import Source, SourceConfig, SourceCredentialError
from noc_console.store import Store
from noc_console.store import repository as repo

log = logging.getLogger(__name__)
HEARTBEAT_S = 1.0


def lease_seconds(config: Config) -> float:
    """A poller that has not beaten for this long is dead; another takes over within one interval."""
    shortest = min((s.interval_s for s in config.sources), default=10.0)
    return max(5.0, min(15.0, shortest))


def build_sources(configs: Sequence[SourceConfig]) -> list[Source]:
    sources: list[Source] = []
    for config in configs:
        try:
            sources.append(make_source(config, get_secret))
        except SecretError as exc:
            sources.append(BrokenSource(config, SourceCredentialError(config.name, str(exc))))
    return sources


def apply_outcome(store: Store, config: Config, outcome: FetchOutcome, now: datetime) -> ApplyResult:
    """Write one fetch's outcome in one transaction. A failure changes nothing but the source's health."""
    source_config = next(s for s in config.sources if s.name == outcome.source)
    with store.session() as session:
        if outcome.error is not None or outcome.snapshot is None:
            message = outcome.error.message if outcome.error else "no answer"
            record_failure(session, outcome.source, message, now)
            return ApplyResult()
        detected_by = (
            DetectionSource.SYNTHETIC
            if source_config.type in SYNTHETIC_SOURCE_TYPES
            else DetectionSource.MONITORING
        )
        return apply_snapshot(
            session,
            outcome.snapshot,
            now=now,
            rule=config.correlation,
            catalog=config.catalog,
            resolve_after_missed=source_config.resolve_after_missed,
            detected_by=detected_by,
        )


class Poller:
    """Holds the poller lease and polls while it holds it; stands by while another process does."""

    def __init__(
        self,
        store: Store,
        config: Config,
        sources: Sequence[Source] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stop_event = threading.Event()
        self._sources = list(sources) if sources is not None else build_sources(config.sources)
        self.lease_s = lease_seconds(config)

    def _heartbeat(self) -> bool:
        try:
            with self.store.session() as session:
                return repo.take_poller_lease(
                    session, self.holder, os.getpid(), socket.gethostname(), self.clock(), self.lease_s
                )
        except SQLAlchemyError as exc:
            log.error("database unavailable for the heartbeat: %s", exc.__class__.__name__)
            return False

    def run(self) -> None:
        """Poll until `stop_event` is set."""
        scheduler = PollScheduler(self._sources, clock=self.clock)
        holding = False
        last_beat = 0.0
        try:
            while not self.stop_event.is_set():
                if time.monotonic() - last_beat >= HEARTBEAT_S:
                    last_beat = time.monotonic()
                    now_holding = self._heartbeat()
                    if now_holding != holding:
                        log.info(
                            "poller lease %s",
                            "taken: polling" if now_holding else "held elsewhere: standing by",
                        )
                    holding = now_holding
                if holding:
                    scheduler.run_due()
                for outcome in scheduler.results(timeout=min(0.2, scheduler.seconds_to_next_due() or 0.2)):
                    self._apply(outcome)
                if not holding:
                    self.stop_event.wait(0.2)
        finally:
            scheduler.close()
            for outcome in scheduler.results():
                self._apply(outcome)
            self._release()

    def _apply(self, outcome: FetchOutcome) -> None:
        try:
            result = apply_outcome(self.store, self.config, outcome, self.clock())
        except SQLAlchemyError as exc:
            log.error("could not store the fetch of %s: %s", outcome.source, exc.__class__.__name__)
            return
        if outcome.error:
            log.warning("source %s failed: %s", outcome.source, outcome.error.message)
        elif result.opened or result.resolved or result.updated:
            log.info(
                "%s: opened %s, updated %s, resolved %s",
                outcome.source,
                result.opened,
                result.updated,
                result.resolved,
            )

    def _release(self) -> None:
        try:
            with self.store.session() as session:
                repo.release_poller_lease(session, self.holder, self.clock())
        except SQLAlchemyError:
            log.warning("could not release the poller lease; it expires in %.0f s", self.lease_s)
