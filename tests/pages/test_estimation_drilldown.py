"""The drift drill-down shows the estimate before the outcomes arrive, or why there is none."""

from __future__ import annotations

import pytest

from portal.store.database import Store
from portal.store.estimation_repo import EstimationRepository
from portal.ui.navigation import DRIFT
from tests.drift.test_estimation_store import COMPUTED, dropping
from tests.pages.test_pages import open_page, texts
from tests.support.drift_store import drift_template, filled_store  # noqa: F401 (fixtures)

CHURN = "customer-churn"
SENTENCE = (
    "Estimated from the model's own confidence: ranking quality (ROC AUC) about 75.7 %"
    " (72.0 %–79.4 %) in the last 2 weeks, whose outcomes are not known yet; 86.0 % in training."
)
DROP = "That is 12 % worse than in training: the model is probably losing quality"


def plain(app) -> str:
    return texts(app).replace("\\", "")


def estimate(store: Store, estimates, reason: str = "") -> None:
    EstimationRepository(store).replace(CHURN, 2, estimates, COMPUTED, reason=reason)


@pytest.fixture
def estimated(filled_store: Store) -> Store:  # noqa: F811 (the imported fixture)
    estimate(filled_store, dropping())
    return filled_store


def test_drill_down_shows_the_estimate_its_band_and_the_drop(estimated, app_runtime):
    app = open_page(DRIFT, model=CHURN)
    page = plain(app)
    assert "Quality before the outcomes are known (estimate)" in page
    assert SENTENCE in page
    assert DROP in page
    assert "the estimate plus or minus three sampling errors" in page
    assert "Dashed line and shaded band: the estimate" in page
    charts = [chart.key for chart in app.get("plotly_chart")]
    assert charts[-2:] == ["estimation.chart.roc_auc", "estimation.chart.accuracy"]
    figure = app.get("plotly_chart")[-2].proto.spec
    # The estimate is dashed inside a shaded band; the measured line solid; training dotted.
    assert '"dash":"dash"' in figure and '"fill":"toself"' in figure
    assert '"name":"Measured"' in figure and '"name":"Training (reference)"' in figure


def test_drill_down_in_german(estimated, app_runtime):
    page = plain(open_page(DRIFT, language="de", model=CHURN))
    assert (
        "Geschätzt aus der eigenen Sicherheit des Modells: Rangordnungsqualität (ROC AUC) etwa"
        " 75,7 % (72,0 %–79,4 %) in den letzten 2 Wochen, deren Ergebnisse noch nicht bekannt"
        " sind; 86,0 % im Training." in page
    )
    assert "Das ist 12 % schlechter als im Training" in page


def test_a_model_without_an_estimate_says_why(app_runtime):
    estimate(app_runtime.store, (), reason="no_score")
    app = open_page(DRIFT, model=CHURN)
    assert "Not estimated: the model's logs or its training sample hold no score" in plain(app)
    assert not [c for c in app.get("plotly_chart") if c.key.startswith("estimation.")]


def test_a_model_not_estimated_yet_says_so(app_runtime):
    with app_runtime.store.transaction() as tx:  # as before the first job that estimates
        tx.execute("DELETE FROM performance_estimate_runs")
    assert "No estimate yet: the next health check makes one." in plain(
        open_page(DRIFT, model=CHURN)
    )
