"""Pages for the provider tests: a plain one and one with text from outside that must arrive as typed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from noc_console.paging.base import Channel, Page

DATA = Path(__file__).resolve().parents[1] / "data" / "paging"

# Quotes, HTML and Slack control sequences, emoji (one outside the BMP), right-to-left text, CJK,
# a backslash and a tab: a title or an alert text may hold any of these.
HOSTILE_TITLE = "Zahlung “fehlgeschlagen” — <b>down</b> & <!channel> <https://evil.example|click> 🚨"
HOSTILE_TEXT = (
    "Kunden melden: \"Fehler 500\" 'immer wieder' — <script>alert('x')</script> &amp; &lt;\n"
    "שלום עולם · 支払いエラー · 🔥🧯 \\ backslash\tand tab"
)


def sample_page(channel: Channel = Channel.SLACK, **changes: Any) -> Page:
    """Incident 12 paged at level 1 to the provider `ops` over `channel`."""
    page = Page(
        key=f"esc7:L1:ops:{channel.value}:P0",
        incident_id=12,
        title="Payments API down",
        severity="critical",
        service="payments",
        channel=channel,
        target="ops",
        address=None,
        level=1,
        repeat=0,
        text="Payments API: 5xx above 20% for 5 minutes.",
        console_hint="https://noc.example/incidents/12",
    )
    return replace(page, **changes)


def hostile_page(channel: Channel = Channel.SLACK, **changes: Any) -> Page:
    fields: dict[str, Any] = {"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "service": "zahlung “api” <b>"}
    return sample_page(channel, **{**fields, **changes})


def load(vendor: str, name: str) -> Any:
    return json.loads((DATA / vendor / name).read_text(encoding="utf-8"))
