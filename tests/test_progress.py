"""Long work shows progress: a bar on a terminal (never in a pipe or a log), a sync of many calls told
call by call, and the window's first load shown as loading, not as an empty table."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from noc_console.domain.sla import SlaPolicy
from noc_console.progress import TerminalProgress, line
from noc_console.store import open_store
from noc_console.store.outbox import Outbox, sync
from tests.cli.test_call_outbox import a_draft


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_draws_on_a_terminal_at_most_ten_times_a_second_and_ends_its_line() -> None:
    now = [0.0]
    out = Terminal()
    bar = TerminalProgress("seeding", out, clock=lambda: now[0])
    for done in range(0, 101):
        now[0] += 0.01  # a hundred steps in one second
        bar(done, 100)
    drawn = out.getvalue()
    assert drawn.count("\r") <= 12 and drawn.endswith("\n")  # ~10 a second, and the last one always
    assert drawn.rstrip("\n").split("\r")[-1] == line("seeding", 100, 100)
    assert line("seeding", 100, 100).endswith("100/100 100 %") and "#" * 30 in line("seeding", 100, 100)
    assert line("seeding", 25, 100) == "seeding [########                      ]  25/100  25 %"


def test_no_bar_where_the_output_is_not_a_terminal() -> None:
    out = io.StringIO()
    bar = TerminalProgress("call sync", out)
    bar(1, 2)
    bar(2, 2)
    bar.close()
    assert out.getvalue() == ""


def test_a_sync_of_many_calls_reports_each_one(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    at = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    for n in range(1, 6):
        outbox.put(a_draft(n, at), at)
    told: list[tuple[int, int]] = []
    url = f"sqlite:///{tmp_path / 'noc.db'}"
    result = sync(
        outbox, lambda: open_store(url), policy=SlaPolicy(), progress=lambda d, t: told.append((d, t))
    )
    assert len(result.stored) == 5 and result.left == 0
    assert told == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
