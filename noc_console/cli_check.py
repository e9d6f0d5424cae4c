"""`noc-console check-config`: validate the config, reach every source once, and say in one line per
source what it found: how fast it answered, its alerts by state, and its own sign of life (a version
and uptime, the daemon's start, the watchdog). The members of an HA pair get an indented line each.
Then the heartbeat URL (called once: that is a real ping) and the receiver's address."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from noc_console.domain.alerts import MISSING_WATCHDOG, Alert, AlertSnapshot, with_watchdog
from noc_console.domain.clock import utcnow
from noc_console.domain.wall import wall_age
from noc_console.engine.scheduler import FetchOutcome, fetch_one, http_session
from noc_console.sources.base import Source, SourceConfig, SourceError

if TYPE_CHECKING:
    from noc_console.cli import Context
    from noc_console.config import Config

EXIT_OK, EXIT_FAILED = 0, 3
SKEW_SHOWN_S = 2.0  # a source clock this far from ours is worth a word (times are compared with it)


@dataclass(frozen=True, slots=True)
class Reached:
    """One fetch of one source (or one member of an HA pair) and how long it took."""

    outcome: FetchOutcome
    ms: float
    status: str | None = None  # an Alertmanager member's version and uptime, or why it has none


@dataclass(frozen=True, slots=True)
class Checked:
    """What one source's check says: its line, its members' lines, and whether all was well."""

    lines: tuple[str, ...]
    ok: bool


def run(context: Context) -> int:
    from noc_console.config import config_warnings
    from noc_console.engine.poller import build_sources
    from noc_console.store.db import redact_url

    config = context.config
    print(f"config: {config.path or 'none (defaults)'}; database: {redact_url(context.db_url)}")
    sources = build_sources(config.sources)
    with ThreadPoolExecutor(max_workers=max(1, len(sources)), thread_name_prefix="check") as pool:
        checked = list(pool.map(check_source, sources))
    good = all(c.ok for c in checked)
    for result in checked:
        print("\n".join(result.lines))
    if config.heartbeat is not None:
        line, beat_ok = check_heartbeat(config)
        print(line)
        good = good and beat_ok
    if config.receiver is not None:
        print(receiver_line(config))
    for warning in config_warnings(config):
        print(f"WARNING: {warning}")
    if not config.sources:
        print("no sources are configured ([[sources]] in the config file)")
    return EXIT_OK if good else EXIT_FAILED


def check_source(source: Source) -> Checked:
    """Reach the source once (an HA pair: each member once) and describe it."""
    config = source.config
    if config.urls and _is_alertmanager(source):
        return _check_pair(source)
    reached = reach(source, status=_is_alertmanager(source))
    ok = reached.outcome.error is None and not _watchdog_missing(reached.outcome.snapshot)
    return Checked((source_line(config, reached),), ok)


def reach(source: Source, *, status: bool = False, clock: Callable[[], datetime] = utcnow) -> Reached:
    """One fetch, timed; with `status`, an Alertmanager's version and uptime as well (not timed)."""
    with http_session(source.config) as session:
        started = time.monotonic()
        outcome = fetch_one(source, session, clock)
        ms = (time.monotonic() - started) * 1000
        said = _status(source, session) if status and outcome.error is None else None
    return Reached(outcome, ms, said)


def _check_pair(source: Source) -> Checked:
    """An Alertmanager HA pair: each member alone (ok or failed, and how fast), the source as the
    poller sees it (their alerts merged), a WARNING when a member is down."""
    from noc_console.sources import make_source
    from noc_console.sources.alertmanager import merge_members

    config = source.config
    members = [_member(make_source, config, url) for url in config.members]
    with ThreadPoolExecutor(max_workers=len(members), thread_name_prefix="check-member") as pool:
        reached = list(pool.map(lambda m: reach(m, status=True), members))
    answered = [r for r in reached if r.outcome.snapshot is not None]
    down = len(reached) - len(answered)
    member_lines = tuple(f"  {m.config.url}: {_state(r)}" for m, r in zip(members, reached, strict=True))
    if not answered:
        return Checked((f"{config.name}: FAILED: every member of the HA pair failed", *member_lines), False)
    per_member = [list(r.outcome.snapshot.alerts) for r in answered if r.outcome.snapshot is not None]
    merged = AlertSnapshot.of(config.name, answered[0].outcome.finished_at, merge_members(per_member))
    if config.watchdog:
        merged = with_watchdog(merged, config.watchdog)
    slowest = max(r.ms for r in answered)
    line = f"{config.name}: ok, {slowest:.0f} ms · {counts(merged.alerts)}" + _watchdog_word(config, merged)
    if down:
        line += f"; WARNING: {down} of {len(reached)} members not answering"
    return Checked((line, *member_lines), not down and not _watchdog_missing(merged))


def _member(make: Callable[..., Source], config: SourceConfig, url: str) -> Source:
    """One member of an HA pair as a source of its own (its credential is the pair's)."""
    from noc_console.engine.scheduler import BrokenSource
    from noc_console.secrets import SecretError, get_secret

    member = replace(config, url=url, urls=(), watchdog=None)
    try:
        return make(member, get_secret)
    except (SecretError, SourceError) as exc:
        return BrokenSource(member, SourceError(config.name, str(exc)))


