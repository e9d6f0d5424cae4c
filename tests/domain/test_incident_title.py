"""An incident's title summarises its firing alerts."""

import pytest

from noc_console.domain.incident_title import MAX_TITLE_LENGTH, FiringGroup, host_of, incident_title


@pytest.mark.parametrize(
    ("host", "instance", "expected"),
    [
        ("db-1", "db-1.example:9100", "db-1"),
        (None, "db-1.example:9100", "db-1.example"),
        ("", "10.0.0.7:9100", "10.0.0.7"),
        (None, "[2001:db8::1]:9100", "2001:db8::1"),
        (None, "2001:db8::1", "2001:db8::1"),
        (None, "https://shop.example:8443/health", "shop.example"),
        (None, "db-1", "db-1"),
        ("  ", None, None),
        (None, None, None),
    ],
)
def test_host_comes_from_host_else_instance_without_its_port(
    host: str | None, instance: str | None, expected: str | None
) -> None:
    assert host_of(host, instance) == expected


def test_one_alert_is_titled_by_its_own_summary() -> None:
    assert (
        incident_title([FiringGroup("HighLatency", "db-1", 1, "p99 over 2 s on db-1")])
        == "p99 over 2 s on db-1"
    )
    assert incident_title([FiringGroup("HighLatency", None, 1, "")]) == "HighLatency"
    assert incident_title([FiringGroup("", None, 1, " ")]) == "Untitled alert"


def test_one_name_on_several_hosts_counts_hosts_and_alerts() -> None:
    groups = [FiringGroup("HighLatency", f"web-{i}", 1) for i in range(3)] + [
        FiringGroup("HighLatency", "web-0", 2)
    ]
    assert incident_title(groups) == "HighLatency on 3 hosts (5 alerts)"


def test_several_names_on_one_host_list_the_names_most_frequent_first() -> None:
    groups = [FiringGroup("DiskFull", "db-1", 1), FiringGroup("HighLatency", "db-1", 2)]
    assert incident_title(groups) == "HighLatency, DiskFull on db-1 (3 alerts)"
    assert incident_title(list(reversed(groups))) == incident_title(groups)  # order read does not matter


def test_alerts_without_hosts_and_many_names() -> None:
    groups = [FiringGroup(name, None, 1) for name in "EDCBA"]
    assert incident_title(groups) == "A, B, C and 2 more (5 alerts)"


def test_nothing_firing_keeps_the_title() -> None:
    assert incident_title([]) is None
    assert incident_title([FiringGroup("A", None, 0)]) is None


def test_a_title_fits_the_store_and_keeps_its_count() -> None:
    title = incident_title([FiringGroup("N" * 400, None, 1), FiringGroup("M" * 400, None, 1)])
    assert title is not None and len(title) == MAX_TITLE_LENGTH and title.endswith("… (2 alerts)")
    single = incident_title([FiringGroup("A", None, 1, "s" * 2000)])
    assert single is not None and len(single) == MAX_TITLE_LENGTH
