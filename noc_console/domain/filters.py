"""What the operator table shows: filters by severity, service, status, source and free text.

Pure and serialisable: the console keeps the operator's filters across restarts (as JSON in its
settings), and a value that no longer exists (a severity renamed, garbage in the file) is dropped, never
fatal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.severity import Severity

MAX_FILTER_TEXT = 200


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Each set empty = no restriction on that attribute; an incident must match every restriction."""

    severities: frozenset[Severity] = field(default_factory=frozenset)
    statuses: frozenset[IncidentStatus] = field(default_factory=frozenset)
    services: frozenset[str] = field(default_factory=frozenset)
    sources: frozenset[str] = field(default_factory=frozenset)
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.severities or self.statuses or self.services or self.sources or self.text.strip())

    def matches(self, incident: Incident) -> bool:
        if self.severities and incident.severity not in self.severities:
            return False
        if self.statuses and incident.status not in self.statuses:
            return False
        if self.services and (incident.service or "") not in self.services:
            return False
        if self.sources and (incident.source or "") not in self.sources:
            return False
        needle = self.text.strip().casefold()
        if not needle:
            return True
        return needle in incident.title.casefold() or needle in (incident.service or "").casefold()

    def with_text(self, text: str) -> IncidentFilter:
        return replace(self, text=text[:MAX_FILTER_TEXT])

    def toggled(self, value: Severity | IncidentStatus | str, *, source: bool = False) -> IncidentFilter:
        """This filter with `value` added to (or removed from) its set: a severity, a status, or a
        service name (a source name with `source=True`)."""
        if isinstance(value, Severity):
            return replace(self, severities=self.severities ^ {value})
        if isinstance(value, IncidentStatus):
            return replace(self, statuses=self.statuses ^ {value})
        if source:
            return replace(self, sources=self.sources ^ {value})
        return replace(self, services=self.services ^ {value})

    def to_json(self) -> str:
        return json.dumps(
            {
                "severities": sorted(s.value for s in self.severities),
                "statuses": sorted(s.value for s in self.statuses),
                "services": sorted(self.services),
                "sources": sorted(self.sources),
                "text": self.text,
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> IncidentFilter:
        """A saved filter; anything unreadable or unknown in it is dropped."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()

        def strings(key: str) -> list[str]:
            values = data.get(key)
            return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []

        saved_text = data.get("text")
        severities = {s.value for s in Severity}
        statuses = {s.value for s in IncidentStatus}
        return cls(
            severities=frozenset(Severity(v) for v in strings("severities") if v in severities),
            statuses=frozenset(IncidentStatus(v) for v in strings("statuses") if v in statuses),
            services=frozenset(v[:200] for v in strings("services")),
            sources=frozenset(v[:200] for v in strings("sources")),
            text=saved_text[:MAX_FILTER_TEXT] if isinstance(saved_text, str) else "",
        )
