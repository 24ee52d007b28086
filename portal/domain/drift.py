"""Drift verdicts: traffic lights, how strongly an input changed, windows, quality vs training."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.metrics import metric_meaning, usable_value

STATUSES = ("stable", "watch", "drifting")
# Quality worse than training by more than this share of the training value is flagged.
QUALITY_TOLERANCE = 0.05
# A p-value of 0 would make the strength infinite; this caps it for ranking and charts.
_MAX_STRENGTH = 100.0
# States of an input that count as changed although no statistical test ran.
CHANGED_STATES = frozenset({"missing", "all_missing", "type_changed"})


@dataclass(frozen=True)
class DriftThresholds:
    """When a model is 'watch' or 'drifting'.

    By the share of changed inputs, or by one input alone: an input whose drift score is
    `alert_strength` times its threshold marks the model drifting, half of that marks watch.
    """

    watch_share: float
    alert_share: float
    alert_strength: float = 5.0


def drift_status(
    inputs_total: int,
    inputs_changed: int,
    prediction_drifted: bool,
    strongest_change: float | None,
    thresholds: DriftThresholds,
) -> str:
    """stable, watch or drifting; a changed output alone means watch."""
    share = inputs_changed / inputs_total if inputs_total else 0.0
    strongest = strongest_change or 0.0
    if share >= thresholds.alert_share or strongest >= thresholds.alert_strength:
        return "drifting"
    if (
        share >= thresholds.watch_share
        or prediction_drifted
        or strongest >= thresholds.alert_strength / 2
    ):
        return "watch"
    return "stable"


def is_p_value_method(method: str) -> bool:
    """Tests report p-values (small = changed); distances report a size (large = changed)."""
    return "p_value" in method.lower().replace("-", "_").replace(" ", "_")


def drift_strength(score: float | None, threshold: float | None, method: str) -> float | None:
    """How far past its threshold a score is (1 = at the threshold), comparable across methods."""
    if score is None or threshold is None or math.isnan(score) or threshold <= 0:
        return None
    if is_p_value_method(method):
        if threshold >= 1:
            return None
        if score <= 0:
            return _MAX_STRENGTH
        return min(math.log(score) / math.log(threshold), _MAX_STRENGTH) if score < 1 else 0.0
    return min(score / threshold, _MAX_STRENGTH)


def deciding_strength(
    changes: list[tuple[float | None, str]], thresholds: DriftThresholds
) -> float | None:
    """The largest (strength, method) change that may decide the traffic light on its own.

    A distance measures how large a change is; a p-value only how sure the test is that there
    is one (tiny changes are certain in large samples, and one new rare category gives p = 0).
    So a p-value test alone can mark a model 'watch', never 'drifting'.
    """
    capped = [
        min(strength, thresholds.alert_strength / 2) if is_p_value_method(method) else strength
        for strength, method in changes
        if strength is not None
    ]
    return max(capped, default=None)


def current_window(now: datetime, days: int) -> tuple[datetime, datetime]:
    """The last `days` days up to now."""
    return now - timedelta(days=days), now


def weekly_windows(now: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """The last `weeks` complete calendar weeks (Monday to Monday), oldest first."""
    this_monday = datetime(now.year, now.month, now.day) - timedelta(days=now.weekday())
    return [
        (this_monday - timedelta(weeks=back), this_monday - timedelta(weeks=back - 1))
        for back in range(weeks, 0, -1)
    ]


@dataclass(frozen=True)
class QualityComparison:
    """A production quality metric next to the same metric of the training run."""

    metric: str
    value: float
    training_value: float | None
    change: float | None  # relative to training; positive = better
    worse: bool


def compare_quality(metric: str, value: float, training_value: float | None) -> QualityComparison:
    """Whether production quality fell noticeably below what training promised."""
    better = metric_meaning(metric).better
    training_value = usable_value(training_value)
    if training_value is None or better is None or training_value == 0:
        return QualityComparison(metric, value, training_value, None, False)
    change = (value - training_value) / abs(training_value)
    if better == "lower":
        change = -change
    return QualityComparison(metric, value, training_value, change, change < -QUALITY_TOLERANCE)
