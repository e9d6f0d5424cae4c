"""The incident wall's board: open incidents most urgent first, and the figures of its header strip.

Qt-free. The order is `sla.urgency_key`: breached clocks first, then severity, then the next deadline.
Those are absolute times, so the order changes only when a clock changes state (amber, breached), never
merely because a second passed: each incident has one entry in a heap of its next state change, and a
tick re-sorts only the incidents whose instant has come. A clock that jumps (a machine that slept, a DST
change shown in local time) changes nothing here: every time is UTC, and a jump forward only makes more
instants come due at once.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

from noc_console.domain.alarms import UnacknowledgedIncidents
from noc_console.domain.board import BULK_ABOVE, SEVERITY_RANK, IncidentBoard, bulk
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import translate
from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy, UrgencyKey, running_clocks

_NEVER = math.inf
# A heap holding more than this many entries per scheduled incident (updates leave stale ones behind
# until their time comes) is rebuilt from the live ones: memory stays bounded for a wall that runs weeks.
_HEAP_SLACK = 2
_HEAP_MIN = 256


class WallBoard:
    """Open and acknowledged incidents in `urgency_key` order, at the time of the last `tick`.

    Feed it with `replace_all` (a snapshot) and `apply` (a change set), move time with `tick(now)`.
    `now` is the database's clock; it may jump forward (a machine that slept) or back (a clock put
    right), and the order is the same as a fresh sort by `urgency_key` at that `now` either way.
    """

    def __init__(self, policy: SlaPolicy, now: datetime) -> None:
        self._policy = policy
        self._now_ts = now.timestamp()
        self._board = IncidentBoard(key=self._urgency)
        self._by_id: dict[int, Incident] = {}  # what is on the board, by id: no binary search to find one
        self._next_change: dict[int, float] = {}  # written by _urgency, read at once by _schedule
        self._due: list[tuple[float, int]] = []  # heap: (next state change, incident id)
        self._scheduled: dict[int, float] = {}  # id -> the instant of its live heap entry
        self._counts = dict.fromkeys(Severity, 0)
        self._open: dict[int, float] = {}  # open (unacknowledged) incidents: id -> detected at
        self._unacked: list[tuple[float, int]] = []  # heap of (detected at, id); live if in _open
        self.rekeyed = 0  # incidents the last tick looked at again (tests check ticks do no more)
        self._alarm_index = UnacknowledgedIncidents()

    # --- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._board)

    def __contains__(self, incident_id: object) -> bool:
        return incident_id in self._by_id

    def top(self, count: int) -> list[Incident]:
        """The `count` most urgent incidents, most urgent first."""
        return self._board.head(count)

    def hidden(self, slots: int) -> int:
        """How many incidents do not fit on a wall with room for `slots` of them."""
        return max(0, len(self._board) - max(slots, 0))

    def get(self, incident_id: int) -> Incident | None:
        return self._by_id.get(incident_id)

    def incidents(self) -> list[Incident]:
        """Every incident on the wall, most urgent first."""
        return self._board.head(len(self._board))

    def unacknowledged_incidents(self) -> UnacknowledgedIncidents:
        """The open (unacknowledged) incidents by alarm kind, the only ones that sound: kept up to date
        by each change set, so the alarm rules read the loudest without scanning them."""
        return self._alarm_index

    @property
    def counts(self) -> dict[Severity, int]:
        """Open and acknowledged incidents per severity, loudest first."""
        return dict(self._counts)

    @property
    def unacknowledged(self) -> int:
        return len(self._open)

    def oldest_unacknowledged(self) -> Incident | None:
        """The open (unacknowledged) incident detected longest ago."""
        heap, live = self._unacked, self._open
        while heap:
            detected_ts, incident_id = heap[0]
            if live.get(incident_id) == detected_ts:
                return self._by_id.get(incident_id)
            heapq.heappop(heap)  # it was acknowledged, resolved or changed since
        return None

    # --- changing --------------------------------------------------------------------------------
    def replace_all(self, incidents: Iterable[Incident]) -> None:
        """A full snapshot: what is not in it leaves the wall."""
        latest = {i.id: i for i in incidents}
        # Without cyclic garbage collection: each collection in the middle of a snapshot would walk the
        # hundreds of thousands of keys, entries and heaps made so far.
        with bulk() if len(latest) > BULK_ABOVE else nullcontext():
            self._next_change.clear()
            self._board.replace_all(latest.values())
            self._alarm_index.replace_all(latest.values())
            self._by_id = {i.id: i for i in latest.values() if i.is_open}
            self._scheduled.clear()
            self._due.clear()
            self._counts = dict.fromkeys(Severity, 0)
            self._open.clear()
            for incident in self._by_id.values():
                self._count(incident, 1)
            self._unacked = [(detected_ts, incident_id) for incident_id, detected_ts in self._open.items()]
            heapq.heapify(self._unacked)
            self._schedule(latest)

    def apply(self, incidents: Iterable[Incident], removed_ids: Iterable[int] = ()) -> None:
        """A change set: changed incidents (resolved ones leave) and ids that are gone."""
        latest = {i.id: i for i in incidents}
        removed = list(removed_ids)
        touched = set(latest).union(removed)
        was_open: dict[int, float] = {}
        by_id = self._by_id
        for incident_id in touched:
            before = by_id.pop(incident_id, None)
            if before is not None:
                self._count(before, -1)
                if incident_id in self._open:
                    was_open[incident_id] = self._open.pop(incident_id)
        self._board.apply(latest.values(), removed)
        self._alarm_index.apply(latest.values(), removed)
        for incident_id in touched:
            after = latest.get(incident_id)
            if after is not None and after.is_open:
                by_id[incident_id] = after
                self._count(after, 1)
                detected_ts = self._open.get(incident_id)
                if detected_ts is not None and was_open.get(incident_id) != detected_ts:
                    heapq.heappush(self._unacked, (detected_ts, incident_id))  # newly open, or moved
        self._schedule(touched)

    def tick(self, now: datetime) -> bool:
        """Move to `now`; re-sort the incidents whose clocks changed state since. True if any moved."""
        now_ts = now.timestamp()
        if now_ts < self._now_ts:
            # The clock went back: a clock breached "in the future" is not breached yet. Rare: sort again.
            self._now_ts = now_ts
            self.rekeyed = len(self._board)
            before = self.top(len(self._board))
            self.replace_all(before)
            return self.top(len(self._board)) != before
        self._now_ts = now_ts
        due: list[int] = []
        heap = self._due
        while heap and heap[0][0] <= now_ts:
            instant, incident_id = heapq.heappop(heap)
            if self._scheduled.get(incident_id) == instant:
                del self._scheduled[incident_id]
                due.append(incident_id)
        self.rekeyed = len(due)
        if not due:
            return False
        found = [i for i in (self._by_id.get(incident_id) for incident_id in due) if i is not None]
        moved = bool(self._board.apply(found))  # the same incidents, keyed at the new `now`
        self._schedule(due)
        return moved

    # --- internals -------------------------------------------------------------------------------
    def _urgency(self, incident: Incident) -> UrgencyKey:
        """`sla.urgency_key` at the board's `now`, from one `running_clocks` call (a snapshot of 100,000
        makes 100,000 of them), noting when the incident's clocks next change state."""
        now = self._now_ts
        clocks = running_clocks(incident, self._policy)
        rank = SEVERITY_RANK[incident.severity]
        if not clocks:
            self._next_change[incident.id] = _NEVER
            return (1, rank, _NEVER, incident.id)
        first_due = clocks[0].due_at.timestamp()
        upcoming = _NEVER
        for clock in clocks:
            due = clock.due_at.timestamp()
            if due > now:
                amber = due - (due - clock.started_at.timestamp()) / 3
                upcoming = min(upcoming, amber if amber > now else due)
        self._next_change[incident.id] = upcoming
        return (0 if first_due <= now else 1, rank, first_due, incident.id)

    def _schedule(self, incident_ids: Iterable[int]) -> None:
        """Give each incident one live heap entry at its next state change (none once all breached)."""
        upcoming = self._next_change
        for incident_id in incident_ids:
            instant = upcoming.pop(incident_id, _NEVER) if incident_id in self._by_id else _NEVER
            if instant == _NEVER:
                self._scheduled.pop(incident_id, None)
            elif self._scheduled.get(incident_id) != instant:
                self._scheduled[incident_id] = instant
                heapq.heappush(self._due, (instant, incident_id))
        upcoming.clear()
        if len(self._due) > _HEAP_SLACK * len(self._scheduled) + _HEAP_MIN:
            self._due = [(instant, incident_id) for incident_id, instant in self._scheduled.items()]
            heapq.heapify(self._due)
        if len(self._unacked) > _HEAP_SLACK * len(self._open) + _HEAP_MIN:
            self._unacked = [(detected_ts, incident_id) for incident_id, detected_ts in self._open.items()]
            heapq.heapify(self._unacked)

    def _count(self, incident: Incident, step: int) -> None:
        """Counts by severity; `_open` holds the open ones (the caller keeps their heap)."""
        self._counts[incident.severity] += step
        if step > 0 and incident.status is IncidentStatus.OPEN:
            self._open[incident.id] = incident.detected_at.timestamp()


