"""Production inference logs for the demo models: real rows replayed over the last 16 weeks.

Every logged model records 150-250 predictions a day, drawn with a fixed seed from its dataset's
real rows and scored by its production version, rebuilt exactly as the demo trained it. The
scenarios (`SCENARIOS`) give the drift monitoring something to find:

- employee-attrition: stable; inputs as in training.
- transit-ridership-forecast: real change, no manipulation; the logs replay all years of the
  Chicago data while the reference sample holds the oldest training period, so ridership at
  many stations has moved on since then, as it does in reality.
- credit-default-risk: gradual drift; Income falls and Amount rises steadily, reaching -35 % and
  +40 % at the end, so the first weeks look like the reference and the last ones clearly do not.
- customer-churn: sudden shift; a price increase raises monthly_charges by 35 % from three weeks
  before today, and total_charges by the first bill at the new price.
- property-valuation: delayed labels; sale prices of the last six weeks are not known yet.
- Kündigungsprognose Geschäftskunden: no logs at all, a gap the portal should show.

Models not in production log nothing. Labels are the rows' true outcomes: shifted inputs do not
change the truth, so the shifted models lose quality, as they would in reality.
"""

from __future__ import annotations

import shutil
import warnings
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from portal.demo.catalog import MODELS, ModelSpec, VersionSpec
from portal.demo.datasets import Task, load_split, without_features
from portal.demo.training import train

LOG_WEEKS = 16
DAILY_ROWS = (150, 250)  # fewest and most predictions a day
LOG_SEED = 1729
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Scenario:
    """How a model's logged inputs and labels depart from its training data over time."""

    kind: str  # the name tests and docs use
    logged: bool = True
    trend: Mapping[str, float] = field(default_factory=dict)  # column -> change reached at now
    jump: Mapping[str, float] = field(default_factory=dict)  # column -> change since the jump
    jump_weeks: int = 0  # the jump happened this many weeks before now
    # Jumped column -> running total that has billed the new amount once since the jump.
    accrues_into: Mapping[str, str] = field(default_factory=dict)
    unlabeled_weeks: int = 0  # outcomes of the last weeks are not known yet


SCENARIOS: Mapping[str, Scenario] = {
    "employee-attrition": Scenario("stable"),
    "transit-ridership-forecast": Scenario("real change"),
    "credit-default-risk": Scenario("gradual drift", trend={"Income": -0.35, "Amount": 0.40}),
    "customer-churn": Scenario(
        "sudden shift",
        jump={"monthly_charges": 0.35},
        jump_weeks=3,
        accrues_into={"monthly_charges": "total_charges"},
    ),
    "property-valuation": Scenario("delayed labels", unlabeled_weeks=6),
    "Kündigungsprognose Geschäftskunden": Scenario("no logs", logged=False),
}


def write_demo_inference_logs(
    root: Path, now: datetime, production: Mapping[str, int]
) -> dict[str, int]:
    """Write production inference logs for the demo models; returns rows written per model."""
    written: dict[str, int] = {}
    for model in MODELS:
        folder = root / model.name
        # The demo is rebuilt from scratch: logs of an earlier build must not linger.
        if folder.exists():
            shutil.rmtree(folder)
        scenario = SCENARIOS.get(model.name)
        if model.name in production and scenario is not None and scenario.logged:
            version = model.versions[production[model.name] - 1]
            log = demo_inference_log(model, version, scenario, now)
            _write_weeks(folder, log)
            written[model.name] = len(log)
    return written


def demo_inference_log(
    model: ModelSpec, version: VersionSpec, scenario: Scenario, now: datetime
) -> pd.DataFrame:
    """The version's predictions on replayed rows, shaped by the scenario, oldest first."""
    split = without_features(load_split(model.dataset), version.dropped_features)
    pipeline = train(split, version.estimator, dict(version.params), model.dataset.task).pipeline
    # Seeded per model, so one model's log does not depend on which others are in production.
    rng = np.random.default_rng([LOG_SEED, zlib.crc32(model.slug.encode())])
    timestamps = _timestamps(rng, now)
    features = pd.concat([split.x_train, split.x_test])
    labels = pd.concat([split.y_train, split.y_test])
    drawn = rng.integers(0, len(features), size=len(timestamps))
    inputs = _apply_scenario(features.iloc[drawn].reset_index(drop=True), scenario, timestamps, now)
    known = timestamps < pd.Timestamp(now - timedelta(weeks=scenario.unlabeled_weeks))
    return pd.concat(
        [
            pd.DataFrame({"timestamp": timestamps}),
            inputs,
            _outputs(pipeline, inputs, model.dataset.task),
            pd.DataFrame({"label": _labels(labels.iloc[drawn], known, model.dataset.task)}),
        ],
        axis=1,
    )


