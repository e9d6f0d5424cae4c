"""An Alertmanager HA pair, pure parts: the `urls` config, merging the members' alerts, whose clock
speaks for the merged answer, and a partial answer resolving nothing by absence."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

import pytest

from noc_console.config import ConfigError, config_warnings, parse_config
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.sources.alertmanager import member_clock, merge_members

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
HEAD = "[[sources]]\nname='pair'\ntype='alertmanager'\n"


def alert(fingerprint: str, summary: str = "down", updated: datetime | None = None) -> Alert:
    return Alert(
        source="pair",
        fingerprint=fingerprint,
        labels={"alertname": "Down", "fp": fingerprint},
        summary=summary,
        description="",
        severity=Severity.CRITICAL,
        starts_at=NOW - timedelta(hours=1),
        source_time=updated,
    )


def test_urls_make_an_ha_pair() -> None:
    config = parse_config(tomllib.loads(HEAD + "urls=['http://a:9093', 'https://b:9093/']"))
    (source,) = config.sources
    assert source.members == ("http://a:9093", "https://b:9093/")
    assert source.url == "http://a:9093"
    single = parse_config(tomllib.loads(HEAD + "url='http://a:9093'")).sources[0]
    assert single.urls == () and single.members == ("http://a:9093",)


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ("url='http://a'\nurls=['http://a', 'http://b']", "sources[0] (pair).urls", "not both"),
        ("urls='http://a'", "sources[0] (pair).urls", "at least 2"),
        ("urls=['http://a']", "sources[0] (pair).urls", "at least 2"),
        ("urls=[]", "sources[0] (pair).urls", "at least 2"),
        ("urls=['http://a', 3]", "sources[0] (pair).urls[1]", "non-empty string"),
        ("urls=['http://a', ' ']", "sources[0] (pair).urls[1]", "non-empty string"),
        ("urls=['ftp://a', 'http://b']", "sources[0] (pair).urls[0]", "http:// or https://"),
        ("urls=['http://a', 'http://u:pw@b']", "sources[0] (pair).urls[1]", "password"),
        ("urls=['http://a:9093', 'http://a:9093/']", "sources[0] (pair).urls[1]", "listed twice"),
        ("", "sources[0] (pair).url", "url"),
    ],
)
def test_bad_urls_name_the_field(body: str, field: str, says: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(tomllib.loads(HEAD + body))
    message = str(error.value)
    assert message.startswith(field + ":"), message
    assert says in message


def test_urls_only_for_alertmanager() -> None:
    text = "[[sources]]\nname='p'\ntype='nagios'\nurls=['http://a', 'http://b']"
    with pytest.raises(ConfigError) as error:
        parse_config(tomllib.loads(text))
    assert str(error.value).startswith("sources[0] (p).urls:")
    assert "only an alertmanager" in str(error.value)


def test_plain_http_password_warned_for_any_member() -> None:
    config = parse_config(tomllib.loads(HEAD + "username='noc'\nurls=['https://a:9093', 'http://b:9093']"))
    (warning,) = [w for w in config_warnings(config) if "plain http" in w]
    assert "pair" in warning
    safe = parse_config(tomllib.loads(HEAD + "username='noc'\nurls=['https://a', 'https://b']"))
    assert not [w for w in config_warnings(safe) if "plain http" in w]


def test_merge_members_keeps_each_fingerprint_once() -> None:
    a = [alert("f1"), alert("f2")]
    b = [alert("f2"), alert("f3")]
    merged = merge_members([a, b])
    assert sorted(x.fingerprint for x in merged) == ["f1", "f2", "f3"]


def test_merge_members_latest_update_wins() -> None:
    old, new = NOW - timedelta(minutes=5), NOW - timedelta(minutes=1)
    a = [alert("f1", "old text", old)]
    b = [alert("f1", "new text", new)]
    assert merge_members([a, b])[0].summary == "new text"
    assert merge_members([b, a])[0].summary == "new text"
    # an update time beats none; with none on either side, the first member's stays
    assert merge_members([[alert("f1", "no time")], b])[0].summary == "new text"
    assert merge_members([b, [alert("f1", "no time")]])[0].summary == "new text"
    assert merge_members([[alert("f1", "first")], [alert("f1", "second")]])[0].summary == "first"
    assert merge_members([]) == []


def test_member_clock_speaks_for_the_member_up_longest() -> None:
    long_up = (NOW - timedelta(days=3), NOW)
    restarted = (NOW - timedelta(seconds=20), NOW - timedelta(seconds=1))
    assert member_clock([restarted, long_up], NOW) == long_up
    assert member_clock([long_up, restarted], NOW) == long_up
    assert member_clock([restarted], NOW) == restarted
    # both young: the merged answer is young
    younger = (NOW - timedelta(seconds=5), NOW)
    assert member_clock([restarted, younger], NOW) == restarted
    # no Date header: uptime counted to our clock
    assert member_clock([(NOW - timedelta(hours=1), None), restarted], NOW) == (
        NOW - timedelta(hours=1),
        None,
    )
    # one member's uptime unknown: the merged uptime is unknown
    assert member_clock([long_up, (None, NOW)], NOW) == (None, None)


def test_partial_snapshot_counts_no_absence() -> None:
    from noc_console.domain.correlation import SourceRules

    rules = SourceRules()
    full = AlertSnapshot.of("pair", NOW, [alert("f1")])
    partial = AlertSnapshot.of("pair", NOW, [alert("f1")], warning="1 of 2 members", partial=True)
    assert rules.counts_absence(full) is True
    assert rules.counts_absence(partial) is False
