"""Pending alerts (Prometheus's `pending`): shown, never alarming. Pure, with `now` given."""

from __future__ import annotations

from noc_console.domain.alerts import AlertSnapshot, AlertState
from noc_console.domain.apply_plan import SourceAlerts, content_of, plan_snapshot
from noc_console.domain.correlation import CorrelationRule, ServiceCatalog, SourceRules
from tests.domain.test_apply_plan import T0, Incidents, S, alert, firing, plan, row

QUICK = SourceRules(resolve_after_missed=2, resolve_after=30 * S)


def test_a_pending_alert_opens_nothing_and_joins_nothing() -> None:
    known = SourceAlerts()
    incidents = Incidents()
    result = plan([alert("disk", pending=True)], known, incidents)
    assert not result.raised and not result.new_incidents and result.writes_nothing
    assert not known.firing and incidents.asked == []  # not even a correlation lookup
    assert not SourceRules(open_silenced=True, open_inhibited=True).may_open(alert("d", pending=True))


def test_pending_then_firing_opens_an_incident_starting_when_it_became_active() -> None:
    known = SourceAlerts()
    plan([alert("disk", pending=True, starts_at=T0 - 600 * S)], known)
    result = plan([alert("disk", starts_at=T0 - 600 * S)], known, now=T0 + 60 * S)
    assert [n.alert.fingerprint for n in result.new_incidents] == ["disk"]
    assert result.raised[0].alert.starts_at == T0 - 600 * S and not result.raised[0].row.pending


def test_pending_is_part_of_an_alerts_content() -> None:
    assert content_of(alert("a")) != content_of(alert("a", pending=True))


def test_a_firing_alert_that_turns_pending_is_shown_pending_and_clears_by_the_rules() -> None:
    """Prometheus: its firing ended and its condition began again; until it fires, it is not firing."""
    known = firing(alert("a"))
    first = plan([alert("a", pending=True)], known, now=T0, rules=QUICK)
    assert [w.alert.pending for w in first.refreshed] == [True]  # its incident shows it pending
    assert [r.fingerprint for r in first.turned_pending] == ["a"]  # its timeline says so, once
    assert known.firing["a"].pending and known.firing["a"].missed_fetches == 1
    assert known.firing["a"].absent_since == T0 and first.absent_firing == 1 and not first.cleared
    second = plan([alert("a", pending=True)], known, now=T0 + 10 * S, rules=QUICK)
    assert (
        not second.refreshed and not second.turned_pending and [r.fingerprint for r in second.absent] == ["a"]
    )  # nothing rewritten
    third = plan([alert("a", pending=True)], known, now=T0 + 31 * S, rules=QUICK)
    assert [c.row.fingerprint for c in third.cleared] == ["a"] and third.cleared[0].at == T0
    assert known.resolved_open["a"].state is AlertState.RESOLVED
    # it fires again while its incident is open: it flaps back into it
    fourth = plan([alert("a")], known, now=T0 + 40 * S, rules=QUICK)
    assert [w.row.fingerprint for w in fourth.refired] == ["a"] and not fourth.new_incidents
    assert not known.firing["a"].pending


def test_a_pending_alert_back_to_firing_before_it_clears_stops_its_clearing_clock() -> None:
    known = firing(alert("a"))
    plan([alert("a", pending=True)], known, now=T0, rules=QUICK)
    back = plan([alert("a")], known, now=T0 + 5 * S, rules=QUICK)
    assert [w.alert.pending for w in back.refreshed] == [False] and not back.cleared
    assert known.firing["a"].missed_fetches == 0 and known.firing["a"].absent_since is None


def test_a_warming_up_source_counts_no_absence_of_a_pending_alert_either() -> None:
    known = firing(alert("a"))
    snapshot = AlertSnapshot.of("am", T0, [alert("a", pending=True)], source_started_at=T0 - 5 * S)
    result = plan_snapshot(
        snapshot, known, Incidents(), now=T0, rule=CorrelationRule(), catalog=ServiceCatalog(), rules=QUICK
    )
    assert known.firing["a"].missed_fetches == 0 and not result.absent and not result.cleared
    assert known.firing["a"].pending  # still shown pending


def test_a_detached_alert_that_turns_pending_is_over() -> None:
    known = SourceAlerts()
    known.add(row(1, 7, AlertState.DETACHED, alert("a")))
    result = plan([alert("a", pending=True)], known)
    assert [r.fingerprint for r in result.over] == ["a"] and not result.raised
