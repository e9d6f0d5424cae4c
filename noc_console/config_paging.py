"""`[[people]]`, `[[schedules]]`, `[[policies]]` and `[[providers]]`: who can be paged, who is on call,
how incidents escalate, and through which vendors. Every error names its field (`policies[1].levels[0].
targets: ...`); a policy naming a person, schedule or provider that does not exist is refused here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from noc_console.domain.calls import normalise_phone
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.paging import (
    Channel,
    Level,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    check_email,
    check_handoff,
    check_policy_targets,
    check_time_zone,
)
from noc_console.domain.severity import Severity
from noc_console.paging.base import CHANNELS_OF, ProviderConfig, ProviderType

PROVIDER_KEYS = {"name", "type", "url", "timeout_s"}
DEFAULT_URLS = {
    ProviderType.TWILIO: "https://api.twilio.com",
    ProviderType.PAGERDUTY: "https://events.pagerduty.com",
    ProviderType.OPSGENIE: "https://api.opsgenie.com",
    ProviderType.SLACK: "https://hooks.slack.com",
    ProviderType.TEAMS: "https://outlook.office.com",
    ProviderType.SMTP: "",  # options host/port instead
    ProviderType.WEBHOOK: "",  # required: the endpoint
}


@dataclass(frozen=True, slots=True)
class PagingConfig:
    people: tuple[Person, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    policies: tuple[Policy, ...] = ()
    providers: tuple[ProviderConfig, ...] = ()

    @property
    def provider_channels(self) -> dict[str, frozenset[Channel]]:
        return {p.name: CHANNELS_OF[p.type] for p in self.providers}


class PagingConfigError(ValueError):
    """Raised with the field named first; config.py turns it into a ConfigError."""


def parse_paging(data: Mapping[str, Any]) -> PagingConfig:
    try:
        people = tuple(_person(f"people[{i}]", e) for i, e in enumerate(_tables(data, "people")))
        _unique("people", [p.name for p in people])
        schedules = tuple(
            _schedule(f"schedules[{i}]", e, {p.name for p in people})
            for i, e in enumerate(_tables(data, "schedules"))
        )
        _unique("schedules", [s.name for s in schedules])
        providers = tuple(_provider(f"providers[{i}]", e) for i, e in enumerate(_tables(data, "providers")))
        _unique("providers", [p.name for p in providers])
        clash = {p.name for p in people} & {p.name for p in providers}
        if clash:
            raise InvalidInput(
                "providers", f"{sorted(clash)[0]!r} is also a person's name: targets would be ambiguous"
            )
        channels = {p.name: CHANNELS_OF[p.type] for p in providers}
        policies = []
        for i, entry in enumerate(_tables(data, "policies")):
            policy = _policy(f"policies[{i}]", entry)
            check_policy_targets(
                f"policies[{i}]", policy, [p.name for p in people], [s.name for s in schedules], channels
            )
            policies.append(policy)
        _unique("policies", [p.name for p in policies])
    except InvalidInput as exc:
        raise PagingConfigError(str(exc)) from None
    return PagingConfig(people, schedules, tuple(policies), providers)


def _tables(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(entry, Mapping) for entry in raw):
        raise InvalidInput(key, f"must be an array of tables ([[{key}]])")
    return raw


def _unique(key: str, names: list[str]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise InvalidInput(f"{key}[{index}].name", f"{name!r} is used twice")
        seen.add(name)


def _text(
    where: str, entry: Mapping[str, Any], key: str, *, required: bool = True, limit: int = 200
) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{where}.{key}", "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}.{key}", "must be a non-empty string")
    if len(value) > limit:
        raise InvalidInput(f"{where}.{key}", f"at most {limit} characters")
    return value.strip()


def _strings(where: str, entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInput(f"{where}.{key}", "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _unknown(where: str, entry: Mapping[str, Any], allowed: set[str]) -> None:
    for key in entry:
        if key not in allowed:
            raise InvalidInput(f"{where}.{key}", f"unknown setting (expected {', '.join(sorted(allowed))})")


def _person(where: str, entry: Mapping[str, Any]) -> Person:
    _unknown(where, entry, {"name", "phone", "whatsapp", "email", "chat"})
    name = _text(where, entry, "name")
    assert name is not None
    phone = _text(where, entry, "phone", required=False, limit=40)
    whatsapp = _text(where, entry, "whatsapp", required=False, limit=40)
    email = _text(where, entry, "email", required=False, limit=320)
    return Person(
        name=name,
        phone=normalise_phone(f"{where}.phone", phone, "") if phone else None,
        whatsapp=normalise_phone(f"{where}.whatsapp", whatsapp, "") if whatsapp else None,
        email=check_email(f"{where}.email", email) if email else None,
        chat=_text(where, entry, "chat", required=False),
    )


def _schedule(where: str, entry: Mapping[str, Any], people: set[str]) -> Schedule:
    _unknown(where, entry, {"name", "time_zone", "rotation", "handoff", "people", "overrides"})
    name = _text(where, entry, "name")
    zone = check_time_zone(f"{where}.time_zone", _text(where, entry, "time_zone") or "")
    rotation_text = _text(where, entry, "rotation") or ""
    try:
        rotation = Rotation(rotation_text)
    except ValueError:
        raise InvalidInput(f"{where}.rotation", f"{rotation_text!r} is not daily or weekly") from None
    handoff = check_handoff(f"{where}.handoff", _text(where, entry, "handoff") or "")
    members = _strings(where, entry, "people")
    if not members:
        raise InvalidInput(f"{where}.people", "must name at least one person")
    for member in members:
        if member not in people:
            raise InvalidInput(f"{where}.people", f"{member!r} is not in [[people]]")
    overrides = []
    raw = entry.get("overrides", [])
    if not isinstance(raw, list):
        raise InvalidInput(f"{where}.overrides", "must be a list of tables")
    for index, item in enumerate(raw):
        spot = f"{where}.overrides[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidInput(spot, "must be a table {person, from, to}")
        person = _text(spot, item, "person") or ""
        if person not in people:
            raise InvalidInput(f"{spot}.person", f"{person!r} is not in [[people]]")
        starts, ends = _instant(spot, item, "from"), _instant(spot, item, "to")
        if ends <= starts:
            raise InvalidInput(f"{spot}.to", "must be after from")
        overrides.append(Override(person, starts, ends))
    assert name is not None
    return Schedule(name, zone, rotation, handoff, members, tuple(overrides))


def _instant(where: str, entry: Mapping[str, Any], key: str) -> datetime:
    value = entry.get(key)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"{where}.{key}", f"{value!r} is not an ISO 8601 time") from None
    else:
        raise InvalidInput(f"{where}.{key}", "is required (an ISO 8601 time with its offset)")
    if moment.tzinfo is None:
        raise InvalidInput(f"{where}.{key}", "must carry an offset (e.g. 2026-12-24T18:00:00+00:00)")
    return moment.astimezone(UTC)


def _policy(where: str, entry: Mapping[str, Any]) -> Policy:
    _unknown(where, entry, {"name", "services", "severities", "repeat", "auto", "levels"})
    name = _text(where, entry, "name")
    severities = []
    for text in _strings(where, entry, "severities"):
        try:
            severities.append(Severity(text))
        except ValueError:
            raise InvalidInput(f"{where}.severities", f"{text!r} is not a severity") from None
    repeat = entry.get("repeat", 0)
    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 0 <= repeat <= 20:
        raise InvalidInput(f"{where}.repeat", "must be a whole number from 0 to 20")
    auto = entry.get("auto", False)
    if not isinstance(auto, bool):
        raise InvalidInput(f"{where}.auto", "must be true or false")
    raw_levels = entry.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        raise InvalidInput(f"{where}.levels", "must have at least one [[policies.levels]]")
    levels = []
    for index, level in enumerate(raw_levels):
        spot = f"{where}.levels[{index}]"
        if not isinstance(level, Mapping):
            raise InvalidInput(spot, "must be a table")
        _unknown(spot, level, {"targets", "channels", "wait_minutes"})
        channels = []
        for text in _strings(spot, level, "channels"):
            try:
                channels.append(Channel(text))
            except ValueError:
                allowed = ", ".join(c.value for c in Channel)
                raise InvalidInput(f"{spot}.channels", f"{text!r} is not one of {allowed}") from None
        wait = level.get("wait_minutes", 10)
        if isinstance(wait, bool) or not isinstance(wait, int | float) or not 0.5 <= wait <= 1440:
            raise InvalidInput(f"{spot}.wait_minutes", "must be a number from 0.5 to 1440")
        levels.append(Level(_strings(spot, level, "targets"), tuple(channels), timedelta(minutes=wait)))
    assert name is not None
    return Policy(name, tuple(levels), repeat, _strings(where, entry, "services"), tuple(severities), auto)


def _provider(where: str, entry: Mapping[str, Any]) -> ProviderConfig:
    name = _text(where, entry, "name")
    kind = _text(where, entry, "type") or ""
    try:
        provider_type = ProviderType(kind)
    except ValueError:
        allowed = ", ".join(t.value for t in ProviderType)
        raise InvalidInput(f"{where}.type", f"{kind!r} is not one of {allowed}") from None
    url = _text(where, entry, "url", required=False, limit=2000) or DEFAULT_URLS[provider_type]
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput(f"{where}.url", f"{url!r} is not an http(s) URL")
    elif provider_type is ProviderType.WEBHOOK:
        raise InvalidInput(f"{where}.url", "is required for a webhook (the endpoint to POST to)")
    timeout = entry.get("timeout_s", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0.2 <= timeout <= 120:
        raise InvalidInput(f"{where}.timeout_s", "must be a number from 0.2 to 120")
    options: dict[str, str] = {}
    for key, value in entry.items():
        if key in PROVIDER_KEYS:
            continue
        if isinstance(value, bool):
            options[key] = "true" if value else "false"
        elif isinstance(value, int | float | str):
            options[key] = str(value)
        else:
            raise InvalidInput(f"{where}.{key}", "must be a string, a number or true/false")
    assert name is not None
    return ProviderConfig(name, provider_type, url, float(timeout), options)
