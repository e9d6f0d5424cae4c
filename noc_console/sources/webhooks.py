"""What monitoring systems push to the receiver (`POST /push/<source name>`): pure parses, no I/O.

The configured source's type chooses the format, and each reuses its source module's field rules, so a
pushed alert and the same alert polled are one alert (same fingerprint, labels, severity, service):

- `alertmanager`: Alertmanager's webhook (`webhook_configs`, payload version 4): `alerts[]` are its API's
  alerts (labels, annotations, startsAt, endsAt, generatorURL, fingerprint) with a `status` of
  `firing` or `resolved`.
- `grafana`: Grafana's webhook contact point: the same shape with extra fields (orgId, title, message,
  values, silenceURL...), which are ignored.
- `zabbix`: a webhook media type whose script posts one event as JSON built from macros (see
  `parse_zabbix`); its fingerprint is the problem's event ID, as when polled.
- `json`: the source's `[sources.fields]` mapping over the body, which is the shape the endpoint answers
  (the list at `fields.list`) or one item alone; `fields.status` may say an item is resolved.

A push is partial (`AlertSnapshot.partial`): alerts it names as firing open, join or refresh; those it
names as resolved resolve; those it leaves out stay as they are.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.severity import Severity, severity_from_label
from noc_console.sources import alertmanager, generic_json, zabbix
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_SERVICE,
    MAX_SUMMARY,
    SourceConfig,
    SourceShapeError,
    clean_text,
    loads,
)

PUSH_TYPES = ("alertmanager", "grafana", "zabbix", "json")
# Zabbix's names of its severities ({EVENT.SEVERITY}), by their numbers ({EVENT.NSEVERITY})
_ZABBIX_NAMES = {name: code for code, name in zabbix.SEVERITY_NAMES.items()}
_ZABBIX_PROBLEM = frozenset({"problem", "1"})
_ZABBIX_RESOLVED = frozenset({"resolved", "ok", "0"})
_MAX_TAGS = 200


def parse_push(config: SourceConfig, body: bytes, now: datetime) -> AlertSnapshot:
    """The partial snapshot one push to `config`'s source carries.

    SourceInvalidJSON when the body is not JSON; SourceShapeError naming the field when it is not the
    shape the source's type pushes; ValueError for a type that takes no pushes.
    """
    payload = loads(body, config.name)
    if config.type in ("alertmanager", "grafana"):
        alerts = parse_alertmanager(payload, config)
    elif config.type == "zabbix":
        alerts = parse_zabbix(payload, config, now)
    elif config.type == "json":
        alerts = parse_json(payload, config, now)
    else:
        raise ValueError(f"a {config.type} source takes no pushes (only {', '.join(PUSH_TYPES)})")
    if config.watchdog:  # the always-firing alert is judged by polls; pushed, it opens nothing
        alerts = [a for a in alerts if a.labels.get("alertname") != config.watchdog]
    return AlertSnapshot.of(config.name, now, alerts, pushed=True)


def parse_alertmanager(payload: object, config: SourceConfig) -> list[Alert]:
    """Alertmanager's (or Grafana's) webhook: each of `alerts[]` as the API's alert, resolved by `status`."""
    source = config.name
    if not isinstance(payload, dict):
        raise SourceShapeError(source, "the body: expected a JSON object with an alerts list")
    items = payload.get("alerts")
    if not isinstance(items, list):
        what = "expected a list" if "alerts" in payload else "missing"
        raise SourceShapeError(source, f"alerts: {what}")
    alerts = alertmanager.parse(
        items, source=source, service_label=config.service_label, severity_label=config.severity_label
    )
    parsed: list[Alert] = []
    for index, (item, alert) in enumerate(zip(items, alerts, strict=True)):
        status = item.get("status")
        if status not in ("firing", "resolved"):
            raise SourceShapeError(source, f"alerts[{index}].status: expected 'firing' or 'resolved'")
        parsed.append(replace(alert, state=AlertState.RESOLVED) if status == "resolved" else alert)
    return parsed


def parse_zabbix(payload: object, config: SourceConfig, now: datetime) -> list[Alert]:
    """One event of a Zabbix webhook media type (or a list of them), built by its script from macros:

        {"event_id": "{EVENT.ID}", "name": "{EVENT.NAME}", "severity": "{EVENT.NSEVERITY}",
         "host": "{HOST.NAME}", "status": "{EVENT.STATUS}", "started": "<ISO 8601 or epoch seconds>",
         "tags": {EVENT.TAGSJSON}, "opdata": "{EVENT.OPDATA}", "acknowledged": "{EVENT.ACK.STATUS}"}

    Required: `event_id` (in a recovery message too, {EVENT.ID} is the problem's) and `name`. `severity`
    is 0-5 or Zabbix's name of it (Not classified ... Disaster), else warning; `status` is PROBLEM or
    RESOLVED (or `value` 1 or 0), else PROBLEM; `tags` a list of {tag, value} or "tag:value, ..." text.
    """
    items = payload if isinstance(payload, list) else [payload]
    return [_zabbix_event(item, f"event[{i}]" if items is payload else "event", config, now)
            for i, item in enumerate(items)]  # fmt: skip


