"""What the chat and webhook providers share: the endpoint from a secret URL, secrets kept out of
errors and logs, and the words every page starts with.

A chat webhook's URL path (and a Teams Workflows URL's `sig` query) is its secret: whoever has it can
post into the channel. It never appears in an error, a repr, or a log line, urllib3's own debug line
of each request included (`redact_logs`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from noc_console.paging import rest
from noc_console.paging.base import (
    LOOPBACK_HOSTS,
    Outcome,
    Page,
    ProviderConfig,
    ProviderError,
    SecretLookup,
    SendResult,
    classify,
)

_MIN_SECRET = 8  # shorter strings are no secret worth redacting (and would mangle every log line)
REDACTED = "[redacted]"


def origin(url: str) -> str:
    """`scheme://host[:port]` of a URL: what may be shown of an endpoint."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def webhook_endpoint(config: ProviderConfig, secret: str) -> str:
    """The URL to POST to: the secret is the webhook's path (joined to `url`) or the whole webhook URL
    as people paste it (then used as is). Plain http only to loopback: the path is the secret."""
    value = secret.strip()
    where = f"providers.{config.name}"
    if not value:
        raise ProviderError(f"{where}.credential: {config.credential_name} is empty")
    if any(ch.isspace() for ch in value):
        raise ProviderError(f"{where}.credential: {config.credential_name} contains white space")
    if value.startswith("/"):
        base = config.url.strip().rstrip("/")
        if not base:
            raise ProviderError(f"{where}.url: is required (the webhook's base URL)")
        _check_url(base, f"{where}.url", shown=True)
        return base + value
    if "://" not in value:
        raise ProviderError(
            f"{where}.credential: {config.credential_name} must be the webhook's path (starting with /)"
            " or its whole https:// URL"
        )
    _check_url(value, f"{where}.credential", shown=False)
    return value


def _check_url(url: str, field: str, *, shown: bool) -> None:
    """An http(s) URL with a host; http only to loopback. `shown`: the URL may appear in the message."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # a malformed port raises here
    except ValueError:
        raise ProviderError(f"{field}: not a valid URL") from None
    what = repr(url) if shown else "the webhook URL"
    if parts.scheme not in ("http", "https") or not host:
        raise ProviderError(f"{field}: {what} is not an http(s) URL")
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ProviderError(f"{field}: {what} must use https (http only to 127.0.0.1 or localhost)")


@contextmanager
def session_for(session: requests.Session | None) -> Iterator[requests.Session]:
    """The injected session, or a new one closed afterwards (pages are rare: no pool to keep)."""
    if session is not None:
        yield session
        return
    with requests.Session() as fresh:
        yield fresh


def request(
    session: requests.Session, url: str, timeout_s: float, data: bytes, headers: Mapping[str, str]
) -> requests.Response | SendResult:
    """One POST of exact bytes (a signed body), the answer kept whole (Teams hides refusals in a 200's
    body); a timeout or a connection error is a RETRY result naming only `scheme://host:port`, as
    `base.post` does. Redirects are not followed: a webhook that moved is a configuration to fix."""
    try:
        return session.post(url, data=data, headers=dict(headers), timeout=timeout_s, allow_redirects=False)
    except requests.Timeout:
        return SendResult(Outcome.RETRY, error=f"no answer within {timeout_s:g} s")
    except requests.RequestException as exc:
        return SendResult(Outcome.RETRY, error=f"cannot reach {origin(url)}: {type(exc).__name__}")


def secret_parts(url: str) -> tuple[str, ...]:
    """The parts of a webhook URL that are its secret: the path and the query, each long enough to be one."""
    parts = urlsplit(url)
    candidates = [parts.path, parts.query]
    if parts.query:
        candidates.append(f"{parts.path}?{parts.query}")
    return tuple(sorted({c for c in candidates if len(c) >= _MIN_SECRET}, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret in it replaced."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def redact_result(result: SendResult, secrets: Iterable[str]) -> SendResult:
    """A send result whose error (a vendor's body, which may echo the request) carries no secret."""
    if result.error is None:
        return result
    return replace(result, error=redact(result.error, secrets))


class _RedactingFilter(logging.Filter):
    """Rewrites a log record that would show a registered secret (urllib3 logs each request's path)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._secrets = tuple(sorted({*self._secrets, *secrets}, key=len, reverse=True))

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets
        if not secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to logging's own handling
            return True
        if any(secret in message for secret in secrets):
            record.msg = redact(message, secrets)
            record.args = None
        return True


_FILTER = _RedactingFilter()
# urllib3 logs `"POST /services/T.../B.../... HTTP/1.1" 200` at DEBUG: with `-vv` that is the secret.
_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry", "requests")


def redact_logs(secrets: Iterable[str]) -> None:
    """Keep these secrets out of the HTTP libraries' log records from now on (process-wide)."""
    _FILTER.add(secrets)
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def text(value: str | None) -> str:
    """Text to show a person: lone surrogates as U+FFFD, control characters other than tab and line
    ends dropped (`rest.clean`)."""
    return rest.clean(value) if value else ""


def one_line(value: str | None) -> str:
    """`text`, on one line: control characters (newlines included) become spaces."""
    return "".join(" " if (ord(ch) < 32 or ord(ch) == 127) else ch for ch in text(value)).strip()


def headline(page: Page) -> str:
    """`[NOC CRITICAL] #12 Payments API down`: severity, incident and title on one line."""
    return f"[NOC {one_line(page.severity).upper()}] #{page.incident_id} {one_line(page.title)}"


def ack_hint(page: Page) -> str:
    """How to acknowledge from outside the console."""
    return text(page.console_hint) or f"noc-console ack {page.incident_id}"


def clip(value: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def json_id(payload: object, key: str = "id") -> str | None:
    """A string id from a JSON object answer, else None."""
    if isinstance(payload, Mapping):
        value = payload.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)[:200]
    return None


class ChatWebhook:
    """A page posted as JSON to a chat tool's incoming webhook (Slack, Teams); its URL's path and query
    are its secret and never show in a repr, error or log. A subclass says what it posts (`payload`)
    and, where the tool answers oddly, how to judge the answer (`judge`)."""

    def __init__(self, config: ProviderConfig, webhook_url: str, *, session: requests.Session | None = None):
        self.config = config
        self._url = webhook_url
        self._secrets = secret_parts(webhook_url)
        self._session = session
        redact_logs(self._secrets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.config.name!r}, endpoint={origin(self._url)!r})"

    def payload(self, page: Page) -> dict[str, Any]:
        raise NotImplementedError

    def judge(self, response: requests.Response) -> SendResult:
        return classify(response)

    def send(self, page: Page) -> SendResult:
        data = json.dumps(self.payload(page), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        with session_for(self._session) as session:
            answer = request(session, self._url, self.config.timeout_s, data, headers)
            result = answer if isinstance(answer, SendResult) else self.judge(answer)
        return redact_result(result, self._secrets)

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def delivery(self, provider_id: str) -> SendResult | None:
        return None


W = TypeVar("W", bound=ChatWebhook)


def build_chat(
    kind: type[W], config: ProviderConfig, secret: SecretLookup, session: requests.Session | None
) -> W:
    """A chat webhook provider from its `[[providers]]` entry and its secret (the webhook path or URL)."""
    rest.check_options(config, ())
    rest.check_timeout(config)
    return kind(config, webhook_endpoint(config, secret(config.credential_name)), session=session)
