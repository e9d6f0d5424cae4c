"""Alarm playback: the alarm that `noc_console.domain.alarms` decides, played on the speakers, with a
mute that ends by itself, a test button's sound and a check that speakers exist at all.

One object per window (the operator window and the wall each create one; one process showing both
should share one, or both sound)::

    player = AlarmPlayer(parent=window)      # checks for an audio output now, then every minute
    player.audioChanged.connect(...)         # (bool, str): False and a reason -> "NO AUDIO" banner
    player.mutedChanged.connect(...)         # the time (UTC, the database's clock) it is muted until, or None
    player.alarmChanged.connect(...)         # Alarm | None: what should sound now (None while muted)
    player.testChanged.connect(...)          # bool: the test alarm is on (TEST_ALARM_MS)
    player.update(unacked, health, now)      # every second; `now` is the database's clock
    player.mute(15, now)                     # 1..60 minutes, else ValueError naming mute.minutes
    player.unmute()
    player.test_alarm()                      # the critical sound for 3 s, even while muted
    player.stop()                            # before the window goes: timers and sound stop

`alarm is not None and not audio_available` means an alarm nobody can hear: the window must show it
(the operator window flashes a banner; `noc_console.ui.alarm_widgets` has the banners and controls).
`update()` takes the window's `UnacknowledgedIncidents` (kept from the feed's change sets: deciding
reads no incident) or any incidents (scanned, except the same tuple as last time).

The mute is kept in QSettings, so a console restarted during a maintenance mute stays muted until the
time given (never longer than `MUTE_MAX` from its restart).

What Qt tells us about audio, measured with Qt 6.11 and PulseAudio 16: with no sound server there is
no output and QSoundEffect errors (QMediaPlayer would still claim to play). QtMultimedia reads the
server's devices once: a server that starts later, dies, or loses its sink changes neither the list
nor QSoundEffect's "playing"; only a restart of the console notices. The minute's check follows
whatever QMediaDevices reports, which is all Qt offers here.

Signals:
    audioChanged(bool, str): whether alarms can be heard; when not, why, in plain words.
    mutedChanged(object): the datetime the mute lasts until, or None once unmuted (by hand or by time).
    alarmChanged(object): the Alarm that should sound now, or None (nothing open, or muted).
    testChanged(bool): the test alarm started (True) or ended (False).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, QUrl, Signal, Slot, qInstallMessageHandler
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from noc_console.desktop import resources_dir
from noc_console.domain.alarms import Alarm, AlarmKind, AlarmRules, Mute, UnacknowledgedIncidents
from noc_console.domain.health import SourceHealth
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import Incident

log = logging.getLogger(__name__)

AUDIO_CHECK_MS = 60_000
TEST_ALARM_MS = 3_000
SETTINGS_KEY = "alarms/muted_until"
NO_OUTPUT = QT_TRANSLATE_NOOP("ui.alarm_player", "no audio output device")  # translated where shown

# What QtMultimedia says on its own when no sound server runs; our NO AUDIO warning replaces it.
_QT_NO_SERVER = frozenset({"PulseAudioService: pa_context_connect() failed"})


def sound_path(kind: AlarmKind, sounds_dir: Path | None = None) -> Path:
    """Where the sound of `kind` lives (written by resources/make_sounds.py)."""
    return (sounds_dir or resources_dir() / "sounds") / f"alarm-{kind.value}.wav"


def audio_outputs() -> list[Any]:
    """QMediaDevices.audioOutputs(), without QtMultimedia's warning when no sound server runs (it says
    so once, when it first looks); every other message goes on to whoever handled messages before."""
    previous: Callable[..., Any] | None = None

    def handler(mode: Any, context: Any, message: str) -> None:
        if message in _QT_NO_SERVER:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        return list(QMediaDevices.audioOutputs())
    finally:
        qInstallMessageHandler(previous)


class SoundBank(QObject):
    """One looping QSoundEffect per alarm kind, made once (when an output exists) and reused.

    Signals:
        failed(str): the audio device refused a sound, in plain words.
    """

    failed = Signal(str)

    def __init__(self, sounds_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dir = sounds_dir
        self._effects: dict[AlarmKind, QSoundEffect] = {}
        self._current: QSoundEffect | None = None

    def missing(self) -> list[str]:
        """The sound files that are not there (a broken install)."""
        return [sound_path(k, self._dir).name for k in AlarmKind if not sound_path(k, self._dir).is_file()]

    def load(self) -> None:
        """Decode every sound now, so the first alarm starts at once. Only with an output: without
        one, QSoundEffect refuses to load with a warning."""
        if self._effects:
            return
        for kind in AlarmKind:
            effect = QSoundEffect(self)
            effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
            effect.statusChanged.connect(self._on_status)
            effect.setSource(QUrl.fromLocalFile(str(sound_path(kind, self._dir))))
            self._effects[kind] = effect

    def play(self, kind: AlarmKind) -> None:
        """Loop the sound of `kind` until `stop()` or another `play()`."""
        self.load()
        effect = self._effects[kind]
        if self._current is not None and self._current is not effect:
            self._current.stop()
        self._current = effect
        effect.play()

    def stop(self) -> None:
        if self._current is not None:
            self._current.stop()
            self._current = None

    @Slot()
    def _on_status(self) -> None:
        for kind, effect in self._effects.items():
            if effect.status() is QSoundEffect.Status.Error:
                reason = translate("ui.alarm_player", "the audio device refused the {kind} alarm sound")
                self.failed.emit(reason.format(kind=kind.display_label.lower()))
                return


class AlarmPlayer(QObject):
    """Plays what the alarm rules decide; see the module docstring for how a window uses it.

    Signals:
        audioChanged(bool, str): whether alarms can be heard; when not, why, in plain words.
        mutedChanged(object): the datetime the mute lasts until, or None once unmuted.
        alarmChanged(object): the Alarm that should sound now, or None.
        testChanged(bool): the test alarm started (True) or ended (False).
    """

    audioChanged = Signal(bool, str)
    mutedChanged = Signal(object)
    alarmChanged = Signal(object)
    testChanged = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        bank: SoundBank | None = None,
        outputs: Callable[[], Sequence[Any]] = audio_outputs,
        settings: QSettings | None = None,
        check_every_ms: int = AUDIO_CHECK_MS,
        test_ms: int = TEST_ALARM_MS,
    ) -> None:
        super().__init__(parent)
        self._rules = AlarmRules()
        self._bank = bank if bank is not None else SoundBank(parent=self)
        self._bank.failed.connect(self._on_bank_failed)
        self._outputs = outputs
        self._settings = settings
        self._missing = self._bank.missing()
        self._bank_failure = ""
        self._audio = False
        self._audio_reason = "not checked yet"
        self._mute: Mute | None = None
        self._restore_pending = True  # read the stored mute at the first update(), on the database's clock
        self._alarm: Alarm | None = None
        self._testing = False
        self._playing: AlarmKind | None = None
        self._stopped = False

        self._check_timer = QTimer(self)
        self._check_timer.setInterval(check_every_ms)
        self._check_timer.timeout.connect(self.check_audio)
        self._test_timer = QTimer(self)
        self._test_timer.setSingleShot(True)
        self._test_timer.setInterval(test_ms)
        self._test_timer.timeout.connect(self._end_test)
        self.check_audio()
        self._check_timer.start()

    # --- state -----------------------------------------------------------------------------------
    @property
    def audio_available(self) -> bool:
        return self._audio

    @property
    def audio_problem(self) -> str:
        """Why alarms cannot be heard ('' when they can), in the window's language."""
        return "" if self._audio else self._audio_reason

    @property
    def muted_until(self) -> datetime | None:
        return self._mute.until if self._mute is not None else None

    @property
    def alarm(self) -> Alarm | None:
        """What should sound now (None: nothing open that sounds, or muted)."""
        return self._alarm

    @property
    def playing(self) -> AlarmKind | None:
        """The sound the speakers are given now (None without an audio output)."""
        return self._playing

    @property
    def testing(self) -> bool:
        return self._testing

    # --- API -------------------------------------------------------------------------------------
    def update(
        self,
        incidents: Iterable[Incident] | UnacknowledgedIncidents,
        health: Sequence[SourceHealth],
        now: datetime,
    ) -> Alarm | None:
        """Decide and play. Call it every second: the mute ends and stale sources are judged by time."""
        if self._stopped:
            return None
        if self._restore_pending:
            self._restore(now)
        if self._mute is not None and not self._mute.active(now):
            log.info("alarms unmuted: the mute until %s is over", self._mute.until.isoformat())
            self._set_mute(None)
        alarm = self._rules.decide(incidents, health, self._mute, now)
        if alarm is not self._alarm:
            self._alarm = alarm
            self.alarmChanged.emit(alarm)
        self._apply()
        return alarm

    def mute(self, minutes: float, now: datetime) -> datetime:
        """Silence alarms for `minutes` (1..60) from `now`; returns the time it ends. ValueError names
        the field when `minutes` is out of bounds."""
        mute = Mute.for_minutes(minutes, now)
        self._restore_pending = False  # a mute chosen now wins over the one stored before
        self._set_mute(mute)
        if self._alarm is not None:  # silent at once, not at the next update()
            self._alarm = None
            self.alarmChanged.emit(None)
        self._apply()
        return mute.until

    def unmute(self) -> None:
        """Alarms sound again from the next update()."""
        self._restore_pending = False
        if self._mute is not None:
            self._set_mute(None)

    def test_alarm(self) -> None:
        """Play the critical sound for a few seconds, muted or not, so an operator can check the
        speakers. Without an audio output nothing plays: the window shows testChanged visually."""
        if self._stopped:
            return
        self._test_timer.start()
        if not self._testing:
            self._testing = True
            self.testChanged.emit(True)
        self._apply()

    @Slot()
    def check_audio(self) -> bool:
        """Is there an audio output to play alarms on? Runs at start-up and every minute."""
        if self._missing:
            missing = translate("ui.alarm_player", "alarm sounds missing: {files}")
            ok, reason = False, missing.format(files=", ".join(self._missing))
        elif self._bank_failure:
            ok, reason = False, self._bank_failure
        elif not self._outputs():
            ok, reason = False, translate("ui.alarm_player", NO_OUTPUT)
        else:
            ok, reason = True, ""
        if ok != self._audio or reason != self._audio_reason:
            self._audio, self._audio_reason = ok, reason
            if ok:
                log.info("audio output found: alarms sound")
                self._bank.load()
            else:
                log.warning("NO AUDIO: alarms are visual only (%s)", reason)
            self.audioChanged.emit(ok, reason)
            self._apply()
        return ok

    def stop(self) -> None:
        """Stop the timers and the sound for good (the window is going). Safe to call twice."""
        self._stopped = True
        self._check_timer.stop()
        self._test_timer.stop()
        self._bank.stop()
        self._playing = None

    # --- inside ----------------------------------------------------------------------------------
    def _apply(self) -> None:
        """Give the speakers what should sound: the test, else the alarm; nothing without an output."""
        want: AlarmKind | None = None
        if self._testing:
            want = AlarmKind.CRITICAL
        elif self._alarm is not None:
            want = self._alarm.kind
        if not self._audio or self._stopped:
            want = None
        if want is self._playing:
            return
        if want is None:
            self._bank.stop()
        else:
            self._bank.play(want)
        self._playing = want

    @Slot()
    def _end_test(self) -> None:
        self._testing = False
        self.testChanged.emit(False)
        self._apply()

    @Slot(str)
    def _on_bank_failed(self, reason: str) -> None:
        log.error("alarm sound: %s", reason)
        self._bank_failure = reason
        self.check_audio()

    def _store(self) -> QSettings:
        if self._settings is None:
            self._settings = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, "noc-console", "alarms", self
            )
        return self._settings

    def _set_mute(self, mute: Mute | None) -> None:
        self._mute = mute
        settings = self._store()
        if mute is None:
            settings.remove(SETTINGS_KEY)
        else:
            settings.setValue(SETTINGS_KEY, mute.until.isoformat())
        settings.sync()  # a console killed a second later still knows
        self.mutedChanged.emit(None if mute is None else mute.until)

    def _restore(self, now: datetime) -> None:
        self._restore_pending = False
        settings = self._store()
        stored = settings.value(SETTINGS_KEY, "")
        if not stored:
            return
        try:
            try:
                until = datetime.fromisoformat(str(stored))
            except ValueError:
                raise ValueError(f"mute.until: not a time: {str(stored)[:40]!r}") from None
            mute = Mute.restored(until, now)
        except ValueError as exc:
            log.warning("ignoring the stored mute, alarms sound: %s", exc)
            mute = None
        if mute is None:
            settings.remove(SETTINGS_KEY)
            settings.sync()
            return
        log.info("alarms stay muted until %s (muted before the restart)", mute.until.isoformat())
        self._mute = mute
        self.mutedChanged.emit(mute.until)
