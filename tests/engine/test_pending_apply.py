"""Pending alerts through the apply and the store (SQLite and PostgreSQL): a pending alert opens nothing
and is counted on its source's health; a firing alert that turns pending is stored pending, written on
its incident's timeline, and resolves by the source's rules unless it fires again."""

from __future__ import annotations

import sqlalchemy as sa

from noc_console.domain.correlation import SourceRules
from noc_console.domain.incidents import IncidentStatus
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.models import AlertRow
from tests.engine.test_apply_rules import T0, S, alert, apply, incident

QUICK = SourceRules(resolve_after_missed=2, resolve_after=30 * S)


def test_a_pending_alert_opens_nothing_and_is_counted_on_its_source(store: Store) -> None:
    result = apply(store, [alert("disk", pending=True), alert("cpu", service="web")], T0, QUICK)
    assert len(result.opened) == 1
    with store.read() as session:
        (health,) = repo.list_source_health(session)
        services = session.scalars(sa.select(AlertRow.service)).all()
    assert (health.alert_count, health.pending_count) == (2, 1)
    assert services == ["web"]  # no row, no incident for the pending one
    apply(store, [alert("disk"), alert("cpu", service="web")], T0 + 10 * S, QUICK)
    with store.read() as session:
        (health,) = repo.list_source_health(session)
    assert health.pending_count == 0


def test_a_firing_alert_turned_pending_is_shown_then_resolves_by_the_rules(store: Store) -> None:
    (opened,) = apply(store, [alert("a")], T0, QUICK).opened
    apply(store, [alert("a", pending=True)], T0 + 10 * S, QUICK)
    with store.read() as session:
        (row,) = repo.alerts_of(session, opened)
        kinds = [e.kind for e in repo.timeline(session, opened)]
    assert row.pending and row.state == "firing" and row.missed_fetches == 1
    assert kinds.count("alert_pending") == 1
    assert incident(store, opened).status is not IncidentStatus.RESOLVED
    # the next apply reads the row back from the store: same content, nothing new on the timeline
    apply(store, [alert("a", pending=True)], T0 + 20 * S, QUICK)
    result = apply(store, [alert("a", pending=True)], T0 + 45 * S, QUICK)
    assert result.resolved == [opened]
    with store.read() as session:
        kinds = [e.kind for e in repo.timeline(session, opened)]
    assert kinds.count("alert_pending") == 1
