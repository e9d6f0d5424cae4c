"""The operator's layout, remembered per desk in the user's settings (QSettings): the window's place
and size, the table's columns (widths and order), the last tab, the splitter; the wall's screen.

`--reset-layout` forgets it all (filters are kept: they are not layout). A window restored onto a
screen that is no longer there is moved back onto a visible one (domain.placement).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from noc_console.domain.placement import Rect, on_a_screen

GEOMETRY = "operator/geometry"
MAXIMIZED = "operator/maximized"
TABLE = "operator/table_header"
TAB = "operator/tab"
SPLITTER = "operator/splitter"
WALL_SCREEN = "wall/screen"
THEME = "operator/theme"  # not layout: --reset-layout keeps it
LAYOUT_KEYS = (GEOMETRY, MAXIMIZED, TABLE, TAB, SPLITTER, WALL_SCREEN)


def console_settings() -> QSettings:
    """The settings the window and the wall keep (an INI file in the user's config directory)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "noc-console", "console")


def reset_layout(settings: QSettings) -> None:
    for key in LAYOUT_KEYS:
        settings.remove(key)
    settings.sync()


def _rect(rect: QRect) -> Rect:
    return Rect(rect.x(), rect.y(), rect.width(), rect.height())


def keep_on_screen(window: QWidget) -> bool:
    """Move `window` onto a visible screen if it is not (mostly) on one; True if it was moved."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    primary = app.primaryScreen()
    if primary is None:
        return False
    screens = [_rect(screen.availableGeometry()) for screen in app.screens()]
    where = _rect(window.frameGeometry() if window.isVisible() else window.geometry())
    placed = on_a_screen(where, screens, _rect(primary.availableGeometry()))
    if placed == where:
        return False
    window.setGeometry(placed.x, placed.y, placed.width, placed.height)
    return True


def restore_window(window: QWidget, settings: QSettings) -> bool:
    """The window's remembered place and size, kept on a visible screen; False when none is remembered."""
    saved = settings.value(GEOMETRY)
    if saved is None or not window.restoreGeometry(saved):
        return False
    keep_on_screen(window)
    return True


def save_window(window: QWidget, settings: QSettings) -> None:
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(MAXIMIZED, window.isMaximized())
