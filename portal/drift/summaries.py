"""Reference-versus-production distributions on shared buckets, small enough to store per check."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from portal.domain.drift import MISSING, OTHER

BINS = 20
TOP_CATEGORIES = 12
# Histogram range: the central mass of both sides, so a few outliers do not flatten every bar.
_RANGE_QUANTILES = (0.005, 0.995)


@dataclass(frozen=True)
class Bucket:
    """A histogram bin (numeric) or a category, with the share of each side's rows in it."""

    position: int
    label: str
    lower_edge: float | None
    upper_edge: float | None
    reference_share: float
    window_share: float


def distribution(reference: pd.Series, window: pd.Series, kind: str) -> list[Bucket]:
    """Buckets shared by both sides; shares are of all rows, missing values in their own bucket."""
    buckets = (
        _numeric_buckets(reference, window)
        if kind == "numeric"
        else _category_buckets(reference, window)
    )
    ref_missing, win_missing = _share_missing(reference), _share_missing(window)
    if ref_missing or win_missing:
        buckets.append(Bucket(len(buckets), MISSING, None, None, ref_missing, win_missing))
    return buckets


def _numeric_buckets(reference: pd.Series, window: pd.Series) -> list[Bucket]:
    ref = pd.to_numeric(reference, errors="coerce").dropna().to_numpy(dtype=float)
    win = pd.to_numeric(window, errors="coerce").dropna().to_numpy(dtype=float)
    both = np.concatenate([ref, win])
    if not len(both):
        return []
    low, high = np.quantile(both, _RANGE_QUANTILES)
    if low == high:
        low, high = both.min(), both.max()
    edges = np.array([low, high]) if low == high else np.linspace(low, high, BINS + 1)
    ref_counts = _clipped_histogram(ref, edges)
    win_counts = _clipped_histogram(win, edges)
    ref_total, win_total = max(len(reference), 1), max(len(window), 1)
    return [
        Bucket(
            position,
            f"{_short(edges[position])} – {_short(edges[position + 1])}",
            float(edges[position]),
            float(edges[position + 1]),
            ref_counts[position] / ref_total,
            win_counts[position] / win_total,
        )
        for position in range(len(edges) - 1)
    ]


def _clipped_histogram(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin; values outside the range fall into the first or last bin."""
    clipped = np.clip(values, edges[0], edges[-1])
    return np.histogram(clipped, bins=edges)[0]


def _category_buckets(reference: pd.Series, window: pd.Series) -> list[Bucket]:
    ref = reference.dropna().astype(str)
    win = window.dropna().astype(str)
    ref_total, win_total = max(len(reference), 1), max(len(window), 1)
    ref_counts, win_counts = ref.value_counts(), win.value_counts()
    combined = (ref_counts / ref_total).add(win_counts / win_total, fill_value=0)
    top = combined.sort_values(ascending=False, kind="stable").index[:TOP_CATEGORIES]
    buckets = [
        Bucket(
            position,
            str(category),
            None,
            None,
            ref_counts.get(category, 0) / ref_total,
            win_counts.get(category, 0) / win_total,
        )
        for position, category in enumerate(top)
    ]
    rest_ref = (len(ref) - ref_counts.reindex(top, fill_value=0).sum()) / ref_total
    rest_win = (len(win) - win_counts.reindex(top, fill_value=0).sum()) / win_total
    if rest_ref or rest_win:
        buckets.append(Bucket(len(buckets), OTHER, None, None, rest_ref, rest_win))
    return buckets


def _share_missing(values: pd.Series) -> float:
    return float(values.isna().mean()) if len(values) else 0.0


def _short(value: float) -> str:
    """Three significant digits: enough to read a bin, short enough for an axis."""
    return f"{value:.3g}"
