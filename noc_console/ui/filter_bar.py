"""Filters of the operator table: severity, status, service, source and free text, kept across restarts.

The bar edits an `IncidentFilter` (domain/filters.py); the table's proxy applies it. The choice is saved
in the console's settings and restored at start-up, so an operator who watches only the payments
services finds them so after a restart.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMenu, QPushButton, QToolButton, QWidget

from noc_console.domain.filters import MAX_FILTER_TEXT, IncidentFilter
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.ui import formats
from noc_console.ui.plain import menu_text

SETTINGS_KEY = "operator/filters"
# Services a menu offers at most: those with the most open incidents. A menu of 20,000 services takes
# seconds to open and cannot be read, and past about 45 entries Qt lays a menu out in columns across a
# 1080 px screen; the text box finds any service.
MENU_LIMIT = 40
Choice = Severity | IncidentStatus | str
# Each menu's name (its key here and in tests) and what its button says (translated where shown).
_MENUS = {
    "Severity": QT_TRANSLATE_NOOP("ui.filter_bar", "Severity"),
    "Status": QT_TRANSLATE_NOOP("ui.filter_bar", "Status"),
    "Service": QT_TRANSLATE_NOOP("ui.filter_bar", "Service"),
    "Source": QT_TRANSLATE_NOOP("ui.filter_bar", "Source"),
}
_STATUSES = {
    IncidentStatus.OPEN: QT_TRANSLATE_NOOP("ui.filter_bar", "open"),
    IncidentStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("ui.filter_bar", "acknowledged"),
}


class FilterBar(QWidget):
    """Text box plus one menu per attribute (tick what to show; nothing ticked: all).

    Signals:
        changed(object): the new IncidentFilter, whenever the operator changes any part of it.
    """

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter = IncidentFilter()
        self._choices: dict[str, list[tuple[QAction, Choice]]] = {}
        # Choices offered but not yet made into actions (a menu's actions are made as it opens: a floor
        # with 20,000 services would otherwise remake 20,000 actions, about 5 s, at each new service):
        # per menu, what gives its choices and how many more were left out.
        self._pending: dict[str, Callable[[], tuple[list[tuple[str, Choice]], int]]] = {}
        self._more: dict[str, QAction] = {}  # per menu, the line saying how many were left out
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit()
        self.text.setPlaceholderText(translate("ui.filter_bar", "Title or service…  [Ctrl+F]"))
        self.text.setClearButtonEnabled(True)
        self.text.setMaxLength(MAX_FILTER_TEXT)
        self.text.setMinimumWidth(240)  # beside the tabs: every tab must still fit on a 1920 px screen
        self.text.textChanged.connect(self._on_text)
        layout.addWidget(self.text)
        self.menus: dict[str, QToolButton] = {}
        for name, label in _MENUS.items():
            button = QToolButton()
            button.setText(translate("ui.filter_bar", label))
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(button)
            menu.aboutToShow.connect(lambda n=name: self._build(n))
            button.setMenu(menu)
            button.setObjectName("filterButton")
            layout.addWidget(button)
            self.menus[name] = button
        self._fill("Severity", lambda: ([(s.display_label, s) for s in Severity], 0))
        self._fill(
            "Status", lambda: ([(translate("ui.filter_bar", label), s) for s, label in _STATUSES.items()], 0)
        )
        self.clear_button = QPushButton(translate("ui.filter_bar", "✕ Clear"))
        self.clear_button.setToolTip(translate("ui.filter_bar", "Clear filters  [Ctrl+Shift+F]"))
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)
        self._refresh_labels()

    @property
    def filter(self) -> IncidentFilter:
        return self._filter

    def set_filter(self, incident_filter: IncidentFilter) -> None:
        """Show `incident_filter` (e.g. restored from settings) and announce it."""
        self._filter = incident_filter
        if self.text.text() != incident_filter.text:
            self.text.blockSignals(True)
            self.text.setText(incident_filter.text)
            self.text.blockSignals(False)
        self._sync_checks()
        self._refresh_labels()
        self.changed.emit(self._filter)

    def set_choices(self, services: Mapping[str, int] | Iterable[str], sources: Iterable[str]) -> None:
        """The services and sources to offer: those on screen now, plus any the filter already names.

        `services` may map each service to its open incidents: beyond MENU_LIMIT, the menu offers those
        with the most (and every chosen one), alphabetically, and a last line says how many more the
        text box finds. Nothing is sorted or counted until the menu opens."""
        counts = dict(services) if isinstance(services, Mapping) else dict.fromkeys(services, 0)
        chosen = self._filter.services
        self._fill("Service", lambda: _offered(counts, chosen))
        names = set(sources) | self._filter.sources
        self._fill("Source", lambda: ([(s, s) for s in sorted(names)], 0))

    def clear(self) -> None:
        self.set_filter(IncidentFilter())

    def save(self, settings: QSettings) -> None:
        settings.setValue(SETTINGS_KEY, self._filter.to_json())

    def restore(self, settings: QSettings) -> None:
        saved = settings.value(SETTINGS_KEY, "")
        self.set_filter(IncidentFilter.from_json(saved if isinstance(saved, str) else ""))

    # --- internals -------------------------------------------------------------------------------
    # QAction.data() turns a str-based enum into a plain str: the values live here, beside their actions.
    def choices(self, name: str) -> list[tuple[QAction, Choice]]:
        """The menu `name`'s actions and the value each stands for (made now if they are due)."""
        self._build(name)
        return self._choices.get(name, [])

    def _fill(self, name: str, offer: Callable[[], tuple[list[tuple[str, Choice]], int]]) -> None:
        """Offer in the menu `name` what `offer` gives (its choices, and how many more it left out): its
        actions are made when it opens (or is asked for)."""
        self._pending[name] = offer
        if self.menus[name].menu().isVisible():
            self._build(name)  # open now: it shows what is offered now

    def _build(self, name: str) -> None:
        offer = self._pending.pop(name, None)
        if offer is None:
            return
        choices, more = offer()
        source = name == "Source"
        menu = self.menus[name].menu()
        if [value for _, value in self._choices.get(name, [])] != [value for _, value in choices]:
            menu.clear()  # (same choices: the menu is kept, an open menu must not flicker)
            self._more.pop(name, None)
            self._choices[name] = []
            for label, value in choices:
                action = QAction(menu_text(label), menu)
                action.setCheckable(True)
                action.toggled.connect(lambda checked, v=value, s=source: self._toggle(v, s, checked))
                menu.addAction(action)
                self._choices[name].append((action, value))
            self._sync_checks(name)
        line = self._more.get(name)
        if more and line is None:
            line = self._more[name] = menu.addAction("")
            line.setEnabled(False)
        if line is not None:
            line.setText(
                translate("ui.filter_bar", "{count} more: type a service in the box").format(
                    count=formats.number(more)
                )
            )
            line.setVisible(bool(more))

    def more_text(self, name: str) -> str | None:
        """The line saying how many choices the menu `name` left out; None when it left none out."""
        self._build(name)
        line = self._more.get(name)
        return line.text() if line is not None and line.isVisible() else None

    def _toggle(self, value: Choice, source: bool, checked: bool) -> None:
        if self._is_chosen(value, source) != checked:
            self._filter = self._filter.toggled(value, source=source)
            self._refresh_labels()
            self.changed.emit(self._filter)

    def _is_chosen(self, value: Choice, source: bool) -> bool:
        f = self._filter
        if isinstance(value, Severity):
            return value in f.severities
        if isinstance(value, IncidentStatus):
            return value in f.statuses
        return value in (f.sources if source else f.services)

    def _sync_checks(self, only: str | None = None) -> None:
        """Tick what the filter chooses, in the menus made so far (one menu: `only`)."""
        for name in self.menus if only is None else (only,):
            for action, value in self._choices.get(name, []):
                checked = self._is_chosen(value, name == "Source")
                if action.isChecked() != checked:
                    action.blockSignals(True)
                    action.setChecked(checked)
                    action.blockSignals(False)

    def _refresh_labels(self) -> None:
        f = self._filter
        counts = {"Severity": len(f.severities), "Status": len(f.statuses), "Service": len(f.services),
                  "Source": len(f.sources)}  # fmt: skip
        for name, button in self.menus.items():
            label = translate("ui.filter_bar", _MENUS[name])
            if counts[name]:
                label = translate("ui.filter_bar", "{menu} ({count})").format(
                    menu=label, count=formats.number(counts[name])
                )
            button.setText(label)
        self.clear_button.setEnabled(f.active)

    def _on_text(self, text: str) -> None:
        self._filter = self._filter.with_text(text)
        self._refresh_labels()
        self.changed.emit(self._filter)


def _offered(counts: Mapping[str, int], chosen: frozenset[str]) -> tuple[list[tuple[str, Choice]], int]:
    """The services a menu offers, alphabetically, and how many it leaves out: all of them up to
    MENU_LIMIT, else those with the most open incidents (ties by name) and every chosen one."""
    names = set(counts) | chosen
    if len(names) <= MENU_LIMIT:
        return [(s, s) for s in sorted(names)], 0
    top = heapq.nsmallest(MENU_LIMIT, counts, key=lambda s: (-counts[s], s))
    kept = set(top) | chosen
    return [(s, s) for s in sorted(kept)], len(names) - len(kept)
