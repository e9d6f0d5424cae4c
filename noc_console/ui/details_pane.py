"""The selected incident in full: what it is, its running SLA clocks, its timeline, and the actions.

The pane shows; the window owns the actions (their shortcuts work anywhere in the window) and hands
them in, so a button here and a key press do the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QListView, QToolButton, QVBoxLayout, QWidget

from noc_console.domain.calls import Call, display_phone
from noc_console.domain.incidents import DetectionSource, Incident, TimelineEntry
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockState, SlaPolicy, format_countdown, running_clocks
from noc_console.ui import theme
from noc_console.ui.plain import plain_label, set_style, set_text

AnyIndex = QModelIndex | QPersistentModelIndex


def _kind_colours() -> dict[str, QColor]:
    """Timeline kinds an operator should notice at a glance, in the theme's colours now."""
    return {
        "sla_breach": theme.ALARM_RED,
        "needs_review": theme.WARN_AMBER,
        "alert_fired": theme.SEVERITY_COLOURS[Severity.MAJOR],
        "alert_cleared": theme.CLEARING_GREEN,
        "customer_update": theme.ACCENT,
        "page_failed": theme.ALARM_RED,  # a page that did not go out, or was not delivered: someone must look
        "page_retry": theme.WARN_AMBER,
        "page_sent": theme.CLEARING_GREEN,
        "escalation": QColor("#ce93d8") if theme.scheme.name == "dark" else QColor("#6a1b9a"),
    }


def _clock_colours() -> dict[ClockState, QColor]:
    return {
        ClockState.OK: theme.TEXT,
        ClockState.WARNING: theme.WARN_AMBER,
        ClockState.BREACHED: theme.ALARM_RED,
    }


def timeline_line(entry: TimelineEntry) -> str:
    """'14:05:12  ack · alice · Acknowledged by alice', in local time."""
    return f"{entry.at.astimezone():%H:%M:%S}  {entry.kind.replace('_', ' ')} · {entry.by} · {entry.text}"


class TimelineModel(QAbstractListModel):
    """One incident's timeline, oldest first; replaced whole when it is (re)loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self.restyle()

    def restyle(self) -> None:
        """Take the theme's colours now (after a switch of theme)."""
        self._brushes = {kind: QBrush(colour) for kind, colour in _kind_colours().items()}
        self._default = QBrush(theme.TEXT)
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1), [])

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        if list(entries) == self._entries:
            return
        self.beginResetModel()  # a different incident or a reload: one reset, not on a timer
        self._entries = list(entries)
        self.endResetModel()

    @property
    def entries(self) -> tuple[TimelineEntry, ...]:
        return tuple(self._entries)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return timeline_line(entry)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brushes.get(entry.kind, self._default)
        return None


