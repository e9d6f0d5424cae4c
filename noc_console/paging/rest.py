"""What the REST-API providers (Twilio, PagerDuty, Opsgenie) share beyond `base`: checked settings,
a secret that never prints, text cut to a vendor's limit, and one careful request of any method.

`request` follows `base.post` (a timeout or connection error is worth retrying, never an exception;
`base.classify` judges the status) and adds what `post` cannot give: GET for delivery states, the
decoded answer for the caller to read, and an error in the vendor's own words with any secret cut out.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import requests

from noc_console.paging.base import (
    LOOPBACK_HOSTS,
    MAX_ERROR,
    Outcome,
    ProviderConfig,
    ProviderError,
    SendResult,
    classify,
)

ELLIPSIS = "…"
HIDDEN = "<hidden>"
# XML 1.0 forbids C0 controls other than tab, newline and carriage return; JSON and forms carry them,
# but no vendor shows them, so they are dropped everywhere.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Secret:
    """A credential held so that no repr, str, log line or exception shows it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Secret({HIDDEN})"

    __str__ = __repr__


# -- text ---------------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text every vendor and encoder accepts: lone surrogates become U+FFFD, control characters go."""
    return _CONTROL.sub("", _LONE_SURROGATE.sub("\ufffd", text))


def utf16_length(text: str) -> int:
    """Length as Java and JavaScript count it (an emoji is two): the vendors' limits are in these units."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """`text` cleaned and cut to at most `limit` UTF-16 units, ending in an ellipsis when cut."""
    text = clean(text)
    if utf16_length(text) <= limit:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit - 1:  # room for the ellipsis
            break
        kept.append(char)
        used += width
    return "".join(kept).rstrip() + ELLIPSIS


# -- settings -----------------------------------------------------------------------------------------


def field_error(config: ProviderConfig, key: str, problem: str) -> ProviderError:
    """An error naming the config field, as `providers.<name>.<key>: <problem>`."""
    return ProviderError(f"providers.{config.name}.{key}: {problem}")


def check_options(config: ProviderConfig, known: Collection[str]) -> None:
    """A misspelt option is an error, not a setting silently ignored."""
    for key in config.options:
        if key not in known:
            expected = ", ".join(sorted(known)) or "none"
            raise field_error(config, key, f"unknown option (this provider type takes: {expected})")


def option(config: ProviderConfig, key: str, *, required: bool = False) -> str | None:
    """An option's value with surrounding blanks removed; None when absent or blank."""
    value = config.options.get(key)
    value = value.strip() if isinstance(value, str) else None
    if not value:
        if required:
            raise field_error(config, key, "missing")
        return None
    return value


def check_url(config: ProviderConfig, key: str, value: str) -> str:
    """An absolute http(s) URL without credentials; plain http only to this machine (tests, a local
    relay), since these requests carry the provider's secret."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise field_error(config, key, "not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise field_error(config, key, "expected an absolute https:// URL")
    if parts.username or parts.password:
        raise field_error(config, key, "must not contain a user name or password")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise field_error(config, key, "must be https:// (http:// only to 127.0.0.1 or localhost)")
    return value


def base_url(config: ProviderConfig, default: str) -> str:
    """The vendor's base URL: the configured one (a test server, an EU region), else `default`."""
    value = config.url.strip() if config.url else ""
    if not value:
        return default
    value = check_url(config, "url", value)
    parts = urlsplit(value)
    if parts.query or parts.fragment:
        raise field_error(config, "url", "a base URL takes no query or fragment")
    return value.rstrip("/")


def check_timeout(config: ProviderConfig) -> float:
    if not (math.isfinite(config.timeout_s) and config.timeout_s > 0):
        raise field_error(config, "timeout_s", "must be a number of seconds above 0")
    return float(config.timeout_s)


def fetch_secret(config: ProviderConfig, secret: Callable[[str], str]) -> Secret:
    """The provider's credential `provider:<name>`; the lookup's own error (which says how to provide
    it) passes through."""
    value = secret(config.credential_name).strip()
    if not value:
        raise field_error(config, "credential", f"the credential {config.credential_name!r} is empty")
    return Secret(value)


# -- one request --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """A request's outcome and, for a 2xx answer in JSON, its decoded body."""

    result: SendResult
    payload: Any = None


ErrorWords = Callable[[Any], str | None]  # a decoded error body -> the vendor's explanation


def request(
    session: requests.Session,
    method: str,
    url: str,
    timeout_s: float,
    *,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    error_words: ErrorWords | None = None,
    hide: Iterable[Secret] = (),
) -> Answer:
    """One request; a timeout or a connection error is worth retrying, never an exception."""
    send_headers = dict(headers or {})
    data: Any = form
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        send_headers = {"Content-Type": "application/json", **send_headers}
    try:
        response = session.request(
            method,
            url,
            params=params,
            data=data,
            headers=send_headers,
            auth=auth,
            timeout=timeout_s,
            allow_redirects=False,  # these APIs never redirect; following one could carry the secret on
        )
    except requests.Timeout:
        return Answer(SendResult(Outcome.RETRY, error=f"no answer within {timeout_s:g} s"))
    except requests.RequestException as exc:
        where = urlsplit(url)
        return Answer(
            SendResult(
                Outcome.RETRY, error=f"cannot reach {where.scheme}://{where.netloc}: {type(exc).__name__}"
            )
        )
    result = classify(response)
    if result.outcome is Outcome.ACCEPTED:
        return Answer(result, _decoded(response))
    words = None
    if error_words is not None:
        decoded = _decoded(response)
        try:
            words = error_words(decoded) if decoded is not None else None
        except (AttributeError, KeyError, TypeError, ValueError):
            words = None
    words = clean(words or response.text).strip()
    error = f"HTTP {response.status_code}" + (f": {words}" if words else "")
    return Answer(replace(result, error=_hidden(error, hide)))


def _decoded(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _hidden(error: str, secrets: Iterable[Secret]) -> str:
    """The error with every secret taken out (a vendor may echo what it was sent), then cut to size."""
    for secret in secrets:
        if secret.value:
            error = error.replace(secret.value, HIDDEN)
    return error[:MAX_ERROR]


def text_of(value: Any) -> str | None:
    """A JSON string value, or None for anything else."""
    return value if isinstance(value, str) and value else None
