"""Two operators acting on one incident at the same moment, from two consoles: exactly one wins, the other
is told who won and what the incident is now, and the timeline has one entry per change that happened.

The first operator's transaction has written and not yet committed when the second one's action starts.
On PostgreSQL the second waits on its own connection until the server reports it waiting for a lock, and
the first commits only then; on SQLite writers begin IMMEDIATE, so the second simply goes after the first.
A form's edit (assign, assessment) carries the incident as the form showed it when it opened.
"""

from __future__ import annotations

from datetime import timedelta

from noc_console.domain import AlertSnapshot, IncidentStatus
from noc_console.domain.actions import ActionKind, OperatorAction
from noc_console.domain.incidents import Incident
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.actions import Performed, carry_out
from tests.store.test_concurrency import T0, Second, alert, opened

LATER = T0 + timedelta(minutes=2)


def read(store: Store, incident_id: int) -> Incident:
    with store.read() as r:
        (incident,) = repo.get_incidents(r, [incident_id])
    return incident


def kinds(store: Store, incident_id: int) -> list[str]:
    with store.read() as r:
        return [e.kind for e in repo.timeline_entries(r, incident_id)]


def race(store: Store, first: OperatorAction, second: OperatorAction) -> tuple[Performed, Performed]:
    """`first` writes; `second` starts before `first` commits (and waits for it); both outcomes."""
    with store.session() as session:
        won = carry_out(session, first, LATER)
        other = Second(store, lambda s: carry_out(s, second, LATER + timedelta(seconds=1)))
        other.start_and_wait_until_blocked(store)
    lost: Performed = other.outcome()
    return won, lost


# --- acknowledge and resolve: conditional on the status ---------------------------------------------


