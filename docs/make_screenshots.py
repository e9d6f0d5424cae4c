"""Build a realistic scene in a throwaway SQLite store and save the operator window as docs/*.png, and
the lead's charts over a quarter of generated history as docs/charts.png.

Run under Xvfb (or with QT_QPA_PLATFORM=offscreen):
    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python docs/make_screenshots.py
With QT_SCALE_FACTOR=2 (and a 3840x2160 screen) it writes only docs/operator-window-2x.png: the same
window at 200 %, to check that it stays crisp on a high-DPI desk. With `--synthetic` it writes only
docs/synthetic-check.png. With `--lang es` it writes only docs/operator-window-es.png: the same window
in Spanish (docs/make_wall_screenshot.py --lang es: the wall).

The scene is built around the time it runs: the window judges every age and countdown by the
database's clock, which is now.
"""

from __future__ import annotations

import math
import os
import random
import sys
import tempfile
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, update

from noc_console.config import parse_config
from noc_console.demo.history import seed_history
from noc_console.domain.alerts import Alert, AlertSnapshot
from noc_console.domain.calls import CallDraft, new_call_id
from noc_console.domain.chart_range import ChartRange
from noc_console.domain.correlation import ServiceCatalog, ServiceDef, SourceRules
from noc_console.domain.incidents import DetectionSource
from noc_console.domain.latency_baseline import learned_alert
from noc_console.domain.severity import Severity
from noc_console.domain.sla import SlaPolicy
from noc_console.domain.synthetic import CheckRun, CheckStep, HttpCheck, StepResult
from noc_console.engine.correlator import apply_snapshot, reconcile_sources, record_failure
from noc_console.sources.base import SourceConfig
from noc_console.store import Store, open_store
from noc_console.store import repository as repo
from noc_console.store.calls import add_call
from noc_console.store.check_runs import load_baseline, record_run
from noc_console.store.lease import take_poller_lease
from noc_console.store.models import AlertRow, IncidentRow
from noc_console.store.paging import import_directory
from noc_console.ui.app import APP_NAME, grab_screenshot
from noc_console.ui.call_form import HelpdeskSettings
from noc_console.ui.charts_page import ChartsPage
from noc_console.ui.language import choose_language, install_language
from noc_console.ui.main_window import MainWindow
from noc_console.ui.theme import apply_theme

DOCS = Path(__file__).resolve().parent
NOW = datetime.now(UTC).replace(microsecond=0)

