"""Fairness over time for pages, reports and attention: stored results of the drift job's
fairness analysis, never Fairlearn."""

from __future__ import annotations

from portal.domain.decay import DecaySignal
from portal.domain.fairness import (
    TAG,
    FairnessWindow,
    GroupRate,
    ModelFairness,
    column_trends,
    decay_signal,
    model_fairness,
)
from portal.store.database import Row, Store
from portal.store.fairness_repo import FairnessRepository


class FairnessService:
    """Reads each production model's gaps between groups; read-only."""

    def __init__(self, store: Store) -> None:
        self.repo = FairnessRepository(store)

    def model(self, name: str) -> ModelFairness:
        """One model's fairness: not monitored, not measured yet, or its trend per group column."""
        windows, groups = self.repo.of_model(name)
        by_window: dict[tuple, list[GroupRate]] = {}
        for row in groups:
            by_window.setdefault(_key(row), []).append(
                GroupRate(
                    row["group_value"],
                    row["group_rows"],
                    row["labelled_rows"],
                    bool(row["compared"]),
                    row["selection_rate"],
                    row["accuracy"],
                    row["true_positive_rate"],
                    row["false_positive_rate"],
                )
            )
        found = [_window(row, by_window.get(_key(row), ())) for row in windows]
        computed_at = self.repo.computed_at(name) if found else None
        return model_fairness(name, self.repo.group_tag(name, TAG), found, computed_at)

    def decay_signals(self) -> list[DecaySignal]:
        """Every production model whose gap between groups widened, from one read; models in
        name order, at most one signal each (the column whose gap grew most)."""
        by_model: dict[str, list[FairnessWindow]] = {}
        for row in self.repo.production_windows():
            by_model.setdefault(row["model_name"], []).append(_window(row, ()))
        signals = (decay_signal(name, column_trends(items)) for name, items in by_model.items())
        return [signal for signal in signals if signal is not None]


def _key(row: Row) -> tuple:
    return (row["group_column"], row["window_kind"], row["window_start"])


def _window(row: Row, groups) -> FairnessWindow:
    return FairnessWindow(
        row["group_column"],
        row["window_kind"],
        row["window_start"],
        row["window_end"],
        row["state"],
        rows=row["window_rows"],
        labelled_rows=row["labelled_rows"],
        groups_compared=row["groups_compared"],
        parity_difference=row["parity_difference"],
        parity_ratio=row["parity_ratio"],
        odds_difference=row["odds_difference"],
        groups=tuple(groups),
    )
