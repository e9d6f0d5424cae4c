"""Starts the GUI: the application object, theme, icon and the operator window."""

from __future__ import annotations

import logging
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QSocketNotifier, Qt, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from noc_console.desktop import resources_dir
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.launch import PollerCommand
from noc_console.logs import current_log
from noc_console.ui import theme
from noc_console.ui.crash import CrashReporter
from noc_console.ui.language import choose_language, install_language
from noc_console.ui.layout import MAXIMIZED, THEME, console_settings, restore_window
from noc_console.ui.refcount_guard import RefcountGuard
from noc_console.ui.single import SingleInstance, instance_name
from noc_console.ui.theme import SCHEMES, apply_theme

if TYPE_CHECKING:
    from noc_console.ui.call_form import HelpdeskSettings
    from noc_console.ui.lead import LeadSettings

APP_NAME = "NOC Console"
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)
log = logging.getLogger(__name__)


class QuitOnSignal(QObject):
    """SIGTERM and SIGINT end the GUI cleanly: the window shuts down, so its poller child stops too.

    Python runs a signal handler only between bytecodes, and Qt's event loop waits in C++: Python's
    wakeup fd carries the signal number into a socket that a QSocketNotifier watches, so the event loop
    wakes at once (no timer polling for it). `close()` puts the previous handlers back.
    """

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {signum: signal.signal(signum, self._python_handler) for signum in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    @staticmethod
    def _python_handler(signum: int, _frame: object) -> None:
        """Nothing to do here: the wakeup fd has already told the event loop."""

    @Slot()
    def _on_readable(self) -> None:
        try:
            data = self._reader.recv(64)
        except BlockingIOError:
            return
        for signum in data:
            if signum in QUIT_SIGNALS:
                log.info("signal %d: closing the console", signum)
                self._on_signal(signum)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()


def app_icon() -> QIcon | None:
    path = resources_dir() / "noc-console.svg"
    return QIcon(str(path)) if path.is_file() else None


def bring_to_front(window: QWidget) -> None:
    """Show the window in front: un-minimised, raised and focused (as far as the window manager lets)."""
    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.show()
    window.raise_()
    window.activateWindow()


def grab_screenshot(window: QWidget, path: str | Path) -> Path:
    """Save what the window draws (no window manager needed) as a PNG; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def speak(app: QApplication, language: str | None) -> None:
    """Install the language --lang names, or the system locale's: before any widget takes a text."""
    install_language(app, choose_language(language, QLocale.system()))


def run_gui(
    db_url: str,
    sla: SlaPolicy,
    operator: str,
    poller: PollerCommand | None,
    title: str = APP_NAME,
    headless_seconds: float | None = None,
    warnings: Sequence[str] | Callable[[], Sequence[str]] = (),
    helpdesk: HelpdeskSettings | None = None,
    lead: LeadSettings | None = None,
    single_instance: bool = True,
    theme_name: str | None = None,
    language: str | None = None,
) -> int:
    """Run the operator window until it closes (or for `headless_seconds`, for smoke tests). With
    `single_instance`, a console already running for this database on this desk is raised instead.
    `language`: --lang (else the system's locale chooses). `warnings` may be a callable, to say them in
    that language."""
    from noc_console.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    speak(app, language)
    said = list(warnings() if callable(warnings) else warnings)
    single = SingleInstance(instance_name("gui", db_url)) if single_instance else None
    if single is not None and not single.claim():
        what = "its window was brought to the front" if single.handed_over else "it did not answer"
        print(f"noc-console: a console for this database already runs on this desk: {what}", file=sys.stderr)
        return 0 if single.handed_over else 1
    guard = RefcountGuard()
    guard.start()
    windows: list[MainWindow] = []

    def quit_cleanly(_signum: int) -> None:
        for window in windows:
            window.close()  # shuts it down: feed thread, tick, our poller child (which gives the lease up)
        app.quit()

    # From here on SIGTERM and SIGINT quit cleanly (they act once the event loop runs).
    quitter = QuitOnSignal(quit_cleanly)
    crashes = CrashReporter(current_log())
    crashes.install()
    try:
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName(APP_NAME)
        icon = app_icon()
        if icon is not None:
            app.setWindowIcon(icon)
        settings = console_settings()
        chosen = theme_name or str(settings.value(THEME) or "dark")
        apply_theme(app, chosen if chosen in SCHEMES else "dark")  # before any widget takes its colours
        window = MainWindow(
            db_url, sla, operator, poller, title=title, warnings=said, helpdesk=helpdesk, lead=lead
        )
        window.set_theme(theme.scheme.name)  # remembered for the next start
        windows.append(window)
        if single is not None:
            single.raiseRequested.connect(lambda: bring_to_front(window))
        screen = app.primaryScreen()
        if not restore_window(window, window.settings):  # else where this desk left it, on a visible screen
            if screen is not None:
                # Without a window manager (a kiosk) showMaximized alone does nothing: size it too.
                window.setGeometry(screen.availableGeometry())
            window.showMaximized()
        elif window.settings.value(MAXIMIZED) in (True, "true"):
            window.showMaximized()
        else:
            window.show()
        if headless_seconds is not None:
            QTimer.singleShot(int(headless_seconds * 1000), window.close)
        return int(app.exec())
    finally:
        for window in windows:
            window.shutdown()
        crashes.uninstall()
        quitter.close()
        guard.stop()
        if single is not None:
            single.release()
