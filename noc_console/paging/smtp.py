"""E-mail over SMTP: one plain-text message a page, sent through the operator's mail server with
STARTTLS (RFC 3207) and, when a username is set, SMTP AUTH (RFC 4954).

Settings (`[[providers]]`, type `smtp`): `host` (required), `port` (default 587), `from` (required, an
address), `username` (optional; the secret `provider:<name>` is then its password), `starttls`
(default true; false must be written out, and then no password is ever sent), `ca_file` (a private
CA's PEM bundle to trust instead of the system's), `timeout_s` (for each exchange with the server).
Port 465 (implicit TLS) is refused: use the submission port with STARTTLS.

The message: `From` (the `from` setting), `To` (the page's address), `Subject` `[NOC CRITICAL] #12
<title>` (RFC 2047-encoded when not ASCII), `Date`, `Message-ID`, `Auto-Submitted: auto-generated`
(RFC 3834: no out-of-office replies), `X-NOC-Page-Key: <page key>`, and a UTF-8 plain-text body
(quoted-printable): the page's text, then the incident, severity, service and how to acknowledge.

Answers: a 4xx reply, a disconnect or a timeout is retried; a 5xx reply (550 mailbox unavailable, 535
authentication failed, 554 refused...) fails with the server's words, and so does a server that will
not do STARTTLS or AUTH, or whose certificate is not trusted. `provider_id` is the Message-ID.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from noc_console.domain.inputs import InvalidInput
from noc_console.domain.paging import check_email
from noc_console.paging import hooks, rest
from noc_console.paging.base import (
    MAX_ERROR,
    Outcome,
    Page,
    ProviderConfig,
    ProviderError,
    SecretLookup,
    SendResult,
)

DEFAULT_PORT = 587
IMPLICIT_TLS_PORT = 465
OPTIONS = ("host", "port", "from", "username", "starttls", "ca_file")
PAGE_KEY_HEADER = "X-NOC-Page-Key"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str | None
    starttls: bool
    ca_file: str | None


def settings(config: ProviderConfig) -> SmtpSettings:
    """The provider's options, checked; every error names its setting."""
    where = f"providers.{config.name}"
    rest.check_options(config, OPTIONS)
    rest.check_timeout(config)
    options = config.options
    host = (options.get("host") or "").strip()
    if not host or any(ch.isspace() for ch in host) or "/" in host:
        raise ProviderError(f"{where}.host: is required: the mail server's host name or address")
    port_text = (options.get("port") or str(DEFAULT_PORT)).strip()
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ProviderError(f"{where}.port: {port_text!r} is not a port number (1 to 65535)")
    port = int(port_text)
    if port == IMPLICIT_TLS_PORT:
        raise ProviderError(
            f"{where}.port: 465 is implicit TLS, which this provider does not speak; use 587 with STARTTLS"
        )
    sender = (options.get("from") or "").strip()
    if not sender:
        raise ProviderError(f"{where}.from: is required: the sender's e-mail address")
    try:
        check_email(f"{where}.from", sender)
    except InvalidInput as exc:
        raise ProviderError(str(exc)) from None
    starttls_text = (options.get("starttls") or "true").strip().lower()
    if starttls_text not in ("true", "false"):
        raise ProviderError(f"{where}.starttls: must be true or false")
    starttls = starttls_text == "true"
    username = (options.get("username") or "").strip() or None
    if username is not None and not starttls:
        raise ProviderError(f"{where}.username: a password is never sent without STARTTLS (starttls = false)")
    ca_file = (options.get("ca_file") or "").strip() or None
    if ca_file is not None and not starttls:
        raise ProviderError(f"{where}.ca_file: only used with STARTTLS (starttls = false)")
    return SmtpSettings(host, port, sender, username, starttls, ca_file)


def tls_context(config: ProviderConfig, ca_file: str | None) -> ssl.SSLContext:
    """Certificate and host name checked, against the system's CAs or only `ca_file`'s."""
    if ca_file is None:
        return ssl.create_default_context()
    if not Path(ca_file).is_file():
        raise ProviderError(f"providers.{config.name}.ca_file: {ca_file!r} is not a file")
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise ProviderError(
            f"providers.{config.name}.ca_file: {ca_file!r} holds no PEM certificate ({type(exc).__name__})"
        ) from None


