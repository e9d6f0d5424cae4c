"""A simulated Alertmanager v2 API on 127.0.0.1, driven by a scripted scenario, for demos and tests."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

# Prometheus keeps pushing an active alert with an end time a few evaluation intervals ahead;
# Alertmanager reports that end time. Mimic it so consumers see the real shape.
_ENDS_AT_AHEAD = timedelta(minutes=4)
_VERSION = "0.25.0-noc-console-simulator"
_SILENCE_ID = "5c8bd7c2-1f0e-4d7a-9e55-2d7f3b6a9c01"
_INHIBITING_FINGERPRINT = "0000000000000001"


@dataclass(frozen=True, slots=True)
class ScenarioAlert:
    """One scripted alert: fires `offset_s` scenario seconds after start; optionally resolves or flaps.

    A `silenced` or `inhibited` one is reported as Alertmanager reports a suppressed alert.
    """

    offset_s: float
    labels: Mapping[str, str]
    annotations: Mapping[str, str] = field(default_factory=dict)
    resolve_at_s: float | None = None
    flap_period_s: float | None = None
    silenced: bool = False
    inhibited: bool = False

    @property
    def fingerprint(self) -> str:
        """Stable per alert, from its labels, 16 hex digits like Alertmanager's."""
        canonical = json.dumps(sorted(self.labels.items()), separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def firing_since(self, t: float) -> float | None:
        """The scenario time the current firing began, or None when not firing at scenario time `t`."""
        if t < self.offset_s or (self.resolve_at_s is not None and t >= self.resolve_at_s):
            return None
        if self.flap_period_s is None or self.flap_period_s <= 0:
            return self.offset_s
        phase, _ = divmod(t - self.offset_s, self.flap_period_s)
        if int(phase) % 2:
            return None
        return self.offset_s + phase * self.flap_period_s


def _alert(
    offset_s: float,
    alertname: str,
    severity: str,
    service: str,
    instance: str,
    job: str,
    summary: str,
    description: str,
    *,
    resolve_at_s: float | None = None,
    flap_period_s: float | None = None,
) -> ScenarioAlert:
    """A scenario alert with the labels and annotations every default alert carries."""
    return ScenarioAlert(
        offset_s=offset_s,
        labels={
            "alertname": alertname,
            "severity": severity,
            "service": service,
            "instance": instance,
            "job": job,
        },
        annotations={"summary": summary, "description": description},
        resolve_at_s=resolve_at_s,
        flap_period_s=flap_period_s,
    )


DEFAULT_SCENARIO: tuple[ScenarioAlert, ...] = (
    _alert(
        2, "PaymentsApi5xxRate", "critical", "payments", "payments-api-1:9100", "payments-api",
        "Payments API 5xx rate above 5%",
        "7.3% of requests to /v1/charges returned 5xx over the last 5 minutes.",
    ),
    _alert(
        4, "CheckoutLatencyP99High", "major", "checkout", "checkout-web-2:9100", "checkout",
        "Checkout latency p99 above 2 s",
        "p99 latency of the checkout flow is 2.8 s (threshold 2 s).",
        resolve_at_s=100,
    ),
    _alert(
        5, "DnsResolverServfailRate", "minor", "dns", "dns-resolver-1:9153", "coredns",
        "DNS resolver SERVFAIL rate",
        "3% of queries to dns-resolver-1 answered SERVFAIL.",
        resolve_at_s=45,
    ),
    _alert(
        6, "PostgresReplicationLag", "warning", "database", "db-replica-1:9187", "postgres",
        "Primary DB replication lag",
        "Replica db-replica-1 is 48 s behind the primary.",
        resolve_at_s=70,
    ),
    _alert(
        8, "VpnTunnelDown", "minor", "vpn", "vpn-gw-1:9100", "ipsec",
        "VPN tunnel to branch office down",
        "IPsec tunnel to the Leeds branch office is down.",
        flap_period_s=15,
    ),
    _alert(
        12, "PaymentsQueueBacklog", "major", "payments", "payments-worker-1:9100", "payments-worker",
        "Payments settlement queue backlog growing",
        "The settlement queue holds 12,400 messages and is growing.",
    ),
    _alert(
        30, "SmtpRelayDeferred", "major", "email", "smtp-relay-1:9100", "postfix",
        "Outbound email deferred",
        "41% of outbound messages on smtp-relay-1 are deferred.",
        resolve_at_s=110,
    ),
)  # fmt: skip


def shown_by_filters(alert: Mapping[str, Any], query: Mapping[str, str]) -> bool:
    """Whether `GET /api/v2/alerts` with these query parameters lists this gettableAlert.

    As Alertmanager does: `active`, `silenced`, `inhibited` and `unprocessed` are each true unless
    given as false, and an alert is left out when any kind it belongs to is.
    """

    def wanted(name: str) -> bool:
        return query.get(name, "true").strip().lower() != "false"

    status = alert.get("status") or {}
    state = status.get("state")
    if state == "active" and not wanted("active"):
        return False
    if state == "unprocessed" and not wanted("unprocessed"):
        return False
    if status.get("silencedBy") and not wanted("silenced"):
        return False
    return not (status.get("inhibitedBy") and not wanted("inhibited"))


def _iso(moment: datetime) -> str:
    """RFC 3339 with nanosecond digits and 'Z', as Alertmanager writes times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


class SimulatedAlertmanager:
    """Serves a scenario over real HTTP as Alertmanager v2 does; the scenario clock is injectable."""

    def __init__(
        self,
        scenario: Sequence[ScenarioAlert] = DEFAULT_SCENARIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        time_scale: float = 1.0,
        started_at: datetime | None = None,
        login_expires_at_s: float | None = None,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale: must be greater than zero")
        self.scenario = tuple(scenario)
        # From this scenario time on, every request is refused as a login that expired (401): the
        # console must say loudly that it is blind.
        self.login_expires_at_s = login_expires_at_s
        self._clock = clock
        self._time_scale = time_scale
        self._origin = clock()
        self._started_at = started_at or datetime.now(UTC)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        where = self.url if self._server else "stopped"
        return f"SimulatedAlertmanager({where}, {len(self.scenario)} alerts)"

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:41234; only while running."""
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def scenario_time(self) -> float:
        """Scenario seconds since start (clock seconds times time_scale)."""
        return (self._clock() - self._origin) * self._time_scale

    def wall_time(self, scenario_s: float) -> datetime:
        """The UTC time a scenario moment corresponds to."""
        return self._started_at + timedelta(seconds=scenario_s / self._time_scale)

    def alerts_at(self, scenario_s: float) -> list[dict[str, Any]]:
        """The gettableAlert list Alertmanager would answer at scenario time `scenario_s`, unfiltered."""
        now = self.wall_time(scenario_s)
        answer: list[dict[str, Any]] = []
        for alert in self.scenario:
            since = alert.firing_since(scenario_s)
            if since is None:
                continue
            silenced_by = [_SILENCE_ID] if alert.silenced else []
            inhibited_by = [_INHIBITING_FINGERPRINT] if alert.inhibited else []
            state = "suppressed" if silenced_by or inhibited_by else "active"
            answer.append(
                {
                    "labels": dict(alert.labels),
                    "annotations": dict(alert.annotations),
                    "startsAt": _iso(self.wall_time(since)),
                    "endsAt": _iso(now + _ENDS_AT_AHEAD),
                    "updatedAt": _iso(now),
                    "fingerprint": alert.fingerprint,
                    "generatorURL": "http://prometheus.demo:9090/graph?g0.expr="
                    + alert.labels.get("alertname", ""),
                    "receivers": [{"name": "noc"}],
                    "status": {"state": state, "silencedBy": silenced_by, "inhibitedBy": inhibited_by},
                }
            )
        return answer

    def answer(self, query: Mapping[str, str]) -> list[dict[str, Any]]:
        """What `GET /api/v2/alerts` answers now with these query parameters."""
        return [a for a in self.alerts_at(self.scenario_time()) if shown_by_filters(a, query)]

    def source_now(self) -> datetime:
        """The simulated Alertmanager's own clock (its HTTP Date header)."""
        return self.wall_time(self.scenario_time()).astimezone(UTC)

    def status(self) -> dict[str, Any]:
        """A minimal `GET /api/v2/status` answer; `uptime` is when it started, by its own clock."""
        return {
            "cluster": {"name": "simulator", "status": "disabled", "peers": []},
            "versionInfo": {"version": _VERSION, "branch": "demo", "revision": "", "goVersion": ""},
            "config": {"original": "route:\n  receiver: noc\nreceivers:\n  - name: noc\n"},
            "uptime": _iso(self._started_at),
        }

    def start(self) -> SimulatedAlertmanager:
        """Bind a free port on 127.0.0.1, restart the scenario clock, and serve on a daemon thread."""
        if self._server is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"simulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._origin = self._clock()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns promptly
            name="simulated-alertmanager",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket; safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SimulatedAlertmanager:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    """Answers the few Alertmanager endpoints the console reads; quiet, no per-request logging."""

    simulator: SimulatedAlertmanager
    server_version = "Alertmanager-simulator"

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        path = path.rstrip("/") or "/"
        expires = self.simulator.login_expires_at_s
        if path.startswith("/api/") and expires is not None and self.simulator.scenario_time() >= expires:
            self._send(401, "text/plain; charset=utf-8", "Unauthorized\n")
        elif path == "/api/v2/alerts":
            filters = {key: values[-1] for key, values in parse_qs(query).items()}
            self._send(200, "application/json", json.dumps(self.simulator.answer(filters)))
        elif path == "/api/v2/status":
            self._send(200, "application/json", json.dumps(self.simulator.status()))
        elif path == "/-/ready":
            self._send(200, "text/plain; charset=utf-8", "OK")
        else:
            self._send(404, "text/plain; charset=utf-8", "404 page not found\n")

    def _send(self, status: int, content_type: str, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The Date header by the simulated clock, as a real Alertmanager's is by its own."""
        return format_datetime(self.simulator.source_now(), usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stdlib's per-request line on stderr."""
