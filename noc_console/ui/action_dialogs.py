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
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.incidents import BusinessImpact, Incident, UpdateChannel
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label

# Field names the store's rules use, as the form labels them (translated where shown).
_FIELD_LABELS = {
    "to": QT_TRANSLATE_NOOP("ui.action_dialogs", "Assign to"),
    "text": QT_TRANSLATE_NOOP("ui.action_dialogs", "Text"),
    "channel": QT_TRANSLATE_NOOP("ui.action_dialogs", "Channel"),
    "users": QT_TRANSLATE_NOOP("ui.action_dialogs", "Users affected"),
    "services": QT_TRANSLATE_NOOP("ui.action_dialogs", "Services affected"),
    "impact": QT_TRANSLATE_NOOP("ui.action_dialogs", "Business impact"),
    "assessment": QT_TRANSLATE_NOOP("ui.action_dialogs", "Assessment"),
    "by": QT_TRANSLATE_NOOP("ui.action_dialogs", "Operator"),
}


class ActionDialog(QDialog):
    """A form for one action on one incident; `action()` is what it would do, once accepted."""

    kind: ActionKind
    heading = ""  # marked with QT_TRANSLATE_NOOP, translated in the title

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incident = incident
        self.operator = operator
        heading = translate("ui.action_dialogs", self.heading)
        self.setWindowTitle(
            translate("ui.action_dialogs", "{action} · #{id}").format(action=heading, id=incident.id)
        )
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
            label = _FIELD_LABELS.get(exc.field)
            field = translate("ui.action_dialogs", label) if label is not None else exc.field
            self.error.setText(
                translate("ui.action_dialogs", "{field}: {problem}").format(field=field, problem=exc.problem)
            )
            self.error.show()
            return
        super().accept()

    def _text_box(self, limit: int, placeholder: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)  # keyboard only: Tab moves on, Enter in the last field saves
        text = translate("ui.action_dialogs", "{hint} (at most {limit} characters)")
        box.setPlaceholderText(text.format(hint=placeholder, limit=formats.number(limit)))
        box.setMinimumHeight(140)
        return box


class AssignDialog(ActionDialog):
    kind = ActionKind.ASSIGN
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Assign")

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.to = QLineEdit(incident.assigned_to or "")
        self.to.setMaxLength(inputs.MAX_NAME)
        self.to.setPlaceholderText(translate("ui.action_dialogs", "who has it from now on"))
        self.form.addRow(translate("ui.action_dialogs", "Assign to"), self.to)

    def action(self) -> OperatorAction:
        return OperatorAction(
            self.kind, self.incident.id, self.operator, to=self.to.text(), seen=self.incident
        )


class NoteDialog(ActionDialog):
    kind = ActionKind.NOTE
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Note")

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.text = self._text_box(
            inputs.MAX_NOTE, translate("ui.action_dialogs", "what the next person needs to know")
        )
        self.form.addRow(translate("ui.action_dialogs", "Note"), self.text)

    def action(self) -> OperatorAction:
        return OperatorAction(self.kind, self.incident.id, self.operator, text=self.text.toPlainText())


class AssessmentDialog(ActionDialog):
    kind = ActionKind.ASSESS
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Initial assessment")

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.users = QSpinBox()
        self.users.setRange(-1, inputs.MAX_USERS)
        self.users.setSpecialValueText(translate("ui.action_dialogs", "not known"))  # -1 shows as "not known"
        self.users.setValue(incident.users_affected if incident.users_affected is not None else -1)
        self.users.setGroupSeparatorShown(True)
        self.services = QLineEdit(incident.services_affected or incident.service or "")
        self.services.setMaxLength(inputs.MAX_SERVICES)
        self.impact = QComboBox()
        self.impact.addItem(translate("ui.action_dialogs", "not known"), None)
        for impact in BusinessImpact:
            self.impact.addItem(impact.display_label, impact.value)
        if incident.business_impact is not None:
            self.impact.setCurrentIndex(self.impact.findData(incident.business_impact.value))
        self.text = self._text_box(inputs.MAX_NOTE, translate("ui.action_dialogs", "what is known so far"))
        self.form.addRow(translate("ui.action_dialogs", "Users affected"), self.users)
        self.form.addRow(translate("ui.action_dialogs", "Services affected"), self.services)
        self.form.addRow(translate("ui.action_dialogs", "Business impact"), self.impact)
        self.form.addRow(translate("ui.action_dialogs", "Summary"), self.text)

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
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Customer update")

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.channel = QComboBox()
        for channel in UpdateChannel:
            self.channel.addItem(channel.display_label, channel.value)
        self.text = self._text_box(
            inputs.MAX_UPDATE, translate("ui.action_dialogs", "what the customers were told")
        )
        self.form.addRow(translate("ui.action_dialogs", "Channel"), self.channel)
        self.form.addRow(translate("ui.action_dialogs", "Update"), self.text)

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
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Resolve")

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.text = self._text_box(
            inputs.MAX_NOTE, translate("ui.action_dialogs", "what fixed it (optional)")
        )
        self.false_positive = QCheckBox(
            translate("ui.action_dialogs", "False positive: nothing was wrong (the metrics count it)")
        )
        self.form.addRow(translate("ui.action_dialogs", "Note"), self.text)
        self.form.addRow("", self.false_positive)
        if incident.firing_count:
            still = plural(
                incident.firing_count,
                translate(
                    "ui.action_dialogs",
                    "{n} alert still fires: if it still does at the next fetch, it opens a new incident.",
                ),
                translate(
                    "ui.action_dialogs",
                    "{n} alerts still fire: if they still do at the next fetch, they open a new incident.",
                ),
            )
            warning = QLabel(still.format(n=formats.number(incident.firing_count)))
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
    heading = QT_TRANSLATE_NOOP("ui.action_dialogs", "Page")
    policies: tuple[str, ...] = ()  # the configured policies' names, set by the window

    def __init__(self, incident: Incident, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(incident, operator, parent)
        self.policy = QComboBox()
        self.policy.addItem(translate("ui.action_dialogs", "The policy for its service and severity"), None)
        for name in self.policies:
            self.policy.addItem(name, name)
        self.form.addRow(translate("ui.action_dialogs", "Escalation policy"), self.policy)
        hint = plain_label(
            translate(
                "ui.action_dialogs", "The poller sends the pages; they stop the moment someone acknowledges."
            )
        )
        hint.setWordWrap(True)
        self.form.addRow("", hint)

    def action(self) -> OperatorAction:
        return OperatorAction(self.kind, self.incident.id, self.operator, policy=self.policy.currentData())
