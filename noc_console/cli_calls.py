"""`noc-console call add|ack|sync|erase`: customer phone reports from the command line.

`call add` checks everything before it opens the database (exit 2 naming the option, nothing written),
stores the call (attached to the best open match above the threshold, else a new customer-detected
incident), and when the database cannot be reached queues it on this desk instead (`"queued": true`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.calls import Call
from noc_console.domain.clock import iso_z

if TYPE_CHECKING:
    from noc_console.cli import Context

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_UNKNOWN_ID = 0, 1, 2, 3, 4

# The command line's names for the fields a CallDraft check names.
FLAGS = {
    "caller": "--caller", "phone": "--phone", "service": "--service", "summary": "--summary", "org": "--org",
    "users_affected": "--users-affected", "started_at": "--started-at", "impact": "--impact", "by": "--by",
    "callback": "--callback", "severity": "--severity", "attach_to": "--attach-to", "title": "--title",
}  # fmt: skip


def add_parsers(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    call = commands.add_parser("call", help="customer phone reports")
    sub = call.add_subparsers(dest="call_command", required=True, parser_class=parser_class)
    add = sub.add_parser("add", help="log a customer's phone report")
    add.add_argument(
        "--phone", required=True, help="the caller's number (E.164, or national with [helpdesk])"
    )
    add.add_argument("--caller", required=True, help="the caller's name")
    add.add_argument("--service", required=True, help="the service they have trouble with")
    add.add_argument("--summary", required=True, help="what they see, in their words")
    add.add_argument("--org", help="their organisation")
    add.add_argument("--users-affected", metavar="N", help="how many of their users are affected")
    add.add_argument("--started-at", metavar="ISO", help="when it started for them (ISO 8601)")
    add.add_argument("--impact", help="none, degraded or down")
    add.add_argument("--callback", default="phone", help="phone, sms, email or none (default phone)")
    add.add_argument("--attach-to", metavar="ID", help="attach to this incident instead of the best match")
    add.add_argument("--new", action="store_true", help="open a new incident even if one matches")
    add.add_argument("--severity", help="for a new incident (default: suggested from past incidents)")
    add.add_argument("--by", help="who took the call (default: the configured operator)")
    add.add_argument("--json", action="store_true")
    ack = sub.add_parser("ack", help="close a caller's acknowledge clock (prints the text to read out)")
    ack.add_argument("call_id", metavar="CALL_ID")
    ack.add_argument("--by")
    sub.add_parser("sync", help="send calls queued on this desk to the database")
    erase = sub.add_parser("erase", help="anonymise every call from a number (a data-protection request)")
    erase.add_argument("--phone", required=True)


def run(context: Context) -> int:
    return {"add": _add, "ack": _ack, "sync": _sync, "erase": _erase}[context.args.call_command](context)


def call_json(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.id,
        "received_at": iso_z(call.received_at),
        "taken_by": call.taken_by,
        "caller": call.caller,
        "organisation": call.organisation,
        "phone": call.phone,
        "callback": call.callback,
        "service": call.service,
        "summary": call.summary,
        "started_at": iso_z(call.started_at),
        "users_affected": call.users_affected,
        "impact": call.impact,
        "attached": call.attached,
        "customer_ack_due_at": iso_z(call.customer_ack_due_at),
        "customer_acked_at": iso_z(call.customer_acked_at),
        "customer_acked_by": call.customer_acked_by,
        "anonymised": call.anonymised_at is not None,
        "told": [{"at": iso_z(u.at), "channel": u.channel, "text": u.text, "by": u.by} for u in call.updates],
    }


def _usage(message: str) -> int:
    print(f"noc-console: {message}", file=sys.stderr)
    return EXIT_USAGE


def _add(context: Context) -> int:
    from noc_console.domain.calls import CallDraft, Placement, new_call_id
    from noc_console.domain.inputs import InvalidInput
    from noc_console.store.outbox import Outbox, sync
    from noc_console.store.repository import UnknownIncident

    args = context.args
    try:
        draft = CallDraft(
            call_id=new_call_id(),
            caller=args.caller,
            phone=args.phone,
            service=args.service,
            summary=args.summary,
            taken_by=args.by if args.by is not None else context.config.operator,
            received_at=datetime.now(UTC),
            organisation=args.org,
            callback=args.callback,
            started_at=_when("started_at", args.started_at),
            users_affected=_whole("users_affected", args.users_affected),
            impact=args.impact,
            placement=(
                Placement.NEW if args.new else Placement.ATTACH if args.attach_to else Placement.BEST_MATCH
            ),
            attach_to=_whole("attach_to", args.attach_to, positive=True),
            severity=args.severity,
        ).checked(context.config.helpdesk.region)
    except InvalidInput as exc:
        return _usage(f"{FLAGS.get(exc.field, exc.field)}: {exc.problem}")
    # On this desk's disk first (synchronous=FULL): a kill or a dead network from here on loses nothing.
    outbox = Outbox(context.outbox_path())
    outbox.put(draft, datetime.now(UTC))
    try:
        result = sync(
            outbox, context.store, policy=context.config.sla, aliases=context.config.catalog.aliases
        )
    except Exception:
        print("noc-console: call add: the call is saved on this desk; `noc-console call sync` sends it once "
              "the database can be used", file=sys.stderr)  # fmt: skip
        raise
    outcome = next((stored for stored in result.stored if stored.call_id == draft.call_id), None)
    for call_id, why, error in result.refused:
        if call_id != draft.call_id:
            continue
        if isinstance(error, UnknownIncident):  # --attach-to names no incident: it can never be stored
            outbox.remove(draft.call_id)
            print(f"noc-console: --attach-to: {why}; nothing was written", file=sys.stderr)
            return EXIT_UNKNOWN_ID
        print(f"noc-console: call add: refused by the database ({why}); the call stays saved on this desk",
              file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    queued = outcome is None
    if queued:
        print(f"noc-console: call add: the database cannot be reached ({result.unreachable}); the call is "
              "saved on this desk and will sync (noc-console call sync)", file=sys.stderr)  # fmt: skip
    shown = {
        "call_id": draft.call_id,
        "incident_id": outcome.incident_id if outcome else None,
        "attached": outcome.attached if outcome else False,
        "queued": queued,
    }
    if args.json:
        print(json.dumps(shown))
    elif outcome is None:
        print(f"Call {draft.call_id} saved on this desk; it will sync when the database answers.")
    else:
        where = "attached to" if outcome.attached else "opened as new customer-detected incident"
        print(f"Call {draft.call_id} {where} #{outcome.incident_id}.")
    if outcome is not None and outcome.note:
        print(f"noc-console: {outcome.note}", file=sys.stderr)
    return EXIT_OK


def _ack(context: Context) -> int:
    from noc_console.domain.calls import acknowledgement_text
    from noc_console.domain.sla import due_times
    from noc_console.store import repository as repo
    from noc_console.store.calls import UnknownCall, acknowledge_caller

    by = context.args.by if context.args.by is not None else context.config.operator
    if not str(by).strip():
        return _usage("--by: must not be empty")
    store = context.store()
    try:
        with store.session() as session:
            call, done = acknowledge_caller(
                session, context.args.call_id, str(by).strip(), repo.db_now(session)
            )
            (incident,) = repo.get_incidents(session, [call.incident_id])
    except UnknownCall as exc:
        print(f"noc-console: CALL_ID: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN_ID
    finally:
        store.close()
    update_due = due_times(incident, context.config.sla).next_customer_update_due_at
    if not done:
        print(
            f"noc-console: the caller was already acknowledged by {call.customer_acked_by}", file=sys.stderr
        )
    print(acknowledgement_text(call, incident, update_due))
    return EXIT_OK


def _sync(context: Context) -> int:
    from noc_console.progress import TerminalProgress
    from noc_console.store.outbox import Outbox, sync

    outbox = Outbox(context.outbox_path())
    bar = TerminalProgress("call sync")  # on a terminal only
    result = sync(
        outbox, context.store, policy=context.config.sla, aliases=context.config.catalog.aliases, progress=bar
    )
    bar.close()
    for outcome in result.stored:
        where = "attached to" if outcome.attached else "opened"
        if outcome.duplicate:  # stored before a crash left it queued: only taken off the desk now
            where = "was already stored with"
        print(f"Call {outcome.call_id}: {where} #{outcome.incident_id}")
    for call_id, why, _error in result.refused:
        print(
            f"noc-console: call {call_id} was refused by the database and stays queued: {why}",
            file=sys.stderr,
        )
    if result.unreachable:
        print(f"noc-console: call sync: the database cannot be reached ({result.unreachable}); "
              f"{result.left} call(s) still queued on this desk", file=sys.stderr)  # fmt: skip
        return EXIT_UNREACHABLE
    if result.left:
        return EXIT_ERROR
    if not result.stored:
        print("Nothing queued on this desk.")
    return EXIT_OK


def _erase(context: Context) -> int:
    from noc_console.domain.calls import normalise_phone
    from noc_console.domain.inputs import InvalidInput
    from noc_console.store import repository as repo
    from noc_console.store.calls import anonymise_calls

    try:
        phone = normalise_phone("phone", context.args.phone, context.config.helpdesk.region)
    except InvalidInput as exc:
        return _usage(f"--phone: {exc.problem}")
    store = context.store()
    try:
        with store.session() as session:
            count = anonymise_calls(session, repo.db_now(session), phone=phone)
    finally:
        store.close()
    print(f"{count} call(s) from {phone} anonymised.")
    return EXIT_OK


def _when(field: str, text: str | None) -> datetime | None:
    from noc_console.domain.inputs import InvalidInput

    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not an ISO 8601 time (2026-11-27T10:42:00Z)") from None
    return value if value.tzinfo is not None else value.astimezone()  # a local time, as people type it


def _whole(field: str, text: str | None, *, positive: bool = False) -> int | None:
    from noc_console.domain.inputs import InvalidInput

    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned.lstrip("-").isdigit():
        raise InvalidInput(field, f"{text!r} is not a whole number")
    value = int(cleaned)
    if value < 0 or (positive and value == 0):
        raise InvalidInput(field, f"must be {'more than zero' if positive else 'zero or more'}, not {value}")
    return value
