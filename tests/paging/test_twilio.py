"""Twilio SMS, WhatsApp and voice through the real module over HTTP to a local stand-in: the request
exactly as Twilio documents it, and Twilio's documented answers (tests/data/paging/twilio)."""

from __future__ import annotations

import logging
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from noc_console.paging import twilio
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.recorded import (
    HOSTILE_TITLE,
    a_page,
    basic_credentials,
    closed_port_url,
    recorded,
    server_fixture,
)
from tests.paging.vendor_server import Reply, VendorServer

SID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
TOKEN = "f00dbabe" * 4
SENDER = "+14155552345"
ACCOUNT = f"/2010-04-01/Accounts/{SID}"
ACK_URL = "https://noc.example.com/twilio/ack?desk=1&lang=en"


@pytest.fixture
def server() -> Iterator[VendorServer]:
    yield from server_fixture()


def config(url: str, timeout_s: float = 2.0, **options: str) -> ProviderConfig:
    base = {"account_sid": SID, "from": SENDER}
    base.update(options)
    return ProviderConfig("tw", ProviderType.TWILIO, url, timeout_s, {k: v for k, v in base.items() if v})


def provider(url: str, timeout_s: float = 2.0, token: str = TOKEN, **options: str) -> twilio.TwilioProvider:
    return twilio.build(config(url, timeout_s, **options), lambda name: token)


def created(name: str = "message_created.json") -> Reply:
    return Reply(201, recorded("twilio", name))


def spoken(document: str) -> ET.Element:
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == "Response"
    return root


# -- sending ------------------------------------------------------------------------------------------


def test_sms_is_the_documented_form_post(server: VendorServer) -> None:
    server.answer(created())
    page = a_page()

    result = provider(server.url).send(page)

    assert result.outcome is Outcome.ACCEPTED
    assert (result.provider_id, result.delivery, result.http_status) == (
        "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "queued",
        201,
    )
    [sent] = server.requests
    assert (sent.method, sent.path, sent.query) == ("POST", f"{ACCOUNT}/Messages.json", {})
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert basic_credentials(sent) == f"{SID}:{TOKEN}"
    assert sent.form() == {"To": ["+447700900123"], "From": [SENDER], "Body": [page.text]}


def test_whatsapp_uses_whatsapp_addresses_on_the_messages_endpoint(server: VendorServer) -> None:
    server.answer(created("whatsapp_created.json"))

    result = provider(server.url, whatsapp_from="+14155238886").send(a_page(channel=Channel.WHATSAPP))

    assert (result.outcome, result.provider_id) == (Outcome.ACCEPTED, "SMcccccccccccccccccccccccccccccccc")
    [sent] = server.requests
    assert sent.path == f"{ACCOUNT}/Messages.json"
    form = sent.form()
    assert form["To"] == ["whatsapp:+447700900123"]
    assert form["From"] == ["whatsapp:+14155238886"]
    assert form["Body"] == [a_page().text]


def test_whatsapp_without_a_whatsapp_sender_fails_unsent(server: VendorServer) -> None:
    result = provider(server.url).send(a_page(channel=Channel.WHATSAPP))

    assert result.outcome is Outcome.FAILED
    assert result.error is not None and result.error.startswith("providers.tw.whatsapp_from")
    assert server.requests == []


def test_voice_call_reads_the_incident_and_gathers_one_digit(server: VendorServer) -> None:
    server.answer(created("call_created.json"))

    result = provider(server.url, voice_ack_url=ACK_URL).send(a_page(channel=Channel.VOICE))

    assert (result.outcome, result.provider_id, result.delivery) == (
        Outcome.ACCEPTED,
        "CAeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
        "queued",
    )
    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", f"{ACCOUNT}/Calls.json")
    assert basic_credentials(sent) == f"{SID}:{TOKEN}"
    form = sent.form()
    assert set(form) == {"To", "From", "Twiml"}
    assert (form["To"], form["From"]) == (["+447700900123"], [SENDER])
    [document] = form["Twiml"]
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "&amp;lang=en" in document  # the ack URL's query, escaped in its attribute
    root = spoken(document)
    say, gather, fallback = list(root)
    assert say.tag == "Say"
    assert say.text == "Critical incident 12: Payments API down. Service payments."
    assert gather.tag == "Gather"
    assert gather.attrib == {"numDigits": "1", "action": ACK_URL, "method": "POST"}
    assert [(child.tag, child.text) for child in gather] == [("Say", "Press 1 to acknowledge.")]
    assert (fallback.tag, fallback.text) == ("Say", "Nothing was pressed. Acknowledge it in the NOC console.")


