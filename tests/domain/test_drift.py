"""Drift verdicts: traffic light rules, strength across methods, windows, quality vs training."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from portal.domain.drift import (
    DriftThresholds,
    compare_quality,
    current_window,
    deciding_strength,
    drift_status,
    drift_strength,
    is_p_value_method,
    weekly_windows,
)

THRESHOLDS = DriftThresholds(watch_share=0.1, alert_share=0.3, alert_strength=5.0)


@pytest.mark.parametrize(
    ("total", "changed", "prediction", "strongest", "expected"),
    [
        (20, 0, False, None, "stable"),
        (20, 1, False, 1.2, "stable"),  # one input just past its threshold
        (20, 2, False, 1.5, "watch"),  # 10 % of inputs
        (20, 1, True, 1.2, "watch"),  # the model's outputs changed
        (20, 1, False, 2.5, "watch"),  # one input clearly changed
        (20, 1, False, 7.0, "drifting"),  # one input changed drastically
        (20, 6, False, 1.5, "drifting"),  # 30 % of inputs
        (0, 0, False, None, "stable"),
    ],
)
def test_traffic_light(total, changed, prediction, strongest, expected):
    assert drift_status(total, changed, prediction, strongest, THRESHOLDS) == expected


def test_p_value_methods_are_recognised_by_name():
    assert is_p_value_method("K-S p_value")
    assert is_p_value_method("chi-square p_value")
    assert not is_p_value_method("Wasserstein distance (normed)")
    assert not is_p_value_method("Jensen-Shannon distance")


def test_strength_is_one_at_the_threshold_for_distances_and_p_values():
    assert drift_strength(0.1, 0.1, "Wasserstein distance (normed)") == pytest.approx(1.0)
    assert drift_strength(0.3, 0.1, "Jensen-Shannon distance") == pytest.approx(3.0)
    assert drift_strength(0.05, 0.05, "K-S p_value") == pytest.approx(1.0)
    # p = threshold squared is as far past it on a log scale as twice a distance threshold.
    assert drift_strength(0.0025, 0.05, "K-S p_value") == pytest.approx(2.0)
    assert drift_strength(0.5, 0.05, "K-S p_value") < 1


def test_strength_is_capped_or_absent_for_degenerate_scores():
    assert drift_strength(0.0, 0.05, "chi-square p_value") == 100.0
    assert drift_strength(1.0, 0.05, "K-S p_value") == 0.0
    assert drift_strength(None, 0.1, "Jensen-Shannon distance") is None
    assert drift_strength(math.nan, 0.1, "Jensen-Shannon distance") is None
    assert drift_strength(0.2, 0.0, "Jensen-Shannon distance") is None


def test_weekly_windows_are_whole_calendar_weeks_before_this_one():
    wednesday = datetime(2026, 11, 25, 14, 30)
    weeks = weekly_windows(wednesday, 3)
    assert weeks == [
        (datetime(2026, 11, 2), datetime(2026, 11, 9)),
        (datetime(2026, 11, 9), datetime(2026, 11, 16)),
        (datetime(2026, 11, 16), datetime(2026, 11, 23)),
    ]
    assert weekly_windows(wednesday, 0) == []


def test_current_window_is_the_last_days_up_to_now():
    now = datetime(2026, 11, 25, 14, 30)
    assert current_window(now, 7) == (datetime(2026, 11, 18, 14, 30), now)


def test_quality_worse_than_training_is_flagged_in_the_metric_direction():
    accuracy = compare_quality("accuracy", 0.76, 0.86)
    assert accuracy.worse and accuracy.change == pytest.approx(-0.1163, abs=1e-3)
    mae_better = compare_quality("mae", 9.0, 10.0)
    assert not mae_better.worse and mae_better.change == pytest.approx(0.1)
    mae_worse = compare_quality("mae", 12.0, 10.0)
    assert mae_worse.worse
    within = compare_quality("roc_auc", 0.87, 0.9)  # 3.3 % below: within tolerance
    assert not within.worse


def test_quality_without_a_usable_training_value_is_not_judged():
    for training in (None, math.nan):
        result = compare_quality("f1", 0.8, training)
        assert (result.training_value, result.change, result.worse) == (None, None, False)


def test_a_p_value_alone_can_mark_watch_but_never_drifting():
    p_value_only = deciding_strength(
        [(100.0, "chi-square p_value"), (0.8, "K-S p_value")], THRESHOLDS
    )
    assert p_value_only == 2.5
    assert drift_status(70, 1, False, p_value_only, THRESHOLDS) == "watch"
    with_distance = deciding_strength(
        [(100.0, "chi-square p_value"), (7.3, "Wasserstein distance (normed)")], THRESHOLDS
    )
    assert with_distance == 7.3
    assert deciding_strength([(None, "")], THRESHOLDS) is None
