"""The helpdesk's call form: a customer's phone report logged in under a minute, keyboard only.

Left: who called and what they see (four fields required: caller, phone, service, what they see).
Right: "Do we already know?" — the open incidents that likely match, re-ranked as the agent types, each
with its status and who is on it, and a new customer-detected incident with a suggested service and
severity. Enter on the last field (or Ctrl+Enter anywhere) saves to the selected choice.

Nothing typed is lost: the form keeps its fields in the desk's settings as they are typed, and a call
is on disk (the desk's outbox) before the form clears.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from noc_console.config import Config
from noc_console.domain import calls as calls_domain
from noc_console.domain.calls import Callback, CallDraft, CallOutcome, Placement, new_call_id, parse_started
from noc_console.domain.i18n import QT_TRANSLATE_NOOP, plural, translate
from noc_console.domain.incidents import BusinessImpact, IncidentStatus
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.matching import Candidate
from noc_console.domain.severity import Severity
from noc_console.domain.suggest import Suggestion
from noc_console.ui import formats, theme
from noc_console.ui.plain import plain_label, plain_tooltip, set_style, set_text

MATCH_DELAY_MS = 250  # re-rank once the agent pauses typing this long
# The form chooses the best match for the agent from here (the same service as an open incident alone
# scores 0.4 to 0.5, by its age; or several words in common); the agent sees the choice on the save
# button and can pick another. The command line attaches by itself only above ATTACH_THRESHOLD.
PRESELECT_FROM = 0.4
NEW = -1  # the match list's "new incident" entry

# Field name (as CallDraft.checked names it) -> how the status line names it ("Not saved: check phone").
FIELD_NAMES = {
    "caller": QT_TRANSLATE_NOOP("ui.call_form", "caller"),
    "org": QT_TRANSLATE_NOOP("ui.call_form", "org"),
    "phone": QT_TRANSLATE_NOOP("ui.call_form", "phone"),
    "callback": QT_TRANSLATE_NOOP("ui.call_form", "callback"),
    "service": QT_TRANSLATE_NOOP("ui.call_form", "service"),
    "summary": QT_TRANSLATE_NOOP("ui.call_form", "summary"),
    "started_at": QT_TRANSLATE_NOOP("ui.call_form", "started at"),
    "users_affected": QT_TRANSLATE_NOOP("ui.call_form", "users affected"),
    "impact": QT_TRANSLATE_NOOP("ui.call_form", "impact"),
}
# The fields the form has a row (and an error line) for.
FIELDS = tuple(FIELD_NAMES)
# Fields the form fills in itself: named only if something is wrong with them all the same.
OTHER_FIELD_NAMES = {
    "call_id": QT_TRANSLATE_NOOP("ui.call_form", "call_id"),
    "by": QT_TRANSLATE_NOOP("ui.call_form", "by"),
    "placement": QT_TRANSLATE_NOOP("ui.call_form", "placement"),
    "attach_to": QT_TRANSLATE_NOOP("ui.call_form", "attach_to"),
    "severity": QT_TRANSLATE_NOOP("ui.call_form", "severity"),
    "title": QT_TRANSLATE_NOOP("ui.call_form", "title"),
}
IMPACT_LABELS = {
    BusinessImpact.NONE: QT_TRANSLATE_NOOP("ui.call_form", "None"),
    BusinessImpact.DEGRADED: QT_TRANSLATE_NOOP("ui.call_form", "Degraded"),
    BusinessImpact.DOWN: QT_TRANSLATE_NOOP("ui.call_form", "Down"),
}


def field_name(name: str) -> str:
    """A field as the status line names it, in the window's language."""
    known = FIELD_NAMES.get(name) or OTHER_FIELD_NAMES.get(name)
    return translate("ui.call_form", known) if known else name


def severity_label(severity: Severity) -> str:
    """The severity's label ("Major"), in the window's language."""
    return severity.word.capitalize()


