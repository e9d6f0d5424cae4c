"""What every source shares: its settings, its typed errors, and one careful HTTP GET."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, runtime_checkable

from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.correlation import SourceRules
from noc_console.domain.incidents import DetectionSource
from noc_console.domain.synthetic import HttpCheck

if TYPE_CHECKING:  # requests is imported where a fetch runs: the console's window reads only settings
    import requests

# Types that are documented for a later release; the config names them as not built yet.
PLANNED_SOURCE_TYPES: tuple[str, ...] = ()
SYNTHETIC_SOURCE_TYPES = frozenset({"http_check"})
# An answer's bytes are held once while parsed: 100,000 Alertmanager alerts are about 67 MiB (an alert
# with a few labels and a paragraph of description takes about 700 bytes); this leaves room for over
# 300,000 and still refuses an endless answer.
MAX_BODY_BYTES = 256 * 1024 * 1024
DEFAULT_INTERVAL_S = 10.0

# The longest text each field of a normalized alert keeps, so that every alert fits the store's columns.
MAX_SUMMARY = 500
MAX_NAME = 500
MAX_SERVICE = 200
MAX_FINGERPRINT = 200
MAX_DESCRIPTION = 10_000
MAX_LABEL_KEY = 200
MAX_LABEL_VALUE = 1_000
MAX_URL = 2_000
TRUNCATED = "…"
# NUL (PostgreSQL text cannot hold it) and lone surrogates (from JSON escapes such as "\ud800"; no
# database can encode them as UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One `[[sources]]` entry of the config file."""

    name: str
    type: str
    url: str
    interval_s: float = DEFAULT_INTERVAL_S
    timeout_s: float = 5.0
    username: str | None = None
    ca_file: str | None = None
    # A TLS client certificate (PEM) and its key, when not in the same file: Icinga 2's ApiUser
    # `client_cn`, or a proxy that wants one.
    client_cert: str | None = None
    client_key: str | None = None
    verify_tls: bool = True
    service_label: str = "service"
    severity_label: str = "severity"
    resolve_after_missed: int = 2
    resolve_after_s: float = 180.0
    silenced: bool = False  # silenced alerts open incidents too (they are always shown on open ones)
    inhibited: bool = False  # the same for inhibited alerts
    trust_env: bool = False  # honour proxy variables and ~/.netrc for this source
    fields: tuple[tuple[str, str], ...] = ()  # type = "json": where each field is ([sources.fields])
    watchdog: str | None = None  # an alert name that must always fire (domain.alerts.with_watchdog)
    ack_writeback: bool = False  # an acknowledge in the console acknowledges at this source too
    check: HttpCheck | None = None  # type = "http_check": what it requests and expects
    # type = "alertmanager": the members of an HA pair (`url` is the first); empty for one server.
    urls: tuple[str, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        """Every URL this source reads: the members of an HA pair, or its one URL."""
        return self.urls or (self.url,)

    @property
    def tls_client(self) -> str | tuple[str, str] | None:
        """The client certificate as requests takes it (`cert=`)."""
        if self.client_cert and self.client_key:
            return (self.client_cert, self.client_key)
        return self.client_cert

    @property
    def credential_name(self) -> str:
        return f"source:{self.name}"

    @property
    def rules(self) -> SourceRules:
        """How the correlator applies this source's snapshots."""
        return SourceRules(
            resolve_after_missed=self.resolve_after_missed,
            resolve_after=timedelta(seconds=self.resolve_after_s),
            open_silenced=self.silenced,
            open_inhibited=self.inhibited,
            detected_by=(
                DetectionSource.SYNTHETIC
                if self.type in SYNTHETIC_SOURCE_TYPES
                else DetectionSource.MONITORING
            ),
        )


class SourceError(Exception):
    """A fetch failed for a reason in the world (not a bug). The message never holds a credential."""

    kind = "error"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class SourceTimeout(SourceError):
    kind = "timeout"


class SourceUnreachable(SourceError):
    kind = "unreachable"


class SourceHTTPError(SourceError):
    kind = "http"

    def __init__(self, source: str, status: int, reason: str) -> None:
        super().__init__(source, f"HTTP {status} {reason}".rstrip())
        self.status = status


class SourceAuthError(SourceHTTPError):
    kind = "auth"


class SourceInvalidJSON(SourceError):
    kind = "invalid_json"


class SourceShapeError(SourceError):
    kind = "shape"


class SourceCredentialError(SourceError):
    kind = "credential"


def clean_text(value: str, limit: int, *, identity: bool = False) -> str:
    """Text from a payload made storable: no NUL, no lone surrogate, at most `limit` characters.

    Anything else is kept exactly (right-to-left text, HTML-looking titles: screens show plain text).
    Longer text is cut and ends in "…"; an `identity` (a fingerprint) is replaced by a stable hash
    instead, so two long IDs that differ only past the cut stay two alerts.
    """
    if limit < 1:
        raise ValueError(f"limit: must be at least 1, got {limit}")
    text = value
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)
    if len(text) <= limit:
        return text
    if identity:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        return f"sha256:{digest}"[:limit]
    return text[: limit - len(TRUNCATED)] + TRUNCATED


