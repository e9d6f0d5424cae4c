"""Synthetic HTTP checks: the pure judging, the config's errors, and the real fetch() over HTTP against a
local server: one request, a login transaction whose cookie reaches the next step, a wrong status, a
missing substring, a regex, a slow answer over the limit, a timeout and a refused connection. A target
that is down is an alert of the check; the source stays healthy."""

from __future__ import annotations

import re
import socket
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from noc_console.config import ConfigError, parse_config
from noc_console.domain.severity import Severity
from noc_console.domain.synthetic import CheckStep, judge_answer, judge_latency, parse_check, seconds
from noc_console.sources import HttpCheckSource, SourceConfig, SourceCredentialError, make_source
from tests.cli.helpers import run_cli
from tests.paging.vendor_server import Recorded, Reply, vendor_server

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PASSWORD = "test-only-s3cret"


def source(
    url: str, entry: dict[str, Any], *, username: str | None = None, timeout_s: float = 2
) -> HttpCheckSource:
    config = SourceConfig(
        name="shop", type="http_check", url=url, timeout_s=timeout_s, username=username,
        check=parse_check(entry, entry.get("steps")),
    )  # fmt: skip
    return HttpCheckSource(config, config.check, PASSWORD if username else None)  # type: ignore[arg-type]


def run(check: HttpCheckSource) -> Any:
    with requests.Session() as session:
        return check.fetch(session, NOW)


# --- pure judging --------------------------------------------------------------------------------


def test_judge_answer_names_what_is_wrong() -> None:
    step = CheckStep("home", expect_status=(200,), expect_body="Welcome", expect_regex=r"v\d+\.\d+")
    assert judge_answer(step, 200, "Welcome to v2.14") is None
    assert judge_answer(step, 500, "Welcome v1.0") == "HTTP 500 (expected 200)"
    assert judge_answer(step, 200, "Bienvenue v1.0") == "answer lacks “Welcome”"
    assert judge_answer(step, 200, "Welcome, no version") == r"answer does not match /v\d+\.\d+/"
    assert judge_answer(CheckStep("any"), 204, "") is None  # no expect_status: any 2xx
    assert judge_answer(CheckStep("any"), 302, "") == "HTTP 302 (expected 2xx)"


def test_judge_latency_and_seconds() -> None:
    assert judge_latency(2000, 3210) == "3.2 s, limit 2.0 s"
    assert judge_latency(2000, 2000) is None
    assert judge_latency(None, 99_999) is None
    assert seconds(850) == "850 ms"


# --- config --------------------------------------------------------------------------------------


def config_error(**entry: Any) -> str:
    base = {"name": "shop", "type": "http_check", "url": "http://127.0.0.1:8080/"}
    with pytest.raises(ConfigError) as caught:
        parse_config({"sources": [{**base, **entry}]})
    return str(caught.value)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"expect_status": "200"}, "sources[0] (shop).expect_status: must be an HTTP status"),
        ({"expect_status": [200, 700]}, "sources[0] (shop).expect_status: must be an HTTP status"),
        ({"expect_regex": "("}, "sources[0] (shop).expect_regex: not a valid regular expression"),
        ({"expect_body": ""}, "sources[0] (shop).expect_body: must be a non-empty string"),
        ({"latency_limit_ms": 0}, "sources[0] (shop).latency_limit_ms: must be a number of milliseconds"),
        ({"method": "FETCH"}, "sources[0] (shop).method: 'FETCH' is not one of GET"),
        ({"form": {"a": "b"}}, "sources[0] (shop).method: a step with a body must be POST"),
        ({"severity": "loud"}, "sources[0] (shop).severity: 'loud' is not one of critical"),
        ({"steps": []}, "sources[0] (shop).steps: must be one or more [[sources.steps]] tables"),
        ({"steps": [{"url": "/a", "expect": 200}]}, "sources[0] (shop).steps[0].expect: unknown setting"),
        ({"steps": [{"name": "a"}, {"name": "a"}]}, "sources[0] (shop).steps: two steps have the same name"),
        (
            {"steps": [{"url": "/a"}], "expect_body": "x"},
            "sources[0] (shop).expect_body: with [[sources.steps]]",
        ),
        (
            {"steps": [{"method": "POST", "form": {"p": "${password}"}}]},
            "sources[0] (shop).steps[0]: uses ${",
        ),
        ({"basic_auth": True}, "sources[0] (shop).basic_auth: needs the source's username"),
        ({"password": "x"}, "sources[0] (shop).password: credentials never go in the config file"),
    ],
)
def test_every_bad_key_is_named(entry: dict[str, Any], message: str) -> None:
    assert config_error(**entry).startswith(message)


