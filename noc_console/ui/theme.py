"""The console's look: severity colours readable from five metres, big fonts; dark (the default, and
always on the wall) or light, for desks in bright rooms.

Colours are read from this module when a widget draws (`theme.TEXT` ...), so `use_scheme` switches them
all, and `apply_theme` the palette and stylesheet with them; every severity is also written in words on
screen, so no colour alone carries it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from noc_console.domain.severity import Severity

TABLE_FONT_PT = 17
HEADER_FONT_PT = 22
CLOCK_FONT_PT = 30
BANNER_FONT_PT = 20

# The colours of the theme in use, set by `use_scheme` (the dark scheme at import): read them when drawing.
BACKGROUND: QColor
SURFACE: QColor
TEXT: QColor
MUTED_TEXT: QColor
OK_GREEN: QColor
ALARM_RED: QColor
WARN_AMBER: QColor
CLEARING_GREEN: QColor
ACCENT: QColor
ALARM_STYLE: str  # a status line that must be seen from across the room: bold, on a red band
SEVERITY_TINTS: dict[Severity, QColor]  # row tints: distinct enough to tell severities apart across a room
SEVERITY_SELECTED_TINTS: dict[Severity, QColor]  # the selected row: the same hue, lit up

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


@dataclass(frozen=True)
class Scheme:
    """The colours of one theme (hex), besides the severities' own solid colours, which both share."""

    name: str
    background: str
    surface: str
    text: str
    muted_text: str
    panel: str  # the header bar and the table's header
    border: str
    raised: str  # buttons that are not the main action
    disabled: str
    input_border: str
    ok_green: str
    alarm_red: str
    warn_amber: str
    clearing_green: str
    accent: str  # information, links
    alarm_band: str  # the background of a line that must be seen from across the room
    tints: tuple[str, str, str, str, str]  # row tints, critical to info
    selected_tints: tuple[str, str, str, str, str]


DARK = Scheme(
    name="dark", background="#121417", surface="#1b1e23", text="#eceff1", muted_text="#9aa4ad",
    panel="#0b0c0e", border="#2a2f36", raised="#2a2f36", disabled="#1f2328", input_border="#3a414a",
    ok_green="#2e7d32", alarm_red="#ff5252", warn_amber="#ffc107", clearing_green="#69f0ae",
    accent="#90caf9", alarm_band="#2a0d0f",
    tints=("#4d1518", "#4a2c0c", "#3f3210", "#37351a", "#232c31"),
    selected_tints=("#8c2a2f", "#85511a", "#75601f", "#66622e", "#46565f"),
)  # fmt: skip
LIGHT = Scheme(
    name="light", background="#eef1f4", surface="#ffffff", text="#101316", muted_text="#4a5561",
    panel="#dfe5eb", border="#b9c3cc", raised="#dde3e9", disabled="#e9edf0", input_border="#98a4b0",
    ok_green="#1b6e22", alarm_red="#c62828", warn_amber="#8a5a00", clearing_green="#1b7f3b",
    accent="#1565c0", alarm_band="#fdecea",
    tints=("#fbd9d9", "#fde3c8", "#fcedc4", "#f8f2bf", "#e3e9ec"),
    selected_tints=("#f19d9d", "#f6bd83", "#f0d27a", "#e7dc74", "#b9c7cf"),
)  # fmt: skip
SCHEMES = {scheme.name: scheme for scheme in (DARK, LIGHT)}
_ORDER = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR, Severity.WARNING, Severity.INFO)
scheme = DARK


def use_scheme(chosen: Scheme) -> None:
    """Make `chosen` the colours every widget reads from now on (see `apply_theme` for the rest)."""
    alarm_style = (
        f"background: {chosen.alarm_band}; border: 2px solid {chosen.alarm_red}; font-size: 17pt; "
        "font-weight: 800; padding: 4px 10px;"
    )
    globals().update(
        scheme=chosen,
        BACKGROUND=QColor(chosen.background),
        SURFACE=QColor(chosen.surface),
        TEXT=QColor(chosen.text),
        MUTED_TEXT=QColor(chosen.muted_text),
        OK_GREEN=QColor(chosen.ok_green),
        ALARM_RED=QColor(chosen.alarm_red),
        WARN_AMBER=QColor(chosen.warn_amber),
        CLEARING_GREEN=QColor(chosen.clearing_green),
        ACCENT=QColor(chosen.accent),
        ALARM_STYLE=alarm_style,
        SEVERITY_TINTS={s: QColor(c) for s, c in zip(_ORDER, chosen.tints, strict=True)},
        SEVERITY_SELECTED_TINTS={s: QColor(c) for s, c in zip(_ORDER, chosen.selected_tints, strict=True)},
    )


