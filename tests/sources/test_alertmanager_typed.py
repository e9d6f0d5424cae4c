"""Alertmanager answers as bytes: the typed decode (msgspec) gives exactly what the careful way gives,
hands every answer it does not take as it is to the careful way, and reads times without rounding."""

from __future__ import annotations

import copy
import dataclasses
import gc
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from noc_console.domain.alerts import Alert
from noc_console.sources import SourceInvalidJSON, SourceShapeError
from noc_console.sources import alertmanager_decode as decode
from noc_console.sources.alertmanager import parse, parse_time

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
TYPED = ["alerts_empty.json", "alerts_firing.json", "alerts_suppressed.json", "alerts_unsuppressed.json"]


def both_ways(body: bytes, **kwargs: Any) -> tuple[list[Alert], list[Alert]]:
    """The alerts of `body` as bytes (typed when it can) and as decoded JSON (always the careful way)."""
    return parse(body, source="am", **kwargs), parse(json.loads(body), source="am", **kwargs)


def one(**fields: Any) -> dict[str, Any]:
    alert: dict[str, Any] = {
        "labels": {"alertname": "Down", "service": "payments", "severity": "critical"},
        "annotations": {"summary": "Payments down", "description": "All of it."},
        "startsAt": "2026-11-27T11:00:00.123456789Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "updatedAt": "2026-11-27T11:59:00Z",
        "fingerprint": "0123456789abcdef",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up&g0.tab=1",
        "receivers": [{"name": "noc"}],
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
    }
    alert.update(fields)
    return alert


def encode(*alerts: dict[str, Any]) -> bytes:
    return json.dumps(list(alerts), ensure_ascii=False).encode()


@pytest.mark.parametrize("name", TYPED)
def test_recorded_answers_take_the_typed_way_and_give_the_careful_ways_alerts(name: str) -> None:
    body = (DATA / name).read_bytes()
    assert decode.parse_typed(body, "am", "service", "severity") is not None
    typed, careful = both_ways(body)
    assert typed == careful
    assert [a.fingerprint for a in typed] == [a.fingerprint for a in careful]


def test_custom_labels_and_a_missing_fingerprint_the_same_both_ways() -> None:
    body = encode(
        one(labels={"alertname": "X", "team": "payments", "priority": "P1"}, fingerprint=None),
        one(labels={"job": "x", "alertname": "A"}, annotations=None, status=None, generatorURL=""),
    )
    typed, careful = both_ways(body, service_label="team", severity_label="priority")
    assert typed == careful
    assert typed[0].service == "payments" and typed[0].severity.value == "critical"
    assert typed[0].fingerprint == decode.labels_fingerprint(
        {"alertname": "X", "team": "payments", "priority": "P1"}
    )
    assert typed[1].summary == "A" and typed[1].description == "" and typed[1].generator_url is None


def test_nanoseconds_are_cut_never_rounded_and_the_zero_time_is_no_end() -> None:
    body = encode(
        one(startsAt="2026-11-27T11:00:00.999999999Z", endsAt="2026-11-27T13:00:00.000000001+02:00"),
        one(fingerprint="2", endsAt="0001-01-01T00:00:00Z"),
    )
    late, open_ended = parse(body, source="am")
    assert late.starts_at == datetime(2026, 11, 27, 11, 0, 0, 999999, tzinfo=UTC)  # not 11:00:01
    assert late.ends_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert late.starts_at.tzinfo is UTC and late.ends_at.tzinfo is UTC
    assert late.source_time == datetime(2026, 11, 27, 11, 59, tzinfo=UTC)
    assert open_ended.ends_at is None
    assert decode.parse_typed(body, "am", "service", "severity") == [late, open_ended]


