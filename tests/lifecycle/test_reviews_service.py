"""Recording periodic reviews against a real store: assessments, audit, refusals, resubmits,
status for every production model, the tasks and the attention list."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from portal.domain.reviews import ReviewDraft
from portal.domain.risk import RISKS, AssessmentDraft, Governance
from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.attention import AttentionService
from portal.services.audit import AuditFilter, AuditService
from portal.services.reviews import ReviewService
from portal.services.risk import RiskService
from tests.support.builders import ADMIN, OWNER, VIEWER

CHURN = "customer-churn"  # medium criticality: every 6 months; in production since 14 Feb 2026
NOW = datetime(2026, 3, 2, 9, 0)
NEXT = date(2026, 8, 1)


@pytest.fixture
def reviews(filled_store, settings) -> ReviewService:
    return ReviewService(filled_store, settings)


@pytest.fixture
def assessed(filled_store, settings):
    """customer-churn's four risks assessed by its owner a month before NOW."""
    risk = RiskService(filled_store, settings)
    for number, name in enumerate(RISKS, start=1):
        draft = AssessmentDraft(name, number, 2, f"Plan {number}.", date(2026, 4, 1))
        risk.assess(OWNER, CHURN, draft, now=NOW - timedelta(days=30))
    return risk


def count(store, table: str) -> int:
    return store.fetch_value("count", f"SELECT count(*) FROM {table}")


def test_without_reviews_each_production_model_is_due_a_cadence_after_going_live(reviews):
    statuses = reviews.status_of_all(date(2026, 8, 10))
    assert sorted(statuses) == ["Kündigung Geschäftskunden", CHURN, "house-prices"]
    churn = statuses[CHURN]
    assert (churn.criticality, churn.cadence_months, churn.due, churn.state, churn.days) == (
        "medium",
        6,
        date(2026, 8, 14),
        "due_soon",
        4,
    )
    assert statuses["house-prices"].state == "overdue"
    assert reviews.status_of("bare model", date(2026, 8, 10)) is None  # not in production


def test_a_confirmed_review_re_confirms_every_assessment_in_force(reviews, assessed, filled_store):
    draft = ReviewDraft("confirmed", "  Calls on target.  ", NEXT)
    result = reviews.record(OWNER, CHURN, draft, "key-1", now=NOW)
    assert result.created
    [review] = reviews.history(CHURN)
    assert (review.outcome, review.findings, review.model_version) == (
        "confirmed",
        "Calls on target.",
        2,
    )
    assert (review.reviewed_by, review.reviewed_by_name, review.reviewed_at) == (
        OWNER.email,
        OWNER.name,
        NOW,
    )
    model = assessed.model(CHURN, now=NOW)
    assert {
        r: (a.likelihood, a.impact, a.mitigation, a.next_review)
        for r, a in model.assessments.items()
    } == {name: (number, 2, f"Plan {number}.", NEXT) for number, name in enumerate(RISKS, start=1)}
    assert len(assessed.history(CHURN)) == 8  # the first four and their re-confirmation
    status = reviews.status_of(CHURN, NOW.date())
    assert (status.due, status.state, status.last.id) == (NEXT, "ok", review.id)
    actions = [e.action for e in AuditService(filled_store).entries(ADMIN, AuditFilter())]
    assert actions.count("review.recorded") == 1
    assert actions.count("risk.assessed") == 8


def test_a_changed_review_writes_the_new_ratings_due_on_the_reviews_date(reviews, assessed):
    ratings = tuple(AssessmentDraft(name, 4, 4, "Retrain.", None) for name in RISKS)
    reviews.record(OWNER, CHURN, ReviewDraft("changed", "Drift.", NEXT, ratings), "k", now=NOW)
    model = assessed.model(CHURN, now=NOW)
    assert {
        (a.likelihood, a.impact, a.level, a.next_review) for a in model.assessments.values()
    } == {(4, 4, "high", NEXT)}
    assert {a.assessed_at for a in model.assessments.values()} == {NOW}


def test_a_retire_review_leaves_the_assessments_as_they_are(reviews, assessed):
    before = assessed.history(CHURN)
    reviews.record(OWNER, CHURN, ReviewDraft("retire", "Replaced.", NEXT), "k", now=NOW)
    assert assessed.history(CHURN) == before
    assert reviews.history(CHURN)[0].outcome == "retire"


