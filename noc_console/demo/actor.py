"""The demo's people: scripted operator and helpdesk actions at set moments of the scenario.

Together with the simulated monitoring, they make the demo show every state of an incident within its
first two minutes: a customer report, an acknowledgement, an assessment and a customer update, beside
the clocks that go amber and breach on their own and a source whose login expires.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from noc_console.domain.calls import CallDraft, new_call_id
from noc_console.domain.correlation import ServiceDef
from noc_console.domain.incidents import BusinessImpact, Incident
from noc_console.domain.sla import SlaPolicy
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.calls import add_call

log = logging.getLogger(__name__)
OPERATOR = "demo-operator"
HELPDESK = "demo-helpdesk"
# The demo config's services. webshop is critical and nothing maps alerts to it (no match labels, and no
# alert names it): the coverage chart lists it as a gap, and its history is all customer-detected.
DEMO_SERVICES = (
    ServiceDef(
        "payments", critical=True, match={"service": "payments"}, aliases=("card payments", "billing")
    ),
    ServiceDef("checkout", critical=True, match={"service": "checkout"}, aliases=("basket", "cart")),
    ServiceDef("webshop", critical=True, match={}, aliases=("web shop", "online shop")),
    ServiceDef("database", critical=True, match={"service": "database"}),
    ServiceDef("dns", critical=True, match={"service": "dns"}),
    ServiceDef("email", match={"service": "email"}, aliases=("mail", "webmail")),
    ServiceDef("vpn", match={"service": "vpn"}, aliases=("remote access",)),
    ServiceDef("branch-leeds", match={"service": "branch-leeds"}, aliases=("leeds office",)),
)
DEMO_ALIASES = {service.name: service.aliases for service in DEMO_SERVICES if service.aliases}
# The demo's SLA, short so that clocks change colour while one watches (the demo config says the same).
DEMO_SLA = SlaPolicy(
    ack=timedelta(minutes=1), assessment=timedelta(minutes=2), customer_update=timedelta(minutes=15)
)


@dataclass(frozen=True, slots=True)
class Step:
    at_s: float
    what: str
    act: Callable[[Session], None]


def _by_service(session: Session, service: str) -> Incident | None:
    return next((i for i in repo.list_incidents(session) if i.service == service), None)


def _acknowledge(service: str) -> Callable[[Session], None]:
    def act(session: Session) -> None:
        incident = _by_service(session, service)
        if incident is not None:
            repo.acknowledge(session, incident.id, OPERATOR, repo.db_now(session))

    return act


def _assess_and_update(service: str) -> Callable[[Session], None]:
    def act(session: Session) -> None:
        incident = _by_service(session, service)
        if incident is None:
            return
        now = repo.db_now(session)
        repo.assign(session, incident.id, "m.okafor", OPERATOR, now)
        repo.record_assessment(
            session, incident.id, "m.okafor", now, users_affected=350, business_impact="degraded",
            text_="Card payments retry and succeed; about 1 in 12 fails on the first try",
        )  # fmt: skip
        repo.log_customer_update(
            session, incident.id, "m.okafor", now, "Some card payments fail on the first try; we are on it",
            "status-page",
        )  # fmt: skip

    return act


def _call(
    service: str, summary: str, caller: str, phone: str, about: str | None = None
) -> Callable[[Session], None]:
    """A customer phones the helpdesk: the agent attaches the call to the incident of service `about`
    (picked from the form's list), or it opens a customer-detected one."""

    def act(session: Session) -> None:
        now = repo.db_now(session)
        known = _by_service(session, about) if about else None
        draft = CallDraft(
            call_id=new_call_id(), caller=caller, phone=phone, service=service, summary=summary,
            taken_by=HELPDESK, received_at=now, organisation="Demo Retail Ltd", users_affected=25,
            impact=BusinessImpact.DEGRADED.value, placement="attach" if known else "best-match",
            attach_to=known.id if known else None,
        ).checked("GB")  # fmt: skip
        add_call(session, draft, now, policy=DEMO_SLA, aliases=DEMO_ALIASES)

    return act


DEMO_STEPS: tuple[Step, ...] = (
    Step(
        20,
        "a customer phones in an outage we have not seen",
        _call(
            "webshop", "Web shop checkout page times out for all our staff", "Dana Whitfield", "020 7946 0018"
        ),
    ),
    Step(
        34,
        "a customer phones about payments, which we already know",
        _call("card payments", "Card payments fail at the till", "Sam Okoro", "+44 20 7946 0957", "payments"),
    ),
    Step(28, "the operator acknowledges checkout", _acknowledge("checkout")),
    Step(
        40, "the operator assigns, assesses and updates customers on payments", _assess_and_update("payments")
    ),
    Step(100, "the paged engineer acknowledges payments: the escalation stops", _acknowledge("payments")),
)


class DemoActor:
    """Runs `steps` at their scenario times (seconds since `start()`), in a daemon thread of its own."""

    def __init__(self, store: Store, steps: tuple[Step, ...] = DEMO_STEPS) -> None:
        self._store = store
        self._steps = steps
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-actor", daemon=True)

    def start(self) -> DemoActor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        started = time.monotonic()
        for step in self._steps:
            if self._stop.wait(max(0.0, step.at_s - (time.monotonic() - started))):
                return
            try:
                with self._store.session() as session:
                    step.act(session)
                log.info("demo at %.0f s: %s", step.at_s, step.what)
            except SQLAlchemyError as exc:
                log.warning("demo step %r failed: %s", step.what, exc)
