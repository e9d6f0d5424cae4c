"""Customer calls in the store, on SQLite and PostgreSQL: where a call goes, stored once, the detection
race, the caller's acknowledge clock, anonymisation, text kept exactly as typed, and two writers at once."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from noc_console.config import Config, HelpdeskConfig
from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.calls import CallDraft, new_call_id
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.inputs import InvalidInput
from noc_console.domain.sla import ClockKind, SlaPolicy, running_clocks
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.poller import expire_personal_data
from noc_console.engine.sla_ticker import record_breaches
from noc_console.sources import alertmanager
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.calls import (
    UnknownCall,
    acknowledge_caller,
    add_call,
    anonymise_calls,
    calls_of,
    find_call,
)
from noc_console.store.lease import db_now
from noc_console.store.models import CallRow, IncidentRow

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)
POLICY = SlaPolicy()
PHONE = "+447911123456"  # "07911 123456" as a GB agent types it
OTHER_PHONE = "+442079460958"


def draft(**changes: Any) -> CallDraft:
    """A checked call about card payments, received at T0 + 2 min (the same for every test unless told)."""
    values: dict[str, Any] = {
        "call_id": new_call_id(),
        "caller": "Ana Pereira",
        "phone": "07911 123456",
        "service": "payments",
        "summary": "Card payments failing at checkout in all our shops",
        "taken_by": "desk-1",
        "received_at": T0 + 2 * M,
        "organisation": "Pereira Bakeries",
        "severity": "major",
    }
    values.update(changes)
    return CallDraft(**values).checked("GB")


def monitoring_incident(store: Store, service: str = "payments", fp: str = "m1", now: datetime = T0) -> int:
    """An incident our monitoring opened at `now`, from an alert whose text a caller would recognise."""
    summary = {
        "payments": "Card payments failing at checkout",
        "dns": "DNS resolution slow for internal zones",
    }.get(service, f"{service} is down")
    alert = Alert(
        source="am",
        fingerprint=fp,
        labels={"alertname": f"{service}-errors", "service": service},
        summary=summary,
        description="",
        severity=Severity.CRITICAL,
        starts_at=now,
        service=service,
    )
    with store.session() as session:
        (incident_id,) = apply_snapshot(session, AlertSnapshot.of("am", now, [alert]), now=now).opened
    return incident_id


def add(store: Store, call: CallDraft, now: datetime = T0 + 3 * M) -> Any:
    with store.session() as session:
        return add_call(session, call, now, policy=POLICY)


def incident(store: Store, incident_id: int) -> Incident:
    with store.read() as r:
        (found,) = repo.get_incidents(r, [incident_id])
    return found


def entries(store: Store, incident_id: int, kind: str | None = None) -> list[str]:
    with store.read() as r:
        return [e.text for e in repo.timeline(r, incident_id) if kind is None or e.kind == kind]


def count(store: Store, model: type[Any]) -> int:
    with store.read() as r:
        return int(r.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


# --- where a call goes ----------------------------------------------------------------------------


def test_a_call_attaches_to_the_monitoring_incident_the_agent_chose(store: Store) -> None:
    chosen = monitoring_incident(store)
    monitoring_incident(store, "dns", fp="m2")
    call = draft(placement="attach", attach_to=chosen, service="something else entirely")

    outcome = add(store, call)

    assert (outcome.incident_id, outcome.attached, outcome.duplicate, outcome.note) == (
        chosen,
        True,
        False,
        None,
    )
    got = incident(store, chosen)
    assert got.call_count == 1 and got.first_call_at == T0 + 2 * M
    assert got.detected_by is DetectionSource.MONITORING  # a call joining does not change who saw it first
    with store.read() as r:
        (stored,) = calls_of(r, chosen)
    assert stored.id == call.call_id and stored.attached is True
    assert (stored.caller, stored.organisation, stored.phone) == ("Ana Pereira", "Pereira Bakeries", PHONE)
    assert stored.received_at == T0 + 2 * M and stored.logged_at == T0 + 3 * M
    assert entries(store, chosen, "call") == [
        "A customer called at 12:02:00 UTC: Card payments failing at checkout in all our shops"
    ]
    assert count(store, IncidentRow) == 2  # nothing new was opened


def test_a_call_joins_its_best_match_among_open_incidents(store: Store) -> None:
    monitoring_incident(store, "dns", fp="m2")
    payments = monitoring_incident(store, "payments", fp="m1")

    outcome = add(store, draft())

    assert outcome.attached is True and outcome.incident_id == payments
    assert incident(store, payments).call_count == 1
    assert count(store, IncidentRow) == 2


def test_a_call_about_another_service_opens_a_customer_detected_incident(store: Store) -> None:
    payments = monitoring_incident(store)
    call = draft(
        service="vpn",
        summary="VPN drops every few minutes for the whole office",
        started_at=T0 - 20 * M,
        users_affected=40,
        impact="degraded",
        severity=None,  # suggested from what the store has seen
    )

    outcome = add(store, call, now=T0 + 3 * M)

    assert outcome.attached is False and outcome.incident_id != payments
    opened = incident(store, outcome.incident_id)
    assert opened.detected_by is DetectionSource.CUSTOMER
    assert opened.detected_at == T0 + 2 * M  # when the customer called, not when the call was logged
    assert opened.impact_started_at == T0 - 20 * M  # when it started for them
    assert opened.opened_at == T0 + 3 * M
    assert opened.service == "vpn" and opened.title == "VPN drops every few minutes for the whole office"
    assert opened.call_count == 1 and opened.first_call_at == T0 + 2 * M
    assert opened.monitoring_detected_at is None and opened.status is IncidentStatus.OPEN
    assert isinstance(opened.severity, Severity)
    assert entries(store, outcome.incident_id, "call") == [
        "A customer called at 12:02:00 UTC: VPN drops every few minutes for the whole office "
        "(40 of their users affected; impact: degraded; started for them at 11:40 UTC)"
    ]
    assert incident(store, payments).call_count == 0


def test_a_call_opened_as_new_does_not_join_a_matching_incident(store: Store) -> None:
    payments = monitoring_incident(store)
    outcome = add(store, draft(placement="new"))
    assert outcome.attached is False and outcome.incident_id != payments
    assert incident(store, outcome.incident_id).detected_by is DetectionSource.CUSTOMER
    assert incident(store, payments).call_count == 0


def test_attaching_to_an_unknown_incident_is_a_typed_error_and_writes_nothing(store: Store) -> None:
    with pytest.raises(repo.UnknownIncident):
        add(store, draft(placement="attach", attach_to=999))
    assert count(store, CallRow) == 0 and count(store, IncidentRow) == 0


def test_attaching_to_an_incident_resolved_meanwhile_opens_a_new_one_with_a_note(store: Store) -> None:
    chosen = monitoring_incident(store)
    with store.session() as session:
        assert repo.resolve(session, chosen, "bob", T0 + 1 * M).done

    outcome = add(store, draft(placement="attach", attach_to=chosen))

    assert outcome.attached is False and outcome.incident_id != chosen
    assert outcome.note is not None and f"#{chosen} was resolved meanwhile" in outcome.note
    opened = incident(store, outcome.incident_id)
    assert opened.detected_by is DetectionSource.CUSTOMER and opened.call_count == 1
    resolved = incident(store, chosen)
    assert resolved.status is IncidentStatus.RESOLVED and resolved.call_count == 0
    assert entries(store, chosen, "call") == []


def test_a_call_waiting_on_a_resolve_in_progress_opens_a_new_incident(store: Store) -> None:
    """The agent chose the incident; an operator resolves it while the call is being saved."""
    chosen = monitoring_incident(store)
    call = draft(placement="attach", attach_to=chosen)
    with store.session() as operator:
        assert repo.resolve(operator, chosen, "bob", T0 + 3 * M).done
        saving = Second(store, lambda s: add_call(s, call, T0 + 3 * M, policy=POLICY))
        saving.start_and_wait_until_blocked(store)
    outcome = saving.outcome()
    assert outcome.attached is False and outcome.incident_id != chosen and outcome.note
    assert incident(store, chosen).call_count == 0


# --- stored once ----------------------------------------------------------------------------------


@pytest.mark.parametrize("placement", ["best-match", "new"])
def test_the_same_call_saved_twice_is_stored_once(store: Store, placement: str) -> None:
    monitoring_incident(store)
    call = draft(placement=placement)

    first = add(store, call)
    again = add(store, call, now=T0 + 4 * M)  # a retry after a lost answer

    assert first.duplicate is False and again.duplicate is True
    assert (again.incident_id, again.attached) == (first.incident_id, first.attached)
    assert first.attached is (placement == "best-match")
    assert count(store, CallRow) == 1
    assert count(store, IncidentRow) == (1 if placement == "best-match" else 2)
    assert len(entries(store, first.incident_id, "call")) == 1
    assert incident(store, first.incident_id).call_count == 1
    with store.read() as r:
        (stored,) = calls_of(r, first.incident_id)
    assert stored.logged_at == T0 + 3 * M  # the retry changed nothing


# --- the detection race ---------------------------------------------------------------------------


def test_a_call_after_our_monitoring_says_by_how_long_we_were_ahead_once(store: Store) -> None:
    payments = monitoring_incident(store, now=T0)
    add(store, draft(received_at=T0 + 7 * M), now=T0 + 8 * M)
    add(store, draft(received_at=T0 + 9 * M, caller="Bo"), now=T0 + 10 * M)

    assert entries(store, payments, "detection_race") == [
        "Our monitoring was 7 min ahead of the first caller"
    ]
    got = incident(store, payments)
    assert got.monitoring_detected_at == T0 and got.first_call_at == T0 + 7 * M and got.call_count == 2
    assert got.detected_by is DetectionSource.MONITORING


def am_payload(fingerprint: str, starts_at: datetime) -> list[dict[str, Any]]:
    """Alertmanager v2's gettableAlert shape (tests/data/alertmanager), for the payments service."""
    return [
        {
            "labels": {"alertname": "PaymentsErrors", "service": "payments", "severity": "critical"},
            "annotations": {"summary": "Card payments failing", "description": "5xx above 20 %"},
            "startsAt": starts_at.isoformat().replace("+00:00", "Z"),
            "endsAt": "2099-01-01T00:00:00Z",
            "updatedAt": starts_at.isoformat().replace("+00:00", "Z"),
            "fingerprint": fingerprint,
            "generatorURL": "http://prometheus/graph",
            "receivers": [{"name": "null"}],
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
        }
    ]


