"""Incidents that opened and cleared while nobody acknowledged them: they wait here for a review.

An alarm nobody answered is a gap even when it fixed itself; the list keeps it in view until someone
acknowledges it (the acknowledgement of a resolved incident is its review).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from noc_console.domain.i18n import plural, translate
from noc_console.domain.incidents import Incident
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, plain_tooltip, set_text

AnyIndex = QModelIndex | QPersistentModelIndex
IncidentRole = Qt.ItemDataRole.UserRole + 1


def review_line(incident: Incident) -> str:
    """'#12  MAJOR  dns  DNS timeouts — cleared 14:35, never acknowledged' (local time)."""
    if incident.resolved_at is not None:
        text = translate(
            "ui.review_list", "#{id}  {severity}  {service}  {title} — cleared {time}, never acknowledged"
        )
    else:
        text = translate(
            "ui.review_list", "#{id}  {severity}  {service}  {title} — cleared, never acknowledged"
        )
    return text.format(
        id=incident.id,
        severity=incident.severity.display_label,
        service=incident.service or "—",
        title=incident.title,
        time=formats.clock(incident.resolved_at) if incident.resolved_at is not None else "",
    )


class ReviewModel(QAbstractListModel):
    """The incidents waiting for review, newest first; replaced whole when the list is reloaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incidents: list[Incident] = []
        self._brush = QBrush(theme.WARN_AMBER)

    def set_incidents(self, incidents: Sequence[Incident]) -> None:
        if list(incidents) == self._incidents:
            return
        self.beginResetModel()
        self._incidents = list(incidents)
        self.endResetModel()

    @property
    def incidents(self) -> tuple[Incident, ...]:
        return tuple(self._incidents)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._incidents)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._incidents):
            return None
        incident = self._incidents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return review_line(incident)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brush
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(incident.title)
        if role == IncidentRole:
            return incident
        return None


class ReviewList(QWidget):
    """A heading with the count and the list; the window wires selection and the acknowledge action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label(_none_to_review(), "reviewHeading")
        layout.addWidget(self.heading)
        self.model = ReviewModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        layout.addWidget(self.view, 1)

    def set_incidents(self, incidents: Sequence[Incident], total: int | None = None) -> None:
        """Show `incidents` (the newest); `total` is how many wait in all (default: as many as shown)."""
        self.model.set_incidents(incidents)
        count = len(incidents) if total is None else total
        if not count:
            set_text(self.heading, _none_to_review())
            return
        if count > len(incidents):
            text = plural(
                count,
                translate(
                    "ui.review_list",
                    "Needs review: {n} incident cleared before anyone acknowledged it (the newest {shown} "
                    "shown) — select one and press A",
                ),
                translate(
                    "ui.review_list",
                    "Needs review: {n} incidents cleared before anyone acknowledged them (the newest {shown} "
                    "shown) — select one and press A",
                ),
            )
        else:
            text = plural(
                count,
                translate(
                    "ui.review_list",
                    "Needs review: {n} incident cleared before anyone acknowledged it — "
                    "select one and press A",
                ),
                translate(
                    "ui.review_list",
                    "Needs review: {n} incidents cleared before anyone acknowledged them — "
                    "select one and press A",
                ),
            )
        set_text(self.heading, text.format(n=formats.number(count), shown=formats.number(len(incidents))))

    def selected(self) -> Incident | None:
        index = self.view.currentIndex()
        incident = index.data(IncidentRole) if index.isValid() else None
        return incident if isinstance(incident, Incident) else None


def _none_to_review() -> str:
    return translate("ui.review_list", "Needs review: none")
