"""Fairness over time, measured with Fairlearn's MetricFrame on the drift job's windows.

Per group column the model's tag `fairness_groups` names, and per window (the reference sample,
each calendar week, the current window): every group's selection rate (share predicted as
class 1), its accuracy and true/false positive rates once outcomes are known, and the largest
gaps between the groups with enough rows. Classifiers only: a regressor's prediction is no
decision that selects people, so its columns are reported as not applicable.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from portal.domain.fairness import (
    COMPARED,
    CURRENT,
    MISSING_COLUMN,
    NO_ROWS,
    NOT_CLASSIFIER,
    REFERENCE,
    TOO_FEW_GROUPS,
    WEEK,
    FairnessWindow,
    GroupRate,
    group_columns,
)
from portal.drift.context import ModelContext

# A numeric column with more distinct values is split into three bands at the reference's
# terciles (age into young, middle, older), the same bands in every window.
MAX_CATEGORIES = 10
MISSING_GROUP = "–"  # rows without a value form a group of their own


def monitor_fairness(context: ModelContext) -> tuple[FairnessWindow, ...]:
    """Every tagged group column in the reference, each history week and the current window."""
    columns = group_columns(context.tags)
    if not columns:
        return ()
    reference = context.reference
    if not _is_classifier(reference):
        return tuple(FairnessWindow(c, REFERENCE, None, None, NOT_CLASSIFIER) for c in columns)
    windows: list[tuple[str, tuple | None, pd.DataFrame]] = [(REFERENCE, None, reference)]
    windows += [(WEEK, week, context.rows(*week)) for week in context.weeks]
    windows.append((CURRENT, context.current, context.rows(*context.current)))
    found = []
    for column in columns:
        bands = bands_of(reference[column]) if column in reference.columns else None
        for kind, span, frame in windows:
            start, end = span if span is not None else (None, None)
            found.append(measure(frame, column, context.min_rows, kind, start, end, bands=bands))
    return tuple(found)


def measure(
    frame: pd.DataFrame,
    column: str,
    min_rows: int,
    kind: str,
    start=None,
    end=None,
    bands: Bands | None = None,
) -> FairnessWindow:
    """One group column in one window: rates per group and the gaps between large groups."""
    from fairlearn.metrics import MetricFrame, selection_rate
    from sklearn import config_context

    def empty(state: str, **more) -> FairnessWindow:
        return FairnessWindow(column, kind, start, end, state, **more)

    if frame.empty:
        return empty(NO_ROWS)
    if column not in frame.columns:
        return empty(MISSING_COLUMN, rows=len(frame))
    if "prediction" not in frame.columns:
        return empty(NO_ROWS, rows=len(frame))
    groups, order = _groups(frame[column], bands)
    predicted = pd.to_numeric(frame["prediction"], errors="coerce")
    usable = predicted.notna().to_numpy()
    groups, predicted = groups[usable], predicted[usable].astype(int).to_numpy()
    truth = (
        pd.to_numeric(frame["label"], errors="coerce")[usable].to_numpy(float)
        if "label" in frame.columns
        else np.full(len(predicted), np.nan)
    )
    labelled = ~np.isnan(truth)
    rows_of = _counts(groups)
    labelled_of = _counts(groups[labelled])
    large = [group for group, rows in rows_of.items() if rows >= min_rows]
    in_large = np.isin(groups, large)
    rates: dict[str, float] = {}
    difference = ratio = None
    # The metrics validate their arguments on every group's call; these are ours, checked once.
    with config_context(skip_parameter_validation=True):
        if large:
            decisions = MetricFrame(
                metrics=selection_rate,
                y_true=predicted[in_large],
                y_pred=predicted[in_large],
                sensitive_features=groups[in_large],
            )
            rates = {str(g): float(v) for g, v in decisions.by_group.items()}
            if len(large) >= 2:
                difference = _number(decisions.difference(method="between_groups"))
                ratio = _number(decisions.ratio(method="between_groups"))
        quality, odds = _quality(groups[labelled], truth[labelled], predicted[labelled], min_rows)
    group_rates = tuple(
        GroupRate(
            group,
            rows_of[group],
            labelled_of.get(group, 0),
            group in large,
            rates.get(group),
            *quality.get(group, (None, None, None)),
        )
        for group in order
        if group in rows_of
    )
    return FairnessWindow(
        column,
        kind,
        start,
        end,
        COMPARED if len(large) >= 2 else TOO_FEW_GROUPS,
        rows=len(predicted),
        labelled_rows=int(labelled.sum()),
        groups_compared=len(large),
        parity_difference=difference,
        parity_ratio=ratio,
        odds_difference=odds,
        groups=group_rates,
    )


def _quality(
    groups: np.ndarray, truth: np.ndarray, predicted: np.ndarray, min_rows: int
) -> tuple[dict[str, tuple[float | None, float | None, float | None]], float | None]:
    """Accuracy and true/false positive rates of groups with enough outcomes; the
    equalized-odds difference when at least two such groups hold both outcomes."""
    from fairlearn.metrics import MetricFrame, false_positive_rate, true_positive_rate
    from sklearn.metrics import accuracy_score

    truth = truth.astype(int)
    sizes, positives = _counts(groups), _counts(groups[truth == 1])
    enough = [group for group, rows in sizes.items() if rows >= min_rows]
    # True and false positive rates need both outcomes among the group's known ones.
    both = [group for group in enough if 0 < positives.get(group, 0) < sizes[group]]
    if not enough:
        return {}, None
    keep = np.isin(groups, enough)
    rates = MetricFrame(
        metrics={"accuracy": accuracy_score, "tpr": true_positive_rate, "fpr": false_positive_rate},
        y_true=truth[keep],
        y_pred=predicted[keep],
        sensitive_features=groups[keep],
    )
    found = {
        str(group): (
            _number(row["accuracy"]),
            _number(row["tpr"]) if group in both else None,
            _number(row["fpr"]) if group in both else None,
        )
        for group, row in rates.by_group.iterrows()
    }
    if len(both) < 2:
        return found, None
    if len(both) < len(enough):
        keep = np.isin(groups, both)
        rates = MetricFrame(
            metrics={"tpr": true_positive_rate, "fpr": false_positive_rate},
            y_true=truth[keep],
            y_pred=predicted[keep],
            sensitive_features=groups[keep],
        )
    # Fairlearn's equalized-odds difference: the larger of the two rates' gaps.
    gaps = rates.difference(method="between_groups")
    return found, _number(max(gaps["tpr"], gaps["fpr"]))


def _counts(groups: np.ndarray) -> dict[str, int]:
    """Rows per group."""
    values, counts = np.unique(groups.astype(str), return_counts=True)
    return {str(value): int(count) for value, count in zip(values, counts, strict=True)}


def _is_classifier(reference: pd.DataFrame) -> bool:
    """Predictions of two classes, 0 and 1, as the demo and the quality checks log them."""
    if "prediction" not in reference.columns:
        return False
    values = pd.to_numeric(reference["prediction"], errors="coerce").dropna()
    return not values.empty and set(np.unique(values)) <= {0.0, 1.0}


@dataclass(frozen=True)
class Bands:
    """How a numeric column with many values becomes groups: edges and their names."""

    edges: tuple[float, ...]
    labels: tuple[str, ...]  # one more than edges, from low to high


def bands_of(values: pd.Series) -> Bands | None:
    """Tercile bands of a numeric column with many values, else None (its values are groups)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    numbers = values.dropna()
    if numbers.nunique() <= MAX_CATEGORIES:
        return None
    edges = [float(q) for q in numbers.quantile([1 / 3, 2 / 3])]
    integer = pd.api.types.is_integer_dtype(values)
    if integer:
        edges = [float(math.ceil(edge)) for edge in edges]
    edges = sorted(set(edges))
    return Bands(tuple(edges), tuple(_band_labels(edges, integer)))


