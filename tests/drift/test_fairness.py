"""Fairness over time with Fairlearn's MetricFrame: known gaps on constructed rows, the weekly
windows of a model context, and the stored results on a real DuckDB store."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
)

from portal.domain.drift import current_window, weekly_windows
from portal.domain.fairness import (
    COMPARED,
    CURRENT,
    MISSING_COLUMN,
    NO_ROWS,
    NOT_CLASSIFIER,
    REFERENCE,
    TOO_FEW_GROUPS,
    WEEK,
    column_trends,
)
from portal.drift.context import ModelContext
from portal.drift.fairness import bands_of, measure, monitor_fairness
from portal.services.fairness import FairnessService
from portal.store.drift_repo import DriftRepository
from portal.store.fairness_repo import FairnessRepository
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_rows

CHURN = "customer-churn"


def cells(group: str, tp: int, fp: int, fn: int, tn: int) -> pd.DataFrame:
    """Rows of one group with the given counts of true/false positives and negatives."""
    prediction = [1] * tp + [1] * fp + [0] * fn + [0] * tn
    label = [1] * tp + [0] * fp + [1] * fn + [0] * tn
    return pd.DataFrame(
        {"gender": group, "prediction": prediction, "label": pd.array(label, dtype="Int64")}
    )


@pytest.fixture
def known() -> pd.DataFrame:
    """a: 200 rows, 30 % selected; b: 100 rows, 50 % selected; c: 20 rows, too few."""
    return pd.concat(
        [
            cells("a", tp=45, fp=15, fn=15, tn=125),
            cells("b", tp=40, fp=10, fn=10, tn=40),
            cells("c", tp=10, fp=10, fn=0, tn=0),
        ],
        ignore_index=True,
    )


def test_rates_and_gaps_per_group_on_known_counts(known: pd.DataFrame) -> None:
    found = measure(known, "gender", 30, WEEK)
    assert found.state == COMPARED
    assert (found.rows, found.labelled_rows, found.groups_compared) == (320, 320, 2)
    groups = {group.group: group for group in found.groups}
    assert [group.group for group in found.groups] == ["a", "b", "c"]
    a, b, c = groups["a"], groups["b"], groups["c"]
    assert (a.rows, a.selection_rate, a.accuracy) == (200, pytest.approx(0.30), 0.85)
    assert a.true_positive_rate == pytest.approx(0.75)
    assert a.false_positive_rate == pytest.approx(15 / 140)
    assert (b.selection_rate, b.accuracy, b.true_positive_rate, b.false_positive_rate) == (
        pytest.approx(0.5),
        pytest.approx(0.8),
        pytest.approx(0.8),
        pytest.approx(0.2),
    )
    # The small group is reported, not compared: no rate of it enters the gaps.
    assert not c.compared and c.rows == 20 and c.selection_rate is None
    assert found.parity_difference == pytest.approx(0.2)
    assert found.parity_ratio == pytest.approx(0.6)
    assert found.odds_difference == pytest.approx(0.2 - 15 / 140)
    # The same as Fairlearn's own fairness measures on the groups large enough.
    large = known[known["gender"] != "c"]
    y, p, g = large["label"].astype(int), large["prediction"], large["gender"]
    assert found.parity_difference == pytest.approx(
        demographic_parity_difference(y, p, sensitive_features=g)
    )
    assert found.parity_ratio == pytest.approx(demographic_parity_ratio(y, p, sensitive_features=g))
    assert found.odds_difference == pytest.approx(
        equalized_odds_difference(y, p, sensitive_features=g)
    )


def test_without_outcomes_selection_is_compared_and_quality_is_not(known: pd.DataFrame) -> None:
    unlabelled = known.assign(label=pd.array([pd.NA] * len(known), dtype="Int64"))
    found = measure(unlabelled, "gender", 30, CURRENT)
    assert found.parity_difference == pytest.approx(0.2)
    assert found.labelled_rows == 0 and found.odds_difference is None
    assert all(group.accuracy is None for group in found.groups)


def test_equalized_odds_needs_enough_outcomes_per_group(known: pd.DataFrame) -> None:
    # Outcomes known for only 20 of group b's rows: too few for its quality.
    labels = known["label"].copy()
    labels[(known["gender"] == "b").to_numpy() & (np.arange(len(known)) % 5 != 0)] = pd.NA
    found = measure(known.assign(label=labels), "gender", 30, WEEK)
    b = next(group for group in found.groups if group.group == "b")
    assert b.labelled_rows == 20 and b.accuracy is None
    assert found.odds_difference is None
    assert found.parity_difference == pytest.approx(0.2)


def test_one_large_group_cannot_be_compared(known: pd.DataFrame) -> None:
    found = measure(known[known["gender"] != "b"], "gender", 30, WEEK)
    assert found.state == TOO_FEW_GROUPS and found.parity_difference is None
    assert [group.compared for group in found.groups] == [True, False]


def test_missing_column_and_empty_window_say_so(known: pd.DataFrame) -> None:
    assert measure(known, "age_band", 30, WEEK).state == MISSING_COLUMN
    assert measure(known.iloc[:0], "gender", 30, WEEK).state == NO_ROWS


def test_numbers_with_many_values_are_banded_at_the_reference_terciles() -> None:
    reference = pd.Series(np.arange(18, 78))  # 60 ages, terciles near 38 and 58
    bands = bands_of(reference)
    assert bands is not None
    assert bands.edges == (38.0, 58.0)
    assert bands.labels == ("< 38", "38–57", "≥ 58")
    frame = pd.DataFrame(
        {"age": [20] * 40 + [40] * 40 + [70] * 40, "prediction": [1] * 40 + [0] * 80}
    )
    found = measure(frame, "age", 30, WEEK, bands=bands)
    assert [(g.group, g.rows, g.selection_rate) for g in found.groups] == [
        ("< 38", 40, 1.0),
        ("38–57", 40, 0.0),
        ("≥ 58", 40, 0.0),
    ]
    assert found.parity_difference == 1.0
    # A column with few distinct values keeps them as groups.
    assert bands_of(pd.Series([1, 2, 3] * 20)) is None


def with_gender(frame: pd.DataFrame, seed: int, women_flagged: float | None) -> pd.DataFrame:
    """Churn rows with a gender column; women's predictions set to 1 at the given share."""
    rng = np.random.default_rng(seed)
    gender = rng.choice(["female", "male"], len(frame), p=[0.4, 0.6])
    frame = frame.assign(gender=gender)
    if women_flagged is not None:
        women = gender == "female"
        flagged = rng.random(len(frame)) < women_flagged
        frame.loc[women, "prediction"] = flagged[women].astype(int)
    return frame


