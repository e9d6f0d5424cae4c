"""Which new incidents deserve a desktop notification: a new critical one, or one a customer reported."""

from __future__ import annotations

from collections.abc import Iterable

from noc_console.domain.incidents import DetectionSource, Incident
from noc_console.domain.severity import Severity


def worth_notifying(incident: Incident) -> bool:
    return incident.severity is Severity.CRITICAL or incident.detected_by is DetectionSource.CUSTOMER


class NewIncidents:
    """Remembers which incidents a console has seen, to notify each new one once.

    What is open when the console starts (`prime`) is not new: a console that starts does not shout
    about everything already on the board.
    """

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._primed = False

    def prime(self, incidents: Iterable[Incident]) -> None:
        self._seen.update(i.id for i in incidents)
        self._primed = True

    def notify(self, incidents: Iterable[Incident]) -> list[Incident]:
        """The incidents among these not seen before that deserve a notification."""
        fresh = [i for i in incidents if i.id not in self._seen]
        self._seen.update(i.id for i in fresh)
        if not self._primed:
            self._primed = True
            return []
        return [i for i in fresh if i.is_open and worth_notifying(i)]

    def forget(self, incident_ids: Iterable[int]) -> None:
        """Resolved incidents need not be remembered (the set stays the size of the board)."""
        self._seen.difference_update(incident_ids)
