"""The use case's design approval section: whose decision is missing, the form, the move."""

from __future__ import annotations

import pytest

from portal.services.use_cases import UseCaseService
from portal.ui.navigation import USE_CASES
from tests.lifecycle.signoffs_fixture import BUSINESS_OWNER, EXECUTIVE, add_use_case
from tests.pages.test_pages import open_page, texts
from tests.support.builders import VIEWER


@pytest.fixture
def proposed(app_runtime):
    add_use_case(app_runtime.store)
    return app_runtime


def _decide(app):
    labels = [b.label for b in app.button]
    app.button[labels.index("Record my decision")].click().run()
    assert not app.exception


def test_both_signers_approve_and_the_use_case_moves_to_approved(proposed, signed_in):
    signed_in(BUSINESS_OWNER)
    app = open_page(USE_CASES, use_case="churn")
    shown = texts(app)
    assert "Design approval (sign-off)" in shown
    assert "Still missing: Business owner" in shown
    assert "Still missing: Accountable executive" in shown
    assert next(s for s in app.selectbox if s.label == "I decide as").options == ["Business owner"]
    _decide(app)
    assert "Your approval is recorded." in texts(app)
    assert "Still missing: Business owner" not in texts(app)
    signed_in(EXECUTIVE)
    app = open_page(USE_CASES, use_case="churn")
    _decide(app)
    assert "Approved: every required person has approved." in texts(app)
    use_case = UseCaseService(proposed.store, proposed.settings).get("churn")
    assert use_case.status == "approved"
    history = next(t.value for t in app.table if "Decision" in t.value.columns)
    assert list(history["Who"]) == ["Markus Schneider", "Sophie Wagner"]


def test_a_rejection_without_a_reason_is_refused_and_keeps_the_form(proposed, signed_in):
    signed_in(BUSINESS_OWNER)
    app = open_page(USE_CASES, use_case="churn")
    app.radio[[r.label for r in app.radio].index("Decision")].set_value("rejected")
    app.text_area[0].input("Only with a pilot")
    _decide(app)
    assert "Comment (required to reject or withdraw): please fill this in." in [
        e.value for e in app.error
    ]
    assert app.text_area[0].value == "Only with a pilot"
    assert "No sign-off recorded yet." in texts(app)


def test_a_viewer_sees_whose_turn_it_is_but_no_form_and_german(proposed, signed_in):
    signed_in(VIEWER)
    app = open_page(USE_CASES, language="de", use_case="churn")
    shown = texts(app)
    assert "Freigabe des Entwurfs (Sign-off)" in shown
    assert "Es fehlt noch: Fachverantwortliche Person" in shown
    assert "Ich entscheide als" not in [s.label for s in app.selectbox]
