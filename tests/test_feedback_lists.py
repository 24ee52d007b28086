"""Feedback lists at scale: filters and paging in the store, against a real DuckDB store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain.feedback import OPEN_STATUSES, FeedbackFilter, check_filter
from portal.errors import InvalidInput
from portal.services.feedback import FeedbackService
from portal.services.identity import Identity
from tests.support.builders import ADMIN, OWNER, VIEWER
from tests.support.lists_scale import NOW, SUBMITTERS, add_feedback

MODELS = ["customer-churn", "bare model", "house-prices", "Kündigung Geschäftskunden"]
EXPERT0 = Identity("Expert 0", SUBMITTERS[0], frozenset({"viewer", "expert"}))


@pytest.fixture
def service(settings, filled_store):
    add_feedback(filled_store, MODELS, 734)
    return FeedbackService(filled_store, settings)


def test_unknown_filter_choices_are_named():
    assert check_filter(FeedbackFilter(statuses=("gone",), kinds=("praise",))) != ()
    assert check_filter(FeedbackFilter(statuses=("new",), severities=("low",))) == ()


def test_all_feedback_in_pages_of_twenty(service):
    whole = service.matching(VIEWER, "all", FeedbackFilter())
    assert len(whole) == 734
    assert [item.submitted_at for item in whole] == sorted(
        (item.submitted_at for item in whole), reverse=True
    )
    second = service.page(VIEWER, "all", FeedbackFilter(), page=2)
    assert (second.total, second.pages, second.page, second.first, second.last) == (
        734,
        37,
        2,
        21,
        40,
    )
    assert [item.id for item in second.items] == [item.id for item in whole[20:40]]
    last = service.page(VIEWER, "all", FeedbackFilter(), page=500)
    assert (last.page, last.first, last.last) == (37, 721, 734)


def test_filters_combine_in_the_store(service):
    since = NOW - timedelta(days=90)
    chosen = FeedbackFilter(
        models=("customer-churn", "house-prices"),
        statuses=("new", "resolved"),
        kinds=("wrong_prediction", "data_quality", "praise"),
        severities=("high", "critical"),
        since=since,
    )
    everything = service.matching(VIEWER, "all", FeedbackFilter())
    expected = [
        item
        for item in everything
        if item.model_name in chosen.models
        and item.status in chosen.statuses
        and item.kind in chosen.kinds
        and item.severity in chosen.severities
        and item.submitted_at >= since
    ]
    assert 0 < len(expected) < 40
    page = service.page(VIEWER, "all", chosen, page=1, page_size=5)
    assert page.total == len(expected)
    assert [item.id for item in page.items] == [item.id for item in expected[:5]]
    assert [i.id for i in service.matching(VIEWER, "all", chosen)] == [i.id for i in expected]


def test_person_filter_keeps_anonymous_submitters_anonymous(service):
    named = service.page(VIEWER, "all", FeedbackFilter(person=SUBMITTERS[0]), page_size=1000)
    everything = service.matching(VIEWER, "all", FeedbackFilter())
    by_them = [i for i in everything if i.submitted_by == SUBMITTERS[0]]
    assert any(not item.show_name for item in by_them)
    assert named.total == sum(1 for item in by_them if item.show_name)
    assert 0 < named.total < len(by_them)
    answered = service.page(VIEWER, "all", FeedbackFilter(person="owner0@example.com"))
    assert answered.total == sum(1 for item in everything if item.status != "new")
    choices = service.filter_choices()
    assert "owner0@example.com" in choices.people and SUBMITTERS[0] in choices.people
    assert choices.models == tuple(sorted(MODELS))


def test_mine_and_queue(service):
    mine = service.matching(EXPERT0, "mine", FeedbackFilter())
    assert mine and {item.submitted_by for item in mine} == {SUBMITTERS[0]}
    queue = service.matching(OWNER, "queue", FeedbackFilter())
    assert queue and {item.model_name for item in queue} == {"customer-churn"}
    assert all(item.status in OPEN_STATUSES for item in queue)
    assert [item.submitted_at for item in queue] == sorted(item.submitted_at for item in queue)
    assert service.page(OWNER, "queue", FeedbackFilter(statuses=("resolved",))).total == 0
    assert service.page(OWNER, "queue", FeedbackFilter(models=("house-prices",))).total == 0
    assert service.page(VIEWER, "queue", FeedbackFilter()).total == 0
    every_open = service.page(ADMIN, "queue", FeedbackFilter(statuses=("new",)))
    assert every_open.total == sum(
        1 for item in service.matching(VIEWER, "all", FeedbackFilter()) if item.status == "new"
    )


def test_unknown_choices_are_refused(service):
    with pytest.raises(InvalidInput):
        service.page(VIEWER, "all", FeedbackFilter(statuses=("deleted",)))
    with pytest.raises(InvalidInput):
        service.page(VIEWER, "everyone", FeedbackFilter())
