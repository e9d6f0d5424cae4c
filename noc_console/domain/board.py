"""The ordered list of incidents a screen shows, and the row events that keep a view in step with it.

Qt-free: a table model replays the events (`Inserted`, `Removed`, `Changed`) as begin/end row calls
and `dataChanged`, so a view never needs a reset. Sized for 100,000 open incidents: finding a row is a
dictionary lookup and a binary search (every key is unique, ending in the incident's id), a snapshot
arrives as one `Inserted` per run of adjacent rows (one in all on an empty board), and ordering the
rows by a column (a click on its header) is one stable sort of that column's values (`ordered_by`).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from typing import Any

from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.domain.severity import Severity

STATUS_ORDER = {IncidentStatus.OPEN: 0, IncidentStatus.ACKNOWLEDGED: 1, IncidentStatus.RESOLVED: 2}
# A dict lookup, not `Severity.rank` (a list search): keys are made 100,000 at a time.
SEVERITY_RANK = {severity: severity.rank for severity in Severity}

SortKey = tuple[int, int, datetime, int]
# Any key a board can order by: a tuple whose last item is the incident's id (so keys are unique).
OrderKey = Callable[[Incident], tuple[Any, ...]]

# Up to this many arrivals (or departures) are placed one by one, a binary search and a list shift each;
# more, when they are over a sixteenth of the board, are merged in one pass over the whole board.
_ONE_BY_ONE = 32
BULK_ABOVE = 1000  # incidents in one change: a snapshot, made without cyclic garbage collection


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while 100,000 keys are made: each collection would walk every
    incident on the board, and making the keys of a re-sort took ten times longer (64 ms, not 7).

    Nor right after: what was made here stays as long as the board, but it is all in the youngest
    generation, and the next collection would walk it (22 ms at 100,000, in the first change set
    after a snapshot; 20 ms more in a sort). Freezing then unfreezing moves every tracked object to
    the oldest generation without looking at any (the documented effect of the pair), where only a
    full collection visits them, as it visits everything anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def board_key(incident: Incident) -> SortKey:
    """Loudest first: severity rank, then open before acknowledged, then oldest first (id breaks ties)."""
    return (
        SEVERITY_RANK[incident.severity],
        STATUS_ORDER[incident.status],
        incident.detected_at,
        incident.id,
    )


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
    """Visible incidents (open and acknowledged) in a stable order: loudest first unless told otherwise.

    The keys are kept in one list in ascending order (every key ends with its incident's id); a
    descending order shows them back to front, so every key stays a plain tuple whatever the column.
    The incidents are found by id: a change set of 100 moves at 100,000 shifts one list, not two.
    """

    def __init__(self, incidents: Iterable[Incident] = (), key: OrderKey = board_key) -> None:
        self._key: OrderKey = key
        self._descending = False
        self._keys: list[Any] = []
        self._key_of: dict[int, Any] = {}  # incident id -> its key: with bisect, the row of an id
        self._incident_of: dict[int, Incident] = {}
        # The incidents in key order, as a sort found them: until the next change, a whole board's
        # rows (what a view takes after a sort) are a slice, not 100,000 lookups by id.
        self._sorted_rows: list[Incident] | None = None
        self.apply(incidents)

    # --- reading ---------------------------------------------------------------------------------
    @property
    def rows(self) -> tuple[Incident, ...]:
        return tuple(self.head(len(self._keys)))

    @property
    def descending(self) -> bool:
        return self._descending

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, incident_id: object) -> bool:
        return incident_id in self._key_of

    def row_of(self, incident_id: int) -> int | None:
        key = self._key_of.get(incident_id)
        if key is None:
            return None
        return self._shown(bisect.bisect_left(self._keys, key), len(self._keys))

    def head(self, count: int) -> list[Incident]:
        """The first `count` rows as shown (a screenful), without looking at the rest."""
        rows = self._sorted_rows
        stored: list[Any] = self._keys if rows is None else rows
        if count <= 0:
            return []
        part = stored[: -count - 1 : -1] if self._descending else stored[:count]
        return part if rows is not None else list(map(self._incident_of.__getitem__, map(_last, part)))

    def incident_at(self, row: int) -> Incident:
        return self._incident_of[self._keys[self._shown(row, len(self._keys))][-1]]

    def get(self, incident_id: int) -> Incident | None:
        row = self.row_of(incident_id)
        return None if row is None else self.incident_at(row)

    # --- changing --------------------------------------------------------------------------------
    def replace_all(self, incidents: Iterable[Incident]) -> list[BoardEvent]:
        """A full snapshot: incidents not in it leave, the rest are inserted or updated."""
        latest = {i.id: i for i in incidents}
        return self.apply(latest.values(), [i for i in self._key_of if i not in latest])

    def apply(self, incidents: Iterable[Incident], removed_ids: Iterable[int] = ()) -> list[BoardEvent]:
        """Bring the board up to date; returns the events, in order, that a view must replay.

        Each event's row numbers refer to the board as it is after the events before it: first the
        removals (bottom up, one event per run of adjacent rows), then the insertions (top down, one
        event per run), then the changes in place. A resolved incident is removed; an incident whose
        sort key changed moves (removed, then inserted). An id both in `removed_ids` and open in
        `incidents` stays, as `incidents` has it.
        """
        latest = {i.id: i for i in incidents}
        with bulk() if len(latest) > BULK_ABOVE else nullcontext():
            return self._apply(latest, removed_ids)

    def _apply(self, latest: dict[int, Incident], removed_ids: Iterable[int]) -> list[BoardEvent]:
        self._sorted_rows = None
        leaving: set[int] = set()  # rows, as the board is now
        arriving: list[tuple[Any, Incident]] = []
        in_place: list[tuple[Any, Incident]] = []
        for incident_id in removed_ids:
            key = self._key_of.get(incident_id)
            if key is not None and incident_id not in latest:
                leaving.add(bisect.bisect_left(self._keys, key))
        for incident_id, incident in latest.items():
            old = self._key_of.get(incident_id)
            if not incident.is_open:
                if old is not None:
                    leaving.add(bisect.bisect_left(self._keys, old))
                continue
            new = self._key(incident)
            if old is None:
                arriving.append((new, incident))
                continue
            if new != old:
                leaving.add(bisect.bisect_left(self._keys, old))
                arriving.append((new, incident))
            else:
                shown = self._incident_of[incident_id]
                if shown is not incident and shown != incident:
                    in_place.append((new, incident))
        events: list[BoardEvent] = []
        self._remove_rows(leaving, events)
        self._insert(arriving, events)
        for key, incident in in_place:
            self._incident_of[incident.id] = incident
            events.append(Changed(bisect.bisect_left(self._keys, key), incident))
        return self._as_shown(events, len(self._keys)) if self._descending else events

    def set_order(self, key: OrderKey, descending: bool = False) -> None:
        """Order by another key (one sort), or by the same key the other way round (no sort); a view
        treats this as a layout change, not as row events."""
        self._descending = descending
        if key is self._key:
            return
        with bulk():
            # One pass: the incidents lie all over memory, each visit costs.
            incidents = list(self._incident_of.values())
            keys = list(map(key, incidents))
            order = sorted(range(len(keys)), key=keys.__getitem__)
            self._keys = _in_order(keys, order)
            self._sorted_rows = _in_order(incidents, order)
            self._key_of = dict(zip(map(_last, keys), keys, strict=True))
        self._key = key

    def ordered_by(self, value: Callable[[Incident], Any], descending: bool = False) -> IncidentBoard:
        """The same incidents ordered by `value` (a column's: a string, a number), ties in this board's
        order; this board is left as it is.

        One stable sort of the values taken in this board's order, comparing no tuples: a sort of
        100,000 key tuples compares them item by item through generic calls, and ties on the column
        (60 services, 3 detection sources) fall through to datetimes; sorting the values alone is
        three to ten times faster. The new board's keys are `(value, this board's key, id)`, so it
        follows change sets like any other (keep feeding this one too, to order by another column).
        """
        base_key = self._key
        board = IncidentBoard(key=lambda incident: (value(incident), base_key(incident), incident.id))
        keys = self._keys
        with bulk():
            # The keys are made in this board's order, reading its lists front to back, then put in order.
            ids = list(map(_last, keys))
            incidents = self._sorted_rows
            if incidents is None:
                incidents = list(map(self._incident_of.__getitem__, ids))
            values = list(map(value, incidents))
            new_keys = list(zip(values, keys, ids, strict=True))
            order = sorted(range(len(keys)), key=values.__getitem__)
            board._keys = _in_order(new_keys, order)
            board._sorted_rows = _in_order(incidents, order)
            board._key_of = dict(zip(ids, new_keys, strict=True))
            board._incident_of = self._incident_of.copy()
        board._descending = descending
        return board

    @property
    def key(self) -> OrderKey:
        return self._key

    # --- internals -------------------------------------------------------------------------------
    def _remove_rows(self, leaving: set[int], events: list[BoardEvent]) -> None:
        if not leaving:
            return
        rows = sorted(leaving, reverse=True)
        start = end = rows[0]
        for row in rows[1:]:
            if row == start - 1:
                start = row
                continue
            events.append(Removed(start, end - start + 1))
            start = end = row
        events.append(Removed(start, end - start + 1))
        for row in rows:
            incident_id = self._keys[row][-1]
            del self._key_of[incident_id], self._incident_of[incident_id]
        if not self._many(len(rows)):
            for row in rows:  # bottom up: the rows above keep their numbers
                del self._keys[row]
        else:
            self._keys = [k for n, k in enumerate(self._keys) if n not in leaving]

    def _insert(self, arriving: list[tuple[Any, Incident]], events: list[BoardEvent]) -> None:
        if not arriving:
            return
        arriving.sort(key=_first)
        for key, incident in arriving:
            self._key_of[incident.id] = key
            self._incident_of[incident.id] = incident
        rows: list[int] = []
        if not self._many(len(arriving)):
            for key, _incident in arriving:  # top down: each lands below the ones placed before it
                row = bisect.bisect_left(self._keys, key)
                self._keys.insert(row, key)
                rows.append(row)
        else:
            merged = sorted([*zip(self._keys, repeat(False)), *((k, True) for k, _ in arriving)], key=_first)
            self._keys = [entry[0] for entry in merged]
            rows = [n for n, entry in enumerate(merged) if entry[1]]
        if rows[-1] - rows[0] == len(rows) - 1:  # one run: a snapshot on an empty board
            events.append(Inserted(rows[0], tuple(i for _, i in arriving)))
            return
        start = 0
        for n in range(1, len(rows) + 1):
            if n == len(rows) or rows[n] != rows[n - 1] + 1:
                events.append(Inserted(rows[start], tuple(i for _, i in arriving[start:n])))
                start = n

    def _many(self, count: int) -> bool:
        """Worth one pass over the whole board rather than a binary search and a list shift each."""
        return count > _ONE_BY_ONE and count * 16 > len(self._keys)

    @staticmethod
    def _as_shown(events: list[BoardEvent], length_after: int) -> list[BoardEvent]:
        """Events in stored (ascending) rows turned into the rows a descending view shows."""
        length = length_after
        for event in events:  # the length before the events
            if isinstance(event, Inserted):
                length -= event.count
            elif isinstance(event, Removed):
                length += event.count
        shown: list[BoardEvent] = []
        for event in events:
            if isinstance(event, Removed):
                shown.append(Removed(length - event.row - event.count, event.count))
                length -= event.count
            elif isinstance(event, Inserted):
                length += event.count
                shown.append(Inserted(length - event.row - event.count, event.incidents[::-1]))
            else:
                shown.append(Changed(length - 1 - event.row, event.incident))
        return shown

    def _shown(self, row: int, length: int) -> int:
        """A stored row as shown, or a shown row as stored (the same mapping both ways)."""
        return length - 1 - row if self._descending else row


def _first(entry: tuple[Any, ...]) -> Any:
    return entry[0]


_last = itemgetter(-1)  # an OrderKey's last item: the incident's id


def _in_order(items: list[Any], order: list[int]) -> list[Any]:
    """`[items[n] for n in order]` in one C call (itemgetter: half the time of a map at 100,000)."""
    if len(order) < 2:
        return [items[n] for n in order]  # itemgetter of one index returns the item, not a tuple
    return list(itemgetter(*order)(items))
