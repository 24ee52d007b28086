"""The task and notification services' methods for tests/test_permission_checks.py."""

from __future__ import annotations

import contextlib

from portal.errors import InvalidInput
from portal.runtime import command_runtime
from portal.services.notifications import NotificationService


def _service(s) -> NotificationService:
    return NotificationService(command_runtime(s.settings, s.store))


def _retry(s, actor) -> None:
    """A retry of a message that is not logged: refused, or allowed and then a bad input."""
    with contextlib.suppress(InvalidInput):
        _service(s).retry(actor, 0)


CHECKED = {
    "NotificationService.send_now": (
        lambda s, a: _service(s).send_now(a),
        "notifications.send",
        None,
    ),
    "NotificationService.retry": (_retry, "notifications.send", None),
    "NotificationService.page": (lambda s, a: _service(s).page(a), "notifications.read", None),
    "NotificationService.recipients": (
        lambda s, a: _service(s).recipients(a),
        "notifications.read",
        None,
    ),
    "NotificationService.status_counts": (
        lambda s, a: _service(s).status_counts(a),
        "notifications.read",
        None,
    ),
    "NotificationService.set_muted": (
        lambda s, a: _service(s).set_muted(a, "feedback_new", True),
        "notifications.mute",
        "notification_mutes",
    ),
}
PUBLIC = {
    # Tasks come from what every reader sees (the attention list, sign-offs, reviews, incidents).
    "TaskService": {"open_tasks", "for_person"},
    # A person's own: the channels in force, their messages, their mutes, their language (as a
    # sign-in records their name).
    "NotificationService": {"channels", "received", "muted_kinds", "remember_language"},
}
