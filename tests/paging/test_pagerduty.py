"""PagerDuty Events API v2 through the real module over HTTP to a local stand-in: the events exactly as
PagerDuty documents them, and its documented answers (tests/data/paging/pagerduty)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

from noc_console.paging import pagerduty
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.recorded import HOSTILE_TITLE, a_page, closed_port_url, recorded, server_fixture
from tests.paging.vendor_server import Reply, VendorServer

ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6"


@pytest.fixture
def server() -> Iterator[VendorServer]:
    yield from server_fixture()


def provider(
    url: str, timeout_s: float = 2.0, key: str = ROUTING_KEY, **options: str
) -> pagerduty.PagerDutyProvider:
    config = ProviderConfig("pd", ProviderType.PAGERDUTY, url, timeout_s, options)
    return pagerduty.build(config, lambda name: key)


def accepted() -> Reply:
    return Reply(202, recorded("pagerduty", "accepted.json"))


def test_a_page_is_the_documented_trigger_event(server: VendorServer) -> None:
    server.answer(accepted())
    page = a_page(
        channel=Channel.PAGERDUTY, target="pd", address=None, console_hint="https://noc.example.com/i/12"
    )

    result = provider(server.url).send(page)

    assert (result.outcome, result.provider_id, result.http_status) == (
        Outcome.ACCEPTED,
        "noc-console-12",
        202,
    )
    [sent] = server.requests
    assert (sent.method, sent.path, sent.query) == ("POST", "/v2/enqueue", {})
    assert sent.headers["content-type"] == "application/json"
    assert "authorization" not in sent.headers  # the routing key travels in the body only
    assert sent.json() == {
        "routing_key": ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": "noc-console-12",
        "payload": {
            "summary": "Payments API down",
            "source": "noc-console",
            "severity": "critical",
            "component": "payments",
            "custom_details": {
                "incident_id": 12,
                "severity": "critical",
                "service": "payments",
                "target": "pd",
                "level": 1,
                "repeat": 1,
                "page_key": "esc7:L1:alice:sms:P1",
                "text": page.text,
                "acknowledge": "https://noc.example.com/i/12",
            },
        },
        "client": "NOC Console",
        "client_url": "https://noc.example.com/i/12",
    }


def test_a_page_without_a_service_or_console_url_leaves_those_fields_out(server: VendorServer) -> None:
    server.answer(accepted())

    provider(server.url, source="noc-floor-2").send(a_page(channel=Channel.PAGERDUTY, service=None))

    event = server.requests[0].json()
    assert "component" not in event["payload"]
    assert "client_url" not in event
    assert event["payload"]["source"] == "noc-floor-2"
    assert event["payload"]["custom_details"]["service"] is None


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("critical", "critical"),
        ("major", "error"),
        ("minor", "warning"),
        ("warning", "warning"),
        ("info", "info"),
        ("sev-banana", "warning"),
    ],
)
def test_severity_is_mapped_to_pagerdutys_four(server: VendorServer, ours: str, theirs: str) -> None:
    server.answer(accepted())

    provider(server.url).send(a_page(channel=Channel.PAGERDUTY, severity=ours))

    assert server.requests[0].json()["payload"]["severity"] == theirs


def test_titles_arrive_exact_and_are_cut_at_1024_characters(server: VendorServer) -> None:
    server.answer(accepted(), accepted())
    pd = provider(server.url)

    pd.send(a_page(channel=Channel.PAGERDUTY, title=HOSTILE_TITLE))
    pd.send(a_page(channel=Channel.PAGERDUTY, title="y" * 1023 + "🔥"))

    assert server.requests[0].json()["payload"]["summary"] == HOSTILE_TITLE
    assert server.requests[1].json()["payload"]["summary"] == "y" * 1023 + "…"


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_acknowledge_and_resolve_send_the_action_for_the_same_dedup_key(
    server: VendorServer, action: str
) -> None:
    server.answer(accepted())
    pd = provider(server.url)

    result = getattr(pd, action)(12, "Payments API down")

    assert (result.outcome, result.provider_id) == (Outcome.ACCEPTED, "noc-console-12")
    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", "/v2/enqueue")
    assert sent.json() == {"routing_key": ROUTING_KEY, "event_action": action, "dedup_key": "noc-console-12"}


def test_every_event_of_an_incident_shares_one_dedup_key(server: VendorServer) -> None:
    server.answer(accepted(), accepted(), accepted())
    pd = provider(server.url)

    pd.send(a_page(channel=Channel.PAGERDUTY, level=1))
    pd.send(a_page(channel=Channel.PAGERDUTY, level=2, repeat=2))
    pd.resolve(12, "Payments API down")

    assert {r.json()["dedup_key"] for r in server.requests} == {"noc-console-12"}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "invalid_event.json",
            "Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters)",
        ),
        ("unrecognized_object.json", "Event object format is unrecognized: JSON parse error"),
    ],
)
def test_an_invalid_event_fails_in_pagerdutys_words(server: VendorServer, name: str, words: str) -> None:
    server.answer(Reply(400, recorded("pagerduty", name)))

    result = provider(server.url).send(a_page(channel=Channel.PAGERDUTY))

    assert (result.outcome, result.http_status, result.error) == (Outcome.FAILED, 400, f"HTTP 400: {words}")


@pytest.mark.parametrize("status", [401, 403])
def test_other_refusals_fail(server: VendorServer, status: int) -> None:
    server.answer(Reply(status, "Forbidden"))

    result = provider(server.url).send(a_page(channel=Channel.PAGERDUTY))

    assert (result.outcome, result.http_status, result.error) == (
        Outcome.FAILED,
        status,
        f"HTTP {status}: Forbidden",
    )


def test_429_is_retried_after_the_time_pagerduty_asks(server: VendorServer) -> None:
    server.answer(Reply(429, "", {"Retry-After": "7"}))

    result = provider(server.url).send(a_page(channel=Channel.PAGERDUTY))

    assert (result.outcome, result.retry_after_s, result.http_status) == (Outcome.RETRY, 7.0, 429)


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_retried(server: VendorServer, status: int) -> None:
    server.answer(Reply(status, {"status": "error", "message": "Internal error"}))

    result = provider(server.url).acknowledge(12, "Payments API down")

    assert result is not None
    assert (result.outcome, result.http_status, result.error) == (
        Outcome.RETRY,
        status,
        f"HTTP {status}: Internal error",
    )


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(202, recorded("pagerduty", "accepted.json"), delay_s=1.5))

    result = provider(server.url, timeout_s=0.3).send(a_page(channel=Channel.PAGERDUTY))

    assert (result.outcome, result.error) == (Outcome.RETRY, "no answer within 0.3 s")


def test_delivery_is_not_reported(server: VendorServer) -> None:
    assert provider(server.url).delivery("noc-console-12") is None
    assert server.requests == []


def test_a_channel_pagerduty_does_not_carry_fails_unsent(server: VendorServer) -> None:
    result = provider(server.url).send(a_page(channel=Channel.SMS))

    assert result.outcome is Outcome.FAILED
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "timeout_s", "options", "field"),
    [
        ("ftp://events.pagerduty.com", 5.0, {}, "url"),
        ("http://events.pagerduty.com", 5.0, {}, "url"),
        ("https://events.pagerduty.com", -1.0, {}, "timeout_s"),
        ("https://events.pagerduty.com", 5.0, {"routing_key": ROUTING_KEY}, "routing_key"),
    ],
)
def test_bad_settings_name_the_field(url: str, timeout_s: float, options: dict[str, str], field: str) -> None:
    config = ProviderConfig("pd", ProviderType.PAGERDUTY, url, timeout_s, options)

    with pytest.raises(ProviderError, match=rf"^providers\.pd\.{field}: "):
        pagerduty.build(config, lambda name: ROUTING_KEY)


def test_the_default_url_and_the_credential(server: VendorServer) -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return ROUTING_KEY

    pd = pagerduty.build(ProviderConfig("pd", ProviderType.PAGERDUTY, "", 5.0), secret)

    assert (pd.url, asked) == ("https://events.pagerduty.com", ["provider:pd"])
    with pytest.raises(ProviderError, match=r"^providers\.pd\.credential: "):
        pagerduty.build(ProviderConfig("pd", ProviderType.PAGERDUTY, "", 5.0), lambda name: "")


def test_the_routing_key_appears_in_no_error_repr_or_log(
    server: VendorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = uuid.uuid4().hex
    echo = {
        "status": "invalid event",
        "message": "Event object is invalid",
        "errors": [f"unknown routing key {key}"],
    }
    server.answer(
        Reply(400, echo),
        Reply(500, f"crashed on {key}"),
        Reply(202, recorded("pagerduty", "accepted.json"), delay_s=1.5),
    )
    pd = provider(server.url, timeout_s=0.3, key=key)

    results = [
        pd.send(a_page(channel=Channel.PAGERDUTY)),
        pd.resolve(12, "Payments API down"),
        pd.acknowledge(12, "Payments API down"),
        provider(closed_port_url(), key=key).send(a_page(channel=Channel.PAGERDUTY)),
    ]
    with pytest.raises(ProviderError) as refused:
        pagerduty.build(ProviderConfig("pd", ProviderType.PAGERDUTY, "ftp://x", 5.0), lambda name: key)

    assert [r.outcome if r else None for r in results] == [
        Outcome.FAILED,
        Outcome.RETRY,
        Outcome.RETRY,
        Outcome.RETRY,
    ]
    assert (
        results[0] is not None
        and results[0].error == "HTTP 400: Event object is invalid: unknown routing key <hidden>"
    )
    assert server.requests[0].json()["routing_key"] == key  # it was really sent
    texts = [repr(r) for r in results] + [repr(pd), str(refused.value), caplog.text, repr(vars(pd))]
    for text in texts:
        assert key not in text
