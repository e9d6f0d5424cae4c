"""The selected incident in full: what it is, its running SLA clocks, its timeline, and the actions.

The pane shows; the window owns the actions (their shortcuts work anywhere in the window) and hands
them in, so a button here and a key press do the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QListView, QToolButton, QVBoxLayout, QWidget

from noc_console.domain.calls import Call, display_phone
from noc_console.domain.i18n import plural, translate
from noc_console.domain.incidents import (
    DetectionSource,
    Incident,
    TimelineEntry,
    UpdateChannel,
    timeline_kind,
)
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockState, SlaPolicy, format_countdown, running_clocks
from noc_console.domain.writeback import Status as WritebackStatus
from noc_console.domain.writeback import WritebackState
from noc_console.store.check_runs import CheckHistory
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, set_style, set_text

if TYPE_CHECKING:
    from noc_console.ui.check_chart import CheckChart

AnyIndex = QModelIndex | QPersistentModelIndex


def _kind_colours() -> dict[str, QColor]:
    """Timeline kinds an operator should notice at a glance, in the theme's colours now."""
    return {
        "sla_breach": theme.ALARM_RED,
        "needs_review": theme.WARN_AMBER,
        "alert_fired": theme.SEVERITY_COLOURS[Severity.MAJOR],
        "alert_cleared": theme.CLEARING_GREEN,
        "alert_pending": theme.WARN_AMBER,  # not firing now: shown, it rings nothing
        "flapping": theme.WARN_AMBER,  # held open: it rings nothing at each change
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
    when = formats.clock(entry.at, seconds=True)
    return f"{when}  {timeline_kind(entry.kind)} · {entry.by} · {entry.text}"


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
        self._now: datetime | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.title = plain_label(_nothing_selected(), "detailsTitle")
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
        # Acknowledges carried back to the sources: a failure here means the source still pages people.
        self.writebacks = plain_label(object_name="detailsWriteback")
        self.writebacks.setWordWrap(True)
        self.writebacks.hide()
        layout.addWidget(self.writebacks)
        self._writeback_states: list[WritebackState] = []
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
        # A synthetic incident shows its check's last 24 hours (latency, usual band, limit, failures)
        # beside its timeline: the pane grows no taller, the incident table keeps its rows. The chart
        # is made when a first history arrives: pyqtgraph and numpy cost the window about 55 MB of
        # memory, which a floor without synthetic checks never needs.
        self.check_chart: CheckChart | None = None
        self._below = QHBoxLayout()
        self._below.addWidget(self.timeline_view, 1)
        layout.addLayout(self._below, 1)

    def show_incident(self, incident: Incident | None, now: datetime) -> None:
        """Show `incident` (None: nothing selected); clocks are judged at `now` (the database's clock)."""
        changed = incident is None or self.incident is None or incident.id != self.incident.id
        self.incident = incident
        if incident is None:
            set_text(self.title, _nothing_selected())
            for label in (self.meta, self.clocks, self.assessment, self.callers, self.writebacks):
                set_text(label, "")
            self.callers.hide()
            self.writebacks.hide()
            self.timeline.set_entries([])
            self._clear_check_chart()
            return
        if changed:
            self.timeline.set_entries([])  # the old incident's history never shows under the new title
            self._clear_check_chart()
            set_text(self.callers, "")
            self.callers.hide()
            self._writeback_states = []
            set_text(self.writebacks, "")
            self.writebacks.hide()
        set_text(self.title, f"#{incident.id} {incident.title}")
        set_text(self.meta, meta_text(incident))
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

    def set_check_history(self, incident_id: int, history: CheckHistory) -> None:
        """A synthetic check's history arrived from the worker; charted only if its incident is selected."""
        if self.incident is None or self.incident.id != incident_id:
            return
        if self.check_chart is None:
            from noc_console.ui.check_chart import CheckChart  # pyqtgraph: see __init__

            self.check_chart = CheckChart()
            self._below.addWidget(self.check_chart, 1)
        self.check_chart.incident_id = incident_id
        self.check_chart.set_history(history)

    def _clear_check_chart(self) -> None:
        if self.check_chart is not None:
            self.check_chart.clear()

    def set_calls(self, incident_id: int, calls: Sequence[Call]) -> None:
        """The incident's callers arrived from the worker; shown only if it is still selected."""
        if self.incident is None or self.incident.id != incident_id:
            return
        set_text(self.callers, callers_text(calls))
        self.callers.setVisible(bool(calls))

    def set_writebacks(self, incident_id: int, states: Sequence[WritebackState]) -> None:
        """The incident's acknowledge write-backs arrived from the worker; shown only if still selected."""
        if self.incident is None or self.incident.id != incident_id:
            return
        self._writeback_states = list(states)
        self.writebacks.setVisible(bool(states))
        self._show_writebacks()

    def _show_writebacks(self) -> None:
        states = self._writeback_states
        if not states:
            return
        now = self._now or datetime.now(UTC)
        lines = [translate("ui.details_pane", "Acknowledged at the sources:")]
        lines += [state.describe(now) for state in states]
        set_text(self.writebacks, "\n".join(lines))
        if any(s.status is WritebackStatus.FAILED for s in states):
            set_style(self.writebacks, f"color: {theme.ALARM_RED.name()}; font-weight: 800;")
        elif any(s.status is WritebackStatus.RETRYING for s in states):
            set_style(self.writebacks, f"color: {theme.WARN_AMBER.name()}; font-weight: 600;")
        else:
            set_style(self.writebacks, f"color: {theme.MUTED_TEXT.name()};")

    def tick(self, now: datetime) -> None:
        """Refresh the clocks (once a second); the worst clock sets the colour of the line."""
        if self.incident is None:
            return
        self._now = now
        if any(s.status is WritebackStatus.RETRYING for s in self._writeback_states):
            self._show_writebacks()  # "next try in 40 s" counts down
        clocks = running_clocks(self.incident, self._sla)
        if not clocks:
            set_text(self.clocks, translate("ui.details_pane", "No SLA clock is running"))
            set_style(self.clocks, f"color: {theme.MUTED_TEXT.name()};")
            return
        parts = []
        worst = ClockState.OK
        for clock in clocks:
            state = clock.state(now)
            worst = max(worst, state, key=list(ClockState).index)
            parts.append(
                translate("ui.details_pane", "{clock} {countdown} (due {time})").format(
                    clock=clock.kind.display_label,
                    countdown=format_countdown(clock.remaining(now)),
                    time=formats.clock(clock.due_at),
                )
            )
        set_text(self.clocks, "   ".join(parts))
        colour = _clock_colours()[worst]
        if worst is ClockState.BREACHED and int(now.timestamp()) % 2:
            colour = theme.ALARM_RED.darker(250)  # a breached clock blinks with the second
        weight = "800" if worst is ClockState.BREACHED else "600"
        set_style(self.clocks, f"color: {colour.name()}; font-weight: {weight};")


def _nothing_selected() -> str:
    return translate("ui.details_pane", "Select an incident to see its timeline and act on it")


def meta_text(incident: Incident) -> str:
    """'CRITICAL · OPEN · checkout · detected 14:05:12 by monitoring · owner bob', and what else an
    operator must know at once (a customer reported it; it needs a review)."""
    detected = translate("ui.details_pane", "detected {time} by {source}").format(
        time=formats.clock(incident.detected_at, seconds=True), source=incident.detected_by.display_label
    )
    parts = [
        incident.severity.display_label,
        incident.status.display_label,
        incident.service or translate("ui.details_pane", "no service"),
        detected,
        translate("ui.details_pane", "owner {owner}").format(owner=incident.owner)
        if incident.owner
        else translate("ui.details_pane", "nobody has it yet"),
    ]
    if incident.detected_by is DetectionSource.CUSTOMER:
        parts.append(translate("ui.details_pane", "REPORTED BY A CUSTOMER"))
    if incident.needs_review:
        parts.append(translate("ui.details_pane", "NEEDS REVIEW (cleared before anyone acknowledged it)"))
    if incident.flapping_since is not None and incident.flapping:
        parts.append(
            translate("ui.details_pane", "FLAPPING since {time} (held open until it settles)").format(
                time=formats.clock(incident.flapping_since)
            )
        )
    return " · ".join(parts)


def _channel(channel: str) -> str:
    """How an update went out, in the window's language (a channel this release does not know, as stored)."""
    try:
        return UpdateChannel(channel).display_label
    except ValueError:
        return channel


def callers_text(calls: Sequence[Call]) -> str:
    """One line per caller: when, who, whether acknowledged, and the last thing they were told."""
    lines = [translate("ui.details_pane", "Callers ({count}):").format(count=formats.number(len(calls)))]
    for call in calls:
        if call.anonymised_at:
            who = translate("ui.details_pane", "anonymised caller")
        else:
            who = f"{call.caller} · {display_phone(call.phone)}"
        if call.organisation:
            who += f" ({call.organisation})"
        if call.customer_acked_at is not None:
            acked = translate("ui.details_pane", "acknowledged {time} by {who}").format(
                time=formats.clock(call.customer_acked_at), who=call.customer_acked_by
            )
        else:
            acked = translate("ui.details_pane", "NOT ACKNOWLEDGED, due {time}").format(
                time=formats.clock(call.customer_ack_due_at)
            )
        told = call.last_told
        if told is None:
            last = translate("ui.details_pane", "not updated yet")
        else:
            count = len(call.updates)
            last = translate("ui.details_pane", "told {time} ({channel}, {count} in all): {text}").format(
                time=formats.clock(told.at),
                channel=_channel(told.channel),
                count=formats.number(count),
                text=told.text,
            )
        lines.append(f"  {formats.clock(call.received_at)} {who} · {acked} · {last}")
    return "\n".join(lines)


def _assessment_text(incident: Incident) -> str:
    if incident.assessed_at is None:
        return translate("ui.details_pane", "Not assessed yet")
    parts = [translate("ui.details_pane", "Assessed {time}").format(time=formats.clock(incident.assessed_at))]
    if incident.users_affected is not None:
        users = incident.users_affected
        parts.append(
            plural(
                users,
                translate("ui.details_pane", "{n} user affected"),
                translate("ui.details_pane", "{n} users affected"),
            ).format(n=formats.number(users))
        )
    if incident.services_affected:
        parts.append(
            translate("ui.details_pane", "services: {services}").format(services=incident.services_affected)
        )
    if incident.business_impact is not None:
        parts.append(
            translate("ui.details_pane", "impact: {impact}").format(
                impact=incident.business_impact.display_label
            )
        )
    return " · ".join(parts)
