"""Opsgenie Alert API v2: create, acknowledge and close alerts, and read back a request's outcome.

`POST /v2/alerts` creates an alert, `POST /v2/alerts/{alias}/acknowledge?identifierType=alias` and
`.../close?identifierType=alias` act on it, all with `Authorization: GenieKey <API key>`. Opsgenie
processes them asynchronously: it answers 202 `{"result": "Request will be processed", "took": ...,
"requestId": ...}`, and `GET /v2/alerts/requests/{requestId}` tells later whether the request worked
(404 until it has been processed). One alert per incident: the alias `noc-console-<incident id>`
de-duplicates repeated and retried creates. EU accounts use `https://api.eu.opsgenie.com` as `url`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import requests

from noc_console.domain.severity import Severity, severity_from_label
from noc_console.paging.base import Channel, Outcome, Page, ProviderConfig, SecretLookup, SendResult
from noc_console.paging.rest import (
    Answer,
    Secret,
    base_url,
    check_options,
    check_timeout,
    clip,
    fetch_secret,
    request,
    text_of,
)

DEFAULT_URL = "https://api.opsgenie.com"
EU_URL = "https://api.eu.opsgenie.com"
ALERTS_PATH = "/v2/alerts"
SOURCE = "NOC Console"
PENDING = "pending"  # the delivery state of a request Opsgenie has not processed yet
# Opsgenie's documented limits, in characters.
MAX_MESSAGE = 130
MAX_ALIAS = 512
MAX_DESCRIPTION = 15000
MAX_ENTITY = 512
MAX_TAG = 50
MAX_DETAIL = 1000  # one detail value; all details together must stay under 8,000
MAX_NOTE = 25000
MAX_STATE = 64  # a delivery state is a few words (the store keeps 64 characters)
OPTIONS: frozenset[str] = frozenset()

PRIORITY: Mapping[Severity, str] = {
    Severity.CRITICAL: "P1",
    Severity.MAJOR: "P2",
    Severity.MINOR: "P3",
    Severity.WARNING: "P4",
    Severity.INFO: "P5",
}
_REQUEST_ID = re.compile(r"[0-9A-Za-z-]{1,100}")


def build(
    config: ProviderConfig, secret: SecretLookup, *, session: requests.Session | None = None
) -> OpsgenieProvider:
    """An Opsgenie provider from its `[[providers]]` entry; its secret is an API integration's key."""
    check_options(config, OPTIONS)
    url = base_url(config, DEFAULT_URL)
    timeout_s = check_timeout(config)
    return OpsgenieProvider(config, fetch_secret(config, secret), url, timeout_s, session)


# -- what Opsgenie is sent (pure) ---------------------------------------------------------------------


def alias(incident_id: int) -> str:
    """The alias that makes all pages of one incident one Opsgenie alert."""
    return f"noc-console-{incident_id}"[:MAX_ALIAS]


def create_alert(page: Page) -> dict[str, Any]:
    """The documented create-alert body for a page, every field within Opsgenie's limits."""
    severity = severity_from_label(page.severity)
    tags = ["noc-console", f"severity:{severity.value}"]
    if page.service:
        tags.append(clip(f"service:{page.service}", MAX_TAG))
    details = {
        "incident_id": str(page.incident_id),
        "severity": severity.value,
        "target": clip(page.target, MAX_DETAIL),
        "level": str(page.level),
        "repeat": str(page.repeat),
        "page_key": clip(page.key, MAX_DETAIL),
    }
    if page.service:
        details["service"] = clip(page.service, MAX_DETAIL)
    if page.console_hint:
        details["acknowledge"] = clip(page.console_hint, MAX_DETAIL)
    body: dict[str, Any] = {
        "message": clip(page.title, MAX_MESSAGE),
        "alias": alias(page.incident_id),
        "description": clip(page.text, MAX_DESCRIPTION),
        "priority": PRIORITY[severity],
        "source": SOURCE,
        "tags": tags,
        "details": details,
    }
    if page.service:
        body["entity"] = clip(page.service, MAX_ENTITY)
    return body


def action_body(note: str) -> dict[str, str]:
    """The body of an acknowledge or close request."""
    return {"source": SOURCE, "note": clip(note, MAX_NOTE)}


