"""Risk arithmetic, assessment checks and the signal rules, with hand-computed cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from portal.domain.risk import (
    MITIGATION_MAX,
    AssessmentDraft,
    KnowledgeFacts,
    Reason,
    Signal,
    check_assessment,
    decay_signal,
    knowledge_loss_points,
    knowledge_loss_signal,
    outage_signal,
    review_overdue,
    risk_level,
    risk_score,
    wrong_predictions_signal,
)

NOW = datetime(2026, 3, 2, 6, 0)
TODAY = NOW.date()


# --- score, level, review -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [
        (1, 1, 1, "low"),
        (2, 2, 4, "low"),
        (1, 4, 4, "low"),
        (1, 5, 5, "medium"),
        (3, 3, 9, "medium"),
        (2, 5, 10, "high"),
        (5, 5, 25, "high"),
    ],
)
def test_score_is_likelihood_times_impact_in_three_bands(likelihood, impact, score, level):
    assert risk_score(likelihood, impact) == score
    assert risk_level(score) == level


def test_review_is_overdue_only_after_its_date():
    assert review_overdue(date(2026, 3, 1), TODAY)
    assert not review_overdue(TODAY, TODAY)
    assert not review_overdue(date(2026, 3, 3), TODAY)
    assert not review_overdue(None, TODAY)


# --- assessment checks --------------------------------------------------------------------------

GOOD = AssessmentDraft("outage", 2, 4, "Fallback to rules.", date(2026, 6, 1))


def codes(draft: AssessmentDraft) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in check_assessment(draft, TODAY)]


def test_a_complete_assessment_has_no_problems():
    assert codes(GOOD) == []
    assert codes(replace(GOOD, likelihood=1, impact=5, mitigation="")) == []
    assert codes(replace(GOOD, mitigation="x" * MITIGATION_MAX)) == []
    assert codes(replace(GOOD, next_review=TODAY + timedelta(days=1))) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"risk": "fire"}, [("risk", "unknown_risk")]),
        ({"likelihood": 0}, [("likelihood", "scale")]),
        ({"likelihood": 6}, [("likelihood", "scale")]),
        ({"impact": None}, [("impact", "scale")]),
        ({"mitigation": "x" * (MITIGATION_MAX + 1)}, [("mitigation", "too_long_text")]),
        ({"next_review": None}, [("next_review", "date_required")]),
        ({"next_review": TODAY}, [("next_review", "date_past")]),
        ({"next_review": date(2025, 12, 31)}, [("next_review", "date_past")]),
    ],
)
def test_each_wrong_field_is_named(changes, expected):
    assert codes(replace(GOOD, **changes)) == expected


def test_every_problem_of_a_bad_form_is_reported_at_once():
    bad = AssessmentDraft("fire", None, 9, "", None)
    assert codes(bad) == [
        ("risk", "unknown_risk"),
        ("likelihood", "scale"),
        ("impact", "scale"),
        ("next_review", "date_required"),
    ]


# --- decay --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("light", "level"), [("stable", "low"), ("watch", "medium"), ("drifting", "high")]
)
def test_decay_follows_the_drift_light(light, level):
    assert decay_signal(light, False) == Signal("decay", level, (Reason(f"decay.drift_{light}"),))
    assert decay_signal(light, None).level == level


@pytest.mark.parametrize("light", ["stable", "watch", "drifting"])
def test_quality_below_training_makes_decay_high_whatever_the_light(light):
    signal = decay_signal(light, True)
    assert signal.level == "high"
    assert [r.code for r in signal.reasons] == [f"decay.drift_{light}", "decay.quality_worse"]


@pytest.mark.parametrize("light", [None, "not_monitored", "no_data", "failed"])
def test_decay_is_unknown_without_a_drift_result(light):
    signal = decay_signal(light, True)
    assert signal == Signal("decay", "unknown", (Reason("decay.no_drift", (("light", light),)),))


# --- wrong predictions --------------------------------------------------------------------------


def test_no_reports_is_low():
    signal = wrong_predictions_signal(0, 0)
    assert signal == Signal("wrong_predictions", "low", (Reason("wrong.none", (("days", 90),)),))


@pytest.mark.parametrize("reports", [1, 2])
def test_one_or_two_mild_reports_are_medium(reports):
    signal = wrong_predictions_signal(reports, 0)
    assert signal.level == "medium"
    assert signal.reasons == (Reason("wrong.reports", (("count", reports), ("days", 90))),)


@pytest.mark.parametrize("reports", [3, 4, 10])
def test_three_or_more_reports_are_high(reports):
    assert wrong_predictions_signal(reports, 0).level == "high"


def test_a_single_severe_report_is_high_and_named():
    signal = wrong_predictions_signal(1, 1)
    assert signal.level == "high"
    assert signal.reasons[1] == Reason("wrong.severe", (("count", 1),))
    assert signal.reasons[1].params == {"count": 1}


# --- outage -------------------------------------------------------------------------------------


def test_fresh_logs_are_low():
    logged = NOW - timedelta(hours=47)
    assert outage_signal(logged, True, False, NOW) == Signal(
        "outage", "low", (Reason("outage.logs_fresh", (("since", logged),)),)
    )


def test_logs_older_than_two_days_are_high():
    logged = NOW - timedelta(days=2, minutes=1)
    assert outage_signal(logged, True, False, NOW) == Signal(
        "outage", "high", (Reason("outage.stale_logs", (("since", logged),)),)
    )


def test_exactly_two_days_is_still_fresh():
    assert outage_signal(NOW - timedelta(days=2), True, False, NOW).level == "low"


def test_no_logs_at_all_is_medium():
    assert outage_signal(None, False, False, NOW) == Signal(
        "outage", "medium", (Reason("outage.no_logs"),)
    )


def test_logs_without_a_known_last_entry_are_unknown_not_high():
    assert outage_signal(None, True, False, NOW) == Signal(
        "outage", "unknown", (Reason("outage.stale_logs", (("since", None),)),)
    )


@pytest.mark.parametrize(
    ("logged", "has_logs", "level"),
    [
        (NOW - timedelta(hours=1), True, "medium"),  # fresh logs, but the sync failed
        (None, False, "medium"),
        (None, True, "medium"),
        (NOW - timedelta(days=5), True, "high"),  # already high stays high
    ],
)
def test_a_failed_sync_raises_outage_to_at_least_medium(logged, has_logs, level):
    signal = outage_signal(logged, has_logs, True, NOW)
    assert signal.level == level
    assert signal.reasons[-1] == Reason("outage.sync_failed")


# --- knowledge loss -----------------------------------------------------------------------------

WELL_KEPT = KnowledgeFacts(
    contributors_last_year=3,
    technical_owner_named=True,
    documentation_score=1.0,
    last_retrained_at=NOW - timedelta(days=30),
)


def points(**changes) -> tuple[int, list[str]]:
    total, reasons = knowledge_loss_points(replace(WELL_KEPT, **changes), NOW)
    return total, [r.code for r in reasons]


def test_a_well_kept_model_scores_nothing():
    assert knowledge_loss_points(WELL_KEPT, NOW) == (0, ())
    assert knowledge_loss_signal(WELL_KEPT, NOW) == Signal(
        "knowledge_loss", "low", (Reason("knowledge.well_kept"),)
    )


@pytest.mark.parametrize(("people", "expected"), [(0, 3), (1, 2), (2, 1), (3, 0), (7, 0)])
def test_contributor_points(people, expected):
    total, reasons = knowledge_loss_points(replace(WELL_KEPT, contributors_last_year=people), NOW)
    assert total == expected
    if expected:
        assert reasons == (Reason("knowledge.contributors", (("count", people),)),)


def test_no_technical_owner_is_two_points():
    assert points(technical_owner_named=False) == (2, ["knowledge.no_owner"])


@pytest.mark.parametrize(
    ("share", "expected"), [(1.0, 0), (0.8, 0), (0.7, 1), (0.5, 1), (0.4, 2), (0.0, 2)]
)
def test_documentation_points(share, expected):
    assert points(documentation_score=share)[0] == expected


@pytest.mark.parametrize(
    ("days", "expected"), [(30, 0), (182, 0), (183, 1), (365, 1), (366, 2), (None, 2)]
)
def test_retraining_age_points(days, expected):
    retrained = None if days is None else NOW - timedelta(days=days)
    total, reasons = knowledge_loss_points(replace(WELL_KEPT, last_retrained_at=retrained), NOW)
    assert total == expected
    if expected:
        assert reasons == (Reason("knowledge.retrained_long_ago", (("days", days),)),)


def test_points_add_up_to_nine_at_most():
    worst = KnowledgeFacts(0, False, 0.0, None)
    total, reasons = knowledge_loss_points(worst, NOW)
    assert total == 9
    assert [r.code for r in reasons] == [
        "knowledge.contributors",
        "knowledge.no_owner",
        "knowledge.documentation",
        "knowledge.retrained_long_ago",
    ]
    assert knowledge_loss_signal(worst, NOW).level == "high"


@pytest.mark.parametrize(
    ("facts", "total", "level"),
    [
        # two contributors (1) -> 1: low
        (replace(WELL_KEPT, contributors_last_year=2), 1, "low"),
        # one contributor (2) -> 2: medium, one person alone
        (replace(WELL_KEPT, contributors_last_year=1), 2, "medium"),
        # one contributor (2) + documentation 70 % (1) -> 3: medium
        (replace(WELL_KEPT, contributors_last_year=1, documentation_score=0.7), 3, "medium"),
        # one contributor (2) + retrained 480 days ago (2) -> 4: high
        (
            replace(
                WELL_KEPT, contributors_last_year=1, last_retrained_at=NOW - timedelta(days=480)
            ),
            4,
            "high",
        ),
        # two contributors (1) + no owner (2) + retrained 200 days ago (1) + doc 60 % (1) -> 5
        (
            KnowledgeFacts(2, False, 0.6, NOW - timedelta(days=200)),
            5,
            "high",
        ),
    ],
)
def test_knowledge_loss_level_bands(facts, total, level):
    assert knowledge_loss_points(facts, NOW)[0] == total
    assert knowledge_loss_signal(facts, NOW).level == level


def test_outage_is_unknown_before_any_check_of_the_logs():
    signal = outage_signal(None, False, True, NOW, checked=False)
    assert (signal.level, [r.code for r in signal.reasons]) == ("unknown", ["outage.not_checked"])