def test_check_keys_are_refused_on_other_sources() -> None:
    with pytest.raises(ConfigError, match=r"^sources\[0\] \(am\)\.expect_status: only an http_check source"):
        parse_config(
            {"sources": [{"name": "am", "type": "alertmanager", "url": "http://a:1", "expect_status": 200}]}
        )


def test_a_transaction_config_is_read_in_order() -> None:
    config = parse_config({"sources": [{
        "name": "shop", "type": "http_check", "url": "https://shop.example/", "username": "probe",
        "latency_limit_ms": 3000, "severity": "major", "service": "checkout",
        "steps": [
            {"name": "login", "method": "post", "url": "/login", "form": {"user": "${username}"},
            "expect_status": [200, 302]},
            {"name": "cart", "url": "/cart", "expect_body": "Pay now", "latency_limit_ms": 2000},
        ],
    }]})  # fmt: skip
    (entry,) = config.sources
    assert entry.rules.detected_by.value == "synthetic"
    check = entry.check
    assert check is not None and check.transaction and check.severity is Severity.MAJOR
    assert [(s.name, s.method, s.expect_status) for s in check.steps] == [
        ("login", "POST", (200, 302)), ("cart", "GET", ()),
    ]  # fmt: skip
    assert check.latency_limit_ms == 3000 and check.steps[1].latency_limit_ms == 2000


# --- the real fetch over HTTP --------------------------------------------------------------------


def test_one_request_that_is_fine_raises_nothing_and_records_the_run() -> None:
    with vendor_server() as server:
        server.default = Reply(200, "<h1>Welcome</h1> build v2.14")
        snapshot = run(source(server.url + "/health", {"expect_body": "Welcome", "expect_regex": r"v\d+"}))
    assert snapshot.alerts == ()
    check_run = snapshot.check_run
    assert check_run is not None and check_run.ok and check_run.status == 200 and check_run.at == NOW
    assert check_run.total_ms is not None and check_run.total_ms >= 0
    assert server.requests[0].path == "/health" and server.requests[0].method == "GET"


@pytest.mark.parametrize(
    ("reply", "entry", "summary"),
    [
        (Reply(500, "oops"), {}, "shop: HTTP 500 (expected 2xx)"),
        (Reply(200, "Maintenance"), {"expect_body": "Welcome"}, "shop: answer lacks “Welcome”"),
        (
            Reply(200, "Welcome, build unknown"),
            {"expect_regex": r"build v\d+"},
            r"shop: answer does not match /build v\d+/",
        ),
        (Reply(200, "", delay_s=0.4), {"latency_limit_ms": 100}, "shop: "),
    ],
)
def test_a_failing_check_is_a_critical_alert_not_a_source_failure(
    reply: Reply, entry: dict[str, Any], summary: str
) -> None:
    with vendor_server() as server:
        server.default = reply
        snapshot = run(source(server.url, entry))
    (alert,) = snapshot.alerts
    assert alert.summary.startswith(summary)
    assert alert.severity is Severity.CRITICAL
    assert alert.labels["alertname"] == "shop synthetic check"
    if "latency_limit_ms" in entry:
        assert alert.summary.endswith(", limit 100 ms") and alert.fingerprint == "http_check:slow"
        assert snapshot.check_run is not None and snapshot.check_run.ok  # right, only slow
    else:
        assert alert.fingerprint == "http_check:step:request"


def test_a_login_transaction_keeps_its_cookie_and_sends_the_credential() -> None:
    def app(request: Recorded) -> Reply:
        if request.path == "/login":
            ok = request.form() == {"user": ["probe"], "password": [PASSWORD]}
            return (
                Reply(302, "", {"Set-Cookie": "sid=abc123; Path=/", "Location": "/home"})
                if ok
                else Reply(403)
            )
        if request.headers.get("cookie") != "sid=abc123":
            return Reply(302, "", {"Location": "/login"})
        return Reply(200, "Your cart: Pay now" if request.path == "/cart" else "home")

    entry = {"latency_limit_ms": 5000, "steps": [
        {"name": "login", "method": "POST", "url": "/login", "expect_status": 302,
         "form": {"user": "${username}", "password": "${password}"}},
        {"name": "cart", "url": "/cart", "expect_body": "Pay now"},
    ], "follow_redirects": False}  # fmt: skip
    with vendor_server() as server:
        server.default = app
        good = run(source(server.url + "/", entry, username="probe"))
        assert good.alerts == () and good.check_run is not None
        assert [s.status for s in good.check_run.steps] == [302, 200]
        # the next run starts without the cookie: it logs in again
        again = run(source(server.url + "/", entry, username="probe"))
        assert again.alerts == ()
        assert [r.path for r in server.requests] == ["/login", "/cart", "/login", "/cart"]
        assert "cookie" not in server.requests[2].headers
        # a login that fails stops the run there, with the step named
        wrong = source(server.url + "/", entry, username="probe")
        wrong._password = "wrong"
        failed = run(wrong)
    (alert,) = failed.alerts
    assert alert.summary == "shop: login step: HTTP 403 (expected 302)"
    assert alert.fingerprint == "http_check:step:login" and alert.labels["step"] == "login"
    assert failed.check_run is not None and [s.name for s in failed.check_run.steps] == ["login"]
    assert PASSWORD not in repr(wrong) and PASSWORD not in alert.description