# -- what Opsgenie answers (pure) ---------------------------------------------------------------------


def error_words(payload: Any) -> str | None:
    """An error answer (`message`, sometimes `errors` by field) in words."""
    if not isinstance(payload, Mapping):
        return None
    message = text_of(payload.get("message"))
    errors = payload.get("errors")
    if isinstance(errors, Mapping) and errors:
        listed = "; ".join(f"{field}: {reason}" for field, reason in errors.items())
        return f"{message or 'rejected'} ({listed})"
    return message


def request_status(payload: Any, request_id: str) -> SendResult:
    """A Get Request Status answer: `data.status` as the delivery state; a request that did not
    succeed (`data.isSuccess` false, e.g. "Alert does not exist") carries it in `error` too."""
    data = payload.get("data") if isinstance(payload, Mapping) else None
    status = text_of(data.get("status")) if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or status is None:
        return SendResult(
            Outcome.RETRY, provider_id=request_id, error="Opsgenie answered without a request status"
        )
    succeeded = data.get("isSuccess", data.get("success"))
    error = None if succeeded is True else f"Opsgenie: {status}"
    return SendResult(Outcome.ACCEPTED, provider_id=request_id, delivery=clip(status, MAX_STATE), error=error)


# -- the provider -------------------------------------------------------------------------------------


class OpsgenieProvider:
    """Creates, acknowledges and closes one Opsgenie alert per incident through one API integration."""

    def __init__(
        self,
        config: ProviderConfig,
        api_key: Secret,
        url: str,
        timeout_s: float,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config
        self.url = url
        self.timeout_s = timeout_s
        self._api_key = api_key
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"OpsgenieProvider(name={self.config.name!r}, url={self.url!r})"

    def send(self, page: Page) -> SendResult:
        """Create the incident's alert; accepted answers carry Opsgenie's request id."""
        if page.channel is not Channel.OPSGENIE:
            return SendResult(Outcome.FAILED, error=f"Opsgenie does not carry {page.channel.value} pages")
        return self._accepted(self._call("POST", self.url + ALERTS_PATH, create_alert(page)))

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return self._act(incident_id, "acknowledge", "Acknowledged in NOC Console.")

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return self._act(incident_id, "close", "Resolved in NOC Console.")

    def delivery(self, provider_id: str) -> SendResult | None:
        """Whether Opsgenie carried out the request: its status, or `pending` before it has."""
        if not _REQUEST_ID.fullmatch(provider_id):
            return SendResult(Outcome.FAILED, error=f"not an Opsgenie request id: {provider_id[:40]!r}")
        answer = self._call("GET", f"{self.url}{ALERTS_PATH}/requests/{provider_id}")
        if answer.result.http_status == 404:  # Opsgenie says `RequestNotProcessed` until it has
            return SendResult(Outcome.ACCEPTED, provider_id=provider_id, delivery=PENDING, http_status=404)
        if answer.result.outcome is not Outcome.ACCEPTED:
            return replace(answer.result, provider_id=provider_id)
        return replace(request_status(answer.payload, provider_id), http_status=answer.result.http_status)

    def close(self) -> None:
        self._session.close()

    def _act(self, incident_id: int, action: str, note: str) -> SendResult:
        url = f"{self.url}{ALERTS_PATH}/{quote(alias(incident_id), safe='')}/{action}"
        answer = self._call("POST", url, action_body(note), params={"identifierType": "alias"})
        return self._accepted(answer)

    def _accepted(self, answer: Answer) -> SendResult:
        if answer.result.outcome is not Outcome.ACCEPTED:
            return answer.result
        payload = answer.payload if isinstance(answer.payload, Mapping) else {}
        return replace(answer.result, provider_id=text_of(payload.get("requestId")))

    def _call(self, method: str, url: str, body: Any = None, params: dict[str, str] | None = None) -> Answer:
        return request(
            self._session,
            method,
            url,
            self.timeout_s,
            json_body=body,
            params=params,
            headers={"Authorization": f"GenieKey {self._api_key.value}"},
            error_words=error_words,
            hide=(self._api_key,),
        )
