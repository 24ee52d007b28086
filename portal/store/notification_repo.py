"""Notifications sent or tried, the kinds people muted, and the language each person uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

_COLUMNS = (
    "id, recipient, channel, dedup_key, kind, model_name, language, subject, body, link,"
    " status, attempts, last_error, created_at, sent_at"
)
# The admins' log: what failed first (with its error), then the newest.
_ORDER = "ORDER BY status = 'failed' DESC, created_at DESC, id DESC"


def log_params(status: str, recipient: str) -> dict[str, Any]:
    """The log's filter as query parameters ('' matches everything)."""
    return {"status": status, "recipient": recipient.strip().casefold()}


_WHERE = (
    "WHERE ($status = '' OR status = $status)"
    " AND ($recipient = '' OR lower(recipient) = $recipient)"
)


class NotificationRepository:
    """Named queries over notifications, mutes and people's languages."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def logged_keys(self) -> frozenset[tuple[str, str, str]]:
        """(recipient, channel, dedup key) of every row, whatever its status."""
        rows = self.store.fetch_all(
            "notifications.keys",
            "SELECT lower(recipient) AS r, channel, dedup_key FROM notifications",
        )
        return frozenset((row["r"], row["channel"], row["dedup_key"]) for row in rows)

    def get(self, notification_id: int) -> Row | None:
        return self.store.fetch_one(
            "notifications.get",
            f"SELECT {_COLUMNS} FROM notifications WHERE id = $id",
            {"id": notification_id},
        )

    def retryable(self, max_attempts: int) -> list[Row]:
        """Rows not yet sent that may be tried again, oldest first."""
        return self.store.fetch_all(
            "notifications.retryable",
            f"SELECT {_COLUMNS} FROM notifications WHERE status IN ('pending', 'failed')"
            " AND attempts < $max ORDER BY created_at, id",
            {"max": max_attempts},
        )

    @staticmethod
    def insert_in(tx: Transaction, row: dict[str, Any]) -> int | None:
        """Log a new message as pending; None when its (recipient, channel, key) is logged."""
        return tx.fetch_value(
            "INSERT INTO notifications (recipient, channel, dedup_key, kind, model_name,"
            " language, subject, body, link, status, created_at) VALUES ($recipient, $channel,"
            " $dedup_key, $kind, $model_name, $language, $subject, $body, $link, 'pending',"
            " $created_at) ON CONFLICT DO NOTHING RETURNING id",
            row,
        )

    @staticmethod
    def record_attempt_in(tx: Transaction, notification_id: int, error: str, at: datetime) -> None:
        """One more attempt: sent when error is '', else failed with the error kept."""
        tx.execute(
            "UPDATE notifications SET attempts = attempts + 1,"
            " status = CASE WHEN $error = '' THEN 'sent' ELSE 'failed' END,"
            " last_error = $error, sent_at = CASE WHEN $error = '' THEN $at ELSE sent_at END"
            " WHERE id = $id",
            {"id": notification_id, "error": error, "at": at},
        )

    def count_matching(self, params: dict[str, Any]) -> int:
        return self.store.fetch_value(
            "notifications.count", f"SELECT count(*) FROM notifications {_WHERE}", params
        )

    def matching(self, params: dict[str, Any], limit: int, offset: int) -> list[Row]:
        """One page of the log."""
        return self.store.fetch_all(
            "notifications.page",
            f"SELECT {_COLUMNS} FROM notifications {_WHERE} {_ORDER} LIMIT $limit OFFSET $offset",
            {**params, "limit": limit, "offset": offset},
        )

    def recipients(self) -> list[str]:
        """Everyone the log names, for its filter."""
        rows = self.store.fetch_all(
            "notifications.recipients",
            "SELECT DISTINCT lower(recipient) AS r FROM notifications ORDER BY r",
        )
        return [row["r"] for row in rows]

    def status_counts(self) -> dict[str, int]:
        rows = self.store.fetch_all(
            "notifications.status_counts",
            "SELECT status, count(*) AS n FROM notifications GROUP BY status",
        )
        return {row["status"]: int(row["n"]) for row in rows}

    def recent_for(self, email: str, limit: int) -> list[Row]:
        """The newest messages to one person."""
        return self.store.fetch_all(
            "notifications.recent_for",
            f"SELECT {_COLUMNS} FROM notifications WHERE lower(recipient) = $email"
            " ORDER BY created_at DESC, id DESC LIMIT $limit",
            {"email": email.strip().casefold(), "limit": limit},
        )

    def mutes(self) -> frozenset[tuple[str, str]]:
        """(e-mail, kind) of every muted kind."""
        rows = self.store.fetch_all(
            "notifications.mutes", "SELECT lower(email) AS e, kind FROM notification_mutes"
        )
        return frozenset((row["e"], row["kind"]) for row in rows)

    @staticmethod
    def is_muted_in(tx: Transaction, email: str, kind: str) -> bool:
        return bool(
            tx.fetch_value(
                "SELECT count(*) FROM notification_mutes WHERE email = $email AND kind = $kind",
                {"email": email, "kind": kind},
            )
        )

    @staticmethod
    def mute_in(tx: Transaction, email: str, kind: str, at: datetime) -> None:
        tx.execute(
            "INSERT INTO notification_mutes (email, kind, muted_at) VALUES ($email, $kind, $at)"
            " ON CONFLICT DO NOTHING",
            {"email": email, "kind": kind, "at": at},
        )

    @staticmethod
    def unmute_in(tx: Transaction, email: str, kind: str) -> None:
        tx.execute(
            "DELETE FROM notification_mutes WHERE email = $email AND kind = $kind",
            {"email": email, "kind": kind},
        )

    def languages(self) -> dict[str, str]:
        """Every recorded person's language by lower-case e-mail."""
        rows = self.store.fetch_all(
            "notifications.languages", "SELECT lower(email) AS e, language FROM person_languages"
        )
        return {row["e"]: row["language"] for row in rows}

    @staticmethod
    def language_in(tx: Transaction, email: str) -> str | None:
        return tx.fetch_value(
            "SELECT language FROM person_languages WHERE email = $email", {"email": email}
        )

    @staticmethod
    def set_language_in(tx: Transaction, email: str, language: str, at: datetime) -> None:
        tx.execute(
            "INSERT INTO person_languages (email, language, updated_at) VALUES ($email, $lang,"
            " $at) ON CONFLICT (email) DO UPDATE SET language = excluded.language,"
            " updated_at = excluded.updated_at",
            {"email": email, "lang": language, "at": at},
        )
