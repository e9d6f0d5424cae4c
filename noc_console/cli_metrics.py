"""`noc-console metrics [--since 30d] [--json]`: detection coverage and response figures.

The share of incidents we detected before a customer told us (goal 90 %), MTTD, MTTA, MTTR, the
false-positive rate, coverage per service, the critical services we would not see failing, and a
per-day (or per-week) series for charts. Computed in the database (store.metrics).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from noc_console.domain.clock import iso_z
from noc_console.domain.metrics import Metrics, duration_text

if TYPE_CHECKING:
    from noc_console.cli import Context

EXIT_OK, EXIT_USAGE = 0, 2
_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class SinceError(ValueError):
    pass


def add_parsers(commands: Any) -> None:
    metrics = commands.add_parser("metrics", help="detection coverage and response figures")
    metrics.add_argument(
        "--since", default="30d", help="how far back: Nh, Nd, Nw, or an ISO date or time (default 30d)"
    )
    metrics.add_argument("--json", action="store_true")


def parse_since(text: str, now: datetime) -> datetime:
    """The start of the range: `30d`, `12h`, `2w` before `now`, or an ISO date (UTC midnight) or time."""
    found = _RELATIVE.match(text)
    if found:
        count = int(found.group(1))
        if count == 0:
            raise SinceError("must be more than 0 (e.g. 30d, 12h, 2w)")
        return now - count * _UNITS[found.group(2).lower()]
    try:
        if len(text.strip()) == 10:
            day = date.fromisoformat(text.strip())
            since = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            since = datetime.fromisoformat(text.strip())
            since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    except ValueError:
        raise SinceError(f"{text!r} is neither Nh/Nd/Nw (e.g. 30d) nor an ISO date (2026-11-01)") from None
    if since >= now:
        raise SinceError(f"{text!r} is not in the past")
    return since


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def metrics_json(m: Metrics) -> dict[str, Any]:
    """The INTERFACES shape, plus the range, the goal, gaps and the chart series."""
    return {
        "incidents": m.incidents,
        "detected_internally_pct": _round(m.detected_internally_pct),
        "mttd_s": _round(m.mttd_s),
        "mtta_s": _round(m.mtta_s),
        "mttr_s": _round(m.mttr_s),
        "false_positive_pct": _round(m.false_positive_pct),
        "by_service": [
            {
                "service": s.service,
                "incidents": s.incidents,
                "customer_reported": s.customer_reported,
                "detected_internally_pct": _round(s.detected_internally_pct),
                "monitored": s.monitored,
                "critical": s.critical,
                "mttd_s": _round(s.mttd_s),
            }
            for s in m.by_service
        ],
        "customer_reported": m.customer_reported,
        "goal_pct": m.goal_pct,
        "since": iso_z(m.since),
        "until": iso_z(m.until),
        "granularity": m.granularity,
        "gaps": [{"service": g.service, "kind": g.kind, "reason": g.reason} for g in m.gaps],
        "series": [
            {
                "start": iso_z(b.start),
                "end": iso_z(b.end),
                "incidents": b.incidents,
                "customer_reported": b.customer_reported,
                "detected_internally_pct": _round(b.detected_internally_pct),
                "mttd_s": _round(b.mttd_s),
                "mtta_s": _round(b.mtta_s),
                "mttr_s": _round(b.mttr_s),
                "false_positive_pct": _round(b.false_positive_pct),
            }
            for b in m.series
        ],
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} %"


def render(m: Metrics) -> list[str]:
    """The human summary, goal line first."""
    since, until = m.since.astimezone(UTC), m.until.astimezone(UTC)
    lines = [f"{m.incidents} incidents detected {since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC"]
    if m.detected_internally_pct is None:
        lines.append(f"detected internally n/a (goal {m.goal_pct:.0f} %): no incidents in range")
    else:
        verdict = "" if m.meets_goal else f", below goal: {m.customer_reported} reported by customers"
        lines.append(
            f"detected internally {_pct(m.detected_internally_pct)} (goal {m.goal_pct:.0f} %){verdict}"
        )
    lines.append(
        f"MTTD {duration_text(m.mttd_s)}; MTTA {duration_text(m.mtta_s)}; MTTR {duration_text(m.mttr_s)}"
    )
    lines.append(f"false positives {_pct(m.false_positive_pct)} of internally detected")
    for gap in m.gaps:
        lines.append(f"GAP: critical service {gap.service}: {gap.reason}")
    if m.by_service:
        lines.append("by service (incidents, customer-reported, detected internally, monitored):")
        for s in m.by_service:
            name = s.service if s.service is not None else "(no service)"
            flag = " critical" if s.critical else ""
            lines.append(
                f"  {name}{flag}: {s.incidents}, {s.customer_reported}, "
                f"{_pct(s.detected_internally_pct)}, {'yes' if s.monitored else 'NO'}"
            )
    return lines


def run(context: Context) -> int:
    from noc_console.store import metrics as store_metrics

    config = context.config
    try:
        # Checked before the database is opened: bad input writes nothing, whatever the database.
        parse_since(context.args.since, datetime.now(UTC))
    except SinceError as exc:
        print(f"noc-console: --since: {exc}", file=sys.stderr)
        return EXIT_USAGE
    store = context.store()
    try:
        # By the database's clock: a --since still in the past by ours but not by its is refused.
        result = store_metrics.current_metrics(
            store,
            config.catalog,
            [s.name for s in config.sources],
            lambda now: parse_since(context.args.since, now),
        )
    except SinceError as exc:
        print(f"noc-console: --since: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        store.close()
    if context.args.json:
        print(json.dumps(metrics_json(result), indent=2))
    else:
        print("\n".join(render(result)))
    return EXIT_OK
