"""The alarm player and the window's alarm controls, with a recording sound bank and injected clocks.

Real sound is tested in test_alarm_sound.py; here the speakers are a list of what they were told.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from noc_console.domain.alarms import AlarmKind
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.clock import utcnow
from noc_console.domain.incidents import DetectionSource, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import repository as repo
from noc_console.ui.alarm_player import AUDIO_CHECK_MS, SETTINGS_KEY, AlarmPlayer, SoundBank
from noc_console.ui.main_window import MainWindow
from tests.ui.conftest import Clock, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

T0 = datetime(2026, 5, 4, 12, 20, 30, tzinfo=UTC)


class RecordingBank(SoundBank):
    """Speakers that write down what they were told to play; None for 'stop'."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[AlarmKind | None] = []
        self.now_playing: AlarmKind | None = None

    def missing(self) -> list[str]:
        return []

    def load(self) -> None:
        pass

    def play(self, kind: AlarmKind) -> None:
        self.calls.append(kind)
        self.now_playing = kind

    def stop(self) -> None:
        self.calls.append(None)
        self.now_playing = None


class Outputs:
    """The audio outputs Qt would list; a test plugs and unplugs them."""

    def __init__(self, present: bool) -> None:
        self.present = present

    def __call__(self) -> list[Any]:
        return ["Null Output"] if self.present else []


