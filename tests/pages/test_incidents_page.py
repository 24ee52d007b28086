"""The incidents page in AppTest: reporting (bad input keeps what was typed), the list, one
incident with its trace and history, the owners' update form, German, and the model card."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from portal import clock
from portal.domain.incidents import IncidentDraft, IncidentFilter
from portal.ui import incident_sections
from portal.ui.navigation import INCIDENTS, MODEL_CARD
from tests.pages.test_german_only import english_in, shown_texts
from tests.pages.test_pages import open_page, texts
from tests.support.builders import OWNER, VIEWER
from tests.support.catalog_fixture import T0

CHURN = "customer-churn"


def field(app, kind: str, label: str):
    return next(widget for widget in getattr(app, kind) if widget.label == label)


def fill(app, title: str, description: str, day: date | None = None):
    if day is not None:
        field(app, "date_input", "Started on").set_value(day)
    field(app, "time_input", "at (time, UTC)").set_value(time(9, 30))
    field(app, "text_input", "In one line, what happened").input(title)
    field(app, "text_area", "What happened, in detail").input(description)
    next(b for b in app.button if b.label == "Report the incident").click().run()
    assert not app.exception, app.exception


def seed(title: str = "Loyal customers flagged", started: datetime | None = None) -> str:
    service = incident_sections.incident_service()
    draft = IncidentDraft(
        CHURN,
        started or T0 + timedelta(days=30),
        "wrong_predictions",
        "serious",
        title,
        "Customers of twenty years get a churn score above 0.9.",
        "Agents called loyal customers for nothing.",
        40,
    )
    return service.report(VIEWER, draft, title).reference


def test_bad_input_shows_the_message_and_keeps_what_was_typed(signed_in):
    signed_in(VIEWER)
    app = open_page(INCIDENTS, model=CHURN)
    assert field(app, "selectbox", "Model").value == CHURN  # ?model= preselects it
    fill(app, "Bad", "Scores above 0.9 for loyal customers.")
    assert "In one line, what happened: at least 5 characters, please" in texts(app)
    assert field(app, "text_input", "In one line, what happened").value == "Bad"
    assert field(app, "text_area", "What happened, in detail").value.startswith("Scores above")
    assert incident_sections.incident_service().page(IncidentFilter()).total == 0


def test_a_report_shows_its_trace_from_the_ledger(signed_in):
    signed_in(VIEWER)
    app = open_page(INCIDENTS, model=CHURN)
    # Champion v1 was in production from T0+20d to T0+40d; v2 is the current one.
    fill(
        app,
        "Loyal customers flagged",
        "Scores above 0.9 for loyal customers.",
        T0.date() + timedelta(days=30),
    )
    shown = texts(app)
    assert "The incident is recorded as INC-1" in shown
    assert "version 1 of customer\\-churn was in production" in shown
    assert "It was trained in run" in shown and "r1" in shown
    assert (
        "Training data and data sources: crm\\.contracts, billing\\.invoices, churn\\-train"
        in shown
    )
    assert app.query_params["incident"] == "INC-1"


def test_the_list_opens_first_and_links_each_incident(signed_in):
    signed_in(VIEWER)
    seed("Loyal customers flagged")
    seed("Scores missing on Monday", T0 + timedelta(days=50))
    incident_sections.incident_service().update(OWNER, "INC-1", "mitigated", "Overridden by hand.")
    app = open_page(INCIDENTS)
    links = [link.label for link in app.get("page_link")]
    assert links[:2] == ["INC-2 · Scores missing on Monday", "INC-1 · Loyal customers flagged"]
    assert "Showing 1–2 of 2, open first" in texts(app)


def test_the_detail_shows_trace_history_and_the_owners_form(signed_in):
    reference = seed()
    signed_in(VIEWER)
    app = open_page(INCIDENTS, incident=reference)
    shown = texts(app)
    assert "version 1 of customer\\-churn was in production" in shown
    assert "Reported" in shown
    assert not [b for b in app.button if b.label == "Save"]
    signed_in(OWNER)
    app = open_page(INCIDENTS, incident=reference)
    field(app, "text_area", "Note").input("Scores overridden by hand.")
    next(b for b in app.button if b.label == "Save").click().run()
    assert "INC-1 is updated." in texts(app)
    assert "Scores overridden by hand." in [element.value for element in app.text]


def test_an_unknown_reference_says_so(signed_in):
    signed_in(VIEWER)
    app = open_page(INCIDENTS, incident="INC-404")
    assert "There is no incident INC\\-404." in [e.value for e in app.error]


def test_the_model_card_lists_open_incidents_and_links_to_the_form(signed_in):
    seed()
    signed_in(VIEWER)
    app = open_page(MODEL_CARD, model=CHURN)
    links = {link.label: link for link in app.get("page_link")}
    assert "INC-1 · Loyal customers flagged" in links
    assert "Report an incident" in links


def test_the_page_in_german_shows_no_english(signed_in):
    seed("Kunden fälschlich als abwandernd markiert", clock.utc_now() - timedelta(days=1))
    signed_in(OWNER)
    for query in ({}, {"incident": "INC-1"}, {"model": CHURN}):
        app = open_page(INCIDENTS, "de", **query)
        shown = shown_texts(app)
        assert len(shown) > 5
        assert english_in(shown) == []
    assert "Was damals in Produktion war (Rückverfolgung)" in texts(
        open_page(INCIDENTS, "de", incident="INC-1")
    )
