"""The estimated-drop rule and the summary of the weeks whose outcomes are not known yet."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.domain.estimation import (
    DROP_TOLERANCE,
    ModelEstimate,
    PerformanceEstimate,
    estimated_drop,
    pending_run,
    pending_summary,
    relative_drop,
)

MONDAY = datetime(2026, 1, 5)


def week(
    index: int,
    estimated: float | None,
    realized: float | None = None,
    *,
    metric: str = "roc_auc",
    band: float = 0.02,
    reference: float | None = 0.86,
) -> PerformanceEstimate:
    start = MONDAY + timedelta(weeks=index)
    return PerformanceEstimate(
        metric=metric,
        window_start=start,
        window_end=start + timedelta(weeks=1),
        method="cbpe" if metric in ("roc_auc", "accuracy") else "dle",
        estimated=estimated,
        lower=None if estimated is None else estimated - band,
        upper=None if estimated is None else estimated + band,
        realized=realized,
        reference_value=reference,
        labelled_rows=0 if realized is None else 1400,
        rows=1400,
        alert=False,
    )


def test_relative_drop_follows_the_direction_of_the_measure():
    assert relative_drop("roc_auc", 0.774, 0.86) == pytest.approx(0.1)
    assert relative_drop("roc_auc", 0.9, 0.86) == pytest.approx(-0.0465, abs=1e-4)
    # An error measure is worse when it grows.
    assert relative_drop("mae", 12_000, 10_000) == pytest.approx(0.2)
    assert relative_drop("mae", 9_000, 10_000) == pytest.approx(-0.1)
    assert relative_drop("roc_auc", None, 0.86) is None
    assert relative_drop("roc_auc", 0.8, None) is None
    assert relative_drop("something_else", 0.8, 0.9) is None  # direction not known


def test_the_pending_run_is_the_newest_weeks_without_measured_values():
    weeks = [week(0, 0.85, 0.84), week(1, 0.8), week(2, 0.85, 0.86), week(3, 0.8), week(4, 0.78)]
    assert [w.window_start for w in pending_run(weeks)] == [
        MONDAY + timedelta(weeks=3),
        MONDAY + timedelta(weeks=4),
    ]
    assert pending_run([week(0, 0.8), week(1, 0.85, 0.84)]) == ()


def test_a_large_drop_in_the_newest_unlabelled_weeks_is_a_decay_signal_since_its_first_week():
    weeks = [
        week(0, 0.86, 0.85),
        week(1, 0.85, 0.86),
        week(2, 0.85),  # outcomes not known, but no drop
        week(3, 0.78),  # 9 % below the reference
        week(4, 0.74),
    ]
    signal = estimated_drop("customer-churn", weeks)
    assert signal is not None
    assert (signal.model_name, signal.reason, signal.detail) == (
        "customer-churn",
        "estimated_drop",
        "roc_auc",
    )
    assert signal.since == MONDAY + timedelta(weeks=3)
    assert signal.value == pytest.approx((0.86 - 0.74) / 0.86)


def test_no_signal_within_the_tolerance_or_when_the_band_reaches_the_reference():
    within = 0.86 * (1 - DROP_TOLERANCE) + 0.001
    assert estimated_drop("m", [week(0, 0.86, 0.86), week(1, within)]) is None
    # 7 % below, but the band is so wide that the reference may still be the true value.
    assert estimated_drop("m", [week(0, 0.8, band=0.07)]) is None
    assert estimated_drop("m", [week(0, 0.8, band=0.05)]) is not None


def test_no_signal_once_the_newest_week_is_measured():
    # The measured quality takes over: the drift page compares it with training.
    weeks = [week(0, 0.7), week(1, 0.7, 0.72)]
    assert estimated_drop("m", weeks) is None


def test_an_error_measure_rising_is_a_drop_and_the_largest_drop_is_named():
    weeks = [
        week(0, 10_000.0, 9_900.0, metric="mae", band=300, reference=10_000.0),
        week(1, 14_000.0, metric="mae", band=600, reference=10_000.0),
        week(0, 13_000.0, 12_900.0, metric="rmse", band=300, reference=13_000.0),
        week(1, 15_000.0, metric="rmse", band=600, reference=13_000.0),
    ]
    signal = estimated_drop("property-valuation", weeks)
    assert signal is not None
    assert (signal.detail, signal.since) == ("mae", MONDAY + timedelta(weeks=1))
    assert signal.value == pytest.approx(0.4)


def test_pending_summary_averages_the_weeks_and_spans_their_bands():
    estimate = ModelEstimate(
        "m",
        2,
        MONDAY,
        "",
        (
            week(0, 0.86, 0.85),
            week(1, 0.80),
            week(2, 0.78),
            week(0, 0.74, 0.75, metric="accuracy", reference=0.75),
            week(1, 0.70, metric="accuracy", reference=0.75),
        ),
    )
    assert estimate.metrics == ("roc_auc", "accuracy")
    summary = pending_summary(estimate)
    assert summary is not None
    assert (summary.metric, summary.method, summary.weeks) == ("roc_auc", "cbpe", 2)
    assert summary.first_week == MONDAY + timedelta(weeks=1)
    assert summary.estimated == pytest.approx(0.79)
    assert (summary.lower, summary.upper) == (pytest.approx(0.76), pytest.approx(0.82))
    assert summary.reference_value == 0.86
    assert summary.drop == pytest.approx(0.07 / 0.86)
    assert pending_summary(estimate, "accuracy").weeks == 1
    assert pending_summary(ModelEstimate("m", 2, MONDAY, "labels_complete", ())) is None
