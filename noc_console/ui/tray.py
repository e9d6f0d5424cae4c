"""The console in the system tray: the open count by severity, and a notification for each new critical
or customer-detected incident (domain/notify.py decides which)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

from noc_console.domain.figures import BoardFigures
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import DetectionSource, Incident
from noc_console.domain.notify import NewIncidents
from noc_console.domain.severity import Severity
from noc_console.ui import formats, theme

# How many open incidents of a severity, as the tray's tooltip says it (translated where shown).
_COUNTS = {
    Severity.CRITICAL: QT_TRANSLATE_NOOP("ui.tray", "{n} critical"),
    Severity.MAJOR: QT_TRANSLATE_NOOP("ui.tray", "{n} major"),
    Severity.MINOR: QT_TRANSLATE_NOOP("ui.tray", "{n} minor"),
    Severity.WARNING: QT_TRANSLATE_NOOP("ui.tray", "{n} warning"),
    Severity.INFO: QT_TRANSLATE_NOOP("ui.tray", "{n} info"),
}


def tray_summary(figures: BoardFigures) -> str:
    """'NOC Console: 2 critical · 3 major · 1 unacknowledged' (or 'no open incidents')."""
    if not figures.total:
        return translate("ui.tray", "NOC Console: no open incidents")
    parts = [
        translate("ui.tray", _COUNTS[s]).format(n=formats.number(figures.by_severity[s]))
        for s in Severity
        if figures.by_severity[s]
    ]
    return translate("ui.tray", "NOC Console: {counts} · {n} unacknowledged").format(
        counts=" · ".join(parts), n=formats.number(figures.unacknowledged)
    )


def count_icon(count: int, loudest: Severity | None, size: int = 64) -> QIcon:
    """A round badge with the open count, in the loudest open severity's colour (grey when none)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = theme.SEVERITY_COLOURS[loudest] if loudest is not None else QColor("#546e7a")
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, size - 4, size - 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.55 if count < 100 else 0.4)))
    painter.setFont(font)
    painter.setPen(theme.SEVERITY_TEXT[loudest] if loudest is not None else QColor("white"))
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, str(min(count, 999)))
    painter.end()
    return QIcon(pixmap)


class ConsoleTray(QObject):
    """Owns the tray icon where a tray exists; does nothing (and says so) where none does.

    Signals:
        activated(): the operator clicked the icon: raise the window.
    """

    activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon: QSystemTrayIcon | None = None
        self._new = NewIncidents()
        self._shown: tuple[int, Severity | None] | None = None
        self.notified: list[int] = []  # ids notified, newest last (kept short)
        if self.available:
            self.icon = QSystemTrayIcon(count_icon(0, None), self)
            self.icon.activated.connect(lambda _reason: self.activated.emit())
            self.icon.show()

    def prime(self, incidents: Iterable[Incident]) -> None:
        self._new.prime(incidents)

    def notice(self, changed: Iterable[Incident], removed_ids: Iterable[int] = ()) -> None:
        """A change set: notify what is new and deserves it (only the change set is looked at)."""
        self._new.forget(removed_ids)
        for incident in self._new.notify(changed):
            self._notify(incident)

    def show_counts(self, figures: BoardFigures) -> None:
        """The badge and tooltip for the open incidents now."""
        loudest = figures.loudest
        if self.icon is not None and self._shown != (figures.total, loudest):
            self._shown = (figures.total, loudest)
            self.icon.setIcon(count_icon(figures.total, loudest))
        if self.icon is not None:
            summary = tray_summary(figures)
            if self.icon.toolTip() != summary:
                self.icon.setToolTip(summary)

    def _notify(self, incident: Incident) -> None:
        self.notified = [*self.notified[-49:], incident.id]
        if self.icon is None:
            return
        if incident.detected_by is DetectionSource.CUSTOMER:
            heading = translate("ui.tray", "REPORTED BY A CUSTOMER: #{id}")
        else:
            heading = translate("ui.tray", "NEW CRITICAL: #{id}")
        self.icon.showMessage(
            heading.format(id=incident.id),
            f"{incident.title}\n{incident.service or ''}",
            QSystemTrayIcon.MessageIcon.Critical,
            15_000,
        )
