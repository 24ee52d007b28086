"""Periodic reviews: append one, find a resubmitted one, read a model's history and, for every
production model at once, its newest review."""

from __future__ import annotations

from typing import Any

from portal.store.database import Row, Store, Transaction


class ReviewRepository:
    """Named queries for the reviews table."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def id_for_key(tx: Transaction, submission_key: str) -> int | None:
        """The review a form submission already recorded, if any."""
        return tx.fetch_value(
            "SELECT id FROM reviews WHERE submission_key = $key", {"key": submission_key}
        )

    @staticmethod
    def insert(tx: Transaction, row: dict[str, Any]) -> int:
        """Append a review and return its id."""
        return tx.fetch_value(
            "INSERT INTO reviews (submission_key, model_name, model_version, outcome, findings,"
            " next_review, reviewed_by, reviewed_by_name, reviewed_at) VALUES ($submission_key,"
            " $model_name, $model_version, $outcome, $findings, $next_review, $reviewed_by,"
            " $reviewed_by_name, $reviewed_at) RETURNING id",
            row,
        )

    def history(self, model_name: str) -> list[Row]:
        """Every review of a model, newest first."""
        return self.store.fetch_all(
            "review_history",
            "SELECT * EXCLUDE (submission_key) FROM reviews WHERE model_name = $model"
            " ORDER BY reviewed_at DESC, id DESC",
            {"model": model_name},
        )

    def production_models(self, model_name: str | None = None) -> list[Row]:
        """Every active production model (or one) with since when and its newest review's
        columns (prefixed last_; NULL without a review)."""
        return self.store.fetch_all(
            "review_production_models",
            """
            WITH latest AS (
                SELECT * EXCLUDE (submission_key, rank) FROM (
                    SELECT r.*, row_number() OVER (
                        PARTITION BY r.model_name ORDER BY r.reviewed_at DESC, r.id DESC
                    ) AS rank
                    FROM reviews r
                    WHERE $model IS NULL OR r.model_name = $model
                ) WHERE rank = 1
            )
            SELECT m.name, m.production_version,
                   coalesce(m.production_since, m.first_seen_at) AS production_since,
                   l.id AS last_id, l.model_version AS last_model_version,
                   l.outcome AS last_outcome, l.findings AS last_findings,
                   l.next_review AS last_next_review, l.reviewed_by AS last_reviewed_by,
                   l.reviewed_by_name AS last_reviewed_by_name,
                   l.reviewed_at AS last_reviewed_at
            FROM registered_models m
            LEFT JOIN latest l ON l.model_name = m.name
            WHERE m.deleted_at IS NULL AND m.production_version IS NOT NULL
              AND ($model IS NULL OR m.name = $model)
            ORDER BY lower(m.name), m.name
            """,
            {"model": model_name},
        )

    def assessments_in_force(self, model_name: str) -> list[Row]:
        """One model's risk assessments in force, one per risk: what a review re-confirms."""
        return self.store.fetch_all(
            "review_assessments_in_force",
            """
            SELECT * EXCLUDE (rank) FROM (
                SELECT a.*, row_number() OVER (
                    PARTITION BY a.risk ORDER BY a.assessed_at DESC, a.id DESC
                ) AS rank
                FROM risk_assessments a WHERE a.model_name = $model
            ) WHERE rank = 1 ORDER BY risk
            """,
            {"model": model_name},
        )
