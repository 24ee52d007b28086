"""The fact sheet's line on performance estimated before the outcomes arrive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.report import render_fact_sheet
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.report import ReportService
from portal.store import open_store
from portal.store.estimation_repo import EstimationRepository
from tests.conftest import fill_base_history, load_settings_for
from tests.drift.test_estimation_store import COMPUTED, dropping
from tests.report.facts import rich_fact_sheet, text_of
from tests.support.drift_fixtures import NOW

AT = NOW + timedelta(hours=2)


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[ReportService]:
    folder = tmp_path_factory.mktemp("estimation_report")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = fill_base_history(open_store(settings.store_path))
    EstimationRepository(store).replace("customer-churn", 2, dropping(), COMPUTED)
    EstimationRepository(store).replace("house-prices", 1, (), COMPUTED, reason="no_score")
    yield ReportService(Runtime(settings, store, Scheduler(lambda request: None, 60)))
    store.close()


def one_line(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Estimated from the model's own confidence: ranking quality (ROC AUC) about 75.7 %"
            " (72.0 %–79.4 %) in the last 2 weeks, whose outcomes are not known yet; 86.0 % in"
            " training.",
        ),
        (
            "de",
            "Geschätzt aus der eigenen Sicherheit des Modells: Rangordnungsqualität (ROC AUC)"
            " etwa 75,7 % (72,0 %–79,4 %) in den letzten 2 Wochen",
        ),
    ],
)
def test_the_fact_sheet_states_the_estimate_and_stays_within_four_pages(service, lang, expected):
    facts = service.fact_sheet_facts("customer-churn", "Test User", AT)
    assert facts is not None and facts.estimate is not None
    rendered = render_fact_sheet(rich_fact_sheet(facts), lang)
    text = one_line(text_of(rendered.pdf))
    assert expected in text
    assert ("12 % worse than in training" if lang == "en" else "12 % schlechter") in text
    assert 1 <= rendered.pages <= 4


def test_a_model_without_an_estimate_says_why_on_its_fact_sheet(service):
    facts = service.fact_sheet_facts("house-prices", "Test User", AT)
    assert facts is not None
    text = one_line(text_of(render_fact_sheet(facts, "en").pdf))
    assert "Quality before the outcomes are known" in text
    assert "Not estimated: the model's logs or its training sample hold no score" in text
    # Not in production: no line at all.
    retired = replace(facts, status=replace(facts.status, in_production=False))
    assert "Quality before the outcomes are known" not in one_line(
        text_of(render_fact_sheet(retired, "en").pdf)
    )
