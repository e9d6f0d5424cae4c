"""Bytes from outside: NUL, 100 kB strings, right-to-left text, HTML-looking titles, lone surrogates.

Each is stored exactly or cleaned to fit the store, never fatal for the rest of the answer; and such an
answer applies to the real databases (PostgreSQL refuses NUL in text and over-long varchars).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.correlation import MAX_KEY_LENGTH, CorrelationRule
from noc_console.domain.severity import Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.sources import SourceShapeError
from noc_console.sources.alertmanager import parse
from noc_console.store import open_store
from noc_console.store.models import AlertRow, IncidentRow

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HUGE = 100_000


def hostile() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = json.loads((DATA / "alerts_hostile.json").read_text(encoding="utf-8"))
    return payload


def huge_alert() -> dict[str, Any]:
    """One alert whose every string is 100 kB (NUL-laced where it can be), with no service label."""
    alert = copy.deepcopy(hostile()[0])
    alert["labels"] = {
        "alertname": "A\x00" + "a" * HUGE,
        "k" * HUGE: "v" * HUGE,
        "team": "t" * HUGE,
        "severity": "critical",
    }
    alert["annotations"] = {"summary": "s" * HUGE, "description": "d" * HUGE + "\x00"}
    alert["fingerprint"] = "f" * HUGE
    alert["generatorURL"] = "http://prometheus.example:9090/graph?" + "q" * HUGE
    return alert


def all_strings(alert: Any) -> list[str]:
    labels = [text for pair in alert.labels.items() for text in pair]
    fields = [alert.fingerprint, alert.summary, alert.description, alert.service, alert.generator_url]
    return [text for text in [*labels, *fields] if text is not None]


def test_nul_is_stripped_from_every_string_of_the_payload() -> None:
    disk = parse(hostile(), source="am")[0]
    assert disk.summary == "Disk full on db-1"
    assert disk.description == "Disk full on host  db-1; the exporter wrote a C string."
    assert disk.fingerprint == "a1b2c3d4e5f60718"
    assert disk.labels == {
        "alertname": "DiskFull",
        "instance": "db-1:9100",
        "service": "database",
        "severity": "critical",
    }
    assert disk.name == "DiskFull" and disk.service == "database"
    assert disk.generator_url == "http://prometheus.example:9090/graph?g0.expr=up"
    assert disk.severity is Severity.CRITICAL
    for alert in parse(hostile(), source="am"):
        for text in all_strings(alert):
            assert "\x00" not in text
            text.encode("utf-8")  # no lone surrogate left either


def test_right_to_left_and_html_looking_text_is_kept_exactly() -> None:
    raw = hostile()
    _, rtl, html, _ = parse(raw, source="am")
    assert rtl.summary == raw[1]["annotations"]["summary"]
    assert rtl.description == raw[1]["annotations"]["description"]
    assert rtl.labels == raw[1]["labels"] and rtl.service == "مدفوعات"
    assert html.summary == "<b>Checkout</b> <script>alert('x')</script> &lt;down&gt;"
    assert html.description == raw[2]["annotations"]["description"]
    assert html.name == "<i>CheckoutDown</i>"
    assert html.generator_url == "javascript:alert(1)"  # kept as text; never opened unchecked by us


def test_lone_surrogates_are_replaced() -> None:
    broken = parse(hostile(), source="am")[3]
    assert broken.summary == "Broken escape \ufffd from a truncating exporter"
    assert broken.labels["path"] == "/var/\ufffdlog"


def test_huge_strings_are_capped_to_fit_the_store() -> None:
    (alert,) = parse([huge_alert()], source="am", service_label="team")
    assert len(alert.summary) == 500 and alert.summary.endswith("…")
    assert len(alert.description) == 10_000 and alert.description.endswith("…")
    assert alert.description.startswith("d" * 9_999)
    assert len(alert.name) == 500 and alert.name.startswith("Aaaa")
    assert alert.service is not None and len(alert.service) == 200
    assert alert.generator_url is not None and len(alert.generator_url) == 2_000
    assert alert.generator_url.startswith("http://prometheus.example:9090/graph?qqq")
    assert len(alert.fingerprint) <= 200
    for key, value in alert.labels.items():
        assert len(key) <= 200 and len(value) <= 1_000
    assert len(alert.labels["team"]) == 1_000  # the label keeps more than the service column can
    assert alert.labels["k" * 199 + "…"] == "v" * 999 + "…"


def test_an_over_long_fingerprint_keeps_the_alerts_identity() -> None:
    one, two = huge_alert(), huge_alert()
    two["fingerprint"] = "f" * (HUGE - 1) + "g"  # differs only past the cut
    first, second = parse([one, two], source="am")
    assert first.fingerprint != second.fingerprint
    assert parse([huge_alert()], source="am")[0].fingerprint == first.fingerprint  # stable


def test_long_alert_names_without_a_service_keep_distinct_correlation_keys() -> None:
    """The key of an alert with no service holds its name; it must still fit incidents.correlation_key."""
    one, two = huge_alert(), huge_alert()
    two["labels"]["alertname"] = "B" + "a" * HUGE
    first, second = parse([one, two], source="am")
    assert first.service is None and len(first.name) == 500
    keys = [CorrelationRule().key(alert, None) for alert in (first, second)]
    assert all(len(key) <= MAX_KEY_LENGTH for key in keys)
    assert keys[0] != keys[1] and keys[0] == CorrelationRule().key(first, None)
    assert CorrelationRule().key(first, "payments") == "service:payments"


@pytest.mark.parametrize(
    ("alert", "where"),
    [
        ({"labels": {"a": "b"}, "startsAt": "2026-11-27T11:59:00Z", "updatedAt": 5}, "alerts[0].updatedAt"),
        ({"labels": "alertname\x00", "startsAt": "2026-11-27T11:59:00Z"}, "alerts[0].labels"),
        ({"labels": {}, "startsAt": "2026-11-27T11:59:00\x00Z"}, "alerts[0].startsAt"),
    ],
)
def test_wrong_types_are_still_refused_with_the_field_named(alert: dict[str, Any], where: str) -> None:
    with pytest.raises(SourceShapeError) as info:
        parse([alert], source="am")
    assert info.value.message.startswith(where)


def test_a_hostile_answer_applies_to_the_database(db_url: str) -> None:
    """PostgreSQL refused NUL in text and over-long varchars: one such alert used to fail every apply."""
    alerts = parse([*hostile(), huge_alert()], source="am")
    snapshot = AlertSnapshot.of("am", NOW, alerts)
    store = open_store(db_url)
    try:
        with store.session() as session:
            result = apply_snapshot(session, snapshot, now=NOW)
        assert len(result.opened) == len(alerts)
        with store.session() as session:
            rows = {row.fingerprint: row for row in session.scalars(select(AlertRow))}
            titles = {row.title for row in session.scalars(select(IncidentRow))}
        assert set(rows) == {a.fingerprint for a in alerts}
        for alert in alerts:
            row = rows[alert.fingerprint]
            assert (row.summary, row.description, row.labels) == (
                alert.summary,
                alert.description,
                dict(alert.labels),
            )
            assert row.name == alert.name and row.generator_url == alert.generator_url
        assert "<b>Checkout</b> <script>alert('x')</script> &lt;down&gt;" in titles
        assert "שרת התשלומים לא מגיב — payments-api-1" in titles
    finally:
        store.close()
