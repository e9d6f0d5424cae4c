"""The alarm sounds in resources/sounds are what resources/make_sounds.py writes, and fit the player."""

from __future__ import annotations

import array
import subprocess
import sys
import wave
from pathlib import Path

from noc_console.domain.alarms import AlarmKind
from noc_console.ui.alarm_player import sound_path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "resources" / "make_sounds.py"


def test_regenerating_the_sounds_gives_byte_identical_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    made = sorted(p.name for p in tmp_path.glob("*.wav"))
    committed = sorted(p.name for p in (ROOT / "resources" / "sounds").glob("*.wav"))
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_bytes() == (ROOT / "resources" / "sounds" / name).read_bytes(), name


def test_every_alarm_kind_has_a_short_distinct_16_bit_mono_sound() -> None:
    frames: dict[AlarmKind, bytes] = {}
    for kind in AlarmKind:
        with wave.open(str(sound_path(kind))) as sound:
            assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 44_100), kind
            seconds = sound.getnframes() / sound.getframerate()
            assert 0.3 <= seconds <= 1.6, (kind, seconds)
            frames[kind] = sound.readframes(sound.getnframes())
        samples = array.array("h", frames[kind])
        if sys.byteorder == "big":
            samples.byteswap()
        assert max(abs(s) for s in samples) > 10_000, kind  # loud enough to hear across a room
    assert len(set(frames.values())) == len(AlarmKind)
