"""Line up a reference sample and a production window: shared inputs, types, what went missing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Columns of the log contract that are not model inputs.
OUTCOME_COLUMNS = ("prediction", "score", "label")
MAX_NEW_CATEGORIES = 5
# A numeric output with at most this many distinct values is a class label, compared as categories.
_MAX_CLASSES = 10


@dataclass(frozen=True)
class InputState:
    """One reference input as production sees it."""

    feature: str
    kind: str  # 'numeric' or 'categorical'
    state: str  # 'compared', 'missing', 'all_missing', 'type_changed' or 'too_few_rows'
    missing_share_reference: float
    missing_share_window: float | None
    new_categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aligned:
    """Both sides restricted to comparable columns with matching types."""

    reference: pd.DataFrame
    window: pd.DataFrame
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    inputs: tuple[InputState, ...]  # every reference input, in reference order
    prediction: InputState | None  # None when either side has no prediction column
    added_columns: tuple[str, ...]  # in production, unknown to the reference


def align(reference: pd.DataFrame, window: pd.DataFrame, min_rows: int) -> Aligned:
    """Decide per input whether it can be compared, and make both sides' types agree."""
    reference_inputs = [c for c in reference.columns if c not in OUTCOME_COLUMNS]
    added = tuple(
        c for c in window.columns if c not in reference.columns and c not in OUTCOME_COLUMNS
    )
    kept_reference: dict[str, pd.Series] = {}
    kept_window: dict[str, pd.Series] = {}
    states = []
    for feature in reference_inputs:
        state, ref_values, win_values = _input_state(feature, reference, window, min_rows)
        states.append(state)
        if state.state == "compared":
            kept_reference[feature], kept_window[feature] = ref_values, win_values
    prediction = None
    if "prediction" in reference.columns and "prediction" in window.columns:
        prediction, ref_values, win_values = _input_state(
            "prediction", reference, window, min_rows, prediction=True
        )
        if prediction.state == "compared":
            kept_reference["prediction"], kept_window["prediction"] = ref_values, win_values
    compared = [s for s in (*states, prediction) if s is not None and s.state == "compared"]
    return Aligned(
        reference=pd.DataFrame(kept_reference),
        window=pd.DataFrame(kept_window),
        numeric=tuple(s.feature for s in compared if s.kind == "numeric"),
        categorical=tuple(s.feature for s in compared if s.kind == "categorical"),
        inputs=tuple(states),
        prediction=prediction,
        added_columns=added,
    )


def _input_state(
    feature: str, reference: pd.DataFrame, window: pd.DataFrame, min_rows: int, prediction=False
) -> tuple[InputState, pd.Series | None, pd.Series | None]:
    ref = reference[feature]
    kind = _kind(ref, prediction)
    ref_missing = float(ref.isna().mean()) if len(ref) else 0.0
    if feature not in window.columns:
        return InputState(feature, kind, "missing", ref_missing, None), None, None
    win = window[feature]
    win_missing = float(win.isna().mean()) if len(win) else 0.0
    if len(win) and win.isna().all():
        return InputState(feature, kind, "all_missing", ref_missing, 1.0), None, None
    if kind == "numeric":
        ref_values = pd.to_numeric(ref, errors="coerce").astype(float)
        win_values = pd.to_numeric(win, errors="coerce")
        if win_values.isna().sum() > win.isna().sum():
            # Some production values are text where training had numbers.
            return InputState(feature, kind, "type_changed", ref_missing, win_missing), None, None
        win_values = win_values.astype(float)
        new: tuple[str, ...] = ()
    else:
        ref_values, win_values = _as_text(ref), _as_text(win)
        known = set(ref_values.dropna())
        unseen = win_values.dropna()
        unseen = unseen[~unseen.isin(known)]
        new = tuple(unseen.value_counts().index[:MAX_NEW_CATEGORIES])
    if ref_values.notna().sum() < min_rows or win_values.notna().sum() < min_rows:
        state = InputState(feature, kind, "too_few_rows", ref_missing, win_missing, new)
        return state, None, None
    state = InputState(feature, kind, "compared", ref_missing, win_missing, new)
    return state, ref_values.reset_index(drop=True), win_values.reset_index(drop=True)


def _kind(values: pd.Series, prediction: bool) -> str:
    """Numbers are compared as distributions; text, flags and class labels as category shares."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "categorical"
    if prediction and values.nunique(dropna=True) <= _MAX_CLASSES:
        return "categorical"
    return "numeric"


def _as_text(values: pd.Series) -> pd.Series:
    """Category values as strings, missing kept missing; 1 and 1.0 read the same."""
    present = values.notna()
    text = pd.Series(np.nan, index=values.index, dtype=object)
    kept = values[present]
    if pd.api.types.is_float_dtype(kept) and (kept % 1 == 0).all():
        kept = kept.astype("int64")
    text[present] = kept.astype(str)
    return text
