"""Engine factory, sessions (writers begin IMMEDIATE on SQLite), migrations under a lock, and a backup.

Schema policy (`open_store(..., schema=...)`):
- "auto" (the command line, the poller): SQLite is brought up to date (one seat: nobody else to ask),
  after a backup of the file; PostgreSQL gets its tables created when the schema is empty, but an older
  schema is refused with the command that upgrades it (`noc-console migrate`, run once by the floor's
  admin), so thirty consoles starting at once never race to alter a shared schema.
- "migrate": `noc-console migrate` and tests: upgrade whatever the backend.
- "check": never changes the schema; the GUI's follower uses it when it (re)connects.
Every path refuses a database written by a newer release, before touching it. Migrations run in one
transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock per schema), and the
revision is read again inside it, so two processes starting together migrate once.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from noc_console.domain.clock import utcnow
from noc_console.store.feed import forget_changes, stamp_changes
from noc_console.store.models import TimelineRow

if TYPE_CHECKING:  # alembic is imported only when a schema must change (about 0.1 s of every start)
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration's revision: a database already there needs neither alembic nor its scripts read.
# tests/store/test_migrations.py checks that it is the scripts' head.
SCHEMA_HEAD = "0014"
SchemaPolicy = Literal["auto", "migrate", "check"]
_WRITE = "noc_console_write"


class StoreError(Exception):
    """The database cannot be used (bad URL, unreachable server, failed migration)."""


class DatabaseUnreachable(StoreError):
    """The database server could not be reached (down, network gone, refused): worth trying again."""


class SchemaError(StoreError):
    """The schema is not the one this release uses, and this path may not (or cannot) change it."""


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use psycopg 3 for them; check the URL parses."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"database.url: {redact_url(url)!r} is not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"database.url: {parsed.get_backend_name()!r} is not supported (sqlite, postgresql)")
    return parsed.render_as_string(hide_password=False)


def with_credential(url: str, lookup: Callable[[str], str | None]) -> str:
    """Add the `database` credential to a URL that names a user but carries no password."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "postgresql" or not parsed.username or parsed.password:
        return url
    password = lookup("database")
    if not password:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def _create_private(path: Path) -> None:
    """Create the SQLite file owner-only (its WAL and shared-memory files follow its mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys on, busy timeout) or PostgreSQL (psycopg 3)."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # The driver's own transaction handling starts no transaction before a SELECT; ours below
            # does, and lets writers begin IMMEDIATE so two writers can never both read-then-write.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get(_WRITE, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def writer(engine: Engine) -> Engine:
    """The engine whose transactions write: on SQLite they take the write lock when they begin."""
    return engine.execution_options(**{_WRITE: True})


def _alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def schema_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        return _revision(connection)


def _revision(connection: Connection) -> str | None:
    """What alembic's version table says (in the schema the connection searches), None if it has none."""
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:  # branches: none here, but never guess
        raise SchemaError(f"database: the schema has several revisions ({', '.join(sorted(rows))})")
    return rows[0] if rows else None


def migrate(engine: Engine, schema: SchemaPolicy = "migrate") -> str | None:
    """Bring the schema to this release's revision as `schema` allows; the revision it was at before.

    Raises SchemaError when the database is newer than this release, or when `schema` does not allow
    the change that is needed.
    """
    current = schema_revision(engine)
    if current == SCHEMA_HEAD:
        return current
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    if current == head:
        return current
    _check_may_migrate(scripts, current, head, engine.dialect.name, schema)  # refuse before any lock
    with writer(engine).begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('noc-console migrate ' || current_schema()))")
            )
        current = _revision(connection)  # again, under the lock
        if current == head:
            return current
        _check_may_migrate(scripts, current, head, engine.dialect.name, schema)
        if engine.dialect.name == "sqlite" and current is not None:
            _backup_sqlite(engine, current)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database migrated from %s to %s", current or "empty", head)
    return current


def _check_may_migrate(
    scripts: ScriptDirectory, current: str | None, head: str | None, dialect: str, schema: SchemaPolicy
) -> None:
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaError(
            f"database: this database was written by a newer NOC Console (schema revision {current}; "
            f"this release knows up to {head}): upgrade NOC Console"
        )
    if schema == "check":
        what = "has no tables yet" if current is None else f"is at schema revision {current}"
        raise SchemaError(
            f"database: it {what}, and this release needs revision {head}: "
            "run `noc-console migrate` (or start `noc-console poller` once) to bring it up to date"
        )
    if schema == "auto" and dialect == "postgresql" and current is not None:
        raise SchemaError(
            f"database: the shared schema is at revision {current} and this release needs {head}: "
            "a floor admin runs `noc-console migrate` once, then every console starts"
        )


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or not Path(database).exists():
        return None
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(f"{database}.{revision}.{stamp}.bak")
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
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
    """A migrated database and its sessions. One per process or thread that needs it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writes = sessionmaker(writer(engine), expire_on_commit=False)
        self._reads = sessionmaker(engine, expire_on_commit=False)
        for factory in (self._writes, self._reads):
            event.listen(factory, "before_flush", _forbid_timeline_edits)
            event.listen(factory, "before_commit", stamp_changes)
            event.listen(factory, "after_rollback", forget_changes)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing transaction: commits on normal exit, rolls back on an exception."""
        with self._writes() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite it never waits for, nor blocks, a writer); never commits."""
        with self._reads() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, schema: SchemaPolicy = "auto") -> Store:
    """Connect, check or bring the schema up to date as `schema` allows, and return the store."""
    engine = make_engine(url)
    try:
        migrate(engine, schema)
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnreachable(f"database: cannot open {engine.url!r}: {first_line(exc)}") from None
    except BaseException:  # a StoreError, or anything unforeseen: never leave its connections open
        engine.dispose()
        raise
    return Store(engine)


def first_line(exc: BaseException) -> str:
    """An error in one line: the driver's own message (not the SQL SQLAlchemy appends), its first line."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(exc).__name__])[0]