def churn_context(reference: pd.DataFrame, windows: dict, tags: dict) -> ModelContext:
    weeks = tuple(weekly_windows(NOW, 4))
    return ModelContext(
        model_name=CHURN,
        model_version=3,
        run_id="r2",
        tags=tags,
        reference=reference,
        weeks=weeks,
        current=current_window(NOW, 7),
        min_rows=30,
        sample_rows=5000,
        now=NOW,
        rows=lambda start, end: windows[start],
        artifacts=FakeArtifacts({}),
    )


@pytest.fixture
def widening_context() -> ModelContext:
    """Four weeks of churn predictions; in the last two, women are flagged far more often."""
    reference = with_gender(churn_rows(2000, seed=1), seed=2, women_flagged=None)
    windows = {}
    for number, (start, _) in enumerate(weekly_windows(NOW, 4)):
        flagged = 0.75 if number >= 2 else None
        windows[start] = with_gender(churn_rows(1000, seed=10 + number), 20 + number, flagged)
    start, _ = current_window(NOW, 7)
    windows[start] = with_gender(churn_rows(1000, seed=30), 40, 0.75)
    return churn_context(reference, windows, {"fairness_groups": "gender, region"})


def test_monitor_fairness_measures_reference_weeks_and_current(widening_context) -> None:
    found = monitor_fairness(widening_context)
    kinds = [(w.group_column, w.window_kind) for w in found]
    assert kinds == [
        ("gender", REFERENCE),
        *[("gender", WEEK)] * 4,
        ("gender", CURRENT),
        ("region", REFERENCE),
        *[("region", WEEK)] * 4,
        ("region", CURRENT),
    ]
    assert {w.state for w in found if w.group_column == "region"} == {MISSING_COLUMN}
    gender = [w for w in found if w.group_column == "gender"]
    reference_gap = gender[0].parity_difference
    assert reference_gap is not None and reference_gap < 0.05  # the same scores for both
    assert all(w.parity_difference > reference_gap + 0.2 for w in gender[3:])
    assert all(w.parity_difference < reference_gap + 0.1 for w in gender[1:3])
    trend = column_trends(found)[0]
    assert trend.widening and trend.since == widening_context.weeks[2][0]


def test_no_tag_means_nothing_to_measure_and_regressors_are_not_classifiers(
    widening_context,
) -> None:
    untagged = churn_context(widening_context.reference, {}, {"owner": "x"})
    assert monitor_fairness(untagged) == ()
    regressor = churn_context(
        widening_context.reference.assign(prediction=np.linspace(10, 20, 2000)),
        {},
        {"fairness_groups": "gender"},
    )
    assert [w.state for w in monitor_fairness(regressor)] == [NOT_CLASSIFIER]


def test_results_are_stored_replaced_and_give_a_decay_signal(
    filled_store, widening_context
) -> None:
    version = next(
        row["version"]
        for row in DriftRepository(filled_store).production_models()
        if row["name"] == CHURN
    )
    found = monitor_fairness(widening_context)
    repo = FairnessRepository(filled_store)
    service = FairnessService(filled_store)
    before = filled_store.data_version()
    repo.replace(CHURN, version, found, NOW)
    assert filled_store.data_version() == before + 1
    fairness = service.model(CHURN)
    assert fairness.state == "measured" and fairness.computed_at == NOW
    stored = [
        *(t.reference for t in fairness.trends),
        *(w for t in fairness.trends for w in t.weeks),
    ]
    expected = [w for w in found if w.window_kind != CURRENT]
    assert sorted(stored, key=_key) == sorted(expected, key=_key)
    (signal,) = service.decay_signals()
    assert (signal.model_name, signal.reason, signal.detail) == (CHURN, "fairness_gap", "gender")
    assert signal.since == widening_context.weeks[2][0]
    assert signal.value == pytest.approx(found[4].parity_difference)
    # A later computation replaces the earlier one whole.
    repo.replace(CHURN, version, found[:1], NOW + timedelta(days=1))
    windows, groups = repo.of_model(CHURN)
    assert [(w["group_column"], w["window_kind"]) for w in windows] == [("gender", REFERENCE)]
    assert [g["group_value"] for g in groups] == ["female", "male"]
    assert service.decay_signals() == []
    # Results of a version no longer in production do not count.
    repo.replace(CHURN, version + 100, found, NOW)
    assert repo.of_model(CHURN) == ([], [])
    assert service.decay_signals() == []
    assert service.model(CHURN).state == "not_tagged"


def test_a_model_without_the_tag_is_not_monitored(filled_store) -> None:
    assert FairnessService(filled_store).model(CHURN).state == "not_tagged"


def _key(window):
    return (window.group_column, window.window_kind, window.window_start or NOW)
