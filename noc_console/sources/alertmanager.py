"""Prometheus Alertmanager v2 (`GET /api/v2/alerts`, `GET /api/v2/status`): pure parses, a thin fetch.

An alerts answer's bytes go the typed way (`alertmanager_decode`: msgspec, shapes and lengths checked in
C) when it takes them as they are. Anything else (a value of another type, a string longer than its
column, a NUL, a lone surrogate) goes the careful way here: the standard library's decoder, every string
cleaned, any error naming its field. Both ways give the same alerts for every answer the typed way takes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.severity import severity_from_label
from noc_console.sources.alertmanager_decode import GO_ZERO_YEAR, labels_fingerprint, parse_time, parse_typed
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_NAME,
    MAX_SERVICE,
    MAX_SUMMARY,
    MAX_URL,
    Answer,
    ReadThenParse,
    SourceConfig,
    SourceError,
    SourceShapeError,
    answers_digest,
    clean_text,
    get_answer,
    get_json,
    loads,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

ALERTS_PATH = "/api/v2/alerts"
STATUS_PATH = "/api/v2/status"
# Only the alerts a silence or an inhibition holds back (Alertmanager's own filters).
SUPPRESSED_ONLY = {"active": "false", "silenced": "true", "inhibited": "true", "unprocessed": "false"}


def parse(
    payload: bytes | object,
    *,
    source: str,
    service_label: str = "service",
    severity_label: str = "severity",
) -> list[Alert]:
    """Turn an Alertmanager v2 alerts answer into Alerts: its raw bytes, or its decoded JSON.

    A malformed answer raises SourceShapeError naming the field; bytes that are not JSON raise
    SourceInvalidJSON.
    """
    if isinstance(payload, bytes):
        alerts = parse_typed(payload, source, service_label, severity_label)
        if alerts is not None:
            return alerts
        payload = loads(payload, source)
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
    if ends_at is not None and ends_at.year == GO_ZERO_YEAR:
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


def merge_members(per_member: Iterable[Iterable[Alert]]) -> list[Alert]:
    """The alerts of every member of an HA pair, one per fingerprint: the one its Alertmanager updated
    last (`updatedAt`) wins; without that time, the first member's."""
    merged: dict[str, Alert] = {}
    for alerts in per_member:
        for alert in alerts:
            kept = merged.get(alert.fingerprint)
            if kept is None or _updated_later(alert, kept):
                merged[alert.fingerprint] = alert
    return list(merged.values())


def _updated_later(alert: Alert, kept: Alert) -> bool:
    return alert.source_time is not None and (
        kept.source_time is None or alert.source_time > kept.source_time
    )