@dataclass
class HelpdeskSettings:
    """What the desk needs from the configuration (the call form; the Page action's policies)."""

    region: str = ""
    services: Sequence[str] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    policies: Sequence[str] = ()  # escalation policies, for the Page action
    providers: Sequence[str] = ()  # paging providers, for checking policies edited in the console

    @classmethod
    def of(cls, config: Config) -> HelpdeskSettings:
        policies = tuple(p.name for p in config.paging.policies)
        providers = tuple(p.name for p in config.paging.providers)
        return cls(config.helpdesk.region, config.catalog.names, config.catalog.aliases, policies, providers)


def describe_candidate(candidate: Candidate) -> str:
    """'#12 MAJOR · payments · Card payments failing — engineers on it since 10:42 (bob) · 87 %'"""
    incident = candidate.incident
    if incident.status is IncidentStatus.ACKNOWLEDGED and incident.acknowledged_at is not None:
        since = formats.clock(incident.acknowledged_at)
        if incident.owner:
            status = translate("ui.call_form", "engineers on it since {time} ({owner})")
        else:
            status = translate("ui.call_form", "engineers on it since {time}")
        status = status.format(time=since, owner=incident.owner)
    else:
        status = translate("ui.call_form", "NOT yet acknowledged, detected {time}")
        status = status.format(time=formats.clock(incident.detected_at))
    service = incident.service or translate("ui.call_form", "no service")
    severity = severity_label(incident.severity).upper()
    score = formats.percent(candidate.score * 100, 0)
    return f"#{incident.id} {severity} · {service} · {incident.title} — {status} · {score}"


class _EnterSaves(QObject):
    """Enter or Return on the watched widget saves the form."""

    def __init__(self, save: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._save = save

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key()
            in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            )
        ):
            self._save()
            return True
        return False


