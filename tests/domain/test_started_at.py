"""When a caller's problem started, as a helpdesk agent types it, in English or in Spanish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from noc_console.domain import inputs
from noc_console.domain.calls import parse_started

NOW = datetime(2026, 11, 27, 10, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25 min ago", NOW - timedelta(minutes=25)),
        ("2 h ago", NOW - timedelta(hours=2)),
        ("hace 25 min", NOW - timedelta(minutes=25)),
        ("Hace 2 horas", NOW - timedelta(hours=2)),
        ("hace 1 hora", NOW - timedelta(hours=1)),
        ("40 minutos", NOW - timedelta(minutes=40)),
        ("10:42", NOW.replace(hour=10, minute=42)),
        ("11:05", NOW.replace(hour=11, minute=5) - timedelta(days=1)),  # not after now: yesterday's
        ("", None),
    ],
)
def test_typed_start_times(typed: str, expected: datetime | None) -> None:
    assert parse_started("started_at", typed, NOW) == expected


@pytest.mark.parametrize("typed", ["hace", "hace min", "ayer", "25 segundos", "26:00"])
def test_what_is_not_a_time_names_the_field(typed: str) -> None:
    with pytest.raises(inputs.InvalidInput) as failed:
        parse_started("started_at", typed, NOW)
    assert failed.value.field == "started_at"