def member_clock(
    clocks: Sequence[tuple[datetime | None, datetime | None]], now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(started at, answered at) of the members' clocks that speaks for the merged answer: the member
    up the longest, whose list is the fullest. A restarted member's empty list is then covered by its
    partner's and resolves nothing; only when every member is young is the merged answer young. A
    member whose uptime is unknown makes it unknown (as for one server whose status does not say)."""
    if len(clocks) == 1:
        return clocks[0]
    best: tuple[datetime | None, datetime | None] = (None, None)
    best_uptime = None
    for started_at, answered_at in clocks:
        if started_at is None:
            return None, None
        uptime = (answered_at or now) - started_at
        if best_uptime is None or uptime > best_uptime:
            best, best_uptime = (started_at, answered_at), uptime
    return best


class AlertmanagerSource(ReadThenParse["_Answers"]):
    """Fetches the alerts of one Alertmanager; the password is kept out of every repr and message.

    Anything that serves Alertmanager's v2 API under another path (Grafana's own Alertmanager) is this
    source with other `alerts_path` and `status_path`, and its own credentials in `_headers`."""

    alerts_path = ALERTS_PATH
    status_path = STATUS_PATH

    @property
    def url(self) -> str:
        """The alerts endpoint this source reads (the first member's, for an HA pair)."""
        return self._alerts_url(self.config.url)

    def _alerts_url(self, member: str) -> str:
        return member.rstrip("/") + self.alerts_path

    def _answers(self, session: requests.Session) -> _Answers:
        """Every member's answers: one server's in turn; an HA pair's members in parallel, so that a
        member that hangs costs the fetch one timeout, not one per member. One member failing is a
        warning; every member failing is the source failing."""
        members = self.config.members
        if len(members) == 1:
            return _Answers((self._member_answers(session, members[0]),), ())
        with ThreadPoolExecutor(max_workers=len(members), thread_name_prefix="am-member") as pool:
            futures = [pool.submit(self._member_answers, session, member) for member in members]
            answered: list[_MemberAnswers] = []
            failed: list[tuple[str, SourceError]] = []
            for member, future in zip(members, futures, strict=True):
                try:
                    answered.append(future.result())
                except SourceError as exc:
                    failed.append((member, exc))
        if not answered:
            reasons = "; ".join(f"{member}: {exc.message}" for member, exc in failed)
            raise SourceError(self.config.name, f"every member of the HA pair failed: {reasons}")
        return _Answers(tuple(answered), tuple((member, exc.message) for member, exc in failed))

    def _member_answers(self, session: requests.Session, member: str) -> _MemberAnswers:
        """One member's alerts, the suppressed ones an open incident may need, then its uptime.

        Alerts before status: an Alertmanager that restarts between the requests then shows a young
        uptime over its last full answer, never an old uptime over an empty one.
        """
        config, auth, headers = self.config, self._auth(), self._headers()
        url = self._alerts_url(member)
        alerts = get_answer(session, config, url, params=alert_filters(config), auth=auth, headers=headers)
        held_back = None
        if not (config.silenced and config.inhibited):
            held_back = get_answer(session, config, url, params=SUPPRESSED_ONLY, auth=auth, headers=headers)
        return _MemberAnswers(member, alerts, held_back, self._started_at(session, member))

    def _snapshot(self, answers: _Answers, now: datetime) -> AlertSnapshot:
        """One snapshot of every member's alerts: one alert per fingerprint, the latest `updatedAt`
        winning; the uptime of the member up longest (see `merge_members`)."""
        config = self.config
        per_member: list[list[Alert]] = []
        for member in answers.members:
            alerts = self._parse(member.alerts.body)
            if member.held_back is not None:
                held_back = self._parse(member.held_back.body)
                alerts = merge_suppressed(
                    alerts, held_back, silenced=config.silenced, inhibited=config.inhibited
                )
            per_member.append(alerts)
        started_at, source_now = member_clock(
            [(member.started_at, member.alerts.date) for member in answers.members], now
        )
        return AlertSnapshot.of(
            config.name,
            now,
            merge_members(per_member),
            source_started_at=started_at,
            source_now=source_now,
            digest=answers.digest,
            warning=answers.warning,
            partial=bool(answers.failed),
        )

    def _headers(self) -> dict[str, str] | None:
        """Credentials sent as headers (none: Alertmanager takes basic auth, or nothing)."""
        return None

    def _parse(self, payload: bytes) -> list[Alert]:
        return parse(
            payload,
            source=self.config.name,
            service_label=self.config.service_label,
            severity_label=self.config.severity_label,
        )

    def status_of(self, session: requests.Session, member: str) -> Any:
        """The decoded `GET /api/v2/status` of one member (its version and uptime, for `check-config`);
        SourceError when it cannot be had."""
        url = member.rstrip("/") + self.status_path
        return get_json(session, self.config, url, auth=self._auth(), headers=self._headers())

    def _started_at(self, session: requests.Session, member: str) -> datetime | None:
        """When the Alertmanager started, or None when its status cannot say (the time rule still holds)."""
        url = member.rstrip("/") + self.status_path
        try:
            status = get_json(session, self.config, url, auth=self._auth(), headers=self._headers())
            return parse_started_at(status, source=self.config.name)
        except SourceError as exc:
            log.debug("%s: no uptime from %s: %s", self.config.name, self.status_path, exc.message)
            return None


@dataclass(frozen=True, slots=True)
class _MemberAnswers:
    """The raw answers of one server: the alerts, the suppressed-only alerts when asked for, the uptime."""

    member: str
    alerts: Answer
    held_back: Answer | None
    started_at: datetime | None


@dataclass(frozen=True, slots=True)
class _Answers:
    """The raw answers of one fetch: every member that answered, and the members that did not (why)."""

    members: tuple[_MemberAnswers, ...]
    failed: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        parts: list[Answer | None] = []
        for member in self.members:
            parts += [member.alerts, member.held_back]
        digest = answers_digest(*parts)
        if len(self.members) == 1 and not self.failed:
            return digest
        # An HA pair: which members answered, and why the others did not, are part of the answer (the
        # health's warning comes from them), so a member going down or coming back is a change.
        said = " ".join(
            [digest, *(m.member for m in self.members), "|", *(f"{m} {e}" for m, e in self.failed)]
        )
        return hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def warning(self) -> str | None:
        """'1 of 2 members not answering: http://am-b:9093: connection refused', or None."""
        if not self.failed:
            return None
        total = len(self.members) + len(self.failed)
        reasons = "; ".join(f"{member}: {message}" for member, message in self.failed)
        return f"{len(self.failed)} of {total} members not answering: {reasons}"
