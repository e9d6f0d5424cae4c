"""The `noc-console poller` process: polls, applies, keeps the lease, until told to stop.

The lease is renewed every second on a thread of its own (`LeaseKeeper`), so a long fetch or apply can
never let it lapse unnoticed. Every apply checks, in its own transaction, that this process still holds
the lease at the epoch it polled under (`Fence`): a late result from a poller that lost the lease is
dropped, never written over the new holder's work. An answer identical to the one a source's last
full apply came from is neither parsed nor applied again (engine.answers).

Pushes (engine.receiver) are applied on the loop too, fenced the same way, as partial snapshots: what a
push names changes, what it leaves out stays. A push forgets its source's remembered answer, so the next
poll is applied in full; a poll that was already under way when a push was applied is older than it, so
the alerts that push named are taken out of that poll's answer (the next poll tells of them again).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from noc_console.config import Config
from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.clock import utcnow
from noc_console.domain.latency_baseline import LatencyBaseline, learned_alert
from noc_console.engine.answers import AnswerMemory, Applied, parse_after_all, stamp_unchanged
from noc_console.engine.correlator import (
    ApplyResult,
    Remembered,
    apply_remembering,
    reconcile_sources,
    record_failure,
)
from noc_console.engine.heartbeat import Heartbeat, LoopProgress, declare
from noc_console.engine.maintenance import SILENCE_SYNC_S, SilenceSync, silencing_sources
from noc_console.engine.pager import TICK_S as PAGER_TICK_S
from noc_console.engine.pager import Pager
from noc_console.engine.pushes import Push, PushQueue, merged
from noc_console.engine.receiver import Receiver
from noc_console.engine.scheduler import BrokenSource, FetchOutcome, PollScheduler
from noc_console.engine.sla_ticker import record_breaches
from noc_console.engine.ticker import FencedTicker
from noc_console.engine.writeback import TICK_S as WRITEBACK_TICK_S
from noc_console.engine.writeback import Writeback
from noc_console.memory import Trimmer
from noc_console.secrets import SecretError, get_secret
from noc_console.sources import SourceError, make_source
from noc_console.sources.base import Source, SourceConfig, SourceCredentialError
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store.check_runs import load_baseline, record_run
from noc_console.store.feed import latest_change_seq, stamp_changes
from noc_console.store.lease import db_now
from noc_console.store.maintenance import held_services_at
from noc_console.store.retention import BATCH, Pruned, prune_batch

log = logging.getLogger(__name__)
HEARTBEAT_S = 1.0
# A poll loop without progress for this many leases is hung: its process stops renewing the lease.
STALLED_AFTER_LEASES = 4
SLA_CHECK_S = 5.0  # how often the lease holder writes newly breached SLA clocks to the timeline
LARGE_APPLY_S = 0.25  # an apply this long leaves freed memory to give back at once (noc_console.memory)
RETENTION_CHECK_S = 600.0  # how often it anonymises callers kept past [helpdesk] retention_days
PUSH_TURN_S = 0.25  # pushes applied per turn of the loop at most for this long: polls keep their cadence


class LeaseLost(Exception):
    """This process no longer holds the poller lease at the epoch it polled under."""


@dataclass(frozen=True, slots=True)
class Fence:
    """A hold on the lease: who, and at which epoch. Writes made under it check it first."""

    holder: str
    epoch: int


def lease_seconds(config: Config) -> float:
    """A poller that has not renewed for this long is presumed dead; another takes over after it."""
    shortest = min((s.interval_s for s in config.sources), default=10.0)
    return max(5.0, min(15.0, shortest))


def new_holder(role: str = "poller") -> str:
    """A lease holder name that says where it runs and is never reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}:{uuid.uuid4().hex[:8]}"


