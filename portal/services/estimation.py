"""Estimated performance for pages, reports, attention and risk: stored results, never NannyML."""

from __future__ import annotations

from portal.domain.decay import DecaySignal
from portal.domain.estimation import ModelEstimate, PerformanceEstimate, estimated_drop
from portal.runtime import Runtime
from portal.store.database import Row, Store
from portal.store.estimation_repo import EstimationRepository


class EstimationService:
    """Reads the drift job's performance estimates; a read every viewer may make."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.repo = EstimationRepository(runtime.store)

    def of_model(self, name: str) -> ModelEstimate | None:
        """A model's newest estimates, or why there are none; None before the first estimate."""
        found = self.repo.of_model(name)
        if found is None:
            return None
        run, rows = found
        return ModelEstimate(
            run["model_name"],
            run["model_version"],
            run["computed_at"],
            run["reason"],
            tuple(_estimate(row) for row in rows),
        )


def decay_signals(store: Store) -> list[DecaySignal]:
    """Production models whose newest weeks without known outcomes are estimated clearly worse
    than training (portal.domain.estimation.estimated_drop), in name order; one read."""
    by_model: dict[str, list[PerformanceEstimate]] = {}
    for row in EstimationRepository(store).production_estimates():
        by_model.setdefault(row["model_name"], []).append(_estimate(row))
    signals = (estimated_drop(name, estimates) for name, estimates in by_model.items())
    return [signal for signal in signals if signal is not None]


def _estimate(row: Row) -> PerformanceEstimate:
    return PerformanceEstimate(
        metric=row["metric"],
        window_start=row["window_start"],
        window_end=row["window_end"],
        method=row["method"],
        estimated=row["estimated"],
        lower=row["lower_bound"],
        upper=row["upper_bound"],
        realized=row["realized"],
        reference_value=row["reference_value"],
        labelled_rows=row["labelled_rows"],
        rows=row["window_rows"],
        alert=bool(row["alert"]),
    )
