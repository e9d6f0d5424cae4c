"""SQL that differs between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


def insert_or_ignore(
    session: Session, model: type[Any], values: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING`: a second writer of the same key simply does nothing."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model).values(values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model).values(values).on_conflict_do_nothing()
