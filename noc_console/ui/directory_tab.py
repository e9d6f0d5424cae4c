"""The "On call" tab: people, schedules with who is on call now and next, and escalation policies,
editable from the console. An entry edited here is the console's from then on (a config import leaves
it alone). Each form checks what is typed by the same rules as the config file and names the field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain.calls import normalise_phone
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, translate
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.paging import (
    Channel,
    Level,
    OnCall,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    check_email,
    check_handoff,
    check_time_zone,
)
from noc_console.domain.severity import Severity
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, set_text

ROTATION_LABELS = {
    Rotation.DAILY: QT_TRANSLATE_NOOP("ui.directory_tab", "daily"),
    Rotation.WEEKLY: QT_TRANSLATE_NOOP("ui.directory_tab", "weekly"),
}


def rotation_label(rotation: Rotation) -> str:
    return translate("ui.directory_tab", ROTATION_LABELS[rotation])


def severity_label(severity: Severity) -> str:
    return severity.word


def _time_of_day(at: time) -> str:
    """A wall-clock time as the locale writes it, as it is (a hand-off in its schedule's own zone)."""
    return formats.clock(datetime.combine(date(2024, 1, 1), at).astimezone())


class _Form(QDialog):
    """A small form: rows, an error line naming the field, OK that closes only when it checks out."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
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

    def value(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.value()
        except InvalidInput as exc:
            set_text(self.error, f"{exc.field}: {exc.problem}")
            self.error.show()
            return
        super().accept()

    def line(self, label: str, text: str = "", limit: int = 200) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setMaxLength(limit)
        self.form.addRow(label, edit)
        return edit


def _name(field: str, text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(field, translate("ui.directory_tab", "must not be empty"))
    return cleaned


class PersonForm(_Form):
    def __init__(self, person: Person | None, parent: QWidget | None = None) -> None:
        super().__init__(translate("ui.directory_tab", "Person"), parent)
        p = person or Person("")
        self.original = person.name if person else None
        self.name = self.line(translate("ui.directory_tab", "Name"), p.name)
        self.phone = self.line(translate("ui.directory_tab", "Phone (voice, SMS)"), p.phone or "", 40)
        self.whatsapp = self.line("WhatsApp", p.whatsapp or "", 40)
        self.email = self.line(translate("ui.directory_tab", "E-mail"), p.email or "", 320)
        self.chat = self.line(translate("ui.directory_tab", "Chat handle"), p.chat or "")

    def value(self) -> Person:
        phone, whatsapp, email = (
            self.phone.text().strip(),
            self.whatsapp.text().strip(),
            self.email.text().strip(),
        )
        return Person(
            _name(translate("ui.directory_tab", "name"), self.name.text()),
            normalise_phone(translate("ui.directory_tab", "phone"), phone, "") if phone else None,
            normalise_phone(translate("ui.directory_tab", "whatsapp"), whatsapp, "") if whatsapp else None,
            check_email(translate("ui.directory_tab", "email"), email) if email else None,
            self.chat.text().strip() or None,
        )


class ScheduleForm(_Form):
    def __init__(self, schedule: Schedule | None, parent: QWidget | None = None) -> None:
        super().__init__(translate("ui.directory_tab", "Schedule"), parent)
        s = schedule
        self.name = self.line(translate("ui.directory_tab", "Name"), s.name if s else "")
        self.name.setReadOnly(s is not None)  # a schedule's name is what policies point at
        self.zone = self.line(
            translate("ui.directory_tab", "Time zone"), s.time_zone if s else "Europe/London", 64
        )
        self.rotation = QComboBox()
        for rotation in Rotation:
            self.rotation.addItem(rotation_label(rotation), rotation.value)
        if s:
            self.rotation.setCurrentIndex(self.rotation.findData(s.rotation.value))
        self.form.addRow(translate("ui.directory_tab", "Rotation"), self.rotation)
        self.handoff = self.line(
            translate("ui.directory_tab", "Hand-off (HH:MM, weekly: Mondays)"),
            f"{s.handoff:%H:%M}" if s else "09:00",
            5,
        )
        self.people = self.line(
            translate("ui.directory_tab", "People, in turn (comma-separated)"),
            ", ".join(s.people) if s else "",
            2000,
        )
        self.overrides = s.overrides if s else ()

    def value(self) -> Schedule:
        people = tuple(p.strip() for p in self.people.text().split(",") if p.strip())
        if not people:
            raise InvalidInput(
                translate("ui.directory_tab", "people"),
                translate("ui.directory_tab", "name at least one person"),
            )
        return Schedule(
            _name(translate("ui.directory_tab", "name"), self.name.text()),
            check_time_zone(translate("ui.directory_tab", "time_zone"), self.zone.text().strip()),
            Rotation(self.rotation.currentData()),
            check_handoff(translate("ui.directory_tab", "handoff"), self.handoff.text()),
            people,
            self.overrides,
        )


class OverrideForm(_Form):
    """Someone covers a schedule's shift: who, from when, for how long (the common edit on a floor)."""

    def __init__(
        self, schedule: Schedule, people: Sequence[str], now: datetime, parent: QWidget | None = None
    ):
        super().__init__(
            translate("ui.directory_tab", "Override · {schedule}").format(schedule=schedule.name), parent
        )
        self.schedule = schedule
        self.person = QComboBox()
        self.person.addItems(list(people))
        self.form.addRow(translate("ui.directory_tab", "Who covers"), self.person)
        start = now.astimezone().replace(second=0, microsecond=0)
        self.starts = self.line(
            translate("ui.directory_tab", "From (local, YYYY-MM-DD HH:MM)"), f"{start:%Y-%m-%d %H:%M}", 16
        )
        self.hours = QSpinBox()
        self.hours.setRange(1, 24 * 14)
        self.hours.setValue(8)
        self.form.addRow(translate("ui.directory_tab", "For (hours)"), self.hours)

    def value(self) -> Schedule:
        try:
            local = datetime.strptime(self.starts.text().strip(), "%Y-%m-%d %H:%M").astimezone()
        except ValueError:
            raise InvalidInput(
                translate("ui.directory_tab", "from"),
                translate("ui.directory_tab", "not a time (YYYY-MM-DD HH:MM)"),
            ) from None
        starts = local.astimezone(UTC)
        cover = Override(self.person.currentText(), starts, starts + timedelta(hours=self.hours.value()))
        if not cover.person:
            raise InvalidInput(
                translate("ui.directory_tab", "who covers"), translate("ui.directory_tab", "add people first")
            )
        kept = tuple(o for o in self.schedule.overrides if o.ends_at > datetime.now(UTC))  # past ones go
        return Schedule(self.schedule.name, self.schedule.time_zone, self.schedule.rotation,
                        self.schedule.handoff, self.schedule.people, (*kept, cover))  # fmt: skip


def levels_text(policy: Policy) -> str:
    """One line per level: 'targets | channels | wait minutes'."""
    return "\n".join(
        " | ".join(
            (
                ", ".join(lv.targets),
                ", ".join(c.value for c in lv.channels),
                f"{lv.wait.total_seconds() / 60:g}",
            )
        )
        for lv in policy.levels
    )


def parse_levels(text: str) -> tuple[Level, ...]:
    levels = []
    for number, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        parts = [part.strip() for part in line.split("|")]
        field = translate("ui.directory_tab", "levels line {number}").format(number=number)
        if len(parts) != 3:
            raise InvalidInput(
                field, translate("ui.directory_tab", "write 'targets | channels | wait minutes'")
            )
        targets = tuple(t.strip() for t in parts[0].split(",") if t.strip())
        try:
            channels = tuple(Channel(c.strip()) for c in parts[1].split(",") if c.strip())
        except ValueError:
            allowed = ", ".join(c.value for c in Channel)
            problem = translate("ui.directory_tab", "channels are {allowed}").format(allowed=allowed)
            raise InvalidInput(field, problem) from None
        try:
            wait = float(parts[2])
        except ValueError:
            problem = translate("ui.directory_tab", "{value} is not a number of minutes").format(
                value=repr(parts[2])
            )
            raise InvalidInput(field, problem) from None
        if not targets or not channels or not 0.5 <= wait <= 1440:
            problem = translate(
                "ui.directory_tab", "needs targets, channels and a wait of 0.5 to 1440 minutes"
            )
            raise InvalidInput(field, problem)
        levels.append(Level(targets, channels, timedelta(minutes=wait)))
    if not levels:
        raise InvalidInput(
            translate("ui.directory_tab", "levels"), translate("ui.directory_tab", "write at least one level")
        )
    return tuple(levels)


class PolicyForm(_Form):
    def __init__(self, policy: Policy | None, parent: QWidget | None = None) -> None:
        super().__init__(translate("ui.directory_tab", "Escalation policy"), parent)
        p = policy
        self.name = self.line(translate("ui.directory_tab", "Name"), p.name if p else "")
        self.name.setReadOnly(p is not None)
        self.services = self.line(
            translate("ui.directory_tab", "Services (comma-separated; empty: any)"),
            ", ".join(p.services) if p else "",
            2000,
        )
        self.severities: dict[Severity, QCheckBox] = {}
        row = QHBoxLayout()
        for severity in Severity:
            box = QCheckBox(severity_label(severity))
            box.setChecked(bool(p and severity in p.severities))
            self.severities[severity] = box
            row.addWidget(box)
        self.form.addRow(translate("ui.directory_tab", "Severities (none: any)"), row)
        self.repeat = QSpinBox()
        self.repeat.setRange(0, 20)
        self.repeat.setValue(p.repeat if p else 0)
        self.form.addRow(translate("ui.directory_tab", "Repeat (passes after the first)"), self.repeat)
        self.auto = QCheckBox(translate("ui.directory_tab", "Start when the acknowledge clock breaches"))
        self.auto.setChecked(bool(p and p.auto))
        self.form.addRow("", self.auto)
        self.levels = QPlainTextEdit(levels_text(p) if p else "schedule:primary | sms, voice | 10")
        self.levels.setTabChangesFocus(True)
        self.form.addRow(
            translate("ui.directory_tab", "Levels (targets | channels | wait minutes)"), self.levels
        )

    def value(self) -> Policy:
        services = tuple(s.strip() for s in self.services.text().split(",") if s.strip())
        severities = tuple(s for s, box in self.severities.items() if box.isChecked())
        name = _name(translate("ui.directory_tab", "name"), self.name.text())
        levels = parse_levels(self.levels.toPlainText())
        return Policy(name, levels, self.repeat.value(), services, severities, self.auto.isChecked())


def policy_row(policy: Policy) -> list[str]:
    anything = translate("ui.directory_tab", "any")
    severities = ", ".join(severity_label(s) for s in policy.severities) or anything
    levels = levels_text(policy).replace("\n", "  →  ")
    auto = translate("ui.directory_tab", "yes") if policy.auto else translate("ui.directory_tab", "no")
    return [policy.name, ", ".join(policy.services) or anything, severities, auto, str(policy.repeat), levels]


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    rows = table.verticalHeader()
    rows.setDefaultSectionSize(theme.TABLE_FONT_PT * 3)  # as the incident table: reads at a glance
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.setMinimumHeight(theme.TABLE_FONT_PT * 3 * 4)  # the header and three rows
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)  # plain text: a name is never markup
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class DirectoryTab(QWidget):
    """Signals: saveRequested(str, object, object): what ("person", "person-delete", "schedule",
    "policy"), the value, and the person's former name for a rename (else None)."""

    saveRequested = Signal(str, object, object)

    def __init__(
        self, open_form: Callable[[QDialog], int] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._open = open_form or (lambda dialog: dialog.exec())
        self.people: list[Person] = []
        self.schedules: list[Schedule] = []
        self.policies: list[Policy] = []
        self.on_call: dict[str, OnCall] = {}
        layout = QVBoxLayout(self)
        self.status = plain_label("", "directoryStatus")
        self.status.setWordWrap(True)
        self.people_table = _table(
            [
                translate("ui.directory_tab", "Person"),
                translate("ui.directory_tab", "Phone"),
                "WhatsApp",
                translate("ui.directory_tab", "E-mail"),
                translate("ui.directory_tab", "Chat"),
            ]
        )
        self.schedule_table = _table(
            [
                translate("ui.directory_tab", "Schedule"),
                translate("ui.directory_tab", "On call now"),
                translate("ui.directory_tab", "Next"),
                translate("ui.directory_tab", "From"),
                translate("ui.directory_tab", "Rotation"),
                translate("ui.directory_tab", "People"),
            ]
        )
        self.policy_table = _table(
            [
                translate("ui.directory_tab", "Policy"),
                translate("ui.directory_tab", "Services"),
                translate("ui.directory_tab", "Severities"),
                translate("ui.directory_tab", "Auto"),
                translate("ui.directory_tab", "Repeat"),
                translate("ui.directory_tab", "Levels"),
            ]
        )
        edit = translate("ui.directory_tab", "Edit…")
        schedule_buttons = (
            (translate("ui.directory_tab", "Add schedule…"), self._add_schedule),
            (edit, self._edit_schedule),
            (translate("ui.directory_tab", "Override…"), self._override),
        )
        people_buttons = (
            (translate("ui.directory_tab", "Add person…"), self._add_person),
            (edit, self._edit_person),
            (translate("ui.directory_tab", "Remove"), self._remove_person),
        )
        policy_buttons = (
            (translate("ui.directory_tab", "Add policy…"), self._add_policy),
            (edit, self._edit_policy),
        )
        sections = (
            (translate("ui.directory_tab", "On-call schedules"), self.schedule_table, schedule_buttons),
            (translate("ui.directory_tab", "People"), self.people_table, people_buttons),
            (translate("ui.directory_tab", "Escalation policies"), self.policy_table, policy_buttons),
        )
        for title, table, buttons in sections:
            head = QHBoxLayout()
            head.addWidget(plain_label(title, "sectionTitle"))
            head.addStretch(1)
            for text, slot in buttons:
                button = QPushButton(text)
                button.clicked.connect(slot)
                head.addWidget(button)
            layout.addLayout(head)
            layout.addWidget(table, 1)
        layout.addWidget(self.status)

    def show_directory(self, people: list[Person], schedules: list[Schedule], policies: list[Policy],
                       on_call: list[OnCall]) -> None:  # fmt: skip
        self.people, self.schedules, self.policies = people, schedules, policies
        self.on_call = {row.schedule: row for row in on_call}
        _fill(
            self.people_table,
            [[p.name, p.phone or "", p.whatsapp or "", p.email or "", p.chat or ""] for p in people],
        )
        rows = []
        for s in schedules:
            now = self.on_call.get(s.name)
            when = formats.moment(now.next_at) if now and now.next_at else ""
            current = (now.now if now else None) or translate("ui.directory_tab", "NOBODY")
            following = (now.next if now else None) or ""
            rotation = translate("ui.directory_tab", "{rotation} at {time} {zone}").format(
                rotation=rotation_label(s.rotation), time=_time_of_day(s.handoff), zone=s.time_zone
            )
            rows.append([s.name, current, following, when, rotation, ", ".join(s.people)])
        _fill(self.schedule_table, rows)
        _fill(self.policy_table, [policy_row(p) for p in policies])

    @Slot(str)
    def say_done(self, text: str) -> None:
        self.say(text, True)

    @Slot(str)
    def say_failed(self, text: str) -> None:
        self.say(text, False)

    def say(self, text: str, ok: bool) -> None:
        colour = theme.OK_GREEN if ok else theme.ALARM_RED
        self.status.setStyleSheet(f"color: {colour.name()}; font-weight: 600;")
        set_text(self.status, text)

    # --- forms -----------------------------------------------------------------------------------
    def _selected(self, table: QTableWidget, items: Sequence[object]) -> object | None:
        row = table.currentRow()
        if not 0 <= row < len(items):
            self.say(translate("ui.directory_tab", "Select a row first"), False)
            return None
        return items[row]

    def _run(self, form: _Form, what: str, former: object = None) -> None:
        if self._open(form) == QDialog.DialogCode.Accepted:
            self.saveRequested.emit(what, form.value(), former)
        form.deleteLater()

    def _add_person(self) -> None:
        self._run(PersonForm(None, self), "person")

    def _edit_person(self) -> None:
        person = self._selected(self.people_table, self.people)
        if isinstance(person, Person):
            self._run(PersonForm(person, self), "person", person.name)

    def _remove_person(self) -> None:
        person = self._selected(self.people_table, self.people)
        if isinstance(person, Person):
            self.saveRequested.emit("person-delete", person.name, None)

    def _add_schedule(self) -> None:
        self._run(ScheduleForm(None, self), "schedule")

    def _edit_schedule(self) -> None:
        schedule = self._selected(self.schedule_table, self.schedules)
        if isinstance(schedule, Schedule):
            self._run(ScheduleForm(schedule, self), "schedule")

    def _override(self) -> None:
        schedule = self._selected(self.schedule_table, self.schedules)
        if isinstance(schedule, Schedule):
            names = [p.name for p in self.people]
            self._run(OverrideForm(schedule, names, datetime.now(UTC), self), "schedule")

    def _add_policy(self) -> None:
        self._run(PolicyForm(None, self), "policy")

    def _edit_policy(self) -> None:
        policy = self._selected(self.policy_table, self.policies)
        if isinstance(policy, Policy):
            self._run(PolicyForm(policy, self), "policy")
