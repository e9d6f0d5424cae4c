"""Slack incoming webhooks over real HTTP to a stand-in on 127.0.0.1: the documented request, every
documented answer, and the webhook path (the secret) in no error, repr or log line."""

from __future__ import annotations

import html
import logging
import socket
from collections.abc import Iterator

import pytest

from noc_console.paging import slack
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.page_samples import HOSTILE_TEXT, HOSTILE_TITLE, hostile_page, load, sample_page
from tests.paging.vendor_server import Reply, VendorServer, vendor_server

HOOK_PATH = "/services/T0001ABCD/B0002EFGH/s3cretW3bhookT0ken0123456"
ANSWERS = load("slack", "answers.json")


@pytest.fixture
def server() -> Iterator[VendorServer]:
    with vendor_server() as running:
        running.default = Reply(200, ANSWERS["accepted"]["body"])
        yield running


def config(url: str, timeout_s: float = 5.0, **options: str) -> ProviderConfig:
    return ProviderConfig("ops-slack", ProviderType.SLACK, url, timeout_s, options)


def provider(server: VendorServer, timeout_s: float = 5.0) -> slack.SlackProvider:
    return slack.build(config(server.url, timeout_s), lambda name: HOOK_PATH)


def test_a_page_is_the_documented_block_kit_message(server: VendorServer) -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return HOOK_PATH

    result = slack.build(config(server.url), secret).send(sample_page())

    assert asked == ["provider:ops-slack"]
    assert result.outcome is Outcome.ACCEPTED
    assert (result.http_status, result.provider_id, result.error) == (200, None, None)
    [request] = server.requests
    assert (request.method, request.path, request.query) == ("POST", HOOK_PATH, {})
    assert request.headers["content-type"] == "application/json"
    assert request.json() == load("slack", "message_critical.json")


def test_a_pasted_webhook_url_is_used_as_is(server: VendorServer) -> None:
    hook = slack.build(config("https://hooks.slack.com"), lambda name: f" {server.url}{HOOK_PATH}\n")

    assert hook.send(sample_page()).outcome is Outcome.ACCEPTED
    assert [r.path for r in server.requests] == [HOOK_PATH]


def test_the_address_is_shown_and_a_member_id_mentioned(server: VendorServer) -> None:
    hook = provider(server)
    hook.send(sample_page(address="@alice"))
    hook.send(sample_page(address="U024BE7LH"))
    hook.send(sample_page(address="<!here> bob"))

    contexts = [r.json()["blocks"][2]["elements"][0]["text"] for r in server.requests]
    hint = "To acknowledge: https://noc.example/incidents/12"
    assert contexts == [
        f"For @alice · {hint}",
        f"For <@U024BE7LH> · {hint}",
        f"For &lt;!here&gt; bob · {hint}",
    ]


def test_a_page_without_service_or_text_has_only_the_severity_field(server: VendorServer) -> None:
    provider(server).send(sample_page(service=None, text="", console_hint=""))

    body = server.requests[0].json()
    assert body["blocks"][1] == {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": "*Severity*\nCRITICAL"}],
    }
    assert body["blocks"][2]["elements"][0]["text"] == "To acknowledge: noc-console ack 12"
    assert body["text"] == "[NOC CRITICAL] #12 Payments API down"


def test_outside_text_arrives_exactly_as_typed_and_pings_nobody(server: VendorServer) -> None:
    provider(server).send(hostile_page())

    raw = server.requests[0].body
    body = server.requests[0].json()
    header, section, context = body["blocks"]
    assert header["text"]["text"] == f"[NOC CRITICAL] #12 {HOSTILE_TITLE}"  # plain_text: no escaping
    assert html.unescape(section["text"]["text"]) == HOSTILE_TEXT
    assert html.unescape(section["fields"][1]["text"]) == "*Service*\nzahlung “api” <b>"
    assert html.unescape(body["text"]) == f"[NOC CRITICAL] #12 {HOSTILE_TITLE}\n{HOSTILE_TEXT}"
    for mrkdwn in (
        body["text"],
        section["text"]["text"],
        section["fields"][1]["text"],
        context["elements"][0]["text"],
    ):
        assert "<" not in mrkdwn and ">" not in mrkdwn  # no live link, mention or <!channel>
    assert "&amp;amp;" in section["text"]["text"]  # a typed entity stays an entity, shown as typed
    assert "🚨".encode() in raw and "שלום".encode() in raw  # UTF-8 on the wire, not \u escapes


def test_control_characters_are_dropped_but_line_ends_and_tabs_kept(server: VendorServer) -> None:
    provider(server).send(sample_page(text="a\x00b\x1b[1mc\td\r\ne"))

    assert server.requests[0].json()["blocks"][1]["text"]["text"] == "ab[1mc\td\r\ne"


def test_a_redirect_is_not_followed(server: VendorServer) -> None:
    server.answer(Reply(302, "", {"Location": f"{server.url}/elsewhere"}))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert result.http_status == 302
    assert [r.path for r in server.requests] == [HOOK_PATH]