# (source, fingerprint, severity, service, summary, minutes ago)
ALERTS = [
    ("prod-alertmanager", "c1", Severity.CRITICAL, "checkout", "Checkout API 5xx rate above 5 %", 3.5),
    (
        "prod-alertmanager",
        "c2",
        Severity.CRITICAL,
        "core-router",
        "BGP session down: ams-edge-1 ↔ AS1299",
        7.2,
    ),
    ("prod-alertmanager", "m1", Severity.MAJOR, "vpn", "Site-to-site VPN tunnel fra-2 flapping", 2.1),
    ("prod-alertmanager", "m2", Severity.MAJOR, "dns", "Resolver latency p99 above 800 ms", 12.0),
    ("prod-alertmanager", "n1", Severity.MINOR, "storage", "Ceph OSD 14 near full (87 %)", 25.0),
    ("prod-alertmanager", "w1", Severity.WARNING, "mail", "Outbound mail queue above 2 000", 41.0),
    ("prod-alertmanager", "i1", Severity.INFO, "backup", "Nightly backup ran 20 min longer than usual", 95.0),
    ("dc2-prometheus", "d1", Severity.MAJOR, "wifi-guest", "Guest Wi-Fi controller unreachable", 18.0),
    ("old-zabbix", "z1", Severity.MINOR, "printing", "Print server spool stuck", 64.0),
]
CLEARING = "m1"  # gone from the source a minute ago: resolves unless it fires again
SILENCED = "n1"  # silenced at the source since it opened
SOURCES = ("prod-alertmanager", "dc2-prometheus", "old-zabbix")


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
    rules = SourceRules(resolve_after_missed=99, resolve_after=timedelta(minutes=4))
    try:
        for ago_min in sorted({a[5] for a in ALERTS}, reverse=True):
            at = NOW - timedelta(minutes=ago_min)
            fired = [a for a in ALERTS if a[5] >= ago_min]
            for source in SOURCES:
                mine = [alert(*a) for a in fired if a[0] == source]
                with store.session() as s:
                    apply_snapshot(s, AlertSnapshot.of(source, at, mine), now=at, rules=rules)
        with store.session() as s:
            dns = next(i for i in repo.list_incidents(s) if i.service == "dns")
            repo.acknowledge(s, dns.id, "m.okafor", NOW - timedelta(minutes=9))
            bgp = next(i for i in repo.list_incidents(s) if i.service == "core-router")
            repo.assign(s, bgp.id, "r.silva", "j.doe", NOW - timedelta(minutes=5))
            repo.record_assessment(
                s, bgp.id, "r.silva", NOW - timedelta(minutes=4), users_affected=12_000,
                services_affected="core-router, transit", business_impact="degraded",
                text_="Traffic fails over to AS3356; latency to the US up 40 ms",
            )  # fmt: skip
            repo.add_note(s, bgp.id, "r.silva", "Telia NOC ticket 4711 opened", NOW - timedelta(minutes=3))
        final = [alert(*a) for a in ALERTS if a[0] == "prod-alertmanager" and a[1] != CLEARING]
        final = [replace(a, silenced=True) if a.fingerprint == SILENCED else a for a in final]
        with store.session() as s:
            apply_snapshot(
                s,
                AlertSnapshot.of("prod-alertmanager", NOW - timedelta(seconds=62), final),
                now=NOW - timedelta(seconds=62),
                rules=rules,
            )
        with store.session() as s:
            apply_snapshot(
                s,
                AlertSnapshot.of("prod-alertmanager", NOW - timedelta(seconds=2), final),
                now=NOW,
                rules=rules,
            )
            configured = [
                SourceConfig(name, "alertmanager", "https://example.invalid", interval_s=10)
                for name in SOURCES[:2]
            ]
            reconcile_sources(s, configured, NOW)  # old-zabbix left the config: its incident is orphaned
            for seconds in (70, 40, 10):
                record_failure(
                    s,
                    "dc2-prometheus",
                    "HTTP 500 Internal Server Error from /api/v1/alerts",
                    NOW - timedelta(seconds=seconds),
                )
        with store.session() as s:
            take_poller_lease(s, "noc-wall-1:48213:poller:1", 48213, "noc-wall-1", 15.0)
            paging = parse_config(tomllib.loads(SCENE_PAGING)).paging
            import_directory(s, paging.people, paging.schedules, paging.policies, NOW)
        with store.session() as s:  # a customer phoned about checkout: it joins the incident we have
            checkout = next(i for i in repo.list_incidents(s) if i.service == "checkout")
            call = CallDraft(
                call_id=new_call_id(), caller="Priya Natarajan", phone="+44 20 7946 0321", service="checkout",
                summary="Our customers get an error page when they pay", taken_by="helpdesk-li",
                received_at=NOW - timedelta(minutes=2), organisation="Harbour Books", users_affected=300,
                impact="degraded", placement="attach", attach_to=checkout.id,
            ).checked("GB")  # fmt: skip
            add_call(s, call, NOW - timedelta(minutes=2), policy=SlaPolicy(), aliases={})
        with store.session() as s:  # the guest Wi-Fi controller comes and goes: held open, not rung again
            s.execute(
                update(IncidentRow)
                .where(IncidentRow.service == "wifi-guest")
                .values(flapping_since=NOW - timedelta(minutes=9))
            )
        build_maintenance(store)
    finally:
        store.close()


def build_maintenance(store: Store) -> None:
    """A mail window on now, holding two alerts and silenced at Alertmanager; an upcoming VPN one."""
    from noc_console.domain.maintenance import NewWindow
    from noc_console.store.maintenance import SILENCE_ACTIVE, add_window, record_silence, write_held

    with store.session() as s:
        why = "Exchange cumulative update CU14, change CHG-2231"
        mail = add_window(
            s, NewWindow("mail", NOW - timedelta(minutes=20), NOW + timedelta(hours=1, minutes=40), why,
                         "m.okafor"), NOW - timedelta(hours=3),
        )  # fmt: skip
        add_window(
            s, NewWindow("vpn", NOW + timedelta(hours=6), NOW + timedelta(hours=8),
                         "Firewall HA pair firmware 7.4.3", "r.silva"), NOW - timedelta(hours=1),
        )  # fmt: skip
        am = "prod-alertmanager"
        held = [
            alert(am, "mail-smtp", Severity.CRITICAL, "mail", "SMTP relay not accepting mail", 12),
            alert(am, "mail-imap", Severity.MAJOR, "mail", "IMAP logins failing on mbx-02", 8),
        ]
        write_held(s, "prod-alertmanager", held, ["mail", "mail"], NOW)
        record_silence(s, mail.id, "prod-alertmanager", NOW - timedelta(minutes=20),
                       silence_id="8d3f2c6e-51b4-4bd1-9a0e-4f8f1e0c7a21", state=SILENCE_ACTIVE)  # fmt: skip


