"""`noc-console wall --screen N`: a screen that is not there is a usage error naming --screen."""

from __future__ import annotations

import os

from tests.cli.helpers import run_cli


def test_an_unknown_screen_fails_with_a_line_naming_the_option(tmp_path) -> None:
    assert os.environ.get("QT_QPA_PLATFORM") == "offscreen"  # one screen
    database = tmp_path / "noc.db"
    result = run_cli("--db", f"sqlite:///{database}", "wall", "--screen", "7")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("noc-console: --screen: no screen 7: this machine has 1 screen")
    assert not database.exists()  # refused before anything was opened


def test_a_screen_that_is_not_a_number_is_refused_too(tmp_path) -> None:
    result = run_cli("--db", f"sqlite:///{tmp_path / 'noc.db'}", "wall", "--screen", "left")
    assert result.returncode == 2
    assert "--screen" in result.stderr and "not a screen number" in result.stderr
