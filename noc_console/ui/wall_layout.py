"""The wall's fonts, rectangles, brushes and pens: made once per size (or once), read by every paint.

All sizes scale with the height: at 1080 px, title capitals are 33 px high and countdown digits 45 px
(DejaVu Sans Bold; the issue asks for 28 and 40), enough to read from five metres.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen

from noc_console.ui import formats, theme

CUSTOMER = QColor("#ff1fce")  # magenta: no severity colour is near it
BREACHED_LIT = QColor("#d50000")
BREACHED_DARK = QColor("#3a0a0c")
OK_TEXT = QColor("#8ef5a4")
PANEL = QColor("#0b0c0e")
MAX_CLOCKS = 3  # an open incident runs at most acknowledge, assessment and customer update

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


def widest_clock(metrics: QFontMetrics) -> int:
    """The width of the widest time of day the header shows, the way the locale writes it ("23:59:59",
    or "10:59:59 p. m." with a 12-hour clock)."""
    samples = (datetime(2000, 1, 1, hour, 58, 58).astimezone() for hour in (10, 22))
    return max(metrics.horizontalAdvance(formats.clock(at, seconds=True)) for at in samples)


def wall_font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(8, round(pixels)))
    font.setBold(bold)
    return font


class WallLayout:
    """Fonts, metrics and the rectangles of the header, every row slot and the footer for one size."""

    def __init__(self, width: int, height: int) -> None:
        s = height / 1080
        self.scale = s
        m = self.margin = round(24 * s)
        self.pad = round(12 * s)
        self.title_font = wall_font(44 * s, bold=True)
        self.detail_font = wall_font(34 * s)
        self.badge_font = wall_font(26 * s, bold=True)
        self.label_font = wall_font(22 * s, bold=True)
        self.countdown_font = wall_font(60 * s, bold=True)
        self.header_font = wall_font(38 * s, bold=True)
        self.info_font = wall_font(32 * s, bold=True)
        self.time_font = wall_font(62 * s, bold=True)
        self.footer_font = wall_font(36 * s, bold=True)
        self.clear_font = wall_font(150 * s, bold=True)
        self.title_metrics = QFontMetrics(self.title_font)
        self.detail_metrics = QFontMetrics(self.detail_font)
        self.badge_metrics = QFontMetrics(self.badge_font)
        self.header_metrics = QFontMetrics(self.header_font)
        self.info_metrics = QFontMetrics(self.info_font)
        self.footer_metrics = QFontMetrics(self.footer_font)
        self.countdown_metrics = QFontMetrics(self.countdown_font)

        # Header: severity counts and the time; the oldest unacknowledged and today's share; sources.
        line1, line = round(74 * s), round(48 * s)
        top = round(6 * s)
        header_h = top + line1 + 2 * line + round(10 * s)
        self.header = QRect(0, 0, width, header_h)
        self.counts_line = QRect(m, top, width - 2 * m, line1)
        self.info_line = QRect(m, top + line1, width - 2 * m, line)
        self.sources_line = QRect(m, top + line1 + line, width - 2 * m, line)
        time_w = widest_clock(QFontMetrics(self.time_font)) + self.pad
        self.time = QRect(self.counts_line.right() - time_w, top, time_w, line1)

        footer_h = round(64 * s)
        self.footer = QRect(m, height - footer_h, width - 2 * m, footer_h)

        # Rows: as many as fit between header and footer, each one slot of fixed rectangles.
        self.row_h = round(122 * s)
        gap = round(8 * s)
        first = header_h + gap
        self.slots = max(1, (height - footer_h - first) // (self.row_h + gap))
        self.bar_w = round(18 * s)
        self.border = max(3, round(6 * s))
        self.clock_w = round(274 * s)
        text_left = m + self.bar_w + round(18 * s)
        text_w = width - m - text_left - MAX_CLOCKS * self.clock_w - round(12 * s)
        self.rows: list[QRect] = []
        self.bars: list[QRect] = []
        self.titles: list[QRect] = []
        self.details: list[QRect] = []
        self.clock_boxes: list[list[QRect]] = []
        self.clock_labels: list[list[QRect]] = []
        self.clock_texts: list[list[QRect]] = []
        for slot in range(self.slots):
            y = first + slot * (self.row_h + gap)
            row = QRect(m, y, width - 2 * m, self.row_h)
            self.rows.append(row)
            self.bars.append(QRect(row.x(), y, self.bar_w, self.row_h))
            self.titles.append(QRect(text_left, y + round(4 * s), text_w, round(62 * s)))
            self.details.append(QRect(text_left, y + round(68 * s), text_w, round(46 * s)))
            boxes, labels, texts = [], [], []
            for n in range(MAX_CLOCKS):
                x = row.right() + 1 - (MAX_CLOCKS - n) * self.clock_w + round(6 * s)
                box = QRect(x, y + round(7 * s), self.clock_w - round(12 * s), self.row_h - round(14 * s))
                boxes.append(box)
                labels.append(QRect(box.x(), box.y() + round(3 * s), box.width(), round(26 * s)))
                texts.append(
                    QRect(box.x(), box.y() + round(26 * s), box.width(), box.height() - round(28 * s))
                )
            self.clock_boxes.append(boxes)
            self.clock_labels.append(labels)
            self.clock_texts.append(texts)
        body_top = header_h + (height - footer_h - header_h) // 4
        self.clear_title = QRect(0, body_top, width, round(200 * s))
        self.clear_note = QRect(0, self.clear_title.bottom() + round(20 * s), width, round(70 * s))


class WallPaint:
    """Brushes and pens, made once per view."""

    def __init__(self) -> None:
        self.background = QBrush(theme.BACKGROUND)
        self.panel = QBrush(PANEL)
        self.severity = {s: QBrush(c) for s, c in theme.SEVERITY_COLOURS.items()}
        self.severity_text = {s: QPen(c) for s, c in theme.SEVERITY_TEXT.items()}
        self.tint = {s: QBrush(c) for s, c in theme.SEVERITY_TINTS.items()}
        self.selected = {s: QBrush(c) for s, c in theme.SEVERITY_SELECTED_TINTS.items()}
        self.text = QPen(theme.TEXT)
        self.muted = QPen(theme.MUTED_TEXT)
        self.amber = QPen(theme.WARN_AMBER)
        self.red = QPen(theme.ALARM_RED)
        self.ok = QPen(OK_TEXT)
        self.white = QPen(QColor("#ffffff"))
        self.black = QPen(QColor("#111111"))
        self.flapping = QBrush(theme.WARN_AMBER)  # held open: amber, as a warning is
        self.dim_chip = QBrush(QColor("#1f2328"))
        self.dim_chip_text = QPen(QColor("#5f6a74"))
        self.clock_box = QBrush(QColor("#15181c"))
        self.breached_lit = QBrush(BREACHED_LIT)
        self.breached_dark = QBrush(BREACHED_DARK)
        self.customer = QBrush(CUSTOMER)
        self.customer_border = QPen(CUSTOMER)
        self.selected_border = QPen(QColor("#ffffff"))
        self.amber_border = QPen(theme.WARN_AMBER)

    def sized(self, layout: WallLayout) -> None:
        """Border widths follow the size."""
        self.customer_border.setWidth(layout.border)
        self.selected_border.setWidth(layout.border)
        self.amber_border.setWidth(max(2, round(4 * layout.scale)))
