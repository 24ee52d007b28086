"""Sign-off records (append only) and the version facts their rules read."""

from __future__ import annotations

from typing import Any

from portal.store.database import Row, Store, Transaction

# Every column but the submission key, in the order reads return them.
COLUMNS = (
    "id",
    "step",
    "use_case_id",
    "model_name",
    "model_version",
    "role",
    "decision",
    "conditions",
    "comment",
    "evidence",
    "signed_by",
    "signed_by_name",
    "signed_as_admin",
    "signed_at",
)


class SignOffRepository:
    """Named queries for sign-offs."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def id_for_key(tx: Transaction, submission_key: str) -> int | None:
        """The record already stored for a form submission, if any."""
        return tx.fetch_value(
            "SELECT id FROM signoffs WHERE submission_key = $key", {"key": submission_key}
        )

    @staticmethod
    def insert(tx: Transaction, row: dict[str, Any]) -> int:
        """Append a record and return its id."""
        return tx.fetch_value(
            "INSERT INTO signoffs (submission_key, step, use_case_id, model_name, model_version,"
            " role, decision, conditions, comment, evidence, signed_by, signed_by_name,"
            " signed_as_admin, signed_at) VALUES ($submission_key, $step, $use_case_id,"
            " $model_name, $model_version, $role, $decision, $conditions, $comment, $evidence,"
            " $signed_by, $signed_by_name, $signed_as_admin, $signed_at) RETURNING id",
            row,
        )

    @staticmethod
    def records_in(tx: Transaction, step: str, use_case_id: int | None, model: str) -> list[Row]:
        """One step's records of one subject, read inside the writing transaction."""
        rows = tx.fetch_tuples(
            f"SELECT {', '.join(COLUMNS)} FROM signoffs WHERE step = $step"
            " AND model_name = $model AND use_case_id IS NOT DISTINCT FROM $use_case"
            " ORDER BY signed_at, id",
            {"step": step, "model": model, "use_case": use_case_id},
        )
        return [dict(zip(COLUMNS, row, strict=True)) for row in rows]

    def records(self, model_name: str | None = None, use_case_id: int | None = None) -> list[Row]:
        """Every record, or one model's, or one use case's design records, oldest first."""
        return self.store.fetch_all(
            "signoff_records",
            f"SELECT {', '.join(COLUMNS)} FROM signoffs"
            " WHERE ($model IS NULL OR model_name = $model)"
            " AND ($use_case IS NULL OR use_case_id = $use_case)"
            " ORDER BY signed_at, id",
            {"model": model_name, "use_case": use_case_id},
        )

    def live_versions(self) -> list[Row]:
        """Every live version of every active model, with when it was registered and its run."""
        return self.store.fetch_all(
            "signoff_live_versions",
            """
            SELECT v.model_name, v.version, v.created_at, v.run_id
            FROM model_versions v
            JOIN registered_models m ON m.name = v.model_name AND m.deleted_at IS NULL
            WHERE v.deleted_at IS NULL
            ORDER BY v.model_name, v.version
            """,
        )
