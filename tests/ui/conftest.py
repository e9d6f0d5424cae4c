"""Fixtures for the window's tests: a themed application, a store, a window on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_incident(id: int, severity: Severity = Severity.MAJOR, minutes: float = 0, **kw: Any) -> Incident:
    at = T0 + timedelta(minutes=minutes)
    fields: dict[str, Any] = dict(
        id=id,
        title=f"Packet loss on edge {id}",
        severity=severity,
        status=IncidentStatus.OPEN,
        service="checkout" if id % 2 else "dns",
        detected_by=DetectionSource.MONITORING,
        source="prod-am",
        opened_at=at,
        detected_at=at,
        alert_count=3,
        firing_count=2,
    )
    fields.update(kw)
    return Incident(**fields)


def moved(incident: Incident, **changes: Any) -> Incident:
    return replace(incident, **changes)


class Clock:
    """A clock that moves only when the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="session", autouse=True)
def refcount_cushion(qapp: Any) -> None:
    """This process makes the window's binding calls too: give None, True and False the console's
    cushion (see noc_console/ui/refcount_guard.py). Tests that count references count differences."""
    from noc_console.ui.refcount_guard import RefcountGuard

    RefcountGuard()


@pytest.fixture
def themed(qapp: Any) -> Iterator[Any]:
    """The wall theme (Fusion, dark palette, stylesheet) for one test, then the previous look again."""
    from noc_console.ui.theme import apply_theme

    style = qapp.style().name()
    palette = qapp.palette()
    sheet = qapp.styleSheet()
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test keeps its window's settings (filters, layout, mute) in a folder of its own: QSettings
    reads its user path once per process, so the per-test config dir alone would not separate them."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture
def spanish(qapp: Any) -> Iterator[Any]:
    """The console in Latin American Spanish for one test (its translation and Qt's), then English."""
    from PySide6.QtCore import QLocale

    from noc_console.ui.language import choose_language, install_language, uninstall_language

    language = choose_language("es", QLocale("en_US"))
    installed = install_language(qapp, language)
    try:
        yield language
    finally:
        uninstall_language(qapp, installed)
