"""The command line (see README): `noc-console [--config PATH] [--db URL] [-v] COMMAND ...`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

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


def _incident_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an incident ID (a positive whole number)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="noc-console", description="NOC Console: incidents, SLA clocks and alarms.")
    parser.add_argument(
        "--config", type=Path, help="config file (default: $NOC_CONSOLE_CONFIG or the platform's)"
    )
    parser.add_argument("--db", help="database URL (default: $NOC_CONSOLE_DB, the config's, or SQLite)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands.add_parser("gui", help="the operator console (the default)")
    demo = commands.add_parser("demo", help="the console on a throwaway database fed by a simulated API")
    demo.add_argument(
        "--headless", type=_positive_float, metavar="SECONDS", help="no window; print a summary"
    )
    poll = commands.add_parser("poll", help="fetch every source once and apply it")
    poll.add_argument("--once", action="store_true", required=True, help="one round (required)")
    poll.add_argument("--json", action="store_true")
    commands.add_parser("poller", help="poll and escalate until SIGINT/SIGTERM")
    incidents = commands.add_parser("incidents", help="list open (or all) incidents")
    incidents.add_argument("--all", action="store_true")
    incidents.add_argument("--json", action="store_true")
    ack = commands.add_parser("ack", help="acknowledge an incident")
    ack.add_argument("id", type=_incident_id)
    ack.add_argument("--by")
    resolve = commands.add_parser("resolve", help="resolve an incident")
    resolve.add_argument("id", type=_incident_id)
    resolve.add_argument("--by")
    resolve.add_argument("--note")
    commands.add_parser("check-config", help="validate the config and reach every source once")
    secret = commands.add_parser("secret", help="credentials in the OS keyring")
    secret_commands = secret.add_subparsers(dest="secret_command", required=True, parser_class=_Parser)
    secret_set = secret_commands.add_parser("set", help="store a credential read from standard input")
    secret_set.add_argument("name")
    return parser


@dataclass
class Context:
    args: argparse.Namespace
    config: Any
    db_url: str

    def store(self) -> Any:
        from noc_console.store import open_store

        return open_store(self.db_url)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    from noc_console.config import ConfigError, default_database_url, load_config
    from noc_console.store import StoreError
    from noc_console.store.db import normalize_url

    command = args.command or "gui"
    if command == "secret":
        return _secret_set(args.name)
    if command == "demo":
        from noc_console.demo.runner import run_demo

        return run_demo(args.headless)
    try:
        config = load_config(args.config)
        db_url = args.db or os.environ.get("NOC_CONSOLE_DB") or config.database_url or default_database_url()
        normalize_url(db_url)
    except (ConfigError, StoreError) as exc:
        if isinstance(exc, StoreError) and args.db:
            raise UsageError(str(exc).replace("database.url", "--db", 1)) from None
        raise UsageError(str(exc)) from None
    context = Context(args=args, config=config, db_url=db_url)
    handler = {
        "gui": _gui,
        "poll": _poll_once,
        "poller": _poller,
        "incidents": _incidents,
        "ack": _ack,
        "resolve": _resolve,
        "check-config": _check_config,
    }[command]
    try:
        return handler(context)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _now() -> datetime:
    from noc_console.engine.scheduler import utcnow

    return utcnow()


def _sources(context: Context) -> list[Any]:
    from noc_console.config import ConfigError
    from noc_console.engine.poller import build_sources

    try:
        return build_sources(context.config.sources)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _poll_once(context: Context) -> int:
    from noc_console.engine.correlator import ApplyResult
    from noc_console.engine.poller import apply_outcome
    from noc_console.engine.scheduler import PollScheduler

    store = context.store()
    scheduler = PollScheduler(_sources(context))
    try:
        outcomes = scheduler.poll_all_now()
    finally:
        scheduler.close()
    total = ApplyResult()
    report = []
    for outcome in outcomes:
        total.merge(apply_outcome(store, context.config, outcome, _now()))
        report.append(
            {
                "name": outcome.source,
                "ok": outcome.error is None,
                "error": outcome.error.message if outcome.error else None,
                "alerts": len(outcome.snapshot.alerts) if outcome.snapshot else None,
                "stale": outcome.error is not None,
            }
        )
    store.close()
    failed = any(not r["ok"] for r in report)
    if context.args.json:
        print(
            json.dumps(
                {
                    "sources": report,
                    "opened": total.opened,
                    "updated": total.updated,
                    "resolved": total.resolved,
                }
            )
        )
    else:
        for r in report:
            state = f"ok, {r['alerts']} alerts" if r["ok"] else f"FAILED (stale): {r['error']}"
            print(f"{r['name']}: {state}")
        print(f"opened {total.opened}, updated {total.updated}, resolved {total.resolved}")
    if not context.config.sources:
        print("noc-console: no sources are configured ([[sources]] in the config file)", file=sys.stderr)
    return EXIT_SOURCE_FAILED if failed else EXIT_OK


def _poller(context: Context) -> int:
    from noc_console.engine.poller import Poller

    store = context.store()
    poller = Poller(store, context.config, sources=_sources(context))

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: stopping", signum)
        poller.stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("poller %s started on %s with %d sources", poller.holder, store.url, len(context.config.sources))
    poller.run()
    store.close()
    return EXIT_OK


def incident_json(incident: Any, policy: Any) -> dict[str, Any]:
    from noc_console.domain.sla import due_times

    clock = due_times(incident, policy)

    def iso(value: datetime | None) -> str | None:
        return value.isoformat().replace("+00:00", "Z") if value else None

    return {
        "id": incident.id,
        "title": incident.title,
        "severity": str(incident.severity),
        "status": str(incident.status),
        "service": incident.service,
        "detected_by": str(incident.detected_by),
        "source": incident.source,
        "opened_at": iso(incident.opened_at),
        "detected_at": iso(incident.detected_at),
        "acknowledged_at": iso(incident.acknowledged_at),
        "resolved_at": iso(incident.resolved_at),
        "ack_due_at": iso(clock.ack_due_at),
        "assessment_due_at": iso(clock.assessment_due_at),
        "next_customer_update_due_at": iso(clock.next_customer_update_due_at),
        "alert_count": incident.alert_count,
        "call_count": incident.call_count,
    }


def _incidents(context: Context) -> int:
    from noc_console.domain.sla import ack_remaining, format_countdown
    from noc_console.store import repository as repo

    store = context.store()
    with store.session() as session:
        incidents = repo.list_incidents(session, include_resolved=context.args.all)
    store.close()
    policy = context.config.sla
    if context.args.json:
        print(json.dumps([incident_json(i, policy) for i in incidents], indent=2))
        return EXIT_OK
    if not incidents:
        print("No open incidents." if not context.args.all else "No incidents.")
    now = _now()
    for i in incidents:
        left = ack_remaining(i, policy, now)
        due = f"ack due {format_countdown(left)}" if left is not None else str(i.status)
        print(f"#{i.id:<5} {i.severity.value.upper():<8} {due:<18} {i.service or '-':<14} {i.title}")
    return EXIT_OK


def _operator(context: Context) -> str:
    by = context.args.by if context.args.by is not None else context.config.operator
    if not by.strip():
        raise UsageError("--by: must not be empty")
    return str(by).strip()


def _ack(context: Context) -> int:
    return _action(context, "ack")


def _resolve(context: Context) -> int:
    return _action(context, "resolve")


def _action(context: Context, action: str) -> int:
    from noc_console.store import repository as repo

    by = _operator(context)
    store = context.store()
    try:
        with store.session() as session:
            if action == "ack":
                incident = repo.acknowledge(session, context.args.id, by, _now())
            else:
                incident = repo.resolve(session, context.args.id, by, _now(), note=context.args.note)
    except repo.UnknownIncident as exc:
        print(f"noc-console: ID: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN_ID
    finally:
        store.close()
    print(f"#{incident.id} {incident.status}: {incident.title}")
    return EXIT_OK


def _check_config(context: Context) -> int:
    from noc_console.engine.scheduler import PollScheduler

    config = context.config
    print(f"config: {config.path or 'none (defaults)'}; database: {context.db_url.split('@')[-1]}")
    scheduler = PollScheduler(_sources(context))
    try:
        outcomes = scheduler.poll_all_now()
    finally:
        scheduler.close()
    for outcome in outcomes:
        if outcome.error:
            print(f"{outcome.source}: FAILED: {outcome.error.message}")
        else:
            count = len(outcome.snapshot.alerts) if outcome.snapshot else 0
            print(f"{outcome.source}: ok ({count} alerts)")
    for warning in config_warnings(config):
        print(f"WARNING: {warning}")
    return EXIT_SOURCE_FAILED if any(o.error for o in outcomes) else EXIT_OK


def _secret_set(name: str) -> int:
    from noc_console.secrets import SecretError, set_secret

    if not name.strip() or ":" not in name:
        raise UsageError("NAME: expected source:<name>, provider:<name> or webhook")
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


def poller_argv(config_path: Path | None, db_url: str) -> list[str]:
    """The command that starts `noc-console poller` for the same config and database."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "noc_console"]
    if config_path is not None:
        base += ["--config", str(config_path)]
    from sqlalchemy.engine import make_url

    if make_url(db_url).password:
        # A command line is visible to every user of the machine (ps): hand a password to the
        # child through the environment it inherits instead.
        os.environ["NOC_CONSOLE_DB"] = db_url
        return [*base, "poller"]
    return [*base, "--db", db_url, "poller"]


def _gui(context: Context) -> int:
    from noc_console.ui.app import run_gui

    config = context.config
    argv = poller_argv(config.path, context.db_url)
    warnings = config_warnings(config)
    return int(run_gui(context.db_url, config.sla, config.operator, argv, warnings=warnings))


def config_warnings(config: Any) -> list[str]:
    """Standing risks in the configuration that an operator must see, one plain sentence each."""
    return [
        f"TLS verification is off for source {source.name}: its answers could be forged"
        for source in config.sources
        if not source.verify_tls
    ]
