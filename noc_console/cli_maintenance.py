"""`noc-console maintenance add|list|end`: maintenance windows (the service's alerts open no incident)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.clock import iso_z

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from noc_console.cli import Context
    from noc_console.domain.maintenance import MaintenanceWindow
    from noc_console.store.maintenance import HeldAlert, SilenceState

EXIT_OK, EXIT_USAGE = 0, 2
# The command line's names for the fields a checked window names.
_FLAGS = {"service": "--service", "from": "--from", "to": "--to", "reason": "--reason", "by": "--by"}


def add_parsers(commands: Any, parser_class: type) -> None:
    maintenance = commands.add_parser("maintenance", help="maintenance windows: no incidents meanwhile")
    sub = maintenance.add_subparsers(dest="maintenance_command", required=True, parser_class=parser_class)
    add = sub.add_parser("add", help="schedule a maintenance window for a service")
    add.add_argument("--service", required=True, help="the service (as [[services]] names it)")
    add.add_argument(
        "--from", dest="starts", required=True, metavar="ISO", help="start, with offset or Z; or now"
    )
    add.add_argument("--to", dest="ends", required=True, metavar="ISO", help="end, with offset or Z")
    add.add_argument("--reason", required=True, help="why (shown to operators and in the silence)")
    add.add_argument("--by", help="who schedules it (default: [operator] name)")
    add.add_argument("--json", action="store_true")
    listing = sub.add_parser("list", help="active and upcoming windows (--all: every window)")
    listing.add_argument("--all", action="store_true", help="include windows that are over")
    listing.add_argument("--json", action="store_true")
    end = sub.add_parser("end", help="end a window now (an upcoming one is called off)")
    end.add_argument("id", metavar="ID")
    end.add_argument("--by", help="who ends it (default: [operator] name)")


def run(context: Context) -> int:
    command = context.args.maintenance_command
    if command == "add":
        return _add(context)
    if command == "list":
        return _list(context)
    return _end(context)


def _usage(field: str, problem: str) -> Exception:
    from noc_console.cli import UsageError

    return UsageError(f"{_FLAGS.get(field, field)}: {problem}")


def _by(context: Context) -> str:
    from noc_console.domain import inputs
    from noc_console.domain.inputs import InvalidInput

    by = context.args.by if context.args.by is not None else context.config.operator
    try:
        return inputs.name("by", by)
    except InvalidInput as exc:
        raise _usage("by", exc.problem) from None


def _time(field: str, text: str, now: datetime) -> datetime:
    from noc_console.domain.inputs import InvalidInput
    from noc_console.domain.maintenance import parse_time

    if field == "from" and text.strip().lower() == "now":
        return now
    try:
        return parse_time(field, text)
    except InvalidInput as exc:
        raise _usage(field, exc.problem) from None


def known_services(session: Session, configured: list[str]) -> list[str]:
    """Services a window may name: the configured ones, and those stored alerts were mapped to."""
    from sqlalchemy import select

    from noc_console.store.models import AlertRow

    seen = session.scalars(select(AlertRow.service).where(AlertRow.service.is_not(None)).distinct())
    return sorted(set(configured) | {s for s in seen if s})


def _add(context: Context) -> int:
    from noc_console.domain.inputs import InvalidInput
    from noc_console.domain.maintenance import checked_window
    from noc_console.store import repository as repo
    from noc_console.store.maintenance import add_window

    args = context.args
    by = _by(context)
    store = context.store()
    try:
        with store.session() as session:
            now = repo.db_now(session)
            starts, ends = _time("from", args.starts, now), _time("to", args.ends, now)
            known = known_services(session, context.config.catalog.names)
            try:
                new = checked_window(
                    args.service, starts, ends, args.reason, by, now=now, known_services=known
                )
            except InvalidInput as exc:
                raise _usage(exc.field, exc.problem) from None
            window = add_window(session, new, now)
    finally:
        store.close()
    if not known:
        print(
            f"noc-console: warning: --service {window.service!r}: no services are configured and no alert "
            "has named one yet, so this name could not be checked",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(window_json(window, now, [], [])))
    else:
        state = "on now" if window.active_at(now) else f"from {iso_z(window.starts_at)}"
        print(
            f"maintenance window {window.id}: {window.service} {state} until {iso_z(window.ends_at)} "
            f"({window.reason}); its alerts open no incident meanwhile"
        )
    return EXIT_OK


def window_json(
    window: MaintenanceWindow, now: datetime, held: list[HeldAlert], silences: list[SilenceState]
) -> dict[str, Any]:
    """The `maintenance list --json` shape of one window (README)."""
    return {
        "id": window.id,
        "service": window.service,
        "state": window.state(now).value,
        "starts_at": iso_z(window.starts_at),
        "ends_at": iso_z(window.ends_at),
        "reason": window.reason,
        "created_by": window.created_by,
        "created_at": iso_z(window.created_at),
        "ended_at": iso_z(window.ended_at),
        "ended_by": window.ended_by,
        "held_alerts": [_held_json(h) for h in held] if window.active_at(now) else [],
        "silences": [
            {"source": s.source, "silence_id": s.silence_id, "state": s.state, "error": s.last_error}
            for s in silences
            if s.window_id == window.id
        ],
    }


def _held_json(held: HeldAlert) -> dict[str, Any]:
    return {
        "source": held.source,
        "fingerprint": held.fingerprint,
        "name": held.name,
        "summary": held.summary,
        "severity": held.severity,
        "starts_at": iso_z(held.starts_at),
    }


def _list(context: Context) -> int:
    from noc_console.store import repository as repo
    from noc_console.store.maintenance import all_windows, current_windows, held_alerts, silences

    store = context.store()
    try:
        with store.read() as session:
            now = repo.db_now(session)
            windows = all_windows(session) if context.args.all else current_windows(session, now)
            held = held_alerts(session)
            known_silences = silences(session, [w.id for w in windows])
    finally:
        store.close()
    shown = [
        window_json(w, now, [h for h in held if h.service == w.service], known_silences) for w in windows
    ]
    if context.args.json:
        print(json.dumps(shown))
        return EXIT_OK
    if not shown:
        print("no active or upcoming maintenance windows")
    for w in shown:
        print(
            f"{w['id']:>5}  {w['state']:<8}  {w['service']:<20}  {w['starts_at']} -> {w['ends_at']}  "
            f"by {w['created_by']}: {w['reason']}"
        )
        for h in w["held_alerts"]:
            print(f"         held: [{h['severity']}] {h['summary'] or h['name']} ({h['source']})")
        for s in w["silences"]:
            error = f", last error: {s['error']}" if s["error"] else ""
            print(f"         silence at {s['source']}: {s['state']} {s['silence_id'] or ''}{error}")
    return EXIT_OK


def _end(context: Context) -> int:
    import requests

    from noc_console.engine.maintenance import sync_silences
    from noc_console.store import repository as repo
    from noc_console.store.maintenance import UnknownWindow, WindowOver, end_window

    text = context.args.id.strip()
    if not text.isdigit() or int(text) <= 0:
        raise _usage("ID", f"{text!r} is not a maintenance window ID (a positive whole number)")
    by = _by(context)
    store = context.store()
    try:
        try:
            with store.session() as session:
                window = end_window(session, int(text), repo.db_now(session), by)
        except (UnknownWindow, WindowOver) as exc:
            raise _usage("ID", str(exc)) from None
        with requests.Session() as http:
            http.trust_env = False
            report = sync_silences(store, context.config, None, http, only_expire=True)
    finally:
        store.close()
    print(f"maintenance window {window.id} ({window.service}) ended; its alerts open incidents again")
    for window_id, source, silence_id in report.expired:
        if window_id == window.id:
            print(f"silence {silence_id} at {source}: expired")
    for window_id, source, error in report.failed:
        if window_id == window.id:
            print(f"silence at {source}: could not expire yet ({error}); the poller retries", file=sys.stderr)
    return EXIT_OK
