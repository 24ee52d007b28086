from dataclasses import replace

from portal.domain.feedback import (
    DESCRIPTION_MIN,
    LIMITS,
    FeedbackDraft,
    Problem,
    check_draft,
    check_triage,
    reference_number,
)
from portal.domain.validation import reading_length

GOOD = FeedbackDraft(
    "wrong_prediction",
    "high",
    "C-1",
    "churn 0.9",
    "no churn",
    "Customer renewed for two years yesterday.",
    True,
)


def test_a_complete_draft_has_no_problems():
    assert check_draft(GOOD) == ()


def test_required_fields_and_choices():
    draft = replace(GOOD, kind="rant", severity="", description="  ")
    assert check_draft(draft) == (
        Problem("kind", "unknown_choice"),
        Problem("severity", "unknown_choice"),
        Problem("description", "required"),
    )


def test_wrong_prediction_needs_the_expected_outcome():
    assert check_draft(replace(GOOD, expected_output=" ")) == (
        Problem("expected_output", "required"),
    )
    assert check_draft(replace(GOOD, kind="praise", expected_output="")) == ()


def test_length_limits_are_reported_with_the_limit():
    draft = replace(GOOD, description="x" * (LIMITS["description"] + 1), case_reference="c" * 101)
    assert check_draft(draft) == (
        Problem("case_reference", "too_long", 100),
        Problem("description", "too_long", LIMITS["description"]),
    )
    assert check_draft(replace(GOOD, description="too short")) == (
        Problem("description", "too_short", 10),
    )


def test_closing_needs_an_answer():
    assert check_triage("resolved", "") == (Problem("response", "required"),)
    assert check_triage("acknowledged", "") == ()
    assert check_triage("done", "x") == (Problem("status", "unknown_choice"),)


def test_reference_numbers():
    assert reference_number(42) == "FB-000042"


def test_a_complete_report_in_a_script_without_spaces_is_long_enough():
    assert check_draft(replace(GOOD, description="中文反馈：预测错误")) == ()
    assert check_draft(replace(GOOD, description="予測が間違っています")) == ()
    assert check_draft(replace(GOOD, description="예측이 틀렸어요")) == ()
    assert check_draft(replace(GOOD, description="错误")) == (
        Problem("description", "too_short", DESCRIPTION_MIN),
    )


def test_punctuation_alone_says_nothing():
    for empty in ("!!!!!!!!!!!!", "？？？？？？", "-- ... --", "\u3000\u3000"):
        assert check_draft(replace(GOOD, description=empty)) == (
            Problem("description", "required"),
        )


def test_reading_length_counts_wide_characters_twice():
    assert reading_length("too short") == 9
    assert reading_length("中文反馈：预测错误") == 18
    assert reading_length("  padded  ") == 6
