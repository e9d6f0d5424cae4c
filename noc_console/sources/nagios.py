"""Nagios Core 4's `statusjson.cgi` (`query=servicelist&details=true`, `query=hostlist&details=true`):
pure parses, a thin fetch.

A problem is a service WARNING, CRITICAL or UNKNOWN, or a host DOWN or UNREACHABLE, in a hard state
and checked at least once. Its fingerprint is `service:<host>/<description>` or `host:<host>`; its
severity the state's (CRITICAL and host DOWN critical, UNREACHABLE major, WARNING warning, UNKNOWN
minor); its text the plugin's output. Nagios has no service names of a NOC's kind in its status: the
labels are `host` and `description`, so `service_label = "host"` makes each host a service (the
default, `service`, leaves the service to the catalog's aliases and the alert names).

Acknowledged problems are held back like inhibited Alertmanager alerts, those in a scheduled downtime
like silenced ones. Every answer carries `result.program_start` (the restart signal) and
`result.last_data_update`: Nagios writes its status every 10 seconds by default, so status data older
than `STALE_STATUS_S` means the daemon has stopped while the web server still answers from the last
file, and the source fails loudly instead of showing old problems as current.
Times in statusjson are milliseconds since the epoch; 0 is never.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity, severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_VALUE,
    MAX_SERVICE,
    MAX_SUMMARY,
    BasicAuthSource,
    SourceError,
    SourceShapeError,
    clean_text,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

Kind = Literal["service", "host"]
CGI_PATH = "/cgi-bin/statusjson.cgi"
QUERIES: dict[Kind, dict[str, str]] = {
    # statusjson reads a bitmask option as words separated by spaces (a "+" once the URL is decoded).
    "service": {"query": "servicelist", "details": "true", "servicestatus": "warning critical unknown"},
    "host": {"query": "hostlist", "details": "true", "hoststatus": "down unreachable"},
}
# statusdata.h: the status bit of each state
SERVICE_STATES = {
    4: ("WARNING", Severity.WARNING),
    16: ("CRITICAL", Severity.CRITICAL),
    8: ("UNKNOWN", Severity.MINOR),
}
HOST_STATES = {4: ("DOWN", Severity.CRITICAL), 8: ("UNREACHABLE", Severity.MAJOR)}
HARD = 1
STALE_STATUS_S = 120.0  # status.dat is rewritten every 10 s by default (status_update_interval)


def _time(ms: object, where: str, source: str) -> datetime | None:
    if isinstance(ms, bool) or not isinstance(ms, int | float) or not math.isfinite(ms):
        raise SourceShapeError(source, f"{where}: expected milliseconds since the epoch")
    if ms <= 0:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise SourceShapeError(source, f"{where}: {ms!r} is not a time") from None


def _result(payload: object, source: str, what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer's `result` and `data`; a failed query is the error statusjson gives."""
    if not isinstance(payload, dict) or not isinstance(payload.get("result"), dict):
        raise SourceShapeError(source, f"{what}: expected an object with a result")
    result = payload["result"]
    if result.get("type_code", 0) != 0:
        message = clean_text(str(result.get("message") or result.get("type_text") or ""), 300)
        raise SourceError(source, f"{what}: Nagios refused the query: {message}")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise SourceShapeError(source, f"{what}.data: expected an object")
    return result, data


