"""A remembered window goes back where it was only if the operator can see it there."""

from noc_console.domain.placement import Rect, on_a_screen

LAPTOP = Rect(0, 0, 1920, 1080)
LEFT_MONITOR = Rect(-2560, 0, 2560, 1440)


def test_a_window_on_a_screen_stays_where_it_was() -> None:
    window = Rect(-2000, 100, 1600, 900)
    assert on_a_screen(window, [LAPTOP, LEFT_MONITOR], LAPTOP) == window


def test_a_window_whose_screen_is_gone_comes_back_onto_the_primary() -> None:
    window = Rect(-2000, 100, 1600, 900)  # on the monitor that was unplugged
    placed = on_a_screen(window, [LAPTOP], LAPTOP)
    assert placed == Rect(160, 90, 1600, 900)  # centred, same size


def test_a_window_half_off_every_screen_is_moved_and_a_large_one_shrunk() -> None:
    mostly_off = Rect(1700, 900, 800, 600)  # a sliver of it on the laptop
    assert LAPTOP.overlap(on_a_screen(mostly_off, [LAPTOP], LAPTOP)) == 800 * 600
    huge = Rect(5000, 5000, 3840, 2160)
    assert on_a_screen(huge, [LAPTOP], LAPTOP) == LAPTOP
    assert on_a_screen(Rect(10, 10, 0, 0), [LAPTOP], LAPTOP).area > 0  # never a window of no size
