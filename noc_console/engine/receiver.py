"""The poller's HTTP endpoint (`[receiver] listen`): alerts that monitoring systems push, and
acknowledgements that paging vendors report back.

- `POST /push/<source name>`: alerts pushed by the configured source (its type chooses the format:
  sources.webhooks), with `Authorization: Bearer <receiver>` (the credential `receiver`, compared in
  constant time). The push is parsed here and handed to the poller's loop (engine.pushes), which applies
  it as the one writer; the answer waits for that: 200 once committed, 401 without the token, 400 for a
  body that is not the format (naming the field), 404 for a source that is not configured or takes no
  pushes, 413 over the size bound, and 503 when the queue is full, while this poller stands by, or
  when it does not commit in time: senders retry those, and a push applied twice changes nothing more.
  A full queue is a 503, not a 429: Alertmanager's webhook retries 5xx within the notification, but
  takes any 4xx as final until the group's next interval (5 minutes by default).
- `POST /paging/twilio/<provider>/voice`: Twilio's `<Gather>` callback of a paging call. The request
  must carry a valid `X-Twilio-Signature` (HMAC-SHA1 of the URL Twilio called and the sorted form
  fields, keyed with that provider's Auth Token); `Digits=1` acknowledges the incident the call
  (`CallSid`) paged for, as the person called.
- `POST /paging/pagerduty`: a PagerDuty V3 webhook. `X-PagerDuty-Signature` must hold a `v1=` HMAC-
  SHA256 of the body keyed with the credential `receiver:pagerduty` (the subscription's secret);
  `incident.acknowledged` and `incident.resolved` for an incident we triggered (its `incident_key` is
  our dedup key) acknowledge ours.
- `POST /paging/opsgenie`: an Opsgenie outgoing webhook with `Authorization: Bearer <receiver>` (the
  credential `receiver`, set as a custom header in Opsgenie); `Acknowledge` and `Close` of an alert we
  created (its alias) acknowledge ours.

Whatever the vendor says, the incident is only acknowledged (never resolved from outside: the
monitoring or an operator resolves it), which stops its escalation at the pager's next round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote
from xml.sax.saxutils import escape

from sqlalchemy import select

from noc_console.domain.clock import utcnow
from noc_console.engine.pushes import PushQueue
from noc_console.paging.base import ProviderConfig, ProviderType
from noc_console.sources.base import SourceConfig, SourceError
from noc_console.sources.webhooks import PUSH_TYPES, parse_push
from noc_console.store import Store
from noc_console.store import repository as repo
from noc_console.store.models import PageRow

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
PUSH_WAIT_S = 10.0  # how long a push waits to be committed before its sender is told to retry (503)
_OUR_KEY = re.compile(r"^noc-console-(\d+)$")


def twilio_signature(token: str, url: str, form: Mapping[str, str]) -> str:
    """Twilio's request signature: base64 HMAC-SHA1 of the URL and every field name and value, sorted."""
    data = url + "".join(f"{key}{form[key]}" for key in sorted(form))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def pagerduty_signed(secret: str, body: bytes, header: str) -> bool:
    expected = "v1=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))


