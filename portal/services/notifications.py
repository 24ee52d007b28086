"""Telling people it is their turn: messages built from the open tasks, sent over e-mail and the
webhook, each logged once per recipient, channel and key; failed ones are retried."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.notifications import (
    CHANNELS,
    DIGEST,
    MAX_ATTEMPTS,
    PAGE_SIZE,
    STATUSES,
    Message,
    Notification,
    TaskLine,
    chat_text,
    digest_key,
    digests,
    html_text,
    immediate,
    normalized,
    plain_text,
)
from portal.domain.paging import Page, page_window
from portal.domain.people import Directory, is_email
from portal.domain.tasks import TASK_KINDS, Task
from portal.domain.validation import Problem
from portal.errors import InvalidInput
from portal.runtime import Runtime
from portal.services.audit import write_audit
from portal.services.authorization import authorize, authorize_as
from portal.services.identity import Identity
from portal.services.people import PeopleService
from portal.services.tasks import TaskService
from portal.services.use_cases import UseCaseService
from portal.sources.mail import DeliveryFailed, SmtpServer, post_webhook, send_mail
from portal.store.database import as_record
from portal.store.notification_repo import NotificationRepository, log_params
from portal.text.i18n import LANGUAGES
from portal.text.task_wording import message_wording, task_sentence

RECENT = 20  # messages a person sees on My tasks


@dataclass(frozen=True)
class Failure:
    """A message a channel did not take, and why."""

    recipient: str
    channel: str
    subject: str
    error: str


@dataclass(frozen=True)
class NotifyRun:
    """What one run sent (or, dry, would send): the new messages and the retried ones."""

    channels: tuple[str, ...]
    new: tuple[Message, ...]
    retried: tuple[Message, ...]
    sent: int
    failures: tuple[Failure, ...]
    dry_run: bool


def configured_channels(settings: Settings) -> tuple[str, ...]:
    """The channels whose settings are filled in; a channel with none is off."""
    on = {"email": bool(settings.smtp_host.strip()), "webhook": bool(settings.notify_webhook_url)}
    return tuple(channel for channel in CHANNELS if on[channel])


def portal_link(settings: Settings, page: str, params: Iterable[tuple[str, str]], lang: str) -> str:
    """An absolute link into the portal, in the recipient's language."""
    base = settings.server_url.rstrip("/")
    query = urlencode([*params, ("lang", lang)])
    return f"{base}/{page}?{query}" if page else f"{base}/?{query}"


def run_notifications(
    runtime: Runtime,
    now: datetime | None = None,
    digest: bool = False,
    dry_run: bool = False,
    tls_context: ssl.SSLContext | None = None,
) -> NotifyRun:
    """Send what is due: new serious tasks, this week's digests (digest=True), and retries of
    earlier failures. dry_run: plan only, write and send nothing."""
    now = now or utc_now()
    settings = runtime.settings
    repo = NotificationRepository(runtime.store)
    channels = configured_channels(settings)
    waiting = [as_record(Notification, row) for row in repo.retryable(MAX_ATTEMPTS)]
    retried = tuple(_message_of(row) for row in waiting)
    retry_ids = tuple(row.id for row in waiting)
    new = _plan(runtime, now, digest, channels) if channels else ()
    if dry_run:
        return NotifyRun(channels, new, retried, 0, (), True)
    with runtime.store.transaction() as tx:
        inserted = []
        for message in new:
            created = NotificationRepository.insert_in(tx, _row(message, now))
            if created is not None:  # another run logged it first: it sends it
                inserted.append((created, message))
        if inserted:
            tx.bump_data_version()
    sent, failures = 0, []
    for notification_id, message in (*zip(retry_ids, retried, strict=True), *inserted):
        error = _deliver(settings, message, tls_context)
        with runtime.store.transaction() as tx:
            NotificationRepository.record_attempt_in(tx, notification_id, error, utc_now())
            tx.bump_data_version()
        if error:
            failures.append(Failure(message.recipient, message.channel, message.subject, error))
        else:
            sent += 1
    return NotifyRun(channels, new, retried, sent, tuple(failures), False)


