import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from noc_console.domain.board import board_key
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.ui.incident_model import (
    Column,
    IncidentFilterProxy,
    IncidentRole,
    IncidentTableModel,
    SortRole,
    format_age,
)
from noc_console.ui.theme import ALARM_RED

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def incident(id: int, severity: Severity, minutes: int = 0, **kw) -> Incident:
    at = T0 + timedelta(minutes=minutes)
    fields = dict(
        id=id,
        title=f"Packet loss on edge {id}",
        severity=severity,
        status=IncidentStatus.OPEN,
        service="checkout" if id % 2 else "dns",
        detected_by=DetectionSource.MONITORING,
        source="prod-am",
        opened_at=at,
        detected_at=at,
        alert_count=3,
        firing_count=2,
    )
    fields.update(kw)
    return Incident(**fields)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 + timedelta(seconds=28))


@pytest.fixture
def model(qtbot, clock) -> IncidentTableModel:
    model = IncidentTableModel(SlaPolicy(ack=timedelta(minutes=5)), clock)
    model.apply(
        [
            incident(1, Severity.MINOR),
            incident(2, Severity.CRITICAL),
            incident(3, Severity.MAJOR, status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana"),
            incident(4, Severity.CRITICAL, minutes=-10),
        ]
    )
    return model


def text(model, row: int, column: Column) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_rows_are_loudest_first(model) -> None:
    assert [model.data(model.index(r, 0), IncidentRole).id for r in range(model.rowCount())] == [4, 2, 3, 1]
    assert text(model, 0, Column.SEVERITY) == "CRITICAL"
    assert text(model, 0, Column.ID) == "#4"
    assert text(model, 2, Column.STATUS) == "ACKED"
    assert text(model, 3, Column.ALERTS) == "2/3"


def test_qtmodeltester_with_data(qtmodeltester, model) -> None:
    qtmodeltester.check(model)


def test_qtmodeltester_on_proxy_and_live_updates(qtmodeltester, model) -> None:
    proxy = IncidentFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.SEVERITY, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    # Changes after the check keep being verified by the tester's signal hooks.
    model.apply(
        [replace(model.incident_at(0), status=IncidentStatus.ACKNOWLEDGED), incident(9, Severity.INFO)]
    )
    model.apply([replace(model.incident_at(1), status=IncidentStatus.RESOLVED)], removed_ids=[1])
    assert model.rowCount() == 3
    proxy.set_filter_text("DNS")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(IncidentRole).service == "dns"
    proxy.set_filter_text("")
    assert proxy.rowCount() == 3


def test_countdown_and_age_follow_the_injected_clock(model, clock) -> None:
    # incident 2: detected at T0, ack due at T0+5 min; now is T0+28 s
    assert text(model, 1, Column.ACK_DUE) == "4:32"
    assert text(model, 1, Column.AGE) == "28s"
    assert text(model, 0, Column.ACK_DUE) == "+5:28"  # detected 10 min 28 s ago
    overdue = model.index(0, Column.ACK_DUE)
    assert model.data(overdue, Qt.ItemDataRole.ForegroundRole).color() == ALARM_RED
    assert model.data(overdue, Qt.ItemDataRole.FontRole).bold()
    assert text(model, 2, Column.ACK_DUE) == "acked by ana"
    clock.now = T0 + timedelta(minutes=6, seconds=5)
    model.tick(clock.now)
    assert text(model, 1, Column.ACK_DUE) == "+1:05"
    assert text(model, 1, Column.AGE) == "6m 05s"


def test_tick_changes_only_the_time_columns(qtbot, model, clock) -> None:
    seen = []
    model.dataChanged.connect(
        lambda tl, br, roles: seen.append((tl.row(), tl.column(), br.row(), br.column(), roles))
    )
    model.tick(clock.now + timedelta(seconds=1))
    assert len(seen) == 1
    top, left, bottom, right, roles = seen[0]
    assert (top, bottom) == (0, model.rowCount() - 1)
    assert (left, right) == (Column.AGE, Column.ACK_DUE)
    assert Qt.ItemDataRole.DisplayRole in roles
    assert Qt.ItemDataRole.ForegroundRole in roles
    assert Qt.ItemDataRole.BackgroundRole in roles


def test_change_in_place_emits_one_row_and_no_reset(qtbot, model) -> None:
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.apply([replace(model.incident_at(1), title="new title")])
    assert blocker.args[0].row() == blocker.args[1].row() == 1
    assert resets == []


def test_sort_role_values(model) -> None:
    critical = model.index(0, Column.SEVERITY)
    assert model.data(critical, SortRole) == 0
    assert isinstance(model.data(model.index(0, Column.AGE), SortRole), float)
    assert model.data(model.index(0, Column.ID), SortRole) == 4


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(5, "5s"), (65, "1m 05s"), (3 * 3600 + 120, "3h 02m"), (2 * 86400 + 3600, "2d 01h"), (-3, "0s")],
)
def test_format_age(seconds: int, expected: str) -> None:
    assert format_age(timedelta(seconds=seconds)) == expected