def settings_at(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "alarms.ini"


@pytest.fixture
def make_player(settings_path: Path) -> Iterator[Any]:
    made: list[AlarmPlayer] = []

    def make(audio: bool = True, test_ms: int = 3000) -> AlarmPlayer:
        player = AlarmPlayer(
            bank=RecordingBank(),
            outputs=Outputs(audio),
            settings=settings_at(settings_path),
            test_ms=test_ms,
        )
        made.append(player)
        return player

    yield make
    for player in made:
        player.stop()


def bank(player: AlarmPlayer) -> RecordingBank:
    result = player._bank
    assert isinstance(result, RecordingBank)
    return result


# --- the player ----------------------------------------------------------------------------------


def test_the_player_plays_the_decided_alarm_switches_and_stops(make_player) -> None:
    player = make_player()
    seen: list[Any] = []
    player.alarmChanged.connect(seen.append)
    critical = make_incident(1, Severity.CRITICAL)
    player.update((critical,), [], T0)
    assert bank(player).now_playing is AlarmKind.CRITICAL and player.playing is AlarmKind.CRITICAL
    player.update((critical,), [], T0 + timedelta(seconds=1))
    assert bank(player).calls == [AlarmKind.CRITICAL]  # nothing restarted while nothing changed
    reported = make_incident(2, Severity.MINOR, detected_by=DetectionSource.CUSTOMER)
    player.update((critical, reported), [], T0 + timedelta(seconds=2))
    assert bank(player).now_playing is AlarmKind.CUSTOMER
    acked = tuple(replace(i, status=IncidentStatus.ACKNOWLEDGED) for i in (critical, reported))
    player.update(acked, [], T0 + timedelta(seconds=3))
    assert bank(player).now_playing is None and player.playing is None
    assert [a.kind if a else None for a in seen] == [AlarmKind.CRITICAL, AlarmKind.CUSTOMER, None]


def test_without_an_output_nothing_plays_and_the_player_says_why(make_player) -> None:
    player = make_player(audio=False)
    assert not player.audio_available
    assert player.audio_problem == "no audio output device"
    alarm = player.update((make_incident(1, Severity.CRITICAL),), [], T0)
    assert alarm is not None and player.alarm is alarm  # it should sound: the window must show it
    assert bank(player).calls == [] and player.playing is None


def test_the_audio_check_runs_every_minute_and_follows_the_outputs(make_player) -> None:
    player = make_player(audio=True)
    assert player._check_timer.isActive() and player._check_timer.interval() == AUDIO_CHECK_MS == 60_000
    states: list[tuple[bool, str]] = []
    player.audioChanged.connect(lambda ok, why: states.append((ok, why)))
    player.update((make_incident(1, Severity.MAJOR),), [], T0)
    assert bank(player).now_playing is AlarmKind.MAJOR
    player._outputs.present = False  # the headset is unplugged
    assert player.check_audio() is False
    assert bank(player).now_playing is None
    player._outputs.present = True
    assert player.check_audio() is True
    assert bank(player).now_playing is AlarmKind.MAJOR  # the alarm comes back on the new output
    assert states == [(False, "no audio output device"), (True, "")]


def test_missing_sound_files_mean_no_audio_named(tmp_path, make_player) -> None:
    player = AlarmPlayer(
        bank=SoundBank(sounds_dir=tmp_path), outputs=Outputs(True), settings=settings_at(tmp_path / "s.ini")
    )
    try:
        assert not player.audio_available
        assert player.audio_problem.startswith("alarm sounds missing: alarm-customer.wav, alarm-critical.wav")
    finally:
        player.stop()


def test_a_device_that_refuses_a_sound_means_no_audio(make_player) -> None:
    player = make_player()
    bank(player).failed.emit("the audio device refused the critical alarm sound")
    assert not player.audio_available
    assert player.audio_problem == "the audio device refused the critical alarm sound"


def test_mute_silences_at_once_and_unmutes_itself_when_the_clock_passes_it(make_player) -> None:
    player = make_player()
    mutes: list[Any] = []
    player.mutedChanged.connect(mutes.append)
    incidents = (make_incident(1, Severity.CRITICAL),)
    player.update(incidents, [], T0)
    until = player.mute(15, T0)
    assert until == T0 + timedelta(minutes=15) == player.muted_until
    assert bank(player).now_playing is None and player.alarm is None
    player.update(incidents, [], until - timedelta(seconds=1))
    assert bank(player).now_playing is None
    player.update(incidents, [], until)
    assert player.muted_until is None and bank(player).now_playing is AlarmKind.CRITICAL
    assert mutes == [until, None]


@pytest.mark.parametrize("minutes", [0, 61, -1])
def test_mute_bounds_are_refused_naming_the_field(make_player, minutes) -> None:
    player = make_player()
    with pytest.raises(ValueError, match=r"^mute\.minutes: must be between 1 and 60"):
        player.mute(minutes, T0)
    assert player.muted_until is None


def test_a_mute_survives_a_restart_until_its_time(make_player, settings_path) -> None:
    first = make_player()
    until = first.mute(30, T0)
    # on disk at once: a console killed a second later (SIGKILL, power cut) still knows
    assert until.isoformat() in settings_path.read_text()
    first.stop()  # the console is restarted ten minutes later
    second = make_player()
    incidents = (make_incident(1, Severity.CRITICAL),)
    second.update(incidents, [], T0 + timedelta(minutes=10))
    assert second.muted_until == until and bank(second).now_playing is None
    second.update(incidents, [], until)
    assert second.muted_until is None and bank(second).now_playing is AlarmKind.CRITICAL
    assert settings_at(settings_path).value(SETTINGS_KEY) is None


@pytest.mark.parametrize(
    "stored",
    [
        "not a time",
        (T0 + timedelta(minutes=61)).isoformat(),  # past the maximum: an edited file, a clock gone back
        "2026-05-04T12:40:00",  # no time zone
        (T0 - timedelta(seconds=1)).isoformat(),  # over while the console was down
    ],
)
def test_a_stored_mute_that_cannot_hold_lets_the_alarm_sound(make_player, settings_path, stored) -> None:
    settings = settings_at(settings_path)
    settings.setValue(SETTINGS_KEY, stored)
    settings.sync()
    player = make_player()
    player.update((make_incident(1, Severity.CRITICAL),), [], T0)
    assert player.muted_until is None and bank(player).now_playing is AlarmKind.CRITICAL
    assert settings_at(settings_path).value(SETTINGS_KEY) is None


def test_the_test_alarm_plays_the_critical_sound_even_muted_then_stops(qtbot, make_player) -> None:
    player = make_player(test_ms=50)
    player.update((make_incident(1, Severity.MINOR),), [], T0)
    player.mute(5, T0)
    assert bank(player).now_playing is None
    with qtbot.waitSignal(player.testChanged, timeout=1000) as started:
        player.test_alarm()
    assert started.args == [True] and bank(player).now_playing is AlarmKind.CRITICAL
    with qtbot.waitSignal(player.testChanged, timeout=5000) as ended:
        pass
    assert ended.args == [False] and bank(player).now_playing is None  # still muted


# --- the window ----------------------------------------------------------------------------------


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'noc.db'}"


def seed_critical(store) -> int:
    with store.session() as s:
        now = repo.db_now(s)
        alert = Alert(
            source="prod-am",
            fingerprint="a",
            labels={"alertname": "down", "service": "checkout"},
            summary="Checkout <b>5xx</b> above 5%",
            description="",
            severity=Severity.CRITICAL,
            starts_at=now,
            service="checkout",
        )
        apply_snapshot(s, AlertSnapshot.of("prod-am", now, [alert]), now=now)
        (incident,) = repo.list_incidents(s, include_resolved=False)
    return incident.id


