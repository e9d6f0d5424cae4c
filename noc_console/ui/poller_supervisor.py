"""Starts `noc-console poller` as a child process when no poller runs, and restarts it, loudly, if it dies."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal, Slot

from noc_console.domain.clock import utcnow
from noc_console.domain.i18n import translate
from noc_console.engine.launch import PollerCommand
from noc_console.store.lease import PollerStatus
from noc_console.ui import formats
from noc_console.ui.db_clock import seconds_text

log = logging.getLogger(__name__)
child_log = logging.getLogger("noc_console.poller.child")


class PollerSupervisor(QObject):
    """Owns at most one child poller process for this console's database.

    Feed it the lease holder with `update_poller_status` (from FeedFollower.pollerChanged / snapshot),
    and call `recheck()` every second: a poller that died without a word changes nothing in the
    database, so only time shows its lease expiring. `clock` is the database's clock (the lease's times
    are the database's). A live poller elsewhere means no child; otherwise one is started. A child that
    exits while the GUI runs is restarted after 1 s, 2 s, 4 s … at most `backoff_max_s`.

    The child's standard input is a pipe from this process that stays open while it lives: started with
    `--exit-with-parent`, the child stops by itself when that pipe closes (this console was killed).

    Signals:
        statusChanged(str, bool): the poller's state in plain words, and whether that is fine.
    """

    statusChanged = Signal(str, bool)

    def __init__(
        self,
        command: PollerCommand | None,
        lease_s: float = 15.0,
        clock: Callable[[], datetime] = utcnow,
        backoff_start_s: float = 1.0,
        backoff_max_s: float = 30.0,
        stop_timeout_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._argv = list(command.argv) if command else None
        self._env = dict(command.env) if command else {}
        self._lease_s = lease_s
        self._clock = clock
        self._backoff_start_s = backoff_start_s
        self._backoff_max_s = backoff_max_s
        self._backoff_s = backoff_start_s
        self._stop_timeout_ms = stop_timeout_ms
        self._process: QProcess | None = None
        self._status: PollerStatus | None = None
        self._status_known = False
        self._started_at: datetime | None = None
        self._stopping = False
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.timeout.connect(self._start_child)
        self.starts = 0
        self.last_status = ("", False)

    # --- state ---------------------------------------------------------------------------------
    @property
    def can_poll(self) -> bool:
        """True when this console has a poller command of its own to start."""
        return self._argv is not None

    def is_mine(self, status: PollerStatus | None) -> bool:
        """True when `status` is this console's own child poller."""
        return status is not None and self._is_mine(status)

    @property
    def child_running(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def _emit(self, text: str, ok: bool) -> None:
        if (text, ok) != self.last_status:
            self.last_status = (text, ok)
            self.statusChanged.emit(text, ok)

    def _is_mine(self, status: PollerStatus) -> bool:
        return (
            self.child_running
            and self._process is not None
            and status.pid == self._process.processId()
            and status.host == socket.gethostname()
        )

    @Slot(object)
    def update_poller_status(self, status: PollerStatus | None) -> None:
        """A new reading of the lease: decide from it whether this console must run a poller."""
        self._status = status
        self._status_known = True
        self.recheck()

    @Slot()
    def recheck(self) -> None:
        """Decide again with the last reading of the lease and the database's clock now."""
        if self._stopping or not self._status_known:
            return
        status = self._status
        alive = status is not None and not status.expired(self._clock())
        if alive and status is not None and not self._is_mine(status):
            if status.host == socket.gethostname():
                text = translate(
                    "ui.poller_supervisor", "Poller run by another console on this host (pid {pid})"
                )
            else:
                text = translate(
                    "ui.poller_supervisor", "Poller run by another console on host {host} (pid {pid})"
                )
            self._emit(text.format(host=status.host, pid=status.pid), True)
            return
        if self._argv is None:
            if not alive:
                self._emit(
                    translate(
                        "ui.poller_supervisor", "No poller is running: incidents are not being updated"
                    ),
                    False,
                )
            return
        if not self.child_running and not self._restart_timer.isActive():
            self._start_child()

    # --- the child -----------------------------------------------------------------------------
    @Slot()
    def _start_child(self) -> None:
        if self._stopping or self._argv is None or self.child_running:
            return
        process = QProcess(self)
        process.setProgram(self._argv[0])
        process.setArguments(self._argv[1:])
        # A pipe we never close: the child's --exit-with-parent watches it for the end of this process.
        process.setInputChannelMode(QProcess.InputChannelMode.ManagedInputChannel)
        if self._env:  # only this child gets them (a database password, say), never our own environment
            environment = QProcessEnvironment.systemEnvironment()
            for key, value in self._env.items():
                environment.insert(key, value)
            process.setProcessEnvironment(environment)
        process.readyReadStandardError.connect(self._forward_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        self._started_at = self._clock()
        self.starts += 1
        process.start()
        if process.waitForStarted(5000):
            self._emit(
                translate("ui.poller_supervisor", "Poller running (pid {pid})").format(
                    pid=process.processId()
                ),
                True,
            )

    @Slot()
    def _forward_stderr(self) -> None:
        process = self.sender()
        if not isinstance(process, QProcess):
            return
        text = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                child_log.warning("%s", line)

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._stopping:
            program = self._argv[0] if self._argv else "?"
            self._schedule_restart(
                f"Poller failed to start ({program})",
                translate("ui.poller_supervisor", "Poller failed to start ({program})").format(
                    program=program
                ),
            )

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        if self._stopping:
            return
        at = formats.clock(self._clock(), seconds=True)
        if exit_status == QProcess.ExitStatus.CrashExit:
            shown = translate("ui.poller_supervisor", "Poller died (crashed) at {time}").format(time=at)
            self._schedule_restart("Poller died (crashed)", shown)
        else:
            shown = translate("ui.poller_supervisor", "Poller died (exit {code}) at {time}")
            self._schedule_restart(f"Poller died (exit {exit_code})", shown.format(code=exit_code, time=at))

    def _schedule_restart(self, what: str, shown: str) -> None:
        """Start the poller again after the backoff; `what` happened (for the log), `shown` says it."""
        ran_for = (self._clock() - self._started_at).total_seconds() if self._started_at else 0.0
        if ran_for > self._backoff_max_s:
            self._backoff_s = self._backoff_start_s  # it ran well for a while: start the backoff over
        delay = self._backoff_s
        self._backoff_s = min(self._backoff_s * 2, self._backoff_max_s)
        log.error("%s; restarting in %.0f s", what, delay)
        text = translate("ui.poller_supervisor", "{problem} — restarting in {seconds} s")
        self._emit(text.format(problem=shown, seconds=seconds_text(delay)), False)
        self._restart_timer.start(int(delay * 1000))

    def stop(self) -> None:
        """Terminate our own child: SIGTERM, wait, then kill. Safe to call twice."""
        self._stopping = True
        self._restart_timer.stop()
        process, self._process = self._process, None
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.terminate()
            if not process.waitForFinished(self._stop_timeout_ms):
                log.warning("poller pid %s ignored SIGTERM; killing it", process.processId())
                process.kill()
                process.waitForFinished(self._stop_timeout_ms)
        process.deleteLater()
