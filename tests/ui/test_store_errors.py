"""A database the window cannot use is shown in plain words and retried gently, never 'fixed' in a loop."""

from __future__ import annotations

import sqlite3

import pytest

from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_database_of_a_newer_release_is_named_and_not_hammered(qtbot, tmp_path) -> None:
    path = tmp_path / "noc.db"
    db_url = f"sqlite:///{path}"
    open_store(db_url).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    opens: list[str] = []

    def counting_factory(url: str):
        opens.append(url)
        return open_store(url, schema="check")

    window = MainWindow(db_url, SlaPolicy(), "ana", poller=None, store_factory=counting_factory)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(window.store_banner.isVisible, timeout=5000)
        text = window.store_banner.text()
        assert "this database was written by a newer NOC Console (schema revision ffff" in text
        assert "database: database:" not in text
        qtbot.wait(3000)  # what matters is how often it tries in a few seconds, not a clock
        assert 2 <= len(opens) <= 6, f"{len(opens)} opens in about 3 s"
        assert window.store_banner.isVisible()
    finally:
        window.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == []
