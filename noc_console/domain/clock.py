"""The one wall clock of the process. Domain rules never call it: they take `now` as an argument."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def utcnow() -> datetime:
    """The current time, timezone-aware UTC: the default `clock` wherever one is injected."""
    return datetime.now(UTC)


@overload
def iso_z(at: datetime) -> str: ...
@overload
def iso_z(at: None) -> None: ...
def iso_z(at: datetime | None) -> str | None:
    """A time as scripts read it: ISO 8601 in UTC with a 'Z' (None stays None)."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z") if at is not None else None
