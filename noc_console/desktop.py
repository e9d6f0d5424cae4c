"""The console on the desk: its version, where its resources are, and its menu entry on Linux.

`noc-console --version` names this release and what it runs on; `noc-console install-desktop` writes a
freedesktop menu entry and the icon in the hicolor theme's sizes into the user's data directory
($XDG_DATA_HOME, usually ~/.local/share), so the console is in the desktop's menu. Nothing here needs a
display: the icon's sizes are drawn offscreen.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

APP_ID = "noc-console"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def version() -> str:
    """This release's version, from the installed package's metadata (the bundle carries it too)."""
    try:
        return importlib.metadata.version(APP_ID)
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed: run `pip install .`)"


def resources_dir() -> Path:
    """The icon and the sounds: inside the PyInstaller bundle, beside the package in a checkout, or
    where `pip install` put them (share/noc-console under the installation's prefix)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    checkout = Path(__file__).resolve().parents[1] / "resources"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / APP_ID / "resources"


def version_report(database: str | None = None) -> str:
    """What `--version` prints: the release, then what it runs on, one per line."""
    lines = [f"noc-console {version()}", f"Python {platform.python_version()} ({sys.executable})"]
    try:
        from PySide6 import __version__ as pyside
        from PySide6.QtCore import qVersion

        lines.append(f"Qt {qVersion()} (PySide6 {pyside})")
    except ImportError as exc:
        lines.append(f"Qt: not available ({exc})")
    lines.append(database or "database: not checked")
    return "\n".join(lines)


def database_version(url: str) -> str:
    """The database's own version, or why it could not be asked; never raises, never creates a file
    (SQLite: the library's version) and waits at most 3 s for a server."""
    import sqlite3

    from sqlalchemy.engine import make_url

    from noc_console.store.db import StoreError, normalize_url, redact_url

    try:
        parsed = make_url(normalize_url(url))
    except StoreError as exc:
        return str(exc)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} ({parsed.database or 'in memory'})"
    import psycopg

    shown = redact_url(url)
    try:
        conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, connect_timeout=3) as connection:
            number = connection.info.server_version  # e.g. 150008
        return f"PostgreSQL {number // 10000}.{number % 10000} ({shown})"
    except Exception as exc:  # down, refused, a bad password: --version still prints the rest
        return f"PostgreSQL: cannot connect to {shown} ({type(exc).__name__})"


@dataclass(frozen=True, slots=True)
class Installed:
    """What `install-desktop` wrote."""

    entry: Path
    icons: tuple[Path, ...]


def launcher() -> list[str]:
    """How the menu starts this console: the bundle, the installed command, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    beside = Path(sys.executable).with_name(APP_ID)  # the command pip wrote next to this interpreter
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(APP_ID)
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "noc_console"]


def desktop_entry(command: list[str]) -> str:
    """A freedesktop Desktop Entry (specification 1.1, which desktop-file-validate of every current
    distribution knows) that starts the console, in the Network menu."""
    exec_line = " ".join(_exec_quote(part) for part in command)
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.1",
            "Name=NOC Console",
            "GenericName=Network operations console",
            "Comment=Incidents, SLA countdowns, alarms, customer calls and paging for a NOC",
            f"Exec={exec_line}",
            f"TryExec={_exec_quote(command[0])}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Network;Monitor;",
            "Keywords=NOC;incident;alert;alarm;monitoring;on-call;",
            "StartupNotify=true",
            f"StartupWMClass={APP_ID}",
            "",
        ]
    )


def _exec_quote(argument: str) -> str:
    """An Exec argument per the specification: quoted when it holds a reserved character."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if argument and not reserved & set(argument):
        return argument.replace("%", "%%")
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return '"' + escaped.replace("%", "%%") + '"'


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def install_desktop(target: Path | None = None, command: list[str] | None = None) -> Installed:
    """Write the menu entry and the icon (SVG, and PNGs at the hicolor sizes) under `target`."""
    base = target or data_home()
    svg = resources_dir() / f"{APP_ID}.svg"
    if not svg.is_file():
        raise FileNotFoundError(f"the icon {svg} is missing: reinstall NOC Console")
    icons_root = base / "icons" / "hicolor"
    written: list[Path] = []
    scalable = icons_root / "scalable" / "apps" / f"{APP_ID}.svg"
    _write_atomically(scalable, svg.read_bytes())
    written.append(scalable)
    for size, png in render_icon_sizes(svg, ICON_SIZES).items():
        path = icons_root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        _write_atomically(path, png)
        written.append(path)
    entry = base / "applications" / f"{APP_ID}.desktop"
    _write_atomically(entry, desktop_entry(command or launcher()).encode("utf-8"))
    _refresh_caches(base)
    return Installed(entry, tuple(written))


def render_icon_sizes(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """The SVG drawn at each size as PNG bytes: raster painting needs no application object nor display
    (the icon has no text), so this runs from the command line and inside a running window alike."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"the icon {svg} is not a valid SVG")
    pngs: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; only str works)
        buffer.close()
        pngs[size] = bytes(data.data())
    return pngs


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def _refresh_caches(base: Path) -> None:
    """Tell the desktop: menus and icon caches are rebuilt where their tools exist (else at next login)."""
    for command in (
        ["update-desktop-database", "-q", str(base / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(base / "icons" / "hicolor")],
    ):
        found = shutil.which(command[0])
        if found:
            quiet = subprocess.DEVNULL
            argv = [found, *command[1:]]  # a tool found on PATH, with paths of ours
            subprocess.run(argv, check=False, stdin=quiet, stdout=quiet, stderr=quiet, timeout=30)  # noqa: S603


def describe(installed: Installed) -> str:
    icons = installed.icons[0].parents[2]
    return f"menu entry: {installed.entry}\nicons: {len(installed.icons)} under {icons}"
