"""Text from outside (titles, hosts, error messages) is shown as plain text, never as Qt rich text.

QLabel and QToolTip guess: text that looks like HTML is rendered as HTML, so a title such as
`<img src=x><b>boom</b>` would lose its tags, fetch an image or restyle the screen. Labels get
`Qt.PlainText`; a tooltip, which has no such switch, gets escaped HTML that renders the text literally.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def plain_label(text: str = "", object_name: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if object_name:
        label.setObjectName(object_name)
    if text:
        label.setText(text)
    return label


def plain_tooltip(text: str | None) -> str:
    """Tooltip markup that shows `text` exactly, line breaks and spaces included ('' for no tooltip)."""
    if not text:
        return ""
    return f'<p style="white-space: pre-wrap">{html.escape(text, quote=False)}</p>'


def menu_text(text: str) -> str:
    """Text from outside as a menu entry shows it exactly: Qt reads `&` as the mark of a keyboard
    mnemonic ("R&D" would show as "RD") and a tab as the start of a shortcut column."""
    return text.replace("&", "&&").replace("\t", " ")


def set_text(label: QLabel | QAbstractButton, text: str) -> None:
    """Set a label's text only when it changed (per-tick code: no needless relayout or binding call)."""
    if label.text() != text:
        label.setText(text)


def set_style(widget: QWidget, style_sheet: str) -> None:
    """Set a style sheet only when it changed: setting one re-polishes the widget, which is not free."""
    if widget.styleSheet() != style_sheet:
        widget.setStyleSheet(style_sheet)
