"""The small forms behind the console's actions: assign, note, assessment, customer update, resolve.

Each builds an `OperatorAction` and checks it with the store's own rules before it closes: bad input
keeps the form open with a message naming the field, so nothing typed is lost. The assign and assessment
forms carry the incident as they showed it when they opened: if another operator changes that field
before this one saves, the store changes nothing and says who did.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain import inputs
from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.incidents import BusinessImpact, Incident, UpdateChannel
from noc_console.ui import theme
from noc_console.ui.plain import plain_label

# Field names the store's rules use, as the form labels them.
_FIELD_LABELS = {
    "to": "Assign to",
    "text": "Text",
    "channel": "Channel",
    "users": "Users affected",
    "services": "Services affected",
    "impact": "Business impact",
    "assessment": "Assessment",
    "by": "Operator",
}


class ActionDialog(QDialog):
    """A form for one action on one incident; `action()` is what it would do, once accepted."""

    kind: ActionKind
    heading = ""

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incident = incident
        self.operator = operator
        self.setWindowTitle(f"{self.heading} · #{incident.id}")
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)
        title = plain_label(f"#{incident.id} {incident.title}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 700;")
        layout.addWidget(title)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = plain_label(object_name="formError")
        self.error.setStyleSheet(f"color: {theme.ALARM_RED.name()}; font-weight: 700;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

    def action(self) -> OperatorAction:
        raise NotImplementedError

    def accept(self) -> None:
        """Close only when the action passes the store's rules; else say which field is wrong."""
        try:
            self.action().validate()
        except inputs.InvalidInput as exc:
            self.error.setText(f"{_FIELD_LABELS.get(exc.field, exc.field)}: {exc.problem}")
            self.error.show()
            return
        super().accept()

    def _text_box(self, limit: int, placeholder: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)  # keyboard only: Tab moves on, Enter in the last field saves
        box.setPlaceholderText(f"{placeholder} (at most {limit:,} characters)")
        box.setMinimumHeight(140)
        return box


class AssignDialog(ActionDialog):
    kind = ActionKind.ASSIGN
    heading = "Assign"

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.to = QLineEdit(incident.assigned_to or "")
        self.to.setMaxLength(inputs.MAX_NAME)
        self.to.setPlaceholderText("who has it from now on")
        self.form.addRow("Assign to", self.to)

    def action(self) -> OperatorAction:
        return OperatorAction(
            self.kind, self.incident.id, self.operator, to=self.to.text(), seen=self.incident
        )


class NoteDialog(ActionDialog):
    kind = ActionKind.NOTE
    heading = "Note"

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.text = self._text_box(inputs.MAX_NOTE, "what the next person needs to know")
        self.form.addRow("Note", self.text)

    def action(self) -> OperatorAction:
        return OperatorAction(self.kind, self.incident.id, self.operator, text=self.text.toPlainText())


class AssessmentDialog(ActionDialog):
    kind = ActionKind.ASSESS
    heading = "Initial assessment"

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.users = QSpinBox()
        self.users.setRange(-1, inputs.MAX_USERS)
        self.users.setSpecialValueText("not known")  # -1 shows as "not known"
        self.users.setValue(incident.users_affected if incident.users_affected is not None else -1)
        self.users.setGroupSeparatorShown(True)
        self.services = QLineEdit(incident.services_affected or incident.service or "")
        self.services.setMaxLength(inputs.MAX_SERVICES)
        self.impact = QComboBox()
        self.impact.addItem("not known", None)
        for impact in BusinessImpact:
            self.impact.addItem(impact.value, impact.value)
        if incident.business_impact is not None:
            self.impact.setCurrentIndex(self.impact.findData(incident.business_impact.value))
        self.text = self._text_box(inputs.MAX_NOTE, "what is known so far")
        self.form.addRow("Users affected", self.users)
        self.form.addRow("Services affected", self.services)
        self.form.addRow("Business impact", self.impact)
        self.form.addRow("Summary", self.text)

    def action(self) -> OperatorAction:
        users = self.users.value()
        return OperatorAction(
            self.kind,
            self.incident.id,
            self.operator,
            users=None if users < 0 else users,
            services=self.services.text() or None,
            impact=self.impact.currentData(),
            text=self.text.toPlainText() or None,
            seen=self.incident,
        )


class UpdateDialog(ActionDialog):
    kind = ActionKind.UPDATE
    heading = "Customer update"

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.channel = QComboBox()
        for channel in UpdateChannel:
            self.channel.addItem(channel.value, channel.value)
        self.text = self._text_box(inputs.MAX_UPDATE, "what the customers were told")
        self.form.addRow("Channel", self.channel)
        self.form.addRow("Update", self.text)

    def action(self) -> OperatorAction:
        return OperatorAction(
            self.kind,
            self.incident.id,
            self.operator,
            text=self.text.toPlainText(),
            channel=str(self.channel.currentData()),
        )


class ResolveDialog(ActionDialog):
    kind = ActionKind.RESOLVE
    heading = "Resolve"

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.text = self._text_box(inputs.MAX_NOTE, "what fixed it (optional)")
        self.false_positive = QCheckBox("False positive: nothing was wrong (the metrics count it)")
        self.form.addRow("Note", self.text)
        self.form.addRow("", self.false_positive)
        if incident.firing_count:
            warning = QLabel(
                f"{incident.firing_count} alert(s) still fire: if they still do at the next fetch, "
                "they open a new incident."
            )
            warning.setWordWrap(True)
            warning.setStyleSheet(f"color: {theme.WARN_AMBER.name()};")
            self.form.addRow("", warning)

    def action(self) -> OperatorAction:
        return OperatorAction(
            self.kind,
            self.incident.id,
            self.operator,
            text=self.text.toPlainText() or None,
            false_positive=self.false_positive.isChecked(),
        )


class PageDialog(ActionDialog):
    """Start an escalation policy by hand: the one for the incident's service and severity, or another."""

    kind = ActionKind.PAGE
    heading = "Page"
    policies: tuple[str, ...] = ()  # the configured policies' names, set by the window

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.policy = QComboBox()
        self.policy.addItem("The policy for its service and severity", None)
        for name in self.policies:
            self.policy.addItem(name, name)
        self.form.addRow("Escalation policy", self.policy)
        hint = plain_label("The poller sends the pages; they stop the moment someone acknowledges.")
        hint.setWordWrap(True)
        self.form.addRow("", hint)

    def action(self) -> OperatorAction:
        return OperatorAction(self.kind, self.incident.id, self.operator, policy=self.policy.currentData())
