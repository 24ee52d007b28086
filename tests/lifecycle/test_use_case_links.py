"""Which model serves which use case: a portal link wins over the MLflow tag `use_case`."""

from __future__ import annotations

from datetime import datetime

from portal.domain.use_cases import use_case_of_model
from portal.services.use_cases import UseCaseService

AT = datetime(2026, 11, 1, 9, 0)


def test_a_link_wins_over_the_tag_and_an_unknown_tag_links_nothing():
    keys = {"churn": "Churn"}
    assert use_case_of_model("Other", "churn", keys) == "Other"
    assert use_case_of_model(None, " CHURN ", keys) == "Churn"
    assert use_case_of_model(None, "nothing-like-it", keys) is None
    assert use_case_of_model(None, "  ", keys) is None


def _use_case(tx, key: str, title: str) -> int:
    return tx.fetch_value(
        "INSERT INTO use_cases (key, title, question, status, proposed_by, proposed_at,"
        " updated_by, updated_at) VALUES ($key, $title, 'Why?', 'approved', 'a@example.com',"
        " $at, 'a@example.com', $at) RETURNING id",
        {"key": key, "title": title, "at": AT},
    )


def test_models_are_found_by_tag_and_by_portal_link(filled_store, settings):
    with filled_store.transaction() as tx:
        churn = _use_case(tx, "churn", "Keep customers")
        _use_case(tx, "credit", "Lend safely")
        tx.execute(
            "INSERT INTO model_tags (model_name, key, value)"
            " VALUES ('customer-churn', 'use_case', 'CHURN')"
        )
        tx.execute(
            "INSERT INTO use_case_models VALUES ('house-prices', $id, 'a@example.com', $at)",
            {"id": churn, "at": AT},
        )
    service = UseCaseService(filled_store, settings)
    assert [u.key for u in service.all()] == ["churn", "credit"]
    assert service.use_case_of_models() == {"customer-churn": "churn", "house-prices": "churn"}
    assert service.models_by_use_case() == {"churn": ("customer-churn", "house-prices")}
    assert service.get("CREDIT").title == "Lend safely"


def test_a_use_case_names_the_accountable_people_its_models_leave_unnamed(filled_store, settings):
    from portal.services.authorization import owners_of
    from portal.store.governance_repo import GovernanceRepository

    with filled_store.transaction() as tx:
        churn = _use_case(tx, "churn", "Keep customers")
        tx.execute(
            "UPDATE use_cases SET accountable_executive = 'exec@example.com',"
            " business_owner = 'bo@example.com' WHERE id = $id",
            {"id": churn},
        )
        tx.execute(
            "INSERT INTO model_tags (model_name, key, value)"
            " VALUES ('customer-churn', 'use_case', 'churn')"
        )
        tx.execute(
            "INSERT INTO use_case_models VALUES ('house-prices', $id, 'a@example.com', $at)",
            {"id": churn, "at": AT},
        )
        tx.execute(
            "INSERT INTO model_governance (model_name, business_owner, updated_by, updated_at)"
            " VALUES ('house-prices', 'own@example.com', 'a@example.com', $at)",
            {"at": AT},
        )
    records = GovernanceRepository(filled_store).governance()
    assert records["customer-churn"]["accountable_executive"] == "exec@example.com"
    assert records["customer-churn"]["business_owner"] == "bo@example.com"
    # The model's own record wins where it names someone; the use case fills the gap.
    assert records["house-prices"]["business_owner"] == "own@example.com"
    assert records["house-prices"]["accountable_executive"] == "exec@example.com"
    assert "bare model" not in records
    assert "exec@example.com" in owners_of(filled_store, "customer-churn")