class Receiver:
    """`start()` serves on `host:port` in daemon threads; `stop()` closes it. `public_base` is how the
    vendors reach it (behind a proxy), for checking Twilio's signatures over the URL it called."""

    def __init__(
        self,
        store: Store,
        host: str,
        port: int,
        providers: tuple[ProviderConfig, ...],
        secret: Callable[[str], str],
        public_base: str | None = None,
        *,
        sources: Sequence[SourceConfig] = (),
        pushes: PushQueue | None = None,
        push_wait_s: float = PUSH_WAIT_S,
    ) -> None:
        self.store = store
        self._sources = {s.name: s for s in sources}
        self._pushes = pushes
        self._push_wait_s = push_wait_s
        self._providers = {p.name: p for p in providers}
        self._secret = secret
        self._public_base = public_base
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if length < 0:
                    self._answer(400, "text/plain", "bad Content-Length")
                    return
                if length > MAX_BODY:
                    self._answer(413, "text/plain", "too large")
                    return
                body = self.rfile.read(length)
                status, content_type, text = receiver.handle(self.path, dict(self.headers.items()), body,
                                                             self.headers.get("Host", ""))  # fmt: skip
                self._answer(status, content_type, text)

            def _answer(self, status: int, content_type: str, text: str) -> None:
                data = text.encode()
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", "1")
                elif status == 401:
                    self.send_header("WWW-Authenticate", 'Bearer realm="noc-console"')
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # a burst of senders waits to be accepted instead of being refused

        self._server = Server((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="noc-receiver", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- routes ----------------------------------------------------------------------------------
    def handle(self, path: str, headers: Mapping[str, str], body: bytes, host: str) -> tuple[int, str, str]:
        headers = {key.lower(): value for key, value in headers.items()}
        route = path.split("?", 1)[0].rstrip("/")
        try:
            if route.startswith("/push/"):
                return self._push(unquote(route.removeprefix("/push/")), headers, body)
            if route.startswith("/paging/twilio/") and route.endswith("/voice"):
                name = route.removeprefix("/paging/twilio/").removesuffix("/voice")
                return self._twilio(name, path, headers, body, host)
            if route == "/paging/pagerduty":
                return self._pagerduty(headers, body)
            if route == "/paging/opsgenie":
                return self._opsgenie(headers, body)
        except (ValueError, AttributeError):  # signed or authorised, but not the JSON the vendor documents
            log.warning("receiver: %s sent a body that is not the documented JSON", route)
            return 400, "text/plain", "not the documented JSON"
        except Exception:  # a bug is logged; the vendor gets a 500 and retries
            log.exception("receiver %s", route)
            return 500, "text/plain", "error"
        return 404, "text/plain", "not found"

    def _twilio(
        self, name: str, path: str, headers: Mapping[str, str], body: bytes, host: str
    ) -> tuple[int, str, str]:
        provider = self._providers.get(name)
        if provider is None or provider.type is not ProviderType.TWILIO:
            return 404, "text/plain", "not found"
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        url = (self._public_base or f"http://{host}").rstrip("/") + path
        expected = twilio_signature(self._secret(provider.credential_name), url, form)
        if not hmac.compare_digest(expected, headers.get("x-twilio-signature", "")):
            log.warning("receiver: a Twilio callback with a wrong signature was refused")
            return 403, "text/plain", "bad signature"
        if form.get("Digits") != "1":
            return 200, "application/xml", "<Response><Say>Not acknowledged.</Say></Response>"
        page = self._page_by_provider_id(form.get("CallSid", ""))
        if page is None:
            return 200, "application/xml", "<Response><Say>This call is not known.</Say></Response>"
        who = f"{page.person or page.target} (pressed 1 on the phone)"
        done = self._acknowledge(page.incident_id, who)
        text = "Acknowledged. Thank you." if done else "It was already acknowledged."
        return 200, "application/xml", f"<Response><Say>{escape(text)}</Say></Response>"

    def _pagerduty(self, headers: Mapping[str, str], body: bytes) -> tuple[int, str, str]:
        secret = self._secret("receiver:pagerduty")
        if not pagerduty_signed(secret, body, headers.get("x-pagerduty-signature", "")):
            log.warning("receiver: a PagerDuty webhook with a wrong signature was refused")
            return 403, "text/plain", "bad signature"
        event = json.loads(body).get("event", {})
        if event.get("event_type") not in ("incident.acknowledged", "incident.resolved"):
            return 200, "application/json", '{"ignored": true}'
        data = event.get("data") or {}
        match = _OUR_KEY.match(str(data.get("incident_key") or ""))
        if match is None:
            return 200, "application/json", '{"ignored": true}'
        agent = (event.get("agent") or {}).get("summary") or "someone"
        self._acknowledge(int(match.group(1)), f"{agent} (at PagerDuty)")
        return 200, "application/json", '{"ok": true}'

    def _opsgenie(self, headers: Mapping[str, str], body: bytes) -> tuple[int, str, str]:
        token = self._secret("receiver")
        if not hmac.compare_digest(headers.get("authorization", ""), f"Bearer {token}"):
            log.warning("receiver: an Opsgenie webhook without the receiver's token was refused")
            return 401, "text/plain", "unauthorized"
        payload = json.loads(body)
        if payload.get("action") not in ("Acknowledge", "Close"):
            return 200, "application/json", '{"ignored": true}'
        alert = payload.get("alert") or {}
        match = _OUR_KEY.match(str(alert.get("alias") or ""))
        if match is None:
            return 200, "application/json", '{"ignored": true}'
        who = alert.get("username") or "someone"
        self._acknowledge(int(match.group(1)), f"{who} (at Opsgenie)")
        return 200, "application/json", '{"ok": true}'

    def _push(self, name: str, headers: Mapping[str, str], body: bytes) -> tuple[int, str, str]:
        try:
            token = self._secret("receiver")
        except Exception as exc:  # no credential: every push is refused until one is set
            log.error("receiver: pushes are refused: the credential 'receiver' is missing (%s)", exc)
            return 503, "text/plain", "the receiver has no credential 'receiver' set"
        if not hmac.compare_digest(headers.get("authorization", "").encode(), f"Bearer {token}".encode()):
            log.warning("receiver: a push to %r without the receiver's token was refused", name[:100])
            return 401, "text/plain", "unauthorized: Authorization: Bearer <the receiver credential>"
        config = self._sources.get(name)
        if config is None:
            return 404, "text/plain", f"no source named {name[:100]!r} is configured"
        if config.type not in PUSH_TYPES:
            return 404, "text/plain", f"source {name!r} is a {config.type} source, which takes no pushes"
        try:
            snapshot = parse_push(config, body, utcnow())
        except SourceError as exc:
            log.warning("receiver: a push to %s was refused: %s", name, exc.message)
            return 400, "text/plain", exc.message
        if self._pushes is None:
            return 503, "text/plain", "this process applies no pushes"
        push = self._pushes.submit(snapshot)
        if push is None:
            return 503, "text/plain", "too many pushes waiting; retry"
        if not push.done.wait(self._push_wait_s):
            return 503, "text/plain", "not committed in time; retry"
        return push.status, "application/json" if push.status == 200 else "text/plain", push.text

    # --- the store -------------------------------------------------------------------------------
    def _page_by_provider_id(self, provider_id: str) -> PageRow | None:
        if not provider_id:
            return None
        with self.store.read() as session:
            row = session.scalars(select(PageRow).where(PageRow.provider_id == provider_id)).first()
            if row is not None:
                session.expunge(row)
            return row

    def _acknowledge(self, incident_id: int, by: str) -> bool:
        with self.store.session() as session:
            try:
                outcome = repo.acknowledge(session, incident_id, by[:200], repo.db_now(session))
            except repo.UnknownIncident:
                return False
        if outcome.done:
            log.info("#%d acknowledged by %s", incident_id, by)
        return outcome.done
