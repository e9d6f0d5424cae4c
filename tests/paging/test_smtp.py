"""E-mail pages through a real SMTP server (aiosmtpd) on 127.0.0.1: plain, STARTTLS with a private CA,
AUTH with a checked password, and the server's refusals; the message as received, header by header."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from noc_console.paging import smtp
from noc_console.paging.base import Channel, Outcome, ProviderConfig, ProviderError, ProviderType
from tests.paging.page_samples import HOSTILE_TEXT, HOSTILE_TITLE, sample_page

SENT_AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PASSWORD = "s3cret-SMTP-pässword"
SENDER = "noc@noc.example"
TO = "alice@example.com"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: bytes | None

    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def text(self) -> str:
        """The decoded body, with SMTP's CRLF line ends as Python's."""
        content = self.message().get_content()
        assert isinstance(content, str)
        return content.replace("\r\n", "\n")


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it accepts and answers RCPT or DATA as told."""

    received: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None
    data_reply: str | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        login = session.auth_data.login if session.authenticated else None
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                session.ssl is not None,
                login,
            )
        )
        return "250 2.0.0 Message accepted for delivery"


class LocalController(Controller):
    """aiosmtpd's controller on a free port: the port is read back from the bound socket."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Certificates:
    ca_file: Path
    other_ca_file: Path
    server: ssl.SSLContext


def _certificates(tmp_path: Path) -> Certificates:
    """A throwaway CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA."""
    pytest.importorskip("cryptography")  # present wherever keyring uses SecretStorage (Linux)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def ca(common: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(name(common))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cert, key

    ca_cert, ca_key = ca("NOC test CA")
    other_cert, _ = ca("Someone else's CA")
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(name("mx.test"))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (tmp_path / "other-ca.pem").write_bytes(other_cert.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(server_cert.public_bytes(pem))
    (tmp_path / "server.key").write_bytes(
        server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    return Certificates(tmp_path / "ca.pem", tmp_path / "other-ca.pem", server)


def password_checker(expected: str) -> Callable[..., AuthResult]:
    """An aiosmtpd authenticator that accepts the login `noc` with `expected` and nothing else."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"noc",
            expected.encode("utf-8"),
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return check


@dataclass
class MailServer:
    inbox: Inbox
    port: int


