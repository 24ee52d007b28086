"""Real receivers on loopback for notification tests: an SMTP server (aiosmtpd, optionally
with STARTTLS and login) and an HTTP webhook endpoint, both keeping what arrives."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "portal", "s3cret"


@dataclass
class Inbox:
    """What the SMTP server accepted, and whether it refuses (to test failures)."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: bool = False
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 4.3.0 mailbox busy, try later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a received message."""
    return message.get_body(preferencelist=("plain",)).get_content()


@contextmanager
def smtp_server(tls: ssl.SSLContext | None = None, login: bool = False) -> Iterator[tuple]:
    """(inbox, port) of a running SMTP server on 127.0.0.1; with tls it requires STARTTLS,
    with login it requires the USER/PASSWORD login."""
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == PASSWORD.encode()
        )
        if ok:
            inbox.logins.append(USER)
        return AuthResult(success=ok, handled=False)  # False: the server answers 535

    options = {}
    if tls is not None:
        options.update(tls_context=tls, require_starttls=True)
    if login:
        # PLAIN only: after a refused PLAIN, smtplib tries LOGIN with an initial response,
        # which aiosmtpd 1.4 waits on until the client's time limit.
        options.update(
            authenticator=authenticate,
            auth_required=True,
            auth_require_tls=tls is not None,
            auth_exclude_mechanism=["LOGIN"],
        )
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _free_port() -> int:
    # The controller checks its server by connecting to the port: it cannot be 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for a fresh certificate for 127.0.0.1."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


@dataclass
class Hook:
    """What the webhook endpoint received, and the status it answers with."""

    bodies: list[dict] = field(default_factory=list)
    status: int = 200


@contextmanager
def webhook_receiver() -> Iterator[tuple[Hook, str]]:
    """(hook, url) of an HTTP endpoint on 127.0.0.1 that keeps every JSON body posted to it."""
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            if hook.status == 200:
                hook.bodies.append(body)
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
