"""The notification channels: e-mail over SMTP (STARTTLS, login) and a JSON webhook."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid


class DeliveryFailed(Exception):
    """A channel did not take a message; the text says why, fit for the notification log."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand e-mails over."""

    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool
    timeout_seconds: float


def send_mail(
    server: SmtpServer,
    to: str,
    to_name: str,
    subject: str,
    text: str,
    html: str = "",
    context: ssl.SSLContext | None = None,
) -> None:
    """Send one e-mail (plain text, with an HTML alternative when given); STARTTLS first when
    configured, then the login when a user is set. context: for a private certificate authority."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=server.sender.rpartition("@")[2] or None)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout_seconds) as smtp:
            if server.starttls:
                smtp.starttls(context=context or ssl.create_default_context())
            if server.user:
                smtp.login(server.user, server.password)
            smtp.send_message(message, from_addr=server.sender, to_addrs=[to])
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryFailed(f"e-mail to {to} failed: {_reason(exc)}") from exc


def post_webhook(url: str, payload: dict, timeout_seconds: float) -> None:
    """POST one JSON message; any answer other than 2xx is a failure."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"webhook answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(f"webhook not reached: {_reason(exc)}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"webhook answered {status}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if exc.smtp_error else ""
        return f"{exc.smtp_code} {detail}".strip()
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
