"""`noc-console report ID --out FILE` as a child process on both databases: the PDF read back with
pdftotext (poppler-utils), the HTML's escaping of a hostile title, and the exit statuses."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from noc_console.domain.report import HEADINGS
from noc_console.store import open_store
from noc_console.store.models import CallRow, IncidentRow, PageRow, SlaBreachRow, TimelineRow
from tests.cli.helpers import run_cli

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def seed(db_url: str, title: str = "Card payments failing") -> int:
    """One resolved critical incident, worked out by hand: impact 11:56, monitoring 12:00, first call
    12:06, acknowledged 12:03:20, assessed 12:20 (1,200 users), updates 12:25 and 12:50, resolved 13:30;
    3 calls from 2 organisations; one page; a recorded assessment breach."""
    store = open_store(db_url)
    try:
        with store.session() as session:
            row = IncidentRow(
                title=title, severity="critical", status="resolved", service="payments",
                correlation_key="service=payments", detected_by="monitoring", source="prod-am",
                opened_at=T0, detected_at=T0, last_alert_at=T0, impact_started_at=T0 - 4 * MIN,
                monitoring_detected_at=T0, first_call_at=T0 + 6 * MIN,
                acknowledged_at=T0 + timedelta(minutes=3, seconds=20), acknowledged_by="alice",
                assessed_at=T0 + 20 * MIN, users_affected=1200, services_affected="payments, checkout",
                business_impact="down", last_customer_update_at=T0 + 50 * MIN,
                resolved_at=T0 + 90 * MIN, resolved_by="bob", call_count=3,
            )  # fmt: skip
            session.add(row)
            session.flush()
            for at, kind, actor, text in [
                (T0, "opened", "system", "Opened from prod-am"),
                (T0 + timedelta(minutes=3, seconds=20), "ack", "alice", "Acknowledged by alice"),
                (T0 + 20 * MIN, "assessment", "bob", "Initial assessment by bob: 1,200 users affected"),
                (T0 + 25 * MIN, "customer_update", "bob", "Customer update (email): working on it"),
                (T0 + 50 * MIN, "customer_update", "bob", "Customer update (email): fix deploying"),
                (T0 + 90 * MIN, "resolve", "bob", "Resolved by bob"),
            ]:
                session.add(TimelineRow(incident_id=row.id, at=at, kind=kind, actor=actor, text=text))
            for n, org, minute in [(1, "Acme Ltd", 6), (2, "Pereira Bakeries", 9), (3, "Acme Ltd", 12)]:
                received = T0 + minute * MIN
                session.add(CallRow(
                    id=f"00000000-0000-4000-8000-00000000000{n}", incident_id=row.id, received_at=received,
                    logged_at=received, taken_by="desk", caller=f"caller {n}", organisation=org,
                    phone="+447700900123", callback="phone", service="payments", summary="cannot pay",
                    attached=True, customer_ack_due_at=received + 5 * MIN,
                    customer_acked_at=received + MIN, customer_acked_by="desk",
                ))  # fmt: skip
            session.add(PageRow(
                key=f"report-test-{row.id}", incident_id=row.id, action="trigger", target="alice",
                person="alice", channel="sms", provider="twilio", created_at=T0 + MIN, status="sent",
                attempts=1, sent_at=T0 + MIN, delivery="delivered",
            ))  # fmt: skip
            session.add(SlaBreachRow(
                incident_id=row.id, clock="assessment", due_at=T0 + 15 * MIN, recorded_at=T0 + 15 * MIN
            ))  # fmt: skip
            incident_id = row.id
    finally:
        store.close()
    return incident_id


def report(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "c.toml"
    config.touch()
    return run_cli("--db", db_url, "--config", str(config), "report", *args)


def words(text: str) -> str:
    """The text with its lines joined and ligatures (the "fi" of "affected") spelt out."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_pdf_has_every_section_and_the_numbers(db_url: str, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (bash .ci/setup --test does)")
    incident_id = seed(db_url)
    out = tmp_path / "report.pdf"

    done = report(
        db_url, tmp_path, str(incident_id), "--out", str(out),
        "--root-cause", "Expired gateway certificate",
        "--actions", "Renewed the certificate", "--actions", "Restarted the gateways",
        "--preventive", "Alert 30 days before expiry | carol | 2026-12-15",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"
    read = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    )
    text = words(read.stdout)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "Card payments failing" in text
    assert "1 h 34 min" in text  # 11:56 to 13:30
    assert "1,200" in text
    assert "3 calls from 2 organisations" in text
    assert "6 min ahead of the first caller" in text
    assert "acknowledged 3 min 20 s after detection" in text
    assert "assessed 20 min after detection" in text
    assert "longest gap 40 min" in text  # 12:50 to 13:30
    assert "Expired gateway certificate" in text
    assert "Restarted the gateways" in text and "carol" in text and "2026-12-15" in text
    assert "Not recorded yet." in text  # the service credit
    assert "sms via twilio" in text


