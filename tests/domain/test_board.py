import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from noc_console.domain.board import Changed, IncidentBoard, Inserted, Removed, board_key
from noc_console.domain.incidents import DetectionSource, Incident, IncidentStatus
from noc_console.domain.severity import Severity

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def incident(
    id: int,
    severity: Severity = Severity.MAJOR,
    status: IncidentStatus = IncidentStatus.OPEN,
    minutes: int = 0,
    title: str = "",
) -> Incident:
    at = T0 + timedelta(minutes=minutes)
    return Incident(
        id=id,
        title=title or f"incident {id}",
        severity=severity,
        status=status,
        service="web",
        detected_by=DetectionSource.MONITORING,
        source="am",
        opened_at=at,
        detected_at=at,
    )


def ids(board: IncidentBoard) -> list[int]:
    return [i.id for i in board.rows]


def replay(rows: list[Incident], events: list) -> list[Incident]:
    """What a view does with the events: must end equal to the board."""
    rows = list(rows)
    for event in events:
        if isinstance(event, Inserted):
            rows[event.row : event.row] = list(event.incidents)
        elif isinstance(event, Removed):
            del rows[event.row : event.row + event.count]
        else:
            rows[event.row] = event.incident
    return rows


def test_initial_order_is_loudest_then_open_then_oldest() -> None:
    board = IncidentBoard(
        [
            incident(1, Severity.MINOR),
            incident(2, Severity.CRITICAL, minutes=5),
            incident(3, Severity.CRITICAL, IncidentStatus.ACKNOWLEDGED, minutes=1),
            incident(4, Severity.CRITICAL, minutes=2),
            incident(5, Severity.INFO, IncidentStatus.RESOLVED),
        ]
    )
    assert ids(board) == [4, 2, 3, 1]
    assert board.row_of(3) == 2
    assert board.row_of(5) is None
    assert board.incident_at(0).id == 4


def test_insert_returns_row_at_sorted_place() -> None:
    board = IncidentBoard([incident(1, Severity.CRITICAL), incident(2, Severity.MINOR)])
    events = board.apply([incident(3, Severity.MAJOR)], [])
    assert events == [Inserted(1, (incident(3, Severity.MAJOR),))]
    assert events[0].count == 1
    assert ids(board) == [1, 3, 2]


def test_change_in_place_reports_changed_only_when_different() -> None:
    first = incident(1)
    board = IncidentBoard([first, incident(2, Severity.MINOR)])
    assert board.apply([first]) == []
    renamed = replace(first, title="renamed", firing_count=3)
    assert board.apply([renamed]) == [Changed(0, renamed)]
    assert board.incident_at(0).title == "renamed"


def test_sort_key_change_moves_row() -> None:
    board = IncidentBoard([incident(1, Severity.CRITICAL), incident(2, Severity.CRITICAL, minutes=1)])
    acked = replace(board.incident_at(0), status=IncidentStatus.ACKNOWLEDGED)
    events = board.apply([acked])
    assert events == [Removed(0, 1), Inserted(1, (acked,))]
    assert ids(board) == [2, 1]


def test_resolved_and_removed_ids_drop_off() -> None:
    board = IncidentBoard([incident(1), incident(2, minutes=1), incident(3, minutes=2)])
    resolved = replace(board.incident_at(1), status=IncidentStatus.RESOLVED)
    events = board.apply([resolved], removed_ids=[3, 99])
    assert events == [Removed(1, 2)]  # adjacent rows leave as one run
    assert ids(board) == [1]
    assert board.apply([replace(resolved, id=42)]) == []


def test_events_replayed_in_order_reproduce_the_board() -> None:
    start = [incident(i, list(Severity)[i % 5], minutes=i) for i in range(1, 12)]
    board = IncidentBoard(start)
    view = list(board.rows)
    updates = [
        replace(start[0], severity=Severity.INFO),
        replace(start[3], status=IncidentStatus.ACKNOWLEDGED, acknowledged_by="ana"),
        replace(start[5], status=IncidentStatus.RESOLVED),
        replace(start[6], title="same place"),
        incident(50, Severity.CRITICAL, minutes=-10),
        incident(51, Severity.WARNING, minutes=30),
    ]
    events = board.apply(updates, removed_ids=[start[8].id])
    assert replay(view, events) == list(board.rows)
    assert len(board) == 11 - 2 + 2


def test_a_snapshot_on_an_empty_board_is_one_insert() -> None:
    board = IncidentBoard()
    snapshot = [incident(i, list(Severity)[i % 5], minutes=-i) for i in range(1, 10_001)]
    random.Random(1).shuffle(snapshot)
    events = board.replace_all(snapshot)
    assert len(events) == 1
    assert isinstance(events[0], Inserted)
    assert events[0].row == 0 and events[0].count == 10_000
    assert list(events[0].incidents) == list(board.rows)
    assert [board.row_of(i.id) for i in board.rows] == list(range(10_000))
    assert board.row_of(10_001) is None


def test_a_snapshot_on_a_full_board_removes_and_inserts_in_runs() -> None:
    board = IncidentBoard([incident(i, minutes=i) for i in range(1, 11)])
    view = list(board.rows)
    keep = [board.incident_at(r) for r in (0, 1, 2, 7, 8, 9)]
    events = board.replace_all([*keep, incident(20, minutes=5), incident(21, minutes=6)])
    assert events == [Removed(3, 4), Inserted(3, (incident(20, minutes=5), incident(21, minutes=6)))]
    assert replay(view, events) == list(board.rows)


