"""A fresh `pip install` of the project: the command, its version, its icon, sounds and translations,
its menu entry."""

from __future__ import annotations

import importlib.metadata
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL, **kwargs
    )  # type: ignore[call-overload, no-any-return]


@pytest.mark.timeout(600)
def test_a_wheel_installs_a_console_with_its_version_resources_and_menu_entry(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(wheels)], cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("noc_console-*.whl")
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # the dependencies come from the test's own environment; the project itself only from the wheel
    target = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    )
    (target / "deps.pth").write_text(
        "\n".join(p for p in site.getsitepackages() if "site-packages" in p) + "\n"
    )
    installed = run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)]
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    command = venv / "bin" / "noc-console"
    assert command.is_file()
    home = tmp_path / "home"
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
    }  # fmt: skip
    elsewhere = tmp_path / "elsewhere"  # not the checkout: the installed package must stand alone
    elsewhere.mkdir()
    version = run([str(command), "--version"], cwd=elsewhere, env=env)
    assert version.returncode == 0, version.stderr
    assert version.stdout.splitlines()[0] == f"noc-console {importlib.metadata.version('noc-console')}"
    code = (
        "import noc_console, noc_console.desktop as d; print(d.resources_dir()); print(noc_console.__file__)"
    )
    where = run([str(python), "-c", code], cwd=elsewhere, env=env)
    resources, package = (Path(line) for line in where.stdout.split())
    assert str(package).startswith(str(venv)), package  # the installed copy, not the checkout
    assert resources == venv / "share" / "noc-console" / "resources"
    assert (resources / "noc-console.svg").is_file() and len(
        list((resources / "sounds").glob("alarm-*.wav"))
    ) == 7
    assert (resources / "i18n" / "noc_console_es.qm").read_bytes() == (
        ROOT / "resources" / "i18n" / "noc_console_es.qm"
    ).read_bytes()  # the Spanish translation travels with the package
    desktop = run([str(command), "install-desktop"], cwd=elsewhere, env=env)
    assert desktop.returncode == 0, desktop.stderr
    entry = (home / "data" / "applications" / "noc-console.desktop").read_text()
    assert f"Exec={command}" in entry
