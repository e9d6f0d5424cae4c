"""One console per desk and database: a second `noc-console gui` raises the running window instead of
opening another (with a poller of its own).

The first console takes a lock file (QLockFile: a console that died leaves a lock its PID no longer
holds, which the next start takes over) and listens on a local socket (QLocalServer) named after the
user, the kind of window and the database. A later start finds the lock taken, asks the running console
over the socket to come to the front, and exits. Two starts at once take turns on the lock: exactly one
of them opens a window.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
RAISE = b"raise\n"
RAISED = b"raised\n"
ANSWER_WAIT_MS = 3000


def instance_name(kind: str, db_url: str) -> str:
    """A name for the user's console of `kind` ("gui", "wall") on this database (a socket name: short)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}\n{kind}\n{db_url}".encode()).hexdigest()[:20]
    return f"noc-console-{digest}"


def _lock_path(name: str) -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    if not base:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
    return Path(base) / f"{name}.lock"


class SingleInstance(QObject):
    """`claim()` True: this process is the desk's console, and `raiseRequested` is emitted whenever a
    later start asks for the window. False: another console runs, and it has been asked to come forward
    (`handed_over` says whether it answered).

    Signals:
        raiseRequested(): bring the window to the front.
    """

    raiseRequested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lock = QLockFile(str(_lock_path(name)))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, however long it has run
        self.server: QLocalServer | None = None
        self.handed_over = False

    def claim(self) -> bool:
        if not self.lock.tryLock(ANSWER_WAIT_MS // 3):
            self.handed_over = self._ask_to_raise()
            return False
        QLocalServer.removeServer(self.name)  # a socket file a killed console left behind
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            log.warning("single instance: cannot listen on %s: %s", self.name, self.server.errorString())
        self.server.newConnection.connect(self._on_connection)
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()

    def _ask_to_raise(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(ANSWER_WAIT_MS):
            log.warning("another console holds %s but does not answer", self.lock.fileName())
            return False
        socket.write(RAISE)
        socket.waitForBytesWritten(ANSWER_WAIT_MS)
        answered = socket.waitForReadyRead(ANSWER_WAIT_MS) and bytes(socket.readAll().data()) == RAISED
        socket.disconnectFromServer()
        return answered

    @Slot()
    def _on_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_message(self, socket: QLocalSocket) -> None:
        if bytes(socket.readLine().data()) == RAISE:
            log.info("a second start asked for this window: raising it")
            self.raiseRequested.emit()
            socket.write(RAISED)
            socket.flush()
