"""Estimated performance per production version, measure and week: written by the drift job,
read by the drift drill-down, the fact sheet and the decay signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from portal.store.database import Row, Store

_COLUMNS = (
    "metric, window_start, window_end, method, estimated, lower_bound, upper_bound, realized,"
    " reference_value, labelled_rows, window_rows, alert"
)


class Estimate(Protocol):
    """What is stored of one estimate (portal.domain.estimation.PerformanceEstimate)."""

    metric: str
    window_start: datetime
    window_end: datetime
    method: str
    estimated: float | None
    lower: float | None
    upper: float | None
    realized: float | None
    reference_value: float | None
    labelled_rows: int
    rows: int
    alert: bool


class EstimationRepository:
    """Named queries over performance_estimate_runs and performance_estimates."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def replace(
        self,
        model_name: str,
        model_version: int | None,
        estimates: Sequence[Estimate],
        computed_at: datetime,
        reason: str = "",
    ) -> None:
        """A model's estimates from one job instead of the earlier ones, in one transaction.

        reason: why nothing was estimated ('' when estimated; see
        portal.drift.estimation.estimate_with_reason)."""
        rows = [
            {
                "metric": e.metric,
                "window_start": e.window_start,
                "window_end": e.window_end,
                "method": e.method,
                "estimated": e.estimated,
                "lower_bound": e.lower,
                "upper_bound": e.upper,
                "realized": e.realized,
                "reference_value": e.reference_value,
                "labelled_rows": e.labelled_rows,
                "window_rows": e.rows,
                "alert": e.alert,
            }
            for e in estimates
        ]
        with self.store.transaction() as tx:
            tx.execute(
                "DELETE FROM performance_estimates WHERE model_name = $model",
                {"model": model_name},
            )
            tx.execute(
                "INSERT OR REPLACE INTO performance_estimate_runs"
                " (model_name, model_version, computed_at, reason)"
                " VALUES ($model, $version, $at, $reason)",
                {
                    "model": model_name,
                    "version": model_version,
                    "at": computed_at,
                    "reason": reason,
                },
            )
            tx.execute_rows(
                f"INSERT INTO performance_estimates (model_name, model_version, {_COLUMNS})"
                " SELECT $model, $version, r.metric, r.window_start, r.window_end, r.method,"
                " r.estimated, r.lower_bound, r.upper_bound, r.realized, r.reference_value,"
                " r.labelled_rows, r.window_rows, r.alert FROM (SELECT unnest($rows) AS r)",
                rows,
                model=model_name,
                version=model_version,
            )
            tx.bump_data_version()

    def of_model(self, model_name: str) -> tuple[Row, list[Row]] | None:
        """The newest job's run row of a model (version, when, why nothing was estimated) and
        its estimates by metric and week; None when the job has not estimated it yet."""
        run = self.store.fetch_one(
            "estimation_run",
            "SELECT model_name, model_version, computed_at, reason"
            " FROM performance_estimate_runs WHERE model_name = $model",
            {"model": model_name},
        )
        if run is None:
            return None
        rows = self.store.fetch_all(
            "estimation_of_model",
            f"SELECT {_COLUMNS} FROM performance_estimates WHERE model_name = $model"
            " ORDER BY metric, window_start",
            {"model": model_name},
        )
        return run, rows

    def production_estimates(self) -> list[Row]:
        """The estimates of every model's production version, in one read, by model, metric
        and week (for the decay rule, portal.domain.estimation.estimated_drop)."""
        return self.store.fetch_all(
            "estimation_production_rows",
            f"SELECT e.model_name, {', '.join('e.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM performance_estimates e JOIN registered_models m ON m.name = e.model_name"
            "  AND m.production_version = e.model_version AND m.deleted_at IS NULL"
            " ORDER BY e.model_name, e.metric, e.window_start",
        )