def build_sources(configs: Sequence[SourceConfig]) -> list[Source]:
    """One source per config entry; one that cannot be built fails alone, as its own error."""
    sources: list[Source] = []
    for config in configs:
        try:
            sources.append(make_source(config, get_secret))
        except SecretError as exc:
            sources.append(BrokenSource(config, SourceCredentialError(config.name, str(exc))))
        except SourceError as exc:
            sources.append(BrokenSource(config, exc))
        except Exception as exc:  # a bug in one source's constructor must not stop the others
            log.exception("bug while building source %s", config.name)
            sources.append(
                BrokenSource(config, SourceError(config.name, f"cannot start ({type(exc).__name__})"))
            )
    return sources


class LeaseKeeper:
    """Takes and renews the poller lease every `HEARTBEAT_S` on its own thread.

    `fence` is the current hold, or None while another process holds the lease (or the database is
    away). `beat()` runs one round synchronously (for `poll --once` and tests).

    `stalled`, when given, is how long the work the lease is for (the poll loop) has made no progress:
    past `STALLED_AFTER_LEASES` leases the keeper stops renewing, so that a standby takes over from a
    process whose loop hangs while this thread still runs; it renews again once the loop moves.
    """

    def __init__(
        self,
        store: Store,
        holder: str,
        lease_s: float,
        interval_s: float = HEARTBEAT_S,
        stalled: Callable[[], float] | None = None,
    ) -> None:
        self.store = store
        self.holder = holder
        self.lease_s = lease_s
        self._interval_s = interval_s
        self._stalled = stalled
        self._fence: Fence | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def fence(self) -> Fence | None:
        with self._lock:
            return self._fence

    def beat(self) -> Fence | None:
        stalled_s = self._stalled() if self._stalled is not None else 0.0
        if stalled_s > STALLED_AFTER_LEASES * self.lease_s:
            with self._lock:
                before, self._fence = self._fence, None
            if before is not None:  # not released: the database may be what the loop waits for
                log.error(
                    "the poll loop has made no progress for %.0f s: no longer renewing the poller lease, "
                    "so that a standby takes over",
                    stalled_s,
                )
            return None
        try:
            with self.store.session() as session:
                epoch = leases.take_poller_lease(
                    session, self.holder, os.getpid(), socket.gethostname(), self.lease_s
                )
        except SQLAlchemyError as exc:
            log.error("database unavailable for the lease: %s", _first_line(exc))
            epoch = None
        fence = Fence(self.holder, epoch) if epoch is not None else None
        with self._lock:
            before, self._fence = self._fence, fence
        if fence != before:
            log.info(
                "poller lease %s", f"held (epoch {epoch}): polling" if fence else "not held: standing by"
            )
        return fence

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="lease", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.beat()

    def stop(self) -> None:
        """Stop renewing and give the lease up, so another poller takes over at once."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._lock:
            self._fence = None
        try:
            with self.store.session() as session:
                leases.release_poller_lease(session, self.holder)
        except SQLAlchemyError:
            log.warning("could not release the poller lease; it expires in %.0f s", self.lease_s)


def _first_line(exc: BaseException) -> str:
    """An exception in one line, without the SQL and parameters SQLAlchemy appends."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return f"{type(orig or exc).__name__}: {(text.splitlines() or [''])[0]}"


def _lost(session: Session, fence: Fence | None) -> bool:
    """Whether `fence` no longer holds the poller lease (no fence: nothing to lose)."""
    return fence is not None and not leases.holds_lease(session, fence.holder, fence.epoch)


def apply_outcome(
    store: Store, config: Config, outcome: FetchOutcome, fence: Fence | None, now: datetime | None = None
) -> ApplyResult:
    """Write one fetch's outcome in one transaction, under the lease. A failure changes only health.

    Times are the database's clock unless `now` is given. Raises LeaseLost (nothing written) when
    `fence` no longer holds the lease; SQLAlchemyError when the write itself failed.
    """
    return _apply_outcome(store, config, outcome, fence, now)[0]


