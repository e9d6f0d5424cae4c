"""An answer byte for byte the one last applied is told apart without being parsed (local servers)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
import requests

from noc_console.domain.alerts import AlertSnapshot
from noc_console.sources import AlertmanagerSource, SourceConfig
from noc_console.sources import alertmanager as am_module
from noc_console.sources.base import SkipsUnchanged, Unchanged
from tests.sources.test_alertmanager import Reply, http_server

DATA = Path(__file__).parent.parent / "data" / "alertmanager"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class Answers:
    """What the local Alertmanager answers: the alerts, the suppressed-only alerts, the status."""

    def __init__(self) -> None:
        self.alerts = (DATA / "alerts_unsuppressed.json").read_bytes()
        self.suppressed = (DATA / "alerts_suppressed.json").read_bytes()
        self.status = (DATA / "status.json").read_bytes()

    def __call__(self, handler: BaseHTTPRequestHandler) -> Reply:
        if handler.path.startswith("/api/v2/status"):
            body = self.status
        else:
            body = self.suppressed if "active=false" in handler.path else self.alerts
        return 200, {"Content-Type": "application/json"}, body


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the parses of alerts answers."""
    calls: list[int] = []
    real = am_module.parse

    def counting(payload: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(payload, **kwargs)

    monkeypatch.setattr(am_module, "parse", counting)
    return calls


def source(url: str, **kwargs: Any) -> AlertmanagerSource:
    return AlertmanagerSource(SourceConfig(name="am", type="alertmanager", url=url, timeout_s=2.0, **kwargs))


def test_the_same_answers_are_not_parsed_and_parse_to_the_same_snapshot_on_demand(parses: list[int]) -> None:
    answers = Answers()
    with http_server(answers) as url, requests.Session() as session:
        am = source(url)
        assert isinstance(am, SkipsUnchanged)
        first = am.fetch(session, NOW)
        assert first.digest is not None and len(parses) == 2  # the alerts and the suppressed ones
        again = am.fetch_if_changed(session, NOW, first.digest)
        assert isinstance(again, Unchanged) and len(parses) == 2
        assert (again.source, again.fetched_at, again.digest) == ("am", NOW, first.digest)
        parsed = again.parse()
        assert (parsed.alerts, parsed.digest, parsed.source_started_at) == (
            first.alerts,
            first.digest,
            first.source_started_at,
        )
        assert parsed.source_now is not None  # its own answer's Date, a second later perhaps
        assert len(parses) == 4


@pytest.mark.parametrize("which", ["alerts", "suppressed"])
def test_a_change_in_either_answer_is_parsed(which: str, parses: list[int]) -> None:
    answers = Answers()
    with http_server(answers) as url, requests.Session() as session:
        am = source(url)
        first = am.fetch(session, NOW)
        assert first.digest is not None
        payload = json.loads(getattr(answers, which))
        payload[0]["annotations"]["summary"] = "changed"
        setattr(answers, which, json.dumps(payload).encode())
        changed = am.fetch_if_changed(session, NOW, first.digest)
        assert isinstance(changed, AlertSnapshot)
        assert changed.digest not in (None, first.digest)
        assert "changed" in {a.summary for a in changed.alerts}


def test_a_new_uptime_alone_is_not_a_new_answer(parses: list[int]) -> None:
    """The restart rule needs the uptime only for alerts an answer leaves out; such an answer is
    never remembered (engine.answers), so identical alerts over a new uptime need no parse."""
    answers = Answers()
    with http_server(answers) as url, requests.Session() as session:
        am = source(url, silenced=True, inhibited=True)
        first = am.fetch(session, NOW)
        assert first.digest is not None and len(parses) == 1
        answers.status = answers.status.replace(b"2026-11-27T13:36:52.466Z", b"2026-11-27T11:59:00Z")
        again = am.fetch_if_changed(session, NOW, first.digest)
        assert isinstance(again, Unchanged)
        assert again.parse().source_started_at == datetime(2026, 11, 27, 11, 59, tzinfo=UTC)
