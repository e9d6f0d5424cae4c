"""The fast way through an Alertmanager v2 alerts answer: msgspec decodes its bytes into typed structs.

The shape and the length of every string are checked in C while decoding, and what the console never
reads (`receivers`, other annotations) is skipped unbuilt; times are read by msgspec too, all of an
answer in one call. `parse_typed` answers None for an answer it does not take as it is, and
`alertmanager.parse` then goes the careful way. Times and fingerprints are read the same both ways.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import msgspec

from noc_console.domain.alerts import Alert, AlertState
from noc_console.domain.severity import Severity, severity_from_label
from noc_console.sources.base import (
    MAX_DESCRIPTION,
    MAX_FINGERPRINT,
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_NAME,
    MAX_SERVICE,
    MAX_SUMMARY,
    MAX_URL,
    clean_text,
)

# Go's zero time: Alertmanager sends it as endsAt when an alert has no end yet.
GO_ZERO_YEAR = 1


def parse_time(value: str) -> datetime:
    """An RFC 3339 time as a timezone-aware UTC datetime; fractions beyond microseconds are dropped.

    As Alertmanager (Go) writes it: nanosecond fractions, 'Z' or an offset ('t', 'z', a space and an
    offset without its colon are taken too). msgspec reads it (in C, no expression per time) once the
    fraction is cut to microseconds: msgspec would round it, and .999999999 must stay in its second.
    """
    try:
        parsed = msgspec.convert(_to_microseconds(value.strip()), datetime)
    except msgspec.ValidationError:
        raise ValueError(f"not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"not an ISO 8601 time: {value!r} has no zone")
    try:
        return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"not a valid time: {value!r}") from None


def _to_microseconds(text: str) -> str:
    """An RFC 3339 time with its fraction cut to six digits; what is not one stays what it is not.

    A fraction starts at index 19, after "YYYY-MM-DDTHH:MM:SS"; more than six digits follow it only
    in a text longer than 27 characters.
    """
    if len(text) > 27 and text[19] == "." and text[20:26].isdigit():
        return text[:26] + text[26:].lstrip("0123456789")
    return text


def labels_fingerprint(labels: Mapping[str, str]) -> str:
    """A stable fingerprint of a label set, for alerts that come without one."""
    canonical = json.dumps(sorted(labels.items()), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class _Annotations(msgspec.Struct, gc=False):
    """The annotations an alert's summary and description come from, each at most a description long."""

    summary: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] = ""
    title: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] = ""
    description: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] = ""
    message: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] = ""


class _Status(msgspec.Struct, gc=False, rename="camel"):
    silenced_by: tuple[str, ...] | None = None
    inhibited_by: tuple[str, ...] | None = None


class _GettableAlert(msgspec.Struct, gc=False, rename="camel"):
    """A `gettableAlert` of the OpenAPI file, as the typed decode takes it: strings that fit the store."""

    labels: dict[
        Annotated[str, msgspec.Meta(max_length=MAX_LABEL_KEY)],
        Annotated[str, msgspec.Meta(max_length=MAX_LABEL_VALUE)],
    ]
    starts_at: str
    annotations: _Annotations | None = None
    ends_at: str | None = None
    updated_at: str | None = None
    fingerprint: Annotated[str, msgspec.Meta(max_length=MAX_FINGERPRINT)] | None = None
    generator_url: Annotated[str, msgspec.Meta(max_length=MAX_URL)] | None = msgspec.field(
        default=None, name="generatorURL"
    )
    status: _Status | None = None


_DECODER = msgspec.json.Decoder(list[_GettableAlert])


def parse_typed(body: bytes, source: str, service_label: str, severity_label: str) -> list[Alert] | None:
    """The alerts of an answer the typed decode takes as it is; None when it needs the careful way.

    JSON cannot carry a raw NUL or an invalid surrogate (msgspec refuses both), so an answer without a
    NUL escape holds no string to clean; the Meta lengths leave none to cut but the few shorter fields
    cut here.
    """
    if b"\\u0000" in body:
        return None
    with _collector.held():
        try:
            items = _DECODER.decode(body)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return None
        return _alerts(items, source, service_label, severity_label)


