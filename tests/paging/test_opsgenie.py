"""Opsgenie Alert API v2 through the real module over HTTP to a local stand-in: the requests exactly as
Opsgenie documents them, and its documented answers (tests/data/paging/opsgenie)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

from noc_console.paging import opsgenie
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.recorded import HOSTILE_TITLE, a_page, closed_port_url, recorded, server_fixture
from tests.paging.vendor_server import Reply, VendorServer

API_KEY = "eb243592-faa2-4ba2-a551-1afdf565c889"
REQUEST_ID = "43a29c5c-3dbf-4fa4-9c26-f4f71023e120"


@pytest.fixture
def server() -> Iterator[VendorServer]:
    yield from server_fixture()


def provider(url: str, timeout_s: float = 2.0, key: str = API_KEY) -> opsgenie.OpsgenieProvider:
    return opsgenie.build(ProviderConfig("og", ProviderType.OPSGENIE, url, timeout_s), lambda name: key)


def accepted() -> Reply:
    return Reply(202, recorded("opsgenie", "accepted.json"))


def test_a_page_creates_the_documented_alert(server: VendorServer) -> None:
    server.answer(accepted())
    page = a_page(channel=Channel.OPSGENIE, target="og", address=None)

    result = provider(server.url).send(page)

    assert (result.outcome, result.provider_id, result.http_status) == (Outcome.ACCEPTED, REQUEST_ID, 202)
    [sent] = server.requests
    assert (sent.method, sent.path, sent.query) == ("POST", "/v2/alerts", {})
    assert sent.headers["authorization"] == f"GenieKey {API_KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {
        "message": "Payments API down",
        "alias": "noc-console-12",
        "description": page.text,
        "priority": "P1",
        "source": "NOC Console",
        "tags": ["noc-console", "severity:critical", "service:payments"],
        "details": {
            "incident_id": "12",
            "severity": "critical",
            "target": "og",
            "level": "1",
            "repeat": "1",
            "page_key": "esc7:L1:alice:sms:P1",
            "service": "payments",
            "acknowledge": "noc-console ack 12",
        },
        "entity": "payments",
    }


def test_a_page_without_a_service_has_no_entity(server: VendorServer) -> None:
    server.answer(accepted())

    provider(server.url).send(a_page(channel=Channel.OPSGENIE, service=None, console_hint=""))

    alert = server.requests[0].json()
    assert "entity" not in alert
    assert alert["tags"] == ["noc-console", "severity:critical"]
    assert "service" not in alert["details"] and "acknowledge" not in alert["details"]


@pytest.mark.parametrize(
    ("ours", "priority"),
    [("critical", "P1"), ("major", "P2"), ("minor", "P3"), ("warning", "P4"), ("info", "P5"), ("?", "P4")],
)
def test_severity_is_mapped_to_a_priority(server: VendorServer, ours: str, priority: str) -> None:
    server.answer(accepted())

    provider(server.url).send(a_page(channel=Channel.OPSGENIE, severity=ours))

    assert server.requests[0].json()["priority"] == priority


def test_text_arrives_exact_and_within_opsgenies_limits(server: VendorServer) -> None:
    server.answer(accepted(), accepted())
    og = provider(server.url)

    og.send(a_page(channel=Channel.OPSGENIE, title=HOSTILE_TITLE, text=HOSTILE_TITLE))
    og.send(a_page(channel=Channel.OPSGENIE, title="m" * 200, text="d" * 20000, service="s" * 600))

    exact = server.requests[0].json()
    assert (exact["message"], exact["description"]) == (HOSTILE_TITLE, HOSTILE_TITLE)
    cut = server.requests[1].json()
    assert cut["message"] == "m" * 129 + "…"
    assert cut["description"] == "d" * 14999 + "…"
    assert len(cut["entity"]) == 512 and cut["entity"].endswith("…")
    assert all(len(tag) <= 50 for tag in cut["tags"])


@pytest.mark.parametrize(
    ("method", "action", "note"),
    [
        ("acknowledge", "acknowledge", "Acknowledged in NOC Console."),
        ("resolve", "close", "Resolved in NOC Console."),
    ],
)
def test_acknowledge_and_resolve_act_on_the_alert_by_alias(
    server: VendorServer, method: str, action: str, note: str
) -> None:
    server.answer(accepted())

    result = getattr(provider(server.url), method)(12, "Payments API down")

    assert (result.outcome, result.provider_id) == (Outcome.ACCEPTED, REQUEST_ID)
    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", f"/v2/alerts/noc-console-12/{action}")
    assert sent.query == {"identifierType": ["alias"]}
    assert sent.headers["authorization"] == f"GenieKey {API_KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {"source": "NOC Console", "note": note}


# -- request status -----------------------------------------------------------------------------------


def test_delivery_is_the_request_status(server: VendorServer) -> None:
    server.answer(Reply(200, recorded("opsgenie", "request_created.json")))

    result = provider(server.url).delivery(REQUEST_ID)

    assert result is not None
    assert (result.outcome, result.provider_id, result.delivery, result.error) == (
        Outcome.ACCEPTED,
        REQUEST_ID,
        "Created alert",
        None,
    )
    [asked] = server.requests
    assert (asked.method, asked.path, asked.body) == ("GET", f"/v2/alerts/requests/{REQUEST_ID}", b"")
    assert asked.headers["authorization"] == f"GenieKey {API_KEY}"


def test_a_request_that_did_not_succeed_carries_its_status_as_the_error(server: VendorServer) -> None:
    server.answer(Reply(200, recorded("opsgenie", "request_failed.json")))

    result = provider(server.url).delivery("dc194ce3-9daf-4a19-bca3-40be91218089")

    assert result is not None
    assert (result.outcome, result.delivery, result.error) == (
        Outcome.ACCEPTED,
        "Alert does not exist",
        "Opsgenie: Alert does not exist",
    )


def test_a_request_not_processed_yet_is_pending(server: VendorServer) -> None:
    server.answer(
        Reply(
            404,
            recorded("opsgenie", "request_not_processed.json"),
            {"X-Opsgenie-Errortype": "RequestNotProcessed"},
        )
    )

    result = provider(server.url).delivery(REQUEST_ID)

    assert result is not None
    assert (result.outcome, result.delivery, result.error, result.http_status) == (
        Outcome.ACCEPTED,
        "pending",
        None,
        404,
    )


def test_delivery_of_something_not_a_request_id_asks_nothing(server: VendorServer) -> None:
    result = provider(server.url).delivery("../alerts/x")

    assert result is not None and result.outcome is Outcome.FAILED
    assert server.requests == []


# -- Opsgenie's refusals and failures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "words"),
    [
        (
            422,
            "error_422.json",
            "Request body is not processable. Please check the errors. (message: Message can not be empty.)",
        ),
        (401, "error_401.json", "Key format is not valid!"),
        (403, "error_403.json", "You are not authorized to do this operation"),
        (400, "error_401.json", "Key format is not valid!"),
    ],
)
def test_a_refusal_fails_in_opsgenies_words(server: VendorServer, status: int, name: str, words: str) -> None:
    server.answer(Reply(status, recorded("opsgenie", name)))

    result = provider(server.url).send(a_page(channel=Channel.OPSGENIE))

    assert (result.outcome, result.http_status, result.error) == (
        Outcome.FAILED,
        status,
        f"HTTP {status}: {words}",
    )


def test_429_is_retried_after_the_time_opsgenie_asks(server: VendorServer) -> None:
    server.answer(
        Reply(429, {"message": "Too many requests"}, {"Retry-After": "7", "X-RateLimit-State": "THROTTLED"})
    )

    result = provider(server.url).send(a_page(channel=Channel.OPSGENIE))

    assert (result.outcome, result.retry_after_s, result.error) == (
        Outcome.RETRY,
        7.0,
        "HTTP 429: Too many requests",
    )


def test_503_is_retried(server: VendorServer) -> None:
    server.answer(Reply(503, "Service Unavailable"))

    result = provider(server.url).resolve(12, "Payments API down")

    assert result is not None
    assert (result.outcome, result.http_status) == (Outcome.RETRY, 503)


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(202, recorded("opsgenie", "accepted.json"), delay_s=1.5))

    result = provider(server.url, timeout_s=0.3).send(a_page(channel=Channel.OPSGENIE))

    assert (result.outcome, result.error) == (Outcome.RETRY, "no answer within 0.3 s")


def test_a_channel_opsgenie_does_not_carry_fails_unsent(server: VendorServer) -> None:
    result = provider(server.url).send(a_page(channel=Channel.VOICE))

    assert result.outcome is Outcome.FAILED
    assert server.requests == []


# -- settings and the secret --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "timeout_s", "options", "field"),
    [
        ("api.opsgenie.com", 5.0, {}, "url"),
        ("http://api.eu.opsgenie.com", 5.0, {}, "url"),
        ("https://api.opsgenie.com#x", 5.0, {}, "url"),
        ("https://api.opsgenie.com", float("nan"), {}, "timeout_s"),
        ("https://api.opsgenie.com", 5.0, {"responders": "ops-team"}, "responders"),
    ],
)
def test_bad_settings_name_the_field(url: str, timeout_s: float, options: dict[str, str], field: str) -> None:
    config = ProviderConfig("og", ProviderType.OPSGENIE, url, timeout_s, options)

    with pytest.raises(ProviderError, match=rf"^providers\.og\.{field}: "):
        opsgenie.build(config, lambda name: API_KEY)


def test_the_default_and_eu_urls_and_the_credential() -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return API_KEY

    default = opsgenie.build(ProviderConfig("og", ProviderType.OPSGENIE, "", 5.0), secret)
    eu = opsgenie.build(ProviderConfig("og", ProviderType.OPSGENIE, opsgenie.EU_URL + "/", 5.0), secret)

    assert (default.url, eu.url) == ("https://api.opsgenie.com", "https://api.eu.opsgenie.com")
    assert asked == ["provider:og", "provider:og"]


def test_the_api_key_appears_in_no_error_repr_or_log(
    server: VendorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = str(uuid.uuid4())
    server.answer(
        Reply(401, {"message": f"Key {key} is not valid!", "took": 0.0, "requestId": REQUEST_ID}),
        Reply(500, f"GenieKey {key}"),
        Reply(202, recorded("opsgenie", "accepted.json"), delay_s=1.5),
    )
    og = provider(server.url, timeout_s=0.3, key=key)

    results = [
        og.send(a_page(channel=Channel.OPSGENIE)),
        og.delivery(REQUEST_ID),
        og.acknowledge(12, "Payments API down"),
        provider(closed_port_url(), key=key).send(a_page(channel=Channel.OPSGENIE)),
    ]
    with pytest.raises(ProviderError) as refused:
        opsgenie.build(
            ProviderConfig("og", ProviderType.OPSGENIE, "https://x", 5.0, {"k": "v"}), lambda n: key
        )

    assert [r.outcome if r else None for r in results] == [
        Outcome.FAILED,
        Outcome.RETRY,
        Outcome.RETRY,
        Outcome.RETRY,
    ]
    assert results[0] is not None and results[0].error == "HTTP 401: Key <hidden> is not valid!"
    assert results[1] is not None and results[1].error == "HTTP 500: GenieKey <hidden>"
    assert server.requests[0].headers["authorization"] == f"GenieKey {key}"  # it was really sent
    texts = [repr(r) for r in results] + [repr(og), str(refused.value), caplog.text, repr(vars(og))]
    for text in texts:
        assert key not in text
