"""Synthetic HTTP checks: what a check asks for, what one run found, and the alerts a run raises.

Pure: the requests are made by `sources.http_check`; everything here is judged from what came back.
A check is one request or a short transaction of steps (log in, then fetch a page), each with an
expected status, an optional body substring and regex, and an optional latency limit. The target being
down is an alert of the check (critical, or the configured severity), never a failure of the source:
the source is healthy whenever it could run the check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from noc_console.domain.alerts import Alert
from noc_console.domain.severity import Severity

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
MAX_STEPS = 20
MAX_EXPECT = 10_000  # characters of an expected substring or regex
STEP_KEYS = frozenset(
    {
        "name",
        "method",
        "url",
        "expect_status",
        "expect_body",
        "expect_regex",
        "latency_limit_ms",
        "form",
        "json",
    }
)


@dataclass(frozen=True, slots=True)
class CheckStep:
    """One request of a check. `url` may be relative to the check's `url`; `form`/`json` is its body."""

    name: str
    url: str = ""
    method: str = "GET"
    expect_status: tuple[int, ...] = ()  # empty: any 2xx
    expect_body: str | None = None
    expect_regex: str | None = None
    latency_limit_ms: float | None = None
    form: tuple[tuple[str, str], ...] | None = None
    json: str | None = None  # the JSON body as text: the config stays hashable and immutable

    def status_ok(self, status: int) -> bool:
        return status in self.expect_status if self.expect_status else 200 <= status < 300

    def expected_status(self) -> str:
        return " or ".join(str(s) for s in self.expect_status) if self.expect_status else "2xx"


@dataclass(frozen=True, slots=True)
class HttpCheck:
    """A whole check: its steps in order, the limit on the whole run, and how loud a failure is."""

    steps: tuple[CheckStep, ...]
    latency_limit_ms: float | None = None  # of the whole run
    severity: Severity = Severity.CRITICAL
    service: str | None = None
    follow_redirects: bool = True
    basic_auth: bool = False

    @property
    def transaction(self) -> bool:
        return len(self.steps) > 1


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step found. `error` is None when its answer was as expected (it may still be slow)."""

    name: str
    status: int | None = None
    latency_ms: float | None = None
    error: str | None = None
    slow: str | None = None  # over its own latency limit: "3.2 s, limit 2 s"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "ms": self.latency_ms, "error": self.error}


@dataclass(frozen=True, slots=True)
class CheckRun:
    """One run of one check: when, each step's result (up to the first that failed), the total time."""

    check: str
    at: datetime
    steps: tuple[StepResult, ...] = field(default_factory=tuple)
    total_ms: float | None = None
    slow: str | None = None  # the whole run over the check's latency limit
    limit_ms: float | None = None  # that limit

    @property
    def ok(self) -> bool:
        """The target answered as expected (latency aside)."""
        return all(step.error is None for step in self.steps)

    @property
    def failed(self) -> StepResult | None:
        return next((step for step in self.steps if step.error is not None), None)

    @property
    def status(self) -> int | None:
        """The failing step's HTTP status, else the last step's."""
        step = self.failed or (self.steps[-1] if self.steps else None)
        return step.status if step else None

    @property
    def error(self) -> str | None:
        failed = self.failed
        return f"{failed.name}: {failed.error}" if failed else None


def seconds(ms: float) -> str:
    """A latency as an operator reads it: "850 ms", "3.2 s"."""
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def judge_answer(step: CheckStep, status: int, body: str) -> str | None:
    """What is wrong with a step's answer, in a few words, or None when it is as expected."""
    if not step.status_ok(status):
        return f"HTTP {status} (expected {step.expected_status()})"
    if step.expect_body is not None and step.expect_body not in body:
        return f"answer lacks {_quoted(step.expect_body)}"
    if step.expect_regex is not None and re.search(step.expect_regex, body) is None:
        return f"answer does not match /{_shorten(step.expect_regex)}/"
    return None


