"""The generic webhook over real HTTP to a stand-in on 127.0.0.1: the documented body byte for byte,
its HMAC recomputed here over the raw body received, the idempotency header, and every kind of answer."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest

from noc_console.paging import webhook
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.page_samples import DATA, HOSTILE_TEXT, HOSTILE_TITLE, hostile_page, sample_page
from tests.paging.vendor_server import Reply, VendorServer, vendor_server

KEY = "example-hmac-key-0123456789"
SENT_AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
FIELDS = [
    "key",
    "incident_id",
    "title",
    "severity",
    "service",
    "channel",
    "target",
    "level",
    "repeat",
    "text",
    "console_hint",
    "sent_at",
]


@pytest.fixture
def server() -> Iterator[VendorServer]:
    with vendor_server() as running:
        running.default = Reply(202, "")
        yield running


def config(url: str, timeout_s: float = 5.0, **options: str) -> ProviderConfig:
    return ProviderConfig("ops-hook", ProviderType.WEBHOOK, url, timeout_s, options)


def provider(server: VendorServer, timeout_s: float = 5.0, key: str = KEY) -> webhook.WebhookProvider:
    return webhook.build(
        config(f"{server.url}/noc/pages?tenant=7", timeout_s), lambda name: key, now=lambda: SENT_AT
    )


def expected_signature(body: bytes, key: str = KEY) -> str:
    return "sha256=" + hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()


def test_a_page_is_the_documented_signed_body(server: VendorServer) -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return KEY

    hook = webhook.build(config(f"{server.url}/noc/pages?tenant=7"), secret, now=lambda: SENT_AT)
    result = hook.send(sample_page(Channel.WEBHOOK))

    assert asked == ["provider:ops-hook"]
    assert result.outcome is Outcome.ACCEPTED
    assert (result.http_status, result.provider_id, result.error) == (202, None, None)
    [request] = server.requests
    assert (request.method, request.path, request.query) == ("POST", "/noc/pages", {"tenant": ["7"]})
    assert request.headers["content-type"] == "application/json"
    assert request.body == (DATA / "webhook" / "request_body.json").read_bytes()
    assert list(request.json()) == FIELDS
    assert request.headers["x-noc-signature"] == expected_signature(request.body)
    openssl_hex = (DATA / "webhook" / "request_signature.txt").read_text().strip()
    assert request.headers["x-noc-signature"] == f"sha256={openssl_hex}"
    assert request.headers["x-noc-idempotency-key"] == "esc7:L1:ops:webhook:P0"


def test_the_signature_changes_with_the_key_and_catches_a_changed_body(server: VendorServer) -> None:
    provider(server).send(sample_page(Channel.WEBHOOK))
    provider(server, key="another-key-of-sixteen").send(sample_page(Channel.WEBHOOK))

    first, second = server.requests
    assert first.body == second.body
    assert first.headers["x-noc-signature"] != second.headers["x-noc-signature"]
    tampered = first.body.replace(b'"severity":"critical"', b'"severity":"info"')
    assert expected_signature(tampered) != first.headers["x-noc-signature"]


def test_outside_text_arrives_exactly_as_typed_and_signed(server: VendorServer) -> None:
    page = hostile_page(Channel.WEBHOOK, key="esc7:L1:José “ops”:webhook:P0\r\nX-Evil: 1", service=None)
    provider(server).send(page)

    [request] = server.requests
    body = request.json()
    assert (body["title"], body["text"], body["service"]) == (HOSTILE_TITLE, HOSTILE_TEXT, None)
    assert body["key"] == page.key
    assert "🚨".encode() in request.body  # UTF-8, not \u escapes
    assert request.body == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )  # compact
    assert request.headers["x-noc-signature"] == expected_signature(request.body)
    assert unquote(request.headers["x-noc-idempotency-key"]) == page.key
    assert "x-evil" not in request.headers


def test_a_json_id_in_the_answer_is_the_provider_id(server: VendorServer) -> None:
    server.answer(
        Reply(200, {"id": "rcv-42"}), Reply(201, {"id": 42}), Reply(200, "thanks"), Reply(200, {"id": True})
    )
    hook = provider(server)

    ids = [hook.send(sample_page(Channel.WEBHOOK)).provider_id for _ in range(4)]

    assert ids == ["rcv-42", "42", None, None]


def test_rate_limited_is_retried_after_the_wait(server: VendorServer) -> None:
    server.answer(Reply(429, "slow down", {"Retry-After": "12"}))

    result = provider(server).send(sample_page(Channel.WEBHOOK))

    assert result.outcome is Outcome.RETRY
    assert (result.retry_after_s, result.http_status, result.error) == (12.0, 429, "HTTP 429: slow down")


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried(server: VendorServer, status: int) -> None:
    server.answer(Reply(status, "receiver down"))

    result = provider(server).send(sample_page(Channel.WEBHOOK))

    assert result.outcome is Outcome.RETRY
    assert (result.error, result.http_status) == (f"HTTP {status}: receiver down", status)


@pytest.mark.parametrize(
    ("status", "body"), [(400, "bad body"), (401, "bad signature"), (404, "no such hook")]
)
def test_a_refusal_fails_with_the_receivers_words(
    server: VendorServer, status: int, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.answer(Reply(status, body))
    hook = provider(server)

    result = hook.send(sample_page(Channel.WEBHOOK))

    assert result.outcome is Outcome.FAILED
    assert (result.error, result.http_status) == (f"HTTP {status}: {body}", status)
    for text in (str(result), repr(hook), caplog.text):
        assert KEY not in text
    assert repr(hook) == f"WebhookProvider(name='ops-hook', endpoint='{server.url}')"


def test_no_answer_in_time_is_retried(server: VendorServer) -> None:
    server.answer(Reply(202, "", delay_s=1.5))

    result = provider(server, timeout_s=0.3).send(sample_page(Channel.WEBHOOK))

    assert result.outcome is Outcome.RETRY
    assert result.error == "no answer within 0.3 s"


def test_sent_at_is_the_time_of_each_attempt(server: VendorServer) -> None:
    times = iter(
        [datetime(2026, 3, 1, 9, 30, 5, 250000, tzinfo=UTC), datetime(2026, 3, 1, 9, 31, tzinfo=UTC)]
    )
    hook = webhook.build(config(server.url), lambda name: KEY, now=lambda: next(times))
    hook.send(sample_page(Channel.WEBHOOK))
    hook.send(sample_page(Channel.WEBHOOK))

    assert [json.loads(r.body)["sent_at"] for r in server.requests] == [
        "2026-03-01T09:30:05.250000Z",
        "2026-03-01T09:31:00Z",
    ]
    assert len({r.headers["x-noc-idempotency-key"] for r in server.requests}) == 1


@pytest.mark.parametrize(
    ("url", "key", "field"),
    [
        ("", KEY, "url"),
        ("ftp://hooks.example/pages", KEY, "url"),
        ("https://hooks.example:port/pages", KEY, "url"),
        ("https://noc:pa55word@hooks.example/pages", KEY, "url"),
        ("https://hooks.example/pages", "short-s3cret", "credential"),
    ],
)
def test_a_bad_url_or_key_is_refused_naming_the_setting(url: str, key: str, field: str) -> None:
    with pytest.raises(ProviderError) as caught:
        webhook.build(config(url), lambda name: key)

    assert str(caught.value).startswith(f"providers.ops-hook.{field}: ")
    assert key not in str(caught.value)


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ProviderError, match=r"^providers\.ops-hook\.secret: unknown option"):
        webhook.build(config("https://hooks.example/pages", secret="x"), lambda name: KEY)
