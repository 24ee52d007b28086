"""Production inference logs for the demo models: real rows replayed over the last 16 weeks.

Every logged model records 150-250 predictions a day, drawn with a fixed seed from its dataset's
real rows and scored by its production version, rebuilt exactly as the demo trained it. The
scenarios (`SCENARIOS`) give the drift monitoring something to find:

- employee-attrition: stable inputs, a widening gap between genders; from six to two weeks
  before today overtime shifts to women (more of the women logged work overtime, fewer of the
  men, so the share of overtime and of each gender stay as in training), and the model flags
  more women as likely to leave, for reasons the real rows hold.
- transit-ridership-forecast: real change, no manipulation; the logs replay all years of the
  Chicago data while the reference sample holds the oldest training period, so ridership at
  many stations has moved on since then, as it does in reality.
- credit-default-risk: gradual drift; over the 12 weeks the drift page shows, Income falls and
  Amount rises steadily, reaching -35 % and +40 % at the end, so the first weeks look like the
  reference and the last ones clearly do not.
  From six to two weeks before today, applicants under 30 come to ask for 30 % more on 30 %
  lower incomes (a new online channel), so the model approves fewer young applicants: a
  widening gap by age.
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
# A trend starts with the drift page's history (12 weeks): its first weeks look like training.
TREND_WEEKS = 12
DAILY_ROWS = (150, 250)  # fewest and most predictions a day
LOG_SEED = 1729
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class GroupChange:
    """One group of people differs more and more from `weeks` weeks before now until
    `full_weeks` weeks before now, and fully since: its inputs change (`trend`), or its mix of
    one input does (`mix`) while that input's overall share stays as in the data."""

    column: str  # the group column, named by the model's fairness_groups tag
    value: str | None = None  # the group: rows with this value ...
    below: float | None = None  # ... or with a number below this
    weeks: int = 6
    full_weeks: int = 2
    trend: Mapping[str, float] = field(default_factory=dict)  # column -> change reached at now
    mix: tuple[str, str, float] | None = None  # (input, value, share in the group reached at now)

    def members(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows belong to the group."""
        if self.below is not None:
            return frame[self.column] < self.below
        return frame[self.column] == self.value


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
    group_change: GroupChange | None = None  # a gap between groups that widens lately


SCENARIOS: Mapping[str, Scenario] = {
    "employee-attrition": Scenario(
        "stable",
        group_change=GroupChange("Gender", value="Female", mix=("OverTime", "Yes", 0.7)),
    ),
    "transit-ridership-forecast": Scenario("real change"),
    "credit-default-risk": Scenario(
        "gradual drift",
        trend={"Income": -0.35, "Amount": 0.40},
        group_change=GroupChange("Age", below=30, trend={"Income": -0.3, "Amount": 0.3}),
    ),
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
    change = scenario.group_change
    if change is not None and change.mix is not None:
        drawn = _remix(rng, features, drawn, change, _ramp(timestamps, now, change))
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
    start = pd.Timestamp(now - timedelta(weeks=TREND_WEEKS))
    progress = ((timestamps - start) / (pd.Timestamp(now) - start)).clip(0, 1).to_numpy()
    for column, change in scenario.trend.items():
        shifted[column] = _scaled(inputs[column], 1 + change * progress)
    after_jump = (timestamps >= pd.Timestamp(now - timedelta(weeks=scenario.jump_weeks))).to_numpy()
    for column, change in scenario.jump.items():
        shifted[column] = _scaled(inputs[column], np.where(after_jump, 1 + change, 1.0))
    for column, total in scenario.accrues_into.items():
        shifted[total] = inputs[total] + (shifted[column] - inputs[column])
    change = scenario.group_change
    if change is not None and change.trend:
        strength = _ramp(timestamps, now, change) * change.members(inputs).to_numpy()
        for column, amount in change.trend.items():
            shifted[column] = _scaled(shifted[column], 1 + amount * strength)
    return shifted


def _ramp(timestamps: pd.Series, now: datetime, change: GroupChange) -> np.ndarray:
    """How far the group's change has come at each row: 0 until it starts, then rising
    steadily to 1, and 1 from the change's last weeks on."""
    start = pd.Timestamp(now - timedelta(weeks=change.weeks))
    full = pd.Timestamp(now - timedelta(weeks=change.full_weeks))
    return ((timestamps - start) / (full - start)).clip(0, 1).to_numpy()


def _remix(
    rng: np.random.Generator,
    features: pd.DataFrame,
    drawn: np.ndarray,
    change: GroupChange,
    strength: np.ndarray,
) -> np.ndarray:
    """Rows redrawn so that the group's share of one input value rises to the target, the other
    groups' falls to keep that value's overall share; every row stays a real row of its group."""
    assert change.mix is not None
    column, value, target = change.mix
    member = change.members(features).to_numpy()
    has = (features[column] == value).to_numpy()
    overall = has.mean()
    group_share = member.mean()
    before = {True: has[member].mean(), False: has[~member].mean()}
    after = {
        True: target,
        False: float(np.clip((overall - group_share * target) / (1 - group_share), 0, 1)),
    }
    cells = {
        (m, h): np.flatnonzero((member == m) & (has == h))
        for m in (True, False)
        for h in (True, False)
    }
    redrawn = drawn.copy()
    for row in np.flatnonzero(strength > 0):
        m = bool(member[drawn[row]])
        share = before[m] + strength[row] * (after[m] - before[m])
        cell = cells[m, bool(rng.random() < share)]
        redrawn[row] = cell[rng.integers(0, len(cell))]
    return redrawn


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
