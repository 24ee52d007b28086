"""A registry built in code, served by a fake source, for tests that need a filled store fast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from portal.sources.mlflow_records import (
    RegistrySnapshot,
    SourceDataset,
    SourceModel,
    SourceRun,
    SourceVersion,
)

T0 = datetime(2026, 1, 5, 9, 0)
FULL_TAGS = {
    "purpose": "Predicts which customers are about to cancel so retention can call them first.",
    "business_process": "Customer retention",
    "business_unit": "Consumer sales",
    "owner": "anna.schmidt@example.com",
    "team": "Retention analytics",
    "intended_use": "Ranking customers for retention calls.",
    "limitations": "Not for pricing decisions.",
    "data_sources": "crm.contracts, billing.invoices",
    "decision_mode": "advisory",
    "criticality": "medium",
    "portal.demo": "true",
}


@dataclass
class FakeSource:
    """A RegistrySource whose snapshot and runs a test sets directly."""

    snapshot: RegistrySnapshot
    runs: dict[str, SourceRun]
    fail_with: Exception | None = None

    def read_registry(self) -> RegistrySnapshot:
        if self.fail_with:
            raise self.fail_with
        return self.snapshot

    def read_runs(self, run_ids: Iterable[str]) -> dict[str, SourceRun]:
        return {run_id: self.runs[run_id] for run_id in run_ids if run_id in self.runs}


def run(run_id: str, started: datetime, **metrics: float) -> SourceRun:
    """A finished training run with lineage facts."""
    return SourceRun(
        run_id=run_id,
        experiment_id="1",
        experiment_name="churn",
        run_name=f"train-{run_id}",
        status="FINISHED",
        started_at=started,
        ended_at=started + timedelta(minutes=12),
        user="ben.meyer@example.com",
        git_commit="a" * 40,
        code_source="training/churn/train.py",
        metrics=metrics,
        params={"n_estimators": "200", "max_depth": "4"},
        datasets=(SourceDataset("churn-train", "d1g3st", "local", "crm.contracts", "training"),),
    )


def version(
    model: str, number: int, run_id: str | None, stage: str = "None", **tags: str
) -> SourceVersion:
    """A READY version registered a week after T0 per version number."""
    at = T0 + timedelta(days=7 * number)
    return SourceVersion(
        model,
        number,
        run_id,
        f"models:/{run_id}",
        "READY",
        stage,
        "",
        at,
        at,
        "ben.meyer@example.com",
        dict(tags),
    )


def base_registry() -> FakeSource:
    """Four models: documented churn model in production, an undocumented one, a legacy-stage
    one, and one with a non-ASCII name."""
    models = (
        SourceModel("customer-churn", "Churn model", T0, T0, dict(FULL_TAGS), {"champion": 2}),
        SourceModel("bare model", "", T0, T0, {}, {}),
        SourceModel(
            "house-prices",
            "",
            T0,
            T0,
            {"purpose": "Values houses.", "business_process": "Mortgage valuation"},
            {},
        ),
        SourceModel(
            "Kündigung Geschäftskunden",
            "",
            T0,
            T0,
            {"business_process": "Customer retention", "business_unit": "Business"},
            {"production": 1},
        ),
    )
    versions = (
        version("customer-churn", 1, "r1"),
        version("customer-churn", 2, "r2", limitations="Not for customers under 18."),
        version("bare model", 1, "r3"),
        version("house-prices", 1, "r4", stage="Production"),
        version("Kündigung Geschäftskunden", 1, "r5"),
    )
    runs = {
        "r1": run("r1", T0, accuracy=0.81, roc_auc=0.84),
        "r2": run(
            "r2",
            T0 + timedelta(days=10),
            accuracy=0.86,
            roc_auc=0.9,
            f1=float("nan"),
            custom_lift=1.7,
        ),
        "r3": run("r3", T0),
        "r4": run("r4", T0, rmse=23150.0, r2=0.87),
        "r5": run("r5", T0, accuracy=0.79),
    }
    return FakeSource(RegistrySnapshot(models, versions), runs)


def move_alias(source: FakeSource, model: str, alias: str, version_number: int | None) -> None:
    """Set or remove an alias in the fake registry."""
    models = []
    for item in source.snapshot.models:
        if item.name == model:
            aliases = dict(item.aliases)
            if version_number is None:
                aliases.pop(alias, None)
            else:
                aliases[alias] = version_number
            item = replace(item, aliases=aliases)
        models.append(item)
    source.snapshot = replace(source.snapshot, models=tuple(models))
