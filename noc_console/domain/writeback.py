"""Acknowledge write-back: the rules for carrying an acknowledge back to the alert's source.

Plain data and arithmetic (no I/O): how long a silence lasts and when it is extended, how long to wait
before the next attempt, when to give up, and the words the timeline and the details pane use.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from noc_console.domain.i18n import translate


class Step(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    EXTEND = "extend"  # an Alertmanager silence whose alert still fires, before it ends
    EXPIRE = "expire"  # an Alertmanager silence whose alert cleared


class Status(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"  # the last attempt failed: shown on the incident until someone acts at the source
    CANCELLED = "cancelled"  # the alert cleared before its source took the acknowledge


PENDING = (Status.QUEUED.value, Status.RETRYING.value, Status.SENDING.value)
# The source types an acknowledge can be carried back to.
WRITEBACK_TYPES = frozenset({"alertmanager", "icinga2", "zabbix", "nagios"})
SILENCE_FOR = timedelta(hours=4)  # an acknowledge's silence ends this long after it was set or extended
EXTEND_BEFORE = timedelta(hours=1)  # extended this long before it would end while the alert fires
STALE_SENDING = timedelta(minutes=2)  # a claim older than this was lost with its poller
MAX_ATTEMPTS = 8
FIRST_WAIT_S = 30.0
MAX_WAIT_S = 900.0


def retry_wait(attempts: int, jitter: Callable[[], float] = random.random) -> float:
    """Seconds before attempt `attempts + 1`: 30 s, 1 min, 2 min … up to 15 min, with jitter (so a floor
    of pollers coming back after an outage does not hit a source all at once)."""
    wait = min(MAX_WAIT_S, FIRST_WAIT_S * 2.0 ** max(0, attempts - 1))
    return wait * (0.75 + 0.5 * jitter())


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def wait_text(seconds: float) -> str:
    """A wait in the operator's words: "40 s", "2 min", "15 min"."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def silence_due_for_extension(until: datetime, now: datetime) -> bool:
    return now >= until - EXTEND_BEFORE


@dataclass(frozen=True, slots=True)
class WritebackState:
    """One alert's write-back as the details pane shows it."""

    source: str
    alert: str
    step: Step
    status: Status
    attempts: int
    next_attempt_at: datetime | None
    done_at: datetime | None
    error: str | None
    remote_id: str | None

    def describe(self, now: datetime) -> str:
        """One line: "icinga-prod (disk): acknowledged", "zabbix-prod (cpu): failing (HTTP 500 ...),
        next try in 2 min"."""
        where = f"{self.source} ({self.alert})"
        error = self.error or translate("domain.writeback", "unknown error")
        if self.status is Status.FAILED:
            said = translate("domain.writeback", "{where}: FAILED after {attempts} attempt(s): {error}")
            return said.format(where=where, attempts=self.attempts, error=error)
        if self.status is Status.CANCELLED:
            return translate(
                "domain.writeback", "{where}: not acknowledged (the alert cleared first)"
            ).format(where=where)
        if self.status is Status.DONE and self.step is Step.EXPIRE:
            return translate("domain.writeback", "{where}: silence expired (the alert cleared)").format(
                where=where
            )
        if self.status is Status.DONE and self.remote_id:
            said = translate("domain.writeback", "{where}: acknowledged (silence {id})")
            return said.format(where=where, id=self.remote_id)
        if self.status is Status.DONE:
            return translate("domain.writeback", "{where}: acknowledged").format(where=where)
        if self.status is Status.RETRYING and self.next_attempt_at is not None:
            wait = wait_text(max(0.0, (self.next_attempt_at - now).total_seconds()))
            said = translate("domain.writeback", "{where}: failing ({error}), next try in {wait}")
            return said.format(where=where, error=error, wait=wait)
        return translate("domain.writeback", "{where}: acknowledge pending").format(where=where)