def test_ack_against_ack(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    won, lost = race(
        store,
        OperatorAction(ActionKind.ACKNOWLEDGE, incident_id, "alice"),
        OperatorAction(ActionKind.ACKNOWLEDGE, incident_id, "bob"),
    )
    assert won.done and not lost.done
    assert lost.text.startswith(f"#{incident_id} was already acknowledged at 2026-11-27T12:02:00Z by alice")
    incident = read(store, incident_id)
    assert (incident.status, incident.acknowledged_by) == (IncidentStatus.ACKNOWLEDGED, "alice")
    assert kinds(store, incident_id).count("ack") == 1


def test_resolve_against_ack(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    won, lost = race(
        store,
        OperatorAction(ActionKind.RESOLVE, incident_id, "bob"),
        OperatorAction(ActionKind.ACKNOWLEDGE, incident_id, "alice"),
    )
    assert won.done and not lost.done
    assert lost.text.startswith(f"#{incident_id} was already resolved at 2026-11-27T12:02:00Z by bob")
    incident = read(store, incident_id)
    assert (incident.status, incident.acknowledged_by) == (IncidentStatus.RESOLVED, None)
    assert [k for k in kinds(store, incident_id) if k in ("ack", "resolve")] == ["resolve"]


def test_ack_against_resolve_keeps_both_since_resolving_an_acknowledged_incident_overwrites_nothing(
    store: Store,
) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    acked, resolved = race(
        store,
        OperatorAction(ActionKind.ACKNOWLEDGE, incident_id, "alice"),
        OperatorAction(ActionKind.RESOLVE, incident_id, "bob"),
    )
    assert acked.done and resolved.done
    incident = read(store, incident_id)
    assert (incident.status, incident.acknowledged_by, incident.resolved_by) == (
        IncidentStatus.RESOLVED,
        "alice",
        "bob",
    )
    assert [k for k in kinds(store, incident_id) if k in ("ack", "resolve")] == ["ack", "resolve"]


def test_resolve_against_resolve(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    won, lost = race(
        store,
        OperatorAction(ActionKind.RESOLVE, incident_id, "bob", text="rolled back"),
        OperatorAction(ActionKind.RESOLVE, incident_id, "carol", text="restarted it"),
    )
    assert won.done and not lost.done
    assert lost.text.startswith(f"#{incident_id} was already resolved at 2026-11-27T12:02:00Z by bob")
    assert read(store, incident_id).resolved_by == "bob"
    timeline = kinds(store, incident_id)
    assert timeline.count("resolve") == 1 and timeline.count("note") == 1  # carol's note was not written


# --- assign: conditional on the owner the form showed ------------------------------------------------


def test_assign_against_assign_from_two_forms(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    seen = read(store, incident_id)  # both forms open on an unassigned incident
    won, lost = race(
        store,
        OperatorAction(ActionKind.ASSIGN, incident_id, "alice", to="bob", seen=seen),
        OperatorAction(ActionKind.ASSIGN, incident_id, "carol", to="dave", seen=seen),
    )
    assert won == Performed(f"#{incident_id} assigned to bob", True)
    assert lost == Performed(
        f"#{incident_id} was assigned to bob by alice at 2026-11-27T12:02:00Z meanwhile: not changed", False
    )
    assert read(store, incident_id).assigned_to == "bob"
    with store.read() as r:
        assigns = [e.text for e in repo.timeline_entries(r, incident_id) if e.kind == "assign"]
    assert assigns == ["Assigned to bob by alice"]


def test_a_reassign_from_a_form_that_saw_the_old_owner_is_refused(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    with store.session() as session:
        repo.assign(session, incident_id, "bob", "alice", LATER)
    seen = read(store, incident_id)
    won, lost = race(
        store,
        OperatorAction(ActionKind.ASSIGN, incident_id, "alice", to="erin", seen=seen),
        OperatorAction(ActionKind.ASSIGN, incident_id, "carol", to="dave", seen=seen),
    )
    assert won.done and not lost.done and "was assigned to erin by alice" in lost.text
    assert read(store, incident_id).assigned_to == "erin"
    assert kinds(store, incident_id).count("assign") == 2


def test_the_command_line_assigns_without_an_expectation_and_says_from_whom(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    won, second = race(
        store,
        OperatorAction(ActionKind.ASSIGN, incident_id, "alice", to="bob"),
        OperatorAction(ActionKind.ASSIGN, incident_id, "carol", to="dave"),
    )
    assert won.done and second.done  # an explicit command, as typed: not a silent overwrite either
    assert read(store, incident_id).assigned_to == "dave"
    with store.read() as r:
        assigns = [e.text for e in repo.timeline_entries(r, incident_id) if e.kind == "assign"]
    assert assigns == ["Assigned to bob by alice", "Assigned to dave by carol (was bob)"]


def test_the_pollers_refresh_of_an_incident_does_not_make_a_form_conflict(store: Store) -> None:
    """A new alert joins the incident while the form is open: the owner did not change, so it goes through."""
    (incident_id,) = opened(store, alert("a", "payments"))
    seen = read(store, incident_id)
    snapshot = AlertSnapshot.of("am", LATER, [alert("a", "payments"), alert("b", "payments")])
    with store.session() as poller:
        assert apply_snapshot(poller, snapshot, now=LATER).updated == [incident_id]
        form = OperatorAction(ActionKind.ASSIGN, incident_id, "carol", to="dave", seen=seen)
        assign = Second(store, lambda s: carry_out(s, form, LATER))
        assign.start_and_wait_until_blocked(store)
    assert assign.outcome().done
    incident = read(store, incident_id)
    assert (incident.assigned_to, incident.alert_count) == ("dave", 2)


# --- the assessment: conditional on the assessment the form showed ------------------------------------


def test_assessment_against_assessment_from_two_forms(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    seen = read(store, incident_id)  # both forms open on an incident nobody has assessed
    won, lost = race(
        store,
        OperatorAction(ActionKind.ASSESS, incident_id, "alice", users=1200, impact="down", seen=seen),
        OperatorAction(ActionKind.ASSESS, incident_id, "bob", users=40, impact="degraded", seen=seen),
    )
    assert won == Performed(f"#{incident_id} assessment recorded by alice", True)
    assert lost == Performed(
        f"#{incident_id} was assessed by alice at 2026-11-27T12:02:00Z meanwhile "
        "(1,200 users affected; impact: down): not changed",
        False,
    )
    incident = read(store, incident_id)
    assert (incident.users_affected, str(incident.business_impact), incident.assessed_at) == (
        1200,
        "down",
        LATER,
    )
    assert kinds(store, incident_id).count("assessment") == 1


def test_a_text_only_first_assessment_still_beats_a_form_that_saw_none(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    seen = read(store, incident_id)
    won, lost = race(
        store,
        OperatorAction(ActionKind.ASSESS, incident_id, "alice", text="a deploy at 11:58", seen=seen),
        OperatorAction(ActionKind.ASSESS, incident_id, "bob", users=40, seen=seen),
    )
    assert won.done and not lost.done
    assert lost.text.endswith("meanwhile (no figures): not changed")
    assert read(store, incident_id).users_affected is None
    assert kinds(store, incident_id).count("assessment") == 1


def test_two_amendments_of_one_assessment(store: Store) -> None:
    (incident_id,) = opened(store, alert("a", "payments"))
    with store.session() as session:
        repo.record_assessment(session, incident_id, "alice", LATER, users_affected=100)
    seen = read(store, incident_id)
    won, lost = race(
        store,
        OperatorAction(ActionKind.ASSESS, incident_id, "alice", users=200, seen=seen),
        OperatorAction(ActionKind.ASSESS, incident_id, "bob", users=150, services="cards", seen=seen),
    )
    assert won.done and not lost.done
    assert "was assessed by alice" in lost.text and "(200 users affected): not changed" in lost.text
    incident = read(store, incident_id)
    assert (incident.users_affected, incident.services_affected) == (200, None)
    assert kinds(store, incident_id).count("assessment") == 2


def test_two_command_line_assessments_at_once_keep_each_others_figures(store: Store) -> None:
    """No expectation, so both go through; the second reads the first's figures only after it commits."""
    (incident_id,) = opened(store, alert("a", "payments"))
    first, second = race(
        store,
        OperatorAction(ActionKind.ASSESS, incident_id, "alice", users=1200),
        OperatorAction(ActionKind.ASSESS, incident_id, "bob", impact="down"),
    )
    assert first.done and second.done
    incident = read(store, incident_id)
    assert (incident.users_affected, str(incident.business_impact)) == (1200, "down")
    with store.read() as r:
        texts = [e.text for e in repo.timeline_entries(r, incident_id) if e.kind == "assessment"]
    assert texts == [
        "Initial assessment by alice: 1,200 users affected",
        "Assessment amended by bob: impact: down",
    ]
