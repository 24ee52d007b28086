"""Per-column drift tests with Evidently 0.7; the only module that imports it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.legacy.calculations.stattests.registry import get_stattest
from evidently.legacy.core import ColumnType
from evidently.metrics import DriftedColumnsCount, ValueDrift


@dataclass(frozen=True)
class ColumnDrift:
    """Evidently's verdict on one column: the method it chose, its threshold and score."""

    method: str
    threshold: float
    score: float
    drifted: bool


@dataclass(frozen=True)
class DriftRun:
    """Per-column results, and the full report as a standalone HTML page when asked for."""

    columns: dict[str, ColumnDrift]
    report_html: str | None


def run_drift(
    reference: pd.DataFrame,
    window: pd.DataFrame,
    numeric: tuple[str, ...],
    categorical: tuple[str, ...],
    with_report: bool,
) -> DriftRun:
    """Test every column for drift with the method Evidently picks for its type and size.

    The verdicts come from Evidently's statistical tests called directly (a millisecond per
    column); its Report, which also draws every chart (about 60 ms per column), is built only
    when the full report is wanted.
    """
    kinds = [(column, ColumnType.Numerical) for column in numeric] + [
        (column, ColumnType.Categorical) for column in categorical
    ]
    with warnings.catch_warnings():
        # scipy and Evidently warn about small or constant samples; the results say enough.
        warnings.simplefilter("ignore")
        columns = {
            column: _column_drift(reference[column], window[column], kind) for column, kind in kinds
        }
        html = _report_html(reference, window, numeric, categorical) if with_report else None
    return DriftRun(columns, html)


def _column_drift(reference: pd.Series, window: pd.Series, kind: ColumnType) -> ColumnDrift:
    """Evidently's default test for the column's type and sample size, at its threshold."""
    reference, window = _finite(reference), _finite(window)
    test = get_stattest(reference, window, kind, None)
    result = test(reference, window, kind, None)
    return ColumnDrift(
        method=test.display_name,
        threshold=float(result.actual_threshold),
        score=float(result.drift_score),
        drifted=bool(result.drifted),
    )


def _finite(values: pd.Series) -> pd.Series:
    """Without missing and infinite values, as Evidently's own drift metrics compare."""
    return values.replace([np.inf, -np.inf], np.nan).dropna()


def _report_html(
    reference: pd.DataFrame,
    window: pd.DataFrame,
    numeric: tuple[str, ...],
    categorical: tuple[str, ...],
) -> str | None:
    """Evidently's full drift report as one standalone HTML page."""
    if not [*numeric, *categorical]:
        return None
    # The report embeds column names and category values in a <script> block, and pages show
    # it in a frame of the portal's origin: without '<' no logged value can end that block.
    names = {column: _inert(column) for column in (*numeric, *categorical)}
    numeric_names = [names[column] for column in numeric]
    categorical_names = [names[column] for column in categorical]
    columns = [*numeric_names, *categorical_names]
    sides = []
    for frame in (reference, window):
        side = frame[list(names)].rename(columns=names)
        for column in categorical_names:
            side[column] = side[column].map(_inert, na_action="ignore")
        sides.append(side)
    definition = DataDefinition(
        numerical_columns=numeric_names, categorical_columns=categorical_names
    )
    report = Report(
        [DriftedColumnsCount(columns=columns)] + [ValueDrift(column=c) for c in columns]
    )
    snapshot = report.run(
        current_data=Dataset.from_pandas(sides[1], data_definition=definition),
        reference_data=Dataset.from_pandas(sides[0], data_definition=definition),
    )
    return snapshot.get_html_str(as_iframe=False)


def _inert(text: object) -> str:
    """Text that cannot open or close an HTML tag: angle brackets become look-alike quotes."""
    return str(text).replace("<", "\u2039").replace(">", "\u203a")
