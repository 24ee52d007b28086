"""Use cases, their key metrics, the models linked to them and their design-time benchmarks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

_BENCHMARK_COLUMNS = (
    "id, use_case_id, kpi, version, baseline, target, direction, aggregation, unit,"
    " money_per_unit, rationale, valid_from, set_by, set_at"
)


class UseCaseRepository:
    """Named queries for use cases."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def use_cases(self) -> list[Row]:
        """Every use case, by title."""
        return self.store.fetch_all("use_cases", "SELECT * FROM use_cases ORDER BY title, id")

    def key_metrics(self) -> list[Row]:
        """Every use case's key metrics with their targets."""
        return self.store.fetch_all(
            "use_case_metrics", "SELECT * FROM use_case_metrics ORDER BY use_case_id, metric"
        )

    def model_links(self) -> list[Row]:
        """Per active model: the use case linked in the portal (key) and its MLflow tag
        `use_case` (version tag over model tag, as the effective tags)."""
        return self.store.fetch_all(
            "use_case_model_links",
            """
            WITH described AS (
                SELECT m.name, coalesce(m.production_version, max(v.version)) AS version
                FROM registered_models m
                LEFT JOIN model_versions v ON v.model_name = m.name AND v.deleted_at IS NULL
                WHERE m.deleted_at IS NULL
                GROUP BY m.name, m.production_version
            )
            SELECT d.name AS model_name, u.key AS linked_key,
                   coalesce(nullif(trim(vt.value), ''), mt.value) AS tag_value
            FROM described d
            LEFT JOIN use_case_models l ON l.model_name = d.name
            LEFT JOIN use_cases u ON u.id = l.use_case_id
            LEFT JOIN model_tags mt ON mt.model_name = d.name AND mt.key = 'use_case'
            LEFT JOIN version_tags vt
                ON vt.model_name = d.name AND vt.version = d.version AND vt.key = 'use_case'
            ORDER BY d.name
            """,
        )

    @staticmethod
    def set_status_in(
        tx: Transaction, use_case_id: int, status: str, by: str, at: datetime
    ) -> None:
        """Move a use case to a status inside the writing transaction (a design approval
        moves a proposed use case to 'approved' in the transaction that records it)."""
        tx.execute(
            "UPDATE use_cases SET status = $status, updated_by = $by, updated_at = $at"
            " WHERE id = $id",
            {"id": use_case_id, "status": status, "by": by, "at": at},
        )

    # --- writes, inside the writing transaction ------------------------------------------------

    @staticmethod
    def keys_in(tx: Transaction) -> dict[str, int]:
        """Every use case's key, case-folded, with its id (keys are unique without case)."""
        return {
            key.casefold(): id_ for id_, key in tx.fetch_tuples("SELECT id, key FROM use_cases")
        }

    @staticmethod
    def row_in(tx: Transaction, use_case_id: int) -> Row | None:
        """One use case's stored fields."""
        return tx.fetch_row("SELECT * FROM use_cases WHERE id = $id", {"id": use_case_id})

    @staticmethod
    def metrics_in(tx: Transaction, use_case_id: int) -> list[tuple]:
        """One use case's key metrics as (metric, kind, comparison, target, unit)."""
        return tx.fetch_tuples(
            "SELECT metric, kind, comparison, target, unit FROM use_case_metrics"
            " WHERE use_case_id = $id ORDER BY metric",
            {"id": use_case_id},
        )

    @staticmethod
    def insert_in(tx: Transaction, row: dict[str, Any]) -> int:
        """Store a new use case and return its id."""
        return tx.fetch_value(
            "INSERT INTO use_cases (key, title, question, business_process, business_unit,"
            " accountable_executive, business_owner, users, regulation, budget, staff, status,"
            " proposed_by, proposed_at, updated_by, updated_at) VALUES ($key, $title, $question,"
            " $business_process, $business_unit, $accountable_executive, $business_owner,"
            " $users, $regulation, $budget, $staff, $status, $by, $at, $by, $at) RETURNING id",
            row,
        )

    @staticmethod
    def update_in(tx: Transaction, use_case_id: int, row: dict[str, Any]) -> None:
        """Change a use case's fields (never its key or status)."""
        tx.execute(
            "UPDATE use_cases SET title = $title, question = $question,"
            " business_process = $business_process, business_unit = $business_unit,"
            " accountable_executive = $accountable_executive, business_owner = $business_owner,"
            " users = $users, regulation = $regulation, budget = $budget, staff = $staff,"
            " updated_by = $by, updated_at = $at WHERE id = $id",
            {**row, "id": use_case_id},
        )

    @staticmethod
    def replace_metrics_in(tx: Transaction, use_case_id: int, metrics: list[dict]) -> None:
        """Set a use case's key metrics to these."""
        tx.execute("DELETE FROM use_case_metrics WHERE use_case_id = $id", {"id": use_case_id})
        if metrics:
            tx.execute_rows(
                "INSERT INTO use_case_metrics (use_case_id, metric, kind, comparison, target, unit)"
                " SELECT $id, r.metric, r.kind, r.comparison, r.target, r.unit"
                " FROM (SELECT unnest($rows) AS r)",
                metrics,
                id=use_case_id,
            )

    @staticmethod
    def link_of_in(tx: Transaction, model_name: str) -> Row | None:
        """The portal link of a model (with its use case's key), if any."""
        return tx.fetch_row(
            "SELECT l.*, u.key FROM use_case_models l JOIN use_cases u ON u.id = l.use_case_id"
            " WHERE l.model_name = $model",
            {"model": model_name},
        )

    @staticmethod
    def link_in(tx: Transaction, model_name: str, use_case_id: int, by: str, at: datetime) -> None:
        """Link a model to a use case in the portal (a model serves at most one)."""
        tx.execute("DELETE FROM use_case_models WHERE model_name = $model", {"model": model_name})
        tx.execute(
            "INSERT INTO use_case_models (model_name, use_case_id, linked_by, linked_at)"
            " VALUES ($model, $id, $by, $at)",
            {"model": model_name, "id": use_case_id, "by": by, "at": at},
        )

    @staticmethod
    def unlink_in(tx: Transaction, model_name: str) -> None:
        """Remove a model's portal link."""
        tx.execute("DELETE FROM use_case_models WHERE model_name = $model", {"model": model_name})

    # --- design-time benchmarks ---------------------------------------------------------------

    @staticmethod
    def latest_benchmark_in(tx: Transaction, use_case_id: int, kpi: str) -> Row | None:
        """The newest version of a use case's promise for a KPI."""
        return tx.fetch_row(
            f"SELECT {_BENCHMARK_COLUMNS} FROM use_case_benchmarks"
            " WHERE use_case_id = $id AND kpi = $kpi ORDER BY version DESC LIMIT 1",
            {"id": use_case_id, "kpi": kpi},
        )

    @staticmethod
    def insert_benchmark_in(tx: Transaction, row: dict[str, Any]) -> int:
        """Store a new version of a use case's promise and return its id."""
        return tx.fetch_value(
            "INSERT INTO use_case_benchmarks (use_case_id, kpi, version, baseline, target,"
            " direction, aggregation, unit, money_per_unit, rationale, valid_from, set_by,"
            " set_at) VALUES ($use_case_id, $kpi, $version, $baseline, $target, $direction,"
            " $aggregation, $unit, $money_per_unit, $rationale, $valid_from, $set_by, $set_at)"
            " RETURNING id",
            row,
        )

    def benchmarks(self, use_case_id: int | None = None) -> list[Row]:
        """Every version of the use cases' promises (of one), per use case and KPI oldest first."""
        return self.store.fetch_all(
            "use_case_benchmarks",
            f"SELECT {_BENCHMARK_COLUMNS} FROM use_case_benchmarks"
            " WHERE $id IS NULL OR use_case_id = $id ORDER BY use_case_id, kpi, version",
            {"id": use_case_id},
        )
