"""A source's credential must never leak: not in logs, errors, output, the config file or the database."""

from __future__ import annotations

import base64
import logging
import uuid
from pathlib import Path

import pytest

from noc_console.cli import main
from noc_console.secrets import set_secret
from tests.cli.helpers import gettable_alert, misbehaving_server, url_of, write_config


def test_credential_appears_nowhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    token = f"canary-{uuid.uuid4().hex}"
    encoded = base64.b64encode(f"noc:{token}".encode()).decode()
    set_secret("source:am", token)
    db_path = tmp_path / "x.db"
    caplog.set_level(logging.DEBUG)
    with misbehaving_server([gettable_alert("a", "payments")]) as server:
        config = write_config(tmp_path / "c.toml", url_of(server), extra='username = "noc"')
        assert main(["-vv", "--db", f"sqlite:///{db_path}", "--config", str(config), "poll", "--once"]) == 0
        server.mode = "401"  # type: ignore[attr-defined]
        status = main(
            ["-vv", "--db", f"sqlite:///{db_path}", "--config", str(config), "poll", "--once", "--json"]
        )
        sent = [headers.get("Authorization", "") for headers in server.requests]  # type: ignore[attr-defined]
    assert status == 3
    assert sent and all(header == f"Basic {encoded}" for header in sent)  # it was really used
    out, err = capsys.readouterr()
    assert "authentication failed" in out
    texts = [out, err, caplog.text, config.read_text()]
    texts += [str(record.exc_info) for record in caplog.records if record.exc_info]
    for text in texts:
        assert token not in text and encoded not in text
    assert caplog.records, "debug logging was on: something must have been logged"
    from noc_console.logs import log_dir

    logged = list(log_dir().glob("*.log"))  # `poll` logs to the poller's file too
    assert logged and any(path.stat().st_size for path in logged)
    for path in logged:
        text = path.read_text()
        assert token not in text and encoded not in text
    for path in tmp_path.glob("x.db*"):
        data = path.read_bytes()
        assert token.encode() not in data and encoded.encode() not in data
