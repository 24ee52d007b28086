"""Who is told what, and the message itself: pure rules for the portal's notifications.

A serious task is sent at once; every open task goes into a person's weekly digest. What a
row is about (one task key, or one digest per ISO week) is sent once per recipient and
channel; a muted kind is never sent, and a digest with nothing unmuted is not sent at all.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from portal.domain.tasks import TASK_KINDS, Task

CHANNELS: tuple[str, ...] = ("email", "webhook")
STATUSES: tuple[str, ...] = ("pending", "sent", "failed")
DIGEST = "digest"  # the kind of a weekly digest row
MAX_ATTEMPTS = 5  # sends of one message before it stays failed for an admin to look at
PAGE_SIZE = 50
URGENCIES: tuple[str, ...] = ("now", "soon", "later")

Sent = frozenset[tuple[str, str, str]]  # (recipient, channel, dedup key) already in the log


@dataclass(frozen=True)
class TaskLine:
    """One task as a message shows it: its sentence and the absolute link where it is done."""

    sentence: str
    link: str


@dataclass(frozen=True)
class Wording:
    """The frame of a message in the recipient's language (filled by portal.text)."""

    greeting: str  # 'Hello Anna Schmidt,'
    intro: str  # 'it is your turn:' / 'this is open for you this week:'
    subject: str
    closing: str  # 'Open the portal: ...' and why the mail came


@dataclass(frozen=True)
class Message:
    """One notification to one person over one channel, ready to be sent and logged."""

    recipient: str
    name: str
    channel: str
    dedup_key: str
    kind: str  # a task kind, or DIGEST
    model_name: str
    language: str
    subject: str
    body: str  # plain text
    link: str  # the first (or only) task's link


def urgency(task: Task, today: date) -> str:
    """How soon the task needs its person: 'now' (serious or past its deadline), 'soon' (has a
    deadline ahead), 'later' (the rest)."""
    if task.serious or (task.due is not None and task.due <= today):
        return "now"
    return "soon" if task.due is not None else "later"


def normalized(email: str) -> str:
    """How addresses are compared: without case and surrounding space."""
    return email.strip().casefold()


def digest_key(day: date) -> str:
    """The key of the weekly digest that covers a day: one per ISO week."""
    year, week, _ = day.isocalendar()
    return f"digest:{year}-W{week:02d}"


def is_muted(task: Task, mutes: frozenset[tuple[str, str]]) -> bool:
    """Whether the task's person switched its kind off."""
    return (normalized(task.person), task.kind) in mutes


def immediate(
    tasks: Iterable[Task], channels: Iterable[str], sent: Sent, mutes: frozenset[tuple[str, str]]
) -> tuple[tuple[Task, str], ...]:
    """Serious tasks to send now, per channel: not muted and not yet in the log."""
    channels = tuple(channels)
    return tuple(
        (task, channel)
        for task in tasks
        if task.serious and normalized(task.person) and not is_muted(task, mutes)
        for channel in channels
        if (normalized(task.person), channel, task.key) not in sent
    )


def digests(
    tasks: Iterable[Task],
    channels: Iterable[str],
    day: date,
    sent: Sent,
    mutes: frozenset[tuple[str, str]],
) -> tuple[tuple[str, str, tuple[Task, ...]], ...]:
    """(person, channel, their unmuted tasks, most urgent first) for this week's digests not
    yet sent; a person with nothing unmuted gets none."""
    key = digest_key(day)
    by_person: dict[str, list[Task]] = {}
    for task in tasks:
        person = normalized(task.person)
        if person and not is_muted(task, mutes):
            by_person.setdefault(person, []).append(task)
    found = []
    for person in sorted(by_person):
        ordered = tuple(sorted(by_person[person], key=_urgency))
        for channel in channels:
            if (person, channel, key) not in sent:
                found.append((person, channel, ordered))
    return tuple(found)


def plain_text(wording: Wording, lines: Iterable[TaskLine]) -> str:
    """The plain-text body: greeting, intro, one bullet per task with its link, closing."""
    parts = [wording.greeting, "", wording.intro, ""]
    for line in lines:
        parts.append(f"- {line.sentence}")
        parts.append(f"  {line.link}")
    parts += ["", wording.closing]
    return "\n".join(parts)


def html_text(body: str) -> str:
    """The plain-text body as simple HTML: every line escaped, links made clickable (built from
    the logged body, so a retry sends what the first attempt did)."""
    parts = []
    for line in body.split("\n"):
        text = line.strip()
        if text.startswith(("http://", "https://")):
            link = html.escape(text, quote=True)
            parts.append(f'&nbsp;&nbsp;<a href="{link}">{link}</a><br>')
        elif text:
            parts.append(f"{html.escape(text)}<br>")
        else:
            parts.append("<br>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def chat_text(subject: str, body: str) -> str:
    """The text a chat webhook shows: the subject in bold, then the body."""
    return f"**{subject}**\n\n{body}"


def _urgency(task: Task) -> tuple:
    return (
        TASK_KINDS.index(task.kind) if task.kind in TASK_KINDS else len(TASK_KINDS),
        task.due or date.max,
        task.since,
        task.key,
    )


@dataclass(frozen=True)
class Notification:
    """One row of the notification log."""

    id: int
    recipient: str
    channel: str
    dedup_key: str
    kind: str
    model_name: str
    language: str
    subject: str
    body: str
    link: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None

    @property
    def gave_up(self) -> bool:
        """Failed as often as a message is tried: only an admin's retry sends it again."""
        return self.status == "failed" and self.attempts >= MAX_ATTEMPTS
