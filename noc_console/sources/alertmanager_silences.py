"""Alertmanager silences (API v2): create one, expire it, read it back.

Thin calls over `sources.base.get_answer` (timeouts, size bound, typed SourceErrors); every answer's
shape is checked, and an unexpected one is a SourceShapeError naming what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from noc_console.domain.clock import iso_z
from noc_console.sources.base import SourceConfig, SourceShapeError, get_answer, loads

if TYPE_CHECKING:
    import requests

SILENCES_PATH = "/api/v2/silences"
SILENCE_PATH = "/api/v2/silence/"


def _auth(config: SourceConfig, password: str | None) -> tuple[str, str] | None:
    return (config.username, password or "") if config.username else None


def _base(config: SourceConfig) -> str:
    return config.url.rstrip("/")


def silence_body(
    matchers: Mapping[str, str],
    *,
    starts_at: datetime,
    ends_at: datetime,
    created_by: str,
    comment: str,
) -> dict[str, Any]:
    """The JSON Alertmanager takes for a silence of alerts carrying exactly these label values."""
    return {
        "matchers": [
            {"name": name, "value": value, "isRegex": False, "isEqual": True}
            for name, value in sorted(matchers.items())
        ],
        "startsAt": iso_z(starts_at),
        "endsAt": iso_z(ends_at),
        "createdBy": created_by,
        "comment": comment,
    }


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
) -> str:
    """Create a silence at the source's Alertmanager; returns its ID. `starts_at` defaults to now."""
    if not matchers:
        raise ValueError("a silence needs at least one matcher")
    body = silence_body(
        matchers,
        starts_at=starts_at or datetime.now(UTC),
        ends_at=ends_at,
        created_by=created_by,
        comment=comment,
    )
    answer = get_answer(
        session, config, _base(config) + SILENCES_PATH, auth=_auth(config, password), post_json=body
    )
    payload = loads(answer.body, config.name)
    silence_id = payload.get("silenceID") if isinstance(payload, dict) else None
    if not isinstance(silence_id, str) or not silence_id.strip():
        raise SourceShapeError(config.name, "silence answer has no silenceID")
    return silence_id


def expire_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> None:
    """Expire a silence now (`DELETE /api/v2/silence/{id}`)."""
    url = _base(config) + SILENCE_PATH + quote(silence_id, safe="")
    get_answer(session, config, url, auth=_auth(config, password), method="DELETE")


def get_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> Mapping[str, Any]:
    """One silence as Alertmanager holds it (`id`, `matchers`, `endsAt`, `status.state`, ...)."""
    url = _base(config) + SILENCE_PATH + quote(silence_id, safe="")
    answer = get_answer(session, config, url, auth=_auth(config, password))
    payload = loads(answer.body, config.name)
    if not isinstance(payload, dict) or not isinstance(payload.get("status"), dict):
        raise SourceShapeError(config.name, "silence answer is not a silence object")
    return payload