def random_change_set(rng: random.Random, board: IncidentBoard, next_id: int, size: int) -> tuple[list, list]:
    present = [i.id for i in board.rows]
    changes: list[Incident] = []
    removed: list[int] = []
    for _ in range(size):
        what = rng.random()
        if present and what < 0.3:
            current = board.get(rng.choice(present))
            assert current is not None
            changes.append(replace(current, severity=rng.choice(list(Severity))))
        elif present and what < 0.45:
            current = board.get(rng.choice(present))
            assert current is not None
            changes.append(replace(current, title=f"renamed {rng.random()}"))
        elif present and what < 0.6:
            current = board.get(rng.choice(present))
            assert current is not None
            changes.append(replace(current, status=rng.choice(list(IncidentStatus))))
        elif present and what < 0.7:
            removed.append(rng.choice(present))
        else:
            changes.append(
                incident(next_id + len(changes), rng.choice(list(Severity)), minutes=rng.randint(-99, 99))
            )
    return changes, removed


def test_random_change_sets_replayed_reproduce_the_board_both_ways_round() -> None:
    rng = random.Random(7)
    for descending in (False, True):
        board = IncidentBoard([incident(i, list(Severity)[i % 5], minutes=i % 13) for i in range(1, 300)])
        if descending:
            board.set_order(lambda i: (i.title, i.id), descending=True)
        next_id = 1000
        for size in (1, 5, 31, 33, 200, 3, 120):  # both the one-by-one and the merging paths
            view = list(board.rows)
            changes, removed = random_change_set(rng, board, next_id, size)
            next_id += size
            events = board.apply(changes, removed)
            assert replay(view, events) == list(board.rows)
            assert [board.row_of(i.id) for i in board.rows] == list(range(len(board)))
            for row, shown in enumerate(board.rows):
                assert board.incident_at(row) is shown


def test_set_order_sorts_by_any_key_and_keeps_following_changes() -> None:
    board = IncidentBoard([incident(1, title="b"), incident(2, title="c"), incident(3, title="a")])
    board.set_order(lambda i: (i.title, i.id))
    assert ids(board) == [3, 1, 2]
    board.set_order(lambda i: (i.title, i.id), descending=True)
    assert ids(board) == [2, 1, 3]
    assert board.row_of(3) == 2 and board.incident_at(0).id == 2
    view = list(board.rows)
    events = board.apply([incident(4, title="bb")])
    assert events == [Inserted(1, (incident(4, title="bb"),))]
    assert ids(board) == [2, 4, 1, 3]
    assert replay(view, events) == list(board.rows)


def test_ordered_by_a_value_keeps_ties_in_the_boards_order_and_follows_change_sets() -> None:
    rng = random.Random(5)
    base = IncidentBoard(
        [incident(i, list(Severity)[i % 5], minutes=i % 7, title=f"t{i % 9}") for i in range(1, 400)]
    )
    by_title = base.ordered_by(lambda i: i.title)
    expected = sorted(base.rows, key=lambda i: (i.title, board_key(i)))
    assert list(by_title.rows) == expected
    assert list(base.rows) == sorted(base.rows, key=board_key)  # the base board is left as it was
    next_id = 1000
    for size in (1, 7, 40, 300, 2):  # both the one-by-one and the merging paths
        view = list(by_title.rows)
        changes, removed = random_change_set(rng, by_title, next_id, size)
        next_id += size
        base.apply(changes, removed)
        events = by_title.apply(changes, removed)
        assert replay(view, events) == list(by_title.rows)
        assert list(by_title.rows) == sorted(base.rows, key=lambda i: (i.title, board_key(i)))
        assert [by_title.row_of(i.id) for i in by_title.rows] == list(range(len(by_title)))


def test_ordered_by_descending_shows_the_order_back_to_front() -> None:
    base = IncidentBoard(
        [incident(1, title="b"), incident(2, title="a"), incident(3, Severity.CRITICAL, title="b")]
    )
    by_title = base.ordered_by(lambda i: i.title, descending=True)
    assert ids(by_title) == [1, 3, 2]  # "b" before "a"; within "b" the base order (3 before 1) reversed
    assert by_title.row_of(2) == 2 and by_title.incident_at(0).id == 1


def test_set_order_with_the_same_key_only_turns_the_order_round() -> None:
    calls = []

    def by_title(i: Incident) -> tuple:
        calls.append(i.id)
        return (i.title, i.id)

    board = IncidentBoard(
        [incident(1, title="b"), incident(2, title="c"), incident(3, title="a")], key=by_title
    )
    calls.clear()
    board.set_order(by_title, descending=True)
    assert calls == [] and ids(board) == [2, 1, 3]
    board.set_order(by_title)
    assert calls == [] and ids(board) == [3, 1, 2]


def test_what_bulk_makes_leaves_the_young_generations_to_nothing_else() -> None:
    import gc

    from noc_console.domain.board import bulk

    assert gc.isenabled()
    with bulk():
        with bulk():  # nested: only the outermost one turns collection back on
            made = [(n, f"key {n}") for n in range(10_000)]
        assert not gc.isenabled()
    assert gc.isenabled()
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    assert not any(id(key) in young for key in made)  # the next young collection does not walk them
    assert gc.is_tracked(made[0])  # still collectable, by a full collection
