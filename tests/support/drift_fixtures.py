"""Constructed reference samples, inference logs and an artifact source for drift tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

# A Monday, so weekly windows line up with the generated days.
NOW = datetime(2026, 3, 2, 6, 0)
CONTRACTS = ("month-to-month", "one year", "two year")


class FakeArtifacts:
    """Serves reference samples per run id the way MlflowSource.download_artifacts does."""

    def __init__(self, references: dict[str, pd.DataFrame]) -> None:
        self.references = references
        self.downloads: list[str] = []

    def download_artifacts(self, run_id: str, artifact_path: str, destination: Path) -> Path | None:
        self.downloads.append(run_id)
        if run_id not in self.references:
            return None
        folder = destination / artifact_path
        folder.mkdir(parents=True)
        self.references[run_id].to_parquet(folder / "reference.parquet", index=False)
        return folder

    def load_model(self, model_name: str, version: int):
        """No model is logged here: the job stores the version's importance as not computable."""
        raise LookupError(f"model {model_name} version {version} is not in the test registry")


def churn_rows(rows: int, seed: int, charges_shift: float = 0.0) -> pd.DataFrame:
    """Customers with tenure, monthly charges and contract, the model's output and outcome."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 72, rows)
    charges = rng.normal(65.0, 20.0, rows).clip(18, 120) * (1 + charges_shift)
    contract = rng.choice(CONTRACTS, rows, p=[0.55, 0.25, 0.2])
    score = 1 / (1 + np.exp(-(0.04 * (charges - 65) - 0.05 * (tenure - 30))))
    label = (rng.random(rows) < score).astype(int)
    return pd.DataFrame(
        {
            "tenure": tenure,
            "monthly_charges": charges,
            "contract": contract,
            "prediction": (score >= 0.5).astype(int),
            "score": score,
            "label": label,
        }
    )


def churn_logs(
    start: datetime, days: int, rows_per_day: int, seed: int, shift_from: datetime | None = None
) -> pd.DataFrame:
    """Daily logs from `start`; from `shift_from` on, monthly charges are 40 % higher."""
    frames = []
    for day in range(days):
        moment = start + timedelta(days=day)
        shifted = shift_from is not None and moment >= shift_from
        frame = churn_rows(rows_per_day, seed + day, 0.4 if shifted else 0.0)
        offsets = np.linspace(0, 86_000, rows_per_day).astype("timedelta64[s]")
        frames.append(frame.assign(timestamp=np.datetime64(moment) + offsets))
    frame = pd.concat(frames, ignore_index=True)
    return frame[["timestamp", *[c for c in frame.columns if c != "timestamp"]]]


def write_logs(root: Path, model_name: str, frame: pd.DataFrame, name: str = "logs") -> Path:
    """Write one Parquet file of logs where the drift job looks for the model's logs."""
    folder = root / model_name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.parquet"
    frame.to_parquet(path, index=False)
    return path


def fill_drift_results(store, settings) -> None:
    """Drift results for the filled store's production models, as the job stores them.

    customer-churn drifts (monthly charges 40 % up in the last week, 3 history weeks);
    house-prices has logs but no reference sample (not monitored); the German model has no logs.
    """
    from dataclasses import replace

    from portal.drift.job import run_drift_job

    logs = churn_logs(NOW - timedelta(days=28), 28, 200, 31, shift_from=NOW - timedelta(days=7))
    write_logs(settings.inference_dir, "customer-churn", logs)
    write_logs(
        settings.inference_dir, "house-prices", churn_logs(NOW - timedelta(days=7), 7, 50, 3)
    )
    quick = replace(settings, drift_history_weeks=3, drift_sample_rows=5000)
    artifacts = FakeArtifacts({"r2": churn_rows(2000, seed=1)})
    run_drift_job(store, quick, artifacts, trigger="cli", now=NOW)