class CallForm(QWidget):
    """Signals: saveRequested(object) a checked CallDraft; matchRequested(int, object, str) a request
    number, the typed service (or None) and what they see."""

    saveRequested = Signal(object)
    matchRequested = Signal(int, object, str)
    ackRequested = Signal(str)

    def __init__(
        self,
        settings: HelpdeskSettings,
        operator: str,
        now: Callable[[], datetime],
        store: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callForm")
        self._settings = settings
        self._operator = operator
        self._now = now
        self._kept = store
        self._call_id = new_call_id()
        self._request = 0
        self._candidates: list[Candidate] = []
        self._suggestion: Suggestion | None = None
        self._picked: int | None = None  # the agent's own choice in the list (an incident ID or NEW)
        self._saving: str | None = None  # the call ID on its way to the outbox
        self._last_saved: str | None = None  # the last call stored in the database: its ack button
        self._restoring = False

        self.caller = self._line(
            calls_domain.MAX_CALLER, translate("ui.call_form", "Full name as the caller gives it")
        )
        self.org = self._line(
            calls_domain.MAX_ORGANISATION, translate("ui.call_form", "Their company or team (optional)")
        )
        self.phone = self._line(
            calls_domain.MAX_PHONE_TYPED, translate("ui.call_form", "+44 7700 900123, or national")
        )
        self.callback = QComboBox()
        for choice, label in (
            (Callback.PHONE, translate("ui.call_form", "Call back")),
            (Callback.SMS, translate("ui.call_form", "Text message")),
            (Callback.EMAIL, translate("ui.call_form", "E-mail")),
            (Callback.NONE, translate("ui.call_form", "No callback")),
        ):
            self.callback.addItem(label, choice.value)
        self.service = QComboBox()
        self.service.setEditable(True)
        self.service.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.service.addItems(list(settings.services))
        self.service.setCurrentIndex(-1)
        service_line = self.service.lineEdit()
        assert service_line is not None  # editable
        service_line.setMaxLength(calls_domain.MAX_SERVICE)
        service_line.setPlaceholderText(translate("ui.call_form", "Pick or type the service"))
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(translate("ui.call_form", "What they see, in their words"))
        self.summary.setFixedHeight(110)
        self.started = self._line(60, translate("ui.call_form", "10:42, 25 min ago, or blank"))
        self.users = self._line(12, translate("ui.call_form", "How many of their users (blank: unknown)"))
        self.impact = QComboBox()
        self.impact.addItem(translate("ui.call_form", "Unknown"), None)
        for impact in BusinessImpact:
            self.impact.addItem(translate("ui.call_form", IMPACT_LABELS[impact]), impact.value)
        self.impact.installEventFilter(_EnterSaves(self.save, self))

        self.errors = {name: self._error_label() for name in FIELDS}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        rows: tuple[tuple[str, QWidget, str], ...] = (
            (translate("ui.call_form", "Caller *"), self.caller, "caller"),
            (translate("ui.call_form", "Organisation"), self.org, "org"),
            (translate("ui.call_form", "Phone *"), self.phone, "phone"),
            (translate("ui.call_form", "Callback"), self.callback, "callback"),
            (translate("ui.call_form", "Service *"), self.service, "service"),
            (translate("ui.call_form", "What they see *"), self.summary, "summary"),
            (translate("ui.call_form", "Started for them"), self.started, "started_at"),
            (translate("ui.call_form", "Users affected"), self.users, "users_affected"),
            (translate("ui.call_form", "Business impact"), self.impact, "impact"),
        )
        for label, widget, name in rows:
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(self.errors[name])
            form.addRow(label, cell)
        for line in (self.caller, self.org, self.phone, self.started, self.users):
            line.returnPressed.connect(self.focusNextChild)

        self.matches = QListWidget()
        self.matches.setObjectName("callMatches")
        self.matches.setWordWrap(True)
        self.matches.currentItemChanged.connect(self._on_pick)
        self.severity = QComboBox()
        for severity in Severity:
            self.severity.addItem(severity_label(severity), severity.value)
        self.severity.setCurrentIndex(list(Severity).index(Severity.MAJOR))
        self.suggestion_label = plain_label("", "hint")
        self.save_button = QPushButton(translate("ui.call_form", "Save call"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.status = plain_label("", "callStatus")
        self.status.setWordWrap(True)
        self.read_out = QPlainTextEdit()
        self.read_out.setReadOnly(True)
        self.read_out.setFixedHeight(90)
        self.read_out.setPlaceholderText(
            translate("ui.call_form", "After saving: what to read out to the caller")
        )
        self.ack_button = QPushButton(translate("ui.call_form", "Caller told (Ctrl+K)"))
        self.ack_button.setEnabled(False)
        self.ack_button.clicked.connect(self._ack)

        right = QVBoxLayout()
        right.addWidget(plain_label(translate("ui.call_form", "Do we already know?"), "sectionTitle"))
        right.addWidget(self.matches, 1)
        new_row = QHBoxLayout()
        new_row.addWidget(plain_label(translate("ui.call_form", "New incident severity:")))
        new_row.addWidget(self.severity)
        new_row.addWidget(self.suggestion_label, 1)
        right.addLayout(new_row)
        right.addWidget(self.save_button)
        right.addWidget(self.status)
        right.addWidget(self.read_out)
        right.addWidget(self.ack_button)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(plain_label(translate("ui.call_form", "Customer phone report"), "sectionTitle"))
        left.addLayout(form)
        left.addStretch(1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 4)

        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)
        QShortcut(QKeySequence("Ctrl+K"), self, self._ack)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(MATCH_DELAY_MS)
        self._debounce.timeout.connect(self._ask_matches)
        for signal in (self.caller.textChanged, self.org.textChanged, self.phone.textChanged,
                       self.started.textChanged, self.users.textChanged, self.summary.textChanged,
                       self.service.currentTextChanged, self.callback.currentIndexChanged,
                       self.impact.currentIndexChanged):  # fmt: skip
            signal.connect(self._keep)
        self.service.currentTextChanged.connect(lambda _text: self._debounce.start())
        self.summary.textChanged.connect(self._debounce.start)
        self.phone.editingFinished.connect(self._check_phone)
        self._restore()
        self._fill_matches()

    # --- building --------------------------------------------------------------------------------
    def _line(self, limit: int, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setMaxLength(limit)
        line.setPlaceholderText(placeholder)
        return line

    def _error_label(self) -> QLabel:
        label = plain_label("", "fieldError")
        set_style(label, f"color: {theme.ALARM_RED.name()}; font-weight: 600;")
        label.setWordWrap(True)
        label.hide()
        return label

    def stop(self) -> None:
        """The console is closing: no more match requests."""
        self._debounce.stop()

    # --- matching --------------------------------------------------------------------------------
    def _ask_matches(self) -> None:
        self._request += 1
        self.matchRequested.emit(self._request, self.service.currentText().strip() or None,
                                 self.summary.toPlainText())  # fmt: skip

    def show_matches(self, number: int, candidates: list[Candidate], suggestion: Suggestion | None) -> None:
        """Answer to a match request; an older answer than the newest request is ignored."""
        if number != self._request:
            return
        self._candidates = list(candidates)
        self._suggestion = suggestion
        self._fill_matches()

    def _fill_matches(self) -> None:
        keep = self._picked
        self.matches.blockSignals(True)
        self.matches.clear()
        for candidate in self._candidates:
            item = QListWidgetItem(describe_candidate(candidate))
            item.setData(Qt.ItemDataRole.UserRole, candidate.incident.id)
            why = translate("ui.call_form", "Why: {reasons}").format(reasons=", ".join(candidate.reasons))
            item.setToolTip(plain_tooltip(why))
            self.matches.addItem(item)
        new = QListWidgetItem(self._new_text())
        new.setData(Qt.ItemDataRole.UserRole, NEW)
        self.matches.addItem(new)
        wanted = keep
        if wanted is None or (wanted != NEW and not any(c.incident.id == wanted for c in self._candidates)):
            best = self._candidates[0] if self._candidates else None
            wanted = best.incident.id if best is not None and best.score >= PRESELECT_FROM else NEW
            self._picked = None
        for row in range(self.matches.count()):
            if self.matches.item(row).data(Qt.ItemDataRole.UserRole) == wanted:
                self.matches.setCurrentRow(row)
        self.matches.blockSignals(False)
        self._update_save_text()
        if self._suggestion is not None and self._suggestion.severity_confidence > 0:
            self.severity.setCurrentIndex(list(Severity).index(self._suggestion.severity))

    def _new_text(self) -> str:
        guess = self._suggestion
        if guess is None or (guess.service is None and guess.service_confidence == 0):
            return translate("ui.call_form", "+ New customer-detected incident")
        text = translate(
            "ui.call_form",
            "+ New customer-detected incident — suggested: {service} ({service_confidence}), "
            "{severity} ({severity_confidence})",
        )
        return text.format(
            service=guess.service or translate("ui.call_form", "no service"),
            service_confidence=formats.percent(guess.service_confidence * 100, 0),
            severity=severity_label(guess.severity).lower(),
            severity_confidence=formats.percent(guess.severity_confidence * 100, 0),
        )

    def _on_pick(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self._picked = int(current.data(Qt.ItemDataRole.UserRole))
        self._update_save_text()

    def _choice(self) -> int:
        item = self.matches.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else NEW

    def _update_save_text(self) -> None:
        choice = self._choice()
        if choice == NEW:
            text = translate("ui.call_form", "Save call — new incident")
        else:
            text = translate("ui.call_form", "Save call — attach to #{id}").format(id=choice)
        if self.save_button.text() != text:
            self.save_button.setText(text)

    # --- saving ----------------------------------------------------------------------------------
    def draft(self) -> CallDraft:
        """The call as typed, checked; InvalidInput names the field."""
        now = self._now()
        choice = self._choice()
        users = self.users.text().strip()
        if users and not users.isdigit():
            problem = translate("ui.call_form", "must be a whole number from 0 up, or blank")
            raise InvalidInput("users_affected", problem)
        return CallDraft(
            call_id=self._call_id,
            caller=self.caller.text(),
            phone=self.phone.text(),
            service=self.service.currentText(),
            summary=self.summary.toPlainText(),
            taken_by=self._operator,
            received_at=now,
            organisation=self.org.text(),
            callback=self.callback.currentData(),
            started_at=parse_started("started_at", self.started.text(), now.astimezone()),
            users_affected=int(users) if users else None,
            impact=self.impact.currentData(),
            placement=(Placement.NEW if choice == NEW else Placement.ATTACH).value,
            attach_to=None if choice == NEW else choice,
            severity=self.severity.currentData() if choice == NEW else None,
        ).checked(self._settings.region)

    def save(self) -> None:
        if self._saving is not None:
            return
        for label in self.errors.values():
            label.hide()
        try:
            draft = self.draft()
        except InvalidInput as exc:
            self.show_error(exc.field, exc.problem)
            return
        self._saving = draft.call_id
        self.save_button.setEnabled(False)
        self.set_status(translate("ui.call_form", "Saving…"), "info")
        self.saveRequested.emit(draft)

    def show_error(self, name: str, problem: str) -> None:
        label = self.errors.get(name)
        widget = {"caller": self.caller, "org": self.org, "phone": self.phone, "service": self.service,
                  "summary": self.summary, "started_at": self.started, "users_affected": self.users,
                  "impact": self.impact, "callback": self.callback}.get(name)  # fmt: skip
        if label is None:
            text = translate("ui.call_form", "Not saved: {field}: {problem}")
            self.set_status(text.format(field=field_name(name), problem=problem), "error")
            return
        set_text(label, problem)
        label.show()
        if widget is not None:
            widget.setFocus()
        self.set_status(
            translate("ui.call_form", "Not saved: check {field}").format(field=field_name(name)), "error"
        )

    def _check_phone(self) -> None:
        text = self.phone.text().strip()
        if not text:
            return
        try:
            e164 = calls_domain.normalise_phone("phone", text, self._settings.region)
        except InvalidInput as exc:
            set_text(self.errors["phone"], exc.problem)
            self.errors["phone"].show()
            return
        doubt = calls_domain.phone_doubt(e164)
        if doubt:
            set_text(
                self.errors["phone"],
                translate("ui.call_form", "Saved as typed, but {doubt}").format(doubt=doubt),
            )
            self.errors["phone"].show()
        else:
            self.errors["phone"].hide()
        self.phone.setToolTip(translate("ui.call_form", "Stored as {phone}").format(phone=e164))

    def on_queued(self, call_id: str, why: str) -> None:
        """The call is on this desk's disk: the form clears for the next caller."""
        if call_id != self._saving:
            return
        self._saving = None
        self.save_button.setEnabled(True)
        self._clear()
        if why:
            self.set_status(
                translate("ui.call_form", "Saved on this desk, will sync: {why}").format(why=why), "warn"
            )
        else:
            self.set_status(
                translate("ui.call_form", "Saved on this desk — sending to the database…"), "info"
            )

    def on_saved(self, call_id: str, outcome: CallOutcome, read_out: str) -> None:
        if call_id == self._saving:  # stored straight away (the desk had no outbox)
            self.on_queued(call_id, "")
        if outcome.attached and outcome.note:
            text = translate(
                "ui.call_form", "Logged: attached to #{id} ({note}). Read the text below to the caller."
            )
        elif outcome.attached:
            text = translate("ui.call_form", "Logged: attached to #{id}. Read the text below to the caller.")
        elif outcome.note:
            text = translate(
                "ui.call_form",
                "Logged: new customer-detected incident #{id} ({note}). Read the text below to the caller.",
            )
        else:
            text = translate(
                "ui.call_form",
                "Logged: new customer-detected incident #{id}. Read the text below to the caller.",
            )
        self.set_status(text.format(id=outcome.incident_id, note=outcome.note), "ok")
        self.read_out.setPlainText(read_out)
        self._last_saved = call_id
        self.ack_button.setEnabled(True)

    def on_failed(self, call_id: str, why: str) -> None:
        if call_id and call_id == self._saving:
            self._saving = None
            self.save_button.setEnabled(True)
        self.set_status(why, "error")

    def on_outbox(self, waiting: int, why: str) -> None:
        if waiting:
            text = plural(
                waiting,
                translate("ui.call_form", "{n} call saved on this desk, will sync: {why}"),
                translate("ui.call_form", "{n} calls saved on this desk, will sync: {why}"),
            )
            why = why or translate("ui.call_form", "retrying")
            self.set_status(text.format(n=formats.number(waiting), why=why), "warn")

    def _ack(self) -> None:
        if self._last_saved is not None and self.ack_button.isEnabled():
            self.ackRequested.emit(self._last_saved)

    def on_ack(self, text: str, ok: bool) -> None:
        if ok:
            self.ack_button.setEnabled(False)
            self.set_status(translate("ui.call_form", "Caller acknowledged: their clock is closed."), "ok")
        else:
            self.set_status(text, "error")

    def set_status(self, text: str, kind: str) -> None:
        colour = {
            "ok": theme.CLEARING_GREEN,
            "warn": theme.WARN_AMBER,
            "error": theme.ALARM_RED,
            "info": theme.ACCENT,
        }[kind].name()
        set_style(self.status, f"color: {colour}; font-weight: 600;")
        set_text(self.status, text)

    def _clear(self) -> None:
        self._restoring = True
        for line in (self.caller, self.org, self.phone, self.started, self.users):
            line.clear()
        self.summary.clear()
        self.service.setCurrentIndex(-1)
        self.service.setEditText("")
        self.callback.setCurrentIndex(0)
        self.impact.setCurrentIndex(0)
        self._restoring = False
        self._call_id = new_call_id()
        self._picked = None
        self._candidates = []
        self._fill_matches()
        self._keep()
        self.caller.setFocus()

    # --- keeping what is typed -------------------------------------------------------------------
    def _keep(self, *_args: object) -> None:
        if self._kept is None or self._restoring:
            return
        values = self._values()
        self._kept.setValue("helpdesk/draft", values if any(values.values()) else None)

    def _values(self) -> dict[str, str]:
        return {
            "caller": self.caller.text(),
            "org": self.org.text(),
            "phone": self.phone.text(),
            "service": self.service.currentText(),
            "summary": self.summary.toPlainText(),
            "started": self.started.text(),
            "users": self.users.text(),
            "callback": str(self.callback.currentData()),
            "impact": str(self.impact.currentData() or ""),
        }

    def _restore(self) -> None:
        kept = self._kept.value("helpdesk/draft") if self._kept is not None else None
        if not isinstance(kept, dict):
            return
        self._restoring = True
        self.caller.setText(str(kept.get("caller", "")))
        self.org.setText(str(kept.get("org", "")))
        self.phone.setText(str(kept.get("phone", "")))
        self.service.setEditText(str(kept.get("service", "")))
        self.summary.setPlainText(str(kept.get("summary", "")))
        self.started.setText(str(kept.get("started", "")))
        self.users.setText(str(kept.get("users", "")))
        self.callback.setCurrentIndex(max(0, self.callback.findData(kept.get("callback"))))
        self.impact.setCurrentIndex(max(0, self.impact.findData(kept.get("impact") or None)))
        self._restoring = False
        self.set_status(
            translate("ui.call_form", "Restored the call you were typing before the console closed."), "info"
        )