def _groups(values: pd.Series, bands: Bands | None) -> tuple[np.ndarray, list[str]]:
    """Each row's group as text (its value, or its band), and the groups in display order."""
    if bands is None:
        named = values.astype("string").fillna(MISSING_GROUP).to_numpy(dtype=object)
        order = sorted(set(named) - {MISSING_GROUP})
    else:
        numbers = pd.to_numeric(values, errors="coerce")
        band = np.digitize(numbers.fillna(0).to_numpy(float), bands.edges, right=False)
        named = np.array(bands.labels, dtype=object)[band]
        named[numbers.isna().to_numpy()] = MISSING_GROUP
        order = list(bands.labels)
    return named, [*order, MISSING_GROUP]


def _band_labels(edges: list[float], integer: bool) -> list[str]:
    """'< 30', '30–41', '≥ 42' for whole numbers; '< 1.5', '1.5 – < 2.5', '≥ 2.5' otherwise."""

    def text(value: float) -> str:
        return f"{value:g}"

    labels = [f"< {text(edges[0])}"]
    for lower, upper in itertools.pairwise(edges):
        if integer:
            labels.append(f"{text(lower)}–{text(upper - 1)}")
        else:
            labels.append(f"{text(lower)} – < {text(upper)}")
    labels.append(f"≥ {text(edges[-1])}")
    return labels


def _number(value) -> float | None:
    """A plain float, or None for a missing or not-a-number result."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
