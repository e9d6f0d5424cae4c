"""Maintenance windows: while one is on, its service's new alerts open no incident and ring no alarm.

A window runs from `starts_at` until `ends_at`, or until an operator ends it early (`ended_at`). Alerts
already part of an incident before the window began stay there; new ones are held (stored nowhere as
incidents, shown as "in maintenance") and, if they still fire when the window ends, open incidents then:
the maintenance did not fix them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from noc_console.domain import inputs
from noc_console.domain.correlation import ServiceCatalog
from noc_console.domain.i18n import translate
from noc_console.domain.inputs import InvalidInput

MAX_REASON = 2_000


class WindowState(StrEnum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    OVER = "over"


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """One scheduled maintenance of a service (times in UTC)."""

    id: int
    service: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: str
    created_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = None

    @property
    def effective_end(self) -> datetime:
        """When the window stops holding alerts: its end, or earlier when an operator ended it."""
        return self.ends_at if self.ended_at is None else min(self.ends_at, self.ended_at)

    def state(self, now: datetime) -> WindowState:
        if now >= self.effective_end:
            return WindowState.OVER
        return WindowState.ACTIVE if now >= self.starts_at else WindowState.UPCOMING

    def active_at(self, now: datetime) -> bool:
        return self.starts_at <= now < self.effective_end


def held_services(windows: Iterable[MaintenanceWindow], now: datetime) -> frozenset[str]:
    """The services whose new alerts open no incident at `now`."""
    return frozenset(w.service for w in windows if w.active_at(now))


def parse_time(field: str, text: str) -> datetime:
    """An ISO 8601 time with an offset (or Z), as UTC; a naive time is refused (whose clock would it be?)."""
    cleaned = (text or "").strip()
    try:
        value = datetime.fromisoformat(cleaned.replace("z", "Z"))
    except ValueError:
        problem = translate("domain.maintenance", "{text!r} is not an ISO 8601 time (2026-11-28T22:00Z)")
        raise InvalidInput(field, problem.format(text=cleaned[:100])) from None
    if value.tzinfo is None or value.utcoffset() is None:
        problem = translate("domain.maintenance", "{text!r} has no UTC offset; add Z or one such as +01:00")
        raise InvalidInput(field, problem.format(text=cleaned[:100]))
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class NewWindow:
    """A window as an operator asks for it, checked (`checked_window`)."""

    service: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: str


def checked_window(
    service: str | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str | None,
    created_by: str | None,
    *,
    now: datetime,
    known_services: Sequence[str],
) -> NewWindow:
    """The window to store, or InvalidInput naming the field (service, from, to, reason, by).

    A service must be configured when any is: a typo would otherwise hold nothing while the operator
    believes the floor is quiet on purpose. The end must be after the start and still to come.
    """
    name = inputs.text("service", service, inputs.MAX_NAME)
    assert name is not None
    if known_services and name not in known_services:
        problem = translate("domain.maintenance", "{name!r} is not a configured service (known: {known})")
        raise InvalidInput("service", problem.format(name=name, known=", ".join(sorted(known_services))))
    if ends_at <= starts_at:
        raise InvalidInput("to", translate("domain.maintenance", "must be after the start"))
    if ends_at <= now:
        raise InvalidInput("to", translate("domain.maintenance", "is already past"))
    checked_reason = inputs.text("reason", reason, MAX_REASON)
    assert checked_reason is not None
    return NewWindow(name, starts_at, ends_at, checked_reason, inputs.name("by", created_by))


def silence_matchers(service: str, catalog: ServiceCatalog, service_label: str) -> Mapping[str, str]:
    """The labels an Alertmanager silence for `service` matches: the catalog's match labels when it maps
    the service by them, else the source's service label."""
    for defined in catalog.services:
        if defined.name == service and defined.match:
            return dict(defined.match)
    return {service_label: service}


def silence_comment(window: MaintenanceWindow) -> str:
    """What the silence says at Alertmanager: the reason and where it comes from."""
    return f"NOC Console maintenance window {window.id}: {window.reason}"
