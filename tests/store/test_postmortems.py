"""Post-mortems in the store, on SQLite and PostgreSQL: saved and read back, refused when stale, finished
(stopping the clock), listed for the lead, and the early warning signs from real alert rows."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from noc_console.domain import postmortem as pmd
from noc_console.domain.incidents import IncidentStatus
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.sla import ClockKind, SlaPolicy, running_clocks
from noc_console.store import open_store
from noc_console.store import postmortems as spm
from noc_console.store.models import ActionItemRow, AlertRow, IncidentRow, PostMortemRow, TimelineRow
from noc_console.store.repository import get_incidents

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=20)
TODAY = NOW.date()
POLICY = SlaPolicy()


def _incident(id: int, **kw: Any) -> dict[str, Any]:
    values = {
        "id": id,
        "title": f"incident {id}",
        "severity": "major",
        "status": "resolved",
        "service": "payments",
        "correlation_key": "service:payments",
        "detected_by": "monitoring",
        "source": "am",
        "opened_at": T0,
        "detected_at": T0,
        "last_alert_at": T0,
        "resolved_at": T0 + timedelta(hours=2),
        "impact_started_at": T0 - timedelta(minutes=4),
        "monitoring_detected_at": T0,
    }
    values.update(kw)
    return values


def _alert(n: int, minutes_before_impact: float, **kw: Any) -> dict[str, Any]:
    start = T0 - timedelta(minutes=4 + minutes_before_impact)
    values = {
        "incident_id": 2,
        "source": "am",
        "fingerprint": f"f{n}",
        "name": f"Warn{n}",
        "labels": {},
        "summary": f"summary {n}",
        "description": "",
        "severity": "warning",
        "state": "resolved",
        "service": "payments",
        "silenced": False,
        "starts_at": start,
        "first_seen_at": start,
        "last_seen_at": start,
    }
    values.update(kw)
    return values


@pytest.fixture
def store(db_url: str) -> Any:
    store = open_store(db_url)
    with store.session() as session:
        session.execute(
            insert(IncidentRow),
            [
                _incident(1),
                _incident(2, severity="minor"),  # owes nothing
                _incident(
                    3, severity="minor", detected_by="customer", monitoring_detected_at=None, first_call_at=T0
                ),
                _incident(4, status="open", resolved_at=None),
                _incident(5, resolved_at=T0 - timedelta(days=120)),  # too old to list unwritten
            ],
        )
        session.execute(
            insert(AlertRow),
            [
                _alert(1, 60),
                _alert(2, 60 * 23, silenced=True),
                _alert(3, 60 * 25),  # more than 24 h before
                _alert(4, 30, service="dns"),  # another service
                _alert(5, 10, service="Payments", state="firing", severity="info"),
            ],
        )
    yield store
    store.close()


def _ready(pm: pmd.PostMortem, **kw: Any) -> pmd.PostMortem:
    values: dict[str, Any] = {
        "summary": "Card payments failed for two hours.",
        "root_cause": "A certificate expired.",
        "contributing_factors": "The expiry check was not in the runbook.",
        "action_items": (pmd.ActionItem("Add an expiry check", "ops-team", TODAY + timedelta(days=10)),),
        "follow_up_on": TODAY + timedelta(days=21),
        "timeline": pm.timeline or (pmd.TimelineLine(T0, "The first customer called"),),
    }
    values.update(kw)

    return replace(pm, **values)


def test_a_draft_from_the_incident_is_saved_and_read_back(store: Any) -> None:
    with store.read() as session:
        opened = spm.open_postmortem(session, 1, TODAY)
    assert not opened.saved and opened.postmortem.version == 0
    assert [(w.name, w.silenced, w.state) for w in opened.warnings] == [
        ("Warn2", True, "resolved"),
        ("Warn1", False, "resolved"),
        ("Warn5", False, "firing"),
    ]
    pm = _ready(opened.postmortem, summary="<script>alert('x')</script> & more", users_affected=3400)
    with store.session() as session:
        saved = spm.save_postmortem(session, pm, "lead", NOW)
    assert saved.version == 1 and saved.updated_by == "lead"
    with store.read() as session:
        again = spm.open_postmortem(session, 1, TODAY)
        entries = session.scalars(select(TimelineRow.text).where(TimelineRow.incident_id == 1)).all()
    assert again.saved and again.postmortem == saved
    assert again.postmortem.summary == "<script>alert('x')</script> & more"
    assert again.postmortem.action_items == pm.action_items
    assert "Post-mortem started by lead" in entries


def test_a_save_from_a_stale_form_is_refused_and_names_who_saved(store: Any) -> None:
    with store.read() as session:
        first = spm.open_postmortem(session, 1, TODAY).postmortem
    with store.session() as session:
        v1 = spm.save_postmortem(session, _ready(first), "ana", NOW)
    with store.session() as session:
        spm.save_postmortem(
            session, _ready(v1, summary="Ana's second edit"), "ana", NOW + timedelta(minutes=1)
        )
    with pytest.raises(spm.PostMortemConflict, match="ana saved it at"), store.session() as session:
        spm.save_postmortem(session, _ready(v1, summary="Bob's edit from the old form"), "bob", NOW)
    with store.read() as session:
        kept = spm.postmortem_of(session, 1)
    assert kept is not None and kept.summary == "Ana's second edit" and kept.version == 2


def test_two_first_saves_at_once_one_wins(pg_url: str) -> None:
    store = open_store(pg_url)
    other = open_store(pg_url)
    try:
        with store.session() as session:
            session.execute(insert(IncidentRow), [_incident(1)])
        with store.read() as session:
            blank = spm.open_postmortem(session, 1, TODAY).postmortem
        errors: list[BaseException] = []
        with store.session() as session:
            spm.save_postmortem(session, _ready(blank, summary="first"), "ana", NOW)

            def second() -> None:
                try:
                    with other.session() as s2:
                        spm.save_postmortem(s2, _ready(blank, summary="second"), "bob", NOW)
                except BaseException as exc:
                    errors.append(exc)

            thread = threading.Thread(target=second)
            thread.start()
            thread.join(0.5)
            assert thread.is_alive(), "the second first-save did not wait for the first"
        thread.join(10)
        assert len(errors) == 1 and isinstance(errors[0], spm.PostMortemConflict)
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(ActionItemRow)) == 1
            kept = spm.postmortem_of(session, 1)
        assert kept is not None and kept.summary == "first"
    finally:
        other.close()
        store.close()


def test_finishing_checks_then_stops_the_clock(store: Any) -> None:
    with store.read() as session:
        blank = spm.open_postmortem(session, 3, TODAY).postmortem  # a customer found it
    with pytest.raises(spm.CannotFinish) as refused, store.session() as session:
        spm.finish_postmortem(session, _ready(blank), "lead", NOW)
    assert [p.field for p in refused.value.problems] == ["why monitoring did not detect it"]
    with store.read() as session:
        assert spm.postmortem_of(session, 3) is None  # nothing written
    pm = _ready(blank, why_not_detected="We had no synthetic check of the payment page.")
    with store.session() as session:
        done = spm.finish_postmortem(session, pm, "lead", NOW)
    assert done.finished and done.finished_by == "lead"
    with store.read() as session:
        (incident,) = get_incidents(session, [3])
    assert incident.postmortem_done_at == NOW
    kinds = {c.kind for c in running_clocks(incident, POLICY)}
    assert ClockKind.POSTMORTEM not in kinds and ClockKind.EXEC_REPORT in kinds
    with store.session() as session:
        assert spm.mark_exec_report_sent(session, 3, "lead", NOW)
        assert not spm.mark_exec_report_sent(session, 3, "lead", NOW)
    with store.read() as session:
        (incident,) = get_incidents(session, [3])
    assert running_clocks(incident, POLICY) == ()


def test_what_owes_nothing_is_refused_with_the_reason(store: Any) -> None:
    with store.read() as session:
        with pytest.raises(spm.NotOwed, match="neither major nor critical"):
            spm.open_postmortem(session, 2, TODAY)
        with pytest.raises(spm.NotOwed, match="is open, not resolved"):
            spm.open_postmortem(session, 4, TODAY)
    with pytest.raises(InvalidInput, match=r"^action item 1: what"), store.session() as session:
        spm.save_postmortem(
            session, pmd.PostMortem(1, action_items=(pmd.ActionItem("", "ops", TODAY),)), "lead", NOW
        )


def test_the_leads_list_orders_and_flags(store: Any) -> None:
    with store.read() as session:
        lines = spm.owed_postmortems(session, POLICY, NOW)
    assert [line.incident.id for line in lines] == [1, 3]  # 2 owes none, 4 is open, 5 is too old
    assert all(line.due_at == T0 + timedelta(hours=50) for line in lines)
    with store.read() as session:
        blank = spm.open_postmortem(session, 1, TODAY).postmortem
    late = _ready(
        blank,
        action_items=(
            pmd.ActionItem("Add an expiry check", "ops-team", TODAY + timedelta(days=3)),
            pmd.ActionItem("Runbook", "docs", TODAY + timedelta(days=5)),
        ),
    )
    with store.session() as session:
        spm.finish_postmortem(session, late, "lead", NOW)
    later = NOW + timedelta(days=22)
    with store.read() as session:
        lines = spm.owed_postmortems(session, POLICY, later)
    first = next(line for line in lines if line.incident.id == 1)
    assert first.finished and first.overdue_items == 2 and first.follow_up_due
    assert pmd.needs_attention(first, later, later.date())
    with store.session() as session:
        spm.hold_follow_up(session, 1, "lead", later)
        pm = spm.postmortem_of(session, 1)
        assert pm is not None
        closed = pmd.PostMortem(
            **{
                **{f: getattr(pm, f) for f in pmd.PostMortem.__dataclass_fields__},
                "action_items": tuple(
                    pmd.ActionItem(i.what, i.owner, i.due, pmd.ItemStatus.DONE) for i in pm.action_items
                ),
            }
        )
        spm.save_postmortem(session, closed, "lead", later)
    with store.read() as session:
        ids = [line.incident.id for line in spm.owed_postmortems(session, POLICY, later)]
    assert 1 not in ids  # finished, followed up, every item done: off the list


def test_the_status_after_finishing_stays_finished_on_a_later_save(store: Any) -> None:
    with store.read() as session:
        blank = spm.open_postmortem(session, 1, TODAY).postmortem
    with store.session() as session:
        done = spm.finish_postmortem(session, _ready(blank), "lead", NOW)
    with store.session() as session:
        again = spm.save_postmortem(session, _ready(done, summary="Amended."), "lead", NOW)
    assert again.finished and again.summary == "Amended."
    with store.read() as session:
        row = session.get(PostMortemRow, 1)
        assert row is not None and row.status == "finished"
        assert session.get(IncidentRow, 1).status == IncidentStatus.RESOLVED.value  # type: ignore[union-attr]
    assert isinstance(TODAY, date)


def test_the_walls_count_of_unwritten_postmortems(store: Any) -> None:
    with store.read() as session:
        owed = spm.unwritten_postmortems(session, NOW)
    assert (owed.count, owed.first_id) == (2, 1)  # 1 and 3; 2 owes none, 4 is open, 5 is too old
    with store.read() as session:
        blank = spm.open_postmortem(session, 1, TODAY).postmortem
    with store.session() as session:
        spm.save_postmortem(session, _ready(blank), "lead", NOW)  # a draft still counts
    with store.read() as session:
        assert spm.unwritten_postmortems(session, NOW).count == 2
    with store.session() as session:
        spm.finish_postmortem(session, _ready(spm.postmortem_of(session, 1)), "lead", NOW)  # type: ignore[arg-type]
    with store.read() as session:
        owed = spm.unwritten_postmortems(session, NOW)
    assert (owed.count, owed.first_id) == (1, 3)


def test_a_follow_up_never_held_leaves_the_list_after_the_lookback(store: Any) -> None:
    with store.read() as session:
        blank = spm.open_postmortem(session, 1, TODAY).postmortem
    done = pmd.ActionItem("Add an expiry check", "ops-team", TODAY + timedelta(days=3), pmd.ItemStatus.DONE)
    ready = _ready(blank, action_items=(done,))
    with store.session() as session:
        spm.finish_postmortem(session, ready, "lead", NOW)
    follow_up = ready.follow_up_on
    assert follow_up is not None
    for days_after, listed in ((1, True), (89, True), (91, False)):
        at = datetime.combine(follow_up + timedelta(days=days_after), datetime.min.time(), tzinfo=UTC)
        with store.read() as session:
            ids = [line.incident.id for line in spm.owed_postmortems(session, POLICY, at)]
        assert (1 in ids) is listed, days_after
