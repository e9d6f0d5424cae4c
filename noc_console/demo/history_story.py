"""What the demo's history modules share: the planned rows of one incident, the moments its story is
told from, and the random draws they are made with."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from noc_console.demo.history_catalog import ServiceHistory
from noc_console.domain.incidents import DetectionSource
from noc_console.domain.severity import Severity

Lognormal = tuple[float, float]  # median in seconds, shape (the standard deviation of its logarithm)
Entry = tuple[datetime, str, str, str, int | None]  # at, kind, actor, text, index of its alert
K = TypeVar("K")


@dataclass(slots=True)
class PlannedIncident:
    """One incident's rows, before it has an ID. Timeline entries name their alert by its index in
    `alerts`; alerts, calls and breaches get the incident's ID when written."""

    incident: dict[str, Any]
    alerts: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[Entry] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    call_updates: list[dict[str, Any]] = field(default_factory=list)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    postmortem: dict[str, Any] | None = None
    action_items: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    """The moments that decide everything else."""

    name: str
    service: ServiceHistory
    severity: Severity
    by: DetectionSource
    impact: datetime
    detected: datetime
    opened: datetime
    acked: datetime
    resolved: datetime
    monitoring_at: datetime | None
    false_positive: bool
    operator: str
    owner: str | None = None

    @property
    def internal(self) -> bool:
        return self.by is not DetectionSource.CUSTOMER

    @property
    def loud(self) -> bool:
        return self.severity.rank <= Severity.MAJOR.rank


def utc(at: datetime, pattern: str) -> str:
    return f"{at:{pattern}} UTC"


class Draws:
    """Random draws from one shared generator, in the shapes the history uses."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, weights: Mapping[K, float]) -> K:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def after(self, at: datetime, median_shape: Lognormal, scale: float = 1.0) -> datetime:
        """`at` plus a lognormal time whose median is scaled by `scale`."""
        median, shape = median_shape
        return at + timedelta(seconds=self.rng.lognormvariate(math.log(median * scale), shape))

    def before(self, at: datetime, median_shape: Lognormal) -> datetime:
        return at - (self.after(at, median_shape) - at)

    def uniform(self, at: datetime, bounds: tuple[float, float]) -> datetime:
        return at + timedelta(seconds=self.rng.uniform(*bounds))
