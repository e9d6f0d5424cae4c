"""Microsoft Teams incoming webhooks: a page as an Adaptive Card message POSTed to the channel's webhook.

Two kinds of webhook take the same request (Microsoft, "Create Incoming Webhooks" / "Send Adaptive
Cards using an Incoming Webhook", and the Workflows trigger "When a Teams webhook request is
received"): `POST <webhook URL>`, `Content-Type: application/json`, body

    {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
     "contentUrl": null, "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
     "type": "AdaptiveCard", "version": "1.4", "body": [TextBlocks]}}]}

with TextBlocks for the severity, the incident and title, the service (when known), the message,
who it is for (when known) and how to acknowledge.

- Legacy Office 365 / Microsoft 365 connectors (`outlook.office.com/webhook/…`,
  `<tenant>.webhook.office.com/webhookb2/…`, being retired by Microsoft) answer 200 with the body `1`.
  They also answer 200 when Teams refused the message, with a body such as `Webhook message delivery
  failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId …`
  (MicrosoftDocs/msteams-docs issues 400, 1810, 7425, 9064: "successful only if it returns a
  number"): that text is judged by the status inside it (4xx fails, 429 and 5xx retry; none: retry).
- Workflows webhooks (`*.logic.azure.com/workflows/…?…&sig=…`, Power Automate) answer 202 Accepted,
  with the run's id in `x-ms-workflow-run-id`; errors are Azure's JSON `{"error": {"code", "message"}}`.

Otherwise as for any HTTP vendor: 4xx fails with the body; 429 (with `Retry-After`) and 5xx retry.
`provider_id`: the `x-ms-workflow-run-id` header, else the `request-id` header, else None.

Config: `url` (default `https://outlook.office.com`); the secret `provider:<name>` is the webhook URL's
path (with its query, for Workflows), or the whole webhook URL as pasted (then used as is; https unless
127.0.0.1 or localhost). No other settings.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from noc_console.paging import hooks
from noc_console.paging.base import (
    MAX_ERROR,
    Outcome,
    Page,
    ProviderConfig,
    SecretLookup,
    SendResult,
    classify,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"
TEXT_LIMIT = 10_000  # Teams refuses messages over about 28 KB; one page's text stays well below
_CONNECTOR_FAILURE = "Webhook message delivery failed"
_WRAPPED_STATUS = re.compile(r"returned HTTP error (\d{3})")
_COLOURS = {"critical": "Attention", "major": "Attention", "minor": "Warning", "warning": "Warning"}


def _block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def card(page: Page) -> dict[str, Any]:
    """The Adaptive Card for one page."""
    severity = hooks.one_line(page.severity)
    body = [
        _block(severity.upper(), weight="Bolder", color=_COLOURS.get(severity.lower(), "Default")),
        _block(f"#{page.incident_id} {hooks.one_line(page.title)}", weight="Bolder", size="Large"),
    ]
    if page.service:
        body.append(_block(f"Service: {hooks.one_line(page.service)}", isSubtle=True))
    text = hooks.text(page.text)
    if text.strip():
        body.append(_block(hooks.clip(text, TEXT_LIMIT)))
    if page.address:
        body.append(_block(f"For: {hooks.one_line(page.address)}", isSubtle=True))
    body.append(_block(f"To acknowledge: {hooks.ack_hint(page)}"))
    return {"$schema": CARD_SCHEMA, "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}


def message(page: Page) -> dict[str, Any]:
    """The message carrying the card, as both connectors and Workflows take it."""
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card(page)}],
    }


def judge(response: requests.Response) -> SendResult:
    """Teams' answer as a SendResult, a connector's "200 but failed" included."""
    status = response.status_code
    if 200 <= status < 300:
        body = response.text.strip()
        if body.startswith(_CONNECTOR_FAILURE):
            error = f"HTTP {status}: {body[:MAX_ERROR]}"
            match = _WRAPPED_STATUS.search(body)
            inner = int(match.group(1)) if match else None
            if inner is not None and 400 <= inner < 500 and inner != 429:
                return SendResult(Outcome.FAILED, error=error, http_status=status)
            return SendResult(Outcome.RETRY, error=error, http_status=status)
        run_id = response.headers.get("x-ms-workflow-run-id") or response.headers.get("request-id")
        return classify(response, run_id[:200] if run_id else None)
    result = classify(response)
    azure_error = _azure_error(response)
    if azure_error:
        return SendResult(
            result.outcome,
            retry_after_s=result.retry_after_s,
            error=f"HTTP {status}: {azure_error}"[:MAX_ERROR],
            http_status=status,
        )
    return result


def _azure_error(response: requests.Response) -> str | None:
    """`code: message` of Azure's JSON error answer (Workflows), else None."""
    try:
        payload = json.loads(response.text)
    except ValueError:
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    code, text = error.get("code"), error.get("message")
    parts = [str(part) for part in (code, text) if isinstance(part, str) and part]
    return ": ".join(parts) or None


class TeamsProvider(hooks.ChatWebhook):
    """Posts pages to one Teams webhook; its URL path and query never show in a repr, error or log."""

    def payload(self, page: Page) -> dict[str, Any]:
        return message(page)

    def judge(self, response: requests.Response) -> SendResult:
        return judge(response)


def build(
    config: ProviderConfig, secret: SecretLookup, *, session: requests.Session | None = None
) -> TeamsProvider:
    """A Teams provider from its `[[providers]]` entry and its secret (the webhook path or URL)."""
    return hooks.build_chat(TeamsProvider, config, secret, session)
