"""The command line (see README): `noc-console [--config PATH] [--db URL] [-v] COMMAND ...`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from noc_console.domain.clock import iso_z

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from noc_console.config import Config
    from noc_console.domain.actions import OperatorAction
    from noc_console.domain.incidents import Incident
    from noc_console.domain.sla import SlaPolicy
    from noc_console.engine.correlator import ApplyResult
    from noc_console.engine.scheduler import FetchOutcome
    from noc_console.sources.base import Source
    from noc_console.store import Store
    from noc_console.store.feed import Change

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SOURCE_FAILED, EXIT_UNKNOWN_ID = 0, 1, 2, 3, 4
log = logging.getLogger("noc_console")


class UsageError(Exception):
    """Invalid input: exit 2 with one line naming the field."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than zero")
    return value


def _screen_number(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a screen number (0 is the primary screen)")
    return int(text)


def _language(text: str) -> str:
    """--lang: a language the console speaks, alone or with a region (es, es_MX, es-AR, en_GB)."""
    from noc_console.domain.i18n import SPOKEN, language_code

    if not re.fullmatch(r"[A-Za-z]{2,3}([_-]([A-Za-z]{2}|[0-9]{3}))?", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a language (es, or a language and region: es_MX)")
    if language_code(text) not in SPOKEN:
        raise argparse.ArgumentTypeError(f"{text!r}: the console speaks {', '.join(SPOKEN)}")
    return text.strip()


def _rotate_seconds(text: str) -> float:
    from noc_console.domain.chart_range import ROTATE_MAX_S, ROTATE_MIN_S

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not ROTATE_MIN_S <= value <= ROTATE_MAX_S:  # NaN too
        raise argparse.ArgumentTypeError(
            f"{text!r} must be from {ROTATE_MIN_S:g} seconds (so that each page can be read before it "
            f"goes) to {ROTATE_MAX_S:g}"
        )
    return value


def _sequence(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a change number (0 or more)")
    return int(text)


def _incident_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an incident ID (a positive whole number)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    from noc_console.engine.launch import EXIT_WITH_PARENT

    parser = _Parser(prog="noc-console", description="NOC Console: incidents, SLA clocks and alarms.")
    parser.add_argument(
        "--config", type=Path, help="config file (default: $NOC_CONSOLE_CONFIG or the platform's)"
    )
    parser.add_argument("--db", help="database URL (default: $NOC_CONSOLE_DB, the config's, or SQLite)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    parser.add_argument(
        "--version", action="store_true", help="print the version, and the Qt, Python and database versions"
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    gui = commands.add_parser("gui", help="the operator console (the default)")
    wall = commands.add_parser("wall", help="the incident wall, full screen, for wall displays")
    demo = commands.add_parser("demo", help="the console on a throwaway database fed by a simulated API")
    gui.add_argument(
        "--theme",
        choices=("dark", "light"),
        help="dark (the default) or light, for desks in bright rooms; remembered (View > Light theme)",
    )
    for window in (gui, wall, demo):
        window.add_argument(
            "--lang",
            type=_language,
            metavar="LANG",
            help="the language of the window, and the locale of its dates and numbers: es (Latin American "
            "Spanish), en, or with a region (es_MX, es_AR); default: the system's locale when translated",
        )
    for window in (gui, wall):
        window.add_argument(
            "--reset-layout",
            action="store_true",
            help="forget the remembered window place, columns, tab and wall screen (filters are kept)",
        )
    wall.add_argument(
        "--screen",
        type=_screen_number,
        default=None,
        metavar="N",
        help="0 is the primary screen (default: the screen this desk's wall was last on, else 0)",
    )
    wall.add_argument(
        "--rotate",
        type=_rotate_seconds,
        metavar="SECONDS",
        help="alternate the incidents and the last 30 days' charts every SECONDS (10 or more); the "
        "incidents stay while any is unacknowledged (default: incidents only)",
    )
    desktop = commands.add_parser(
        "install-desktop", help="put the console in the desktop's menu (Linux: a .desktop entry and its icon)"
    )
    desktop.add_argument(
        "--target", type=Path, metavar="DIR", help="the data directory to write to (default: $XDG_DATA_HOME)"
    )
    demo.add_argument(
        "--headless", type=_positive_float, metavar="SECONDS", help="no window; print a summary"
    )
    demo.add_argument(
        "--no-history", action="store_true", help="start without the year of resolved incidents it seeds"
    )
    poll = commands.add_parser("poll", help="fetch every source once and apply it")
    poll.add_argument("--once", action="store_true", required=True, help="one round (required)")
    poll.add_argument("--json", action="store_true")
    poller = commands.add_parser("poller", help="poll and escalate until SIGINT/SIGTERM")
    poller.add_argument(
        EXIT_WITH_PARENT,
        action="store_true",
        help="stop cleanly when standard input closes (the console that started this one has gone)",
    )
    incidents = commands.add_parser("incidents", help="list open (or all) incidents")
    incidents.add_argument("--all", action="store_true")
    incidents.add_argument("--json", action="store_true")
    show = commands.add_parser("show", help="one incident with its timeline and alerts")
    show.add_argument("id", type=_incident_id)
    show.add_argument("--json", action="store_true")
    ack = commands.add_parser("ack", help="acknowledge an incident")
    ack.add_argument("id", type=_incident_id)
    ack.add_argument("--by")
    resolve = commands.add_parser("resolve", help="resolve an incident")
    resolve.add_argument("id", type=_incident_id)
    resolve.add_argument("--by")
    resolve.add_argument("--note")
    resolve.add_argument(
        "--false-positive", action="store_true", help="the alarm was wrong (counted by the metrics)"
    )
    note = commands.add_parser("note", help="add a note to an incident's timeline")
    note.add_argument("id", type=_incident_id)
    note.add_argument("text")
    note.add_argument("--by")
    assign = commands.add_parser("assign", help="give an incident an owner")
    assign.add_argument("id", type=_incident_id)
    assign.add_argument("--to", required=True)
    assign.add_argument("--by")
    update = commands.add_parser("update", help="log a customer update (restarts the update clock)")
    update.add_argument("id", type=_incident_id)
    update.add_argument("--text", required=True)
    update.add_argument("--channel", default="phone", help="phone, email, sms or status-page (default phone)")
    update.add_argument("--by")
    assess = commands.add_parser("assess", help="record the initial assessment (stops its clock)")
    assess.add_argument("id", type=_incident_id)
    assess.add_argument("--users", type=int, metavar="N", help="how many users are affected")
    assess.add_argument("--services", help="which services are affected")
    assess.add_argument("--impact", help="none, degraded or down")
    assess.add_argument("--text", help="what is known so far")
    assess.add_argument("--by")
    events = commands.add_parser("events", help="the change feed as lines (JSON with --json)")
    events.add_argument("--follow", action="store_true", help="keep printing changes as they commit")
    events.add_argument(
        "--since",
        type=_sequence,
        metavar="SEQ",
        help="changes after this one (default: all; with --follow: new)",
    )
    events.add_argument("--json", action="store_true")
    commands.add_parser("migrate", help="bring the database schema up to this release")
    commands.add_parser("check-config", help="validate the config and reach every source once")
    from noc_console import cli_calls, cli_maintenance, cli_metrics, cli_paging, cli_report

    cli_calls.add_parsers(commands, _Parser)
    cli_maintenance.add_parsers(commands, _Parser)
    cli_paging.add_parsers(commands, _incident_id)
    cli_metrics.add_parsers(commands)
    cli_report.add_parsers(commands, _incident_id)
    secret = commands.add_parser("secret", help="credentials in the OS keyring")
    secret_commands = secret.add_subparsers(dest="secret_command", required=True, parser_class=_Parser)
    secret_set = secret_commands.add_parser("set", help="store a credential read from standard input")
    secret_set.add_argument("name")
    return parser


@dataclass
class Context:
    args: argparse.Namespace
    config: Config
    db_url: str  # as configured: a password, if any, comes from the `database` credential at connect time

    def connect_url(self) -> str:
        """The URL to connect with: the configured one plus the `database` credential where it needs one."""
        from noc_console.secrets import optional_secret
        from noc_console.store.db import with_credential

        return with_credential(self.db_url, optional_secret)

    def store(self) -> Store:
        from noc_console.store import open_store

        return open_store(self.connect_url())

    def outbox_path(self) -> Path:
        from noc_console.config import default_outbox_path

        return default_outbox_path()


def main(argv: Sequence[str] | None = None) -> int:
    from noc_console.memory import limit_arenas

    limit_arenas()  # before any thread starts (noc_console.memory)
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, None if args.version else args.command)
    from noc_console.config import ConfigError, default_database_url, load_config
    from noc_console.store import StoreError
    from noc_console.store.db import normalize_url

    command = args.command or "gui"
    if command == "install-desktop":
        return _install_desktop(args.target)
    if command == "secret":
        return _secret_set(args.name)
    if command == "demo":
        from noc_console.demo.runner import run_demo

        return run_demo(args.headless, history=not args.no_history, language=args.lang)
    try:
        config = load_config(args.config)
        db_url = args.db or os.environ.get("NOC_CONSOLE_DB") or config.database_url or default_database_url()
        normalize_url(db_url)
    except (ConfigError, StoreError) as exc:
        if isinstance(exc, StoreError) and args.db:
            raise UsageError(str(exc).replace("database.url", "--db", 1)) from None
        raise UsageError(str(exc)) from None
    if args.version:
        from noc_console.desktop import database_version, version_report

        print(version_report(database_version(db_url)))
        return EXIT_OK
    context = Context(args=args, config=config, db_url=db_url)
    handlers: dict[str, Callable[[Context], int]] = {
        "gui": _gui,
        "wall": _wall,
        "poll": _poll_once,
        "poller": _poller,
        "incidents": _incidents,
        "show": _show,
        "ack": _act,
        "resolve": _act,
        "note": _act,
        "assign": _act,
        "update": _act,
        "assess": _act,
        "events": _events,
        "migrate": _migrate,
        "check-config": _check_config,
        "call": _call,
        "page": _page,
        "oncall": _oncall,
        "metrics": _metrics,
        "report": _report,
        "maintenance": _maintenance,
    }
    try:
        return handlers[command](context)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _install_desktop(target: Path | None) -> int:
    from noc_console.desktop import describe, install_desktop

    if not sys.platform.startswith("linux"):
        print("noc-console: install-desktop: menu entries are written on Linux only", file=sys.stderr)
        return EXIT_ERROR
    try:
        installed = install_desktop(target)
    except (OSError, ValueError) as exc:
        print(f"noc-console: install-desktop: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(describe(installed))
    return EXIT_OK


def _page(context: Context) -> int:
    from noc_console import cli_paging

    return cli_paging.page(context)


def _oncall(context: Context) -> int:
    from noc_console import cli_paging

    return cli_paging.oncall(context)


def _report(context: Context) -> int:
    from noc_console import cli_report

    return cli_report.run(context)


def _metrics(context: Context) -> int:
    from noc_console import cli_metrics

    return cli_metrics.run(context)


def _maintenance(context: Context) -> int:
    from noc_console import cli_maintenance

    return cli_maintenance.run(context)


def _call(context: Context) -> int:
    from noc_console import cli_calls

    return cli_calls.run(context)


# Long-running commands log to a file of their own in the platform's log directory (noc_console.logs).
LOG_FILES = {
    "gui": "gui.log",
    "wall": "wall.log",
    "poller": "poller.log",
    "poll": "poller.log",
    "demo": "demo.log",
}


def _setup_logging(verbose: int, command: str | None = None) -> None:
    from noc_console.logs import setup_logging

    setup_logging(verbose, LOG_FILES.get(command or "gui"))


def _sources(context: Context) -> list[Source]:
    from noc_console.engine.poller import build_sources

    return build_sources(context.config.sources)


def _poll_once(context: Context) -> int:
    """One round of every source, applied under the poller lease; refused while a poller holds it."""
    from noc_console.engine.correlator import ApplyResult
    from noc_console.engine.poller import LeaseKeeper, lease_seconds, new_holder, reconcile, store_outcome
    from noc_console.engine.scheduler import PollScheduler
    from noc_console.store import repository as repo

    store = context.store()
    keeper = LeaseKeeper(store, new_holder("poll-once"), lease_seconds(context.config))
    fence = keeper.beat()
    if fence is None:
        with store.read() as session:
            holder = repo.poller_status(session)
        store.close()
        if holder is None:
            print("noc-console: poll --once: could not take the poller lease (see the log)", file=sys.stderr)
        else:
            print(
                f"noc-console: poll --once: a poller (host {holder.host}, pid {holder.pid}) is already "
                "polling this database; it applies every source on its own, so this round would only race it",
                file=sys.stderr,
            )
        return EXIT_ERROR
    keeper.start()
    total = ApplyResult()
    report = []
    pending: dict[str, int] = {}
    try:
        reconcile(store, context.config, fence)
        _sync_silences(store, context.config, fence)
        scheduler = PollScheduler(_sources(context))
        try:
            outcomes = scheduler.poll_all_now()
        finally:
            scheduler.close()
        for outcome in outcomes:
            total.merge(store_outcome(store, context.config, outcome, fence))
            report.append(_source_report(outcome))
            pending[outcome.source] = _pending_of(outcome)
    finally:
        keeper.stop()
        store.close()
    _print_poll(context, report, total, pending)
    if not context.config.sources:
        print("noc-console: no sources are configured ([[sources]] in the config file)", file=sys.stderr)
    return EXIT_SOURCE_FAILED if any(not r["ok"] for r in report) else EXIT_OK


def _sync_silences(store: Store, config: Config, fence: Any) -> None:
    """Silence active maintenance windows at the Alertmanagers before their alerts are fetched."""
    import requests

    from noc_console.engine.maintenance import sync_silences

    with requests.Session() as http:
        http.trust_env = False
        report = sync_silences(store, config, (fence.holder, fence.epoch), http)
    for window_id, source, error in report.failed:
        print(f"noc-console: maintenance window {window_id}: silence at {source}: {error}", file=sys.stderr)


def _source_report(outcome: FetchOutcome) -> dict[str, Any]:
    return {
        "name": outcome.source,
        "ok": outcome.error is None,
        "error": outcome.error.message if outcome.error else None,
        "alerts": len(outcome.snapshot.alerts) if outcome.snapshot else None,
        "stale": outcome.error is not None,
        # Text output only (the JSON shape is fixed): it answers, but not fully (an HA member down).
        "_warning": outcome.snapshot.warning if outcome.snapshot and outcome.error is None else None,
    }


def _pending_of(outcome: FetchOutcome) -> int:
    """How many of the source's alerts are pending (shown, opening nothing until they fire)."""
    return sum(1 for a in outcome.snapshot.alerts if a.pending) if outcome.snapshot else 0


def _print_poll(
    context: Context, report: list[dict[str, Any]], total: ApplyResult, pending: dict[str, int]
) -> None:
    if context.args.json:
        print(
            json.dumps(
                {
                    "sources": [{k: v for k, v in r.items() if not k.startswith("_")} for r in report],
                    "opened": total.opened,
                    "updated": total.updated,
                    "resolved": total.resolved,
                }
            )
        )
        return
    for r in report:
        waiting = pending.get(r["name"], 0)
        state = f"ok, {r['alerts']} alerts" if r["ok"] else f"FAILED (stale): {r['error']}"
        if r["ok"] and waiting:
            state += f" ({waiting} pending: shown, opening nothing until they fire)"
        if r["_warning"]:
            state += f"; WARNING: {r['_warning']}"
        print(f"{r['name']}: {state}")
    print(f"opened {total.opened}, updated {total.updated}, resolved {total.resolved}")


def _poller(context: Context) -> int:
    from noc_console.engine.poller import Poller

    store = context.store()
    poller = Poller(store, context.config, sources=_sources(context))

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping", signum)
        poller.stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if context.args.exit_with_parent:
        _exit_with_parent(poller.stop_event)
    log.info("poller %s started on %s with %d sources", poller.holder, store.url, len(context.config.sources))
    poller.run()
    store.close()
    return EXIT_OK


def _exit_with_parent(stop: threading.Event) -> None:
    """Stop when the parent goes away: its end of our standard input closes (everywhere), and on Linux
    the kernel also sends SIGTERM when the parent dies (PR_SET_PDEATHSIG)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        except (OSError, AttributeError):
            log.debug("prctl(PR_SET_PDEATHSIG) is not available")
        if os.getppid() != parent:  # the parent died before the call above
            stop.set()

    def watch() -> None:
        # os.read, not sys.stdin: a daemon thread blocked inside a buffered reader's lock would
        # abort the interpreter at exit.
        try:
            fd = sys.stdin.fileno()
            while os.read(fd, 4096):
                pass
        except (OSError, ValueError, AttributeError):  # no standard input at all: the parent is gone
            pass
        log.info("the console that started this poller has gone: stopping")
        stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _iso(value: datetime | None) -> str | None:
    return iso_z(value)


def incident_json(incident: Incident, policy: SlaPolicy) -> dict[str, Any]:
    from noc_console.domain.sla import due_times

    clock = due_times(incident, policy)
    return {
        "id": incident.id,
        "title": incident.title,
        "severity": str(incident.severity),
        "status": str(incident.status),
        "service": incident.service,
        "detected_by": str(incident.detected_by),
        "source": incident.source,
        "opened_at": _iso(incident.opened_at),
        "detected_at": _iso(incident.detected_at),
        "impact_started_at": _iso(incident.impact_started_at),
        "acknowledged_at": _iso(incident.acknowledged_at),
        "acknowledged_by": incident.acknowledged_by,
        "assigned_to": incident.assigned_to,
        "assessed_at": _iso(incident.assessed_at),
        "resolved_at": _iso(incident.resolved_at),
        "false_positive": incident.false_positive,
        "needs_review": incident.needs_review,
        "ack_due_at": _iso(clock.ack_due_at),
        "assessment_due_at": _iso(clock.assessment_due_at),
        "next_customer_update_due_at": _iso(clock.next_customer_update_due_at),
        "postmortem_due_at": _iso(clock.postmortem_due_at),
        "exec_report_due_at": _iso(clock.exec_report_due_at),
        "clearing_at": _iso(incident.clearing_at),
        "orphaned": incident.orphaned,
        "flapping": incident.flapping,
        "flapping_since": _iso(incident.flapping_since) if incident.flapping else None,
        "alert_count": incident.alert_count,
        "call_count": incident.call_count,
    }


def _incidents(context: Context) -> int:
    from noc_console.domain.sla import ack_remaining, format_countdown
    from noc_console.store import repository as repo

    store = context.store()
    with store.read() as session:
        incidents = repo.list_incidents(session, include_resolved=context.args.all)
        now = repo.db_now(session)
    store.close()
    policy = context.config.sla
    if context.args.json:
        print(json.dumps([incident_json(i, policy) for i in incidents], indent=2))
        return EXIT_OK
    if not incidents:
        print("No open incidents." if not context.args.all else "No incidents.")
    for i in incidents:
        left = ack_remaining(i, policy, now)
        due = f"ack due {format_countdown(left)}" if left is not None else str(i.status)
        if i.orphaned:
            due = "ORPHANED"
        elif i.flapping:
            due = "FLAPPING"
        elif i.clearing_at is not None:
            due = f"clearing {i.clearing_at.astimezone():%H:%M}"
        print(f"#{i.id:<5} {i.severity.value.upper():<8} {due:<18} {i.service or '-':<14} {i.title}")
    return EXIT_OK


def _show(context: Context) -> int:
    from noc_console.cli_calls import call_json
    from noc_console.cli_paging import page_json
    from noc_console.store import repository as repo
    from noc_console.store.calls import calls_of
    from noc_console.store.paging import pages_of
    from noc_console.store.writeback import writebacks_of

    store = context.store()
    try:
        with store.read() as session:
            found = repo.get_incidents(session, [context.args.id])
            if not found:
                raise repo.UnknownIncident(context.args.id)
            incident = found[0]
            entries = repo.timeline(session, incident.id)
            alerts = repo.alerts_of(session, incident.id)
            shown = incident_json(incident, context.config.sla)
            shown["timeline"] = [
                {"at": _iso(e.at), "kind": e.kind, "by": e.actor, "text": e.text} for e in entries
            ]
            shown["alerts"] = [
                {
                    "fingerprint": a.fingerprint,
                    "labels": a.labels,
                    "state": a.state,
                    "silenced": a.silenced or a.inhibited,
                    "pending": a.pending,
                    "flapping_since": _iso(a.flapping_since) if incident.flapping else None,
                    "starts_at": _iso(a.starts_at),
                    "ended_at": _iso(a.resolved_at),
                }
                for a in alerts
            ]
            shown["calls"] = [call_json(call) for call in calls_of(session, incident.id)]
            shown["pages"] = [page_json(row) for row in pages_of(session, incident.id)]
            writebacks = writebacks_of(session, incident.id)
    except repo.UnknownIncident as exc:
        print(f"noc-console: ID: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN_ID
    finally:
        store.close()
    if context.args.json:
        print(json.dumps(shown, indent=2))
        return EXIT_OK
    print(f"#{shown['id']} {str(shown['severity']).upper()} {shown['status']}: {shown['title']}")
    print(f"  service {shown['service'] or '-'} · detected {shown['detected_at']} by {shown['detected_by']}")
    for a in shown["alerts"]:
        flags = " (silenced)" if a["silenced"] else ""
        flags += " (pending at the source)" if a["pending"] else ""
        flags += f" (flapping since {a['flapping_since']})" if a["flapping_since"] else ""
        print(f"  alert {a['fingerprint']} {a['state']}{flags}")
    for c in shown["calls"]:
        who = "anonymised caller" if c["anonymised"] else f"{c['caller']} ({c['phone']})"
        acked = f"acknowledged by {c['customer_acked_by']}" if c["customer_acked_at"] else "NOT acknowledged"
        print(f"  call {c['received_at']} {who}: {acked}; told {len(c['told'])} time(s)")
    for p in shown["pages"]:
        state = p["status"] + (f", {p['delivery']}" if p["delivery"] else "")
        problem = f" — {p['error']}" if p["error"] else ""
        via = p["provider"] or "-"
        print(f"  page {p['action']} {p['target']} by {p['channel']} via {via}: {state}{problem}")
    now = datetime.now(UTC)
    for w in writebacks:
        print(f"  write-back {w.describe(now)}")
    for e in shown["timeline"]:
        print(f"  {e['at']}  {e['kind']:<14} {e['by']:<12} {e['text']}")
    return EXIT_OK


def _operator(context: Context) -> str:
    by = context.args.by if context.args.by is not None else context.config.operator
    if not by.strip():
        raise UsageError("--by: must not be empty")
    return str(by).strip()


# The command line's names for the fields an InvalidInput names.
_FLAGS = {
    "by": "--by", "to": "--to", "channel": "--channel", "users": "--users", "services": "--services",
    "impact": "--impact", "assessment": "assess",
}  # fmt: skip
_TEXT_FLAG = {"note": "TEXT", "resolve": "--note"}  # where the action's `text` came from


def _action_from_args(context: Context) -> OperatorAction:
    from noc_console.domain.actions import ActionKind, OperatorAction

    args = context.args
    kind = {
        "ack": ActionKind.ACKNOWLEDGE, "resolve": ActionKind.RESOLVE, "note": ActionKind.NOTE,
        "assign": ActionKind.ASSIGN, "assess": ActionKind.ASSESS, "update": ActionKind.UPDATE,
    }[args.command]  # fmt: skip
    return OperatorAction(
        kind=kind,
        incident_id=args.id,
        by=_operator(context),
        text=getattr(args, "note", None) if kind is ActionKind.RESOLVE else getattr(args, "text", None),
        to=getattr(args, "to", None),
        channel=getattr(args, "channel", None) or "phone",
        users=getattr(args, "users", None),
        services=getattr(args, "services", None),
        impact=getattr(args, "impact", None),
        false_positive=bool(getattr(args, "false_positive", False)),
    )


def _act(context: Context) -> int:
    """One operator action (ack, resolve, note, assign, assess, update) in one transaction.

    Bad input exits 2 naming the option, before the database is opened; an unknown ID exits 4.
    """
    from noc_console.domain.inputs import InvalidInput
    from noc_console.store import repository as repo
    from noc_console.store.actions import perform

    action = _action_from_args(context)

    def usage(exc: InvalidInput) -> UsageError:
        flag = _FLAGS.get(exc.field) or _TEXT_FLAG.get(context.args.command, f"--{exc.field}")
        return UsageError(f"{flag}: {exc.problem}")

    try:
        action.validate()
    except InvalidInput as exc:
        raise usage(exc) from None
    store = context.store()
    try:
        with store.session() as session:
            said = perform(session, action, repo.db_now(session))
            if context.args.command == "update":
                said += _next_update(context, session, action.incident_id)
    except repo.UnknownIncident as exc:
        print(f"noc-console: ID: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN_ID
    except InvalidInput as exc:
        raise usage(exc) from None
    finally:
        store.close()
    print(said)
    return EXIT_OK


def _next_update(context: Context, session: Session, incident_id: int) -> str:
    from noc_console.domain.sla import due_times
    from noc_console.store import repository as repo

    (incident,) = repo.get_incidents(session, [incident_id])
    due = due_times(incident, context.config.sla).next_customer_update_due_at
    return f"; next update due {_iso(due)}" if due else ""


def _events(context: Context) -> int:
    """Print the change feed; with --follow, wait for changes (LISTEN on PostgreSQL) until SIGINT/SIGTERM.

    Every change is printed once, in commit order: the feed is numbered at commit (store/feed.py), and a
    follower that lost its connection re-reads from the last number it printed.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from noc_console.store import repository as repo
    from noc_console.store.db import first_line
    from noc_console.store.listen import ChangeListener

    args = context.args
    store = context.store()
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if args.follow:
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    listener = ChangeListener(store.engine) if args.follow else None
    try:
        if args.since is not None:
            seen = args.since
        elif args.follow:
            with store.read() as session:
                seen = repo.latest_change_seq(session)
        else:
            seen = 0
        away = False
        while True:
            try:
                while True:  # everything after `seen`, a thousand at a time
                    with store.read() as session:
                        changes = repo.changes_since(session, seen)
                    for change in changes:
                        print(_change_line(change, args.json), flush=True)
                        seen = change.seq
                    if len(changes) < 1000:
                        break
                if away:
                    print("noc-console: events: the database answers again", file=sys.stderr, flush=True)
                    away = False
            except SQLAlchemyError as exc:
                if not args.follow:
                    raise
                if not away:
                    print(
                        f"noc-console: events: reconnecting ({first_line(exc)})", file=sys.stderr, flush=True
                    )
                    away = True
            if not args.follow or stop.is_set():
                return EXIT_OK
            assert listener is not None
            if listener.available:
                listener.wait(1.0)  # woken at once by a commit; once a second anyway
            else:
                stop.wait(0.25)
            if stop.is_set():
                return EXIT_OK
    finally:
        if listener is not None:
            listener.close()
        store.close()


def _change_line(change: Change, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "seq": change.seq,
                "at": _iso(change.at),
                "kind": change.kind,
                "incident_id": change.incident_id,
                "source": change.source,
            }
        )
    what = f"#{change.incident_id}" if change.incident_id is not None else change.source or ""
    return f"{change.seq}\t{_iso(change.at)}\t{change.kind}\t{what}"


def _migrate(context: Context) -> int:
    from noc_console.store.db import make_engine, migrate, schema_revision

    engine = make_engine(context.connect_url())
    try:
        before = migrate(engine, "migrate")
        after = schema_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"database is up to date (schema revision {after})")
    else:
        print(f"database migrated from schema revision {before or 'empty'} to {after}")
    return EXIT_OK


def _check_config(context: Context) -> int:
    from noc_console import cli_check

    return cli_check.run(context)


def _secret_set(name: str) -> int:
    from noc_console.secrets import SecretError, set_secret

    if not name.strip() or (":" not in name and name not in ("database", "receiver", "heartbeat")):
        raise UsageError("NAME: expected source:<name>, provider:<name>, database, receiver or heartbeat")
    value = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else _prompt(name)
    try:
        set_secret(name, value)
    except SecretError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"stored {name} in the OS keyring")
    return EXIT_OK


def _prompt(name: str) -> str:
    import getpass

    return getpass.getpass(f"{name}: ")


def _gui(context: Context) -> int:
    from noc_console.config import config_warnings
    from noc_console.engine.launch import poller_command
    from noc_console.store import StoreError
    from noc_console.ui.app import run_gui

    config = context.config
    if getattr(context.args, "reset_layout", False):  # (none when `gui` is implied)
        from noc_console.ui.layout import console_settings, reset_layout

        reset_layout(console_settings())
    try:
        context.store().close()  # migrate once, here, before the window and its poller open it
    except StoreError as exc:
        log.error("%s", exc)  # the window shows it too, and keeps retrying without changing anything
    command = poller_command(config.path, context.db_url)
    warnings = partial(config_warnings, config)  # said once the window's language is installed
    from noc_console.ui.call_form import HelpdeskSettings
    from noc_console.ui.language import LanguageError
    from noc_console.ui.lead import LeadSettings

    helpdesk = HelpdeskSettings.of(config)
    try:
        return int(
            run_gui(
                context.connect_url(),
                config.sla,
                config.operator,
                command,
                warnings=warnings,
                helpdesk=helpdesk,
                lead=LeadSettings.of(config),
                theme_name=getattr(context.args, "theme", None),  # (none when `gui` is implied)
                language=getattr(context.args, "lang", None),
            )
        )
    except LanguageError as exc:  # raised before any window opens
        raise UsageError(str(exc)) from None


def _wall(context: Context) -> int:
    from noc_console.engine.launch import poller_command
    from noc_console.store import StoreError
    from noc_console.ui.layout import WALL_SCREEN, console_settings, reset_layout
    from noc_console.ui.wall import NoSuchScreen, pick_screen, remembered_screen, run_wall
    from noc_console.ui.wall_rotation import WallCharts

    settings = console_settings()
    if context.args.reset_layout:
        reset_layout(settings)
    try:
        if context.args.screen is None:  # the screen this desk's wall was on, if it is still there
            screen = remembered_screen(str(settings.value(WALL_SCREEN) or "")) or pick_screen(0)
        else:
            screen = pick_screen(context.args.screen)  # before anything else: a wrong N changes nothing
    except NoSuchScreen as exc:
        raise UsageError(f"--screen: {exc}") from None
    settings.setValue(WALL_SCREEN, screen.name())
    settings.sync()
    config = context.config
    try:
        context.store().close()  # migrate once, here, before the wall and its poller open it
    except StoreError as exc:
        log.error("%s", exc)  # the wall shows it too, and keeps retrying without changing anything
    command = poller_command(config.path, context.db_url)
    rotate_s: float | None = context.args.rotate
    charts = None
    if rotate_s is not None:
        charts = WallCharts(config.catalog, tuple(s.name for s in config.sources), rotate_s)
    from noc_console.ui.language import LanguageError

    try:
        return int(
            run_wall(
                context.connect_url(), config.sla, config.operator, command, screen, charts=charts,
                language=context.args.lang,
            )
        )  # fmt: skip
    except LanguageError as exc:  # raised before the wall opens
        raise UsageError(str(exc)) from None