@pytest.fixture
def open_window(qtbot, db_url, settings_path) -> Iterator[Any]:
    windows: list[MainWindow] = []

    def open_(audio: bool = True, clock: Clock | None = None) -> MainWindow:
        player = AlarmPlayer(
            bank=RecordingBank(), outputs=Outputs(audio), settings=settings_at(settings_path)
        )
        window = MainWindow(db_url, SlaPolicy(), "ana", poller=None, clock=clock or utcnow, alarms=player)
        qtbot.addWidget(window)
        window.resize(1600, 900)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts (M) reach an active window only
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.close()


def local_hm(at: datetime) -> str:
    return f"{at.astimezone():%H:%M}"


def test_m_mutes_for_15_minutes_shows_until_when_and_unmutes_when_the_clock_passes_it(
    qtbot, store, open_window
) -> None:
    seed_critical(store)
    clock = Clock(utcnow())
    window = open_window(clock=clock)
    qtbot.waitUntil(lambda: window.alarms.playing is AlarmKind.CRITICAL, timeout=5000)
    banner = window.alarm_banners.muted_banner
    assert banner.isHidden() and window.alarm_controls.unmute_button.isHidden()

    window.feed.stop()  # from here only the injected clock moves (no database to re-measure it by)
    muted_at = window.db_now()
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    until = muted_at + timedelta(minutes=15)
    assert window.alarms.muted_until == until
    assert banner.isVisible() and banner.text().startswith(f"MUTED until {local_hm(until)}")
    assert window.alarm_controls.unmute_button.isVisible()
    assert window.action_status.text() == f"Alarms muted until {local_hm(until)}"
    assert window.alarms.playing is None

    clock.advance(15 * 60 - 1)
    window.tick()
    assert banner.isVisible() and window.alarms.playing is None
    clock.advance(1)
    window.tick()
    assert banner.isHidden() and window.alarm_controls.unmute_button.isHidden()
    assert window.alarms.playing is AlarmKind.CRITICAL


def test_the_mute_menu_offers_5_15_30_and_60_minutes_and_unmute_ends_it(qtbot, store, open_window) -> None:
    seed_critical(store)
    window = open_window()
    qtbot.waitUntil(lambda: window.alarms.playing is AlarmKind.CRITICAL, timeout=5000)
    menu = window.alarm_controls.mute_menu
    assert [a.text() for a in menu.actions()] == ["Mute 5 min", "Mute 15 min", "Mute 30 min", "Mute 60 min"]
    before = window.db_now()
    menu.actions()[3].trigger()
    until = window.alarms.muted_until
    assert until is not None and timedelta(minutes=60) <= until - before < timedelta(minutes=60, seconds=5)
    qtbot.mouseClick(window.alarm_controls.unmute_button, Qt.MouseButton.LeftButton)
    assert window.alarm_banners.muted_banner.isHidden() and window.alarms.muted_until is None
    qtbot.waitUntil(lambda: window.alarms.playing is AlarmKind.CRITICAL, timeout=3000)


def test_a_window_restarted_during_a_mute_shows_it(qtbot, store, open_window) -> None:
    seed_critical(store)
    first = open_window()
    qtbot.waitUntil(lambda: first.alarms.playing is AlarmKind.CRITICAL, timeout=5000)
    qtbot.keyClick(first.table, Qt.Key.Key_M)
    until = first.alarms.muted_until
    first.close()
    second = open_window()
    banner = second.alarm_banners.muted_banner
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.text().startswith(f"MUTED until {local_hm(until)}")
    assert second.alarms.playing is None


def test_the_test_alarm_button_sounds_while_muted(qtbot, store, open_window) -> None:
    window = open_window()
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    assert window.alarms.muted_until is not None
    qtbot.mouseClick(window.alarm_controls.test_button, Qt.MouseButton.LeftButton)
    assert window.alarms.playing is AlarmKind.CRITICAL
    assert window.action_status.text() == "Test alarm: the critical sound plays for 3 s"
    assert window.alarm_banners.alarm_banner.isHidden()  # it can be heard: no flashing


def test_no_audio_shows_a_standing_warning_and_an_alarm_flashes_until_acknowledged(
    qtbot, store, open_window
) -> None:
    incident_id = seed_critical(store)
    window = open_window(audio=False)
    warning = window.alarm_banners.no_audio_banner
    assert warning.isVisible()
    assert warning.text() == "⚠ NO AUDIO: alarms are visual only — no audio output device"
    flash = window.alarm_banners.alarm_banner
    qtbot.waitUntil(flash.isVisible, timeout=5000)
    assert flash.text() == (
        f"⚠ ALARM, NO SOUND: CRITICAL #{incident_id} Checkout <b>5xx</b> above 5% — 1 unacknowledged"
    )
    assert flash.textFormat() == Qt.TextFormat.PlainText
    styles = set()
    for _ in range(2):
        window.tick()
        styles.add(flash.styleSheet())
    assert len(styles) == 2  # it alternates every second
    with store.session() as s:  # acknowledged elsewhere (another console, the CLI)
        repo.acknowledge(s, incident_id, "cli", repo.db_now(s))
    qtbot.waitUntil(flash.isHidden, timeout=5000)
    assert warning.isVisible()  # the standing warning stays


