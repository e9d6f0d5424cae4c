"""The command line in a new interpreter, as a script runs it: the other command-line tests fork it from
an already-imported one (tests/cli/zygote.py), which would hide a command that works only because
another command's module was imported first."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run_cli


def test_everyday_commands_work_in_a_fresh_interpreter(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'noc.db'}"
    config = tmp_path / "noc.toml"
    config.write_text('[operator]\nname = "ana"\n')
    migrated = run_cli("--db", db, "migrate", fresh=True)
    assert migrated.returncode == 0, migrated.stderr
    listed = run_cli("--db", db, "--config", str(config), "incidents", "--all", "--json", fresh=True)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
    missing = run_cli("--db", db, "show", "1", "--json", fresh=True)
    assert missing.returncode == 4 and "incident 1 does not exist" in missing.stderr
    windows = run_cli("--db", db, "maintenance", "list", "--json", fresh=True)
    assert windows.returncode == 0, windows.stderr
    figures = run_cli("--db", db, "--config", str(config), "metrics", "--since", "7d", "--json", fresh=True)
    assert figures.returncode == 0, figures.stderr
    assert json.loads(figures.stdout)["incidents"] == 0
