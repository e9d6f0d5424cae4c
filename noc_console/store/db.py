"""Engine factory, automatic migrations (with a backup of a SQLite file first) and sessions."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from noc_console.store.models import TimelineRow

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """The database cannot be used (bad URL, unreachable server, failed migration)."""


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use psycopg 3 for them; check the URL parses."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"database.url: {url!r} is not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"database.url: {parsed.get_backend_name()!r} is not supported (sqlite, postgresql)")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys on, busy timeout) or PostgreSQL (psycopg 3)."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; copy a SQLite file aside before changing it."""
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite" and current is not None:
        _backup_sqlite(engine, current)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database migrated from %s to %s", current or "empty", head)


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or not Path(database).exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(f"{database}.{revision}.{stamp}.bak")
    source = sqlite3.connect(database)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    log.info("backed up %s to %s before migrating", database, target.name)
    return target


def _forbid_timeline_edits(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, TimelineRow) and (row in session.deleted or session.is_modified(row)):
            raise StoreError("the incident timeline is append-only")


class Store:
    """A migrated database and a session factory. One per process or thread that needs it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _forbid_timeline_edits)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on normal exit and rolls back on an exception."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, run_migrations: bool = True) -> Store:
    """Connect, migrate to the newest schema, and return the store."""
    from sqlalchemy.exc import OperationalError

    engine = make_engine(url)
    if run_migrations:
        try:
            migrate(engine)
        except OperationalError as exc:
            engine.dispose()
            raise StoreError(f"database: cannot open {engine.url!r}: {exc.orig or exc}") from None
    return Store(engine)