def _alerts(
    items: list[_GettableAlert], source: str, service_label: str, severity_label: str
) -> list[Alert] | None:
    times = _read_times(items)
    if times is None:  # a time that is not one: the careful way names the alert and the field
        return None
    severities: dict[str | None, Severity] = {}
    alerts: list[Alert] = []
    for item in items:
        labels = item.labels
        name = labels.get("alertname", "")
        if len(name) > MAX_NAME:
            name = clean_text(name, MAX_NAME)
            labels = {**labels, "alertname": name}
        notes = item.annotations
        summary = ((notes.summary or notes.title) if notes is not None else "") or name
        level = labels.get(severity_label)
        severity = severities.get(level)
        if severity is None:
            severity = severities[level] = severity_from_label(level)
        service = labels.get(service_label)
        if service and len(service) > MAX_SERVICE:
            service = clean_text(service, MAX_SERVICE)
        ends_at = times[item.ends_at] if item.ends_at is not None else None
        status = item.status
        # Alert(..., state=FIRING), slot by slot (see _SLOTS)
        alert: Alert = _new(Alert)
        _set_source(alert, source)
        _set_fingerprint(alert, item.fingerprint or labels_fingerprint(labels))
        _set_labels(alert, labels)
        _set_summary(alert, summary if len(summary) <= MAX_SUMMARY else clean_text(summary, MAX_SUMMARY))
        _set_description(alert, (notes.description or notes.message) if notes is not None else "")
        _set_severity(alert, severity)
        _set_starts_at(alert, times[item.starts_at])
        _set_ends_at(alert, ends_at if ends_at is None or ends_at.year != GO_ZERO_YEAR else None)
        _set_state(alert, AlertState.FIRING)
        _set_silenced(alert, status is not None and bool(status.silenced_by))
        _set_inhibited(alert, status is not None and bool(status.inhibited_by))
        _set_service(alert, service or None)
        _set_generator_url(alert, item.generator_url or None)
        _set_source_time(alert, times[item.updated_at] if item.updated_at is not None else None)
        _set_pending(alert, False)
        alerts.append(alert)
    return alerts


def _read_times(items: list[_GettableAlert]) -> dict[str, datetime] | None:
    """Every time of the answer as UTC, each distinct text read once (alerts of one evaluation share
    them), all by one msgspec call; None when one is not an RFC 3339 time with a zone."""
    texts: dict[str, None] = {}
    for item in items:
        texts[item.starts_at] = None
        if item.ends_at is not None:
            texts[item.ends_at] = None
        if item.updated_at is not None:
            texts[item.updated_at] = None
    try:
        read = msgspec.convert([_to_microseconds(text) for text in texts], list[datetime])
    except msgspec.ValidationError:
        return None
    times: dict[str, datetime] = {}
    for text, when in zip(texts, read, strict=True):
        if when.tzinfo is UTC:
            times[text] = when
        elif when.tzinfo is None:
            return None
        else:
            try:
                times[text] = when.astimezone(UTC)
            except OverflowError:
                return None
    return times


# Alert is a frozen dataclass: its __init__ sets each of its fifteen fields through
# object.__setattr__, which took a third of this path's time. `_alerts` sets its slots directly, at half
# the cost, each by name; tests/sources check that it sets every field and that Alert has no
# __post_init__ to skip.
_new = object.__new__
_SLOTS = {field.name: getattr(Alert, field.name).__set__ for field in dataclasses.fields(Alert)}
_set_source, _set_fingerprint, _set_labels = _SLOTS["source"], _SLOTS["fingerprint"], _SLOTS["labels"]
_set_summary, _set_description, _set_severity = _SLOTS["summary"], _SLOTS["description"], _SLOTS["severity"]
_set_starts_at, _set_ends_at, _set_state = _SLOTS["starts_at"], _SLOTS["ends_at"], _SLOTS["state"]
_set_silenced, _set_inhibited, _set_service = _SLOTS["silenced"], _SLOTS["inhibited"], _SLOTS["service"]
_set_generator_url, _set_source_time = _SLOTS["generator_url"], _SLOTS["source_time"]
_set_pending = _SLOTS["pending"]


class _CollectorPause:
    """Python's cycle collector off while answers become alerts (none of those objects form a cycle).

    Left on, 100,000 new alerts run it over a hundred times, and now and then over the whole
    heap; the one collection after the pause sorts them in one pass. Fetch threads of two sources may
    overlap: the last one out turns it back on, and only if it was on.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._resume = False

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._resume:
                    gc.enable()


_collector = _CollectorPause()
