"""What a training metric means to a reader: its kind, direction and how to show it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Prefixes and suffixes model teams commonly put around a metric's name.
_DECORATION = re.compile(r"^(test|val|valid|validation|eval|holdout|training|train)[_.]|_score$")

_KNOWN = {
    "accuracy": ("higher", True),
    "roc_auc": ("higher", True),
    "auc": ("higher", True),
    "f1": ("higher", True),
    "precision": ("higher", True),
    "recall": ("higher", True),
    "log_loss": ("lower", False),
    "rmse": ("lower", False),
    "mse": ("lower", False),
    "mae": ("lower", False),
    "r2": ("higher", False),
    "mape": ("lower", True),
}
_ALIASES = {"root_mean_squared_error": "rmse", "mean_absolute_error": "mae", "logloss": "log_loss"}


@dataclass(frozen=True)
class MetricMeaning:
    """A metric recognised by the portal: its code for explanations and its direction."""

    code: str | None  # None when the portal has no explanation for this metric
    better: str | None  # 'higher' or 'lower'
    is_share: bool  # a value between 0 and 1 best shown as a percentage


def metric_meaning(name: str) -> MetricMeaning:
    """Recognise a metric by its name, ignoring prefixes such as test_ or val_."""
    key = _DECORATION.sub("", name.strip().lower())
    key = _DECORATION.sub("", key)
    key = _ALIASES.get(key, key)
    if key in _KNOWN:
        better, is_share = _KNOWN[key]
        return MetricMeaning(key, better, is_share)
    return MetricMeaning(None, None, False)


def usable_value(value: float | None) -> float | None:
    """The value, or None when a run logged nothing usable (missing, NaN, infinite)."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value