class DetailsPane(QWidget):
    """Shows one incident (or a hint to select one) with its clocks, timeline and action buttons."""

    def __init__(self, sla: SlaPolicy, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self._sla = sla
        self.incident: Incident | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.title = plain_label("Select an incident to see its timeline and act on it", "detailsTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.meta = plain_label(object_name="detailsMeta")
        self.meta.setWordWrap(True)
        layout.addWidget(self.meta)
        self.clocks = plain_label(object_name="detailsClocks")
        self.clocks.setWordWrap(True)
        layout.addWidget(self.clocks)
        self.assessment = plain_label(object_name="detailsMeta")
        self.assessment.setWordWrap(True)
        layout.addWidget(self.assessment)
        # Who called about it, and who was told what and when (personal data: shown, never logged).
        self.callers = plain_label(object_name="detailsCallers")
        self.callers.setWordWrap(True)
        self.callers.hide()
        layout.addWidget(self.callers)
        buttons = QHBoxLayout()
        self.buttons: list[QToolButton] = []
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)  # text, tooltip with its shortcut, enabled state: the action's
            button.setObjectName("actionButton")
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.timeline = TimelineModel(self)
        self.timeline_view = QListView()
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.setWordWrap(True)
        self.timeline_view.setUniformItemSizes(False)
        self.timeline_view.setObjectName("timeline")
        layout.addWidget(self.timeline_view, 1)

    def show_incident(self, incident: Incident | None, now: datetime) -> None:
        """Show `incident` (None: nothing selected); clocks are judged at `now` (the database's clock)."""
        changed = incident is None or self.incident is None or incident.id != self.incident.id
        self.incident = incident
        if incident is None:
            set_text(self.title, "Select an incident to see its timeline and act on it")
            for label in (self.meta, self.clocks, self.assessment, self.callers):
                set_text(label, "")
            self.callers.hide()
            self.timeline.set_entries([])
            return
        if changed:
            self.timeline.set_entries([])  # the old incident's history never shows under the new title
            set_text(self.callers, "")
            self.callers.hide()
        set_text(self.title, f"#{incident.id} {incident.title}")
        who = f" · owner {incident.owner}" if incident.owner else " · nobody has it yet"
        customer = " · REPORTED BY A CUSTOMER" if incident.detected_by is DetectionSource.CUSTOMER else ""
        review = " · NEEDS REVIEW (cleared before anyone acknowledged it)" if incident.needs_review else ""
        status = incident.status.value.upper()
        detected = f"detected {incident.detected_at.astimezone():%H:%M:%S} by {incident.detected_by.value}"
        service = incident.service or "no service"
        set_text(
            self.meta,
            f"{incident.severity.value.upper()} · {status} · {service} · {detected}{who}{customer}{review}",
        )
        set_text(self.assessment, _assessment_text(incident))
        self.tick(now)

    def set_timeline(self, incident_id: int, entries: Sequence[TimelineEntry]) -> None:
        """A timeline arrived from the worker; shown only if it is still the selected incident's."""
        if self.incident is None or self.incident.id != incident_id:
            return
        at_bottom = (
            self.timeline_view.verticalScrollBar().value() == self.timeline_view.verticalScrollBar().maximum()
        )
        self.timeline.set_entries(entries)
        if at_bottom:
            self.timeline_view.scrollToBottom()

    def set_calls(self, incident_id: int, calls: Sequence[Call]) -> None:
        """The incident's callers arrived from the worker; shown only if it is still selected."""
        if self.incident is None or self.incident.id != incident_id:
            return
        set_text(self.callers, callers_text(calls))
        self.callers.setVisible(bool(calls))

    def tick(self, now: datetime) -> None:
        """Refresh the clocks (once a second); the worst clock sets the colour of the line."""
        if self.incident is None:
            return
        clocks = running_clocks(self.incident, self._sla)
        if not clocks:
            set_text(self.clocks, "No SLA clock is running")
            set_style(self.clocks, f"color: {theme.MUTED_TEXT.name()};")
            return
        parts = []
        worst = ClockState.OK
        for clock in clocks:
            state = clock.state(now)
            worst = max(worst, state, key=list(ClockState).index)
            due = f"due {clock.due_at.astimezone():%H:%M}"
            parts.append(f"{clock.kind.label} {format_countdown(clock.remaining(now))} ({due})")
        set_text(self.clocks, "   ".join(parts))
        colour = _clock_colours()[worst]
        if worst is ClockState.BREACHED and int(now.timestamp()) % 2:
            colour = theme.ALARM_RED.darker(250)  # a breached clock blinks with the second
        weight = "800" if worst is ClockState.BREACHED else "600"
        set_style(self.clocks, f"color: {colour.name()}; font-weight: {weight};")


def callers_text(calls: Sequence[Call]) -> str:
    """One line per caller: when, who, whether acknowledged, and the last thing they were told."""
    lines = [f"Callers ({len(calls)}):"]
    for call in calls:
        who = "anonymised caller" if call.anonymised_at else f"{call.caller} · {display_phone(call.phone)}"
        if call.organisation:
            who += f" ({call.organisation})"
        if call.customer_acked_at is not None:
            acked = f"acknowledged {call.customer_acked_at.astimezone():%H:%M} by {call.customer_acked_by}"
        else:
            acked = f"NOT ACKNOWLEDGED, due {call.customer_ack_due_at.astimezone():%H:%M}"
        told = call.last_told
        last = " · not updated yet"
        if told is not None:
            count = len(call.updates)
            last = f" · told {told.at.astimezone():%H:%M} ({told.channel}, {count} in all): {told.text}"
        lines.append(f"  {call.received_at.astimezone():%H:%M} {who} · {acked}{last}")
    return "\n".join(lines)


def _assessment_text(incident: Incident) -> str:
    if incident.assessed_at is None:
        return "Not assessed yet"
    parts = [f"Assessed {incident.assessed_at.astimezone():%H:%M}"]
    if incident.users_affected is not None:
        parts.append(f"{incident.users_affected:,} users affected")
    if incident.services_affected:
        parts.append(f"services: {incident.services_affected}")
    if incident.business_impact is not None:
        parts.append(f"impact: {incident.business_impact.value}")
    return " · ".join(parts)