def http_date(value: str | None) -> datetime | None:
    """An HTTP Date header as an aware UTC time (the server's clock), or None when absent or invalid."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # "-0000": UTC with no claim about the local zone
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class Source(Protocol):
    config: SourceConfig

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot: ...


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A fetch whose answer is byte for byte the one with `digest`, the last one applied: not parsed.

    `parse()` parses it after all, for a caller that can no longer trust that last apply.
    """

    source: str
    fetched_at: datetime
    digest: str
    parse: Callable[[], AlertSnapshot]


@runtime_checkable
class SkipsUnchanged(Source, Protocol):
    """A source that can tell an answer identical to the last one applied without parsing it."""

    def fetch_if_changed(
        self, session: requests.Session, now: datetime, digest: str
    ) -> AlertSnapshot | Unchanged: ...


@dataclass(frozen=True, slots=True)
class JSONAnswer:
    """A decoded JSON answer, and the server's clock when it answered (its Date header), if valid."""

    payload: Any
    date: datetime | None = None


class Answer:
    """A raw answer, its SHA-256 (taken while it was read), and the server's clock (its Date header).

    The body is kept as the pieces it arrived in and joined only when it is read: an answer found
    unchanged by its digest is never copied whole (100,000 alerts are 67 MiB, every second).
    """

    __slots__ = ("_body", "_pieces", "date", "digest", "status")

    def __init__(
        self, body: bytes | list[bytes], digest: str, date: datetime | None = None, status: int = 200
    ) -> None:
        self._pieces: list[bytes] | None = body if isinstance(body, list) else None
        self._body: bytes | None = None if isinstance(body, list) else body
        self.digest = digest
        self.date = date
        self.status = status  # an HTTP status the caller asked to read (`get_answer(also=...)`), else 2xx

    @property
    def body(self) -> bytes:
        if self._body is None:
            self._body = b"".join(self._pieces or ())
            self._pieces = None
        return self._body

    def __repr__(self) -> str:
        return f"Answer(digest={self.digest[:12]}..., date={self.date})"


def answers_digest(*answers: Answer | None) -> str:
    """One digest for the answers of one fetch (None for a request it did not make)."""
    parts = (answer.digest if answer is not None else "-" for answer in answers)
    return hashlib.sha256(" ".join(parts).encode("ascii")).hexdigest()


