"""What a model looks at: the model card names the five inputs that drive its predictions, and
the drift drill-down ranks changed inputs by how much the model relies on them."""

from __future__ import annotations

import json

from portal.domain.importance import rank_importance
from portal.store.importance_repo import ImportanceRepository
from portal.ui.navigation import DRIFT, MODEL_CARD
from tests.pages.test_pages import open_page, texts
from tests.support.builders import VIEWER
from tests.support.drift_fixtures import NOW
from tests.support.drift_store import drift_template, filled_store  # noqa: F401 (fixtures)

# customer-churn v2 (in production) relies on tenure most; its logs changed monthly_charges.
CHURN = rank_importance(
    [
        ("tenure", 0.31, 0.01),
        ("monthly_charges", 0.22, 0.02),
        ("contract", 0.18, 0.01),
        ("payment_method", 0.12, 0.01),
        ("internet_service", 0.09, 0.01),
        ("senior_citizen", 0.05, 0.01),
        ("gender", 0.03, 0.01),
        ("partner", -0.01, 0.01),
    ],
    "label",
)


def plain(app) -> str:
    return texts(app).replace("\\", "")


def save(app_runtime, rows=CHURN, failure: str = "") -> None:
    ImportanceRepository(app_runtime.store).save("customer-churn", 2, rows, NOW, failure=failure)


def test_the_card_names_the_five_inputs_that_drive_its_predictions(app_runtime):
    save(app_runtime)
    page = plain(open_page(MODEL_CARD, model="customer-churn"))
    assert "What the model looks at" in page
    assert (
        "Its predictions depend most on: tenure (31 %), monthly_charges (22 %), contract (18 %),"
        " payment_method (12 %), internet_service (9 %). The other 3 inputs carry 8 % together."
    ) in page
    assert "A share is how much of the model's reliance on all its inputs falls on one input" in (
        page
    )
    assert "Measured against the true outcomes in the training sample." in page


def test_the_card_in_german(app_runtime):
    save(app_runtime)
    page = plain(open_page(MODEL_CARD, language="de", model="customer-churn"))
    assert "Seine Vorhersagen hängen am meisten ab von: tenure (31 %)" in page
    assert "Die übrigen 3 Eingangsgrößen tragen zusammen 8 %." in page


def test_the_card_says_when_importance_is_missing_or_failed(app_runtime, signed_in):
    with app_runtime.store.transaction() as tx:
        tx.execute("DELETE FROM input_importance")
        tx.execute("DELETE FROM importance_versions")
        tx.bump_data_version()
    page = plain(open_page(MODEL_CARD, model="customer-churn"))
    assert "Not computed yet: the next model health check measures which inputs" in page
    save(app_runtime, (), failure="model customer-churn version 2 is saved with pickle")
    page = plain(open_page(MODEL_CARD, model="customer-churn"))
    assert "Could not be computed: model customer-churn version 2 is saved with pickle" in page
    signed_in(VIEWER)  # the stored reason may name a server: administrators only
    page = plain(open_page(MODEL_CARD, model="customer-churn"))
    assert "Could not be computed: the model could not be loaded or measured." in page
    assert "saved with pickle" not in page


def test_the_drift_inputs_table_ranks_changed_inputs_by_reliance(app_runtime):
    save(app_runtime)
    app = open_page(DRIFT, model="customer-churn")
    (shown,) = [frame for frame in app.dataframe if "relies" in frame.proto.column_order]
    assert list(shown.proto.column_order)[:3] == ["input", "changed", "relies"]
    assert json.loads(shown.proto.columns)["relies"]["label"] == "How much the model relies on it"
    table = shown.value
    rows = list(zip(table["input"], table["changed"], table["relies"], strict=True))
    assert rows[0] == ("monthly_charges", "yes", "22 %")  # the changed input first
    assert ("tenure", "no", "31 %") in rows and ("contract", "no", "18 %") in rows
    assert "Changed inputs come first, the one the model relies on most at the top." in plain(app)


def test_without_importance_the_drift_table_is_as_before(app_runtime):
    with app_runtime.store.transaction() as tx:
        tx.execute("DELETE FROM input_importance")
        tx.execute("DELETE FROM importance_versions")
        tx.bump_data_version()
    app = open_page(DRIFT, model="customer-churn")
    (shown,) = [frame for frame in app.dataframe if "input" in frame.proto.column_order]
    assert "relies" not in shown.proto.column_order
    assert shown.value["input"].iloc[0] == "monthly_charges"  # most changed first, as before
    assert "Changed inputs come first" not in plain(app)
