"""Dark wall theme: severity colours readable from five metres, big fonts, a calm dark background."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from noc_console.domain.severity import Severity

TABLE_FONT_PT = 17
HEADER_FONT_PT = 22
CLOCK_FONT_PT = 30
BANNER_FONT_PT = 20

BACKGROUND = QColor("#121417")
SURFACE = QColor("#1b1e23")
TEXT = QColor("#eceff1")
MUTED_TEXT = QColor("#9aa4ad")
OK_GREEN = QColor("#2e7d32")
ALARM_RED = QColor("#ff5252")
WARN_AMBER = QColor("#ffc107")
CLEARING_GREEN = QColor("#69f0ae")
# A status line that must be seen from across the room: bold, on a dark red band.
ALARM_STYLE = (
    "background: #2a0d0f; border: 2px solid #ff5252; font-size: 17pt; font-weight: 800; padding: 4px 10px;"
)

# Solid colour of each severity (chips, severity cell) and the text drawn on it.
SEVERITY_COLOURS: dict[Severity, QColor] = {
    Severity.CRITICAL: QColor("#e53935"),
    Severity.MAJOR: QColor("#fb8c00"),
    Severity.MINOR: QColor("#ffb300"),
    Severity.WARNING: QColor("#fdd835"),
    Severity.INFO: QColor("#78909c"),
}
SEVERITY_TEXT: dict[Severity, QColor] = {
    Severity.CRITICAL: QColor("#ffffff"),
    Severity.MAJOR: QColor("#111111"),
    Severity.MINOR: QColor("#111111"),
    Severity.WARNING: QColor("#111111"),
    Severity.INFO: QColor("#ffffff"),
}
# Row tint: dark enough for white text, distinct enough to tell severities apart across a room.
SEVERITY_TINTS: dict[Severity, QColor] = {
    Severity.CRITICAL: QColor("#4d1518"),
    Severity.MAJOR: QColor("#4a2c0c"),
    Severity.MINOR: QColor("#3f3210"),
    Severity.WARNING: QColor("#37351a"),
    Severity.INFO: QColor("#232c31"),
}

# The selected row: the same hue, lit up, so the row still says its severity from across the room.
SEVERITY_SELECTED_TINTS: dict[Severity, QColor] = {
    Severity.CRITICAL: QColor("#8c2a2f"),
    Severity.MAJOR: QColor("#85511a"),
    Severity.MINOR: QColor("#75601f"),
    Severity.WARNING: QColor("#66622e"),
    Severity.INFO: QColor("#46565f"),
}


def severity_colour(severity: Severity) -> QColor:
    return QColor(SEVERITY_COLOURS[severity])


def table_font(bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(TABLE_FONT_PT)
    font.setBold(bold)
    return font


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: BACKGROUND,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: QColor("#2a2f36"),
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: QColor("#1e88e5"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.ToolTipBase: SURFACE,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: MUTED_TEXT,
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    return palette


STYLESHEET = f"""
QMainWindow, QWidget#central {{ background: {BACKGROUND.name()}; }}
QWidget {{ color: {TEXT.name()}; font-size: 15pt; }}
QWidget#headerBar {{ background: #0b0c0e; border-bottom: 2px solid #2a2f36; }}
QLabel#severityCounter {{ font-size: {HEADER_FONT_PT}pt; font-weight: 800; border-radius: 8px;
    padding: 4px 9px; }}
QLabel#unackCounter {{ font-size: {HEADER_FONT_PT}pt; font-weight: 800; padding: 4px 8px; }}
QLabel#clockUtc {{ font-size: {CLOCK_FONT_PT}pt; font-weight: 700; font-family: monospace; }}
QLabel#clockLocal {{ font-size: 17pt; color: {MUTED_TEXT.name()}; font-family: monospace; }}
QLabel#warningBanner {{ background: #8a5a00; color: #fff3d6; font-size: 17pt; font-weight: 700;
    padding: 8px 18px; border: 2px solid #ffb300; }}
QLabel#banner {{ background: #b71c1c; color: white; font-size: {BANNER_FONT_PT}pt; font-weight: 800;
    padding: 10px 18px; border: 3px solid #ff8a80; }}
QLabel#sourceChip {{ border-radius: 6px; padding: 4px 12px; font-size: 15pt; font-weight: 600; }}
QLabel#pollerStatus, QLabel#actionStatus {{ font-size: 15pt; color: {MUTED_TEXT.name()}; }}
QWidget#detailsPane {{ background: {SURFACE.name()}; border-top: 2px solid #2a2f36; }}
QLabel#detailsTitle {{ font-size: 20pt; font-weight: 800; }}
QLabel#detailsClocks {{ font-size: 17pt; }}
QToolButton#actionButton {{ background: #2a2f36; border: 1px solid #3a414a; border-radius: 6px;
    padding: 6px 16px; font-size: 15pt; font-weight: 700; }}
QToolButton#actionButton:disabled {{ color: {MUTED_TEXT.name()}; background: #1f2328; }}
QToolButton#filterButton {{ padding: 6px 12px; font-size: 15pt; }}
QLineEdit {{ background: {SURFACE.name()}; border: 1px solid #3a414a; border-radius: 6px;
    padding: 6px 10px; font-size: 17pt; }}
QPushButton {{ background: #1565c0; color: white; border: none; border-radius: 6px;
    padding: 8px 22px; font-size: 17pt; font-weight: 700; }}
QPushButton:disabled {{ background: #2a2f36; color: {MUTED_TEXT.name()}; }}
QTableView {{ background: {SURFACE.name()}; border: none; gridline-color: transparent;
    font-size: {TABLE_FONT_PT}pt; outline: 0; }}
QTableView::item {{ padding: 0px 10px; }}
QHeaderView::section {{ background: #0b0c0e; color: {MUTED_TEXT.name()}; border: none;
    border-bottom: 2px solid #2a2f36; padding: 6px 10px; font-size: 15pt; font-weight: 700; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style with the dark palette and stylesheet, applied to the whole application."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLESHEET)