@dataclass(frozen=True, slots=True)
class Kept:
    """What one apply leaves for the next of its source: the answer (when an identical next one may
    skip the apply) and the source's live alerts (when they are known as the store holds them)."""

    applied: Applied | None = None
    remembered: Remembered | None = None
    baseline: LatencyBaseline | None = None  # a synthetic check's learned latency, with this run in it


def _apply_outcome(
    store: Store,
    config: Config,
    outcome: FetchOutcome,
    fence: Fence | None,
    now: datetime | None = None,
    remembered: Remembered | None = None,
    baseline: LatencyBaseline | None = None,
) -> tuple[ApplyResult, Kept]:
    """`apply_outcome` from the source's remembered live alerts, and what to keep for the next apply.

    A failed fetch leaves the remembered alerts as they were (it changes no alert). A synthetic check's
    run is judged against its learned latency (`baseline`, rebuilt from the store when not given) and
    stored in the same transaction as its alerts.
    """
    source = next(s for s in config.sources if s.name == outcome.source)
    snapshot = outcome.snapshot
    run = snapshot.check_run if snapshot is not None and source.check is not None else None
    if run is not None and baseline is None:  # read before the write transaction, not under its lock
        with store.read() as reading:
            baseline = load_baseline(reading, source.name, run.at)
    with store.session() as session:
        if _lost(session, fence):
            raise LeaseLost(outcome.source)
        at = now or db_now(session)
        if outcome.error is not None or snapshot is None:
            message = outcome.error.message if outcome.error else "no answer"
            record_failure(session, outcome.source, message, at)
            return ApplyResult(), Kept(remembered=remembered, baseline=baseline)
        if run is not None and source.check is not None and baseline is not None:
            run = replace(run, at=at)  # stored on the database's clock, like every time a screen compares
            learned = learned_alert(source.check, run, source.name, baseline)
            if learned is not None:
                snapshot = replace(snapshot, alerts=(*snapshot.alerts, learned))
            record_run(session, run, learned.summary if learned else None)
        seen = latest_change_seq(session)  # before the apply reads anything
        held = held_services_at(session, at)
        result, known = apply_remembering(
            session,
            snapshot,
            now=at,
            rule=config.correlation,
            catalog=config.catalog,
            rules=source.rules,
            remembered=remembered,
            in_maintenance=held,
        )
        own = stamp_changes(session)  # numbered now, so that the next check can tell them from others'
    known = Remembered(known.alerts, known.seen, own)  # committed: the alerts are as the store holds them
    if baseline is not None and run is not None and run.ok and run.total_ms is not None:
        baseline.add(run.at, run.total_ms)  # committed: the next run is judged against this one too
    if snapshot.digest is None or result.absent or result.flapping:
        return result, Kept(remembered=known, baseline=baseline)
    applied = Applied(outcome.source, snapshot.digest, fence, source, seen, own, held)
    return result, Kept(applied, known, baseline)


def store_outcome(store: Store, config: Config, outcome: FetchOutcome, fence: Fence | None) -> ApplyResult:
    """`apply_outcome`, and when the write fails, that failure recorded as the source's own.

    A payload the database refuses (a byte it cannot store, a constraint) must never leave the source
    green while nothing of it is written: the error goes to the source's health in a fresh transaction.
    """
    return _store_outcome(store, config, outcome, fence)[0]