def test_distinct_times_read_in_one_call_agree_with_the_careful_way() -> None:
    fractions = ["", ".5", ".000000500", ".123456499", ".123456500", ".999999999", ".1234567890123"]
    zones = ["Z", "z", "+00:00", "-00:00", "+05:45", "-0930"]
    alerts = [
        one(
            fingerprint=str(i),
            startsAt=f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:59{fractions[i % 7]}{zones[i % 6]}",
            updatedAt=f"2026-11-27 11:59:{i % 60:02d}{fractions[(i + 3) % 7]}Z",
        )
        for i in range(300)
    ]
    body = encode(*alerts)
    assert decode.parse_typed(body, "am", "service", "severity") is not None
    typed, careful = both_ways(body)
    assert typed == careful
    assert all(a.starts_at.tzinfo is UTC and a.source_time is not None for a in typed)
    late = next(a for a in typed if a.fingerprint == "12")  # .999999999Z stays in its second
    assert late.starts_at == datetime(2026, 11, 13, 12, 12, 59, 999999, tzinfo=UTC)
    east = next(a for a in typed if a.fingerprint == "10")  # 10:10:59.123456499+05:45
    assert east.starts_at == datetime(2026, 11, 11, 4, 25, 59, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-14T09:12:13.999999999Z", datetime(2024, 5, 14, 9, 12, 13, 999999, tzinfo=UTC)),
        ("2024-05-14T09:12:13.1234567+00:00", datetime(2024, 5, 14, 9, 12, 13, 123456, tzinfo=UTC)),
        ("2024-05-14 09:12:13-0130", datetime(2024, 5, 14, 10, 42, 13, tzinfo=UTC)),
        ("  2024-05-14T09:12:13Z ", datetime(2024, 5, 14, 9, 12, 13, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31T23:59:59.999999999Z", datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_parse_time_reads_what_go_writes(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-14T09:12:13",  # no zone
        "2024-05-14T09:12:13.Z",  # a point without digits
        "2024-05-14T09:12:13,5Z",  # a decimal comma
        "20240514T091213Z",  # the basic format
        "2024-W20-1T09:12:13Z",  # a week date
        "2024-05-14T09:12Z",  # no seconds
        "2024-05-14T24:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-05-14T09:12:13+24:00",
        "٢٠٢٤-05-14T09:12:13Z",  # digits, but not ASCII ones
        "0001-01-01T00:00:00+01:00",  # before the first representable instant in UTC
        "9999-12-31T23:59:59-01:00",  # after the last
    ],
)
def test_parse_time_refuses_what_is_not_rfc_3339(text: str) -> None:
    with pytest.raises(ValueError, match="time"):
        parse_time(text)


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (  # a label value longer than the store keeps
            lambda a: a["labels"].update(instance="i" * 5_000),
            lambda alert: len(alert.labels["instance"]) == 1_000 and alert.labels["instance"].endswith("…"),
        ),
        (
            lambda a: a["annotations"].update(summary="S" * 20_000),
            lambda alert: len(alert.summary) == 500,
        ),
        (
            lambda a: a.update(fingerprint="f" * 300),
            lambda alert: alert.fingerprint.startswith("sha256:"),
        ),
        (  # a NUL, which no database column keeps
            lambda a: a["annotations"].update(summary="Payments\x00 down"),
            lambda alert: alert.summary == "Payments down",
        ),
        (
            lambda a: a["labels"].update(port=9100),
            lambda alert: alert.labels["port"] == "9100",
        ),
        (
            lambda a: a["annotations"].update(summary=None),
            lambda alert: alert.summary == "null",
        ),
        (
            lambda a: a.update(status="active"),
            lambda alert: not alert.silenced and not alert.inhibited,
        ),
        (
            lambda a: a["status"].update(silencedBy=[{"id": "x"}]),
            lambda alert: alert.silenced,
        ),
        (
            lambda a: a.update(generatorURL=42),
            lambda alert: alert.generator_url is None,
        ),
    ],
)
def test_what_the_typed_decode_does_not_take_goes_the_careful_way(change: Any, check: Any) -> None:
    alert = one()
    change(alert)
    body = encode(one(fingerprint="first"), alert)
    assert decode.parse_typed(body, "am", "service", "severity") is None
    typed, careful = both_ways(body)
    assert typed == careful
    assert check(typed[1])


def test_fields_shorter_than_a_label_are_cut_on_the_typed_way_as_on_the_careful_way() -> None:
    long_name = one(labels={"alertname": "N" * 800, "service": "s" * 300}, annotations={"title": "T" * 600})
    body = encode(long_name, one(fingerprint="2", annotations={"description": "d" * 10_000}))
    assert decode.parse_typed(body, "am", "service", "severity") is not None
    typed, careful = both_ways(body)
    assert typed == careful
    named, described = typed
    assert len(named.labels["alertname"]) == 500 and named.labels["alertname"].endswith("…")
    assert len(named.summary) == 500 and named.summary.startswith("TTT")
    assert named.service is not None and len(named.service) == 200
    assert described.description == "d" * 10_000 and described.summary == "Down"


