"""The dead man's switch ([heartbeat]): the lease holder calls a URL every interval, so that a service
outside pages someone when the console hangs or dies.

It runs on a `FencedTicker`, so only the lease holder calls (a standby that called would mask a hung
primary). A thread that runs proves nothing: a call goes out only while the poll loop completes its
turns (`LoopProgress`); once the loop is stuck for `STUCK_AFTER_INTERVALS`, the calls stop and the
service outside alarms. Every outcome is written to the lease row, fenced, for the screens to show; a
failure is logged when it starts or changes, and tried again at the next interval.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from sqlalchemy.exc import SQLAlchemyError

from noc_console.config_heartbeat import HeartbeatConfig
from noc_console.engine.ticker import Fence
from noc_console.paging.base import Outcome
from noc_console.paging.rest import Secret, request
from noc_console.secrets import SecretError
from noc_console.store import Store
from noc_console.store.db import first_line
from noc_console.store.lease import declare_heartbeat, record_heartbeat

log = logging.getLogger(__name__)
STUCK_AFTER_INTERVALS = 2.0  # the poll loop silent this long: hold the heartbeat back


class LoopProgress:
    """When the poll loop last completed a turn, on the monotonic clock; `mark` from the loop, `age_s`
    from any thread."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._at = monotonic()

    def mark(self) -> None:
        with self._lock:
            self._at = self._monotonic()

    def age_s(self) -> float:
        with self._lock:
            return self._monotonic() - self._at


@dataclass(frozen=True, slots=True)
class Beat:
    """One heartbeat due: whether it went out, and why not."""

    sent: bool
    error: str | None = None


def ping(
    session: requests.Session, config: HeartbeatConfig, secret: Callable[[str], str] | None = None
) -> Beat:
    """Call the heartbeat URL once; every failure is a `Beat` with its reason, never an exception.

    With `auth_header`, the credential `heartbeat` goes in it. The error never shows the URL's path or
    query (a Healthchecks.io check's secret) nor the credential.
    """
    headers: dict[str, str] = {}
    hidden: list[Secret] = []
    if config.auth_header is not None:
        if secret is None:
            return Beat(False, f"credential {config.credential_name!r}: no way to look it up")
        try:
            value = secret(config.credential_name).strip()
        except SecretError as exc:
            return Beat(False, str(exc))
        if not value:
            return Beat(False, f"the credential {config.credential_name!r} is empty")
        hidden.append(Secret(value))
        headers[config.auth_header] = f"{config.auth_scheme} {value}" if config.auth_scheme else value
    answer = request(session, config.method, config.url, config.timeout_s, headers=headers, hide=hidden)
    if answer.result.outcome is Outcome.ACCEPTED:
        return Beat(True)
    error = answer.result.error or "no answer"
    return Beat(False, error.replace(config.url, config.safe_url()))


class Heartbeat:
    """The lease holder's heartbeat: `tick(fence)` every interval from a FencedTicker."""

    def __init__(
        self,
        store: Store,
        config: HeartbeatConfig,
        progress: Callable[[], float],
        secret: Callable[[str], str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self._progress = progress
        self._secret = secret
        self._session = session
        self._last_error: str | None = None

    def tick(self, fence: Fence) -> Beat:
        """Call the URL unless the poll loop is stuck; record the outcome under `fence`."""
        stuck_s = self._progress()
        if stuck_s > STUCK_AFTER_INTERVALS * self.config.interval_s:
            beat = Beat(False, f"held back: the poll loop has made no progress for {stuck_s:.0f} s")
        else:
            beat = ping(self._http(), self.config, self._secret)
        self._log(beat)
        self._record(fence, beat)
        return beat

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def _http(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
            self._session.trust_env = False  # no proxy or ~/.netrc unless asked (as the sources)
        return self._session

    def _log(self, beat: Beat) -> None:
        """A heartbeat failing every minute for a day says so once, and again when its reason changes."""
        before, self._last_error = self._last_error, beat.error
        if beat.error is not None and beat.error != before:
            log.warning("heartbeat to %s not sent: %s", self.config.safe_url(), beat.error)
        elif beat.error is None and before is not None:
            log.warning("heartbeat to %s sent again", self.config.safe_url())

    def _record(self, fence: Fence, beat: Beat) -> None:
        holder, epoch = fence
        try:
            with self.store.session() as session:
                recorded = record_heartbeat(
                    session, holder, epoch, self.config.interval_s, sent=beat.sent, error=beat.error
                )
        except SQLAlchemyError as exc:
            log.error("could not record the heartbeat: %s", first_line(exc))
            return
        if not recorded:
            log.info("heartbeat not recorded: this process no longer holds the poller lease")


def declare(store: Store, config: HeartbeatConfig | None, fence: Fence) -> None:
    """Write the holder's heartbeat interval (none: no heartbeat) when it takes the lease, so the
    screens show this holder's heartbeat, not a former holder's."""
    holder, epoch = fence
    try:
        with store.session() as session:
            declare_heartbeat(session, holder, epoch, config.interval_s if config else None)
    except SQLAlchemyError as exc:
        log.error("could not record the heartbeat's settings: %s", first_line(exc))
