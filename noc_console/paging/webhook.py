"""A generic webhook: each page POSTed as signed JSON to an endpoint of the operator's own.

Request: `POST <url>` (the provider's `url`: the full endpoint) with these headers

- `Content-Type: application/json`
- `X-NOC-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body bytes, keyed with the secret
  `provider:<name>` (UTF-8). Check it over the raw body before parsing it, with a constant-time
  comparison.
- `X-NOC-Idempotency-Key: <key>`: the page's key, the same on every retry and after any restart (a
  key with characters outside printable ASCII is percent-encoded, RFC 3986 style, to fit a header).

and a compact UTF-8 JSON object (no spaces, characters as they are, not `\\u` escapes), keys in this
order:

    key           the page's idempotency key (string)
    incident_id   the incident's number (integer)
    title         the incident's title (string)
    severity      critical | major | minor | warning | info
    service       the service, or null
    channel       "webhook"
    target        who or what is paged (a provider, a person, a schedule's on-call person)
    level         the escalation level, from 1 (integer)
    repeat        the pass through the policy, from 0 (integer)
    text          the message: what, how bad, how to acknowledge
    console_hint  how to acknowledge from outside the console ("" when none)
    sent_at       when this attempt was sent, ISO 8601 UTC ("2026-03-01T09:30:00Z"): with the
                  signature, lets a receiver refuse an old request replayed

Answer: any 2xx accepts the page (a JSON object answer with a string or number `id` gives the
provider id, else None); 429 (with `Retry-After`) and 5xx are retried; other 4xx fail with the body.
A redirect is not followed (it fails: the configured URL needs fixing).

Config: `url` (required), `timeout_s`; the secret is the HMAC key (at least 16 characters). No other
settings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from noc_console.paging import hooks, rest
from noc_console.paging.base import Page, ProviderConfig, ProviderError, SecretLookup, SendResult, classify

SIGNATURE_HEADER = "X-NOC-Signature"
IDEMPOTENCY_HEADER = "X-NOC-Idempotency-Key"
MIN_KEY = 16
# Printable ASCII stays as it is in the header; anything else (and `%` itself) is percent-encoded.
_HEADER_SAFE = "".join(chr(code) for code in range(0x21, 0x7F) if chr(code) != "%")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def exact(value: str) -> str:
    """The text as it is: a receiver is a program, so only what UTF-8 cannot carry (a lone surrogate)
    is replaced, by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", value)


def payload(page: Page, sent_at: datetime) -> dict[str, Any]:
    """The documented fields of one page, in their documented order."""
    return {
        "key": exact(page.key),
        "incident_id": page.incident_id,
        "title": exact(page.title),
        "severity": exact(page.severity),
        "service": exact(page.service) if page.service is not None else None,
        "channel": str(page.channel),
        "target": exact(page.target),
        "level": page.level,
        "repeat": page.repeat,
        "text": exact(page.text),
        "console_hint": exact(page.console_hint),
        "sent_at": sent_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


def encode(body: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON: the exact bytes that are signed and sent."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(key: bytes, body: bytes) -> str:
    """The `X-NOC-Signature` value for a body."""
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def header_key(key: str) -> str:
    """The page key as it fits an HTTP header."""
    return quote(key, safe=_HEADER_SAFE)


class WebhookProvider:
    """Posts signed pages to one endpoint; the HMAC key never leaves this object (nor its repr)."""

    def __init__(
        self,
        config: ProviderConfig,
        key: bytes,
        *,
        session: requests.Session | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.config = config
        self._key = key
        self._session = session
        self._now = now

    def __repr__(self) -> str:
        return f"WebhookProvider(name={self.config.name!r}, endpoint={hooks.origin(self.config.url)!r})"

    def send(self, page: Page) -> SendResult:
        body = encode(payload(page, self._now()))
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(self._key, body),
            IDEMPOTENCY_HEADER: header_key(exact(page.key)),
        }
        with hooks.session_for(self._session) as session:
            answer = hooks.request(session, self.config.url, self.config.timeout_s, body, headers)
            if isinstance(answer, SendResult):
                return answer
            provider_id = None
            if 200 <= answer.status_code < 300:
                try:
                    provider_id = hooks.json_id(answer.json())
                except ValueError:
                    provider_id = None
            return classify(answer, provider_id)

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def delivery(self, provider_id: str) -> SendResult | None:
        return None


def build(
    config: ProviderConfig,
    secret: SecretLookup,
    *,
    session: requests.Session | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> WebhookProvider:
    """A webhook provider from its `[[providers]]` entry and its secret (the HMAC key)."""
    where = f"providers.{config.name}"
    rest.check_options(config, ())
    rest.check_timeout(config)
    try:
        parts = urlsplit(config.url.strip())
        _ = parts.port  # a malformed port raises here
    except ValueError:
        raise ProviderError(f"{where}.url: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProviderError(f"{where}.url: is required: the endpoint's http(s) URL")
    if parts.username or parts.password:
        raise ProviderError(
            f"{where}.url: must not contain a user name or password (the signature authenticates)"
        )
    key = secret(config.credential_name)
    if len(key) < MIN_KEY:
        raise ProviderError(
            f"{where}.credential: the HMAC key {config.credential_name} must be at least {MIN_KEY} characters"
        )
    return WebhookProvider(config, key.encode("utf-8"), session=session, now=now)
