"""Feedback and audit pages in AppTest, for each kind of person, with hostile input."""

from __future__ import annotations

from datetime import date

import pytest

from portal.text.format import without_bidi_controls
from portal.ui import data
from portal.ui.navigation import AUDIT, FEEDBACK, MODEL_CARD
from tests.pages.test_pages import open_page, texts
from tests.support.builders import EXPERT, OWNER, VIEWER

INJECTION_CORPUS = [
    "<b>bold</b> and <img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "[click me](javascript:alert(1)) and **not bold** :red[not red] $x^2$",
    "'; DROP TABLE feedback; -- and \" OR 1=1 --",
    "x" * 3990 + " long",
    "control\x07chars\x1b[31m and tab\tand\r\nnewline",
    "right-to-left \u202egnp.exe and \u200f marks",
    "emoji 🧪🔥👩🏽‍🔬 and umlauts äöüß €",
]


def field(app, kind: str, label: str):
    return next(widget for widget in getattr(app, kind) if widget.label == label)


def send(app, description: str, case_reference: str = "C-1", expected: str = "renewed"):
    field(app, "text_input", "Case reference (e.g. customer or application number)").input(
        case_reference
    )
    field(app, "text_area", "What you expected").input(expected)
    field(app, "text_area", "Describe what happened").input(description)
    next(button for button in app.button if button.label == "Send feedback").click().run()
    assert not app.exception, app.exception


def test_expert_sends_feedback_gets_a_reference_and_no_duplicate(signed_in):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model="customer-churn")
    send(app, "Customer renewed for two years last week.")
    assert "Your feedback is stored as FB-000001" in texts(app)
    send(app, "Customer renewed for two years last week.")
    assert "already stored as FB-000001" in texts(app)
    assert len(data.feedback_service().for_model("customer-churn")) == 1


def test_bad_input_gets_a_message_per_field_and_stores_nothing(signed_in):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model="customer-churn")
    send(app, "", expected="")
    errors = [element.value for element in app.error]
    assert "What you expected: please fill this in." in errors
    assert "Description: please fill this in." in errors
    assert data.feedback_service().everything() == []


def test_viewer_sees_the_feed_but_no_form(signed_in):
    signed_in(EXPERT)
    send(open_page(MODEL_CARD, model="customer-churn"), "Renewed, not churned.")
    signed_in(VIEWER)
    app = open_page(MODEL_CARD, model="customer-churn")
    assert not [b for b in app.button if b.label == "Send feedback"]
    assert "Renewed, not churned." in [element.value for element in app.text]
    assert "Changes to this model" not in [e.label for e in app.expander]


def test_owner_answers_and_the_expert_reads_the_answer(signed_in):
    signed_in(EXPERT)
    send(open_page(MODEL_CARD, model="customer-churn"), "Renewed, not churned.")
    signed_in(OWNER)
    app = open_page(FEEDBACK)
    assert "Renewed, not churned." in [element.value for element in app.text]
    status = next(box for box in app.selectbox if box.label == "Status")
    status.set_value("resolved")
    field(app, "text_area", "Answer to the expert").input("Retrained with renewals.")
    next(button for button in app.button if button.label == "Save answer").click().run()
    assert "Answer saved for FB-000001." in texts(app)
    signed_in(EXPERT)
    app = open_page(FEEDBACK)
    assert "Retrained with renewals." in [element.value for element in app.text]
    assert "Answer from Anna Schmidt" in texts(app)


def test_overview_counts_open_feedback(signed_in):
    signed_in(EXPERT)
    send(open_page(MODEL_CARD, model="customer-churn"), "Renewed, not churned.")
    app = open_page()
    assert {metric.label: metric.value for metric in app.metric}["Open feedback"] == "1"


def test_audit_page_for_admins_only(signed_in):
    signed_in(EXPERT)
    send(open_page(MODEL_CARD, model="customer-churn"), "Renewed, not churned.")
    signed_in(VIEWER)
    # Not in a viewer's navigation at all (and the service refuses, tests/test_feedback.py).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(AUDIT)
    from portal.services.identity import LOCAL_USER

    signed_in(LOCAL_USER)
    app = open_page(AUDIT)
    table = app.dataframe[0].value
    # The sign-ins named Erika and Vera in the people directory and recorded the language they
    # use (for their notifications); the log shows people by name.
    assert set(table["action"]) == {
        "feedback sent",
        "person named in the directory",
        "language recorded",
    }
    sent = table[table["action"] == "feedback sent"]
    assert list(sent["person"]) == ["Erika Expert"]
    app.selectbox(key="audit.action").set_value("feedback.submitted").run()
    assert len(app.dataframe[0].value) == 1
    app.date_input(key="audit.days").set_value((date(2020, 1, 1), date(2020, 1, 31))).run()
    assert "No entries match these filters." in texts(app)


@pytest.mark.parametrize("hostile", INJECTION_CORPUS, ids=range(len(INJECTION_CORPUS)))
def test_hostile_text_is_stored_exactly_and_shown_inert(signed_in, hostile):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model="customer-churn")
    case_reference = hostile[:100]
    send(app, hostile, case_reference=case_reference, expected=hostile[:500])
    [item] = data.feedback_service().for_model("customer-churn")
    assert item.description == hostile.strip()
    assert item.case_reference == case_reference
    shown = [element.value for element in app.text]
    # Drawn with st.text (never Markdown or HTML), bidirectional controls made visible.
    assert without_bidi_controls(hostile.strip()) in shown
    markdown = " ".join(str(element.value) for element in app.markdown)
    assert hostile.strip() not in markdown
    assert "<script>" not in markdown and "javascript:" not in markdown.replace("\\", "")
