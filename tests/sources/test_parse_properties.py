"""Property-based: every source's pure parse(), given a malformed payload, either reads it or raises a
SourceError that says what is wrong; it never crashes with anything else, and what it returns is
alerts. The payloads are the recorded good answers with one part replaced by any JSON value (the
hard case: almost right), and arbitrary JSON."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noc_console.domain.alerts import Alert
from noc_console.sources import alertmanager, generic_json, icinga2, nagios, prometheus, zabbix
from noc_console.sources.base import SourceError

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
SETTINGS = settings(
    max_examples=int(os.environ.get("NOC_TEST_EXAMPLES", "150")),  # more: NOC_TEST_EXAMPLES=2000
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow],
)


def load(path: str) -> Any:
    return json.loads((DATA / path).read_text())


ICINGA = {
    "results": [
        {"name": "web-1!https", "type": "Service", "joins": {"host": {"display_name": "Web 1"}}, "attrs": {
            "name": "https", "display_name": "HTTPS", "host_name": "web-1", "state": 2, "state_type": 1,
            "last_hard_state_change": 1795833600.5, "acknowledgement": 0, "downtime_depth": 0,
            "vars": {"service": "checkout"},
            "last_check_result": {"output": "HTTP CRITICAL", "execution_end": 1795833601.25}}},
    ]
}  # fmt: skip
FIELDS = generic_json.JsonFields.of(
    {"list": "items", "id": "id", "title": "t", "severity": "s", "started": "at"}
)
GENERIC = {"items": [{"id": 1, "t": "Checkout down", "s": "critical", "at": "2026-11-27T11:00:00Z"}]}

PARSERS: dict[str, tuple[Any, Callable[[Any], list[Alert]]]] = {
    "alertmanager": (load("alertmanager/alerts_firing.json"), lambda p: alertmanager.parse(p, source="s")),
    "grafana": (load("grafana/alerts.json"), lambda p: alertmanager.parse(p, source="s")),
    "icinga2": (ICINGA, lambda p: icinga2.parse(p, kind="service", source="s")),
    "nagios services": (
        load("nagios/servicelist.json"),
        lambda p: nagios.parse(p, kind="service", source="s"),
    ),
    "nagios hosts": (load("nagios/hostlist.json"), lambda p: nagios.parse(p, kind="host", source="s")),
    "zabbix": (
        [load("zabbix/problem.get.json")["result"], load("zabbix/trigger.get.json")["result"]],
        lambda p: (
            zabbix.parse(p[0], p[1], source="s")
            if isinstance(p, list) and len(p) == 2
            else zabbix.parse(p, [], source="s")
        ),
    ),
    "json": (GENERIC, lambda p: generic_json.parse(p, FIELDS, source="s", now=NOW)),
    "prometheus": (load("prometheus/alerts.json"), lambda p: prometheus.parse(p, source="s")),
}


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (the root included)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copied = copy.deepcopy(value)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return copied


def reads_or_refuses(parse: Callable[[Any], list[Alert]], payload: Any) -> None:
    try:
        alerts = parse(payload)
    except SourceError as exc:
        assert str(exc)  # it says what is wrong
        return
    assert isinstance(alerts, list) and all(isinstance(a, Alert) for a in alerts)
    for alert in alerts:
        assert alert.fingerprint and alert.starts_at.tzinfo is not None


def check(name: str, data: st.DataObject) -> None:
    base, parse = PARSERS[name]
    where = data.draw(st.sampled_from(paths(base)))
    reads_or_refuses(parse, replaced(base, where, data.draw(JSON)))


@SETTINGS
@given(st.data())
def test_alertmanager_and_grafana(data: st.DataObject) -> None:
    check(data.draw(st.sampled_from(["alertmanager", "grafana"])), data)


@SETTINGS
@given(st.data())
def test_icinga2(data: st.DataObject) -> None:
    check("icinga2", data)


@SETTINGS
@given(st.data())
def test_nagios(data: st.DataObject) -> None:
    check(data.draw(st.sampled_from(["nagios services", "nagios hosts"])), data)


@SETTINGS
@given(st.data())
def test_zabbix(data: st.DataObject) -> None:
    check("zabbix", data)


@SETTINGS
@given(st.data())
def test_prometheus(data: st.DataObject) -> None:
    check("prometheus", data)


@SETTINGS
@given(st.data())
def test_generic_json(data: st.DataObject) -> None:
    check("json", data)


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)), JSON)
def test_any_json_at_all(name: str, payload: Any) -> None:
    reads_or_refuses(PARSERS[name][1], payload)


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)), st.binary(max_size=64))
def test_bytes_that_are_not_json(name: str, payload: bytes) -> None:
    if name == "zabbix":
        return  # zabbix.parse takes decoded results (the fetch decodes the JSON-RPC answer)
    reads_or_refuses(PARSERS[name][1], payload)
