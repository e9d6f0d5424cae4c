"""The ordered list of incidents a screen shows, and the row events that keep a view in step with it.

Qt-free: a table model replays the events (`Inserted`, `Removed`, `Changed`) as begin/end row calls
and `dataChanged`, so a view never needs a reset.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from noc_console.domain.incidents import Incident, IncidentStatus

_STATUS_ORDER = {IncidentStatus.OPEN: 0, IncidentStatus.ACKNOWLEDGED: 1, IncidentStatus.RESOLVED: 2}

SortKey = tuple[int, int, datetime, int]


def board_key(incident: Incident) -> SortKey:
    """Loudest first: severity rank, then open before acknowledged, then oldest first (id breaks ties)."""
    return (incident.severity.rank, _STATUS_ORDER[incident.status], incident.detected_at, incident.id)


@dataclass(frozen=True, slots=True)
class Inserted:
    """`incidents` now occupy rows `row` .. `row + count - 1`."""

    row: int
    incidents: tuple[Incident, ...]

    @property
    def count(self) -> int:
        return len(self.incidents)


@dataclass(frozen=True, slots=True)
class Removed:
    """Rows `row` .. `row + count - 1` are gone."""

    row: int
    count: int = 1


@dataclass(frozen=True, slots=True)
class Changed:
    """The incident on `row` changed in place (same sort position)."""

    row: int
    incident: Incident


BoardEvent = Inserted | Removed | Changed


class IncidentBoard:
    """Visible incidents (open and acknowledged) in a stable, loudest-first order."""

    def __init__(self, incidents: Iterable[Incident] = ()) -> None:
        visible = [i for i in incidents if i.is_open]
        self._rows: list[Incident] = sorted({i.id: i for i in visible}.values(), key=board_key)
        self._keys: list[SortKey] = [board_key(i) for i in self._rows]

    @property
    def rows(self) -> tuple[Incident, ...]:
        return tuple(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def row_of(self, incident_id: int) -> int | None:
        for row, incident in enumerate(self._rows):
            if incident.id == incident_id:
                return row
        return None

    def incident_at(self, row: int) -> Incident:
        return self._rows[row]

    def apply(self, incidents: Iterable[Incident], removed_ids: Iterable[int] = ()) -> list[BoardEvent]:
        """Bring the board up to date; returns the events, in order, that a view must replay.

        Each event's row numbers refer to the board as it is after the events before it.
        A resolved incident is removed; an incident whose sort key changed moves (removed, then inserted).
        """
        events: list[BoardEvent] = []
        for incident_id in dict.fromkeys(removed_ids):
            event = self._remove(incident_id)
            if event is not None:
                events.append(event)
        for incident in {i.id: i for i in incidents}.values():
            if not incident.is_open:
                event = self._remove(incident.id)
                if event is not None:
                    events.append(event)
                continue
            row = self.row_of(incident.id)
            key = board_key(incident)
            if row is not None and self._keys[row] == key:
                if self._rows[row] != incident:
                    self._rows[row] = incident
                    events.append(Changed(row, incident))
                continue
            if row is not None:
                del self._rows[row], self._keys[row]
                events.append(Removed(row, 1))
            new_row = bisect.bisect_left(self._keys, key)
            self._rows.insert(new_row, incident)
            self._keys.insert(new_row, key)
            events.append(Inserted(new_row, (incident,)))
        return events

    def _remove(self, incident_id: int) -> Removed | None:
        row = self.row_of(incident_id)
        if row is None:
            return None
        del self._rows[row], self._keys[row]
        return Removed(row, 1)