def test_monitoring_catching_up_on_a_caller_says_by_how_long_we_were_behind_once(store: Store) -> None:
    outcome = add(store, draft(placement="new", received_at=T0), now=T0 + 1 * M)
    customer = outcome.incident_id
    first = alertmanager.parse(am_payload("aaa", T0 + 4 * M), source="am")
    with store.session() as session:
        result = apply_snapshot(session, AlertSnapshot.of("am", T0 + 4 * M, first), now=T0 + 4 * M)
    assert result.opened == []  # it joined the customer's incident (same service, within the window)
    both = first + alertmanager.parse(am_payload("bbb", T0 + 6 * M), source="am")
    with store.session() as session:
        assert apply_snapshot(session, AlertSnapshot.of("am", T0 + 6 * M, both), now=T0 + 6 * M).opened == []

    assert entries(store, customer, "detection_race") == [
        "Our monitoring detected it 4 min after the first caller"
    ]
    got = incident(store, customer)
    assert got.detected_by is DetectionSource.CUSTOMER  # what the detection metrics count
    assert got.monitoring_detected_at == T0 + 4 * M and got.first_call_at == T0
    assert got.alert_count == 2 and count(store, IncidentRow) == 1


# --- the caller's acknowledge clock ---------------------------------------------------------------


def test_the_caller_clock_runs_from_the_call_and_closes_once_acknowledged(store: Store) -> None:
    payments = monitoring_incident(store)
    ana = draft(received_at=T0 + 2 * M)
    bo = draft(received_at=T0 + 3 * M, caller="Bo Lind", phone="020 7946 0958")
    add(store, ana, now=T0 + 3 * M)
    add(store, bo, now=T0 + 3 * M)

    got = incident(store, payments)
    assert got.caller_ack_due_at == T0 + 7 * M  # the longest-waiting caller's deadline
    (clock,) = [c for c in running_clocks(got, POLICY) if c.kind is ClockKind.CALLER_ACK]
    assert (clock.started_at, clock.due_at) == (T0 + 2 * M, T0 + 7 * M)

    with store.session() as session:
        call, done = acknowledge_caller(session, ana.call_id, "desk-2", T0 + 4 * M)
    assert done and call.customer_acked_at == T0 + 4 * M and call.customer_acked_by == "desk-2"
    assert incident(store, payments).caller_ack_due_at == T0 + 8 * M  # now Bo's

    with store.session() as session:
        again, done = acknowledge_caller(session, ana.call_id, "desk-3", T0 + 5 * M)
    assert not done and again.customer_acked_by == "desk-2" and again.customer_acked_at == T0 + 4 * M
    assert entries(store, payments, "caller_ack") == ["Caller acknowledged (their call at 12:02:00 UTC)"]

    with store.session() as session:
        assert acknowledge_caller(session, bo.call_id, "desk-2", T0 + 6 * M)[1]
    got = incident(store, payments)
    assert got.caller_ack_due_at is None
    assert [c for c in running_clocks(got, POLICY) if c.kind is ClockKind.CALLER_ACK] == []


