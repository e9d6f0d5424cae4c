"""The "Post-mortems" tab: the lead's list of post-mortems owed, drafted and followed up, each with its
48-hour clock, and the editor of one.

A view only: it emits what the lead asks for and shows what the worker (ui.postmortem_desk) answers.
What is typed is checked here (times, numbers, dates, naming the field) and again by the store's rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate, QElapsedTimer, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from noc_console.domain.i18n import plural, translate
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.postmortem import (
    PROMPTS,
    ActionItem,
    ItemStatus,
    Owed,
    PostMortem,
    TimelineLine,
    alert_state_label,
    blame_hints,
    detected_by_customer,
    detection_label,
    due_at,
    follow_up_due,
    item_status_label,
    needs_attention,
    severity_label,
)
from noc_console.domain.report import customers_affected, format_duration, impact_duration
from noc_console.domain.sla import SlaPolicy
from noc_console.store.postmortems import Opened
from noc_console.ui import formats, theme
from noc_console.ui.files import ChooseFile, save_dialog
from noc_console.ui.plain import plain_label, set_text

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the timeline's editable times (UTC), typed as such in every language
TICK_MS = 30_000  # the list's clocks count in minutes
SAVE_SHORTCUT = "Ctrl+S"


def clock_text(line: Owed, now: datetime) -> str:
    """'due in 13 h 20 min', 'OVERDUE by 2 h 5 min', or for a finished one 'done', 'done · 2 items OVERDUE',
    'done · FOLLOW-UP DUE'."""
    if line.finished:
        notes = [translate("ui.postmortems", "done")]
        if line.overdue_items:
            notes.append(
                plural(
                    line.overdue_items,
                    translate("ui.postmortems", "{n} item OVERDUE"),
                    translate("ui.postmortems", "{n} items OVERDUE"),
                ).format(n=formats.number(line.overdue_items))
            )
        if line.follow_up_due:
            notes.append(translate("ui.postmortems", "FOLLOW-UP DUE"))
        return " · ".join(notes)
    left = line.due_at - now
    if left <= timedelta(0):
        return translate("ui.postmortems", "OVERDUE by {duration}").format(duration=format_duration(-left))
    return translate("ui.postmortems", "due in {duration}").format(duration=format_duration(left))


def _state(line: Owed) -> str:
    if line.postmortem is None:
        return translate("ui.postmortems", "owed")
    return translate("ui.postmortems", "finished") if line.finished else translate("ui.postmortems", "draft")


def _prompt(name: str) -> str:
    """The question a free-text field answers, in the installed language."""
    return translate("domain.postmortem", PROMPTS[name])


def _multiline(placeholder: str, height: int = 90) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


def _table(headers: Sequence[str], editable: bool = True) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setMinimumHeight(150)
    return table


def _item(text: str, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


class PostMortemsTab(QWidget):
    """Signals: listRequested(), openRequested(int), saveRequested(object PostMortem, bool finish),
    followUpRequested(int), documentRequested(int, str kind, str path), sentRequested(int)."""

    listRequested = Signal()
    openRequested = Signal(int)
    saveRequested = Signal(object, bool)
    followUpRequested = Signal(int)
    documentRequested = Signal(int, str, str)
    sentRequested = Signal(int)

    def __init__(
        self, policy: SlaPolicy, choose_file: ChooseFile | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("postmortems")
        self.policy = policy
        self.choose_file = choose_file or save_dialog(self, translate("ui.postmortems", "Export"))
        self.lines: list[Owed] = []
        self._now: datetime | None = None
        self._since_now = QElapsedTimer()
        self.opened: Opened | None = None
        self.loaded: PostMortem | None = None

        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(
            plain_label(
                translate("ui.postmortems", "Post-mortems owed (48 h after resolution) and followed up")
            )
        )
        self.list = _table(
            (
                "#",
                translate("ui.postmortems", "Incident"),
                translate("ui.postmortems", "Clock"),
                translate("ui.postmortems", "State"),
            ),
            editable=False,
        )
        self.list.setAccessibleName(translate("ui.postmortems", "Post-mortems owed"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._picked)
        self.list.setMinimumWidth(800)
        header = self.list.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list.setColumnWidth(0, 110)
        self.list.setColumnWidth(2, 330)
        self.list.setColumnWidth(3, 150)
        left_layout.addWidget(self.list)
        splitter.addWidget(left)

        editor = QWidget()
        self.editor = editor
        form_layout = QVBoxLayout(editor)
        self.heading = plain_label(object_name="postmortemHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 700;")
        form_layout.addWidget(self.heading)
        self.facts = plain_label(object_name="postmortemFacts")
        self.facts.setWordWrap(True)
        form_layout.addWidget(self.facts)

        form = QFormLayout()
        # Each label above its field: the editor keeps to the width it is given, with room for the text.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form_layout.addLayout(form)
        self.summary = _multiline(_prompt("summary"))
        form.addRow(translate("ui.postmortems", "Summary"), self.summary)

        self.timeline = _table(
            (translate("ui.postmortems", "When (UTC)"), translate("ui.postmortems", "What happened"))
        )
        self.timeline.setAccessibleName(translate("ui.postmortems", "Post-mortem timeline"))
        self.timeline.setColumnWidth(0, 270)
        timeline_box = QVBoxLayout()
        timeline_box.addWidget(self.timeline)
        timeline_buttons = QHBoxLayout()
        add_line = QPushButton(translate("ui.postmortems", "Add line"))
        add_line.clicked.connect(self._add_timeline_line)
        remove_line = QPushButton(translate("ui.postmortems", "Remove line"))
        remove_line.clicked.connect(lambda: self._remove_selected(self.timeline))
        timeline_buttons.addWidget(add_line)
        timeline_buttons.addWidget(remove_line)
        timeline_buttons.addStretch(1)
        timeline_box.addLayout(timeline_buttons)
        form.addRow(translate("ui.postmortems", "Timeline"), timeline_box)

        self.users = QLineEdit()
        self.users.setPlaceholderText(
            translate("ui.postmortems", "how many users were affected (a whole number)")
        )
        form.addRow(translate("ui.postmortems", "Users affected"), self.users)
        self.services = QLineEdit()
        self.services.setPlaceholderText(
            translate("ui.postmortems", "the services affected, separated by commas")
        )
        self.services.setMaxLength(2000)
        form.addRow(translate("ui.postmortems", "Services"), self.services)
        self.root_cause = _multiline(_prompt("root_cause"))
        form.addRow(translate("ui.postmortems", "Root cause"), self.root_cause)
        self.contributing = _multiline(_prompt("contributing_factors"))
        form.addRow(translate("ui.postmortems", "Contributing factors"), self.contributing)
        self.why_not = _multiline(_prompt("why_not_detected"))
        self.why_not_label = plain_label(
            translate("ui.postmortems", "Why didn't our monitoring detect this?")
        )
        self.why_not_label.setWordWrap(True)
        form.addRow(self.why_not_label, self.why_not)
        self.corrective = _multiline(_prompt("corrective_actions"), 60)
        form.addRow(translate("ui.postmortems", "Corrective actions"), self.corrective)
        self.credit = QLineEdit()
        self.credit.setPlaceholderText(_prompt("service_credit"))
        self.credit.setMaxLength(1000)
        form.addRow(translate("ui.postmortems", "Service credit"), self.credit)

        self.warnings = _table(
            (
                translate("ui.postmortems", "Started"),
                translate("ui.postmortems", "Source"),
                translate("ui.postmortems", "Alert"),
                translate("ui.postmortems", "Severity"),
                translate("ui.postmortems", "Service"),
                translate("ui.postmortems", "State"),
            ),
            editable=False,
        )
        self.warnings.setAccessibleName(translate("ui.postmortems", "Early warning signs"))
        self.warnings_note = plain_label()
        self.warnings_note.setWordWrap(True)
        warnings_box = QVBoxLayout()
        warnings_box.addWidget(self.warnings_note)
        warnings_box.addWidget(self.warnings)
        form.addRow(translate("ui.postmortems", "Early warning signs"), warnings_box)

        self.items = _table(
            (
                translate("ui.postmortems", "What"),
                translate("ui.postmortems", "Owner"),
                translate("ui.postmortems", "Deadline"),
                translate("ui.postmortems", "Status"),
                "",
            )
        )
        self.items.setAccessibleName(translate("ui.postmortems", "Action items"))
        self.items.setColumnWidth(0, 340)
        self.items.setColumnWidth(2, 130)
        self.items.setColumnWidth(3, 120)
        items_box = QVBoxLayout()
        items_box.addWidget(self.items)
        item_buttons = QHBoxLayout()
        add_item = QPushButton(translate("ui.postmortems", "Add action item"))
        add_item.clicked.connect(lambda: self._add_item(None))
        remove_item = QPushButton(translate("ui.postmortems", "Remove action item"))
        remove_item.clicked.connect(lambda: self._remove_selected(self.items))
        item_buttons.addWidget(add_item)
        item_buttons.addWidget(remove_item)
        item_buttons.addStretch(1)
        items_box.addLayout(item_buttons)
        form.addRow(translate("ui.postmortems", "Action items"), items_box)

        follow = QHBoxLayout()
        self.follow_up = QDateEdit()
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDisplayFormat("yyyy-MM-dd")  # typed as such, whatever the language
        self.follow_up.setAccessibleName(translate("ui.postmortems", "Follow-up date"))
        follow.addWidget(self.follow_up)
        self.follow_up_held = QPushButton(translate("ui.postmortems", "Follow-up review held"))
        self.follow_up_held.clicked.connect(self._held)
        follow.addWidget(self.follow_up_held)
        self.follow_up_note = plain_label()
        follow.addWidget(self.follow_up_note, 1)
        form.addRow(translate("ui.postmortems", "Follow-up (2-4 weeks)"), follow)

        self.hint = plain_label(object_name="blameHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {theme.WARN_AMBER.name()};")
        form_layout.addWidget(self.hint)
        self.message = plain_label(object_name="postmortemMessage")
        self.message.setWordWrap(True)
        form_layout.addWidget(self.message)
        # An export reads the incident in the desk's thread, then renders: a moving bar until it is
        # written or has failed (`say` ends it), so a click never looks ignored.
        self.exporting = QProgressBar()
        self.exporting.setObjectName("postmortemExporting")
        self.exporting.setRange(0, 0)
        self.exporting.setTextVisible(True)
        self.exporting.setAccessibleName(translate("ui.postmortems", "Exporting"))
        self.exporting.hide()
        form_layout.addWidget(self.exporting)

        self.save_button = QPushButton(
            translate("ui.postmortems", "Save draft ({shortcut})").format(shortcut=SAVE_SHORTCUT)
        )
        self.save_button.clicked.connect(lambda: self._save(False))
        self.finish_button = QPushButton(translate("ui.postmortems", "Finish post-mortem"))
        self.finish_button.clicked.connect(lambda: self._save(True))
        self.html_button = QPushButton("HTML…")
        self.html_button.clicked.connect(lambda: self._export("postmortem", "HTML (*.html)"))
        self.pdf_button = QPushButton("PDF…")
        self.pdf_button.clicked.connect(lambda: self._export("postmortem", "PDF (*.pdf)"))
        self.exec_button = QPushButton(translate("ui.postmortems", "Export…"))
        self.exec_button.clicked.connect(lambda: self._export("exec", "PDF (*.pdf);;HTML (*.html)"))
        self.sent_button = QPushButton(translate("ui.postmortems", "Sent"))
        self.sent_button.setToolTip(
            translate("ui.postmortems", "The executive report went out: stop its 72-hour clock")
        )
        self.sent_button.clicked.connect(self._sent)
        # Three short rows: writing it, exporting it, the executive report (one row would be wider than
        # the editor).
        self.html_button.setToolTip(
            translate("ui.postmortems", "Export the post-mortem as a self-contained HTML page")
        )
        self.pdf_button.setToolTip(translate("ui.postmortems", "Export the post-mortem as PDF (A4)"))
        self.exec_button.setToolTip(translate("ui.postmortems", "Export the executive report (PDF or HTML)"))
        for caption, row_buttons in (
            ("", (self.save_button, self.finish_button)),
            (translate("ui.postmortems", "Export the post-mortem:"), (self.html_button, self.pdf_button)),
            (translate("ui.postmortems", "Executive report:"), (self.exec_button, self.sent_button)),
        ):
            buttons = QHBoxLayout()
            if caption:
                label = plain_label(caption)
                label.setMinimumWidth(260)
                buttons.addWidget(label)
            for button in row_buttons:
                buttons.addWidget(button)
            buttons.addStretch(1)
            form_layout.addLayout(buttons)
        save = QShortcut(QKeySequence(SAVE_SHORTCUT), self)
        save.activated.connect(lambda: self._save(False))

        for edit in (self.summary, self.root_cause, self.contributing, self.why_not, self.corrective):
            edit.textChanged.connect(self._check_wording)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(editor)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([900, 1000])
        self._set_editing(False)

        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._redraw_clocks)

    def showEvent(self, event: QShowEvent) -> None:
        """The clocks count only while the tab is on screen."""
        self._tick.start()
        self._redraw_clocks()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._tick.stop()
        super().hideEvent(event)

    def stop_clock(self) -> None:
        self._tick.stop()

    # --- what the worker answers ---------------------------------------------------------------
    def show_list(self, lines: list[Owed], now: datetime) -> None:
        selected = self.selected_id()
        self.lines = list(lines)
        self._now = now
        self._since_now.start()
        self.list.blockSignals(True)
        self.list.setRowCount(len(lines))
        for row, line in enumerate(lines):
            incident = line.incident
            self.list.setItem(row, 0, _item(f"#{incident.id}", False))
            self.list.setItem(
                row, 1, _item(f"{severity_label(incident.severity).upper()}  {incident.title}", False)
            )
            self.list.setItem(row, 2, _item("", False))
            self.list.setItem(row, 3, _item(_state(line), False))
            if incident.id == selected:
                self.list.selectRow(row)
        self.list.blockSignals(False)
        self._redraw_clocks()

    def now(self) -> datetime:
        """The database's time, as of the last list, advanced by the time since."""
        base = self._now or datetime.now(UTC)
        return base + timedelta(milliseconds=self._since_now.elapsed() if self._since_now.isValid() else 0)

    def _redraw_clocks(self) -> None:
        now = self.now()
        for row, line in enumerate(self.lines):
            item = self.list.item(row, 2)
            if item is None:
                continue
            item.setText(clock_text(line, now))
            red = needs_attention(line, now, now.date())
            item.setForeground(theme.ALARM_RED if red else theme.TEXT)
            font = item.font()
            font.setBold(red)
            item.setFont(font)

    def show_opened(self, opened: Opened) -> None:
        self.opened = opened
        self.loaded = opened.postmortem
        pm, incident = opened.postmortem, opened.incident
        set_text(self.heading, f"#{incident.id} {incident.title}")
        span, start_note = impact_duration(incident, opened.now)
        due = due_at(incident, self.policy)
        if pm.finished:
            state = translate("ui.postmortems", "post-mortem finished")
        elif opened.saved:
            state = translate("ui.postmortems", "post-mortem draft")
        else:
            state = translate("ui.postmortems", "post-mortem not started: a draft from the incident")
        facts = [
            severity_label(incident.severity),
            translate("ui.postmortems", "detected by {source}").format(
                source=detection_label(incident.detected_by)
            ),
            translate("ui.postmortems", "impact {duration} (from {start})").format(
                duration=format_duration(span), start=start_note
            ),
            customers_affected(opened.calls),
            state,
        ]
        if not pm.finished and due is not None:
            facts.append(translate("ui.postmortems", "due {time}").format(time=formats.moment(due, utc=True)))
        set_text(self.facts, " · ".join(facts))
        self.summary.setPlainText(pm.summary or "")
        self.timeline.setRowCount(0)
        for line in pm.timeline:
            self._add_timeline_line(line)
        self.timeline.resizeColumnToContents(0)
        self.users.setText("" if pm.users_affected is None else str(pm.users_affected))
        self.services.setText(pm.services or "")
        self.root_cause.setPlainText(pm.root_cause or "")
        self.contributing.setPlainText(pm.contributing_factors or "")
        self.why_not.setPlainText(pm.why_not_detected or "")
        required = detected_by_customer(incident)
        set_text(
            self.why_not_label,
            translate(
                "ui.postmortems",
                "Why didn't our monitoring detect this? (required: a customer told us first)",
            )
            if required
            else translate("ui.postmortems", "Why didn't our monitoring detect this?"),
        )
        self.corrective.setPlainText(pm.corrective_actions or "")
        self.credit.setText(pm.service_credit or "")
        self.warnings.setRowCount(len(opened.warnings))
        for row, w in enumerate(opened.warnings):
            state_text = alert_state_label(w.state)
            if w.silenced:
                state_text = translate("ui.postmortems", "{state}, SILENCED").format(state=state_text)
            started = formats.moment(w.starts_at, seconds=True, utc=True)
            for column, text in enumerate(
                (started, w.source, w.name, severity_label(w.severity), w.service or "", state_text)
            ):
                cell = _item(text, False)
                cell.setToolTip(w.summary)
                self.warnings.setItem(row, column, cell)
        count = len(opened.warnings)
        set_text(
            self.warnings_note,
            plural(
                count,
                translate(
                    "ui.postmortems",
                    "{n} alert on the affected services in the 24 h before impact start: "
                    "what did we ignore, and why?",
                ),
                translate(
                    "ui.postmortems",
                    "{n} alerts on the affected services in the 24 h before impact start: "
                    "what did we ignore, and why?",
                ),
            ).format(n=formats.number(count))
            if count
            else translate(
                "ui.postmortems", "No alert on the affected services in the 24 h before impact start."
            ),
        )
        self.items.setRowCount(0)
        for item in pm.action_items:
            self._add_item(item)
        follow = pm.follow_up_on or (opened.now.date() + timedelta(weeks=3))
        self.follow_up.setDate(QDate(follow.year, follow.month, follow.day))
        today = opened.now.date()
        if pm.follow_up_done_at is not None:
            note = translate("ui.postmortems", "held {day}").format(
                day=formats.day(pm.follow_up_done_at, utc=True)
            )
        elif follow_up_due(pm, today):
            note = translate("ui.postmortems", "FOLLOW-UP DUE: hold the review, then press the button")
        else:
            note = ""
        set_text(self.follow_up_note, note)
        self.follow_up_held.setEnabled(pm.finished and pm.follow_up_done_at is None)
        self.sent_button.setEnabled(incident.exec_report_done_at is None)
        set_text(
            self.finish_button,
            translate("ui.postmortems", "Save amendments")
            if pm.finished
            else translate("ui.postmortems", "Finish post-mortem"),
        )
        self._set_editing(True)
        self._check_wording()

    def show_saved(self, pm: PostMortem | None, text: str) -> None:
        if pm is not None and self.opened is not None and pm.incident_id == self.opened.incident.id:
            self.loaded = pm
            self.opened = replace(self.opened, postmortem=pm, saved=True)
            self.show_opened(self.opened)
        self.say(text, True)

    @Slot(str)
    def say_failed(self, text: str) -> None:
        """A slot, so that a worker's signal runs it in the GUI thread."""
        self.say(text, False)

    def say(self, text: str, ok: bool) -> None:
        self.exporting.hide()
        colour = theme.OK_GREEN.lighter(150) if ok else theme.ALARM_RED
        self.message.setStyleSheet(f"color: {colour.name()}; font-weight: 700;")
        set_text(self.message, text)

    # --- reading the form ------------------------------------------------------------------------
    def form_value(self) -> PostMortem:
        """The post-mortem as typed; InvalidInput names the field of a time, number or date that is wrong."""
        assert self.loaded is not None
        timeline = []
        for row in range(self.timeline.rowCount()):
            when, text = _cell(self.timeline, row, 0), _cell(self.timeline, row, 1)
            if not when and not text:
                continue
            try:
                at = datetime.strptime(when, TIME_FORMAT).replace(tzinfo=UTC)
            except ValueError:
                raise InvalidInput(
                    translate("ui.postmortems", "timeline line {n}: time").format(n=row + 1),
                    translate("ui.postmortems", "{value} is not YYYY-MM-DD HH:MM:SS").format(
                        value=repr(when)
                    ),
                ) from None
            timeline.append(TimelineLine(at, text))
        users_text = self.users.text().strip()
        for separator in (",", QLocale().groupSeparator(), " ", "\u00a0", "\u202f"):  # 1,200 or 1.200
            users_text = users_text.replace(separator, "")
        users = None
        if users_text:
            if not users_text.isdigit():
                raise InvalidInput(
                    translate("ui.postmortems", "users affected"),
                    translate("ui.postmortems", "{value} is not a whole number").format(
                        value=repr(self.users.text())
                    ),
                )
            users = int(users_text)
        items = []
        for row in range(self.items.rowCount()):
            what, owner, due_text = (_cell(self.items, row, c) for c in range(3))
            if not what and not owner and not due_text:
                continue
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                raise InvalidInput(
                    translate("ui.postmortems", "action item {n}: deadline").format(n=row + 1),
                    translate("ui.postmortems", "{value} is not YYYY-MM-DD").format(value=repr(due_text)),
                ) from None
            combo = self.items.cellWidget(row, 3)
            status = ItemStatus(combo.currentData()) if isinstance(combo, QComboBox) else ItemStatus.OPEN
            items.append(ActionItem(what, owner, due, status))
        follow = self.follow_up.date()
        return replace(
            self.loaded,
            summary=self.summary.toPlainText(),
            timeline=tuple(timeline),
            users_affected=users,
            services=self.services.text(),
            root_cause=self.root_cause.toPlainText(),
            contributing_factors=self.contributing.toPlainText(),
            why_not_detected=self.why_not.toPlainText(),
            corrective_actions=self.corrective.toPlainText(),
            service_credit=self.credit.text(),
            action_items=tuple(items),
            follow_up_on=date(follow.year(), follow.month(), follow.day()),
        )

    # --- actions -----------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = {index.row() for index in self.list.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.lines[row].incident.id if row < len(self.lines) else None

    def open_incident(self, incident_id: int) -> None:
        """Open one incident's post-mortem (from the incident list's button, say)."""
        self.say(
            translate("ui.postmortems", "Opening the post-mortem of #{id}…").format(id=incident_id), True
        )
        self.openRequested.emit(incident_id)

    def _picked(self) -> None:
        incident_id = self.selected_id()
        if incident_id is not None:
            self.openRequested.emit(incident_id)

    def _save(self, finish: bool) -> None:
        if self.loaded is None:
            return
        try:
            value = self.form_value()
        except InvalidInput as exc:
            self.say(translate("ui.postmortems", "Not saved: {error}").format(error=exc), False)
            return
        self.saveRequested.emit(value, finish)

    def _held(self) -> None:
        if self.opened is not None:
            self.followUpRequested.emit(self.opened.incident.id)

    def _sent(self) -> None:
        if self.opened is not None:
            self.sentRequested.emit(self.opened.incident.id)

    def _export(self, kind: str, name_filter: str) -> None:
        if self.opened is None:
            return
        stem = "executive-report" if kind == "exec" else "postmortem"
        extension = ".pdf" if "pdf" in name_filter.split(";;", maxsplit=1)[0].lower() else ".html"
        path = self.choose_file(f"{stem}-{self.opened.incident.id}{extension}", name_filter)
        if not path:
            return
        if not path.lower().endswith((".pdf", ".html")):
            path += extension
        if kind == "exec":
            doing = translate("ui.postmortems", "Writing the executive report of #{id}…")
        else:
            doing = translate("ui.postmortems", "Writing the post-mortem of #{id}…")
        self.exporting.setFormat(doing.format(id=self.opened.incident.id))
        self.exporting.show()
        self.documentRequested.emit(self.opened.incident.id, kind, path)

    def _add_timeline_line(self, line: TimelineLine | None = None) -> None:
        row = self.timeline.rowCount()
        self.timeline.insertRow(row)
        at = line.at if line else self.now()
        self.timeline.setItem(row, 0, _item(f"{at:{TIME_FORMAT}}"))
        text = _item(line.text if line else "")
        self.timeline.setItem(row, 1, text)
        if line is None:
            self.timeline.setCurrentCell(row, 1)
            self.timeline.editItem(text)

    def _add_item(self, item: ActionItem | None) -> None:
        row = self.items.rowCount()
        self.items.insertRow(row)
        due = item.due if item else self.now().date() + timedelta(weeks=2)
        what = _item(item.what if item else "")
        self.items.setItem(row, 0, what)
        self.items.setItem(row, 1, _item(item.owner if item else ""))
        self.items.setItem(row, 2, _item(due.isoformat()))
        combo = QComboBox()
        for status in ItemStatus:
            combo.addItem(item_status_label(status), status.value)  # the label shown, the value stored
        combo.setCurrentIndex(combo.findData((item.status if item else ItemStatus.OPEN).value))
        combo.setAccessibleName(translate("ui.postmortems", "Action item {n} status").format(n=row + 1))
        self.items.setCellWidget(row, 3, combo)
        overdue = item is not None and item.overdue(self.now().date())
        flag = _item(translate("ui.postmortems", "OVERDUE") if overdue else "", False)
        if overdue:
            flag.setForeground(theme.ALARM_RED)
            font = flag.font()
            font.setBold(True)
            flag.setFont(font)
        self.items.setItem(row, 4, flag)
        if item is None:
            self.items.setCurrentCell(row, 0)
            self.items.editItem(what)

    def _remove_selected(self, table: QTableWidget) -> None:
        for row in sorted({index.row() for index in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def _check_wording(self) -> None:
        text = "\n".join(
            edit.toPlainText()
            for edit in (self.summary, self.root_cause, self.contributing, self.why_not, self.corrective)
        )
        found = blame_hints(text)
        set_text(
            self.hint,
            translate(
                "ui.postmortems",
                "Blameless wording: {phrases} looks for a person to blame. "
                "Describe what in the system or process made it possible.",
            ).format(phrases=", ".join(f"“{phrase}”" for phrase in found))
            if found
            else "",
        )

    def _set_editing(self, on: bool) -> None:
        self.editor.setEnabled(on)
        if not on:
            set_text(self.heading, translate("ui.postmortems", "Pick a post-mortem from the list"))
