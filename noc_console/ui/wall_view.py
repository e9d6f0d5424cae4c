"""The incident wall, drawn with QPainter: a header strip, large rows most urgent first, a footer.

Type scales with the widget's height (a full-screen wall: the screen's), see `wall_layout`. A paint
draws what the board's top rows say now, from rectangles, fonts, brushes and pens made on resize (or
once); titles are elided once per incident on screen and cached for those only. Text from outside is
drawn by QPainter as plain text (never rich text), a title cut to a sane length before it is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import ClockKind, ClockState, SlaPolicy, running_clocks
from noc_console.domain.wall import (
    WallBoard,
    blind_sources,
    degraded_sources,
    detection_share_text,
    postmortem_note,
    wall_age,
    wall_countdown,
)
from noc_console.ui import formats
from noc_console.ui.wall_layout import CENTRE, LEFT, MAX_CLOCKS, RIGHT, WallLayout, WallPaint

MAX_TITLE = 300  # characters of a title that are measured; a 100 kB one is cut first
# The texts of the tables below are translated where they are drawn (`translate("ui.wall_view", ...)`).
CUSTOMER_BADGE = QT_TRANSLATE_NOOP("ui.wall_view", "CUSTOMER REPORTED")
FLAPPING_BADGE = QT_TRANSLATE_NOOP("ui.wall_view", "FLAPPING")
# The labels above the countdowns: short enough for a clock box at the label font.
CLOCK_LABELS = {
    ClockKind.ACK: QT_TRANSLATE_NOOP("ui.wall_view", "ACKNOWLEDGE"),
    ClockKind.ASSESSMENT: QT_TRANSLATE_NOOP("ui.wall_view", "ASSESSMENT"),
    ClockKind.CUSTOMER_UPDATE: QT_TRANSLATE_NOOP("ui.wall_view", "CUSTOMER UPDATE"),
    ClockKind.POSTMORTEM: QT_TRANSLATE_NOOP("ui.wall_view", "POST-MORTEM"),
    ClockKind.EXEC_REPORT: QT_TRANSLATE_NOOP("ui.wall_view", "EXEC REPORT"),
    ClockKind.CALLER_ACK: QT_TRANSLATE_NOOP("ui.wall_view", "CALLER ACK"),
}
# The severities of the header's counters and of each row: five counters and the time share one line.
_ELIDE = Qt.TextElideMode.ElideRight


@dataclass(frozen=True, slots=True)
class ClockCell:
    label: str
    countdown: str
    state: ClockState


@dataclass(frozen=True, slots=True)
class RowContent:
    """What one row says; the painter draws exactly this (and tests read it)."""

    title: str
    detail: str  # severity · service · age
    owner: str  # who has it
    customer: bool
    clocks: tuple[ClockCell, ...]  # soonest due first
    flapping: bool = False  # held open: an alert of it keeps firing and clearing


@dataclass(frozen=True, slots=True)
class HeaderContent:
    oldest: str
    blind: tuple[str, ...]  # one line per stale or failed source
    degraded: tuple[str, ...]  # one line per source answering only in part (an HA member down)
    healthy: str  # 'OK: a · b', or ''
    share: str
    clock: str  # local time


class WallView(QWidget):
    """Draws a WallBoard. The window feeds it (`set_now`, `set_health`, …); it reads no clock itself."""

    def __init__(
        self, board: WallBoard, policy: SlaPolicy, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._board = board
        self._policy = policy
        self._now = now
        self._health: list[SourceHealth] = []
        self._share: tuple[int, int] | None = None
        self._last_success: datetime | None = None
        self._status = ""
        self._poller_line = ("", True)
        self._heartbeat_line = ("", True)
        self._status_ok = True
        self._alarm_note = ("", False)
        self._postmortems: tuple[int, int | None, datetime | None] = (0, None, None)
        self.selected_id: int | None = None
        self._paint = WallPaint()
        self._layout = WallLayout(max(self.width(), 1), max(self.height(), 1))
        self._paint.sized(self._layout)
        self._elided: dict[int, tuple[str, str]] = {}  # id -> (title, elided): rows on screen only
        self._blinking: list[QRect] = []  # the breached countdown boxes of the last paint

    # --- fed by the window -----------------------------------------------------------------------
    @property
    def wall_layout(self) -> WallLayout:
        return self._layout

    @property
    def slots(self) -> int:
        """How many incidents fit on the wall at its size."""
        return self._layout.slots

    def shown(self) -> list[Incident]:
        return self._board.top(self._layout.slots)

    def set_now(self, now: datetime) -> None:
        """Move the wall's time (the database's clock). A new second redraws everything; within a
        second only the breached countdowns are redrawn: they blink, lit in the first half."""
        new_second = int(now.timestamp()) != int(self._now.timestamp())
        self._now = now
        if new_second:
            self.update()
        else:
            for box in self._blinking:
                self.update(box)

    def blink_lit(self) -> bool:
        return self._now.timestamp() % 1.0 < 0.5

    def set_health(self, health: list[SourceHealth]) -> None:
        self._health = list(health)
        self.update(self._layout.header)

    def set_detection_share(self, internal: int, total: int) -> None:
        self._share = (internal, total)
        self.update(self._layout.header)

    def set_postmortems(self, count: int, first_id: int | None, first_resolved_at: datetime | None) -> None:
        """Post-mortems owed: the footer counts down to the first one's deadline (red once overdue)."""
        if (count, first_id, first_resolved_at) != self._postmortems:
            self._postmortems = (count, first_id, first_resolved_at)
            self.update(self._layout.footer)

    def postmortem_note(self) -> tuple[str, bool]:
        return postmortem_note(*self._postmortems, self._policy, self._now)

    def set_last_success(self, at: datetime | None) -> None:
        self._last_success = at
        self.update()

    def set_status(self, text: str, ok: bool = True) -> None:
        """One line in the footer: what an action did, or what is wrong (red)."""
        if (text, ok) != (self._status, self._status_ok):
            self._status, self._status_ok = text, ok
            self.update(self._layout.footer)

    def set_poller_line(self, text: str, ok: bool) -> None:
        """In the footer: who polls and since when (red when nobody renews the lease)."""
        if (text, ok) != self._poller_line:
            self._poller_line = (text, ok)
            self.update(self._layout.footer)

    @property
    def poller_line(self) -> tuple[str, bool]:
        return self._poller_line

    def set_heartbeat_line(self, text: str, ok: bool) -> None:
        """In the header, before the detection share: when the dead man's switch last went out (red when
        it failed or stopped); '' when none is configured."""
        if (text, ok) != self._heartbeat_line:
            self._heartbeat_line = (text, ok)
            self.update(self._layout.header)

    @property
    def heartbeat_line(self) -> tuple[str, bool]:
        return self._heartbeat_line

    def set_alarm_note(self, text: str, loud: bool) -> None:
        """In the footer: alarms muted or unheard (loud: red, else amber); '' for nothing to say."""
        if (text, loud) != self._alarm_note:
            self._alarm_note = (text, loud)
            self.update(self._layout.footer)

    @property
    def alarm_note(self) -> tuple[str, bool]:
        return self._alarm_note

    @property
    def status(self) -> tuple[str, bool]:
        return self._status, self._status_ok

    def move_selection(self, step: int) -> int | None:
        """Select the next (step 1) or previous (-1) incident on screen; returns the selected id."""
        shown = [i.id for i in self.shown()]
        if not shown:
            self.selected_id = None
        elif self.selected_id not in shown:
            self.selected_id = shown[0] if step > 0 else shown[-1]
        else:
            at = shown.index(self.selected_id) + step
            self.selected_id = shown[max(0, min(at, len(shown) - 1))]
        self.update()
        return self.selected_id

    def selected(self) -> Incident | None:
        """The selected incident while it is on screen; a selection that left the screen is dropped
        (A must never acknowledge what nobody can see)."""
        if self.selected_id is None:
            return None
        if not any(i.id == self.selected_id for i in self.shown()):
            self.selected_id = None
            self.update()
            return None
        return self._board.get(self.selected_id)

    # --- what it says ----------------------------------------------------------------------------
    @staticmethod
    def severity_label(severity: Severity) -> str:
        """'CRITICAL', in the window's language (the value stays the data)."""
        return severity.display_label

    def row_content(self, incident: Incident) -> RowContent:
        now = self._now
        clocks = tuple(
            ClockCell(
                translate("ui.wall_view", CLOCK_LABELS[c.kind]), wall_countdown(c.due_at - now), c.state(now)
            )
            for c in running_clocks(incident, self._policy)[:MAX_CLOCKS]
        )
        owner = incident.owner
        if incident.status is IncidentStatus.ACKNOWLEDGED:
            if owner:
                who = translate("ui.wall_view", "acked · {owner}").format(owner=owner)
            else:
                who = translate("ui.wall_view", "acked")
        elif owner:
            who = translate("ui.wall_view", "with {owner}").format(owner=owner)
        else:
            who = translate("ui.wall_view", "no owner")
        age = wall_age(now - incident.detected_at)
        severity = self.severity_label(incident.severity)
        service = incident.service or translate("ui.wall_view", "no service")
        return RowContent(
            title=f"#{incident.id}  {incident.title[:MAX_TITLE]}",
            detail=f"{severity} · {service} · {age}",
            owner=who,
            customer=incident.detected_by is DetectionSource.CUSTOMER,
            clocks=clocks,
            flapping=incident.flapping,
        )

    def header_content(self) -> HeaderContent:
        now = self._now
        oldest = self._board.oldest_unacknowledged()
        if oldest is None:
            oldest_text = translate("ui.wall_view", "Nothing unacknowledged")
        else:
            oldest_text = translate("ui.wall_view", "Oldest unacked: #{id}, {age}").format(
                id=oldest.id, age=wall_age(now - oldest.detected_at)
            )
        blind = blind_sources(self._health, now)
        if not self._health:
            blind = [translate("ui.wall_view", "BLIND: no source has reported yet")]
        degraded = degraded_sources(self._health, now)
        fresh = [h.name for h in self._health if not h.is_stale(now) and not h.degraded(now)]
        if self._share is not None:
            share = detection_share_text(*self._share)
        else:
            share = translate("ui.wall_view", "Detected by us today: …")
        healthy = (
            translate("ui.wall_view", "OK: {sources}").format(sources=" · ".join(fresh)) if fresh else ""
        )
        return HeaderContent(
            oldest=oldest_text,
            blind=tuple(blind),
            degraded=tuple(degraded),
            healthy=healthy,
            share=share,
            clock=formats.clock(now, seconds=True),
        )

    def all_clear_note(self) -> str:
        if self._last_success is None:
            return translate("ui.wall_view", "no successful poll yet")
        return translate("ui.wall_view", "last successful poll {time}").format(
            time=formats.clock(self._last_success, seconds=True)
        )

    def hidden_text(self) -> str:
        hidden = self._board.hidden(self._layout.slots)
        if not hidden:
            return ""
        return translate("ui.wall_view", "+{count} more not shown").format(count=formats.number(hidden))

    # --- Qt ------------------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout = WallLayout(max(self.width(), 1), max(self.height(), 1))
        self._paint.sized(self._layout)
        self._elided.clear()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), self._paint.background)
            self._paint_header(painter)
            shown = self.shown()
            self._blinking.clear()
            if not shown:
                self._paint_all_clear(painter)
            for slot, incident in enumerate(shown):
                self._paint_row(painter, slot, incident)
            self._paint_footer(painter)
        finally:
            painter.end()
        if len(self._elided) > 2 * self._layout.slots:
            keep = {i.id for i in shown}
            self._elided = {k: v for k, v in self._elided.items() if k in keep}

    def _paint_header(self, painter: QPainter) -> None:
        layout, paint = self._layout, self._paint
        pad = layout.pad
        painter.fillRect(layout.header, paint.panel)
        line = layout.counts_line
        x = line.x()
        counts = self._board.counts
        chips = [
            (severity, f"{self.severity_label(severity)} {formats.number(counts[severity])}")
            for severity in Severity
        ]
        font, metrics = layout.header_font, layout.header_metrics
        # The counters never run under the time: a language with longer words, or thousands of incidents,
        # get a narrower font.
        room = layout.time.x() - pad - x
        wanted = sum(metrics.horizontalAdvance(text) + 3 * pad for _, text in chips)
        if wanted > room > 0:
            font = QFont(font)
            font.setPixelSize(max(8, font.pixelSize() * room // wanted))
            metrics = QFontMetrics(font)
        painter.setFont(font)
        for severity, text in chips:
            chip = QRect(
                x,
                line.y() + pad // 2,
                metrics.horizontalAdvance(text) + 2 * pad,
                line.height() - pad,
            )
            lit = counts[severity] > 0
            painter.fillRect(chip, paint.severity[severity] if lit else paint.dim_chip)
            painter.setPen(paint.severity_text[severity] if lit else paint.dim_chip_text)
            painter.drawText(chip, CENTRE, text)
            x += chip.width() + pad
        content = self.header_content()
        painter.setFont(layout.time_font)
        painter.setPen(paint.text)
        painter.drawText(layout.time, RIGHT, content.clock)

        painter.setFont(layout.info_font)
        metrics = layout.info_metrics
        info = layout.info_line
        painter.setPen(paint.muted)
        painter.drawText(info, RIGHT, content.share)
        share_w = metrics.horizontalAdvance(content.share) + 4 * pad
        beat, beat_ok = self._heartbeat_line
        if beat:  # the console's own alarm path: between the oldest unacknowledged and the share
            oldest_w = metrics.horizontalAdvance(content.oldest) + 5 * pad  # a pad of slack: never cut
            beat_w = min(metrics.horizontalAdvance(beat), max(0, info.width() - share_w - oldest_w))
            painter.setPen(paint.muted if beat_ok else paint.red)
            spot = QRect(info.x(), info.y(), info.width() - share_w, info.height())
            painter.drawText(spot, RIGHT, metrics.elidedText(beat, _ELIDE, beat_w))
            share_w += beat_w + 4 * pad
        painter.setPen(paint.amber if self._board.unacknowledged else paint.ok)
        room = max(0, info.width() - share_w)
        painter.drawText(info, LEFT, metrics.elidedText(content.oldest, _ELIDE, room))

        sources = layout.sources_line
        blind = "   ".join(content.blind)
        blind_w = min(metrics.horizontalAdvance(blind), sources.width()) if blind else 0
        if blind:  # red, first, never pushed aside by the healthy ones
            painter.setPen(paint.red)
            painter.drawText(sources, LEFT, metrics.elidedText(blind, _ELIDE, sources.width()))
        left = sources.width() - blind_w - (3 * pad if blind else 0)
        degraded = "   ".join(content.degraded)
        if degraded and left > 4 * pad:  # amber, after the blind ones, before the healthy ones
            painter.setPen(paint.amber)
            rest = QRect(sources.right() - left, sources.y(), left, sources.height())
            painter.drawText(rest, LEFT, metrics.elidedText(degraded, _ELIDE, left))
            left -= min(metrics.horizontalAdvance(degraded), left) + 3 * pad
        if content.healthy and left > 4 * pad:
            painter.setPen(paint.ok)
            rest = QRect(sources.right() - left, sources.y(), left, sources.height())
            painter.drawText(rest, LEFT, metrics.elidedText(content.healthy, _ELIDE, left))

    def _paint_row(self, painter: QPainter, slot: int, incident: Incident) -> None:
        layout, paint = self._layout, self._paint
        content = self.row_content(incident)
        row = layout.rows[slot]
        selected = incident.id == self.selected_id
        painter.fillRect(
            row, paint.selected[incident.severity] if selected else paint.tint[incident.severity]
        )
        painter.fillRect(layout.bars[slot], paint.severity[incident.severity])
        if content.customer or selected:
            painter.setPen(paint.customer_border if content.customer else paint.selected_border)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = layout.border // 2
            painter.drawRect(row.adjusted(half, half, -half - 1, -half - 1))
        painter.setFont(layout.title_font)
        painter.setPen(paint.text)
        title_rect = layout.titles[slot]
        painter.drawText(title_rect, LEFT, self._elide_title(incident.id, content.title, title_rect.width()))

        detail_rect = layout.details[slot]
        x = detail_rect.x()
        if content.customer:
            x = self._paint_badge(painter, detail_rect, x, CUSTOMER_BADGE, paint.customer, paint.white)
        if content.flapping:
            x = self._paint_badge(painter, detail_rect, x, FLAPPING_BADGE, paint.flapping, paint.black)
        painter.setFont(layout.detail_font)
        metrics = layout.detail_metrics
        owner_w = metrics.horizontalAdvance(content.owner)
        painter.setPen(paint.text if incident.owner else paint.amber)
        painter.drawText(detail_rect, RIGHT, content.owner)
        room = max(0, detail_rect.right() - x - owner_w - 2 * layout.pad)
        painter.setPen(paint.muted)
        painter.drawText(
            QRect(x, detail_rect.y(), room, detail_rect.height()),
            LEFT,
            metrics.elidedText(content.detail, _ELIDE, room),
        )
        self._paint_clocks(painter, slot, content.clocks)

    def _paint_badge(self, painter: QPainter, line: QRect, x: int, text: str, fill: QBrush, pen: QPen) -> int:
        """A badge (`text` translated) at `x` on a row's detail line; where the line goes on after it."""
        layout = self._layout
        painter.setFont(layout.badge_font)
        label = translate("ui.wall_view", text)
        width = layout.badge_metrics.horizontalAdvance(label) + 2 * layout.pad
        badge = QRect(x, line.y(), width, line.height())
        painter.fillRect(badge, fill)
        painter.setPen(pen)
        painter.drawText(badge, CENTRE, label)
        return x + width + layout.pad

    def _paint_clocks(self, painter: QPainter, slot: int, clocks: tuple[ClockCell, ...]) -> None:
        layout, paint = self._layout, self._paint
        lit = self.blink_lit()
        first = MAX_CLOCKS - len(clocks)  # right-aligned
        for n, cell in enumerate(clocks):
            box = layout.clock_boxes[slot][first + n]
            if cell.state is ClockState.BREACHED:
                painter.fillRect(box, paint.breached_lit if lit else paint.breached_dark)
                self._blinking.append(box)
                label_pen = text_pen = paint.white if lit else paint.red
            else:
                painter.fillRect(box, paint.clock_box)
                label_pen = paint.muted
                text_pen = paint.text
                if cell.state is ClockState.WARNING:
                    text_pen = paint.amber
                    painter.setPen(paint.amber_border)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    inset = layout.border // 2
                    painter.drawRect(box.adjusted(inset, inset, -inset - 1, -inset - 1))
            painter.setFont(layout.label_font)
            painter.setPen(label_pen)
            painter.drawText(layout.clock_labels[slot][first + n], CENTRE, cell.label)
            painter.setFont(layout.countdown_font)
            painter.setPen(text_pen)
            self._draw_fitted(painter, layout.clock_texts[slot][first + n], cell.countdown)

    def _draw_fitted(self, painter: QPainter, rect: QRect, text: str) -> None:
        """Centred in `rect`; a text too wide (weeks overdue) is narrowed, never cut or made shorter."""
        width = self._layout.countdown_metrics.horizontalAdvance(text)
        if width <= rect.width():
            painter.drawText(rect, CENTRE, text)
            return
        painter.save()
        painter.translate(rect.x(), rect.y())
        painter.scale(rect.width() / width, 1.0)
        painter.drawText(QRect(0, 0, width, rect.height()), CENTRE, text)
        painter.restore()

    def _paint_all_clear(self, painter: QPainter) -> None:
        layout, paint = self._layout, self._paint
        painter.setFont(layout.clear_font)
        painter.setPen(paint.ok)
        painter.drawText(layout.clear_title, CENTRE, translate("ui.wall_view", "All clear"))
        painter.setFont(layout.title_font)
        painter.setPen(paint.text if self._last_success is not None else paint.red)
        painter.drawText(layout.clear_note, CENTRE, self.all_clear_note())

    def _paint_footer(self, painter: QPainter) -> None:
        """The alarm note (muted, or an alarm nobody can hear), the last action's message, the
        post-mortems owed, who polls, +N hidden."""
        layout, paint = self._layout, self._paint
        footer, metrics, pad = layout.footer, layout.footer_metrics, layout.pad
        painter.setFont(layout.footer_font)
        hidden = self.hidden_text()
        right = footer.right()
        if hidden:
            painter.setPen(paint.amber)
            painter.drawText(footer, RIGHT, hidden)
            right -= metrics.horizontalAdvance(hidden) + 4 * pad
        x = footer.x()
        note, loud = self._alarm_note
        poller, poller_ok = self._poller_line
        owed, overdue = self.postmortem_note()
        for text, pen in (
            (note, paint.red if loud else paint.amber),
            (self._status, paint.muted if self._status_ok else paint.red),
            (owed, paint.red if overdue else paint.amber),
            (poller, paint.muted if poller_ok else paint.red),
        ):
            room = right - x
            if not text or room < 4 * pad:
                continue
            shown = metrics.elidedText(text, _ELIDE, room)
            painter.setPen(pen)
            painter.drawText(QRect(x, footer.y(), room, footer.height()), LEFT, shown)
            x += metrics.horizontalAdvance(shown) + 4 * pad

    def _elide_title(self, incident_id: int, title: str, width: int) -> str:
        cached = self._elided.get(incident_id)
        if cached is not None and cached[0] == title:
            return cached[1]
        elided = self._layout.title_metrics.elidedText(title, _ELIDE, width)
        self._elided[incident_id] = (title, elided)
        return elided
