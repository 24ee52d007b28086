"""Drift verdicts: traffic lights, how strongly an input changed, windows, quality vs training."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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
# Reasons a check had no production logs to read: none in the folder, or a name that cannot be
# the model's folder (portal/sources/inference_logs.log_folder refuses it).
NO_LOG_REASONS = frozenset({"no_logs", "unsafe_log_folder"})
# Bucket labels of a distribution besides values: the rest of the categories, missing values.
OTHER = "__other__"
MISSING = "__missing__"


@dataclass(frozen=True)
class DriftThresholds:
    """When a model is 'watch' or 'drifting'.

    By the share of changed inputs, or by one input alone: an input whose drift score is
    `alert_strength` times its threshold marks the model drifting, half of that marks watch.
    Where the model's input importance is known, the share is of what the model looks at (the
    changed inputs' importance shares added up), and an input carrying less than
    `minor_importance` of it can mark the model watch, never drifting.
    """

    watch_share: float
    alert_share: float
    alert_strength: float = 5.0
    minor_importance: float = 0.05


def drift_status(
    inputs_total: int,
    inputs_changed: int,
    prediction_drifted: bool,
    strongest_change: float | None,
    thresholds: DriftThresholds,
    changed_weight: float | None = None,
) -> str:
    """stable, watch or drifting; a changed output alone means watch.

    changed_weight: the changed inputs' share of what the model looks at (weight_of_changed);
    None while importance is not known: then the share of changed inputs counts.
    """
    if changed_weight is not None:
        share = changed_weight
    else:
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
    changes: list[tuple[float | None, str]],
    thresholds: DriftThresholds,
    weights: Sequence[float] | None = None,
) -> float | None:
    """The largest (strength, method) change that may decide the traffic light on its own.

    A distance measures how large a change is; a p-value only how sure the test is that there
    is one (tiny changes are certain in large samples, and one new rare category gives p = 0).
    So a p-value test alone can mark a model 'watch', never 'drifting'. Likewise a change in an
    input the model barely uses (weights, from importance_weights, below minor_importance).
    """
    if weights is not None and len(weights) != len(changes):
        raise ValueError("one weight per change")
    capped = [
        min(strength, thresholds.alert_strength / 2)
        if is_p_value_method(method)
        or (weights is not None and weights[index] < thresholds.minor_importance)
        else strength
        for index, (strength, method) in enumerate(changes)
        if strength is not None
    ]
    return max(capped, default=None)


def importance_weights(
    features: Sequence[str], shares: Mapping[str, float] | None
) -> tuple[float, ...] | None:
    """Each checked input's share of what the model looks at, over the checked inputs (an input
    the model does not take has none); None while importance is unknown or all zero."""
    if shares is None:
        return None
    found = [max(shares.get(feature, 0.0), 0.0) for feature in features]
    total = sum(found)
    if total <= 0:
        return None
    return tuple(share / total for share in found)


def weight_of_changed(changed: Sequence[bool], weights: Sequence[float] | None) -> float | None:
    """The changed inputs' share of what the model looks at; None without weights."""
    if weights is None:
        return None
    if len(weights) != len(changed):
        raise ValueError("one weight per input")
    return sum(weight for weight, is_changed in zip(weights, changed, strict=True) if is_changed)


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


@dataclass(frozen=True)
class ModelDrift:
    """The newest current-window check of one production model."""

    model_name: str
    model_version: int | None
    check_id: int
    outcome: str  # 'checked', 'not_monitored', 'no_data' or 'failed'
    reason: str  # why there is no traffic light: a code the pages translate
    detail: str  # the file, row count or error message behind the reason
    status: str | None  # 'stable', 'watch' or 'drifting' when checked
    checked_at: datetime
    duration_seconds: float | None
    window_start: datetime | None
    window_end: datetime | None
    window_rows: int | None
    window_sampled: int | None
    reference_rows: int | None
    reference_sampled: int | None
    labelled_rows: int | None
    inputs_total: int | None
    inputs_changed: int | None
    strongest_change: float | None  # the most changed input's score relative to its threshold
    top_changed_inputs: tuple[str, ...]  # most changed first
    prediction_drifted: bool | None  # None: no prediction logged
    added_columns: tuple[str, ...]
    has_report: bool
    executor: str = "local"  # what ran the check: 'local' (the server) or 'ray' (a cluster)
    confirmed_at: datetime | None = None  # a later job found the logs unchanged and kept it

    @property
    def last_confirmed(self) -> datetime:
        """When the result was last known to hold: its check, or a later job's confirmation."""
        if self.confirmed_at is not None and self.confirmed_at > self.checked_at:
            return self.confirmed_at
        return self.checked_at

    @property
    def share_changed(self) -> float | None:
        """Changed inputs as a share of all inputs (0.25 = a quarter)."""
        if not self.inputs_total or self.inputs_changed is None:
            return None
        return self.inputs_changed / self.inputs_total

    @property
    def light(self) -> str:
        """The status when checked, otherwise the outcome: what a tile or badge shows."""
        return self.status or self.outcome


@dataclass(frozen=True)
class DriftPortfolio:
    """Every production model's newest check, and how many are in each state."""

    models: tuple[ModelDrift, ...]
    counts: dict[str, int]  # stable, watch, drifting, not_monitored, no_data, failed
    last_checked_at: datetime | None


@dataclass(frozen=True)
class FeatureDrift:
    """One input (or the prediction) in a check: test, score, and what production did to it."""

    feature: str
    role: str
    kind: str  # 'numeric' or 'categorical'
    state: str  # 'compared', 'missing', 'all_missing', 'type_changed', 'too_few_rows'
    method: str
    threshold: float | None
    score: float | None
    strength: float | None  # 1 = at the threshold
    changed: bool
    missing_share_reference: float | None
    missing_share_window: float | None
    new_categories: tuple[str, ...]


@dataclass(frozen=True)
class Bucket:
    """A histogram bin or category with both sides' share of rows; label codes: see summaries."""

    label: str
    reference_share: float
    window_share: float


@dataclass(frozen=True)
class TrendPoint:
    """One past check for the trend: a calendar week, or a current-window check."""

    window_kind: str
    window_start: datetime | None
    window_end: datetime | None
    outcome: str
    status: str | None
    share_changed: float | None
    strongest_change: float | None
    prediction_drifted: bool | None
    window_rows: int | None


@dataclass(frozen=True)
class InputWeek:
    """How strongly one input changed in one calendar week (1 = at its threshold)."""

    feature: str
    window_start: datetime
    window_end: datetime
    score: float | None
    threshold: float | None
    strength: float | None
    changed: bool


@dataclass(frozen=True)
class QualityPoint:
    """A quality metric over one calendar week's labelled rows, next to training."""

    metric: str
    window_start: datetime
    window_end: datetime
    value: float | None
    training_value: float | None
    labelled_rows: int | None


@dataclass(frozen=True)
class ModelDriftDetail:
    """Everything the drill-down shows for one model."""

    summary: ModelDrift
    features: tuple[FeatureDrift, ...]  # inputs, most changed first; the prediction last
    distributions: dict[str, tuple[Bucket, ...]]
    weeks: tuple[TrendPoint, ...]
    top_input_weeks: tuple[InputWeek, ...]  # the most changed inputs, week by week
    current_quality: tuple[QualityComparison, ...]
    quality_history: tuple[QualityPoint, ...]
