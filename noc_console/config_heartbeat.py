"""`[heartbeat]`: the dead man's switch. The lease-holding poller calls a URL every `interval_s` while
its poll loop makes progress; a service outside (an Opsgenie heartbeat, a Healthchecks.io check, any
URL that alarms when the calls stop) pages someone when the console hangs or dies. Every error names
its field (`heartbeat.interval_s: ...`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from noc_console.paging.base import LOOPBACK_HOSTS

HEARTBEAT_CREDENTIAL = "heartbeat"
HEARTBEAT_KEYS = ("url", "method", "interval_s", "timeout_s", "auth_header", "auth_scheme")
METHODS = ("GET", "POST")
INTERVAL_S = (60.0, 10.0, 3600.0)  # default, minimum, maximum
TIMEOUT_S = (10.0, 0.5, 60.0)


class HeartbeatConfigError(ValueError):
    """Raised with the field named first; config.py turns it into a ConfigError."""


@dataclass(frozen=True, slots=True)
class HeartbeatConfig:
    """Where and how often to call. With `auth_header`, the credential `heartbeat` goes in that header,
    after `auth_scheme` when one is given (Opsgenie: `Authorization: GenieKey <key>`)."""

    url: str
    method: str = "GET"
    interval_s: float = INTERVAL_S[0]
    timeout_s: float = TIMEOUT_S[0]
    auth_header: str | None = None
    auth_scheme: str | None = None

    @property
    def credential_name(self) -> str:
        return HEARTBEAT_CREDENTIAL

    def safe_url(self) -> str:
        """The URL without its path and query, which may be the check's secret (Healthchecks.io)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def parse_heartbeat(data: Mapping[str, Any]) -> HeartbeatConfig | None:
    """The `[heartbeat]` table, or None when the file has none."""
    if "heartbeat" not in data:
        return None
    table = data["heartbeat"]
    if not isinstance(table, Mapping):
        raise HeartbeatConfigError("heartbeat: must be a table")
    for key in table:
        if key in ("password", "token", "api_key", "secret", "key"):
            raise HeartbeatConfigError(
                f"heartbeat.{key}: credentials never go in the config file; store it with "
                f"`noc-console secret set {HEARTBEAT_CREDENTIAL}` and name its header in auth_header"
            )
        if key not in HEARTBEAT_KEYS:
            expected = ", ".join(HEARTBEAT_KEYS)
            raise HeartbeatConfigError(f"heartbeat.{key}: unknown setting (expected {expected})")
    auth_header = _header(table.get("auth_header"))
    auth_scheme = _scheme(table.get("auth_scheme"), auth_header)
    interval_s = _seconds(table, "interval_s", INTERVAL_S)
    timeout_s = _seconds(table, "timeout_s", TIMEOUT_S)
    if timeout_s >= interval_s:
        raise HeartbeatConfigError(
            f"heartbeat.timeout_s: must be shorter than interval_s ({interval_s:g}), not {timeout_s:g}"
        )
    return HeartbeatConfig(
        url=_url(table.get("url"), with_credential=auth_header is not None),
        method=_method(table.get("method", "GET")),
        interval_s=interval_s,
        timeout_s=timeout_s,
        auth_header=auth_header,
        auth_scheme=auth_scheme,
    )


def _url(value: Any, *, with_credential: bool) -> str:
    """An absolute http(s) URL without a user or password; plain http carries no credential beyond
    this machine."""
    if not isinstance(value, str) or not value.strip():
        raise HeartbeatConfigError("heartbeat.url: required, the http(s) URL to call (its ping URL)")
    url: str = value.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise HeartbeatConfigError("heartbeat.url: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HeartbeatConfigError(f"heartbeat.url: must be an http:// or https:// URL, not {url!r}")
    if parts.username or parts.password:
        raise HeartbeatConfigError(
            f"heartbeat.url: must not contain a user name or password; use `noc-console secret set "
            f"{HEARTBEAT_CREDENTIAL}` and auth_header"
        )
    if with_credential and parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise HeartbeatConfigError(
            "heartbeat.url: must be https:// when auth_header sends the credential "
            "(http:// only to 127.0.0.1 or localhost)"
        )
    return url


def _method(value: Any) -> str:
    method = value.strip().upper() if isinstance(value, str) else None
    if method not in METHODS:
        raise HeartbeatConfigError(f"heartbeat.method: must be GET or POST, not {value!r}")
    return method


def _seconds(table: Mapping[str, Any], key: str, bounds: tuple[float, float, float]) -> float:
    default, low, high = bounds
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HeartbeatConfigError(f"heartbeat.{key}: must be a number of seconds, not {value!r}")
    if not low <= value <= high:
        raise HeartbeatConfigError(f"heartbeat.{key}: must be between {low:g} and {high:g}, not {value:g}")
    return float(value)


def _header(value: Any) -> str | None:
    """An HTTP header name (a token: letters, digits, hyphens), or None when absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HeartbeatConfigError("heartbeat.auth_header: must be a header name, e.g. Authorization")
    name = value.strip()
    if not all(c.isascii() and (c.isalnum() or c == "-") for c in name):
        raise HeartbeatConfigError(f"heartbeat.auth_header: {name!r} is not a header name (A-Z, 0-9, -)")
    return name


def _scheme(value: Any, header: str | None) -> str | None:
    """The word before the credential (GenieKey, Bearer); only with auth_header."""
    if value is None:
        return None
    if header is None:
        raise HeartbeatConfigError("heartbeat.auth_scheme: needs auth_header (the header that carries it)")
    if not isinstance(value, str) or not value.strip() or not value.strip().isascii():
        raise HeartbeatConfigError("heartbeat.auth_scheme: must be a word such as GenieKey or Bearer")
    scheme = value.strip()
    if any(c.isspace() for c in scheme) or not scheme.isprintable():
        raise HeartbeatConfigError(f"heartbeat.auth_scheme: {scheme!r} must be one word, e.g. GenieKey")
    return scheme
