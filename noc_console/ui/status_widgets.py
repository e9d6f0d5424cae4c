"""The window's header bar (severity counters, clocks), the source-health strip and the poller footer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from noc_console.domain.figures import BoardFigures
from noc_console.domain.health import SourceHealth
from noc_console.domain.heartbeat import heartbeat_line
from noc_console.domain.i18n import plural, translate
from noc_console.domain.severity import Severity
from noc_console.domain.wall import blind_sources, warning_summary
from noc_console.store.lease import PollerStatus
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, plain_tooltip, set_style, set_text


def ago(then: datetime | None, now: datetime) -> str:
    """'42 s ago', '5 min ago', '3 h ago' or 'never', in the window's language."""
    if then is None:
        return translate("ui.status_widgets", "never")
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return translate("ui.status_widgets", "{n} s ago").format(n=formats.number(seconds))
    if seconds < 7200:
        return translate("ui.status_widgets", "{n} min ago").format(n=formats.number(seconds // 60))
    return translate("ui.status_widgets", "{n} h ago").format(n=formats.number(seconds // 3600))


def local_hms(at: datetime) -> str:
    """The local time of day of `at`, with seconds, the locale's way."""
    return formats.clock(at, seconds=True)


class HeaderBar(QWidget):
    """Counters of open incidents per severity, the unacknowledged count, and UTC + local clocks."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(10)
        self.title = plain_label(title, "windowTitle")
        self.title.setStyleSheet(f"font-size: {theme.HEADER_FONT_PT - 4}pt; font-weight: 700;")
        # The title gives way first on a narrow screen; the counters and the clock never do.
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(1)
        layout.addWidget(self.title)
        layout.addSpacing(4)
        self.counters: dict[Severity, QLabel] = {}
        for severity in Severity:
            label = plain_label(object_name="severityCounter")
            self.counters[severity] = label
            layout.addWidget(label)
        layout.addSpacing(4)
        self.unack = plain_label(object_name="unackCounter")
        layout.addWidget(self.unack)
        layout.addStretch(1)
        clocks = QVBoxLayout()
        clocks.setSpacing(0)
        self.clock_utc = plain_label(object_name="clockUtc")
        self.clock_local = plain_label(object_name="clockLocal")
        for label in (self.clock_utc, self.clock_local):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            clocks.addWidget(label)
        layout.addLayout(clocks)
        self.set_counts(BoardFigures())

    def set_counts(self, figures: BoardFigures) -> None:
        by_severity = figures.by_severity
        for severity, label in self.counters.items():
            count = by_severity.get(severity, 0)
            set_text(label, f"{severity.display_label} {formats.number(count)}")
            if count:
                colour = theme.SEVERITY_COLOURS[severity].name()
                text = theme.SEVERITY_TEXT[severity].name()
            else:  # nothing of this severity: a dim outline, so the loud ones stand out
                colour, text = theme.scheme.disabled, theme.scheme.muted_text
            set_style(label, f"background: {colour}; color: {text};")
        unacked = figures.unacknowledged
        set_text(
            self.unack,
            translate("ui.status_widgets", "UNACKED {count}").format(count=formats.number(unacked)),
        )
        colour = theme.ALARM_RED.name() if unacked else theme.MUTED_TEXT.name()
        set_style(self.unack, f"color: {colour};")

    def set_time(self, now: datetime) -> None:
        set_text(self.clock_utc, formats.utc_clock(now, seconds=True))
        set_text(
            self.clock_local,
            translate("ui.status_widgets", "{day} · local {time}").format(
                day=formats.weekday(now), time=formats.clock(now, seconds=True)
            ),
        )


class SourceStrip(QWidget):
    """One chip per monitoring source: green when fresh, amber when answering only in part (a member of
    an HA pair down: a warning, not blindness), red when stale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self._empty = plain_label(
            translate("ui.status_widgets", "No source has reported yet"), "pollerStatus"
        )
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)
        self.chips: dict[str, QLabel] = {}
        self._health: list[SourceHealth] = []

    def set_health(self, health: list[SourceHealth], now: datetime) -> None:
        self._health = list(health)
        names = {h.name for h in health}
        for name in list(self.chips):
            if name not in names:
                self.chips.pop(name).deleteLater()
        for h in health:
            if h.name not in self.chips:
                chip = plain_label(object_name="sourceChip")
                self._layout.insertWidget(self._layout.count() - 1, chip)
                self.chips[h.name] = chip
        self._empty.setVisible(not health)
        self.refresh(now)

    def refresh(self, now: datetime) -> None:
        """Re-judge every chip against `now`, the database's clock (runs every second)."""
        for h in self._health:
            chip = self.chips[h.name]
            if h.is_stale(now):
                text = translate("ui.status_widgets", "{source} STALE · last OK {ago}")
                set_text(chip, text.format(source=h.name, ago=ago(h.last_success_at, now)))
                set_style(chip, "background: #b71c1c; color: white;")
            elif h.degraded(now):
                text = translate("ui.status_widgets", "{source} DEGRADED · {warning}")
                set_text(chip, text.format(source=h.name, warning=warning_summary(h.warning or "")))
                amber = theme.WARN_AMBER
                ink = "#111111" if amber.lightness() > 128 else "white"
                set_style(chip, f"background: {amber.name()}; color: {ink};")
            else:
                text = plural(
                    h.alert_count,
                    translate("ui.status_widgets", "{source} OK · {n} alert · {ago}"),
                    translate("ui.status_widgets", "{source} OK · {n} alerts · {ago}"),
                )
                shown = text.format(
                    source=h.name, n=formats.number(h.alert_count), ago=ago(h.last_success_at, now)
                )
                if h.pending_count:
                    shown += translate("ui.status_widgets", " · {n} pending").format(
                        n=formats.number(h.pending_count)
                    )
                set_text(chip, shown)
                set_style(chip, f"background: {theme.OK_GREEN.name()}; color: white;")
            tooltip = plain_tooltip(h.warning if h.degraded(now) else h.last_error)
            if chip.toolTip() != tooltip:
                chip.setToolTip(tooltip)


def stale_banner_text(health: Iterable[SourceHealth], now: datetime) -> str:
    """'⚠ BLIND: prod-am, no data for 3 min: 401 Unauthorized — incidents may be out of date', one line
    per stale or failed source: the wall's words (`domain.wall.blind_sources`), the loudest thing on
    the screen."""
    warning = translate("ui.status_widgets", "⚠ {blind} — incidents may be out of date")
    return "\n".join(warning.format(blind=line) for line in blind_sources(list(health), now, max_error=90))


def poller_footer(
    status: PollerStatus | None,
    now: datetime,
    *,
    mine: bool,
    can_poll: bool,
    supervisor: tuple[str, bool] = ("", True),
) -> tuple[str, bool]:
    """The footer's line about who polls, since when, and whether that is fine; `now` is the database's.

    A holder that stopped renewing is loud: either this console is taking over (it has a poller of its
    own to start) or nobody updates the incidents on screen.
    """
    supervisor_text, supervisor_ok = supervisor
    if status is not None and status.expired(now):
        if can_poll:
            text = translate(
                "ui.status_widgets",
                "Poller on host {host} pid {pid} stopped renewing at {time} — taking over",
            )
        else:
            text = translate(
                "ui.status_widgets",
                "Poller on host {host} pid {pid} stopped renewing at {time} — "
                "incidents are NOT being updated",
            )
        return text.format(host=status.host, pid=status.pid, time=local_hms(status.beat_at)), False
    if status is not None:
        if mine:
            text = translate(
                "ui.status_widgets",
                "Polling: this console's poller (host {host} pid {pid}) since {time} · "
                "lease renewed {beat} s ago",
            )
        else:
            text = translate(
                "ui.status_widgets",
                "Polling: host {host} pid {pid} since {time} · lease renewed {beat} s ago",
            )
        beat = max(0, int((now - status.beat_at).total_seconds()))
        text = text.format(
            host=status.host, pid=status.pid, time=local_hms(status.acquired_at), beat=formats.number(beat)
        )
        if supervisor_text and not supervisor_ok:
            return f"{text} · {supervisor_text}", False
        return text, True
    if supervisor_text:
        return supervisor_text, supervisor_ok
    if can_poll:
        return translate("ui.status_widgets", "Poller: starting this console's poller…"), True
    return translate(
        "ui.status_widgets", "No poller holds the lease — incidents are NOT being updated"
    ), False


def with_heartbeat(line: tuple[str, bool], status: PollerStatus | None, now: datetime) -> tuple[str, bool]:
    """The poller line with the dead man's switch in front ('Heartbeat sent 12 s ago · Polling: …'),
    red when either is; unchanged when the holder sends no heartbeat."""
    text, ok = line
    beat, beat_ok = heartbeat_line(status.heartbeat if status is not None else None, now)
    if not beat:
        return line
    return (f"{beat} · {text}" if text else beat), ok and beat_ok
