"""Alertmanager silences through its v2 API: create one, read it back, expire it.

Used by acknowledge write-back (a silence matching an acknowledged alert's labels exactly) and by
maintenance windows. Every request goes through `get_answer` (timeouts, size bound, typed errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from noc_console.sources.base import SourceConfig, SourceHTTPError, SourceShapeError, get_answer, loads

if TYPE_CHECKING:
    import requests

SILENCES_PATH = "/api/v2/silences"
SILENCE_PATH = "/api/v2/silence/"


def _base(config: SourceConfig) -> str:
    return config.url.rstrip("/")


def _auth(config: SourceConfig, password: str | None) -> tuple[str, str] | None:
    return (config.username, password or "") if config.username else None


def _stamp(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given for a silence; pass an aware UTC time")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def silence_body(
    matchers: Mapping[str, str],
    *,
    ends_at: datetime,
    created_by: str,
    comment: str,
    starts_at: datetime | None = None,
    silence_id: str | None = None,
) -> dict[str, Any]:
    """The JSON of `POST /api/v2/silences`: one exact (`isEqual`, not regex) matcher per label.

    With `silence_id`, the same POST updates that silence (Alertmanager keeps the ID when only the
    end moves, and answers with a new one otherwise)."""
    if not matchers:
        raise ValueError("matchers: a silence needs at least one label, or it would silence everything")
    body: dict[str, Any] = {
        "matchers": [
            {"name": name, "value": value, "isRegex": False, "isEqual": True}
            for name, value in sorted(matchers.items())
        ],
        "startsAt": _stamp(starts_at or datetime.now(UTC)),
        "endsAt": _stamp(ends_at),
        "createdBy": created_by,
        "comment": comment,
    }
    if silence_id is not None:
        body["id"] = silence_id
    return body


def create_silence(
    session: requests.Session,
    config: SourceConfig,
    matchers: Mapping[str, str],
    *,
    ends_at: datetime,
    created_by: str,
    comment: str,
    starts_at: datetime | None = None,
    password: str | None = None,
    silence_id: str | None = None,
) -> str:
    """Create (or, with `silence_id`, extend) a silence; its ID. SourceErrors for every failure."""
    body = silence_body(
        matchers, ends_at=ends_at, created_by=created_by, comment=comment, starts_at=starts_at,
        silence_id=silence_id,
    )  # fmt: skip
    answer = get_answer(
        session, config, _base(config) + SILENCES_PATH, auth=_auth(config, password), post_json=body
    )
    said = loads(answer.body, config.name)
    made = said.get("silenceID") if isinstance(said, dict) else None
    if not isinstance(made, str) or not made:
        raise SourceShapeError(config.name, "silences: the answer has no silenceID")
    return made


def expire_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> None:
    """Expire a silence now. One already expired (or gone) is left as it is: the wish is met."""
    url = _base(config) + SILENCE_PATH + quote(silence_id, safe="")
    answer = get_answer(
        session, config, url, auth=_auth(config, password), method="DELETE", also=frozenset({404, 500})
    )
    if answer.status == 404:
        return
    if answer.status == 500:
        # Alertmanager 0.25 answers 500 "silence ... already expired" to a second DELETE.
        if b"already expired" in answer.body:
            return
        raise SourceHTTPError(config.name, 500, "Internal Server Error")


def get_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> Mapping[str, Any]:
    """The silence as Alertmanager describes it (`id`, `status.state`, `matchers`, `endsAt` …)."""
    url = _base(config) + SILENCE_PATH + quote(silence_id, safe="")
    answer = get_answer(session, config, url, auth=_auth(config, password))
    said = loads(answer.body, config.name)
    if not isinstance(said, dict) or not isinstance(said.get("status"), dict):
        raise SourceShapeError(config.name, "silence: the answer is not a silence")
    return said