def test_voice_call_without_an_ack_url_says_to_acknowledge_in_the_console(server: VendorServer) -> None:
    server.answer(created("call_created.json"))

    provider(server.url).send(a_page(channel=Channel.VOICE, severity="major", service=None))

    root = spoken(server.requests[0].form()["Twiml"][0])
    assert [(child.tag, child.text) for child in root] == [
        ("Say", "Major incident 12: Payments API down. Acknowledge it in the NOC console.")
    ]


def test_hostile_titles_survive_escaped_in_twiml_and_exact_in_sms(server: VendorServer) -> None:
    server.answer(created(), created("call_created.json"))
    title = HOSTILE_TITLE + "\x00\ud800"  # a NUL and a lone surrogate from a misbehaving source
    tw = provider(server.url, voice_ack_url=ACK_URL)

    sms = tw.send(a_page(title=title, text=f"CRITICAL: {HOSTILE_TITLE}"))
    call = tw.send(a_page(title=title, channel=Channel.VOICE))

    assert (sms.outcome, call.outcome) == (Outcome.ACCEPTED, Outcome.ACCEPTED)
    assert server.requests[0].form()["Body"] == [f"CRITICAL: {HOSTILE_TITLE}"]
    document = server.requests[1].form()["Twiml"][0]
    assert "<b>" not in document and "&lt;b&gt;" in document and "&amp; " in document
    say = spoken(document)[0]
    assert say.text == f"Critical incident 12: {HOSTILE_TITLE}\ufffd. Service payments."


def test_a_long_sms_is_cut_to_1600_characters_with_an_ellipsis(server: VendorServer) -> None:
    server.answer(created())

    provider(server.url).send(a_page(text="x" * 1599 + "🔥" * 10))

    [body] = server.requests[0].form()["Body"]
    assert body == "x" * 1599 + "…"


def test_a_long_title_keeps_the_twiml_within_4000_characters(server: VendorServer) -> None:
    server.answer(created("call_created.json"))

    provider(server.url, voice_ack_url=ACK_URL).send(a_page(channel=Channel.VOICE, title="<&>" * 2000))

    document = server.requests[0].form()["Twiml"][0]
    assert len(document) <= 4000
    root = spoken(document)
    assert root[0].text is not None and root[0].text.startswith("Critical incident 12: <&><&>")
    assert "…" in root[0].text
    assert root[1].tag == "Gather"  # cut in the title, never in the gather


def test_a_page_without_a_phone_number_fails_unsent(server: VendorServer) -> None:
    result = provider(server.url).send(a_page(address=None, target="bob"))

    assert (result.outcome, result.error) == (Outcome.FAILED, "no phone number for bob")
    assert server.requests == []


def test_a_channel_twilio_does_not_carry_fails_unsent(server: VendorServer) -> None:
    result = provider(server.url).send(a_page(channel=Channel.EMAIL))

    assert result.outcome is Outcome.FAILED
    assert server.requests == []


def test_acknowledge_and_resolve_are_nothing_at_twilio(server: VendorServer) -> None:
    tw = provider(server.url)

    assert tw.acknowledge(12, "Payments API down") is None
    assert tw.resolve(12, "Payments API down") is None
    assert server.requests == []


# -- Twilio's refusals and failures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "words"),
    [
        (
            400,
            "error_400_21211.json",
            "The 'To' number +4477009 is not a valid phone number. (Twilio error 21211)",
        ),
        (
            401,
            "error_401_20003.json",
            "Authenticate: Your AccountSid or AuthToken was incorrect. (Twilio error 20003)",
        ),
        (
            403,
            "error_403_20008.json",
            "Resource not accessible with Test Account Credentials (Twilio error 20008)",
        ),
    ],
)
def test_a_refusal_fails_in_twilios_words(server: VendorServer, status: int, name: str, words: str) -> None:
    server.answer(Reply(status, recorded("twilio", name)))

    result = provider(server.url).send(a_page(address="+4477009"))

    assert (result.outcome, result.http_status) == (Outcome.FAILED, status)
    assert result.error == f"HTTP {status}: {words}"