def test_acknowledging_an_unknown_call_is_a_typed_error(store: Store) -> None:
    with pytest.raises(UnknownCall), store.session() as session:
        acknowledge_caller(session, new_call_id(), "desk-2", T0)


def test_a_customer_update_tells_every_caller_and_closes_their_clocks(store: Store) -> None:
    payments = monitoring_incident(store)
    ana = draft(received_at=T0 + 2 * M)
    bo = draft(received_at=T0 + 3 * M, caller="Bo Lind", phone="020 7946 0958", callback="sms")
    add(store, ana)
    add(store, bo)
    with store.session() as session:
        acknowledge_caller(session, ana.call_id, "desk-2", T0 + 4 * M)

    with store.session() as session:
        repo.log_customer_update(session, payments, "lead", T0 + 10 * M, "Rolling back the release", "phone")

    with store.read() as r:
        calls = {c.id: c for c in calls_of(r, payments)}
    for call in calls.values():
        assert [(u.at, u.channel, u.text, u.by) for u in call.updates] == [
            (T0 + 10 * M, "phone", "Rolling back the release", "lead")
        ]
    assert (calls[ana.call_id].customer_acked_at, calls[ana.call_id].customer_acked_by) == (
        T0 + 4 * M,
        "desk-2",
    )  # already acknowledged: kept
    assert (calls[bo.call_id].customer_acked_at, calls[bo.call_id].customer_acked_by) == (T0 + 10 * M, "lead")
    got = incident(store, payments)
    assert got.caller_ack_due_at is None and got.last_customer_update_at == T0 + 10 * M
    assert entries(store, payments, "customer_update") == [
        "Customer update (phone) (told 2 callers): Rolling back the release"
    ]


