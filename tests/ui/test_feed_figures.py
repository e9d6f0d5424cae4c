"""The feed reads the wall's figures in its worker thread: today's detection share, the last success."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.severity import Severity
from noc_console.engine.correlator import apply_snapshot
from noc_console.store import open_store
from noc_console.store.models import IncidentRow
from noc_console.ui.feed import FeedFollower


def alert(fp: str, service: str, at: datetime) -> Alert:
    return Alert(
        source="prod-am",
        fingerprint=fp,
        labels={"alertname": f"{service} down", "service": service},
        summary=f"{service} down",
        description="",
        severity=Severity.MAJOR,
        starts_at=at,
        service=service,
    )


def test_detection_share_and_last_success_are_sent_only_when_asked_for(qtbot, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'noc.db'}"
    store = open_store(url)
    now = datetime.now(UTC).replace(microsecond=0)
    with store.session() as s:
        snapshot = AlertSnapshot.of("prod-am", now, [alert(f"a{n}", f"svc{n}", now) for n in range(4)])
        apply_snapshot(s, snapshot, now=now)
        s.execute(update(IncidentRow).where(IncidentRow.service == "svc0").values(detected_by="customer"))
    # Lists filled by the worker thread (a plain callable is called there); waitSignal would stop its
    # timer from that thread.
    plain = FeedFollower(url)
    shares: list[tuple[int, int]] = []
    snapshots: list[int] = []
    plain.detectionShare.connect(lambda internal, total: shares.append((internal, total)))
    plain.snapshot.connect(lambda incidents, _health, _poller: snapshots.append(len(incidents)))
    plain.start()
    try:
        qtbot.waitUntil(lambda: snapshots == [4], timeout=5000)
        qtbot.wait(300)  # a poll or more after the snapshot
    finally:
        plain.stop()
    assert shares == []  # the console does not pay for the wall's figures

    follower = FeedFollower(url, figures_every_s=60)
    lasts: list[datetime | None] = []
    follower.detectionShare.connect(lambda internal, total: shares.append((internal, total)))
    follower.lastSuccess.connect(lasts.append)
    try:
        follower.start()
        qtbot.waitUntil(lambda: bool(shares and lasts), timeout=5000)
        assert shares == [(3, 4)]  # svc0 was reported by a customer
        assert lasts[0] is not None and abs(lasts[0] - now) < timedelta(seconds=1)
        later = now + timedelta(seconds=10)
        with store.session() as s:
            apply_snapshot(s, AlertSnapshot.of("prod-am", later, [alert("a1", "svc1", now)]), now=later)
        qtbot.waitUntil(lambda: len(lasts) == 2, timeout=5000)
        assert lasts[1] is not None and abs(lasts[1] - later) < timedelta(seconds=1)
        assert shares == [(3, 4)]  # not again before a minute has passed
    finally:
        follower.stop()
        store.close()
