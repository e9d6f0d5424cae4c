"""The one wall clock of the process. Domain rules never call it: they take `now` as an argument."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware UTC: the default `clock` wherever one is injected."""
    return datetime.now(UTC)
