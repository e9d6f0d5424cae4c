"""Starts the GUI: the application object, theme, icon and the operator window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import PollerCommand
from noc_console.ui.theme import apply_theme

APP_NAME = "NOC Console"


def resources_dir() -> Path:
    """`resources/` next to the package, or inside the PyInstaller bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def app_icon() -> QIcon | None:
    path = resources_dir() / "noc-console.svg"
    return QIcon(str(path)) if path.is_file() else None


def grab_screenshot(window: QWidget, path: str | Path) -> Path:
    """Save what the window draws (no window manager needed) as a PNG; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def run_gui(
    db_url: str,
    sla: SlaPolicy,
    operator: str,
    poller: PollerCommand | None,
    title: str = APP_NAME,
    headless_seconds: float | None = None,
    warnings: Sequence[str] = (),
) -> int:
    """Run the operator window until it closes (or for `headless_seconds`, for smoke tests)."""
    from noc_console.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    apply_theme(app)
    window = MainWindow(db_url, sla, operator, poller, title=title, warnings=warnings)
    screen = app.primaryScreen()
    if screen is not None:
        # Without a window manager (a kiosk wall screen) showMaximized alone does nothing: size it too.
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    if headless_seconds is not None:
        QTimer.singleShot(int(headless_seconds * 1000), window.close)
    try:
        return int(app.exec())
    finally:
        window.shutdown()
