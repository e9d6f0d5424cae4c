"""Alertmanager silences through its v2 API: create one, read it back, expire it.

Used by acknowledge write-back (a silence matching an acknowledged alert's labels exactly) and by
maintenance windows. Every request goes through `get_answer` (timeouts, size bound, typed errors). An HA
pair's members share their silences (they gossip them), so a request goes to the first member that
answers (`on_a_member`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from noc_console.sources.base import (
    SourceAuthError,
    SourceConfig,
    SourceError,
    SourceHTTPError,
    SourceShapeError,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

SILENCES_PATH = "/api/v2/silences"
SILENCE_PATH = "/api/v2/silence/"

log = logging.getLogger(__name__)
T = TypeVar("T")


def on_a_member(config: SourceConfig, call: Callable[[SourceConfig], T]) -> T:
    """`call(config)`; for an HA pair, with each member's URL in turn until one answers.

    A member that cannot be reached, times out or answers 5xx is passed over for the next; a refusal
    (401, 403, another 4xx) or a wrong answer is the pair's answer, as is the last member's failure.
    """
    members = config.members
    if len(members) == 1:
        return call(config)
    for index, member in enumerate(members):
        try:
            return call(dataclasses.replace(config, url=member, urls=()))
        except SourceError as exc:
            refused = isinstance(exc, SourceAuthError | SourceShapeError) or (
                isinstance(exc, SourceHTTPError) and exc.status < 500
            )
            if refused or index == len(members) - 1:
                raise
            log.info("%s: member %d of the HA pair failed (%s); trying the next", config.name, index + 1, exc)
    raise AssertionError("unreachable: an HA pair has members")


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

    def post(member: SourceConfig) -> str:
        answer = get_answer(
            session, member, _base(member) + SILENCES_PATH, auth=_auth(member, password), post_json=body
        )
        said = loads(answer.body, member.name)
        made = said.get("silenceID") if isinstance(said, dict) else None
        if not isinstance(made, str) or not made:
            raise SourceShapeError(member.name, "silences: the answer has no silenceID")
        return made

    return on_a_member(config, post)


def expire_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> None:
    """Expire a silence now. One already expired (or gone) is left as it is: the wish is met."""

    def delete(member: SourceConfig) -> None:
        url = _base(member) + SILENCE_PATH + quote(silence_id, safe="")
        answer = get_answer(
            session, member, url, auth=_auth(member, password), method="DELETE", also=frozenset({404, 500})
        )
        if answer.status == 404:
            return
        if answer.status == 500:
            # Alertmanager 0.25 answers 500 "silence ... already expired" to a second DELETE.
            if b"already expired" in answer.body:
                return
            raise SourceHTTPError(member.name, 500, "Internal Server Error")

    on_a_member(config, delete)


def get_silence(
    session: requests.Session, config: SourceConfig, silence_id: str, *, password: str | None = None
) -> Mapping[str, Any]:
    """The silence as Alertmanager describes it (`id`, `status.state`, `matchers`, `endsAt` …)."""

    def read(member: SourceConfig) -> Mapping[str, Any]:
        url = _base(member) + SILENCE_PATH + quote(silence_id, safe="")
        answer = get_answer(session, member, url, auth=_auth(member, password))
        said = loads(answer.body, member.name)
        if not isinstance(said, dict) or not isinstance(said.get("status"), dict):
            raise SourceShapeError(member.name, "silence: the answer is not a silence")
        return said

    return on_a_member(config, read)
