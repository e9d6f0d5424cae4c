"""The operator console's parts on their own: action forms, filters kept across restarts, the details
pane, the worker that writes actions, the needs-review list and the tray."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from noc_console.domain.actions import ActionKind
from noc_console.domain.figures import BoardFigures
from noc_console.domain.filters import IncidentFilter
from noc_console.domain.incidents import DetectionSource, IncidentStatus, TimelineEntry
from noc_console.domain.notify import NewIncidents
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.ui import formats
from noc_console.ui.action_dialogs import (
    AssessmentDialog,
    AssignDialog,
    NoteDialog,
    ResolveDialog,
    UpdateDialog,
)
from noc_console.ui.details_pane import DetailsPane
from noc_console.ui.filter_bar import MENU_LIMIT, FilterBar
from noc_console.ui.review_list import ReviewList
from noc_console.ui.tray import ConsoleTray, count_icon, tray_summary
from tests.ui.conftest import T0, make_incident

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


# --- forms ---------------------------------------------------------------------------------------------


def test_each_form_builds_its_action(qtbot) -> None:
    incident = make_incident(7, Severity.CRITICAL)
    assign = AssignDialog(incident, "ana")
    qtbot.addWidget(assign)
    assign.to.setText("bob")
    assert assign.action().kind is ActionKind.ASSIGN and assign.action().to == "bob"
    assert assign.action().seen is incident  # what the form showed: the store checks it still holds
    note = NoteDialog(incident, "ana")
    qtbot.addWidget(note)
    note.text.setPlainText("rolled back")
    assert (note.action().kind, note.action().text, note.action().by) == (
        ActionKind.NOTE,
        "rolled back",
        "ana",
    )
    assess = AssessmentDialog(incident, "ana")
    qtbot.addWidget(assess)
    assess.users.setValue(1200)
    assess.impact.setCurrentIndex(assess.impact.findData("down"))
    action = assess.action()
    assert (action.users, action.impact, action.services) == (1200, "down", incident.service)
    assert action.seen is incident
    update = UpdateDialog(incident, "ana")
    qtbot.addWidget(update)
    update.channel.setCurrentIndex(update.channel.findData("sms"))
    update.text.setPlainText("We are on it")
    assert (update.action().channel, update.action().text) == ("sms", "We are on it")
    resolve = ResolveDialog(incident, "ana")
    qtbot.addWidget(resolve)
    resolve.false_positive.setChecked(True)
    assert resolve.action().false_positive and resolve.action().text is None


def test_a_bad_form_stays_open_naming_the_field_and_keeps_what_was_typed(qtbot) -> None:
    update = UpdateDialog(make_incident(7), "ana")
    qtbot.addWidget(update)
    update.show()
    update.text.setPlainText("   ")
    update.accept()
    assert update.isVisible() and update.result() == 0
    assert update.error.isVisible() and update.error.text() == "Text: must not be empty"
    update.text.setPlainText("x" * 5001)
    update.accept()
    assert update.error.text().startswith("Text: at most 5,000 characters")
    assert update.text.toPlainText() == "x" * 5001  # nothing typed is lost
    update.text.setPlainText("fine")
    update.accept()
    assert update.result() == 1
    empty = AssessmentDialog(make_incident(8, service=None), "ana")
    qtbot.addWidget(empty)
    empty.services.clear()
    empty.accept()
    assert empty.error.text().startswith("Assessment: give at least")


# --- filters --------------------------------------------------------------------------------------------


def test_filters_are_kept_across_a_restart(qtbot, tmp_path: Path) -> None:
    settings_file = str(tmp_path / "console.ini")
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_choices(services=["payments", "dns"], sources=["prod-am"])
    seen: list[IncidentFilter] = []
    bar.changed.connect(seen.append)
    critical = next(a for a, v in bar.choices("Severity") if v is Severity.CRITICAL)
    critical.setChecked(True)
    payments = next(a for a, v in bar.choices("Service") if v == "payments")
    payments.setChecked(True)
    bar.text.setText("5xx")
    assert seen[-1] == IncidentFilter(
        frozenset({Severity.CRITICAL}), services=frozenset({"payments"}), text="5xx"
    )
    assert bar.menus["Severity"].text() == "Severity (1)"
    bar.save(QSettings(settings_file, QSettings.Format.IniFormat))

    again = FilterBar()  # the console restarted
    qtbot.addWidget(again)
    again.restore(QSettings(settings_file, QSettings.Format.IniFormat))
    assert again.filter == seen[-1] and again.text.text() == "5xx"
    again.set_choices(services=["dns"], sources=[])  # payments is quiet now: still offered, still ticked
    offered = {v: a.isChecked() for a, v in again.choices("Service")}
    assert offered == {"dns": False, "payments": True}
    again.clear()
    assert not again.filter.active and not again.clear_button.isEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform, on a popup
def test_a_new_service_costs_no_menu_rebuild_until_the_menu_opens(qtbot) -> None:
    """20,000 services on a big floor: remaking the Service menu at every new service cost about 5 s
    of the GUI thread, and a new incident waited that long to show. Its actions are made as it opens."""
    bar = FilterBar()
    qtbot.addWidget(bar)
    menu = bar.menus["Service"].menu()
    for k in range(3):
        bar.set_choices(services=[f"svc-{i:03d}" for i in range(MENU_LIMIT - 2 + k)], sources=["prod-am"])
    assert menu.actions() == []  # offered, not made
    menu.aboutToShow.emit()  # the operator opens it
    assert len(menu.actions()) == MENU_LIMIT and menu.actions()[-1].text() == f"svc-{MENU_LIMIT - 1:03d}"
    assert bar.more_text("Service") is None
    first = menu.actions()[0]
    bar.set_choices(services=[f"svc-{i:03d}" for i in range(MENU_LIMIT)], sources=["prod-am"])
    menu.aboutToShow.emit()
    assert menu.actions()[0] is first  # the same choices: the same actions, no flicker
    svc = next(a for a, v in bar.choices("Service") if v == "svc-007")
    svc.setChecked(True)
    bar.set_choices(services=["other"], sources=[])  # quiet now: still offered, still ticked, once made
    assert {v: a.isChecked() for a, v in bar.choices("Service")} == {"other": False, "svc-007": True}
    menu.popup(bar.mapToGlobal(bar.rect().bottomLeft()))  # open: what is offered shows at once
    qtbot.waitUntil(menu.isVisible)
    bar.set_choices(services=["other", "new"], sources=[])
    assert [a.text() for a in menu.actions()] == ["new", "other", "svc-007"]
    menu.close()


def test_a_floor_of_20000_services_offers_the_busiest_in_the_menu_and_says_how_many_more(qtbot) -> None:
    """A menu of 20,000 entries takes seconds to open and cannot be read: it offers the MENU_LIMIT
    services with the most open incidents, every chosen one, and says how many the text box finds."""
    bar = FilterBar()
    qtbot.addWidget(bar)
    counts = Counter({f"svc-{i:05d}": 1 for i in range(20_000)})
    counts["zz-busy"] = 9  # alphabetically last, but the busiest
    bar.set_choices(services=counts, sources=["prod-am"])
    more = f"{formats.number(20_001 - MENU_LIMIT)} more: type a service in the box"
    offered = [v for _, v in bar.choices("Service")]
    assert len(offered) == MENU_LIMIT and offered == sorted(offered)
    assert "zz-busy" in offered and offered[0] == "svc-00000"  # then by name among equals
    assert bar.more_text("Service") == more
    quiet = next(a for a, v in bar.choices("Service") if v == "svc-00003")
    quiet.setChecked(True)
    counts["svc-00003"] = 0  # no open incident now, still chosen: still offered, still ticked
    counts["svc-99999"] = 50
    bar.set_choices(services=counts, sources=["prod-am"])
    offered = {v: a.isChecked() for a, v in bar.choices("Service")}
    assert offered["svc-00003"] and "svc-99999" in offered and len(offered) == MENU_LIMIT + 1
    assert bar.more_text("Service") == more
    bar.set_choices(services=Counter({"dns": 2, "payments": 1}), sources=[])
    assert [v for _, v in bar.choices("Service")] == ["dns", "payments", "svc-00003"]
    assert bar.more_text("Service") is None  # the line goes when nothing is left out


def test_menu_entries_show_names_from_outside_exactly(qtbot) -> None:
    """A service is a label from the monitoring: "R&D" must not lose its "&" to a keyboard mnemonic,
    nor a tab open a shortcut column."""
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_choices(services=["R&D", "edge\tlon"], sources=["prod&am"])
    shown = {v: a.iconText() for a, v in bar.choices("Service")}  # iconText: the text as a menu draws it
    assert shown == {"R&D": "R&D", "edge\tlon": "edge lon"}
    ((source, value),) = bar.choices("Source")
    assert source.iconText() == "prod&am" and value == "prod&am"
    source.setChecked(True)
    assert bar.filter.sources == frozenset({"prod&am"})  # the value, not the text shown, is chosen


def test_a_damaged_saved_filter_is_dropped_not_fatal(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    settings.setValue("operator/filters", '{"severities": ["bogus", "major"], "text": 42, "services": "x"}')
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.restore(settings)
    assert bar.filter == IncidentFilter(frozenset({Severity.MAJOR}))


def test_a_filter_matches_every_restriction() -> None:
    i = make_incident(1, Severity.CRITICAL, service="payments", title="Payments 5xx")
    f = IncidentFilter(frozenset({Severity.CRITICAL, Severity.MAJOR}), text="5XX")
    assert f.matches(i) and not f.matches(make_incident(2, Severity.MINOR, title="Payments 5xx"))
    assert not IncidentFilter(statuses=frozenset({IncidentStatus.ACKNOWLEDGED})).matches(i)
    assert IncidentFilter(sources=frozenset({"prod-am"})).matches(i)
    assert not IncidentFilter(services=frozenset({"dns"})).matches(i)


# --- details --------------------------------------------------------------------------------------------


def test_the_details_pane_shows_clocks_owner_and_only_its_own_timeline(qtbot) -> None:
    pane = DetailsPane(SlaPolicy(), [])
    qtbot.addWidget(pane)
    incident = make_incident(5, Severity.CRITICAL, detected_by=DetectionSource.CUSTOMER, assigned_to="bob")
    pane.show_incident(incident, T0 + timedelta(minutes=4))
    assert pane.title.text() == f"#5 {incident.title}"
    assert "owner bob" in pane.meta.text() and "REPORTED BY A CUSTOMER" in pane.meta.text()
    assert pane.clocks.text().startswith("Acknowledge 1:00")  # soonest first
    assert "#ffc107" in pane.clocks.styleSheet()  # the acknowledge clock is in its last third: amber
    pane.tick(T0 + timedelta(minutes=6))
    assert "Acknowledge +1:00" in pane.clocks.text() and "#ff5252" in pane.clocks.styleSheet()
    pane.tick(T0 + timedelta(minutes=6, seconds=1))  # breached: it blinks
    assert "#ff5252" not in pane.clocks.styleSheet()
    entry = TimelineEntry(T0, "ack", "ana", "Acknowledged by ana")
    pane.set_timeline(99, [entry])  # another incident's answer arriving late: ignored
    assert pane.timeline.rowCount() == 0
    pane.set_timeline(5, [entry])
    assert pane.timeline.rowCount() == 1 and "Acknowledged by ana" in pane.timeline.index(0).data()
    pane.show_incident(make_incident(6), T0)
    assert pane.timeline.rowCount() == 0  # the old history never shows under the new title


def test_the_details_pane_shows_the_write_back_state_loudest_when_it_failed(qtbot) -> None:
    from noc_console.domain.writeback import Status, Step, WritebackState

    pane = DetailsPane(SlaPolicy(), [])
    qtbot.addWidget(pane)
    pane.show_incident(make_incident(5), T0)
    done = WritebackState("icinga-prod", "HttpsDown", Step.ACKNOWLEDGE, Status.DONE, 1, None, T0, None, None)
    retrying = WritebackState(
        "zabbix-prod", "CpuHigh", Step.ACKNOWLEDGE, Status.RETRYING, 2, T0 + timedelta(minutes=2), None,
        "HTTP 500 Internal Server Error", None,
    )  # fmt: skip
    pane.set_writebacks(99, [done])  # another incident's answer: ignored
    assert pane.writebacks.isHidden()
    pane.set_writebacks(5, [done, retrying])
    assert not pane.writebacks.isHidden()
    assert pane.writebacks.text().splitlines() == [
        "Acknowledged at the sources:",
        "icinga-prod (HttpsDown): acknowledged",
        "zabbix-prod (CpuHigh): failing (HTTP 500 Internal Server Error), next try in 2 min",
    ]
    assert "#ffc107" in pane.writebacks.styleSheet()
    pane.tick(T0 + timedelta(minutes=1, seconds=30))
    assert pane.writebacks.text().endswith("next try in 30 s")  # it counts down
    failed = WritebackState(
        "zabbix-prod", "CpuHigh", Step.ACKNOWLEDGE, Status.FAILED, 8, None, None,
        "HTTP 403 authentication failed", None,
    )  # fmt: skip
    pane.set_writebacks(5, [done, failed])
    assert "FAILED after 8 attempt(s): HTTP 403 authentication failed" in pane.writebacks.text()
    assert "#ff5252" in pane.writebacks.styleSheet()
    pane.show_incident(make_incident(6), T0)
    assert pane.writebacks.isHidden() and pane.writebacks.text() == ""


def test_models_pass_the_model_tester(qtmodeltester) -> None:
    pane = DetailsPane(SlaPolicy(), [])
    pane.show_incident(make_incident(5), T0)
    pane.set_timeline(5, [TimelineEntry(T0, "ack", "ana", "Acknowledged by ana")] * 3)
    qtmodeltester.check(pane.timeline)
    review = ReviewList()
    review.set_incidents(
        [make_incident(3, status=IncidentStatus.RESOLVED, resolved_at=T0, needs_review=True)]
    )
    qtmodeltester.check(review.model)
    assert "Needs review: 1 incident cleared before anyone acknowledged it" in review.heading.text()
    review.set_incidents([make_incident(i, needs_review=True) for i in (9, 8)], 1500)
    assert review.model.rowCount() == 2
    # the "C" locale of the tests groups no digits: 1500, where en_US says 1,500
    assert "Needs review: 1500 incidents cleared before anyone acknowledged them (the newest 2 shown)" in (
        review.heading.text()
    )


# --- notifications and tray -----------------------------------------------------------------------------


def test_new_criticals_and_customer_reports_are_notified_once_and_not_at_start() -> None:
    new = NewIncidents()
    new.prime([make_incident(1, Severity.CRITICAL)])
    assert new.notify([make_incident(1, Severity.CRITICAL)]) == []  # open at start: not new
    fresh = [make_incident(2, Severity.CRITICAL), make_incident(3, Severity.MINOR),
             make_incident(4, Severity.MINOR, detected_by=DetectionSource.CUSTOMER)]  # fmt: skip
    assert [i.id for i in new.notify(fresh)] == [2, 4]
    assert new.notify(fresh) == []  # once
    empty_start = NewIncidents()
    empty_start.prime([])
    assert [i.id for i in empty_start.notify([make_incident(9, Severity.CRITICAL)])] == [9]


def test_the_tray_summary_and_badge(qtbot) -> None:
    incidents = [
        make_incident(1, Severity.CRITICAL),
        make_incident(2, Severity.MAJOR, status=IncidentStatus.ACKNOWLEDGED),
    ]
    assert tray_summary(BoardFigures(incidents)) == "NOC Console: 1 critical · 1 major · 1 unacknowledged"
    assert tray_summary(BoardFigures()) == "NOC Console: no open incidents"
    image = count_icon(12, Severity.CRITICAL).pixmap(64, 64).toImage()
    assert image.pixelColor(6, 32).name() == "#e53935"  # critical red at the badge's edge
    tray = ConsoleTray()  # offscreen: no system tray; it still decides what it would notify
    tray.prime([])
    tray.notice([make_incident(2, Severity.CRITICAL)])
    tray.show_counts(BoardFigures([make_incident(2, Severity.CRITICAL)]))
    assert tray.notified == [2]


# --- the worker that writes ------------------------------------------------------------------------------


def test_the_action_runner_writes_reports_and_reloads_the_timeline(qtbot, tmp_path: Path) -> None:
    from noc_console.domain.actions import OperatorAction
    from noc_console.domain.alerts import Alert, AlertSnapshot
    from noc_console.engine.correlator import apply_snapshot
    from noc_console.store import open_store
    from noc_console.ui.actions import ActionRunner

    url = f"sqlite:///{tmp_path}/noc.db"
    store = open_store(url)
    now = datetime.now(UTC)
    alert = Alert(
        "am", "f", {"alertname": "Down", "service": "payments"}, "payments down", "", Severity.CRITICAL, now
    )
    with store.session() as session:
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of("am", now, [alert]), now=now).opened
    store.close()
    runner = ActionRunner(url)
    done: list[str] = []
    failed: list[str] = []
    timelines: list[tuple[int, list[TimelineEntry]]] = []
    reviews: list[list[object]] = []
    runner.done.connect(done.append)
    runner.failed.connect(failed.append)
    runner.timelineLoaded.connect(lambda i, entries: timelines.append((i, entries)))
    runner.needsReviewLoaded.connect(lambda incidents, total: reviews.append([*incidents, total]))
    runner.start()
    try:
        runner.request(OperatorAction(ActionKind.ASSIGN, incident_id, "ana", to="bob"))
        qtbot.waitUntil(lambda: bool(timelines), timeout=10_000)
        assert done == [f"#{incident_id} assigned to bob"]
        assert timelines[0][0] == incident_id and timelines[0][1][-1].text == "Assigned to bob by ana"
        runner.request(OperatorAction(ActionKind.UPDATE, incident_id, "ana", text="x", channel="fax"))
        qtbot.waitUntil(lambda: len(failed) == 1, timeout=10_000)
        assert failed[0].startswith("Not done: channel: 'fax' is not one of")
        runner.request(OperatorAction(ActionKind.NOTE, 999, "ana", text="x"))
        qtbot.waitUntil(lambda: len(failed) == 2, timeout=10_000)
        assert failed[1] == "Incident #999 no longer exists"
        runner.request_needs_review()
        qtbot.waitUntil(lambda: len(reviews) >= 2, timeout=10_000)  # one after the assign, one asked for
        assert reviews[-1] == [0]  # none, and none in all
    finally:
        runner.stop()


def test_a_form_whose_field_another_operator_changed_meanwhile_is_told_who_and_changes_nothing(
    qtbot, tmp_path: Path
) -> None:
    from noc_console.domain.alerts import Alert, AlertSnapshot
    from noc_console.engine.correlator import apply_snapshot
    from noc_console.store import open_store
    from noc_console.store import repository as repo
    from noc_console.ui.actions import ActionRunner

    url = f"sqlite:///{tmp_path}/noc.db"
    store = open_store(url)
    now = datetime.now(UTC)
    alert = Alert(
        "am", "f", {"alertname": "Down", "service": "payments"}, "payments down", "", Severity.CRITICAL, now
    )
    with store.session() as session:
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of("am", now, [alert]), now=now).opened
        (shown,) = repo.get_incidents(session, [incident_id])
    form = AssignDialog(shown, "carol")  # carol's form opens on an unassigned incident
    qtbot.addWidget(form)
    form.to.setText("dave")
    with store.session() as session:  # and another console assigns it before she saves
        repo.assign(session, incident_id, "bob", "alice", now)
    runner = ActionRunner(url)
    done: list[str] = []
    failed: list[str] = []
    runner.done.connect(done.append)
    runner.failed.connect(failed.append)
    runner.start()
    try:
        runner.request(form.action())
        qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    finally:
        runner.stop()
    assert done == []
    assert failed[0].startswith(f"#{incident_id} was assigned to bob by alice at ")
    assert failed[0].endswith(" meanwhile: not changed")
    with store.read() as session:
        (now_shown,) = repo.get_incidents(session, [incident_id])
    store.close()
    assert now_shown.assigned_to == "bob"
