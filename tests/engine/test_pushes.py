"""The queue between the receiver's threads and the poller's loop: bounded, batched without reordering."""

from __future__ import annotations

from datetime import UTC, datetime

from noc_console.domain import Alert, AlertSnapshot, Severity
from noc_console.engine.pushes import PushQueue, merged

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def push_of(source: str, *fingerprints: str) -> AlertSnapshot:
    alerts = [Alert(source, fp, {"alertname": fp}, fp, "", Severity.MAJOR, T0) for fp in fingerprints]
    return AlertSnapshot.of(source, T0, alerts, pushed=True)


def test_a_full_queue_refuses_and_wakes_the_loop_for_each_push_it_takes() -> None:
    woken: list[int] = []
    queue = PushQueue(limit=2)
    queue.wake = lambda: woken.append(1)
    assert queue.submit(push_of("am", "a")) is not None and queue.submit(push_of("am", "b")) is not None
    assert queue.submit(push_of("am", "c")) is None  # refused: nothing queued, the sender gets 503
    assert len(queue) == 2 and queue.refused == 1 and len(woken) == 2


def test_a_batch_is_one_source_without_a_repeated_alert_in_arrival_order() -> None:
    queue = PushQueue()
    pushes = [
        queue.submit(s)
        for s in (push_of("am", "a"), push_of("am", "b", "c"), push_of("am", "a"), push_of("zbx", "x"))
    ]
    first = queue.batch()
    assert first == pushes[:2]  # "a" again waits for the next batch: firing then resolved stays in order
    assert [a.fingerprint for a in merged(first).alerts] == ["a", "b", "c"] and merged(first).partial
    assert queue.batch() == [pushes[2]]  # another source: a batch of its own
    assert queue.batch() == [pushes[3]] and queue.batch() == []


def test_stopping_answers_every_waiting_push() -> None:
    queue = PushQueue()
    push = queue.submit(push_of("am", "a"))
    assert push is not None and queue.refuse_all(503, "stopping") == 1
    assert push.done.is_set() and (push.status, push.text) == (503, "stopping") and len(queue) == 0
