"""The PDF buttons when a PDF cannot be made: a message in the reader's language where the
button is, the rest of the page as before; and when it can, a button that saves it."""

from __future__ import annotations

import pytest

from portal.store.report_repo import ReportRepository
from portal.ui.navigation import MODEL_CARD, OVERVIEW
from tests.pages.test_pages import open_page, texts
from tests.support.builders import READER

CASES = [
    (MODEL_CARD, {"model": "customer-churn"}, "fact_sheet", "render_fact_sheet"),
    (OVERVIEW, {}, "portfolio", "render_portfolio"),
]
FAILED = {
    "en": "The PDF could not be made. Please try again",
    "de": "Das PDF konnte nicht erstellt werden. Bitte versuchen Sie es noch einmal",
}


@pytest.fixture(autouse=True)
def reader(signed_in):
    """A viewer: the card shows no owner forms (AppTest formats their choices in English)."""
    signed_in(READER)


def press(app, kind: str, language: str):
    app.button(key=f"export.{kind}.{language}").click().run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(("page", "query", "kind", "renderer"), CASES)
def test_a_pdf_that_cannot_be_made_says_so_where_its_button_is(
    app_runtime, monkeypatch, caplog, language, page, query, kind, renderer
):
    def broken(facts, lang):
        raise RuntimeError("the layout engine gave up")

    monkeypatch.setattr(f"portal.report.{renderer}", broken)
    app = open_page(page, language=language, **query)
    before = texts(app)
    press(app, kind, language)
    (error,) = app.error
    assert error.value.startswith(FAILED[language])
    reference = error.value.rsplit(" ", 1)[1]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)
    # Where the button is, instead of the button that would save the PDF; the page unchanged.
    assert app.get("download_button") == []
    assert texts(app).replace(error.value, "").split() == before.split()
    assert ReportRepository(app_runtime.store).recent() == []


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_model_gone_before_the_press_is_named_in_the_readers_language(
    app_runtime, monkeypatch, language
):
    from portal.errors import ReportUnavailable

    def gone(self, actor, name, lang, now=None):
        raise ReportUnavailable(name)

    monkeypatch.setattr("portal.services.report.ReportService.fact_sheet", gone)
    app = press(
        open_page(MODEL_CARD, language=language, model="customer-churn"), "fact_sheet", language
    )
    expected = {
        "en": "This model is no longer in the registry",
        "de": "Dieses Modell gibt es in der Registrierung nicht mehr",
    }
    assert [e.value[: len(expected[language])] for e in app.error] == [expected[language]]


@pytest.mark.parametrize(("page", "query", "kind", "renderer"), CASES)
def test_a_pdf_that_is_made_gets_a_button_that_saves_it(app_runtime, page, query, kind, renderer):
    app = open_page(page, language="de", **query)
    assert app.get("download_button") == []  # nothing is made while the page draws
    press(app, kind, "de")
    (save,) = [b for b in app.get("download_button") if b.label == "PDF speichern"]
    assert save.proto.url and not save.proto.deferred_file_id  # made already
    assert not app.error
    (recorded,) = ReportRepository(app_runtime.store).recent()
    assert (recorded["kind"], recorded["language"]) == (kind, "de")