def judge_latency(limit_ms: float | None, latency_ms: float) -> str | None:
    """ "3.2 s, limit 2 s" when `latency_ms` is over `limit_ms`, else None."""
    if limit_ms is None or latency_ms <= limit_ms:
        return None
    return f"{seconds(latency_ms)}, limit {seconds(limit_ms)}"


def finish_run(check: HttpCheck, name: str, at: datetime, steps: list[StepResult]) -> CheckRun:
    """The run of `steps`, with its total and its whole-run latency judged."""
    latencies = [s.latency_ms for s in steps if s.latency_ms is not None]
    total = sum(latencies) if latencies else None
    ok = all(s.error is None for s in steps)
    slow = judge_latency(check.latency_limit_ms, total) if total is not None and ok else None
    return CheckRun(
        check=name, at=at, steps=tuple(steps), total_ms=total, slow=slow, limit_ms=check.latency_limit_ms
    )


def run_alerts(check: HttpCheck, run: CheckRun, source: str) -> list[Alert]:
    """The alerts a run raises: none when all is well; one per failed or slow step, one for a slow run.

    Fingerprints are stable per check and step, so a check that keeps failing updates one alert.
    """
    alerts = []
    for step in run.steps:
        where = f"{run.check}: {step.name} step" if check.transaction else run.check
        if step.error is not None:
            alerts.append(
                _alert(check, run, source, f"step:{step.name}", step.name, f"{where}: {step.error}")
            )
        elif step.slow is not None:
            alerts.append(_alert(check, run, source, f"slow:{step.name}", step.name, f"{where}: {step.slow}"))
    if run.slow is not None:
        alerts.append(_alert(check, run, source, "slow", None, f"{run.check}: {run.slow}"))
    return alerts


def _alert(check: HttpCheck, run: CheckRun, source: str, key: str, step: str | None, summary: str) -> Alert:
    labels = {"alertname": f"{run.check} synthetic check", "check": run.check}
    if step is not None and check.transaction:
        labels["step"] = step
    if check.service:
        labels["service"] = check.service
    return Alert(
        source=source,
        fingerprint=f"http_check:{key}"[:200],
        labels=labels,
        summary=summary[:500],
        description=describe(run),
        severity=check.severity,
        starts_at=run.at,
        service=check.service,
    )


def describe(run: CheckRun) -> str:
    """Each step of a run in one line: name, status, time, what was wrong."""
    lines = []
    for step in run.steps:
        parts = [step.name]
        if step.status is not None:
            parts.append(f"HTTP {step.status}")
        if step.latency_ms is not None:
            parts.append(seconds(step.latency_ms))
        parts.append(step.error or step.slow or "ok")
        lines.append(" · ".join(parts))
    return "\n".join(lines)[:10_000]


def _quoted(text: str) -> str:
    return f"“{_shorten(text)}”"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_check(entry: Mapping[str, Any], steps: Any) -> HttpCheck:
    """A check from its `[[sources]]` entry; ValueError starting with the key it is about.

    Without `steps` the entry is one request (`url`, `method`, `form` / `json`, `expect_*`); with
    `[[sources.steps]]` each step is one, and the entry's `latency_limit_ms` limits the whole run.
    """
    if steps is None:
        step = _step(entry, "", "request", allow_limit=False)
        parsed: tuple[CheckStep, ...] = (step,)
    else:
        for key in ("method", "form", "json", "expect_status", "expect_body", "expect_regex"):
            if key in entry:
                raise ValueError(f"{key}: with [[sources.steps]] it belongs to a step")
        if not isinstance(steps, list) or not steps or not all(isinstance(s, Mapping) for s in steps):
            raise ValueError("steps: must be one or more [[sources.steps]] tables")
        if len(steps) > MAX_STEPS:
            raise ValueError(f"steps: at most {MAX_STEPS} steps")
        parsed = tuple(
            _step(s, f"steps[{i}].", f"step {i + 1}", allow_limit=True) for i, s in enumerate(steps)
        )
        names = [s.name for s in parsed]
        if len(set(names)) != len(names):
            raise ValueError("steps: two steps have the same name")
    limit = _limit(entry, "")
    severity_text = entry.get("severity", "critical")
    try:
        severity = Severity(severity_text)
    except ValueError:
        raise ValueError(f"severity: {severity_text!r} is not one of {', '.join(Severity)}") from None
    service = entry.get("service")
    if service is not None and (not isinstance(service, str) or not service.strip()):
        raise ValueError("service: must be a non-empty string")
    flags = {}
    for key, default in (("follow_redirects", True), ("basic_auth", False)):
        flags[key] = entry.get(key, default)
        if not isinstance(flags[key], bool):
            raise ValueError(f"{key}: must be true or false")
    return HttpCheck(
        steps=parsed,
        latency_limit_ms=limit,
        severity=severity,
        service=service.strip() if service else None,
        follow_redirects=flags["follow_redirects"],
        basic_auth=flags["basic_auth"],
    )


