"""Microsoft Teams webhooks (legacy connectors and Workflows) over real HTTP to a stand-in on 127.0.0.1:
the documented Adaptive Card message, each kind of answer, and the webhook URL (the secret) in no
error, repr or log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from noc_console.paging import teams
from noc_console.paging.base import Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.page_samples import HOSTILE_TEXT, HOSTILE_TITLE, hostile_page, load, sample_page
from tests.paging.vendor_server import Reply, VendorServer, vendor_server

CONNECTOR_PATH = (
    "/webhookb2/5bc73ef7-3a37-4826-bbc5-d81852b964ac@47aaea8e-5ff9-4f27-b77e-9e16dd154a30"
    "/IncomingWebhook/c5d60e4be2b94867abd6194bebdbcb0a/4b54c9c7-e70a-43dd-87ad-f17465f53405"
)
SIG = "Xq3sEcReTsIgNaTuRe0123456789abcdefGHIJKLmn"
WORKFLOWS_PATH = (
    "/workflows/0a1b2c3d4e5f40718293a4b5c6d7e8f9/triggers/manual/paths/invoke"
    f"?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={SIG}"
)
ANSWERS = load("teams", "answers.json")


def reply(answer: dict[str, Any]) -> Reply:
    return Reply(answer["status"], answer["body"], dict(answer.get("headers", {})))


@pytest.fixture
def server() -> Iterator[VendorServer]:
    with vendor_server() as running:
        running.default = reply(ANSWERS["connector_accepted"])
        yield running


def config(url: str, timeout_s: float = 5.0, **options: str) -> ProviderConfig:
    return ProviderConfig("ops-teams", ProviderType.TEAMS, url, timeout_s, options)


def provider(server: VendorServer, path: str = CONNECTOR_PATH, timeout_s: float = 5.0) -> teams.TeamsProvider:
    return teams.build(config(server.url, timeout_s), lambda name: path)


def test_a_page_is_the_documented_adaptive_card_message(server: VendorServer) -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return CONNECTOR_PATH

    result = teams.build(config(server.url), secret).send(sample_page())

    assert asked == ["provider:ops-teams"]
    assert result.outcome is Outcome.ACCEPTED
    assert (result.http_status, result.error) == (200, None)
    assert result.provider_id == "2a9d4bfa-13ea-426a-b07f-b44a2e678b2e"  # the connector's request-id
    [request] = server.requests
    assert (request.method, request.path, request.query) == ("POST", CONNECTOR_PATH, {})
    assert request.headers["content-type"] == "application/json"
    assert request.json() == load("teams", "message_critical.json")


def test_a_workflows_webhook_gets_the_same_message_and_its_202_is_accepted(server: VendorServer) -> None:
    server.answer(reply(ANSWERS["workflows_accepted"]))

    result = provider(server, WORKFLOWS_PATH).send(sample_page())

    assert result.outcome is Outcome.ACCEPTED
    assert (result.http_status, result.provider_id) == (202, "08584679363385128398127591230CU00")
    [request] = server.requests
    assert request.path == "/workflows/0a1b2c3d4e5f40718293a4b5c6d7e8f9/triggers/manual/paths/invoke"
    assert request.query == {
        "api-version": ["2016-06-01"],
        "sp": ["/triggers/manual/run"],
        "sv": ["1.0"],
        "sig": [SIG],
    }
    assert request.json() == load("teams", "message_critical.json")


def test_a_pasted_webhook_url_is_used_as_is(server: VendorServer) -> None:
    hook = teams.build(config("https://outlook.office.com"), lambda name: f"{server.url}{WORKFLOWS_PATH}")

    assert hook.send(sample_page()).outcome is Outcome.ACCEPTED
    assert server.requests[0].query["sig"] == [SIG]


def test_severity_colour_and_optional_blocks(server: VendorServer) -> None:
    hook = provider(server)
    hook.send(sample_page(severity="warning", service=None, text="", console_hint="", address="@alice"))
    hook.send(sample_page(severity="info"))

    first = server.requests[0].json()["attachments"][0]["content"]["body"]
    assert first == [
        {"type": "TextBlock", "text": "WARNING", "wrap": True, "weight": "Bolder", "color": "Warning"},
        {
            "type": "TextBlock",
            "text": "#12 Payments API down",
            "wrap": True,
            "weight": "Bolder",
            "size": "Large",
        },
        {"type": "TextBlock", "text": "For: @alice", "wrap": True, "isSubtle": True},
        {"type": "TextBlock", "text": "To acknowledge: noc-console ack 12", "wrap": True},
    ]
    assert server.requests[1].json()["attachments"][0]["content"]["body"][0]["color"] == "Default"


def test_outside_text_arrives_exactly_as_typed(server: VendorServer) -> None:
    provider(server).send(hostile_page())

    raw = server.requests[0].body
    texts = [block["text"] for block in server.requests[0].json()["attachments"][0]["content"]["body"]]
    assert texts == [
        "CRITICAL",
        f"#12 {HOSTILE_TITLE}",
        "Service: zahlung “api” <b>",
        HOSTILE_TEXT,
        "To acknowledge: https://noc.example/incidents/12",
    ]
    assert "🚨".encode() in raw and "支払い".encode() in raw  # UTF-8 on the wire, not \u escapes


@pytest.mark.parametrize("answer", ANSWERS["connector_wrapped"], ids=lambda a: f"inner-{a['inner']}")
def test_a_connectors_200_that_reports_a_refusal_is_not_accepted(
    server: VendorServer, answer: dict[str, Any]
) -> None:
    server.answer(Reply(answer["status"], answer["body"]))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome(answer["outcome"])
    assert (result.error, result.http_status) == (f"HTTP 200: {answer['body']}", 200)


def test_a_connectors_bad_payload_fails_with_its_words(server: VendorServer) -> None:
    server.answer(reply(ANSWERS["connector_bad_payload"]))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert (result.error, result.http_status) == (
        "HTTP 400: Bad payload received by generic incoming webhook.",
        400,
    )


def test_an_azure_error_fails_with_its_code_and_message_and_no_signature(
    server: VendorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.answer(reply(ANSWERS["workflows_unauthorized"]))
    hook = provider(server, WORKFLOWS_PATH)

    result = hook.send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert result.http_status == 401
    assert result.error == (
        "HTTP 401: AuthorizationFailed: Required parameters for shared access URL are permissions ('sp'), "
        "version ('sv'), and signature ('sig')."
    )
    request_lines = [
        r.getMessage() for r in caplog.records if r.name.startswith("urllib3") and "POST" in r.getMessage()
    ]
    assert request_lines and "[redacted]" in request_lines[0]
    for text in (str(result), repr(hook), caplog.text):
        assert SIG not in text and "0a1b2c3d4e5f40718293a4b5c6d7e8f9" not in text
    assert repr(hook) == f"TeamsProvider(name='ops-teams', endpoint='{server.url}')"


@pytest.mark.parametrize("status", [400, 403, 404, 410, 413])
def test_a_refusal_fails_with_the_body_and_an_echoed_url_is_redacted(
    server: VendorServer, status: int
) -> None:
    server.answer(Reply(status, f"refused: POST {CONNECTOR_PATH}"))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert (result.error, result.http_status) == (f"HTTP {status}: refused: POST [redacted]", status)


def test_rate_limited_is_retried_after_the_wait(server: VendorServer) -> None:
    server.answer(
        Reply(
            429,
            {"error": {"code": "WorkflowTriggerIsThrottled", "message": "slow down"}},
            {"Retry-After": "17"},
        )
    )

    result = provider(server, WORKFLOWS_PATH).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert (result.retry_after_s, result.http_status) == (17.0, 429)
    assert result.error == "HTTP 429: WorkflowTriggerIsThrottled: slow down"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried(server: VendorServer, status: int) -> None:
    server.answer(Reply(status, "upstream trouble"))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert (result.error, result.http_status) == (f"HTTP {status}: upstream trouble", status)


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(200, "1", delay_s=1.5))

    result = provider(server, timeout_s=0.3).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == "no answer within 0.3 s"


@pytest.mark.parametrize(
    ("url", "secret", "field"),
    [
        ("https://outlook.office.com", "", "credential"),
        ("https://outlook.office.com", "webhookb2/s3cretT0kenValue", "credential"),
        (
            "https://outlook.office.com",
            "http://example.webhook.office.com/webhookb2/s3cretT0kenValue",
            "credential",
        ),
        ("http://outlook.office.com", "/webhookb2/s3cretT0kenValue", "url"),
    ],
)
def test_a_bad_url_or_secret_is_refused_naming_the_setting_not_the_secret(
    url: str, secret: str, field: str
) -> None:
    with pytest.raises(ProviderError) as caught:
        teams.build(config(url), lambda name: secret)

    assert str(caught.value).startswith(f"providers.ops-teams.{field}: ")
    assert "s3cretT0kenValue" not in str(caught.value)


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ProviderError, match=r"^providers\.ops-teams\.theme: unknown option"):
        teams.build(config("https://outlook.office.com", theme="dark"), lambda name: CONNECTOR_PATH)
