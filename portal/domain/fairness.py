"""Fairness over time: how a classifier's decisions and quality differ between groups of people,
week by week against the training sample, and when a widening gap becomes a decay signal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from portal.domain.decay import DecaySignal

TAG = "fairness_groups"  # MLflow tag naming a model's group columns, comma-separated
# States of one group column in one window.
COMPARED = "compared"  # at least two groups large enough: the gaps are measured
TOO_FEW_GROUPS = "too_few_groups"  # fewer than two groups with enough rows
NO_ROWS = "no_rows"  # the window holds no rows
MISSING_COLUMN = "missing_column"  # the tag names a column the logs or the reference lack
NOT_CLASSIFIER = "not_classifier"  # predictions are not two classes: selection has no meaning
# Window kinds: the training sample, a calendar week, the current window.
REFERENCE = "reference"
WEEK = "week"
CURRENT = "current"
# A gap widens when it is this much above the training sample's in each of the last weeks.
GAP_MARGIN = 0.10
RECENT_WEEKS = 2


@dataclass(frozen=True)
class GroupRate:
    """One group in one window: its share of positive decisions and, once known, its quality."""

    group: str
    rows: int
    labelled_rows: int
    compared: bool  # False: fewer rows than the minimum, reported as too small
    selection_rate: float | None = None  # share predicted positive (class 1)
    accuracy: float | None = None  # share of labelled rows predicted right
    true_positive_rate: float | None = None  # of the true positives, share found
    false_positive_rate: float | None = None  # of the true negatives, share flagged


@dataclass(frozen=True)
class FairnessWindow:
    """One group column in one window: per-group rates and the largest gaps between groups."""

    group_column: str
    window_kind: str  # REFERENCE, WEEK or CURRENT
    window_start: datetime | None
    window_end: datetime | None
    state: str
    rows: int = 0
    labelled_rows: int = 0
    groups_compared: int = 0
    parity_difference: float | None = None  # largest minus smallest selection rate
    parity_ratio: float | None = None  # smallest over largest selection rate
    odds_difference: float | None = None  # larger of the TPR and FPR gaps; None: few labels
    groups: tuple[GroupRate, ...] = ()


@dataclass(frozen=True)
class ColumnTrend:
    """A group column's gap in the training sample and per week: is it widening?"""

    group_column: str
    state: str  # the newest week's state (or the reference's when it could not be compared)
    reference: FairnessWindow | None  # the training sample
    reference_gap: float | None
    weeks: tuple[FairnessWindow, ...]  # calendar weeks, oldest first
    recent_gap: float | None  # the newest compared week's gap
    widening: bool
    since: datetime | None  # start of the first week of the current widening run


def group_columns(tags: Mapping[str, str]) -> tuple[str, ...]:
    """The group columns a model's tags name, in order, without blanks or repeats."""
    names: list[str] = []
    for part in (tags.get(TAG) or "").split(","):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def is_widening(reference_gap: float | None, gap: float | None, margin: float = GAP_MARGIN) -> bool:
    """A week's gap is clearly wider than at design time."""
    return reference_gap is not None and gap is not None and gap >= reference_gap + margin


def column_trends(windows: Iterable[FairnessWindow]) -> tuple[ColumnTrend, ...]:
    """Per group column, in the order first seen: the reference gap, the weeks, the verdict."""
    by_column: dict[str, list[FairnessWindow]] = {}
    for window in windows:
        by_column.setdefault(window.group_column, []).append(window)
    return tuple(_trend(column, items) for column, items in by_column.items())


def _trend(column: str, windows: Sequence[FairnessWindow]) -> ColumnTrend:
    reference = next((w for w in windows if w.window_kind == REFERENCE), None)
    weeks = tuple(
        sorted(
            (w for w in windows if w.window_kind == WEEK and w.window_start is not None),
            key=lambda w: w.window_start,  # type: ignore[arg-type,return-value]
        )
    )
    reference_gap = reference.parity_difference if reference is not None else None
    compared = [w for w in weeks if w.state == COMPARED]
    recent = weeks[-RECENT_WEEKS:]
    widening = len(recent) == RECENT_WEEKS and all(
        is_widening(reference_gap, w.parity_difference) for w in recent
    )
    since = None
    if widening:
        for week in reversed(weeks):
            if not is_widening(reference_gap, week.parity_difference):
                break
            since = week.window_start
    if reference is not None and reference.state in (MISSING_COLUMN, NOT_CLASSIFIER):
        state = reference.state
    elif weeks:
        state = weeks[-1].state
    else:
        state = reference.state if reference is not None else NO_ROWS
    return ColumnTrend(
        column,
        state,
        reference,
        reference_gap,
        weeks,
        compared[-1].parity_difference if compared else None,
        widening,
        since,
    )


def decay_signal(model_name: str, trends: Iterable[ColumnTrend]) -> DecaySignal | None:
    """The model's fairness decay: the widening column whose gap grew most, or None."""
    widening = [trend for trend in trends if trend.widening]
    if not widening:
        return None
    worst = max(
        widening,
        key=lambda trend: (trend.recent_gap or 0.0) - (trend.reference_gap or 0.0),
    )
    return DecaySignal(
        model_name, "fairness_gap", worst.since, worst.group_column, worst.recent_gap
    )


def newest_week(trend: ColumnTrend) -> FairnessWindow | None:
    """The newest calendar week with rows, for the table per group."""
    with_rows = [week for week in trend.weeks if week.state != NO_ROWS]
    return with_rows[-1] if with_rows else None


def recent_low(trend: ColumnTrend) -> float | None:
    """The smaller gap of the last weeks: 'at least this much in each of them'."""
    gaps = [week.parity_difference for week in trend.weeks[-RECENT_WEEKS:]]
    known = [gap for gap in gaps if gap is not None]
    return min(known) if known else None


def points(gap: float | None) -> int | None:
    """A gap between shares in percentage points, rounded: 0.183 -> 18."""
    return None if gap is None else round(gap * 100)


# What a model's fairness section can say.
NOT_TAGGED = "not_tagged"  # no fairness_groups tag: fairness is not monitored
NOT_COMPUTED = "not_computed"  # tagged, but the drift job has not measured it yet
MEASURED = "measured"


@dataclass(frozen=True)
class ModelFairness:
    """One model's fairness over time, as pages and the fact sheet show it."""

    model_name: str
    state: str  # NOT_TAGGED, NOT_COMPUTED or MEASURED
    tagged_columns: tuple[str, ...]
    trends: tuple[ColumnTrend, ...] = ()
    computed_at: datetime | None = None

    @property
    def widening(self) -> tuple[ColumnTrend, ...]:
        """The group columns whose gap widened."""
        return tuple(trend for trend in self.trends if trend.widening)


def model_fairness(
    model_name: str,
    tag: str | None,
    windows: Sequence[FairnessWindow],
    computed_at: datetime | None,
) -> ModelFairness:
    """A model's fairness from its tag and its stored windows."""
    columns = group_columns({TAG: tag or ""})
    if not columns and not windows:
        return ModelFairness(model_name, NOT_TAGGED, ())
    if not windows:
        return ModelFairness(model_name, NOT_COMPUTED, columns)
    return ModelFairness(model_name, MEASURED, columns, column_trends(windows), computed_at)
