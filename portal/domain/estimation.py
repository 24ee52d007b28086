"""Performance estimated from a model's own outputs while true outcomes are missing, and when an
estimated drop is large enough to call the model decaying."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from portal.domain.decay import DecaySignal
from portal.domain.drift import QUALITY_TOLERANCE
from portal.domain.metrics import metric_meaning

# Confidence-based performance estimation (classifiers) and direct loss estimation (regressors).
METHODS = ("cbpe", "dle")
# What each method estimates, the measure sentences speak of first.
METRICS = {"cbpe": ("roc_auc", "accuracy"), "dle": ("mae", "rmse")}
# An estimate worse than the reference value by more than this share of it is a large drop: the
# same 5 % the drift page uses to call measured quality noticeably worse than training.
DROP_TOLERANCE = QUALITY_TOLERANCE
# Why a model has no estimate: codes the pages translate.
REASONS = (
    "no_prediction",  # the logs hold no prediction
    "no_score",  # a classifier whose logs or reference hold no score (probability of class 1)
    "no_reference_label",  # the reference sample holds no true outcome to learn from
    "not_supported",  # neither a yes/no classifier nor a regressor (e.g. several classes)
    "labels_complete",  # every recent week's true outcomes are known: quality is measured
    "too_few_rows",  # the reference or every week has fewer rows than a check needs
)


@dataclass(frozen=True)
class PerformanceEstimate:
    """One measure of one calendar week: estimated with its band, and measured once known."""

    metric: str
    window_start: datetime
    window_end: datetime
    method: str  # 'cbpe' or 'dle'
    estimated: float | None
    lower: float | None  # NannyML's confidence band: the estimate ± 3 sampling errors
    upper: float | None
    realized: float | None  # measured on the week's labelled rows; None: too few known yet
    reference_value: float | None  # the same measure on the reference (training) sample
    labelled_rows: int
    rows: int
    alert: bool  # NannyML's own verdict: outside the range the reference chunks varied in

    @property
    def outcomes_known(self) -> bool:
        return self.realized is not None


@dataclass(frozen=True)
class ModelEstimate:
    """What the job estimated for one model's production version, or why it estimated nothing."""

    model_name: str
    model_version: int | None
    computed_at: datetime
    reason: str  # '' when estimated, else one of REASONS
    estimates: tuple[PerformanceEstimate, ...]  # by metric, then week, oldest first

    @property
    def metrics(self) -> tuple[str, ...]:
        """The estimated measures, the one sentences lead with first."""
        found = {estimate.metric for estimate in self.estimates}
        order = [metric for method in METHODS for metric in METRICS[method]]
        return tuple(sorted(found, key=lambda m: order.index(m) if m in order else len(order)))

    def weeks_of(self, metric: str) -> tuple[PerformanceEstimate, ...]:
        return tuple(e for e in self.estimates if e.metric == metric)


@dataclass(frozen=True)
class PendingSummary:
    """The newest weeks whose outcomes are not known yet, in one number with its range."""

    metric: str
    method: str
    weeks: int
    first_week: datetime
    estimated: float  # the average estimate over those weeks
    lower: float | None  # the lowest lower and the highest upper edge of their weekly bands
    upper: float | None
    reference_value: float | None
    drop: float | None  # the average estimate's relative drop from the reference; >0: worse


def relative_drop(metric: str, value: float | None, reference: float | None) -> float | None:
    """How much worse a value is than the reference, as a share of it (0.1 = 10 % worse);
    negative when better, None when either is missing or the direction is not known."""
    better = metric_meaning(metric).better
    if value is None or reference is None or better is None or reference == 0:
        return None
    if math.isnan(value) or math.isnan(reference):
        return None
    drop = (reference - value) / abs(reference)
    return drop if better == "higher" else -drop


def pending_run(weeks: Sequence[PerformanceEstimate]) -> tuple[PerformanceEstimate, ...]:
    """The newest consecutive weeks with an estimate but no measured value, oldest first."""
    run: list[PerformanceEstimate] = []
    for estimate in sorted(weeks, key=lambda e: e.window_start, reverse=True):
        if estimate.outcomes_known or estimate.estimated is None:
            break
        run.append(estimate)
    return tuple(reversed(run))


def pending_summary(estimate: ModelEstimate, metric: str | None = None) -> PendingSummary | None:
    """The leading (or given) measure over the newest weeks without known outcomes."""
    metrics = (metric,) if metric else estimate.metrics[:1]
    if not metrics:
        return None
    run = pending_run(estimate.weeks_of(metrics[0]))
    if not run:
        return None
    values = [week.estimated for week in run if week.estimated is not None]
    lowers = [week.lower for week in run if week.lower is not None]
    uppers = [week.upper for week in run if week.upper is not None]
    average = sum(values) / len(values)
    reference = run[-1].reference_value
    return PendingSummary(
        metric=metrics[0],
        method=run[-1].method,
        weeks=len(run),
        first_week=run[0].window_start,
        estimated=average,
        lower=min(lowers) if lowers else None,
        upper=max(uppers) if uppers else None,
        reference_value=reference,
        drop=relative_drop(metrics[0], average, reference),
    )


def _significant_drop(week: PerformanceEstimate, tolerance: float) -> float | None:
    """The week's drop when it exceeds the tolerance and its whole band lies on the worse side
    of the reference (so the drop is not sampling noise); else None."""
    drop = relative_drop(week.metric, week.estimated, week.reference_value)
    if drop is None or drop <= tolerance:
        return None
    better_edge = week.upper if metric_meaning(week.metric).better == "higher" else week.lower
    if (
        better_edge is not None
        and (relative_drop(week.metric, better_edge, week.reference_value) or 0) <= 0
    ):
        return None
    return drop


def estimated_drop(
    model_name: str, estimates: Sequence[PerformanceEstimate], tolerance: float = DROP_TOLERANCE
) -> DecaySignal | None:
    """A decay signal when the newest week without known outcomes is estimated clearly worse than
    the reference: more than `tolerance` of the reference value, with its band on the worse side.

    `since` is the first week of the current run of such weeks; `value` the newest week's drop
    (0.08 = 8 % worse). Of several measures, the one with the largest drop is named."""
    found: list[tuple[float, str, datetime]] = []
    metrics = sorted({estimate.metric for estimate in estimates})
    for metric in metrics:
        run = pending_run([e for e in estimates if e.metric == metric])
        if not run or _significant_drop(run[-1], tolerance) is None:
            continue
        since = run[-1].window_start
        for week in reversed(run):
            if _significant_drop(week, tolerance) is None:
                break
            since = week.window_start
        found.append((_significant_drop(run[-1], tolerance) or 0.0, metric, since))
    if not found:
        return None
    drop, metric, since = max(found, key=lambda item: (item[0], item[1]))
    return DecaySignal(model_name, "estimated_drop", since, metric, drop)
