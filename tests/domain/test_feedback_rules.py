from dataclasses import replace

from portal.domain.feedback import (
    LIMITS,
    FeedbackDraft,
    Problem,
    check_draft,
    check_triage,
    reference_number,
)

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
