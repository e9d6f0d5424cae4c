"""Acknowledge write-back: an acknowledge in the console carried to the alert's source.

Each function takes the built source (its config and credential), the alert as the store holds it
(fingerprint, labels), and raises the typed SourceErrors of sources.base, so the caller retries what
the world caused. A 200 that says "no" (Icinga's per-object code, Zabbix's error object, Nagios's
error page) is an error too, never a success.

- Alertmanager: a silence matching the alert's labels exactly (sources.alertmanager_silences).
- Icinga 2: `POST /v1/actions/acknowledge-problem` for the host or service object.
- Zabbix: `event.acknowledge` with action 2 (acknowledge) | 4 (add message) on the problem's event.
- Nagios Core: `cmd.cgi` ACKNOWLEDGE_SVC_PROBLEM (34) / ACKNOWLEDGE_HOST_PROBLEM (33), after a GET of
  the command form for its CSRF token (4.5.12+: cookie `NagFormId`, form field `nagFormId`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.sources.alertmanager_silences import (
    SILENCES_PATH,
    create_silence,
    expire_silence,
    on_a_member,
)
from noc_console.sources.base import (
    SourceConfig,
    SourceError,
    SourceHTTPError,
    SourceShapeError,
    get_answer,
    loads,
)

if TYPE_CHECKING:
    import requests

    from noc_console.sources.zabbix import ZabbixSource

ICINGA_ACK_PATH = "/v1/actions/acknowledge-problem"
NAGIOS_CMD_PATH = "/cgi-bin/cmd.cgi"
NAGIOS_ACK_HOST, NAGIOS_ACK_SERVICE = 33, 34  # include/common.h CMD_ACKNOWLEDGE_*_PROBLEM
NAGIOS_COMMIT = 2  # CMDMODE_COMMIT
ZABBIX_ACKNOWLEDGE, ZABBIX_ADD_MESSAGE = 2, 4  # event.acknowledge `action` bits
_NAGIOS_TOKEN = re.compile(r"""NAME=['"]nagFormId['"]\s+VALUE=['"]([0-9A-Fa-f]+)['"]""", re.IGNORECASE)
_NAGIOS_ERROR = re.compile(r"""CLASS=['"]errorMessage['"]>(.*?)</""", re.IGNORECASE | re.DOTALL)
_NAGIOS_DONE = "successfully submitted"


@dataclass(frozen=True, slots=True)
class AckRequest:
    """What a source is told: who acknowledged, and the words it keeps with the acknowledge."""

    author: str
    comment: str
    fingerprint: str
    labels: Mapping[str, Any]


def silence_alertmanager(
    session: requests.Session, config: SourceConfig, password: str | None, ack: AckRequest, *,
    ends_at: datetime, now: datetime, silence_id: str | None = None, look_first: bool = False,
) -> str:  # fmt: skip
    """A silence whose matchers are exactly the alert's labels (or that silence extended); its ID.

    `look_first`: an earlier attempt may have created it and died before recording its ID (a poller
    killed mid-request): an active silence of ours with these matchers and comment is taken instead of
    making a second one that nothing would ever expire."""
    matchers = {str(k): str(v) for k, v in ack.labels.items()}
    if look_first and silence_id is None:
        found = _our_silence(session, config, password, matchers, ack.comment)
        if found is not None:
            return found
    return create_silence(
        session, config, matchers, ends_at=ends_at, created_by=ack.author, comment=ack.comment,
        starts_at=now, password=password, silence_id=silence_id,
    )  # fmt: skip


def _our_silence(
    session: requests.Session, config: SourceConfig, password: str | None, matchers: Mapping[str, str],
    comment: str,
) -> str | None:  # fmt: skip
    auth = (config.username, password or "") if config.username else None

    def read(member: SourceConfig) -> Any:
        return loads(
            get_answer(session, member, member.url.rstrip("/") + SILENCES_PATH, auth=auth).body, member.name
        )

    listed = on_a_member(config, read)
    wanted = sorted(matchers.items())
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict) or item.get("comment") != comment:
            continue
        state = item.get("status")
        if not isinstance(state, dict) or state.get("state") not in ("active", "pending"):
            continue
        found = item.get("matchers")
        if not isinstance(found, list):
            continue
        exact = all(isinstance(m, dict) and m.get("isEqual", True) and not m.get("isRegex") for m in found)
        if exact and sorted((m.get("name"), m.get("value")) for m in found) == wanted:
            silence_id = item.get("id")
            if isinstance(silence_id, str) and silence_id:
                return silence_id
    return None


def unsilence_alertmanager(
    session: requests.Session, config: SourceConfig, password: str | None, silence_id: str
) -> None:
    expire_silence(session, config, silence_id, password=password)


def icinga2_object(fingerprint: str, labels: Mapping[str, Any], source: str) -> tuple[str, str]:
    """("Service", "web-1!http") or ("Host", "web-1") from an alert of sources.icinga2."""
    kind, _, name = fingerprint.partition(":")
    name = str(labels.get("icinga_object") or name)
    if kind not in ("service", "host") or not name:
        raise SourceShapeError(source, f"alert {fingerprint!r} names no Icinga 2 host or service")
    return kind.capitalize(), name


