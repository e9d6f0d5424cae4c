"""The PyInstaller bundle builds, and the built executable runs the demo pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_pyinstaller_bundle_runs_the_demo(tmp_path: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        skip_or_fail("PyInstaller is not installed (pip install -e '.[build]')")

    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(tmp_path / "build"),
            "build.spec",
        ],
        check=False,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    exe = dist / "noc-console" / "noc-console"
    assert exe.is_file(), f"no executable at {exe}"
    assert (dist / "noc-console" / "_internal" / "resources").is_dir()
    assert list((dist / "noc-console" / "_internal" / "noc_console" / "store" / "migrations").rglob("*.py"))

    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "TMPDIR": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    run = subprocess.run(
        [str(exe), "demo", "--headless", "10"],
        check=False,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "opened" in output, output[-3000:]

    # the bundle says the package's version (its metadata travels with it), and installs its menu entry
    import importlib.metadata

    shown = subprocess.run(
        [str(exe), "--version"], check=False, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == f"noc-console {importlib.metadata.version('noc-console')}"
    assert "Qt 6." in shown.stdout and "SQLite 3." in shown.stdout
    installed = subprocess.run(
        [str(exe), "install-desktop"], check=False, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    entry = (home / ".local" / "share" / "applications" / "noc-console.desktop").read_text()
    assert f"Exec={exe}" in entry

    # the bundle speaks Spanish: our translation and Qt's own travel with it
    logs = tmp_path / "logs"
    gui = subprocess.Popen(
        [str(exe), "--db", f"sqlite:///{tmp_path / 'gui.db'}", "gui", "--lang", "es"],
        cwd=tmp_path, env={**env, "NOC_CONSOLE_LOG_DIR": str(logs)}, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        said, deadline = "", time.monotonic() + 60
        while "language " not in said and time.monotonic() < deadline and gui.poll() is None:
            time.sleep(0.2)
            said = (logs / "gui.log").read_text() if (logs / "gui.log").exists() else ""
        assert "language es, locale es_419 (Qt's own translation: yes)" in said, said[-3000:]
    finally:
        gui.kill()
        gui.wait(timeout=30)
