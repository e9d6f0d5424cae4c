"""The "On call" tab: people, schedules with who is on call now and next, and escalation policies,
editable from the console. An entry edited here is the console's from then on (a config import leaves
it alone). Each form checks what is typed by the same rules as the config file and names the field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, Signal
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
from noc_console.ui import theme
from noc_console.ui.plain import plain_label, set_text


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
        raise InvalidInput(field, "must not be empty")
    return cleaned


class PersonForm(_Form):
    def __init__(self, person: Person | None, parent: QWidget | None = None) -> None:
        super().__init__("Person", parent)
        p = person or Person("")
        self.original = person.name if person else None
        self.name = self.line("Name", p.name)
        self.phone = self.line("Phone (voice, SMS)", p.phone or "", 40)
        self.whatsapp = self.line("WhatsApp", p.whatsapp or "", 40)
        self.email = self.line("E-mail", p.email or "", 320)
        self.chat = self.line("Chat handle", p.chat or "")

    def value(self) -> Person:
        phone, whatsapp, email = (
            self.phone.text().strip(),
            self.whatsapp.text().strip(),
            self.email.text().strip(),
        )
        return Person(
            _name("name", self.name.text()),
            normalise_phone("phone", phone, "") if phone else None,
            normalise_phone("whatsapp", whatsapp, "") if whatsapp else None,
            check_email("email", email) if email else None,
            self.chat.text().strip() or None,
        )


class ScheduleForm(_Form):
    def __init__(self, schedule: Schedule | None, parent: QWidget | None = None) -> None:
        super().__init__("Schedule", parent)
        s = schedule
        self.name = self.line("Name", s.name if s else "")
        self.name.setReadOnly(s is not None)  # a schedule's name is what policies point at
        self.zone = self.line("Time zone", s.time_zone if s else "Europe/London", 64)
        self.rotation = QComboBox()
        for rotation in Rotation:
            self.rotation.addItem(rotation.value, rotation.value)
        if s:
            self.rotation.setCurrentIndex(self.rotation.findData(s.rotation.value))
        self.form.addRow("Rotation", self.rotation)
        self.handoff = self.line(
            "Hand-off (HH:MM, weekly: Mondays)", f"{s.handoff:%H:%M}" if s else "09:00", 5
        )
        self.people = self.line("People, in turn (comma-separated)", ", ".join(s.people) if s else "", 2000)
        self.overrides = s.overrides if s else ()

    def value(self) -> Schedule:
        people = tuple(p.strip() for p in self.people.text().split(",") if p.strip())
        if not people:
            raise InvalidInput("people", "name at least one person")
        return Schedule(
            _name("name", self.name.text()),
            check_time_zone("time_zone", self.zone.text().strip()),
            Rotation(self.rotation.currentData()),
            check_handoff("handoff", self.handoff.text()),
            people,
            self.overrides,
        )


class OverrideForm(_Form):
    """Someone covers a schedule's shift: who, from when, for how long (the common edit on a floor)."""

    def __init__(
        self, schedule: Schedule, people: Sequence[str], now: datetime, parent: QWidget | None = None
    ):
        super().__init__(f"Override · {schedule.name}", parent)
        self.schedule = schedule
        self.person = QComboBox()
        self.person.addItems(list(people))
        self.form.addRow("Who covers", self.person)
        start = now.astimezone().replace(second=0, microsecond=0)
        self.starts = self.line("From (local, YYYY-MM-DD HH:MM)", f"{start:%Y-%m-%d %H:%M}", 16)
        self.hours = QSpinBox()
        self.hours.setRange(1, 24 * 14)
        self.hours.setValue(8)
        self.form.addRow("For (hours)", self.hours)

    def value(self) -> Schedule:
        try:
            local = datetime.strptime(self.starts.text().strip(), "%Y-%m-%d %H:%M").astimezone()
        except ValueError:
            raise InvalidInput("from", "not a time (YYYY-MM-DD HH:MM)") from None
        starts = local.astimezone(UTC)
        cover = Override(self.person.currentText(), starts, starts + timedelta(hours=self.hours.value()))
        if not cover.person:
            raise InvalidInput("who covers", "add people first")
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
        field = f"levels line {number}"
        if len(parts) != 3:
            raise InvalidInput(field, "write 'targets | channels | wait minutes'")
        targets = tuple(t.strip() for t in parts[0].split(",") if t.strip())
        try:
            channels = tuple(Channel(c.strip()) for c in parts[1].split(",") if c.strip())
        except ValueError:
            allowed = ", ".join(c.value for c in Channel)
            raise InvalidInput(field, f"channels are {allowed}") from None
        try:
            wait = float(parts[2])
        except ValueError:
            raise InvalidInput(field, f"{parts[2]!r} is not a number of minutes") from None
        if not targets or not channels or not 0.5 <= wait <= 1440:
            raise InvalidInput(field, "needs targets, channels and a wait of 0.5 to 1440 minutes")
        levels.append(Level(targets, channels, timedelta(minutes=wait)))
    if not levels:
        raise InvalidInput("levels", "write at least one level")
    return tuple(levels)


