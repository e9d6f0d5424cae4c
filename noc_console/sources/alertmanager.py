"""Prometheus Alertmanager v2 (`GET /api/v2/alerts`, `GET /api/v2/status`): pure parses, a thin fetch."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone

import requests

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.severity import severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_NAME,
    MAX_SERVICE,
    MAX_SUMMARY,
    MAX_URL,
    SourceConfig,
    SourceError,
    SourceShapeError,
    _safe_url,
    clean_text,
    get_json,
    get_json_answer,
)

log = logging.getLogger(__name__)

ALERTS_PATH = "/api/v2/alerts"
STATUS_PATH = "/api/v2/status"
# Only the alerts a silence or an inhibition holds back (Alertmanager's own filters).
SUPPRESSED_ONLY = {"active": "false", "silenced": "true", "inhibited": "true", "unprocessed": "false"}

# RFC 3339 as Alertmanager (Go) writes it: fractional seconds up to nanoseconds, 'Z' or an offset.
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$"
)
# Go's zero time: Alertmanager sends it as endsAt when an alert has no end yet.
_GO_ZERO_YEAR = 1


def parse_time(value: str) -> datetime:
    """An RFC 3339 time as a timezone-aware UTC datetime; fractions beyond microseconds are dropped."""
    match = _RFC3339.match(value.strip())
    if match is None:
        raise ValueError(f"not an ISO 8601 time: {value!r}")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        tz = UTC
        if sign is not None and not zulu:
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            tz = timezone(-offset if sign == "-" else offset)
        parsed = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz
        )
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(f"not a valid time: {value!r}") from None


def labels_fingerprint(labels: Mapping[str, str]) -> str:
    """A stable fingerprint of a label set, for alerts that come without one."""
    canonical = json.dumps(sorted(labels.items()), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def parse(
    payload: object,
    *,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """Turn an Alertmanager v2 alerts answer into Alerts; a malformed answer raises SourceShapeError."""
    if not isinstance(payload, list):
        raise SourceShapeError(source, f"alerts: expected a JSON list, got {_json_type(payload)}")
    return [
        _parse_one(item, index, source=source, service_label=service_label, severity_label=severity_label)
        for index, item in enumerate(payload)
    ]


def _parse_one(item: object, index: int, *, source: str, service_label: str, severity_label: str) -> Alert:
    """One gettableAlert; `index` names it in error messages. Every string is cleaned to fit the store."""
    where = f"alerts[{index}]"
    if not isinstance(item, dict):
        raise SourceShapeError(source, f"{where}: expected an object, got {_json_type(item)}")
    labels = _string_map(item.get("labels"), f"{where}.labels", source, MAX_LABEL_VALUE, required=True)
    if "alertname" in labels:
        labels["alertname"] = clean_text(labels["alertname"], MAX_NAME)
    annotations = _string_map(
        item.get("annotations"), f"{where}.annotations", source, MAX_DESCRIPTION, required=False
    )

    starts_at = _time_field(item, "startsAt", where, source, required=True)
    assert starts_at is not None  # required=True never returns None
    ends_at = _time_field(item, "endsAt", where, source, required=False)
    if ends_at is not None and ends_at.year == _GO_ZERO_YEAR:
        ends_at = None
    # When Alertmanager last updated the alert, by its own clock: its end time is judged against this.
    updated_at = _time_field(item, "updatedAt", where, source, required=False)

    fingerprint = item.get("fingerprint")
    fingerprint = (
        clean_text(fingerprint, MAX_FINGERPRINT, identity=True) if isinstance(fingerprint, str) else ""
    )
    if not fingerprint:
        fingerprint = labels_fingerprint(labels)

    status = item.get("status")
    silenced_by: object = None
    inhibited_by: object = None
    if isinstance(status, dict):
        silenced_by = status.get("silencedBy")
        inhibited_by = status.get("inhibitedBy")

    generator_url = item.get("generatorURL")
    if not isinstance(generator_url, str):
        generator_url = ""
    alertname = labels.get("alertname", "")
    summary = annotations.get("summary") or annotations.get("title") or alertname
    service = labels.get(service_label)
    return Alert(
        source=source,
        fingerprint=fingerprint,
        labels=labels,
        summary=clean_text(summary, MAX_SUMMARY),
        description=annotations.get("description") or annotations.get("message") or "",
        severity=severity_from_label(labels.get(severity_label)),
        starts_at=starts_at,
        ends_at=ends_at,
        state=AlertState.FIRING,
        silenced=bool(silenced_by),
        inhibited=bool(inhibited_by),
        service=clean_text(service, MAX_SERVICE) if service else None,
        generator_url=clean_text(generator_url, MAX_URL) or None,
        source_time=updated_at,
    )


def _string_map(
    value: object, where: str, source: str, value_limit: int, *, required: bool
) -> dict[str, str]:
    """A JSON object of strings (labels, annotations); non-string values are kept as their JSON text.

    Keys and values are cleaned: keys capped as label keys, values at `value_limit`.
    """
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        what = "missing" if value is None else f"expected an object, got {_json_type(value)}"
        raise SourceShapeError(source, f"{where}: {what}")
    return {
        clean_text(str(k), MAX_LABEL_KEY): clean_text(v if isinstance(v, str) else json.dumps(v), value_limit)
        for k, v in value.items()
    }


def _time_field(
    item: Mapping[str, object], key: str, where: str, source: str, *, required: bool
) -> datetime | None:
    """A time field of an alert; an absent optional field is None."""
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        what = "missing" if value is None else "not an ISO 8601 time"
        raise SourceShapeError(source, f"{where}.{key}: {what}")
    try:
        return parse_time(value)
    except ValueError:
        raise SourceShapeError(source, f"{where}.{key}: not an ISO 8601 time") from None


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


_JSON_TYPES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "null"),
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "an object"),
)


def parse_started_at(payload: object, *, source: str) -> datetime:
    """When this Alertmanager started, by its own clock: `uptime` of a `GET /api/v2/status` answer."""
    if not isinstance(payload, dict):
        raise SourceShapeError(source, f"status: expected an object, got {_json_type(payload)}")
    started_at = _time_field(payload, "uptime", "status", source, required=True)
    assert started_at is not None  # required=True never returns None
    return started_at


def alert_filters(config: SourceConfig) -> dict[str, str]:
    """Query parameters of the main alerts request: silenced and inhibited alerts only when configured."""
    return {
        "silenced": "true" if config.silenced else "false",
        "inhibited": "true" if config.inhibited else "false",
    }


def merge_suppressed(
    alerts: Iterable[Alert], suppressed: Iterable[Alert], *, silenced: bool, inhibited: bool
) -> list[Alert]:
    """`alerts` plus the suppressed alerts of the kinds the main request left out (`silenced` or
    `inhibited` False), so that an open incident's alert that gets silenced is seen, flagged, rather
    than counted absent. The correlator opens nothing for them."""
    merged = list(alerts)
    merged += [
        alert
        for alert in suppressed
        if (alert.silenced and not silenced) or (alert.inhibited and not inhibited)
    ]
    return merged


class AlertmanagerSource:
    """Fetches the alerts of one Alertmanager; the password is kept out of every repr and message."""

    def __init__(self, config: SourceConfig, password: str | None = None) -> None:
        self.config = config
        self._password = password

    def __repr__(self) -> str:
        auth = f", username={self.config.username!r}" if self.config.username else ""
        return f"AlertmanagerSource(name={self.config.name!r}, url={_safe_url(self.config.url)!r}{auth})"

    @property
    def url(self) -> str:
        """The alerts endpoint this source reads."""
        return self.config.url.rstrip("/") + ALERTS_PATH

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        """The alerts, the suppressed ones an open incident may need, then the uptime, as a snapshot.

        Alerts before status: an Alertmanager that restarts between the two requests then shows a
        young uptime over its last full answer, never an old uptime over an empty one.
        """
        config, auth = self.config, self._auth()
        answer = get_json_answer(session, config, self.url, params=alert_filters(config), auth=auth)
        alerts = self._parse(answer.payload)
        if not (config.silenced and config.inhibited):
            held_back = self._parse(get_json(session, config, self.url, params=SUPPRESSED_ONLY, auth=auth))
            alerts = merge_suppressed(alerts, held_back, silenced=config.silenced, inhibited=config.inhibited)
        return AlertSnapshot.of(
            config.name, now, alerts, source_started_at=self._started_at(session), source_now=answer.date
        )

    def _auth(self) -> tuple[str, str] | None:
        return (self.config.username, self._password or "") if self.config.username else None

    def _parse(self, payload: object) -> list[Alert]:
        return parse(
            payload,
            source=self.config.name,
            service_label=self.config.service_label,
            severity_label=self.config.severity_label,
        )

    def _started_at(self, session: requests.Session) -> datetime | None:
        """When the Alertmanager started, or None when its status cannot say (the time rule still holds)."""
        url = self.config.url.rstrip("/") + STATUS_PATH
        try:
            return parse_started_at(
                get_json(session, self.config, url, auth=self._auth()), source=self.config.name
            )
        except SourceError as exc:
            log.debug("%s: no uptime from %s: %s", self.config.name, STATUS_PATH, exc.message)
            return None
