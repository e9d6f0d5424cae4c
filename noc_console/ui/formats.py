"""Dates, times and numbers the way the chosen locale writes them (`noc_console.ui.language` sets it).

Times of day are local (the desk's time zone) unless the name says UTC; a locale with a 12-hour clock
gets one ("9:05 p.m."), a 24-hour one gets "21:05". Numbers are grouped and pointed the locale's way
(es_AR 1.234,5; es_MX 1,234.5).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QLocale, QTime


def _locale() -> QLocale:
    return QLocale()  # the default: the chosen language's locale


def number(value: float, decimals: int = 0) -> str:
    """`value` with the locale's grouping and decimal point (`decimals` places for a float)."""
    if decimals == 0:
        return _locale().toString(round(value))
    return _locale().toString(float(value), "f", decimals)


def percent(value: float | None, decimals: int = 1, missing: str = "n/a") -> str:
    """`value` (already in percent) with the locale's decimal point and percent sign, or `missing`."""
    if value is None:
        return missing
    return f"{number(value, decimals)}\u00a0{_locale().percent()}"


def _time_format(seconds: bool) -> str:
    short = _locale().timeFormat(QLocale.FormatType.ShortFormat)
    if not seconds or "s" in short:
        return short
    return short.replace("mm", "mm:ss", 1)


def _qtime(at: datetime) -> QTime:
    return QTime(at.hour, at.minute, at.second)


def clock(at: datetime, seconds: bool = False) -> str:
    """The local time of day of `at` (an aware datetime), e.g. "21:05" or "9:05 p.m."."""
    return _locale().toString(_qtime(at.astimezone()), _time_format(seconds))


def utc_clock(at: datetime, seconds: bool = False) -> str:
    """The UTC time of day of `at`, e.g. "21:05 UTC"."""
    return f"{_locale().toString(_qtime(at.astimezone(UTC)), _time_format(seconds))} UTC"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day(at: datetime | date, utc: bool = False) -> str:
    """The date in the locale's short form ("28/11/26", "11/28/26"); a datetime's local date (UTC's
    with `utc`)."""
    if isinstance(at, datetime):
        at = (at.astimezone(UTC) if utc else at.astimezone()).date()
    return _locale().toString(_qdate(at), QLocale.FormatType.ShortFormat)


def weekday(at: datetime | date, with_date: bool = True) -> str:
    """The abbreviated weekday, with the day and month by default: "sáb 28 nov", "Sat 28 Nov"."""
    if isinstance(at, datetime):
        at = at.astimezone().date()
    return _locale().toString(_qdate(at), "ddd d MMM" if with_date else "ddd")


def moment(at: datetime, seconds: bool = False, utc: bool = False) -> str:
    """Date and time of day: local by default, UTC (and saying so) with `utc`."""
    if utc:
        return f"{day(at, utc=True)} {utc_clock(at, seconds)}"
    return f"{day(at)} {clock(at, seconds)}"