def test_a_step_over_its_limit_names_the_step() -> None:
    def app(request: Recorded) -> Reply:
        return Reply(200, "ok", delay_s=0.3 if request.path == "/checkout" else 0)

    entry = {
        "steps": [
            {"name": "home", "url": "/"},
            {"name": "checkout", "url": "/checkout", "latency_limit_ms": 100},
        ]
    }
    with vendor_server() as server:
        server.default = app
        snapshot = run(source(server.url, entry))
    (alert,) = snapshot.alerts
    assert alert.summary.startswith("shop: checkout step: ") and alert.summary.endswith(", limit 100 ms")
    assert alert.fingerprint == "http_check:slow:checkout"


def test_a_timeout_and_a_refused_connection_are_alerts() -> None:
    with vendor_server() as server:
        server.default = Reply(200, "late", delay_s=1.5)
        timed_out = run(source(server.url, {}, timeout_s=0.3))
    (alert,) = timed_out.alerts
    assert alert.summary == "shop: no answer within 0.3 s"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    refused = run(source(f"http://127.0.0.1:{port}/health", {}))
    (alert,) = refused.alerts
    assert alert.summary == f"shop: cannot connect to http://127.0.0.1:{port}/health"
    assert refused.check_run is not None and not refused.check_run.ok and refused.check_run.status is None


def test_tls_failure_is_an_alert() -> None:
    """A plain-HTTP server spoken to over https: the TLS handshake fails, which the check reports."""
    with vendor_server() as server:
        snapshot = run(source(server.url.replace("http://", "https://"), {}))
    (alert,) = snapshot.alerts
    assert alert.summary == "shop: TLS handshake or verification failed (SSLError)"


def test_only_a_missing_credential_fails_the_source() -> None:
    config = parse_config({"sources": [{
        "name": "shop", "type": "http_check", "url": "http://127.0.0.1:1/", "username": "probe",
        "method": "POST", "form": {"p": "${password}"},
    }]}).sources[0]  # fmt: skip

    def missing(name: str) -> str:
        raise SourceCredentialError("shop", f"credential {name!r} is not set")

    with pytest.raises(SourceCredentialError, match="source:shop"):
        make_source(config, missing)
    built = make_source(config, lambda name: PASSWORD)
    assert isinstance(built, HttpCheckSource)


# --- end to end ----------------------------------------------------------------------------------


