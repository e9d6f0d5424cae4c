"""A QObject that works in a QThread of its own with a Store of its own: the GUI thread never waits
for the database. The feed follower and the action runner are two of these."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from sqlalchemy.exc import SQLAlchemyError

from noc_console.store import Store, StoreError, open_store

KNOWN_ERRORS = (SQLAlchemyError, StoreError, OSError)


def plain_error(exc: BaseException) -> str:
    """An error's first line without the 'database: ' our store puts in front of its own messages."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text.removeprefix("database: ")


class StoreWorker(QObject):
    """`start()` and `stop()` from the GUI thread; everything else runs in the worker thread.

    The store is opened with `schema="check"` unless a factory is given: a window never changes the
    schema (`noc-console gui` migrated before it opened, and a database of another release is an error
    shown on screen, never "fixed" in a loop). Subclasses override the plain methods `_started` (in the
    worker thread, once) and `_before_shutdown` (stop their timers), never the slots: PySide6 does not
    deliver a signal connected here to a slot a subclass overrides.
    """

    _stopRequested = Signal()

    def __init__(self, db_url: str, thread_name: str, store_factory: Callable[[str], Store] | None) -> None:
        super().__init__()
        self._db_url = db_url
        self._store_factory = store_factory or (lambda url: open_store(url, schema="check"))
        self._store: Store | None = None
        self._home_thread = self.thread()
        self._thread = QThread()
        self._thread.setObjectName(thread_name)
        self._thread.started.connect(self._on_started)
        # Blocking: stop() returns only after the worker stopped its timers and closed its store.
        self._stopRequested.connect(self._shutdown, Qt.ConnectionType.BlockingQueuedConnection)

    def start(self) -> None:
        self.blockSignals(False)  # (a worker started again after a stop)
        self.moveToThread(self._thread)
        self._thread.start()

    def stop(self) -> None:
        """Stop the work, close the store in its own thread, quit and join the thread. Safe twice."""
        # Work asked for after this would run in the caller's thread, on a store nobody closes (a page
        # stopped while its refresh was queued): the worker's own request signals go nowhere from now.
        if not self._thread.isRunning():
            self.blockSignals(True)
            return
        self._stopRequested.emit()
        self._thread.quit()
        self._thread.wait()
        self.blockSignals(True)

    @Slot()
    def _on_started(self) -> None:
        self._started()

    def _started(self) -> None:
        """The worker thread has started (override to start timers)."""

    def _before_shutdown(self) -> None:
        """About to close the store (override to stop timers: a stopped child timer may move threads)."""

    @Slot()
    def _shutdown(self) -> None:
        self._before_shutdown()
        self._drop_store()
        QCoreApplication.removePostedEvents(self)  # work queued behind the stop: it would follow the move
        app = QCoreApplication.instance()
        self.moveToThread(app.thread() if app is not None else self._home_thread)

    def _open(self) -> Store:
        if self._store is None:
            self._store = self._store_factory(self._db_url)
        return self._store

    def _drop_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
