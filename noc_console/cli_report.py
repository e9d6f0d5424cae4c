"""`noc-console report ID --out FILE`: the executive report of an incident, as PDF or HTML.

What the store does not record yet comes from options: `--root-cause`, `--actions` (repeatable),
`--preventive "WHAT | OWNER | YYYY-MM-DD"` (repeatable; owner and date optional) and `--credit`;
anything missing reads "Not recorded yet." in the report. `load_report` is the part the console can
call as well: it reads one incident and everything the report needs in one session.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from noc_console.cli import Context
    from noc_console.domain.report import PreventiveMeasure, Report, ReportInputs
    from noc_console.domain.sla import SlaPolicy

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_UNKNOWN_ID = 0, 1, 2, 4


def add_parsers(commands: Any, incident_id_type: Any) -> None:
    report = commands.add_parser("report", help="the executive report of an incident (PDF or HTML)")
    report.add_argument("id", type=incident_id_type)
    report.add_argument(
        "--out", required=True, metavar="FILE", help="where to write it: .pdf or .html by its ending"
    )
    report.add_argument("--root-cause", metavar="TEXT", help="what caused it (blank lines split paragraphs)")
    report.add_argument(
        "--actions", action="append", default=[], metavar="TEXT", help="a corrective action taken (repeat)"
    )
    report.add_argument(
        "--preventive",
        action="append",
        default=[],
        metavar="TEXT",
        help='a preventive measure: "WHAT | OWNER | YYYY-MM-DD", owner and date optional (repeat)',
    )
    report.add_argument("--credit", metavar="TEXT", help="the service credit offered, if any")
    report.add_argument(
        "--sent",
        action="store_true",
        help="the report goes out now: stop its 72-hour clock (needs --by or [operator])",
    )
    report.add_argument("--by", metavar="NAME", help="who sends it (default: [operator] name)")


def _usage(message: str) -> int:
    print(f"noc-console: {message}", file=sys.stderr)
    return EXIT_USAGE


def parse_preventive(text: str) -> PreventiveMeasure:
    """'WHAT | OWNER | YYYY-MM-DD' (owner and date optional); ValueError says what is wrong."""
    from noc_console.domain.report import PreventiveMeasure

    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3:
        raise ValueError(f"{text!r} has more than three parts (WHAT | OWNER | YYYY-MM-DD)")
    what, owner, due = [*parts, "", ""][:3]
    if not what:
        raise ValueError("the measure must not be empty")
    try:
        when = date.fromisoformat(due) if due else None
    except ValueError:
        raise ValueError(f"{due!r} is not a date (YYYY-MM-DD)") from None
    return PreventiveMeasure(what, owner or None, when)


def load_report(session: Session, incident_id: int, policy: SlaPolicy, inputs: ReportInputs) -> Report:
    """The report of one incident as the database has it now; UnknownIncident when there is none."""
    from sqlalchemy import select

    from noc_console.domain.report import PageSent, RecordedBreach, build_report
    from noc_console.domain.sla import ClockKind
    from noc_console.store import repository as repo
    from noc_console.store.calls import calls_of
    from noc_console.store.models import SlaBreachRow
    from noc_console.store.paging import pages_of

    found = repo.get_incidents(session, [incident_id])
    if not found:
        raise repo.UnknownIncident(incident_id)
    (incident,) = found
    inputs = with_postmortem(session, incident_id, inputs)
    known = {k.value for k in ClockKind}
    breaches = [
        RecordedBreach(ClockKind(row.clock), row.due_at, row.recorded_at)
        for row in session.scalars(
            select(SlaBreachRow).where(SlaBreachRow.incident_id == incident_id).order_by(SlaBreachRow.due_at)
        )
        if row.clock in known
    ]
    pages = [
        PageSent(
            at=row.sent_at or row.created_at,
            action=row.action,
            target=row.person or row.target,
            channel=row.channel,
            provider=row.provider,
            status=row.status,
            delivery=row.delivery,
            error=row.error,
        )
        for row in pages_of(session, incident_id)
    ]
    return build_report(
        incident,
        timeline=repo.timeline_entries(session, incident_id),
        calls=calls_of(session, incident_id),
        pages=pages,
        breaches=breaches,
        policy=policy,
        inputs=inputs,
        now=repo.db_now(session),
    )


def with_postmortem(session: Session, incident_id: int, given: ReportInputs) -> ReportInputs:
    """What the command line gives, and for everything it leaves out what the post-mortem says."""
    from noc_console.domain.postmortem import report_inputs
    from noc_console.domain.report import ReportInputs
    from noc_console.store.postmortems import postmortem_of

    pm = postmortem_of(session, incident_id)
    if pm is None:
        return given
    written = report_inputs(pm)
    return ReportInputs(
        root_cause=given.root_cause or written.root_cause,
        corrective_actions=given.corrective_actions or written.corrective_actions,
        preventive_measures=given.preventive_measures or written.preventive_measures,
        service_credit=given.service_credit or written.service_credit,
    )


def run(context: Context) -> int:
    from noc_console.domain.report import ReportInputs
    from noc_console.report_render import FORMATS, write_report
    from noc_console.store import repository as repo

    args = context.args
    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        return _usage(f"--out: {str(out)!r} must end in .pdf or .html")
    if not out.parent.is_dir():
        return _usage(f"--out: the directory {str(out.parent)!r} does not exist")
    if out.is_dir():
        return _usage(f"--out: {str(out)!r} is a directory")
    try:
        preventive = tuple(parse_preventive(p) for p in args.preventive)
    except ValueError as exc:
        return _usage(f"--preventive: {exc}")
    inputs = ReportInputs(
        root_cause=args.root_cause,
        corrective_actions=tuple(args.actions),
        preventive_measures=preventive,
        service_credit=args.credit,
    )
    by = args.by or context.config.operator
    if args.sent and not by:
        return _usage("--by: who sends the report? (or set [operator] name in the config)")
    store = context.store()
    try:
        with store.read() as session:
            report = load_report(session, args.id, context.config.sla, inputs)
    except repo.UnknownIncident as exc:
        print(f"noc-console: ID: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN_ID
    finally:
        store.close()
    try:
        write_report(report, out)
    except OSError as exc:
        print(f"noc-console: --out: cannot write {str(out)!r}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"Executive report of #{report.incident_id} written to {out}")
    if args.sent:
        from noc_console.store.postmortems import mark_exec_report_sent

        store = context.store()
        try:
            with store.session() as session:
                first = mark_exec_report_sent(session, args.id, by, repo.db_now(session))
        finally:
            store.close()
        print("Its 72-hour clock is stopped." if first else "It had already been marked sent.")
    return EXIT_OK
