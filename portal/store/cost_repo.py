"""Costs: models' running cost (KPI rows of the cost KPI) and use cases' development cost."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.store.database import Row, Store, Transaction


class CostRepository:
    """Named queries for the cost feature."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def running_costs(self, cost_kpi: str, first: date, last: date) -> list[Row]:
        """Per model: the running cost over the months first..last and how many months it
        covers, summed in the store (totals only, segment '')."""
        return self.store.fetch_all(
            "running_costs",
            """
            SELECT model_name, sum(value) AS total, count(*) AS months
            FROM kpi_observations
            WHERE kpi = $kpi AND segment = '' AND period BETWEEN $first AND $last
            GROUP BY model_name
            ORDER BY model_name
            """,
            {"kpi": cost_kpi, "first": first, "last": last},
        )

    def running_cost_months(self, cost_kpi: str, model_name: str) -> list[Row]:
        """One model's running cost per month, newest first."""
        return self.store.fetch_all(
            "running_cost_months",
            "SELECT period, value FROM kpi_observations WHERE kpi = $kpi AND segment = ''"
            " AND model_name = $model ORDER BY period DESC",
            {"kpi": cost_kpi, "model": model_name},
        )

    def development_costs(self, first: date, last: date) -> list[Row]:
        """Per use case: its budget, development cost spent in first..last and in all."""
        return self.store.fetch_all(
            "development_costs",
            """
            SELECT u.id, u.key, u.title, u.budget,
                   sum(c.amount) FILTER (WHERE c.period BETWEEN $first AND $last)
                       AS spent_in_period,
                   sum(c.amount) AS spent_total
            FROM use_cases u
            LEFT JOIN use_case_costs c ON c.use_case_id = u.id
            GROUP BY u.id, u.key, u.title, u.budget
            ORDER BY u.title, u.id
            """,
            {"first": first, "last": last},
        )

    def development_cost_months(self, use_case_id: int) -> list[Row]:
        """One use case's development cost per month, newest first."""
        return self.store.fetch_all(
            "development_cost_months",
            "SELECT period, amount, note, entered_by, entered_at FROM use_case_costs"
            " WHERE use_case_id = $id ORDER BY period DESC",
            {"id": use_case_id},
        )

    @staticmethod
    def development_cost_in(tx: Transaction, use_case_id: int, period: date) -> Row | None:
        """One month's entry, read inside the writing transaction (the audit's before)."""
        return tx.fetch_row(
            "SELECT period, amount, note FROM use_case_costs"
            " WHERE use_case_id = $id AND period = $period",
            {"id": use_case_id, "period": period},
        )

    @staticmethod
    def put_development_cost(tx: Transaction, row: dict[str, Any]) -> None:
        """Store a month's development cost, replacing what was entered for that month."""
        tx.execute(
            "INSERT OR REPLACE INTO use_case_costs (use_case_id, period, amount, note,"
            " entered_by, entered_at) VALUES ($use_case_id, $period, $amount, $note,"
            " $entered_by, $entered_at)",
            row,
        )
