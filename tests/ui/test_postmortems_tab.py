"""The Post-mortems tab on a real store (SQLite and PostgreSQL): the lead's list with its clocks, the
editor made from the incident, saving, finishing, checks that name the field, exports and the
executive report."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from noc_console.domain.postmortem import Owed, PostMortem, PostMortemStatus
from noc_console.domain.sla import SlaPolicy
from noc_console.store import open_store
from noc_console.store.models import AlertRow, IncidentRow, TimelineRow
from noc_console.ui.lead import LeadPages
from noc_console.ui.postmortems import clock_text
from tests.ui.conftest import make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _seed(db_url: str, now: datetime) -> None:
    resolved = now - timedelta(hours=2)
    detected = resolved - timedelta(hours=1)
    store = open_store(db_url)
    try:
        with store.session() as session:
            base = {
                "severity": "major", "status": "resolved", "service": "payments",
                "correlation_key": "service:payments", "source": "am", "opened_at": detected,
                "detected_at": detected, "last_alert_at": detected, "resolved_at": resolved,
                "impact_started_at": detected - timedelta(minutes=3),
            }  # fmt: skip
            session.execute(
                insert(IncidentRow),
                [
                    {**base, "id": 1, "title": "Card payments failing", "detected_by": "monitoring",
                     "monitoring_detected_at": detected},
                    {**base, "id": 2, "title": "Login <b>slow</b>", "detected_by": "customer",
                     "first_call_at": detected, "severity": "minor"},
                ],
            )  # fmt: skip
            session.add(TimelineRow(incident_id=1, at=detected, kind="opened", actor="system", text="Opened"))
            session.execute(
                insert(AlertRow),
                [{
                    "incident_id": 1, "source": "am", "fingerprint": "early", "name": "GatewayLatencyHigh",
                    "labels": {}, "summary": "p99 over 2 s", "description": "", "severity": "warning",
                    "state": "resolved", "service": "payments", "silenced": True,
                    "starts_at": detected - timedelta(hours=5), "first_seen_at": detected,
                    "last_seen_at": detected,
                }],
            )  # fmt: skip
    finally:
        store.close()


@pytest.fixture
def lead(qtbot: Any, db_url: str, tmp_path: Path) -> Any:
    _seed(db_url, datetime.now(UTC))
    chosen: dict[str, str] = {}
    pages = LeadPages(db_url, SlaPolicy(), "lead", choose_file=lambda title, kind: chosen.get("path"))
    pages.chosen = chosen  # type: ignore[attr-defined]
    qtbot.addWidget(pages.postmortems)
    pages.postmortems.resize(1600, 1000)
    pages.postmortems.show()
    pages.start()
    assert not pages.postmortems.lines  # nothing is read before the tab is first shown
    pages.page_shown(pages.postmortems)
    yield pages
    pages.stop()


def _open(qtbot: Any, lead: Any, incident_id: int) -> Any:
    tab = lead.postmortems
    qtbot.waitUntil(lambda: len(tab.lines) == 2, timeout=10_000)
    row = next(n for n, line in enumerate(tab.lines) if line.incident.id == incident_id)
    tab.list.selectRow(row)
    qtbot.waitUntil(lambda: tab.opened is not None and tab.opened.incident.id == incident_id, timeout=10_000)
    return tab


def test_the_list_shows_each_owed_postmortem_with_its_clock(qtbot: Any, lead: Any) -> None:
    tab = lead.postmortems
    qtbot.waitUntil(lambda: len(tab.lines) == 2, timeout=10_000)
    texts = [[tab.list.item(r, c).text() for c in range(4)] for r in range(2)]
    assert {t[0] for t in texts} == {"#1", "#2"}
    assert all(t[2].startswith("due in 1 d 21 h") for t in texts), texts  # 48 h after a resolve 2 h ago
    assert all(t[3] == "owed" for t in texts)
    assert "Login <b>slow</b>" in " ".join(t[1] for t in texts)  # shown literally


def test_a_draft_is_written_saved_and_finished(qtbot: Any, lead: Any) -> None:
    tab = _open(qtbot, lead, 1)
    assert tab.timeline.rowCount() == 1 and "Opened" in tab.timeline.item(0, 1).text()
    assert tab.warnings.rowCount() == 1 and "SILENCED" in tab.warnings.item(0, 5).text()
    assert tab.services.text() == "payments"
    tab.summary.setPlainText("Card payments failed for an hour.")
    tab.root_cause.setPlainText("The gateway certificate expired.")
    tab.contributing.setPlainText("Human error: someone should have renewed it.")
    assert "human error" in tab.hint.text() and "should have" in tab.hint.text()
    tab.contributing.setPlainText("Renewal was a manual step with no reminder.")
    assert tab.hint.text() == ""
    tab.save_button.click()
    qtbot.waitUntil(lambda: "Draft saved" in tab.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: any(line.postmortem is not None for line in tab.lines), timeout=10_000)
    # finishing needs an action item
    tab.finish_button.click()
    qtbot.waitUntil(lambda: "action items: at least one" in tab.message.text(), timeout=10_000)
    tab._add_item(None)
    tab.items.item(0, 0).setText("Alert 30 days before a certificate expires")
    tab.items.item(0, 1).setText("platform team")
    tab.finish_button.click()
    qtbot.waitUntil(lambda: "finished at" in tab.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: any(line.finished for line in tab.lines), timeout=10_000)
    assert tab.finish_button.text() == "Save amendments"
    assert tab.follow_up_held.isEnabled()


def test_what_is_typed_wrong_is_named(qtbot: Any, lead: Any) -> None:
    tab = _open(qtbot, lead, 1)
    tab.timeline.item(0, 0).setText("yesterday")
    tab.save_button.click()
    assert tab.message.text().startswith("Not saved: timeline line 1: time:")
    tab.timeline.item(0, 0).setText("2026-11-27 10:00:00")
    tab.users.setText("many")
    tab.save_button.click()
    assert tab.message.text().startswith("Not saved: users affected:")
    tab.users.setText("1,200")
    tab._add_item(None)
    tab.items.item(0, 0).setText("x")
    tab.items.item(0, 1).setText("ops")
    tab.items.item(0, 2).setText("next week")
    tab.save_button.click()
    assert tab.message.text().startswith("Not saved: action item 1: deadline:")
    tab.items.item(0, 2).setText("2026-12-24")
    tab.items.item(0, 1).setText("   ")
    tab.save_button.click()  # the store's rule names it
    qtbot.waitUntil(lambda: "action item 1: owner" in tab.message.text(), timeout=10_000)


def test_a_customer_detected_incident_needs_why_we_missed_it(qtbot: Any, lead: Any) -> None:
    tab = _open(qtbot, lead, 2)
    assert "required: a customer told us first" in tab.why_not_label.text()
    tab.summary.setPlainText("Logins took 20 s.")
    tab.root_cause.setPlainText("A slow query.")
    tab.contributing.setPlainText("No index.")
    tab._add_item(None)
    tab.items.item(0, 0).setText("Add a synthetic login check")
    tab.items.item(0, 1).setText("sre")
    tab.finish_button.click()
    qtbot.waitUntil(lambda: "why monitoring did not detect it" in tab.message.text(), timeout=10_000)


def test_exports_and_the_executive_report(qtbot: Any, lead: Any, tmp_path: Path) -> None:
    tab = _open(qtbot, lead, 1)
    lead.chosen["path"] = str(tmp_path / "pm.html")
    tab.html_button.click()
    qtbot.waitUntil(lambda: "written to" in tab.message.text(), timeout=10_000)
    assert not tab.exporting.isVisibleTo(tab)
    page = (tmp_path / "pm.html").read_text(encoding="utf-8")
    assert "<h1>Post-mortem — Incident #1: Card payments failing</h1>" in page
    assert "Why didn&#x27;t our monitoring detect this?" in page and "GatewayLatencyHigh" in page
    lead.chosen["path"] = str(tmp_path / "pm")  # no ending: the filter's
    tab.pdf_button.click()
    qtbot.waitUntil((tmp_path / "pm.pdf").exists, timeout=10_000)
    assert (tmp_path / "pm.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "pm.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Early warning signs" in " ".join(text.split())
    lead.chosen["path"] = str(tmp_path / "exec.pdf")
    tab.exec_button.click()
    # a moving bar says it is being written (the incident is read in the desk's thread), until it is
    assert tab.exporting.isVisibleTo(tab) and tab.exporting.maximum() == 0
    assert tab.exporting.format() == "Writing the executive report of #1…"
    qtbot.waitUntil(lambda: "Executive report of #1 written" in tab.message.text(), timeout=10_000)
    assert not tab.exporting.isVisibleTo(tab)
    assert (tmp_path / "exec.pdf").read_bytes().startswith(b"%PDF")
    tab.sent_button.click()
    qtbot.waitUntil(lambda: "72-hour clock stopped" in tab.message.text(), timeout=10_000)


def test_clock_text() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    incident = make_incident(1)
    assert clock_text(Owed(incident, None, now + timedelta(hours=3, minutes=5)), now) == "due in 3 h 5 min"
    assert clock_text(Owed(incident, None, now - timedelta(minutes=90)), now) == "OVERDUE by 1 h 30 min"
    done = PostMortem(1, status=PostMortemStatus.FINISHED)
    assert clock_text(Owed(incident, done, now), now) == "done"
    assert clock_text(Owed(incident, done, now, 2, True), now) == "done · 2 items OVERDUE · FOLLOW-UP DUE"