def test_the_test_alarm_without_audio_flashes_and_says_so(qtbot, store, open_window) -> None:
    window = open_window(audio=False)
    qtbot.mouseClick(window.alarm_controls.test_button, Qt.MouseButton.LeftButton)
    assert window.alarm_banners.alarm_banner.isVisible()
    assert window.alarm_banners.alarm_banner.text().startswith("⚠ TEST ALARM")
    assert window.action_status.text() == (
        "Test alarm: NO AUDIO (no audio output device) — alarms are visual only"
    )


@pytest.mark.parametrize("skew_minutes", [-10, 10])
def test_the_mute_runs_on_the_database_clock_when_this_computer_is_minutes_off(
    qtbot, store, open_window, skew_minutes
) -> None:
    seed_critical(store)
    skew = timedelta(minutes=skew_minutes)
    window = open_window(clock=lambda: utcnow() + skew)
    qtbot.waitUntil(lambda: window.alarms.playing is AlarmKind.CRITICAL, timeout=5000)
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    with store.read() as s:
        db_now = repo.db_now(s)
    until = window.alarms.muted_until
    assert until is not None
    assert abs((until - db_now) - timedelta(minutes=15)) < timedelta(seconds=5), until - db_now
    assert window.alarm_banners.muted_banner.text().startswith(f"MUTED until {local_hm(until)}")
    window.tick()  # judged on the database's clock: still muted, whichever way this clock is off
    assert window.alarms.muted_until == until and window.alarms.playing is None


def test_the_window_decides_each_change_set_as_a_scan_of_its_incidents_would(
    qtbot, store, open_window
) -> None:
    from PySide6.QtWidgets import QApplication

    from noc_console.domain.alarms import AlarmRules

    window = open_window()
    window.feed.stop()
    window.feed.blockSignals(False)  # the test plays the stopped feed's part: its signals carry ours
    QApplication.processEvents()  # the (empty) snapshot the feed may have sent is in before ours
    critical = make_incident(1, Severity.CRITICAL)
    minor = make_incident(2, Severity.MINOR, minutes=-5)
    reported = make_incident(3, Severity.INFO, detected_by=DetectionSource.CUSTOMER)
    steps: list[tuple[list, list]] = [
        ([critical, minor], []),  # the snapshot
        ([reported], []),
        ([replace(reported, status=IncidentStatus.ACKNOWLEDGED)], [critical.id]),  # acked elsewhere, gone
        ([replace(minor, title="Packet loss, now on two edges")], []),
        ([replace(minor, status=IncidentStatus.RESOLVED)], []),
    ]
    window.feed.snapshot.emit(*steps[0], None)
    for n, (changes, removed) in enumerate(steps):
        if n:
            window.feed.incidentsChanged.emit(changes, removed)
        scanned = AlarmRules().decide(list(window.model.incidents), [], None, window.db_now())
        assert window.alarms.alarm == scanned, f"step {n}"
    assert bank(window.alarms).calls == [AlarmKind.CRITICAL, AlarmKind.CUSTOMER, AlarmKind.MINOR, None]


def test_the_wall_falls_silent_with_the_change_set_that_acknowledges_not_a_second_later(
    qtbot, db_url, store, settings_path
) -> None:
    from PySide6.QtWidgets import QApplication

    from noc_console.ui.wall import WallWindow

    clock = Clock(T0)
    player = AlarmPlayer(bank=RecordingBank(), outputs=Outputs(True), settings=settings_at(settings_path))
    wall = WallWindow(db_url, SlaPolicy(), "ana", poller=None, clock=clock, alarms=player)
    qtbot.addWidget(wall)
    try:
        wall.feed.stop()
        wall.feed.blockSignals(False)  # the test plays the stopped feed's part: its signals carry ours
        QApplication.processEvents()
        critical = make_incident(1, Severity.CRITICAL, detected_at=T0, opened_at=T0)
        wall.feed.snapshot.emit([critical], [], None)
        assert player.playing is AlarmKind.CRITICAL
        wall.feed.incidentsChanged.emit([replace(critical, status=IncidentStatus.ACKNOWLEDGED)], [])
        assert player.playing is None and player.alarm is None  # the clock has not moved
    finally:
        wall.close()
