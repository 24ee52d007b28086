"""Production windows that differ from the reference in shape: each case gets its own state."""

from __future__ import annotations

import numpy as np
import pandas as pd

from portal.domain.drift import MISSING, OTHER
from portal.drift.align import align
from portal.drift.summaries import distribution


def reference(rows: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 80, rows),
            "income": rng.normal(3000, 800, rows),
            "region": rng.choice(["north", "south", "east"], rows),
            "prediction": rng.integers(0, 2, rows),
            "label": rng.integers(0, 2, rows),
        }
    )


def states(aligned) -> dict[str, str]:
    return {state.feature: state.state for state in aligned.inputs}


def test_matching_columns_are_all_compared():
    aligned = align(reference(), reference(150), min_rows=30)
    assert states(aligned) == {"age": "compared", "income": "compared", "region": "compared"}
    assert aligned.numeric == ("age", "income")
    assert aligned.categorical == ("region", "prediction")  # 0/1 outputs are classes
    assert aligned.added_columns == ()


def test_a_column_missing_in_production_is_reported_not_compared():
    aligned = align(reference(), reference(150).drop(columns="income"), min_rows=30)
    assert states(aligned)["income"] == "missing"
    assert "income" not in aligned.window.columns
    assert aligned.numeric == ("age",)


def test_a_column_added_in_production_is_listed_and_ignored():
    window = reference(150).assign(channel="web")
    aligned = align(reference(), window, min_rows=30)
    assert aligned.added_columns == ("channel",)
    assert "channel" not in aligned.window.columns


def test_new_categories_are_named_most_frequent_first():
    window = reference(150)
    window.loc[:59, "region"] = "west"
    window.loc[60:69, "region"] = "overseas"
    aligned = align(reference(), window, min_rows=30)
    region = next(state for state in aligned.inputs if state.feature == "region")
    assert region.state == "compared"
    assert region.new_categories == ("west", "overseas")


def test_an_all_missing_column_counts_as_changed_state():
    window = reference(150).assign(income=np.nan)
    aligned = align(reference(), window, min_rows=30)
    income = next(state for state in aligned.inputs if state.feature == "income")
    assert (income.state, income.missing_share_window) == ("all_missing", 1.0)


def test_numbers_arriving_as_text_are_a_type_change_but_numeric_text_is_accepted():
    window = reference(150)
    window["income"] = window["income"].map(lambda value: f"{value:.2f}".replace(".", ","))
    window["age"] = window["age"].astype(str)  # "42": still a number
    aligned = align(reference(), window, min_rows=30)
    assert states(aligned)["income"] == "type_changed"
    assert states(aligned)["age"] == "compared"
    assert aligned.window["age"].dtype == float


def test_too_few_values_on_a_side_are_not_tested():
    window = reference(150)
    window.loc[10:, "income"] = np.nan  # 10 values left
    aligned = align(reference(), window, min_rows=30)
    assert states(aligned)["income"] == "too_few_rows"


def test_without_a_prediction_column_there_is_no_prediction_result():
    aligned = align(reference(), reference(150).drop(columns="prediction"), min_rows=30)
    assert aligned.prediction is None


def test_numeric_distribution_shares_add_up_and_share_bins():
    ref = pd.Series(np.random.default_rng(1).normal(0, 1, 1000))
    win = pd.Series(np.random.default_rng(2).normal(2, 1, 500))
    buckets = distribution(ref, win, "numeric")
    assert len(buckets) == 20
    assert sum(b.reference_share for b in buckets) == pytest_approx(1.0)
    assert sum(b.window_share for b in buckets) == pytest_approx(1.0)
    middle = len(buckets) // 2
    # The shift is visible: production mass sits in the upper bins.
    assert sum(b.window_share for b in buckets[middle:]) > 0.8
    assert all(b.lower_edge < b.upper_edge for b in buckets)


def test_category_distribution_keeps_top_categories_other_and_missing():
    ref = pd.Series([f"c{i % 20}" for i in range(400)] + [None] * 100)
    win = pd.Series(["c1"] * 300)
    buckets = distribution(ref, win, "categorical")
    labels = [b.label for b in buckets]
    assert labels[0] == "c1"
    assert OTHER in labels and labels[-1] == MISSING
    assert buckets[-1].reference_share == pytest_approx(0.2)
    assert buckets[-1].window_share == 0.0
    assert sum(b.reference_share for b in buckets) == pytest_approx(1.0)


def pytest_approx(value: float):
    import pytest

    return pytest.approx(value, abs=1e-9)