def many(count: int) -> list[Incident]:
    severities = list(Severity)
    return [incident(i, severities[i % 5], minutes=-(i % 90)) for i in range(1, count + 1)]


def test_a_snapshot_is_one_insert_on_the_model_and_on_the_proxy(qtbot, clock) -> None:
    model = IncidentTableModel(SlaPolicy(), clock)
    proxy = IncidentFilterProxy()
    proxy.setSourceModel(model)
    proxy.rowCount()  # the proxy maps the (empty) model before the snapshot, as a window's does
    inserts: list[tuple[int, int]] = []
    proxy_inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    proxy.rowsInserted.connect(lambda _parent, first, last: proxy_inserts.append((first, last)))
    model.replace_all(many(5000))
    assert inserts == [(0, 4999)]
    assert proxy_inserts == [(0, 4999)]
    assert model.row_of(model.incident_at(4321).id) == 4321


def test_tick_with_rows_changes_only_those_rows(qtbot, model, clock) -> None:
    seen = []
    model.dataChanged.connect(
        lambda tl, br, roles: seen.append((tl.row(), br.row(), tl.column(), br.column()))
    )
    model.tick(clock.now, (1, 2))
    model.tick(clock.now, (0, -1))  # nothing on screen: nothing to redraw
    model.tick(clock.now, (2, 99))  # clamped to the rows there are
    assert seen == [(1, 2, Column.AGE, Column.ACK_DUE), (2, 3, Column.AGE, Column.ACK_DUE)]


class CountingProxy(IncidentFilterProxy):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        self.calls += 1
        return super().filterAcceptsRow(source_row, source_parent)


def test_neither_tick_nor_change_in_place_refilters_and_a_new_filter_is_one_layout_change(
    qtbot, clock
) -> None:
    model = IncidentTableModel(SlaPolicy(), clock)
    proxy = CountingProxy()
    proxy.setSourceModel(model)
    model.replace_all(many(2000))
    assert not proxy.dynamicSortFilter()
    proxy.set_filter_text("dns")
    assert proxy.rowCount() == 1000
    proxy.calls = 0
    model.tick(clock.now + timedelta(seconds=1))
    model.apply([replace(model.incident_at(0), firing_count=9)])
    assert proxy.calls == 0
    removed, layouts = [], []
    proxy.rowsRemoved.connect(lambda *_: removed.append(1))
    proxy.layoutChanged.connect(lambda *_: layouts.append(1))
    proxy.set_filter_text("edge 1")  # scattered rows: one layout change, not one signal per run
    assert removed == [] and layouts == [1]
    assert {proxy.index(r, 0).data(IncidentRole).title[:19] for r in range(proxy.rowCount())} == {
        "Packet loss on edge"
    }
    assert all("edge 1" in proxy.index(r, 0).data(IncidentRole).title for r in range(proxy.rowCount()))


def test_sorting_through_the_proxy_orders_the_board_and_keeps_following_changes(
    qtbot, qtmodeltester, model, clock
) -> None:
    proxy = IncidentFilterProxy()
    proxy.setSourceModel(model)
    current = QPersistentModelIndex(proxy.index(3, 2))  # what a view's cursor holds
    held = current.data(IncidentRole).id
    proxy.sort(Column.ID, Qt.SortOrder.DescendingOrder)
    assert [model.incident_at(r).id for r in range(model.rowCount())] == [4, 3, 2, 1]
    assert current.data(IncidentRole).id == held
    qtmodeltester.check(proxy)
    model.apply([incident(7, Severity.INFO), incident(5, Severity.CRITICAL)])
    assert [model.incident_at(r).id for r in range(model.rowCount())] == [7, 5, 4, 3, 2, 1]
    proxy.sort(Column.AGE, Qt.SortOrder.AscendingOrder)  # youngest first, as before
    assert model.incident_at(model.rowCount() - 1).id == 4  # detected ten minutes before the rest
    proxy.sort(Column.SEVERITY, Qt.SortOrder.AscendingOrder)  # the board's own loudest-first order
    assert [model.incident_at(r).id for r in range(model.rowCount())] == [4, 2, 5, 3, 1, 7]


def column_value(column: Column, i: Incident) -> object:
    """What each column orders by, written out here independently of the model."""
    return {
        Column.SEVERITY: 0,  # the loudest-first order alone
        Column.ID: i.id,
        Column.TITLE: i.title.casefold(),
        Column.SERVICE: (i.service or "").casefold(),
        Column.STATUS: (
            "orphaned"
            if i.orphaned
            else "flapping"
            if i.flapping
            else "acked"
            if i.status is IncidentStatus.ACKNOWLEDGED
            else "open"
        ),
        Column.DETECTED_BY: i.detected_by.value,
        Column.AGE: -i.detected_at.timestamp(),  # the youngest first
        Column.ACK_DUE: (i.detected_at + timedelta(minutes=5)).timestamp()
        if i.status is IncidentStatus.OPEN
        else float("inf"),  # acknowledged ones last
        Column.ALERTS: i.firing_count,
    }[column]