class NotificationService:
    """The notification log for admins, and each person's own mutes and messages."""

    def __init__(self, runtime: Runtime, tls_context: ssl.SSLContext | None = None) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings
        self.repo = NotificationRepository(runtime.store)
        self.tls_context = tls_context

    def channels(self) -> tuple[str, ...]:
        """The channels switched on by the settings."""
        return configured_channels(self.settings)

    def send_now(self, actor: Identity, digest: bool = False) -> NotifyRun:
        """An admin's run now (digest: this week's digests too, if not yet sent); audited."""
        authorize(self.store, actor, "notifications.send")
        result = run_notifications(self.runtime, utc_now(), digest, tls_context=self.tls_context)
        with self.store.transaction() as tx:
            write_audit(
                tx,
                actor,
                "notifications.send",
                ("notifications", "run"),
                utc_now(),
                after={"digest": digest, "sent": result.sent, "failed": len(result.failures)},
            )
            tx.bump_data_version()
        return result

    def retry(self, actor: Identity, notification_id: int) -> Notification:
        """Send one logged message again now (also one that failed too often); audited."""
        authorize(self.store, actor, "notifications.send")
        row = self.repo.get(notification_id)
        if row is None or row["status"] == "sent":
            raise InvalidInput((Problem("notification", "unknown_choice"),))
        notification = as_record(Notification, row)
        error = _deliver(self.settings, _message_of(notification), self.tls_context)
        with self.store.transaction() as tx:
            NotificationRepository.record_attempt_in(tx, notification_id, error, utc_now())
            write_audit(
                tx,
                actor,
                "notifications.retry",
                ("notification", str(notification_id)),
                utc_now(),
                model_name=notification.model_name or None,
                before={"status": notification.status, "attempts": notification.attempts},
                after={"status": "failed" if error else "sent", "error": error},
            )
            tx.bump_data_version()
        return as_record(Notification, self.repo.get(notification_id))

    def page(
        self, actor: Identity, status: str = "", recipient: str = "", page: int = 1
    ) -> Page[Notification]:
        """One page of the log (admins), failed first, then the newest."""
        authorize(self.store, actor, "notifications.read")
        if status and status not in STATUSES:
            raise InvalidInput((Problem("status", "unknown_choice"),))
        params = log_params(status, recipient)
        total = self.repo.count_matching(params)
        shown, offset = page_window(total, page, PAGE_SIZE)
        rows = self.repo.matching(params, PAGE_SIZE, offset) if total else []
        return Page(tuple(as_record(Notification, r) for r in rows), total, shown, PAGE_SIZE)

    def recipients(self, actor: Identity) -> tuple[str, ...]:
        """Everyone the log names, for the admins' filter."""
        authorize(self.store, actor, "notifications.read")
        return tuple(self.repo.recipients())

    def status_counts(self, actor: Identity) -> dict[str, int]:
        """Messages per status, for the admins' header."""
        authorize(self.store, actor, "notifications.read")
        return self.repo.status_counts()

    def received(self, actor: Identity) -> tuple[Notification, ...]:
        """The newest messages sent to the actor (their own only)."""
        if not actor.email:
            return ()
        return tuple(as_record(Notification, r) for r in self.repo.recent_for(actor.email, RECENT))

    def muted_kinds(self, actor: Identity) -> frozenset[str]:
        """The kinds the actor switched off."""
        me = normalized(actor.email)
        return frozenset(kind for email, kind in self.repo.mutes() if email == me)

    def set_muted(self, actor: Identity, kind: str, muted: bool) -> bool:
        """Switch one of the actor's own kinds off or on; True when it changed; audited."""
        email = normalized(actor.email)
        authorize_as(self.store, actor, "notifications.mute", "notification_mutes", (email,))
        problems = []
        if kind not in TASK_KINDS:
            problems.append(Problem("kind", "unknown_choice"))
        if not is_email(email):
            problems.append(Problem("email", "email"))
        if problems:
            raise InvalidInput(tuple(problems))
        at = utc_now()
        with self.store.transaction() as tx:
            if NotificationRepository.is_muted_in(tx, email, kind) == muted:
                return False
            if muted:
                NotificationRepository.mute_in(tx, email, kind, at)
            else:
                NotificationRepository.unmute_in(tx, email, kind)
            write_audit(
                tx,
                actor,
                "notifications.mute" if muted else "notifications.unmute",
                ("notification_mute", f"{email}:{kind}"),
                at,
                after={"email": email, "kind": kind, "muted": muted},
            )
            tx.bump_data_version()
        return True

    def remember_language(self, actor: Identity, language: str) -> bool:
        """Record the language the actor uses the portal in, when new or changed (their
        notifications are written in it); True when it wrote; audited."""
        email = normalized(actor.email)
        if actor.is_local or not is_email(email) or language not in LANGUAGES:
            return False
        with self.store.transaction() as tx:
            before = NotificationRepository.language_in(tx, email)
            if before == language:
                return False
            at = utc_now()
            NotificationRepository.set_language_in(tx, email, language, at)
            write_audit(
                tx,
                actor,
                "person.language",
                ("person", email),
                at,
                before={"language": before} if before else None,
                after={"language": language},
            )
        return True