def test_poll_once_makes_a_synthetic_incident_and_stores_the_run(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from noc_console.store import open_store
    from noc_console.store.models import CheckRunRow

    monkeypatch.setenv("NOC_CONSOLE_SECRET_SOURCE_SHOP", PASSWORD)
    db = f"sqlite:///{tmp_path / 'noc.db'}"

    def app(request: Recorded) -> Reply:
        if request.path == "/login":
            return Reply(200, "welcome") if request.form().get("password") == [PASSWORD] else Reply(403)
        return Reply(500, "database unavailable")

    with vendor_server() as server:
        server.default = app
        config = tmp_path / "noc.toml"
        config.write_text(
            f'[[sources]]\nname = "shop"\ntype = "http_check"\nurl = "{server.url}/"\nusername = "probe"\n'
            'service = "checkout"\n'
            '[[sources.steps]]\nname = "login"\nmethod = "POST"\nurl = "/login"\n'
            'form = { user = "${username}", password = "${password}" }\n'
            '[[sources.steps]]\nname = "checkout"\nurl = "/checkout"\nexpect_body = "Pay now"\n'
        )
        polled = run_cli("--db", db, "--config", str(config), "poll", "--once", "--json")
    assert polled.returncode == 0, polled.stderr
    report = json.loads(polled.stdout)
    assert report["sources"] == [{"name": "shop", "ok": True, "error": None, "alerts": 1, "stale": False}]
    (opened,) = report["opened"]
    shown = json.loads(run_cli("--db", db, "--config", str(config), "show", str(opened), "--json").stdout)
    assert shown["detected_by"] == "synthetic" and shown["severity"] == "critical"
    assert shown["title"] == "shop: checkout step: HTTP 500 (expected 2xx)"
    assert shown["service"] == "checkout"
    (alert,) = shown["alerts"]
    assert alert["fingerprint"] == "http_check:step:checkout"
    store = open_store(db)
    try:
        with store.read() as session:
            (row,) = session.query(CheckRunRow).all()
            assert (row.source, row.ok, row.status) == ("shop", False, 500)
            assert [s["name"] for s in row.steps] == ["login", "checkout"]
    finally:
        store.close()
    assert PASSWORD not in polled.stdout + polled.stderr


def test_a_page_without_a_charset_is_read_as_utf8_and_invalid_bytes_do_not_break_it() -> None:
    with vendor_server() as server:
        server.default = Reply(200, "Café abierto ✓".encode() + b"\xff\xfe", {"Content-Type": "text/html"})
        snapshot = run(source(server.url, {"expect_body": "Café abierto ✓"}))
    assert snapshot.alerts == ()


def test_check_config_runs_the_check_and_says_what_it_found(tmp_path: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "noc.toml"
    config.write_text(
        f'[[sources]]\nname = "probe"\ntype = "http_check"\nurl = "http://127.0.0.1:{port}/health"\n'
    )
    checked = run_cli("--db", f"sqlite:///{tmp_path / 'noc.db'}", "--config", str(config), "check-config")
    assert checked.returncode == 0, checked.stderr  # the source could run its check: it is healthy
    assert re.search(
        rf"^probe: ok, \d+ ms · 1 alerts: 1 firing, 0 silenced, 0 inhibited\n"
        rf"  check: probe: cannot connect to http://127\.0\.0\.1:{port}/health\n",
        checked.stdout,
        re.MULTILINE,
    ), checked.stdout


# --- properties ----------------------------------------------------------------------------------

ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
ENTRY_KEYS = st.sampled_from(
    ["method", "url", "expect_status", "expect_body", "expect_regex", "latency_limit_ms", "form", "json",
     "severity", "service", "follow_redirects", "basic_auth", "name", "steps", "other"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, database=None)
@given(st.dictionaries(ENTRY_KEYS, ANY_VALUE | st.lists(st.dictionaries(ENTRY_KEYS, ANY_VALUE), max_size=3)))
def test_any_check_entry_is_read_or_refused_with_its_key(entry: dict[str, Any]) -> None:
    try:
        check = parse_check(entry, entry.get("steps"))
    except ValueError as exc:
        key = str(exc).split(":", 1)[0]
        assert key.split(".")[-1] in {
            *ENTRY_KEYS.elements,
            "steps[0]",
            "steps[1]",
            "steps[2]",
        } or key.startswith("steps["), str(exc)
        return
    assert check.steps and all(
        step.method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") for step in check.steps
    )


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(100, 599), st.text(), st.text(min_size=1, max_size=20))
def test_judging_any_answer_gives_none_or_a_short_reason(status: int, body: str, expected: str) -> None:
    step = CheckStep("s", expect_body=expected, expect_regex=re.escape(expected))
    reason = judge_answer(step, status, body)
    assert reason is None or (reason and len(reason) < 120)
    assert (reason is None) == (200 <= status < 300 and expected in body)


def test_a_json_login_step_sends_the_credential_and_the_config_stays_hashable() -> None:
    config = parse_config({"sources": [{
        "name": "api", "type": "http_check", "url": "http://127.0.0.1:9/", "username": "probe",
        "steps": [{"name": "token", "method": "POST", "url": "/auth",
                   "json": {"user": "${username}", "secret": "${password}", "scopes": ["read", 2]}}],
    }]}).sources[0]  # fmt: skip
    assert hash(config) == hash(config)  # immutable all the way down, like every other source's settings
    with vendor_server() as server:
        server.default = Reply(200, "token issued")
        check = HttpCheckSource(replace(config, url=server.url + "/"), config.check, PASSWORD)  # type: ignore[arg-type]
        snapshot = run(check)
    assert snapshot.alerts == ()
    (sent,) = server.requests
    assert sent.path == "/auth" and sent.json() == {
        "user": "probe",
        "secret": PASSWORD,
        "scopes": ["read", 2],
    }
