from datetime import UTC, datetime, timedelta

from noc_console.domain import (
    DEFAULT_SEVERITY,
    Alert,
    AlertSnapshot,
    AlertState,
    CorrelationRule,
    OpenIncidentRef,
    ServiceCatalog,
    ServiceDef,
    Severity,
    severity_from_label,
)
from noc_console.domain.correlation import MAX_KEY_LENGTH

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def alert(fingerprint: str = "f1", service: str | None = "payments", **labels: str) -> Alert:
    return Alert(
        source="am",
        fingerprint=fingerprint,
        labels={"alertname": "HighErrorRate", **labels},
        summary="Errors",
        description="",
        severity=Severity.MAJOR,
        starts_at=T0,
        service=service,
    )


def test_severity_labels_map_case_insensitively_and_unknown_is_warning() -> None:
    assert severity_from_label("CRITICAL") is Severity.CRITICAL
    assert severity_from_label("page") is Severity.CRITICAL
    assert severity_from_label("error") is Severity.MAJOR
    assert severity_from_label("sev-banana") is DEFAULT_SEVERITY is Severity.WARNING
    assert severity_from_label(None) is Severity.WARNING
    assert [s.rank for s in Severity] == [0, 1, 2, 3, 4]
    assert Severity.loudest([Severity.INFO, Severity.MAJOR, Severity.MINOR]) is Severity.MAJOR


def test_same_fingerprint_is_one_alert_in_a_snapshot() -> None:
    snapshot = AlertSnapshot.of("am", T0, [alert("a"), alert("b"), alert("a")])
    assert [a.fingerprint for a in snapshot.alerts] == ["a", "b"]


def test_alert_has_ended_only_by_the_sources_own_word_and_clock() -> None:
    assert not alert().has_ended()
    assert Alert(**{**_fields(alert()), "state": AlertState.RESOLVED}).has_ended()
    # An end time is judged against the source's clock (its updatedAt), never against ours: a poller
    # whose clock runs an hour ahead still sees an alert the source calls active as active.
    ends_later = Alert(**{**_fields(alert()), "ends_at": T0 + timedelta(minutes=4), "source_time": T0})
    assert not ends_later.has_ended()
    ended = Alert(**{**_fields(alert()), "ends_at": T0 - timedelta(seconds=1), "source_time": T0})
    assert ended.has_ended()
    no_source_clock = Alert(**{**_fields(alert()), "ends_at": T0 - timedelta(hours=1)})
    assert not no_source_clock.has_ended()


def _fields(a: Alert) -> dict[str, object]:
    return {name: getattr(a, name) for name in a.__slots__}  # type: ignore[attr-defined]


def test_alerts_of_one_service_within_the_window_join_the_latest_incident() -> None:
    rule = CorrelationRule(window=timedelta(minutes=10))
    key = rule.key(alert(), "payments")
    refs = [
        OpenIncidentRef(1, key, T0 - timedelta(minutes=30)),
        OpenIncidentRef(2, key, T0 - timedelta(minutes=3)),
        OpenIncidentRef(3, "service:checkout", T0),
    ]
    assert rule.pick(key, T0, refs) == 2
    assert rule.pick(key, T0 + timedelta(minutes=14), refs) is None
    assert rule.pick(key, T0 - timedelta(hours=1), refs) == 2  # started earlier: still the same trouble


def test_alert_without_service_groups_by_its_name() -> None:
    rule = CorrelationRule()
    assert rule.key(alert(service=None), None) == "alert:am:HighErrorRate"


def test_catalog_match_wins_over_the_source_label() -> None:
    catalog = ServiceCatalog((ServiceDef("card-payments", True, {"team": "cards"}),))
    assert catalog.service_for(alert(team="cards")) == "card-payments"
    assert catalog.service_for(alert(team="web")) == "payments"


def test_default_grouping_keeps_the_service_key_incidents_already_have() -> None:
    assert CorrelationRule().key(alert(), "payments") == "service:payments"


def test_group_by_labels_makes_one_key_per_combination_of_values() -> None:
    rule = CorrelationRule(group_by=("service", "region"))
    eu = rule.key(alert(region="eu"), "payments")
    assert eu == "by|service:payments|region:eu"
    assert rule.key(alert(region="us"), "payments") != eu
    assert rule.key(alert(region="eu"), "checkout") != eu
    assert rule.key(alert(region="eu", team="x"), "payments") == eu  # other labels do not matter


def test_group_by_values_that_look_like_separators_never_share_a_key() -> None:
    rule = CorrelationRule(group_by=("a", "b"))
    assert rule.key(alert(a="x|b:y", b="z"), None) != rule.key(alert(a="x", b="y|b:z"), None)
    assert rule.key(alert(a="x\\", b="|z"), None) != rule.key(alert(a="x\\|", b="z"), None)


def test_an_alert_missing_a_grouping_label_groups_by_its_alert_name() -> None:
    rule = CorrelationRule(group_by=("service", "region"))
    assert rule.key(alert(), "payments") == "alert:am:HighErrorRate"
    assert rule.key(alert(region=""), "payments") == "alert:am:HighErrorRate"
    assert rule.key(alert(region="eu"), None) == "alert:am:HighErrorRate"
    assert CorrelationRule(group_by=("host",)).key(alert(host="alert:am:x"), None) != "alert:am:x"


def test_a_long_grouping_key_stays_within_the_store_and_distinct() -> None:
    rule = CorrelationRule(group_by=("service", "cluster"))
    first = rule.key(alert(cluster="c" * 600 + "1"), "payments")
    second = rule.key(alert(cluster="c" * 600 + "2"), "payments")
    assert len(first) == len(second) == MAX_KEY_LENGTH and first != second