def caller_breaches(store: Store, now: datetime) -> list[tuple[int, datetime]]:
    with store.session() as session:
        return [
            (b.incident_id, b.due_at)
            for b in record_breaches(session, POLICY, now)
            if b.clock is ClockKind.CALLER_ACK
        ]


def test_a_caller_left_waiting_is_a_breach_recorded_once(store: Store) -> None:
    payments = monitoring_incident(store)
    add(store, draft(received_at=T0 + 2 * M))

    assert caller_breaches(store, T0 + 6 * M) == []
    assert caller_breaches(store, T0 + 7 * M) == [(payments, T0 + 7 * M)]
    assert caller_breaches(store, T0 + 8 * M) == []  # still breached: already written
    assert caller_breaches(store, T0 + 30 * M) == []
    assert [t for t in entries(store, payments, "sla_breach") if t.startswith("Caller acknowledge")] == [
        "Caller acknowledge was due at 2026-11-27 12:07:00 UTC: breached"
    ]


def test_a_caller_acknowledged_in_time_is_no_breach(store: Store) -> None:
    monitoring_incident(store)
    call = draft(received_at=T0 + 2 * M)
    add(store, call)
    with store.session() as session:
        acknowledge_caller(session, call.call_id, "desk-2", T0 + 6 * M)
    assert caller_breaches(store, T0 + 20 * M) == []


