"""An unexpected error in the window is written to the log and shown, and the console keeps running.

Qt calls Python slots from its event loop; an exception in one ends that slot, not the program, and
reaches `sys.excepthook` (or `threading.excepthook` from a worker thread). `CrashReporter` takes both:
the traceback goes to the log, and a dialog (not modal: the wall keeps updating behind it) says what
failed and where the log file is. Errors while it is open are counted in it, never stacked as more
dialogs: a slot that fails every second shows one dialog, "and 59 more".
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from noc_console.domain.i18n import translate
from noc_console.ui import formats

log = logging.getLogger(__name__)
MAX_MESSAGE = 300  # characters of the error's own text shown in the dialog


class CrashReporter(QObject):
    """Installs itself as the exception hook of the process and of its threads until `uninstall()`.

    Signals:
        reported(str): an error was logged and is being shown (its one-line summary).
    """

    reported = Signal(str)
    _raised = Signal(str)  # from any thread: shown by the GUI thread

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: QMessageBox | None = None
        self.count = 0  # errors shown in the open dialog
        self._first = ""
        self._parent = parent
        self._previous: tuple[Any, Any] | None = None
        self._raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        self._on_exception(args.exc_type, args.exc_value, args.exc_traceback, args.thread)

    def _on_exception(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
        thread: threading.Thread | None = None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            if self._previous is not None:
                self._previous[0](kind, error, trace)
            return
        where = f" in thread {thread.name}" if thread is not None else ""
        log.error("unexpected error%s:\n%s", where, "".join(traceback.format_exception(kind, error, trace)))
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
        summary = f"{kind.__name__}: {text[:MAX_MESSAGE]}" if text else kind.__name__
        self._raised.emit(summary)

    @Slot(str)
    def _show(self, summary: str) -> None:
        self.count += 1
        if self.dialog is None:
            self._first = summary
            self.dialog = QMessageBox(self._parent)
            self.dialog.setObjectName("crashDialog")
            self.dialog.setIcon(QMessageBox.Icon.Critical)
            self.dialog.setWindowTitle(translate("ui.crash", "NOC Console: unexpected error"))
            self.dialog.setStandardButtons(QMessageBox.StandardButton.Ok)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.dialog.setAccessibleName(translate("ui.crash", "Unexpected error"))
            self.dialog.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path
            self.dialog.setStyleSheet("QLabel#qt_msgbox_label { min-width: 640px; }")  # the path on one line
            self.dialog.finished.connect(self._closed)
        self.dialog.setText(self._text())
        self.dialog.show()
        self.reported.emit(summary)

    def _text(self) -> str:
        text = translate("ui.crash", "Something went wrong inside the console:\n{error}").format(
            error=self._first
        )
        if self.count > 1:
            more = translate("ui.crash", "(and {n} more since)").format(n=formats.number(self.count - 1))
            text = f"{text}\n\n{more}"
        if self.log_path is not None:
            where = translate("ui.crash", "The details are in the log:\n{path}").format(path=self.log_path)
        else:
            where = translate(
                "ui.crash", "The details were written to standard error (no log file could be opened)."
            )
        running = translate("ui.crash", "The console keeps running; what you see is still kept up to date.")
        return f"{text}\n\n{running} {where}"

    @Slot()
    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self.count = 0
