"""Which alarm sounds now, decided from the open incidents, the sources' health, the mute and `now`.

Qt-free; a player at the edge (`noc_console.ui.alarm_player`) turns the decision into sound.

The rules:
- An unacknowledged incident (status open) sounds until someone acknowledges it, from any console or
  the command line: the decision is re-made from what the store says, so nothing here remembers it.
- A customer-detected incident has its own sound and is the loudest of all: a customer told us before
  our monitoring did. Then critical, major, a stale source, minor, warning, info.
- A source that goes stale sounds once per time it goes stale, for `STALE_SOUND_FOR`, and again only
  after it recovered and went stale again. An episode that began while muted, or while a louder alarm
  sounded, is still pending: it sounds once it is the loudest and nothing mutes it.
- A mute silences every alarm of this console until its time; `now >= until` ends it by itself. A
  mute lasts at most `MUTE_MAX`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from noc_console.domain.board import bulk
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity

MUTE_MAX = timedelta(minutes=60)
MUTE_MIN = timedelta(minutes=1)
MUTE_CHOICES_MINUTES = (5, 15, 30, 60)  # what the mute menu offers
MUTE_DEFAULT_MINUTES = 15
STALE_SOUND_FOR = timedelta(seconds=6)


class AlarmKind(StrEnum):
    """One sound each; declared loudest first."""

    CUSTOMER = "customer"
    CRITICAL = "critical"
    MAJOR = "major"
    SOURCE_STALE = "source-stale"
    MINOR = "minor"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the loudest (customer-detected)."""
        return _KIND_RANK[self]

    @property
    def label(self) -> str:
        """What a banner calls it, in English (logs)."""
        return _LABELS[self]

    @property
    def display_label(self) -> str:
        """What a banner calls it, in the window's language."""
        return translate("domain.alarms", _LABELS[self])

    @classmethod
    def of_severity(cls, severity: Severity) -> AlarmKind:
        return _BY_SEVERITY[severity]


_KIND_RANK = {kind: rank for rank, kind in enumerate(AlarmKind)}
_BY_SEVERITY = {
    Severity.CRITICAL: AlarmKind.CRITICAL,
    Severity.MAJOR: AlarmKind.MAJOR,
    Severity.MINOR: AlarmKind.MINOR,
    Severity.WARNING: AlarmKind.WARNING,
    Severity.INFO: AlarmKind.INFO,
}
_SEVERITY_RANK = {severity: severity.rank for severity in Severity}
_LABELS = {
    AlarmKind.CUSTOMER: QT_TRANSLATE_NOOP("domain.alarms", "CUSTOMER-DETECTED"),
    AlarmKind.CRITICAL: QT_TRANSLATE_NOOP("domain.alarms", "CRITICAL"),
    AlarmKind.MAJOR: QT_TRANSLATE_NOOP("domain.alarms", "MAJOR"),
    AlarmKind.SOURCE_STALE: QT_TRANSLATE_NOOP("domain.alarms", "SOURCE STALE"),
    AlarmKind.MINOR: QT_TRANSLATE_NOOP("domain.alarms", "MINOR"),
    AlarmKind.WARNING: QT_TRANSLATE_NOOP("domain.alarms", "WARNING"),
    AlarmKind.INFO: QT_TRANSLATE_NOOP("domain.alarms", "INFO"),
}


@dataclass(frozen=True, slots=True)
class Alarm:
    """The alarm that should sound now, and what it is about.

    An incident alarm names the loudest unacknowledged incident (`incident_id`, `title`); a stale
    alarm names the sources (`sources`). `unacknowledged` counts every unacknowledged open incident.
    """

    kind: AlarmKind
    incident_id: int | None = None
    title: str = ""
    sources: tuple[str, ...] = ()
    unacknowledged: int = 0

    def describe(self) -> str:
        """'CRITICAL #12 Checkout 5xx — 3 unacknowledged', or 'SOURCE STALE: prod-am', in the window's
        language (for a banner)."""
        kind = self.kind.display_label
        if self.kind is AlarmKind.SOURCE_STALE:
            sources = ", ".join(self.sources)
            if self.unacknowledged:
                return translate("domain.alarms", "{kind}: {sources} — {count} unacknowledged").format(
                    kind=kind, sources=sources, count=self.unacknowledged
                )
            return f"{kind}: {sources}"
        return translate("domain.alarms", "{kind} #{id} {title} — {count} unacknowledged").format(
            kind=kind, id=self.incident_id, title=_one_line(self.title), count=self.unacknowledged
        )