def _step(entry: Mapping[str, Any], where: str, default_name: str, *, allow_limit: bool) -> CheckStep:
    if where:
        for key in entry:
            if key not in STEP_KEYS:
                raise ValueError(f"{where}{key}: unknown setting (expected {', '.join(sorted(STEP_KEYS))})")
    name = entry.get("name", default_name) if where else default_name
    if where and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"{where}name: must be a non-empty string")
    url = entry.get("url", "") if where else ""
    if not isinstance(url, str) or url.strip() != url or any(c in url for c in "\r\n\t "):
        raise ValueError(f"{where}url: must be a URL or a path relative to the source's url")
    method = entry.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise ValueError(f"{where}method: {method!r} is not one of {', '.join(METHODS)}")
    status = entry.get("expect_status", [])
    statuses = [status] if isinstance(status, int) and not isinstance(status, bool) else status
    if not isinstance(statuses, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in statuses
    ):
        raise ValueError(f"{where}expect_status: must be an HTTP status (100-599) or a list of them")
    expect_body = entry.get("expect_body")
    if expect_body is not None and (
        not isinstance(expect_body, str) or not expect_body or len(expect_body) > MAX_EXPECT
    ):
        raise ValueError(f"{where}expect_body: must be a non-empty string of at most {MAX_EXPECT} characters")
    regex = entry.get("expect_regex")
    if regex is not None:
        if not isinstance(regex, str) or not regex or len(regex) > MAX_EXPECT:
            raise ValueError(f"{where}expect_regex: must be a non-empty regular expression")
        try:
            re.compile(regex)
        except re.error as exc:
            raise ValueError(f"{where}expect_regex: not a valid regular expression ({exc})") from None
    form = entry.get("form")
    if form is not None and (
        not isinstance(form, Mapping)
        or not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in form.values())
    ):
        raise ValueError(f'{where}form: must be a table of field = "value"')
    body = entry.get("json")
    body_text = None
    if body is not None:
        try:
            body_text = json.dumps(body, ensure_ascii=False)
        except (TypeError, ValueError):
            raise ValueError(
                f"{where}json: must be JSON (strings, numbers, booleans, arrays, tables)"
            ) from None
    if form is not None and body is not None:
        raise ValueError(f"{where}json: a step sends a form or a JSON body, not both")
    if (form is not None or body is not None) and method.upper() in ("GET", "HEAD"):
        raise ValueError(f"{where}method: a step with a body must be POST, PUT, PATCH or DELETE")
    return CheckStep(
        name=name.strip(),
        url=url,
        method=method.upper(),
        expect_status=tuple(statuses),
        expect_body=expect_body,
        expect_regex=regex,
        latency_limit_ms=_limit(entry, where) if allow_limit else None,
        form=tuple((str(k), str(v)) for k, v in form.items()) if form is not None else None,
        json=body_text,
    )


def _limit(entry: Mapping[str, Any], where: str) -> float | None:
    value = entry.get("latency_limit_ms")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 600_000:
        raise ValueError(f"{where}latency_limit_ms: must be a number of milliseconds between 1 and 600000")
    return float(value)
