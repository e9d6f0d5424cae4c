"""An answer's size is bounded: large enough for 100,000 alerts, and one past the bound is refused by name."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
import requests

from noc_console.sources import base
from noc_console.sources.base import SourceShapeError, get_answer
from tests.sources.test_alertmanager import config, http_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_poll_path import payload


def test_the_bound_admits_an_answer_of_100_000_alerts() -> None:
    sample = json.dumps(payload(1000, 50)).encode()
    assert len(sample) * 100 * 1.5 < base.MAX_BODY_BYTES  # with half again for longer labels


def test_an_answer_past_the_bound_is_refused_naming_the_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "MAX_BODY_BYTES", 200_000)
    body = json.dumps(payload(400, 5)).encode()
    assert len(body) > 200_000
    with http_server(lambda _h: (200, {"Content-Type": "application/json"}, body)) as url:
        with requests.Session() as session, pytest.raises(SourceShapeError) as raised:
            get_answer(session, config(url), url + "/api/v2/alerts")
        assert str(raised.value) == "prod-am: answer larger than 195 KiB"
        monkeypatch.setattr(base, "MAX_BODY_BYTES", len(body))
        with requests.Session() as session:
            assert get_answer(session, config(url), url + "/api/v2/alerts").body == body


def test_an_answer_is_joined_only_when_its_body_is_read() -> None:
    body = json.dumps(payload(300, 5)).encode()
    reply = (200, {"Content-Type": "application/json"}, body)
    with http_server(lambda _h: reply) as url, requests.Session() as session:
        answer = get_answer(session, config(url), url + "/api/v2/alerts")
    assert answer._body is None and answer._pieces  # as it arrived: an unchanged answer stops here
    assert answer.digest == hashlib.sha256(body).hexdigest()
    assert answer.body == body and answer._pieces is None and answer.body is answer.body