def get_json(
    session: requests.Session,
    config: SourceConfig,
    url: str,
    *,
    params: Mapping[str, str | Sequence[str]] | None = None,
    auth: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """GET `url` and decode JSON (see `get_json_answer`); the decoded payload only."""
    return get_json_answer(session, config, url, params=params, auth=auth, headers=headers).payload


def get_json_answer(
    session: requests.Session,
    config: SourceConfig,
    url: str,
    *,
    params: Mapping[str, str | Sequence[str]] | None = None,
    auth: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONAnswer:
    """GET `url` (see `get_answer`) and decode its JSON; SourceInvalidJSON when it is not JSON."""
    answer = get_answer(session, config, url, params=params, auth=auth, headers=headers)
    return JSONAnswer(loads(answer.body, config.name), answer.date)


def loads(body: bytes, source: str) -> Any:
    """Decode a JSON answer with the standard library; SourceInvalidJSON when it is not JSON."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SourceInvalidJSON(source, f"answer is not valid JSON ({exc.__class__.__name__})") from None


def get_answer(
    session: requests.Session,
    config: SourceConfig,
    url: str,
    *,
    params: Mapping[str, str | Sequence[str]] | None = None,
    auth: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
    also: frozenset[int] = frozenset(),
    post_json: object | None = None,
    method: str | None = None,
    form: Mapping[str, str] | None = None,
) -> Answer:
    """GET `url` with a connect timeout, a read timeout and an overall deadline; the raw answer.
    `also`: error statuses whose body the caller reads itself (Icinga 2 answers 404 for "no objects").
    `post_json`: POST this as JSON instead (a JSON-RPC API such as Zabbix's reads with POST).
    `form`: POST this as an HTML form instead (Nagios `cmd.cgi`); `method`: another verb (DELETE, to
    expire an Alertmanager silence).

    Raises a SourceError subclass for every failure the world can cause. Error texts name the URL
    without its query string or user info, so no token in a URL can leak into a message. The body is
    hashed as it arrives (hashlib releases the GIL), so telling an unchanged answer costs no extra pass.

    The source's `trust_env` decides whether proxy variables and ~/.netrc apply, whoever made the
    session (the poller's per source, or one that write-back or the silences share between sources).
    """
    import requests
    import urllib3

    session.trust_env = config.trust_env
    name = config.name
    deadline = time.monotonic() + config.timeout_s
    verify: bool | str = config.ca_file if config.ca_file else config.verify_tls
    try:
        verb = method or ("GET" if post_json is None and form is None else "POST")
        response = session.request(
            verb,
            url,
            params=params,
            json=post_json,
            data=form,
            auth=auth,
            headers={"Accept": "application/json", **(headers or {})},
            timeout=(min(config.timeout_s, 5.0), config.timeout_s),
            verify=verify,
            cert=config.tls_client,
            stream=True,
            allow_redirects=False,
        )
    except requests.exceptions.Timeout:
        raise SourceTimeout(name, f"no answer within {config.timeout_s:g} s") from None
    except requests.exceptions.SSLError as exc:
        raise SourceUnreachable(name, f"TLS verification failed ({type(exc).__name__})") from None
    except requests.exceptions.ConnectionError:
        raise SourceUnreachable(name, f"cannot connect to {_safe_url(url)}") from None
    except requests.exceptions.RequestException as exc:
        raise SourceUnreachable(name, f"request failed ({type(exc).__name__})") from None
    with response:
        if response.status_code in (401, 403):
            raise SourceAuthError(name, response.status_code, "authentication failed")
        if not 200 <= response.status_code < 300 and response.status_code not in also:
            raise SourceHTTPError(name, response.status_code, response.reason or "")
        date = http_date(response.headers.get("Date"))
        chunks: list[bytes] = []
        size = 0
        digest = hashlib.sha256()
        try:
            # read1 returns whatever has arrived, so a body dripped byte by byte meets the deadline
            # check after every read instead of blocking until a whole 64 KiB chunk is complete.
            while chunk := response.raw.read1(65536, decode_content=True):
                chunks.append(chunk)
                digest.update(chunk)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise SourceShapeError(name, f"answer larger than {_size(MAX_BODY_BYTES)}")
                if time.monotonic() > deadline:
                    raise SourceTimeout(name, f"answer not complete within {config.timeout_s:g} s")
        except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError):
            raise SourceTimeout(name, f"answer not complete within {config.timeout_s:g} s") from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError):
            raise SourceUnreachable(
                name, f"answer cut off after {_size(size)}: the connection closed before its end"
            ) from None
    return Answer(chunks, digest.hexdigest(), date, response.status_code)


class BasicAuthSource:
    """What the HTTP sources share: their config, and basic auth when the source names a user, with a
    password kept out of every repr and message."""

    def __init__(self, config: SourceConfig, password: str | None = None) -> None:
        self.config = config
        self._password = password

    def __repr__(self) -> str:
        auth = f", username={self.config.username!r}" if self.config.username else ""
        return f"{type(self).__name__}(name={self.config.name!r}, url={_safe_url(self.config.url)!r}{auth})"

    def _auth(self) -> tuple[str, str] | None:
        return (self.config.username, self._password or "") if self.config.username else None


class Digested(Protocol):
    """A fetch's raw answers, read but not parsed; `digest` names them all (see `answers_digest`)."""

    @property
    def digest(self) -> str: ...


AnswersT = TypeVar("AnswersT", bound=Digested)


class ReadThenParse(BasicAuthSource, Generic[AnswersT]):
    """A source whose fetch reads every answer first (`_answers`) and parses them after (`_snapshot`):
    it can then leave answers identical to the last ones applied unparsed (`SkipsUnchanged`)."""

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        return self._snapshot(self._answers(session), now)

    def fetch_if_changed(
        self, session: requests.Session, now: datetime, digest: str
    ) -> AlertSnapshot | Unchanged:
        """`fetch`, except that answers whose digest is `digest` (the last ones applied) are not parsed."""
        answers = self._answers(session)
        if answers.digest != digest:
            return self._snapshot(answers, now)
        return Unchanged(self.config.name, now, digest, lambda: self._snapshot(answers, now))

    def _answers(self, session: requests.Session) -> AnswersT:
        raise NotImplementedError

    def _snapshot(self, answers: AnswersT, now: datetime) -> AlertSnapshot:
        raise NotImplementedError


def _size(count: int) -> str:
    if count < 2**10:
        return f"{count} bytes"
    return f"{count / 2**20:.0f} MiB" if count >= 2**20 else f"{count / 2**10:.0f} KiB"


def _safe_url(url: str) -> str:
    """The URL without user info or query string."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"