def _store_outcome(
    store: Store,
    config: Config,
    outcome: FetchOutcome,
    fence: Fence | None,
    kept: Kept | None = None,
    now: datetime | None = None,
) -> tuple[ApplyResult, Kept]:
    """`store_outcome`, and what to keep for the next apply (nothing after any failure to write). With
    `kept.applied`, the outcome's unchanged answer only stamps the source's health, unless the store
    changed under it."""
    source = next(s for s in config.sources if s.name == outcome.source)
    kept = kept or Kept()
    applied = kept.applied
    try:
        if outcome.unchanged is not None and applied and applied.matches(outcome.unchanged, fence, source):
            stamped = _store_unchanged(store, applied, fence, now)
            if stamped is not None:
                return ApplyResult(), Kept(stamped, kept.remembered, kept.baseline)
        return _apply_outcome(
            store, config, parse_after_all(outcome), fence, now, kept.remembered, kept.baseline
        )
    except LeaseLost:
        log.warning(
            "dropped a late result of %s: the poller lease has moved to another process", outcome.source
        )
        return ApplyResult(), Kept()
    except SQLAlchemyError as exc:
        message = f"could not store this fetch: {_first_line(exc)}"
        log.error("%s: %s", outcome.source, message)
    try:
        with store.session() as session:
            if not _lost(session, fence):
                record_failure(session, outcome.source, message, db_now(session))
    except SQLAlchemyError as exc:
        log.error("could not record the failure of %s either: %s", outcome.source, _first_line(exc))
    return ApplyResult(), Kept()


def _store_unchanged(
    store: Store, applied: Applied, fence: Fence | None, now: datetime | None
) -> Applied | None:
    """Stamp the health of a source whose answer is `applied`'s again; None when it needs the full apply."""
    with store.session() as session:
        if _lost(session, fence):
            raise LeaseLost(applied.source)
        position = stamp_unchanged(session, applied, now or db_now(session))
    if position is None:
        return None
    return Applied(applied.source, applied.digest, applied.fence, applied.config, position, held=applied.held)


def reconcile(store: Store, config: Config, fence: Fence | None) -> None:
    """Bring the store's sources in line with the config (health rows, orphaned incidents), fenced.

    A config with no sources at all claims nothing: it is a mistake (or a console's config), and must
    not orphan every incident of the floor.
    """
    if not config.sources:
        log.warning("no sources are configured: the store's sources are left as they are")
        return
    try:
        with store.session() as session:
            if _lost(session, fence):
                return
            orphaned = reconcile_sources(session, config.sources, db_now(session))
    except SQLAlchemyError as exc:
        log.error("could not reconcile the configured sources: %s", _first_line(exc))
        return
    if orphaned:
        log.warning("incidents %s are orphaned: their sources are no longer configured", orphaned)


def check_sla(store: Store, config: Config, fence: Fence | None) -> None:
    """Write newly breached SLA clocks to their incidents' timelines (each once), fenced."""
    try:
        with store.session() as session:
            if _lost(session, fence):
                return
            written = record_breaches(session, config.sla, db_now(session))
    except SQLAlchemyError as exc:
        log.error("could not record SLA breaches: %s", _first_line(exc))
        return
    for breach in written:
        log.info("#%d: %s breached (due %s)", breach.incident_id, breach.clock.label, breach.due_at)


def expire_personal_data(store: Store, config: Config, fence: Fence | None) -> int:
    """Anonymise callers whose calls are older than the retention period (the incident keeps that a
    customer called, and when). Fenced, so one poller does it; returns how many calls."""
    from noc_console.store.calls import anonymise_calls

    try:
        with store.session() as session:
            if _lost(session, fence):
                return 0
            now = db_now(session)
            count = anonymise_calls(session, now, received_before=now - config.helpdesk.retention)
    except SQLAlchemyError as exc:
        log.error("could not anonymise expired callers: %s", _first_line(exc))
        return 0
    if count:
        days = config.helpdesk.retention.total_seconds() / 86400
        log.info("anonymised %d call(s) older than %g days", count, days)
    return count


def prune_history(store: Store, config: Config, fence: Fence | None) -> Pruned | None:
    """One batch of history past `[store] retention_days` removed (store.retention), fenced, in a short
    transaction of its own; None when it could not run."""
    try:
        with store.session() as session:
            if _lost(session, fence):
                return None
            return prune_batch(session, db_now(session) - config.retention)
    except SQLAlchemyError as exc:
        log.error("could not prune history past the retention: %s", _first_line(exc))
        return None


