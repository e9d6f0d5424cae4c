"""Counts kept by change sets equal counts made from scratch, whatever the change sets."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

from noc_console.domain.figures import BoardFigures
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def incident(i: int, rng: random.Random) -> Incident:
    return Incident(
        id=i,
        title=f"t{i}",
        severity=rng.choice(list(Severity)),
        status=rng.choice(list(IncidentStatus)),
        service=rng.choice(["payments", "dns", None]),
        detected_by=DetectionSource.MONITORING,
        source="am",
        opened_at=T0,
        detected_at=T0,
        orphaned=rng.random() < 0.2,
    )


def recount(board: dict[int, Incident]) -> tuple[Counter[Severity], int, int, Counter[str], Severity | None]:
    open_ = [i for i in board.values() if i.is_open]
    severities = Counter(i.severity for i in open_)
    loudest = Severity.loudest([i.severity for i in open_]) if open_ else None
    return (
        severities,
        sum(i.status is IncidentStatus.OPEN for i in open_),
        sum(i.orphaned for i in open_),
        Counter(i.service for i in open_ if i.service),
        loudest,
    )


def test_kept_figures_equal_a_recount_after_random_change_sets() -> None:
    rng = random.Random(7)
    board = {i: incident(i, rng) for i in range(50)}
    figures = BoardFigures(board.values())
    for _ in range(500):
        changed = [incident(rng.randrange(80), rng) for _ in range(rng.randrange(6))]
        removed = [rng.randrange(80) for _ in range(rng.randrange(3))]
        for i in removed:
            board.pop(i, None)
        board.update({i.id: i for i in changed})
        figures.apply(changed, removed)
        severities, unacked, orphaned, services, loudest = recount(board)
        assert +figures.by_severity == severities
        assert (figures.unacknowledged, figures.orphaned, figures.loudest) == (unacked, orphaned, loudest)
        assert figures.services == services and figures.total == sum(severities.values())
    figures.replace([])
    assert figures.total == 0 and figures.loudest is None and not figures.services
