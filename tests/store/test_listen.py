"""The change listener's own connection (PostgreSQL LISTEN): woken by a commit, and never left open."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from noc_console.store import listen, open_store


def test_a_notification_wakes_the_listener(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = f"noc_test_{uuid.uuid4().hex}"  # other tests' commits on this server notify the real one
    monkeypatch.setattr(listen, "NOTIFY_CHANNEL", channel)
    store = open_store(pg_url)
    listener = listen.ChangeListener(store.engine)
    try:
        assert listener.wait(0.1) is True  # connecting: whatever committed meanwhile must be re-read
        assert listener.connected
        assert listener.wait(0.1) is False  # quiet
        with store.engine.connect() as connection:
            connection.exec_driver_sql(f"NOTIFY {channel}")
            connection.commit()
        assert listener.wait(5.0) is True
    finally:
        listener.close()
        store.close()


def test_a_connection_whose_listen_fails_is_closed(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connected, but LISTEN refused: that connection is closed, not dropped open at every retry."""
    store = open_store(pg_url)
    opened: list[Any] = []
    real_connect = psycopg.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        conn = real_connect(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(psycopg, "connect", connect)
    monkeypatch.setattr(listen, "NOTIFY_CHANNEL", "not a channel")  # a syntax error at LISTEN
    listener = listen.ChangeListener(store.engine)
    try:
        assert listener.wait(0.1) is False
        assert not listener.connected and listener.last_error
        assert len(opened) == 1 and opened[0].closed
    finally:
        listener.close()
        store.close()
