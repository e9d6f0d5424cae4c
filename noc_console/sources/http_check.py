"""Synthetic HTTP checks (`type = "http_check"`): run one request or a short transaction, judge it.

The judging is pure (`domain.synthetic`); this module only makes the requests. Each run has its own
HTTP session, so cookies set by a login step reach the next steps of that run and no further. A target
that is down, slow, wrong or refusing connections is an alert of the check, never a source failure:
the source fails only when it cannot run the check at all (its credential is missing).

Form and JSON values may hold `${username}` and `${password}`: the source's `username` and its
credential (`source:<name>`), so a login step never needs the password in the config file.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from noc_console.domain.alerts import AlertSnapshot
from noc_console.domain.synthetic import (
    CheckRun,
    CheckStep,
    HttpCheck,
    StepResult,
    finish_run,
    judge_answer,
    judge_latency,
    run_alerts,
)
from noc_console.sources.base import BasicAuthSource, SourceConfig, _safe_url

if TYPE_CHECKING:
    import requests

MAX_CHECK_BODY = 8 * 1024 * 1024  # a page a check reads; a larger answer is judged on its start


class HttpCheckSource(BasicAuthSource):
    """Runs one synthetic check per fetch; the password is kept out of every repr and message."""

    def __init__(self, config: SourceConfig, check: HttpCheck, password: str | None = None) -> None:
        super().__init__(config, password)
        self.check = check

    def fetch(self, session: requests.Session, now: datetime) -> AlertSnapshot:
        run = self.run(session, now)
        alerts = run_alerts(self.check, run, self.config.name)
        return replace(AlertSnapshot.of(self.config.name, now, alerts), check_run=run)

    def run(self, session: requests.Session, now: datetime) -> CheckRun:
        """Every step in order until one fails; a fresh session per run, with `session`'s settings."""
        import requests

        results: list[StepResult] = []
        with requests.Session() as own:
            own.trust_env = session.trust_env
            url = self.config.url
            for step in self.check.steps:
                url = urljoin(url, step.url) if step.url else self.config.url
                result = self._step(own, step, url)
                results.append(result)
                if result.error is not None:
                    break
        return finish_run(self.check, self.config.name, now, results)

    def _step(self, session: requests.Session, step: CheckStep, url: str) -> StepResult:
        import requests
        import urllib3

        config = self.config
        verify: bool | str = config.ca_file if config.ca_file else config.verify_tls
        auth = self._auth() if self.check.basic_auth else None
        started = time.monotonic()
        deadline = started + config.timeout_s

        def failed(error: str, status: int | None = None) -> StepResult:
            return StepResult(step.name, status, _ms(started), error)

        session.trust_env = config.trust_env  # as get_answer: the source decides, not the session
        try:
            response = session.request(
                step.method,
                url,
                data=dict(self._fill(v) for v in step.form) if step.form is not None else None,
                json=self._fill_json(json.loads(step.json)) if step.json is not None else None,
                auth=auth,
                timeout=(min(config.timeout_s, 5.0), config.timeout_s),
                verify=verify,
                cert=config.tls_client,
                stream=True,
                allow_redirects=self.check.follow_redirects,
            )
        except requests.exceptions.SSLError as exc:
            return failed(f"TLS handshake or verification failed ({type(exc).__name__})")
        except requests.exceptions.Timeout:
            return failed(f"no answer within {config.timeout_s:g} s")
        except requests.exceptions.TooManyRedirects:
            return failed("too many redirects")
        except requests.exceptions.ConnectionError:
            return failed(f"cannot connect to {_safe_url(url)}")
        except requests.exceptions.RequestException as exc:
            return failed(f"request failed ({type(exc).__name__})")
        with response:
            chunks: list[bytes] = []
            size = 0
            try:
                while size < MAX_CHECK_BODY and (chunk := response.raw.read1(65536, decode_content=True)):
                    chunks.append(chunk)
                    size += len(chunk)
                    if time.monotonic() > deadline:
                        return failed(
                            f"answer not complete within {config.timeout_s:g} s", response.status_code
                        )
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError):
                return failed("answer cut off", response.status_code)
            # requests assumes ISO-8859-1 for text without a charset; today's pages are UTF-8
            declared = "charset=" in response.headers.get("Content-Type", "").lower()
            encoding = (response.encoding if declared else None) or "utf-8"
        latency = _ms(started)
        try:
            body = b"".join(chunks).decode(encoding, errors="replace")
        except LookupError:  # an unknown charset
            body = b"".join(chunks).decode("utf-8", errors="replace")
        error = judge_answer(step, response.status_code, body)
        slow = judge_latency(step.latency_limit_ms, latency) if error is None else None
        return StepResult(step.name, response.status_code, latency, error, slow)

    def _fill(self, pair: tuple[str, str]) -> tuple[str, str]:
        return pair[0], self._fill_text(pair[1])

    def _fill_text(self, text: str) -> str:
        if "${" not in text:
            return text
        return text.replace("${username}", self.config.username or "").replace(
            "${password}", self._password or ""
        )

    def _fill_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._fill_text(value)
        if isinstance(value, list):
            return [self._fill_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self._fill_json(v) for k, v in value.items()}
        return value


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
