"""The alarm player's controls and banners, for any window that has a player (the operator window,
the wall): 'Test alarm', 'Mute' (a menu) and M, a standing NO AUDIO warning, MUTED until 14:35, and an
alarm that nobody can hear, flashing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from noc_console.domain.alarms import MUTE_CHOICES_MINUTES, MUTE_DEFAULT_MINUTES
from noc_console.domain.i18n import translate
from noc_console.ui import formats, theme
from noc_console.ui.alarm_player import AlarmPlayer
from noc_console.ui.plain import plain_label, set_style, set_text


def muted_text(until: datetime) -> str:
    """'MUTED until 14:35 …' in local time (a mute lasts an hour at most: no date needed)."""
    text = translate("ui.alarm_widgets", "MUTED until {time} — alarms on this console are silent · M unmutes")
    return text.format(time=formats.clock(until))


class AlarmBanners(QWidget):
    """The player's state where everyone sees it: a standing NO AUDIO warning, the MUTED time, and an
    alarm nobody can hear, flashing (call `tick()` every second for the flash).

    Text from outside (incident titles) is shown as plain text.
    """

    def __init__(self, player: AlarmPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self._flash_on = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.alarm_banner = self._label("banner")  # red, from the theme
        self.alarm_banner.setWordWrap(True)
        self.no_audio_banner = self._label("warningBanner")
        self.muted_banner = self._label("mutedBanner")
        # slate, not amber: "muted" must not read as one more warning from across the room
        self.muted_banner.setStyleSheet(_MUTED_STYLE)
        for label in (self.alarm_banner, self.no_audio_banner, self.muted_banner):
            layout.addWidget(label)
        player.audioChanged.connect(self._refresh)
        player.mutedChanged.connect(self._refresh)
        player.alarmChanged.connect(self._refresh)
        player.testChanged.connect(self._refresh)
        self._refresh()

    @staticmethod
    def _label(object_name: str) -> QLabel:
        label = plain_label(object_name=object_name)
        label.hide()
        return label

    @property
    def flashing(self) -> bool:
        """An alarm (or the test) should sound and cannot be heard: the banner flashes."""
        return not self.alarm_banner.isHidden()

    @Slot()
    def _refresh(self) -> None:
        player = self._player
        problem = player.audio_problem
        no_audio = translate("ui.alarm_widgets", "⚠ NO AUDIO: alarms are visual only — {problem}")
        _show(self.no_audio_banner, no_audio.format(problem=problem) if problem else "")
        until = player.muted_until
        _show(self.muted_banner, muted_text(until) if until is not None else "")
        text = ""
        if not player.audio_available:
            if player.testing:
                text = translate(
                    "ui.alarm_widgets",
                    "⚠ TEST ALARM — no sound can play here: this flashing is what an alarm looks like",
                )
            elif player.alarm is not None:
                unheard = translate("ui.alarm_widgets", "⚠ ALARM, NO SOUND: {alarm}")
                text = unheard.format(alarm=player.alarm.describe())
        _show(self.alarm_banner, text)
        if not text:
            self._flash_on = False
            set_style(self.alarm_banner, "")

    def tick(self) -> None:
        """Once a second: the unheard alarm's banner alternates between red and dark."""
        if self.alarm_banner.isHidden():
            return
        self._flash_on = not self._flash_on
        set_style(self.alarm_banner, _flash_dark() if self._flash_on else "")


_MUTED_STYLE = (
    "background: #263238; color: #ffffff; border: 3px solid #b0bec5; font-size: 20pt; font-weight: 800;"
    " padding: 8px 18px;"
)


def _flash_dark() -> str:
    """The banner's other phase when it flashes: the alarm colour on the theme's alarm band."""
    red = theme.ALARM_RED.name()
    return f"background: {theme.scheme.alarm_band}; color: {red}; border: 3px solid {red};"


def _show(label: QLabel, text: str) -> None:
    set_text(label, text)
    if label.isHidden() == bool(text):
        label.setVisible(bool(text))


class AlarmControls(QWidget):
    """'Test alarm', 'Mute' (a menu: 5/15/30/60 minutes) and 'Unmute' while muted; `toggle_action` is
    the M key (mute for 15 minutes, or unmute), for the window to add.

    Signals:
        message(str, bool): what happened, in plain words, and whether that is fine.
    """

    message = Signal(str, bool)

    def __init__(
        self, player: AlarmPlayer, now: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._player = player
        self._now = now
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.test_button = QPushButton(translate("ui.alarm_widgets", "Test alarm"))
        self.test_button.clicked.connect(self.test_alarm)
        layout.addWidget(self.test_button)
        self.mute_button = QPushButton(_mute_label())
        self.mute_menu = QMenu(self.mute_button)
        for minutes in MUTE_CHOICES_MINUTES:
            action = self.mute_menu.addAction(
                translate("ui.alarm_widgets", "Mute {minutes} min").format(minutes=minutes)
            )
            action.triggered.connect(partial(self.mute, minutes))
        self.mute_button.setMenu(self.mute_menu)
        layout.addWidget(self.mute_button)
        self.unmute_button = QPushButton(translate("ui.alarm_widgets", "Unmute  [M]"))
        self.unmute_button.clicked.connect(self.unmute)
        self.unmute_button.hide()
        layout.addWidget(self.unmute_button)
        self.toggle_action = QAction(
            translate("ui.alarm_widgets", "Mute {minutes} min / unmute").format(minutes=MUTE_DEFAULT_MINUTES),
            self,
        )
        self.toggle_action.setShortcut(QKeySequence(Qt.Key.Key_M))
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.toggle_action.triggered.connect(self.toggle)
        player.mutedChanged.connect(self._on_muted)

    @Slot()
    def test_alarm(self) -> None:
        self._player.test_alarm()
        if self._player.audio_available:
            self.message.emit(
                translate("ui.alarm_widgets", "Test alarm: the critical sound plays for 3 s"), True
            )
        else:
            text = translate("ui.alarm_widgets", "Test alarm: NO AUDIO ({problem}) — alarms are visual only")
            self.message.emit(text.format(problem=self._player.audio_problem), False)

    def mute(self, minutes: float) -> None:
        try:
            until = self._player.mute(minutes, self._now())
        except ValueError as exc:
            self.message.emit(str(exc), False)
            return
        muted = translate("ui.alarm_widgets", "Alarms muted until {time}")
        self.message.emit(muted.format(time=formats.clock(until)), True)

    @Slot()
    def unmute(self) -> None:
        self._player.unmute()
        self.message.emit(translate("ui.alarm_widgets", "Alarms unmuted"), True)

    @Slot()
    def toggle(self) -> None:
        if self._player.muted_until is None:
            self.mute(MUTE_DEFAULT_MINUTES)
        else:
            self.unmute()

    @Slot(object)
    def _on_muted(self, until: datetime | None) -> None:
        # M unmutes while muted: only the Unmute button names the key then
        self.mute_button.setText(
            translate("ui.alarm_widgets", "Mute") if until is not None else _mute_label()
        )
        self.unmute_button.setVisible(until is not None)


def _mute_label() -> str:
    return translate("ui.alarm_widgets", "Mute  [M]")
