"""`[heartbeat]`: read with its defaults; every mistake named by its field."""

from __future__ import annotations

import tomllib

import pytest

from noc_console.config import ConfigError, parse_config
from noc_console.config_heartbeat import HeartbeatConfig

X = "https://x.example"


def test_the_heartbeat_is_off_without_the_section_and_read_with_its_defaults() -> None:
    assert parse_config({}).heartbeat is None
    config = parse_config({"heartbeat": {"url": "https://hc-ping.com/5e1f0c2a"}}).heartbeat
    assert config == HeartbeatConfig(
        url="https://hc-ping.com/5e1f0c2a", method="GET", interval_s=60, timeout_s=10
    )
    assert config.safe_url() == "https://hc-ping.com"  # the path is the check's secret


def test_an_opsgenie_heartbeat_sends_its_key_in_a_header() -> None:
    text = """
[heartbeat]
url = "https://api.opsgenie.com/v2/heartbeats/noc-floor/ping"
method = "post"
interval_s = 120
timeout_s = 5
auth_header = "Authorization"
auth_scheme = "GenieKey"
"""
    config = parse_config(tomllib.loads(text)).heartbeat
    assert config is not None
    assert (config.method, config.interval_s, config.timeout_s) == ("POST", 120, 5)
    assert (config.auth_header, config.auth_scheme, config.credential_name) == (
        "Authorization", "GenieKey", "heartbeat"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({}, "heartbeat.url: required"),
        ({"url": "ftp://example.com/ping"}, "heartbeat.url: must be an http:// or https:// URL"),
        (
            {"url": "https://user:pw@example.com/ping"},
            "heartbeat.url: must not contain a user",
        ),
        (
            {"url": "http://example.com/ping", "auth_header": "Authorization"},
            "heartbeat.url: must be https://",
        ),
        ({"url": X, "method": "PUT"}, "heartbeat.method: must be GET or POST"),
        ({"url": X, "interval_s": 5}, "heartbeat.interval_s: must be between 10 and 3600"),
        ({"url": X, "interval_s": "60"}, "heartbeat.interval_s: must be a number"),
        ({"url": X, "timeout_s": 0}, "heartbeat.timeout_s: must be between 0.5 and 60"),
        (
            {"url": X, "interval_s": 10, "timeout_s": 30},
            "heartbeat.timeout_s: must be shorter",
        ),
        (
            {"url": X, "auth_header": "Auth orization"},
            "heartbeat.auth_header: 'Auth orization'",
        ),
        ({"url": X, "auth_scheme": "GenieKey"}, "heartbeat.auth_scheme: needs auth_header"),
        (
            {"url": X, "auth_header": "A", "auth_scheme": "Genie Key"},
            "heartbeat.auth_scheme:",
        ),
        (
            {"url": X, "api_key": "k"},
            "heartbeat.api_key: credentials never go",
        ),
        ({"url": X, "intervall_s": 60}, "heartbeat.intervall_s: unknown setting"),
    ],
)
def test_a_bad_heartbeat_names_its_field(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"heartbeat": table})
    assert str(error.value).startswith(message)
    assert "'k'" not in str(error.value)


def test_a_heartbeat_that_is_not_a_table_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^heartbeat: must be a table"):
        parse_config({"heartbeat": X})
