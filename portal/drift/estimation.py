"""Performance before the outcomes arrive: NannyML's confidence-based performance estimation
(CBPE, yes/no classifiers) and direct loss estimation (DLE, regressors), one chunk per calendar
week of the model's history, from the model's own scores and predictions."""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from portal.domain.estimation import METRICS, PerformanceEstimate
from portal.drift.context import ModelContext
from portal.drift.quality import production_quality

log = logging.getLogger(__name__)

OUTPUTS = ("label", "prediction", "score")
# The analysis rows' week, for the chunker: one NannyML chunk per calendar week.
_WEEK = "__estimation_week"
# Predictions with this few distinct whole numbers are classes, not amounts: several classes
# are not estimated (CBPE here covers yes/no models).
_MAX_CLASSES = 20
# Reference chunks: NannyML warns below six, and derives its alert thresholds from their spread.
_MIN_REFERENCE_CHUNKS = 6
# One line per reason for the log (the pages translate the codes themselves).
NOTES = {
    "no_prediction": "the logs hold no prediction",
    "no_score": "a yes/no model without a logged score (probability of class 1)",
    "no_reference_label": "the reference sample holds no true outcome",
    "not_supported": "neither a yes/no classifier nor a regressor",
    "labels_complete": "every recent week's true outcomes are known",
    "too_few_rows": "the reference or every week has too few rows",
}


@dataclass(frozen=True)
class _Week:
    start: datetime
    end: datetime
    frame: pd.DataFrame  # usable rows: prediction (and score) present and numeric
    labelled_rows: int


def estimate_performance(context: ModelContext) -> tuple[PerformanceEstimate, ...]:
    """Per calendar week and measure: the estimate with its band, next to the measured value
    where enough outcomes are known; () with a note when the model cannot be estimated."""
    return estimate_with_reason(context)[0]


def estimate_with_reason(context: ModelContext) -> tuple[tuple[PerformanceEstimate, ...], str]:
    """estimate_performance, and why it estimated nothing: '' when it estimated, else a code of
    portal.domain.estimation.REASONS for EstimationRepository.replace(..., reason=)."""
    plan = _plan(context)
    if isinstance(plan, str):
        # A reason, stored and shown on the drill-down; not a problem for the job's notes.
        log.info("performance of %s not estimated: %s", context.model_name, NOTES[plan])
        return (), plan
    method, reference, weeks = plan
    reference_values = production_quality(reference, 1)[1]
    with warnings.catch_warnings():
        # NannyML warns about few chunks and LightGBM about feature names; neither is news here.
        warnings.simplefilter("ignore")
        results = _run(method, reference, weeks, context.min_rows)
    # Measured where enough outcomes are known, as the drift check measures quality.
    realized = [production_quality(week.frame, context.min_rows)[1] for week in weeks]
    estimates = []
    for metric in METRICS[method]:
        for index, week in enumerate(weeks):
            found = results.get((metric, index))
            if found is None:
                continue
            estimates.append(
                PerformanceEstimate(
                    metric=metric,
                    window_start=week.start,
                    window_end=week.end,
                    method=method,
                    estimated=found["value"],
                    lower=found["lower"],
                    upper=found["upper"],
                    realized=realized[index].get(metric),
                    reference_value=reference_values.get(metric),
                    labelled_rows=week.labelled_rows,
                    rows=len(week.frame),
                    alert=found["alert"],
                )
            )
    return tuple(estimates), ""


def _plan(context: ModelContext) -> str | tuple[str, pd.DataFrame, list[_Week]]:
    """The method, usable reference rows and weeks to estimate, or the reason there are none."""
    reference = context.reference
    if "label" not in reference.columns or reference["label"].isna().all():
        return "no_reference_label"
    frames = [(start, end, context.rows(start, end)) for start, end in context.weeks]
    if "prediction" not in reference.columns or not any(
        "prediction" in frame.columns and frame["prediction"].notna().any()
        for _, _, frame in frames
    ):
        return "no_prediction"
    method = _method(reference)
    if method is None:
        return "not_supported"
    needed = ["prediction", "score"] if method == "cbpe" else ["prediction"]
    if method == "cbpe" and (
        "score" not in reference.columns
        or not any("score" in frame.columns for _, _, frame in frames)
    ):
        return "no_score"
    reference = _usable(reference, [*needed, "label"])
    weeks = []
    for start, end, frame in frames:
        if not set(needed) <= set(frame.columns):
            continue
        rows = _usable(frame, needed)
        if len(rows) < context.min_rows:
            continue
        labelled = (
            int(pd.to_numeric(rows["label"], errors="coerce").notna().sum())
            if "label" in rows
            else 0
        )
        weeks.append(_Week(start, end, rows, labelled))
    if len(reference) < context.min_rows or not weeks:
        return "too_few_rows"
    if all(week.labelled_rows >= context.min_rows for week in weeks):
        return "labels_complete"
    return method, reference, weeks


