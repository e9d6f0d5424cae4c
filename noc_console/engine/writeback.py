"""The write-back worker: carries acknowledges back to the sources, in a thread of the poller process.

Runs only while this process holds the poller lease, every second:

1. jobs move on by what happened to their alerts (store.writeback.plan): an Alertmanager silence whose
   alert cleared is to be expired, one whose alert still fires is extended before it ends;
2. due jobs are claimed and performed outside any transaction, one at a time (a slow source holds up
   only the write-back, never polling); each answer is recorded with the database's clock: done, or
   retried with backoff and jitter, or, after the last attempt, failed and shown on the incident.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from noc_console.domain.writeback import SILENCE_FOR, Step, gives_up, retry_wait
from noc_console.secrets import SecretError, get_secret
from noc_console.sources.acknowledge import (
    AckRequest,
    acknowledge_icinga2,
    acknowledge_nagios,
    acknowledge_zabbix,
    silence_alertmanager,
    unsilence_alertmanager,
)
from noc_console.sources.base import SourceConfig, SourceError
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store import writeback as jobs
from noc_console.store.db import first_line
from noc_console.store.lease import db_now

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)
TICK_S = 1.0
# A silence starts this much before our clock's now: Alertmanager moves a start in its past to its own
# now, so a source whose clock is behind ours by minutes still silences at once.
CLOCK_MARGIN = timedelta(minutes=10)
SecretLookup = Callable[[str], str]


class Done:
    """A performed step: what completes "Acknowledged at <source>", and the silence ID if one."""

    __slots__ = ("remote_id", "what")

    def __init__(self, what: str = "", remote_id: str | None = None) -> None:
        self.what = what
        self.remote_id = remote_id


class Writeback:
    def __init__(
        self,
        store: Store,
        sources: Mapping[str, SourceConfig],
        *,
        secret: SecretLookup = get_secret,
        session: requests.Session | None = None,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[Session], datetime] = db_now,
    ) -> None:
        self.store = store
        self.sources = {name: c for name, c in sources.items() if c.ack_writeback}
        self._secret = secret
        self._session = session
        self._jitter = jitter
        self._now = clock  # the database's clock; a test passes its own
        self._built: dict[str, object] = {}

    def tick(self, fence: tuple[str, int] | None) -> int:
        """One round (see the module's docstring); how many jobs were performed. `fence` is the lease
        holder and epoch, or None for a test that runs without a lease."""
        try:
            with self.store.read() as session:
                if not jobs.in_use(session):
                    return 0
            with self.store.session() as session:
                if fence is not None and not leases.holds_lease(session, fence[0], fence[1]):
                    return 0
                now = self._now(session)
                jobs.plan(session, now)
                claimed = jobs.claim_due(session, now)
            for job in claimed:
                self._perform_and_record(job)
            return len(claimed)
        except SQLAlchemyError as exc:
            log.error("write-back: %s", first_line(exc))
            return 0

    def _perform_and_record(self, job: jobs.Job) -> None:
        try:
            done = self.perform(job)
            error = None
        except SourceError as exc:
            done, error = None, exc.message
        except SecretError as exc:
            done, error = None, str(exc)
        except Exception as exc:  # a bug for one source must not stop the others: shown, retried
            log.exception("write-back to %s", job.source)
            done, error = None, f"{type(exc).__name__} while writing back (a bug; see the poller's log)"
        with self.store.session() as session:
            now = self._now(session)
            if done is not None:
                jobs.record_success(session, job, now, what=done.what, remote_id=done.remote_id)
                return
            assert error is not None
            retry_in = (
                None if gives_up(job.attempts) else timedelta(seconds=retry_wait(job.attempts, self._jitter))
            )
            jobs.record_failure(session, job, now, error, retry_in=retry_in)
        log.warning("write-back to %s for #%d failed: %s", job.source, job.incident_id, error)

    def perform(self, job: jobs.Job) -> Done:
        """Carry out one step at the job's source; raises SourceError (or SecretError) on failure."""
        config = self.sources.get(job.source)
        if config is None:
            raise SourceError(
                job.source, "ack_writeback is not configured for this source on the polling desk"
            )
        http = self._http()
        ack = AckRequest(
            author=job.requested_by,
            comment=f"Acknowledged in NOC Console: incident #{job.incident_id} {job.incident_title}"[:1000],
            fingerprint=job.fingerprint,
            labels=job.labels,
        )
        password = self._password(config)
        match config.type:
            case "alertmanager":
                if job.step is Step.EXPIRE:
                    if job.remote_id:
                        unsilence_alertmanager(http, config, password, job.remote_id)
                    return Done()
                with self.store.read() as session:
                    now = self._now(session)
                silence = silence_alertmanager(
                    http, config, password, ack, ends_at=now + SILENCE_FOR,
                    now=job.requested_at - CLOCK_MARGIN,
                    silence_id=job.remote_id if job.step is Step.EXTEND else None,
                    look_first=job.step is Step.ACKNOWLEDGE and job.attempts > 1,
                )  # fmt: skip
                return Done(f" (silence {silence})", silence)
            case "icinga2":
                return Done(acknowledge_icinga2(http, config, password, ack))
            case "zabbix":
                from noc_console.sources import make_source
                from noc_console.sources.zabbix import ZabbixSource

                source = self._built.get(config.name)
                if not isinstance(source, ZabbixSource):
                    built = make_source(config, self._secret)
                    assert isinstance(built, ZabbixSource)
                    source = self._built[config.name] = built
                return Done(acknowledge_zabbix(http, source, ack))
            case "nagios":
                return Done(acknowledge_nagios(http, config, password, ack))
        raise SourceError(config.name, f"a {config.type} source cannot take acknowledges")

    def _password(self, config: SourceConfig) -> str | None:
        return self._secret(config.credential_name) if config.username else None

    def _http(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.trust_env = False
        return self._session
