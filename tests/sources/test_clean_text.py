"""The shared cleaning of text from a payload, and the HTTP Date header: pure helpers of sources.base."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from noc_console.sources.base import clean_text, http_date


@pytest.mark.parametrize(
    "text",
    [
        "Payments API 5xx rate above 5%",
        "שרת התשלומים לא מגיב — payments-api-1",  # right to left, kept in logical order
        "\u200f(\u202eevil\u202c) الخادم لا يستجيب",  # direction marks are text, not ours to judge
        "<b>Checkout</b> <script>alert('x')</script> &lt;down&gt;",  # shown as plain text: kept
        "emoji 🔥 and a combining e\u0301",
        "",
    ],
)
def test_ordinary_and_hostile_looking_text_is_kept_exactly(text: str) -> None:
    assert clean_text(text, 500) == text


def test_nul_is_removed_wherever_it_is() -> None:
    assert clean_text("\x00Disk\x00 full\x00", 500) == "Disk full"
    assert clean_text("\x00" * 1000, 5) == ""


def test_lone_surrogates_become_the_replacement_character() -> None:
    # json.loads turns the escape "\ud800" into a lone surrogate, which no database can encode as UTF-8.
    cleaned = clean_text("broken \ud800 and \udc80 escapes", 500)
    assert cleaned == "broken \ufffd and \ufffd escapes"
    cleaned.encode("utf-8")


def test_long_text_is_cut_to_the_limit_and_marked() -> None:
    long = "x" * 100_000
    cut = clean_text(long, 500)
    assert len(cut) == 500
    assert cut == "x" * 499 + "…"
    assert clean_text("x" * 500, 500) == "x" * 500  # exactly at the limit: untouched
    assert clean_text("ab\x00c", 3) == "abc"  # NUL removed first, then measured


def test_long_identity_is_a_stable_hash_that_keeps_two_ids_apart() -> None:
    first = "f" * 300 + "1"
    second = "f" * 300 + "2"
    a, b = clean_text(first, 200, identity=True), clean_text(second, 200, identity=True)
    assert a != b
    assert a == clean_text(first, 200, identity=True)
    assert len(a) <= 200 and a.startswith("sha256:")
    assert clean_text("3c9ad2d0f4b1e8a7", 200, identity=True) == "3c9ad2d0f4b1e8a7"
    assert len(clean_text("z" * 300, 16, identity=True)) == 16  # a limit shorter than the hash still holds


def test_limit_must_leave_room_for_text() -> None:
    with pytest.raises(ValueError, match="limit"):
        clean_text("abc", 0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Fri, 27 Nov 2026 13:35:17 GMT", datetime(2026, 11, 27, 13, 35, 17, tzinfo=UTC)),
        ("Fri, 27 Nov 2026 14:35:17 +0100", datetime(2026, 11, 27, 13, 35, 17, tzinfo=UTC)),
        ("Fri, 27 Nov 2026 13:35:17 -0000", datetime(2026, 11, 27, 13, 35, 17, tzinfo=UTC)),
        (None, None),
        ("", None),
        ("yesterday", None),
        ("Fri, 32 Nov 2026 13:35:17 GMT", None),
    ],
)
def test_http_date(header: str | None, expected: datetime | None) -> None:
    parsed = http_date(header)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC
