"""The executive report a window exports writes its counts the window's way (es_AR: 12.000); the
command line's keeps 12,000."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.report import ReportInputs
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot
from noc_console.report_render import render_html
from noc_console.store import repository as repo
from noc_console.store.reports import load_report

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_load_report_passes_the_number_format_on(store) -> None:
    alert = Alert(
        "am", "a", {"alertname": "Down"}, "Checkout down", "", Severity.CRITICAL, T0, service="checkout"
    )
    with store.session() as session:
        apply_snapshot(session, AlertSnapshot.of("am", T0, [alert]), now=T0)
    with store.session() as session:
        (incident,) = repo.list_incidents(session)
        repo.record_assessment(
            session, incident.id, "ana", T0 + timedelta(minutes=5), users_affected=12_000,
            services_affected="checkout", business_impact="down", text_="checkout is down",
        )  # fmt: skip
    with store.read() as session:
        default = render_html(load_report(session, incident.id, SlaPolicy(), ReportInputs()))
        dotted = render_html(
            load_report(
                session, incident.id, SlaPolicy(), ReportInputs(), number=lambda n: f"{n:,}".replace(",", ".")
            )
        )
    assert "12,000" in default and "12.000" not in default
    assert "12.000" in dotted
