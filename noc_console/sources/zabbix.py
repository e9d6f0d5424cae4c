"""Zabbix's JSON-RPC API (`POST /api_jsonrpc.php`): `problem.get` for the open problems and
`trigger.get` (with `selectHosts`) for their hosts; pure parses, a thin fetch.

Each problem becomes an alert: its fingerprint the problem's event ID, its severity Zabbix's 0-5 (not
classified and information info, warning warning, average minor, high major, disaster critical) unless
a tag named by `severity_label` says otherwise, its service the tag named by `service_label`, its text
the problem's name and operational data. A problem suppressed by a maintenance is held back like a
silenced Alertmanager alert, an acknowledged one like an inhibited one: shown on an open incident,
opening none unless the source says `silenced = true` or `inhibited = true`.

Signing in: without a `username`, the source's credential is an API token sent as
`Authorization: Bearer` (Zabbix 6.4 and later; 7.2 rejects the old `auth` member). With a `username`,
`user.login` makes a session once and keeps it across polls, logging in again when Zabbix says the
session ended; the session goes in the Bearer header from 6.4 on and in `auth` before (the version comes
from `apiinfo.version`, which needs no sign-in, and so does the user.login parameter: `user` before 5.4).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity, severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_SERVICE,
    MAX_SUMMARY,
    BasicAuthSource,
    SourceAuthError,
    SourceConfig,
    SourceError,
    SourceShapeError,
    clean_text,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

API_PATH = "/api_jsonrpc.php"
SEVERITIES = {
    0: Severity.INFO, 1: Severity.INFO, 2: Severity.WARNING, 3: Severity.MINOR, 4: Severity.MAJOR,
    5: Severity.CRITICAL,
}  # fmt: skip
SEVERITY_NAMES = {0: "not classified", 1: "information", 2: "warning", 3: "average", 4: "high", 5: "disaster"}
PROBLEMS = {
    "output": [
        "eventid",
        "objectid",
        "clock",
        "ns",
        "name",
        "severity",
        "acknowledged",
        "suppressed",
        "opdata",
    ],
    "selectTags": "extend",
    "source": 0,  # triggers
    "object": 0,
    "recent": False,  # open problems only
    "sortfield": ["eventid"],
    "sortorder": "ASC",
}
# Zabbix's words for a request that needs a (new) sign-in
_SIGNED_OUT = ("not authori", "session terminated", "re-login", "not authorised", "api token expired")


def _version(text: str) -> tuple[int, int]:
    parts = [*text.split("."), "0", "0"][:2]
    try:
        return int(parts[0]), int(parts[1])
    except ValueError:
        return (0, 0)


def rpc_result(payload: object, *, source: str, method: str) -> Any:
    """The `result` of a JSON-RPC answer; its `error` as a SourceError (SourceAuthError when it says
    the sign-in is missing or over)."""
    if not isinstance(payload, dict):
        raise SourceShapeError(source, f"{method}: expected a JSON-RPC object")
    error = payload.get("error")
    if isinstance(error, dict):
        said = clean_text(f"{error.get('message', '')} {error.get('data', '')}".strip(), 300)
        if any(word in said.lower() for word in _SIGNED_OUT):
            raise SourceAuthError(source, 401, f"{method}: {said}")
        raise SourceError(source, f"{method}: Zabbix said: {said}")
    if "result" not in payload:
        raise SourceShapeError(source, f"{method}: neither result nor error")
    return payload["result"]


def parse(
    problems: object,
    triggers: object,
    *,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """Alerts from the results of `problem.get` and of `trigger.get` for the problems' triggers."""
    if not isinstance(problems, list):
        raise SourceShapeError(source, "problem.get: expected a list")
    hosts = _hosts_by_trigger(triggers, source)
    return [
        _alert(problem, f"problem.get[{index}]", hosts, source, service_label, severity_label)
        for index, problem in enumerate(problems)
    ]


def _hosts_by_trigger(triggers: object, source: str) -> dict[str, list[str]]:
    if not isinstance(triggers, list):
        raise SourceShapeError(source, "trigger.get: expected a list")
    found: dict[str, list[str]] = {}
    for index, trigger in enumerate(triggers):
        if not isinstance(trigger, dict) or not isinstance(trigger.get("triggerid"), str):
            raise SourceShapeError(source, f"trigger.get[{index}].triggerid: expected a string")
        hosts = trigger.get("hosts") or []
        if not isinstance(hosts, list):
            raise SourceShapeError(source, f"trigger.get[{index}].hosts: expected a list")
        names = []
        for host in hosts:
            if isinstance(host, dict):
                name = host.get("name") or host.get("host")
                if isinstance(name, str) and name:
                    names.append(clean_text(name, MAX_LABEL_VALUE))
        found[trigger["triggerid"]] = names
    return found


def _field(problem: Mapping[str, Any], key: str, where: str, source: str) -> str:
    value = problem.get(key)
    if not isinstance(value, str):
        raise SourceShapeError(source, f"{where}.{key}: expected a string")
    return value


def _integer(problem: Mapping[str, Any], key: str, where: str, source: str) -> int:
    """Zabbix writes numbers as strings ("4", "1700000000")."""
    text = _field(problem, key, where, source)
    try:
        return int(text)
    except ValueError:
        raise SourceShapeError(source, f"{where}.{key}: {text!r} is not a number") from None


