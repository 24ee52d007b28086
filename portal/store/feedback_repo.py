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

    # --- filtered, paged lists ---------------------------------------------------------------

    def count_matching(self, where: Row) -> int:
        """How many rows a filtered list holds (where: see matching_params)."""
        return int(
            self.store.fetch_value(
                "feedback_count_matching", f"SELECT count(*) FROM feedback WHERE {_MATCHING}", where
            )
        )

    def matching(
        self, where: Row, oldest_first: bool, limit: int | None = None, offset: int = 0
    ) -> list[Row]:
        """One page of a filtered list (every matching row without a limit), newest first
        unless oldest_first."""
        order = "submitted_at, id" if oldest_first else "submitted_at DESC, id DESC"
        return self.store.fetch_all(
            "feedback_matching",
            f"SELECT {_COLUMNS} FROM feedback WHERE {_MATCHING} ORDER BY {order}"
            " LIMIT $limit OFFSET $offset",
            {**where, "limit": limit, "offset": offset},
        )

    def people(self) -> list[str]:
        """Submitters who agreed to be named and owners who answered, for the person filter."""
        rows = self.store.fetch_all(
            "feedback_people",
            "SELECT submitted_by AS person FROM feedback WHERE show_name"
            " UNION SELECT responded_by FROM feedback WHERE responded_by <> ''"
            " ORDER BY person",
        )
        return [row["person"] for row in rows]

    def models(self) -> list[str]:
        """The models with feedback, for the model filter."""
        rows = self.store.fetch_all(
            "feedback_models", "SELECT DISTINCT model_name FROM feedback ORDER BY model_name"
        )
        return [row["model_name"] for row in rows]


# An empty list, '' or NULL parameter means 'any'; $models NULL means all models.
_MATCHING = (
    "($models IS NULL OR list_contains($models, model_name))"
    " AND (len($statuses) = 0 OR list_contains($statuses, status))"
    " AND (len($kinds) = 0 OR list_contains($kinds, kind))"
    " AND (len($severities) = 0 OR list_contains($severities, severity))"
    " AND ($submitter = '' OR submitted_by = $submitter)"
    " AND ($person = '' OR (show_name AND submitted_by = $person) OR responded_by = $person)"
    " AND (CAST($since AS TIMESTAMP) IS NULL OR submitted_at >= CAST($since AS TIMESTAMP))"
)


def matching_params(
    models: list[str] | None,
    statuses: list[str],
    kinds: list[str],
    severities: list[str],
    submitter: str,
    person: str,
    since: datetime | None,
) -> Row:
    """The parameters of a filtered list, as count_matching and matching take them."""
    return {
        "models": models,
        "statuses": statuses,
        "kinds": kinds,
        "severities": severities,
        "submitter": submitter,
        "person": person,
        "since": since,
    }
