"""`noc-console page ID [--policy NAME]` and `noc-console oncall [--json]`.

`page` starts an escalation policy for an incident (default: the most specific one for its service and
severity); the elected poller sends the pages, so several consoles never page twice. `oncall` says who
is on call now and next, per schedule, from the floor's database (the config's schedules brought in).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.clock import iso_z

if TYPE_CHECKING:
    from noc_console.cli import Context

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_UNKNOWN_ID = 0, 1, 2, 4


def add_parsers(commands: Any, incident_id: Any) -> None:
    page = commands.add_parser("page", help="start an escalation policy for an incident")
    page.add_argument("id", type=incident_id)
    page.add_argument("--policy", help="the policy to run (default: the one for its service and severity)")
    page.add_argument("--by", help="who pages (default: the configured operator)")
    oncall = commands.add_parser("oncall", help="who is on call now and next, per schedule")
    oncall.add_argument("--json", action="store_true")


def page_json(row: Any) -> dict[str, Any]:
    """A page as `show --json` lists it."""
    return {
        "at": iso_z(row.sent_at or row.created_at),
        "provider": row.provider,
        "target": row.person or row.target,
        "channel": row.channel,
        "status": row.status,
        "provider_id": row.provider_id,
        "error": row.error,
        "action": row.action,
        "level": row.level,
        "delivery": row.delivery,
        "attempts": row.attempts,
    }


def _import(session: Any, context: Context, now: datetime) -> None:
    from noc_console.store.paging import import_directory

    paging = context.config.paging
    import_directory(session, paging.people, paging.schedules, paging.policies, now)


def page(context: Context) -> int:
    from noc_console.domain.paging import policy_for
    from noc_console.store import repository as repo
    from noc_console.store.paging import load_directory, start_escalation

    args = context.args
    by = args.by if args.by is not None else context.config.operator
    if not str(by).strip():
        print("noc-console: --by: must not be empty", file=sys.stderr)
        return EXIT_USAGE
    store = context.store()
    try:
        with store.session() as session:
            now = repo.db_now(session)
            _import(session, context, now)
            directory = load_directory(session)
            found = repo.get_incidents(session, [args.id])
            if not found:
                print(f"noc-console: ID: no incident #{args.id}", file=sys.stderr)
                return EXIT_UNKNOWN_ID
            (incident,) = found
            if args.policy is not None:
                policy = next((p for p in directory.policies if p.name == args.policy), None)
                if policy is None:
                    known = ", ".join(p.name for p in directory.policies) or "none is configured"
                    print(f"noc-console: --policy: no policy {args.policy!r} ({known})", file=sys.stderr)
                    return EXIT_USAGE
            else:
                policy = policy_for(directory.policies, incident)
                if policy is None:
                    print(f"noc-console: --policy: no policy applies to #{incident.id} ({incident.service}, "
                          f"{incident.severity.value}); name one with --policy", file=sys.stderr)  # fmt: skip
                    return EXIT_USAGE
            if not incident.is_open:
                print(f"noc-console: ID: #{incident.id} is resolved; nothing to page", file=sys.stderr)
                return EXIT_ERROR
            if incident.acknowledged_by is not None:
                who = incident.acknowledged_by
                why = "an escalation stops at an acknowledge, so nobody would be paged"
                print(f"noc-console: ID: #{incident.id} is acknowledged by {who}: {why}", file=sys.stderr)
                return EXIT_ERROR
            escalation, started = start_escalation(
                session, incident.id, policy, str(by).strip(), "manual", now
            )
            poller = repo.poller_status(session)
    finally:
        store.close()
    if started:
        print(f"#{incident.id}: escalation policy {policy.name} started (escalation {escalation.id}).")
    else:
        print(f"#{incident.id}: escalation policy {policy.name} is already running since "
              f"{escalation.started_at.astimezone():%H:%M:%S}.")  # fmt: skip
    if poller is None or poller.expires_at <= now:
        print("noc-console: no poller is running: the pages go out when one runs (noc-console poller)",
              file=sys.stderr)  # fmt: skip
    return EXIT_OK


def oncall(context: Context) -> int:
    from noc_console.domain.paging import on_call
    from noc_console.store import repository as repo
    from noc_console.store.paging import load_directory

    store = context.store()
    try:
        with store.session() as session:
            now = repo.db_now(session)
            _import(session, context, now)
            schedules = load_directory(session).schedules
    finally:
        store.close()
    rows = [on_call(schedule, now) for schedule in schedules.values()]
    if context.args.json:
        print(json.dumps([{"schedule": r.schedule, "now": r.now, "next": r.next, "next_at": iso_z(r.next_at)}
                          for r in rows], indent=2))  # fmt: skip
        return EXIT_OK
    if not rows:
        print("No on-call schedules ([[schedules]] in the config).")
    for r in rows:
        nxt = (
            f"{r.next} from {r.next_at.astimezone():%a %d %b %H:%M}"
            if r.next and r.next_at
            else "nobody else"
        )
        print(f"{r.schedule}: {r.now or 'nobody'} now; next {nxt}")
    return EXIT_OK
