"""`noc-console demo` shows every state of an incident within its first two minutes, headless."""

from __future__ import annotations

import re

import pytest

from tests.cli.helpers import run_cli


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_demo_shows_every_state_within_two_minutes() -> None:
    done = run_cli("demo", "--headless", "110", timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = done.stdout[done.stdout.index("demo summary") :]
    said = f"{summary}\n--- the demo's log, its end:\n{done.stderr[-4000:]}"  # all of it, should one fail
    rows = [line for line in summary.splitlines() if re.match(r"\s+#\d+", line)]
    assert any("acknowledged" in row for row in rows), said  # the operator acknowledged one
    assert any("[CUSTOMER-DETECTED]" in row for row in rows), said  # a customer phoned first
    assert any("SLA breach" in row for row in rows), said  # a clock ran out (the engine wrote it)
    assert any("[NEEDS REVIEW]" in row for row in rows), said  # one cleared before anyone looked
    assert any("[owner m.okafor]" in row for row in rows), said  # assigned, assessed, updated
    # an unacknowledged critical paged the on-call engineer, then the second line, and stopped on ack
    assert "page received at /on-call: level 1 for #" in summary, said
    assert "page received at /second-line: level 2 for #" in summary, said
    assert any("[ESCALATION STOPPED: ACKNOWLEDGED BY" in row for row in rows), said
    assert "source branch-alertmanager: BLIND: HTTP 401" in summary, said  # a login expired
    assert "source demo-alertmanager: ok" in summary, said
    assert done.stderr.count("branch-alertmanager failed") == 1  # said once, not every 2 s
