"""The range the lead's charts show, and how often they may be recomputed: plain values, no clock of
their own (the caller passes the database's time and a monotonic one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from noc_console.domain.i18n import plural, translate

PRESET_DAYS = (7, 30, 90)
WALL_DAYS = 30  # what the wall shows when it rotates to the charts
ROTATE_MIN_S = 10.0  # `wall --rotate`: any shorter, and a page goes before it can be read
ROTATE_MAX_S = 86400.0  # a day
REFRESH_EVERY_S = 60.0  # incidents changing recompute the charts at most this often


class RangeError(ValueError):
    """A range that is not one; the message starts with the field it is about."""


@dataclass(frozen=True, slots=True)
class ChartRange:
    """The last `days` days up to now, or the whole UTC days from `first_day` to `last_day` (inclusive).

    Build it with `last` or `between`, which refuse what is not a range.
    """

    days: int | None = None
    first_day: date | None = None
    last_day: date | None = None

    @classmethod
    def last(cls, days: int) -> ChartRange:
        if days <= 0:
            raise RangeError(f"days: must be 1 or more, not {days}")
        return cls(days=days)

    @classmethod
    def between(cls, first_day: date, last_day: date) -> ChartRange:
        """From the first UTC day's midnight to the end of the last (so one day is a range too)."""
        if last_day < first_day:
            # The days as the range picker's fields show them (yyyy-MM-dd).
            raise RangeError(
                translate("domain.chart_range", "To: {last} is before From ({first})").format(
                    last=last_day.isoformat(), first=first_day.isoformat()
                )
            )
        return cls(first_day=first_day, last_day=last_day)

    def resolve(self, now: datetime) -> tuple[datetime, datetime]:
        """[since, until) in UTC; `now` is the database's time."""
        if self.first_day is not None and self.last_day is not None:
            since = datetime.combine(self.first_day, time(), tzinfo=UTC)
            until = datetime.combine(self.last_day + timedelta(days=1), time(), tzinfo=UTC)
            return since, until
        days = self.days if self.days is not None else WALL_DAYS
        return now - timedelta(days=days), now

    def describe(self) -> str:
        """'last 30 days' or '2026-11-01 to 2026-11-30 (UTC)': the days as the range picker's fields
        write them."""
        if self.first_day is not None and self.last_day is not None:
            return translate("domain.chart_range", "{first} to {last} (UTC)").format(
                first=self.first_day.isoformat(), last=self.last_day.isoformat()
            )
        days = self.days if self.days is not None else WALL_DAYS
        return plural(
            days,
            translate("domain.chart_range", "last {n} day"),
            translate("domain.chart_range", "last {n} days"),
        ).format(n=days)


class RefreshThrottle:
    """At most one recomputation every `every_s` seconds of a monotonic clock: a change that comes
    sooner waits for the rest of that time, and further changes meanwhile ride along with it."""

    def __init__(self, every_s: float = REFRESH_EVERY_S) -> None:
        self.every_s = every_s
        self._last: float | None = None
        self._due: float | None = None

    @property
    def pending(self) -> bool:
        return self._due is not None

    def changed(self, now: float) -> float | None:
        """Seconds to wait before recomputing for this change; None when one is already due."""
        if self._due is not None:
            return None
        wait = 0.0 if self._last is None else max(self._last + self.every_s - now, 0.0)
        self._due = now + wait
        return wait

    def refreshed(self, now: float) -> None:
        """A recomputation started (for a change, a new range or the first time)."""
        self._last = now
        self._due = None
