"""The fact sheet's fairness line: a widening gap in words, or why fairness is not measured,
in both languages, and the sheet still fits four pages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.domain.fairness import model_fairness
from portal.drift.fairness import monitor_fairness
from portal.report import render_fact_sheet
from portal.report.facts import FactSheetFacts
from tests.drift.test_fairness import widening_context  # noqa: F401 (a fixture)
from tests.report.facts import text_of
from tests.report.test_render import AT, service, sheet_facts  # noqa: F401 (fixtures)


@pytest.fixture
def widening_facts(sheet_facts: FactSheetFacts, widening_context) -> FactSheetFacts:  # noqa: F811
    found = monitor_fairness(widening_context)
    return replace(sheet_facts, fairness=model_fairness("m", "gender,region", found, AT))


def test_fact_sheet_says_the_gap_is_widening_in_both_languages(widening_facts) -> None:
    trend = widening_facts.fairness.trends[0]
    reference = round(trend.reference_gap * 100)
    recent = round(min(week.parity_difference for week in trend.weeks[-2:]) * 100)
    english = render_fact_sheet(widening_facts, "en")
    text = " ".join(text_of(english.pdf))
    assert (
        "Fairness: the gap in selection rate between groups of gender is widening,"
        f" {recent} points in the last weeks against {reference} in training."
    ) in text
    assert english.pages <= 4
    german = " ".join(text_of(render_fact_sheet(widening_facts, "de").pdf))
    assert "Der Abstand der Auswahlquote zwischen Gruppen von gender wächst" in german


def test_fact_sheet_of_a_model_without_group_column(sheet_facts) -> None:  # noqa: F811
    facts = replace(sheet_facts, fairness=model_fairness("m", None, (), None))
    rendered = render_fact_sheet(facts, "en")
    text = " ".join(text_of(rendered.pdf))
    assert "Fairness not monitored: no group column (MLflow tag fairness_groups)." in text
    assert rendered.pages <= 4