def maintenance_tab(app: QApplication, window: MainWindow) -> Path:
    """The Maintenance tab: a window on now with the alerts it holds, greyed; an upcoming one; the form."""
    window.tabs.setCurrentWidget(window.maintenance_page)
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while window.maintenance.held.rowCount() < 2 and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    return grab_screenshot(window, DOCS / "maintenance.png")


def phone_report(app: QApplication, window: MainWindow) -> Path:
    """The helpdesk tab with a call half typed and the incidents it likely matches."""
    window.open_call_form()
    form = window.helpdesk.form
    form.caller.setText("Dana Whitfield")
    form.org.setText("Whitfield & Co Solicitors")
    form.phone.setText("020 7946 0018")
    form.service.setEditText("check-out")
    form.summary.setPlainText("Paying for an order fails: the page says 'payment could not be completed'")
    form.started.setText("15 min ago")
    form.users.setText("12")
    form.impact.setCurrentIndex(form.impact.findData("degraded"))
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while form.matches.count() < 2 and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    return grab_screenshot(window, DOCS / "phone-report.png")


SCENE_PAGING = """
[[people]]
name = "r.silva"
phone = "+442079460101"
email = "r.silva@example.com"

[[people]]
name = "m.okafor"
phone = "+442079460102"
chat = "@m.okafor"

[[people]]
name = "j.doe"
phone = "+442079460103"
email = "j.doe@example.com"

[[schedules]]
name = "network"
time_zone = "Europe/London"
rotation = "weekly"
handoff = "09:00"
people = ["r.silva", "m.okafor", "j.doe"]

[[schedules]]
name = "payments"
time_zone = "America/New_York"
rotation = "daily"
handoff = "08:00"
people = ["j.doe", "m.okafor"]

[[providers]]
name = "pd"
type = "pagerduty"

[[providers]]
name = "phones"
type = "twilio"
account_sid = "AC00000000000000000000000000000000"
from = "+442079460000"

[[policies]]
name = "criticals"
severities = ["critical"]
repeat = 2
auto = true

[[policies.levels]]
targets = ["schedule:network"]
channels = ["sms", "voice"]
wait_minutes = 10

[[policies.levels]]
targets = ["pd"]
channels = ["pagerduty"]
wait_minutes = 15
"""


def on_call_tab(app: QApplication, window: MainWindow) -> Path:
    """The On call tab: who is on call now and next, people, policies."""
    window.tabs.setCurrentWidget(window.directory_page)
    window.runner.request_on_call()
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while window.directory.schedule_table.rowCount() < 2 and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    return grab_screenshot(window, DOCS / "on-call.png")


# A quarter of history for the charts: (service, critical, share detected internally at the end of the
# quarter, incidents a week). A share of 0 is a service no source watches: only customers report it.
HISTORY = [
    ("checkout", True, 0.94, 7.0),
    ("core-router", True, 0.97, 3.0),
    ("dns", True, 0.91, 4.0),
    ("vpn", True, 0.78, 3.5),
    ("hr-portal", True, 0.0, 0.6),
    ("mail", False, 0.88, 2.5),
    ("storage", False, 0.96, 2.0),
    ("wifi-guest", False, 0.82, 2.0),
    ("backup", False, 0.99, 1.0),
    ("printing", False, 0.0, 1.2),
]


