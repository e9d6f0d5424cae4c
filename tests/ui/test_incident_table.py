"""The incident table shows the model itself while no filter is active, and the filter proxy only while
one is: what the operator sees (columns, sort, place, cursor) stays as it was across the switch."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, Qt

from noc_console.domain.filters import IncidentFilter
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.ui.incident_model import Column, IncidentRole, IncidentTableModel
from noc_console.ui.incident_table import IncidentTable
from tests.ui.conftest import T0, Clock, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

DNS = IncidentFilter(services=frozenset({"dns"}))  # the even ids (make_incident: odd ones are checkout)


@pytest.fixture
def table(qtbot) -> IncidentTable:
    model = IncidentTableModel(SlaPolicy(), Clock(T0 + timedelta(minutes=1)))
    severities = list(Severity)
    model.replace_all([make_incident(i, severities[i % 5], minutes=-i) for i in range(1, 401)])
    table = IncidentTable(model)
    qtbot.addWidget(table)
    table.resize(1600, 800)
    table.show()
    return table


def shown_ids(table: IncidentTable) -> list[int]:
    shown = table.model()
    return [shown.index(r, 0).data(IncidentRole).id for r in range(shown.rowCount())]


def model_of(table: IncidentTable) -> IncidentTableModel:
    model = table.proxy.sourceModel() or table.model()
    assert isinstance(model, IncidentTableModel)
    return model


def test_unfiltered_the_table_shows_the_model_and_the_proxy_follows_nothing(table) -> None:
    model = table.model()
    assert isinstance(model, IncidentTableModel)
    assert table.proxy.sourceModel() is None
    proxy_events: list[str] = []
    table.proxy.rowsInserted.connect(lambda *_: proxy_events.append("inserted"))
    table.proxy.rowsRemoved.connect(lambda *_: proxy_events.append("removed"))
    table.proxy.layoutChanged.connect(lambda *_: proxy_events.append("layout"))
    moved = [replace(model.incident_at(r), severity=Severity.CRITICAL) for r in (50, 150, 250)]
    model.apply([*moved, make_incident(999, Severity.INFO)], removed_ids=[model.incident_at(10).id])
    table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    assert proxy_events == []

    table.set_incident_filter(DNS)
    assert table.model() is table.proxy and table.proxy.sourceModel() is model
    assert {i % 2 for i in shown_ids(table)} == {0}
    model.apply([make_incident(1000, Severity.CRITICAL, service="dns")])  # a filtered table follows changes
    assert 1000 in shown_ids(table)
    table.set_incident_filter(IncidentFilter())
    assert table.model() is model and table.proxy.sourceModel() is None
    assert shown_ids(table) == [i.id for i in model.incidents]


def test_the_switch_keeps_column_widths_order_and_the_sort(table, qtbot) -> None:
    header = table.horizontalHeader()
    header.resizeSection(Column.SERVICE, 211)
    header.moveSection(header.visualIndex(Column.ALERTS), 1)  # dragged next to Severity
    table.sortByColumn(Column.AGE, Qt.SortOrder.DescendingOrder)
    model = model_of(table)
    before = [i.id for i in model.incidents]
    layout = ([header.sectionSize(c) for c in Column], [header.visualIndex(c) for c in Column])
    for incident_filter in (DNS, IncidentFilter(text="edge 1"), IncidentFilter(), DNS, IncidentFilter()):
        table.set_incident_filter(incident_filter)
        assert ([header.sectionSize(c) for c in Column], [header.visualIndex(c) for c in Column]) == layout
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
            Column.AGE,
            Qt.SortOrder.DescendingOrder,
        )
        assert header.sectionResizeMode(Column.TITLE) is header.ResizeMode.Stretch
    assert [i.id for i in model.incidents] == before  # nothing was sorted again
    assert shown_ids(table) == before


def test_the_incident_at_the_top_stays_at_the_top(table, qtbot) -> None:
    table.verticalScrollBar().setValue(120)
    top = table.incident_at(table.model().index(table.rowAt(0), 0))
    assert top is not None and top.service == "dns"  # it passes the filter below
    table.set_incident_filter(DNS)
    assert table.incident_at(table.model().index(table.rowAt(0), 0)) == top
    table.set_incident_filter(IncidentFilter())
    assert table.incident_at(table.model().index(table.rowAt(0), 0)) == top


def test_rows_on_screen_and_indexes_are_the_models_in_both_ways(table) -> None:
    model = model_of(table)
    for incident_filter in (IncidentFilter(), DNS):
        table.set_incident_filter(incident_filter)
        table.verticalScrollBar().setValue(30)
        first, last = table.rows_on_screen()
        top, bottom = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
        on_screen = [table.incident_at(table.model().index(r, 0)) for r in (top, bottom)]
        assert [model.incident_at(first), model.incident_at(last)] == on_screen
        for incident in model.incidents[::37]:
            index = table.index_of(incident.id, Column.TITLE)
            shown = incident_filter.matches(incident)
            assert index.isValid() == shown and (not shown or table.incident_at(index) == incident)
            assert index.column() == (Column.TITLE if shown else -1)
        assert not table.index_of(123_456).isValid()


def test_the_cursor_reports_the_incident_under_it_before_and_after_a_switch(table, qtbot) -> None:
    seen: list[int | None] = []

    def moved() -> None:
        incident = table.incident_at(table.currentIndex())
        seen.append(incident.id if incident is not None else None)

    table.cursorMoved.connect(moved)
    model = model_of(table)
    table.setFocus()
    table.selectionModel().setCurrentIndex(table.index_of(model.incident_at(3).id), _NO_UPDATE)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert seen == [model.incident_at(3).id, model.incident_at(4).id]
    table.set_incident_filter(DNS)
    seen.clear()
    table.selectionModel().setCurrentIndex(table.model().index(0, 0), _NO_UPDATE)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert seen == shown_ids(table)[:2]


_NO_UPDATE = QItemSelectionModel.SelectionFlag.NoUpdate


def test_switching_does_not_pile_up_selection_models(table) -> None:
    """Each would follow every change of the model for as long as the window lives."""
    for _ in range(20):
        table.set_incident_filter(DNS)
        table.set_incident_filter(IncidentFilter())
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert table.findChildren(QItemSelectionModel) == [table.selectionModel()]


def test_qtmodeltester_on_what_the_table_shows_through_switches_and_changes(table, qtmodeltester) -> None:
    model = model_of(table)
    qtmodeltester.check(model)
    table.set_incident_filter(DNS)
    qtmodeltester.check(table.proxy)  # its signal checks follow the changes and switches below
    acked = replace(model.incident_at(0), status=IncidentStatus.ACKNOWLEDGED)
    model.apply([acked, make_incident(2000, Severity.CRITICAL, service="dns")], removed_ids=[4, 6])
    table.sortByColumn(Column.SERVICE, Qt.SortOrder.AscendingOrder)
    table.set_incident_filter(IncidentFilter())
    model.apply([make_incident(2002, Severity.MINOR, service="dns")], removed_ids=[8])
    table.set_incident_filter(DNS)
    assert 2002 in shown_ids(table) and 8 not in shown_ids(table)