# --- what the wall says, in words ----------------------------------------------------------------
def wall_countdown(left: timedelta) -> str:
    """'4:05' left, '+1:20' overdue; past an hour '1h05' / '+2h05', past a day '+3d04h': short enough
    for big digits in a fixed box."""
    seconds = int(left.total_seconds())
    sign = "+" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 3600:
        minutes, secs = divmod(seconds, 60)
        return f"{sign}{minutes}:{secs:02d}"
    hours, rest = divmod(seconds, 3600)
    if hours < 24:
        return f"{sign}{hours}h{rest // 60:02d}"
    days, hours = divmod(hours, 24)
    return f"{sign}{days}d{hours:02d}h"


def wall_age(age: timedelta) -> str:
    """'40 s', '14 min', '2 h 05 min', '3 d 4 h': as precise as someone across the room needs."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def blind_sources(health: Sequence[SourceHealth], now: datetime, max_error: int = 70) -> list[str]:
    """'BLIND: prod-am, no data for 3 min: 401 Unauthorized', one line per stale or failed source."""
    lines = []
    for source in health:
        if not source.is_stale(now):
            continue
        error = (source.last_error or "").strip().splitlines()
        reason = error[0] if error else ""
        if len(reason) > max_error:
            reason = reason[: max_error - 1] + "…"
        if source.last_success_at is None:
            line = (
                translate("domain.wall", "BLIND: {source}, no data yet: {reason}")
                if reason
                else translate("domain.wall", "BLIND: {source}, no data yet")
            )
            lines.append(line.format(source=source.name, reason=reason))
            continue
        line = (
            translate("domain.wall", "BLIND: {source}, no data for {age}: {reason}")
            if reason
            else translate("domain.wall", "BLIND: {source}, no data for {age}")
        )
        lines.append(
            line.format(source=source.name, age=wall_age(now - source.last_success_at), reason=reason)
        )
    return lines


def warning_summary(warning: str, max_len: int = 70) -> str:
    """The first clause of a source's warning, for a screen read from afar: '1 of 2 members not
    answering' of '1 of 2 members not answering: http://am-b:9093: connection refused'."""
    first = (warning.strip().splitlines() or [""])[0].split(": ", 1)[0].strip()
    return first if len(first) <= max_len else first[: max_len - 1] + "…"


def degraded_sources(health: Sequence[SourceHealth], now: datetime, max_warning: int = 70) -> list[str]:
    """'DEGRADED: am-pair, 1 of 2 members not answering', one line per source that answers but not
    fully (not stale: a stale source is BLIND, see `blind_sources`)."""
    line = translate("domain.wall", "DEGRADED: {source}, {warning}")
    return [
        line.format(source=source.name, warning=warning_summary(source.warning or "", max_warning))
        for source in health
        if source.degraded(now)
    ]


def detection_share_text(internal: int, total: int) -> str:
    """'Detected by us today: 92 % (23 of 25)'."""
    if total <= 0:
        return translate("domain.wall", "Detected by us today: no incidents yet")
    return translate("domain.wall", "Detected by us today: {percent} % ({internal} of {total})").format(
        percent=round(100 * internal / total), internal=internal, total=total
    )


def postmortem_note(
    count: int, first_id: int | None, first_resolved_at: datetime | None, policy: SlaPolicy, now: datetime
) -> tuple[str, bool]:
    """The wall footer's post-mortem clock: '' when none is owed; loud (red) once the first is overdue.

    'Post-mortems owed: 3 · #12 due in 5 h 20 min' or 'Post-mortem #12 OVERDUE by 2 h 5 min · 3 owed'.
    """
    if count <= 0 or first_id is None or first_resolved_at is None:
        return "", False
    due = first_resolved_at + policy.postmortem
    left = due - now
    if left <= timedelta(0):
        text = translate("domain.wall", "Post-mortem #{id} OVERDUE by {late} · {count} owed")
        return text.format(id=first_id, late=_span(-left), count=count), True
    text = translate("domain.wall", "Post-mortems owed: {count} · #{id} due in {left}")
    return text.format(count=count, id=first_id, left=_span(left)), False


def _span(span: timedelta) -> str:
    """'2 d 3 h', '5 h 20 min', '12 min' (a footer's precision)."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def local_midnight(now: datetime) -> datetime:
    """The start of `now`'s day in the machine's time zone, in UTC (right on a DST change day too)."""
    local = time.localtime(now.timestamp())
    start = time.mktime((local.tm_year, local.tm_mon, local.tm_mday, 0, 0, 0, 0, 0, -1))
    return datetime.fromtimestamp(start, UTC)
