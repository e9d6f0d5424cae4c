"""Counts over the open incidents (by severity, unacknowledged, orphaned, by service), kept up to date
by each change set in time proportional to the change set, not to the board: a console showing
100,000 incidents recounts nothing when three of them change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.severity import Severity


@dataclass(frozen=True, slots=True)
class _Counted:
    severity: Severity
    unacknowledged: bool
    orphaned: bool
    service: str | None


class BoardFigures:
    """The figures of the open incidents; `apply` a change set, `replace` with a snapshot."""

    def __init__(self, incidents: Iterable[Incident] = ()) -> None:
        self._of: dict[int, _Counted] = {}
        self.by_severity: Counter[Severity] = Counter()
        self.services: Counter[str] = Counter()
        self.unacknowledged = 0
        self.orphaned = 0
        self.replace(incidents)

    def replace(self, incidents: Iterable[Incident]) -> None:
        self._of.clear()
        self.by_severity.clear()
        self.services.clear()
        self.unacknowledged = self.orphaned = 0
        self.apply(incidents)

    def apply(self, changed: Iterable[Incident], removed_ids: Iterable[int] = ()) -> None:
        for incident_id in removed_ids:
            self._drop(incident_id)
        for incident in changed:
            self._drop(incident.id)
            if incident.is_open:
                self._add(incident)

    @property
    def total(self) -> int:
        return len(self._of)

    @property
    def loudest(self) -> Severity | None:
        return next((s for s in Severity if self.by_severity[s]), None)

    def _add(self, incident: Incident) -> None:
        counted = _Counted(
            incident.severity, incident.status is IncidentStatus.OPEN, incident.orphaned, incident.service
        )
        self._of[incident.id] = counted
        self._count(counted, 1)

    def _drop(self, incident_id: int) -> None:
        counted = self._of.pop(incident_id, None)
        if counted is not None:
            self._count(counted, -1)

    def _count(self, counted: _Counted, step: int) -> None:
        self.by_severity[counted.severity] += step
        self.unacknowledged += step * counted.unacknowledged
        self.orphaned += step * counted.orphaned
        if counted.service:
            self.services[counted.service] += step
            if not self.services[counted.service]:
                del self.services[counted.service]