# --- personal data --------------------------------------------------------------------------------


def personal_traces(texts: list[str]) -> list[str]:
    needles = ("Ana", "Pereira", "7911", "123456", "Bakeries")
    return [t for t in texts if any(n in t for n in needles)]


def test_erasing_a_number_anonymises_its_calls_and_keeps_what_happened(store: Store) -> None:
    payments = monitoring_incident(store)
    first = draft(received_at=T0 + 2 * M, phone="07911 123456")
    second = draft(received_at=T0 + 3 * M, phone="+44 7911 123456", summary="Still failing, card payments")
    other = draft(received_at=T0 + 4 * M, caller="Bo Lind", phone="020 7946 0958", organisation="Lind AB")
    for call in (first, second, other):
        add(store, call, now=T0 + 5 * M)
    timeline_before = entries(store, payments)

    with store.session() as session:
        assert anonymise_calls(session, T0 + 6 * M, phone=PHONE) == 2
    with store.session() as session:
        assert anonymise_calls(session, T0 + 7 * M, phone=PHONE) == 0  # nothing left to erase

    with store.read() as r:
        calls = {c.id: c for c in calls_of(r, payments)}
    assert len(calls) == 3
    for call in (first, second):
        kept = calls[call.call_id]
        assert (kept.caller, kept.organisation, kept.phone) == (None, None, None)
        assert kept.anonymised_at == T0 + 6 * M
        assert kept.summary == call.summary and kept.received_at == call.received_at
        assert kept.incident_id == payments and kept.taken_by == "desk-1"
    untouched = calls[other.call_id]
    assert (untouched.caller, untouched.organisation, untouched.phone) == ("Bo Lind", "Lind AB", OTHER_PHONE)
    assert untouched.anonymised_at is None
    assert entries(store, payments) == timeline_before  # the timeline keeps that customers called
    assert personal_traces(timeline_before) == []  # and it never held who
    assert incident(store, payments).call_count == 3


def test_calls_older_than_the_retention_period_are_anonymised(store: Store) -> None:
    old = draft(placement="new", received_at=T0 - timedelta(days=400))
    recent = draft(placement="new", received_at=T0 - timedelta(days=10), phone="020 7946 0958")
    old_outcome = add(store, old, now=T0 - timedelta(days=400))
    add(store, recent, now=T0 - timedelta(days=10))

    with store.session() as session:
        assert anonymise_calls(session, T0, received_before=T0 - timedelta(days=365)) == 1

    with store.read() as r:
        gone = find_call(r, old.call_id)
        kept = find_call(r, recent.call_id)
    assert gone is not None and (gone.caller, gone.organisation, gone.phone) == (None, None, None)
    assert gone.summary == old.summary and gone.anonymised_at == T0
    assert kept is not None and kept.caller == "Ana Pereira" and kept.phone == OTHER_PHONE
    texts = entries(store, old_outcome.incident_id)
    assert any(t.startswith("A customer called at") for t in texts) and personal_traces(texts) == []


