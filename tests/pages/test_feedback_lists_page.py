"""The feedback page with 734 items: compact items, filters and pages, in English and German."""

from __future__ import annotations

import re

import pytest

from portal.domain.feedback import FeedbackFilter
from portal.runtime import current_runtime
from portal.ui import data
from portal.ui.navigation import FEEDBACK, MODEL_CARD
from tests.pages.test_pages import open_page, texts
from tests.support.builders import ADMIN, EXPERT, VIEWER
from tests.support.lists_scale import add_feedback

REFERENCE = re.compile(r":\w+-badge\[[^\]]*\] (FB\\?-\d{6}) · ")
MODELS = ["customer-churn", "bare model", "house-prices", "Kündigung Geschäftskunden"]


@pytest.fixture
def many(app_runtime):
    add_feedback(current_runtime().store, MODELS, 734)
    return data.feedback_service()


def references(app) -> list[str]:
    """The reference of every item on the page, from its line."""
    found = (REFERENCE.match(str(m.value)) for m in app.markdown)
    return [match.group(1).replace("\\", "") for match in found if match]


def test_all_feedback_twenty_to_a_page(signed_in, many):
    signed_in(VIEWER)
    app = open_page(FEEDBACK)
    app.segmented_control(key="feedback.view").set_value("all").run()
    assert "Showing 1–20 of 734" in texts(app)
    assert len(references(app)) == 20
    assert [e.label for e in app.expander].count("Details and answer") == 20
    [pager] = [box for box in app.selectbox if box.label == "Page"]
    assert pager.options[-1] == "page 37 of 37"
    pager.set_value(2).run()
    assert "Showing 21–40 of 734" in texts(app)
    expected = many.page(VIEWER, "all", FeedbackFilter(), page=2).items
    assert references(app) == [item.reference for item in expected]
    # One line per item; the report itself is in the details.
    assert all(len(line) < 400 for line in texts(app).splitlines())


def test_filters_narrow_the_list_and_the_page_starts_again(signed_in, many):
    signed_in(VIEWER)
    app = open_page(FEEDBACK)
    app.segmented_control(key="feedback.view").set_value("all").run()
    next(box for box in app.selectbox if box.label == "Page").set_value(3).run()
    app.multiselect(key="feedback.filter.kinds").set_value(["praise", "suggestion"]).run()
    app.multiselect(key="feedback.filter.severities").set_value(["low", "critical"]).run()
    app.multiselect(key="feedback.filter.models").set_value(["customer-churn"]).run()
    chosen = FeedbackFilter(
        models=("customer-churn",), kinds=("praise", "suggestion"), severities=("low", "critical")
    )
    first = many.page(VIEWER, "all", chosen)
    assert 20 < first.total < 734
    assert f"Showing 1–20 of {first.total}" in texts(app)
    assert references(app) == [item.reference for item in first.items]
    app.multiselect(key="feedback.filter.statuses").set_value(["wont_fix"]).run()
    app.selectbox(key="feedback.filter.period").set_value(7).run()
    if not many.page(VIEWER, "all", chosen).total:
        assert "No feedback matches these filters." in texts(app)


def test_admin_lands_on_what_to_answer_with_its_count(signed_in, many):
    signed_in(ADMIN)
    app = open_page(FEEDBACK)
    queue = many.page(ADMIN, "queue", FeedbackFilter())
    assert f"To answer ({queue.total})" in app.segmented_control(key="feedback.view").options
    assert f"Showing 1–20 of {queue.total}" in texts(app)
    assert references(app) == [item.reference for item in queue.items]
    assert [button.label for button in app.button].count("Save answer") == 20


def test_the_model_card_pages_its_feedback(signed_in, many):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model="house-prices")
    total = many.page(EXPERT, "all", FeedbackFilter(models=("house-prices",))).total
    assert f"Showing 1–20 of {total}" in texts(app)
    assert len(references(app)) == 20


def test_german_list(signed_in, many):
    signed_in(VIEWER)
    app = open_page(FEEDBACK, language="de")
    app.segmented_control(key="feedback.view").set_value("all").run()
    shown = texts(app)
    assert "1–20 von 734" in shown
    assert "Showing" not in shown
    assert "Seite 1 von 37" in next(b for b in app.selectbox if b.label == "Seite").options
    assert "Einzelheiten und Antwort" in [e.label for e in app.expander]
    assert {m.placeholder for m in app.multiselect} >= {"Alle Modelle", "Jede Art"}


def test_a_link_with_a_model_opens_the_list_filtered_to_it(signed_in, many):
    signed_in(VIEWER)
    app = open_page(FEEDBACK, model="house-prices")
    assert app.multiselect(key="feedback.filter.models").value == ["house-prices"]
    app.segmented_control(key="feedback.view").set_value("all").run()
    total = many.page(VIEWER, "all", FeedbackFilter(models=("house-prices",))).total
    assert f"Showing 1–20 of {total}" in texts(app)
    assert {line.split(" · ")[1] for line in texts(app).splitlines() if "-badge[" in line} == {
        "house\\-prices"
    }