class Poller:
    """Holds the poller lease and polls while it holds it; stands by while another process does."""

    def __init__(
        self,
        store: Store,
        config: Config,
        sources: Sequence[Source] | None = None,
        clock: Callable[[], datetime] = utcnow,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.holder = holder or new_holder()
        self.stop_event = threading.Event()
        self._sources = list(sources) if sources is not None else build_sources(config.sources)
        self.lease_s = lease_seconds(config)
        self.progress = LoopProgress()  # each completed turn of the poll loop: its proof of life
        self.keeper = LeaseKeeper(store, self.holder, self.lease_s, stalled=self.progress.age_s)
        self._last_error: dict[str, str | None] = {}
        self.answers = AnswerMemory()
        # Each source's live alerts as this process's last apply left them: rebuilt from the store after
        # a failed write and whenever the hold of the lease changes (another process may have applied).
        self.remembered: dict[str, Remembered] = {}
        # Each synthetic check's learned latency, rebuilt from the store on the same occasions.
        self.baselines: dict[str, LatencyBaseline] = {}
        self._fenced_under: Fence | None = None
        self.pruning = False  # history past the retention may be left to prune
        self.pruned = Pruned()  # since start, for the log and tests
        self.pushes = PushQueue()
        # Per source, the alerts pushes named and when they were applied (this process's clock): a poll
        # that started before is older news of them.
        self._pushed: dict[str, dict[str, datetime]] = {}

    def run(self) -> None:
        """Poll until `stop_event` is set; then give the lease up."""
        scheduler = PollScheduler(self._sources, clock=self.clock, known_digest=self.answers.digest)
        self.pushes.wake = scheduler.nudge
        polled_under: Fence | None = None
        sla_checked = 0.0
        retention_checked: float | None = None
        self.progress.mark()  # the loop starts now, however long ago this poller was made
        self.keeper.beat()
        self.keeper.start()
        tickers = self._tickers()
        for ticker in tickers:
            ticker.start()
        receiver = self._start_receiver()
        trimmer = Trimmer()
        try:
            while not self.stop_event.is_set():
                fence = self.keeper.fence
                self._follow_fence(fence)
                if fence != polled_under and fence is not None:
                    reconcile(self.store, self.config, fence)  # a new hold: the config is ours
                    declare(self.store, self.config.heartbeat, (fence.holder, fence.epoch))
                polled_under = fence
                if fence is not None:
                    scheduler.run_due()
                    if time.monotonic() - sla_checked >= SLA_CHECK_S:
                        sla_checked = time.monotonic()
                        check_sla(self.store, self.config, fence)
                    if retention_checked is None or time.monotonic() - retention_checked >= RETENTION_CHECK_S:
                        retention_checked = time.monotonic()
                        expire_personal_data(self.store, self.config, fence)
                        self.pruning = True
                    if self.pruning:  # one short batch per turn of the loop until nothing is left
                        self.prune_step(fence)
                wait = min(0.2, scheduler.seconds_to_next_due() or 0.2) if fence else 0.2
                if len(self.pushes):
                    wait = 0.0
                for outcome in scheduler.results(timeout=wait):
                    started = time.monotonic()
                    self.apply(outcome)
                    trimmer.tick(large=time.monotonic() - started > LARGE_APPLY_S)
                self.apply_pushes()
                trimmer.tick()
                self.progress.mark()
        finally:
            if receiver is not None:
                receiver.stop()
            self.pushes.refuse_all(503, "the poller is stopping; retry")
            self.pushes.wake = None
            for ticker in tickers:
                ticker.stop()
            scheduler.close()
            for outcome in scheduler.results():
                self.apply(outcome)
            self.keeper.stop()

    def _tickers(self) -> list[FencedTicker]:
        """The lease holder's work beside polling, each on a thread of its own: paging, acknowledge
        write-back and, when configured, maintenance silences at the Alertmanagers and the heartbeat."""
        sources = {s.name: s for s in self.config.sources}
        tickers = [
            FencedTicker("noc-pager", Pager(self.store, self.config).tick, self._fence, PAGER_TICK_S),
            FencedTicker("noc-writeback", Writeback(self.store, sources).tick, self._fence, WRITEBACK_TICK_S),
        ]
        if silencing_sources(self.config):
            sync = SilenceSync(self.store, self.config)
            tickers.append(
                FencedTicker("noc-silences", sync.tick, self._fence, SILENCE_SYNC_S, after=sync.close)
            )
        settings = self.config.heartbeat
        if settings is not None:
            beat = Heartbeat(self.store, settings, self.progress.age_s, get_secret)
            tickers.append(
                FencedTicker("noc-heartbeat", beat.tick, self._fence, settings.interval_s, after=beat.close)
            )
        return tickers

    def _follow_fence(self, fence: Fence | None) -> None:
        """A new hold of the lease (or none): what this process remembers of the sources may be stale,
        since another process may have applied meanwhile; forget it."""
        if fence != self._fenced_under:
            self.answers.clear()
            self.remembered.clear()
            self.baselines.clear()
            self._fenced_under = fence

    def prune_step(self, fence: Fence | None) -> None:
        """Prune one batch; `pruning` stays set while a batch comes back full."""
        pruned = prune_history(self.store, self.config, fence)
        self.pruning = pruned is not None and pruned.more_left(BATCH)
        if pruned is not None and pruned.total:
            self.pruned += pruned
            if not self.pruning:
                done = self.pruned
                log.info(
                    "pruned history older than %g days: %d timeline entries, %d alerts, %d changes, "
                    "%d check runs",
                    self.config.retention.total_seconds() / 86400, done.timeline, done.alerts, done.changes,
                    done.check_runs,
                )  # fmt: skip

    def _start_receiver(self) -> Receiver | None:
        settings = self.config.receiver
        if settings is None:
            return None
        try:
            receiver = Receiver(self.store, settings.host, settings.port, self.config.paging.providers,
                                get_secret, settings.public_url, sources=self.config.sources,
                                pushes=self.pushes)  # fmt: skip
        except OSError as exc:
            log.error("receiver: cannot listen on %s:%d (%s)", settings.host, settings.port, exc.strerror)
            return None
        receiver.start()
        log.info("receiver listening on %s:%d", settings.host, receiver.port)
        return receiver

    def _fence(self) -> tuple[str, int] | None:
        fence = self.keeper.fence
        return (fence.holder, fence.epoch) if fence is not None else None

    def apply(self, outcome: FetchOutcome, now: datetime | None = None) -> ApplyResult:
        """Write one fetch's outcome as the loop does (tests drive it synchronously, with their `now`)."""
        fence = self.keeper.fence
        if fence is None:
            log.warning("dropped a result of %s: this process does not hold the poller lease", outcome.source)
            return ApplyResult()
        self._follow_fence(fence)  # (`apply` may be driven without the loop)
        outcome = self._without_pushed(outcome)
        taken = Kept(
            self.answers.take(outcome.source),
            self.remembered.pop(outcome.source, None),
            self.baselines.pop(outcome.source, None),
        )
        result, kept = _store_outcome(self.store, self.config, outcome, fence, taken, now)
        if kept.applied is not None:
            self.answers.keep(kept.applied)
        if kept.remembered is not None:
            self.remembered[outcome.source] = kept.remembered
        if kept.baseline is not None:
            self.baselines[outcome.source] = kept.baseline
        # A source that fails every 2 s for a day says so once (and again when its error changes), not
        # 43,200 times: the screens show it failing all along.
        error = outcome.error.message if outcome.error else None
        before = self._last_error.get(outcome.source)
        self._last_error[outcome.source] = error
        if error is not None and error != before:
            log.warning("source %s failed: %s", outcome.source, error)
        elif error is None and before is not None:
            log.warning("source %s answers again", outcome.source)
        if result.opened or result.resolved or result.updated:
            log.info(
                "%s: opened %s, updated %s, resolved %s",
                outcome.source,
                result.opened,
                result.updated,
                result.resolved,
            )
        return result

    # --- pushes ------------------------------------------------------------------------------------
    def apply_pushes(self, budget_s: float = PUSH_TURN_S) -> int:
        """Apply waiting pushes, batch by batch, for up to `budget_s`; how many pushes were answered."""
        started = time.monotonic()
        answered = 0
        while time.monotonic() - started < budget_s:
            batch = self.pushes.batch()
            if not batch:
                break
            self._apply_batch(batch)
            answered += len(batch)
        return answered

    def _apply_batch(self, batch: list[Push]) -> None:
        """One batch in one transaction, fenced; every push in it is answered whatever happens."""
        snapshot = merged(batch)
        status, text, result = 500, "error", ApplyResult()
        try:
            result = self.apply_push(snapshot)
            status, text = 200, ""
        except LeaseLost:
            status, text = 503, "this poller does not hold the lease (standing by); retry"
        except SQLAlchemyError as exc:
            log.error("could not store a push to %s: %s", snapshot.source, _first_line(exc))
            status, text = 503, "could not store it; retry"
        except Exception:
            log.exception("bug while applying a push to %s", snapshot.source)
        finally:
            for push in batch:
                push.finish(status, text or _push_answer(push, result))
        if status == 200 and (result.opened or result.resolved or result.updated):
            log.info("%s (pushed): opened %s, updated %s, resolved %s",
                     snapshot.source, result.opened, result.updated, result.resolved)  # fmt: skip

    def apply_push(self, snapshot: AlertSnapshot, now: datetime | None = None) -> ApplyResult:
        """Apply one partial snapshot as the loop does; LeaseLost (nothing written) without the lease."""
        fence = self.keeper.fence
        if fence is None:
            raise LeaseLost(snapshot.source)
        self._follow_fence(fence)
        source = snapshot.source
        self.answers.take(source)  # the next poll is applied in full: it must see what the push changed
        remembered = self.remembered.pop(source, None)
        outcome = FetchOutcome(source, snapshot.fetched_at, snapshot=snapshot)
        result, kept = _apply_outcome(self.store, self.config, outcome, fence, now, remembered)
        if kept.remembered is not None:
            self.remembered[source] = kept.remembered
        at = self.clock()
        pushed = self._pushed.setdefault(source, {})
        for alert in snapshot.alerts:
            pushed[alert.fingerprint] = at
        return result

    def _without_pushed(self, outcome: FetchOutcome) -> FetchOutcome:
        """A poll's outcome without the alerts pushes named after that poll started (it is older news
        of them); pushes the poll started after are forgotten."""
        pushed = self._pushed.get(outcome.source)
        if not pushed:
            return outcome
        outcome = parse_after_all(outcome)
        snapshot = outcome.snapshot
        if snapshot is None:
            return outcome
        since = snapshot.fetched_at
        newer = {fp for fp, at in pushed.items() if at > since}
        if newer:
            self._pushed[outcome.source] = {fp: pushed[fp] for fp in newer}
            kept = tuple(a for a in snapshot.alerts if a.fingerprint not in newer)
            snapshot = replace(snapshot, alerts=kept, digest=None)  # not the answer as it came
            return FetchOutcome(outcome.source, outcome.finished_at, snapshot=snapshot)
        del self._pushed[outcome.source]
        return outcome


def _push_answer(push: Push, result: ApplyResult) -> str:
    """What a committed push's sender reads: how many alerts it carried, and what its batch changed."""
    return json.dumps({
        "alerts": len(push.snapshot.alerts),
        "opened": result.opened, "updated": result.updated, "resolved": result.resolved,
    })  # fmt: skip