def test_the_poller_expires_personal_data_by_the_databases_clock(store: Store) -> None:
    with store.read() as r:
        now = db_now(r)
    old = draft(placement="new", received_at=now - timedelta(days=31))
    fresh = draft(placement="new", received_at=now - timedelta(days=29), phone="020 7946 0958")
    add(store, old, now=now - timedelta(days=31))
    add(store, fresh, now=now - timedelta(days=29))
    config = Config(path=None, helpdesk=HelpdeskConfig(retention=timedelta(days=30)))

    assert expire_personal_data(store, config, None) == 1
    assert expire_personal_data(store, config, None) == 0

    with store.read() as r:
        gone, kept = find_call(r, old.call_id), find_call(r, fresh.call_id)
    assert gone is not None and gone.caller is None and gone.phone is None and gone.summary == old.summary
    assert kept is not None and kept.caller == "Ana Pereira"


# --- text as typed --------------------------------------------------------------------------------

HOSTILE_SUMMARY = "\n".join(
    [
        "الدفع بالبطاقة لا يعمل — التطبيق يتوقف",  # Arabic, right to left
        "התשלום נכשל בקופה",  # Hebrew
        # ZWJ sequences (woman technologist, a family, the rainbow flag) and a flag of two regional letters
        "\U0001f469\u200d\U0001f4bb our dev \U0001f468\u200d\U0001f469\u200d\U0001f467 family account "
        "\U0001f1ec\U0001f1e7 \U0001f3f3\ufe0f\u200d\U0001f308",
        "Zoe\u0308 and Jose\u0301 (combining marks, not precomposed)",
        "She said \"it's broken\" and 'twice' “curly” ‘too’",  # noqa: RUF001
        "'; DROP TABLE calls; --",
        "<b>html</b><script>alert(1)</script> &amp; \\ backslash %s {0} $1",
    ]
)


def test_what_the_caller_said_is_stored_exactly_as_typed(store: Store) -> None:
    call = draft(
        placement="new",
        caller="ليلى حداد Zoe\u0308 O'Brien",
        organisation='שלום בע"מ <b>',
        summary=HOSTILE_SUMMARY,
        service="pay\u0301ments 💳",
    )
    assert call.summary == HOSTILE_SUMMARY  # the check trims the ends, nothing else

    outcome = add(store, call)

    with store.read() as r:
        (stored,) = calls_of(r, outcome.incident_id)
        found = find_call(r, call.call_id)
    assert found == stored
    assert stored.summary == HOSTILE_SUMMARY
    assert stored.caller == "ليلى حداد Zoe\u0308 O'Brien"
    assert stored.organisation == 'שלום בע"מ <b>'
    assert stored.service == "pay\u0301ments 💳"
    opened = incident(store, outcome.incident_id)
    assert opened.title == "الدفع بالبطاقة لا يعمل — التطبيق يتوقف"  # the summary's first line
    assert opened.service == "pay\u0301ments 💳"
    (said,) = entries(store, outcome.incident_id, "call")
    assert said == f"A customer called at 12:02:00 UTC: {HOSTILE_SUMMARY}"
    assert count(store, CallRow) == 1  # the table is still there


def test_a_summary_of_the_longest_length_is_kept_whole_and_the_timeline_gets_its_start(store: Store) -> None:
    summary = ("abcdefghi " * 500)[:4_999] + "Z"
    call = draft(placement="new", summary=summary)
    outcome = add(store, call)
    with store.read() as r:
        (stored,) = calls_of(r, outcome.incident_id)
    assert len(stored.summary) == 5_000 and stored.summary == summary
    (said,) = entries(store, outcome.incident_id, "call")
    assert said == f"A customer called at 12:02:00 UTC: {summary[:299]}…"
    with pytest.raises(InvalidInput) as refused:
        draft(summary=summary + "x")
    assert refused.value.field == "summary"
    with pytest.raises(InvalidInput) as nul:
        draft(summary="card\x00payments")
    assert nul.value.field == "summary"


