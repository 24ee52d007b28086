"""Periodic review rules: cadence by criticality, due dates, status, what a review must hold."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.config import load_settings
from portal.domain.reviews import (
    Cadence,
    Review,
    ReviewDraft,
    add_months,
    check_review,
    parse_cadence,
    review_status,
)
from portal.domain.risk import RISKS, AssessmentDraft
from portal.errors import SettingsError

CADENCE = Cadence((("high", 3), ("medium", 6), ("low", 12)), 6)
TODAY = date(2026, 12, 2)
LIVE = datetime(2026, 6, 10, 15, 0)


def review(next_review: date) -> Review:
    return Review(1, "m", 2, "confirmed", "Fine.", next_review, "a@x.com", "A", LIVE)


def test_cadence_follows_criticality_and_an_undocumented_one_gets_the_default():
    assert CADENCE.months_for("high") == 3
    assert CADENCE.months_for(" Low ") == 12
    assert CADENCE.months_for("") == 6
    assert CADENCE.months_for("critical") == 6  # a word the portal does not know


def test_months_are_added_as_calendar_months():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 6, 10), 12) == date(2027, 6, 10)


@pytest.mark.parametrize(
    ("criticality", "due", "state", "days"),
    [
        ("high", date(2026, 9, 10), "overdue", 83),
        ("medium", date(2026, 12, 10), "due_soon", 8),
        ("low", date(2027, 6, 10), "ok", 190),
        ("", date(2026, 12, 10), "due_soon", 8),
    ],
)
def test_without_a_review_the_first_is_due_a_cadence_after_production(
    criticality, due, state, days
):
    status = review_status("m", criticality, CADENCE, LIVE, None, TODAY, 14)
    assert (status.due, status.state, status.days) == (due, state, days)
    assert status.criticality == criticality
    assert status.last is None


def test_the_newest_reviews_next_date_is_the_due_date():
    status = review_status("m", "high", CADENCE, LIVE, review(date(2026, 12, 1)), TODAY, 14)
    assert (status.due, status.state, status.days, status.overdue) == (
        date(2026, 12, 1),
        "overdue",
        1,
        True,
    )
    on_the_day = review_status("m", "high", CADENCE, LIVE, review(TODAY), TODAY, 0)
    assert (on_the_day.state, on_the_day.days) == ("due_soon", 0)


def test_cadence_text_is_parsed_and_bad_text_is_refused_with_the_reason():
    assert parse_cadence("low=12, HIGH=2,medium=4") == (("high", 2), ("medium", 4), ("low", 12))
    for text, reason in [
        ("high=3,medium=6", "low are missing"),
        ("high=3,medium=6,low=0", "must be from 1 to 60"),
        ("high=three,medium=6,low=12", "not a whole number"),
        ("high=3,medium=6,low=12,critical=1", "criticality=months"),
        ("high=3,high=4,medium=6,low=12", "given twice"),
        ("high3,medium=6,low=12", "criticality=months"),
    ]:
        with pytest.raises(ValueError, match=reason):
            parse_cadence(text)


def test_settings_read_the_cadence_and_name_a_bad_value(tmp_path):
    absent = tmp_path / "none.toml"
    settings = load_settings(env={}, toml_path=absent)
    assert settings.review_cadence_months == (("high", 3), ("medium", 6), ("low", 12))
    assert (settings.review_cadence_undocumented_months, settings.review_notice_days) == (6, 14)
    custom = load_settings(
        env={
            "PORTAL_REVIEW_CADENCE_MONTHS": "high=1,medium=2,low=3",
            "PORTAL_REVIEW_CADENCE_UNDOCUMENTED_MONTHS": "1",
            "PORTAL_REVIEW_NOTICE_DAYS": "0",
        },
        toml_path=absent,
    )
    assert custom.review_cadence_months == (("high", 1), ("medium", 2), ("low", 3))
    for env, message in [
        ({"PORTAL_REVIEW_CADENCE_MONTHS": "high=3"}, "PORTAL_REVIEW_CADENCE_MONTHS='high=3'"),
        ({"PORTAL_REVIEW_CADENCE_UNDOCUMENTED_MONTHS": "61"}, "from 1 to 60"),
        ({"PORTAL_REVIEW_NOTICE_DAYS": "-1"}, "PORTAL_REVIEW_NOTICE_DAYS"),
    ]:
        with pytest.raises(SettingsError, match=message):
            load_settings(env=env, toml_path=absent)


def ratings(**changes) -> tuple[AssessmentDraft, ...]:
    return tuple(changes.get(risk, AssessmentDraft(risk, 2, 3, "", None)) for risk in RISKS)


def codes(draft: ReviewDraft, confirmable: bool = True) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in check_review(draft, TODAY, 3, confirmable)]


def test_a_complete_review_passes_and_the_next_date_may_be_earlier_never_later():
    assert codes(ReviewDraft("confirmed", "Stable.", date(2027, 3, 2))) == []
    assert codes(ReviewDraft("retire", "Replaced.", date(2026, 12, 3))) == []
    assert codes(ReviewDraft("confirmed", "Stable.", date(2027, 3, 3))) == [
        ("next_review", "review_after_cadence")
    ]
    assert codes(ReviewDraft("confirmed", "Stable.", TODAY)) == [("next_review", "date_past")]


def test_each_missing_or_wrong_field_is_named():
    assert codes(ReviewDraft(None, "  ", None)) == [
        ("outcome", "unknown_choice"),
        ("findings", "required"),
        ("next_review", "date_required"),
    ]
    assert codes(ReviewDraft("confirmed", "x" * 4001, date(2027, 1, 1)), confirmable=False) == [
        ("outcome", "review_nothing_to_confirm"),
        ("findings", "too_long_text"),
    ]


def test_a_changed_review_rates_all_four_risks_each_checked():
    later = date(2027, 1, 2)
    assert codes(ReviewDraft("changed", "Worse.", later, ratings()), confirmable=False) == []
    assert codes(ReviewDraft("changed", "Worse.", later, ratings()[:3])) == [
        ("assessments", "review_all_risks")
    ]
    bad = ratings(decay=AssessmentDraft("decay", None, 6, "", None))
    assert codes(ReviewDraft("changed", "Worse.", later, bad)) == [
        ("decay_likelihood", "scale"),
        ("decay_impact", "scale"),
    ]