class SmtpProvider:
    """Sends pages as e-mail through one SMTP server; the password shows in no repr, error or log."""

    def __init__(
        self,
        config: ProviderConfig,
        smtp: SmtpSettings,
        password: str | None = None,
        *,
        context: ssl.SSLContext | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.config = config
        self.settings = smtp
        self._password = password
        self._context = context if context is not None else ssl.create_default_context()
        self._now = now

    def __repr__(self) -> str:
        s = self.settings
        login = f", username={s.username!r}" if s.username else ""
        return (
            f"SmtpProvider(name={self.config.name!r}, server={s.host}:{s.port}, from={s.sender!r}, "
            f"starttls={s.starttls}{login})"
        )

    def compose(self, page: Page, to: str) -> EmailMessage:
        """The message for one page to one address."""
        message = EmailMessage()
        message["Subject"] = hooks.headline(page)
        message["From"] = self.settings.sender
        message["To"] = to
        message["Date"] = format_datetime(self._now().astimezone(UTC))
        message["Message-ID"] = make_msgid(idstring="noc", domain=self.settings.sender.rpartition("@")[2])
        message["Auto-Submitted"] = "auto-generated"
        message[PAGE_KEY_HEADER] = hooks.one_line(page.key)
        message.set_content(body(page), charset="utf-8", cte="quoted-printable")
        return message

    def send(self, page: Page) -> SendResult:
        to = (page.address or "").strip()
        try:
            check_email("address", to)
        except InvalidInput:
            return SendResult(Outcome.FAILED, error=f"no e-mail address for {hooks.one_line(page.target)}")
        message = self.compose(page, to)
        result = self._deliver(message)
        return hooks.redact_result(result, [self._password] if self._password else [])

    def _deliver(self, message: EmailMessage) -> SendResult:
        """One SMTP session; every way it can end as a SendResult."""
        s = self.settings
        try:
            self._transmit(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            return _refused("recipient refused", code, reply)
        except smtplib.SMTPAuthenticationError as exc:
            return _refused("login refused", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPSenderRefused as exc:
            return _refused("sender refused", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPDataError as exc:
            return _refused("message refused", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPResponseException as exc:
            return _refused("server refused", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPServerDisconnected as exc:
            if isinstance(exc.__context__, TimeoutError):  # smtplib reports a read timeout this way
                return SendResult(Outcome.RETRY, error=self._no_answer())
            return SendResult(Outcome.RETRY, error=f"{s.host}:{s.port} closed the connection")
        except smtplib.SMTPNotSupportedError as exc:
            return SendResult(Outcome.FAILED, error=f"{s.host}:{s.port} does not support it: {exc}")
        except smtplib.SMTPException as exc:
            return SendResult(Outcome.FAILED, error=f"{s.host}:{s.port}: {exc}"[:MAX_ERROR])
        except ssl.SSLCertVerificationError as exc:
            return SendResult(
                Outcome.FAILED,
                error=f"{s.host}:{s.port}: TLS certificate not trusted ({exc.verify_message})",
            )
        except TimeoutError:
            return SendResult(Outcome.RETRY, error=self._no_answer())
        except OSError as exc:
            return SendResult(Outcome.RETRY, error=f"cannot reach {s.host}:{s.port}: {type(exc).__name__}")
        return SendResult(Outcome.ACCEPTED, provider_id=str(message["Message-ID"]))

    @property
    def timeout(self) -> float:
        return self.config.timeout_s

    def _no_answer(self) -> str:
        return f"no answer from {self.settings.host}:{self.settings.port} within {self.timeout:g} s"

    def _transmit(self, message: EmailMessage) -> None:
        s = self.settings
        smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if s.starttls:
                smtp.starttls(context=self._context)
                smtp.ehlo()
            if s.username is not None:
                _login(smtp, s.username, self._password or "")
            smtp.send_message(message)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def acknowledge(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def resolve(self, incident_id: int, title: str) -> SendResult | None:
        return None

    def delivery(self, provider_id: str) -> SendResult | None:
        return None


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """SMTP AUTH. smtplib encodes credentials as ASCII only; for others this sends PLAIN (RFC 4616)
    or LOGIN with UTF-8 itself."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = (smtp.esmtp_features.get("auth") or "").upper().split()
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _b64(f"\0{username}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _b64(username))
        if code == 334:
            code, reply = smtp.docmd(_b64(password))
    else:
        raise smtplib.SMTPException("the server offers neither AUTH PLAIN nor LOGIN for a non-ASCII login")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


def _b64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def body(page: Page) -> str:
    """The plain-text body: the message, then the facts an operator acts on."""
    lines = [hooks.text(page.text).rstrip(), ""] if page.text.strip() else []
    lines.append(f"Incident: #{page.incident_id} {hooks.one_line(page.title)}")
    lines.append(f"Severity: {hooks.one_line(page.severity).upper()}")
    if page.service:
        lines.append(f"Service: {hooks.one_line(page.service)}")
    lines.append(f"To acknowledge: {hooks.ack_hint(page)}")
    return "\n".join(lines) + "\n"


def _refused(what: str, code: int, reply: bytes | str) -> SendResult:
    """An SMTP reply: 4xx is worth retrying, 5xx (or anything else) is refused for good."""
    words = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    error = f"{what}: {code} {' '.join(words.split())}".strip()[:MAX_ERROR]
    outcome = Outcome.RETRY if 400 <= code < 500 else Outcome.FAILED
    return SendResult(outcome, error=error)


def build(
    config: ProviderConfig,
    secret: SecretLookup,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SmtpProvider:
    """An SMTP provider from its `[[providers]]` entry; the secret (a password) is read only when a
    username is set."""
    smtp = settings(config)
    context = tls_context(config, smtp.ca_file)
    password = secret(config.credential_name) if smtp.username is not None else None
    return SmtpProvider(config, smtp, password, context=context, now=now)
