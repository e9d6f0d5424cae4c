"""Severity levels and how monitoring systems' labels map onto them."""

from __future__ import annotations

from enum import StrEnum

from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate


class Severity(StrEnum):
    """Five levels, loudest first."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical, 4 for info: sort ascending to put the loudest first."""
        return _ORDER.index(self)

    @property
    def display_label(self) -> str:
        """What a screen calls it ('CRITICAL'), in the window's language; the value stays the data."""
        return translate("domain.severity", _LABELS[self])

    @property
    def word(self) -> str:
        """Its name in a sentence ('critical'), in the window's language."""
        return translate("domain.severity", _WORDS[self])

    @classmethod
    def loudest(cls, severities: list[Severity]) -> Severity:
        return min(severities, key=lambda s: s.rank) if severities else DEFAULT_SEVERITY


_ORDER = list(Severity)
# Standalone labels of table cells, counters and badges (translated where shown: see `display_label`).
_LABELS = {
    Severity.CRITICAL: QT_TRANSLATE_NOOP("domain.severity", "CRITICAL"),
    Severity.MAJOR: QT_TRANSLATE_NOOP("domain.severity", "MAJOR"),
    Severity.MINOR: QT_TRANSLATE_NOOP("domain.severity", "MINOR"),
    Severity.WARNING: QT_TRANSLATE_NOOP("domain.severity", "WARNING"),
    Severity.INFO: QT_TRANSLATE_NOOP("domain.severity", "INFO"),
}
# In a sentence or a list ('severity: critical').
_WORDS = {
    Severity.CRITICAL: QT_TRANSLATE_NOOP("domain.severity", "critical"),
    Severity.MAJOR: QT_TRANSLATE_NOOP("domain.severity", "major"),
    Severity.MINOR: QT_TRANSLATE_NOOP("domain.severity", "minor"),
    Severity.WARNING: QT_TRANSLATE_NOOP("domain.severity", "warning"),
    Severity.INFO: QT_TRANSLATE_NOOP("domain.severity", "info"),
}

# An unknown or missing severity label becomes "warning": never dropped, never silently downgraded to
# "info" (an operator would overlook it), never promoted to "critical" (alarm fatigue).
DEFAULT_SEVERITY = Severity.WARNING

_ALIASES: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "page": Severity.CRITICAL,
    "disaster": Severity.CRITICAL,
    "fatal": Severity.CRITICAL,
    "emergency": Severity.CRITICAL,
    "p1": Severity.CRITICAL,
    "major": Severity.MAJOR,
    "high": Severity.MAJOR,
    "error": Severity.MAJOR,
    "p2": Severity.MAJOR,
    "minor": Severity.MINOR,
    "average": Severity.MINOR,
    "medium": Severity.MINOR,
    "p3": Severity.MINOR,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "low": Severity.WARNING,
    "p4": Severity.WARNING,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "notice": Severity.INFO,
    "none": Severity.INFO,
    "ok": Severity.INFO,
    "p5": Severity.INFO,
}


def severity_from_label(value: str | None, default: Severity = DEFAULT_SEVERITY) -> Severity:
    """Map a monitoring system's severity label (case-insensitive) to a Severity; unknown -> default."""
    if value is None:
        return default
    return _ALIASES.get(value.strip().lower(), default)
