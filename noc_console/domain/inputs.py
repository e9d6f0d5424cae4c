"""What operators type, checked before anything is written: every error names its field."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

MAX_NAME = 200  # a person: who acknowledged, who has it
MAX_NOTE = 10_000
MAX_UPDATE = 5_000
MAX_SERVICES = 2_000
MAX_USERS = 1_000_000_000

E = TypeVar("E", bound=StrEnum)


class InvalidInput(ValueError):
    """Operator input that cannot be stored as given; `field` says which."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def text(field: str, value: str | None, limit: int, *, required: bool = True) -> str | None:
    """Trimmed text of at most `limit` characters with no NUL; empty is refused when `required`."""
    cleaned = (value or "").strip()
    if "\x00" in cleaned:
        raise InvalidInput(field, "must not contain a NUL character")
    if not cleaned:
        if required:
            raise InvalidInput(field, "must not be empty")
        return None
    if len(cleaned) > limit:
        raise InvalidInput(field, f"at most {limit:,} characters, not {len(cleaned):,}")
    return cleaned


def name(field: str, value: str | None) -> str:
    """A person's name or handle."""
    checked = text(field, value, MAX_NAME)
    assert checked is not None  # required
    return checked


def count(field: str, value: int | None, maximum: int = MAX_USERS) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not 0 <= value <= maximum:
        raise InvalidInput(field, f"must be a whole number from 0 to {maximum:,}")
    return value


def choice(field: str, value: str | None, kind: type[E]) -> E | None:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidInput(field, f"{value!r} is not one of {allowed}") from None
