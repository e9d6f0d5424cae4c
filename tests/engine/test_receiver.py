"""Acknowledgements that vendors report back: a pressed 1 on a Twilio paging call, an acknowledge at
PagerDuty (V3 webhook) or Opsgenie (outgoing webhook), each authenticated as the vendor documents."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.domain.incidents import IncidentStatus
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.receiver import Receiver, twilio_signature
from noc_console.paging.base import ProviderConfig, ProviderType
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.models import PageRow

TOKEN = "twilio-auth-token-0123456789abcdef"
SECRETS = {
    "provider:phones": TOKEN,
    "receiver:pagerduty": "pd-subscription-secret",
    "receiver": "receiver-bearer-token-0123456789",
}
CALL_SID = "CA" + "0" * 31 + "1"


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[tuple[Store, Receiver, int]]:
    store = open_store(f"sqlite:///{tmp_path / 'noc.db'}")
    now = datetime.now(UTC)
    labels = {"alertname": "a", "service": "payments"}
    alert = Alert("am", "a", labels, "Payments down", "", Severity.CRITICAL, now, service="payments")
    with store.session() as s:
        (incident_id,) = apply_snapshot(s, AlertSnapshot.of("am", now, [alert]), now=now).opened
        s.add(PageRow(
            key="esc1:L1:alice:voice:P0", escalation_id=None, incident_id=incident_id, action="trigger",
            level=1, pass_=0, target="schedule:primary", person="alice", channel="voice", provider="phones",
            address="+447911123456", created_at=now, status="sent", attempts=1, provider_id=CALL_SID,
        ))  # fmt: skip
    phones = ProviderConfig("phones", ProviderType.TWILIO, "https://api.twilio.com")
    receiver = Receiver(store, "127.0.0.1", 0, (phones,), SECRETS.__getitem__)
    receiver.start()
    yield store, receiver, incident_id
    receiver.stop()
    store.close()


def status(store: Store, incident_id: int) -> tuple[IncidentStatus, str | None]:
    with store.read() as s:
        (incident,) = repo.get_incidents(s, [incident_id])
    return incident.status, incident.acknowledged_by


def test_pressing_1_on_a_paging_call_acknowledges_as_the_person_called(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    url = f"http://127.0.0.1:{receiver.port}/paging/twilio/phones/voice"
    form = {"CallSid": CALL_SID, "Digits": "1", "AccountSid": "AC" + "0" * 32, "From": "+447911000000"}
    forged = requests.post(url, data=form, headers={"X-Twilio-Signature": "bm90IGl0"}, timeout=5)
    assert forged.status_code == 403 and status(store, incident_id)[0] is IncidentStatus.OPEN
    signature = twilio_signature(TOKEN, url, form)
    # the documented algorithm: HMAC-SHA1 over the URL then each name and value, names sorted
    data = url + "".join(f"{k}{form[k]}" for k in sorted(form))
    assert (
        signature == base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()
    )
    answer = requests.post(url, data=urlencode(form), timeout=5, headers={
        "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/xml"
    assert answer.text == "<Response><Say>Acknowledged. Thank you.</Say></Response>"
    assert status(store, incident_id) == (IncidentStatus.ACKNOWLEDGED, "alice (pressed 1 on the phone)")
    again = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=5)
    assert "already acknowledged" in again.text


def test_another_digit_acknowledges_nothing(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    url = f"http://127.0.0.1:{receiver.port}/paging/twilio/phones/voice"
    form = {"CallSid": CALL_SID, "Digits": "2"}
    answer = requests.post(url, data=form, headers={"X-Twilio-Signature": twilio_signature(TOKEN, url, form)},
                           timeout=5)  # fmt: skip
    assert answer.status_code == 200 and "Not acknowledged" in answer.text
    assert status(store, incident_id)[0] is IncidentStatus.OPEN


def pagerduty_event(incident_id: int, event_type: str) -> bytes:
    return json.dumps({"event": {
        "id": "01DEN4HPBQAJ5OWPBG1CFF5T8D", "event_type": event_type, "resource_type": "incident",
        "occurred_at": "2026-11-27T10:00:00.000Z",
        "agent": {"summary": "Alice Doe", "type": "user_reference"},
        "data": {"id": "PGR0VU2", "type": "incident", "number": 2, "status": "acknowledged",
                 "incident_key": f"noc-console-{incident_id}", "title": "Payments down"},
    }}).encode()  # fmt: skip


def test_an_acknowledge_at_pagerduty_acknowledges_ours(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    url = f"http://127.0.0.1:{receiver.port}/paging/pagerduty"
    body = pagerduty_event(incident_id, "incident.acknowledged")
    wrong = "v1=" + hmac.new(b"another secret", body, hashlib.sha256).hexdigest()
    assert (
        requests.post(url, data=body, headers={"X-PagerDuty-Signature": wrong}, timeout=5).status_code == 403
    )
    triggered = pagerduty_event(incident_id, "incident.triggered")
    signed = "v1=" + hmac.new(b"pd-subscription-secret", triggered, hashlib.sha256).hexdigest()
    assert requests.post(
        url, data=triggered, headers={"X-PagerDuty-Signature": signed}, timeout=5
    ).json() == {"ignored": True}
    assert status(store, incident_id)[0] is IncidentStatus.OPEN
    right = "v1=" + hmac.new(b"pd-subscription-secret", body, hashlib.sha256).hexdigest()
    # PagerDuty may send several signatures while a secret rotates
    answer = requests.post(url, data=body, headers={"X-PagerDuty-Signature": f"{wrong},{right}"}, timeout=5)
    assert answer.status_code == 200
    assert status(store, incident_id) == (IncidentStatus.ACKNOWLEDGED, "Alice Doe (at PagerDuty)")


def test_an_acknowledge_at_opsgenie_acknowledges_ours(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    url = f"http://127.0.0.1:{receiver.port}/paging/opsgenie"
    body = {"action": "Acknowledge", "alert": {"alertId": "8418d193-2dab-4490-b331-8c02cdd196b7",
            "alias": f"noc-console-{incident_id}", "username": "bob@example.com"}}  # fmt: skip
    assert requests.post(url, json=body, timeout=5).status_code == 401
    assert (
        requests.post(url, json=body, timeout=5, headers={"Authorization": "Bearer wrong"}).status_code == 401
    )
    answer = requests.post(
        url, json=body, timeout=5, headers={"Authorization": f"Bearer {SECRETS['receiver']}"}
    )
    assert answer.status_code == 200
    assert status(store, incident_id) == (IncidentStatus.ACKNOWLEDGED, "bob@example.com (at Opsgenie)")


def test_unknown_paths_and_foreign_alerts_change_nothing(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    base = f"http://127.0.0.1:{receiver.port}"
    assert requests.post(f"{base}/paging/twilio/nope/voice", data={}, timeout=5).status_code == 404
    assert requests.post(f"{base}/elsewhere", data=b"{}", timeout=5).status_code == 404
    foreign = {"action": "Acknowledge", "alert": {"alias": "someone-elses-alert"}}
    headers = {"Authorization": f"Bearer {SECRETS['receiver']}"}
    assert requests.post(f"{base}/paging/opsgenie", json=foreign, headers=headers, timeout=5).json() == {
        "ignored": True
    }
    assert status(store, incident_id)[0] is IncidentStatus.OPEN


def test_a_malformed_request_is_refused_and_changes_nothing(floor) -> None:  # type: ignore[no-untyped-def]
    store, receiver, incident_id = floor
    base = f"http://127.0.0.1:{receiver.port}"
    headers = {"Authorization": f"Bearer {SECRETS['receiver']}", "Content-Type": "application/json"}
    for body in (b"{not json", b"[1, 2]", b'{"action": "Acknowledge", "alert": "noc-console-1"}'):
        answer = requests.post(f"{base}/paging/opsgenie", data=body, headers=headers, timeout=5)
        assert answer.status_code == 400, body
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as raw:
        raw.sendall(b"POST /paging/opsgenie HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")
        assert raw.recv(200).startswith(b"HTTP/1.0 400")
    assert status(store, incident_id)[0] is IncidentStatus.OPEN
