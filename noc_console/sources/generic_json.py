"""Any HTTP endpoint that answers with a JSON list of problems (`type = "json"`), read through a field
mapping in the config: a pure parse, a thin fetch.

    [sources.fields]
    list = "data.items"       # where the list is in the answer ("" or absent: the answer is the list)
    id = "id"                 # required: what identifies a problem across polls
    title = "summary"         # required
    severity = "level"        # optional: a severity word (critical, high, warning, p2...); else warning
    service = "component.name"  # optional
    started = "created_at"    # optional: ISO 8601, or seconds since the epoch; else the time of the poll
    description = "details"   # optional
    status = "state"          # optional: "resolved" (or ok, closed, recovered) ends the problem

A path is dotted keys, with numbers for list positions (`tags.0.value`). Everything the endpoint lists
is firing unless its `status` says it is over; what leaves the list resolves by the source's resolve
rules. A push (`POST /push/<source>`, engine.receiver) carries the same shape, or one item alone. An
item whose id or title is missing is an error naming the item and the field, never a problem silently
dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.severity import severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_VALUE,
    MAX_SERVICE,
    MAX_SUMMARY,
    BasicAuthSource,
    SourceConfig,
    SourceShapeError,
    clean_text,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

FIELDS = ("list", "id", "title", "severity", "service", "started", "description", "status")
FIRING_WORDS = frozenset({"firing", "problem", "open", "active", "alerting", "true", "1"})
RESOLVED_WORDS = frozenset({"resolved", "ok", "closed", "recovered", "inactive", "false", "0"})
REQUIRED = ("id", "title")
_MISSING = object()


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Where each field of a problem is in the answer (see the module's docstring)."""

    id: str
    title: str
    list: str = ""
    severity: str | None = None
    service: str | None = None
    started: str | None = None
    description: str | None = None
    status: str | None = None

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> JsonFields:
        """From `[sources.fields]`; ValueError names a missing or unknown field."""
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ValueError(f"fields.{unknown[0]}: unknown field (one of {', '.join(FIELDS)})")
        for name in REQUIRED:
            if not mapping.get(name):
                raise ValueError(f"fields.{name}: required (the path to each problem's {name})")
        for name, path in mapping.items():
            if not isinstance(path, str) or (path and "" in path.split(".")):
                raise ValueError(f"fields.{name}: {path!r} is not a dotted path (a.b.0.c)")
        return cls(**dict(mapping))


def resolve(value: object, path: str) -> object:
    """The value at a dotted path (`_MISSING` when it is not there)."""
    if not path:
        return value
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _started(value: object, where: str, source: str, now: datetime) -> datetime:
    if value is _MISSING or value is None:
        return now
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise SourceShapeError(source, f"{where}: {value!r} is not a time") from None
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise SourceShapeError(source, f"{where}: {value[:60]!r} is not an ISO 8601 time") from None
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    raise SourceShapeError(source, f"{where}: expected an ISO 8601 time or seconds since the epoch")


def _state(value: object, where: str, fields: JsonFields, source: str) -> AlertState:
    """Firing, unless the item's status says it is over; a status that says neither is an error."""
    if value is _MISSING or value is None:
        return AlertState.FIRING
    word = (_scalar(value) or "").strip().lower()
    if word in RESOLVED_WORDS:
        return AlertState.RESOLVED
    if word in FIRING_WORDS:
        return AlertState.FIRING
    raise SourceShapeError(
        source,
        f"{where}.{fields.status}: {str(value)[:60]!r} is neither firing ({', '.join(sorted(FIRING_WORDS))}) "
        f"nor resolved ({', '.join(sorted(RESOLVED_WORDS))}) (fields.status)",
    )


def parse(payload: bytes | object, fields: JsonFields, *, source: str, now: datetime) -> list[Alert]:
    """The problems of one answer, as alerts; SourceShapeError names the item and the field."""
    if isinstance(payload, bytes):
        payload = loads(payload, source)
    items = resolve(payload, fields.list)
    where_list = f"the answer's {fields.list!r}" if fields.list else "the answer"
    if not isinstance(items, list):
        raise SourceShapeError(source, f"{where_list}: expected a list (fields.list)")
    alerts: dict[str, Alert] = {}
    for index, item in enumerate(items):
        where = f"item {index}"
        ident = _scalar(resolve(item, fields.id))
        if not ident:
            raise SourceShapeError(source, f"{where}: no id at {fields.id!r} (fields.id)")
        title = _scalar(resolve(item, fields.title))
        if not title:
            raise SourceShapeError(source, f"{where}: no title at {fields.title!r} (fields.title)")
        labels = {"alertname": clean_text(title, MAX_LABEL_VALUE), "id": clean_text(ident, MAX_LABEL_VALUE)}
        severity_text = _scalar(resolve(item, fields.severity)) if fields.severity else None
        if severity_text:
            labels["severity"] = clean_text(severity_text, MAX_LABEL_VALUE)
        service = _scalar(resolve(item, fields.service)) if fields.service else None
        if service:
            labels["service"] = clean_text(service, MAX_LABEL_VALUE)
        text = _scalar(resolve(item, fields.description)) if fields.description else None
        started_value = resolve(item, fields.started) if fields.started else _MISSING
        fingerprint = clean_text(f"id:{ident}", MAX_FINGERPRINT, identity=True)
        state = _state(resolve(item, fields.status) if fields.status else _MISSING, where, fields, source)
        alerts.setdefault(
            fingerprint,
            Alert(
                source=source,
                fingerprint=fingerprint,
                labels=labels,
                summary=clean_text(title, MAX_SUMMARY),
                description=clean_text(text or "", MAX_DESCRIPTION),
                severity=severity_from_label(severity_text),
                starts_at=_started(started_value, f"{where}.{fields.started}", source, now),
                service=clean_text(service, MAX_SERVICE) if service else None,
                state=state,
            ),
        )  # the same id twice is the same problem
    return list(alerts.values())


class JsonSource(BasicAuthSource):
    """Fetches one JSON endpoint; the password is kept out of every repr and message."""

    def __init__(self, config: SourceConfig, fields: JsonFields, password: str | None = None) -> None:
        super().__init__(config, password)
        self.fields = fields

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        config = self.config
        answer: Any = get_answer(session, config, config.url, auth=self._auth())
        alerts = parse(answer.body, self.fields, source=config.name, now=now)
        return AlertSnapshot.of(config.name, now, alerts, source_now=answer.date)
