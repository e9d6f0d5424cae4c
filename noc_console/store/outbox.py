"""The desk's outbox: calls that could not reach the database wait here, durably, until they can.

A helpdesk agent must never lose a customer's report because the floor's database is away. A call that
cannot be stored goes into a small SQLite file in the user's data directory (owner-only, written with
`synchronous=FULL`, so it is on disk before the form clears), keyed by the call's own UUID. `sync()`
stores each queued call in the database and only then removes it here; a crash between the two finds
the call already stored on the next sync (the UUID makes storing it idempotent), so each call reaches
the database exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from noc_console.domain.calls import CallDraft, CallOutcome
from noc_console.domain.sla import SlaPolicy
from noc_console.store.calls import add_call
from noc_console.store.db import DatabaseUnreachable, Store, first_line
from noc_console.store.lease import db_now

log = logging.getLogger(__name__)
OUTBOX_FILE = "outbox.db"
_DATES = ("received_at", "started_at")


def is_unreachable(exc: BaseException) -> bool:
    """The database could not be reached or went away mid-way: the call is worth queueing."""
    if isinstance(exc, DatabaseUnreachable | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Outbox:
    """Queued calls on this desk. Safe to use from several threads and processes: each operation opens
    its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with suppress(FileExistsError):  # created owner-only before SQLite ever opens it
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS queued ("
                " call_id TEXT PRIMARY KEY, draft TEXT NOT NULL, queued_at TEXT NOT NULL,"
                " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as conn:
            conn.execute("PRAGMA synchronous=FULL")
            yield conn

    def put(self, draft: CallDraft, now: datetime) -> None:
        """Queue a checked call; on disk when this returns. Queueing the same call twice keeps one."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO queued (call_id, draft, queued_at) VALUES (?, ?, ?)",
                (draft.call_id, json.dumps(_to_json(draft), ensure_ascii=False), now.isoformat()),
            )

    def queued(self) -> list[CallDraft]:
        with self._connect() as conn:
            rows = conn.execute("SELECT draft FROM queued ORDER BY queued_at, call_id").fetchall()
        return [_from_json(json.loads(text)) for (text,) in rows]

    def __len__(self) -> int:
        with self._connect() as conn:
            (count,) = conn.execute("SELECT count(*) FROM queued").fetchone()
        return int(count)

    def last_error(self) -> str | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT last_error FROM queued WHERE last_error IS NOT NULL ORDER BY queued_at LIMIT 1"
            ).fetchone()
        return str(row[0]) if row else None

    def remove(self, call_id: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM queued WHERE call_id = ?", (call_id,))

    def note_failure(self, call_id: str, error: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "UPDATE queued SET attempts = attempts + 1, last_error = ? WHERE call_id = ?",
                (error, call_id),
            )


@dataclass
class SyncResult:
    """What one sync did: the calls it stored, how many are still queued, and why it stopped early."""

    stored: list[CallOutcome] = field(default_factory=list)
    left: int = 0
    unreachable: str | None = None  # the database could not be reached: try again later
    # (call ID, why, the error): kept in the outbox, never dropped here
    refused: list[tuple[str, str, BaseException]] = field(default_factory=list)


def sync(
    outbox: Outbox,
    open_store: Callable[[], Store],
    *,
    policy: SlaPolicy,
    aliases: Mapping[str, Sequence[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyncResult:
    """Store every queued call, oldest first; each is removed from the outbox only once committed.
    `progress(done, total)` is told after each call (stored or refused)."""
    result = SyncResult()
    drafts = outbox.queued()
    if not drafts:
        return result
    report = progress or (lambda _done, _total: None)
    report(0, len(drafts))
    try:
        store = open_store()
    except Exception as exc:
        if not is_unreachable(exc):
            raise
        result.unreachable = first_line(exc)
        result.left = len(drafts)
        return result
    try:
        for number, draft in enumerate(drafts, start=1):
            if number > 1:
                report(number - 1, len(drafts))
            try:
                outcome = _store_once(store, draft, policy, aliases)
            except Exception as exc:
                if is_unreachable(exc):
                    result.unreachable = first_line(exc)
                    break
                # A call the database refuses (it cannot be stored as it is): kept, shown, never dropped.
                if isinstance(exc, LookupError | ValueError):  # an unknown incident, a bad field
                    log.info("queued call %s was refused: %s", draft.call_id, first_line(exc))
                else:
                    log.exception("queued call %s was refused", draft.call_id)
                outbox.note_failure(draft.call_id, first_line(exc))
                result.refused.append((draft.call_id, first_line(exc), exc))
                continue
            outbox.remove(draft.call_id)
            result.stored.append(outcome)
        else:
            report(len(drafts), len(drafts))
    finally:
        store.close()
    result.left = len(outbox)
    return result


def _store_once(
    store: Store, draft: CallDraft, policy: SlaPolicy, aliases: Mapping[str, Sequence[str]] | None
) -> CallOutcome:
    for attempt in range(2):
        try:
            with store.session() as session:
                return add_call(session, draft, db_now(session), policy=policy, aliases=aliases)
        except IntegrityError:  # another desk's sync stored this very call at the same moment
            if attempt:
                raise
    raise AssertionError("unreachable")


def _to_json(draft: CallDraft) -> dict[str, Any]:
    data = asdict(draft)
    for key in _DATES:
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def _from_json(data: dict[str, Any]) -> CallDraft:
    for key in _DATES:
        if data.get(key) is not None:
            data[key] = datetime.fromisoformat(data[key])
    return CallDraft(**data)
