"""An incident's title, summarising its firing alerts: which alerts, how many, on how many hosts.

"HighLatency on 3 hosts (5 alerts)", "HighLatency, DiskFull on db-1 (2 alerts)"; one alert is titled by
its own summary. Hosts come from the `host` label, else `instance` (its port, or a URL's scheme and path,
stripped). Titles are system text, in the words alerts use; a title a person wrote is never replaced
(the writer only retitles incidents monitoring opened).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# incidents.title is a VARCHAR(500).
MAX_TITLE_LENGTH = 500
# Alert names a title lists before it says "and N more".
MAX_NAMES = 3
UNTITLED = "Untitled alert"


@dataclass(frozen=True, slots=True)
class FiringGroup:
    """Firing alerts of one incident that share a name and a host: how many, and one of their summaries."""

    name: str
    host: str | None
    count: int
    summary: str = ""


def host_of(host: str | None, instance: str | None) -> str | None:
    """The host an alert is about: its `host` label, else its `instance` without port (or URL parts)."""
    for value in (host, instance):
        if value and value.strip():
            return _without_port(value.strip())
    return None


def _without_port(value: str) -> str:
    if "://" in value:
        try:
            hostname = urlsplit(value).hostname
        except ValueError:
            return value
        return hostname or value
    if value.startswith("["):  # [::1]:9100
        end = value.find("]")
        return value[1:end] if end > 1 else value
    name, colon, port = value.rpartition(":")
    if colon and name and ":" not in name and port.isdigit():  # db-1:9100 (a bare IPv6 address stays)
        return name
    return value


def incident_title(groups: Iterable[FiringGroup]) -> str | None:
    """The title of an incident whose firing alerts are `groups`; None when none fires (keep the title).

    Names are listed most frequent first (then by name), so a title does not depend on the order rows
    are read in; at most MAX_NAMES, then "and N more".
    """
    per_name: dict[str, int] = {}
    hosts: set[str] = set()
    total = 0
    only: FiringGroup | None = None
    for group in groups:
        if group.count <= 0:
            continue
        only = group
        total += group.count
        per_name[group.name] = per_name.get(group.name, 0) + group.count
        if group.host:
            hosts.add(group.host)
    if only is None:
        return None
    if total == 1:
        return _bounded(only.summary.strip() or only.name or UNTITLED)
    names = sorted(per_name, key=lambda name: (-per_name[name], name))
    listed = ", ".join(name or UNTITLED for name in names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        listed += f" and {len(names) - MAX_NAMES} more"
    if len(hosts) == 1:
        where = f" on {next(iter(hosts))}"
    elif hosts:
        where = f" on {len(hosts)} hosts"
    else:
        where = ""
    counted = f" ({total} alerts)"
    return _bounded(listed + where, counted)


def _bounded(text: str, tail: str = "") -> str:
    """`text` + `tail` within the store's length; a cut text ends in an ellipsis, the tail stays whole."""
    room = MAX_TITLE_LENGTH - len(tail)
    if len(text) > room:
        text = text[: room - 1] + "…"
    return text + tail