def build_history(db_url: str, days: int = 91, seed: int = 7) -> None:
    """Resolved incidents of the last `days` days, detection improving over the quarter (seeded)."""
    rng = random.Random(seed)  # noqa: S311 - a made-up history, no secret
    incidents, alerts = [], []
    for service, _critical, share, per_week in HISTORY:
        for _ in range(round(per_week * days / 7)):
            ago = rng.uniform(0.05, days)
            detected = NOW - timedelta(days=ago)
            # Coverage improves as the quarter goes on: ten points lower at its start.
            internal = rng.random() < max(share - 0.10 * ago / days, 0.0)
            impact = detected - timedelta(seconds=rng.lognormvariate(5.2 if internal else 7.0, 0.7))
            acked = detected + timedelta(seconds=rng.lognormvariate(4.9, 0.6))
            resolved = acked + timedelta(seconds=rng.lognormvariate(8.3, 0.9))
            incidents.append(
                {
                    "title": f"{service}: history", "severity": rng.choice(["critical", "major", "minor"]),
                    "status": "resolved", "service": service, "correlation_key": f"service:{service}",
                    "detected_by": "monitoring" if internal else "customer",
                    "source": SOURCES[0] if internal else None, "opened_at": detected,
                    "detected_at": detected, "last_alert_at": detected, "acknowledged_at": acked,
                    "resolved_at": resolved, "impact_started_at": impact,
                    "false_positive": internal and rng.random() < 0.05,
                }
            )  # fmt: skip
    store = open_store(db_url)
    try:
        with store.session() as s:
            s.execute(insert(IncidentRow), incidents)
            ids = {row.service: row.id for row in s.query(IncidentRow.service, IncidentRow.id)}
            for service, _critical, share, _per_week in HISTORY:
                if share > 0:  # a source's alerts name it: it is monitored
                    alerts.append(
                        {
                            "incident_id": ids[service], "source": SOURCES[0], "fingerprint": service,
                            "name": "Down", "labels": {"service": service}, "summary": "",
                            "description": "", "severity": "major", "state": "resolved",
                            "service": service, "silenced": False, "starts_at": NOW,
                            "first_seen_at": NOW, "last_seen_at": NOW,
                        }
                    )  # fmt: skip
            s.execute(insert(AlertRow), alerts)
    finally:
        store.close()


def charts(app: QApplication, folder: Path) -> Path:
    """The lead's charts over the last 90 days of a quarter's history."""
    db_url = f"sqlite:///{folder / 'history.db'}"
    build_history(db_url)
    catalog = ServiceCatalog(tuple(ServiceDef(name, critical=critical) for name, critical, *_ in HISTORY))
    page = ChartsPage(db_url, catalog, SOURCES[:2], chart_range=ChartRange.last(90))
    page.resize(1920, 1080)
    page.show()
    page.start()
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while page.view.metrics is None and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    try:
        return grab_screenshot(page, DOCS / "charts.png")
    finally:
        page.stop()
        page.close()


def postmortems(app: QApplication, folder: Path) -> Path:
    """The Post-mortems tab on two months of the demo's history: the list with its clocks and one
    draft open, with its timeline, early warning signs and action items."""
    db_url = f"sqlite:///{folder / 'postmortems.db'}"
    store = open_store(db_url)
    try:
        with store.session() as session:
            seed_history(session, NOW, days=60)
    finally:
        store.close()
    window = MainWindow(db_url, SlaPolicy(), "j.doe", poller=None, outbox_path=folder / "pm-outbox.db")
    window.resize(1920, 1080)
    window.show()
    tab = window.lead.postmortems
    window.tabs.setCurrentWidget(window.lead_tabs[tab])
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while not tab.lines and datetime.now(UTC) < deadline:
        app.processEvents()
    # the richest one to show: a draft or an owed one with early warning signs, else the first
    row = next((n for n, line in enumerate(tab.lines) if not line.finished), 0)
    tab.list.selectRow(row)
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while tab.opened is None and datetime.now(UTC) < deadline:
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    try:
        return grab_screenshot(window, DOCS / "postmortems.png")
    finally:
        window.close()