@pytest.fixture
def plain_server() -> Iterator[MailServer]:
    inbox = Inbox()
    controller = LocalController(inbox, hostname="127.0.0.1", port=0, server_hostname="mx.test")
    controller.start()
    try:
        yield MailServer(inbox, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return _certificates(tmp_path)


@pytest.fixture
def tls_servers(certificates: Certificates) -> Iterator[Callable[..., MailServer]]:
    """Servers that require STARTTLS before anything else and AUTH, offered only over TLS, with the
    mechanisms not `excluded` (LOGIN, PLAIN)."""
    controllers: list[Controller] = []

    def start(password: str = PASSWORD, excluded: tuple[str, ...] = ()) -> MailServer:
        inbox = Inbox()
        controller = LocalController(
            inbox,
            hostname="127.0.0.1",
            port=0,
            server_hostname="mx.test",
            tls_context=certificates.server,
            require_starttls=True,
            authenticator=password_checker(password),
            auth_require_tls=True,
            auth_required=True,
            auth_exclude_mechanism=list(excluded),
        )
        controller.start()
        controllers.append(controller)
        return MailServer(inbox, controller.port)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def tls_server(tls_servers: Callable[..., MailServer]) -> MailServer:
    return tls_servers()


def config(port_number: int, timeout_s: float = 5.0, **options: str) -> ProviderConfig:
    settings = {"host": "127.0.0.1", "port": str(port_number), "from": SENDER, **options}
    return ProviderConfig("mail", ProviderType.SMTP, "", timeout_s, settings)


def plain(port: int, timeout_s: float = 5.0) -> smtp.SmtpProvider:
    return smtp.build(config(port, timeout_s, starttls="false"), _no_secret, now=lambda: SENT_AT)


def _no_secret(name: str) -> str:
    raise AssertionError(f"no secret is needed without a username, yet {name} was asked for")


def email_page(**changes: Any) -> Any:
    return sample_page(Channel.EMAIL, **{"target": "alice", "address": TO, **changes})


EXPECTED_BODY = (
    "Payments API: 5xx above 20% for 5 minutes.\n"
    "\n"
    "Incident: #12 Payments API down\n"
    "Severity: CRITICAL\n"
    "Service: payments\n"
    "To acknowledge: https://noc.example/incidents/12\n"
)


def test_a_page_arrives_as_the_documented_message(plain_server: MailServer) -> None:
    result = plain(plain_server.port).send(email_page())

    assert result.outcome is Outcome.ACCEPTED, result.error
    [received] = plain_server.inbox.received
    assert (received.mail_from, received.rcpt_tos, received.tls) == (SENDER, [TO], False)
    message = received.message()
    assert message["Subject"] == "[NOC CRITICAL] #12 Payments API down"
    assert message["From"] == SENDER
    assert message["To"] == TO
    assert message["Date"] == "Sun, 01 Mar 2026 09:30:00 +0000"
    assert re.fullmatch(r"<[^<>@\s]+@noc\.example>", message["Message-ID"])
    assert result.provider_id == message["Message-ID"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-NOC-Page-Key"] == "esc7:L1:ops:email:P0"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    assert received.text() == EXPECTED_BODY


def test_each_page_gets_its_own_message_id(plain_server: MailServer) -> None:
    provider = plain(plain_server.port)
    ids = {provider.send(email_page()).provider_id for _ in range(3)}

    assert len(ids) == 3
    assert ids == {r.message()["Message-ID"] for r in plain_server.inbox.received}


def test_unicode_subject_and_body_arrive_exactly(plain_server: MailServer) -> None:
    page = email_page(
        title=HOSTILE_TITLE, text=HOSTILE_TEXT, service="zahlung “api” <b>", key="esc7:L1:José:email:P0"
    )

    assert plain(plain_server.port).send(page).outcome is Outcome.ACCEPTED

    [received] = plain_server.inbox.received
    headers = received.content.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # encoded words (RFC 2047), not raw 8-bit headers
    assert b"=?utf-8?" in headers
    assert received.content.isascii()  # quoted-printable body: 7-bit clean for any relay
    message = received.message()
    assert message["Subject"] == f"[NOC CRITICAL] #12 {HOSTILE_TITLE}"
    assert message["X-NOC-Page-Key"] == "esc7:L1:José:email:P0"
    assert received.text() == (
        f"{HOSTILE_TEXT}\n\nIncident: #12 {HOSTILE_TITLE}\nSeverity: CRITICAL\n"
        "Service: zahlung “api” <b>\nTo acknowledge: https://noc.example/incidents/12\n"
    )


def test_a_newline_in_the_title_cannot_add_a_header(plain_server: MailServer) -> None:
    page = email_page(title="down\r\nBcc: mallory@example.net", key="k\nX-Injected: 1")

    assert plain(plain_server.port).send(page).outcome is Outcome.ACCEPTED

    message = plain_server.inbox.received[0].message()
    assert message["Subject"] == "[NOC CRITICAL] #12 down  Bcc: mallory@example.net"
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert plain_server.inbox.received[0].rcpt_tos == [TO]


@pytest.mark.parametrize("address", [None, "", "alice", "alice@example.com\r\nBcc: x@example.net"])
def test_a_page_without_an_address_fails_without_connecting(address: str | None) -> None:
    result = smtp.build(config(1, starttls="false"), _no_secret).send(email_page(address=address))

    assert result.outcome is Outcome.FAILED
    assert result.error == "no e-mail address for alice"


@pytest.mark.parametrize(
    "password", [PASSWORD, "plain-ascii-Passw0rd"], ids=["utf8-password", "ascii-password"]
)
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_starttls_with_a_private_ca_and_a_checked_password(
    tls_servers: Callable[..., MailServer], certificates: Certificates, password: str, mechanism: str
) -> None:
    server = tls_servers(password, excluded=tuple({"PLAIN", "LOGIN"} - {mechanism}))
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return password

    provider = smtp.build(config(server.port, username="noc", ca_file=str(certificates.ca_file)), secret)
    result = provider.send(email_page())

    assert result.outcome is Outcome.ACCEPTED, result.error
    assert asked == ["provider:mail"]
    [received] = server.inbox.received
    assert (received.tls, received.login) == (True, b"noc")
    assert received.text() == EXPECTED_BODY
    assert password not in repr(provider)


@pytest.mark.parametrize("wrong", ["wrong-pässword-0123", "wrong-password-0123"])
def test_a_wrong_password_fails_with_the_servers_words_and_no_password(
    tls_server: MailServer,
    certificates: Certificates,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    wrong: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = smtp.build(
        config(tls_server.port, username="noc", ca_file=str(certificates.ca_file)), lambda name: wrong
    )

    result = provider.send(email_page())

    assert result.outcome is Outcome.FAILED
    assert result.error == "login refused: 535 5.7.8 Authentication credentials invalid"
    assert tls_server.inbox.received == []
    out, err = capsys.readouterr()
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail."))
    for text in (str(result), repr(provider), ours, out, err):
        assert wrong not in text
    assert repr(provider) == (
        f"SmtpProvider(name='mail', server=127.0.0.1:{tls_server.port}, from='noc@noc.example', "
        "starttls=True, username='noc')"
    )


def test_a_certificate_from_an_unknown_ca_fails(tls_server: MailServer, certificates: Certificates) -> None:
    for options in ({}, {"ca_file": str(certificates.other_ca_file)}):
        provider = smtp.build(config(tls_server.port, username="noc", **options), lambda name: PASSWORD)

        result = provider.send(email_page())

        assert result.outcome is Outcome.FAILED
        assert result.error is not None
        assert result.error.startswith(f"127.0.0.1:{tls_server.port}: TLS certificate not trusted (")
    assert tls_server.inbox.received == []


def test_a_server_without_starttls_fails_unless_starttls_is_turned_off(plain_server: MailServer) -> None:
    provider = smtp.build(config(plain_server.port), _no_secret)

    result = provider.send(email_page())

    assert result.outcome is Outcome.FAILED
    assert result.error == (
        f"127.0.0.1:{plain_server.port} does not support it: STARTTLS extension not supported by server."
    )
    assert plain_server.inbox.received == []


@pytest.mark.parametrize(
    ("stage", "reply", "outcome", "error"),
    [
        (
            "rcpt",
            "550 5.1.1 Mailbox unavailable",
            Outcome.FAILED,
            "recipient refused: 550 5.1.1 Mailbox unavailable",
        ),
        (
            "rcpt",
            "452 4.2.2 Mailbox full, try later",
            Outcome.RETRY,
            "recipient refused: 452 4.2.2 Mailbox full, try later",
        ),
        (
            "data",
            "451 4.3.0 Local error, try again",
            Outcome.RETRY,
            "message refused: 451 4.3.0 Local error, try again",
        ),
        ("data", "554 5.7.1 Rejected as spam", Outcome.FAILED, "message refused: 554 5.7.1 Rejected as spam"),
    ],
)
def test_the_servers_refusals(
    plain_server: MailServer, stage: str, reply: str, outcome: Outcome, error: str
) -> None:
    setattr(plain_server.inbox, f"{stage}_reply", reply)

    result = plain(plain_server.port).send(email_page())

    assert (result.outcome, result.error, result.provider_id) == (outcome, error, None)


@contextmanager
def raw_server(behaviour: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that treats each connection as `behaviour` says (hang up, stay
    silent, greet with a refusal); yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                behaviour(connection, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_server_that_hangs_up_is_retried() -> None:
    with raw_server(lambda connection, stop: None) as port:
        result = plain(port).send(email_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == f"127.0.0.1:{port} closed the connection"


def test_a_server_that_never_answers_is_retried() -> None:
    with raw_server(lambda connection, stop: stop.wait(5)) as port:
        result = plain(port, timeout_s=0.3).send(email_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == f"no answer from 127.0.0.1:{port} within 0.3 s"


def test_a_server_that_goes_silent_after_the_greeting_is_retried() -> None:
    def greet_then_hang(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(b"220 mx.test ESMTP\r\n")
        stop.wait(5)

    with raw_server(greet_then_hang) as port:
        result = plain(port, timeout_s=0.3).send(email_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == f"no answer from 127.0.0.1:{port} within 0.3 s"


def test_a_busy_greeting_is_retried() -> None:
    def busy(connection: socket.socket, stop: threading.Event) -> None:
        connection.sendall(b"421 4.3.2 Service not available, closing channel\r\n")

    with raw_server(busy) as port:
        result = plain(port).send(email_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == "server refused: 421 4.3.2 Service not available, closing channel"


def test_a_refused_connection_is_retried() -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = plain(port).send(email_page())

    assert result.outcome is Outcome.RETRY
    assert result.error == f"cannot reach 127.0.0.1:{port}: ConnectionRefusedError"


def test_defaults_port_587_and_starttls_on() -> None:
    provider = smtp.build(
        ProviderConfig("mail", ProviderType.SMTP, "", 10.0, {"host": "mx.example", "from": SENDER}),
        _no_secret,
    )

    assert provider.settings == smtp.SmtpSettings("mx.example", 587, SENDER, None, True, None)


def test_the_secret_is_read_only_with_a_username() -> None:
    asked: list[str] = []

    def secret(name: str) -> str:
        asked.append(name)
        return PASSWORD

    smtp.build(config(587), secret)
    smtp.build(config(587, username="noc"), secret)

    assert asked == ["provider:mail"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"host": ""}, "host"),
        ({"host": "mx example"}, "host"),
        ({"port": "smtp"}, "port"),
        ({"port": "70000"}, "port"),
        ({"port": "465"}, "port"),
        ({"from": ""}, "from"),
        ({"from": "noc at example"}, "from"),
        ({"starttls": "yes"}, "starttls"),
        ({"starttls": "false", "username": "noc"}, "username"),
        ({"starttls": "false", "ca_file": "/etc/ssl/ca.pem"}, "ca_file"),
        ({"ca_file": "/nonexistent/noc-ca.pem"}, "ca_file"),
        ({"ca_file": "NOT-PEM"}, "ca_file"),
        ({"ssl": "true"}, "ssl"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(
    tmp_path: Path, options: dict[str, str], field: str
) -> None:
    if options.get("ca_file") == "NOT-PEM":
        (tmp_path / "ca.pem").write_text("not a certificate\n")
        options = {"ca_file": str(tmp_path / "ca.pem")}

    with pytest.raises(ProviderError) as caught:
        smtp.build(config(587, **options), lambda name: PASSWORD)

    assert str(caught.value).startswith(f"providers.mail.{field}: ")
    assert PASSWORD not in str(caught.value)