def source_line(config: SourceConfig, reached: Reached) -> str:
    """'prod-am: ok, 12 ms · 5 alerts: 3 firing, 1 pending, 1 silenced · Alertmanager 0.27.0, up 3 d
    4 h · watchdog Watchdog present', or 'prod-am: FAILED after 5003 ms: HTTP 500'. A synthetic check
    adds what it found, one indented line per alert."""
    name, outcome, snapshot = config.name, reached.outcome, reached.outcome.snapshot
    if outcome.error is not None or snapshot is None:
        error = outcome.error.message if outcome.error else "no answer"
        return f"{name}: FAILED after {reached.ms:.0f} ms: {error}"
    parts = [f"ok, {reached.ms:.0f} ms", counts(snapshot.alerts)]
    life = reached.status or liveness(snapshot)
    if life:
        parts.append(life)
    line = f"{name}: " + " · ".join(parts) + _watchdog_word(config, snapshot)
    if snapshot.warning:
        line += f"; WARNING: {snapshot.warning}"
    if snapshot.check_run is not None:  # a synthetic check: what it found is the point
        line += "".join(f"\n  check: {alert.summary}" for alert in snapshot.alerts)
    return line


def counts(alerts: Sequence[Alert]) -> str:
    """'5 alerts: 3 firing, 1 pending, 1 silenced, 0 inhibited' (the watchdog's own alert not counted)."""
    real = [a for a in alerts if not a.fingerprint.startswith(MISSING_WATCHDOG)]
    pending = sum(1 for a in real if a.pending)
    silenced = sum(1 for a in real if a.silenced)
    inhibited = sum(1 for a in real if a.inhibited and not a.silenced)
    firing = len(real) - pending - silenced - inhibited
    text = f"{len(real)} alerts: {firing} firing"
    if pending:
        text += f", {pending} pending"
    return text + f", {silenced} silenced, {inhibited} inhibited"


def liveness(snapshot: AlertSnapshot) -> str | None:
    """The source's own sign of life in its answer: how long it has been up, and how far its clock is
    from ours when that matters."""
    words = []
    if snapshot.source_started_at is not None:
        now = snapshot.source_now or snapshot.fetched_at
        words.append(f"up {wall_age(now - snapshot.source_started_at)}")
    if snapshot.source_now is not None:
        skew = (snapshot.source_now - snapshot.fetched_at).total_seconds()
        if abs(skew) >= SKEW_SHOWN_S:
            words.append(f"its clock {skew:+.0f} s from ours")
    return ", ".join(words) or None


def _status(source: Source, session: Any) -> str | None:
    """'Alertmanager 0.27.0, up 3 d 4 h' from one member's status, or why it says nothing."""
    from noc_console.sources.alertmanager import AlertmanagerSource, parse_started_at

    if not isinstance(source, AlertmanagerSource):
        return None
    try:
        payload = source.status_of(session, source.config.url)
        started = parse_started_at(payload, source=source.config.name)
    except SourceError as exc:
        return f"no status ({exc.message})"
    version = payload.get("versionInfo", {}).get("version") if isinstance(payload, dict) else None
    kind = "Grafana Alertmanager" if source.config.type == "grafana" else "Alertmanager"
    name = f"{kind} {version}" if isinstance(version, str) and version else kind
    return f"{name}, up {wall_age(utcnow() - started)}"


def _state(reached: Reached) -> str:
    """A member's own line: ok and how fast (and its status), or why it failed."""
    if reached.outcome.error is not None:
        return f"FAILED after {reached.ms:.0f} ms: {reached.outcome.error.message}"
    return f"ok, {reached.ms:.0f} ms" + (f" · {reached.status}" if reached.status else "")


def _watchdog_missing(snapshot: AlertSnapshot | None) -> bool:
    return snapshot is not None and any(a.fingerprint.startswith(MISSING_WATCHDOG) for a in snapshot.alerts)


def _watchdog_word_of(snapshot: AlertSnapshot) -> str:
    missing = next((a for a in snapshot.alerts if a.fingerprint.startswith(MISSING_WATCHDOG)), None)
    if missing is not None:
        name = missing.labels.get("watchdog", "")
        return f"; WARNING: watchdog {name} MISSING: the alerting behind it is broken"
    return ""


def _watchdog_word(config: SourceConfig, snapshot: AlertSnapshot) -> str:
    if not config.watchdog:
        return ""
    return _watchdog_word_of(snapshot) or f" · watchdog {config.watchdog} present"


def _is_alertmanager(source: Source) -> bool:
    from noc_console.sources.alertmanager import AlertmanagerSource

    return isinstance(source, AlertmanagerSource)


def check_heartbeat(config: Config) -> tuple[str, bool]:
    """Call the heartbeat URL once, as the poller does (a real ping: the service outside counts it)."""
    import requests

    from noc_console.engine.heartbeat import ping
    from noc_console.secrets import get_secret

    settings = config.heartbeat
    assert settings is not None
    where = f"{settings.method} {settings.safe_url()}"
    with requests.Session() as session:
        session.trust_env = False
        started = time.monotonic()
        beat = ping(session, settings, get_secret)
        ms = (time.monotonic() - started) * 1000
    if beat.sent:
        every = f"every {settings.interval_s:g} s"
        return f"heartbeat: ok, {ms:.0f} ms ({where}, {every}; this call counted as one)", True
    return f"heartbeat: FAILED after {ms:.0f} ms ({where}): {beat.error}", False


def receiver_line(config: Config) -> str:
    """Where the poller's receiver listens (and how vendors reach it); not reached: a running poller
    holds the port."""
    receiver = config.receiver
    assert receiver is not None
    host = f"[{receiver.host}]" if ":" in receiver.host else receiver.host
    line = f"receiver: listens on {host}:{receiver.port} in the poller"
    if receiver.public_url:
        line += f"; vendors reach it at {receiver.public_url}"
    return line
