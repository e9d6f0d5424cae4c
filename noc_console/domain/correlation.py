"""Correlation: which alerts are one incident."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.flapping import FlapRule
from noc_console.domain.incidents import DetectionSource


@dataclass(frozen=True, slots=True)
class ServiceDef:
    """A service the NOC watches; an alert belongs to it when all `match` labels are equal."""

    name: str
    critical: bool = False
    match: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other words customers use for it ("card payments", "checkout")


@dataclass(frozen=True, slots=True)
class ServiceCatalog:
    services: tuple[ServiceDef, ...] = ()

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Each configured service's other names, for matching what a caller says."""
        return {service.name: service.aliases for service in self.services}

    @property
    def names(self) -> list[str]:
        return [service.name for service in self.services]

    def service_for(self, alert: Alert) -> str | None:
        """The configured service whose match labels the alert carries, else the source's own label."""
        for service in self.services:
            if service.match and all(alert.labels.get(k) == v for k, v in service.match.items()):
                return service.name
        return alert.service


@dataclass(frozen=True, slots=True)
class OpenIncidentRef:
    """What correlation needs to know of an open incident."""

    id: int
    correlation_key: str
    last_alert_at: datetime


# incidents.correlation_key is a VARCHAR(400).
MAX_KEY_LENGTH = 400


# The grouping of an alert that carries every `group_by` label; "service" is the catalog's service.
DEFAULT_GROUP_BY = ("service",)


@dataclass(frozen=True, slots=True)
class CorrelationRule:
    """Alerts with equal `group_by` values that fire within `window` of each other join one open incident.

    `group_by` names what makes one incident: "service" is the service as the catalog maps it (else the
    source's own service label), any other name is an alert label. `flap`: when an alert that keeps
    firing and clearing is held in its open incident (domain.flapping).
    """

    window: timedelta = timedelta(minutes=10)
    group_by: tuple[str, ...] = DEFAULT_GROUP_BY
    flap: FlapRule = field(default_factory=FlapRule)

    def key(self, alert: Alert, service: str | None) -> str:
        """The group's key; equal keys, one incident (within the window).

        The default grouping keeps the key incidents have always had, `service:<name>` (customer reports
        open incidents with it too); any other grouping is `by|` and `name:value` of each label joined by
        `|`, with `\\` and `|` in values escaped, so two different groups never share a key and no such
        key equals a `service:` or `alert:` one. An alert missing one of the labels (or with it empty)
        groups with its own alert name, as one with no service always has.
        A key longer than the store keeps (a 500-character alert name) ends in a hash of the whole key.
        """
        values: list[str] = []
        for name in self.group_by:
            value = service if name == "service" else alert.labels.get(name)
            if not value:
                break
            values.append(value)
        if len(values) < len(self.group_by):
            key = f"alert:{alert.source}:{alert.name}"
        elif self.group_by == DEFAULT_GROUP_BY:
            key = f"service:{values[0]}"
        else:
            pairs = zip(self.group_by, values, strict=True)
            key = "by|" + "|".join(f"{name}:{_escaped(value)}" for name, value in pairs)
        if len(key) <= MAX_KEY_LENGTH:
            return key
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return f"{key[: MAX_KEY_LENGTH - len(digest) - 1]}#{digest}"

    def pick(self, key: str, starts_at: datetime, candidates: Sequence[OpenIncidentRef]) -> int | None:
        """The open incident this alert joins, or None to open a new one.

        Joins the most recently active incident with the same key whose last alert fired no more than
        `window` before this one (an alert that started earlier than the incident's last one joins too).
        """
        best: OpenIncidentRef | None = None
        for ref in candidates:
            if ref.correlation_key != key or starts_at - ref.last_alert_at > self.window:
                continue
            if best is None or ref.last_alert_at > best.last_alert_at:
                best = ref
        return best.id if best else None


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


@dataclass(frozen=True, slots=True)
class SourceRules:
    """How one source's snapshots are applied: when an absent alert resolves, what a suppressed one opens.

    An alert resolves when it has been absent from `resolve_after_missed` consecutive successful fetches
    **and** for at least `resolve_after` since it was first seen absent. While the source itself has been
    up for less than `resolve_after` (by its own clock), absence counts for nothing: a monitoring system
    that keeps alerts in memory answers an empty list after a restart. `resolve_after` of zero keeps the
    fetch count as the only rule.
    """

    resolve_after_missed: int = 2
    resolve_after: timedelta = timedelta(seconds=180)
    open_silenced: bool = False
    open_inhibited: bool = False
    detected_by: DetectionSource = DetectionSource.MONITORING

    def may_open(self, alert: Alert) -> bool:
        """Whether this alert may open an incident or join one (a silenced alert opens nothing by default,
        a pending one nothing at all: it is not firing yet)."""
        if alert.pending:
            return False
        if alert.silenced and not self.open_silenced:
            return False
        return not (alert.inhibited and not self.open_inhibited)

    def counts_absence(self, snapshot: AlertSnapshot) -> bool:
        """False while the source is warming up after a restart: its empty answer proves nothing yet; and
        while only part of it answered (an HA pair's member down may hold what is absent)."""
        if snapshot.partial:
            return False
        if self.resolve_after <= timedelta(0):  # the fetch count is the only rule
            return True
        # (A source's clock comes from its Date header, to the whole second: a source started a moment
        # ago may even seem up for less than nothing.)
        uptime = snapshot.source_uptime
        return uptime is None or uptime >= self.resolve_after

    def absence_resolves(self, missed_fetches: int, absent_since: datetime, now: datetime) -> bool:
        """An absent alert resolves after enough successful fetches and enough time."""
        return missed_fetches >= self.resolve_after_missed and now - absent_since >= self.resolve_after
