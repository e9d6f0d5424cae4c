"""The pure parses of pushed payloads (sources.webhooks), on the recorded examples in tests/data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc_console.domain import Severity
from noc_console.domain.alerts import AlertState
from noc_console.sources import alertmanager, zabbix
from noc_console.sources.base import SourceConfig, SourceInvalidJSON, SourceShapeError
from noc_console.sources.webhooks import parse_push

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime(2026, 11, 27, 12, 10, tzinfo=UTC)


def config(kind: str, **extra: object) -> SourceConfig:
    return SourceConfig(name="src", type=kind, url="http://127.0.0.1:1", **extra)  # type: ignore[arg-type]


def test_an_alertmanager_webhook_gives_the_alerts_its_api_would_give_with_their_status() -> None:
    body = (DATA / "alertmanager" / "webhook_firing.json").read_bytes()
    snapshot = parse_push(config("alertmanager"), body, NOW)
    assert snapshot.partial and snapshot.source == "src" and snapshot.digest is None
    # the same alerts, field for field, as the API's parse of the same items: push and poll agree
    as_polled = alertmanager.parse(json.loads(body)["alerts"], source="src")
    assert list(snapshot.alerts) == as_polled
    first = snapshot.alerts[0]
    assert first.fingerprint == "1a30ba71cca2921f" and first.severity is Severity.CRITICAL
    assert first.service == "payments" and first.ends_at is None and not first.has_ended()

    later = (DATA / "alertmanager" / "webhook_resolved.json").read_bytes()
    (alert,) = parse_push(config("alertmanager"), later, NOW).alerts
    assert alert.fingerprint == "1a30ba71cca2921f"
    assert alert.state is AlertState.RESOLVED and alert.has_ended()


def test_a_grafana_webhook_is_read_as_alertmanager_s_and_its_extra_fields_ignored() -> None:
    snapshot = parse_push(config("grafana"), (DATA / "grafana" / "webhook.json").read_bytes(), NOW)
    firing, resolved = snapshot.alerts
    assert firing.summary == "Checkout memory high in us-1" and firing.severity is Severity.MAJOR
    assert firing.starts_at == datetime(2026, 11, 27, 10, 51, 3, 157076, tzinfo=UTC)
    assert firing.generator_url == "https://grafana.example.org/alerting/1afz29v7z/edit"
    assert (firing.state, resolved.state) == (AlertState.FIRING, AlertState.RESOLVED)


def test_a_zabbix_webhook_event_is_the_problem_polled_and_its_recovery_resolves_it() -> None:
    problem = parse_push(config("zabbix"), (DATA / "zabbix" / "webhook_problem.json").read_bytes(), NOW)
    (alert,) = problem.alerts
    assert alert.fingerprint == "event:8471"  # as the polled problem.get answer names it
    assert alert.summary == "High CPU utilization (over 90% for 5m) on db-01"
    assert alert.severity is zabbix.SEVERITIES[4] and alert.labels["zabbix_severity"] == "high"
    assert alert.service == "billing" and alert.labels["component"] == "cpu"
    assert alert.starts_at == datetime.fromtimestamp(1795780800, UTC)
    assert alert.description == "Current utilization: 97.3 %" and not alert.inhibited
    recovery = parse_push(config("zabbix"), (DATA / "zabbix" / "webhook_resolved.json").read_bytes(), NOW)
    (over,) = recovery.alerts
    assert over.fingerprint == alert.fingerprint and over.state is AlertState.RESOLVED
    assert over.severity is alert.severity and over.labels["service"] == "billing"  # by name, tags as text


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"name": "x"}, "event.event_id: missing"),
        ({"event_id": "1"}, "event.name: missing"),
        ({"event_id": "1", "name": "x", "severity": "9"}, "event.severity: '9' is not 0-5 nor a Zabbix"),
        ({"event_id": "1", "name": "x", "status": "{EVENT.STATUS}"}, "event.status: '{EVENT.STATUS}' is"),
        ({"event_id": "1", "name": "x", "started": "yesterday"}, "event.started: 'yesterday' is not an ISO"),
        ({"event_id": "1", "name": "x", "tags": 5}, "event.tags: expected a list of {tag, value}"),
        ({"event_id": ["1"], "name": "x"}, "event.event_id: expected a string"),
        ([{"event_id": "1", "name": "x"}, 3], "event[1]: expected a JSON object"),
    ],
)
def test_a_zabbix_event_that_is_not_the_documented_shape_names_the_field(event: object, message: str) -> None:
    with pytest.raises(SourceShapeError) as caught:
        parse_push(config("zabbix"), json.dumps(event).encode(), NOW)
    assert caught.value.message.startswith(message)


FIELDS = (("list", "data.items"), ("id", "key"), ("title", "text"), ("status", "state"))


def test_a_generic_json_push_is_the_list_the_source_answers_or_one_item() -> None:
    listed = {"data": {"items": [{"key": 1, "text": "A down"}, {"key": 2, "text": "B down", "state": "ok"}]}}
    snapshot = parse_push(config("json", fields=FIELDS), json.dumps(listed).encode(), NOW)
    assert [(a.fingerprint, a.state) for a in snapshot.alerts] == [
        ("id:1", AlertState.FIRING), ("id:2", AlertState.RESOLVED),
    ]  # fmt: skip
    one = parse_push(config("json", fields=FIELDS), b'{"key": "3", "text": "C down"}', NOW)
    assert [(a.fingerprint, a.summary, a.starts_at) for a in one.alerts] == [("id:3", "C down", NOW)]
    with pytest.raises(SourceShapeError, match=r"item 0\.state: 'maybe' is neither firing"):
        parse_push(config("json", fields=FIELDS), b'{"key": "3", "text": "C", "state": "maybe"}', NOW)


def test_a_malformed_push_names_its_field_and_the_watchdog_is_left_to_polls() -> None:
    with pytest.raises(SourceInvalidJSON):
        parse_push(config("alertmanager"), b"\xff not json", NOW)
    for body, message in (
        (b"[]", "the body: expected a JSON object"),
        (b'{"alerts": {}}', "alerts: expected a list"),
        (b'{"alerts": [{"labels": {}, "startsAt": "2026-11-27T12:00:00Z"}]}', "alerts[0].status: expected"),
        (b'{"alerts": [{"status": "firing", "startsAt": "2026-11-27T12:00Z"}]}', "alerts[0].labels: missing"),
    ):
        with pytest.raises(SourceShapeError) as caught:
            parse_push(config("alertmanager"), body, NOW)
        assert caught.value.message.startswith(message), caught.value.message
    watchdog = {"alerts": [
        {"status": "firing", "labels": {"alertname": "Watchdog"}, "startsAt": "2026-11-27T12:00:00Z"},
        {"status": "firing", "labels": {"alertname": "Down"}, "startsAt": "2026-11-27T12:00:00Z"},
    ]}  # fmt: skip
    snapshot = parse_push(config("alertmanager", watchdog="Watchdog"), json.dumps(watchdog).encode(), NOW)
    assert [a.name for a in snapshot.alerts] == ["Down"]
    with pytest.raises(ValueError, match="a icinga2 source takes no pushes"):
        parse_push(config("icinga2"), b"{}", NOW)