class PolicyForm(_Form):
    def __init__(self, policy: Policy | None, parent: QWidget | None = None) -> None:
        super().__init__("Escalation policy", parent)
        p = policy
        self.name = self.line("Name", p.name if p else "")
        self.name.setReadOnly(p is not None)
        self.services = self.line(
            "Services (comma-separated; empty: any)", ", ".join(p.services) if p else "", 2000
        )
        self.severities: dict[Severity, QCheckBox] = {}
        row = QHBoxLayout()
        for severity in Severity:
            box = QCheckBox(severity.value)
            box.setChecked(bool(p and severity in p.severities))
            self.severities[severity] = box
            row.addWidget(box)
        self.form.addRow("Severities (none: any)", row)
        self.repeat = QSpinBox()
        self.repeat.setRange(0, 20)
        self.repeat.setValue(p.repeat if p else 0)
        self.form.addRow("Repeat (passes after the first)", self.repeat)
        self.auto = QCheckBox("Start when the acknowledge clock breaches")
        self.auto.setChecked(bool(p and p.auto))
        self.form.addRow("", self.auto)
        self.levels = QPlainTextEdit(levels_text(p) if p else "schedule:primary | sms, voice | 10")
        self.levels.setTabChangesFocus(True)
        self.form.addRow("Levels (targets | channels | wait minutes)", self.levels)

    def value(self) -> Policy:
        services = tuple(s.strip() for s in self.services.text().split(",") if s.strip())
        severities = tuple(s for s, box in self.severities.items() if box.isChecked())
        return Policy(_name("name", self.name.text()), parse_levels(self.levels.toPlainText()),
                      self.repeat.value(), services, severities, self.auto.isChecked())  # fmt: skip


def policy_row(policy: Policy) -> list[str]:
    severities = ", ".join(s.value for s in policy.severities) or "any"
    levels = levels_text(policy).replace("\n", "  →  ")
    auto = "yes" if policy.auto else "no"
    return [policy.name, ", ".join(policy.services) or "any", severities, auto, str(policy.repeat), levels]


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
        self.people_table = _table(["Person", "Phone", "WhatsApp", "E-mail", "Chat"])
        self.schedule_table = _table(["Schedule", "On call now", "Next", "From", "Rotation", "People"])
        self.policy_table = _table(["Policy", "Services", "Severities", "Auto", "Repeat", "Levels"])
        sections = (
            ("On-call schedules", self.schedule_table, (
                ("Add schedule…", self._add_schedule), ("Edit…", self._edit_schedule),
                ("Override…", self._override))),
            ("People", self.people_table, (
                ("Add person…", self._add_person), ("Edit…", self._edit_person),
                ("Remove", self._remove_person))),
            ("Escalation policies", self.policy_table, (
                ("Add policy…", self._add_policy), ("Edit…", self._edit_policy))),
        )  # fmt: skip
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
            when = f"{now.next_at.astimezone():%a %d %b %H:%M}" if now and now.next_at else ""
            current = (now.now if now else None) or "NOBODY"
            following = (now.next if now else None) or ""
            rotation = f"{s.rotation.value} at {s.handoff:%H:%M} {s.time_zone}"
            rows.append([s.name, current, following, when, rotation, ", ".join(s.people)])
        _fill(self.schedule_table, rows)
        _fill(self.policy_table, [policy_row(p) for p in policies])

    def say(self, text: str, ok: bool) -> None:
        colour = theme.OK_GREEN if ok else theme.ALARM_RED
        self.status.setStyleSheet(f"color: {colour.name()}; font-weight: 600;")
        set_text(self.status, text)

    # --- forms -----------------------------------------------------------------------------------
    def _selected(self, table: QTableWidget, items: Sequence[object]) -> object | None:
        row = table.currentRow()
        if not 0 <= row < len(items):
            self.say("Select a row first", False)
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