use_scheme(DARK)


def severity_colour(severity: Severity) -> QColor:
    return QColor(SEVERITY_COLOURS[severity])


def table_font(bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(TABLE_FONT_PT)
    font.setBold(bold)
    return font


def palette(chosen: Scheme | None = None) -> QPalette:
    chosen = chosen or scheme
    result = QPalette()
    roles = {
        QPalette.ColorRole.Window: chosen.background,
        QPalette.ColorRole.WindowText: chosen.text,
        QPalette.ColorRole.Base: chosen.surface,
        QPalette.ColorRole.AlternateBase: chosen.background,
        QPalette.ColorRole.Text: chosen.text,
        QPalette.ColorRole.Button: chosen.raised,
        QPalette.ColorRole.ButtonText: chosen.text,
        QPalette.ColorRole.Highlight: "#1e88e5",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: chosen.surface,
        QPalette.ColorRole.ToolTipText: chosen.text,
        QPalette.ColorRole.PlaceholderText: chosen.muted_text,
    }
    for role, colour in roles.items():
        result.setColor(role, QColor(colour))
    return result


def dark_palette() -> QPalette:
    return palette(DARK)


def stylesheet(chosen: Scheme | None = None) -> str:
    c = chosen or scheme
    return f"""
QMainWindow, QWidget#central {{ background: {c.background}; }}
QWidget {{ color: {c.text}; font-size: 15pt; }}
QWidget#headerBar {{ background: {c.panel}; border-bottom: 2px solid {c.border}; }}
QLabel#severityCounter {{ font-size: {HEADER_FONT_PT}pt; font-weight: 800; border-radius: 8px;
    padding: 4px 9px; }}
QLabel#unackCounter {{ font-size: {HEADER_FONT_PT}pt; font-weight: 800; padding: 4px 8px; }}
QLabel#clockUtc {{ font-size: {CLOCK_FONT_PT}pt; font-weight: 700; font-family: monospace; }}
QLabel#clockLocal {{ font-size: 17pt; color: {c.muted_text}; font-family: monospace; }}
QLabel#warningBanner {{ background: #8a5a00; color: #fff3d6; font-size: 17pt; font-weight: 700;
    padding: 8px 18px; border: 2px solid #ffb300; }}
QLabel#banner {{ background: #b71c1c; color: white; font-size: {BANNER_FONT_PT}pt; font-weight: 800;
    padding: 10px 18px; border: 3px solid #ff8a80; }}
QLabel#sourceChip {{ border-radius: 6px; padding: 4px 12px; font-size: 15pt; font-weight: 600; }}
QLabel#pollerStatus, QLabel#actionStatus {{ font-size: 15pt; color: {c.muted_text}; }}
QWidget#detailsPane {{ background: {c.surface}; border-top: 2px solid {c.border}; }}
QLabel#detailsTitle {{ font-size: 20pt; font-weight: 800; }}
QLabel#detailsClocks {{ font-size: 17pt; }}
QToolButton#actionButton {{ background: {c.raised}; border: 1px solid {c.input_border}; border-radius: 6px;
    padding: 6px 16px; font-size: 15pt; font-weight: 700; }}
QToolButton#actionButton:disabled {{ color: {c.muted_text}; background: {c.disabled}; }}
QToolButton#filterButton {{ padding: 6px 12px; font-size: 15pt; }}
QLineEdit {{ background: {c.surface}; border: 1px solid {c.input_border}; border-radius: 6px;
    padding: 6px 10px; font-size: 17pt; }}
QPushButton {{ background: #1565c0; color: white; border: none; border-radius: 6px;
    padding: 8px 22px; font-size: 17pt; font-weight: 700; }}
QPushButton:disabled {{ background: {c.raised}; color: {c.muted_text}; }}
QTableView {{ background: {c.surface}; border: none; gridline-color: transparent;
    font-size: {TABLE_FONT_PT}pt; outline: 0; }}
QTableView::item {{ padding: 0px 10px; }}
QHeaderView::section {{ background: {c.panel}; color: {c.muted_text}; border: none;
    border-bottom: 2px solid {c.border}; padding: 6px 10px; font-size: 15pt; font-weight: 700; }}
"""


STYLESHEET = stylesheet(DARK)


def apply_theme(app: QApplication, name: str = "dark") -> Scheme:
    """Fusion style with the palette and stylesheet of theme `name` ("dark" or "light"), applied to the
    whole application; the module's colours follow. Returns the scheme."""
    chosen = SCHEMES[name]
    use_scheme(chosen)
    app.setStyle("Fusion")
    app.setPalette(palette(chosen))
    app.setStyleSheet(stylesheet(chosen))
    return chosen
