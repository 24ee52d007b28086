"""Sign-off rules: a step's state from its newest record per role, and which versions wait."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.signoffs import (
    SignOff,
    awaiting,
    evidence_for,
    evidence_from_json,
    evidence_json,
    step_state,
)
from portal.domain.use_cases import KeyMetric

AT = datetime(2026, 5, 1, 9, 0)


def record(step: str, role: str, decision: str, minutes: int = 0, version: int | None = 1):
    return SignOff(
        id=minutes,
        step=step,
        use_case_id=None,
        model_name="m",
        model_version=version,
        role=role,
        decision=decision,
        conditions="",
        comment="",
        evidence=(),
        signed_by="x@example.com",
        signed_by_name="X",
        signed_as_admin=False,
        signed_at=AT + timedelta(minutes=minutes),
    )


def test_a_step_is_approved_only_when_every_required_role_approves():
    one = step_state("design", [record("design", "business_owner", "approved")])
    assert (one.status, one.missing) == ("pending", ("accountable_executive",))
    both = step_state(
        "design",
        [
            record("design", "business_owner", "approved"),
            record("design", "accountable_executive", "approved", 1),
        ],
    )
    assert (both.status, both.missing) == ("approved", ())
    assert step_state("go_live", [record("go_live", "accountable_executive", "approved")]).decided


def test_the_newest_record_per_role_counts_and_a_rejection_rejects():
    withdrawn = step_state(
        "go_live",
        [
            record("go_live", "accountable_executive", "approved", 0),
            record("go_live", "accountable_executive", "withdrawn", 5),
        ],
    )
    assert (withdrawn.status, withdrawn.missing) == ("pending", ("accountable_executive",))
    rejected = step_state(
        "evaluation",
        [
            record("evaluation", "business_owner", "approved", 0),
            record("evaluation", "technical_owner", "rejected", 1),
        ],
    )
    assert rejected.status == "rejected"
    assert [r.decision for r in rejected.in_force] == ["approved", "rejected"]
    # A role the step does not ask for changes nothing.
    other = step_state("go_live", [record("go_live", "business_owner", "approved")])
    assert other.status == "pending"


def test_the_newest_undecided_version_awaits_evaluation_and_accepted_ones_go_live():
    approved = step_state(
        "evaluation",
        [
            record("evaluation", "business_owner", "approved"),
            record("evaluation", "technical_owner", "approved", 1),
        ],
    )
    live = step_state("go_live", [record("go_live", "accountable_executive", "approved")])
    result = awaiting([1, 2, 3], 1, {2: approved}, {1: live})
    assert result.evaluation == 3
    assert result.go_live == (2,)
    # The newest version decided: nothing waits for evaluation; production waits for go-live.
    result = awaiting([1, 2], 2, {2: approved}, {})
    assert (result.evaluation, result.go_live) == (None, (2,))
    # Versions older than production that were accepted were passed over.
    assert awaiting([1, 2, 3], 3, {1: approved, 3: approved}, {}).go_live == (3,)
    assert awaiting([], None, {}, {}) == awaiting([], None, {}, {})
    assert awaiting([], None, {}, {}).evaluation is None


def test_evidence_sets_each_model_target_next_to_the_run_metric_met_or_not():
    targets = (
        KeyMetric("roc_auc", "model", "at_least", 0.85),
        KeyMetric("rmse", "model", "at_most", 10.0),
        KeyMetric("log_loss", "model", "at_most", 0.3),
        KeyMetric("retention_rate", "business", "at_least", 4.0, "%"),
    )
    lines = evidence_for(targets, {"test_roc_auc": 0.9, "RMSE": 12.0})
    assert [(e.metric, e.value, e.met) for e in lines] == [
        ("roc_auc", 0.9, True),
        ("rmse", 12.0, False),
        ("log_loss", None, None),
    ]
    assert evidence_from_json(evidence_json(lines)) == lines
    assert evidence_from_json("") == ()
