"""The pager: starts escalations, writes each due page once, sends pages, and follows their delivery.

Run by the poller process that holds the lease, in a thread of its own so that a slow vendor never
holds up polling. Every second:

1. an open incident whose acknowledge clock breached starts its automatic policy (once per incident);
2. each running escalation stops when its incident was acknowledged or resolved (from any console, the
   command line or the wall), else writes the pages of every step now due — each once, keyed by
   (escalation, level, target, channel, pass), so a restart neither repeats nor skips one;
3. a vendor holding a trigger of an incident since acknowledged or resolved is told so (once);
4. due pages are claimed and sent, oldest first, outside any transaction; each answer is recorded:
   accepted, retried with exponential backoff and jitter (honouring Retry-After, at most a minute
   apart, so a vendor that answers again gets what queued within two minutes), or failed for good;
5. accepted pages whose vendor reports delivery are checked every 30 s for an hour.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from noc_console.config import Config
from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.paging import Channel, Directory, due_steps, plan_pages, policy_for
from noc_console.domain.sla import ClockKind, breached_clocks
from noc_console.paging import build_provider
from noc_console.paging.base import CHANNELS_OF, Outcome, Page, PageProvider, SendResult
from noc_console.secrets import get_secret
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store import paging as pages
from noc_console.store import repository as repo
from noc_console.store.db import first_line
from noc_console.store.lease import db_now
from noc_console.store.models import PageRow

log = logging.getLogger(__name__)
TICK_S = 1.0
MAX_BACKOFF_S = 60.0
DELIVERY_EVERY = timedelta(seconds=30)
DELIVERY_WITHIN = timedelta(hours=1)


def backoff(attempts: int, retry_after_s: float | None, jitter: Callable[[], float] = random.random) -> float:
    """Seconds before the next attempt: 2, 4, 8 … up to a minute, with jitter, and never sooner than the
    vendor asked (Retry-After, itself capped at ten minutes)."""
    wait = min(MAX_BACKOFF_S, 2.0**attempts) * (0.5 + 0.5 * jitter())
    if retry_after_s is not None:
        wait = max(wait, min(retry_after_s, 600.0))
    return wait


def page_text(incident: Incident) -> str:
    service = f" ({incident.service})" if incident.service else ""
    return (
        f"[{incident.severity.value.upper()}] #{incident.id} {incident.title}{service}. "
        f"Acknowledge in NOC Console or: noc-console ack {incident.id}"
    )


class Pager:
    def __init__(
        self,
        store: Store,
        config: Config,
        providers: Mapping[str, PageProvider] | None = None,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[Session], datetime] = db_now,
    ) -> None:
        self.store = store
        self._now = clock  # the database's clock; a test passes its own
        self.config = config
        self.providers = dict(providers) if providers is not None else {
            p.name: build_provider(p, get_secret) for p in config.paging.providers
        }  # fmt: skip
        self._channels = {p.name: CHANNELS_OF[p.type] for p in config.paging.providers}
        self._jitter = jitter
        self._imported = False

    def tick(self, fence: tuple[str, int] | None) -> None:
        """One round (see the module's docstring); `fence` is the lease holder and epoch, or None for a
        test that runs without a lease."""
        try:
            if self._imported and not self._anything_to_do():
                return  # no policy anywhere, nothing queued: no write transaction every second
            with self.store.session() as session:
                if not self._holds(session, fence):
                    return
                now = self._now(session)
                if not self._imported:
                    paging = self.config.paging
                    shadowed = pages.import_directory(
                        session, paging.people, paging.schedules, paging.policies, now
                    )
                    for name in shadowed:
                        log.warning("%s was edited in the console: the config's entry is not applied", name)
                    self._imported = True
                self._plan(session, now)
            self._send(fence)
            self._follow_deliveries()
        except SQLAlchemyError as exc:
            log.error("pager: %s", first_line(exc))

    def _anything_to_do(self) -> bool:
        with self.store.read() as session:
            return pages.paging_in_use(session)

    def _holds(self, session: Session, fence: tuple[str, int] | None) -> bool:
        return fence is None or leases.holds_lease(session, fence[0], fence[1])

    def _plan(self, session: Session, now: datetime) -> None:
        stored = pages.load_directory(session)
        directory = Directory(stored.people, stored.schedules, self._channels)
        running = pages.running_escalations(session)
        # Paged before (by hand, or a policy that ran its course): never again by itself.
        for incident in pages.never_escalated_unacknowledged(session, now - self.config.sla.ack):
            policy = policy_for(stored.policies, incident, auto_only=True)
            if policy is None or not _ack_breached(incident, self.config, now):
                continue
            escalation, started = pages.start_escalation(session, incident.id, policy, "system", "auto", now)
            if started:
                running.append(escalation)
        escalated = repo.get_incidents(session, {e.incident_id for e in running})
        open_incidents = {i.id: i for i in escalated if i.status is not IncidentStatus.RESOLVED}
        for escalation in running:
            current = open_incidents.get(escalation.incident_id)
            if current is None or current.status is not IncidentStatus.OPEN:
                why = "resolved" if current is None else f"acknowledged by {current.acknowledged_by}"
                pages.stop_escalation(session, escalation.id, why, now)
                continue
            for step in due_steps(escalation.policy, escalation.started_at, now):
                planned = plan_pages(escalation.id, escalation.policy, step, directory, step.due_at)
                pages.queue_pages(session, escalation, planned, now)
            policy = escalation.policy
            if now >= escalation.started_at + policy.cycle * (policy.repeat + 1):  # the last wait is over
                passes = escalation.policy.repeat + 1
                pages.stop_escalation(
                    session, escalation.id, f"ran its course ({passes} pass(es)) without an acknowledge", now
                )
        for incident_id, provider, channel, action in pages.vendor_triggers_to_follow(session):
            pages.queue_vendor_action(session, incident_id, provider, channel, action, now)

    def _send(self, fence: tuple[str, int] | None) -> None:
        with self.store.session() as session:
            if not self._holds(session, fence):
                return
            claimed = pages.claim_due(session, self._now(session))
            incidents = {i.id: i for i in repo.get_incidents(session, {row.incident_id for row in claimed})}
        for row in claimed:
            result = self._deliver(row, incidents.get(row.incident_id))
            with self.store.session() as session:
                now = self._now(session)
                retry_at = None
                if result.outcome is Outcome.RETRY:
                    retry_at = now + timedelta(
                        seconds=backoff(row.attempts, result.retry_after_s, self._jitter)
                    )
                pages.record_attempt(
                    session, row.id, result.outcome.value, now, provider_id=result.provider_id,
                    delivery=result.delivery, error=result.error, retry_at=retry_at,
                )  # fmt: skip

    def _deliver(self, row: PageRow, incident: Incident | None) -> SendResult:
        provider = self.providers.get(row.provider or "")
        if provider is None:
            return SendResult(
                Outcome.FAILED, error=f"provider {row.provider!r} is not configured on this poller"
            )
        if incident is None:
            return SendResult(Outcome.FAILED, error=f"incident #{row.incident_id} is gone")
        try:
            if row.action == "acknowledge":
                return provider.acknowledge(incident.id, incident.title) or SendResult(Outcome.ACCEPTED)
            if row.action == "resolve":
                return provider.resolve(incident.id, incident.title) or SendResult(Outcome.ACCEPTED)
            page = Page(
                key=row.key, incident_id=incident.id, title=incident.title, severity=incident.severity.value,
                service=incident.service, channel=Channel(row.channel), target=row.person or row.target,
                address=row.address, level=row.level or 1, repeat=row.pass_ or 0, text=page_text(incident),
                console_hint=f"noc-console ack {incident.id}",
            )  # fmt: skip
            return provider.send(page)
        except Exception as exc:  # a provider bug must not stop the others: shown, retried
            log.exception("provider %s", row.provider)
            return SendResult(Outcome.RETRY, error=f"{type(exc).__name__} in provider {row.provider}")

    def _follow_deliveries(self) -> None:
        with self.store.read() as session:
            due = pages.deliveries_to_check(session, self._now(session), DELIVERY_EVERY, DELIVERY_WITHIN)
        for row in due:
            provider = self.providers.get(row.provider or "")
            state = provider.delivery(row.provider_id or "") if provider is not None else None
            with self.store.session() as session:
                now = self._now(session)
                if state is None or state.delivery is None:
                    pages.record_delivery(session, row.id, row.delivery or "accepted", None, now)
                else:
                    pages.record_delivery(session, row.id, state.delivery, state.error, now)


def _ack_breached(incident: Incident, config: Config, now: datetime) -> bool:
    return any(clock.kind is ClockKind.ACK for clock in breached_clocks(incident, config.sla, now))