def _zabbix_event(item: object, where: str, config: SourceConfig, now: datetime) -> Alert:
    source = config.name
    if not isinstance(item, dict):
        raise SourceShapeError(source, f"{where}: expected a JSON object")
    event = _text(item, "event_id", where, source, required=True)
    name = clean_text(_text(item, "name", where, source, required=True), MAX_SUMMARY)
    code = _zabbix_severity(item.get("severity"), where, source)
    labels: dict[str, str] = {
        "alertname": name,
        "zabbix_severity": zabbix.SEVERITY_NAMES.get(code, str(code)) if code is not None else "unknown",
    }
    host = _text(item, "host", where, source)
    if host:
        labels["host"] = clean_text(host, MAX_LABEL_VALUE)
    labels.update(_zabbix_tags(item.get("tags"), where, source))
    severity = zabbix.SEVERITIES.get(code, Severity.WARNING) if code is not None else Severity.WARNING
    if labels.get(config.severity_label):
        severity = severity_from_label(labels[config.severity_label], severity)
    service = labels.get(config.service_label)
    summary = f"{name} on {labels['host']}" if host else name
    return Alert(
        source=source,
        fingerprint=clean_text(f"event:{event}", MAX_FINGERPRINT, identity=True),
        labels=labels,
        summary=clean_text(summary, MAX_SUMMARY),
        description=clean_text(_text(item, "opdata", where, source), MAX_DESCRIPTION),
        severity=severity,
        starts_at=_started(item.get("started"), f"{where}.started", source, now),
        state=_zabbix_state(item, where, source),
        inhibited=_text(item, "acknowledged", where, source).strip().lower() in ("yes", "true", "1"),
        service=clean_text(service, MAX_SERVICE) if service else None,
    )


def _text(item: dict[str, object], key: str, where: str, source: str, *, required: bool = False) -> str:
    """A string (or number) field; absent or empty is "" unless required."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
        raise SourceShapeError(source, f"{where}.{key}: expected a string")
    text = "" if value is None else str(value)
    if required and not text.strip():
        raise SourceShapeError(source, f"{where}.{key}: missing")
    return text


def _zabbix_severity(value: object, where: str, source: str) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip().lower()
    if text.isdigit() and int(text) in zabbix.SEVERITY_NAMES:
        return int(text)
    if text in _ZABBIX_NAMES:
        return _ZABBIX_NAMES[text]
    what = f"{str(value)[:40]!r} is not 0-5 nor a Zabbix severity name"
    raise SourceShapeError(source, f"{where}.severity: {what}")


def _zabbix_state(item: dict[str, object], where: str, source: str) -> AlertState:
    key = "status" if item.get("status") not in (None, "") else "value"
    text = _text(item, key, where, source).strip()
    word = text.lower()
    if not word or word in _ZABBIX_PROBLEM:
        return AlertState.FIRING
    if word in _ZABBIX_RESOLVED:
        return AlertState.RESOLVED
    raise SourceShapeError(source, f"{where}.{key}: {text[:40]!r} is neither PROBLEM (1) nor RESOLVED (0)")


def _zabbix_tags(value: object, where: str, source: str) -> dict[str, str]:
    """{EVENT.TAGSJSON} (a list of {tag, value}) or {EVENT.TAGS} ("tag:value, tag2:value2")."""
    pairs: list[tuple[str, str]] = []
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        for part in value.split(","):
            tag, _, text = part.strip().partition(":")
            if tag.strip():
                pairs.append((tag.strip(), text.strip()))
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            if not isinstance(entry, dict) or not isinstance(entry.get("tag"), str):
                raise SourceShapeError(source, f"{where}.tags[{index}]: expected an object with a tag")
            tag_value = entry.get("value")
            if entry["tag"]:
                pairs.append((entry["tag"], tag_value if isinstance(tag_value, str) else ""))
    else:
        raise SourceShapeError(source, f"{where}.tags: expected a list of {{tag, value}} or tag:value text")
    return {
        clean_text(tag, MAX_LABEL_KEY): clean_text(text, MAX_LABEL_VALUE) for tag, text in pairs[:_MAX_TAGS]
    }


def _started(value: object, where: str, source: str, now: datetime) -> datetime:
    """ISO 8601 or seconds since the epoch (as text too: macros are text); absent, when it arrived."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < 10**11:
            raise SourceShapeError(source, f"{where}: {value!r} is not a time")
        return datetime.fromtimestamp(value, UTC)
    if value in (None, ""):
        return now
    if isinstance(value, str):
        try:
            at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise SourceShapeError(source, f"{where}: {value[:60]!r} is not an ISO 8601 time") from None
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    raise SourceShapeError(source, f"{where}: expected an ISO 8601 time or seconds since the epoch")


def parse_json(payload: object, config: SourceConfig, now: datetime) -> list[Alert]:
    """The `json` source's fields over a push: the list where the source's answer has it, or one item."""
    try:
        fields = generic_json.JsonFields.of(dict(config.fields))
    except ValueError as exc:
        raise SourceShapeError(config.name, str(exc)) from None
    if isinstance(payload, dict) and not isinstance(generic_json.resolve(payload, fields.list), list):
        payload = [payload] if not fields.list else _nest(fields.list, [payload])
    return generic_json.parse(payload, fields, source=config.name, now=now)


def _nest(path: str, items: list[object]) -> object:
    """`items` placed at the dotted `path`, so one pushed item reads like a list answer."""
    value: object = items
    for part in reversed(path.split(".")):
        value = {part: value}
    return value
