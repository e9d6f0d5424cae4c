"""An alert source's rows as the store holds them, remembered between applies (domain.apply_plan).

Of each row's content only a key is kept (`content_key`): an alert whose content is the same as last
time costs no write at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from noc_console.domain.alerts import Alert, AlertState
from noc_console.domain.severity import Severity


def content_key(
    labels: Mapping[str, str],
    summary: str,
    description: str,
    severity: str,
    silenced: bool,
    inhibited: bool,
    ends_at: datetime | None,
    pending: bool = False,
) -> int:
    """What a refresh writes of an alert, as one number: equal content, equal numbers.

    Kept instead of the content itself (a 64-bit hash: some 40 bytes an alert, not a kilobyte); labels in
    another order count as a change, which only writes the row again.
    """
    return hash(
        (summary, description, severity, silenced, inhibited, ends_at, pending, tuple(labels.items()))
    )


def content_of(alert: Alert) -> int:
    return content_key(
        alert.labels, alert.summary, alert.description, alert.severity.value, alert.silenced,
        alert.inhibited, alert.ends_at, alert.pending,
    )  # fmt: skip


@dataclass(slots=True, eq=False)
class KnownAlert:
    """One alert row of the source as the store holds it; `id` is 0 until the row is written.

    Of its content only a key (`content_key`) and what the plan decides by are kept: the summary for the
    timeline, the severity and suppression an incident shows, and its recent changes of state (`changes`,
    oldest first, as `FlapRule.with_change` keeps them) with since when it flaps."""

    id: int
    incident_id: int
    state: AlertState
    fingerprint: str
    content: int
    summary: str
    severity: Severity
    silenced: bool = False
    inhibited: bool = False
    service: str | None = None
    pending: bool = False
    missed_fetches: int = 0
    absent_since: datetime | None = None
    clears_at: datetime | None = None
    fire_count: int = 1
    changes: tuple[datetime, ...] = ()
    flapping_since: datetime | None = None

    @classmethod
    def of(cls, alert: Alert, *, incident_id: int, service: str | None) -> KnownAlert:
        """A new firing row for `alert` (written later: its `id` is 0 until then)."""
        return cls(
            0, incident_id, AlertState.FIRING, alert.fingerprint, content_of(alert), alert.summary,
            alert.severity, alert.silenced, alert.inhibited, service, alert.pending,
        )  # fmt: skip

    def take(self, alert: Alert, content: int) -> None:
        """The row now holds `alert`'s content, and its source lists it: no absence counts."""
        self.content = content
        self.summary = alert.summary
        self.severity = alert.severity
        self.silenced = alert.silenced
        self.inhibited = alert.inhibited
        self.pending = alert.pending
        self.missed_fetches = 0
        self.absent_since = None
        self.clears_at = None


@dataclass(slots=True)
class SourceAlerts:
    """A source's live alert rows, by fingerprint. `resolved_open`: resolved rows whose incident is still
    open (an alert that fires again while its incident is open flaps back into it). `flapping`: those of
    the firing and resolved rows that flap (each plan asks whether they have been quiet long enough)."""

    firing: dict[str, KnownAlert] = field(default_factory=dict)
    detached: dict[str, KnownAlert] = field(default_factory=dict)
    resolved_open: dict[str, KnownAlert] = field(default_factory=dict)
    flapping: dict[str, KnownAlert] = field(default_factory=dict)

    def incident_ids(self) -> set[int]:
        """Every incident these rows belong to (new incidents of a plan not yet written excluded)."""
        rows = (*self.firing.values(), *self.detached.values(), *self.resolved_open.values())
        return {row.incident_id for row in rows if row.incident_id > 0}

    def forget_incidents(self, incident_ids: set[int]) -> None:
        """Drop every row of these incidents (to read them again from the store)."""
        for rows in (self.firing, self.detached, self.resolved_open, self.flapping):
            for fingerprint in [fp for fp, row in rows.items() if row.incident_id in incident_ids]:
                del rows[fingerprint]

    def add(self, row: KnownAlert) -> None:
        """Remember a row read from the store (in the order of its ID: a later row of one fingerprint
        wins; a resolved one only while no row of the fingerprint is firing)."""
        if row.state is AlertState.FIRING:
            self.firing[row.fingerprint] = row
            self.resolved_open.pop(row.fingerprint, None)
        elif row.state is AlertState.DETACHED:
            self.detached[row.fingerprint] = row
            return
        elif row.fingerprint not in self.firing:
            self.resolved_open[row.fingerprint] = row
        else:
            return
        if row.flapping_since is not None:
            self.flapping[row.fingerprint] = row
        else:
            self.flapping.pop(row.fingerprint, None)
