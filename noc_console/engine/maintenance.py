"""Maintenance windows at the Alertmanagers: the lease holder silences each active window's service at
every Alertmanager source, and expires the silence when an operator ends the window early.

Reading what to do, calling Alertmanager and recording the outcome are three steps, so no database
lock is held across a network call. A failed call keeps its error on the silence's row (shown in the
console) and is retried at the next sync; nothing is dropped. A window that runs its full time needs
no call: its silence ends at Alertmanager at the same moment (endsAt).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from sqlalchemy.exc import SQLAlchemyError

from noc_console.config import Config
from noc_console.domain.maintenance import silence_comment, silence_matchers
from noc_console.secrets import SecretError, get_secret
from noc_console.sources.alertmanager_silences import create_silence, expire_silence
from noc_console.sources.base import SourceConfig, SourceError
from noc_console.store import Store
from noc_console.store import lease as leases
from noc_console.store.lease import db_now
from noc_console.store.maintenance import (
    SILENCE_ACTIVE,
    SILENCE_EXPIRED,
    SILENCE_FAILED,
    expire_lapsed_silences,
    record_silence,
    silence_work,
)

log = logging.getLogger(__name__)

SILENCE_SYNC_S = 5.0  # how often the lease holder brings the silences in line with the windows
SILENCING_TYPES = frozenset({"alertmanager"})

FenceTuple = tuple[str, int]


@dataclass
class SyncReport:
    created: list[tuple[int, str, str]] = field(default_factory=list)  # window, source, silence id
    expired: list[tuple[int, str, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # window, source, error


def silencing_sources(config: Config) -> list[SourceConfig]:
    return [s for s in config.sources if s.type in SILENCING_TYPES]


def _password(source: SourceConfig) -> str | None:
    return get_secret(source.credential_name) if source.username else None


def _holds(store: Store, fence: FenceTuple | None) -> bool:
    if fence is None:
        return True
    with store.read() as session:
        return leases.holds_lease(session, fence[0], fence[1])


def sync_silences(
    store: Store,
    config: Config,
    fence: FenceTuple | None,
    http: requests.Session,
    *,
    only_expire: bool = False,
    now: datetime | None = None,
) -> SyncReport:
    """Create the silences active windows lack and expire those of windows ended early; record each
    outcome. `only_expire`: the expiry half only (anyone may expire; only the lease holder creates)."""
    report = SyncReport()
    sources = {s.name: s for s in silencing_sources(config)}
    if not sources or not _holds(store, fence):
        return report
    with store.session() as session:
        at = now or db_now(session)
        expire_lapsed_silences(session, at)
        work = silence_work(session, list(sources), at)
    for window, name, silence_id in work.expire:
        source = sources[name]
        try:
            expire_silence(http, source, silence_id, password=_password(source))
        except (SourceError, SecretError) as exc:
            _record(store, window.id, name, at, state=SILENCE_ACTIVE, error=_message(exc))
            report.failed.append((window.id, name, _message(exc)))
            continue
        _record(store, window.id, name, at, state=SILENCE_EXPIRED)
        report.expired.append((window.id, name, silence_id))
    if only_expire:
        return report
    for window, name in work.create:
        source = sources[name]
        if not _holds(store, fence):
            break
        try:
            silence_id = create_silence(
                http,
                source,
                silence_matchers(window.service, config.catalog, source.service_label),
                starts_at=max(window.starts_at, at),
                ends_at=window.effective_end,
                created_by=window.created_by,
                comment=silence_comment(window),
                password=_password(source),
            )
        except (SourceError, SecretError) as exc:
            _record(store, window.id, name, at, state=SILENCE_FAILED, error=_message(exc))
            report.failed.append((window.id, name, _message(exc)))
            continue
        _record(store, window.id, name, at, state=SILENCE_ACTIVE, silence_id=silence_id)
        report.created.append((window.id, name, silence_id))
    for window_id, name, error in report.failed:
        log.warning("maintenance window %d: silence at %s failed (retried): %s", window_id, name, error)
    return report


def _message(exc: SourceError | SecretError) -> str:
    return exc.message if isinstance(exc, SourceError) else str(exc)


def _record(
    store: Store, window_id: int, source: str, at: datetime, *, state: str, silence_id: str | None = None,
    error: str | None = None,
) -> None:  # fmt: skip
    try:
        with store.session() as session:
            record_silence(session, window_id, source, at, silence_id=silence_id, state=state, error=error)
    except SQLAlchemyError as exc:
        log.error("could not record the silence of window %d at %s: %s", window_id, source, exc)


class SilenceSync:
    """`sync_silences` as the lease holder's ticker calls it (engine.ticker), on one HTTP session of its
    own; a failure is logged and tried again at the next tick."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self._http: requests.Session | None = None

    def tick(self, fence: FenceTuple) -> None:
        if self._http is None:
            self._http = requests.Session()
            self._http.trust_env = False
        try:
            sync_silences(self.store, self.config, fence, self._http)
        except SQLAlchemyError as exc:
            log.error("could not sync maintenance silences: %s", exc)
        except Exception:
            log.exception("bug while syncing maintenance silences")

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
