"""Maintenance windows without a database: which alerts they hold, the checks on a new window, silences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from noc_console.domain.alerts import AlertSnapshot, AlertState
from noc_console.domain.apply_plan import SourceAlerts, plan_snapshot
from noc_console.domain.correlation import (
    CorrelationRule,
    OpenIncidentRef,
    ServiceCatalog,
    ServiceDef,
    SourceRules,
)
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.maintenance import (
    MaintenanceWindow,
    WindowState,
    checked_window,
    held_services,
    parse_time,
    silence_comment,
    silence_matchers,
)
from tests.domain.test_apply_plan import Incidents, alert, firing

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
CATALOG = ServiceCatalog(
    (ServiceDef("payments", True, {"team": "pay", "tier": "1"}), ServiceDef("checkout", False))
)


def window(
    service: str = "payments", start: datetime = T0, end: datetime = T0 + H, **kw: object
) -> MaintenanceWindow:
    values: dict[str, object] = {
        "id": 1, "service": service, "starts_at": start, "ends_at": end, "reason": "upgrade",
        "created_by": "alice", "created_at": T0 - H,
    }  # fmt: skip
    values.update(kw)
    return MaintenanceWindow(**values)  # type: ignore[arg-type]


def plan_with(alerts: list, known: SourceAlerts, held: frozenset[str], incidents: Incidents | None = None):  # type: ignore[no-untyped-def,type-arg]
    return plan_snapshot(
        AlertSnapshot.of("am", T0, alerts),
        known,
        incidents or Incidents(),
        now=T0,
        rule=CorrelationRule(),
        catalog=ServiceCatalog(),
        rules=SourceRules(),
        in_maintenance=held,
    )


def test_a_window_is_upcoming_then_active_then_over_and_ending_it_early_moves_its_end() -> None:
    w = window()
    assert w.state(T0 - timedelta(seconds=1)) is WindowState.UPCOMING
    assert w.state(T0) is WindowState.ACTIVE and w.active_at(T0)
    assert w.state(T0 + H) is WindowState.OVER and not w.active_at(T0 + H)
    ended = window(ended_at=T0 + H / 4)
    assert ended.effective_end == T0 + H / 4 and ended.state(T0 + H / 2) is WindowState.OVER
    called_off = window(ended_at=T0 - H)  # ended before it began: holds nothing, ever
    assert not called_off.active_at(T0) and called_off.state(T0 - H / 2) is WindowState.OVER
    assert held_services([w, window("dns", T0 + H, T0 + 2 * H)], T0) == {"payments"}


def test_new_alerts_of_a_held_service_open_and_join_nothing_and_are_held() -> None:
    incidents = Incidents(OpenIncidentRef(3, "service:payments", T0 - 60 * timedelta(seconds=1)))
    held_alert = alert("pay-1")
    result = plan_with(
        [held_alert, alert("dns-1", service="dns")], SourceAlerts(), frozenset({"payments"}), incidents
    )
    assert result.held == [held_alert]
    assert [r.alert.fingerprint for r in result.raised] == ["dns-1"] and len(result.new_incidents) == 1
    assert not result.joined  # not even the open payments incident


def test_a_silenced_alert_of_a_held_service_is_held_too_and_an_ended_one_is_not() -> None:
    silenced = alert("pay-1", silenced=True)
    ended = alert("pay-2", state=AlertState.RESOLVED)
    result = plan_with([silenced, ended], SourceAlerts(), frozenset({"payments"}))
    assert result.held == [silenced] and not result.raised


def test_alerts_already_in_an_incident_before_the_window_stay_and_still_refresh() -> None:
    before = alert("pay-1")
    known = firing(before, incident_id=7)
    changed = alert("pay-1", summary="pay-1 down harder")
    result = plan_with([changed], known, frozenset({"payments"}))
    assert result.held == [] and [w.alert.summary for w in result.refreshed] == ["pay-1 down harder"]
    assert known.firing["pay-1"].incident_id == 7 and known.firing["pay-1"].state is AlertState.FIRING


def test_a_held_alert_opens_its_incident_once_the_window_is_over() -> None:
    known = SourceAlerts()
    a = alert("pay-1")
    assert plan_with([a], known, frozenset({"payments"})).held == [a]
    assert not known.firing  # nothing remembered: the next plan sees it new again
    after = plan_with([a], known, frozenset())
    assert after.held == [] and [n.service for n in after.new_incidents] == ["payments"]


def test_the_service_is_judged_as_the_catalog_maps_the_alert() -> None:
    a = alert("x", service="pay-svc", labels={"alertname": "x", "team": "pay", "tier": "1"})
    result = plan_snapshot(
        AlertSnapshot.of("am", T0, [a]), SourceAlerts(), Incidents(), now=T0, rule=CorrelationRule(),
        catalog=CATALOG, rules=SourceRules(), in_maintenance=frozenset({"payments"}),
    )  # fmt: skip
    assert result.held == [a]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-28T10:00:00", "no UTC offset"),
        ("tomorrow", "not an ISO 8601 time"),
        ("", "not an ISO 8601 time"),
    ],
)
def test_times_must_be_iso_with_an_offset(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time("from", text)
    assert caught.value.field == "from" and problem in caught.value.problem


def test_times_with_an_offset_or_z_are_utc() -> None:
    assert parse_time("to", "2026-11-28T10:00:00+01:00") == datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert parse_time("to", "2026-11-28T10:00Z") == datetime(2026, 11, 28, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("service", "start", "end", "reason", "by", "field", "problem"),
    [
        ("paymnets", T0, T0 + H, "x", "alice", "service", "not a configured service"),
        (" ", T0, T0 + H, "x", "alice", "service", "must not be empty"),
        ("payments", T0, T0, "x", "alice", "to", "after the start"),
        ("payments", T0 - 2 * H, T0 - H, "x", "alice", "to", "already past"),
        ("payments", T0, T0 + H, "", "alice", "reason", "must not be empty"),
        ("payments", T0, T0 + H, "a\x00b", "alice", "reason", "NUL"),
        ("payments", T0, T0 + H, "x" * 2001, "alice", "reason", "at most"),
        ("payments", T0, T0 + H, "x", "", "by", "must not be empty"),
    ],
)
def test_a_new_window_is_checked_field_by_field(
    service: str, start: datetime, end: datetime, reason: str, by: str, field: str, problem: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        checked_window(service, start, end, reason, by, now=T0, known_services=["payments", "checkout"])
    assert caught.value.field == field and problem in caught.value.problem


def test_a_good_window_is_trimmed_and_any_name_passes_when_no_service_is_known() -> None:
    new = checked_window(
        " payments ", T0, T0 + H, " upgrade ", " alice ", now=T0, known_services=["payments"]
    )
    assert (new.service, new.reason, new.created_by) == ("payments", "upgrade", "alice")
    assert checked_window("anything", T0, T0 + H, "r", "a", now=T0, known_services=[]).service == "anything"


def test_silence_matchers_are_the_catalog_match_labels_else_the_source_service_label() -> None:
    assert silence_matchers("payments", CATALOG, "service") == {"team": "pay", "tier": "1"}
    assert silence_matchers("checkout", CATALOG, "app") == {"app": "checkout"}  # no match labels
    assert silence_matchers("dns", CATALOG, "service") == {"service": "dns"}
    assert silence_comment(window(id=42, reason="core switch")).endswith("window 42: core switch")