def test_times_on_the_timeline_are_utc_whatever_zone_they_were_typed_in(store: Store) -> None:
    """A desk in Paris types the start as 12:40+01:00 and takes the call at 14:02+01:00."""
    paris = timezone(timedelta(hours=1))
    call = draft(
        placement="new",
        received_at=(T0 + 2 * M).astimezone(paris),
        started_at=(T0 - 20 * M).astimezone(paris),
    )
    outcome = add(store, call)
    (said,) = entries(store, outcome.incident_id, "call")
    assert said == (
        "A customer called at 12:02:00 UTC: Card payments failing at checkout in all our shops "
        "(started for them at 11:40 UTC)"
    )
    with store.read() as r:
        (stored,) = calls_of(r, outcome.incident_id)
    assert stored.received_at == T0 + 2 * M and stored.started_at == T0 - 20 * M


# --- two writers at once ----------------------------------------------------------------------------


class Second:
    """A second writer on its own thread and connection (tests/store/test_concurrency.py's pattern)."""

    def __init__(self, store: Store, work: Callable[[Session], Any]) -> None:
        self.result: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.pid: int | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(store, work), daemon=True)

    def _run(self, store: Store, work: Callable[[Session], Any]) -> None:
        try:
            with store.session() as session:
                if store.dialect == "postgresql":
                    self.pid = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
                self._started.set()
                value = work(session)
            self.result.put(("ok", value))
        except Exception as exc:
            self.result.put(("error", exc))
        finally:
            self._started.set()

    def start_and_wait_until_blocked(self, store: Store) -> None:
        """Return once the second writer waits for the first's lock (SQLite: once it has begun)."""
        self._thread.start()
        assert self._started.wait(10)
        if store.dialect != "postgresql":
            return
        deadline = time.monotonic() + 10
        with store.engine.connect() as conn:
            while time.monotonic() < deadline:
                waiting = conn.execute(
                    sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": self.pid},
                ).scalar()
                if waiting == "Lock":
                    return
                conn.rollback()
                time.sleep(0.02)
        raise AssertionError("the second writer never waited for the first")

    def outcome(self) -> Any:
        kind, value = self.result.get(timeout=30)
        self._thread.join(timeout=10)
        if kind == "error":
            raise value
        return value


@pytest.mark.postgres
@pytest.mark.parametrize("placement", ["attach", "new"])
def test_two_sessions_adding_the_same_call_at_once_store_it_once(pg_url: str, placement: str) -> None:
    """Two syncs of one desk's outbox (the console's and a script's) store the same call together."""
    store = open_store(pg_url)
    try:
        payments = monitoring_incident(store)
        call = draft(placement=placement, attach_to=payments if placement == "attach" else None)
        with store.session() as first:
            mine = add_call(first, call, T0 + 3 * M, policy=POLICY)
            second = Second(store, lambda s: add_call(s, call, T0 + 3 * M, policy=POLICY))
            second.start_and_wait_until_blocked(store)  # on the incident's lock, or on the call's key
        try:
            theirs = second.outcome()
        except IntegrityError:  # its insert lost to ours: its whole transaction rolled back
            theirs = add(store, call)  # the retry the outbox makes
        assert theirs.duplicate is True and theirs.incident_id == mine.incident_id

        assert count(store, CallRow) == 1
        assert count(store, IncidentRow) == (1 if placement == "attach" else 2)  # no orphan incident
        assert incident(store, mine.incident_id).call_count == 1
        assert len(entries(store, mine.incident_id, "call")) == 1
    finally:
        store.close()


def test_a_draft_for_a_call_keeps_its_id_through_replace() -> None:
    """The outbox and the form rebuild drafts with dataclasses.replace: the ID must survive a check."""
    call = draft()
    assert replace(call, summary="changed").checked("GB").call_id == call.call_id
    with pytest.raises(InvalidInput) as bad:
        replace(call, call_id="not-a-uuid").checked("GB")
    assert bad.value.field == "call_id"
