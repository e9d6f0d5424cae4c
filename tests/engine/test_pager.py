"""The pager with an injected clock and vendors that answer as told: levels fire exactly on time,
stop on an acknowledge, repeat to their count, retry as asked, and survive a restart without a page
repeated or skipped. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from noc_console.config import parse_config
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.engine.pager import Pager, backoff
from noc_console.paging.base import Outcome, Page, ProviderConfig, SendResult
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.store.models import EscalationRow, PageRow, TimelineRow
from noc_console.store.paging import pages_of

T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
CONFIG = """
[[people]]
name = "alice"
phone = "+447911123456"
email = "alice@example.com"

[[people]]
name = "bob"
phone = "+447911654321"

[[schedules]]
name = "primary"
time_zone = "Europe/London"
rotation = "weekly"
handoff = "09:00"
people = ["alice"]

[[providers]]
name = "twilio"
type = "twilio"
account_sid = "AC00000000000000000000000000000000"
from = "+447911000000"

[[providers]]
name = "pd"
type = "pagerduty"

[[policies]]
name = "criticals"
severities = ["critical"]
repeat = 1
auto = true

[[policies.levels]]
targets = ["schedule:primary"]
channels = ["sms", "voice"]
wait_minutes = 10

[[policies.levels]]
targets = ["pd", "bob"]
channels = ["pagerduty"]
wait_minutes = 5
"""


@dataclass
class FakeVendor:
    """Answers each send with the next scripted result (accepted when the script is empty)."""

    config: ProviderConfig
    script: list[SendResult] = field(default_factory=list)
    sent: list[tuple[datetime, Page]] = field(default_factory=list)
    told: list[tuple[str, int]] = field(default_factory=list)
    clock: list[datetime] = field(default_factory=list)

    def send(self, page: Page) -> SendResult:
        self.sent.append((self.clock[0], page))
        return (
            self.script.pop(0)
            if self.script
            else SendResult(Outcome.ACCEPTED, provider_id=f"id-{len(self.sent)}")
        )

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        self.told.append(("acknowledge", incident_id))
        return SendResult(Outcome.ACCEPTED)

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        self.told.append(("resolve", incident_id))
        return SendResult(Outcome.ACCEPTED)

    def delivery(self, provider_id: str) -> SendResult | None:
        return None


class Floor:
    """A store, a critical incident detected at T0, and a pager whose clock the test moves."""

    def __init__(self, db_url: str) -> None:
        import tomllib

        self.config = parse_config(tomllib.loads(CONFIG))
        self.store = open_store(db_url)
        self.now = [T0]
        self.vendors = {p.name: FakeVendor(p, clock=self.now) for p in self.config.paging.providers}
        alert = Alert("am", "a", {"alertname": "a", "service": "payments"}, "Payments down", "",
                      Severity.CRITICAL, T0, service="payments")  # fmt: skip
        with self.store.session() as s:
            (self.incident_id,) = apply_snapshot(s, AlertSnapshot.of("am", T0, [alert]), now=T0).opened
        self.pager = self.new_pager()

    def new_pager(self) -> Pager:
        return Pager(self.store, self.config, providers=self.vendors, jitter=lambda: 0.0,
                     clock=lambda _session: self.now[0])  # fmt: skip

    def at(self, moment: datetime) -> None:
        self.now[0] = moment
        self.pager.tick(None)

    def sent(self, vendor: str) -> list[tuple[datetime, str]]:
        return [(at, f"{page.channel.value}:{page.target}") for at, page in self.vendors[vendor].sent]

    def count(self, model: type, **where: object) -> int:
        with self.store.read() as s:
            query = sa.select(sa.func.count()).select_from(model)
            for key, value in where.items():
                query = query.where(getattr(model, key) == value)
            return int(s.scalar(query) or 0)


@pytest.fixture
def floor(db_url: str) -> Iterator[Floor]:
    floor = Floor(db_url)
    yield floor
    floor.store.close()


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def test_level_two_fires_exactly_after_level_ones_wait_and_passes_stop_at_the_count(floor: Floor) -> None:
    floor.at(minutes(4.99))  # the acknowledge clock (5 min) has not breached: nothing
    assert floor.count(EscalationRow) == 0 and floor.sent("twilio") == []
    floor.at(minutes(5))
    assert floor.sent("twilio") == [(minutes(5), "sms:alice"), (minutes(5), "voice:alice")]
    floor.at(minutes(15) - timedelta(seconds=1))
    assert floor.sent("pd") == []
    floor.at(minutes(15))
    assert floor.sent("pd") == [(minutes(15), "pagerduty:pd")]
    # bob has no pagerduty of his own: a page that cannot go out is written, in red, and never holds
    # back the others
    with floor.store.read() as s:
        failed = [p for p in pages_of(s, floor.incident_id) if p.status == "failed"]
    assert [(p.target, p.error) for p in failed] == [
        ("bob", "bob is not a provider: pagerduty pages go to a provider target")
    ]
    floor.at(minutes(20))  # the second pass
    assert floor.sent("twilio")[2:] == [(minutes(20), "sms:alice"), (minutes(20), "voice:alice")]
    floor.at(minutes(30))
    floor.at(minutes(90))
    assert len(floor.sent("twilio")) == 4 and len(floor.sent("pd")) == 2  # repeat = 1: two passes, no more
    with floor.store.read() as s:
        (escalation,) = s.scalars(sa.select(EscalationRow)).all()
    assert escalation.stop_reason == "ran its course (2 pass(es)) without an acknowledge"


def test_an_acknowledge_stops_the_escalation_and_is_passed_on_to_pagerduty(floor: Floor) -> None:
    floor.at(minutes(5))
    floor.at(minutes(15))
    assert len(floor.sent("pd")) == 1
    with floor.store.session() as s:
        repo.acknowledge(s, floor.incident_id, "carol", minutes(16))
    floor.at(minutes(16))
    floor.at(minutes(25))  # would be the second pass
    floor.at(minutes(60))
    assert len(floor.sent("twilio")) == 2 and len(floor.sent("pd")) == 1
    assert floor.vendors["pd"].told == [("acknowledge", floor.incident_id)]
    with floor.store.session() as s:
        repo.resolve(s, floor.incident_id, "carol", minutes(61))
    floor.at(minutes(61))
    floor.at(minutes(62))
    assert floor.vendors["pd"].told == [("acknowledge", floor.incident_id), ("resolve", floor.incident_id)]
    with floor.store.read() as s:
        (escalation,) = s.scalars(sa.select(EscalationRow)).all()
        kinds = s.scalars(
            sa.select(TimelineRow.kind).where(TimelineRow.incident_id == floor.incident_id)
        ).all()
    assert escalation.stop_reason == "acknowledged by carol"
    assert kinds.count("escalation") == 2  # started, stopped


def test_a_restart_mid_policy_neither_repeats_nor_skips_a_page(floor: Floor) -> None:
    floor.at(minutes(5))
    floor.at(minutes(12))
    floor.pager = floor.new_pager()  # the poller restarted (or another took over)
    floor.at(minutes(12))
    floor.at(minutes(17))  # the new process was down across level 2's time: it pages it once, late
    floor.pager = floor.new_pager()
    floor.at(minutes(17))
    assert floor.sent("twilio") == [(minutes(5), "sms:alice"), (minutes(5), "voice:alice")]
    assert floor.sent("pd") == [(minutes(17), "pagerduty:pd")]
    assert floor.count(PageRow) == 4  # sms, voice, pd, bob (failed): each key once


def test_a_vendor_that_asks_to_wait_is_retried_after_it_and_others_go_on(floor: Floor) -> None:
    twilio = floor.vendors["twilio"]
    twilio.script = [
        SendResult(Outcome.RETRY, retry_after_s=7, error="HTTP 429"),  # sms
        SendResult(Outcome.FAILED, error="HTTP 400: invalid 'To'"),  # voice: for good
    ]
    floor.at(minutes(5))
    assert floor.sent("twilio") == [(minutes(5), "sms:alice"), (minutes(5), "voice:alice")]
    floor.at(minutes(5) + timedelta(seconds=6))
    assert len(floor.sent("twilio")) == 2  # not before the 7 s it asked for
    floor.at(minutes(5) + timedelta(seconds=7))
    assert floor.sent("twilio")[2] == (minutes(5) + timedelta(seconds=7), "sms:alice")
    floor.at(minutes(6))
    assert len(floor.sent("twilio")) == 3  # accepted: never again; the failed voice is not retried
    with floor.store.read() as s:
        by_channel = {p.channel: (p.status, p.attempts, p.error) for p in pages_of(s, floor.incident_id)}
        texts = s.scalars(sa.select(TimelineRow.text).where(TimelineRow.kind == "page_failed")).all()
    assert by_channel["sms"] == ("sent", 2, None)
    assert by_channel["voice"] == ("failed", 1, "HTTP 400: invalid 'To'")
    assert any("FAILED at twilio: HTTP 400: invalid 'To'" in text for text in texts)


def test_backoff_doubles_to_a_minute_and_honours_retry_after() -> None:
    assert [backoff(n, None, lambda: 1.0) for n in (1, 2, 3, 6, 7, 20)] == [2, 4, 8, 60, 60, 60]
    assert backoff(1, None, lambda: 0.0) == 1.0  # jitter takes up to half off
    assert backoff(1, 30, lambda: 1.0) == 30 and backoff(1, 10_000, lambda: 1.0) == 600


def test_an_incident_acknowledged_in_time_is_never_paged(floor: Floor) -> None:
    with floor.store.session() as s:
        repo.acknowledge(s, floor.incident_id, "carol", minutes(4))
    for n in (5, 15, 60):
        floor.at(minutes(n))
    assert floor.count(EscalationRow) == 0 and floor.count(PageRow) == 0


def test_delivery_is_followed_and_a_failed_one_shown_in_red(floor: Floor) -> None:
    failing = SendResult(Outcome.ACCEPTED, delivery="undelivered", error="30003: unreachable handset")
    states = {"SM1": iter([SendResult(Outcome.ACCEPTED, delivery="sent"), failing])}
    asked: list[str] = []

    def delivery(provider_id: str) -> SendResult | None:
        asked.append(provider_id)
        return next(states.get(provider_id, iter(())), None)

    floor.vendors["twilio"].delivery = delivery  # type: ignore[method-assign]
    floor.vendors["twilio"].script = [SendResult(Outcome.ACCEPTED, provider_id="SM1", delivery="queued")]
    floor.at(minutes(5))  # sms accepted as SM1 (queued); voice accepted as id-2
    floor.at(minutes(5.2))  # checked within 30 s of nothing: not yet
    floor.at(minutes(5.6))  # 36 s on: asked
    floor.at(minutes(6.2))  # 36 s on again: asked again
    with floor.store.read() as s:
        sms = next(p for p in pages_of(s, floor.incident_id) if p.channel == "sms")
        texts = s.scalars(sa.select(TimelineRow.text).where(TimelineRow.kind == "page_failed")).all()
    assert "SM1" in asked
    assert (sms.delivery, sms.error) == ("undelivered", "30003: unreachable handset")
    assert any("undelivered (30003: unreachable handset)" in text for text in texts)