def _alert(
    problem: object,
    where: str,
    hosts: dict[str, list[str]],
    source: str,
    service_label: str,
    severity_label: str,
) -> Alert:
    if not isinstance(problem, dict):
        raise SourceShapeError(source, f"{where}: expected an object")
    event = _field(problem, "eventid", where, source)
    name = clean_text(_field(problem, "name", where, source), MAX_SUMMARY)
    code = _integer(problem, "severity", where, source)
    clock = _integer(problem, "clock", where, source)
    if not 0 < clock < 10**11:
        raise SourceShapeError(source, f"{where}.clock: {clock!r} is not a time")
    started = datetime.fromtimestamp(clock, UTC)
    on = hosts.get(str(problem.get("objectid", "")), [])
    labels: dict[str, str] = {"alertname": name, "zabbix_severity": SEVERITY_NAMES.get(code, str(code))}
    if on:
        labels["host"] = ", ".join(on)
    tags = problem.get("tags") or []
    if not isinstance(tags, list):
        raise SourceShapeError(source, f"{where}.tags: expected a list")
    for tag in tags:
        if isinstance(tag, dict) and isinstance(tag.get("tag"), str) and tag["tag"]:
            value = tag.get("value")
            labels[clean_text(tag["tag"], MAX_LABEL_KEY)] = clean_text(
                value if isinstance(value, str) else "", MAX_LABEL_VALUE
            )
    severity = SEVERITIES.get(code, Severity.WARNING)
    if labels.get(severity_label):
        severity = severity_from_label(labels[severity_label], severity)
    opdata = problem.get("opdata")
    detail = clean_text(opdata, MAX_DESCRIPTION) if isinstance(opdata, str) else ""
    summary = f"{name} on {labels['host']}" if on else name
    return Alert(
        source=source,
        fingerprint=clean_text(f"event:{event}", MAX_FINGERPRINT, identity=True),
        labels=labels,
        summary=clean_text(summary, MAX_SUMMARY),
        description=detail,
        severity=severity,
        starts_at=started,
        silenced=problem.get("suppressed") == "1",
        inhibited=problem.get("acknowledged") == "1",
        service=clean_text(labels[service_label], MAX_SERVICE) if labels.get(service_label) else None,
    )


class ZabbixSource(BasicAuthSource):
    """Fetches the open problems of one Zabbix; the token, password and session are kept out of every
    repr and message."""

    def __init__(self, config: SourceConfig, secret: str) -> None:
        super().__init__(config, secret)  # the API token, or the user's password when it names a user
        self._session_id: str | None = None
        self._version: tuple[int, int] | None = None
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        return self.config.url.rstrip("/") + API_PATH

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        try:
            return self._fetch(session, now)
        except SourceAuthError:
            if self.config.username is None or self._session_id is None:
                raise
            self._session_id = None  # the session ended (a timeout, a Zabbix restart): sign in once more
            return self._fetch(session, now)

    def _fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        problems = self._call(session, "problem.get", PROBLEMS)
        if not isinstance(problems, list):
            raise SourceShapeError(self.config.name, "problem.get: expected a list")
        trigger_ids = sorted(
            {p["objectid"] for p in problems if isinstance(p, dict) and isinstance(p.get("objectid"), str)}
        )
        triggers: object = []
        if trigger_ids:
            triggers = self._call(
                session,
                "trigger.get",
                {"triggerids": trigger_ids, "output": ["triggerid"], "selectHosts": ["host", "name"]},
            )
        alerts = parse(
            problems, triggers, source=self.config.name,
            service_label=self.config.service_label, severity_label=self.config.severity_label,
        )  # fmt: skip
        return AlertSnapshot.of(self.config.name, now, alerts)

    def call(self, session: requests.Session, method: str, params: object) -> Any:
        """One signed API call (acknowledge write-back), signing in once more when the session ended."""
        try:
            return self._call(session, method, params)
        except SourceAuthError:
            if self.config.username is None or self._session_id is None:
                raise
            self._session_id = None
            return self._call(session, method, params)

    def _call(self, session: requests.Session, method: str, params: object, signed: bool = True) -> Any:
        body: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params, "id": next(self._ids)}
        headers = {"Content-Type": "application/json-rpc"}
        if signed:
            credential = self._credential(session)
            if self._bearer():
                headers["Authorization"] = f"Bearer {credential}"
            else:
                body["auth"] = credential
        answer = get_answer(session, self.config, self.url, headers=headers, post_json=body)
        return rpc_result(loads(answer.body, self.config.name), source=self.config.name, method=method)

    def _api_version(self, session: requests.Session) -> tuple[int, int]:
        if self._version is None:
            said = self._call(session, "apiinfo.version", [], signed=False)
            self._version = _version(said if isinstance(said, str) else "")
        return self._version

    def _bearer(self) -> bool:
        """Tokens always go in the header (they exist from 5.4, in the header from 6.4); a session
        goes there from 6.4 on."""
        return self.config.username is None or (self._version or (0, 0)) >= (6, 4)

    def _credential(self, session: requests.Session) -> str:
        if self.config.username is None:
            return self._password or ""
        if self._session_id is None:
            version = self._api_version(session)
            user_key = "username" if version >= (5, 4) else "user"
            said = self._call(
                session,
                "user.login",
                {user_key: self.config.username, "password": self._password},
                signed=False,
            )
            if not isinstance(said, str) or not said:
                raise SourceShapeError(self.config.name, "user.login: expected a session ID")
            self._session_id = said
        return self._session_id
