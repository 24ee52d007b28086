"""The use case rules: what a draft must hold, the status moves an owner may make, the pipeline."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from portal.domain.use_cases import (
    KEY_MAX,
    METRICS_MAX,
    MetricDraft,
    UseCase,
    allowed_moves,
    check_move,
    check_use_case,
    expected_money,
    pipeline_of,
)
from portal.domain.validation import Problem
from portal.domain.value import Benchmark
from tests.lifecycle.use_cases_support import RETENTION


def codes(problems) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in problems}


def test_a_complete_draft_has_no_problems():
    assert check_use_case(RETENTION, {"invoice-fraud"}) == ()


def test_the_key_is_a_short_slug_unique_without_regard_to_case():
    assert codes(check_use_case(replace(RETENTION, key=""), set())) == {("key", "required")}
    for bad in ("two words", "ümlaut", "-leading", "double--hyphen", "a/b"):
        assert codes(check_use_case(replace(RETENTION, key=bad), set())) == {
            ("key", "use_case_key")
        }, bad
    assert check_use_case(replace(RETENTION, key="x" * (KEY_MAX + 1)), set()) == (
        Problem("key", "too_long", KEY_MAX),
    )
    assert codes(check_use_case(RETENTION, {"customer-retention"})) == {
        ("key", "use_case_key_taken")
    }
    assert codes(
        check_use_case(replace(RETENTION, key="Customer-Retention"), {"customer-retention"})
    ) == {("key", "use_case_key_taken")}
    assert check_use_case(replace(RETENTION, key="B2B_retention-2"), set()) == ()


def test_title_and_question_are_required_and_people_are_e_mail_addresses():
    draft = replace(
        RETENTION, title="  ", question="?!", business_owner="Sophie", accountable_executive="a@"
    )
    assert codes(check_use_case(draft, set())) == {
        ("title", "required"),
        ("question", "required"),
        ("business_owner", "email"),
        ("accountable_executive", "email"),
    }
    assert (
        check_use_case(replace(RETENTION, business_owner="", accountable_executive=""), set()) == ()
    )


def test_lengths_are_bounded_and_the_budget_is_a_number():
    draft = replace(RETENTION, title="t" * 201, users="u" * 501, budget=math.inf)
    assert codes(check_use_case(draft, set())) == {
        ("title", "too_long"),
        ("users", "too_long"),
        ("budget", "not_a_number"),
    }
    assert codes(check_use_case(replace(RETENTION, budget=-1.0), set())) == {
        ("budget", "not_a_number")
    }


def test_key_metrics_need_a_name_a_valid_kind_and_comparison_and_a_numeric_target():
    metrics = (
        MetricDraft("", "model", "at_least", 0.8),
        MetricDraft("auc", "guess", "about", None),
        MetricDraft("AUC", "model", "at_most", math.nan),
    )
    assert codes(check_use_case(replace(RETENTION, metrics=metrics), set())) == {
        ("metric", "required"),
        ("kind", "unknown_choice"),
        ("comparison", "unknown_choice"),
        ("target", "not_a_number"),
        ("metric", "use_case_metric_twice"),
    }
    many = tuple(MetricDraft(f"m{i}", "model", "at_least", 1.0) for i in range(METRICS_MAX + 1))
    assert check_use_case(replace(RETENTION, metrics=many), set()) == (
        Problem("metrics", "use_case_metrics_many", METRICS_MAX),
    )


def test_status_moves_go_forward_or_to_retired_and_approval_is_the_sign_off():
    assert allowed_moves("proposed") == ("retired",)
    assert allowed_moves("approved") == ("in_development", "retired")
    assert allowed_moves("in_development") == ("in_production", "retired")
    assert allowed_moves("in_production") == ("retired",)
    assert allowed_moves("retired") == ()
    assert check_move("approved", "in_development") == ()
    assert check_move("in_production", "retired") == ()
    assert check_move("proposed", "approved") == (Problem("status", "use_case_approval"),)
    assert check_move("proposed", "in_production") == (Problem("status", "use_case_move"),)
    assert check_move("in_production", "in_development") == (Problem("status", "use_case_move"),)
    assert check_move("retired", "in_production") == (Problem("status", "use_case_move"),)
    assert check_move("approved", "finished") == (Problem("status", "use_case_move"),)


def _case(key: str, status: str) -> UseCase:
    return UseCase(id=len(key), key=key, title=key.title(), question="?", status=status)


def test_the_pipeline_counts_every_status_and_names_approved_ones_without_a_model():
    cases = [
        _case("a", "approved"),
        _case("bb", "approved"),
        _case("ccc", "proposed"),
        _case("dddd", "in_production"),
    ]
    pipeline = pipeline_of(cases, {"bb", "dddd"})
    assert pipeline.counts == (
        ("proposed", 1),
        ("approved", 2),
        ("in_development", 0),
        ("in_production", 1),
        ("retired", 0),
    )
    assert [c.key for c in pipeline.approved_without_model] == ["a"]
    assert pipeline.total == 4


def test_expected_money_is_the_promised_uplift_worth_per_month():
    start = date(2026, 1, 1)
    promises = [
        Benchmark(310, 390, "higher", "sum", start, 45.0),
        Benchmark(4.2, 3.2, "lower", "mean", start, 20_000.0),
        Benchmark(10, 20, "higher", "sum", start, None),
    ]
    assert expected_money(promises) == 80 * 45.0 + 1.0 * 20_000.0
    assert expected_money([Benchmark(10, 20, "higher", "sum", start)]) is None
