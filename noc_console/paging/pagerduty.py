"""PagerDuty Events API v2: `POST /v2/enqueue` with a JSON event.

One PagerDuty alert per incident: every event of incident 12 carries the dedup key
`noc-console-12`, so a retried or repeated trigger joins the open alert instead of opening another, and
acknowledge and resolve events find it. The integration's routing key is the provider's secret; it
travels in the event body (the Events API takes no auth header). PagerDuty answers 202
`{"status": "success", "message": "Event processed", "dedup_key": ...}`, 400 for an invalid event,
429 when throttled and 5xx when it failed; it reports no delivery state for an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import requests

from noc_console.domain.severity import Severity, severity_from_label
from noc_console.paging.base import Channel, Outcome, Page, ProviderConfig, SecretLookup, SendResult
from noc_console.paging.rest import (
    Answer,
    Secret,
    base_url,
    check_options,
    check_timeout,
    clip,
    fetch_secret,
    option,
    request,
    text_of,
)

DEFAULT_URL = "https://events.pagerduty.com"
ENQUEUE_PATH = "/v2/enqueue"
CLIENT = "NOC Console"
DEFAULT_SOURCE = "noc-console"
MAX_SUMMARY = 1024
MAX_DEDUP_KEY = 255
MAX_DETAIL = 4000  # characters of one custom detail; the whole event must stay under 512 KB
OPTIONS = frozenset({"source"})

# PagerDuty knows four severities (critical, error, warning, info); minor sits with warning.
SEVERITY: Mapping[Severity, str] = {
    Severity.CRITICAL: "critical",
    Severity.MAJOR: "error",
    Severity.MINOR: "warning",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
}


def build(
    config: ProviderConfig, secret: SecretLookup, *, session: requests.Session | None = None
) -> PagerDutyProvider:
    """A PagerDuty provider from its `[[providers]]` entry; its secret is the integration's routing key.

    Option `source`: the event's `payload.source` (default `noc-console`)."""
    check_options(config, OPTIONS)
    source = clip(option(config, "source") or DEFAULT_SOURCE, MAX_SUMMARY)
    url = base_url(config, DEFAULT_URL)
    timeout_s = check_timeout(config)
    return PagerDutyProvider(config, fetch_secret(config, secret), url, timeout_s, source, session)


# -- what PagerDuty is sent (pure) --------------------------------------------------------------------


def dedup_key(incident_id: int) -> str:
    """The key that makes all events of one incident one PagerDuty alert."""
    return f"noc-console-{incident_id}"[:MAX_DEDUP_KEY]


def trigger_event(page: Page, routing_key: str, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """The documented trigger event for a page (summary cut to 1,024 characters)."""
    severity = severity_from_label(page.severity)
    payload: dict[str, Any] = {
        "summary": clip(page.title, MAX_SUMMARY),
        "source": source,
        "severity": SEVERITY[severity],
    }
    if page.service:
        payload["component"] = clip(page.service, MAX_SUMMARY)
    payload["custom_details"] = {
        "incident_id": page.incident_id,
        "severity": severity.value,
        "service": clip(page.service, MAX_DETAIL) if page.service else None,
        "target": clip(page.target, MAX_DETAIL),
        "level": page.level,
        "repeat": page.repeat,
        "page_key": clip(page.key, MAX_DETAIL),
        "text": clip(page.text, MAX_DETAIL),
        "acknowledge": clip(page.console_hint, MAX_DETAIL) or None,
    }
    event: dict[str, Any] = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key(page.incident_id),
        "payload": payload,
        "client": CLIENT,
    }
    if page.console_hint.startswith(("https://", "http://")):
        event["client_url"] = clip(page.console_hint, MAX_DETAIL)
    return event


def follow_up_event(action: str, incident_id: int, routing_key: str) -> dict[str, Any]:
    """An `acknowledge` or `resolve` event: routing key, action and dedup key, no payload."""
    return {"routing_key": routing_key, "event_action": action, "dedup_key": dedup_key(incident_id)}


# -- what PagerDuty answers (pure) --------------------------------------------------------------------


def error_words(payload: Any) -> str | None:
    """An error answer (`status`, `message`, `errors`) in words: the message and each error."""
    if not isinstance(payload, Mapping):
        return None
    message = text_of(payload.get("message")) or text_of(payload.get("status"))
    errors = payload.get("errors")
    details = [e for e in errors if isinstance(e, str)] if isinstance(errors, list) else []
    if isinstance(errors, str):
        details = [errors]
    if details:
        return f"{message or 'rejected'}: " + "; ".join(details)
    return message


# -- the provider -------------------------------------------------------------------------------------


class PagerDutyProvider:
    """Triggers, acknowledges and resolves one PagerDuty alert per incident on one integration."""

    def __init__(
        self,
        config: ProviderConfig,
        routing_key: Secret,
        url: str,
        timeout_s: float,
        source: str = DEFAULT_SOURCE,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config
        self.url = url
        self.timeout_s = timeout_s
        self.source = source
        self._routing_key = routing_key
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"PagerDutyProvider(name={self.config.name!r}, url={self.url!r})"

    def send(self, page: Page) -> SendResult:
        """A trigger event; accepted answers carry the dedup key as the provider id."""
        if page.channel is not Channel.PAGERDUTY:
            return SendResult(Outcome.FAILED, error=f"PagerDuty does not carry {page.channel.value} pages")
        return self._enqueue(trigger_event(page, self._routing_key.value, self.source))

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return self._enqueue(follow_up_event("acknowledge", incident_id, self._routing_key.value))

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return self._enqueue(follow_up_event("resolve", incident_id, self._routing_key.value))

    def delivery(self, provider_id: str) -> SendResult | None:
        return None  # the Events API reports nothing about an event after accepting it

    def close(self) -> None:
        self._session.close()

    def _enqueue(self, event: dict[str, Any]) -> SendResult:
        answer: Answer = request(
            self._session,
            "POST",
            self.url + ENQUEUE_PATH,
            self.timeout_s,
            json_body=event,
            error_words=error_words,
            hide=(self._routing_key,),
        )
        if answer.result.outcome is not Outcome.ACCEPTED:
            return answer.result
        payload = answer.payload if isinstance(answer.payload, Mapping) else {}
        key = text_of(payload.get("dedup_key")) or event["dedup_key"]
        return replace(answer.result, provider_id=key)