def varied(rng: random.Random, incident_id: int) -> Incident:
    """Many ties on every column: a few titles, services, ages and counts."""
    return incident(
        incident_id,
        rng.choice(list(Severity)),
        minutes=rng.choice([-30, -10, -10, 0]),
        title=rng.choice(["Disk full", "disk FULL", "BGP down", "Latency"]),
        service=rng.choice(["dns", "DNS", "checkout", None]),
        status=rng.choice([IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED]),
        detected_by=rng.choice(list(DetectionSource)),
        firing_count=rng.choice([0, 1, 2]),
        orphaned=rng.random() < 0.1,
        flapping_since=T0 if rng.random() < 0.2 else None,
    )


def sort_and_change(model: IncidentTableModel, rng: random.Random, orders: list, next_id: int) -> None:
    """Each order in turn, then two change sets under it: the rows equal a fresh sort every time."""
    for column, order in orders:
        model.sort(column, order)
        for _ in range(2):
            expected = sorted(model.incidents, key=lambda i: (column_value(column, i), board_key(i)))
            if order == Qt.SortOrder.DescendingOrder:
                expected.reverse()
            assert list(model.incidents) == expected, (column.name, order)
            assert all(model.row_of(i.id) == row for row, i in enumerate(model.incidents))
            shown = list(model.incidents)
            changes = [replace(i, severity=rng.choice(list(Severity)), title=rng.choice(["BGP down", "x"]))
                       for i in rng.sample(shown, 5)]  # fmt: skip
            changes += [varied(rng, next_id + n) for n in range(5)]
            changes += [replace(i, status=IncidentStatus.RESOLVED) for i in rng.sample(shown, 3)]
            next_id += 5
            model.apply(changes, removed_ids=[rng.choice(shown).id])


def test_every_column_orders_as_a_fresh_sort_ties_loudest_first_through_change_sets(
    qtbot, qtmodeltester, clock
) -> None:
    rng = random.Random(8)
    model = IncidentTableModel(SlaPolicy(ack=timedelta(minutes=5)), clock)
    model.replace_all([varied(rng, i) for i in range(1, 300)])
    orders = [(c, Qt.SortOrder.AscendingOrder) for c in Column] + [
        (c, Qt.SortOrder.DescendingOrder) for c in (Column.TITLE, Column.AGE, Column.SEVERITY)
    ]
    rng.shuffle(orders)
    sort_and_change(model, rng, orders, 1000)
    qtmodeltester.check(model)


def test_qtmodeltester_follows_sorts_by_column_and_changes_under_them(qtbot, qtmodeltester, clock) -> None:
    rng = random.Random(9)
    model = IncidentTableModel(SlaPolicy(ack=timedelta(minutes=5)), clock)
    model.replace_all([varied(rng, i) for i in range(1, 30)])
    qtmodeltester.check(model)  # its signal checks follow every sort and change below
    up, down = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    orders = [(Column.TITLE, up), (Column.TITLE, down), (Column.SERVICE, up), (Column.SEVERITY, down)]
    sort_and_change(model, rng, orders, 1000)


def test_the_ack_clock_is_amber_in_its_last_third_and_blinks_red_once_breached(model, clock) -> None:
    from noc_console.ui.theme import WARN_AMBER

    def colour(row: int) -> str:
        return model.data(model.index(row, Column.ACK_DUE), Qt.ItemDataRole.ForegroundRole).color().name()

    # incident 2 was detected at T0 with 5 minutes to acknowledge: amber from 3:20 on (1:40 left)
    model.tick(T0 + timedelta(minutes=3, seconds=19))
    assert colour(1) != WARN_AMBER.name()
    model.tick(T0 + timedelta(minutes=3, seconds=20))
    assert colour(1) == WARN_AMBER.name()
    seen = set()
    for second in range(4):  # breached: the colour alternates with the second
        model.tick(T0 + timedelta(minutes=6, seconds=second))
        seen.add(colour(1))
    assert ALARM_RED.name() in seen and len(seen) == 2


def test_a_flapping_incident_says_so_in_its_status_in_amber_and_after_its_title(qtbot, clock) -> None:
    from noc_console.ui.theme import WARN_AMBER

    model = IncidentTableModel(SlaPolicy(ack=timedelta(minutes=5)), clock)
    model.apply(
        [
            incident(1, Severity.MAJOR, flapping_since=T0, clearing_at=None),
            incident(2, Severity.MAJOR, status=IncidentStatus.ACKNOWLEDGED, flapping_since=T0),
            incident(3, Severity.MAJOR),
        ]
    )
    statuses = {model.incident_at(r).id: text(model, r, Column.STATUS) for r in range(3)}
    assert statuses == {1: "FLAPPING", 2: "FLAPPING", 3: "OPEN"}
    row = model.row_of(2)
    assert "acked" in text(model, row, Column.ACK_DUE)  # the acknowledgement still shows
    brush = model.data(model.index(row, Column.STATUS), Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == WARN_AMBER
    title = text(model, row, Column.TITLE)
    assert title.startswith("Packet loss on edge 2  —  FLAPPING since ") and "held open" in title
    assert "FLAPPING" not in text(model, model.row_of(3), Column.TITLE)