def _timestamps(rng: np.random.Generator, now: datetime) -> pd.Series:
    """Sorted whole-second moments, 150-250 a day, over the LOG_WEEKS weeks before now."""
    days = LOG_WEEKS * 7
    per_day = rng.integers(DAILY_ROWS[0], DAILY_ROWS[1] + 1, size=days)
    day = np.repeat(np.arange(days), per_day)
    second = rng.integers(0, SECONDS_PER_DAY, size=len(day))
    offsets = pd.to_timedelta(day * SECONDS_PER_DAY + second, unit="s")
    moments = (pd.Timestamp(now - timedelta(weeks=LOG_WEEKS)) + offsets).sort_values()
    # Microseconds: DuckDB reads them as a plain TIMESTAMP, nanoseconds as TIMESTAMP_NS.
    return pd.Series(moments.astype("datetime64[us]"))


def _apply_scenario(
    inputs: pd.DataFrame, scenario: Scenario, timestamps: pd.Series, now: datetime
) -> pd.DataFrame:
    """Inputs with the scenario's trends and jump applied at each row's moment."""
    shifted = inputs.copy()
    start = pd.Timestamp(now - timedelta(weeks=LOG_WEEKS))
    progress = ((timestamps - start) / (pd.Timestamp(now) - start)).to_numpy()
    for column, change in scenario.trend.items():
        shifted[column] = _scaled(inputs[column], 1 + change * progress)
    after_jump = (timestamps >= pd.Timestamp(now - timedelta(weeks=scenario.jump_weeks))).to_numpy()
    for column, change in scenario.jump.items():
        shifted[column] = _scaled(inputs[column], np.where(after_jump, 1 + change, 1.0))
    for column, total in scenario.accrues_into.items():
        shifted[total] = inputs[total] + (shifted[column] - inputs[column])
    return shifted


def _scaled(column: pd.Series, factor: np.ndarray) -> pd.Series:
    """A column times a factor per row; integers stay integers so dtypes match training."""
    scaled = column * factor
    if pd.api.types.is_integer_dtype(column):
        return scaled.round().astype(column.dtype)
    return scaled


def _outputs(pipeline: Pipeline, inputs: pd.DataFrame, task: Task) -> pd.DataFrame:
    """`prediction`, and for classifiers `score`, the probability of class 1."""
    with warnings.catch_warnings():
        # Test rows may hold categories training never saw; the encoder ignores them by design.
        warnings.filterwarnings("ignore", message="Found unknown categories")
        prediction = pipeline.predict(inputs)
        if task == "regression":
            return pd.DataFrame({"prediction": prediction.astype(float)})
        score = pipeline.predict_proba(inputs)[:, 1]
    return pd.DataFrame({"prediction": prediction.astype(int), "score": score})


def _labels(truth: pd.Series, known: pd.Series, task: Task) -> pd.Series:
    """True outcomes where already known, else missing: nullable 0/1 or float with NaN."""
    labels = truth.reset_index(drop=True).astype("Int64" if task == "classification" else float)
    return labels.where(known.to_numpy())


def _write_weeks(folder: Path, log: pd.DataFrame) -> None:
    """One Parquet file per ISO week, named after the week's Monday."""
    folder.mkdir(parents=True)
    stamps = log["timestamp"]
    monday = stamps.dt.normalize() - pd.to_timedelta(stamps.dt.weekday, unit="D")
    for week, rows in log.groupby(monday):
        rows.to_parquet(folder / f"week-{week:%Y-%m-%d}.parquet", index=False)