def parse(
    payload: bytes | object,
    *,
    kind: Kind,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """The problems of one `servicelist` or `hostlist` answer (with details), as alerts."""
    if isinstance(payload, bytes):
        payload = loads(payload, source)
    what = f"{kind}list"
    _result_part, data = _result(payload, source, what)
    listing = data.get(what)
    if not isinstance(listing, dict):
        raise SourceShapeError(source, f"{what}.data.{what}: expected an object")
    alerts = []
    if kind == "service":
        for host, services in listing.items():
            if not isinstance(services, dict):
                raise SourceShapeError(source, f"{what}.{host}: expected an object of services")
            for description, details in services.items():
                where = f"{what}.{host}.{description}"
                alert = _alert(details, where, kind, source, host, description, service_label, severity_label)
                if alert is not None:
                    alerts.append(alert)
    else:
        for host, details in listing.items():
            alert = _alert(details, f"{what}.{host}", kind, source, host, None, service_label, severity_label)
            if alert is not None:
                alerts.append(alert)
    return alerts


def _alert(
    details: object,
    where: str,
    kind: Kind,
    source: str,
    host: str,
    description: str | None,
    service_label: str,
    severity_label: str,
) -> Alert | None:
    if not isinstance(details, dict):
        raise SourceShapeError(source, f"{where}: expected an object (ask with details=true)")
    status = details.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise SourceShapeError(source, f"{where}.status: expected a number")
    states = SERVICE_STATES if kind == "service" else HOST_STATES
    if (
        status not in states
        or details.get("state_type", HARD) != HARD
        or details.get("has_been_checked") is False
    ):
        return None  # OK, pending, or not yet confirmed: not a problem
    state_name, severity = states[status]
    host_text = clean_text(host, MAX_LABEL_VALUE)
    labels = {"host": host_text, "state": state_name}
    if description is not None:
        labels["description"] = clean_text(description, MAX_LABEL_VALUE)
    labels["alertname"] = labels.get("description", host_text)
    if severity_label in labels:
        severity = severity_from_label(labels[severity_label], severity)
    output = clean_text(str(details.get("plugin_output") or ""), MAX_DESCRIPTION)
    long_output = clean_text(str(details.get("long_plugin_output") or ""), MAX_DESCRIPTION)
    text = output.splitlines()[0] if output else state_name
    what = host_text if description is None else f"{labels['description']} on {host_text}"
    changed = _time(details.get("last_hard_state_change", 0), f"{where}.last_hard_state_change", source)
    checked = _time(details.get("last_check", 0), f"{where}.last_check", source)
    started = changed or checked
    if started is None:
        raise SourceShapeError(
            source, f"{where}: a problem with no time (last_hard_state_change, last_check)"
        )
    depth = details.get("scheduled_downtime_depth", 0)
    fingerprint = f"host:{host}" if description is None else f"service:{host}/{description}"
    return Alert(
        source=source,
        fingerprint=clean_text(fingerprint, MAX_FINGERPRINT, identity=True),
        labels=labels,
        summary=clean_text(f"{what}: {text}", MAX_SUMMARY),
        description=clean_text("\n".join(part for part in (output, long_output) if part), MAX_DESCRIPTION),
        severity=severity,
        starts_at=started,
        silenced=isinstance(depth, int | float) and not isinstance(depth, bool) and depth > 0,
        inhibited=details.get("problem_has_been_acknowledged") is True,
        service=clean_text(labels[service_label], MAX_SERVICE) if labels.get(service_label) else None,
        source_time=checked,
    )


def daemon_times(payload: object, *, source: str) -> tuple[datetime | None, datetime | None]:
    """(program_start, last_data_update) of any statusjson answer's `result`."""
    result, _data = _result(payload, source, "status")
    started = _time(result.get("program_start", 0), "result.program_start", source)
    updated = _time(result.get("last_data_update", 0), "result.last_data_update", source)
    return started, updated


def check_fresh(updated: datetime | None, server_now: datetime, *, source: str) -> None:
    """SourceError when Nagios's status data is older than STALE_STATUS_S by the server's clock."""
    if updated is None:
        return
    age = server_now - updated
    if age > timedelta(seconds=STALE_STATUS_S):
        minutes = age.total_seconds() / 60
        raise SourceError(
            source, f"Nagios status data is {minutes:.0f} min old: the Nagios daemon is not updating it"
        )


class NagiosSource(BasicAuthSource):
    """Fetches the service and host problems of one Nagios Core; the password is kept out of every
    repr and message."""

    @property
    def url(self) -> str:
        return self.config.url.rstrip("/") + CGI_PATH

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        config = self.config
        auth = self._auth()
        alerts: list[Alert] = []
        started: datetime | None = None
        server_now: datetime | None = None
        for kind in ("service", "host"):
            answer = get_answer(session, config, self.url, params=QUERIES[kind], auth=auth)
            payload = loads(answer.body, config.name)
            started, updated = daemon_times(payload, source=config.name)
            server_now = server_now or answer.date
            check_fresh(updated, answer.date or now, source=config.name)
            alerts += parse(
                payload, kind=kind, source=config.name,
                service_label=config.service_label, severity_label=config.severity_label,
            )  # fmt: skip
        return AlertSnapshot.of(config.name, now, alerts, source_started_at=started, source_now=server_now)