def synthetic_check(app: QApplication, folder: Path) -> Path:
    """The operator window with a synthetic check's incident selected: its last 24 hours charted in
    the details pane (latency, the band learned from four weeks, the static limit, failures)."""
    db_url = f"sqlite:///{folder / 'synthetic.db'}"
    build_scene(db_url)
    check = HttpCheck(steps=(CheckStep("request"),), latency_limit_ms=3000, service="storefront")
    rng = random.Random(11)  # noqa: S311  (a reproducible scene, not a secret)
    store = open_store(db_url)
    try:
        with store.session() as s:
            at = NOW - timedelta(weeks=4, hours=1)
            while at < NOW - timedelta(minutes=20):
                rush = 1.0 + 0.6 * math.exp(-(((at.hour + at.minute / 60) - 14) ** 2) / 8)  # afternoons
                ms = rng.gauss(380, 35) * rush
                failed = (at > NOW - timedelta(hours=1) and at.minute < 5) or rng.random() < 0.003
                step = StepResult(
                    "request", 503 if failed else 200, ms, "HTTP 503 (expected 2xx)" if failed else None
                )
                record_run(s, CheckRun("checkout-probe", at, (step,), ms, limit_ms=3000))
                at += timedelta(minutes=5)
        slow_step = StepResult("request", 200, 1900.0)
        slow = CheckRun("checkout-probe", NOW - timedelta(seconds=4), (slow_step,), 1900.0, limit_ms=3000)
        with store.session() as s:
            baseline = load_baseline(s, "checkout-probe", slow.at)
            learned = learned_alert(check, slow, "checkout-probe", baseline)
            assert learned is not None, "the scene's slow run must stand out"
            record_run(s, slow, learned.summary)
            rules = SourceRules(detected_by=DetectionSource.SYNTHETIC)
            apply_snapshot(
                s, AlertSnapshot.of("checkout-probe", slow.at, [learned]), now=slow.at, rules=rules
            )
    finally:
        store.close()
    window = MainWindow(db_url, SlaPolicy(), "j.doe", poller=None, outbox_path=folder / "synthetic-outbox.db")
    window.resize(1920, 1080)
    window.show()
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while window.model.rowCount() <= len(ALERTS) - 1 and datetime.now(UTC) < deadline:
        app.processEvents()
    rows = [window.model.incident_at(row) for row in range(window.model.rowCount())]
    window.tabs.setCurrentWidget(window.table)  # not the tab the last screenshot left remembered
    window.select_incident(next(i.id for i in rows if i.source == "checkout-probe"))
    window.tick()
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while datetime.now(UTC) < deadline:
        chart = window.details.check_chart  # made when the first history arrives
        if chart is not None and chart.history is not None:
            break
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    try:
        return grab_screenshot(window, DOCS / "synthetic-check.png")
    finally:
        window.close()


def main() -> int:
    app = QApplication(sys.argv[:1])
    lang = sys.argv[sys.argv.index("--lang") + 1] if "--lang" in sys.argv else None
    suffix = f"-{lang}" if lang else ""
    install_language(app, choose_language(lang, QLocale.system()))  # as the console does
    settings_dir = tempfile.TemporaryDirectory()  # the screenshot ignores this desk's saved filters
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir.name)
    app.setApplicationName(APP_NAME)
    apply_theme(app)
    if "--synthetic" in sys.argv:  # only docs/synthetic-check.png
        with tempfile.TemporaryDirectory() as tmp:
            print(f"wrote {synthetic_check(app, Path(tmp))}")
        settings_dir.cleanup()
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'noc.db'}"
        build_scene(db_url)
        helpdesk = HelpdeskSettings("GB", ["checkout", "core-router", "vpn", "dns", "mail"], {})
        outbox = Path(tmp) / "outbox.db"
        window = MainWindow(db_url, SlaPolicy(), "j.doe", poller=None, helpdesk=helpdesk, outbox_path=outbox)
        window.resize(1920, 1080)
        window.show()
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while window.model.rowCount() < len(ALERTS) and datetime.now(UTC) < deadline:
            app.processEvents()
        app.processEvents()
        window.select_incident(window.model.incident_at(0).id)
        window.tick()
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while window.details.timeline.rowCount() < 4 and datetime.now(UTC) < deadline:
            app.processEvents()
        for _ in range(20):
            app.processEvents()
        while int(window.db_now().timestamp()) % 2 or window.db_now().timestamp() % 1.0 > 0.3:
            app.processEvents()  # the moment a breached countdown is lit (it blinks: lit on even seconds)
        window.tick()
        app.processEvents()
        scale = os.environ.get("QT_SCALE_FACTOR")
        if scale and float(scale) != 1:  # a high-DPI check: the operator window only, at this scale
            path = grab_screenshot(window, DOCS / f"operator-window-{scale}x.png")
            window.close()
            print(f"wrote {path}")
            return 0
        path = grab_screenshot(window, DOCS / f"operator-window{suffix}.png")
        print(f"wrote {path}")
        if lang:
            window.close()
            return 0
        window.set_theme("light")  # the same scene for a desk in a bright room
        for _ in range(20):
            app.processEvents()
        path = grab_screenshot(window, DOCS / "operator-window-light.png")
        print(f"wrote {path}")
        window.set_theme("dark")
        for _ in range(5):
            app.processEvents()
        path = phone_report(app, window)
        print(f"wrote {path}")
        path = on_call_tab(app, window)
        print(f"wrote {path}")
        path = maintenance_tab(app, window)
        window.close()
        print(f"wrote {path}")
        path = charts(app, Path(tmp))
        print(f"wrote {path}")
        path = postmortems(app, Path(tmp))
        print(f"wrote {path}")
        path = synthetic_check(app, Path(tmp))
    settings_dir.cleanup()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
