"""`check-config`: one line per source saying what it found, a line per member of an HA pair, the
heartbeat called once and the receiver's address; exit 3 unless everything is well."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from noc_console.cli import main
from noc_console.secrets import set_secret
from tests.cli.helpers import gettable_alert, misbehaving_server, recording_server, url_of
from tests.servers import free_port

SUPPRESSED = {"state": "suppressed", "silencedBy": ["x"], "inhibitedBy": []}
SILENCED = {**gettable_alert("s1", "dns"), "status": SUPPRESSED}
WATCHDOG = {**gettable_alert("w", "infra"), "labels": {"alertname": "Watchdog"}}


def check(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> tuple[int, list[str]]:
    config = tmp_path / "c.toml"
    config.write_text(text)
    status = main(["--db", f"sqlite:///{tmp_path}/x.db", "--config", str(config), "check-config"])
    out, _ = capsys.readouterr()
    return status, out.splitlines()


def test_each_source_says_what_it_found_and_the_heartbeat_is_called(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    set_secret("heartbeat", "gk-secret")
    alerts = [gettable_alert("a1", "payments"), WATCHDOG, SILENCED]
    with misbehaving_server(alerts) as am, recording_server() as beat:
        status, lines = check(
            capsys,
            tmp_path,
            f"""
[[sources]]
name = "prod-am"
type = "alertmanager"
url = "{url_of(am)}"
silenced = true
watchdog = "Watchdog"

[heartbeat]
url = "{url_of(beat)}/v2/heartbeats/noc/ping"
method = "POST"
auth_header = "Authorization"
auth_scheme = "GenieKey"

[receiver]
listen = "127.0.0.1:9095"
""",
        )
        calls = list(beat.calls)  # type: ignore[attr-defined]
    assert status == 0, lines
    (line,) = [x for x in lines if x.startswith("prod-am:")]
    assert re.fullmatch(
        r"prod-am: ok, \d+ ms · 2 alerts: 1 firing, 1 silenced, 0 inhibited · "
        r"Alertmanager 0\.25\.0, up 1 d 0 h · watchdog Watchdog present",
        line,
    ), line
    (heartbeat,) = [x for x in lines if x.startswith("heartbeat:")]
    assert re.fullmatch(r"heartbeat: ok, \d+ ms \(POST http://127\.0\.0\.1:\d+, every 60 s; .*\)", heartbeat)
    assert [(c[0], c[1], c[2]["Authorization"]) for c in calls] == [
        ("POST", "/v2/heartbeats/noc/ping", "GenieKey gk-secret")
    ]
    assert "receiver: listens on 127.0.0.1:9095 in the poller" in lines
    assert "gk-secret" not in "\n".join(lines)


def test_a_pair_with_a_member_down_warns_and_a_failure_says_how_long_it_waited(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with misbehaving_server([gettable_alert("a1", "payments")]) as am, recording_server(status=503) as beat:
        status, lines = check(
            capsys,
            tmp_path,
            f"""
[[sources]]
name = "pair"
type = "alertmanager"
urls = ["{url_of(am)}", "{dead}"]
watchdog = "Watchdog"
timeout_s = 1

[[sources]]
name = "broken"
type = "alertmanager"
url = "{dead}"
timeout_s = 1

[heartbeat]
url = "{url_of(beat)}/ping/5e1f"
""",
        )
    assert status == 3
    at = lines.index(next(x for x in lines if x.startswith("pair:")))
    pair, first, second = lines[at : at + 3]
    assert pair.startswith("pair: ok, ") and "· 1 alerts: 1 firing, 0 silenced, 0 inhibited" in pair
    assert "WARNING: watchdog Watchdog MISSING" in pair and "WARNING: 1 of 2 members not answering" in pair
    assert re.fullmatch(rf"  {url_of(am)}: ok, \d+ ms · Alertmanager 0\.25\.0, up 1 d 0 h", first), first
    assert re.fullmatch(rf"  {dead}: FAILED after \d+ ms: .+", second), second
    (broken,) = [x for x in lines if x.startswith("broken:")]
    assert re.fullmatch(r"broken: FAILED after \d+ ms: .+", broken), broken
    (heartbeat,) = [x for x in lines if x.startswith("heartbeat:")]
    failed = r"heartbeat: FAILED after \d+ ms \(GET http://127\.0\.0\.1:\d+\): HTTP 503: .*PONG.*"
    assert re.fullmatch(failed, heartbeat), heartbeat
    assert "5e1f" not in heartbeat  # the ping URL's path is its secret


def test_counts_tell_pending_silenced_and_inhibited_apart_and_liveness_reads_the_sources_clock() -> None:
    from datetime import UTC, datetime, timedelta

    from noc_console.cli_check import counts, liveness
    from noc_console.domain.alerts import Alert, AlertSnapshot
    from noc_console.domain.severity import Severity

    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def alert(fp: str, **flags: bool) -> Alert:
        return Alert("prom", fp, {"alertname": fp}, fp, "", Severity.MAJOR, at, **flags)  # type: ignore[arg-type]

    found = [alert("a"), alert("b", pending=True), alert("c", silenced=True), alert("d", inhibited=True)]
    assert counts(found) == "4 alerts: 1 firing, 1 pending, 1 silenced, 1 inhibited"
    snapshot = AlertSnapshot.of(
        "prom", at, found, source_started_at=at - timedelta(hours=5), source_now=at + timedelta(seconds=42)
    )
    assert liveness(snapshot) == "up 5 h 00 min, its clock +42 s from ours"
    assert liveness(AlertSnapshot.of("json", at, [])) is None
