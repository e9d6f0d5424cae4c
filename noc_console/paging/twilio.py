"""Twilio Programmable Messaging and Voice (REST API 2010-04-01): SMS, WhatsApp and voice calls.

`POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form `To`, `From`, `Body`; WhatsApp with
`whatsapp:` addresses) and `.../Calls.json` (form `To`, `From`, `Twiml`), HTTP Basic auth with the
account SID and the Auth Token. Both answer 201 with the new resource's `sid` and `status`; the
delivery state is read back with `GET .../Messages/{sid}.json` or `.../Calls/{sid}.json`, chosen by
the SID's prefix (SM or MM: a message, CA: a call). Twilio takes no idempotency key on these
resources: a send retried after a timeout may reach the phone twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import requests

from noc_console.domain.severity import severity_from_label
from noc_console.paging.base import Channel, Outcome, Page, ProviderConfig, SecretLookup, SendResult
from noc_console.paging.rest import (
    ELLIPSIS,
    Answer,
    Secret,
    base_url,
    check_options,
    check_timeout,
    check_url,
    clean,
    clip,
    fetch_secret,
    field_error,
    option,
    request,
    text_of,
    utf16_length,
)

DEFAULT_URL = "https://api.twilio.com"
API_VERSION = "2010-04-01"
MAX_BODY = 1600  # characters of a message body (Twilio error 21617 beyond)
MAX_TWIML = 4000  # characters of the `Twiml` parameter (Twilio error 32018 beyond)
MAX_SPOKEN_SERVICE = 200  # the title gets the rest
MAX_ACK_URL = 1000
OPTIONS = frozenset({"account_sid", "from", "whatsapp_from", "voice_ack_url"})

# Delivery states an operator must see as failed (in red): the page did not reach the person.
FAILED_STATES = frozenset({"failed", "undelivered", "canceled", "busy", "no-answer"})
# States that will not change any more: polling for the delivery can stop.
FINAL_STATES = FAILED_STATES | {"delivered", "read", "completed"}
_FAILED_WORDS = {
    "failed": "Twilio could not send it",
    "undelivered": "the carrier did not deliver it",
    "canceled": "canceled before it was sent",
    "busy": "the line was busy",
    "no-answer": "nobody answered",
}

_ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}")
_RESOURCE_SID = re.compile(r"(SM|MM|CA)[0-9a-f]{32}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_WHATSAPP = "whatsapp:"


@dataclass(frozen=True, slots=True)
class TwilioSettings:
    """A Twilio provider's options, checked."""

    account_sid: str
    sender: str  # E.164, for SMS and voice
    whatsapp_sender: str | None = None  # E.164
    voice_ack_url: str | None = None  # Twilio posts the pressed digit (and the CallSid) here


def build(
    config: ProviderConfig, secret: SecretLookup, *, session: requests.Session | None = None
) -> TwilioProvider:
    """A Twilio provider from its `[[providers]]` entry; its secret is the account's Auth Token."""
    check_options(config, OPTIONS)
    account_sid = option(config, "account_sid", required=True)
    assert account_sid is not None  # required=True never returns None
    if not _ACCOUNT_SID.fullmatch(account_sid):
        raise field_error(config, "account_sid", "expected AC followed by 32 lower-case hex digits")
    sender = _e164(config, "from", required=True)
    assert sender is not None
    settings = TwilioSettings(
        account_sid=account_sid,
        sender=sender,
        whatsapp_sender=_e164(config, "whatsapp_from", required=False),
        voice_ack_url=_ack_url(config),
    )
    url = base_url(config, DEFAULT_URL)
    timeout_s = check_timeout(config)
    return TwilioProvider(config, settings, fetch_secret(config, secret), url, timeout_s, session)


def _e164(config: ProviderConfig, key: str, *, required: bool) -> str | None:
    value = option(config, key, required=required)
    if value is not None and not _E164.fullmatch(value):
        raise field_error(config, key, "expected a number in E.164 form, such as +447700900123")
    return value


def _ack_url(config: ProviderConfig) -> str | None:
    value = option(config, "voice_ack_url")
    if value is not None and len(value) > MAX_ACK_URL:
        raise field_error(config, "voice_ack_url", f"longer than {MAX_ACK_URL} characters")
    return check_url(config, "voice_ack_url", value) if value is not None else None


# -- what Twilio is sent (pure) -----------------------------------------------------------------------


def message_body(page: Page) -> str:
    """The SMS or WhatsApp text: the page's text, cut to Twilio's 1,600 characters."""
    return clip(page.text or f"{page.severity.upper()}: {page.title}", MAX_BODY)


def twiml(page: Page, ack_url: str | None) -> str:
    """The call's TwiML: the incident read out with `<Say>`, then, with `ack_url`, a one-digit
    `<Gather>` that posts the digit there; every text XML-escaped, the whole within 4,000 characters."""
    severity = severity_from_label(page.severity).value
    service = f" Service {clip(page.service, MAX_SPOKEN_SERVICE)}." if page.service else ""
    head = f"{severity.capitalize()} incident {page.incident_id}: "
    tail = f".{service}"
    if ack_url is None:
        tail += " Acknowledge it in the NOC console."
        after = ""
    else:
        after = (
            f'<Gather numDigits="1" action={quoteattr(ack_url)} method="POST">'
            "<Say>Press 1 to acknowledge.</Say></Gather>"
            "<Say>Nothing was pressed. Acknowledge it in the NOC console.</Say>"
        )

    def document(title: str) -> str:
        spoken = escape(head) + title + escape(tail)
        return f'<?xml version="1.0" encoding="UTF-8"?><Response><Say>{spoken}</Say>{after}</Response>'

    budget = MAX_TWIML - utf16_length(document(""))
    return document(_escaped_within(clean(page.title), budget))


