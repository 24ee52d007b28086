"""Fairness over time: per model, group column and window the gaps between groups, and each
group's rates, as the drift job's fairness analysis computed them (portal/drift/fairness.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from portal.store.database import Row, Store

_WINDOW_COLUMNS = (
    "group_column, window_kind, window_start, window_end, state, window_rows, labelled_rows,"
    " groups_compared, parity_difference, parity_ratio, odds_difference"
)
_W_COLUMNS = ", ".join(f"w.{name.strip()}" for name in _WINDOW_COLUMNS.split(","))
# Production models, with the version whose results count.
_PRODUCTION = (
    "registered_models m ON m.name = w.model_name AND m.production_version IS NOT NULL"
    " AND m.deleted_at IS NULL AND w.model_version IS NOT DISTINCT FROM m.production_version"
)


class FairnessRepository:
    """Named queries over fairness_windows and fairness_groups."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def replace(
        self,
        model_name: str,
        model_version: int | None,
        rows: Sequence[Any],
        computed_at: datetime,
    ) -> None:
        """A model's fairness results (portal.domain.fairness.FairnessWindow, each with its
        groups), replacing its earlier ones, in one transaction."""
        windows = [
            {
                "group_column": w.group_column,
                "window_kind": w.window_kind,
                "window_start": w.window_start,
                "window_end": w.window_end,
                "state": w.state,
                "window_rows": w.rows,
                "labelled_rows": w.labelled_rows,
                "groups_compared": w.groups_compared,
                "parity_difference": w.parity_difference,
                "parity_ratio": w.parity_ratio,
                "odds_difference": w.odds_difference,
            }
            for w in rows
        ]
        groups = [
            {
                "group_column": w.group_column,
                "window_kind": w.window_kind,
                "window_start": w.window_start,
                "position": position,
                "group_value": g.group,
                "group_rows": g.rows,
                "labelled_rows": g.labelled_rows,
                "compared": g.compared,
                "selection_rate": g.selection_rate,
                "accuracy": g.accuracy,
                "true_positive_rate": g.true_positive_rate,
                "false_positive_rate": g.false_positive_rate,
            }
            for w in rows
            for position, g in enumerate(w.groups)
        ]
        with self.store.transaction() as tx:
            for table in ("fairness_groups", "fairness_windows"):
                tx.execute(f"DELETE FROM {table} WHERE model_name = $name", {"name": model_name})
            tx.execute_rows(
                f"INSERT INTO fairness_windows (model_name, model_version, {_WINDOW_COLUMNS},"
                " computed_at) SELECT $name, $version, r.group_column, r.window_kind,"
                " r.window_start, r.window_end, r.state, r.window_rows, r.labelled_rows,"
                " r.groups_compared, r.parity_difference, r.parity_ratio, r.odds_difference, $at"
                " FROM (SELECT unnest($rows) AS r)",
                windows,
                name=model_name,
                version=model_version,
                at=computed_at,
            )
            tx.execute_rows(
                "INSERT INTO fairness_groups SELECT $name, r.group_column, r.window_kind,"
                " r.window_start, r.position, r.group_value, r.group_rows, r.labelled_rows,"
                " r.compared, r.selection_rate, r.accuracy, r.true_positive_rate,"
                " r.false_positive_rate FROM (SELECT unnest($rows) AS r)",
                groups,
                name=model_name,
            )
            tx.bump_data_version()

    def of_model(self, name: str) -> tuple[list[Row], list[Row]]:
        """The production version's windows (reference first, weeks in order) and their groups
        in display order; none when nothing is stored for that version."""
        windows = self.store.fetch_all(
            "fairness_of_model",
            f"SELECT {_W_COLUMNS} FROM fairness_windows w JOIN {_PRODUCTION}"
            " WHERE w.model_name = $name"
            " ORDER BY w.group_column, w.window_kind <> 'reference', w.window_start",
            {"name": name},
        )
        if not windows:
            return [], []
        groups = self.store.fetch_all(
            "fairness_groups_of_model",
            "SELECT * FROM fairness_groups WHERE model_name = $name"
            " ORDER BY group_column, window_kind, window_start, position",
            {"name": name},
        )
        return windows, groups

    def computed_at(self, name: str) -> datetime | None:
        """When the model's fairness was last computed; None: never."""
        return self.store.fetch_value(
            "fairness_computed_at",
            "SELECT max(computed_at) FROM fairness_windows WHERE model_name = $name",
            {"name": name},
        )

    def group_tag(self, name: str, tag: str) -> str | None:
        """The model's tag naming its group columns (its production version's over the
        model's)."""
        return self.store.fetch_value(
            "fairness_group_tag",
            "SELECT coalesce("
            " (SELECT v.value FROM version_tags v JOIN registered_models m"
            "   ON m.name = v.model_name AND m.production_version = v.version"
            "   WHERE v.model_name = $name AND v.key = $tag),"
            " (SELECT t.value FROM model_tags t WHERE t.model_name = $name AND t.key = $tag))",
            {"name": name, "tag": tag},
        )

    def production_windows(self) -> list[Row]:
        """The reference and weekly windows of every production model's version, in one read:
        what the widening-gap rule looks at (portal.domain.fairness.decay_signal)."""
        return self.store.fetch_all(
            "fairness_production_windows",
            f"SELECT w.model_name, {_W_COLUMNS} FROM fairness_windows w JOIN {_PRODUCTION}"
            " WHERE w.window_kind IN ('reference', 'week')"
            " ORDER BY w.model_name, w.group_column, w.window_kind <> 'reference', w.window_start",
        )
