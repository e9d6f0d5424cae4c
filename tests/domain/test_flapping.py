"""Flapping without a database: the rule's sliding window, and what a plan flags, keeps quiet and settles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from noc_console.domain.alerts import AlertSnapshot, AlertState
from noc_console.domain.apply_plan import KnownAlert, Plan, SourceAlerts, content_of, plan_snapshot
from noc_console.domain.correlation import CorrelationRule, ServiceCatalog, SourceRules
from noc_console.domain.flapping import FlapRule
from tests.domain.test_apply_plan import T0, Incidents, S, alert

MIN = 60 * S
RULE = FlapRule(threshold=4, window=20 * MIN)
QUICK = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))  # absent once: cleared


def changes(*minutes: float) -> tuple[datetime, ...]:
    return tuple(T0 + m * MIN for m in minutes)


def kept(*minutes: float) -> tuple[datetime, ...]:
    """What the rule keeps after these changes, one by one."""
    recent: tuple[datetime, ...] = ()
    for at in changes(*minutes):
        recent = RULE.with_change(recent, at)
    return recent


# --- the rule: more than N changes within M minutes ------------------------------------------------


def test_more_than_threshold_changes_within_the_window_flap_and_threshold_do_not() -> None:
    assert RULE.flaps(kept(0, 1, 2, 3, 4))  # 5 changes > 4
    assert not RULE.flaps(kept(0, 1, 2, 3))  # 4 changes: not more than 4


def test_changes_spread_beyond_the_window_do_not_flap() -> None:
    # every 6 minutes: at any moment only 4 lie within 20 minutes of the newest
    spread = kept(0, 6, 12, 18, 24, 30, 36)
    assert spread == changes(18, 24, 30, 36)
    assert not RULE.flaps(spread)
    assert RULE.flaps(kept(0, 6, 12, 18, 19.9))  # the fifth within 20 min of the second


def test_the_rule_keeps_no_more_than_it_needs_and_sorts_what_arrives_late() -> None:
    assert kept(*range(10)) == changes(5, 6, 7, 8, 9)
    assert RULE.with_change(changes(0, 2), T0 + 1 * MIN) == changes(0, 1, 2)


def test_it_settles_after_a_whole_window_without_a_change() -> None:
    recent = kept(0, 1, 2, 3, 4)
    assert not RULE.settled(recent, T0 + 4 * MIN + 20 * MIN - S)
    assert RULE.settled(recent, T0 + 24 * MIN)


def test_threshold_zero_never_flaps() -> None:
    off = FlapRule(threshold=0)
    assert not off.on and not off.flaps(changes(0, 0.1, 0.2, 0.3, 0.4, 0.5))


# --- the plan --------------------------------------------------------------------------------------


class Earlier:
    """The store's answer for alerts whose incident resolved; records what it was asked."""

    def __init__(self, history: dict[str, tuple[datetime, ...]]) -> None:
        self.history = history
        self.asked: list[tuple[list[str], datetime]] = []

    def __call__(self, fingerprints: Sequence[str], since: datetime) -> dict[str, tuple[datetime, ...]]:
        self.asked.append((list(fingerprints), since))
        return {fp: c for fp, c in self.history.items() if fp in fingerprints and max(c) >= since}


def flap_plan(
    alerts: list[str],
    known: SourceAlerts,
    now: datetime,
    earlier: Earlier | None = None,
    rule: FlapRule = RULE,
) -> Plan:
    return plan_snapshot(
        AlertSnapshot.of("am", now, [alert(fp) for fp in alerts]),
        known,
        Incidents(),
        now=now,
        rule=CorrelationRule(flap=rule),
        catalog=ServiceCatalog(),
        rules=QUICK,
        earlier=earlier,
    )


