"""A use case served by the filled store's churn model, with its people, for sign-off tests."""

from __future__ import annotations

from datetime import datetime

from portal.store.database import Store
from tests.support.builders import person

AT = datetime(2026, 3, 1, 9, 0)
EXECUTIVE = person("Markus Schneider", "markus.schneider@example.com")
BUSINESS_OWNER = person("Sophie Wagner", "sophie.wagner@example.com")


def add_use_case(store: Store, key: str = "churn", status: str = "proposed") -> int:
    """A use case with its business owner, executive and an ROC AUC target of at least 0.85,
    served by customer-churn (MLflow tag); the model's governance names the same people."""
    with store.transaction() as tx:
        use_case_id = tx.fetch_value(
            "INSERT INTO use_cases (key, title, question, status, accountable_executive,"
            " business_owner, proposed_by, proposed_at, updated_by, updated_at) VALUES ($key,"
            " 'Call customers before they cancel', 'Who cancels?', $status, $ae, $bo,"
            " $bo, $at, $bo, $at) RETURNING id",
            {
                "key": key,
                "status": status,
                "ae": EXECUTIVE.email,
                "bo": BUSINESS_OWNER.email,
                "at": AT,
            },
        )
        tx.execute(
            "INSERT INTO use_case_metrics VALUES ($id, 'roc_auc', 'model', 'at_least', 0.85, ''),"
            " ($id, 'accuracy', 'model', 'at_least', 0.9, ''),"
            " ($id, 'retention_rate', 'business', 'at_least', 4, '%')",
            {"id": use_case_id},
        )
        tx.execute(
            "INSERT INTO model_tags (model_name, key, value) VALUES ('customer-churn',"
            " 'use_case', $key)",
            {"key": key},
        )
        tx.execute(
            "INSERT INTO model_governance (model_name, accountable_executive, business_owner,"
            " updated_by, updated_at) VALUES ('customer-churn', $ae, $bo, 'x', $at)",
            {"ae": EXECUTIVE.email, "bo": BUSINESS_OWNER.email, "at": AT},
        )
        tx.bump_data_version()
    return use_case_id
