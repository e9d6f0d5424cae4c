"""The SQL aggregation gives the pure formulas' figures on the same generated data, on both backends."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from noc_console.domain import metrics as pure
from noc_console.domain.correlation import ServiceCatalog, ServiceDef
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.store import metrics as sql
from noc_console.store import open_store
from noc_console.store.models import AlertRow, CallRow, IncidentRow

SINCE = datetime(2026, 10, 28, 6, 30, tzinfo=UTC)
UNTIL = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)
SERVICES = ["payments", "dns", "login", "wiki", None]
CATALOG = ServiceCatalog(
    (
        ServiceDef("payments", critical=True, match={"service": "payments"}),
        ServiceDef("dns", critical=True, match={}),
        ServiceDef("vpn", critical=True, match={}),
        ServiceDef("login", critical=False, match={}),
    )
)
SOURCES = ["am", "checks"]


def _maybe(rng: random.Random, share: float, at: datetime) -> datetime | None:
    return at if rng.random() < share else None


def generate(
    seed: int, count: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Incidents around the range's edges too, with ties, missing times, and alerts and calls."""
    rng = random.Random(seed)
    incidents, alerts, calls = [], [], []
    span = (UNTIL - SINCE).total_seconds()
    for i in range(1, count + 1):
        edge = rng.random()
        if edge < 0.05:
            detected = SINCE
        elif edge < 0.1:
            detected = UNTIL
        elif edge < 0.15:
            detected = SINCE - timedelta(seconds=rng.uniform(1, 86400))
        else:
            detected = SINCE + timedelta(seconds=rng.uniform(0, span), microseconds=rng.randrange(10**6))
        by = rng.choice(list(DetectionSource))
        tie = rng.random() < 0.1
        monitoring = _maybe(rng, 0.7, detected + timedelta(seconds=0 if tie else rng.uniform(-600, 600)))
        first_call = _maybe(rng, 0.4, detected + timedelta(seconds=0 if tie else rng.uniform(-600, 600)))
        impact = _maybe(rng, 0.6, detected - timedelta(seconds=rng.choice([0, rng.uniform(-60, 3600)])))
        acked = _maybe(rng, 0.7, detected + timedelta(seconds=rng.uniform(0, 900)))
        resolved = _maybe(rng, 0.5, detected + timedelta(seconds=rng.uniform(-5, 86400)))
        service = rng.choice(SERVICES)
        n_calls = rng.choice([0, 0, 0, 1, 2, 3])
        incidents.append(
            {
                "id": i,
                "title": f"incident {i}",
                "severity": rng.choice(list(Severity)).value,
                "status": (IncidentStatus.RESOLVED if resolved else IncidentStatus.OPEN).value,
                "service": service,
                "correlation_key": f"service:{service}",
                "detected_by": by.value,
                "source": "am",
                "opened_at": detected,
                "detected_at": detected,
                "last_alert_at": detected,
                "acknowledged_at": acked,
                "resolved_at": resolved,
                "impact_started_at": impact,
                "monitoring_detected_at": monitoring,
                "first_call_at": first_call,
                "false_positive": rng.random() < 0.2,
                "call_count": n_calls,
            }
        )
        for c in range(n_calls):
            started = _maybe(rng, 0.6, detected - timedelta(seconds=rng.uniform(-300, 7200)))
            calls.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "incident_id": i,
                    "received_at": detected + timedelta(minutes=c),
                    "logged_at": detected + timedelta(minutes=c),
                    "taken_by": "desk",
                    "callback": "no",
                    "summary": "down",
                    "service": service,
                    "started_at": started,
                    "attached": c > 0,
                    "customer_ack_due_at": detected + timedelta(minutes=c + 5),
                }
            )
        for a in range(rng.choice([0, 1, 2])):
            alerts.append(
                {
                    "incident_id": i,
                    "source": rng.choice(["am", "checks", "gone"]),
                    "fingerprint": f"f{i}-{a}",
                    "name": "Down",
                    "labels": {"service": service or ""},
                    "summary": "",
                    "description": "",
                    "severity": "major",
                    "state": "resolved",
                    "service": service,
                    # dns alerts all silenced, so a critical service shows a silenced gap
                    "silenced": service == "dns" or rng.random() < 0.3,
                    "starts_at": detected,
                    "first_seen_at": detected,
                    "last_seen_at": detected,
                }
            )
    return incidents, alerts, calls