def icinga2_body(ack: AckRequest, source: str) -> dict[str, Any]:
    kind, name = icinga2_object(ack.fingerprint, ack.labels, source)
    return {
        "type": kind,
        kind.lower(): name,
        "author": ack.author,
        "comment": ack.comment,
        "sticky": True,  # kept until the object is OK again, not dropped at the next soft change
        "notify": False,  # the NOC already knows: no acknowledgement mail to every contact
    }


def acknowledge_icinga2(
    session: requests.Session, config: SourceConfig, password: str | None, ack: AckRequest
) -> str:
    """Acknowledge the host or service problem; "" (Icinga 2 gives the acknowledge no ID)."""
    auth = (config.username, password or "") if config.username else None
    answer = get_answer(
        session, config, config.url.rstrip("/") + ICINGA_ACK_PATH, auth=auth,
        post_json=icinga2_body(ack, config.name), also=frozenset({404, 409, 500}),
    )  # fmt: skip
    said = loads(answer.body, config.name)
    results = said.get("results") if isinstance(said, dict) else None
    if answer.status == 404 or (isinstance(results, list) and not results):
        raise SourceError(config.name, "Icinga 2 has no such host or service (was it renamed?)")
    if not isinstance(results, list) or not isinstance(results[0], dict):
        if answer.status >= 300:
            raise SourceHTTPError(config.name, answer.status, "")
        raise SourceShapeError(config.name, "acknowledge-problem: expected results")
    first = results[0]
    code = first.get("code")
    if isinstance(code, int | float) and 200 <= code < 300:
        return ""
    status = str(first.get("status") or "")[:300]
    if "already acknowledged" in status.lower():
        return ""  # someone acknowledged at Icinga itself: the wish is met
    raise SourceError(config.name, f"Icinga 2 refused the acknowledge: {status or code}")


def zabbix_event(fingerprint: str, source: str) -> str:
    kind, _, event = fingerprint.partition(":")
    if kind != "event" or not event.isdigit():
        raise SourceShapeError(source, f"alert {fingerprint!r} names no Zabbix event")
    return event


def zabbix_params(ack: AckRequest, source: str) -> dict[str, Any]:
    return {
        "eventids": [zabbix_event(ack.fingerprint, source)],
        "action": ZABBIX_ACKNOWLEDGE | ZABBIX_ADD_MESSAGE,
        "message": f"{ack.comment} ({ack.author})"[:2048],
    }


def acknowledge_zabbix(session: requests.Session, source: ZabbixSource, ack: AckRequest) -> str:
    """Acknowledge the problem's event with a message; ""."""
    name = source.config.name
    said = source.call(session, "event.acknowledge", zabbix_params(ack, name))
    ids = said.get("eventids") if isinstance(said, dict) else None
    wanted = zabbix_event(ack.fingerprint, name)
    if not isinstance(ids, list) or wanted not in [str(i) for i in ids]:
        raise SourceShapeError(name, "event.acknowledge: the answer does not name the event")
    return ""


def nagios_form(ack: AckRequest, token: str | None) -> dict[str, str]:
    """The form of cmd.cgi's acknowledge: sticky, no notification, the comment not persistent."""
    host = str(ack.labels.get("host") or "")
    description = ack.labels.get("description")
    form = {
        "cmd_typ": str(NAGIOS_ACK_SERVICE if description else NAGIOS_ACK_HOST),
        "cmd_mod": str(NAGIOS_COMMIT),
        "host": host,
        "com_author": ack.author[:64],  # cmd.c MAX_AUTHOR_LENGTH
        "com_data": ack.comment[:1024],  # cmd.c MAX_COMMENT_LENGTH
        "sticky_ack": "on",
    }
    if description:
        form["service"] = str(description)
    if token:
        form["nagFormId"] = token
    return form


def nagios_token(page: str) -> str | None:
    """The CSRF token cmd.cgi puts in its command form (None from a Nagios before 4.5.12)."""
    found = _NAGIOS_TOKEN.search(page)
    return found.group(1) if found else None


def nagios_outcome(page: str, source: str) -> None:
    """cmd.cgi answers 200 either way: its page says whether the command went through."""
    if _NAGIOS_DONE in page:
        return
    found = _NAGIOS_ERROR.search(page)
    said = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""
    raise SourceError(
        source, f"Nagios refused the acknowledge: {said[:300] or 'no confirmation in its answer'}"
    )


def acknowledge_nagios(
    session: requests.Session, config: SourceConfig, password: str | None, ack: AckRequest
) -> str:
    """GET the command form (its CSRF cookie and token), then POST the acknowledge; ""."""
    if not ack.labels.get("host"):
        raise SourceShapeError(config.name, f"alert {ack.fingerprint!r} names no Nagios host")
    auth = (config.username, password or "") if config.username else None
    url = config.url.rstrip("/") + NAGIOS_CMD_PATH
    kind = NAGIOS_ACK_SERVICE if ack.labels.get("description") else NAGIOS_ACK_HOST
    form_page = get_answer(
        session, config, url, params={"cmd_typ": str(kind), "host": str(ack.labels["host"])}, auth=auth,
        headers={"Accept": "text/html"},
    )  # fmt: skip
    token = nagios_token(form_page.body.decode("utf-8", "replace"))
    answer = get_answer(
        session, config, url, auth=auth, form=nagios_form(ack, token), headers={"Accept": "text/html"}
    )
    nagios_outcome(answer.body.decode("utf-8", "replace"), config.name)
    return ""
