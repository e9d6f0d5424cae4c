"""The generic JSON source: a field mapping from the config reads any endpoint's list, through the real
fetch() over HTTP; bad mappings are refused naming the field, bad items name the item and the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.config import ConfigError, parse_config
from noc_console.domain.severity import Severity
from noc_console.sources import JsonFields, JsonSource, SourceShapeError, make_source
from noc_console.sources.base import SourceConfig
from noc_console.sources.generic_json import parse
from tests.cli.helpers import run_cli
from tests.paging.vendor_server import Reply, vendor_server

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
FIELDS = {
    "list": "data.items", "id": "id", "title": "summary", "severity": "level",
    "service": "component.name", "started": "created_at", "description": "details.0.text",
}  # fmt: skip
ANSWER = {
    "data": {
        "items": [
            {"id": 481, "summary": "Card payments failing", "level": "P1", "component": {"name": "payments"},
             "created_at": "2026-11-27T11:52:00Z", "details": [{"text": "acquirer returns 502"}]},
            {"id": "x-2", "summary": "Slow search", "level": "minor", "created_at": 1795831200},
            {"id": 481, "summary": "Card payments failing (again)"},
            {"id": 7, "summary": "Status page stale"},
        ]
    }
}  # fmt: skip


def test_parse_reads_each_field_through_its_path() -> None:
    alerts = parse(ANSWER, JsonFields.of(FIELDS), source="status", now=NOW)
    assert [a.fingerprint for a in alerts] == ["id:481", "id:x-2", "id:7"]  # the same id twice: one problem
    payments, search, stale = alerts
    assert (payments.severity, payments.service, payments.description) == (
        Severity.CRITICAL, "payments", "acquirer returns 502",
    )  # fmt: skip
    assert payments.starts_at == datetime(2026, 11, 27, 11, 52, tzinfo=UTC)
    assert (search.severity, search.starts_at) == (Severity.MINOR, datetime.fromtimestamp(1795831200, UTC))
    assert (stale.severity, stale.starts_at, stale.service) == (Severity.WARNING, NOW, None)


def test_an_answer_that_is_the_list_itself() -> None:
    (alert,) = parse(
        [{"key": "a", "name": "A"}], JsonFields.of({"id": "key", "title": "name"}), source="s", now=NOW
    )
    assert (alert.fingerprint, alert.summary) == ("id:a", "A")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"data": {}}, "the answer's 'data.items': expected a list"),
        ({"data": {"items": [{"summary": "no id"}]}}, "item 0: no id at 'id'"),
        ({"data": {"items": [{"id": 1, "summary": {"a": 1}}]}}, "item 0: no title at 'summary'"),
        ({"data": {"items": [{"id": 1, "summary": "x", "created_at": "yesterday"}]}},
         "item 0.created_at: 'yesterday' is not an ISO 8601 time"),
    ],
)  # fmt: skip
def test_bad_items_name_the_item_and_the_field(payload: object, message: str) -> None:
    with pytest.raises(SourceShapeError, match=message):
        parse(payload, JsonFields.of(FIELDS), source="status", now=NOW)


def source_entry(url: str, **fields: Any) -> dict[str, Any]:
    return {"name": "status", "type": "json", "url": url, "fields": fields}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "t"}, r"sources\[0\] \(status\)\.fields\.id: required"),
        ({"id": "i", "title": "t", "colour": "c"}, r"fields\.colour: unknown field"),
        ({"id": "i..x", "title": "t"}, r"fields\.id: 'i\.\.x' is not a dotted path"),
    ],
)
def test_bad_mappings_are_refused_naming_the_field(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"sources": [source_entry("https://status.example", **fields)]})
    with pytest.raises(ConfigError, match="a json source needs a"):
        parse_config({"sources": [{"name": "s", "type": "json", "url": "https://status.example"}]})
    with pytest.raises(ConfigError, match="only a json source maps fields"):
        parse_config(
            {"sources": [{**source_entry("https://am.example", id="i", title="t"), "type": "alertmanager"}]}
        )


def test_fetch_over_http_with_basic_auth() -> None:
    (config,) = parse_config({"sources": [source_entry("http://127.0.0.1:1/x", **FIELDS)]}).sources
    with vendor_server() as server, requests.Session() as session:
        server.default = Reply(200, ANSWER)
        source = make_source(
            SourceConfig(
                config.name, "json", server.url + "/api/problems", username="u", fields=config.fields
            ),
            {"source:status": "pw"}.__getitem__,
        )
        assert isinstance(source, JsonSource)
        snapshot = source.fetch(session, NOW)
        (request,) = server.requests
        assert request.path == "/api/problems" and request.headers["authorization"].startswith("Basic ")
    assert len(snapshot.alerts) == 3


def test_poll_once_opens_incidents_from_a_json_endpoint(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    with vendor_server() as server:
        server.default = Reply(200, ANSWER)
        config = tmp_path / "noc.toml"
        mapping = "\n".join(f'{key} = "{path}"' for key, path in FIELDS.items())
        config.write_text(
            f'[[sources]]\nname = "status"\ntype = "json"\nurl = "{server.url}/api/problems"\n'
            f"[sources.fields]\n{mapping}\n"
        )
        polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
        assert polled.returncode == 0, polled.stderr
    shown = json.loads(run_cli("--db", db, "--config", str(config), "incidents", "--json").stdout)
    assert sorted(i["title"] for i in shown) == ["Card payments failing", "Slow search", "Status page stale"]