def _plan(
    runtime: Runtime, now: datetime, digest: bool, channels: tuple[str, ...]
) -> tuple[Message, ...]:
    """The new messages due now, in the recipients' languages."""
    settings = runtime.settings
    repo = NotificationRepository(runtime.store)
    tasks = TaskService(runtime).open_tasks(now)
    sent, mutes = repo.logged_keys(), repo.mutes()
    words = _Words(
        settings,
        PeopleService(runtime).directory(),
        repo.languages(),
        {u.key: u.title for u in UseCaseService(runtime.store, settings).all()},
    )
    messages = [
        words.message(task.person, channel, task.key, task.kind, task.model_name, (task,))
        for task, channel in immediate(tasks, channels, sent, mutes)
    ]
    if digest:
        key = digest_key(now.date())
        messages += [
            words.message(person, channel, key, DIGEST, "", chosen)
            for person, channel, chosen in digests(tasks, channels, now.date(), sent, mutes)
        ]
    return tuple(messages)


@dataclass(frozen=True)
class _Words:
    """What a message needs to be written: settings, names, languages, use case titles."""

    settings: Settings
    people: Directory
    languages: dict[str, str]
    titles: dict[str, str]

    def message(
        self,
        person: str,
        channel: str,
        key: str,
        kind: str,
        model_name: str,
        tasks: tuple[Task, ...],
    ) -> Message:
        email = normalized(person)
        lang = self.languages.get(email, self.settings.language)
        name = self.people.name_of(email)
        lines = [
            TaskLine(
                task_sentence(lang, task, self.people.name_of, self.titles),
                portal_link(self.settings, task.page, task.params, lang),
            )
            for task in tasks
        ]
        wording = message_wording(lang, name, kind, len(lines), lines[0].sentence)
        link = lines[0].link if kind != DIGEST else portal_link(self.settings, "my-tasks", (), lang)
        return Message(
            email,
            name,
            channel,
            key,
            kind,
            model_name,
            lang,
            wording.subject,
            plain_text(wording, lines),
            link,
        )


def _row(message: Message, now: datetime) -> dict:
    return {
        "recipient": message.recipient,
        "channel": message.channel,
        "dedup_key": message.dedup_key,
        "kind": message.kind,
        "model_name": message.model_name,
        "language": message.language,
        "subject": message.subject,
        "body": message.body,
        "link": message.link,
        "created_at": now,
    }


def _message_of(row: Notification) -> Message:
    """A logged message, to send again as it was written."""
    return Message(
        row.recipient,
        "",
        row.channel,
        row.dedup_key,
        row.kind,
        row.model_name,
        row.language,
        row.subject,
        row.body,
        row.link,
    )


def _deliver(settings: Settings, message: Message, tls_context: ssl.SSLContext | None) -> str:
    """Hand one message to its channel; '' when it was taken, else the reason it was not."""
    try:
        if message.channel == "email":
            if not settings.smtp_host.strip():
                return "e-mail is switched off (PORTAL_SMTP_HOST is empty)"
            send_mail(
                _smtp(settings),
                message.recipient,
                message.name,
                message.subject,
                message.body,
                html_text(message.body),
                tls_context,
            )
        else:
            if not settings.notify_webhook_url:
                return "the webhook is switched off (PORTAL_NOTIFY_WEBHOOK_URL is empty)"
            post_webhook(
                settings.notify_webhook_url,
                {
                    "text": chat_text(message.subject, message.body),
                    "subject": message.subject,
                    "recipient": message.recipient,
                    "kind": message.kind,
                    "model": message.model_name,
                    "language": message.language,
                    "link": message.link,
                },
                settings.notify_timeout_seconds,
            )
    except DeliveryFailed as exc:
        return str(exc)
    return ""


def _smtp(settings: Settings) -> SmtpServer:
    return SmtpServer(
        settings.smtp_host.strip(),
        settings.smtp_port,
        settings.smtp_user,
        settings.smtp_password,
        settings.smtp_from,
        settings.smtp_starttls,
        settings.notify_timeout_seconds,
    )
