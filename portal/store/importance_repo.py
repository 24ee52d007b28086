"""Input importance per model version: what the drift job measured once, read by the rule, the
model card and the drift page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from portal.store.database import Row, Store, Transaction


class Importance(Protocol):
    """What is stored of one input (portal.domain.importance.InputImportance)."""

    feature: str
    mean: float
    std: float
    share: float
    rank: int
    basis: str


class ImportanceRepository:
    """Named queries over importance_versions and input_importance."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def save(
        self,
        model_name: str,
        model_version: int,
        rows: Sequence[Importance],
        computed_at: datetime,
        failure: str = "",
    ) -> None:
        """Store a version's importance, replacing what it had; no rows: it could not be
        computed, for the reason `failure` (one line), and is not tried again for the version."""
        outcome = "computed" if rows else "failed"
        basis = rows[0].basis if rows else ""
        with self.store.transaction() as tx:
            self._replace(tx, model_name, model_version, outcome, failure[:500], basis, computed_at)
            tx.execute_rows(
                "INSERT INTO input_importance SELECT $model, $version, r.feature, r.mean, r.std,"
                " r.share, r.rank FROM (SELECT unnest($rows) AS r)",
                [
                    {
                        "feature": row.feature,
                        "mean": row.mean,
                        "std": row.std,
                        "share": row.share,
                        "rank": row.rank,
                    }
                    for row in rows
                ],
                model=model_name,
                version=model_version,
            )
            tx.bump_data_version()

    @staticmethod
    def _replace(
        tx: Transaction,
        model_name: str,
        model_version: int,
        outcome: str,
        detail: str,
        basis: str,
        computed_at: datetime,
    ) -> None:
        key = {"model": model_name, "version": model_version}
        for table in ("input_importance", "importance_versions"):
            tx.execute(
                f"DELETE FROM {table} WHERE model_name = $model AND model_version = $version", key
            )
        tx.execute(
            "INSERT INTO importance_versions VALUES ($model, $version, $outcome, $detail, $basis,"
            " $at)",
            {**key, "outcome": outcome, "detail": detail, "basis": basis, "at": computed_at},
        )

    def shares(self, model_name: str, version: int) -> dict[str, float] | None:
        """Share per input of a version; {} when it could not be computed; None when not tried."""
        rows = self.store.fetch_all(
            "importance_shares",
            "SELECT i.feature, i.share FROM importance_versions v"
            " LEFT JOIN input_importance i"
            "  ON i.model_name = v.model_name AND i.model_version = v.model_version"
            " WHERE v.model_name = $model AND v.model_version = $version",
            {"model": model_name, "version": version},
        )
        if not rows:
            return None
        return {row["feature"]: row["share"] for row in rows if row["feature"] is not None}

    def production_shares(self) -> dict[str, dict[str, float]]:
        """Shares per input of every production version tried, by model ({}: it failed)."""
        rows = self.store.fetch_all(
            "importance_production_shares",
            "SELECT m.name, i.feature, i.share FROM registered_models m"
            " JOIN importance_versions v"
            "  ON v.model_name = m.name AND v.model_version = m.production_version"
            " LEFT JOIN input_importance i"
            "  ON i.model_name = v.model_name AND i.model_version = v.model_version"
            " WHERE m.deleted_at IS NULL",
        )
        found: dict[str, dict[str, float]] = {}
        for row in rows:
            shares = found.setdefault(row["name"], {})
            if row["feature"] is not None:
                shares[row["feature"]] = row["share"]
        return found

    def versions_of(self, model_name: str) -> list[Row]:
        """Every stored version of a model (importance_versions), newest version first."""
        return self.store.fetch_all(
            "importance_of_model",
            "SELECT * FROM importance_versions WHERE model_name = $model"
            " ORDER BY model_version DESC",
            {"model": model_name},
        )

    def inputs_of(self, model_name: str) -> list[Row]:
        """Every stored input of every version of a model, by version and rank, with its basis."""
        return self.store.fetch_all(
            "importance_inputs_of_model",
            "SELECT i.*, v.basis FROM input_importance i JOIN importance_versions v"
            " ON v.model_name = i.model_name AND v.model_version = i.model_version"
            " WHERE i.model_name = $model ORDER BY i.model_version, i.rank, i.feature",
            {"model": model_name},
        )
