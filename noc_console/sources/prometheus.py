"""Prometheus's own alerts (`GET /api/v1/alerts`, `/api/v1/status/runtimeinfo`): pure parses, a thin fetch.

Prometheus lists every alert of its rules that is `pending` (its condition holds, not yet for the `for:`
of its rule) or `firing`. A firing alert is an alert like any other source's; a pending one is shown
(`Alert.pending`) and opens nothing until it fires. Prometheus gives no fingerprint: an alert is its
label set, fingerprinted as Alertmanager's alerts without one are (`labels_fingerprint`).

Prometheus keeps alerts in memory: after a restart it lists none until its rules are evaluated again, so
its `startTime` (runtimeinfo) is the snapshot's `source_started_at` and nothing resolves while it warms up.
An error answer (`{"status": "error", "errorType", "error"}`, with HTTP 4xx/5xx or 200) is a typed
SourceError that names Prometheus's error type.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.severity import severity_from_label
from noc_console.sources.alertmanager_decode import labels_fingerprint, parse_time
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_NAME,
    MAX_SERVICE,
    MAX_SUMMARY,
    Answer,
    ReadThenParse,
    SourceError,
    SourceHTTPError,
    SourceShapeError,
    clean_text,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

ALERTS_PATH = "/api/v1/alerts"
RUNTIMEINFO_PATH = "/api/v1/status/runtimeinfo"
# Statuses Prometheus answers with its error object (bad request, bad data, unavailable, internal):
# their body names the error, which says more than the status line.
ERROR_STATUSES = frozenset({400, 422, 500, 503})
STATES = ("firing", "pending")


class SourceAPIError(SourceError):
    """Prometheus answered `status: "error"`: the message names its `errorType` and `error`."""

    kind = "api"

    def __init__(self, source: str, error_type: str, error: str, status: int | None = None) -> None:
        http = f"HTTP {status}, " if status is not None and status != 200 else ""
        super().__init__(source, f"Prometheus answered an error ({http}{error_type}): {error}".rstrip(": "))
        self.error_type = error_type
        self.status = status


def parse(
    payload: bytes | object,
    *,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """Turn a `/api/v1/alerts` answer (its bytes, or its decoded JSON) into Alerts, pending ones flagged.

    Bytes that are not JSON raise SourceInvalidJSON; a malformed answer SourceShapeError naming the
    field; an error answer SourceAPIError naming Prometheus's error type.
    """
    data = _data(payload, source, "alerts")
    alerts = data.get("alerts")
    if not isinstance(alerts, list):
        what = "missing" if alerts is None else f"expected a list, got {_json_type(alerts)}"
        raise SourceShapeError(source, f"data.alerts: {what}")
    return [
        _alert(item, index, source=source, service_label=service_label, severity_label=severity_label)
        for index, item in enumerate(alerts)
    ]


def parse_started_at(payload: bytes | object, *, source: str) -> datetime:
    """When this Prometheus started, by its own clock: `data.startTime` of a runtimeinfo answer."""
    data = _data(payload, source, "runtimeinfo")
    value = data.get("startTime")
    if not isinstance(value, str):
        what = "missing" if value is None else "not an RFC 3339 time"
        raise SourceShapeError(source, f"data.startTime: {what}")
    try:
        return parse_time(value)
    except ValueError:
        raise SourceShapeError(source, "data.startTime: not an RFC 3339 time") from None


def _data(payload: bytes | object, source: str, what: str) -> Mapping[str, Any]:
    """The `data` object of a success answer; an error answer raises SourceAPIError."""
    if isinstance(payload, bytes):
        payload = loads(payload, source)
    if not isinstance(payload, dict):
        raise SourceShapeError(source, f"{what}: expected a JSON object, got {_json_type(payload)}")
    status = payload.get("status")
    if status == "error":
        raise _api_error(payload, source, None)
    if status != "success":
        shown = "missing" if status is None else f"expected 'success' or 'error', got {_short(status)}"
        raise SourceShapeError(source, f"status: {shown}")
    data = payload.get("data")
    if not isinstance(data, dict):
        shown = "missing" if data is None else f"expected an object, got {_json_type(data)}"
        raise SourceShapeError(source, f"data: {shown}")
    return data


def _api_error(payload: Mapping[str, Any], source: str, status: int | None) -> SourceAPIError:
    error_type = payload.get("errorType")
    error = payload.get("error")
    return SourceAPIError(
        source,
        clean_text(error_type, 100) if isinstance(error_type, str) and error_type else "unknown",
        clean_text(error, 500) if isinstance(error, str) else "",
        status,
    )


def _alert(item: object, index: int, *, source: str, service_label: str, severity_label: str) -> Alert:
    where = f"data.alerts[{index}]"
    if not isinstance(item, dict):
        raise SourceShapeError(source, f"{where}: expected an object, got {_json_type(item)}")
    labels = _strings(item.get("labels"), f"{where}.labels", source, MAX_LABEL_VALUE, required=True)
    if "alertname" in labels:
        labels["alertname"] = clean_text(labels["alertname"], MAX_NAME)
    annotations = _strings(
        item.get("annotations"), f"{where}.annotations", source, MAX_DESCRIPTION, required=False
    )
    state = item.get("state")
    if state not in STATES:
        shown = "missing" if state is None else f"expected 'firing' or 'pending', got {_short(state)}"
        raise SourceShapeError(source, f"{where}.state: {shown}")
    active_at = item.get("activeAt")
    if not isinstance(active_at, str):
        shown = "missing" if active_at is None else "not an RFC 3339 time"
        raise SourceShapeError(source, f"{where}.activeAt: {shown}")
    try:
        starts_at = parse_time(active_at)
    except ValueError:
        raise SourceShapeError(source, f"{where}.activeAt: not an RFC 3339 time") from None

    alertname = labels.get("alertname", "")
    summary = annotations.get("summary") or annotations.get("title") or alertname
    service = labels.get(service_label)
    return Alert(
        source=source,
        fingerprint=labels_fingerprint(labels),
        labels=labels,
        summary=clean_text(summary, MAX_SUMMARY),
        description=annotations.get("description") or annotations.get("message") or "",
        severity=severity_from_label(labels.get(severity_label)),
        starts_at=starts_at,
        state=AlertState.FIRING,
        service=clean_text(service, MAX_SERVICE) if service else None,
        pending=state == "pending",
    )


def _strings(value: object, where: str, source: str, limit: int, *, required: bool) -> dict[str, str]:
    """Labels or annotations: an object of strings, each cleaned (keys capped as label keys)."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        shown = "missing" if value is None else f"expected an object, got {_json_type(value)}"
        raise SourceShapeError(source, f"{where}: {shown}")
    result: dict[str, str] = {}
    for key, text in value.items():
        if not isinstance(text, str):
            raise SourceShapeError(source, f"{where}.{clean_text(key, 100)}: expected a string")
        result[clean_text(key, MAX_LABEL_KEY)] = clean_text(text, limit)
    return result


