"""Slack incoming webhooks: a page as a Block Kit message POSTed to the channel's webhook URL.

The request (Slack, "Sending messages using incoming webhooks"): `POST <webhook URL>`,
`Content-Type: application/json`, body `{"text": <fallback>, "blocks": [...]}`:

- `text`: the headline and the message; what notifications and old clients show.
- `header` block (plain text, at most 150 characters): `[NOC CRITICAL] #12 Payments API down`.
- `section` block: the message (mrkdwn), with the fields *Severity* and *Service* (when known).
- `context` block: who it is for (a Slack member ID as address becomes a real mention) and how to
  acknowledge.

Page text is escaped for mrkdwn (`&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`, as Slack's formatting
reference asks), so a title such as `<!channel>` or `<https://x|y>` shows as typed and never pings a
channel or hides a link.

Slack answers 200 `ok`. Errors are plain-text bodies: 400 `invalid_payload`, `user_not_found`,
`too_many_attachments`, `no_service_id`; 403 `invalid_token`, `action_prohibited`,
`posting_to_general_channel_denied`; 404 `no_service`, `no_team`, `team_disabled`, `channel_not_found`;
410 `channel_is_archived`; 429 with `Retry-After`; 500 `rollup_error`. A 4xx fails with Slack's text;
429 and 5xx are retried. Slack gives no id for a webhook message: `provider_id` is None.

Config: `url` (default `https://hooks.slack.com`); the secret `provider:<name>` is the webhook's path
`/services/T…/B…/…`, or the whole webhook URL as pasted (then used as is; https unless it is
127.0.0.1 or localhost). No other settings.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from noc_console.paging import hooks
from noc_console.paging.base import Page, ProviderConfig, SecretLookup

HEADER_LIMIT = 150  # Block Kit: a header block's plain_text
SECTION_LIMIT = 3000  # a section's text
FIELD_LIMIT = 2000  # a section field's text
FALLBACK_LIMIT = 3000  # `text` may be longer, but notifications show little of it
_MEMBER_ID = re.compile(r"^@?([UW][A-Z0-9]{8,})$")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(value: str) -> str:
    """Text shown as typed in Slack mrkdwn: its three control characters as HTML entities."""
    return value.translate(_ESCAPES)


def mrkdwn(value: str, limit: int) -> str:
    """Escaped text of at most `limit` characters; a cut never splits an entity."""
    escaped = escape(value)
    if len(escaped) <= limit:
        return escaped
    cut = limit - 1
    while True:
        candidate = escape(value[:cut]) + "…"
        if len(candidate) <= limit:
            return candidate
        # One character escapes to at most 5 (`&amp;`): drop enough for the excess, never more.
        cut -= max(1, -(-(len(candidate) - limit) // 5))


def message(page: Page) -> dict[str, Any]:
    """The Block Kit message for one page."""
    headline = hooks.headline(page)
    body = hooks.text(page.text)
    severity = mrkdwn(hooks.one_line(page.severity).upper(), FIELD_LIMIT - 11)
    fields = [{"type": "mrkdwn", "text": f"*Severity*\n{severity}"}]
    if page.service:
        service = mrkdwn(hooks.one_line(page.service), FIELD_LIMIT - 10)
        fields.append({"type": "mrkdwn", "text": f"*Service*\n{service}"})
    section: dict[str, Any] = {"type": "section"}
    if body.strip():
        section["text"] = {"type": "mrkdwn", "text": mrkdwn(body, SECTION_LIMIT)}
    section["fields"] = fields
    context = f"To acknowledge: {mrkdwn(hooks.ack_hint(page), FIELD_LIMIT)}"
    if page.address:
        context = f"For {_mention(page.address)} · {context}"
    return {
        "text": mrkdwn(f"{headline}\n{body}".strip(), FALLBACK_LIMIT),
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": hooks.clip(headline, HEADER_LIMIT), "emoji": True},
            },
            section,
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    }


def _mention(address: str) -> str:
    """A Slack member ID (`U024BE7LH`, `@U024BE7LH`) as a mention (mrkdwn `<@U024BE7LH>`); any other
    handle escaped, as plain text: only a member ID can ever notify anyone."""
    match = _MEMBER_ID.match(address.strip())
    return f"<@{match.group(1)}>" if match else mrkdwn(hooks.one_line(address), 200)


class SlackProvider(hooks.ChatWebhook):
    """Posts pages to one Slack incoming webhook; its URL path never shows in a repr, error or log."""

    def payload(self, page: Page) -> dict[str, Any]:
        return message(page)


def build(
    config: ProviderConfig, secret: SecretLookup, *, session: requests.Session | None = None
) -> SlackProvider:
    """A Slack provider from its `[[providers]]` entry and its secret (the webhook path or URL)."""
    return hooks.build_chat(SlackProvider, config, secret, session)
