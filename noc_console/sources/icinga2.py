"""Icinga 2's REST API (`/v1/objects/services`, `/v1/objects/hosts`, `/v1/status/IcingaApplication`):
pure parses, a thin fetch.

A problem is a service or host in a hard non-OK state (`state != 0 && state_type == 1`: Icinga 2 has
confirmed it over the object's check attempts, as before it notifies anyone). Objects never checked
are no problem. Each becomes one alert: its fingerprint the object's name (`web-1!http`, `web-1`), its
severity the state's (service CRITICAL critical, WARNING warning, UNKNOWN minor; host DOWN critical)
unless a custom variable named by `severity_label` says otherwise, its service the custom variable
named by `service_label` (`vars.service`), its text the plugin's output.

An acknowledged problem is held back like an inhibited Alertmanager alert, one in a downtime like a
silenced one: shown on an open incident, opening none unless the source says `inhibited = true` or
`silenced = true`. Icinga 2 answers 404 "No objects found." when a filter matches nothing: that is an
empty list, not an error. `program_start` of the status is the restart signal (the Alertmanager rule).
Icinga 2 speaks HTTPS with its own CA: `ca_file` names it, and the connection is verified.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity, severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_SERVICE,
    MAX_SUMMARY,
    Answer,
    BasicAuthSource,
    SourceError,
    SourceHTTPError,
    SourceShapeError,
    clean_text,
    get_answer,
    get_json,
    loads,
)

if TYPE_CHECKING:
    import requests

Kind = Literal["service", "host"]
SERVICES_PATH = "/v1/objects/services"
HOSTS_PATH = "/v1/objects/hosts"
STATUS_PATH = "/v1/status/IcingaApplication"
COMMON_ATTRS = (
    "name", "display_name", "state", "state_type", "last_hard_state_change", "last_check_result",
    "acknowledgement", "downtime_depth", "vars",
)  # fmt: skip
QUERIES: dict[Kind, dict[str, str | list[str]]] = {
    "service": {
        "attrs": [*COMMON_ATTRS, "host_name"],
        "joins": ["host.display_name"],
        "filter": "service.state!=0&&service.state_type==1",
    },
    "host": {"attrs": list(COMMON_ATTRS), "filter": "host.state!=0&&host.state_type==1"},
}
# (No spaces in the filters: the query string encodes a space as "+", which Icinga 2 reads as a plus and
# then matches nothing, measured on 2.13.)
PATHS: dict[Kind, str] = {"service": SERVICES_PATH, "host": HOSTS_PATH}
NO_OBJECTS = "No objects found."
STATE_NAMES: dict[Kind, dict[int, str]] = {
    "service": {1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"},
    "host": {1: "DOWN"},
}
STATE_SEVERITY: dict[Kind, dict[int, Severity]] = {
    "service": {1: Severity.WARNING, 2: Severity.CRITICAL, 3: Severity.MINOR},
    "host": {1: Severity.CRITICAL},
}
HARD = 1


def parse(
    payload: bytes | object,
    *,
    kind: Kind,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """The problems of one `/v1/objects/services` or `/v1/objects/hosts` answer, as alerts.

    SourceShapeError names the field of anything that is not Icinga 2's shape; nothing is dropped
    silently (an object in a state this release does not know is a problem at the warning level).
    """
    if isinstance(payload, bytes):
        payload = loads(payload, source)
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise SourceShapeError(source, f"{kind}s: expected an object with a list of results")
    alerts = []
    for index, result in enumerate(payload["results"]):
        where = f"{kind}s.results[{index}]"
        alert = _alert(result, where, kind, source, service_label, severity_label)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _alert(
    result: object, where: str, kind: Kind, source: str, service_label: str, severity_label: str
) -> Alert | None:
    if not isinstance(result, dict) or not isinstance(result.get("attrs"), dict):
        raise SourceShapeError(source, f"{where}: expected an object with attrs")
    attrs: dict[str, Any] = result["attrs"]
    name = _text(result.get("name", attrs.get("name")), f"{where}.name", source, MAX_FINGERPRINT)
    state = _number(attrs.get("state"), f"{where}.attrs.state", source)
    state_type = _number(attrs.get("state_type", HARD), f"{where}.attrs.state_type", source)
    check = attrs.get("last_check_result")
    if state == 0 or state_type != HARD or check is None:
        return None  # OK, not yet confirmed, or never checked: not a problem
    if not isinstance(check, dict):
        raise SourceShapeError(source, f"{where}.attrs.last_check_result: expected an object or null")
    output = clean_text(str(check.get("output") or ""), MAX_DESCRIPTION)
    display = _text(attrs.get("display_name") or name, f"{where}.attrs.display_name", source, MAX_LABEL_VALUE)
    labels = {"alertname": display, "icinga_object": name}
    host = name
    if kind == "service":
        host = _text(attrs.get("host_name"), f"{where}.attrs.host_name", source, MAX_LABEL_VALUE)
        joins = result.get("joins")
        host_attrs = joins.get("host") if isinstance(joins, dict) else None
        if isinstance(host_attrs, dict) and isinstance(host_attrs.get("display_name"), str):
            labels["host_display_name"] = clean_text(host_attrs["display_name"], MAX_LABEL_VALUE)
    labels["host"] = host
    labels.update(_variables(attrs.get("vars"), f"{where}.attrs.vars", source))
    code = int(state)
    state_name = STATE_NAMES[kind].get(code, f"STATE {code}")
    labels["state"] = state_name
    severity = STATE_SEVERITY[kind].get(code, Severity.WARNING)
    if severity_label in labels:
        severity = severity_from_label(labels[severity_label], severity)
    first_line = output.splitlines()[0] if output else state_name
    what = display if kind == "host" else f"{display} on {labels.get('host_display_name', host)}"
    changed = _number(attrs.get("last_hard_state_change", 0), f"{where}.attrs.last_hard_state_change", source)
    checked = _number(check.get("execution_end", 0), f"{where}.attrs.last_check_result.execution_end", source)
    started = changed or checked
    return Alert(
        source=source,
        fingerprint=clean_text(f"{kind}:{name}", MAX_FINGERPRINT, identity=True),
        labels=labels,
        summary=clean_text(f"{what}: {first_line}", MAX_SUMMARY),
        description=output,
        severity=severity,
        starts_at=_time(started, f"{where}.attrs.last_hard_state_change", source),
        silenced=_number(attrs.get("downtime_depth", 0), f"{where}.attrs.downtime_depth", source) > 0,
        inhibited=_number(attrs.get("acknowledgement", 0), f"{where}.attrs.acknowledgement", source) > 0,
        service=clean_text(labels[service_label], MAX_SERVICE) if labels.get(service_label) else None,
        source_time=_time(checked, f"{where}.attrs.last_check_result.execution_end", source)
        if checked
        else None,
    )


def _text(value: object, where: str, source: str, limit: int) -> str:
    if not isinstance(value, str) or not value:
        raise SourceShapeError(source, f"{where}: expected a non-empty string")
    return clean_text(value, limit)


def _number(value: object, where: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SourceShapeError(source, f"{where}: expected a number")
    return float(value)


def _time(epoch: float, where: str, source: str) -> datetime:
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        raise SourceShapeError(source, f"{where}: {epoch!r} is not a time") from None


def _variables(value: object, where: str, source: str) -> dict[str, str]:
    """Custom variables with a plain value, as labels (`vars.service` -> `service`)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SourceShapeError(source, f"{where}: expected an object or null")
    found = {}
    for key, item in value.items():
        if isinstance(key, str) and key and isinstance(item, str | int | float | bool):
            text = str(item).lower() if isinstance(item, bool) else str(item)
            found[clean_text(key, MAX_LABEL_KEY)] = clean_text(text, MAX_LABEL_VALUE)
    return found


def parse_started_at(payload: object, *, source: str) -> datetime:
    """When Icinga 2 started: `program_start` of a `GET /v1/status/IcingaApplication` answer."""
    try:
        app = payload["results"][0]["status"]["icingaapplication"]["app"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        raise SourceShapeError(source, "status: no results[0].status.icingaapplication.app") from None
    start = _number(
        app.get("program_start") if isinstance(app, dict) else None, "status.program_start", source
    )
    return _time(start, "status.program_start", source)


def objects_of(answer: Answer, kind: Kind, source: str) -> bytes | object:
    """The body to parse; Icinga 2's 404 "No objects found." (a filter that matched nothing) is no
    problems, any other 404 is the error it says."""
    if answer.status != 404:
        return answer.body
    try:
        said = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError):
        said = None
    if isinstance(said, dict) and said.get("status") == NO_OBJECTS:
        return {"results": []}
    raise SourceHTTPError(source, 404, f"Not Found ({PATHS[kind]})")


class Icinga2Source(BasicAuthSource):
    """Fetches the service and host problems of one Icinga 2; the password is kept out of every repr
    and message."""

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        """Services, then hosts, then the start time (a restart after the lists shows as a young start)."""
        config = self.config
        alerts: list[Alert] = []
        source_now: datetime | None = None
        for kind in ("service", "host"):
            answer = get_answer(
                session, config, self._url(PATHS[kind]), params=QUERIES[kind], auth=self._auth(),
                also=frozenset({404}),
            )  # fmt: skip
            source_now = source_now or answer.date
            alerts += parse(
                objects_of(answer, kind, config.name), kind=kind, source=config.name,
                service_label=config.service_label, severity_label=config.severity_label,
            )  # fmt: skip
        return AlertSnapshot.of(
            config.name, now, alerts, source_started_at=self._started_at(session), source_now=source_now
        )

    def _url(self, path: str) -> str:
        return self.config.url.rstrip("/") + path

    def _started_at(self, session: requests.Session) -> datetime | None:
        try:
            status = get_json(session, self.config, self._url(STATUS_PATH), auth=self._auth())
            return parse_started_at(status, source=self.config.name)
        except SourceError:
            return None  # the time rule still holds
