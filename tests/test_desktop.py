"""On the desk: `--version` says what runs, and `install-desktop` writes a menu entry that validates and
the icon at every hicolor size."""

from __future__ import annotations

import importlib.metadata
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

from noc_console.desktop import APP_ID, ICON_SIZES, desktop_entry, install_desktop, resources_dir
from tests.cli.helpers import run_cli
from tests.servers import skip_or_fail


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def validate(entry: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        skip_or_fail("desktop-file-validate is missing (apt-get install desktop-file-utils)")
        return
    checked = subprocess.run([tool, str(entry)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout + checked.stderr


def test_install_desktop_writes_an_entry_that_validates_and_every_icon_size(tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    before = QCoreApplication.instance()
    installed = install_desktop(tmp_path, ["/opt/noc console/bin/noc-console"])
    assert QCoreApplication.instance() is before  # drawn without an application of its own
    entry = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert installed.entry == entry
    text = entry.read_text()
    assert 'Exec="/opt/noc console/bin/noc-console"' in text and f"Icon={APP_ID}" in text
    validate(entry)
    for size in ICON_SIZES:
        assert png_size(tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (
            size,
            size,
        )
    scalable = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (resources_dir() / f"{APP_ID}.svg").read_bytes()
    again = install_desktop(tmp_path, ["/usr/bin/noc-console"])  # a second run replaces, never duplicates
    exec_lines = [line for line in again.entry.read_text().splitlines() if line.startswith("Exec=")]
    assert exec_lines == ["Exec=/usr/bin/noc-console"]
    assert not list(tmp_path.rglob("*.partial"))


def test_exec_arguments_are_quoted_as_the_specification_says() -> None:
    entry = desktop_entry(["/home/ana/noc $stack/bin/python", "-m", "noc_console"])
    assert 'Exec="/home/ana/noc \\$stack/bin/python" -m noc_console' in entry
    assert "Exec=/usr/bin/noc-console --config 100%%.toml" in desktop_entry(
        ["/usr/bin/noc-console", "--config", "100%.toml"]
    )


def test_the_command_line_installs_into_the_users_data_dir(tmp_path: Path) -> None:
    result = run_cli("install-desktop")
    assert result.returncode == 0, result.stderr
    entry = Path(result.stdout.splitlines()[0].removeprefix("menu entry: "))
    assert entry.name == f"{APP_ID}.desktop" and entry.is_file()
    validate(entry)


def test_version_names_the_release_qt_python_and_the_database(tmp_path: Path) -> None:
    result = run_cli("--db", f"sqlite:///{tmp_path}/noc.db", "--version")
    assert result.returncode == 0, result.stderr
    first, python, qt, database = result.stdout.splitlines()
    assert first == f"noc-console {importlib.metadata.version('noc-console')}"
    assert python.startswith(f"Python {sys.version_info.major}.{sys.version_info.minor}.")
    assert qt.startswith("Qt 6.") and "PySide6" in qt
    assert database.startswith("SQLite 3.") and not (tmp_path / "noc.db").exists()  # nothing created


def test_version_waits_briefly_for_a_database_that_is_away() -> None:
    started = time.monotonic()
    result = run_cli("--db", "postgresql://postgres@127.0.0.1:9/noc", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "PostgreSQL: cannot connect to postgresql://postgres@127.0.0.1:9/noc (OperationalError)"
    )
    assert time.monotonic() - started < 8


def test_version_names_the_postgresql_server(pg_url: str) -> None:
    result = run_cli("--db", pg_url, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("PostgreSQL 1")