def test_a_resubmitted_review_is_recorded_once(reviews, assessed, filled_store):
    draft = ReviewDraft("confirmed", "Fine.", NEXT)
    first = reviews.record(OWNER, CHURN, draft, "same-key", now=NOW)
    again = reviews.record(OWNER, CHURN, draft, "same-key", now=NOW)
    assert (again.review_id, again.created) == (first.review_id, False)
    assert count(filled_store, "reviews") == 1
    assert count(filled_store, "risk_assessments") == 8


def test_a_viewer_is_refused_and_nothing_changes(reviews, assessed, filled_store):
    with pytest.raises(NotAllowed):
        reviews.record(VIEWER, CHURN, ReviewDraft("confirmed", "Fine.", NEXT), "k", now=NOW)
    assert not reviews.may_record(VIEWER, CHURN)
    assert reviews.may_record(OWNER, CHURN)
    assert (count(filled_store, "reviews"), count(filled_store, "risk_assessments")) == (0, 4)


def test_bad_input_names_each_field_and_changes_nothing(reviews, assessed, filled_store):
    version = filled_store.data_version()
    half = tuple(AssessmentDraft(name, 9, 2, "", None) for name in RISKS)
    with pytest.raises(InvalidInput) as refused:
        reviews.record(
            OWNER, CHURN, ReviewDraft("changed", "", date(2027, 1, 1), half), "k", now=NOW
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("findings", "required"),
        ("next_review", "review_after_cadence"),
        *((f"{name}_likelihood", "scale") for name in RISKS),
    ]
    with pytest.raises(UnknownModel):
        reviews.record(ADMIN, "no-such-model", ReviewDraft("retire", "x", NEXT), "k", now=NOW)
    assert (count(filled_store, "reviews"), count(filled_store, "risk_assessments")) == (0, 4)
    assert filled_store.data_version() == version


def test_confirming_needs_an_assessment_to_confirm(reviews):
    with pytest.raises(InvalidInput) as refused:
        reviews.record(OWNER, CHURN, ReviewDraft("confirmed", "Fine.", NEXT), "k", now=NOW)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("outcome", "review_nothing_to_confirm")
    ]


def test_tasks_go_to_the_owner_due_soon_then_overdue(reviews, filled_store, settings):
    due_soon = {t.model_name: t for t in reviews.open_tasks(datetime(2026, 8, 5, 8, 0))}
    churn = due_soon[CHURN]
    assert (churn.kind, churn.person, churn.due, churn.serious) == (
        "review_due",
        "anna.schmidt@example.com",
        date(2026, 8, 14),
        False,
    )
    assert (churn.page, churn.params, churn.since) == (
        "model",
        (("model", CHURN),),
        datetime(2026, 7, 31),
    )
    RiskService(filled_store, settings).set_governance(
        ADMIN, CHURN, Governance("", "bob.business@example.com", "", "", ""), now=NOW
    )
    overdue = {t.model_name: t for t in reviews.open_tasks(datetime(2026, 9, 1, 8, 0))}
    assert (overdue[CHURN].kind, overdue[CHURN].person, overdue[CHURN].serious) == (
        "review_overdue",
        "bob.business@example.com",
        True,
    )
    # The same situation keeps its key: a notification is sent once per key and person.
    assert overdue[CHURN].key == "review_overdue:customer-churn:2026-08-14"
    later = {t.model_name: t for t in reviews.open_tasks(datetime(2026, 10, 1, 8, 0))}
    assert later[CHURN].key == overdue[CHURN].key
    assert CHURN not in {t.model_name for t in reviews.open_tasks(NOW)}


def test_an_overdue_periodic_review_is_on_the_attention_list(app_runtime):
    attention = AttentionService(app_runtime)
    # The filled store's production models went live early in 2026; none was reviewed.
    assert attention.lifecycle_facts()[CHURN] == {"review_overdue_since": date(2026, 8, 14)}
    [item] = [
        i
        for i in attention.portfolio().items
        if i.model_name == CHURN and i.kind == "review_overdue"
    ]
    assert (item.since, item.acts) == (datetime(2026, 8, 14), "anna.schmidt@example.com")


def test_status_and_tasks_read_the_store_a_fixed_number_of_times(reviews, monkeypatch):
    names: list[str] = []
    original = reviews.store.fetch_all

    def counting(name, sql, params=None):
        names.append(name)
        return original(name, sql, params)

    monkeypatch.setattr(reviews.store, "fetch_all", counting)
    reviews.status_of_all(NOW.date())
    assert sorted(names) == ["effective_tag_rows", "review_production_models"]
    names.clear()
    reviews.open_tasks(datetime(2026, 9, 1))
    assert len(names) == 4  # statuses (2), governance records, tags: not one per model
