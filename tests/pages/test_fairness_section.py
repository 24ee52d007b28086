"""The drift drill-down's fairness section: a widening gap in plain words, or why fairness is
not monitored."""

from __future__ import annotations

import pytest

from portal.domain.fairness import COMPARED, MISSING_COLUMN, REFERENCE, WEEK, FairnessWindow
from portal.store.drift_repo import DriftRepository
from portal.store.fairness_repo import FairnessRepository
from portal.ui.navigation import DRIFT
from tests.drift.test_fairness import widening_context  # noqa: F401 (a fixture)
from tests.pages.test_pages import open_page, texts
from tests.support.drift_fixtures import NOW
from tests.support.drift_store import drift_template, filled_store  # noqa: F401 (fixtures)

CHURN = "customer-churn"


@pytest.fixture
def with_fairness(filled_store, widening_context):  # noqa: F811
    """customer-churn's production version with a gender gap that widened in two weeks."""
    from portal.drift.fairness import monitor_fairness

    version = next(
        row["version"]
        for row in DriftRepository(filled_store).production_models()
        if row["name"] == CHURN
    )
    found = monitor_fairness(widening_context)
    # A column the training sample has and the newest logs lack.
    team = [
        FairnessWindow("team", REFERENCE, None, None, COMPARED, 2000, 2000, 2, 0.1, 0.8),
        *(
            FairnessWindow("team", WEEK, start, end, MISSING_COLUMN, 1000)
            for start, end in widening_context.weeks
        ),
    ]
    FairnessRepository(filled_store).replace(CHURN, version, [*found, *team], NOW)
    return found


def test_drill_down_says_the_gap_is_widening(with_fairness, app_runtime) -> None:
    app = open_page(DRIFT, model=CHURN)
    shown = texts(app)
    assert "Fairness between groups" in shown
    gaps = [w.parity_difference for w in with_fairness if w.group_column == "gender"]
    reference, recent = round(gaps[0] * 100), round(min(gaps[3:5]) * 100)
    assert (
        "How often the model predicts the outcome it looks for (selection rate) differs between"
        f" groups of gender by at least {recent} points in each of the last two weeks;"
        f" {reference} points in training: **the gap is widening**"
    ) in shown
    # The tag names a column the reference does not have: said, not hidden.
    assert "names the column region, but the training sample has no such column" in shown
    assert "names the column team, but the production logs of the newest week have no such" in shown
    # The newest week per group, next to training.
    table = app.table[-1].value
    assert list(table["Group"]) == ["female", "male"]
    assert "Selection rate in training" in table.columns
    assert len(app.get("plotly_chart")) >= 1


def test_drill_down_in_german(with_fairness, app_runtime) -> None:
    shown = texts(open_page(DRIFT, language="de", model=CHURN))
    assert "Fairness zwischen Gruppen" in shown
    assert "der Abstand wächst" in shown


def test_drill_down_without_group_column_says_fairness_is_not_monitored(app_runtime) -> None:
    shown = texts(open_page(DRIFT, model=CHURN))
    assert "Fairness not monitored: no group column (set the MLflow tag fairness_groups" in shown
