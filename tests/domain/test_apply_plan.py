"""The apply planner, without a database: what a snapshot changes against a source's remembered alerts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from noc_console.domain.alerts import Alert, AlertSnapshot, AlertState
from noc_console.domain.apply_plan import KnownAlert, Plan, SourceAlerts, content_of, plan_snapshot
from noc_console.domain.correlation import CorrelationRule, OpenIncidentRef, ServiceCatalog, SourceRules
from noc_console.domain.severity import Severity

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def alert(fingerprint: str, service: str = "payments", **fields: object) -> Alert:
    values: dict[str, object] = {
        "source": "am",
        "fingerprint": fingerprint,
        "labels": {"alertname": fingerprint, "service": service},
        "summary": f"{fingerprint} down",
        "description": "",
        "severity": Severity.MAJOR,
        "starts_at": T0 - 60 * S,
        "service": service,
    }
    values.update(fields)
    return Alert(**values)  # type: ignore[arg-type]


class Incidents:
    """Open incidents by key, as the store would answer; records which keys were asked for."""

    def __init__(self, *refs: OpenIncidentRef) -> None:
        self.refs = list(refs)
        self.asked: list[str] = []

    def __call__(self, key: str) -> list[OpenIncidentRef]:
        self.asked.append(key)
        return [ref for ref in self.refs if ref.correlation_key == key]


def plan(
    alerts: list[Alert],
    known: SourceAlerts,
    incidents: Incidents | None = None,
    now: datetime = T0,
    rules: SourceRules | None = None,
) -> Plan:
    return plan_snapshot(
        AlertSnapshot.of("am", now, alerts),
        known,
        incidents or Incidents(),
        now=now,
        rule=CorrelationRule(),
        catalog=ServiceCatalog(),
        rules=rules or SourceRules(),
    )


def row(id_: int, incident_id: int, state: AlertState, a: Alert, fire_count: int = 1) -> KnownAlert:
    """A remembered row as the store holds it."""
    known = KnownAlert.of(a, incident_id=incident_id, service=a.service)
    known.id, known.state, known.fire_count = id_, state, fire_count
    return known


def firing(*alerts: Alert, incident_id: int = 7) -> SourceAlerts:
    known = SourceAlerts()
    for number, a in enumerate(alerts, start=1):
        known.add(row(number, incident_id, AlertState.FIRING, a))
    return known


def test_an_answer_whose_alerts_did_not_change_plans_no_write() -> None:
    known = firing(alert("a"), alert("b"))
    incidents = Incidents()
    result = plan([alert("a"), alert("b")], known, incidents)  # equal content, other objects
    assert result.writes_nothing and not result.recount and result.absent_firing == 0
    assert incidents.asked == []  # no new alert: no incident looked up


def test_a_new_summary_is_a_refresh_that_counts_no_incident_again() -> None:
    known = firing(alert("a"), alert("b"))
    result = plan([alert("a", summary="a is down for everyone"), alert("b")], known)
    assert [w.row.id for w in result.refreshed] == [1] and not result.recount
    assert known.firing["a"].summary == "a is down for everyone"
    assert known.firing["a"].content == content_of(alert("a", summary="a is down for everyone"))


def test_a_change_that_an_incident_shows_counts_it_again() -> None:
    for change in ({"severity": Severity.CRITICAL}, {"silenced": True}, {"inhibited": True}):
        known = firing(alert("a"))
        result = plan([alert("a", **change)], known)
        assert [w.row.id for w in result.refreshed] == [1] and result.recount == {7}, change


def test_every_field_a_refresh_writes_is_compared() -> None:
    later = T0 + 3600 * S
    changes: list[dict[str, object]] = [
        {"summary": "x"},
        {"description": "runbook"},
        {"ends_at": later},
        {"labels": {"alertname": "a", "service": "payments", "pod": "p-2"}},
    ]
    for change in changes:
        known = firing(alert("a"))
        assert [w.row.id for w in plan([alert("a", **change)], known).refreshed] == [1], change


def test_new_alerts_of_one_service_open_one_incident_whatever_the_order() -> None:
    alerts = [alert(f"a{i}", starts_at=T0 - (60 - i) * S) for i in range(6)]
    plans = []
    for seed in range(3):
        shuffled = list(alerts)
        random.Random(seed).shuffle(shuffled)
        incidents = Incidents()
        result = plan(shuffled, SourceAlerts(), incidents)
        assert incidents.asked == ["service:payments"]  # once per key
        plans.append([(r.row.fingerprint, r.new_incident, r.incident_id) for r in result.raised])
        assert len(result.new_incidents) == 1 and result.new_incidents[0].alert.fingerprint == "a0"
    assert plans[0] == plans[1] == plans[2]
    assert all(new == 0 for _, new, _ in plans[0])


def test_a_new_alert_joins_the_open_incident_of_its_key() -> None:
    incidents = Incidents(
        OpenIncidentRef(id=3, correlation_key="service:payments", last_alert_at=T0 - 120 * S)
    )
    known = SourceAlerts()
    result = plan([alert("a")], known, incidents)
    (raised,) = result.raised
    assert (raised.incident_id, raised.new_incident) == (3, None)
    assert result.joined == {3} and result.recount == {3} and not result.new_incidents
    assert known.firing["a"].incident_id == 3 and known.firing["a"].id == 0  # written later


def test_absence_is_counted_then_clears_from_when_it_was_first_missed() -> None:
    known = firing(alert("a"), alert("b"))
    first = plan([alert("a")], known, now=T0)
    assert [row.id for row in first.absent] == [2] and first.recount == {7} and first.absent_firing == 1
    assert known.firing["b"].clears_at == T0 + 180 * S
    second = plan([alert("a")], known, now=T0 + 100 * S)  # two misses, not yet three minutes
    assert [row.id for row in second.absent] == [2] and not second.recount and not second.cleared
    third = plan([alert("a")], known, now=T0 + 180 * S)
    (cleared,) = third.cleared
    assert (cleared.row.id, cleared.at) == (2, T0) and "absent from 3 successful fetches" in cleared.why
    assert third.recount == {7} and third.absent_firing == 0
    assert "b" not in known.firing and known.resolved_open["b"].state is AlertState.RESOLVED


def test_an_alert_back_after_an_absence_is_refreshed_and_its_clock_stops() -> None:
    known = firing(alert("a"), alert("b"))
    plan([alert("a")], known, now=T0)
    back = plan([alert("a"), alert("b")], known, now=T0 + 10 * S)
    assert [w.row.id for w in back.refreshed] == [2] and back.recount == {7}
    assert (known.firing["b"].missed_fetches, known.firing["b"].clears_at) == (0, None)


def test_a_warming_up_source_counts_no_absence() -> None:
    known = firing(alert("a"))
    snapshot = AlertSnapshot.of("am", T0, [], source_started_at=T0 - 10 * S)
    result = plan_snapshot(
        snapshot,
        known,
        Incidents(),
        now=T0,
        rule=CorrelationRule(),
        catalog=ServiceCatalog(),
        rules=SourceRules(),
    )
    assert not result.absent and not result.cleared and result.absent_firing == 1


def test_an_alert_the_source_ends_clears_now() -> None:
    known = firing(alert("a"))
    ended = alert("a", ends_at=T0 - 5 * S, source_time=T0)
    result = plan([ended], known)
    assert [w.row.id for w in result.refreshed] == [1]  # its end time is written too
    ((row, at, why),) = [(c.row.id, c.at, c.why) for c in result.cleared]
    assert (row, at, why) == (1, T0, "ended at the source")


def test_a_resolved_alert_of_an_open_incident_fires_again_into_it() -> None:
    known = SourceAlerts()
    known.add(row(4, 9, AlertState.RESOLVED, alert("a"), fire_count=2))
    result = plan([alert("a", starts_at=T0)], known)
    assert [w.row.id for w in result.refired] == [4] and result.recount == {9} and not result.raised
    assert known.firing["a"].fire_count == 3 and "a" not in known.resolved_open


def test_a_detached_alert_still_firing_opens_a_new_incident_naming_the_old() -> None:
    known = SourceAlerts()
    known.add(row(5, 2, AlertState.DETACHED, alert("a")))
    known.add(row(6, 2, AlertState.DETACHED, alert("b")))
    result = plan([alert("a")], known)
    (raised,) = result.raised
    assert raised.replaces is not None and raised.replaces.id == 5 and raised.new_incident == 0
    assert [row.id for row in result.over] == [6]  # gone from the source: over
    assert not known.detached and "a" in known.firing


def test_a_silenced_new_alert_raises_nothing() -> None:
    known = SourceAlerts()
    result = plan([alert("a", silenced=True)], known)
    assert result.writes_nothing and not known.firing
    opened = plan([alert("a", silenced=True)], known, rules=SourceRules(open_silenced=True))
    assert len(opened.raised) == 1


def test_a_push_leaves_out_what_it_does_not_name_and_a_poll_counts_it_absent() -> None:
    """A partial snapshot (a push): absence proves nothing; named alerts open, refresh and clear."""
    quick = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))
    known = SourceAlerts()
    plan([alert("a"), alert("b", service="db")], known, rules=quick)
    gone = KnownAlert.of(alert("c", service="web"), incident_id=7, service="web")
    gone.state = AlertState.DETACHED
    known.detached["c"] = gone
    named = [alert("b", service="db", state=AlertState.RESOLVED), alert("d")]
    pushed = plan_snapshot(
        AlertSnapshot.of("am", T0, named, pushed=True),
        known, Incidents(), now=T0, rule=CorrelationRule(), catalog=ServiceCatalog(), rules=quick,
    )  # fmt: skip
    assert [c.row.fingerprint for c in pushed.cleared] == ["b"]
    assert [r.alert.fingerprint for r in pushed.raised] == ["d"]
    assert pushed.absent == [] and pushed.over == [] and pushed.absent_firing == 0
    assert set(known.firing) == {"a", "d"} and set(known.detached) == {"c"}  # "a" and "c" untouched
    polled = plan([alert("d")], known, rules=quick)  # the same as a full answer: "a" is gone, "c" over
    assert [c.row.fingerprint for c in polled.cleared] == ["a"] and [r.fingerprint for r in polled.over] == [
        "c"
    ]
