"""What operators type, checked before anything is written: every error names its field."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from noc_console.domain.i18n import translate

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
        raise InvalidInput(field, translate("domain.inputs", "must not contain a NUL character"))
    if not cleaned:
        if required:
            raise InvalidInput(field, translate("domain.inputs", "must not be empty"))
        return None
    if len(cleaned) > limit:
        problem = translate("domain.inputs", "at most {limit} characters, not {length}")
        raise InvalidInput(field, problem.format(limit=f"{limit:,}", length=f"{len(cleaned):,}"))
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
        problem = translate("domain.inputs", "must be a whole number from 0 to {maximum}")
        raise InvalidInput(field, problem.format(maximum=f"{maximum:,}"))
    return value


def choice(field: str, value: str | None, kind: type[E]) -> E | None:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        problem = translate("domain.inputs", "{value} is not one of {allowed}")
        raise InvalidInput(field, problem.format(value=repr(value), allowed=allowed)) from None
