"""The periodic review section on the model card and the risk page, and the overdue list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal import clock
from portal.domain.reviews import add_months
from portal.ui import review_sections
from portal.ui.navigation import MODEL_CARD, RISK
from tests.pages.test_pages import open_page, texts
from tests.support.builders import OWNER, VIEWER

CHURN = "customer-churn"  # medium criticality, in production since 14 Feb 2026, never reviewed
FORM = f"reviews.form.{CHURN}"
OVERDUE = "Review overdue since 14 Aug 2026"


def plain(app) -> str:
    return texts(app).replace("\\", "")


def values(elements) -> list[str]:
    """Element texts without Markdown escapes."""
    return [e.value.replace("\\", "") for e in elements]


def save(app):
    label = {"en": "Save review", "de": "Überprüfung speichern"}
    return next(b for b in app.button if b.label in label.values())


def test_the_card_says_when_the_review_is_due_and_why(app_runtime):
    app = open_page(MODEL_CARD, model=CHURN)
    [sentence] = [v for v in values(app.warning) if OVERDUE in v]
    assert sentence.endswith("(every 6 months for a medium-criticality model).")
    assert "No review yet: the first one is due 6 months after the model went into production." in (
        plain(app)
    )


def test_an_owner_records_a_review_and_the_status_moves_on(signed_in, app_runtime):
    signed_in(OWNER)
    app = open_page(RISK, model=CHURN)
    proposed = add_months(clock.today(), 6)
    assert app.date_input(key=f"{FORM}.next_review").value == proposed
    app.radio(key=f"{FORM}.outcome").set_value("retire").run()
    app.text_area(key=f"{FORM}.findings").input("Replaced by the new churn model in spring.")
    save(app).click().run()
    assert not app.exception
    page = plain(app)
    assert "Review saved." in page
    assert OVERDUE not in page
    [status] = [v for v in values(app.info) if v.startswith("Next review due")]
    assert "(every 6 months for a medium-criticality model)" in status
    assert f"by {OWNER.name}: the model should be retired." in page
    [review] = review_sections.review_service().history(CHURN)
    assert (review.outcome, review.next_review, review.reviewed_by) == (
        "retire",
        proposed,
        OWNER.email,
    )


def test_a_refused_review_says_why_keeps_the_input_and_saves_nothing(app_runtime):
    app = open_page(RISK, model=CHURN)
    assert app.radio(key=f"{FORM}.outcome").value == "changed"  # nothing assessed to confirm
    app.text_area(key=f"{FORM}.findings").input("Quality dropped in the new region.")
    app.date_input(key=f"{FORM}.next_review").set_value(clock.today() + timedelta(days=400))
    save(app).click().run()
    errors = values(app.error)
    assert (
        "Next review: at most 6 months from today (the model's review cadence); an earlier date"
        " is fine."
    ) in errors
    assert "Outage: likelihood: please choose a value from 1 to 5." in errors
    assert app.text_area(key=f"{FORM}.findings").value == "Quality dropped in the new region."
    assert review_sections.review_service().history(CHURN) == ()


def test_a_viewer_sees_the_status_without_the_form(signed_in, app_runtime):
    signed_in(VIEWER)
    app = open_page(RISK, model=CHURN)
    assert "Only the model's owners and administrators can record a review." in plain(app)
    assert not [b for b in app.button if b.label == "Save review"]


def test_the_risk_portfolio_lists_overdue_periodic_reviews(app_runtime):
    app = open_page(RISK)
    lines = [v for v in values(app.warning) if "periodic review" in v]
    assert any(
        line.startswith(f"{CHURN}: periodic review overdue since 14 Aug 2026") for line in lines
    )
    assert "Overdue periodic reviews" in plain(app)


@pytest.mark.parametrize("page", [MODEL_CARD, RISK])
def test_the_section_in_german(app_runtime, monkeypatch, page):
    monkeypatch.setattr("portal.ui.session.language", lambda: "de")
    monkeypatch.setattr("portal.ui.review_sections.language", lambda: "de")
    app = open_page(page, language="de", model=CHURN)
    assert "Regelmäßige Überprüfung" in [s.value for s in app.subheader]
    [sentence] = [v for v in values(app.warning) if "Überprüfung überfällig seit 14.08.2026" in v]
    assert sentence.endswith("(alle 6 Monate bei mittlerer Kritikalität).")
    assert app.radio(key=f"{FORM}.outcome").options == [
        "Bestätigt: Die Risikobewertung bleibt bestehen",
        "Geändert: Ich bewerte die vier Risiken neu",
        "Außer Betrieb nehmen: Das Modell sollte aus der Produktion genommen werden",
    ]
