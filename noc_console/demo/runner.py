"""`noc-console demo`: the real pipeline (poller process, store, console) fed by the simulated API."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from noc_console.demo.actor import DEMO_SERVICES, DEMO_SLA
from noc_console.demo.history import seed_history
from noc_console.demo.history_catalog import BRANCH_SOURCE, DEMO_SOURCE
from noc_console.demo.pager_sink import DemoPagerSink
from noc_console.demo.simulator import ScenarioAlert, SimulatedAlertmanager
from noc_console.domain.incidents import DetectionSource
from noc_console.engine.launch import PollerCommand, poller_command
from noc_console.store import Store

# The branch office's Alertmanager answers for this long, then refuses our login: the demo shows a
# source going BLIND.
BRANCH_LOGIN_EXPIRES_S = 45.0
BRANCH_SCENARIO = (
    ScenarioAlert(
        offset_s=3,
        labels={"alertname": "BranchUplinkErrors", "severity": "warning", "service": "branch-leeds"},
        annotations={"summary": "Leeds branch uplink: interface errors rising"},
    ),
)


def write_demo_config(
    directory: Path, url: str, branch_url: str | None = None, pager_url: str | None = None
) -> Path:
    """The demo's config: the simulators polled every 2 seconds, and short SLA clocks.

    The acknowledge clock is one minute and the assessment two, so that within the first two minutes
    the demo shows clocks going amber and then breaching, beside the ones operators stop in time.
    """
    path = directory / "config.toml"
    sources = [(DEMO_SOURCE, url)] + ([(BRANCH_SOURCE, branch_url)] if branch_url else [])
    text = (
        "[operator]\n"
        'name = "demo-operator"\n\n'
        "[sla]\n"
        f"ack_minutes = {DEMO_SLA.ack.total_seconds() / 60:g}\n"
        f"assessment_minutes = {DEMO_SLA.assessment.total_seconds() / 60:g}\n"
        f"customer_update_minutes = {DEMO_SLA.customer_update.total_seconds() / 60:g}\n\n"
        "[helpdesk]\n"
        'default_region = "GB"\n\n'
    )
    for name, source_url in sources:
        text += (
            "[[sources]]\n"
            f'name = "{name}"\n'
            'type = "alertmanager"\n'
            f'url = "{source_url}"\n'
            "interval_s = 2\n"
            "timeout_s = 2\n"
            "resolve_after_s = 20\n\n"  # longer than the VPN's 15 s flap: it clears, then fires again
        )
    for service in DEMO_SERVICES:
        listed = ", ".join(f'"{word}"' for word in service.aliases)
        labels = ", ".join(f'{key} = "{value}"' for key, value in service.match.items())
        text += (
            f'[[services]]\nname = "{service.name}"\ncritical = {str(service.critical).lower()}\n'
            f"match = {{ {labels} }}\naliases = [{listed}]\n\n"
        )
    if pager_url is not None:
        text += _paging_config(pager_url)
    path.write_text(text, encoding="utf-8")
    return path


def _paging_config(pager_url: str) -> str:
    """Two on-call engineers and their phones (the demo's pager endpoint): an unacknowledged critical
    incident pages the on-call engineer when its acknowledge clock breaches, the second line 30 s
    later, and stops when someone acknowledges."""
    return (
        '[[people]]\nname = "r.silva"\nphone = "+442079460101"\nemail = "r.silva@example.com"\n\n'
        '[[people]]\nname = "m.okafor"\nphone = "+442079460102"\nemail = "m.okafor@example.com"\n\n'
        '[[schedules]]\nname = "primary"\ntime_zone = "Europe/London"\nrotation = "daily"\n'
        'handoff = "09:00"\npeople = ["r.silva", "m.okafor"]\n\n'
        f'[[providers]]\nname = "on-call-phone"\ntype = "webhook"\nurl = "{pager_url}/on-call"\n\n'
        f'[[providers]]\nname = "second-line"\ntype = "webhook"\nurl = "{pager_url}/second-line"\n\n'
        '[[policies]]\nname = "criticals"\nseverities = ["critical"]\nauto = true\n\n'
        '[[policies.levels]]\ntargets = ["on-call-phone"]\nchannels = ["webhook"]\nwait_minutes = 0.5\n\n'
        '[[policies.levels]]\ntargets = ["second-line"]\nchannels = ["webhook"]\nwait_minutes = 0.5\n\n'
    )


def seed_demo_history(store: Store) -> datetime:
    """A year of resolved history for the charts and reports, unless the database has incidents already;
    says so on the console. Returns the database's time after it: the live demo starts there."""
    from noc_console.progress import TerminalProgress
    from noc_console.store import repository as repo

    started = time.monotonic()
    bar = TerminalProgress("demo: history")  # on a terminal only

    def announce(done: int, total: int) -> None:
        if done == 0:
            print(f"demo: seeding a year of history ({total:,} incidents)…", flush=True)
        bar(done, total)

    with store.session() as session:
        seeded = seed_history(session, repo.db_now(session), progress=announce)
    bar.close()
    if seeded:
        print(f"demo: history seeded in {time.monotonic() - started:.1f} s", flush=True)
    with store.read() as session:
        return repo.db_now(session)


def run_demo(headless_seconds: float | None, *, history: bool = True, language: str | None = None) -> int:
    """Run the demo; with `headless_seconds`, no window: poll for that long and print a summary.
    `history`: seed a year of resolved incidents first (on an empty database); `language`: --lang."""
    from noc_console.demo.actor import DemoActor
    from noc_console.store import open_store

    branch = SimulatedAlertmanager(BRANCH_SCENARIO, login_expires_at_s=BRANCH_LOGIN_EXPIRES_S)
    with (
        tempfile.TemporaryDirectory(prefix="noc-console-demo-") as tmp,
        SimulatedAlertmanager() as simulator,
        branch,
        DemoPagerSink() as pager,
    ):
        for name in ("ON_CALL_PHONE", "SECOND_LINE"):  # the demo pager's key, for the poller child
            os.environ[f"NOC_CONSOLE_SECRET_PROVIDER_{name}"] = pager.key
        directory = Path(tmp)
        config_path = write_demo_config(directory, simulator.url, branch.url, pager.url)
        db_url = f"sqlite:///{directory / 'demo.db'}"
        command = poller_command(config_path, db_url)
        print(
            f"demo: simulated Alertmanagers at {simulator.url} and {branch.url}; "
            f"database {directory / 'demo.db'}",
            flush=True,
        )
        store = open_store(db_url)  # migrate before the window and the poller both open it
        actor: DemoActor | None = None
        try:
            live_since = seed_demo_history(store) if history else None
            actor = DemoActor(store).start()
            if headless_seconds is None:
                from noc_console.config import load_config
                from noc_console.ui.app import run_gui

                config = load_config(config_path)
                from noc_console.ui.call_form import HelpdeskSettings
                from noc_console.ui.lead import LeadSettings

                helpdesk = HelpdeskSettings(
                    config.helpdesk.region, config.catalog.names, config.catalog.aliases
                )
                title = "NOC · DEMO"
                lead = LeadSettings.of(config)
                return int(
                    run_gui(
                        db_url,
                        config.sla,
                        config.operator,
                        command,
                        title=title,
                        helpdesk=helpdesk,
                        lead=lead,
                        language=language,
                    )
                )
            return _headless(command, store, headless_seconds, pager, live_since)
        finally:
            if actor is not None:
                actor.stop()
            store.close()


def _start(command: PollerCommand) -> subprocess.Popen[bytes]:
    """The poller child, holding a pipe from us on its standard input: it stops when we go away."""
    env = {**os.environ, **command.env}
    return subprocess.Popen(command.argv, stdin=subprocess.PIPE, env=env)  # noqa: S603 - our own executable


def _headless(
    command: PollerCommand, store: Store, seconds: float, pager: DemoPagerSink, live_since: datetime | None
) -> int:
    """Run the poller for `seconds`, then print what the demo did: the incidents detected since
    `live_since` (the seeded history is not part of the run)."""
    from noc_console.store import repository as repo

    process = _start(command)
    deadline = time.monotonic() + seconds
    restarts = 0
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                restarts += 1
                print(f"demo: poller exited with status {process.returncode}; restarting", file=sys.stderr)
                process = _start(command)
            time.sleep(0.2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdin is not None:
            process.stdin.close()
    with store.read() as session:
        everything = [
            i
            for i in repo.list_incidents(session, include_resolved=True)
            if live_since is None or i.detected_at >= live_since
        ]
        health = repo.list_source_health(session)
        changes = repo.latest_change_seq(session)
        now = repo.db_now(session)
        breaches = {
            i.id: sum(e.kind == "sla_breach" for e in repo.timeline(session, i.id)) for i in everything
        }
        stopped = {
            i.id: [e.text for e in repo.timeline(session, i.id) if e.text.startswith("Escalation stopped")]
            for i in everything
        }
    open_now = [i for i in everything if i.is_open]
    print(
        f"demo summary after {seconds:g} s: opened {len(everything)} incidents, "
        f"{len(open_now)} still open, {len(everything) - len(open_now)} resolved; "
        f"{changes} changes; poller restarts {restarts}"
    )
    for incident in everything:
        marks = [
            "CUSTOMER-DETECTED" if incident.detected_by is DetectionSource.CUSTOMER else "",
            "NEEDS REVIEW" if incident.needs_review else "",
            f"{breaches[incident.id]} SLA breach(es)" if breaches[incident.id] else "",
            f"owner {incident.owner}" if incident.owner else "",
            *[text.upper() for text in stopped[incident.id]],
        ]
        count = "1 alert" if incident.alert_count == 1 else f"{incident.alert_count} alerts"
        counted = "" if incident.title.endswith(f"({count})") else f" ({count})"  # or the title says it
        print(
            f"  #{incident.id} {incident.severity.value:<8} {incident.status.value:<12} "
            f"{incident.service or '-':<12} {incident.title}{counted}"
            + "".join(f" [{m}]" for m in marks if m)
        )
    for page in pager.received:
        where, level, number = page["path"], page["level"], page["incident_id"]
        print(f"  page received at {where}: level {level} for #{number} {page['title']}")
    for source in health:
        if source.is_stale(now):
            state = "BLIND: " + (source.last_error or "no data")
        else:
            state = f"ok, {source.alert_count} alerts"
        print(f"  source {source.name}: {state}")
    if not everything:
        print("demo: no incident was opened; the pipeline is not working", file=sys.stderr)
        return 1
    return 0
