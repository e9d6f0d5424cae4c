"""Build a scene in a throwaway SQLite store and save the incident wall as docs/wall.png.

Run under Xvfb, as a wall screen would run (full screen on a 1920x1080 display):
    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python docs/make_wall_screenshot.py

The scene is built around the time it runs (the wall judges every age and countdown by the database's
clock): a breached incident, an amber one, an acknowledged one, one a customer reported, and a source
whose login expired three minutes ago (BLIND). With `--lang es` it writes docs/wall-es.png: the same
wall in Spanish.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.correlation import SourceRules
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.engine.correlator import apply_snapshot, record_failure
from noc_console.store import open_store
from noc_console.store import repository as repo
from noc_console.store.lease import record_heartbeat, take_poller_lease
from noc_console.store.models import IncidentRow
from noc_console.ui.app import APP_NAME
from noc_console.ui.language import choose_language, install_language
from noc_console.ui.theme import apply_theme
from noc_console.ui.wall import WallWindow

DOCS = Path(__file__).resolve().parent
NOW = datetime.now(UTC).replace(microsecond=0)

# (source, fingerprint, severity, service, summary, minutes ago)
ALERTS = [
    (
        "prod-alertmanager",
        "c1",
        Severity.CRITICAL,
        "core-router",
        "BGP session down: ams-edge-1 ↔ AS1299",
        7.2,
    ),
    ("prod-alertmanager", "c2", Severity.CRITICAL, "payments", "Payments API latency p99 above 2 s", 3.9),
    ("prod-alertmanager", "m2", Severity.MAJOR, "dns", "Resolver latency p99 above 800 ms", 12.0),
    ("prod-alertmanager", "n1", Severity.MINOR, "storage", "Ceph OSD 14 near full (87 %)", 1.5),
    ("dc2-prometheus", "w1", Severity.WARNING, "mail", "Outbound mail queue above 2 000", 0.8),
    ("dc2-prometheus", "i1", Severity.INFO, "backup", "Nightly backup ran 20 min longer than usual", 0.4),
    ("dc2-prometheus", "w2", Severity.WARNING, "wifi-guest", "Guest Wi-Fi controller slow to answer", 0.3),
    ("dc2-prometheus", "i2", Severity.INFO, "printing", "Print server spool above 50 jobs", 0.2),
]
SOURCES = ("prod-alertmanager", "dc2-prometheus")
BLIND = "branch-am"


def alert(source: str, fp: str, severity: Severity, service: str, summary: str, ago_min: float) -> Alert:
    return Alert(
        source=source,
        fingerprint=fp,
        labels={"alertname": summary, "service": service},
        summary=summary,
        description="",
        severity=severity,
        starts_at=NOW - timedelta(minutes=ago_min),
        service=service,
    )


def build_scene(db_url: str) -> None:
    store = open_store(db_url)
    rules = SourceRules(resolve_after_missed=99, resolve_after=timedelta(minutes=30))
    try:
        for ago_min in sorted({a[5] for a in ALERTS}, reverse=True):
            at = NOW - timedelta(minutes=ago_min)
            fired = [a for a in ALERTS if a[5] >= ago_min]
            for source in SOURCES:
                mine = [alert(*a) for a in fired if a[0] == source]
                with store.session() as s:
                    apply_snapshot(s, AlertSnapshot.of(source, at, mine), now=at, rules=rules)
        with store.session() as s:
            apply_snapshot(
                s, AlertSnapshot.of(BLIND, NOW - timedelta(minutes=3), []), now=NOW - timedelta(minutes=3)
            )
            for seconds in (150, 90, 30, 5):
                record_failure(s, BLIND, "401 Unauthorized: token expired", NOW - timedelta(seconds=seconds))
        with store.session() as s:
            by_service = {i.service: i.id for i in repo.list_incidents(s)}
            repo.acknowledge(s, by_service["dns"], "m.okafor", NOW - timedelta(minutes=9))
            repo.assign(s, by_service["storage"], "j.doe", "m.okafor", NOW - timedelta(minutes=1))
            repo.open_customer_incident(
                s,
                title="Customers cannot log in to the web shop",
                service="web-shop",
                severity=Severity.MAJOR,
                by="helpdesk",
                now=NOW - timedelta(minutes=2, seconds=10),
            )
        with store.session() as s:  # yesterday's outage: its post-mortem is owed, the footer counts down
            done = repo.open_customer_incident(
                s,
                title="Card payments declined at checkout",
                service="payments",
                severity=Severity.CRITICAL,
                by="helpdesk",
                now=NOW - timedelta(hours=31),
            )
            repo.resolve(s, done.id, "m.okafor", NOW - timedelta(hours=30))
        with store.session() as s:
            for source in SOURCES:  # fresh: they answered a second ago
                mine = [alert(*a) for a in ALERTS if a[0] == source]
                snapshot = AlertSnapshot.of(source, NOW - timedelta(seconds=1), mine)
                apply_snapshot(s, snapshot, now=NOW - timedelta(seconds=1), rules=rules)
            holder = "noc-wall-1:48213:poller:1"
            epoch = take_poller_lease(s, holder, 48213, "noc-wall-1", 15.0)
            assert epoch is not None
            record_heartbeat(s, holder, epoch, 60.0, sent=True, error=None)  # the dead man's switch
        with store.session() as s:  # the mail queue crosses its threshold again and again: held open
            s.execute(
                update(IncidentRow)
                .where(IncidentRow.service == "mail")
                .values(flapping_since=NOW - timedelta(minutes=9))
            )
    finally:
        store.close()


def main() -> int:
    app = QApplication(sys.argv[:1])
    lang = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    install_language(app, choose_language(lang, QLocale.system()))  # as the console does
    app.setApplicationName(APP_NAME)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'noc.db'}"
        build_scene(db_url)
        window = WallWindow(db_url, SlaPolicy(), "m.okafor", poller=None)
        screen = app.primaryScreen()
        window.setGeometry(screen.geometry())
        window.showFullScreen()
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while len(window.board) < len(ALERTS) + 1 and datetime.now(UTC) < deadline:
            app.processEvents()
        while window.view.header_content().share.endswith("…") and datetime.now(UTC) < deadline:
            app.processEvents()
        # The moment a breached countdown is lit (it blinks at 1 Hz).
        while window.db_now().timestamp() % 1.0 > 0.3:
            app.processEvents()
        window.tick()
        app.processEvents()
        window.view.repaint()
        path = DOCS / (f"wall-{lang}.png" if lang else "wall.png")
        if not screen.grabWindow(0).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        window.close()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
