"""Correlation and resolution rules against a real store, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

from noc_console.domain import Alert, AlertSnapshot, CorrelationRule, IncidentStatus, Severity
from noc_console.domain.correlation import SourceRules
from noc_console.engine.correlator import apply_snapshot, record_failure
from noc_console.store import repository as repo

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def alert(
    fp: str, service: str | None = "payments", severity: Severity = Severity.MAJOR, **kw: object
) -> Alert:
    fields: dict[str, object] = {
        "source": "am",
        "fingerprint": fp,
        "labels": {"alertname": f"Alert-{fp}", **({"service": service} if service else {})},
        "summary": f"summary {fp}",
        "description": "",
        "severity": severity,
        "starts_at": T0,
        "service": service,
    }
    fields.update(kw)
    return Alert(**fields)  # type: ignore[arg-type]


def apply(store, alerts: list[Alert], now: datetime, rule: CorrelationRule | None = None, **rules: object):
    """Apply a snapshot; absence rules default to the fetch count alone (resolve_after 0)."""
    chosen = SourceRules(**{"resolve_after": timedelta(0), **rules})  # type: ignore[arg-type]
    with store.session() as session:
        return apply_snapshot(session, AlertSnapshot.of("am", now, alerts), now=now, rule=rule, rules=chosen)


def incidents(store, include_resolved: bool = True):
    with store.session() as session:
        return {i.id: i for i in repo.list_incidents(session, include_resolved=include_resolved)}


def test_three_services_open_three_incidents_and_same_service_joins(store) -> None:
    result = apply(store, [alert("a", "payments"), alert("b", "checkout"), alert("c", "dns")], T0)
    assert len(result.opened) == 3
    later = T0 + timedelta(minutes=4)
    result = apply(
        store,
        [alert("a", "payments"), alert("b", "checkout"), alert("c", "dns"),
         alert("d", "payments", Severity.CRITICAL, starts_at=later)],
        later,
    )  # fmt: skip
    assert result.opened == []
    payments = next(i for i in incidents(store).values() if i.service == "payments")
    assert payments.alert_count == 2 and payments.firing_count == 2
    assert payments.severity is Severity.CRITICAL  # raised to the loudest firing alert
    assert payments.id in result.updated


def test_same_service_outside_the_window_opens_a_new_incident(store) -> None:
    apply(store, [alert("a")], T0)
    later = T0 + timedelta(minutes=25)
    result = apply(store, [alert("a"), alert("b", starts_at=later)], later, rule=CorrelationRule())
    assert len(result.opened) == 1


def test_alert_resolves_after_two_consecutive_absences_not_one(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    first = apply(store, [], T0 + timedelta(seconds=10))
    assert first.resolved == []
    assert incidents(store)[incident_id].status is IncidentStatus.OPEN
    second = apply(store, [], T0 + timedelta(seconds=20))
    assert second.resolved == [incident_id]
    resolved = incidents(store)[incident_id]
    assert resolved.status is IncidentStatus.RESOLVED and resolved.resolved_by == "monitoring"


def test_an_absence_then_a_return_resets_the_count(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    apply(store, [], T0 + timedelta(seconds=10))
    apply(store, [alert("a")], T0 + timedelta(seconds=20))
    apply(store, [], T0 + timedelta(seconds=30))
    assert incidents(store)[incident_id].status is IncidentStatus.OPEN


def test_resolve_after_missed_is_configurable(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    assert apply(store, [], T0 + timedelta(seconds=10), resolve_after_missed=1).resolved == [incident_id]


def test_ends_at_in_the_past_resolves_at_once(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    ended = alert("a", ends_at=T0 + timedelta(seconds=5), source_time=T0 + timedelta(seconds=6))
    assert apply(store, [ended], T0 + timedelta(seconds=10)).resolved == [incident_id]


def test_incident_stays_open_while_one_alert_fires(store) -> None:
    (incident_id,) = apply(store, [alert("a"), alert("b")], T0).opened
    apply(store, [alert("b")], T0 + timedelta(seconds=10), resolve_after_missed=1)
    current = incidents(store)[incident_id]
    assert current.status is IncidentStatus.OPEN and current.firing_count == 1


def test_failure_marks_stale_and_changes_nothing_else(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    for n in range(1, 4):
        with store.session() as session:
            record_failure(session, "am", "HTTP 500 Internal Server Error", T0 + timedelta(seconds=10 * n))
    with store.session() as session:
        (health,) = repo.list_source_health(session)
    assert health.is_stale(T0 + timedelta(seconds=30)) and health.last_fetch_failed()
    assert health.consecutive_failures == 3 and health.last_error.startswith("HTTP 500")
    assert health.last_success_at == T0
    assert incidents(store)[incident_id].status is IncidentStatus.OPEN
    apply(store, [alert("a")], T0 + timedelta(seconds=60))
    with store.session() as session:
        (health,) = repo.list_source_health(session)
    assert not health.is_stale(T0 + timedelta(seconds=60)) and health.consecutive_failures == 0
    assert health.is_stale(T0 + timedelta(seconds=60 + 31))  # 3 intervals of 10 s without news: blind


def test_flapping_alert_refires_into_its_open_incident(store) -> None:
    (incident_id,) = apply(store, [alert("a"), alert("b")], T0).opened
    apply(store, [alert("b")], T0 + timedelta(seconds=10), resolve_after_missed=1)
    result = apply(store, [alert("a"), alert("b")], T0 + timedelta(seconds=20))
    assert result.opened == [] and incident_id in result.updated
    current = incidents(store)[incident_id]
    assert current.alert_count == 2 and current.firing_count == 2


def test_alert_returning_after_its_incident_resolved_opens_a_new_one(store) -> None:
    (first,) = apply(store, [alert("a")], T0).opened
    apply(store, [], T0 + timedelta(seconds=10), resolve_after_missed=1)
    (second,) = apply(store, [alert("a")], T0 + timedelta(hours=1)).opened
    assert second != first


def test_alerts_without_service_group_by_name(store) -> None:
    result = apply(store, [alert("a", None), alert("b", None)], T0)
    assert len(result.opened) == 2


def test_silenced_and_inhibited_alerts_are_kept_and_flagged_when_configured_to_open(store) -> None:
    from noc_console.store.models import AlertRow

    apply(
        store,
        [alert("a", silenced=True), alert("b", inhibited=True)],
        T0,
        open_silenced=True,
        open_inhibited=True,
    )
    with store.session() as session:
        rows = {r.fingerprint: r for r in session.query(AlertRow)}
    assert rows["a"].silenced and not rows["a"].inhibited
    assert rows["b"].inhibited


def test_every_change_reaches_the_feed(store) -> None:
    with store.session() as session:
        start = repo.latest_change_seq(session)
    (incident_id,) = apply(store, [alert("a")], T0).opened
    apply(store, [], T0 + timedelta(seconds=10), resolve_after_missed=1)
    with store.session() as session:
        changes = repo.changes_since(session, start)
    incident_changes = [c for c in changes if c.kind == "incident"]
    assert [c.incident_id for c in incident_changes] == [incident_id, incident_id]
    assert {c.source for c in changes if c.kind == "source"} == {"am"}


def test_timeline_entries_point_at_their_alert(store) -> None:
    (incident_id,) = apply(store, [alert("a")], T0).opened
    apply(store, [], T0 + timedelta(seconds=10), resolve_after_missed=1)
    with store.session() as session:
        entries = repo.timeline(session, incident_id)
        by_kind = {entry.kind: entry for entry in entries}
        assert by_kind["alert_fired"].alert_id is not None
        assert by_kind["alert_cleared"].alert_id == by_kind["alert_fired"].alert_id
        assert by_kind["opened"].alert_id is None


def test_group_by_labels_splits_one_service_into_one_incident_per_region(store) -> None:
    by_region = CorrelationRule(group_by=("service", "region"))
    eu = {"alertname": "Alert-a", "service": "payments", "region": "eu"}
    us = {"alertname": "Alert-b", "service": "payments", "region": "us"}
    eu2 = {"alertname": "Alert-c", "service": "payments", "region": "eu"}
    firing = [alert("a", labels=eu), alert("b", labels=us), alert("c", labels=eu2)]
    result = apply(store, firing, T0, rule=by_region)
    assert len(result.opened) == 2
    by_count = sorted(i.alert_count for i in incidents(store).values())
    assert by_count == [1, 2]


def test_incidents_opened_before_a_group_by_change_keep_their_alerts_and_resolve(store) -> None:
    (old,) = apply(
        store, [alert("a", labels={"alertname": "A", "service": "payments", "region": "eu"})], T0
    ).opened
    by_region = CorrelationRule(group_by=("service", "region"))
    later = T0 + timedelta(minutes=2)
    moved = alert("b", labels={"alertname": "B", "service": "payments", "region": "eu"}, starts_at=later)
    kept = alert("a", labels={"alertname": "A", "service": "payments", "region": "eu"}, summary="changed")
    result = apply(store, [kept, moved], later, rule=by_region)
    (new,) = result.opened  # the new key is not the stored one: a new incident, the old one untouched
    assert new != old and incidents(store)[old].alert_count == 1
    apply(store, [moved], later + timedelta(seconds=10), rule=by_region)
    assert apply(store, [moved], later + timedelta(seconds=20), rule=by_region).resolved == [old]
    assert incidents(store)[new].status is IncidentStatus.OPEN


def _latency(fp: str, instance: str, name: str = "HighLatency", **kw: object) -> Alert:
    labels = {"alertname": name, "service": "payments", "instance": instance}
    return alert(fp, labels=labels, summary=f"{name} on {instance}", **kw)


def test_an_incident_title_summarises_its_firing_alerts_as_they_join_and_clear(store) -> None:
    first = _latency("a", "web-1:9100")
    (incident_id,) = apply(store, [first], T0).opened
    assert incidents(store)[incident_id].title == "HighLatency on web-1:9100"  # one alert: its summary
    later = T0 + timedelta(minutes=1)
    more = [first, _latency("b", "web-2:9100", starts_at=later), _latency("c", "web-2:9200", starts_at=later)]
    result = apply(store, more, later)
    assert incident_id in result.updated
    assert incidents(store)[incident_id].title == "HighLatency on 2 hosts (3 alerts)"
    disk = _latency("d", "web-2:9100", "DiskFull", starts_at=later)
    apply(store, [more[1], disk], later + timedelta(seconds=10))
    apply(store, [more[1], disk], later + timedelta(seconds=20))  # a and c cleared
    assert incidents(store)[incident_id].title == "DiskFull, HighLatency on web-2 (2 alerts)"


def test_an_unchanged_answer_writes_no_title(store) -> None:
    alerts = [_latency("a", "web-1:9100"), _latency("b", "web-2:9100")]
    apply(store, alerts, T0)
    result = apply(store, alerts, T0 + timedelta(seconds=10))
    assert result.updated == [] and result.opened == []


def test_a_customer_reported_incident_keeps_the_title_its_caller_gave(store) -> None:
    with store.session() as session:
        reported = repo.open_customer_incident(
            session, title="Customers cannot pay by card", service="payments", severity=Severity.MAJOR,
            by="alice", now=T0,
        )  # fmt: skip
        session.commit()
    later = T0 + timedelta(minutes=1)
    apply(
        store,
        [_latency("a", "web-1:9100", starts_at=later), _latency("b", "web-2:9100", starts_at=later)],
        later,
    )
    incident = incidents(store)[reported.id]
    assert incident.alert_count == 2 and incident.title == "Customers cannot pay by card"