def resolved_row(fingerprint: str, history: tuple[datetime, ...], **fields: object) -> KnownAlert:
    row = KnownAlert.of(alert(fingerprint), incident_id=7, service="payments")
    row.id, row.state, row.changes = 70, AlertState.RESOLVED, history
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def test_a_fresh_alert_counts_the_changes_of_its_resolved_incidents_and_opens_flapping() -> None:
    earlier = Earlier({"a": changes(0, 1, 2, 3)})  # fired, cleared, fired, cleared: two incidents
    now = T0 + 4 * MIN
    plan = flap_plan(["a"], SourceAlerts(), now, earlier)
    (raised,) = plan.raised
    assert raised.new_incident == 0
    assert raised.row.changes == changes(0, 1, 2, 3, 4)
    assert raised.row.flapping_since == now
    assert [f.row for f in plan.flapping] == [raised.row]
    assert "5 changes within 20 min" in plan.flapping[0].why
    assert earlier.asked == [(["a"], now - 20 * MIN)]  # one question, bounded by the window


def test_a_fresh_alert_with_fewer_changes_opens_an_incident_that_does_not_flap() -> None:
    plan = flap_plan(["a"], SourceAlerts(), T0 + 4 * MIN, Earlier({"a": changes(1, 2, 3)}))
    assert plan.raised[0].row.flapping_since is None and plan.flapping == []


def test_the_change_that_flags_is_logged_and_the_ones_after_it_are_not() -> None:
    known = SourceAlerts()
    known.add(resolved_row("a", changes(0, 1, 2, 3)))
    first = flap_plan(["a"], known, T0 + 4 * MIN)  # fires again into its open incident: 5 changes
    assert [w.logged for w in first.refired] == [True]
    assert [f.row.fingerprint for f in first.flapping] == ["a"]
    assert known.flapping["a"].flapping_since == T0 + 4 * MIN
    cleared = flap_plan([], known, T0 + 5 * MIN)
    assert [c.logged for c in cleared.cleared] == [False] and cleared.flapping == []
    again = flap_plan(["a"], known, T0 + 6 * MIN)
    assert [w.logged for w in again.refired] == [False]
    assert again.recount == {7}  # its incident is counted again, but it opens nothing
    assert again.raised == [] and again.new_incidents == []


def test_a_flapping_alert_settles_only_after_a_whole_quiet_window() -> None:
    known = SourceAlerts()
    known.add(resolved_row("a", changes(0, 1, 2, 3, 4), flapping_since=T0 + 4 * MIN))
    assert known.flapping == {"a": known.resolved_open["a"]}
    assert flap_plan([], known, T0 + 24 * MIN - S).settled == []
    plan = flap_plan([], known, T0 + 24 * MIN)
    assert [f.row.fingerprint for f in plan.settled] == ["a"] and "no change for 20 min" in plan.settled[
        0
    ].why
    assert plan.recount == {7} and known.flapping == {}
    assert known.resolved_open["a"].flapping_since is None
    assert flap_plan([], known, T0 + 30 * MIN).settled == []  # once


def test_an_alert_that_keeps_changing_keeps_flapping() -> None:
    known = SourceAlerts()
    known.add(resolved_row("a", changes(0, 1, 2, 3, 4), flapping_since=T0 + 4 * MIN))
    for minute in range(5, 60, 10):  # a change every 10 minutes, inside every 20-minute window
        plan = flap_plan(["a"] if minute % 20 == 5 else [], known, T0 + minute * MIN)
        assert plan.settled == [], minute
    assert "a" in known.flapping


def test_flapping_turned_off_records_nothing_and_settles_what_flapped() -> None:
    earlier = Earlier({"b": changes(0, 1, 2, 3)})
    known = SourceAlerts()
    known.add(resolved_row("a", changes(0, 1, 2, 3, 4), flapping_since=T0 + 4 * MIN))
    plan = flap_plan(["b"], known, T0 + 5 * MIN, earlier, rule=FlapRule(threshold=0))
    assert earlier.asked == []
    assert plan.raised[0].row.changes == () and plan.flapping == []
    assert [f.row.fingerprint for f in plan.settled] == ["a"]


def test_forgetting_an_incident_forgets_its_flapping_rows() -> None:
    known = SourceAlerts()
    row = resolved_row("a", changes(0, 1, 2, 3, 4), flapping_since=T0 + 4 * MIN)
    known.add(row)
    known.forget_incidents({7})
    assert known.flapping == {} and known.resolved_open == {}
    firing = KnownAlert.of(alert("a"), incident_id=8, service="payments")
    firing.content = content_of(alert("a"))
    known.add(firing)
    assert known.flapping == {}  # a row that does not flap is not asked about
