"""What every paging provider shares: its settings, one page to send, the answer, and one careful POST.

A provider module turns a `Page` into the vendor's documented request and the vendor's answer into a
`SendResult`: accepted (with the vendor's id for it), worth retrying (timeouts, 5xx, 429 with its
`Retry-After`), or failed for good (another 4xx: a configuration error an operator must fix). Providers
never touch the store: the engine writes each page before it is sent and records every attempt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from noc_console.domain.paging import Channel

if TYPE_CHECKING:  # requests is imported where a page is sent: the console's window needs only the types
    import requests

DEFAULT_TIMEOUT_S = 10.0
MAX_ERROR = 500  # characters of a vendor's error body kept for the timeline
# Hosts that plain http may reach with a credential: nothing on the way can read it.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
__all__ = ["CHANNELS_OF", "Channel", "Outcome", "Page", "PageProvider", "ProviderConfig", "ProviderType",
           "SendResult", "classify", "post", "retry_after"]  # fmt: skip


class ProviderType(StrEnum):
    TWILIO = "twilio"
    PAGERDUTY = "pagerduty"
    OPSGENIE = "opsgenie"
    SLACK = "slack"
    TEAMS = "teams"
    SMTP = "smtp"
    WEBHOOK = "webhook"


# Which provider type carries which channels.
CHANNELS_OF: Mapping[ProviderType, frozenset[Channel]] = {
    ProviderType.TWILIO: frozenset({Channel.VOICE, Channel.SMS, Channel.WHATSAPP}),
    ProviderType.PAGERDUTY: frozenset({Channel.PAGERDUTY}),
    ProviderType.OPSGENIE: frozenset({Channel.OPSGENIE}),
    ProviderType.SLACK: frozenset({Channel.SLACK}),
    ProviderType.TEAMS: frozenset({Channel.TEAMS}),
    ProviderType.SMTP: frozenset({Channel.EMAIL}),
    ProviderType.WEBHOOK: frozenset({Channel.WEBHOOK}),
}


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One `[[providers]]` entry. Its secret is the credential `provider:<name>`; `options` holds the
    type's other settings (a Twilio account SID and sender numbers, an SMTP host, a webhook's path...)."""

    name: str
    type: ProviderType
    url: str  # base URL, overridable (tests, proxies, EU regions)
    timeout_s: float = DEFAULT_TIMEOUT_S
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def credential_name(self) -> str:
        return f"provider:{self.name}"


@dataclass(frozen=True, slots=True)
class Page:
    """One page to one target over one channel. `key` is its idempotency key, the same on every retry
    and after any restart: (incident, level, target, channel, repeat)."""

    key: str
    incident_id: int
    title: str
    severity: str
    service: str | None
    channel: Channel
    target: str  # who: a person's name, a schedule's on-call person, or the provider itself
    address: str | None  # where: an E.164 number, an e-mail address, a chat handle; None for services
    level: int
    repeat: int
    text: str  # the message, ready to send: what, how bad, how to acknowledge
    console_hint: str = ""  # how to acknowledge from outside (a URL or "noc-console ack 12")


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the provider took it (not necessarily delivered yet)
    RETRY = "retry"  # a timeout, 5xx or 429: try again later
    FAILED = "failed"  # refused for good (a 4xx): a configuration error to show


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    provider_id: str | None = None  # the vendor's id for it (message SID, dedup key, request id)
    delivery: str | None = None  # the vendor's delivery state, where it reports one
    retry_after_s: float | None = None  # the vendor asked to wait this long (Retry-After)
    error: str | None = None
    http_status: int | None = None


class PageProvider(Protocol):
    """A provider module's object: built from its config and its secret."""

    config: ProviderConfig

    def send(self, page: Page) -> SendResult:
        """Send one page (idempotent where the vendor allows it: the page's key is passed on)."""
        ...

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        """Tell the vendor the incident was acknowledged (None: the vendor has no such thing)."""
        ...

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        """Tell the vendor the incident was resolved (None: the vendor has no such thing)."""
        ...

    def delivery(self, provider_id: str) -> SendResult | None:
        """The vendor's current delivery state of an accepted page (None: it reports none)."""
        ...


SecretLookup = Callable[[str], str]


class ProviderError(ValueError):
    """A provider that cannot be built from its config (a missing option, a bad URL); names the field."""


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max(0.0, (at - (now or datetime.now(UTC))).total_seconds())


def classify(response: requests.Response, provider_id: str | None = None) -> SendResult:
    """The vendor's HTTP answer as a SendResult: 2xx accepted; 429 and 5xx retry; other 4xx failed."""
    status = response.status_code
    if 200 <= status < 300:
        return SendResult(Outcome.ACCEPTED, provider_id=provider_id, http_status=status)
    body = response.text[:MAX_ERROR].strip()
    error = f"HTTP {status}" + (f": {body}" if body else "")
    if status == 429 or status >= 500:
        wait = retry_after(response.headers.get("Retry-After"))
        return SendResult(Outcome.RETRY, retry_after_s=wait, error=error, http_status=status)
    return SendResult(Outcome.FAILED, error=error, http_status=status)


def post(
    session: requests.Session,
    url: str,
    timeout_s: float,
    *,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    id_from: Callable[[requests.Response], str | None] | None = None,
) -> SendResult:
    """One POST; a timeout or a connection error is worth retrying, never an exception."""
    import requests

    try:
        if json_body is not None:
            data: Any = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json", **(headers or {})}
        else:
            data = form
        response = session.post(url, data=data, headers=dict(headers or {}), auth=auth, timeout=timeout_s)
    except requests.Timeout:
        return SendResult(Outcome.RETRY, error=f"no answer within {timeout_s:g} s")
    except requests.RequestException as exc:
        where = urlsplit(url)  # never the path: a webhook's path is its secret
        return SendResult(
            Outcome.RETRY, error=f"cannot reach {where.scheme}://{where.netloc}: {type(exc).__name__}"
        )
    provider_id = None
    if 200 <= response.status_code < 300 and id_from is not None:
        try:
            provider_id = id_from(response)
        except (ValueError, KeyError, TypeError):
            provider_id = None
    return classify(response, provider_id)