def _method(reference: pd.DataFrame) -> str | None:
    """'cbpe' for a yes/no classifier (0/1 outcomes and predictions), 'dle' for amounts."""
    label = pd.to_numeric(reference["label"], errors="coerce")
    prediction = pd.to_numeric(reference["prediction"], errors="coerce")
    if label.isna().sum() > reference["label"].isna().sum():
        return None  # outcomes in words: classes
    known = prediction.dropna()
    if known.empty:
        return None
    if set(label.dropna().unique()) <= {0, 1} and set(known.unique()) <= {0, 1}:
        return "cbpe"
    whole = bool((known == known.round()).all())
    if whole and known.nunique() <= _MAX_CLASSES:
        return None
    return "dle"


def _usable(frame: pd.DataFrame, numeric: list[str]) -> pd.DataFrame:
    """Rows whose given columns hold numbers, as numbers (0/1 outputs as integers)."""
    converted = frame.assign(
        **{column: pd.to_numeric(frame[column], errors="coerce") for column in numeric}
    )
    return converted.dropna(subset=numeric).reset_index(drop=True)


def _run(
    method: str, reference: pd.DataFrame, weeks: list[_Week], min_rows: int
) -> dict[tuple[str, int], dict[str, Any]]:
    """Fit NannyML's estimator on the reference and estimate every week as its own chunk."""
    nml = _nannyml()
    analysis = pd.concat(
        [
            week.frame.drop(columns=["label"], errors="ignore").assign(**{_WEEK: index})
            for index, week in enumerate(weeks)
        ],
        ignore_index=True,
    )
    week_rows = int(np.median([len(week.frame) for week in weeks]))
    chunks = max(_MIN_REFERENCE_CHUNKS, round(len(reference) / max(week_rows, 1)))
    chunker = _week_chunker(nml, min(chunks, max(len(reference) // min_rows, 1)))
    metrics = list(METRICS[method])
    if method == "cbpe":
        reference = reference.assign(prediction=reference["prediction"].astype(int))
        analysis = analysis.assign(prediction=analysis["prediction"].astype(int))
        estimator = nml.CBPE(
            y_pred_proba="score",
            y_pred="prediction",
            y_true="label",
            metrics=metrics,
            chunker=chunker,
            problem_type="classification_binary",
        )
    else:
        features = [
            column
            for column in reference.columns
            if column not in OUTPUTS and column in analysis.columns
        ]
        estimator = nml.DLE(
            feature_column_names=features,
            y_pred="prediction",
            y_true="label",
            metrics=metrics,
            chunker=chunker,
            # Quiet, and one thread: a worker holds one CPU of the cluster.
            hyperparameters={"verbosity": -1, "n_jobs": 1},
        )
    estimator.fit(reference)
    table = estimator.estimate(analysis).filter(period="analysis").to_df()
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for _, row in table.iterrows():
        index = int(row[("chunk", "key")])
        for metric in metrics:
            value = _number(row[(metric, "value")])
            if value is None:
                continue
            found[(metric, index)] = {
                "value": value,
                "lower": _number(row[(metric, "lower_confidence_boundary")]),
                "upper": _number(row[(metric, "upper_confidence_boundary")]),
                "alert": bool(row[(metric, "alert")] is True or row[(metric, "alert")] == 1),
            }
    return found


def _nannyml() -> Any:
    """NannyML, imported with its usage reports to Segment switched off.

    nannyml/usage_logging.py checks this variable before every event it would send; set before
    the import, no event leaves the process (tests/drift/test_estimation_nannyml.py)."""
    os.environ["NML_DISABLE_USAGE_LOGGING"] = "1"
    import nannyml

    return nannyml


def _week_chunker(nml: Any, reference_chunks: int) -> Any:
    """A NannyML chunker: analysis rows by their week column, the reference in equal parts."""

    class WeekChunker(nml.chunk.Chunker):
        def _split(self, data: pd.DataFrame) -> list:
            if _WEEK not in data.columns:
                parts = np.array_split(np.arange(len(data)), reference_chunks)
                return [
                    nml.chunk.Chunk(key=f"[{part[0]}:{part[-1]}]", data=data.iloc[part])
                    for part in parts
                    if len(part)
                ]
            return [
                nml.chunk.Chunk(key=str(week), data=rows)
                for week, rows in data.groupby(_WEEK, sort=True)
            ]

    return WeekChunker()


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) or np.isinf(number) else number
