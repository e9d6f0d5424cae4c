"""Flapping through the real apply and the store (SQLite and PostgreSQL): an alert that keeps firing and
clearing opens one incident that is held open, rings no new alarm and starts no clock again, says so
once on its timeline, and resolves as it would have once the alert has been quiet for the window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from noc_console.config import Config
from noc_console.domain import AlertSnapshot, CorrelationRule, IncidentStatus
from noc_console.domain.alarms import loudest_unacknowledged
from noc_console.domain.correlation import SourceRules
from noc_console.domain.flapping import FlapRule
from noc_console.engine.correlator import ApplyResult, Remembered, apply_remembering
from noc_console.engine.poller import Poller
from noc_console.engine.scheduler import FetchOutcome
from noc_console.sources.base import SourceConfig, SourceError
from noc_console.store import Store
from noc_console.store import repository as repo
from tests.engine.test_apply_rules import T0, S, alert, incident

MIN = 60 * S
RULE = CorrelationRule(flap=FlapRule(threshold=4, window=20 * MIN))
QUICK = SourceRules(resolve_after_missed=1, resolve_after=timedelta(0))  # absent once: cleared


class Feed:
    """Applies answers of source "am" as the poller does: remembering its alerts between applies, or
    (`remember=False`) reading them afresh from the store every time."""

    def __init__(self, store: Store, remember: bool) -> None:
        self.store = store
        self.remember = remember
        self.remembered: Remembered | None = None

    def __call__(self, fingerprints: list[str], now: datetime) -> ApplyResult:
        snapshot = AlertSnapshot.of("am", now, [alert(fp) for fp in fingerprints])
        with self.store.session() as session:
            result, known = apply_remembering(
                session, snapshot, now=now, rule=RULE, rules=QUICK, remembered=self.remembered
            )
        self.remembered = known if self.remember else None
        return result


def kinds(store: Store, incident_id: int) -> list[str]:
    with store.read() as session:
        return [entry.kind for entry in repo.timeline(session, incident_id)]


@pytest.mark.parametrize("remember", [True, False], ids=["remembered", "read-afresh"])
def test_a_flapping_alert_is_held_in_one_incident_and_resolves_after_a_quiet_window(
    store: Store, remember: bool
) -> None:
    feed = Feed(store, remember)
    # Four changes (fired, cleared, fired, cleared) are not more than 4: each incident resolves.
    (first,) = feed(["a"], T0).opened
    assert feed([], T0 + 1 * MIN).resolved == [first]
    (second,) = feed(["a"], T0 + 2 * MIN).opened
    assert feed([], T0 + 3 * MIN).resolved == [second]
    assert incident(store, second).flapping_since is None
    # The fifth change within 20 minutes: it flaps, from the incident it opens.
    (held,) = feed(["a"], T0 + 4 * MIN).opened
    opened = incident(store, held)
    assert opened.flapping and opened.flapping_since == T0 + 4 * MIN
    # It clears: held open, with no clearing time that would promise a resolve.
    assert feed([], T0 + 5 * MIN).resolved == []
    cleared = incident(store, held)
    assert cleared.status is IncidentStatus.OPEN and cleared.flapping and cleared.clearing_at is None
    with store.session() as session:
        repo.acknowledge(session, held, "ana", T0 + 5 * MIN + 30 * S)
    # It fires again and clears, over and over: same incident, still acknowledged, nothing rings.
    for minute in range(6, 16):
        result = feed(["a"] if minute % 2 == 0 else [], T0 + minute * MIN)
        assert result.opened == [] and result.resolved == [], minute
        now = incident(store, held)
        assert now.status is IncidentStatus.ACKNOWLEDGED and now.detected_at == opened.detected_at
        assert loudest_unacknowledged([now]) == (None, 0)
    # Last change at minute 15 (a clear): 20 quiet minutes later it settles, and resolves then.
    assert feed([], T0 + 35 * MIN - S).resolved == []
    assert feed([], T0 + 35 * MIN).resolved == [held]
    done = incident(store, held)
    assert done.status is IncidentStatus.RESOLVED and not done.flapping and done.flapping_since is None
    assert done.resolved_at == T0 + 15 * MIN  # when it cleared: the held time does not inflate MTTR
    timeline = kinds(store, held)
    assert timeline.count("flapping") == 1 and timeline.count("flap_settled") == 1
    assert timeline.count("alert_fired") == 1  # the change that made it flap, not every one after it
    assert timeline.index("flap_settled") < timeline.index("resolve")


def test_changes_spread_beyond_the_window_never_hold_an_incident(store: Store) -> None:
    feed = Feed(store, remember=True)
    for step in range(8):  # a change every 6 minutes: never more than 4 within 20 minutes
        now = T0 + 6 * step * MIN
        result = feed(["a"] if step % 2 == 0 else [], now)
        assert len(result.opened if step % 2 == 0 else result.resolved) == 1, step
    with store.read() as session:
        assert not any(i.flapping_since for i in repo.list_incidents(session, include_resolved=True))


def test_an_alert_still_firing_when_it_settles_keeps_its_incident_open(store: Store) -> None:
    feed = Feed(store, remember=False)
    for minute in range(4):
        feed(["a"] if minute % 2 == 0 else [], T0 + minute * MIN)
    (held,) = feed(["a"], T0 + 4 * MIN).opened
    assert feed(["a"], T0 + 24 * MIN).resolved == []
    settled = incident(store, held)
    assert settled.status is IncidentStatus.OPEN and not settled.flapping
    assert kinds(store, held).count("flap_settled") == 1
    assert feed([], T0 + 25 * MIN).resolved == [held]  # and clears as any alert does


def poll(poller: Poller, fingerprints: list[str], at: datetime, digest: str | None = None) -> ApplyResult:
    snapshot = AlertSnapshot.of("am", at, [alert(fp) for fp in fingerprints], digest=digest)
    return poller.apply(FetchOutcome("am", at, snapshot=snapshot), at)


def test_a_failed_fetch_never_settles_nor_resolves_a_held_incident(store: Store) -> None:
    source = SourceConfig(
        name="am", type="alertmanager", url="http://127.0.0.1:9", resolve_after_missed=1, resolve_after_s=0
    )
    poller = Poller(store, Config(path=None, correlation=RULE, sources=(source,)), sources=[], holder="p")
    assert poller.keeper.beat() is not None
    for minute in range(4):
        poll(poller, ["a"] if minute % 2 == 0 else [], T0 + minute * MIN)
    (held,) = poll(poller, ["a"], T0 + 4 * MIN).opened
    poll(poller, [], T0 + 5 * MIN, digest="empty")
    # An identical next answer must still be applied in full: only an apply can tell it has settled.
    assert poller.answers.take("am") is None
    assert list(poller.remembered["am"].alerts.flapping) == ["a"]
    later = T0 + 60 * MIN
    failed = FetchOutcome("am", later, error=SourceError("am", "connection refused"))
    assert poller.apply(failed, later).resolved == []
    assert incident(store, held).flapping
    assert poll(poller, [], later + 10 * S).resolved == [held]


def test_a_held_incident_resolved_by_hand_is_forgotten_and_its_alert_flaps_on_in_a_new_one(
    store: Store,
) -> None:
    feed = Feed(store, remember=True)  # the poller's memory must learn of the operator's resolve
    for minute in range(4):
        feed(["a"] if minute % 2 == 0 else [], T0 + minute * MIN)
    (held,) = feed(["a"], T0 + 4 * MIN).opened
    feed([], T0 + 5 * MIN)
    with store.session() as session:
        repo.resolve(session, held, "ana", T0 + 5 * MIN + 30 * S)
    (again,) = feed(["a"], T0 + 6 * MIN).opened  # a new incident: the operator closed the other
    assert incident(store, again).flapping and kinds(store, again).count("flapping") == 1
    resolved = incident(store, held)
    assert (
        resolved.status is IncidentStatus.RESOLVED and resolved.resolved_by == "ana" and not resolved.flapping
    )
    assert feed([], T0 + 7 * MIN).resolved == []  # held, as before
    assert feed([], T0 + 27 * MIN).resolved == [again]