def _short(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return clean_text(text, 60)


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


class PrometheusSource(ReadThenParse["_Answers"]):
    """Fetches the alerts of one Prometheus server; the password is kept out of every repr and message."""

    @property
    def url(self) -> str:
        """The alerts endpoint this source reads."""
        return self.config.url.rstrip("/") + ALERTS_PATH

    def _get(self, session: requests.Session, path: str) -> Answer:
        """GET a path of the API; an error status with Prometheus's error object raises SourceAPIError."""
        url = self.config.url.rstrip("/") + path
        answer = get_answer(session, self.config, url, auth=self._auth(), also=ERROR_STATUSES)
        if answer.status >= 300:
            try:
                payload = json.loads(answer.body)
            except (ValueError, UnicodeDecodeError, RecursionError):
                payload = None
            if isinstance(payload, dict) and payload.get("status") == "error":
                raise _api_error(payload, self.config.name, answer.status)
            raise SourceHTTPError(self.config.name, answer.status, "error")
        return answer

    def _answers(self, session: requests.Session) -> _Answers:
        """The alerts, then the start time, read (parsed by `_snapshot`).

        Alerts before runtimeinfo: a Prometheus that restarts between the requests then shows a young
        uptime over its last full answer, never an old uptime over an empty one.
        """
        alerts = self._get(session, ALERTS_PATH)
        return _Answers(alerts, self._started_at(session))

    def _snapshot(self, answers: _Answers, now: datetime) -> AlertSnapshot:
        config = self.config
        alerts = parse(
            answers.alerts.body,
            source=config.name,
            service_label=config.service_label,
            severity_label=config.severity_label,
        )
        return AlertSnapshot.of(
            config.name,
            now,
            alerts,
            source_started_at=answers.started_at,
            source_now=answers.alerts.date,
            digest=answers.digest,
        )

    def _started_at(self, session: requests.Session) -> datetime | None:
        """When Prometheus started, or None when it cannot say (the time rule still holds)."""
        try:
            return parse_started_at(self._get(session, RUNTIMEINFO_PATH).body, source=self.config.name)
        except SourceError as exc:
            log.debug("%s: no start time from %s: %s", self.config.name, RUNTIMEINFO_PATH, exc.message)
            return None


@dataclass(frozen=True, slots=True)
class _Answers:
    """The raw alerts answer of one fetch and the start time Prometheus gave with it."""

    alerts: Answer
    started_at: datetime | None

    @property
    def digest(self) -> str:
        """The alerts answer's digest with the start time: a restart is a change even with equal alerts."""
        started = self.started_at.isoformat() if self.started_at else "-"
        return hashlib.sha256(f"{self.alerts.digest} {started}".encode("ascii")).hexdigest()
