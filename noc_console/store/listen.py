"""Wake-up for followers of the change feed: PostgreSQL LISTEN on a dedicated connection.

Every writing transaction that records a change sends one NOTIFY at commit (store/feed.py), with the
newest sequence number as its small payload. A follower waits here instead of polling, and reads what
changed since its last seen number when woken. Notifications are lost while the connection is down, so
a reconnection wakes the follower too: it re-reads everything after its last seen change and is in step
again at once. SQLite has no such thing: its followers poll the sequence a few times a second.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine

from noc_console.store.db import first_line
from noc_console.store.feed import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
RECONNECT_MAX_S = 2.0


class ChangeListener:
    """`wait(timeout)` returns True when changes may have committed (a NOTIFY, or a reconnection after
    which notifications may have been missed), False when the timeout passed quietly or the database is
    away (`connected` says which). Not thread-safe: one listener per thread."""

    def __init__(self, engine: Engine) -> None:
        self.available = engine.dialect.name == "postgresql"
        self._engine = engine
        self._conn: Any = None
        self.connected = False
        self.last_error: str | None = None
        self._backoff_s = 0.25
        self._retry_at = 0.0

    def wait(self, timeout: float) -> bool:
        if not self.available:
            time.sleep(timeout)
            return False
        if self._conn is None:
            return self._reconnect(timeout)
        try:
            notified = False
            for _notify in self._conn.notifies(timeout=timeout, stop_after=1):
                notified = True
            return notified
        except Exception as exc:  # psycopg.OperationalError and kin: the connection is gone
            self._lost(exc)
            return False

    def _reconnect(self, timeout: float) -> bool:
        pause = self._retry_at - time.monotonic()
        if pause > 0:
            time.sleep(min(pause, timeout))
            return False
        import psycopg

        cargs, cparams = self._engine.dialect.create_connect_args(self._engine.url)
        conn = None
        try:
            conn = psycopg.connect(*cargs, **{**cparams, "autocommit": True, "connect_timeout": 5})
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except Exception as exc:
            if conn is not None:  # connected, but LISTEN failed: this connection must not leak
                conn.close()
            self._lost(exc)
            return False
        self._conn = conn
        if not self.connected:
            log.info("listening for changes on %s", NOTIFY_CHANNEL)
        self.connected = True
        self.last_error = None
        self._backoff_s = 0.25
        return True  # whatever committed while we were away: the follower re-reads from its last seen

    def _lost(self, exc: BaseException) -> None:
        message = first_line(exc)
        if self.connected or self.last_error != message:
            log.warning("change notifications unavailable (%s): reconnecting", message)
        self.connected = False
        self.last_error = message
        self.close()
        self._retry_at = time.monotonic() + self._backoff_s
        self._backoff_s = min(self._backoff_s * 2, RECONNECT_MAX_S)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception as exc:  # closing a broken connection may fail: it is gone either way
                log.debug("closing the listener's connection: %s", exc)
            self._conn = None
