"""Write resources/sounds/alarm-*.wav, the alarm sounds: one per severity, one for an incident a
customer reported, one for a source that went stale.

16-bit PCM mono at 44.1 kHz, standard library only (`wave`, `math`), byte-identical on every run: the
committed WAVs are this script's output, and a test regenerates them and compares. Edit the script,
then run `python resources/make_sounds.py` (or `--out DIR` to write elsewhere).

Each sound loops until the alarm stops, so its silent tail sets the rhythm. They differ in pattern,
not only in pitch, so an operator tells them apart from across the room:
critical a fast two-tone siren with no pause; major a triple beep; minor a double beep; warning one
soft tone; info a short two-note chime; customer a rising three-note motif; source-stale a low
pulsing tone.
"""

from __future__ import annotations

import argparse
import math
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 44_100
FULL_SCALE = 32_767
EDGE_S = 0.004  # fade every tone's start and end over 4 ms: no clicks
TAU = 2 * math.pi

# (multiple of the fundamental, weight): a few harmonics make a tone cut through a noisy room
PURE = ((1, 1.0),)
BRIGHT = ((1, 1.0), (2, 0.35), (3, 0.2))
SQUARISH = ((1, 1.0), (3, 0.33), (5, 0.2))
WARM = ((1, 1.0), (2, 0.5))


def silence(seconds: float) -> list[float]:
    return [0.0] * round(seconds * RATE)


def _edges(i: int, n: int, edge: int) -> float:
    """A linear fade over `edge` samples at both ends of `n` samples."""
    if edge <= 0:
        return 1.0
    return min(1.0, (i + 1) / edge, (n - i) / edge)


def tone(
    frequency: float,
    seconds: float,
    harmonics: Sequence[tuple[int, float]] = PURE,
    edge_s: float = EDGE_S,
    envelope: Callable[[float], float] | None = None,
) -> list[float]:
    """A tone of `seconds` at most 1.0 loud; `envelope(t)` shapes its loudness over time."""
    n = round(seconds * RATE)
    edge = round(edge_s * RATE)
    norm = sum(weight for _, weight in harmonics)
    out = []
    for i in range(n):
        t = i / RATE
        value = sum(weight * math.sin(TAU * frequency * k * t) for k, weight in harmonics) / norm
        shape = envelope(t) if envelope is not None else 1.0
        out.append(shape * _edges(i, n, edge) * value)
    return out


def siren(high: float, low: float, segment_s: float, segments: int) -> list[float]:
    """Alternating high and low tones, phase-continuous (no click at a switch), faded at both ends."""
    per_segment = round(segment_s * RATE)
    n = per_segment * segments
    edge = round(EDGE_S * RATE)
    norm = sum(weight for _, weight in SQUARISH)
    phase = 0.0
    out = []
    for i in range(n):
        frequency = high if (i // per_segment) % 2 == 0 else low
        phase += TAU * frequency / RATE
        value = sum(weight * math.sin(k * phase) for k, weight in SQUARISH) / norm
        out.append(_edges(i, n, edge) * value)
    return out


def mix_at(base: list[float], offset_s: float, sound: list[float]) -> list[float]:
    """`sound` added into `base` from `offset_s` on (base grows if needed)."""
    start = round(offset_s * RATE)
    end = start + len(sound)
    if end > len(base):
        base = base + [0.0] * (end - len(base))
    for i, value in enumerate(sound):
        base[start + i] += value
    return base


def critical() -> list[float]:
    # 8 alternations a second, no pause between loops: unmistakable and relentless.
    return siren(high=988.0, low=740.0, segment_s=0.125, segments=8)


def major() -> list[float]:
    beep = tone(1046.5, 0.12, BRIGHT)
    gap = silence(0.08)
    return beep + gap + beep + gap + beep + silence(0.5)


def minor() -> list[float]:
    beep = tone(784.0, 0.16, BRIGHT)
    return beep + silence(0.12) + beep + silence(0.8)


def warning() -> list[float]:
    # one soft tone with a slow rise and fall
    return tone(587.3, 0.45, WARM, edge_s=0.06) + silence(1.0)


def info() -> list[float]:
    def bell(t: float) -> float:
        return math.exp(-6.0 * t)

    chime = mix_at(silence(1.4), 0.0, tone(1318.5, 0.5, PURE, envelope=bell))
    return mix_at(chime, 0.2, tone(1046.5, 0.6, PURE, envelope=bell))


def customer() -> list[float]:
    # C5, G5, C6: a rising call that no severity uses
    notes = [tone(f, 0.14, BRIGHT) for f in (523.25, 783.99, 1046.5)]
    gap = silence(0.04)
    return notes[0] + gap + notes[1] + gap + notes[2] + silence(0.45)


def source_stale() -> list[float]:
    # a low tone throbbing four times: the NOC has gone blind somewhere
    def throb(t: float) -> float:
        return math.sin(math.pi * t / 0.3) ** 2

    return tone(196.0, 1.2, WARM, envelope=throb) + silence(0.3)


# name -> (pattern, peak level 0..1): the louder the alarm, the closer to full scale
SOUNDS: dict[str, tuple[Callable[[], list[float]], float]] = {
    "critical": (critical, 0.9),
    "major": (major, 0.8),
    "minor": (minor, 0.7),
    "warning": (warning, 0.45),
    "info": (info, 0.4),
    "customer": (customer, 0.9),
    "source-stale": (source_stale, 0.75),
}


def normalized(samples: list[float], peak: float) -> list[float]:
    """`samples` scaled so that the loudest one reaches `peak` of full scale."""
    highest = max(abs(value) for value in samples)
    return [value * peak / highest for value in samples]


def pcm16(samples: Sequence[float]) -> bytes:
    """Little-endian signed 16-bit frames, clipped to full scale."""
    out = bytearray()
    for value in samples:
        level = max(-FULL_SCALE, min(FULL_SCALE, round(value * FULL_SCALE)))
        out += level.to_bytes(2, "little", signed=True)
    return bytes(out)


def write_wav(path: Path, samples: Sequence[float]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm16(samples))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "sounds")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (make, peak) in SOUNDS.items():
        path = args.out / f"alarm-{name}.wav"
        samples = normalized(make(), peak)
        write_wav(path, samples)
        print(f"{path.name}: {len(samples) / RATE:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