def _escaped_within(text: str, budget: int) -> str:
    """`text` XML-escaped, cut (with an ellipsis) so that the escaped form fits `budget` UTF-16 units."""
    escaped = escape(text)
    if utf16_length(escaped) <= budget:
        return escaped
    pieces: list[str] = []
    used = 0
    for char in text:
        piece = escape(char)
        width = utf16_length(piece)
        if used + width > budget - 1:
            break
        pieces.append(piece)
        used += width
    return "".join(pieces) + ELLIPSIS


# -- what Twilio answers (pure) -----------------------------------------------------------------------


def error_words(payload: Any) -> str | None:
    """A Twilio error answer (`code`, `message`, `more_info`, `status`; sometimes `detail`) in words."""
    if not isinstance(payload, Mapping):
        return None
    words = ": ".join(
        part for part in (text_of(payload.get("message")), text_of(payload.get("detail"))) if part
    )
    code = payload.get("code")
    if code is not None and not isinstance(code, bool):
        words = f"{words} (Twilio error {code})".strip()
    return words or None


def delivery_state(payload: Any, provider_id: str) -> SendResult:
    """A fetched Message or Call as a delivery state; a failed one carries the reason in `error`."""
    status = text_of(payload.get("status")) if isinstance(payload, Mapping) else None
    if status is None:
        return SendResult(Outcome.RETRY, provider_id=provider_id, error="Twilio answered without a status")
    code = payload.get("error_code") or None  # Twilio sends null (or 0) when there is none
    message = text_of(payload.get("error_message"))
    error = None
    if code is not None or message:
        error = (
            "Twilio error" + (f" {code}" if code is not None else "") + (f": {message}" if message else "")
        )
    elif status in FAILED_STATES:
        error = _FAILED_WORDS[status]
    return SendResult(Outcome.ACCEPTED, provider_id=provider_id, delivery=status, error=error)


# -- the provider -------------------------------------------------------------------------------------


class TwilioProvider:
    """Sends pages as SMS, WhatsApp messages and voice calls through one Twilio account."""

    def __init__(
        self,
        config: ProviderConfig,
        settings: TwilioSettings,
        token: Secret,
        url: str,
        timeout_s: float,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.url = url
        self.timeout_s = timeout_s
        self._token = token
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return (
            f"TwilioProvider(name={self.config.name!r}, url={self.url!r}, "
            f"account_sid={self.settings.account_sid!r})"
        )

    @property
    def account_url(self) -> str:
        return f"{self.url}/{API_VERSION}/Accounts/{self.settings.account_sid}"

    def send(self, page: Page) -> SendResult:
        """One SMS, WhatsApp message or call; accepted answers carry the SID and Twilio's first status."""
        if page.channel not in (Channel.SMS, Channel.WHATSAPP, Channel.VOICE):
            return SendResult(Outcome.FAILED, error=f"Twilio does not carry {page.channel.value} pages")
        if not page.address:
            return SendResult(Outcome.FAILED, error=f"no phone number for {page.target}")
        if page.channel is Channel.VOICE:
            form = {
                "To": page.address,
                "From": self.settings.sender,
                "Twiml": twiml(page, self.settings.voice_ack_url),
            }
            return self._create("Calls", form)
        if page.channel is Channel.WHATSAPP:
            if self.settings.whatsapp_sender is None:
                return SendResult(
                    Outcome.FAILED,
                    error=f"providers.{self.config.name}.whatsapp_from is not set: no WhatsApp sender",
                )
            to = page.address if page.address.startswith(_WHATSAPP) else _WHATSAPP + page.address
            form = {"To": to, "From": _WHATSAPP + self.settings.whatsapp_sender, "Body": message_body(page)}
            return self._create("Messages", form)
        return self._create(
            "Messages", {"To": page.address, "From": self.settings.sender, "Body": message_body(page)}
        )

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return None  # a message or call has nothing to acknowledge at Twilio

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def delivery(self, provider_id: str) -> SendResult | None:
        """Twilio's current status of a message (SM.../MM...) or call (CA...)."""
        if not _RESOURCE_SID.fullmatch(provider_id):
            return SendResult(Outcome.FAILED, error=f"not a Twilio message or call SID: {provider_id[:40]!r}")
        resource = "Calls" if provider_id.startswith("CA") else "Messages"
        answer = self._call("GET", f"{self.account_url}/{resource}/{provider_id}.json")
        if answer.result.outcome is not Outcome.ACCEPTED:
            return replace(answer.result, provider_id=provider_id)
        return replace(delivery_state(answer.payload, provider_id), http_status=answer.result.http_status)

    def close(self) -> None:
        self._session.close()

    def _create(self, resource: str, form: dict[str, str]) -> SendResult:
        answer = self._call("POST", f"{self.account_url}/{resource}.json", form=form)
        if answer.result.outcome is not Outcome.ACCEPTED:
            return answer.result
        payload = answer.payload if isinstance(answer.payload, Mapping) else {}
        return replace(
            answer.result, provider_id=text_of(payload.get("sid")), delivery=text_of(payload.get("status"))
        )

    def _call(self, method: str, url: str, form: dict[str, str] | None = None) -> Answer:
        return request(
            self._session,
            method,
            url,
            self.timeout_s,
            form=form,
            auth=(self.settings.account_sid, self._token.value),
            error_words=error_words,
            hide=(self._token,),
        )
