"""Metrics leave out incidents detected inside a maintenance window of their service (planned work is
not a failure of detection), but only windows scheduled before the incident: none rewrites history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.maintenance import NewWindow
from noc_console.store import Store
from noc_console.store import metrics as sql
from noc_console.store.maintenance import add_window, end_window
from noc_console.store.models import IncidentRow

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
M = timedelta(minutes=1)
CATALOG = ServiceCatalog((ServiceDef("payments", critical=True), ServiceDef("dns", critical=True)))


def incident(id_: int, service: str, detected: datetime, by: str = "customer", **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": id_, "title": f"#{id_}", "severity": "major", "status": "resolved", "service": service,
        "correlation_key": f"service:{service}", "detected_by": by, "source": None, "opened_at": detected,
        "detected_at": detected, "last_alert_at": detected, "acknowledged_at": detected + 10 * M,
        "resolved_at": detected + 60 * M, "false_positive": False, "call_count": 0,
    }  # fmt: skip
    row.update(kw)
    return row


def figures(store: Store) -> sql.Metrics:
    with store.read() as session:
        return sql.metrics(session, CATALOG, ["am"], T0 - timedelta(days=1), T0 + timedelta(days=1))


def test_incidents_detected_inside_a_window_scheduled_before_them_are_left_out(store: Store) -> None:
    with store.session() as session:
        session.execute(
            insert(IncidentRow),
            [
                incident(1, "payments", T0 + 30 * M),  # a customer called about the planned work
                incident(2, "payments", T0 + 30 * M, "monitoring", false_positive=True),
                incident(3, "payments", T0 + 150 * M),  # after the window was ended early
                incident(4, "dns", T0 + 30 * M, "monitoring"),  # another service: counted
                incident(5, "payments", T0 - 30 * M, "monitoring"),  # before the window: counted
            ],
        )
    before = figures(store)
    assert before.incidents == 5 and before.false_positive_pct is not None

    with store.session() as session:  # scheduled after the fact: history stays as it was
        add_window(session, NewWindow("payments", T0, T0 + 180 * M, "late entry", "alice"), T0 + 200 * M)
    assert figures(store) == before

    with store.session() as session:
        window = add_window(session, NewWindow("payments", T0, T0 + 180 * M, "card switch", "alice"), T0 - M)
        end_window(session, window.id, T0 + 120 * M, "bob")
    after = figures(store)
    assert after.incidents == 3  # 1 and 2 left out; 3 came after the early end
    assert after.false_positive_pct == 0.0  # the false positive was inside the window
    assert after.detected_internally_pct is not None
    assert round(after.detected_internally_pct, 1) == round(200 / 3, 1)  # 4 and 5 of 3, 4, 5
    payments = next(s for s in after.by_service if s.service == "payments")
    assert payments.incidents == 2 and payments.customer_reported == 1
