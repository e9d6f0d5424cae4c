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

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from noc_console.domain.health import SourceHealth
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
        """What a banner calls it."""
        return _LABELS[self]

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
    AlarmKind.CUSTOMER: "CUSTOMER-DETECTED",
    AlarmKind.CRITICAL: "CRITICAL",
    AlarmKind.MAJOR: "MAJOR",
    AlarmKind.SOURCE_STALE: "SOURCE STALE",
    AlarmKind.MINOR: "MINOR",
    AlarmKind.WARNING: "WARNING",
    AlarmKind.INFO: "INFO",
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
        """'CRITICAL #12 Checkout 5xx — 3 unacknowledged', or 'SOURCE STALE: prod-am'."""
        if self.kind is AlarmKind.SOURCE_STALE:
            text = f"{self.kind.label}: {', '.join(self.sources)}"
            if self.unacknowledged:
                text += f" — {self.unacknowledged} unacknowledged"
            return text
        title = _one_line(self.title)
        return f"{self.kind.label} #{self.incident_id} {title} — {self.unacknowledged} unacknowledged"


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
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not math.isfinite(minutes):
            raise ValueError(f"mute.minutes: must be a number of minutes, got {minutes!r}")
        if not low <= minutes <= high:
            raise ValueError(f"mute.minutes: must be between {low:g} and {high:g}, got {minutes:g}")
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
        incidents: Iterable[Incident],
        health: Sequence[SourceHealth],
        mute: Mute | None,
        now: datetime,
    ) -> Alarm | None:
        """The alarm that sounds now, or None. Returns the same object while nothing about it changed.

        Passing the same tuple of incidents as last time skips scanning them (a tuple cannot change).
        """
        if incidents is not self._scanned:
            self._scan = loudest_unacknowledged(incidents)
            self._scanned = incidents if isinstance(incidents, tuple) else None
        incident, unacknowledged = self._scan
        stale = self._stale_sources(health, now)
        muted = mute is not None and mute.active(now)
        kind: AlarmKind | None = None
        if incident is not None:
            customer = incident.detected_by is DetectionSource.CUSTOMER
            kind = AlarmKind.CUSTOMER if customer else AlarmKind.of_severity(incident.severity)
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
