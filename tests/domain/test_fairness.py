"""The widening-gap rule and how a model's fairness is summed up from its stored windows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.domain.fairness import (
    COMPARED,
    MEASURED,
    MISSING_COLUMN,
    NO_ROWS,
    NOT_COMPUTED,
    NOT_TAGGED,
    REFERENCE,
    WEEK,
    FairnessWindow,
    column_trends,
    decay_signal,
    group_columns,
    model_fairness,
    newest_week,
    points,
    recent_low,
)

MONDAY = datetime(2026, 1, 5)


def week(number: int, gap: float | None, column: str = "gender", state: str = COMPARED):
    start = MONDAY + timedelta(weeks=number)
    return FairnessWindow(
        column, WEEK, start, start + timedelta(weeks=1), state, parity_difference=gap
    )


def reference(gap: float | None, column: str = "gender", state: str = COMPARED):
    return FairnessWindow(column, REFERENCE, None, None, state, parity_difference=gap)


def test_group_columns_are_read_from_the_tag_in_order_without_blanks_or_repeats() -> None:
    assert group_columns({"fairness_groups": " gender, age_band,,gender "}) == (
        "gender",
        "age_band",
    )
    assert group_columns({"owner": "x"}) == ()
    assert group_columns({"fairness_groups": " , "}) == ()


def test_a_gap_ten_points_above_training_in_each_of_the_last_two_weeks_is_widening() -> None:
    windows = [reference(0.04), week(0, 0.05), week(1, 0.16), week(2, 0.15), week(3, 0.18)]
    (trend,) = column_trends(windows)
    assert trend.widening
    assert trend.reference_gap == 0.04
    assert trend.recent_gap == 0.18
    # The run of widening weeks began with week 1, not at the older, narrow week 0.
    assert trend.since == MONDAY + timedelta(weeks=1)
    assert recent_low(trend) == 0.15
    signal = decay_signal("employee-attrition", [trend])
    assert signal is not None
    assert (signal.reason, signal.detail, signal.value) == ("fairness_gap", "gender", 0.18)
    assert signal.since == MONDAY + timedelta(weeks=1)


@pytest.mark.parametrize(
    "gaps",
    [
        (0.20, 0.13),  # one wide week is not a trend
        (0.13, 0.20),
        (0.139, 0.139),  # just under the margin
        (0.20, None),  # the newest week could not be compared
    ],
)
def test_a_gap_that_is_not_wide_in_both_recent_weeks_is_not_widening(gaps) -> None:
    windows = [reference(0.04), week(0, gaps[0]), week(1, gaps[1])]
    (trend,) = column_trends(windows)
    assert not trend.widening and trend.since is None
    assert decay_signal("m", [trend]) is None


def test_exactly_the_margin_counts_as_widening() -> None:
    (trend,) = column_trends([reference(0.04), week(0, 0.14), week(1, 0.14)])
    assert trend.widening


def test_without_a_reference_gap_nothing_is_widening() -> None:
    (trend,) = column_trends([reference(None, state="too_few_groups"), week(0, 0.5), week(1, 0.5)])
    assert not trend.widening


def test_the_column_whose_gap_grew_most_is_the_signal() -> None:
    windows = [
        reference(0.02, "gender"),
        week(0, 0.20, "gender"),
        week(1, 0.22, "gender"),  # +20 points
        reference(0.10, "age"),
        week(0, 0.25, "age"),
        week(1, 0.26, "age"),  # +16 points
    ]
    trends = column_trends(windows)
    assert [trend.group_column for trend in trends] == ["gender", "age"]
    assert all(trend.widening for trend in trends)
    signal = decay_signal("m", trends)
    assert signal is not None and signal.detail == "gender"


def test_model_fairness_tells_untagged_unmeasured_and_measured_models_apart() -> None:
    assert model_fairness("m", None, [], None).state == NOT_TAGGED
    waiting = model_fairness("m", "gender", [], None)
    assert (waiting.state, waiting.tagged_columns) == (NOT_COMPUTED, ("gender",))
    at = datetime(2026, 2, 1)
    measured = model_fairness("m", "gender", [reference(0.04), week(0, 0.2), week(1, 0.2)], at)
    assert measured.state == MEASURED and measured.computed_at == at
    assert [trend.group_column for trend in measured.widening] == ["gender"]


def test_a_missing_column_in_the_reference_is_the_columns_state() -> None:
    windows = [reference(None, state=MISSING_COLUMN), week(0, None, state=MISSING_COLUMN)]
    (trend,) = column_trends(windows)
    assert trend.state == MISSING_COLUMN and not trend.widening


def test_newest_week_skips_empty_weeks_and_points_round() -> None:
    (trend,) = column_trends([reference(0.1), week(0, 0.2), week(1, None, state=NO_ROWS)])
    assert newest_week(trend) == week(0, 0.2)
    assert points(0.183) == 18 and points(0.035) == 4 and points(None) is None
