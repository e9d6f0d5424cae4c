"""The operator's actions on the selected incident, as QActions with shortcuts shown in menus and
tooltips: acknowledge (A), assign (G), note (N), initial assessment (E), customer update (U),
resolve (R) and page (P). Each opens its form (ui/action_dialogs.py) and hands the checked action to
the worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.incidents import Incident, IncidentStatus
from noc_console.ui.action_dialogs import (
    ActionDialog,
    AssessmentDialog,
    AssignDialog,
    NoteDialog,
    PageDialog,
    ResolveDialog,
    UpdateDialog,
)

# kind: (menu text, key, the form that asks for the rest; None = nothing to ask)
_SPEC: dict[ActionKind, tuple[str, str, type[ActionDialog] | None]] = {
    ActionKind.ACKNOWLEDGE: ("Acknowledge", "A", None),
    ActionKind.ASSIGN: ("Assign…", "G", AssignDialog),
    ActionKind.NOTE: ("Note…", "N", NoteDialog),
    ActionKind.ASSESS: ("Assessment…", "E", AssessmentDialog),
    ActionKind.UPDATE: ("Customer update…", "U", UpdateDialog),
    ActionKind.RESOLVE: ("Resolve…", "R", ResolveDialog),
    ActionKind.PAGE: ("Page…", "P", PageDialog),
}


def allowed(kind: ActionKind, incident: Incident | None) -> bool:
    """Whether the action makes sense for this incident now."""
    if incident is None:
        return False
    if kind is ActionKind.ACKNOWLEDGE:
        return incident.status is IncidentStatus.OPEN or incident.needs_review
    if kind is ActionKind.NOTE:
        return True  # a note is useful even after the fact
    if kind is ActionKind.PAGE:
        return incident.status is IncidentStatus.OPEN  # acknowledged: someone has it already
    return incident.is_open


class IncidentActions(QObject):
    """Owns one QAction per kind; `refresh(incident)` enables what applies to the selected incident.

    Acknowledging needs no form and goes to `acknowledge(incident)`; the others open their form (modal)
    and send the accepted action through `perform(action)`.

    Signals:
        message(str, bool): something to tell the operator (text, is it fine).
    """

    message = Signal(str, bool)

    def __init__(
        self,
        window: QWidget,
        operator: str,
        current: Callable[[], Incident | None],
        acknowledge: Callable[[Incident], None],
        perform: Callable[[OperatorAction], None],
        open_dialog: Callable[[ActionDialog], int] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._operator = operator
        self._current = current
        self._acknowledge = acknowledge
        self._perform = perform
        self._open_dialog = open_dialog or (lambda dialog: dialog.exec())
        self.actions: dict[ActionKind, QAction] = {}
        for kind, (text, key, _form) in _SPEC.items():
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{text.rstrip('…')} the selected incident  [{key}]")
            action.setEnabled(False)
            action.triggered.connect(lambda _checked=False, k=kind: self.trigger(k))
            window.addAction(action)
            self.actions[kind] = action

    def refresh(self, incident: Incident | None) -> None:
        for kind, action in self.actions.items():
            enabled = allowed(kind, incident)
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)

    def trigger(self, kind: ActionKind) -> None:
        incident = self._current()
        if incident is None:
            self.message.emit("Select an incident first", False)
            return
        if not allowed(kind, incident):
            self.message.emit(f"#{incident.id} is {incident.status.value}: nothing to {kind.value}", True)
            return
        if kind is ActionKind.ACKNOWLEDGE:
            self._acknowledge(incident)
            return
        form = _SPEC[kind][2]
        assert form is not None  # every kind but acknowledge has a form
        dialog = form(incident, self._operator, self._window)
        if self._open_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.message.emit(f"{_SPEC[kind][0].rstrip('…')} #{incident.id}…", True)
            self._perform(dialog.action())
        dialog.deleteLater()
