"""Generated reports: appended once each, read back for the next portfolio comparison."""

from __future__ import annotations

from typing import Any

from portal.store.database import Row, Store, Transaction


class ReportRepository:
    """Insert and read; a recorded report is never changed."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def insert(tx: Transaction, row: dict[str, Any]) -> int:
        """Record one generated report; returns its id."""
        return int(
            tx.fetch_value(
                "INSERT INTO reports (kind, model_name, language, generated_at, generated_by,"
                " generated_by_name, snapshot_json, pages, size_bytes, sha256) VALUES ($kind,"
                " $model_name, $language, $generated_at, $generated_by, $generated_by_name,"
                " $snapshot_json, $pages, $size_bytes, $sha256) RETURNING id",
                row,
            )
        )

    def latest_portfolio(self) -> Row | None:
        """The newest portfolio report, with its snapshot."""
        return self.store.fetch_one(
            "latest_portfolio_report",
            "SELECT * FROM reports WHERE kind = 'portfolio' ORDER BY generated_at DESC, id DESC"
            " LIMIT 1",
        )

    def recent(self, limit: int = 20, kind: str | None = None) -> list[Row]:
        """The newest reports (of one kind, or both), without their snapshots."""
        return self.store.fetch_all(
            "recent_reports",
            "SELECT id, kind, model_name, language, generated_at, generated_by,"
            " generated_by_name, pages, size_bytes, sha256 FROM reports"
            " WHERE $kind IS NULL OR kind = $kind"
            " ORDER BY generated_at DESC, id DESC LIMIT $limit",
            {"limit": limit, "kind": kind},
        )