def test_429_is_retried_after_the_time_twilio_asks(server: VendorServer) -> None:
    server.answer(Reply(429, recorded("twilio", "error_429_20429.json"), {"Retry-After": "7"}))

    result = provider(server.url).send(a_page())

    assert (result.outcome, result.retry_after_s, result.http_status) == (Outcome.RETRY, 7.0, 429)
    assert result.error == "HTTP 429: Too Many Requests (Twilio error 20429)"


def test_503_is_retried(server: VendorServer) -> None:
    server.answer(Reply(503, recorded("twilio", "error_503_20503.json")))

    result = provider(server.url).send(a_page(channel=Channel.VOICE))

    assert (result.outcome, result.http_status, result.retry_after_s) == (Outcome.RETRY, 503, None)


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(201, recorded("twilio", "message_created.json"), delay_s=1.5))

    result = provider(server.url, timeout_s=0.3).send(a_page())

    assert (result.outcome, result.error) == (Outcome.RETRY, "no answer within 0.3 s")


def test_a_redirect_is_not_followed_with_the_credentials(server: VendorServer) -> None:
    server.answer(Reply(307, "", {"Location": f"{server.url}/elsewhere"}))

    result = provider(server.url).send(a_page())

    assert (result.outcome, result.http_status) == (Outcome.FAILED, 307)
    assert [r.path for r in server.requests] == [f"{ACCOUNT}/Messages.json"]


def test_an_unreachable_twilio_is_retried() -> None:
    url = closed_port_url()

    result = provider(url).send(a_page())

    assert result.outcome is Outcome.RETRY
    assert result.error is not None and result.error.startswith(f"cannot reach {url}")


# -- delivery -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state", "error"),
    [
        ("message_sent.json", "sent", None),
        ("message_delivered.json", "delivered", None),
        ("message_undelivered.json", "undelivered", "Twilio error 30003: Unreachable destination handset"),
        ("message_failed.json", "failed", "Twilio error 30008"),
    ],
)
def test_message_delivery_states(server: VendorServer, name: str, state: str, error: str | None) -> None:
    server.answer(Reply(200, recorded("twilio", name)))
    sid = "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    result = provider(server.url).delivery(sid)

    assert result is not None
    assert (result.outcome, result.provider_id, result.delivery, result.error) == (
        Outcome.ACCEPTED,
        sid,
        state,
        error,
    )
    [asked] = server.requests
    assert (asked.method, asked.path, asked.body) == ("GET", f"{ACCOUNT}/Messages/{sid}.json", b"")
    assert basic_credentials(asked) == f"{SID}:{TOKEN}"
    assert (state in twilio.FAILED_STATES) == (error is not None)


@pytest.mark.parametrize(
    ("name", "state", "error"),
    [
        ("call_ringing.json", "ringing", None),
        ("call_completed.json", "completed", None),
        ("call_busy.json", "busy", "the line was busy"),
        ("call_no_answer.json", "no-answer", "nobody answered"),
    ],
)
def test_call_delivery_states(server: VendorServer, name: str, state: str, error: str | None) -> None:
    server.answer(Reply(200, recorded("twilio", name)))
    sid = "CAeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

    result = provider(server.url).delivery(sid)

    assert result is not None
    assert (result.outcome, result.delivery, result.error) == (Outcome.ACCEPTED, state, error)
    assert server.requests[0].path == f"{ACCOUNT}/Calls/{sid}.json"
    assert (state in twilio.FINAL_STATES) == (state != "ringing")


def test_delivery_of_something_not_a_twilio_sid_asks_nothing(server: VendorServer) -> None:
    result = provider(server.url).delivery("../../Accounts/other")

    assert result is not None and result.outcome is Outcome.FAILED
    assert server.requests == []