TITLE_MAX = 120  # a banner line, not a wall of text


def _one_line(title: str) -> str:
    """A title on one line (line breaks and runs of spaces become one space), cut at `TITLE_MAX`."""
    text = " ".join(title.split())
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class Mute:
    """Alarms of this console are silent until `until` (the database's clock, timezone-aware)."""

    until: datetime

    def __post_init__(self) -> None:
        if self.until.tzinfo is None or self.until.utcoffset() is None:
            raise ValueError("mute.until: must carry a time zone")

    @classmethod
    def for_minutes(cls, minutes: float, now: datetime) -> Mute:
        """A mute from `now` for `minutes`, which must lie within 1 .. 60 minutes."""
        low, high = MUTE_MIN.total_seconds() / 60, MUTE_MAX.total_seconds() / 60
        # The window shows these (a field named, then the problem): translated.
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not math.isfinite(minutes):
            problem = translate("domain.alarms", "mute.minutes: must be a number of minutes, got {value}")
            raise ValueError(problem.format(value=repr(minutes)))
        if not low <= minutes <= high:
            problem = translate(
                "domain.alarms", "mute.minutes: must be between {low} and {high}, got {value}"
            )
            raise ValueError(problem.format(low=f"{low:g}", high=f"{high:g}", value=f"{minutes:g}"))
        return cls(now + timedelta(minutes=minutes))

    @classmethod
    def restored(cls, until: datetime, now: datetime) -> Mute | None:
        """A mute read back after a restart: None when it is over; refused when it runs past `MUTE_MAX`
        from now (a clock that jumped back, or an edited settings file: better an alarm than silence)."""
        mute = cls(until)
        if not mute.active(now):
            return None
        if until - now > MUTE_MAX:
            limit = int(MUTE_MAX.total_seconds() // 60)
            raise ValueError(f"mute.until: {until.isoformat()} is more than {limit} minutes from now")
        return mute

    def active(self, now: datetime) -> bool:
        return now < self.until


def loudest_unacknowledged(incidents: Iterable[Incident]) -> tuple[Incident | None, int]:
    """The incident whose alarm wins (customer-detected first, then by severity, then the longest
    waiting, then the lowest id) and how many incidents are unacknowledged. One pass, no new objects:
    it runs every second over every open incident."""
    best: Incident | None = None
    best_customer = False
    best_rank = 0
    count = 0
    for incident in incidents:
        if incident.status is not IncidentStatus.OPEN:
            continue
        count += 1
        customer = incident.detected_by is DetectionSource.CUSTOMER
        rank = _SEVERITY_RANK[incident.severity]
        if best is None:
            better = True
        elif customer != best_customer:
            better = customer
        elif rank != best_rank:
            better = rank < best_rank
        elif incident.detected_at != best.detected_at:
            better = incident.detected_at < best.detected_at
        else:
            better = incident.id < best.id
        if better:
            best, best_customer, best_rank = incident, customer, rank
    return best, count


# The kinds an incident sounds with, loudest first (a stale source is not an incident).
_INCIDENT_KINDS = tuple(kind for kind in AlarmKind if kind is not AlarmKind.SOURCE_STALE)
# A kind's heap entry: what orders incidents of one kind (severity rank, then the longest waiting, then
# the lowest id), the same order as `loudest_unacknowledged`.
_Entry = tuple[int, datetime, int]
# Heaps holding more than this many entries per unacknowledged incident (changes leave stale entries
# behind until they reach the top) are rebuilt from the live ones: memory stays bounded for weeks.
_HEAP_SLACK = 2
_HEAP_MIN = 256


def alarm_kind(incident: Incident) -> AlarmKind:
    """The sound of an unacknowledged incident: its own for a customer-detected one, else its severity's."""
    if incident.detected_by is DetectionSource.CUSTOMER:
        return AlarmKind.CUSTOMER
    return _BY_SEVERITY[incident.severity]


class UnacknowledgedIncidents:
    """The unacknowledged (open) incidents by alarm kind, kept up to date from the feed's change sets:
    the alarm rules read the loudest and the count without looking at every incident.

    `apply` costs O(size of the change set) (a heap push per incident that moved, amortised);
    `loudest()` O(number of alarm kinds). It answers what `loudest_unacknowledged` would over the
    same incidents, fed the same way as `IncidentBoard`: an id both in `removed_ids` and open in
    `incidents` stays, as `incidents` has it.
    """

    def __init__(self, incidents: Iterable[Incident] = ()) -> None:
        self._incidents: dict[int, Incident] = {}  # id -> the unacknowledged incident, as last seen
        # id -> its live entry, in the heap of its incident's kind: one tuple of atoms each, which the
        # cyclic garbage collector stops tracking (100,000 of them would make each collection longer).
        self._entries: dict[int, _Entry] = {}
        self._heaps: dict[AlarmKind, list[_Entry]] = {kind: [] for kind in _INCIDENT_KINDS}
        self.replace_all(incidents)

    def __len__(self) -> int:
        return len(self._incidents)

    def __iter__(self) -> Iterator[Incident]:
        return iter(self._incidents.values())

    @property
    def heap_entries(self) -> int:
        """Entries in the heaps, live and stale (tests check that they stay bounded)."""
        return sum(len(heap) for heap in self._heaps.values())

    def loudest(self) -> tuple[Incident | None, int]:
        """The incident whose alarm wins and how many incidents are unacknowledged."""
        entries = self._entries
        for kind in _INCIDENT_KINDS:
            heap = self._heaps[kind]
            while heap:
                entry = heap[0]
                if entries.get(entry[2]) is entry:
                    return self._incidents[entry[2]], len(self._incidents)
                heapq.heappop(heap)  # acknowledged, resolved or moved since it was pushed
        return None, len(self._incidents)

    def replace_all(self, incidents: Iterable[Incident]) -> None:
        """A full snapshot: what is not in it is no longer unacknowledged."""
        unacknowledged = self._incidents
        unacknowledged.clear()
        with bulk():  # 100,000 entries made without cyclic garbage collection walking each of them
            for incident in incidents:  # the same id twice: the last one counts
                if incident.status is IncidentStatus.OPEN:
                    unacknowledged[incident.id] = incident
                else:
                    unacknowledged.pop(incident.id, None)
            rank = _SEVERITY_RANK
            self._entries = {i.id: (rank[i.severity], i.detected_at, i.id) for i in unacknowledged.values()}
            self._rebuild()

    def apply(self, incidents: Iterable[Incident], removed_ids: Iterable[int] = ()) -> None:
        """A change set: changed incidents (acknowledged and resolved ones leave) and ids that are gone."""
        latest = {i.id: i for i in incidents}
        for incident_id in removed_ids:
            self._discard(incident_id)
        for incident in latest.values():  # after the removals: an id in both stays, as `incidents` has it
            if incident.status is IncidentStatus.OPEN:
                self._put(incident)
            else:
                self._discard(incident.id)
        if self.heap_entries > _HEAP_SLACK * len(self._entries) + _HEAP_MIN:
            self._rebuild()

    def _put(self, incident: Incident) -> None:
        before = self._incidents.get(incident.id)
        self._incidents[incident.id] = incident  # the latest title, for the banner
        kind = alarm_kind(incident)
        rank = _SEVERITY_RANK[incident.severity]
        if before is not None and alarm_kind(before) is kind:
            live = self._entries[incident.id]
            if live[0] == rank and live[1] == incident.detected_at:
                return  # same place in the same heap
        entry = (rank, incident.detected_at, incident.id)
        self._entries[incident.id] = entry
        heapq.heappush(self._heaps[kind], entry)

    def _discard(self, incident_id: int) -> None:
        if self._incidents.pop(incident_id, None) is not None:
            del self._entries[incident_id]  # its heap entry is dropped when it reaches the top

    def _rebuild(self) -> None:
        heaps: dict[AlarmKind, list[_Entry]] = {kind: [] for kind in _INCIDENT_KINDS}
        incidents = self._incidents
        for incident_id, entry in self._entries.items():
            heaps[alarm_kind(incidents[incident_id])].append(entry)
        for heap in heaps.values():
            heapq.heapify(heap)
        self._heaps = heaps


class AlarmRules:
    """Decides, each time it is asked, which alarm sounds. Pure but for one memory: which stale
    episodes have sounded (a stale source alarms once per time it goes stale)."""

    def __init__(self, stale_sound_for: timedelta = STALE_SOUND_FOR) -> None:
        self._stale_sound_for = stale_sound_for
        # source name -> when its current stale episode first sounded; None: not heard yet
        self._episodes: dict[str, datetime | None] = {}
        self._last: Alarm | None = None
        # The last tuple of incidents scanned and what the scan found: a window passes the same tuple
        # every second until the incidents change, and 100,000 of them are not scanned each time.
        self._scanned: tuple[Incident, ...] | None = None
        self._scan: tuple[Incident | None, int] = (None, 0)

    def decide(
        self,
        incidents: Iterable[Incident] | UnacknowledgedIncidents,
        health: Sequence[SourceHealth],
        mute: Mute | None,
        now: datetime,
    ) -> Alarm | None:
        """The alarm that sounds now, or None. Returns the same object while nothing about it changed.

        Given `UnacknowledgedIncidents` (what a window keeps from the feed's change sets), it reads
        their loudest: no incident is looked at. Given incidents, it scans them, except the same tuple
        as last time (a tuple cannot change).
        """
        if isinstance(incidents, UnacknowledgedIncidents):
            self._scanned = None
            incident, unacknowledged = incidents.loudest()
        else:
            if incidents is not self._scanned:
                self._scan = loudest_unacknowledged(incidents)
                self._scanned = incidents if isinstance(incidents, tuple) else None
            incident, unacknowledged = self._scan
        stale = self._stale_sources(health, now)
        muted = mute is not None and mute.active(now)
        kind = alarm_kind(incident) if incident is not None else None
        if stale and (kind is None or AlarmKind.SOURCE_STALE.rank < kind.rank):
            if muted:
                return self._remember(None)
            for name in stale:
                if self._episodes[name] is None:
                    self._episodes[name] = now  # heard from now on
            return self._remember_stale(stale, unacknowledged)
        if kind is None or muted:
            return self._remember(None)
        assert incident is not None
        last = self._last
        if (
            last is not None
            and last.kind is kind
            and last.incident_id == incident.id
            and last.title == incident.title
            and last.unacknowledged == unacknowledged
        ):
            return last
        return self._remember(Alarm(kind, incident.id, incident.title, (), unacknowledged))

    def _stale_sources(self, health: Sequence[SourceHealth], now: datetime) -> tuple[str, ...]:
        """Update the episodes; the sources whose stale alarm is pending or still sounding, by name."""
        episodes = self._episodes
        for h in health:
            if h.is_stale(now):
                episodes.setdefault(h.name, None)
            elif episodes:
                episodes.pop(h.name, None)  # recovered: its next stale episode sounds again
        if not episodes:
            return ()  # the usual second: nothing stale, nothing allocated
        configured = {h.name for h in health}
        for name in [n for n in episodes if n not in configured]:
            del episodes[name]  # the source left the config
        until = self._stale_sound_for
        return tuple(sorted(n for n, heard in episodes.items() if heard is None or now < heard + until))

    def _remember_stale(self, names: tuple[str, ...], unacknowledged: int) -> Alarm:
        last = self._last
        if (
            last is not None
            and last.kind is AlarmKind.SOURCE_STALE
            and last.sources == names
            and last.unacknowledged == unacknowledged
        ):
            return last
        alarm = Alarm(AlarmKind.SOURCE_STALE, sources=names, unacknowledged=unacknowledged)
        self._last = alarm
        return alarm

    def _remember(self, alarm: Alarm | None) -> Alarm | None:
        self._last = alarm
        return alarm