def test_a_time_with_spaces_around_it_is_read_the_careful_way() -> None:
    body = encode(one(startsAt=" 2026-11-27T11:00:00Z "))
    assert decode.parse_typed(body, "am", "service", "severity") is None
    (alert,) = parse(body, source="am")
    assert alert.starts_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


def test_a_lone_surrogate_is_replaced_on_the_careful_way() -> None:
    body = b'[{"labels": {"alertname": "A\\ud800"}, "startsAt": "2026-11-27T11:00:00Z"}]'
    assert decode.parse_typed(body, "am", "service", "severity") is None
    (alert,) = parse(body, source="am")
    assert alert.name == "A\ufffd"


def shape_errors() -> Iterator[tuple[Any, str]]:
    good = {"labels": {"a": "b"}, "startsAt": "2024-05-14T09:00:00Z"}
    yield {"data": []}, "alerts: expected a JSON list, got an object"
    yield [good, "x"], "alerts[1]: expected an object"
    yield [good, {"startsAt": "2024-05-14T09:00:00Z"}], "alerts[1].labels: missing"
    yield [{"labels": {"a": "b"}}], "alerts[0].startsAt: missing"
    yield [{**good, "startsAt": "2024-05-14T09:00:00.Z"}], "alerts[0].startsAt: not an ISO 8601 time"
    yield [good, good, {**good, "endsAt": "soon"}], "alerts[2].endsAt: not an ISO 8601 time"
    yield [{**good, "updatedAt": "2024-05-14T09:00:00+25:00"}], "alerts[0].updatedAt: not an ISO 8601 time"
    yield [{**good, "annotations": "x"}], "alerts[0].annotations: expected an object"
    yield [good, {**good, "startsAt": "2024-05-14T09:00:00"}], "alerts[1].startsAt: not an ISO 8601 time"


@pytest.mark.parametrize(("payload", "where"), list(shape_errors()))
def test_errors_from_bytes_name_the_field_as_before(payload: Any, where: str) -> None:
    with pytest.raises(SourceShapeError, match=r"^am: ") as info:
        parse(json.dumps(payload).encode(), source="am")
    assert info.value.message.startswith(where)


def test_the_recorded_bad_time_names_its_alert_from_bytes_too() -> None:
    with pytest.raises(SourceShapeError) as info:
        parse((DATA / "alerts_bad_starts_at.json").read_bytes(), source="am")
    assert info.value.message == "alerts[3].startsAt: not an ISO 8601 time"


@pytest.mark.parametrize("body", [b"[{not json", b"", b"\xff[]", b'[{"a": 1}'])
def test_bytes_that_are_not_json_are_invalid_json(body: bytes) -> None:
    with pytest.raises(SourceInvalidJSON, match=r"^am: answer is not valid JSON"):
        parse(body, source="am")


def test_the_fast_constructor_sets_every_field_of_alert() -> None:
    assert not hasattr(Alert, "__post_init__")  # it would be skipped
    (built,) = parse(encode(one()), source="am")
    # Reading a slot that was never set raises AttributeError: replace() reads every field, and
    # Alert's own __init__ then takes each value back.
    assert dataclasses.replace(built) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.summary = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        parse(encode(one()), source="am")
        assert gc.isenabled() is enabled
        with pytest.raises(SourceShapeError):
            parse(encode({"labels": {}}), source="am")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_many_alerts_share_one_reading_of_each_time() -> None:
    alerts = [one(fingerprint=str(i)) for i in range(50)]
    alerts[7] = copy.deepcopy(alerts[7])
    alerts[7]["startsAt"] = "2026-11-27T12:00:00+01:00"
    parsed = parse(encode(*alerts), source="am")
    assert parsed[0].starts_at is parsed[49].starts_at
    assert parsed[7].starts_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert parsed[7].starts_at.tzinfo is UTC