def test_delivery_when_twilio_is_throttling_is_retried(server: VendorServer) -> None:
    server.answer(Reply(429, recorded("twilio", "error_429_20429.json"), {"Retry-After": "7"}))

    result = provider(server.url).delivery("MMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")

    assert result is not None
    assert (result.outcome, result.retry_after_s) == (Outcome.RETRY, 7.0)
    assert server.requests[0].path.endswith("/Messages/MMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json")


# -- settings and the secret --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"account_sid": ""}, "account_sid"),
        ({"account_sid": "AC123"}, "account_sid"),
        ({"account_sid": "ACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, "account_sid"),
        ({"from": ""}, "from"),
        ({"from": "07700 900123"}, "from"),
        ({"whatsapp_from": "whatsapp:+14155238886"}, "whatsapp_from"),
        ({"voice_ack_url": "ftp://noc.example.com/ack"}, "voice_ack_url"),
        ({"voice_ack_url": "http://noc.example.com/ack"}, "voice_ack_url"),
        ({"voice_ack_url": "https://noc.example.com/" + "a" * 1000}, "voice_ack_url"),
        ({"form": "+14155552345"}, "form"),
    ],
)
def test_bad_options_name_the_field(changes: dict[str, str], field: str) -> None:
    options: dict[str, Any] = {"account_sid": SID, "from": SENDER, **changes}
    bad = ProviderConfig("tw", ProviderType.TWILIO, "https://api.twilio.com", 5.0, options)

    with pytest.raises(ProviderError, match=rf"^providers\.tw\.{field}: "):
        twilio.build(bad, lambda name: TOKEN)


@pytest.mark.parametrize(
    ("url", "timeout_s", "field"),
    [
        ("http://api.twilio.com", 5.0, "url"),
        ("https://user:pw@api.twilio.com", 5.0, "url"),
        ("https://api.twilio.com?x=1", 5.0, "url"),
        ("https://api.twilio.com", 0.0, "timeout_s"),
    ],
)
def test_bad_url_or_timeout_names_the_field(url: str, timeout_s: float, field: str) -> None:
    bad = ProviderConfig("tw", ProviderType.TWILIO, url, timeout_s, {"account_sid": SID, "from": SENDER})

    with pytest.raises(ProviderError, match=rf"^providers\.tw\.{field}: "):
        twilio.build(bad, lambda name: TOKEN)


def test_the_default_url_is_twilios() -> None:
    tw = twilio.build(config(""), lambda name: TOKEN)

    assert tw.account_url == f"https://api.twilio.com{ACCOUNT}"


def test_the_secret_is_the_credential_named_after_the_provider() -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return TOKEN

    twilio.build(config("https://api.twilio.com"), secret)

    assert asked == ["provider:tw"]
    with pytest.raises(ProviderError, match=r"^providers\.tw\.credential: "):
        twilio.build(config("https://api.twilio.com"), lambda name: "  ")


def test_the_token_appears_in_no_error_repr_or_log(
    server: VendorServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = f"canary{uuid.uuid4().hex}"
    echo = {"code": 20003, "message": f"Authenticate {token}", "status": 401}  # a vendor echoing it
    server.answer(
        Reply(401, echo),
        Reply(400, f"bad token {token}"),
        Reply(201, recorded("twilio", "message_created.json"), delay_s=1.5),
    )
    tw = provider(server.url, timeout_s=0.3, token=token)

    results = [
        tw.send(a_page()),
        tw.send(a_page()),
        tw.send(a_page()),
        provider(closed_port_url(), token=token).send(a_page()),
    ]
    with pytest.raises(ProviderError) as refused:
        twilio.build(config(server.url, account_sid="AC1"), lambda name: token)

    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED, Outcome.RETRY, Outcome.RETRY]
    assert results[0].error == "HTTP 401: Authenticate <hidden> (Twilio error 20003)"
    assert basic_credentials(server.requests[0]) == f"{SID}:{token}"  # it was really sent
    texts = [repr(r) for r in results] + [repr(tw), str(tw), str(refused.value), caplog.text]
    texts += [repr(vars(tw))]
    for text in texts:
        assert token not in text
