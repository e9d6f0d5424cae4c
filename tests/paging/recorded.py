"""Helpers for the REST providers' tests: recorded vendor answers, a page to send, a server fixture."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from noc_console.paging.base import Channel, Page
from tests.paging.vendor_server import Recorded, VendorServer, vendor_server

DATA = Path(__file__).resolve().parent.parent / "data" / "paging"

# Text an operator may well see in a title: quotes, markup-like characters, accents, emoji, CJK.
HOSTILE_TITLE = "Payments \"API\" <b>down</b> & 'retrying' > 5xx — café 🔥🚨 支付"


def recorded(vendor: str, name: str) -> Any:
    """A recorded (documented) answer of a vendor, decoded."""
    return json.loads((DATA / vendor / name).read_text(encoding="utf-8"))


def a_page(**changes: Any) -> Page:
    fields: dict[str, Any] = {
        "key": "esc7:L1:alice:sms:P1",
        "incident_id": 12,
        "title": "Payments API down",
        "severity": "critical",
        "service": "payments",
        "channel": Channel.SMS,
        "target": "alice",
        "address": "+447700900123",
        "level": 1,
        "repeat": 1,
        "text": "CRITICAL #12 Payments API down (payments). Acknowledge: noc-console ack 12",
        "console_hint": "noc-console ack 12",
    }
    fields.update(changes)
    return Page(**fields)


def basic_credentials(request: Recorded) -> str:
    """The `user:password` of a request's HTTP Basic Authorization header."""
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    return base64.b64decode(encoded).decode("utf-8")


def server_fixture() -> Iterator[VendorServer]:
    with vendor_server() as server:
        yield server


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (the server is gone)."""
    with vendor_server() as server:
        url = server.url
    return url
