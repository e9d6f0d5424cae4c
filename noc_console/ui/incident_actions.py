"""The operator's actions on the selected incident, as QActions with shortcuts shown in menus and
tooltips: acknowledge (A), assign (G), note (N), initial assessment (E), customer update (U),
resolve (R) and page (P). Each opens its form (ui/action_dialogs.py) and hands the checked action to
the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
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


class _Spec(NamedTuple):
    """One action's texts (marked for translation, translated where shown), key and form."""

    text: str  # the menu text
    tip: str  # the tooltip, with {key}
    refused: str  # why it does not apply, with {id} and {status}
    sent: str  # said once its form is accepted, with {id}
    key: str
    form: type[ActionDialog] | None  # the form that asks for the rest; None = nothing to ask


_SPEC: dict[ActionKind, _Spec] = {
    ActionKind.ACKNOWLEDGE: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Acknowledge"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Acknowledge the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to acknowledge"),
        "",  # acknowledging asks nothing: the window says what it does
        "A",
        None,
    ),
    ActionKind.ASSIGN: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assign…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assign the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to assign"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assign #{id}…"),
        "G",
        AssignDialog,
    ),
    ActionKind.NOTE: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Note…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Note the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to note"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Note #{id}…"),
        "N",
        NoteDialog,
    ),
    ActionKind.ASSESS: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assessment…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assessment the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to assess"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Assessment #{id}…"),
        "E",
        AssessmentDialog,
    ),
    ActionKind.UPDATE: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Customer update…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Customer update the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to update"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Customer update #{id}…"),
        "U",
        UpdateDialog,
    ),
    ActionKind.RESOLVE: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Resolve…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Resolve the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to resolve"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Resolve #{id}…"),
        "R",
        ResolveDialog,
    ),
    ActionKind.PAGE: _Spec(
        QT_TRANSLATE_NOOP("ui.incident_actions", "Page…"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Page the selected incident  [{key}]"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "#{id} is {status}: nothing to page"),
        QT_TRANSLATE_NOOP("ui.incident_actions", "Page #{id}…"),
        "P",
        PageDialog,
    ),
}
# An incident's status as the refusals above say it.
_STATUS = {
    IncidentStatus.OPEN: QT_TRANSLATE_NOOP("ui.incident_actions", "open"),
    IncidentStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("ui.incident_actions", "acknowledged"),
    IncidentStatus.RESOLVED: QT_TRANSLATE_NOOP("ui.incident_actions", "resolved"),
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
        for kind, spec in _SPEC.items():
            action = QAction(translate("ui.incident_actions", spec.text), window)
            action.setShortcut(QKeySequence(spec.key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(translate("ui.incident_actions", spec.tip).format(key=spec.key))
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
            self.message.emit(translate("ui.incident_actions", "Select an incident first"), False)
            return
        if not allowed(kind, incident):
            status = translate("ui.incident_actions", _STATUS[incident.status])
            text = translate("ui.incident_actions", _SPEC[kind].refused)
            self.message.emit(text.format(id=incident.id, status=status), True)
            return
        if kind is ActionKind.ACKNOWLEDGE:
            self._acknowledge(incident)
            return
        form = _SPEC[kind].form
        assert form is not None  # every kind but acknowledge has a form
        dialog = form(incident, self._operator, self._window)
        if self._open_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.message.emit(translate("ui.incident_actions", _SPEC[kind].sent).format(id=incident.id), True)
            self._perform(dialog.action())
        dialog.deleteLater()