def test_long_text_is_cut_to_slacks_limits_without_splitting_an_entity(server: VendorServer) -> None:
    provider(server).send(sample_page(title="T" * 400, text="&" * 5000))

    header, section, _ = server.requests[0].json()["blocks"]
    assert header["text"]["text"] == ("[NOC CRITICAL] #12 " + "T" * 400)[:149] + "…"
    assert len(section["text"]["text"]) <= 3000
    assert section["text"]["text"] == "&amp;" * 599 + "…"


def test_rate_limited_is_retried_after_slacks_wait(server: VendorServer) -> None:
    server.answer(Reply(429, "rate_limited", {"Retry-After": "30"}))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert (result.retry_after_s, result.http_status) == (30.0, 429)


def test_a_server_error_is_retried(server: VendorServer) -> None:
    answer = ANSWERS["server_error"]
    server.answer(Reply(answer["status"], answer["body"]))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert (result.error, result.http_status) == ("HTTP 500: rollup_error", 500)


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(200, "ok", delay_s=1.5))

    result = provider(server, timeout_s=0.3).send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == "no answer within 0.3 s"


def test_a_refused_connection_is_retried_and_names_no_path() -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hook = slack.build(config(f"http://127.0.0.1:{port}"), lambda name: HOOK_PATH)

    result = hook.send(sample_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == f"cannot reach http://127.0.0.1:{port}: ConnectionError"


@pytest.mark.parametrize("answer", ANSWERS["failed"], ids=lambda a: f"{a['status']}-{a['body']}")
def test_each_documented_refusal_fails_with_slacks_words(
    server: VendorServer, answer: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.answer(Reply(int(str(answer["status"])), str(answer["body"])))
    hook = provider(server)

    result = hook.send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert (result.error, result.http_status) == (
        f"HTTP {answer['status']}: {answer['body']}",
        answer["status"],
    )
    for text in (str(result), repr(hook), caplog.text):
        assert "s3cretW3bhookT0ken" not in text and "B0002EFGH" not in text


def test_an_error_body_that_echoes_the_path_is_redacted(server: VendorServer) -> None:
    server.answer(Reply(404, f"no_service for POST {HOOK_PATH}"))

    result = provider(server).send(sample_page())

    assert result.outcome is Outcome.FAILED
    assert result.error == "HTTP 404: no_service for POST [redacted]"


def test_the_webhook_path_never_reaches_a_log_line(
    server: VendorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    provider(server).send(sample_page())

    request_lines = [r for r in caplog.records if r.name.startswith("urllib3") and "POST" in r.getMessage()]
    assert request_lines, "urllib3 logs each request at DEBUG: the check must see one"
    assert "[redacted]" in request_lines[0].getMessage()
    assert "s3cretW3bhookT0ken" not in caplog.text
    assert repr(provider(server)) == f"SlackProvider(name='ops-slack', endpoint='{server.url}')"


@pytest.mark.parametrize(
    ("url", "secret", "field"),
    [
        ("https://hooks.slack.com", "", "credential"),
        ("https://hooks.slack.com", "s3cretW3bhookT0ken", "credential"),
        ("https://hooks.slack.com", "/services/T1/B1/s3cret W3bhookT0ken", "credential"),
        ("https://hooks.slack.com", "http://hooks.slack.com/services/T1/B1/s3cretW3bhookT0ken", "credential"),
        ("https://hooks.slack.com", "ftp://hooks.slack.com/services/T1/B1/s3cretW3bhookT0ken", "credential"),
        ("https://hooks.slack.com", "https://hooks.slack.com:notaport/s3cretW3bhookT0ken", "credential"),
        ("http://hooks.slack.com", "/services/T1/B1/s3cretW3bhookT0ken", "url"),
        ("", "/services/T1/B1/s3cretW3bhookT0ken", "url"),
    ],
)
def test_a_bad_url_or_secret_is_refused_naming_the_setting_not_the_secret(
    url: str, secret: str, field: str
) -> None:
    with pytest.raises(ProviderError) as caught:
        slack.build(config(url), lambda name: secret)

    assert str(caught.value).startswith(f"providers.ops-slack.{field}: ")
    assert "s3cretW3bhookT0ken" not in str(caught.value)


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ProviderError, match=r"^providers\.ops-slack\.channel: unknown option"):
        slack.build(config("https://hooks.slack.com", channel="#noc"), lambda name: HOOK_PATH)


def test_plain_http_is_allowed_to_loopback_only(server: VendorServer) -> None:
    for host in ("127.0.0.1", "localhost"):
        slack.build(config("https://hooks.slack.com"), lambda name, h=host: f"http://{h}:1{HOOK_PATH}")
    assert provider(server).send(sample_page(channel=Channel.SLACK)).outcome is Outcome.ACCEPTED
