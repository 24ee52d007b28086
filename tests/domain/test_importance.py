"""Input importance: shares and ranks, the five inputs named, and the traffic light that weighs
changed inputs by how much the model relies on them."""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.domain.drift import (
    DriftThresholds,
    deciding_strength,
    drift_status,
    importance_weights,
    weight_of_changed,
)
from portal.domain.importance import (
    ModelImportance,
    driving_inputs,
    rank_importance,
)

THRESHOLDS = DriftThresholds(watch_share=0.1, alert_share=0.3, alert_strength=5.0)
AT = datetime(2026, 3, 2, 6, 0)
# A credit model that relies on income and amount, hardly on the branch, not on the channel.
SHARES = {"income": 0.5, "amount": 0.3, "age": 0.17, "branch": 0.03, "channel": 0.0}
INPUTS = ["income", "amount", "age", "branch", "channel"]


def light(changes: dict[str, tuple[float, str]], shares=SHARES, prediction=False) -> str:
    """The traffic light the drift job gives when `changes` (input -> strength, method) changed."""
    strengths = [(changes.get(f, (0.5, "Wasserstein distance (normed)"))) for f in INPUTS]
    changed = [f in changes for f in INPUTS]
    weights = importance_weights(INPUTS, shares)
    strongest = deciding_strength(strengths, THRESHOLDS, weights)
    return drift_status(
        len(INPUTS),
        sum(changed),
        prediction,
        strongest,
        THRESHOLDS,
        weight_of_changed(changed, weights),
    )


def test_shares_are_of_the_positive_total_and_ranks_follow_the_mean():
    ranked = rank_importance(
        [("age", 0.02, 0.01), ("income", 0.12, 0.02), ("branch", -0.01, 0.01), ("amount", 0.06, 0)],
        "label",
    )
    assert [(i.feature, i.rank) for i in ranked] == [
        ("income", 1),
        ("amount", 2),
        ("age", 3),
        ("branch", 4),
    ]
    assert [round(i.share, 4) for i in ranked] == [0.6, 0.3, 0.1, 0.0]
    assert ranked[3].mean == -0.01  # the raw value is kept; only its share is floored at zero
    assert {i.basis for i in ranked} == {"label"}


def test_no_input_helping_gives_zero_shares_not_a_division_error():
    ranked = rank_importance([("a", 0.0, 0.0), ("b", -0.02, 0.01)], "predictions")
    assert [i.share for i in ranked] == [0.0, 0.0]
    with pytest.raises(ValueError):
        rank_importance([("a", 0.1, 0.0)], "guess")


def _model(inputs, outcome="computed", detail="") -> ModelImportance:
    return ModelImportance("credit", 3, outcome, detail, AT, "label", inputs)


def test_the_five_driving_inputs_and_what_the_rest_carry():
    raw = [(f"x{i}", float(10 - i), 0.0) for i in range(8)]  # x0 largest ... x7 smallest
    found = driving_inputs(_model(rank_importance(raw, "label")))
    assert [name for name, _ in found.inputs] == ["x0", "x1", "x2", "x3", "x4"]
    assert found.inputs[0][1] == pytest.approx(10 / 52)
    assert (found.others, round(found.others_share, 4)) == (3, round(12 / 52, 4))
    assert found.basis == "label"


def test_inputs_the_model_does_not_use_are_not_named():
    ranked = rank_importance([("a", 0.3, 0.0), ("b", 0.1, 0.0), ("c", 0.0, 0.0)], "predictions")
    found = driving_inputs(_model(ranked))
    assert [name for name, _ in found.inputs] == ["a", "b"]
    assert (found.others, found.others_share) == (1, 0.0)


def test_nothing_to_name_when_failed_or_nothing_matters():
    assert driving_inputs(_model((), "failed", "model could not be loaded")) is None
    assert driving_inputs(_model(rank_importance([("a", 0.0, 0.0)], "label"))) is None


def test_weights_are_over_the_checked_inputs_and_unknown_inputs_weigh_nothing():
    weights = importance_weights(["income", "amount", "gender"], SHARES)
    assert weights == pytest.approx((0.5 / 0.8, 0.3 / 0.8, 0.0))
    assert importance_weights(["income"], None) is None
    assert importance_weights(["channel"], SHARES) is None  # all zero: as if unknown
    assert weight_of_changed([True, False, True], weights) == pytest.approx(0.5 / 0.8)
    assert weight_of_changed([True], None) is None
    with pytest.raises(ValueError):
        weight_of_changed([True], weights)


def test_a_strong_change_in_an_input_the_model_barely_uses_is_watch():
    strong = (7.0, "Wasserstein distance (normed)")
    # Before: one input at 7x its threshold marks the model drifting, whichever input it is.
    assert light({"branch": strong}, shares=None) == "drifting"
    assert light({"branch": strong}) == "watch"  # 3 % of what the model looks at
    assert light({"channel": strong}) == "watch"  # not used at all: still worth a look
    assert light({"income": strong}) == "drifting"  # the input it relies on most
    assert light({"age": strong}) == "drifting"  # 17 %: relied on


def test_the_share_rule_counts_what_the_changed_inputs_carry():
    weak = (1.5, "Wasserstein distance (normed)")
    # Two of five inputs changed (40 %): drifting by count, but the two carry 3 % together.
    assert light({"branch": weak, "channel": weak}, shares=None) == "drifting"
    assert light({"branch": weak, "channel": weak}) == "stable"
    # One of five (20 %, watch by count), yet it carries half of what the model looks at.
    assert light({"income": weak}, shares=None) == "watch"
    assert light({"income": weak}) == "drifting"
    assert light({"age": weak}) == "watch"  # 17 %: past the 10 % watch share
    assert light({"branch": weak}, prediction=True) == "watch"  # a changed output still counts


def test_a_p_value_on_a_relied_on_input_still_cannot_decide_drifting_alone():
    p_value = (100.0, "chi-square p_value")
    assert light({"branch": p_value}) == "watch"
    weights = importance_weights(INPUTS, SHARES)
    assert deciding_strength([(100.0, "chi-square p_value")] * 5, THRESHOLDS, weights) == 2.5
    with pytest.raises(ValueError):
        deciding_strength([(1.0, "x")], THRESHOLDS, weights)


def test_the_minor_importance_line_is_a_setting():
    strict = DriftThresholds(0.1, 0.3, 5.0, minor_importance=0.2)
    weights = importance_weights(INPUTS, SHARES)
    changes = [(0.5, "d"), (0.5, "d"), (7.0, "d"), (0.5, "d"), (0.5, "d")]
    assert deciding_strength(changes, strict, weights) == 2.5  # age (17 %) is minor at 20 %
    assert deciding_strength(changes, THRESHOLDS, weights) == 7.0
