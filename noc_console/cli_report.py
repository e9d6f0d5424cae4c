"""`noc-console report ID --out FILE`: the executive report of an incident, as PDF or HTML.

Root cause, corrective actions, preventive measures and the service credit come from the incident's
post-mortem; options override them: `--root-cause`, `--actions` (repeatable), `--preventive "WHAT | OWNER
| YYYY-MM-DD"` (repeatable; owner and date optional) and `--credit`. Anything missing reads "Not recorded
yet." in the report. `--sent` stops the report's 72-hour clock. The reading is store.reports.load_report,
which the console calls as well.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noc_console.cli import Context
    from noc_console.domain.report import PreventiveMeasure

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


def run(context: Context) -> int:
    from noc_console.domain.report import ReportInputs
    from noc_console.report_render import FORMATS, write_report
    from noc_console.store import repository as repo
    from noc_console.store.reports import load_report

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
