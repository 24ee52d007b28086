"""Feedback rows: inserted once per submission key, answered by owners."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

_COLUMNS = (
    "id, model_name, model_version, kind, severity, case_reference, model_output,"
    " expected_output, description, submitted_by, submitter_name, show_name, submitted_at,"
    " status, response, responded_by, responded_at"
)


class FeedbackRepository:
    """Named queries over feedback."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def id_for_key(tx: Transaction, submission_key: str) -> int | None:
        """The feedback already stored for a form submission, if any."""
        return tx.fetch_value(
            "SELECT id FROM feedback WHERE submission_key = $key", {"key": submission_key}
        )

    @staticmethod
    def insert(tx: Transaction, row: dict[str, Any]) -> int:
        """Store a new submission and return its id."""
        return tx.fetch_value(
            "INSERT INTO feedback (submission_key, model_name, model_version, kind, severity,"
            " case_reference, model_output, expected_output, description, submitted_by,"
            " submitter_name, show_name, submitted_at) VALUES ($submission_key, $model_name,"
            " $model_version, $kind, $severity, $case_reference, $model_output,"
            " $expected_output, $description, $submitted_by, $submitter_name, $show_name,"
            " $submitted_at) RETURNING id",
            row,
        )

    @staticmethod
    def answer(
        tx: Transaction, feedback_id: int, status: str, response: str, by: str, at: datetime
    ) -> None:
        """Set an owner's status and response."""
        tx.execute(
            "UPDATE feedback SET status = $status, response = $response, responded_by = $by,"
            " responded_at = $at WHERE id = $id",
            {"id": feedback_id, "status": status, "response": response, "by": by, "at": at},
        )

    @staticmethod
    def get_in(tx: Transaction, feedback_id: int) -> Row | None:
        """One row read inside a transaction."""
        return tx.fetch_row(f"SELECT {_COLUMNS} FROM feedback WHERE id = $id", {"id": feedback_id})

    def get(self, feedback_id: int) -> Row | None:
        """One feedback row."""
        return self.store.fetch_one(
            "feedback_by_id",
            f"SELECT {_COLUMNS} FROM feedback WHERE id = $id",
            {"id": feedback_id},
        )

    def for_model(self, model_name: str) -> list[Row]:
        """A model's feedback, newest first."""
        return self.store.fetch_all(
            "feedback_for_model",
            f"SELECT {_COLUMNS} FROM feedback WHERE model_name = $model"
            " ORDER BY submitted_at DESC, id DESC",
            {"model": model_name},
        )

    def by_submitter(self, submitted_by: str) -> list[Row]:
        """What one person submitted, newest first."""
        return self.store.fetch_all(
            "feedback_by_submitter",
            f"SELECT {_COLUMNS} FROM feedback WHERE submitted_by = $by"
            " ORDER BY submitted_at DESC, id DESC",
            {"by": submitted_by},
        )

    def open_for_models(self, model_names: list[str] | None, statuses: list[str]) -> list[Row]:
        """Open feedback on the given models (None: all models), oldest first."""
        return self.store.fetch_all(
            "open_feedback",
            f"SELECT {_COLUMNS} FROM feedback WHERE list_contains($statuses, status)"
            " AND ($all_models OR list_contains($models, model_name))"
            " ORDER BY submitted_at, id",
            {"statuses": statuses, "all_models": model_names is None, "models": model_names or []},
        )

    def all(self) -> list[Row]:
        """Every feedback row, newest first (for the export)."""
        return self.store.fetch_all(
            "all_feedback", f"SELECT {_COLUMNS} FROM feedback ORDER BY submitted_at DESC, id DESC"
        )

    def counts(self, open_statuses: list[str], since: datetime) -> Row:
        """Open, total and recent feedback, and open reports of wrong predictions."""
        return self.store.fetch_one(
            "feedback_counts",
            """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE list_contains($open, status)) AS open,
                   count(*) FILTER (WHERE submitted_at >= $since) AS recent,
                   count(*) FILTER (WHERE list_contains($open, status)
                                    AND kind = 'wrong_prediction') AS open_wrong_predictions
            FROM feedback
            """,
            {"open": open_statuses, "since": since},
        )
