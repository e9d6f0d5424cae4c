"""Where a remembered window goes when the screens have changed: always somewhere the operator sees it.

Pure geometry (x, y, width, height in desktop pixels), so the rule is tested without real screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_VISIBLE = 0.5  # the share of a window that must be on one screen for it to stay where it was


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    @property
    def area(self) -> int:
        return max(self.width, 0) * max(self.height, 0)

    def overlap(self, other: Rect) -> int:
        """The area this rectangle shares with `other`."""
        width = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        height = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(width, 0) * max(height, 0)


def on_a_screen(window: Rect, screens: Sequence[Rect], primary: Rect) -> Rect:
    """`window` where it was when half of it or more is on one of `screens`; else moved onto `primary`
    (centred there, and shrunk to fit it when it is larger)."""
    if window.area and any(window.overlap(screen) >= MIN_VISIBLE * window.area for screen in screens):
        return window
    width = min(max(window.width, 1), primary.width)
    height = min(max(window.height, 1), primary.height)
    return Rect(
        primary.x + (primary.width - width) // 2, primary.y + (primary.height - height) // 2, width, height
    )