def test_the_html_escapes_a_hostile_title_and_inputs(db_url: str, tmp_path: Path) -> None:
    incident_id = seed(db_url, title=HOSTILE)
    out = tmp_path / "report.html"

    done = report(db_url, tmp_path, str(incident_id), "--out", str(out), "--credit", HOSTILE)

    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in page
    assert page.count("&lt;script&gt;") >= 4  # <title>, <h1>, the summary and the service credit
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in page


def test_an_unknown_incident_exits_4(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    out = tmp_path / "report.pdf"

    done = report(db_url, tmp_path, "999", "--out", str(out))

    assert done.returncode == 4
    assert done.stderr.startswith("noc-console: ID: ")
    assert not out.exists()


@pytest.mark.parametrize("name", ["report.txt", "report", "missing/report.pdf"])
def test_a_bad_out_exits_2_naming_it(name: str, tmp_path: Path) -> None:
    out = tmp_path / name

    done = report(f"sqlite:///{tmp_path}/noc.db", tmp_path, "1", "--out", str(out))

    assert done.returncode == 2
    assert done.stderr.startswith("noc-console: --out: ")
    assert not out.exists()


def test_the_report_takes_what_the_postmortem_says_and_sent_stops_its_clock(
    db_url: str, tmp_path: Path
) -> None:
    from datetime import date

    from noc_console.domain.postmortem import ActionItem, PostMortem
    from noc_console.store.postmortems import save_postmortem

    incident_id = seed(db_url)
    store = open_store(db_url)
    try:
        with store.session() as session:
            save_postmortem(
                session,
                PostMortem(
                    incident_id,
                    root_cause="The gateway certificate expired <unnoticed>",
                    corrective_actions="Renewed the certificate\nRestarted the gateways",
                    service_credit="10 % of the month",
                    action_items=(ActionItem("Alert 30 days before expiry", "carol", date(2026, 12, 15)),),
                ),
                "lead",
                T0 + 3 * 60 * MIN,
            )
    finally:
        store.close()
    out = tmp_path / "report.html"

    done = report(
        db_url, tmp_path, str(incident_id), "--out", str(out), "--credit", "none", "--sent", "--by", "lead"
    )

    assert done.returncode == 0, done.stderr
    assert "clock is stopped" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert "The gateway certificate expired &lt;unnoticed&gt;" in page
    assert "Restarted the gateways" in page and "carol" in page and "2026-12-15" in page
    assert "10 % of the month" not in page  # the command line's --credit wins
    store = open_store(db_url)
    try:
        with store.read() as session:
            row = session.get(IncidentRow, incident_id)
            assert row is not None and row.exec_report_done_at is not None
            assert "Executive report sent by lead" in [
                t.text for t in session.query(TimelineRow).filter_by(incident_id=incident_id)
            ]
    finally:
        store.close()
    again = report(db_url, tmp_path, str(incident_id), "--out", str(out), "--sent", "--by", "lead")
    assert again.returncode == 0 and "already been marked sent" in again.stdout