def _incident(row: dict[str, Any]) -> Incident:
    return Incident(
        id=row["id"],
        title=row["title"],
        severity=Severity(row["severity"]),
        status=IncidentStatus(row["status"]),
        service=row["service"],
        detected_by=DetectionSource(row["detected_by"]),
        source=row["source"],
        opened_at=row["opened_at"],
        detected_at=row["detected_at"],
        acknowledged_at=row["acknowledged_at"],
        resolved_at=row["resolved_at"],
        impact_started_at=row["impact_started_at"],
        monitoring_detected_at=row["monitoring_detected_at"],
        first_call_at=row["first_call_at"],
        false_positive=row["false_positive"],
        call_count=row["call_count"],
    )


def reference(
    incidents: list[dict[str, Any]], alerts: list[dict[str, Any]], calls: list[dict[str, Any]], **kw: Any
) -> pure.Metrics:
    first_started: dict[int, datetime] = {}
    for call in calls:
        if call["started_at"] is not None:
            known = first_started.get(call["incident_id"])
            first_started[call["incident_id"]] = min(call["started_at"], known or call["started_at"])
    seen = [pure.AlertSeen(a["service"], a["source"], a["silenced"]) for a in alerts]
    return pure.compute(
        [_incident(r) for r in incidents], first_started, seen, CATALOG, SOURCES, SINCE, UNTIL, **kw
    )


def assert_same(got: pure.Metrics, want: pure.Metrics) -> None:
    def approx(value: float | None) -> Any:
        return None if value is None else pytest.approx(value, rel=1e-6, abs=1e-3)

    def figures(m: Any) -> tuple[Any, ...]:
        return (m.incidents, m.customer_reported, m.detected_internally_pct, m.mttd_s, m.mtta_s, m.mttr_s)

    assert figures(got) == tuple(approx(v) if isinstance(v, float) else v for v in figures(want))
    assert got.false_positive_pct == approx(want.false_positive_pct)
    assert [
        (s.service, s.incidents, s.customer_reported, s.monitored, s.critical) for s in got.by_service
    ] == [(s.service, s.incidents, s.customer_reported, s.monitored, s.critical) for s in want.by_service]
    for g, w in zip(got.by_service, want.by_service, strict=True):
        assert g.detected_internally_pct == approx(w.detected_internally_pct)
        assert g.mttd_s == approx(w.mttd_s)
    assert got.gaps == want.gaps
    assert [(b.start, b.end, b.incidents, b.customer_reported) for b in got.series] == [
        (b.start, b.end, b.incidents, b.customer_reported) for b in want.series
    ]
    for g_b, w_b in zip(got.series, want.series, strict=True):
        for name in ("detected_internally_pct", "mttd_s", "mtta_s", "mttr_s", "false_positive_pct"):
            assert getattr(g_b, name) == approx(getattr(w_b, name)), (g_b.start, name)


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_equals_the_pure_formulas(db_url: str, seed: int) -> None:
    incidents, alerts, calls = generate(seed, 600)
    store = open_store(db_url)
    try:
        with store.session() as session:
            session.execute(insert(IncidentRow), incidents)
            session.execute(insert(AlertRow), alerts)
            session.execute(insert(CallRow), calls)
        with store.read() as session:
            granularities: tuple[pure.Granularity, ...] = ("day", "week")
            for granularity in granularities:
                got = sql.metrics(session, CATALOG, SOURCES, SINCE, UNTIL, granularity)
                want = reference(incidents, alerts, calls, granularity=granularity)
                assert want.incidents > 400
                assert {g.kind for g in want.gaps} == {"silenced", "unmonitored"}
                assert_same(got, want)
    finally:
        store.close()


def test_an_empty_database_gives_nulls(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with store.read() as session:
            got = sql.metrics(session, CATALOG, SOURCES, SINCE, UNTIL)
    finally:
        store.close()
    assert got.incidents == 0
    assert (got.detected_internally_pct, got.mttd_s, got.mtta_s, got.mttr_s, got.false_positive_pct) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert_same(got, reference([], [], []))
